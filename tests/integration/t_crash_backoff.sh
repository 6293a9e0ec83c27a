# A crashing app is restarted with growing delays (the last one repeats),
# keeps its port, and shows restarts/attempt/next_restart_ms/last_exit in
# status; a stable run resets the attempt counter; an exit with code 0 is
# not restarted; a death by signal is logged as such and restarted.
. tests/integration/lib.sh

# The SEGV app must not dump core (slow, and litters); dash and busybox have -c.
# shellcheck disable=SC3045
ulimit -c 0 2>/dev/null || :

# snap NAME: one `status NAME --json` object into SNAP; jf KEY reads a value from it.
snap() {
	SNAP=$(ctl status "$1" --json 2>/dev/null)
	[ -n "$SNAP" ]
}
jf() { printf '%s\n' "$SNAP" | sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'; }
is_num() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
}
# A snapshot taken while a restart is scheduled.
stopped_snap() { snap "$1" && [ "$(jf state)" = stopped ] && is_num "$(jf next_restart_ms)"; }
running_snap() { snap "$1" && [ "$(jf state)" = running ]; }
syslines() { cat "$APPS/$1"/logs/*.log 2>/dev/null | sed -n 's/^\[[^]]*\] \[system\] //p'; }
ports_of() { syslines "$1" | sed -n 's/^Starting on port \([0-9]*\)\.\.\.$/\1/p'; }
one_port() { [ "$(ports_of "$1" | sort -u | wc -l)" -eq 1 ]; }
count_at_least() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }
# The delays and attempts of the first N "Scheduling restart" lines, ';'-joined.
sched_seq() {
	syslines "$1" | sed -n 's/^Scheduling restart in \(.*\)\.\.\.$/\1/p' | head -n "$2" | tr '\n' ';'
}
# The line just before the first "Scheduling restart" line.
before_first_sched() { syslines "$1" | grep -m1 -B1 '^Scheduling restart in ' | head -n 1; }
snap_has() { printf '%s\n' "$SNAP" | grep -q -- "$1"; }
restarts_above() { snap "$1" && [ "$(jf restarts)" -gt "$2" ]; }
json_has() { snap "$1" && printf '%s\n' "$SNAP" | grep -qF -- "$2"; }

# Something outside toesd holds the lowest port of the pool; freed later, it
# must not lure a restarting app away from its own port.
hexport=$(printf '%04X' "$PORT_BASE")
listening() { grep -q ":$hexport 00000000:0000 0A" /proc/net/tcp; }
(cd "$T" && PORT=$PORT_BASE exec "$FIXTURE" --listen) &
EXT=$!
check outside_listener_up wait_until 5 listening

app crash "$FIXTURE --print dying --exit-after 50 --code 3"
# exec: the signal must end the main process, not a shell that would report 128+N.
app sig "exec $FIXTURE --print doomed --exit-after 50 --kill-self SEGV"
# stable exits (code 4) when the test says so: after each run has been
# running for longer than the stable time.
app stable "$FIXTURE --listen --exit-on $T/stable.exit --code 4"
app clean "$FIXTURE --listen --exit-after 400 --code 0"
app clean0 "$FIXTURE --print bye --exit-after 50 --code 0"
start_toesd --stable-time 300ms

# --- the backoff sequence
check crash_reaches_attempt_5 wait_until 10 log_has crash "(attempt 5)..."
check crash_output log_has crash "[stdout] dying"
check crash_exit_line log_has crash "[system] Exited with code 3"
check crash_exit_before_schedule [ "$(before_first_sched crash)" = "Exited with code 3" ]
check crash_backoff_sequence [ "$(sched_seq crash 5)" = "0.1s (attempt 1);0.2s (attempt 2);0.4s (attempt 3);0.4s (attempt 4);0.4s (attempt 5);" ]
check crash_no_longer_delay sh -c "! cat '$APPS'/crash/logs/*.log | grep -q 'Scheduling restart in 0.8s'"
check crash_restarting_lines count_at_least crash "[system] Restarting..." 4
check crash_not_invalid sh -c "! cat '$APPS'/crash/logs/*.log | grep -qF '[system] /ok returned'"

# --- status while a restart is scheduled
if wait_until 5 stopped_snap crash; then
	pass crash_json_stopped_with_next_restart
	a1=$(jf attempt) r1=$(jf restarts) nr=$(jf next_restart_ms)
	check crash_json_next_restart_within_delay [ "$nr" -le 400 ]
	check crash_json_attempt_positive [ "$a1" -ge 1 ]
	check crash_json_attempt_matches_log log_has crash "(attempt $a1)..."
	check crash_json_restarts_is_attempt_minus_1 [ "$r1" -eq $((a1 - 1)) ]
	check crash_json_pid_null [ "$(jf pid)" = null ]
	check crash_json_port_null [ "$(jf port)" = null ]
	check crash_json_last_exit_code snap_has '"last_exit":{"code":3,"at":"[0-9T:.Z-]*"}'
	check crash_json_restarts_grows wait_until 5 restarts_above crash "$r1"
else
	fail crash_json_stopped_with_next_restart "no stopped snapshot with a number: $SNAP"
fi

# --- death by signal
check sig_killed_line wait_until 5 log_has sig "[system] Killed by signal 11"
check sig_killed_before_schedule wait_until 5 sh -c "cat '$APPS'/sig/logs/*.log | grep -q 'Scheduling restart in 0.1s (attempt 1)'"
check sig_killed_line_first [ "$(before_first_sched sig)" = "Killed by signal 11" ]
check sig_restarted wait_until 5 count_at_least sig "[system] Starting on port" 2
check sig_no_exit_code_line sh -c "! cat '$APPS'/sig/logs/*.log | grep -q 'Exited with code'"
check sig_json_last_exit_signal wait_until 5 json_has sig '"last_exit":{"signal":11,"at":"'

# --- the port is sticky across restarts
first=$(ports_of crash | head -n 1)
check sticky_precondition_outside_port_skipped [ "${first:-0}" -ne "$PORT_BASE" ]
check outside_port_skip_logged sh -c "cat '$APPS'/*/logs/*.log | grep -qF 'Port $PORT_BASE is in use by another process, skipped'"
kill -TERM "$EXT"
wait "$EXT" 2>/dev/null
check outside_listener_gone wait_until 5 sh -c "! grep -q ':$hexport 00000000:0000 0A' /proc/net/tcp"
n=$(log_count crash "[system] Starting on port")
check crash_restarts_after_port_freed wait_until 5 count_at_least crash "[system] Starting on port" $((n + 2))
n=$(log_count sig "[system] Starting on port")
check sig_restarts_after_port_freed wait_until 5 count_at_least sig "[system] Starting on port" $((n + 2))
check crash_same_port_every_start one_port crash
check sig_same_port_every_start one_port sig
check crash_never_lowest_port sh -c "! cat '$APPS'/crash/logs/*.log | grep -qF 'Starting on port $PORT_BASE...'"

# --- a stable run resets the attempt counter
check stable_running_http wait_until 5 running_snap stable
check stable_json_http_true [ "$(jf http)" = true ]
check stable_json_no_next_restart_while_running [ "$(jf next_restart_ms)" = null ]
for run in 1 2 3; do
	check "stable_run_${run}_running" wait_until 5 running_snap stable
	sleep 0.6 # twice the stable time (300 ms): this run is a stable one
	: >"$T/stable.exit"
	check "stable_run_${run}_exit_scheduled" wait_until 5 count_at_least stable "(attempt 1)..." "$run"
done
check stable_three_crashes count_at_least stable "(attempt 1)..." 3
check stable_exit_line log_has stable "[system] Exited with code 4"
check stable_never_attempt_2 sh -c "! cat '$APPS'/stable/logs/*.log | grep -q '(attempt 2)'"
check stable_same_port_every_start one_port stable
check stable_json_last_exit_code wait_until 5 json_has stable '"last_exit":{"code":4,'

# --- exit code 0 by itself: not restarted (long after the longest delay by now)
check clean_stopped_line log_has clean "[system] Stopped"
check clean_was_running log_has clean "[system] Starting on port"
check clean_state_stopped state_is clean stopped
check clean_started_once [ "$(log_count clean "[system] Starting on port")" -eq 1 ]
check clean_no_schedule sh -c "! cat '$APPS'/clean/logs/*.log | grep -q 'Scheduling restart'"
check clean_no_restarting sh -c "! cat '$APPS'/clean/logs/*.log | grep -q 'Restarting...'"
check clean_no_exit_code_line sh -c "! cat '$APPS'/clean/logs/*.log | grep -q 'Exited with code'"
check clean_json_last_exit_code_0 json_has clean '"last_exit":{"code":0,'
check clean_json_no_next_restart [ "$(field clean next_restart_ms)" = null ]
check clean_json_restarts_0 [ "$(field clean restarts)" = 0 ]
check clean0_stopped_line log_has clean0 "[system] Stopped"
check clean0_state_stopped state_is clean0 stopped
check clean0_started_once [ "$(log_count clean0 "[system] Starting on port")" -eq 1 ]
check clean0_no_schedule sh -c "! cat '$APPS'/clean0/logs/*.log | grep -q 'Scheduling restart'"
done_testing
