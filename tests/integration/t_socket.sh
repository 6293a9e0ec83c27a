# The control socket (SPEC §8), what t_ctl.sh and t_budget.sh leave out:
# SO_PEERCRED serves root and toesd's own user only (another user is told
# so and its request is not obeyed); 100 clients that send nothing or half
# a request, held open, delay neither toesctl nor the apps (a crash loop
# keeps restarting, an HTTP app keeps passing its checks); 40 toesctl at
# once all get a whole answer; a request over 4096 bytes, a second request
# on one connection and names with invalid UTF-8 or control characters
# each get one line.
. tests/integration/lib.sh

RAWSOCK=$BUILD/fixtures/rawsock
HALF=$BUILD/fixtures/halfconns
SOCK=$T/toes/toesd.sock

answers_json() { ctl status crash --json >/dev/null 2>&1; }
restarts_at_least() { [ "$(log_count crash "Restarting...")" -ge "$1" ]; }
# reported KEY: a value from halfconns' report.
reported() { sed -n "s/^$1 //p" "$T/half.report"; }
report_is() { [ "$(reported "$1")" = "$2" ]; }
# answer_is FILE CODE TEXT: rawsock got exactly CODE, then the one line TEXT.
answer_is() {
	[ "$(wc -l <"$1")" -eq 2 ] && [ "$(sed -n 1p "$1")" = "$2" ] && [ "$(sed -n 2p "$1")" = "$3" ]
}
# xs N: N times 'x'.
xs() { printf "%$1s" "" | tr ' ' x; }
# whole_json FILE: one line, the array of both apps, from [ to ].
whole_json() {
	[ "$(wc -l <"$1")" -eq 1 ] && grep -q '^\[{"name":"crash",.*},{"name":"web",.*}\]$' "$1"
}

app web "$FIXTURE --listen"
app crash "$FIXTURE --exit-after 100 --code 1"
start_toesd --restart-delays 100ms --health-interval 100ms
check web_running wait_until 5 state_is web running
check crash_looping wait_until 5 restarts_at_least 1
web_pid=$(field web pid)

# --- SO_PEERCRED: another user reaches the socket but is refused ---------

# as_nobody CMD...: CMD as the user nobody, with no root group left.
nobody_group=
for g in nogroup nobody; do
	if getent group "$g" >/dev/null 2>&1; then nobody_group=$g && break; fi
done
as_nobody=
if [ "$(id -u)" != 0 ]; then
	why="not root: no other user to connect as"
elif ! id -u nobody >/dev/null 2>&1 || [ -z "$nobody_group" ]; then
	why="no user nobody with a group nogroup or nobody"
elif command -v setpriv >/dev/null 2>&1; then
	as_nobody="setpriv --reuid=nobody --regid=$nobody_group --clear-groups"
elif command -v runuser >/dev/null 2>&1; then
	as_nobody="runuser -u nobody -g $nobody_group --"
else
	why="neither setpriv nor runuser is installed"
fi
if [ -n "$as_nobody" ]; then
	# The file mode no longer keeps nobody out: only toesd's check does.
	chmod 0755 "$T" "$T/toes"
	chmod 0666 "$SOCK"
	ctl_nobody=$TOESCTL
	# shellcheck disable=SC2086
	if ! $as_nobody test -x "$TOESCTL"; then
		cp "$TOESCTL" "$T/toesctl" && ctl_nobody=$T/toesctl
	fi
	# shellcheck disable=SC2086
	if ! $as_nobody test -w "$SOCK"; then
		as_nobody=""
		why="nobody cannot reach $SOCK (a folder above it is closed)"
	fi
fi
if [ -z "$as_nobody" ]; then
	skip peercred_refused "$why"
else
	# shellcheck disable=SC2086
	$as_nobody "$ctl_nobody" --run-dir "$T/toes" status >"$T/pc.out" 2>"$T/pc.err"
	check peercred_nobody_exit_1 [ $? -eq 1 ]
	check peercred_nobody_told_why grep -qx "toesctl: permission denied: toesd serves root and its own user only" "$T/pc.err"
	check peercred_nobody_one_line [ "$(wc -l <"$T/pc.err")" -eq 1 ]
	check peercred_nobody_no_status [ ! -s "$T/pc.out" ]
	# A refused request is not obeyed: web is not stopped.
	# shellcheck disable=SC2086
	$as_nobody "$ctl_nobody" --run-dir "$T/toes" stop web >"$T/pc.out" 2>"$T/pc.err"
	check peercred_stop_exit_1 [ $? -eq 1 ]
	check peercred_stop_told_why grep -qx "toesctl: permission denied: toesd serves root and its own user only" "$T/pc.err"
	check peercred_stop_not_obeyed [ "$(field web pid)" = "$web_pid" ]
	check peercred_stop_web_running state_is web running
	check peercred_stop_not_logged sh -c "! grep -qF '[web] Stopping' '$T/toesd.log'"
	ctl status >"$T/pc.out" 2>&1
	check peercred_root_after_exit_0 [ $? -eq 0 ]
	check peercred_root_after_table grep -q "web" "$T/pc.out"
	chmod 0600 "$SOCK"
