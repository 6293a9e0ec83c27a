/* routes: what each path of toesd's HTTP endpoint answers (SPEC §14).
 * Nothing here changes anything, and no path touches the file system but
 * an app's own log files. */
#include "app/logtail.h"
#include "app/registry.h"
#include "base/buf.h"
#include "base/escape.h"
#include "serve/httpconn.h"
#include "serve/metrics.h"
#include "serve/page.h"
#include "serve/routes.h"
#include "serve/status.h"

#include <stdio.h>
#include <string.h>

#define LOGS_DEFAULT 100
#define LOGS_MAX 10000
#define JSON "application/json"
#define TEXT "text/plain; charset=utf-8"

static int64_t started_wall_ms;

void routes_set_start(int64_t wall_ms)
{
	started_wall_ms = wall_ms;
}

static void answer_buf(struct http_conn *c, int status, const char *type, struct buf *b)
{
	if (b->failed) {
		http_respond(c, 503, TEXT, "out of memory\n", 14);
	} else {
		http_respond(c, status, type, b->data ? b->data : "", b->len);
	}
	buf_free(b);
}

static void not_found(struct http_conn *c, const char *what)
{
	struct buf b = { 0 };
	buf_adds(&b, "{\"error\":");
	escape_json(&b, what, strlen(what));
	buf_adds(&b, "}\n");
	answer_buf(c, 404, JSON, &b);
}

/* /api/apps/NAME[/logs]: the app named by the path segment. */
static void app_route(struct http_conn *c, const char *rest, const char *query)
{
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	char name[256];
	if (http_unescape(rest, n, name, sizeof name) < 0 || !name[0]) {
		not_found(c, "no such app");
		return;
	}
	const struct app *a = app_find(name);
	if (!a || (slash && strcmp(slash, "/logs") != 0)) {
		char what[300];
		snprintf(what, sizeof what, a ? "no such path" : "no app named '%s'", name);
		not_found(c, what);
		return;
	}
	struct buf b = { 0 };
	if (!slash) {
		status_json_app(&b, a, status_now());
		buf_addc(&b, '\n');
		answer_buf(c, 200, JSON, &b);
		return;
	}
	unsigned long lines = LOGS_DEFAULT;
	if (http_query_number(query, "n", &lines) < 0 || lines > LOGS_MAX) {
		http_respond(c, 400, TEXT, "n is a number from 0 to 10000\n", 30);
		return;
	}
	logtail_read(a, (unsigned)lines, &b);
	answer_buf(c, 200, TEXT, &b);
}

void http_route(struct http_conn *c, const struct httphead *h, int head_only)
{
	const char *p = h->path;
	struct buf b = { 0 };
	if (strcmp(p, "/ok") == 0) {
		http_respond(c, 200, TEXT, "ok", 2);
	} else if (strcmp(p, "/") == 0) {
		page_render(&b, status_now());
		answer_buf(c, 200, "text/html; charset=utf-8", &b);
	} else if (strcmp(p, "/api/apps") == 0) {
		status_json_all(&b, status_now());
		answer_buf(c, 200, JSON, &b);
	} else if (strncmp(p, "/api/apps/", 10) == 0) {
		app_route(c, p + 10, h->query);
	} else if (strcmp(p, "/events") == 0) {
		http_start_stream(c);
	} else if (strcmp(p, "/metrics") == 0) {
		metrics_render(&b, started_wall_ms);
		answer_buf(c, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
	} else {
		not_found(c, "no such path");
	}
}
