/* page: the status page at / (SPEC §14), rows rendered here, kept live by
 * its script. Every text from an app (name, icon, error) is escaped for
 * HTML here; the script sets text only through textContent. */
#include "serve/page.h"

#include "app/registry.h"
#include "base/clock.h"
#include "base/escape.h"
#include "parse/pkg.h"

#include <stdio.h>
#include <string.h>

/* The head: the whole style sheet. Nothing is loaded from anywhere (the
 * policy says so to the browser too): no font, no favicon fetch. Narrower
 * than 860 px, each row becomes a small block that wraps. */
static const char page_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:\">\n"
	"<link rel=\"icon\" href=\"data:,\">\n<title>toesd</title>\n<style>\n"
	":root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--mute:#6b6b70;--line:#e3e3e6;"
	"--hover:#f4f4f6;--ok:#137a35;--warn:#9a5b00;--bad:#c0241c}\n"
	"@media(prefers-color-scheme:dark){:root{--fg:#e8e8ea;--bg:#161618;--mute:#9a9aa0;"
	"--line:#303034;--hover:#222226;--ok:#4fc878;--warn:#e6a23c;--bad:#ff6e66}}\n"
	"body{margin:0;padding:12px 16px;font:14px/1.4 system-ui,sans-serif;color:var(--fg);background:var(--bg)}\n"
	"h1{font-size:18px;margin:0}#sum{color:var(--mute);margin:2px 0 10px}\n"
	"table{width:100%;border-collapse:collapse;table-layout:fixed}\n"
	".ci{width:2.5em}.cn{width:20%}.cs{width:22%}.cu,.cx{width:6.5em}.cr{width:5.5em}\n"
	"th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}\n"
	"td{overflow-wrap:anywhere}th{font-size:12px;font-weight:600;color:var(--mute);white-space:nowrap}\n"
	"tr.a{cursor:pointer}tr.a:hover{background:var(--hover)}a{color:inherit}\n"
	".i{overflow:hidden;white-space:nowrap}.n{font-weight:600}"
	".r,.x,.u{white-space:nowrap}.e{color:var(--bad)}td.none{color:var(--mute)}\n"
	"[data-state=running] .s{color:var(--ok)}[data-state=invalid] .s{color:var(--bad)}"
	"[data-state=starting] .s,[data-state=stopping] .s,[data-state=stopped] .s{color:var(--warn)}\n"
	"pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.35 ui-monospace,monospace}\n"
	"@media(max-width:860px){body{padding:10px}thead,colgroup{display:none}table,tbody,tr.l,tr.l td{display:block}\n"
	"tr.a{display:flex;flex-wrap:wrap;column-gap:12px;padding:6px 0 6px 2em;border-bottom:1px solid var(--line)}\n"
	"tr.a td{border:0;padding:0;min-width:0}.i{width:2em;margin-left:-2em}.n{flex:1}.s,.e{flex-basis:100%}\n"
	".u::before{content:'up '}.r::before{content:'restarts '}.x::before{content:'exit '}"
	".u::before,.r::before,.x::before{color:var(--mute)}.none{display:none}}\n"
	"</style></head><body>\n";

static const char table_head[] =
	"<table id=\"apps\"><colgroup><col class=\"ci\"><col class=\"cn\"><col class=\"cs\"><col class=\"cu\">"
	"<col class=\"cr\"><col class=\"cx\"><col></colgroup><thead><tr><th></th><th>app</th><th>state</th><th>uptime</th>"
	"<th>restarts</th><th>last exit</th><th>error</th></tr></thead><tbody>\n";

/* The script, once the rows are there. rows: name -> its <tr>; each row
 * keeps the app's last object (o) and, for a scheduled restart, when it
 * is due on this browser's clock. skew: the server's clock minus ours,
 * for the uptime of a start stamped by the server. Rows follow /events
 * (each new stream first gets every app). At each connection, rows that
 * /api/apps does not list and no event renewed since it was asked go:
 * apps that went while the stream was lost, and rows whose name the HTML
 * shows escaped (a control character) where the JSON has it as it is. */
