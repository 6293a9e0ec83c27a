# An HTTP app reaches running with http true; a worker reaches running
# only after the survival time, with http false.
. tests/integration/lib.sh

app web "$FIXTURE --listen"
app worker "$FIXTURE --print working"
# Nothing the worker does can hold it in starting: the survival time does,
# so it is long next to the time the first check takes to come.
start_toesd --survival 3s

check worker_starting_before_survival state_is worker starting
check web_running wait_until 5 state_is web running
check web_http [ "$(field web http)" = true ]
check web_port [ "$(field web port)" -ge "$PORT_BASE" ]
check worker_running wait_until 10 state_is worker running
check worker_not_http [ "$(field worker http)" = false ]
check worker_survival_line log_has worker "No /ok endpoint, marking as running (process survived 3s)"
check worker_output log_has worker "[stdout] working"
check web_starting_line log_has web "[system] Starting on port "
check status_table sh -c "'$TOESCTL' --toes-dir '$T/toes' status | grep -q '^.* web  *running'"
check status_json_array sh -c "'$TOESCTL' --toes-dir '$T/toes' status --json | grep -q '^\[{\"name\":\"web\"'"
check status_unknown_app_fails sh -c "! '$TOESCTL' --toes-dir '$T/toes' status nosuch 2>/dev/null"
done_testing
