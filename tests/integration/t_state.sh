# State across restarts of toesd (SPEC §11, §4.1): ports and stops by
# request are kept in $TOES_DIR/state. After a restart an app stopped by
# request stays stopped and every app keeps its port, even when a new app
# that sorts first came meanwhile; the file is written only when a booking
# or a stop changes; an app removed gives its booking up; a corrupt,
# truncated, linked or FIFO state file is said once and ignored.
. tests/integration/lib.sh

STATE=$T/toes/state
TAB=$(printf '\t')

# stamp: the state file's inode and modification time (a write renames
# a new file in, so both change).
stamp() { stat -c '%i %y' "$STATE" 2>/dev/null; }
state_has() { grep -qx -- "$1" "$STATE" 2>/dev/null; }
state_lacks() { [ -f "$STATE" ] && ! grep -q -- "$1" "$STATE"; }
detail_is() { [ "$(field "$1" detail)" = "$2" ]; }
stamp_is_not() { [ "$(stamp)" != "$1" ]; }
# log_lines: how many lines toesd's log has now; since N TEXT: how many of
# the lines after the first N hold TEXT.
log_lines() { wc -l <"$T/toesd.log"; }
since() { tail -n "+$(($1 + 1))" "$T/toesd.log" | grep -cF -- "$2"; }
# not_one_of X Y...: X is none of the Ys.
not_one_of() {
	no_x=$1
	shift
	for no_y in "$@"; do
		[ "$no_x" != "$no_y" ] || return 1
	done
}
all_running() {
	for ar in "$@"; do
		state_is "$ar" running || return 1
	done
}

app a "$FIXTURE --listen"
app b "$FIXTURE --listen"
app c "$FIXTURE --listen"

# --- first run: b is stopped by request ---
start_toesd
check first_all_running wait_until 5 all_running a b c
A_PORT=$(field a port)
B_PORT=$(field b port)
C_PORT=$(field c port)
check stop_b ctl stop b
check b_stopped_by_request [ "$(field b detail)" = by-request ]
check state_says_b_stopped wait_until 5 state_has "b${TAB}${B_PORT}${TAB}stopped"
check state_header [ "$(head -n 1 "$STATE")" = "toesd-state 1" ]
check state_end_line [ "$(tail -n 1 "$STATE")" = end ]
check state_keeps_a state_has "a${TAB}${A_PORT}${TAB}up"
check state_keeps_c state_has "c${TAB}${C_PORT}${TAB}up"
check no_temp_left sh -c "! test -e '$T/toes/.state.tmp'"
stop_toesd
check shutdown_keeps_marks state_has "b${TAB}${B_PORT}${TAB}stopped"
check shutdown_keeps_a_up state_has "a${TAB}${A_PORT}${TAB}up"

# --- second run: a new app that sorts first ---
app 0first "$FIXTURE --listen"
start_toesd --health-interval 100ms
check second_running wait_until 5 all_running 0first a c
check b_stays_stopped state_is b stopped
check b_still_by_request [ "$(field b detail)" = by-request ]
check b_no_process [ "$(field b pid)" = null ]
check b_kept_logged log_has b "Stopped by request before toesd restarted: not started"
check a_keeps_port [ "$(field a port)" = "$A_PORT" ]
check c_keeps_port [ "$(field c port)" = "$C_PORT" ]
F_PORT=$(field 0first port)
check first_gets_another_port not_one_of "$F_PORT" "$A_PORT" "$B_PORT" "$C_PORT"
check state_books_0first wait_until 5 state_has "0first${TAB}${F_PORT}${TAB}up"
check start_b ctl start b
check b_running wait_until 5 state_is b running
check b_gets_its_old_port [ "$(field b port)" = "$B_PORT" ]
check state_says_b_up wait_until 5 state_has "b${TAB}${B_PORT}${TAB}up"

# Nothing happens for 2 s (health checks every 100 ms): no write.
S=$(stamp)
sleep 2
check no_write_while_nothing_happens [ "$(stamp)" = "$S" ]
check stop_a ctl stop a
check write_after_stop wait_until 5 stamp_is_not "$S"
check state_says_a_stopped state_has "a${TAB}${A_PORT}${TAB}stopped"
stop_toesd

# --- third run: c's folder is gone; its booking goes with it ---
rm -rf "$APPS/c"
start_toesd
check third_running wait_until 5 all_running 0first b
check a_still_stopped state_is a stopped
check c_dropped wait_until 5 state_lacks "c${TAB}"
check others_kept state_has "0first${TAB}${F_PORT}${TAB}up"
stop_toesd

