#!/bin/sh
# demo.sh: run toesd in the foreground on a fresh copy of examples/apps
# (an HTTP app, a worker without a socket, an app that crashes), with the
# status page on HTTP_PORT (default 3000: TOES_URL's default,
# http://localhost:3000, then points at it).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
DEMO=$ROOT/demo
HTTP_PORT=${HTTP_PORT:-3000}
mkdir -p "$BUILD/examples"
${CC:-cc} -O2 -o "$BUILD/examples/hello-http" examples/src/hello-http.c
rm -rf "$DEMO"
mkdir -p "$DEMO"
cp -R examples/apps "$DEMO/apps"
PATH=$ROOT/$BUILD/examples:$PATH
export PATH
cat <<MSG
toesd demo: apps in $DEMO/apps (hello: HTTP, ticker: a worker, crashy: crashes)
  status page: http://127.0.0.1:$HTTP_PORT/   (also /api/apps, /events, /metrics)
  status:  $BUILD/toesctl --toes-dir $DEMO/toes status      (add NAME or --json)
  logs:    $DEMO/apps/NAME/logs/$(date -u +%F).log
  try:     curl http://127.0.0.1:PORT/  (the port status shows for hello)
           $BUILD/toesctl --toes-dir $DEMO/toes stop crashy
Ctrl-C stops toesd and every app.
MSG
exec "$BUILD/toesd" --data-dir "$DEMO" --http "127.0.0.1:$HTTP_PORT" \
	--url "${TOES_URL:-http://127.0.0.1:$HTTP_PORT}" "$@"
