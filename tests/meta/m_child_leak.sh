# Sample for t_runner.sh: a program the script runs leaks; in the ASan
# build its LeakSanitizer report file counts as one failure.
. tests/integration/lib.sh

check leaker_ran sh -c "'$BUILD/meta/m_leak' >/dev/null"
done_testing
