# Sample for t_runner.sh: one check passes, one fails, and the script runs
# to its end: one failure, not two.
. tests/integration/lib.sh

check first true
check second false
done_testing
