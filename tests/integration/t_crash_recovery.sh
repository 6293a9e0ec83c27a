# After toesd is killed with SIGKILL while apps run (SPEC §11, issue 14
# item 2): the next toesd stops every process its predecessor started (one
# ignoring SIGTERM, one with a child in its group), found from the run
# records under <run-dir>/run/, before it starts apps again, and the apps
# come back on their own ports. A record whose pid is now an unrelated
# process (another start time) leaves that process alone.
. tests/integration/lib.sh

has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
records() { ls "$T/toes/run" 2>/dev/null | grep -c '^[0-9]*$'; }

app web "$FIXTURE --listen"
app stubborn "$FIXTURE --listen --ignore-term"
app family "$FIXTURE --listen --fork 1 --pids $T/family.pids"
start_toesd --stop-timeout 1s
for a in web stubborn family; do
	check "${a}_running" wait_until 5 state_is "$a" running
done
check family_child_spawned wait_until 5 has_lines "$T/family.pids" 2
web_pid=$(field web pid) web_port=$(field web port)
stubborn_pid=$(field stubborn pid) stubborn_port=$(field stubborn port)
family_pid=$(field family pid) family_port=$(field family port)
child_pid=$(sed -n 2p "$T/family.pids")
check records_written [ "$(records)" -eq 3 ]
check record_names_the_run grep -q "^$web_pid $web_pid [0-9]* web$" "$T/toes/run/$web_pid"

# An unrelated process with a record of its own, by hand: its pid, a
# start time that is not its own.
sleep 120 &
stranger=$!
echo "$stranger $stranger 1 stranger" >"$T/toes/run/$stranger"

kill -KILL "$TOESD_PID"
wait "$TOESD_PID" 2>/dev/null
TOESD_PID=
check apps_outlive_master all_alive "$web_pid" "$stubborn_pid" "$family_pid" "$child_pid"

start_toesd --stop-timeout 3s
check predecessor_stopped_logged wait_until 5 grep -qF "stopping 4 processes the previous toesd started" "$T/toesd.log"
# Meanwhile nothing may start: a reload is turned away (status answers).
ctl reload >"$T/busy.out" 2>&1
check clearing_reload_exit_1 [ $? -eq 1 ]
check clearing_reload_busy grep -qF "busy: toesd is stopping what the previous toesd left running" "$T/busy.out"
check clearing_status_answers ctl status
check stubborn_needed_sigkill wait_until 5 grep -qF "did not stop in time, sent SIGKILL" "$T/toesd.log"
check old_processes_gone wait_until 10 sh -c "! kill -0 $web_pid 2>/dev/null && ! kill -0 $stubborn_pid 2>/dev/null && ! kill -0 $family_pid 2>/dev/null && ! kill -0 $child_pid 2>/dev/null"
for a in web stubborn family; do
	check "${a}_back" wait_until 10 state_is "$a" running
done
check web_own_port [ "$(field web port)" = "$web_port" ]
check stubborn_own_port [ "$(field stubborn port)" = "$stubborn_port" ]
check family_own_port [ "$(field family port)" = "$family_port" ]
check web_new_process [ "$(field web pid)" != "$web_pid" ]
check started_once_each [ "$(grep -c '\[web\] Starting on port' "$T/toesd.log")" -eq 2 ]
check stranger_left_alone alive "$stranger"
check stranger_record_gone [ ! -e "$T/toes/run/$stranger" ]
check new_records [ "$(records)" -eq 3 ]
kill "$stranger" 2>/dev/null
wait "$stranger" 2>/dev/null
stop_toesd
check records_removed_at_exit [ "$(records)" -eq 0 ]
done_testing
