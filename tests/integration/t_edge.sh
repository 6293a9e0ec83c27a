# Edges: the socket's mode, bad option values, start while stopping, the
# exit code after a SIGKILL that came before the shutdown, a crash loop with
# no delay that still leaves room for requests and signals.
. tests/integration/lib.sh

RAWSOCK=$BUILD/fixtures/rawsock

# Bad values: one line on standard error, exit 2, nothing started.
for bad in "--startup-poll 0" "--health-interval 0" "--stop-timeout 99999999999m" "--runner=" "--restart-delays 1,,2" "--ports 5-3"; do
	# shellcheck disable=SC2086
	"$TOESD" --data-dir "$T/never" $bad >"$T/bad.out" 2>&1
	rc=$?
	name=bad_value_$(echo "$bad" | tr -c 'a-z0-9' _)
	check "$name" [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/bad.out")" -eq 1 ]
done
check bad_values_start_nothing test ! -e "$T/never"

# stub waits for its gate after SIGTERM: it stays stopping for as long as
# the checks take (the 30 s stop timeout is never reached).
app stub "$FIXTURE --listen --gate-exit $T/stub.gate"
app loop "$FIXTURE --exit-after 0"
start_toesd --restart-delays 0 --stop-timeout 30s

check socket_mode_0600 [ "$(stat -c %a "$T/toes/toesd.sock")" = 600 ]
check pidfile_holds_pid [ "$(cat "$T/toes/toesd.pid")" = "$TOESD_PID" ]
check stub_running wait_until 5 state_is stub running

# A crash loop with no delay: toesd still answers, quickly.
check loop_restarting wait_until 5 sh -c "[ \$(grep -c 'Restarting' '$T/toesd.log') -ge 20 ]"
check status_answers_during_crash_loop sh -c "'$TOESCTL' --toes-dir '$T/toes' status loop --json >/dev/null"

# start while it is stopping: it comes back up once the old process is gone.
ctl stop stub >"$T/stop.out" 2>&1 &
STOPPER=$!
check stub_stopping wait_until 5 state_is stub stopping
# The start goes raw, so that the test knows when it is in toesd's socket;
# toesd then reads it before it answers the status request after it.
"$RAWSOCK" "$T/toes/toesd.sock" 'text:start\tstub\n' "$T/start.sent" >"$T/start.out" 2>&1 &
STARTER=$!
check start_request_sent wait_until 5 test -e "$T/start.sent"
check stub_stopping_at_start state_is stub stopping
: >"$T/stub.gate"
wait "$STARTER"
check start_while_stopping [ "$(head -n 1 "$T/start.out")" = 0 ]
check stub_back_up wait_until 5 state_is stub running
check stub_not_manual_stopped [ "$(log_count stub "Starting on port")" -eq 2 ]
wait "$STOPPER"
check stop_answered_once_gone grep -qx "stopped stub" "$T/stop.out"
ctl stop loop >/dev/null
stop_toesd
check gated_shutdown_exit_0 [ "$TOESD_RC" -eq 0 ]

# A SIGKILL that came before the shutdown (deaf ignores SIGTERM; toesctl
# stop answers after the SIGKILL at the stop timeout) does not make the
# exit 1.
rm -rf "${APPS:?}"/*
app deaf "$FIXTURE --ignore-term --listen"
start_toesd --stop-timeout 500ms
check deaf_running wait_until 5 state_is deaf running
check deaf_stop sh -c "'$TOESCTL' --toes-dir '$T/toes' stop deaf >/dev/null"
check deaf_sigkilled log_has deaf "Shutdown timeout, sending SIGKILL..."
check all_stopped wait_until 5 sh -c "! '$TOESCTL' --toes-dir '$T/toes' status --json | grep -q '\"pid\":[0-9]'"
stop_toesd
check exit_zero_after_earlier_sigkill [ "$TOESD_RC" -eq 0 ]
check pidfile_kept_empty [ -f "$T/toes/toesd.pid" ] && [ ! -s "$T/toes/toesd.pid" ]
check socket_removed test ! -e "$T/toes/toesd.sock"
done_testing
