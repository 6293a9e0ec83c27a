#!/bin/sh
# demo.sh: run toesd in the foreground on a fresh copy of examples/apps
# (an HTTP app, a worker without a socket, an app that crashes).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
DEMO=$ROOT/demo
mkdir -p "$BUILD/examples"
${CC:-cc} -O2 -o "$BUILD/examples/hello-http" examples/src/hello-http.c
rm -rf "$DEMO"
mkdir -p "$DEMO"
cp -R examples/apps "$DEMO/apps"
PATH=$ROOT/$BUILD/examples:$PATH
export PATH
cat <<MSG
toesd demo: apps in $DEMO/apps (hello: HTTP, ticker: a worker, crashy: crashes)
  status:  $BUILD/toesctl --toes-dir $DEMO/toes status      (add NAME or --json)
  logs:    $DEMO/apps/NAME/logs/$(date -u +%F).log
  try:     curl http://127.0.0.1:PORT/  (the port status shows for hello)
           $BUILD/toesctl --toes-dir $DEMO/toes stop crashy
Ctrl-C stops toesd and every app.
MSG
exec "$BUILD/toesd" --data-dir "$DEMO" "$@"
