# Versions and ports (SPEC §1, §4.1): `current` made for the newest valid
# version, folders that are not apps ignored, sticky ports across a restart
# and a crash, a foreign listener skipped, TIME_WAIT not busy, and an
# exhausted pool that waits for a freed port.
. tests/integration/lib.sh

hex() { printf '%04X' "$1"; }
# in_state PORT ST: /proc/net/tcp{,6} has a socket with local PORT in state ST (hex).
in_state() { cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q ":$(hex "$1") [0-9A-F]*:[0-9A-F]* $2 "; }
listening() { in_state "$1" 0A; }
in_status() { ctl status --json | grep -q "\"name\":\"$1\""; }
# restarted_with_new_pid NAME OLDPID: running again with another pid.
restarted_with_new_pid() {
	state_is "$1" running && [ -n "$(field "$1" pid)" ] && [ "$(field "$1" pid)" != null ] &&
		[ "$(field "$1" pid)" != "$2" ]
}

# Versions: v1 and v2 valid, v3 valid JSON but no scripts.toes, zz-notes
# not a version at all: current must point at v2.
app pv "$FIXTURE --listen" v1
app pv "$FIXTURE --listen" v2
mkdir -p "$APPS/pv/v3" "$APPS/pv/zz-notes"
echo '{"name":"pv","scripts":{"test":"true"}}' >"$APPS/pv/v3/package.json"
echo 'notes' >"$APPS/pv/zz-notes/README"

# Not an app: no current and no valid version.
mkdir -p "$APPS/notapp/v1" "$APPS/notapp/v2"
echo 'hello' >"$APPS/notapp/v1/README"
echo '{"name":"notapp"}' >"$APPS/notapp/v2/package.json"

# Two HTTP apps for the sticky port checks.
app sa "$FIXTURE --listen"
app sb "$FIXTURE --listen"

# A foreign process listening on the lowest port of the pool.
mkdir -p "$T/foreign"
(cd "$T/foreign" && PORT=$PORT_BASE exec "$FIXTURE" --listen) &
FOREIGN=$!
check foreign_listening wait_until 5 listening "$PORT_BASE"

start_toesd

check pv_running wait_until 5 state_is pv running
check current_is_link test -L "$APPS/pv/current"
check current_relative_to_newest_valid [ "$(readlink "$APPS/pv/current")" = v2 ]
check version_in_status [ "$(field pv version)" = v2 ]
check notapp_not_in_status sh -c "! '$TOESCTL' --toes-dir '$T/toes' status --json | grep -q notapp"
check notapp_status_fails sh -c "! '$TOESCTL' --toes-dir '$T/toes' status notapp >/dev/null 2>&1"
check notapp_no_current sh -c "! test -e '$APPS/notapp/current' && ! test -L '$APPS/notapp/current'"
check pv_in_status in_status pv

check sa_running wait_until 5 state_is sa running
check sb_running wait_until 5 state_is sb running
PV_PORT=$(field pv port)
SA_PORT=$(field sa port)
SB_PORT=$(field sb port)
check foreign_port_skipped_pv [ "$PV_PORT" -ne "$PORT_BASE" ]
check foreign_port_skipped_sa [ "$SA_PORT" -ne "$PORT_BASE" ]
check foreign_port_skipped_sb [ "$SB_PORT" -ne "$PORT_BASE" ]
check foreign_skip_logged log_has pv "[system] Port $PORT_BASE is in use by another process, skipped"
check foreign_still_alive alive "$FOREIGN"
check distinct_ports [ "$(printf '%s\n' "$PV_PORT" "$SA_PORT" "$SB_PORT" | sort -u | wc -l)" -eq 3 ]
kill -TERM "$FOREIGN" 2>/dev/null
wait "$FOREIGN" 2>/dev/null

# Sticky: free a lower port, then restart the app on the higher one; it
# keeps its port instead of moving to the lowest free one.
if [ "$SA_PORT" -lt "$SB_PORT" ]; then
	LOW=sa HIGH=sb LOW_PORT=$SA_PORT HIGH_PORT=$SB_PORT
else
	LOW=sb HIGH=sa LOW_PORT=$SB_PORT HIGH_PORT=$SA_PORT
fi
check stop_low ctl stop "$LOW"
check low_stopped state_is "$LOW" stopped
check low_port_freed sh -c "! grep -q ':$(hex "$LOW_PORT") [0-9A-F]*:[0-9A-F]* 0A ' /proc/net/tcp /proc/net/tcp6"

OLD=$(field "$HIGH" pid)
check restart_high ctl restart "$HIGH"
check high_running_after_restart wait_until 5 restarted_with_new_pid "$HIGH" "$OLD"
check port_sticky_after_restart [ "$(field "$HIGH" port)" = "$HIGH_PORT" ]

# A crash: kill the app's whole group; the automatic restart keeps the port.
OLD=$(field "$HIGH" pid)
kill -KILL "-$OLD"
check high_restarted_after_crash wait_until 5 restarted_with_new_pid "$HIGH" "$OLD"
check port_sticky_after_crash [ "$(field "$HIGH" port)" = "$HIGH_PORT" ]
check crash_restart_logged log_has "$HIGH" "Killed by signal 9"
check low_still_stopped state_is "$LOW" stopped
stop_toesd

# An exhausted pool: one port, two apps. A second apps folder keeps the
# earlier apps out of it.
APPS=$T/apps2
mkdir -p "$APPS"
P=$((PORT_BASE + 10))
app xa "$FIXTURE --listen"
app xb "$FIXTURE --listen"
start_toesd --apps-dir "$APPS" --ports "$P-$P"
one_running() { state_is xa running || state_is xb running; }
check one_of_two_running wait_until 5 one_running
if state_is xa running; then RUN=xa WAIT=xb; else RUN=xb WAIT=xa; fi
check runner_on_only_port [ "$(field "$RUN" port)" = "$P" ]
check waiter_stopped_not_invalid wait_until 5 state_is "$WAIT" stopped
check waiter_error [ "$(field "$WAIT" error)" = "No available ports" ]
check waiter_no_port [ "$(field "$WAIT" port)" = null ]
check waiter_logged log_has "$WAIT" "[system] No available ports"
check runner_unaffected state_is "$RUN" running
# Requests the runner answers and closes first leave connections in
# TIME_WAIT on its port once it stops: they must not make the port busy.
# (curl is the client that reads to the end; without it, no TIME_WAIT.)
if command -v curl >/dev/null 2>&1; then
	for _ in 1 2 3; do
		curl -s -o /dev/null "http://127.0.0.1:$P/ok"
	done
fi
check stop_runner ctl stop "$RUN"
if command -v curl >/dev/null 2>&1; then
	check time_wait_on_freed_port in_state "$P" 06
fi
check waiter_starts_on_freed_port wait_until 5 state_is "$WAIT" running
check waiter_port [ "$(field "$WAIT" port)" = "$P" ]
check waiter_error_cleared [ "$(field "$WAIT" error)" = null ]
check runner_stays_stopped state_is "$RUN" stopped
check no_busy_skip_for_time_wait sh -c "! cat '$APPS'/*/logs/*.log | grep -q 'Port $P is in use'"
done_testing