static const char page_script[] =
	"</tbody></table>\n<script>\n'use strict';\n(function () {\n"
	"var tb = document.getElementById('apps').tBodies[0], sumEl = document.getElementById('sum');\n"
	"var rows = new Map(), events = 0, live = '';\n"
	"var skew = Date.parse(sumEl.dataset.now) - Date.now() || 0;\n"
	"for (var tr of tb.rows) rows.set(tr.dataset.app, tr);\n"
	"function logUrl(name) { return 'api/apps/' + encodeURIComponent(name) + '/logs?n=50'; }\n"
	"function dur(ms) {\n"
	"  var s = Math.floor(ms / 1000), m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);\n"
	"  return d ? d + 'd' + h % 24 + 'h' : h ? h + 'h' + m % 60 + 'm' : m ? m + 'm' + s % 60 + 's' : s + 's';\n"
	"}\n"
	"function stateText(o, left) {\n"
	"  var d = o.detail;\n"
	"  if (d === 'backoff') return o.state + ' (restart in ' + Math.ceil(left / 100) / 10 + 's, attempt ' + o.attempt + ')';\n"
	"  if (d === 'waiting-port') return o.state + ' (waiting for a port)';\n"
	"  if (d === 'by-request') return o.state + ' (by request)';\n"
	"  return d ? o.state + ' (' + d + ')' : o.state;\n"
	"}\n"
	"function set(td, text) {\n"
	"  if (td.textContent !== text) td.textContent = text;\n"
	"  td.classList.toggle('none', text === '-');\n"
	"}\n"
	"function fill(tr) {\n"
	"  var o = tr.o, c = tr.cells, now = Date.now(), x;\n"
	"  if (!o) return;\n"
	"  x = o.last_exit;\n"
	"  tr.dataset.state = o.state;\n"
	"  set(c[0], o.icon);\n"
	"  set(c[1].firstChild, o.name);\n"
	"  set(c[2], stateText(o, Math.max(0, tr.due - now)));\n"
	"  set(c[3], o.state === 'running' && o.started ? dur(now + skew - Date.parse(o.started)) : '-');\n"
	"  c[3].title = o.started || '';\n"
	"  set(c[4], String(o.restarts));\n"
	"  set(c[5], !x ? '-' : x.signal != null ? 'signal ' + x.signal : 'code ' + x.code);\n"
	"  set(c[6], o.error || '-');\n"
	"}\n"
	"function add(name) {\n"
	"  var tr = document.createElement('tr'), a = document.createElement('a'), next = null;\n"
	"  tr.className = 'a';\n"
	"  tr.dataset.app = name;\n"
	"  for (var k of ['i', 'n', 's', 'u', 'r', 'x', 'e']) tr.insertCell().className = k;\n"
	"  a.href = logUrl(name);\n"
	"  tr.cells[1].appendChild(a);\n"
	"  for (var [n, r] of rows) if (n > name && (!next || n < next.dataset.app)) next = r;\n"
	"  tb.insertBefore(tr, next);\n"
	"  rows.set(name, tr);\n"
	"  return tr;\n"
	"}\n"
	"function drop(name) {\n"
	"  var tr = rows.get(name);\n"
	"  if (!tr) return;\n"
	"  if (tr.log) tr.log.remove();\n"
	"  tr.remove();\n"
	"  rows.delete(name);\n"
	"}\n"
	"function summary() {\n"
	"  var up = 0;\n"
	"  for (var tr of rows.values()) if (tr.dataset.state === 'running') up++;\n"
	"  sumEl.textContent = (rows.size ? rows.size + (rows.size === 1 ? ' app, ' : ' apps, ') + up + ' running' : 'no apps')\n"
	"    + (live ? ' \\u00b7 ' + live : '');\n"
	"  document.documentElement.dataset.events = events;\n"
	"}\n"
	"function onApp(e) {\n"
	"  var o = JSON.parse(e.data), tr = rows.get(o.name) || add(o.name);\n"
	"  tr.o = o;\n"
	"  tr.due = Date.now() + (o.next_restart_ms || 0);\n"
	"  tr.seen = ++events;\n"
	"  fill(tr);\n"
	"  summary();\n"
	"}\n"
	"function onRemoved(e) {\n"
	"  drop(JSON.parse(e.data).name);\n"
	"  events++;\n"
	"  summary();\n"
	"}\n"
	"function resync() {\n"
	"  var asked = events;\n"
	"  fetch('api/apps').then(function (r) { return r.json(); }).then(function (list) {\n"
	"    var names = new Set(list.map(function (o) { return o.name; }));\n"
	"    for (var [n, tr] of rows) if (!names.has(n) && !(tr.seen > asked)) drop(n);\n"
	"    summary();\n"
	"  }, function () {});\n"
	"}\n"
	"function toggleLog(tr) {\n"
	"  var link = tr.cells[1].firstChild;\n"
	"  if (tr.log) {\n"
	"    tr.log.remove();\n"
	"    tr.log = null;\n"
	"    link.setAttribute('aria-expanded', 'false');\n"
	"    return;\n"
	"  }\n"
	"  var l = document.createElement('tr'), td = l.insertCell(), pre = document.createElement('pre');\n"
	"  l.className = 'l';\n"
	"  td.colSpan = 7;\n"
	"  pre.textContent = 'reading the log\\u2026';\n"
	"  td.appendChild(pre);\n"
	"  tr.after(l);\n"
	"  tr.log = l;\n"
	"  link.setAttribute('aria-expanded', 'true');\n"
	"  fetch(logUrl(tr.dataset.app)).then(function (r) {\n"
	"    return r.text().then(function (t) { if (!r.ok) throw new Error(r.status + ' ' + t); return t; });\n"
	"  }).then(function (t) { pre.textContent = t || '(no log lines yet)'; },\n"
	"    function (err) { pre.textContent = 'cannot read the log: ' + err.message; });\n"
	"}\n"
	"tb.addEventListener('click', function (e) {\n"
	"  var tr = e.target.closest('tr.a');\n"
	"  if (!tr || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;\n"
	"  e.preventDefault();\n"
	"  toggleLog(tr);\n"
	"});\n"
	"setInterval(function () { for (var tr of rows.values()) fill(tr); }, 1000);\n"
	"if (!window.EventSource) return;\n"
	"var es = new EventSource('events');\n"
	"es.addEventListener('app', onApp);\n"
	"es.addEventListener('removed', onRemoved);\n"
	"es.onopen = function () { live = 'live'; summary(); resync(); };\n"
	"es.onerror = function () { live = 'reconnecting\\u2026'; summary(); };\n"
	"})();\n</script>\n</body></html>\n";

