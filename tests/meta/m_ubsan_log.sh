# Sample for t_runner.sh: a UBSan report in a log file under $T (where
# toesd's log and the apps' logs are): lib.sh shows it as the script ends,
# and run.sh counts it as a failure although every check passed.
. tests/integration/lib.sh

echo 'sample.c:1:2: runtime error: a sample report' >"$T/sample.log"
check first true
done_testing