fi

# A toesd run by nobody serves nobody (its own user) and root, and refuses
# a third user: the rule is "root or my user", not "root only".
if [ -z "$as_nobody" ]; then
	skip peercred_own_user "$why"
elif ! command -v setpriv >/dev/null 2>&1; then
	skip peercred_own_user "setpriv is not installed (a third user needs a numeric uid)"
else
	nobody_uid=$(id -u nobody)
	other_uid=$((nobody_uid - 1))
	mkdir -p "$T/n/apps"
	chown -R "nobody:$nobody_group" "$T/n"
	# Its working folder in $T, so that kill_leftovers finds it if this fails.
	(cd "$T/n" && exec setpriv --reuid=nobody --regid="$nobody_group" --clear-groups \
		"$TOESD" --data-dir "$T/n" --ports "$((PORT_BASE + 18))-$((PORT_BASE + 19))" \
		>>"$T/nobody-toesd.log" 2>&1) &
	nobody_toesd=$!
	check own_user_socket wait_until 5 test -S "$T/n/toes/toesd.sock"
	setpriv --reuid=nobody --regid="$nobody_group" --clear-groups \
		"$ctl_nobody" --run-dir "$T/n/toes" status >"$T/own.out" 2>"$T/own.err"
	check own_user_served [ $? -eq 0 ]
	check own_user_table grep -q "NAME" "$T/own.out"
	"$TOESCTL" --run-dir "$T/n/toes" status >"$T/own.out" 2>"$T/own.err"
	check own_user_root_served [ $? -eq 0 ]
	chmod 0755 "$T/n" "$T/n/toes"
	chmod 0666 "$T/n/toes/toesd.sock"
	setpriv --reuid="$other_uid" --regid="$other_uid" --clear-groups \
		"$ctl_nobody" --run-dir "$T/n/toes" status >"$T/own.out" 2>"$T/own.err"
	check own_user_other_uid_exit_1 [ $? -eq 1 ]
	check own_user_other_uid_refused grep -qx "toesctl: permission denied: toesd serves root and its own user only" "$T/own.err"
	kill -TERM "$nobody_toesd"
	check own_user_toesd_stopped wait_until 10 sh -c "! kill -0 $nobody_toesd 2>/dev/null"
	wait "$nobody_toesd"
	check own_user_toesd_exit_0 [ $? -eq 0 ]
fi

# --- malformed requests: one line each, then closed ------------------------

# 4096 bytes with the newline is the most a request may be: served.
"$RAWSOCK" "$SOCK" "text:status\\t$(xs 4088)\\n" >"$T/raw.out" 2>&1
check raw_4096_closed [ $? -eq 0 ]
check raw_4096_served answer_is "$T/raw.out" 1 "no app named '$(xs 200)'"
# One byte more: too long, one line, closed.
"$RAWSOCK" "$SOCK" "text:status\\t$(xs 4089)\\n" >"$T/raw.out" 2>&1
check raw_4097_closed [ $? -eq 0 ]
check raw_4097_one_error_line answer_is "$T/raw.out" 2 "request too long (at most 4096 bytes)"
# Far over, with a second request after the newline: still one line.
"$RAWSOCK" "$SOCK" "text:status\\t$(xs 9000)\\nstatus\\n" >"$T/raw.out" 2>&1
check raw_9000_closed [ $? -eq 0 ]
check raw_9000_one_error_line answer_is "$T/raw.out" 2 "request too long (at most 4096 bytes)"
# The limit holds however the bytes come: 4000 bytes (read by toesd),
# then 201 more with the newline, is a 4201-byte request: too long.
"$RAWSOCK" "$SOCK" "split:4000:status\\t$(xs 4193)\\n" >"$T/raw.out" 2>&1
check raw_split_4201_closed [ $? -eq 0 ]
check raw_split_4201_too_long answer_is "$T/raw.out" 2 "request too long (at most 4096 bytes)"
"$RAWSOCK" "$SOCK" "split:4000:status\\t$(xs 4088)\\n" >"$T/raw.out" 2>&1
check raw_split_4096_served answer_is "$T/raw.out" 1 "no app named '$(xs 200)'"

# One request a connection: a second line is never obeyed.
"$RAWSOCK" "$SOCK" 'text:status\tcrash\t--json\nstop\tweb\n' >"$T/raw.out" 2>&1
check raw_second_request_closed [ $? -eq 0 ]
check raw_second_request_first_answered grep -q '^{"name":"crash",' "$T/raw.out"
check raw_second_request_one_answer [ "$(wc -l <"$T/raw.out")" -eq 2 ]
check raw_second_request_not_obeyed [ "$(field web pid)" = "$web_pid" ]

