# Sample for t_runner.sh: set -u (lib.sh) aborts the shell on an unset
# variable; lib.sh's EXIT trap then exits 0, as no check had failed.
. tests/integration/lib.sh

check first true
check second [ -n "$NO_SUCH_VARIABLE_HERE" ]
check third true
done_testing
