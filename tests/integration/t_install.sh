# --install-cmd runs first, in the app's folder, when node_modules is
# missing; its output goes to the log; a failure is handled as a crash.
. tests/integration/lib.sh

app good "$FIXTURE --listen"
app bad "$FIXTURE --listen"
: >"$APPS/bad/v1/fail-install"
mkdir -p "$APPS/ready/v1/node_modules"
app ready "$FIXTURE --listen"
start_toesd --install-cmd 'if [ -f fail-install ]; then echo nope >&2; exit 4; fi; mkdir node_modules; echo installed in $(pwd)'

check good_running wait_until 5 state_is good running
check good_install_line log_has good "[system] Installing dependencies..."
check good_install_output log_has good "[stdout] installed in $APPS/good/v1"
check good_install_before_start sh -c "grep -n . '$APPS'/good/logs/*.log | grep -m1 'Starting on port' | grep -q '^[3-9]:'"
check good_node_modules test -d "$APPS/good/v1/node_modules"
check bad_install_failed wait_until 5 log_has bad "[system] Install failed (exit 4)"
check bad_install_stderr log_has bad "[stderr] nope"
check bad_restart_scheduled wait_until 5 log_has bad "Scheduling restart in"
check bad_no_app_started [ "$(log_count bad "Starting on port")" -eq 0 ]
check ready_running wait_until 5 state_is ready running
check ready_no_install [ "$(log_count ready "Installing dependencies")" -eq 0 ]
# Restarting an installed app does not install again.
ctl restart good >/dev/null
check good_restarted wait_until 5 state_is good running
check good_installed_once [ "$(log_count good "Installing dependencies")" -eq 1 ]
done_testing
