# The status page at / (SPEC §14): rows for every app with their state,
# complete without JavaScript; names, icons, errors and log lines
# escaped; live through /events; readable on a 390 px phone at 100 apps.
#
# Without a browser the HTML is fetched (tests/fixtures/httpget, else
# curl) and read as text. With Chromium (CHROMIUM, else chromium on PATH;
# headless, --no-sandbox for root) it is also:
#   (a) loaded with JavaScript off (--blink-settings=scriptEnabled=false):
#       the server's rows alone, the DOM read as for (b) (--dump-dom prints
#       nothing when scripts are off);
#   (b) kept open with JavaScript on and driven over the DevTools protocol
#       (--remote-debugging-port=0, the port read from DevToolsActivePort;
#       tests/fixtures/cdp runs Runtime.evaluate over a WebSocket). Every
#       wait is a gate on the page itself, polled by `cdp --wait` with a
#       bound of seconds: the page counts the events it got in
#       <html data-events>; once it holds every app's first event, the test
#       stops an app with toesctl, adds one and removes one, and waits for
#       the row to change, appear, go. A mark set in the page's window
#       beforehand must still be there: the page changed without a reload.
#       A row's link opens its log lines, as text;
#   (c) screenshots at 1280x800 and 390x844: $BUILD/page-1280.png and
#       $BUILD/page-390.png;
#   (d) toesd restarted with 100 apps on the same port: the open page
#       reconnects by itself and lists exactly the new apps, at a 390 px
#       viewport it does not scroll sideways, and loaded again it still
#       has one row per app.
# Without Chromium each browser check is a SKIP with its name.
. tests/integration/lib.sh

HTTP_PORT=$((PORT_BASE + 19))
URL=http://127.0.0.1:$HTTP_PORT/
HTTPGET=$BUILD/fixtures/httpget
CDP=$BUILD/fixtures/cdp
CHROMIUM=${CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}
NO_BROWSER="no Chromium here (Debian: apt-get install chromium)"
XSS_NAME=$(printf '<script>alert(1)"%s' "'")
XSS_ICON='<script>alert(1)</script>'
CHROME_PID=

# The apps, each with one version and current: an HTTP app, a worker, one
# that crashed once (its next start is a minute away), one whose
# package.json is not JSON, and one whose name, icon and output are HTML.
put() {
	mkdir -p "$APPS/$1/v1"
	printf '%s\n' "$2" >"$APPS/$1/v1/package.json"
	ln -s v1 "$APPS/$1/current"
}
put web '{"name":"web","scripts":{"toes":"'"$FIXTURE"' --listen"},"toes":{"icon":"🌐"}}'
put worker '{"name":"worker","scripts":{"toes":"'"$FIXTURE"' --print tick"},"toes":{"icon":"⏱️","health":false}}'
put crashy '{"name":"crashy","scripts":{"toes":"'"$FIXTURE"' --exit-after 100 --code 3"},"toes":{"health":false}}'
put broken '{"name":"broken","scripts":{"toes":"x"'
cat >"$T/xss.sh" <<'EOF'
printf '%s\n' '<script>alert(1)</script>' '<img src=x onerror=alert(2)>' "\"quoted\" 'single' &amp;"
exec "$1"
EOF
put "$XSS_NAME" '{"name":"x","scripts":{"toes":"sh '"$T"'/xss.sh '"$FIXTURE"'"},"toes":{"icon":"'"$XSS_ICON"'","health":false}}'
SIMPLE="web worker crashy broken"

start_toesd --ports "$PORT_BASE-$((PORT_BASE + 18))" --http "127.0.0.1:$HTTP_PORT" --restart-delays 60s
settled() {
	state_is web running && state_is worker running && state_is crashy stopped &&
		state_is broken invalid && state_is "$XSS_NAME" running
}
check apps_settled wait_until 10 settled

# --- the HTML as text ---

