# Apps come and go while toesd runs (the registry): `toesctl reload` and
# SIGHUP rescan the apps folder; a new app folder is registered and
# started; a vanished one is stopped, forgotten and its port freed (an app
# waiting for a port gets it); a `toesctl stop` waiting on an app that goes
# away is answered.
# The folder watch is held off (a 600 s debounce): what changes here is
# applied by the reload, and counted in its answer, not by the watch.
. tests/integration/lib.sh

has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
listed() { ctl status --json | grep -qF "\"name\":\"$1\""; }
not_listed() { ! listed "$1"; }

app first "$FIXTURE"
app waiter "$FIXTURE"
start_toesd --ports "$PORT_BASE-$PORT_BASE" --stop-timeout 30s --watch-debounce 600s
check first_running wait_until 5 state_is first running
check waiter_waits [ "$(field waiter detail)" = waiting-port ]
port=$(field first port)

# A new folder: registered and started at the reload. The pool is full,
# so it waits for a port.
app later "$FIXTURE"
check later_not_yet not_listed later
out=$(ctl reload 2>&1)
check reload_answer [ "$out" = "reloaded: 1 app added, 0 removed, 0 changed" ]
check later_listed listed later
check later_waits [ "$(field later detail)" = waiting-port ]

# first's folder vanishes: SIGHUP stops it and forgets it; its port goes
# to the app that waited longest (waiter).
first_pid=$(field first pid)
rm -rf "$APPS/first"
kill -HUP "$TOESD_PID"
check first_forgotten wait_until 5 not_listed first
check first_process_gone sh -c "! kill -0 $first_pid 2>/dev/null"
check waiter_got_the_port wait_until 5 state_is waiter running
check waiter_same_port [ "$(field waiter port)" = "$port" ]
check later_still_waits [ "$(field later detail)" = waiting-port ]
check reload_logged grep -qF "reloaded: 0 apps added, 1 removed, 0 changed" "$T/toesd.log"

# A stop that waits when its app goes: waiter ignores SIGTERM, so the stop
# waits (30 s stop timeout); the folder goes and a reload forgets the app
# once it is gone; the test ends the process; the stop is answered.
stop_toesd
rm -rf "${APPS:?}"/*
app stubborn "$FIXTURE --ignore-term --pids $T/stubborn.pids"
start_toesd --stop-timeout 30s --watch-debounce 600s
check stubborn_running wait_until 5 state_is stubborn running
check stubborn_spawned wait_until 5 has_lines "$T/stubborn.pids" 1
ctl stop stubborn >"$T/stop.out" 2>&1 &
stop_pid=$!
check stubborn_stopping wait_until 5 state_is stubborn stopping
rm -rf "$APPS/stubborn"
out=$(ctl reload 2>&1)
check reload_counts_removal [ "$out" = "reloaded: 0 apps added, 1 removed, 0 changed" ]
# Still stopping (its process ignores SIGTERM): still listed, stop waits.
check stubborn_listed_while_stopping listed stubborn
check stop_still_waits alive "$stop_pid"
kill -KILL "$(cat "$T/stubborn.pids")"
check stubborn_forgotten wait_until 5 not_listed stubborn
wait "$stop_pid"
check stop_answered_exit_0 [ $? -eq 0 ]
check stop_answer_says_removed [ "$(cat "$T/stop.out")" = "stopped stubborn (removed)" ]
check toesd_still_answers sh -c "$TOESCTL --toes-dir $T/toes status >/dev/null"

# A stop still waiting when toesd shuts down gets its answer: the app
# stops (at the gate the test opens) during the shutdown, toesd answers,
# then exits.
stop_toesd
rm -rf "${APPS:?}"/*
app held "$FIXTURE --gate-exit $T/held.gate"
start_toesd --stop-timeout 30s --watch-debounce 600s
check held_running wait_until 5 state_is held running
ctl stop held >"$T/stop2.out" 2>&1 &
stop_pid=$!
check held_stopping wait_until 5 state_is held stopping
kill -TERM "$TOESD_PID"
check shutdown_begun wait_until 5 grep -qF "received SIGTERM" "$T/toesd.log"
check stop_waits_in_shutdown alive "$stop_pid"
: >"$T/held.gate"
wait "$stop_pid"
check stop_answered_at_shutdown [ $? -eq 0 ]
check stop_answer_at_shutdown [ "$(cat "$T/stop2.out")" = "stopped held" ]
stop_toesd
check shutdown_clean [ "$TOESD_RC" -eq 0 ]
done_testing
