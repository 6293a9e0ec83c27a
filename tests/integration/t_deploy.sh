# Deploys and rollback (SPEC §10, issue 13 items 3 and 4): a new version
# that crashes at start, answers /ok with 500 or hits the startup timeout
# is rolled back (current on the old version, the old version running, one
# log line naming both and why); --no-rollback leaves it; toesctl deploy
# checks first and answers once running or rolled back; toesctl rollback;
# --keep-versions removes old version folders once a deploy is stable.
. tests/integration/lib.sh

lines_of() { printf '%s\n' "$1" | grep -c .; }
version_is() { [ "$(field "$1" version)" = "$2" ]; }
current_is() { [ "$(readlink "$APPS/web/current")" = "$1" ]; }
pkg() { mkdir -p "$APPS/web/$1" && printf '{"scripts":{"toes":"%s"}}\n' "$2" >"$APPS/web/$1/package.json"; }
back_on() { current_is "$1" && version_is web "$1" && state_is web running; }

echo 500 >"$T/500"
echo hang >"$T/hang"
pkg v1 "$FIXTURE --listen"
pkg v2 "$FIXTURE --exit-after 50 --code 1"
pkg v3 "$FIXTURE --listen --status-file $T/500"
pkg v4 "$FIXTURE --listen --status-file $T/hang"
pkg v5 "$FIXTURE --listen"
pkg v7 "$FIXTURE --exit-after 50 --code 0"
pkg v8 "$FIXTURE --listen --gate-listen $T/v8.gate"
mkdir -p "$APPS/web/v6" && printf '{"scripts":' >"$APPS/web/v6/package.json"
ln -s v1 "$APPS/web/current"
TIMING="--watch-debounce 50ms --restart-delays 50ms --startup-poll 50ms --startup-timeout 600ms --startup-probe-timeout 200ms"
# shellcheck disable=SC2086
start_toesd $TIMING
check v1_running wait_until 5 state_is web running

# --- a flip of current by hand: rolled back when it does not come up ------

ln -sfn v2 "$APPS/web/current"
check crash_rolled_back wait_until 10 back_on v1
check crash_logged log_has web "Deploy of v2 failed (exited with code 1 during startup); rolled back to v1"
check crash_three_attempts [ "$(log_count web "Process died during startup")" -eq 3 ]

ln -sfn v3 "$APPS/web/current"
check status_500_rolled_back wait_until 10 back_on v1
check status_500_logged log_has web "Deploy of v3 failed (/ok returned 500); rolled back to v1"

ln -sfn v4 "$APPS/web/current"
check timeout_rolled_back wait_until 15 back_on v1
check timeout_logged log_has web "Deploy of v4 failed (startup timeout); rolled back to v1"

# A version that exits 0 while starting: nothing retries it, rolled back at once.
ln -sfn v7 "$APPS/web/current"
check exit0_rolled_back wait_until 10 back_on v1
check exit0_logged log_has web "Deploy of v7 failed (exited with code 0 during startup); rolled back to v1"

# --- toesctl deploy and rollback ----------------------------------------

out=$(ctl deploy web v5 2>&1)
check deploy_exit_0 [ $? -eq 0 ]
check deploy_answer sh -c 'printf %s "$1" | grep -q "^web is running v5 (pid [0-9]*, port [0-9]*)$"' _ "$out"
check deploy_current current_is v5
check deploy_running state_is web running
check deploy_version version_is web v5

out=$(ctl rollback web 2>&1)
check rollback_exit_0 [ $? -eq 0 ]
check rollback_answer sh -c 'printf %s "$1" | grep -q "^web is running v1 (pid"' _ "$out"
check rollback_current current_is v1

