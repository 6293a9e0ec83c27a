/* metrics: the apps as Prometheus series, in a file, on change only. */
#include "serve/metrics.h"

#include "app/registry.h"
#include "base/version.h"
#include "app/changefile.h"

#include <stdio.h>

/* --- the text --- */

/* A label value: backslash, double quote and newline escaped (0.0.4). */
static void put_label(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"') {
			buf_addc(out, '\\');
			buf_addc(out, *s);
		} else if (*s == '\n') {
			buf_adds(out, "\\n");
		} else {
			buf_addc(out, *s);
		}
	}
}

static void put_head(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{app="NAME"} value, one line. */
static void put_app_sample(struct buf *out, const char *name, const struct app *a, const char *value)
{
	buf_printf(out, "%s{app=\"", name);
	put_label(out, a->name);
	buf_printf(out, "\"} %s\n", value);
}

typedef int (*has_fn)(const struct app *a);
typedef void (*value_fn)(const struct app *a, char *out, size_t cap);

/* One series for every app that has it. */
static void put_series(struct buf *out, const char *name, const char *type, const char *help,
		       has_fn has, value_fn value)
{
	put_head(out, name, type, help);
	for (size_t i = 0; i < app_count(); i++) {
		const struct app *a = app_at(i);
		char v[64];
		if (!has || has(a)) {
			value(a, v, sizeof v);
			put_app_sample(out, name, a, v);
		}
	}
}

static void v_up(const struct app *a, char *o, size_t n) { snprintf(o, n, "%d", a->state == APP_RUNNING); }
static void v_restarts(const struct app *a, char *o, size_t n) { snprintf(o, n, "%u", a->restarts); }
static void v_port(const struct app *a, char *o, size_t n) { snprintf(o, n, "%d", a->port); }
static void v_exit(const struct app *a, char *o, size_t n) { snprintf(o, n, "%d", a->last_exit.value); }
static void v_health(const struct app *a, char *o, size_t n)
{
	snprintf(o, n, "%llu", (unsigned long long)a->health_failures_total);
}
static void v_dropped(const struct app *a, char *o, size_t n)
{
	snprintf(o, n, "%llu", (unsigned long long)a->log.dropped_total);
}
static void v_lost(const struct app *a, char *o, size_t n)
{
	snprintf(o, n, "%llu", (unsigned long long)a->log.lost_total);
}
static void v_started(const struct app *a, char *o, size_t n)
{
	snprintf(o, n, "%lld.%03lld", (long long)(a->started_wall / 1000), (long long)(a->started_wall % 1000));
}
static int has_port(const struct app *a) { return a->port != 0; }
static int has_exit_code(const struct app *a) { return a->last_exit.kind == EXIT_CODE; }
static int has_exit_signal(const struct app *a) { return a->last_exit.kind == EXIT_SIGNAL; }
static int is_running(const struct app *a) { return a->state == APP_RUNNING; }

/* toes_app_state: one sample per app and state, 1 for its own. */
static void put_states(struct buf *out)
{
	static const enum app_state states[] = { APP_INVALID, APP_STOPPED, APP_STARTING, APP_RUNNING, APP_STOPPING };
	put_head(out, "toes_app_state", "gauge", "1 for the state the app is in, 0 for the others.");
	for (size_t i = 0; i < app_count(); i++) {
		const struct app *a = app_at(i);
		for (size_t s = 0; s < sizeof states / sizeof states[0]; s++) {
			buf_adds(out, "toes_app_state{app=\"");
			put_label(out, a->name);
			buf_printf(out, "\",state=\"%s\"} %d\n", app_state_name(states[s]), a->state == states[s]);
		}
	}
}

void metrics_render(struct buf *out, int64_t start_wall_ms)
{
	put_series(out, "toes_app_up", "gauge", "1 when the app is running.", NULL, v_up);
	put_states(out);
	put_series(out, "toes_app_restarts_total", "counter", "Automatic restarts since toesd started.",
		   NULL, v_restarts);
	put_series(out, "toes_app_port", "gauge", "The port the app has now.", has_port, v_port);
	put_series(out, "toes_app_last_exit_code", "gauge", "The exit code of the app's last run.",
		   has_exit_code, v_exit);
	put_series(out, "toes_app_last_exit_signal", "gauge", "The signal that ended the app's last run.",
		   has_exit_signal, v_exit);
	put_series(out, "toes_app_start_time_seconds", "gauge", "Unix time the app entered running.",
		   is_running, v_started);
	put_series(out, "toes_app_health_failures_total", "counter", "Failed health checks since toesd started.",
		   NULL, v_health);
	put_series(out, "toes_app_log_lines_dropped_total", "counter",
		   "App log lines over the daily limit since toesd started.", NULL, v_dropped);
	put_series(out, "toes_app_log_lines_lost_total", "counter",
		   "App log lines that could not be written since toesd started.", NULL, v_lost);
	put_head(out, "toesd_build_info", "gauge", "toesd's version.");
	buf_printf(out, "toesd_build_info{version=\"%s\"} 1\n", TOES_VERSION);
	put_head(out, "toesd_start_time_seconds", "gauge", "Unix time toesd started.");
	buf_printf(out, "toesd_start_time_seconds %lld.%03lld\n", (long long)(start_wall_ms / 1000),
		   (long long)(start_wall_ms % 1000));
}

/* --- the file --- */

static struct changefile file = { .dir_fd = -1 };
static int64_t started_ms;

static void render(struct buf *out)
{
	metrics_render(out, started_ms);
}

int metrics_open(const char *path, int64_t start_wall_ms)
{
	started_ms = start_wall_ms;
	return changefile_open(&file, path, "metrics file", render, 0);
}

void metrics_flush(void)
{
	changefile_flush(&file);
}

void metrics_close(void)
{
	changefile_close(&file);
}
