# toesd's own HTTP endpoint (SPEC §14) over real sockets: every route with
# its status and Content-Type; /api/apps byte-equal to `toesctl status
# --json` once the apps are settled; an app's object and 404; logs with n,
# the 10,000 bound and a bad n; HEAD as GET without a body; 405 with Allow;
# 404; keep-alive and pipelining, HTTP/1.0 closing unless keep-alive;
# /events (the snapshot, a stop, a removal); the limits: 64 connections
# then 503, a head over 8 KiB (431), a head not done within 5 s (408 and
# close, measured from the client), slow senders that delay nobody, an
# /events client that stops reading dropped and every descriptor back;
# paths that never reach the file system; JSON with <script> and quotes
# escaped; the warning for an address beyond loopback. Clients:
# tests/fixtures/httpget.c (one connection) and httphold.c (many held).
. tests/integration/lib.sh

GET=$BUILD/fixtures/httpget
HOLD=$BUILD/fixtures/httphold
HP=$((PORT_BASE + 19))
ADDR=127.0.0.1:$HP

# hget PATH [OPTION...]: httpget's answer for PATH on toesd's endpoint.
hget() {
	hg_path=$1
	shift
	"$GET" "$@" "$ADDR" "$hg_path"
}
code() {
	cd_path=$1
	shift
	hget "$cd_path" --status "$@"
}
ctype() { hget "$1" --header Content-Type; }
says() { printf '%s\n' "$1" | grep -qF -- "$2"; }
is_num() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }
# json_ok FILE: FILE is valid JSON (toesctl check: 0 an app, 1 JSON but not one, 2 invalid).
json_ok() {
	"$TOESCTL" check "$1" >/dev/null 2>&1
	[ $? -le 1 ]
}
# same_bytes FILE COMMAND...: the command's output is FILE's bytes.
same_bytes() {
	sb_file=$1
	shift
	"$@" >"$T/same.out" 2>/dev/null && cmp -s "$sb_file" "$T/same.out"
}
# report FILE KEY: KEY's value in a report file ("key value" lines).
report() { sed -n "s/^$2 //p" "$1" 2>/dev/null; }
all_running() {
	for ar_app in "$@"; do
		state_is "$ar_app" running || return 1
	done
}
fdcount() {
	set -- "/proc/$TOESD_PID/fd"/*
	echo "$#"
}
# fd_floor: toesd's fewest descriptors over half a second (a health probe
# holds one for a moment).
fd_floor() {
	ff_min=999999 ff_k=0
	while [ "$ff_k" -lt 10 ]; do
		ff_c=$(fdcount)
		[ "$ff_c" -lt "$ff_min" ] && ff_min=$ff_c
		sleep 0.05
		ff_k=$((ff_k + 1))
	done
	echo "$ff_min"
}
# toesd_holds CLIENT_PORT: toesd still has its end of the connection from
# that port (found in /proc/net/tcp, owned by one of toesd's descriptors).
toesd_holds() {
	th_ino=$(awk -v l="$(printf ':%04X' "$HP")" -v r="$(printf ':%04X' "$1")" \
		'substr($2, length($2) - 4) == l && substr($3, length($3) - 4) == r { print $10 }' /proc/net/tcp)
	[ -n "$th_ino" ] && [ "$th_ino" != 0 ] || return 1
	for th_fd in "/proc/$TOESD_PID/fd"/*; do
		[ "$(readlink "$th_fd" 2>/dev/null)" = "socket:[$th_ino]" ] && return 0
	done
	return 1
}
toesd_let_go() { ! toesd_holds "$1"; }
# add_app NAME JSON: an app folder made while toesd runs, current last
# (the watch takes a folder once its current is there).
add_app() {
	mkdir -p "$APPS/$1/v1"
	printf '%s\n' "$2" >"$APPS/$1/v1/package.json"
	ln -s v1 "$APPS/$1/current"
}

# --- the apps -------------------------------------------------------------

# web: an HTTP app whose icon, tool and output hold <script> and quotes.
mkdir -p "$APPS/web/v1"
cat >"$APPS/web/v1/package.json" <<EOF
{"name":"web","scripts":{"toes":"$FIXTURE --listen --request-log $T/web.req --print \"<script>alert('x')</script> \\\\\"q\\\\\"\""},
 "toes":{"icon":"<script>\"'","tool":{"url":"</script><script>alert(\"x\")</script>"}}}
EOF
WEB_LINE="<script>alert('x')</script> \"q\""
# lines: 10,500 lines of output, then a worker.
# shellcheck disable=SC2016 # expanded by the app's shell
app lines 'i=0; while [ $i -lt 10500 ]; do echo line$i; i=$((i+1)); done; exec '"$FIXTURE"
app stopme "$FIXTURE"
app gone "$FIXTURE"
# days: 1,008 day files from 2017 to 2019 before today's (kept: --log-days
# 100000): more than logtail's 64 days, so the newest must be picked.
app days "$FIXTURE --print today-line"
mkdir -p "$APPS/days/logs"
for y in 2017 2018 2019; do
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		for d in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28; do
			echo "[$y-$m-${d}T00:00:00.000Z] [stdout] old $y-$m-$d" >"$APPS/days/logs/$y-$m-$d.log"
		done
	done
done
check web_package_valid sh -c "'$TOESCTL' check '$APPS/web/v1/package.json' >/dev/null"

start_toesd --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "$ADDR" --restart-delays 0 \
	--log-days 100000 --metrics "$T/metrics.prom"
check apps_running wait_until 15 all_running web lines stopme gone days
check lines_printed wait_until 10 log_has lines line10499
check endpoint_logged grep -qF "HTTP endpoint at http://$ADDR/" "$T/toesd.log"
check loopback_no_warning sh -c "! grep -q 'beyond loopback' '$T/toesd.log'"

# --- routes, status codes, types -------------------------------------------

check ok_200 [ "$(code /ok)" = 200 ]
check ok_body [ "$(hget /ok --body)" = ok ]
check ok_exit_0 hget /ok --quiet
check type_ok [ "$(ctype /ok)" = "text/plain; charset=utf-8" ]
check type_apps [ "$(ctype /api/apps)" = application/json ]
check type_app [ "$(ctype /api/apps/web)" = application/json ]
check type_logs [ "$(ctype /api/apps/web/logs)" = "text/plain; charset=utf-8" ]
check type_metrics [ "$(ctype /metrics)" = "text/plain; version=0.0.4; charset=utf-8" ]
check type_page [ "$(ctype /)" = "text/html; charset=utf-8" ]
check type_404 [ "$(ctype /nope)" = application/json ]
check type_events [ "$(hget /events --header Content-Type --until 'event: app')" = text/event-stream ]
for p in /ok /api/apps /api/apps/web /api/apps/web/logs /metrics / /nope; do
	check "nosniff_$p" [ "$(hget "$p" --header X-Content-Type-Options)" = nosniff ]
done
for p in /api/apps /api/apps/web /metrics /; do
	check "200_$p" [ "$(code "$p")" = 200 ]
done

# /api/apps is `toesctl status --json`, byte for byte: every app is running
# and nothing in the JSON changes with time then (uptime is not in it; the
# only relative field, next_restart_ms, is null while nothing is due).
check apps_all_settled sh -c "! $TOESCTL --toes-dir '$T/toes' status --json | grep -q '\"next_restart_ms\":[0-9]'"
apps_equal() {
	ctl status --json >"$T/ctl.json" && same_bytes "$T/ctl.json" hget /api/apps --body
}
check apps_equals_status_json wait_until 5 apps_equal
check apps_json_valid json_ok "$T/ctl.json"
app_equal() {
	ctl status "$1" --json >"$T/ctl1.json" && same_bytes "$T/ctl1.json" hget "$2" --body
}
check app_equals_status_json wait_until 5 app_equal web /api/apps/web
check app_name_unescaped wait_until 5 app_equal web /api/apps/%77%65b
check app_json_valid json_ok "$T/ctl1.json"
# <script> and quotes, escaped as JSON wants: the quote, never the rest.
hget /api/apps/web --body >"$T/web.json"
check app_icon_escaped grep -qF '"icon":"<script>\"'"'"'"' "$T/web.json"
check app_tool_escaped grep -qF '"tool":{"url":"</script><script>alert(\"x\")</script>"}' "$T/web.json"
hget /api/apps/nosuch --body >"$T/404.json"
check app_unknown_404 [ "$(code /api/apps/nosuch)" = 404 ]
check app_unknown_body grep -qxF '{"error":"no app named '"'nosuch'"'"}' "$T/404.json"
check app_unknown_json_valid json_ok "$T/404.json"
hget '/api/apps/%3Cscript%3E%22x%5C' --body >"$T/404b.json"
check app_unknown_odd_name_json_valid json_ok "$T/404b.json"
# shellcheck disable=SC1003 # the JSON's backslashes, as they are
check app_unknown_odd_name_said grep -qF '<script>\"x\\' "$T/404b.json"

# /metrics: the series of --metrics, the same bytes as its file.
metrics_equal() { same_bytes "$T/metrics.prom" hget /metrics --body; }
check metrics_equals_file wait_until 5 metrics_equal
check metrics_series grep -qxF 'toes_app_up{app="web"} 1' "$T/same.out"

# The page: one HTML document, the apps in it, nothing of theirs raw.
hget / --body >"$T/page.html"
check page_html grep -qi '<html' "$T/page.html"
check page_names_apps grep -q 'stopme' "$T/page.html"
check page_icon_not_raw sh -c "! grep -qF '<script>\"'\"'\"'' '$T/page.html'"
check page_tool_not_raw sh -c "! grep -qF '</script><script>alert' '$T/page.html'"

# --- logs ------------------------------------------------------------------

# tail_equal NAME N QUERY: the answer is the last N lines of the app's files.
tail_equal() {
	cat "$APPS/$1"/logs/*.log | tail -n "$2" >"$T/tail.out" && same_bytes "$T/tail.out" hget "/api/apps/$1/logs$3" --body
}
check logs_default_100 wait_until 5 tail_equal lines 100 ""
check logs_default_count [ "$(grep -c . "$T/same.out")" -eq 100 ]
check logs_n5 wait_until 5 tail_equal lines 5 "?n=5"
check logs_n10000 wait_until 5 tail_equal lines 10000 "?n=10000"
check logs_n10000_count [ "$(grep -c . "$T/same.out")" -eq 10000 ]
check logs_n10000_has_last grep -q '\[stdout\] line10499$' "$T/same.out"
check logs_n0_empty [ -z "$(hget '/api/apps/lines/logs?n=0' --body)" ]
check logs_n0_200 [ "$(code '/api/apps/lines/logs?n=0')" = 200 ]
check logs_other_keys wait_until 5 tail_equal lines 7 "?x=1&n=7&y"
for q in n=10001 n=99999999 n=abc n= n=-1 n=1.5 "n=%35"; do
	check "logs_bad_${q}_400" [ "$(code "/api/apps/lines/logs?$q")" = 400 ]
done
check logs_bad_n_said [ "$(hget '/api/apps/lines/logs?n=abc' --body)" = "n is a number from 0 to 10000" ]
check logs_unknown_404 [ "$(code /api/apps/nosuch/logs)" = 404 ]
hget /api/apps/web/logs --body >"$T/weblogs.txt"
check logs_script_line_verbatim grep -qF "[stdout] $WEB_LINE" "$T/weblogs.txt"
# A FIFO named like a day file must not hold toesd's loop in open(2).
mkfifo "$APPS/web/logs/2000-01-01.log"
check logs_fifo_skipped sh -c "[ \"\$('$GET' --status --timeout 5000 '$ADDR' /api/apps/web/logs)\" = 200 ]"
check logs_fifo_loop_free [ "$(code /ok)" = 200 ]
rm -f "$APPS/web/logs/2000-01-01.log"
# More than 64 day files: the newest are read, not the first readdir gives.
check logs_newest_day_first wait_until 5 tail_equal days 3 "?n=3"

# --- HEAD, 405, 404 ----------------------------------------------------------

# head_as_get PATH: HEAD's answer is GET's head, Content-Length included, and
# nothing after it (the server closes: Connection: close).
head_as_get() {
	hget "$1" -X HEAD -H 'Connection: close' --wait-close >"$T/head.out" &&
		same_bytes "$T/head.out" hget "$1" -H 'Connection: close' --headers
}
for p in /ok /api/apps /api/apps/web /api/apps/web/logs /metrics / /nope /api/apps/nosuch; do
	check "head_$p" wait_until 5 head_as_get "$p"
done
check head_has_length grep -q '^Content-Length: [1-9]' "$T/head.out"
hget /events -X HEAD --wait-close >"$T/head_events.out"
check head_events_closed [ $? -eq 0 ]
check head_events_200 grep -q '^HTTP/1.1 200 OK' "$T/head_events.out"
check head_events_type grep -qx 'Content-Type: text/event-stream.' "$T/head_events.out"
check head_events_no_body [ "$(tail -c 4 "$T/head_events.out" | od -An -c | tr -d ' ')" = '\r\n\r\n' ]

for m in POST PUT DELETE OPTIONS PATCH TRACE CONNECT get; do
	check "method_${m}_405" [ "$(code /ok -X "$m")" = 405 ]
done
check method_405_allow [ "$(hget /ok -X POST --header Allow)" = "GET, HEAD" ]
hget /api/apps -X DELETE --wait-close --summary >"$T/405.out"
check method_405_closes grep -qx 'end closed' "$T/405.out"
check method_405_no_change wait_until 5 app_equal web /api/apps/web

for p in /nope /api /api/ /api/apps/ /ok/ //ok /OK /api/apps/web/ /api/apps/web/x \
	/api/apps/web/logs/ /events/ /metrics/x /index.html '/api/apps/web?x' ; do
	case $p in '/api/apps/web?x') want=200 ;; *) want=404 ;; esac
	check "path_${p}_$want" [ "$(code "$p")" = "$want" ]
done

# --- malformed requests ------------------------------------------------------

raw_code() { "$GET" --raw "$1" --status "$ADDR"; }
check body_refused_400 [ "$(raw_code 'POST /ok HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc')" = 400 ]
check chunked_refused_400 [ "$(raw_code 'GET /ok HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')" = 400 ]
check zero_length_200 [ "$(raw_code 'GET /ok HTTP/1.1\r\nContent-Length: 0\r\n\r\n')" = 200 ]
check garbage_400 [ "$(raw_code 'hello\r\n\r\n')" = 400 ]
check nul_400 [ "$(raw_code 'GET /ok HTTP/1.1\r\nX: a\0b\r\n\r\n')" = 400 ]
check version_505 [ "$(raw_code 'GET /ok HTTP/2.0\r\n\r\n')" = 505 ]
check lf_only_200 [ "$(raw_code 'GET /ok HTTP/1.1\n\n')" = 200 ]
check toesd_alive_after_malformed alive "$TOESD_PID"

# --- keep-alive and pipelining ----------------------------------------------

two() { printf '200\n200\n'; }
check keep_two [ "$(hget /ok --keep 2 --status)" = "$(two)" ]
check keep_five [ "$(hget /api/apps/web --keep 5 --status | grep -c '^200$')" -eq 5 ]
check pipeline_three [ "$(hget /ok --pipeline 3 --status | grep -c '^200$')" -eq 3 ]
check pipeline_fifty [ "$(hget /ok --pipeline 50 --status | grep -c '^200$')" -eq 50 ]
"$GET" --raw 'GET /ok HTTP/1.1\r\n\r\nGET /api/apps/web HTTP/1.1\r\n\r\n' --answers 2 --body "$ADDR" >"$T/pipe2.out"
check pipeline_two_routes [ $? -eq 0 ]
check pipeline_two_routes_bodies grep -q '^ok{"name":"web"' "$T/pipe2.out"
check pipeline_head_then_get [ "$("$GET" --raw 'HEAD /ok HTTP/1.1\r\n\r\n' --no-body --status "$ADDR")" = 200 ]
# HTTP/1.0 closes after the answer (one of two) unless it asks to keep.
check http10_closes [ "$(hget /ok -0 --keep 2 --status)" = 200 ]
check http10_says_close [ "$(hget /ok -0 --header Connection)" = close ]
check http10_keep_alive [ "$(hget /ok -0 -H 'Connection: keep-alive' --keep 2 --status)" = "$(two)" ]
check http10_keep_alive_said [ "$(hget /ok -0 -H 'Connection: keep-alive' --header Connection)" = keep-alive ]
check http11_close_asked [ "$(hget /ok -H 'Connection: close' --keep 2 --status)" = 200 ]
check http11_answers_1_1 sh -c "'$GET' --headers '$ADDR' /ok | head -n 1 | grep -q '^HTTP/1.1 200'"
check http10_answers_1_0 sh -c "'$GET' -0 --headers '$ADDR' /ok | head -n 1 | grep -q '^HTTP/1.0 200'"

# --- paths never reach the file system --------------------------------------

for p in /../../etc/passwd /api/apps/..%2F..%2Fetc /api/apps/%2e%2e/logs /api/apps/../../../etc/passwd \
	/api/apps/web/..%2F..%2F..%2Fetc%2Fpasswd /api/apps/web%2Flogs /api/apps/web/logs%2F..%2F..%2Fpasswd \
	/%2e%2e/%2e%2e/etc/passwd /api/apps/%2e%2e%2f%2e%2e%2fetc%2fpasswd/logs /api/apps/. /api/apps/./logs \
	'/api/apps/%00/logs' '/api/apps/..%00/logs'; do
	check "traversal_${p}_404" [ "$(code "$p")" = 404 ]
	hget "$p" >>"$T/traversal.out"
done
check traversal_no_file_content sh -c "! grep -q 'root:' '$T/traversal.out'"

# --- /events ---------------------------------------------------------------

"$GET" --quiet --out "$T/ev1" --timeout 120000 "$ADDR" /events &
ev1_pid=$!
events_in() { [ "$(grep -c '^event: app$' "$T/ev1" 2>/dev/null)" -ge "$1" ]; }
check events_snapshot wait_until 5 events_in 5
# On connect: one event per app, each app once.
grep '^data: ' "$T/ev1" | head -n 5 | sed 's/^data: {"name":"\([^"]*\)".*/\1/' | sort >"$T/ev1.names"
printf '%s\n' days gone lines stopme web >"$T/want.names"
check events_snapshot_each_app cmp -s "$T/ev1.names" "$T/want.names"
check events_head grep -q '^HTTP/1.1 200 OK' "$T/ev1"
grep '^data: ' "$T/ev1" | grep '"name":"web"' | head -n 1 | sed 's/^data: //' >"$T/ev1.web.json"
check events_data_json_valid json_ok "$T/ev1.web.json"
check events_data_is_status_json wait_until 5 app_equal web /api/apps/web
check events_data_same_as_api cmp -s "$T/ev1.web.json" "$T/ctl1.json"
# A stop with toesctl: the stream tells of it.
check stop_answered sh -c "'$TOESCTL' --toes-dir '$T/toes' stop stopme >/dev/null"
stop_told() { grep -q '^data: {"name":"stopme",.*"state":"stop\(ping\|ped\)"' "$T/ev1"; }
check events_stop_told wait_until 5 stop_told
stopped_told() { grep -q '^data: {"name":"stopme",.*"state":"stopped"' "$T/ev1"; }
check events_stopped_told wait_until 5 stopped_told
check events_event_then_data sh -c "grep -B1 '\"name\":\"stopme\",.*\"state\":\"stopped\"' '$T/ev1' | head -n 1 | grep -qx 'event: app'"
# A folder removed: the watch removes the app, the stream says so.
rm -rf "$APPS/gone"
removed_told() { grep -A1 '^event: removed$' "$T/ev1" | grep -qx 'data: {"name":"gone"}'; }
check events_removed_told wait_until 10 removed_told
check removed_app_404 [ "$(code /api/apps/gone)" = 404 ]

# --- limits: slow senders, idle connections, big heads ------------------------

# crashy restarts without a delay while slow clients hold connections.
add_app crashy "{\"scripts\":{\"toes\":\"$FIXTURE --exit-after 100 --code 1\"}}"
check crashy_added wait_until 10 log_has crashy "Restarting..."
SLOWHEAD='GET /ok HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'
"$GET" --slow 200 --wait-close --summary --timeout 20000 --raw "$SLOWHEAD" "$ADDR" >"$T/slow.out" 2>&1 &
slow_pid=$!
"$HOLD" --send "$SLOWHEAD" --interval 100 "$ADDR" 20 "$T/slowset.rep" 2>"$T/slowset.err" &
slowset_pid=$!
"$HOLD" "$ADDR" 5 "$T/idle.rep" 2>"$T/idle.err" &
idle_pid=$!
# A kept connection gone quiet after its answer: closed 5 s later.
hget /ok --wait-close --summary --quiet --timeout 20000 >"$T/kept.out" 2>&1 &
kept_pid=$!
check slow_clients_open wait_until 5 test -f "$T/slowset.rep"
check idle_clients_open wait_until 5 test -f "$T/idle.rep"
# While they trickle (5 s), nobody else waits.
check slow_ok_answered [ "$(code /ok)" = 200 ]
check slow_api_answered [ "$(code /api/apps)" = 200 ]
answers() { ctl status >/dev/null 2>&1; }
check slow_toesctl_answers answers
r0=$(log_count crashy "Restarting...")
restarts_grew() { [ "$(log_count crashy "Restarting...")" -ge $((r0 + 3)) ]; }
check slow_restarts_go_on wait_until 10 restarts_grew
check slow_still_trickling alive "$slow_pid"
check slowset_still_open [ "$(report "$T/slowset.rep" open_now)" = 20 ]

# A head over 8 KiB: 431, then the close. One of 8 KiB exactly is taken.
pad=$(head -c 8300 /dev/zero | tr '\0' a)
"$GET" --raw "GET /ok HTTP/1.1\r\nX-Pad: $pad\r\n\r\n" --wait-close --summary "$ADDR" >"$T/431.out"
check big_head_431 grep -qx 'status 431' "$T/431.out"
check big_head_closed grep -Eqx 'end (closed|reset)' "$T/431.out"
pad=$(head -c 8167 /dev/zero | tr '\0' a)
check head_8k_200 [ "$(raw_code "GET /ok HTTP/1.1\r\nX: $pad\r\n\r\n")" = 200 ]
pad=$(head -c 8168 /dev/zero | tr '\0' a)
check head_8k_plus_1_431 [ "$(raw_code "GET /ok HTTP/1.1\r\nX: $pad\r\n\r\n")" = 431 ]
pad=$(head -c 9000 /dev/zero | tr '\0' a)
check head_no_end_431 [ "$(raw_code "GET /ok HTTP/1.1\r\nX: $pad")" = 431 ]

# The head timeout: 408 and the close, 5 s after the connection.
check slow_done wait_until 15 grep -q '^end ' "$T/slow.out"
check slow_408 grep -qx 'status 408' "$T/slow.out"
check slow_408_said grep -qx 'no complete request head within 5 s' "$T/slow.out"
check slow_closed grep -qx 'end closed' "$T/slow.out"
ms=$(report "$T/slow.out" ms)
check "slow_after_timeout_${ms}ms" is_num "$ms"
check slow_not_before_4500ms sh -c "[ '$ms' -ge 4500 ]"
slowset_done() { [ "$(report "$T/slowset.rep" closed_by_server)" = 20 ]; }
check slowset_all_closed wait_until 10 slowset_done
check slowset_all_answered [ "$(report "$T/slowset.rep" answered)" = 20 ]
check slowset_408 [ "$(report "$T/slowset.rep" last_status)" = 408 ]
idle_done() { [ "$(report "$T/idle.rep" closed_by_server)" = 5 ]; }
check idle_all_closed wait_until 10 idle_done
check idle_closed_silently [ "$(report "$T/idle.rep" answered)" = 0 ]
wait "$kept_pid"
check kept_idle_closed [ $? -eq 0 ]
check kept_idle_answered grep -qx 'answers 1' "$T/kept.out"
check kept_idle_closed_by_server grep -qx 'end closed' "$T/kept.out"
ms=$(report "$T/kept.out" ms)
check "kept_idle_after_${ms}ms" is_num "$ms"
check kept_idle_not_before_4500ms sh -c "[ '$ms' -ge 4500 ]"
kill "$slowset_pid" "$idle_pid" 2>/dev/null
wait "$slowset_pid" "$idle_pid" 2>/dev/null
check slow_toesd_alive alive "$TOESD_PID"

# --- limits: 64 connections ---------------------------------------------------

# 63 streams held (read as they come) and ev1: 64. More get 503 at once.
"$HOLD" --path /events "$ADDR" 63 "$T/hold.rep" 2>"$T/hold.err" &
hold_pid=$!
check hold_open wait_until 10 test -f "$T/hold.rep"
check hold_all_open [ "$(report "$T/hold.rep" open_now)" = 63 ]
all_heard() { [ "$(report "$T/hold.rep" heard)" = 63 ]; }
check hold_all_answered wait_until 10 all_heard
hget /ok --summary >"$T/503.out"
check conn65_503 grep -qx 'status 503' "$T/503.out"
check conn65_said grep -qx 'busy: 64 connections are open; later' "$T/503.out"
check conn65_closed grep -Eqx 'end (done|closed|reset)' "$T/503.out"
check conn66_503 [ "$(code /api/apps)" = 503 ]
# The 503 is whole: its Content-Length is its body's.
check conn65_answer_whole hget /ok --quiet
check hold_none_dropped [ "$(report "$T/hold.rep" closed_by_server)" = 0 ]
check hold_ev1_kept alive "$ev1_pid"
check hold_toesctl_answers answers
# web's health checks go on and pass while the 64 are held.
fails() { sed -n 's/^toes_app_health_failures_total{app="web"} //p' "$T/metrics.prom"; }
f0=$(fails)
q0=$(wc -l <"$T/web.req")
probed() { [ "$(wc -l <"$T/web.req")" -ge $((q0 + 3)) ]; }
check hold_health_checks_go_on wait_until 10 probed
check hold_health_checks_pass [ "$(fails)" = "$f0" ]
check hold_web_running state_is web running
check hold_still_none_dropped [ "$(report "$T/hold.rep" closed_by_server)" = 0 ]
kill "$hold_pid" 2>/dev/null
wait "$hold_pid" 2>/dev/null
ok_again() { [ "$(code /ok)" = 200 ]; }
check hold_released_ok wait_until 5 ok_again

# --- limits: an /events client that does not read ---------------------------

kill "$ev1_pid" 2>/dev/null
wait "$ev1_pid" 2>/dev/null
rm -rf "$APPS/crashy"
crashy_gone() { [ "$(code /api/apps/crashy)" = 404 ]; }
check crashy_removed wait_until 10 crashy_gone
no_client() { [ "$(awk -v l="$(printf ':%04X' "$HP")" 'substr($2, length($2) - 4) == l && $4 == "01"' /proc/net/tcp | wc -l)" -eq 0 ]; }
check clients_gone wait_until 10 no_client
base=$(fd_floor)
check "fd_base_${base}" sh -c "[ '$base' -gt 5 ] && [ '$base' -lt 999999 ]"
# Three apps crash and restart without a delay, each change a 3 KiB object.
tool=$(head -c 3000 /dev/zero | tr '\0' t)
for n in 1 2 3; do
	add_app "loop$n" "{\"scripts\":{\"toes\":\"$FIXTURE --exit-after 0 --code 1\"},\"toes\":{\"tool\":{\"pad\":\"$tool\"}}}"
done
check loops_restarting wait_until 10 log_has loop3 "Restarting..."
"$GET" --no-read --rcvbuf 4096 --go "$T/go" --port-file "$T/noread.port" --summary --quiet \
	--timeout 30000 "$ADDR" /events >"$T/noread.out" 2>&1 &
noread_pid=$!
check noread_connected wait_until 5 test -s "$T/noread.port"
cport=$(cat "$T/noread.port" 2>/dev/null)
check noread_accepted wait_until 5 toesd_holds "$cport"
check noread_dropped wait_until 20 toesd_let_go "$cport"
touch "$T/go"
wait "$noread_pid"
check noread_saw_close [ $? -eq 0 ]
check noread_closed_by_server grep -qx 'end closed' "$T/noread.out"
got=$(report "$T/noread.out" bytes)
check "noread_got_${got}_bytes" is_num "$got"
check noread_got_past_64k sh -c "[ '$got' -gt 65536 ]"
rm -rf "$APPS/loop1" "$APPS/loop2" "$APPS/loop3"
loops_gone() { [ "$(code /api/apps/loop1)" = 404 ] && [ "$(code /api/apps/loop3)" = 404 ]; }
check loops_removed wait_until 10 loops_gone
fds_back() { [ "$(fdcount)" -le "$base" ]; }
check "fds_back_to_$base" wait_until 10 fds_back
check noread_toesd_alive alive "$TOESD_PID"
check noread_ok_after [ "$(code /ok)" = 200 ]

# --- --http itself: refused specs, a port in use, beyond loopback -----------

mkdir -p "$T/other/apps"
"$TOESD" --data-dir "$T/other" --ports "$PORT_BASE-$((PORT_BASE + 18))" --http 99999 >"$T/bad.out" 2>&1
check http_bad_port_refused [ $? -ne 0 ]
check http_bad_port_said grep -q -- '--http 99999' "$T/bad.out"
"$TOESD" --data-dir "$T/other" --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "$ADDR" >"$T/inuse.out" 2>&1
check http_in_use_refused [ $? -ne 0 ]
check http_in_use_said grep -q 'cannot listen' "$T/inuse.out"

stop_toesd
check toesd_stopped_0 [ "$TOESD_RC" -eq 0 ]
rm -rf "${APPS:?}"/* "$T/toes"
# 17 apps whose objects hold a 4 KiB tool: their snapshot is past 64 KiB.
tool=$(head -c 4000 /dev/zero | tr '\0' t)
for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17; do
	mkdir -p "$APPS/big$n/v1"
	printf '{"toes":{"tool":{"pad":"%s"}}}\n' "$tool" >"$APPS/big$n/v1/package.json"
	ln -s v1 "$APPS/big$n/current"
done
mv "$T/toesd.log" "$T/toesd.first.log"
start_toesd --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "0.0.0.0:$HP"
check beyond_loopback_warning wait_until 5 grep -q 'warning: the HTTP endpoint listens on 0.0.0.0 port '"$HP"', beyond loopback' "$T/toesd.log"
check beyond_loopback_serves wait_until 5 ok_again
check metrics_without_file sh -c "'$GET' --body '$ADDR' /metrics | grep -q '^toesd_build_info{version=\"'"
# A snapshot larger than a stream may keep waiting (17 apps with a 4 KiB
# toes.tool: 72,873 bytes) is sent whole to a new /events client.
check events_big_snapshot sh -c "'$GET' --until 'event: app' --timeout 5000 --quiet '$ADDR' /events"
check events_big_snapshot_toesd_alive alive "$TOESD_PID"

# A day file past the 1 MiB the logs route reads: the lines it gives are
# the end of that file, never an older day's glued on before them. (An
# app of its own: the others' files are large by now.)
app big "$FIXTURE --listen"
ln -s v1 "$APPS/big/current"
big_up() { [ "$(code /api/apps/big)" = 200 ]; }
check big_listed wait_until 5 big_up
mkdir -p "$APPS/big/logs"
printf '[2000-01-01T00:00:00.000Z] [stdout] OLD line %d\n' 1 2 3 >"$APPS/big/logs/2000-01-01.log"
awk 'BEGIN { for (i = 0; i < 8000; i++) printf "[2000-01-02T00:00:00.000Z] [stdout] NEW %05d %0180d\n", i, 0 }' \
	>"$APPS/big/logs/2000-01-02.log"
hget '/api/apps/big/logs?n=10000' --body >"$T/cut.txt"
check logs_cut_no_older_day sh -c "! grep -q 'OLD line' '$T/cut.txt'"
check logs_cut_newer_day_read sh -c "[ \$(grep -c 'NEW ' '$T/cut.txt') -gt 1000 ]"
check logs_cut_ends_with_today sh -c "tail -n 1 '$T/cut.txt' | grep -qv 'NEW '"

# IPv6 loopback, where the machine has it: served, and no warning.
if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	stop_toesd
	mv "$T/toesd.log" "$T/toesd.second.log"
	start_toesd --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "[::1]:$HP"
	v6_ok() { [ "$("$GET" --status "[::1]:$HP" /ok)" = 200 ]; }
	check ipv6_loopback_serves wait_until 5 v6_ok
	check ipv6_logged grep -qF "HTTP endpoint at http://[::1]:$HP/" "$T/toesd.log"
	check ipv6_loopback_no_warning sh -c "! grep -q 'beyond loopback' '$T/toesd.log'"
else
	skip ipv6_loopback "no ::1 on this machine"
fi

# /events with no app at all: its head still goes at once.
stop_toesd
rm -rf "${APPS:?}"/*
start_toesd --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "127.0.0.1:$HP"
check empty_events_head_at_once sh -c "'$GET' --until 'text/event-stream' --timeout 3000 --quiet '$ADDR' /events"
done_testing
