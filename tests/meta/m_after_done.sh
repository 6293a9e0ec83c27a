# Sample for t_runner.sh: a check after done_testing fails (lib.sh), so
# the end marker is the end.
. tests/integration/lib.sh

check first true
done_testing
check second true
