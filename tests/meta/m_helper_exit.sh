# Sample for t_runner.sh: a helper that exits the shell instead of
# returning (exit where return was meant), with status 0.
. tests/integration/lib.sh

give_up_quietly() { exit 0; }
check first true
give_up_quietly
check second true
done_testing
