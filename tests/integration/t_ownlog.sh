# Nothing toesd writes or waits for can freeze it (SPEC §6, §12): its own
# log on a pipe nobody reads (apps crash-loop with zero delay meanwhile)
# never blocks the master, and the lines it had to drop are reported once
# the pipe is read again; toesctl gives up with a clear message when toesd
# does not answer within --timeout.
. tests/integration/lib.sh

starts() { log_count "$1" "Starting on port"; }
more_starts() { [ "$(starts crash)" -gt "$1" ]; }
# system_bytes_over N: the app's [system] lines, each of which toesd's
# own log also got, add up to more than N bytes.
system_bytes_over() {
	[ "$(cat "$APPS/crash"/logs/*.log 2>/dev/null | grep -F '] [system] ' | wc -c)" -gt "$1" ]
}

app crash "$FIXTURE --exit-after 0"
app web "$FIXTURE --listen"
mkfifo "$T/err.fifo"
# Held open for reading and writing by the test, read by nobody (yet).
exec 3<>"$T/err.fifo"
"$TOESD" --data-dir "$T" --ports "$PORT_BASE-$((PORT_BASE + 19))" $FAST \
	--restart-delays 0 >"$T/toesd.log" 2>"$T/err.fifo" &
TOESD_PID=$!
check started wait_until 5 test -S "$T/toes/toesd.sock"
check web_running wait_until 5 state_is web running

# The pipe (64 KiB) and toesd's queue (64 KiB) fill: toesd goes on. Once
# its log took twice that, lines were surely dropped.
check crash_loop_goes_on wait_until 60 system_bytes_over 262144
n=$(starts crash)
check toesctl_answers_while_stalled sh -c "$TOESCTL --toes-dir $T/toes status >/dev/null"
check restarts_go_on_while_stalled wait_until 10 more_starts "$((n + 200))"
check web_still_running state_is web running
check toesd_alive alive "$TOESD_PID"

# Read the pipe again: the queued lines, then the count of lost ones.
cat <&3 >"$T/err.out" &
reader=$!
check lost_lines_reported wait_until 10 grep -qE "^\[[^]]*\] \[toesd\] [0-9]+ lines of toesd's log lost$" "$T/err.out"
check lines_flow_again wait_until 10 grep -qF "[crash] Starting on port" "$T/err.out"
ctl stop crash >/dev/null 2>&1
stop_toesd
check clean_exit [ "$TOESD_RC" -eq 0 ]
kill "$reader" 2>/dev/null
exec 3>&-

# toesctl --timeout: toesd is stopped (SIGSTOP) and cannot answer.
rm -rf "${APPS:?}"/*
start_toesd
kill -STOP "$TOESD_PID"
ctl --timeout 300ms status >"$T/to.out" 2>"$T/to.err"
rc=$?
kill -CONT "$TOESD_PID"
check timeout_exit_1 [ "$rc" -eq 1 ]
check timeout_message grep -qF "toesctl: toesd did not answer within 300ms" "$T/to.err"
check timeout_one_line [ "$(wc -l <"$T/to.err")" -eq 1 ]
check timeout_no_stdout [ ! -s "$T/to.out" ]
check answers_after_cont sh -c "$TOESCTL --toes-dir $T/toes status >/dev/null"
ctl --timeout xyz status >/dev/null 2>"$T/to.err"
check bad_timeout_exit_2 [ $? -eq 2 ]
check bad_timeout_message grep -qF -- "--timeout" "$T/to.err"
stop_toesd

# A socket slow to take connections (its backlog full): toesctl keeps
# trying until --timeout, where a bare connect would fail at once.
mkdir -p "$T/lazy"
"$BUILD/fixtures/lazysock" "$T/lazy/toesd.sock" "$T/lazy/gate" 3 &
lazy=$!
check lazy_listening wait_until 5 test -S "$T/lazy/toesd.sock"
for k in 1 2 3; do
	"$TOESCTL" --run-dir "$T/lazy" --timeout 20s status >"$T/lazy/out$k" 2>&1 &
	eval "c$k=\$!"
done
sleep 0.5 # the clients meet the full queue; a client that gives up does so now
: >"$T/lazy/gate"
for k in 1 2 3; do
	eval "wait \$c$k"
	check "queued_client_${k}_answered" [ $? -eq 0 ] && [ "$(cat "$T/lazy/out$k")" = ok ]
done
wait "$lazy"
done_testing
