# start, stop and restart --all (SPEC §8; issue 11 item 7): the same
# request for every app, one line per app in name order, exit 1 if any
# failed (the failed lines on standard error, led by "toesctl: "). A stop
# answers once every group is gone, a start or restart once every app is
# spawned: one app held in stopping (a gate) holds the whole answer.
. tests/integration/lib.sh

RAWSOCK=$BUILD/fixtures/rawsock
SOCK=$T/toes/toesd.sock
GATE=$T/gate

lines_of() { printf '%s' "$1" | grep -c .; }
line() { printf '%s\n' "$1" | sed -n "$2p"; }
is_pid() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac }
gone() { ! alive "$1"; }
# new_pid NEW OLD: NEW is a pid, not OLD.
new_pid() { is_pid "$1" && [ "$1" != "$2" ]; }
# still_waiting PID FILE: toesctl PID has not answered: alive, nothing printed.
still_waiting() { alive "$1" && [ ! -s "$2" ]; }

app alpha "$FIXTURE --listen"
app beta "$FIXTURE"
app crash "$FIXTURE --exit-after 0 --code 3"
mkdir -p "$APPS/dud/v1"
echo '{"name":"dud","scripts":{}}' >"$APPS/dud/v1/package.json"
ln -s v1 "$APPS/dud/current"
# A stop timeout longer than any hold: only the gate ends slow.
start_toesd --restart-delays 30s --stop-timeout 30s

check alpha_running wait_until 5 state_is alpha running
check beta_running wait_until 5 state_is beta running
check crash_backoff wait_until 5 sh -c "'$TOESCTL' --toes-dir '$T/toes' status crash --json | grep -q '\"detail\":\"backoff\"'"
check dud_invalid state_is dud invalid
a1=$(field alpha pid)
b1=$(field beta pid)

# --- stop --all: one line per app, name order, exit 0 --------------------

out=$(ctl stop --all 2>"$T/err")
check stop_all_exit_0 [ $? -eq 0 ]
check stop_all_no_stderr [ ! -s "$T/err" ]
check stop_all_one_line_per_app [ "$(lines_of "$out")" -eq 4 ]
check stop_all_alpha [ "$(line "$out" 1)" = "stopped alpha" ]
check stop_all_beta [ "$(line "$out" 2)" = "stopped beta" ]
check stop_all_crash [ "$(line "$out" 3)" = "stopped crash (cancelled its scheduled restart)" ]
check stop_all_dud [ "$(line "$out" 4)" = "dud is already invalid" ]
check stop_all_groups_gone_at_answer none_alive "$a1" "$b1"
for a in alpha beta crash; do
	check "stop_all_${a}_by_request" [ "$(field "$a" detail)" = by-request ]
done

out=$(ctl stop --all 2>&1)
check stop_all_again_exit_0 [ $? -eq 0 ]
check stop_all_again_says_so [ "$(line "$out" 1)" = "alpha is already stopped" ]

# --- start --all: the invalid app fails, on standard error; exit 1 -------

ctl start --all >"$T/out" 2>"$T/err"
check start_all_exit_1 [ $? -eq 1 ]
check start_all_stdout_three [ "$(grep -c . "$T/out")" -eq 3 ]
check start_all_alpha grep -q '^started alpha (pid [0-9]*, port [0-9]*)$' "$T/out"
check start_all_beta grep -q '^started beta (pid [0-9]*, port [0-9]*)$' "$T/out"
check start_all_crash grep -q '^started crash (pid [0-9]*, port [0-9]*)$' "$T/out"
check start_all_order [ "$(cut -d' ' -f2 "$T/out" | tr '\n' ' ')" = "alpha beta crash " ]
check start_all_stderr_one [ "$(grep -c . "$T/err")" -eq 1 ]
check start_all_dud_failed grep -qx 'toesctl: dud did not start: Missing scripts.toes in package.json' "$T/err"
a2=$(field alpha pid)
check start_all_alpha_pid is_pid "$a2"
check start_all_alpha_pid_answered grep -q "^started alpha (pid $a2," "$T/out"
check alpha_running_again wait_until 5 state_is alpha running
check beta_running_again wait_until 5 state_is beta running

# --- the answer waits for the slowest app --------------------------------

ctl stop crash >/dev/null
rm -rf "${APPS:?}/dud"
ctl reload >/dev/null
app slow "$FIXTURE --gate-exit $GATE"
ctl reload >/dev/null
check slow_running wait_until 5 state_is slow running
s1=$(field slow pid)
b2=$(field beta pid)

