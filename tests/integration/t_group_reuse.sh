# A draining group whose last member is reaped by a parent that left the
# group (SPEC §7, issue 10): toesd gets no SIGCHLD for it, and at the stop
# timeout it must not SIGKILL the group's id, which may be another's by
# then. (X, which left the group, is stopped with the app: a leftover.)
# The escaper fixture's main process forks X; X forks C and leaves
# the group (setsid); the main process exits and the app drains while C
# lives; then C exits at its gate and X reaps it. As root with a writable
# /proc/sys/kernel/ns_last_pid, an impostor takes the old group's id
# before the stop timeout, which is what an unrelated program could do
# after pid reuse: it must survive. Checks that cannot be made here are
# printed as "SKIP name: reason" lines.
. tests/integration/lib.sh

ESCAPER=$BUILD/fixtures/escaper
PIDS=$T/esc.pids

has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
detail_is() { [ "$(field "$1" detail)" = "$2" ]; }
# pid_of ROLE: the pid the escaper wrote for main, x or c.
pid_of() { sed -n "s/^$1 //p" "$PIDS"; }
# pgrp_of PID: field 5 of /proc/PID/stat, read after the name's last ')'.
pgrp_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3; }
# no_signal FILE: a signal record of the escaper is there and empty.
no_signal() { [ -f "$1" ] && [ ! -s "$1" ]; }
app_lacks() { ! log_has "$1" "$2"; }
# group_size PGID: how many processes are in the group.
group_size() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed 's/.*) //' | awk -v g="$1" '$3 == g' | wc -l
}
toesd_lacks() { ! grep -qF -- "$1" "$T/toesd.log"; }

app esc "$ESCAPER --pids $PIDS --gate $T/esc.gate --exit-on $T/esc.exit"
# A stop timeout long enough for the checks and the impostor before it.
start_toesd --stop-timeout 5s

check esc_running wait_until 5 state_is esc running
check esc_spawned wait_until 5 has_lines "$PIDS" 3
P=$(pid_of main) X=$(pid_of x) C=$(pid_of c)
check esc_status_pid_is_main [ "$(field esc pid)" = "$P" ]
check c_in_the_app_group [ "$(pgrp_of "$C")" = "$P" ]
check x_left_the_group [ "$(pgrp_of "$X")" = "$X" ]

# The main process exits; C (its name holds ')' and spaces) keeps the
# group: toesd sees a process of the run in it, drains, and sends SIGTERM
# (which C survives).
: >"$T/esc.exit"
check esc_draining wait_until 5 detail_is esc draining
check esc_pid_null_while_draining [ "$(field esc pid)" = null ]
check c_got_one_sigterm wait_until 5 sh -c "[ \"\$(cat '$PIDS.c.sig')\" = 15 ]"

# C exits; X reaps it: the group is empty and toesd was not told.
: >"$T/esc.gate"
check c_reaped_by_x wait_until 5 test -f "$PIDS.reaped"
check group_empty_now [ "$(group_size "$P")" -eq 0 ]
check esc_still_draining_unseen detail_is esc draining

# The impostor: a new session whose id is the old group's (P).
IMP='' IMP_FILE=''
NS_LAST_PID=/proc/sys/kernel/ns_last_pid
if [ "$(id -u)" != 0 ]; then
	skip impostor_took_group_id "not root: $NS_LAST_PID cannot be written"
else
	n=0 why=''
	while [ "$n" -lt 40 ] && [ -z "$IMP" ] && [ -z "$why" ]; do
		n=$((n + 1))
		# Held by a short-lived process (another test's fork): let it go.
		if [ -e "/proc/$P" ]; then
			sleep 0.02
			continue
		fi
		if ! echo $((P - 1)) 2>/dev/null >"$NS_LAST_PID"; then
			why="$NS_LAST_PID cannot be written"
			break
		fi
		# No other fork of this shell in between: the next pid is P
		# unless another process on the machine took it first.
		(cd "$T" && exec "$ESCAPER" --impostor "$T/imp.$n") &
		got=$!
		if [ "$got" = "$P" ]; then
			IMP=$got IMP_FILE=$T/imp.$n
		else
			kill -KILL "$got" 2>/dev/null
			wait "$got" 2>/dev/null
		fi
	done
	if [ -n "$IMP" ]; then
		check impostor_took_group_id wait_until 5 grep -qx "$P $P" "$IMP_FILE"
	else
		skip impostor_took_group_id "${why:-pid $P was taken by other processes in $n tries}"
	fi
fi
if [ -n "$IMP" ] && ! detail_is esc draining; then
	skip impostor_before_stop_timeout "the stop timeout passed before the impostor was ready"
	kill -KILL "$IMP" 2>/dev/null
	wait "$IMP" 2>/dev/null
	IMP=
elif [ -n "$IMP" ]; then
	pass impostor_before_stop_timeout
fi

# The stop timeout: toesd finds no process of the run in the group and
# ends the run as an exit (code 0: stopped, no restart), signalling nothing.
check esc_stopped_after_stop_timeout wait_until 10 state_is esc stopped
check esc_exit_counted log_has esc "Stopped"
check esc_no_sigkill_in_app_log app_lacks esc "sending SIGKILL"
check esc_no_sigkill_in_toesd_log toesd_lacks "sending SIGKILL"
check toesd_read_proc toesd_lacks "checked with kill(-pgid, 0) only"
# X left the group, and became toesd's child when the main process
# exited: a leftover of the app (issue 14), stopped with it: SIGTERM with
# the group's, SIGKILL once the run is over. (Known by its parent, toesd,
# and its DATA_DIR: no id is guessed.)
check x_sigterm_with_the_group grep -qx 15 "$PIDS.x.sig"
check x_killed_with_the_run wait_until 5 sh -c "! kill -0 $X 2>/dev/null"
check c_only_the_draining_sigterm [ "$(cat "$PIDS.c.sig")" = 15 ]
if [ -n "$IMP" ]; then
	check impostor_alive alive "$IMP"
	check impostor_not_signalled no_signal "$IMP_FILE.sig"
	check impostor_still_leads_group [ "$(pgrp_of "$IMP")" = "$P" ]
else
	skip impostor_alive "no impostor took the group's id"
	skip impostor_not_signalled "no impostor took the group's id"
fi

# Clean up by pid: X (now toesd's child: it reaps it) and the impostor.
kill -KILL "$X" 2>/dev/null
if [ -n "$IMP" ]; then
	kill -KILL "$IMP" 2>/dev/null
	wait "$IMP" 2>/dev/null
fi
check x_gone wait_until 5 sh -c "! kill -0 $X 2>/dev/null"
stop_toesd
check toesd_exit_0 [ "$TOESD_RC" -eq 0 ]
done_testing
