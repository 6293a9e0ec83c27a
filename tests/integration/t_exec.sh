# A start command that cannot run (not found: exit 127, not executable:
# exit 126) is reported as such, not as a crash, and retried with the
# backoff; --runner runs its own command instead of scripts.toes.
. tests/integration/lib.sh

lacks() { ! log_has "$1" "$2"; }
count_at_least() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }
# A restart is scheduled: state stopped, with the error shown.
stopped_with_error() { state_is "$1" stopped && [ "$(field "$1" error)" = "$2" ]; }

NF="Cannot run start command: exit 127 (command not found)"
NX="Cannot run start command: exit 126 (not executable)"

app nf "/nonexistent/prog"
app nx "./prog.sh"
printf '#!/bin/sh\necho should-not-run\n' >"$APPS/nx/v1/prog.sh"
chmod 644 "$APPS/nx/v1/prog.sh"
# 127 after running is an ordinary exit code, not "cannot run"; late exits
# when the test says so, once it is running.
app late "$FIXTURE --listen --exit-on $T/late.exit --code 127"
# A long survival: a shell slow to fail on a loaded box is still "starting".
start_toesd --survival 3s

# --- not found
check nf_line wait_until 5 log_has nf "[system] $NF"
check nf_retried wait_until 5 log_has nf "[system] Scheduling restart in 0.2s (attempt 2)..."
check nf_first_schedule log_has nf "[system] Scheduling restart in 0.1s (attempt 1)..."
check nf_restarting log_has nf "[system] Restarting..."
check nf_line_each_run count_at_least nf "[system] $NF" 2
check nf_no_exit_code_line lacks nf "Exited with code"
check nf_no_died_during_startup lacks nf "Process died during startup"
check nf_error wait_until 5 stopped_with_error nf "$NF"
check nf_json_last_exit_code_127 sh -c "'$TOESCTL' --toes-dir '$T/toes' status nf --json | grep -q '\"last_exit\":{\"code\":127,'"

# --- not executable
check nx_line wait_until 5 log_has nx "[system] $NX"
check nx_retried wait_until 5 log_has nx "[system] Scheduling restart in 0.2s (attempt 2)..."
check nx_no_exit_code_line lacks nx "Exited with code"
check nx_no_died_during_startup lacks nx "Process died during startup"
check nx_did_not_run lacks nx "should-not-run"
check nx_error wait_until 5 stopped_with_error nx "$NX"

# --- an app that ran, then exited with 127, crashed
check late_running wait_until 5 state_is late running
: >"$T/late.exit"
check late_exit_line wait_until 5 log_has late "[system] Exited with code 127"
check late_not_died_during_startup lacks late "Process died during startup"
check late_not_cannot_run lacks late "Cannot run start command"
check late_restart_scheduled wait_until 5 log_has late "[system] Scheduling restart in 0.1s (attempt 1)..."

# --- it starts once the program appears (a deploy, an install)
cp "$FIXTURE" "$APPS/nx/v1/real-prog"
printf '#!/bin/sh\nexec ./real-prog --listen --print now-runs\n' >"$APPS/nx/v1/prog.sh"
chmod 755 "$APPS/nx/v1/prog.sh"
check nx_runs_once_executable wait_until 5 log_has nx "[stdout] now-runs"
check nx_running wait_until 5 state_is nx running
check nx_running_http [ "$(field nx http)" = true ]
check nx_error_cleared [ "$(field nx error)" = null ]
stop_toesd

# --- --runner: its command runs instead of scripts.toes
app viarunner "$FIXTURE --print from-script"
start_toesd --runner "$FIXTURE --print from-runner"
check runner_output wait_until 5 log_has viarunner "[stdout] from-runner"
check runner_not_script lacks viarunner "from-script"
check runner_running wait_until 5 state_is viarunner running
check runner_for_every_app wait_until 5 log_has nf "[stdout] from-runner"
check runner_nf_running wait_until 5 state_is nf running
done_testing
