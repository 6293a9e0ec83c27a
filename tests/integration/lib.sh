# lib.sh: helpers for the integration tests, sourced by each t_*.sh.
# They drive the real toesd and toesctl on a temporary data folder with
# short timings, and poll with a bounded retry instead of fixed sleeps.
# The runner sets BUILD (absolute build dir) and PORT_BASE (20 free ports).
# A check that needs an app held in a state (still starting, still
# stopping) holds it with a fixture gate (--gate-listen, --gate-exit,
# --exit-on: see tests/fixtures/fixture.c) and opens the gate when done.
# Every script ends with done_testing.

set -u
BUILD=${BUILD:-$(pwd)/build}
PORT_BASE=${PORT_BASE:-24000}
# Two whole runs at once on one machine would hand the same ports to both
# (a worker's port looks free to the other toesd, whose HTTP app then answers
# this one's probes): give each run its own TOES_PORT_OFFSET, e.g. 0 and 2000.
PORT_BASE=$((PORT_BASE + ${TOES_PORT_OFFSET:-0}))
TOESD=$BUILD/toesd
TOESCTL=$BUILD/toesctl
FIXTURE=$BUILD/fixtures/fixture
T=$(mktemp -d "${TMPDIR:-/tmp}/toes-test.XXXXXX")
APPS=$T/apps
mkdir -p "$APPS"
TOESD_PID=
failures=0
testing_done=

# The short timings every test starts from; a test adds its own flags.
FAST="--startup-poll 50ms --startup-probe-timeout 500ms --survival 600ms
 --startup-timeout 10s --health-interval 200ms --health-timeout 300ms
 --restart-delays 100ms,200ms,400ms --stop-timeout 1s --stable-time 60s"

pass() {
	if [ -n "$testing_done" ]; then
		fail "$1" "checked after done_testing"
	else
		echo "PASS $1"
	fi
}
fail() {
	echo "FAIL $1: $2"
	failures=$((failures + 1))
}
# skip NAME WHY: a check this machine cannot make (counted as skipped).
skip() { echo "SKIP $1: $2"; }
# check NAME COMMAND...: PASS when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# wait_until SECONDS COMMAND...: poll every 50 ms; 0 as soon as it holds.
wait_until() {
	limit=$(($1 * 20))
	shift
	i=0
	while [ "$i" -lt "$limit" ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# app NAME COMMAND [VERSION]: an app folder with a package.json.
app() {
	v=${3:-v1}
	mkdir -p "$APPS/$1/$v"
	printf '{"name":"%s","scripts":{"toes":"%s"}}\n' "$1" "$2" >"$APPS/$1/$v/package.json"
}

start_toesd() {
	# shellcheck disable=SC2086
	"$TOESD" --data-dir "$T" --ports "$PORT_BASE-$((PORT_BASE + 19))" $FAST "$@" \
		>>"$T/toesd.log" 2>&1 &
	TOESD_PID=$!
	wait_until 5 test -S "$T/toes/toesd.sock" || fail startup "toesd did not create its socket"
}

ctl() { "$TOESCTL" --toes-dir "$T/toes" "$@"; }

# field NAME KEY: one value from `toesctl status NAME --json` (strings unquoted).
field() {
	ctl status "$1" --json 2>/dev/null |
		sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

state_is() { [ "$(field "$1" state)" = "$2" ]; }

# log_has NAME TEXT: the app's log files hold a line with TEXT.
log_has() { cat "$APPS/$1"/logs/*.log 2>/dev/null | grep -qF -- "$2"; }
log_count() { cat "$APPS/$1"/logs/*.log 2>/dev/null | grep -cF -- "$2"; }

alive() { kill -0 "$1" 2>/dev/null; }

# none_alive PID...: not one of them exists (a zombie would: toesd must reap).
none_alive() {
	[ "$#" -gt 0 ] || return 1
	for na_pid in "$@"; do
		if alive "$na_pid"; then return 1; fi
	done
}

# all_alive PID...: every one of them exists.
all_alive() {
	[ "$#" -gt 0 ] || return 1
	for aa_pid in "$@"; do
		alive "$aa_pid" || return 1
	done
}

stop_toesd() {
	if [ -n "$TOESD_PID" ] && alive "$TOESD_PID"; then
		kill -TERM "$TOESD_PID"
		wait_until 10 sh -c "! kill -0 $TOESD_PID 2>/dev/null"
	fi
	wait "$TOESD_PID" 2>/dev/null
	TOESD_RC=$?
	TOESD_PID=
}

# Kill whatever a failed test left behind: every process working in $T.
kill_leftovers() {
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/cwd" 2>/dev/null)" in
		"$T"/*) kill -KILL "${p#/proc/}" 2>/dev/null ;;
		esac
	done
}

# done_testing: the last line of every script. It prints the end marker
# DONE, which tests/run.sh looks for: a script that stops before its end (an
# unset variable under set -u, a syntax error, an exit in a helper) is
# counted as failed whatever its exit code. Not done from finish: the EXIT
# trap runs however the shell ends.
done_testing() {
	testing_done=1
	echo DONE
}

# UBSan in the ASan build writes its reports to standard error whatever
# log_path says: toesd's log, the apps' log files, whatever file a test sent
# a program's standard error to. Show them (FILE:L:C: runtime error: lines)
# before $T goes, so that tests/run.sh counts them.
show_ubsan_reports() {
	grep -rhIE -e '[^ ]+:[0-9]+:[0-9]+: runtime error: ' "$T" 2>/dev/null |
		sed 's/^/UBSan in a log: /'
}

finish() {
	stop_toesd
	kill_leftovers
	show_ubsan_reports
	if [ "$failures" -gt 0 ] && [ -f "$T/toesd.log" ]; then
		echo "--- toesd log:"
		tail -n 40 "$T/toesd.log"
	fi
	rm -rf "$T"
	exit "$failures"
}
trap finish EXIT
trap 'exit 1' INT TERM
