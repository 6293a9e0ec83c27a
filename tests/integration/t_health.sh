# Startup probe answers (error status → invalid, 3xx → up, garbage → keep
# trying, IPv6-only listener found) and health checks while running
# (three failures restart the app, a good answer resets the count, a hang
# counts as a failure).
. tests/integration/lib.sh

# setst NAME ANSWER...: what the app's /ok answers from its next request on;
# several answers are used one per request, and the last one stays.
setst() {
	printf '%s\n' "$2" >"$T/$1.st.new"
	mv "$T/$1.st.new" "$T/$1.st"
}
# sysseq NAME PATTERN: the app's [system] lines matching PATTERN, ';'-joined.
sysseq() {
	cat "$APPS/$1"/logs/*.log 2>/dev/null | sed -n 's/^\[[^]]*\] \[system\] //p' |
		grep -- "$2" | tr '\n' ';'
}
quiet() { "$@" >/dev/null; }
lacks() { ! log_has "$1" "$2"; }
count_is() { [ "$(log_count "$1" "$2")" -eq "$3" ]; }
count_at_least() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }
# stamp_ms NAME TEXT: the first log line holding TEXT, in ms of its UTC day.
stamp_ms() {
	cat "$APPS/$1"/logs/*.log 2>/dev/null | grep -m1 -F -- "$2" |
		sed -n 's/^\[[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9]*\)\.\([0-9]*\)Z\].*/\1 \2 \3 \4/p' |
		awk '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }'
}
# survival_gap NAME: ms from "Starting on port" (logged before the spawn)
# to "No /ok endpoint"; a deadline counted from the spawn can never come
# sooner than the survival time, whatever the load.
survival_gap() {
	s=$(stamp_ms "$1" "[system] Starting on port")
	v=$(stamp_ms "$1" "[system] No /ok endpoint")
	[ -n "$s" ] && [ -n "$v" ] || return 1
	d=$((v - s))
	[ "$d" -ge 0 ] || d=$((d + 86400000))
	echo "$d"
}
running_http() { state_is "$1" running && [ "$(field "$1" http)" = true ]; }

setst bad 500
setst flaky 200
setst reset 200
setst hang 200
setst redir 302
setst garb garbage
app bad "$FIXTURE --listen --status-file $T/bad.st"
# flaky listens only while its gate is there: the test takes it away before
# the health restart, so that the new run answers no probe before /ok is
# mended.
: >"$T/flaky.gate"
app flaky "$FIXTURE --gate-listen $T/flaky.gate --status-file $T/flaky.st"
app reset "$FIXTURE --listen --status-file $T/reset.st"
app hang "$FIXTURE --listen --status-file $T/hang.st"
app redir "$FIXTURE --listen --status-file $T/redir.st"
app garb "$FIXTURE --listen --status-file $T/garb.st"
app v6 "$FIXTURE --v6only"
for w in w1 w2 w3 w4 w5; do
	app $w "$FIXTURE --print $w"
done
# survival is how long garb (garbage answers) stays starting: long enough
# that the checks of that state, a few seconds into the run on a loaded
# box, land well inside it. An HTTP app is probed long before it.
start_toesd --survival 8s --health-interval 400ms

# --- an error status at startup: invalid, never restarted
check bad_invalid wait_until 5 state_is bad invalid
check bad_line log_has bad "[system] /ok returned 500"
check bad_error [ "$(field bad error)" = "Health check failed: /ok returned 500" ]
check bad_no_pid [ "$(field bad pid)" = null ]

# --- garbage at startup is no answer: keep trying (checked well before survival)
check garb_still_starting state_is garb starting
check garb_not_rejected lacks garb "[system] /ok returned"

# --- 3xx at startup counts as up; an IPv6-only listener is found
check redir_running_http wait_until 5 running_http redir
check redir_no_error [ "$(field redir error)" = null ]
check v6_running_http wait_until 5 running_http v6

