#!/bin/sh
# tests/run.sh BUILD_DIR...: run every unit test and every integration test
# against each build directory and end with "N passed, N failed".
# A test program prints "PASS name" / "FAIL name" lines; one that exits
# non-zero without a FAIL line counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
JOBS=${TEST_JOBS:-4}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/toes-run.XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM
# LeakSanitizer cannot run under ptrace (some sandboxes); leaks are not the point here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

n=0
# run_one LABEL LOGFILE CMD...: run a test, record its output and exit code.
run_one() {
	label=$1 log=$2
	shift 2
	"$@" >"$log" 2>&1
	echo "$?" >"$log.rc"
	echo "$label" >"$log.label"
}

for build in "$@"; do
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		run_one "$build/$(basename "$t")" "$OUT/$n" "$t"
	done
	i=0
	for t in tests/integration/t_*.sh; do
		[ -f "$t" ] || continue
		n=$((n + 1))
		i=$((i + 1))
		# Each script gets its own range of 20 ports, so scripts can run side by side.
		PORT_BASE=$((20000 + n * 20)) BUILD="$ROOT/$build" \
			run_one "$build/$(basename "$t")" "$OUT/$n" sh "$t" &
		if [ $((i % JOBS)) -eq 0 ]; then
			wait
		fi
	done
	wait
done

passed=0 failed=0
k=1
while [ "$k" -le "$n" ]; do
	label=$(cat "$OUT/$k.label")
	rc=$(cat "$OUT/$k.rc")
	p=$(grep -c '^PASS ' "$OUT/$k")
	f=$(grep -c '^FAIL ' "$OUT/$k")
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		echo "== $label (exit $rc)"
		cat "$OUT/$k"
		if [ "$f" -eq 0 ]; then
			f=1
		fi
	else
		sed "s|^PASS |PASS $label: |" "$OUT/$k" | grep '^PASS '
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	k=$((k + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
