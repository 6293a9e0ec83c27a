# The subreaper (SPEC §11, issue 14 item 3): a process an app started
# outside its group (double fork + setsid: a daemon) is reparented to
# toesd, reaped, and stopped with the app: nothing is left running after
# toesctl stop, a restart or the shutdown.
. tests/integration/lib.sh

ppid_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2; }
pgrp_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3; }
# gone PID: not there, not even a zombie (toesd reaped it).
gone() { ! kill -0 "$1" 2>/dev/null; }
escapee() { cat "$T/esc.pid" 2>/dev/null; }
new_escapee() { [ -s "$T/esc.pid" ] && [ "$(escapee)" != "$1" ]; }

app esc "$FIXTURE --listen --escape $T/esc.pid"
app other "$FIXTURE --listen"
start_toesd
check esc_running wait_until 5 state_is esc running
check escapee_written wait_until 5 test -s "$T/esc.pid"
e1=$(escapee)
check escapee_reparented_to_toesd wait_until 5 sh -c "[ \"\$(sed 's/.*) //' /proc/$e1/stat | cut -d' ' -f2)\" = $TOESD_PID ]"
check escapee_left_the_group [ "$(pgrp_of "$e1")" != "$(field esc pid)" ]

ctl stop esc >/dev/null 2>&1
check stop_ends_escapee wait_until 5 gone "$e1"
check stop_other_untouched state_is other running

rm -f "$T/esc.pid"
ctl start esc >/dev/null 2>&1
check second_escapee wait_until 5 test -s "$T/esc.pid"
e2=$(escapee)
ctl restart esc >/dev/null 2>&1
check restart_ends_old_escapee wait_until 5 gone "$e2"
check restart_new_escapee wait_until 5 new_escapee "$e2"
e3=$(escapee)
check restart_running wait_until 5 state_is esc running

stop_toesd
check shutdown_ends_escapee wait_until 5 gone "$e3"
check shutdown_clean [ "$TOESD_RC" -eq 0 ]
done_testing