/* s as HTML text or attribute value: & < > \" ' as references, after the
 * terminal escapes status shows (a control byte as a visible \\xHH). */
static void html(struct buf *out, const char *s)
{
	struct buf shown = { 0 };
	if (escape_needed(s, strlen(s))) {
		escape_buf(&shown, s, strlen(s));
		s = buf_str(&shown);
	}
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_addc(out, *s); break;
		}
	}
	buf_free(&shown);
}

/* s as a URL path segment: every byte but the unreserved ones as %XX,
 * so it holds nothing HTML would read either. */
static void url_segment(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c)) {
			buf_addc(out, (char)c);
		} else {
			buf_printf(out, "%%%02X", c);
		}
	}
}

/* One cell; "-" (nothing) is marked, for narrow screens to leave out. */
static void cell(struct buf *out, const char *cls, const char *text)
{
	buf_printf(out, "<td class=\"%s%s\">", cls, strcmp(text, "-") == 0 ? " none" : "");
	html(out, text);
	buf_adds(out, "</td>");
}

/* The uptime cell: the UTC time it entered running (the script shows the
 * time since); "-" when it is not running. */
static void uptime_cell(struct buf *out, const struct app *a)
{
	char stamp[32];
	if (a->state != APP_RUNNING) {
		cell(out, "u", "-");
		return;
	}
	clock_format_iso(a->started_wall, stamp);
	buf_printf(out, "<td class=\"u\" title=\"%s\"><time datetime=\"%s\">%s</time></td>", stamp, stamp, stamp);
}

static void exit_text(char *out, size_t cap, const struct app_exit *e)
{
	if (e->kind == EXIT_NONE) {
		snprintf(out, cap, "-");
	} else {
		snprintf(out, cap, "%s %d", e->kind == EXIT_SIGNAL ? "signal" : "code", e->value);
	}
}

/* One app's row, the same cells the script fills from its JSON. */
static void app_row(struct buf *out, const struct app *a, struct status_time t)
{
	char text[128];
	buf_adds(out, "<tr class=\"a\" data-app=\"");
	html(out, a->name);
	buf_printf(out, "\" data-state=\"%s\">", app_state_name(a->state));
	cell(out, "i", a->icon ? a->icon : PKG_DEFAULT_ICON);
	buf_adds(out, "<td class=\"n\"><a href=\"api/apps/");
	url_segment(out, a->name);
	buf_adds(out, "/logs?n=50\">");
	html(out, a->name);
	buf_adds(out, "</a></td>");
	status_state_text(text, sizeof text, a, t);
	cell(out, "s", text);
	uptime_cell(out, a);
	snprintf(text, sizeof text, "%u", a->restarts);
	cell(out, "r", text);
	exit_text(text, sizeof text, &a->last_exit);
	cell(out, "x", text);
	cell(out, "e", a->error ? a->error : "-");
	buf_adds(out, "</tr>\n");
}

/* "3 apps, 2 running", as the script writes it, and the server's time
 * for the script's uptimes. */
static void summary(struct buf *out, struct status_time t)
{
	size_t n = app_count(), up = 0;
	char now[32];
	for (size_t i = 0; i < n; i++) {
		up += app_at(i)->state == APP_RUNNING;
	}
	clock_format_iso(t.wall, now);
	buf_printf(out, "<h1>toesd</h1>\n<p id=\"sum\" data-now=\"%s\">", now);
	if (n) {
		buf_printf(out, "%zu %s, %zu running", n, n == 1 ? "app" : "apps", up);
	} else {
		buf_adds(out, "no apps");
	}
	buf_adds(out, "</p>\n");
}

void page_render(struct buf *out, struct status_time t)
{
	buf_add(out, page_head, sizeof page_head - 1);
	summary(out, t);
	buf_add(out, table_head, sizeof table_head - 1);
	for (size_t i = 0; i < app_count(); i++) {
		app_row(out, app_at(i), t);
	}
	buf_add(out, page_script, sizeof page_script - 1);
}