pid=$(field web pid)
out=$(ctl deploy web v6 2>&1)
check deploy_invalid_exit_1 [ $? -eq 1 ]
check deploy_invalid_one_line [ "$(lines_of "$out")" -eq 1 ]
check deploy_invalid_says_why sh -c 'printf %s "$1" | grep -qF "v6/package.json: Invalid JSON in package.json: line 1, column 12"' _ "$out"
check deploy_invalid_nothing_changed sh -c "[ '$(readlink "$APPS/web/current")' = v1 ] && [ '$(field web pid)' = '$pid' ]"
ctl deploy web nosuch >/dev/null 2>&1
check deploy_missing_exit_1 [ $? -eq 1 ]
check deploy_missing_unchanged current_is v1
ctl deploy web ../other >/dev/null 2>&1
check deploy_path_refused [ $? -eq 1 ]
out=$(ctl deploy web v1 2>&1)
check deploy_same_exit_0 [ $? -eq 0 ]
check deploy_same_says [ "$out" = "web is on v1 already" ]

out=$(ctl deploy web v2 2>&1)
check deploy_fail_exit_1 [ $? -eq 1 ]
check deploy_fail_answer sh -c 'printf %s "$1" | grep -q "deploy of v2 to web failed (exited with code 1 during startup); rolled back to v1; now on v1 (pid"' _ "$out"
check deploy_fail_back_on_v1 wait_until 5 back_on v1
out=$(ctl rollback web 2>&1)
check rollback_none_exit_1 [ $? -eq 1 ]
check rollback_none_says sh -c 'printf %s "$1" | grep -qF "no version to roll back to"' _ "$out"

# A stop during the trial answers the deploy (v8 waits at its gate).
ctl deploy web v8 >"$T/d8.out" 2>&1 &
d8=$!
check trial_starting wait_until 5 sh -c "grep -qF 'Deploying v8' '$APPS'/web/logs/*.log"
ctl stop web >/dev/null 2>&1
wait "$d8"
check trial_stop_exit_1 [ $? -eq 1 ]
check trial_stop_answer grep -qF "deploy of v8 to web not finished: stopped by request" "$T/d8.out"
: >"$T/v8.gate"

# The rollback target deleted meanwhile: current is left where it is.
ln -sfn v1 "$APPS/web/current"
ctl start web >/dev/null 2>&1
check v1_again wait_until 5 back_on v1
cp -a "$APPS/web/v1" "$APPS/web/v9"
ln -sfn v2 "$APPS/web/current"
check deleted_target_trial wait_until 5 sh -c "grep -qF 'Deploying v2 (was v1)' '$APPS'/web/logs/*.log"
rm -rf "$APPS/web/v1"
check deleted_target_said wait_until 10 log_has web "Deploy of v2 failed (exited with code 1 during startup); cannot roll back to v1"
check deleted_target_current_stays current_is v2
mv "$APPS/web/v9" "$APPS/web/v1"
ln -sfn v1 "$APPS/web/current"
check v1_for_the_next wait_until 10 back_on v1
stop_toesd

# --- --no-rollback: the new version stays, in its backoff --------------------

# shellcheck disable=SC2086
start_toesd $TIMING --no-rollback
check nr_v1_running wait_until 5 state_is web running
ln -sfn v2 "$APPS/web/current"
check nr_said wait_until 10 log_has web "Deploy of v2 failed (exited with code 1 during startup); not rolled back (--no-rollback)"
check nr_current_stays current_is v2
check nr_version_stays version_is web v2
stop_toesd

# --- --keep-versions 1: once v5 is stable, the old folders go ---------------

ln -sfn v1 "$APPS/web/current"
# shellcheck disable=SC2086
start_toesd $TIMING --keep-versions 1 --stable-time 300ms
check kv_v1_running wait_until 5 state_is web running
out=$(ctl deploy web v5 2>&1)
check kv_deployed [ $? -eq 0 ]
# Kept: v8 (the newest name), v5 (current) and v1 (the rollback target).
check kv_old_removed wait_until 5 sh -c "for v in v2 v3 v4 v6 v7; do [ ! -e '$APPS/web/'\$v ] || exit 1; done"
check kv_kept sh -c "[ -d '$APPS/web/v1' ] && [ -d '$APPS/web/v5' ] && [ -d '$APPS/web/v8' ] && [ -d '$APPS/web/logs' ]"
check kv_logged log_has web "Removing 5 old versions (--keep-versions 1): "
check kv_still_running state_is web running
done_testing
