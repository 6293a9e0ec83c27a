#!/bin/sh
# scripts/install-test-tools.sh [--strict]: install the init systems'
# tools that tests/integration/t_init.sh runs the files of scripts/init/
# with: busybox (its sh and start-stop-daemon applet), runit (runsv, sv,
# svlogd), s6 (s6-supervise, s6-svc, s6-svwait) and openrc (openrc-run),
# from Debian's packages. For CI (.ci/run) and developers: make test never
# calls it and needs none of them (t_init.sh names a SKIP for each one
# missing). dpkg's start-stop-daemon and systemd-analyze come with the
# system when they come at all.
# Best effort: without root or apt-get, or when the install fails, it says
# so and exits 0; with --strict it exits 1 then.
set -u
strict=
[ "${1:-}" = --strict ] && strict=1
PKGS="busybox runit s6 openrc"

missing=
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "install-test-tools: already installed: $PKGS"
	exit 0
fi

give_up() {
	echo "install-test-tools: $1; t_init.sh will skip what needs:$missing" >&2
	[ -n "$strict" ] && exit 1
	exit 0
}
[ "$(id -u)" -eq 0 ] || give_up "not root"
command -v apt-get >/dev/null 2>&1 || give_up "no apt-get"

LOG=$(mktemp "${TMPDIR:-/tmp}/install-test-tools.XXXXXX") || give_up "no temporary file"
# No recommends: runit's would bring runit-run, which runs runsvdir as a
# system service.
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOG" 2>&1 &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"$LOG" 2>&1; then
	rm -f "$LOG"
	echo "install-test-tools: installed:$missing"
	exit 0
fi
tail -n 20 "$LOG" >&2
rm -f "$LOG"
give_up "apt-get could not install:$missing"
