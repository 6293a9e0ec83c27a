# The master process (SPEC §11, §12): SIGTERM and SIGINT stop every app,
# starting ones too, and toesd exits 0 when no SIGKILL was needed, 1 when
# one was; nothing of the apps outlives it; a second SIGTERM starts no
# second shutdown; a second toesd exits 1 and leaves the first one alone;
# SIGHUP does not kill toesd; bad flags exit 2 with one line.
. tests/integration/lib.sh

has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

# shellcheck disable=SC2046
file_pids_gone() { has_lines "$1" 1 && none_alive $(cat "$1"); }
# shellcheck disable=SC2046
file_pids_alive() { has_lines "$1" 1 && all_alive $(cat "$1"); }

# toesd_log_since N: toesd's own log after its first N lines.
toesd_log_since() { tail -n "+$(($1 + 1))" "$T/toesd.log"; }
toesd_lines() { wc -l <"$T/toesd.log"; }
no_log_line() { ! cat "$APPS/$1"/logs/*.log 2>/dev/null | grep -qF -- "$2"; }
toesd_gone() { ! alive "$TOESD_PID"; }
answers() { ctl status >/dev/null 2>&1; }

# stamp_ms LINE: the milliseconds of the day of a log line's stamp.
stamp_ms() {
	echo "$1" | sed -n 's/^\[[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9]*\)\.\([0-9]*\)Z\].*/\1 \2 \3 \4/p' |
		awk '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }'
}

# --- bad flags: exit 2, one line on stderr, nothing started ---------------

mkdir -p "$T/bad"
for args in "--bogus" "--survival xyz"; do
	label=$(echo "$args" | tr -c 'a-z\n' '_')
	# shellcheck disable=SC2086
	(cd "$T/bad" && timeout 5 "$TOESD" $args >"$T/bad.out" 2>"$T/bad.err")
	rc=$?
	check "bad_flag${label}_exit_2" [ "$rc" -eq 2 ]
	check "bad_flag${label}_one_line" [ "$(wc -l <"$T/bad.err")" -eq 1 ]
	check "bad_flag${label}_says_what" grep -q -- "${args%% *}" "$T/bad.err"
	check "bad_flag${label}_no_stdout" [ ! -s "$T/bad.out" ]
	check "bad_flag${label}_nothing_created" [ ! -e "$T/bad/toes" ]
done

# --- SIGTERM: a running and a starting app, SIGHUP, a second toesd -------

app web "$FIXTURE --listen --fork 1 --pids $T/web.pids"
app slow "$FIXTURE --fork 2 --pids $T/slow.pids"
start_toesd --survival 20s --startup-timeout 30s
first_pid=$TOESD_PID

check web_running wait_until 5 state_is web running
check web_spawned wait_until 5 has_lines "$T/web.pids" 2
check slow_spawned wait_until 5 has_lines "$T/slow.pids" 3
check slow_starting state_is slow starting
web_pid=$(field web pid)

# SIGHUP never kills toesd (a reload at most: running apps keep running).
kill -HUP "$TOESD_PID"
sleep 0.5 # a SIGHUP that killed would do so at once
check sighup_toesd_alive alive "$TOESD_PID"
check sighup_still_answers answers
check sighup_web_same_pid [ "$(field web pid)" = "$web_pid" ]
check sighup_web_running state_is web running

# A second toesd on the same folders: exit 1 naming the first one's pid.
timeout 5 "$TOESD" --data-dir "$T" --ports "$PORT_BASE-$((PORT_BASE + 19))" \
	>"$T/second.out" 2>"$T/second.err"
rc=$?
check second_toesd_exit_1 [ "$rc" -eq 1 ]
check second_toesd_message grep -qxF "toesd: already running (pid $first_pid)" "$T/second.err"
check first_toesd_alive alive "$first_pid"
check first_socket_still_works state_is web running
check first_pidfile_kept [ "$(cat "$T/toes/toesd.pid")" = "$first_pid" ]

n0=$(toesd_lines)
stop_toesd
check sigterm_exit_0 [ "$TOESD_RC" -eq 0 ]
check sigterm_logged sh -c "tail -n +$((n0 + 1)) '$T/toesd.log' | grep -qF 'received SIGTERM'"
check web_pids_gone file_pids_gone "$T/web.pids"
check slow_pids_gone file_pids_gone "$T/slow.pids"
check web_stopped_no_sigkill no_log_line web "Shutdown timeout"
check slow_stopped_no_sigkill no_log_line slow "Shutdown timeout"
check slow_stopped_while_starting log_has slow "Killed by signal 15"
check web_no_restart [ "$(log_count web "Starting on port")" -eq 1 ]
check slow_no_restart [ "$(log_count slow "Starting on port")" -eq 1 ]

