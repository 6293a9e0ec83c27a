# Edges: the socket's mode, bad option values, start while stopping, the
# exit code after a SIGKILL that came before the shutdown, a crash loop with
# no delay that still leaves room for requests and signals.
. tests/integration/lib.sh

# Bad values: one line on standard error, exit 2, nothing started.
for bad in "--startup-poll 0" "--health-interval 0" "--stop-timeout 99999999999m" "--runner=" "--restart-delays 1,,2" "--ports 5-3"; do
	# shellcheck disable=SC2086
	"$TOESD" --data-dir "$T/never" $bad >"$T/bad.out" 2>&1
	rc=$?
	name=bad_value_$(echo "$bad" | tr -c 'a-z0-9' _)
	check "$name" [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/bad.out")" -eq 1 ]
done
check bad_values_start_nothing test ! -e "$T/never"

app stub "$FIXTURE --ignore-term --listen"
app loop "$FIXTURE --exit-after 0"
# The stop timeout is how long stub stays stopping: long enough to see that
# state and send the start inside it on a loaded box.
start_toesd --restart-delays 0 --stop-timeout 2s

check socket_mode_0600 [ "$(stat -c %a "$T/toes/toesd.sock")" = 600 ]
check pidfile_holds_pid [ "$(cat "$T/toes/toesd.pid")" = "$TOESD_PID" ]
check stub_running wait_until 5 state_is stub running

# A crash loop with no delay: toesd still answers, quickly.
check loop_restarting wait_until 5 sh -c "[ \$(grep -c 'Restarting' '$T/toesd.log') -ge 20 ]"
check status_answers_during_crash_loop sh -c "'$TOESCTL' --toes-dir '$T/toes' status loop --json >/dev/null"

# start while it is stopping (it ignores SIGTERM): it comes back up.
ctl stop stub >"$T/stop.out" 2>&1 &
STOPPER=$!
check stub_stopping wait_until 5 state_is stub stopping
check start_while_stopping sh -c "'$TOESCTL' --toes-dir '$T/toes' start stub >/dev/null"
check stub_back_up wait_until 5 state_is stub running
check stub_sigkilled log_has stub "Shutdown timeout, sending SIGKILL..."
check stub_not_manual_stopped [ "$(log_count stub "Starting on port")" -eq 2 ]
wait "$STOPPER"
check stop_answered_once_gone grep -qx "stopped stub" "$T/stop.out"

# The SIGKILL above came before the shutdown: it does not make the exit 1.
ctl stop loop >/dev/null
ctl stop stub >/dev/null
check all_stopped wait_until 5 sh -c "! '$TOESCTL' --toes-dir '$T/toes' status --json | grep -q '\"pid\":[0-9]'"
stop_toesd
check exit_zero_after_earlier_sigkill [ "$TOESD_RC" -eq 0 ]
check pidfile_kept_empty [ -f "$T/toes/toesd.pid" ] && [ ! -s "$T/toes/toesd.pid" ]
check socket_removed test ! -e "$T/toes/toesd.sock"
done_testing
