# Requests (SPEC §8): start, stop and restart with their answers and the
# states that follow; requests that change nothing; unknown apps; toesctl
# without toesd; malformed and oversized requests sent raw (rawsock); a
# connection that sends nothing is closed after the request timeout.
. tests/integration/lib.sh

RAWSOCK=$BUILD/fixtures/rawsock
SOCK=$T/toes/toesd.sock

lines_of() { printf '%s\n' "$1" | grep -c .; }
is_pid() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac }
answers() { ctl status >/dev/null 2>&1; }
# says TEXT PATTERN: TEXT holds a line matching PATTERN.
says() { printf '%s\n' "$1" | grep -q -- "$2"; }
# restart_due_after NAME MS: stopped, with a restart due in more than MS.
restart_due_after() {
	state_is "$1" stopped || return 1
	rd_ms=$(field "$1" next_restart_ms)
	case "$rd_ms" in '' | *[!0-9]*) return 1 ;; esac
	[ "$rd_ms" -gt "$2" ]
}

# --- toesctl alone ------------------------------------------------------

out=$("$TOESCTL" --help 2>/dev/null)
check help_exit_0 [ $? -eq 0 ]
check help_usage says "$out" "usage"
out=$("$TOESCTL" status --help 2>/dev/null)
check status_help_exit_0 [ $? -eq 0 ]
check status_help_text says "$out" "toesctl status"

ctl status >"$T/no.out" 2>"$T/no.err"
check no_toesd_exit_1 [ $? -eq 1 ]
check no_toesd_message grep -q "toesd" "$T/no.err"
check no_toesd_one_line [ "$(wc -l <"$T/no.err")" -eq 1 ]
check no_toesd_no_stdout [ ! -s "$T/no.out" ]

# --- start, stop, restart ----------------------------------------------

app web "$FIXTURE --listen"
app crash "$FIXTURE --exit-after 100 --code 1"
start_toesd --restart-delays 2s

# A connection that sends nothing, open while everything below happens.
"$RAWSOCK" "$SOCK" silent >"$T/silent.out" 2>&1 &
silent_pid=$!

check web_running wait_until 5 state_is web running
pid1=$(field web pid)

out=$(ctl start web 2>&1)
check start_running_exit_0 [ $? -eq 0 ]
check start_running_one_line [ "$(lines_of "$out")" -eq 1 ]
check start_running_says_so says "$out" "running"
check start_running_same_pid [ "$(field web pid)" = "$pid1" ]

out=$(ctl stop web 2>&1)
check stop_exit_0 [ $? -eq 0 ]
check stop_answer [ "$out" = "stopped web" ]
check stop_process_gone_at_answer sh -c "! kill -0 $pid1 2>/dev/null"
check stop_pid_null [ "$(field web pid)" = null ]
check stop_port_null [ "$(field web port)" = null ]
check stop_state_stopped state_is web stopped
check stop_logged log_has web "Stopping..."

out=$(ctl stop web 2>&1)
check stop_stopped_exit_0 [ $? -eq 0 ]
check stop_stopped_one_line [ "$(lines_of "$out")" -eq 1 ]
check stop_stopped_says_so says "$out" "stopped"

# crash dies 0.1 s after each start; its restart is due 2 s later. The stop
# goes out while more than 1 s of the delay is left, and must land inside it.
check crash_restart_scheduled wait_until 5 restart_due_after crash 1000
restarts0=$(log_count crash "Restarting...")
out=$(ctl stop crash 2>&1)
check stop_scheduled_exit_0 [ $? -eq 0 ]
check stop_scheduled_answer says "$out" crash
check stop_scheduled_state state_is crash stopped
check stop_scheduled_no_restart_due [ "$(field crash next_restart_ms)" = null ]
restarts=$(log_count crash "Restarting...")
starts=$(log_count crash "Starting on port")
check stop_scheduled_landed_in_delay [ "$restarts" -eq "$restarts0" ]

sleep 3 # 1 s past the 2 s restart delay: no restart may follow either stop
check stop_no_restart_web state_is web stopped
check stop_no_restart_web_started_once [ "$(log_count web "Starting on port")" -eq 1 ]
check stop_no_restart_web_pid_null [ "$(field web pid)" = null ]
check stop_scheduled_stays_stopped state_is crash stopped
check stop_scheduled_no_restarting [ "$(log_count crash "Restarting...")" -eq "$restarts" ]
check stop_scheduled_no_start [ "$(log_count crash "Starting on port")" -eq "$starts" ]