# --- SIGINT behaves like SIGTERM ------------------------------------------

rm -rf "${APPS:?}"/*
app intapp "$FIXTURE --listen --fork 1 --pids $T/int.pids"
start_toesd
check int_running wait_until 5 state_is intapp running
check int_spawned wait_until 5 has_lines "$T/int.pids" 2
kill -INT "$TOESD_PID"
if wait_until 5 toesd_gone; then
	pass sigint_stops_toesd
	stop_toesd
	check sigint_exit_0 [ "$TOESD_RC" -eq 0 ]
else
	fail sigint_stops_toesd "toesd $TOESD_PID still runs 5 s after SIGINT"
	stop_toesd
	fail sigint_exit_0 "toesd did not exit on SIGINT (stopped with SIGTERM instead)"
fi
check int_pids_gone file_pids_gone "$T/int.pids"

# --- a second SIGTERM during shutdown, the group held by its gate ---------

rm -rf "${APPS:?}"/*
app held "$FIXTURE --listen --gate-exit $T/held.gate --fork 1 --pids $T/held.pids"
# held waits for its gate after SIGTERM; the 30 s stop timeout is never
# reached, so the shutdown lasts as long as the checks take.
start_toesd --stop-timeout 30s
check held_running wait_until 5 state_is held running
check held_spawned wait_until 5 has_lines "$T/held.pids" 2
n0=$(toesd_lines)
kill -TERM "$TOESD_PID"
check held_shutdown_started wait_until 5 sh -c "tail -n +$((n0 + 1)) '$T/toesd.log' | grep -qF 'received SIGTERM'"
kill -TERM "$TOESD_PID"
sleep 0.5 # an exit or a second shutdown would follow the signal at once
check second_sigterm_toesd_alive alive "$TOESD_PID"
check second_sigterm_group_waits file_pids_alive "$T/held.pids"
check second_sigterm_no_second_shutdown [ "$(toesd_log_since "$n0" | grep -cF 'received SIG')" -eq 1 ]
: >"$T/held.gate"
check held_shutdown_ends wait_until 10 toesd_gone
stop_toesd
check held_shutdown_exit_0 [ "$TOESD_RC" -eq 0 ]
check held_no_sigkill no_log_line held "Shutdown timeout"
check held_one_shutdown_logged [ "$(toesd_log_since "$n0" | grep -cF 'received SIG')" -eq 1 ]
check held_pids_gone file_pids_gone "$T/held.pids"

# --- an app that ignores SIGTERM: SIGKILL at the first stop timeout -------

rm -rf "${APPS:?}"/*
app stub "$FIXTURE --listen --ignore-term --fork 1 --pids $T/stub.pids"
# The second SIGTERM comes 2 s into the 4 s stop timeout. The SIGKILL must
# come 4 s after the first one (with up to 1 s of lateness allowed), not
# 4 s after the second (6 s or more).
start_toesd --stop-timeout 4s
check stub_running wait_until 5 state_is stub running
check stub_spawned wait_until 5 has_lines "$T/stub.pids" 2
n0=$(toesd_lines)
kill -TERM "$TOESD_PID"
check shutdown_started wait_until 5 sh -c "tail -n +$((n0 + 1)) '$T/toesd.log' | grep -qF 'received SIGTERM'"
sleep 2
check second_sigterm_inside_stop_timeout no_log_line stub "Shutdown timeout"
kill -TERM "$TOESD_PID"
check shutdown_ends wait_until 10 toesd_gone
stop_toesd
check sigkill_exit_1 [ "$TOESD_RC" -eq 1 ]
check stub_sigkilled log_has stub "Shutdown timeout, sending SIGKILL..."
check stub_sigkilled_once [ "$(log_count stub "Shutdown timeout, sending SIGKILL...")" -eq 1 ]
check one_shutdown_logged [ "$(toesd_log_since "$n0" | grep -cF 'received SIG')" -eq 1 ]
check stub_pids_gone file_pids_gone "$T/stub.pids"
t_term=$(stamp_ms "$(toesd_log_since "$n0" | grep -F 'received SIGTERM' | head -n 1)")
t_kill=$(stamp_ms "$(toesd_log_since "$n0" | grep -F '[stub] Shutdown timeout' | head -n 1)")
if [ -n "$t_term" ] && [ -n "$t_kill" ]; then
	d=$(((t_kill - t_term + 86400000) % 86400000))
	check "sigkill_at_first_stop_timeout_${d}ms" [ "$d" -ge 3900 ] && [ "$d" -lt 5000 ]
else
	fail sigkill_at_first_stop_timeout "no SIGTERM or SIGKILL line in toesd's log"
fi
done_testing
