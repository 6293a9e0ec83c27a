#!/bin/sh
# tests/run.sh BUILD_DIR...: run every unit test program and every
# integration script against each build directory, a pool of jobs at a
# time, and end with "N passed, N failed"; exit 1 if anything failed.
#
# A test prints "PASS name" / "FAIL name..." lines ("SKIP name: why" for a
# check it could not make here: counted apart, never as passed) and, as
# its last line,
# the end marker DONE (check.h's CHECK_EXIT, lib.sh's done_testing). What
# counts as a failure:
#   - each FAIL line;
#   - no DONE line: the test stopped early (set -u, a syntax error, an exit
#     in a helper, a crash), whatever its exit code;
#   - a non-zero exit without a FAIL line;
#   - each sanitizer report: every file ASan or LeakSanitizer wrote (the
#     runner points log_path into the test's own folder; toesd, toesctl and
#     the fixtures a script runs inherit it), and each UBSan "FILE:L:C:
#     runtime error:" line in the output (UBSan in the ASan build writes to
#     standard error whatever log_path says; lib.sh shows, as "UBSan in a
#     log: ..." lines, those in files under the script's $T: toesd's log,
#     the apps' logs).
# Passing tests show their PASS lines, labelled; failing ones their whole
# output and their reports. Results are shown in the order tests started.
#
# Environment (all optional):
#   TEST_JOBS       jobs at once; default: twice the online CPUs (the
#                   integration scripts spend most of their time waiting
#                   on toesd's timers, not on a CPU)
#   TEST_SCRIPTS    the integration scripts to run, space-separated paths
#                   from the top folder; default tests/integration/t_*.sh;
#                   set and empty: none
#   TEST_PROGRAMS   the unit test programs to run, space-separated paths
#                   inside each build folder; default one per
#                   tests/unit/test_*.c; set and
#                   empty: none (so TEST_PROGRAMS= skips the unit tests)
#   TEST_TIMEOUT    seconds one test may take before it is stopped and
#                   counted as stopped early; default 150; 0: no limit
#                   (needs GNU timeout)
#   TEST_PORT_BASE  the k-th integration script of the run (from 1) gets
#                   the 20 ports from TEST_PORT_BASE + 20 k as PORT_BASE;
#                   default 20000; lib.sh adds TOES_PORT_OFFSET
#   ASAN_OPTIONS, UBSAN_OPTIONS  added after the runner's own options
#                   (leaks on, reports to files, abort on error); log_path
#                   is always the runner's
# Example: TEST_PROGRAMS= TEST_SCRIPTS=tests/integration/t_stop.sh sh tests/run.sh build
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
CPUS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
case $CPUS in '' | *[!0-9]* | 0) CPUS=1 ;; esac
JOBS=${TEST_JOBS:-$((2 * CPUS))}
case $JOBS in '' | *[!0-9]* | 0) JOBS=2 ;; esac
TIMEOUT=${TEST_TIMEOUT:-150}
PORT_FIRST=${TEST_PORT_BASE:-20000}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/toes-run.XXXXXX") || exit 2

# Sanitizers: leaks on; exitcode=0 leaves a leaking program's exit status
# (and its buffered output) alone, the report file is what counts; any
# other error aborts the program. log_path is set per test in run_job.
SAN_ASAN="detect_leaks=1:exitcode=0:abort_on_error=1:log_exe_name=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
SAN_UBSAN="print_stacktrace=1:halt_on_error=1:abort_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# A UBSan report line: file:line:column: runtime error: what.
UBSAN_LINE='^[^ ]+:[0-9]+:[0-9]+: runtime error: '

TMO=
if [ "$TIMEOUT" != 0 ] && timeout --foreground -k 1 5 true 2>/dev/null; then
	TMO="timeout --foreground -k 10 $TIMEOUT"
fi