# --- a good answer resets the failure count
# The answers are queued, one per health check, so that no switch has to
# land between two checks: a failure, a good answer, a failure, then good
# answers only.
check reset_running_http wait_until 5 running_http reset
setst reset "500 200 500 200"
check reset_first_failure wait_until 5 log_has reset "[system] Health check failed (1/3)"
# many garbage answers later, still before survival
check garb_still_starting_later state_is garb starting
check reset_second_failure_is_1 wait_until 5 count_is reset "Health check failed (1/3)" 2
check reset_queue_used_up wait_until 5 grep -qx 200 "$T/reset.st"
check reset_never_2 lacks reset "Health check failed (2/3)"
check reset_never_3 lacks reset "Health check failed (3/3)"
check reset_never_restarted count_is reset "[system] Starting on port" 1
check reset_still_running_http running_http reset

# --- three failed checks restart the app; running again once /ok is mended
check flaky_running_http wait_until 5 running_http flaky
rm -f "$T/flaky.gate"
setst flaky 500
if wait_until 5 log_has flaky "Too many health check failures, restarting..."; then
	pass flaky_too_many_line
else
	fail flaky_too_many_line "no 'Too many health check failures' line"
fi
setst flaky 200
: >"$T/flaky.gate"
check flaky_failure_sequence [ "$(sysseq flaky 'Health check failed\|Too many')" = \
	"Health check failed (1/3): /ok returned 500;Health check failed (2/3): /ok returned 500;Health check failed (3/3): /ok returned 500;Too many health check failures, restarting...;" ]
check flaky_restart_scheduled wait_until 5 log_has flaky "[system] Scheduling restart in 0.1s (attempt 1)..."
check flaky_restarting wait_until 5 log_has flaky "[system] Restarting..."
check flaky_started_twice wait_until 5 count_is flaky "[system] Starting on port" 2
check flaky_running_again wait_until 5 running_http flaky
check flaky_not_invalid lacks flaky "[system] /ok returned"

# --- bad stays invalid: one start only, long after any restart delay
check bad_still_invalid state_is bad invalid
check bad_started_once count_is bad "[system] Starting on port" 1
check bad_no_restart_scheduled lacks bad "Scheduling restart"
check bad_no_restarting lacks bad "Restarting..."
check bad_json_no_next_restart [ "$(field bad next_restart_ms)" = null ]
# ... until toesctl start retries it
setst bad 200
check bad_start_request quiet ctl start bad
check bad_running_after_start wait_until 5 running_http bad
check bad_started_twice count_is bad "[system] Starting on port" 2
check bad_error_cleared [ "$(field bad error)" = null ]

# --- a hang (no answer within --health-timeout) is a failure too
check hang_running_http wait_until 5 running_http hang
setst hang hang
check hang_failure_1 wait_until 5 log_has hang "[system] Health check failed (1/3)"
check hang_too_many wait_until 5 log_has hang "Too many health check failures, restarting..."
setst hang 200
check hang_restarted wait_until 5 count_at_least hang "[system] Starting on port" 2
check hang_running_again wait_until 5 running_http hang

# --- garbage: the survival deadline marks it running, not HTTP
check garb_survival_line wait_until 15 log_has garb "[system] No /ok endpoint, marking as running (process survived 8s)"
check garb_running state_is garb running
check garb_not_http [ "$(field garb http)" = false ]
# SPEC §5: survival is a deadline "after the spawn", for every app however
# many start together.
for w in garb w1 w2 w3 w4 w5; do
	check ${w}_survival_line wait_until 15 log_has $w "[system] No /ok endpoint, marking as running (process survived 8s)"
	gap=$(survival_gap $w)
	if [ "${gap:-0}" -ge 8000 ]; then
		pass ${w}_survival_counted_from_its_spawn
	else
		fail ${w}_survival_counted_from_its_spawn "marked running ${gap:-?} ms after 'Starting on port', survival is 8000 ms"
	fi
done

# --- garbage, long after survival: no health checks on a non-HTTP app
sleep 1.2 # three health intervals: a check would show
check garb_no_health_checks lacks garb "Health check failed"
check garb_started_once count_is garb "[system] Starting on port" 1
check garb_still_running state_is garb running
done_testing