# get PATH: the body of GET PATH.
get() {
	if [ -x "$HTTPGET" ]; then
		"$HTTPGET" --body "127.0.0.1:$HTTP_PORT" "$1"
	else
		curl -fsS "http://127.0.0.1:$HTTP_PORT$1"
	fi
}
# row_has FILE NAME TEXT: the row of app NAME (as HTML writes it) holds TEXT.
row_has() { grep -F "data-app=\"$2\"" "$1" | grep -qF -- "$3"; }
# row_starts FILE START TEXT: the same for the app whose name starts so.
row_starts() { grep -F "data-app=\"$2" "$1" | grep -qF -- "$3"; }
rows_are() { [ "$(grep -c '<tr class="a"' "$1")" -eq "$2" ]; }
lacks() { ! grep -qF -- "$1" "$2"; }
# one_script FILE: the page's own script is the only one.
one_script() { [ "$(grep -o '<script' "$1" | wc -l)" -eq 1 ] && lacks '<script>alert' "$1"; }
is_html() { [ "$("$HTTPGET" --header Content-Type "127.0.0.1:$HTTP_PORT" /)" = "text/html; charset=utf-8" ]; }
nothing_external() { ! grep -qiE '(src|href|url)[=(]"?(https?:)?//' "$1"; }

HAVE_GET=
if [ -x "$HTTPGET" ] || command -v curl >/dev/null 2>&1; then HAVE_GET=1; fi
# hcheck NAME COMMAND...: a check that needs an HTTP client.
hcheck() {
	if [ -n "$HAVE_GET" ]; then check "$@"; else skip "$1" "neither tests/fixtures/httpget nor curl"; fi
}

# rows_checks CHECK PREFIX FILE: every app's row with its state, and the
# HTML of the test app escaped; CHECK is check, hcheck or bcheck.
rows_checks() {
	for name in $SIMPLE; do
		$1 "$2_row_$name" row_has "$3" "$name" "data-state=\"$(field "$name" state)\""
	done
	$1 "$2_five_rows" rows_are "$3" 5
	$1 "$2_backoff_detail" row_has "$3" crashy '>stopped (restart in '
	$1 "$2_last_exit" row_has "$3" crashy '>code 3<'
	$1 "$2_error" row_has "$3" broken 'Invalid JSON in package.json'
	# (A browser writes the ' back as it is.)
	$1 "$2_name_escaped" row_starts "$3" '&lt;script&gt;alert(1)&quot;' 'data-state="running"'
	$1 "$2_icon_escaped" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;</td>' "$3"
	$1 "$2_no_injection" one_script "$3"
}

if [ -n "$HAVE_GET" ]; then get / >"$T/page.html"; fi
rows_checks hcheck html "$T/page.html"
hcheck html_summary grep -qE '<p id="sum" data-now="[0-9TZ:.-]{24}">5 apps, 3 running</p>' "$T/page.html"
hcheck html_nothing_external nothing_external "$T/page.html"
hcheck html_no_favicon_fetch grep -qF '<link rel="icon" href="data:,">' "$T/page.html"
if [ -x "$HTTPGET" ]; then check html_content_type is_html; else skip html_content_type "no tests/fixtures/httpget"; fi
# The name's link (the log lines without JavaScript), %-encoded.
LINK=$(grep -o 'href="api/apps/%3Cscript%3Ealert%281%29%22%27/logs?n=50"' "$T/page.html" 2>/dev/null | cut -d'"' -f2)
if [ -n "$HAVE_GET" ]; then get "/$LINK" >"$T/link.txt"; fi
hcheck html_log_link grep -qF '[stdout] <img src=x onerror=alert(2)>' "$T/link.txt"

# --- Chromium ---

TMO=
if timeout -k 1 5 true 2>/dev/null; then TMO="timeout -k 2 120"; fi
# chrome PROFILE ARG...: headless Chromium with its own profile, from $T
# (so that kill_leftovers finds it), its noise in $T/chrome.log.
chrome() {
	c_profile=$1
	shift
	(cd "$T" && exec $TMO "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/$c_profile" "$@") 2>>"$T/chrome.log"
}
# chrome_bg PROFILE ARG...: the same in the background; CHROME_PID is
# the process itself (through timeout's exec, not a subshell).
chrome_bg() {
	c_profile=$1
	shift
	(cd "$T" && exec $TMO "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/$c_profile" "$@") >/dev/null 2>>"$T/chrome.log" &
	CHROME_PID=$!
}
stop_chrome() {
	if [ -n "$CHROME_PID" ]; then
		kill -TERM "$CHROME_PID" 2>/dev/null
		wait "$CHROME_PID" 2>/dev/null
		CHROME_PID=
	fi
}
# On a failure, the last answers of cdp (a gate's last value) show too.
show_cdp_log() {
	if [ "$failures" -gt 0 ] && [ -s "$T/cdp.log" ]; then
		echo "--- cdp:"
		tail -n 5 "$T/cdp.log" | cut -c1-300
	fi
}
trap 'stop_chrome; show_cdp_log; finish' EXIT

