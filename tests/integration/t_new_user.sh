# What a new user tripped on (issue 11, items 1-5): the app is the main
# process (a simple command is exec'd, one with operators runs through the
# shell); restart checks package.json first; a start by request resets the
# attempt counter; toes.health; log lines that say what happened.
. tests/integration/lib.sh

lacks() { ! log_has "$1" "$2"; }
# pid_is_program NAME: status's pid is the fixture itself, not a shell.
pid_is_program() {
	pid=$(field "$1" pid)
	[ -n "$pid" ] && [ "$pid" != null ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = fixture ]
}
shell_parent_of() {
	pid=$(field "$1" pid)
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sh ]
}

# 1. The program is the main process; SIGTERM-and-exit-0 logs Stopped.
app plain "$FIXTURE --listen --term-exit0"
app assigned "NODE_ENV=production FOO=bar $FIXTURE --listen --env-file $T/assigned.env"
app withops "cd . && $FIXTURE --listen"
mkdir -p "$APPS/health-root/v1" "$APPS/health-off/v1" "$APPS/health-bad/v1" "$APPS/static404/v1"
printf '{"scripts":{"toes":"%s --ok-path / --listen --request-log %s"},"toes":{"health":"/"}}\n' \
	"$FIXTURE" "$T/root.req" >"$APPS/health-root/v1/package.json"
printf '{"scripts":{"toes":"%s --listen --request-log %s"},"toes":{"health":false}}\n' \
	"$FIXTURE" "$T/off.req" >"$APPS/health-off/v1/package.json"
printf '{"scripts":{"toes":"%s --listen"},"toes":{"health":"no-slash"}}\n' \
	"$FIXTURE" >"$APPS/health-bad/v1/package.json"
printf '{"scripts":{"toes":"%s --ok-path / --listen"}}\n' "$FIXTURE" >"$APPS/static404/v1/package.json"
ln -s v1 "$APPS/health-bad/current"
start_toesd --survival 2s

check plain_running wait_until 5 state_is plain running
check plain_pid_is_program pid_is_program plain
check assigned_running wait_until 5 state_is assigned running
check assigned_pid_is_program pid_is_program assigned
check assigned_env_node grep -qx "NODE_ENV=production" "$T/assigned.env"
check assigned_env_foo grep -qx "FOO=bar" "$T/assigned.env"
check withops_running wait_until 5 state_is withops running
check withops_through_shell shell_parent_of withops

check plain_stop_answered ctl stop plain
check plain_stopped_line log_has plain "[system] Stopped"
check plain_not_killed_by_15 lacks plain "Killed by signal 15"
check plain_last_exit_code_0 sh -c "'$TOESCTL' --toes-dir '$T/toes' status plain --json | grep -q '\"last_exit\":{\"code\":0,'"

# 4, 5. toes.health.
check root_running wait_until 5 state_is health-root running
check root_http [ "$(field health-root http)" = true ]
check root_probed_slash grep -q "^GET /$" "$T/root.req"
check root_never_ok sh -c "! grep -q '^GET /ok' '$T/root.req'"
check root_running_line log_has health-root "[system] Running (/ answered 200 after "
check off_running wait_until 5 state_is health-off running
check off_not_http [ "$(field health-off http)" = false ]
check off_no_request [ ! -e "$T/off.req" ]
check off_line log_has health-off "[system] Running (no health check: toes.health is false; process survived 2s)"
check bad_invalid wait_until 5 state_is health-bad invalid
check bad_error [ "$(field health-bad error)" = "toes.health must be a path starting with / or false" ]
HINT='/ok returned 404 (add a /ok route, or set "toes": {"health": "/"} or false in package.json)'
check static404_invalid wait_until 5 state_is static404 invalid
check static404_hint_line log_has static404 "[system] $HINT"
check static404_hint_error sh -c "'$TOESCTL' --toes-dir '$T/toes' status static404 --json | grep -qF '\"error\":\"Health check failed: /ok returned 404 (add a /ok route, or set \\\"toes\\\": {\\\"health\\\": \\\"/\\\"} or false in package.json)\"'"
check plain_running_line_ok log_has assigned "[system] Running (/ok answered 200 after "

# 5. Each health failure says why: a status, a refusal.
printf 200 >"$T/web.status"
app web "$FIXTURE --listen --status-file $T/web.status"
ctl reload >/dev/null
check web_running wait_until 5 state_is web running
printf 503 >"$T/web.status"
check web_fail_503 wait_until 5 log_has web "[system] Health check failed (1/3): /ok returned 503"
printf 200 >"$T/web.status"
stop_toesd

# 2, 3. restart checks package.json first; start resets the attempt counter.
rm -rf "${APPS:?}"/*
app keep "$FIXTURE --listen"
app crashy "$FIXTURE --exit-after 50"
start_toesd --restart-delays 100ms,30s
check keep_running wait_until 5 state_is keep running
pid=$(field keep pid)
printf '{"scripts":{"toes":' >"$APPS/keep/v1/package.json"
out=$(ctl restart keep 2>&1)
rc=$?
check restart_invalid_refused [ "$rc" -ne 0 ]
check restart_invalid_says_where sh -c "printf %s \"\$1\" | grep -qF 'Invalid JSON in package.json: line 1, column 20'" _ "$out"
check restart_left_process_alone [ "$(field keep pid)" = "$pid" ]
check restart_still_running state_is keep running
check crashy_long_backoff wait_until 10 log_has crashy "Scheduling restart in 30s (attempt 2)"
ctl stop crashy >/dev/null
ctl start crashy >/dev/null
check crashy_attempt_reset wait_until 5 log_has crashy "Scheduling restart in 0.1s (attempt 1)..."
check crashy_attempt_reset_twice wait_until 5 sh -c "[ \$(cat '$APPS'/crashy/logs/*.log | grep -cF '(attempt 1)...') -ge 2 ]"
stop_toesd
done_testing
