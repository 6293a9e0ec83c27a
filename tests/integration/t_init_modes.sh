# Start-up modes for init systems (SPEC §11, issue 14 item 1): --daemon
# with --pidfile (the parent exits 0 once toesd is ready, or non-zero with
# the reason: a second instance, an unusable folder, a bad flag);
# NOTIFY_SOCKET at a path and at an @abstract address (READY=1, STATUS=
# counts, RELOADING=1 with MONOTONIC_USEC, STOPPING=1, WATCHDOG=1 only for
# toesd's own WATCHDOG_PID); --ready-fd N.
. tests/integration/lib.sh

NOTIFYRECV=$BUILD/fixtures/notifyrecv
answers() { ctl status >/dev/null 2>&1; }
# told FILE TEXT: a datagram of FILE holds a line that is TEXT exactly.
told() { grep -qx -- "$2" "$1"; }
told_match() { grep -q -- "$2" "$1"; }
args="--data-dir $T --ports $PORT_BASE-$((PORT_BASE + 19)) $FAST"

app web "$FIXTURE --listen"
app crash "$FIXTURE --exit-after 100 --code 1"

# --- --daemon and --pidfile --------------------------------------------------

# shellcheck disable=SC2086
"$TOESD" --daemon --pidfile "$T/toesd.pidfile" --log "$T/toesd.log" $args 2>"$T/daemon.err"
check daemon_parent_exit_0 [ $? -eq 0 ]
check daemon_ready_at_exit answers
check daemon_pidfile_written test -s "$T/toesd.pidfile"
TOESD_PID=$(cat "$T/toesd.pidfile")
check daemon_pid_alive alive "$TOESD_PID"
check daemon_pid_is_lock_pid [ "$(cat "$T/toes/toesd.pid")" = "$TOESD_PID" ]
check daemon_own_session [ "$(ps -o sid= -p "$TOESD_PID" | tr -d ' ')" = "$TOESD_PID" ]
check daemon_apps_started wait_until 5 state_is web running

# A second one: the parent exits 1 with the reason.
# shellcheck disable=SC2086
"$TOESD" --daemon --pidfile "$T/second.pid" $args 2>"$T/second.err"
check daemon_second_exit_1 [ $? -eq 1 ]
check daemon_second_says_why grep -qF "toesd: already running (pid $TOESD_PID)" "$T/second.err"
check daemon_second_no_pidfile [ ! -e "$T/second.pid" ]
kill -TERM "$TOESD_PID"
check daemon_stops wait_until 10 sh -c "! kill -0 $TOESD_PID 2>/dev/null"
check daemon_pidfile_removed [ ! -e "$T/toesd.pidfile" ]
TOESD_PID=

# An unusable folder, a bad flag: the parent's exit says so.
: >"$T/not-a-folder"
"$TOESD" --daemon --data-dir "$T" --apps-dir "$T/not-a-folder" 2>"$T/bad.err"
check daemon_bad_folder_exit_1 [ $? -eq 1 ]
check daemon_bad_folder_says grep -qF "not-a-folder" "$T/bad.err"
"$TOESD" --daemon --bogus 2>"$T/flag.err"
check daemon_bad_flag_exit_2 [ $? -eq 2 ]
check daemon_bad_flag_says grep -qF "unknown option '--bogus'" "$T/flag.err"

# --- NOTIFY_SOCKET at a path -------------------------------------------------

"$NOTIFYRECV" "$T/notify.sock" "$T/notify.out" &
recv_pid=$!
check notify_bound wait_until 5 test -e "$T/notify.out.bound"
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=100000 start_toesd --log "$T/toesd.log"
check notify_ready wait_until 5 told "$T/notify.out" "READY=1"
check notify_mainpid told "$T/notify.out" "MAINPID=$TOESD_PID"
check notify_status_counts told_match "$T/notify.out" '^STATUS=[0-9]* running, [0-9]* starting, [0-9]* stopped, [0-9]* invalid$'
check notify_watchdog_pings wait_until 5 sh -c "[ \$(grep -cx 'WATCHDOG=1' '$T/notify.out') -ge 2 ]"
check notify_status_web_running wait_until 5 told_match "$T/notify.out" '^STATUS=1 running, '
web_pid=$(field web pid)
tr '\0' '\n' <"/proc/$web_pid/environ" >"$T/web.env"
check notify_app_env_read grep -q '^PORT=' "$T/web.env"
check notify_app_env_clean sh -c "! grep -qE '^(NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID)=' '$T/web.env'"
ctl stop web >/dev/null 2>&1
check notify_status_after_stop wait_until 5 told_match "$T/notify.out" '^STATUS=0 running, 0 starting, 2 stopped, 0 invalid$'
kill -HUP "$TOESD_PID"
check notify_reloading wait_until 5 told "$T/notify.out" "RELOADING=1"
check notify_monotonic told_match "$T/notify.out" '^MONOTONIC_USEC=[0-9][0-9]*$'
check notify_ready_after_reload wait_until 5 sh -c "[ \$(grep -cx 'READY=1' '$T/notify.out') -ge 2 ]"
kill -TERM "$TOESD_PID"
check notify_stopping wait_until 10 told "$T/notify.out" "STOPPING=1"
stop_toesd
kill "$recv_pid" 2>/dev/null
wait "$recv_pid" 2>/dev/null

# --- NOTIFY_SOCKET at an @abstract address; a watchdog for another pid ------

abstract="@toes-test-$$-$PORT_BASE"
rm -f "$T/abstract.out" "$T/abstract.out.bound"
"$NOTIFYRECV" "$abstract" "$T/abstract.out" &
recv_pid=$!
check abstract_bound wait_until 5 test -e "$T/abstract.out.bound"
NOTIFY_SOCKET=$abstract WATCHDOG_USEC=50000 WATCHDOG_PID=1 start_toesd --log "$T/toesd.log"
check abstract_ready wait_until 5 told "$T/abstract.out" "READY=1"
# Six watchdog intervals: no ping, the watchdog is another process's.
sleep 0.3
kill -TERM "$TOESD_PID"
check abstract_stopping wait_until 10 told "$T/abstract.out" "STOPPING=1"
check abstract_no_watchdog_for_other_pid sh -c "! grep -qx 'WATCHDOG=1' '$T/abstract.out'"
stop_toesd
kill "$recv_pid" 2>/dev/null
wait "$recv_pid" 2>/dev/null

# --- --ready-fd N ------------------------------------------------------------

mkfifo "$T/ready.fifo"
# shellcheck disable=SC2086
"$TOESD" --ready-fd 3 $args 3>"$T/ready.fifo" >>"$T/toesd.log" 2>&1 &
TOESD_PID=$!
read -r line <"$T/ready.fifo"
check ready_fd_newline [ $? -eq 0 ] && [ -z "$line" ]
check ready_fd_answers answers
stop_toesd
# shellcheck disable=SC2086
"$TOESD" --ready-fd 9 $args 2>"$T/fd.err"
check ready_fd_closed_exit_1 [ $? -eq 1 ]
check ready_fd_closed_says grep -qF "bad value for --ready-fd: 9 is not an open descriptor" "$T/fd.err"
done_testing
