# Status shows the sub-state of SPEC §3 (the `detail` key in JSON, beside
# the state in the table): backoff, waiting-port, by-request, installing,
# draining; and the table's columns are sized to their longest value.
. tests/integration/lib.sh

has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
detail_is() { [ "$(field "$1" detail)" = "$2" ]; }
# row NAME: the app's line of the table.
row() { ctl status | awk -v n="$1" '$2 == n'; }
row_has() { row "$1" | grep -qF -- "$2"; }

# One port for three apps: the first takes it, the others wait.
app alpha "$FIXTURE"
app beta "$FIXTURE"
app crash "$FIXTURE --exit-after 0"
# A long stop timeout: draining lasts until the test ends it.
start_toesd --ports "$PORT_BASE-$PORT_BASE" --restart-delays 30s --stop-timeout 30s

check alpha_running wait_until 5 state_is alpha running
check alpha_no_detail detail_is alpha null
check beta_waiting_port detail_is beta waiting-port
check beta_waiting_in_table row_has beta "stopped (waiting for a port)"
check beta_error_no_ports [ "$(field beta error)" = "No available ports" ]

out=$(ctl stop beta 2>&1)
check stop_cancels_port_wait [ "$out" = "stopped beta (cancelled its wait for a port)" ]
check beta_by_request detail_is beta by-request
check beta_by_request_in_table row_has beta "stopped (by request)"

# crash waits for a port too; alpha stops: crash gets it, crashes, backs off.
ctl stop alpha >/dev/null
check crash_backoff wait_until 5 detail_is crash backoff
check crash_backoff_in_table row_has crash "stopped (restart in"
check crash_backoff_attempt row_has crash "attempt 1)"
check crash_next_restart_set [ "$(field crash next_restart_ms)" != null ]
out=$(ctl stop crash 2>&1)
check stop_cancels_restart [ "$out" = "stopped crash (cancelled its scheduled restart)" ]
check crash_by_request detail_is crash by-request

# Columns sized to the longest value: every row's STATE column starts
# where the header's does, and the longest state fits.
table=$(ctl status)
col=$(printf '%s\n' "$table" | head -n 1 | awk '{ print index($0, "STATE") }')
check table_header_has_state [ "$col" -gt 0 ]
misaligned=$(printf '%s\n' "$table" | tail -n +2 | awk -v c="$col" '{
	# the icon is 4 bytes for 2 columns: bytes run 2 ahead of columns
	s = substr($0, c + 2, 7); if (s != "stopped" && s != "running") print }')
check table_columns_aligned [ -z "$misaligned" ]
check table_longest_state_whole sh -c "printf '%s\n' \"\$1\" | grep -qF 'stopped (by request)  '" _ "$table"
stop_toesd

# installing: the install command runs until the startup timeout.
rm -rf "${APPS:?}"/*
app inst "$FIXTURE"
start_toesd --install-cmd "$FIXTURE" --startup-timeout 30s
check inst_installing wait_until 5 detail_is inst installing
check inst_installing_in_table row_has inst "starting (installing)"
check inst_state_starting state_is inst starting
ctl stop inst >/dev/null
stop_toesd

# draining: the main process exits (code 3), two children that ignore
# SIGTERM live on; until they go the app is stopping (draining).
rm -rf "${APPS:?}"/*
app drain "$FIXTURE --fork 2 --ignore-term --pids $T/drain.pids --exit-after 300 --code 3"
start_toesd --stop-timeout 30s --restart-delays 30s
check drain_spawned wait_until 5 has_lines "$T/drain.pids" 3
check drain_draining wait_until 5 detail_is drain draining
check drain_draining_in_table row_has drain "stopping (draining)"
check drain_pid_null [ "$(field drain pid)" = null ]
# The test ends it: the children go, the run ends, a restart is scheduled.
kill -KILL $(sed -n 2,3p "$T/drain.pids")
check drain_run_over wait_until 5 detail_is drain backoff
check drain_exit_logged log_has drain "Exited with code 3"
ctl stop drain >/dev/null
done_testing