# bcheck NAME COMMAND...: a check that needs the browser.
bcheck() {
	if [ -n "$CHROMIUM" ]; then check "$@"; else skip "$1" "$NO_BROWSER"; fi
}

# Over the DevTools protocol: js EXPR prints its value. In each
# expression, row(NAME) is the app's <tr>, cell(NAME, I) its I-th cell's
# text, xss() the test app's row, same whether the page is the one the
# mark was set in.
JS='var row = function (n) { return [...document.querySelectorAll("tr.a")].find(function (r) { return r.dataset.app === n; }); };
var cell = function (n, i) { var r = row(n); return r ? r.cells[i].textContent : null; };
var xss = function () { return [...document.querySelectorAll("tr.a")].find(function (r) { return r.dataset.app.indexOf("<script>") === 0; }); };
var same = window.toesMark === 1;
'
DEVTOOLS=0
js() { "$CDP" "$DEVTOOLS" "$@" 2>>"$T/cdp.log"; }
# js_until SECONDS EXPR: EXPR became true within SECONDS.
js_until() { js --wait "$1" "$JS$2" >/dev/null; }
js_at_390() { js --size 390x844 --wait 3 "$JS$1" >/dev/null; }
two_lines() { [ "$(grep -c '' "$1" 2>/dev/null)" -ge 2 ]; }
# browse PROFILE ARG...: Chromium in the background on the page, its
# DevTools port (chosen by Chromium) in DEVTOOLS, loaded.
browse() {
	b_profile=$1
	shift
	chrome_bg "$b_profile" --remote-debugging-port=0 "$@" "$URL"
	wait_until 10 two_lines "$T/$b_profile/DevToolsActivePort"
	DEVTOOLS=$(head -n 1 "$T/$b_profile/DevToolsActivePort" 2>/dev/null || echo 0)
	js --wait 10 "location.href === '$URL' && document.readyState === 'complete'" >/dev/null
}

# (a) JavaScript off: what the server wrote, as the browser reads it.
# (--dump-dom prints nothing when scripts are off: it reads the DOM with
# a script. DevTools' own evaluation still works.)
if [ -n "$CHROMIUM" ]; then
	browse nojs --blink-settings=scriptEnabled=false
	js --text 'document.documentElement.outerHTML' >"$T/dom.html"
fi
no_events_seen() { [ "$(js 'document.documentElement.dataset.events')" = undefined ]; }
bcheck nojs_script_did_not_run no_events_seen
bcheck nojs_name_icon_as_text js_until 1 'xss().dataset.app === "<script>alert(1)\"\x27" &&
	xss().cells[1].textContent === xss().dataset.app && xss().cells[0].textContent === "<script>alert(1)</script>"'
rows_checks bcheck nojs "$T/dom.html"
stop_chrome

# (b) JavaScript on.
if [ -n "$CHROMIUM" ]; then browse live --window-size=1280,800; fi
bcheck live_every_first_event js_until 10 'document.documentElement.dataset.events >= 5'
if [ -n "$CHROMIUM" ]; then js 'window.toesMark = 1' >/dev/null; fi
bcheck live_uptime_counts js_until 3 '/^[0-9]+[smhd]/.test(cell("web", 3))'
if [ -n "$CHROMIUM" ]; then ctl stop worker >/dev/null; fi
bcheck live_stop_changes_row js_until 5 'cell("worker", 2) === "stopped (by request)" && same'