# On INT or TERM, stop the tests that run (lib.sh cleans up on TERM).
stop_jobs() {
	for pf in "$OUT"/*.pid; do
		[ -f "$pf" ] && kill -TERM "$(cat "$pf")" 2>/dev/null
	done
	exit "$1"
}
trap 'rm -rf "$OUT"' EXIT
trap 'stop_jobs 130' INT
trap 'stop_jobs 143' TERM

# The pool: a FIFO holding one token per free job slot. A job takes a token
# before it starts and gives it back when it ends.
mkfifo "$OUT/pool" || exit 2
exec 3<>"$OUT/pool"
i=0
while [ "$i" -lt "$JOBS" ]; do
	echo >&3
	i=$((i + 1))
done

n=0
script_k=0 # integration scripts started so far: their port ranges
# run_job K CMD...: test K, its output in $OUT/K, its exit code in $OUT/K.rc,
# its sanitizer reports in $OUT/K.san/. The test gets no pool descriptor.
run_job() {
	k=$1
	shift
	ASAN_OPTIONS="$SAN_ASAN:log_path=$OUT/$k.san/report" \
	UBSAN_OPTIONS="$SAN_UBSAN:log_path=$OUT/$k.san/report" \
	PORT_BASE=$((PORT_FIRST + script_k * 20)) \
		$TMO "$@" >"$OUT/$k" 2>&1 </dev/null 3>&- &
	echo "$!" >"$OUT/$k.pid"
	# (The shell would print "Aborted" and the like here: the rc says it.)
	wait "$!" 2>/dev/null
	echo "$?" >"$OUT/$k.rc"
	rm -f "$OUT/$k.pid"
}
# start LABEL CMD...: wait for a free slot, then run CMD in the background.
start() {
	read -r _token <&3
	n=$((n + 1))
	echo "$1" >"$OUT/$n.label"
	shift
	mkdir "$OUT/$n.san"
	(
		run_job "$n" "$@"
		echo >&3
	) &
}

for build in "$@"; do
	case $build in
	/*) abs=$build ;;
	*) abs=$ROOT/$build ;;
	esac
	# lib.sh reads BUILD (absolute) from the environment.
	BUILD=$abs
	export BUILD
	# The integration scripts first: they take longest.
	for t in ${TEST_SCRIPTS-tests/integration/t_*.sh}; do
		[ -f "$t" ] || continue
		script_k=$((script_k + 1))
		start "$build/$(basename "$t")" sh "$t"
	done
	if [ "${TEST_PROGRAMS+set}" = set ]; then
		progs=$TEST_PROGRAMS
	else
		# One per source: a binary left from a removed test is not run,
		# and one that failed to build counts as a failure.
		progs=
		for src in tests/unit/test_*.c; do
			progs="$progs tests/$(basename "$src" .c)"
		done
	fi
	for t in $progs; do
		start "$build/$(basename "$t")" "$abs/$t"
	done
done
wait

passed=0 failed=0 skipped=0
k=1
while [ "$k" -le "$n" ]; do
	label=$(cat "$OUT/$k.label")
	rc=$(cat "$OUT/$k.rc" 2>/dev/null || echo '?')
	p=$(grep -c '^PASS ' "$OUT/$k")
	f=$(grep -c '^FAIL ' "$OUT/$k")
	s=$(grep -c '^SKIP ' "$OUT/$k")
	ub=$(grep -cE "$UBSAN_LINE|^UBSan in a log: " "$OUT/$k")
	reports=$(find "$OUT/$k.san" -type f | wc -l)
	why=
	if ! grep -qx DONE "$OUT/$k"; then
		f=$((f + 1))
		why=", stopped early: no DONE line"
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			why="$why (timed out after ${TIMEOUT}s?)"
		fi
	elif [ "$rc" != 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$ub" -gt 0 ]; then
		why="$why, $ub UBSan report(s)"
	fi
	if [ "$reports" -gt 0 ]; then
		why="$why, $reports sanitizer report file(s)"
	fi
	f=$((f + ub + reports))
	if [ "$f" -gt 0 ]; then
		echo "== $label (exit $rc$why)"
		cat "$OUT/$k"
		for r in "$OUT/$k.san"/*; do
			[ -f "$r" ] || continue
			echo "== $label: sanitizer report ${r##*/}"
			cat "$r"
		done
	else
		sed -E "s@^(PASS|SKIP) @\1 $label: @" "$OUT/$k" | grep -E '^(PASS|SKIP) '
	fi
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	k=$((k + 1))
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