# Invalid UTF-8 and controls in a name: one line, the bytes escaped.
bad=$(printf '\377\033[2J\r\302\233ok')
shown="\\xff\\x1b[2J\\x0d\\xc2\\x9bok"
"$RAWSOCK" "$SOCK" 'text:status\t'"$bad"'\n' >"$T/raw.out" 2>&1
check raw_bad_name_closed [ $? -eq 0 ]
check raw_bad_name_status_one_line answer_is "$T/raw.out" 1 "no app named '$shown'"
"$RAWSOCK" "$SOCK" 'text:stop\t'"$bad"'\n' >"$T/raw.out" 2>&1
check raw_bad_name_stop_one_line answer_is "$T/raw.out" 1 "no app named '$shown'"
"$RAWSOCK" "$SOCK" 'text:status\t-'"$bad"'\n' >"$T/raw.out" 2>&1
check raw_bad_option_one_line answer_is "$T/raw.out" 2 "unknown option '-$shown' for status (usage: status [NAME] [--json])"
"$RAWSOCK" "$SOCK" 'text:'"$bad"'\tweb\n' >"$T/raw.out" 2>&1
check raw_bad_request_one_line answer_is "$T/raw.out" 2 "unknown request '$shown'"
# Cut at 200 bytes inside a two-byte character: the half left is escaped.
"$RAWSOCK" "$SOCK" "text:status\\t$(xs 199)$(printf '\303\251')\\n" >"$T/raw.out" 2>&1
check raw_cut_utf8_one_line answer_is "$T/raw.out" 1 "no app named '$(xs 199)\\xc3'"
# The real toesctl: the same one line, on standard error.
ctl status "$bad" >"$T/bad.out" 2>"$T/bad.err"
check ctl_bad_name_exit_1 [ $? -eq 1 ]
check ctl_bad_name_one_line [ "$(wc -l <"$T/bad.err")" -eq 1 ]
check ctl_bad_name_escaped [ "$(cat "$T/bad.err")" = "toesctl: no app named '$shown'" ]
check ctl_bad_name_no_stdout [ ! -s "$T/bad.out" ]
check raw_toesd_alive alive "$TOESD_PID"
check raw_web_untouched [ "$(field web pid)" = "$web_pid" ]

# --- 100 clients that never finish a request, held open -----------------

# 50 silent and 50 with half a request; toesd keeps 64 (the cap) and closes
# the 36 that waited longest, each with an error line. Nothing else
# connects until the report says so, so the numbers are exact.
"$HALF" "$SOCK" 50 50 'status\t--json' "$T/half.report" 2>"$T/half.err" &
half_pid=$!
check held_all_opened wait_until 10 test -s "$T/half.report"
check held_opened_100 report_is opened 100
check held_36_evicted wait_until 5 report_is closed_by_server 36
check held_64_open report_is open_now 64
check held_evicted_told_why report_is answered 36
check held_evicted_line report_is last_answer "closed: 64 control connections are open, and this connection sent no request"
r0=$(log_count crash "Restarting...")

# toesctl gets in at once (a stall would hit its 2 s timeout).
"$TOESCTL" --timeout 2s --data-dir "$T" status >"$T/held.out" 2>"$T/held.err"
check held_status_exit_0 [ $? -eq 0 ]
check held_status_table grep -q "crash" "$T/held.out"
check held_status_no_error [ ! -s "$T/held.err" ]

# 40 at once, while the crash loop runs: each exits 0 with the whole array.
i=0 pids=
while [ "$i" -lt 40 ]; do
	(
		"$TOESCTL" --timeout 5s --data-dir "$T" status --json >"$T/par.$i.out" 2>"$T/par.$i.err"
		echo $? >"$T/par.$i.rc"
	) &
	pids="$pids $!"
	i=$((i + 1))
done
# The apps are not delayed: crash is restarted three more times meanwhile.
check held_crash_restarts_3_more wait_until 5 restarts_at_least $((r0 + 3))
# shellcheck disable=SC2086
wait $pids
ok=0 whole=0 i=0
while [ "$i" -lt 40 ]; do
	[ "$(cat "$T/par.$i.rc")" = 0 ] && ok=$((ok + 1))
	whole_json "$T/par.$i.out" && whole=$((whole + 1))
	i=$((i + 1))
done
check "parallel_40_exit_0_${ok}" [ "$ok" -eq 40 ]
check "parallel_40_whole_json_${whole}" [ "$whole" -eq 40 ]
check parallel_40_no_error sh -c "! cat '$T'/par.*.err | grep -q ."
# Still held at the end: a toesctl that came while 64 were open took the
# place of one of them (41 came), none went by the 5 s request timeout.
open_now=$(reported open_now)
check "held_throughout_${open_now}_open" [ "$open_now" -ge 23 ] && [ "$open_now" -le 63 ]
check held_web_same_pid [ "$(field web pid)" = "$web_pid" ]
check held_web_running state_is web running
check held_no_failed_check sh -c "! grep -qF 'Health check failed' '$T/toesd.log'"
kill -TERM "$half_pid"
wait "$half_pid"
check held_fixture_exit_0 [ $? -eq 0 ]
check held_fixture_no_error [ ! -s "$T/half.err" ]
check after_status_answers answers_json
check toesd_alive alive "$TOESD_PID"
stop_toesd
check toesd_exit_0 [ "$TOESD_RC" -eq 0 ]
done_testing
