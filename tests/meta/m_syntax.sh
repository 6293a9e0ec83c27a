# Sample for t_runner.sh: a syntax error half-way. The shell runs the
# commands before it, then stops; lib.sh's EXIT trap exits 0.
. tests/integration/lib.sh

check first true
check second true )
check third true
done_testing