# An app that arrives (whole, by a rename into the folder) and goes.
mkdir -p "$T/stage/newapp/v1"
printf '{"name":"newapp","scripts":{"toes":"%s"},"toes":{"health":false}}\n' "$FIXTURE" >"$T/stage/newapp/v1/package.json"
ln -s v1 "$T/stage/newapp/current"
if [ -n "$CHROMIUM" ]; then mv "$T/stage/newapp" "$APPS/newapp"; fi
bcheck live_new_app_row js_until 5 'cell("newapp", 2) !== null && row("newapp").previousElementSibling === row("crashy") && same'
if [ -n "$CHROMIUM" ]; then rm -rf "$APPS/newapp"; fi
bcheck live_removed_app_row js_until 10 'row("newapp") === undefined && same'

# A row opens its log lines; they are text, like the name and the icon.
if [ -n "$CHROMIUM" ]; then js "${JS}xss().cells[1].firstChild.click()" >/dev/null; fi
bcheck live_logs_shown js_until 5 'var l = xss().nextElementSibling; l.className === "l" &&
	l.textContent.indexOf("<script>alert(1)</script>") >= 0 && l.textContent.indexOf("<img src=x onerror=alert(2)>") >= 0'
bcheck live_no_injection js_until 2 'document.scripts.length === 1 && !document.querySelector("tbody script, tbody img") &&
	xss().cells[0].textContent === "<script>alert(1)</script>" && xss().cells[1].textContent.indexOf("\"'"'"'") > 0 && same'
bcheck live_fits_390 js_at_390 'document.documentElement.scrollWidth <= 390 && innerWidth === 390'

# (c) Screenshots, with JavaScript on.
# png_is FILE W H: a PNG of W x H pixels (its IHDR).
png_is() {
	[ "$(od -An -tx1 -N8 "$1" | tr -d ' ')" = 89504e470d0a1a0a ] &&
		[ "$(od -An -tu4 --endian=big -j16 -N8 "$1" | tr -s ' ' | sed 's/^ //')" = "$2 $3" ]
}
if [ -n "$CHROMIUM" ]; then
	rm -f "$BUILD/page-1280.png" "$BUILD/page-390.png"
	chrome shot --hide-scrollbars --window-size=1280,800 --screenshot="$BUILD/page-1280.png" "$URL" >/dev/null
	chrome shot --hide-scrollbars --window-size=390,844 --screenshot="$BUILD/page-390.png" "$URL" >/dev/null
fi
bcheck screenshot_1280 png_is "$BUILD/page-1280.png" 1280 800
bcheck screenshot_390 png_is "$BUILD/page-390.png" 390 844

# (d) toesd again, with 100 workers, one with a long name and one with a
# control character in its name (the HTML shows it escaped, the JSON as it
# is: the page must not keep both rows); the page stays.
stop_toesd
bcheck live_says_reconnecting js_until 5 'document.getElementById("sum").textContent.indexOf("reconnecting") > 0 && same'
rm -rf "${APPS:?}"/*
LONG=n-$(printf '%0150d' 0)
i=0
while [ "$i" -lt 100 ]; do
	name=$(printf 'n%02d' "$i")
	if [ "$i" -eq 99 ]; then name=$LONG; fi
	if [ "$i" -eq 98 ]; then name=$(printf 'n98\001ctl'); fi
	put "$name" '{"name":"w","scripts":{"toes":"'"$FIXTURE"'"},"toes":{"health":false}}'
	i=$((i + 1))
done
start_toesd --ports "$((PORT_BASE + 30000))-$((PORT_BASE + 30099))" --http "127.0.0.1:$HTTP_PORT"
bcheck hundred_reconnected js_until 20 'var r = [...document.querySelectorAll("tr.a")];
	r.length === 100 && r.every(function (t) { return t.dataset.app[0] === "n"; }) && same'
bcheck hundred_fit_390 js_at_390 'document.documentElement.scrollWidth <= 390 && innerWidth === 390'
bcheck hundred_fit_1280 js_until 2 'document.documentElement.scrollWidth <= innerWidth'
# Loaded again: the server's 100 rows, then one row per app still.
if [ -n "$CHROMIUM" ]; then js 'location.reload()' >/dev/null; fi
bcheck hundred_reloaded js_until 10 'var r = [...document.querySelectorAll("tr.a")];
	!same && document.documentElement.dataset.events >= 100 && r.length === 100 && !!row("n98\u0001ctl")'
stop_chrome
done_testing
