# The runner itself (tests/run.sh): a script that stops before its end
# marker (set -u, a syntax error, an exit in a helper, an exit 0) fails
# whatever its exit code, and so does a unit program that returns before
# CHECK_EXIT; a check after done_testing fails; a UBSan report in a log
# under $T fails; in the ASan build, each LeakSanitizer report fails, from
# a unit program and from a program a script runs (in the strict mode of
# toesd and the unit tests, memory still held at exit is one), and so does a UBSan
# report on a unit program's standard error. The samples live in
# tests/meta/, where run.sh never looks on its own; this runs run.sh on
# them. They start no toesd and open no port, so the port ranges the inner
# run.sh hands out do not matter.
. tests/integration/lib.sh

B=$BUILD
SCRIPTS="tests/meta/m_good.sh tests/meta/m_fail.sh tests/meta/m_unset.sh
 tests/meta/m_syntax.sh tests/meta/m_helper_exit.sh tests/meta/m_exit0.sh
 tests/meta/m_after_done.sh tests/meta/m_child_leak.sh tests/meta/m_ubsan_log.sh"
PROGRAMS="meta/m_early meta/m_leak meta/m_held meta/m_ubsan"

# run_samples OUT SCRIPTS PROGRAMS: run.sh on them, its output in OUT; sets RC.
run_samples() {
	TEST_JOBS=2 TEST_SCRIPTS=$2 TEST_PROGRAMS=$3 sh tests/run.sh "$B" >"$1" 2>&1
	RC=$?
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
last_line_is() { [ "$(tail -n 1 "$1")" = "$2" ]; }
# stopped_early NAME: the sample's block says it stopped early, exit 0.
stopped_early() { has "$T/all.out" "== $B/$1 (exit 0, stopped early: no DONE line"; }

if "$B/meta/m_leak" --sanitized; then
	SAN=1 WANT="14 passed, 13 failed"
else
	SAN=0 WANT="14 passed, 8 failed"
fi

run_samples "$T/all.out" "$SCRIPTS" "$PROGRAMS"
check samples_run_fails [ "$RC" -ne 0 ]
check samples_summary last_line_is "$T/all.out" "$WANT"

check good_passes has "$T/all.out" "PASS $B/m_good.sh: second"
check good_not_failed lacks "$T/all.out" "== $B/m_good.sh"
check fail_counted_once has "$T/all.out" "== $B/m_fail.sh (exit 1)"
for s in m_unset.sh m_syntax.sh m_helper_exit.sh m_exit0.sh m_early; do
	check "${s%.sh}_stopped_early" stopped_early "$s"
done
check unset_shows_why has "$T/all.out" "NO_SUCH_VARIABLE_HERE: parameter not set"
check syntax_shows_why has "$T/all.out" "Syntax error"
check after_done_fails has "$T/all.out" "FAIL second: checked after done_testing"
check after_done_not_stopped_early has "$T/all.out" "== $B/m_after_done.sh (exit 1)"
check ubsan_log_counted has "$T/all.out" "== $B/m_ubsan_log.sh (exit 0, 1 UBSan report(s))"
check ubsan_log_shown has "$T/all.out" "UBSan in a log: sample.c:1:2: runtime error: a sample report"
if [ "$SAN" = 1 ]; then
	check leak_program_report has "$T/all.out" "== $B/m_leak (exit 0, 1 sanitizer report file(s))"
	check leak_child_report has "$T/all.out" "== $B/m_child_leak.sh (exit 0, 1 sanitizer report file(s))"
	check leak_report_shown has "$T/all.out" "ERROR: LeakSanitizer: detected memory leaks"
	check leak_report_names_the_leak has "$T/all.out" "in leak_blocks tests/meta/m_leak.c"
	# The strict mode of toesd and the unit tests: held through a global
	# at exit is a leak too.
	check held_program_report has "$T/all.out" "== $B/m_held (exit 0, 1 sanitizer report file(s))"
	check held_report_names_it has "$T/all.out" "in test_holds tests/meta/m_held.c"
	check ubsan_program_counted has "$T/all.out" "== $B/m_ubsan (exit 134, stopped early: no DONE line, 1 UBSan report(s))"
	check ubsan_program_report_shown has "$T/all.out" "runtime error: signed integer overflow"
else
	check leak_program_passes_unsanitized has "$T/all.out" "PASS $B/m_leak: test_leaks"
	check held_program_passes_unsanitized has "$T/all.out" "PASS $B/m_held: test_holds"
	check leak_child_passes_unsanitized has "$T/all.out" "PASS $B/m_child_leak.sh: leaker_ran"
	check ubsan_program_passes_unsanitized has "$T/all.out" "PASS $B/m_ubsan: test_first"
fi

# A run of good tests only passes.
run_samples "$T/good.out" tests/meta/m_good.sh ""
check good_run_exit_0 [ "$RC" -eq 0 ]
check good_run_summary last_line_is "$T/good.out" "2 passed, 0 failed"

# On a failure, what run.sh printed, indented so that the runner running
# this script does not count its PASS, FAIL and DONE lines.
if [ "$failures" -gt 0 ]; then
	for f in all good; do
		echo "--- run.sh on the samples ($f):"
		sed 's/^/  | /' "$T/$f.out"
	done
fi
# They hold the samples' UBSan lines, which lib.sh would count as this
# script's own.
rm -f "$T/all.out" "$T/good.out"
done_testing