ctl stop --all >"$T/stop.out" 2>&1 &
stopper=$!
check stop_all_beta_stopped_first wait_until 5 state_is beta stopped
check stop_all_slow_stopping state_is slow stopping
# The gate holds slow: an answer sent too early would show within this.
sleep 1
check stop_all_waits_for_slow still_waiting "$stopper" "$T/stop.out"
: >"$GATE"
check stop_all_answered wait_until 5 gone "$stopper"
wait "$stopper"
check stop_all_slow_exit_0 [ $? -eq 0 ]
check stop_all_slow_gone_at_answer gone "$s1"
check stop_all_slow_lines [ "$(grep -c . "$T/stop.out")" -eq 4 ]
check stop_all_slow_line grep -qx 'stopped slow' "$T/stop.out"
check stop_all_beta_line grep -qx 'stopped beta' "$T/stop.out"
check stop_all_beta_gone gone "$b2"
rm -f "$GATE"

# restart --all: answered once every app runs a new process; the slow one
# is held in stopping until the gate opens.
ctl start --all >/dev/null 2>&1
check slow_running_again wait_until 5 state_is slow running
check alpha_running_3 wait_until 5 state_is alpha running
s2=$(field slow pid)
a3=$(field alpha pid)
ctl restart --all >"$T/restart.out" 2>"$T/restart.err" &
restarter=$!
check restart_all_slow_stopping wait_until 5 state_is slow stopping
sleep 1
check restart_all_waits_for_slow still_waiting "$restarter" "$T/restart.out"
: >"$GATE"
check restart_all_answered wait_until 5 gone "$restarter"
wait "$restarter"
check restart_all_exit_0 [ $? -eq 0 ]
s3=$(field slow pid)
a4=$(field alpha pid)
check restart_all_slow_new_pid new_pid "$s3" "$s2"
check restart_all_alpha_new_pid new_pid "$a4" "$a3"
check restart_all_slow_line grep -q "^restarted slow (pid $s3, port [0-9]*)$" "$T/restart.out"
check restart_all_alpha_line grep -q "^restarted alpha (pid $a4, port [0-9]*)$" "$T/restart.out"
check restart_all_old_gone none_alive "$s2" "$a3"
check restart_all_lines [ "$(grep -c . "$T/restart.out")" -eq 4 ]
check restart_all_no_stderr [ ! -s "$T/restart.err" ]
# The gate stays open: slow stops at once from here on.

# restart --all checks first: a broken package.json answers its error for
# that app (exit 1) and leaves its process alone; the others restart.
b3=$(field beta pid)
echo '{"scripts":' >"$APPS/beta/v1/package.json"
ctl restart --all >"$T/out" 2>"$T/err"
check restart_all_broken_exit_1 [ $? -eq 1 ]
check restart_all_broken_on_stderr grep -q '^toesctl: beta not restarted: Invalid JSON in package.json: line' "$T/err"
check restart_all_broken_left_alone [ "$(field beta pid)" = "$b3" ]
check restart_all_others_on_stdout [ "$(grep -c '^restarted ' "$T/out")" -eq 3 ]

# --- the request's form -------------------------------------------------

ctl stop --all alpha >/dev/null 2>"$T/err"
check all_and_name_usage_2 [ $? -eq 2 ]
check all_and_name_says_usage grep -q '^toesctl: stop takes one NAME or --all' "$T/err"
ctl start --every >/dev/null 2>"$T/err"
check unknown_option_usage_2 [ $? -eq 2 ]
"$RAWSOCK" "$SOCK" 'text:stop\t--all\tbeta\n' >"$T/raw.out" 2>&1
check raw_all_and_name_2 [ "$(head -n 1 "$T/raw.out")" = 2 ]
# On the wire each line of --all carries its own code.
"$RAWSOCK" "$SOCK" 'text:start\t--all\n' >"$T/raw.out" 2>&1
check raw_all_code_line [ "$(head -n 1 "$T/raw.out")" = 0 ]
check raw_all_lines_coded [ "$(tail -n +2 "$T/raw.out" | grep -c '^0 ')" -eq 4 ]

# No app at all: one line, exit 0.
stop_toesd
rm -rf "${APPS:?}"/*
start_toesd
out=$(ctl stop --all 2>&1)
check no_apps_exit_0 [ $? -eq 0 ]
check no_apps_line [ "$out" = "no apps" ]
done_testing