# --- a corrupt state file: said once, ignored, replaced ---
printf 'garbage\n\001\002 not a state\n' >"$STATE"
N=$(log_lines)
start_toesd
check corrupt_all_start wait_until 5 all_running 0first a b
check corrupt_said_once [ "$(since "$N" "is corrupt: line 1: not a toesd state file")" -eq 1 ]
check corrupt_said_ignored [ "$(since "$N" "ignored: every app starts fresh")" -eq 1 ]
check corrupt_replaced wait_until 5 state_has end
stop_toesd

# --- truncated in the middle of a line ---
printf 'toesd-state 1\n0first\t%s\tup\na\t%s\tsto' "$F_PORT" "$A_PORT" >"$STATE"
N=$(log_lines)
start_toesd
check truncated_all_start wait_until 5 all_running 0first a b
check truncated_said_once [ "$(since "$N" "is corrupt: line 3: cut short (no newline): the file is truncated")" -eq 1 ]
check truncated_replaced wait_until 5 state_has end
stop_toesd

# --- a symbolic link instead of the file: refused, its target untouched ---
printf 'toesd-state 1\na\t%s\tstopped\nend\n' "$A_PORT" >"$T/elsewhere"
rm -f "$STATE"
ln -s "$T/elsewhere" "$STATE"
N=$(log_lines)
start_toesd
check link_all_start wait_until 5 all_running 0first a b
check link_said_once [ "$(since "$N" "is a symbolic link, refused; ignored")" -eq 1 ]
check link_replaced_by_file wait_until 5 sh -c "test -f '$STATE' && ! test -L '$STATE'"
check link_target_untouched [ "$(cat "$T/elsewhere")" = "$(printf 'toesd-state 1\na\t%s\tstopped\nend' "$A_PORT")" ]
stop_toesd

# --- a FIFO: refused without blocking ---
rm -f "$STATE"
mkfifo "$STATE"
N=$(log_lines)
start_toesd
check fifo_all_start wait_until 5 all_running 0first a b
check fifo_said_once [ "$(since "$N" "is not a regular file, refused; ignored")" -eq 1 ]
check fifo_replaced_by_file wait_until 5 test -f "$STATE"
stop_toesd

# --- a booking taken over: one port, two apps; another apps folder ---
APPS=$T/apps2
mkdir -p "$APPS"
P=$((PORT_BASE + 10))
app x "$FIXTURE --listen"
app y "$FIXTURE --listen"
start_toesd --apps-dir "$APPS" --ports "$P-$P"
check x_runs wait_until 5 state_is x running
check y_waits wait_until 5 detail_is y waiting-port
check stop_x ctl stop x
check y_takes_the_port_over wait_until 5 state_is y running
check y_on_the_port [ "$(field y port)" = "$P" ]
check takeover_said_to_y log_has y "Port $P is kept for x, but no other port is free: taken over"
check takeover_said_to_x log_has x "Port $P, kept for this app, was given to y"
check state_x_without_port wait_until 5 state_has "x${TAB}-${TAB}stopped"
check state_y_with_port state_has "y${TAB}${P}${TAB}up"
check other_folder_apps_dropped state_lacks "0first${TAB}"
stop_toesd
start_toesd --apps-dir "$APPS" --ports "$P-$P"
check y_keeps_taken_port wait_until 5 state_is y running
check y_port_again [ "$(field y port)" = "$P" ]
check x_stays_stopped state_is x stopped
check x_by_request [ "$(field x detail)" = by-request ]
stop_toesd

# --- a full pool at start: a new app that sorts first takes no kept port --
APPS=$T/apps3
mkdir -p "$APPS"
Q=$((PORT_BASE + 12))
app m "$FIXTURE --listen"
app n "$FIXTURE --listen"
start_toesd --apps-dir "$APPS" --ports "$Q-$((Q + 1))"
check m_runs wait_until 5 state_is m running
check n_runs wait_until 5 state_is n running
m_port=$(field m port) n_port=$(field n port)
stop_toesd
app 0new "$FIXTURE --listen"
before=$(grep -cF 'taken over' "$T/toesd.log")
start_toesd --apps-dir "$APPS" --ports "$Q-$((Q + 1))"
check m_runs_again wait_until 5 state_is m running
check n_runs_again wait_until 5 state_is n running
check m_kept_port [ "$(field m port)" = "$m_port" ]
check n_kept_port [ "$(field n port)" = "$n_port" ]
check new_app_waits wait_until 5 detail_is 0new waiting-port
check no_takeover_at_boot [ "$(grep -cF 'taken over' "$T/toesd.log")" -eq "$before" ]
stop_toesd
done_testing
