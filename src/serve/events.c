/* events: the /events streams (SPEC §14): at each app's change, once per
 * loop turn (the registry's flush), one `event: app` with its JSON object
 * to every stream; `event: removed` when it goes. A comment every 30 s
 * keeps proxies from closing a quiet stream, only while there is one. */
#include "app/registry.h"
#include "base/buf.h"
#include "base/escape.h"
#include "base/loop.h"
#include "serve/httpconn.h"
#include "serve/status.h"

#include <string.h>

#define MAX_STREAMS 64
#define HEARTBEAT_MS 30000

static struct http_conn *streams[MAX_STREAMS];
static size_t n_streams;
static struct loop_timer heartbeat;
static int ready;

/* Each stream gets text; one that cannot keep up closes (and leaves the
 * list) as it is written to: the list is copied first. */
static void broadcast(const char *text, size_t n)
{
	struct http_conn *copy[MAX_STREAMS];
	size_t count = n_streams;
	memcpy(copy, streams, count * sizeof copy[0]);
	for (size_t i = 0; i < count; i++) {
		http_stream_write(copy[i], text, n);
	}
}

static void app_event(struct buf *out, const struct app *a, struct status_time t)
{
	if (a->gone) {
		buf_adds(out, "event: removed\ndata: {\"name\":");
		escape_json(out, a->name, strlen(a->name));
		buf_adds(out, "}\n\n");
		return;
	}
	buf_adds(out, "event: app\ndata: ");
	status_json_app(out, a, t);
	buf_adds(out, "\n\n");
}

static void on_app_changed(const struct app *a)
{
	if (!n_streams) {
		return;
	}
	struct buf out = { 0 };
	app_event(&out, a, status_now());
	if (!out.failed) {
		broadcast(out.data, out.len);
	}
	buf_free(&out);
}

static void on_heartbeat(struct loop_timer *t)
{
	static const char ping[] = ": still here\n\n";
	broadcast(ping, sizeof ping - 1);
	if (n_streams) {
		loop_timer_arm(&heartbeat, loop_after_ms(HEARTBEAT_MS));
	}
}

int events_init(void)
{
	if (ready) {
		return 0;
	}
	if (loop_timer_init(&heartbeat, on_heartbeat) < 0 || app_observe(on_app_changed) < 0) {
		return -1;
	}
	ready = 1;
	return 0;
}

void events_fini(void)
{
	if (ready) {
		loop_timer_fini(&heartbeat);
		ready = 0;
	}
	n_streams = 0;
}

static void snapshot(struct buf *out)
{
	struct status_time t = status_now();
	for (size_t i = 0; i < app_count(); i++) {
		app_event(out, app_at(i), t);
	}
}

/* Rendered twice per new stream (once to size the allowance): a stream
 * opens far less often than apps change. */
size_t events_snapshot_size(void)
{
	struct buf out = { 0 };
	snapshot(&out);
	size_t n = out.len;
	buf_free(&out);
	return n;
}

/* A new stream first gets every app as it is now, so a page that was
 * rendered a moment ago misses no change. */
void events_add(struct http_conn *c)
{
	if (n_streams == MAX_STREAMS) {
		return; /* cannot be: as many streams as connections */
	}
	streams[n_streams++] = c;
	if (!loop_timer_armed(&heartbeat)) {
		loop_timer_arm(&heartbeat, loop_after_ms(HEARTBEAT_MS));
	}
	struct buf out = { 0 };
	snapshot(&out);
	/* Written even when empty: the stream's head waits to go with it. */
	http_stream_write(c, out.failed || !out.data ? "" : out.data, out.failed ? 0 : out.len);
	buf_free(&out);
}

void events_remove(struct http_conn *c)
{
	for (size_t i = 0; i < n_streams; i++) {
		if (streams[i] == c) {
			streams[i] = streams[--n_streams];
			break;
		}
	}
	if (!n_streams) {
		loop_timer_cancel(&heartbeat);
	}
}