out=$(ctl start web 2>&1)
check start_exit_0 [ $? -eq 0 ]
pid2=$(field web pid)
check start_pid_set is_pid "$pid2"
check start_answer_names_pid says "$out" "pid $pid2"
check start_new_process [ "$pid2" != "$pid1" ]
check start_running wait_until 5 state_is web running

out=$(ctl restart web 2>&1)
check restart_exit_0 [ $? -eq 0 ]
pid3=$(field web pid)
check restart_pid_set is_pid "$pid3"
check restart_new_pid [ "$pid3" != "$pid2" ]
check restart_answer_names_pid says "$out" "pid $pid3"
check restart_old_process_gone sh -c "! kill -0 $pid2 2>/dev/null"
check restart_running wait_until 5 state_is web running

for verb in start stop restart; do
	ctl "$verb" nosuch >"$T/u.out" 2>"$T/u.err"
	check "${verb}_unknown_fails" [ $? -ne 0 ]
	check "${verb}_unknown_message" grep -q nosuch "$T/u.err"
done

# --- raw requests: every one gets an error answer, toesd lives on --------

# raw_error LABEL MODE: rawsock gets an answer whose first line is a non-zero
# exit code, then one line of text; toesd still answers status after it.
raw_error() {
	"$RAWSOCK" "$SOCK" "$2" >"$T/raw.out" 2>"$T/raw.err"
	check "raw_$1_closed" [ $? -eq 0 ]
	code=$(head -n 1 "$T/raw.out")
	check "raw_$1_error_code" is_pid "$code"
	check "raw_$1_error_text" [ -n "$(sed -n 2p "$T/raw.out")" ]
	check "raw_$1_toesd_alive" alive "$TOESD_PID"
	check "raw_$1_status_after" answers
}
raw_error long long
raw_error nul nul
raw_error empty empty
raw_error words words
raw_error unknown 'text:bogus\tweb\n'
raw_error no_name 'text:stop\n'
raw_error extra_word 'text:start\tweb\tmore\n'
raw_error unknown_app 'text:stop\tnosuch\n'
# A NUL before the newline: malformed, not cut short to "st".
"$RAWSOCK" "$SOCK" nul >"$T/raw.out" 2>&1
check raw_nul_malformed [ "$(sed -n 2p "$T/raw.out")" = "malformed request: NUL byte" ]
# Half a request, then the client's side shut: still one answer.
"$RAWSOCK" "$SOCK" 'half:status' >"$T/raw.out" 2>&1
check raw_half_closed [ $? -eq 0 ]
check raw_half_answered [ "$(sed -n 2p "$T/raw.out")" = "incomplete request: no newline before the end" ]
check raw_half_code [ "$(head -n 1 "$T/raw.out")" = 2 ]
check raw_web_untouched [ "$(field web pid)" = "$pid3" ]

# The raw client speaks the protocol: a good request gets exit code 0.
"$RAWSOCK" "$SOCK" 'text:status\tweb\t--json\n' >"$T/raw.out" 2>&1
check raw_good_request [ "$(head -n 1 "$T/raw.out")" = 0 ]
check raw_good_request_json grep -q '"name":"web"' "$T/raw.out"

# --- the silent connection: closed after the request timeout (5 s) --------

check silent_closed wait_until 10 sh -c "! kill -0 $silent_pid 2>/dev/null"
wait "$silent_pid"
check silent_rawsock_saw_eof [ $? -eq 0 ]
ms=$(sed -n 's/^closed after \([0-9]*\) ms$/\1/p' "$T/silent.out")
check "silent_closed_after_timeout_${ms}ms" sh -c '[ -n "$1" ] && [ "$1" -ge 4500 ]' _ "$ms"
check silent_told_why grep -qx "no complete request within 5 s; closing" "$T/silent.out"
check silent_toesd_still_answers answers
# The socket was made 0600 by the umask at bind (no chmod by path).
check socket_mode_0600 [ "$(stat -c %a "$SOCK")" = 600 ]
done_testing
