# Sample for t_runner.sh (not a real test: run.sh picks up only
# tests/integration/t_*.sh): a script that runs to its end and passes.
# The samples start no toesd and open no port.
. tests/integration/lib.sh

check first true
check second [ 1 -eq 1 ]
done_testing
