/* status: rendering app records for people (table, details) and scripts (JSON). */
#include "serve/status.h"

#include "base/clock.h"
#include "base/loop.h"
#include "parse/pkg.h"

#include <stdio.h>
#include <string.h>

#define DETAIL_LOG_LINES 10

static const char *icon_of(const struct app *a)
{
	return a->icon ? a->icon : PKG_DEFAULT_ICON;
}

static void json_str_or_null(struct buf *out, const char *s)
{
	if (s) {
		buf_add_json_string(out, s, strlen(s));
	} else {
		buf_adds(out, "null");
	}
}

static void json_int_or_null(struct buf *out, long long v, int present)
{
	if (present) {
		buf_printf(out, "%lld", v);
	} else {
		buf_adds(out, "null");
	}
}

static void json_stamp_or_null(struct buf *out, int64_t wall_ms, int present)
{
	char stamp[32];
	if (!present) {
		buf_adds(out, "null");
		return;
	}
	clock_format_iso(wall_ms, stamp);
	buf_printf(out, "\"%s\"", stamp);
}

/* Milliseconds until a scheduled restart; -1 when none is scheduled. */
static long long next_restart_ms(const struct app *a)
{
	if (a->state != APP_STOPPED || !loop_timer_armed(&a->deadline)) {
		return -1;
	}
	long long left = a->restart_due - clock_mono_ms();
	return left > 0 ? left : 0;
}

void status_json_app(struct buf *out, const struct app *a)
{
	buf_adds(out, "{\"name\":");
	json_str_or_null(out, a->name);
	buf_adds(out, ",\"icon\":");
	json_str_or_null(out, icon_of(a));
	buf_printf(out, ",\"tool\":%s", a->tool ? a->tool : "null");
	buf_printf(out, ",\"state\":\"%s\",\"pid\":", app_state_name(a->state));
	json_int_or_null(out, a->pid, a->pid != 0);
	buf_adds(out, ",\"port\":");
	json_int_or_null(out, a->port, a->port != 0);
	buf_printf(out, ",\"http\":%s,\"started\":", a->http ? "true" : "false");
	json_stamp_or_null(out, a->started_wall, a->running_since != 0);
	buf_printf(out, ",\"restarts\":%u,\"attempt\":%u,\"next_restart_ms\":", a->restarts, a->attempt);
	long long next = next_restart_ms(a);
	json_int_or_null(out, next, next >= 0);
	buf_adds(out, ",\"version\":");
	json_str_or_null(out, a->version);
	buf_adds(out, ",\"error\":");
	json_str_or_null(out, a->error);
	buf_adds(out, ",\"last_exit\":");
	if (a->last_exit.kind == EXIT_NONE) {
		buf_adds(out, "null");
	} else {
		buf_printf(out, "{\"%s\":%d,\"at\":", a->last_exit.kind == EXIT_SIGNAL ? "signal" : "code",
			   a->last_exit.value);
		json_stamp_or_null(out, a->last_exit.at, 1);
		buf_addc(out, '}');
	}
	buf_addc(out, '}');
}

void status_json_all(struct buf *out)
{
	buf_addc(out, '[');
	for (size_t i = 0; i < app_count(); i++) {
		if (i) {
			buf_addc(out, ',');
		}
		status_json_app(out, app_at(i));
	}
	buf_adds(out, "]\n");
}

/* "3d4h", "2h5m", "5m12s", "42s". */
static void format_uptime(char *out, size_t cap, int64_t ms)
{
	int64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;
	if (d) {
		snprintf(out, cap, "%lldd%lldh", (long long)d, (long long)(h % 24));
	} else if (h) {
		snprintf(out, cap, "%lldh%lldm", (long long)h, (long long)(m % 60));
	} else if (m) {
		snprintf(out, cap, "%lldm%llds", (long long)m, (long long)(s % 60));
	} else {
		snprintf(out, cap, "%llds", (long long)s);
	}
}

static void format_exit(char *out, size_t cap, const struct app_exit *e)
{
	if (e->kind == EXIT_NONE) {
		snprintf(out, cap, "-");
	} else {
		snprintf(out, cap, "%s %d", e->kind == EXIT_SIGNAL ? "signal" : "code", e->value);
	}
}

static void table_row(struct buf *out, const struct app *a)
{
	char pid[16] = "-", port[16] = "-", up[32] = "-", last[32];
	if (a->pid) {
		snprintf(pid, sizeof pid, "%d", (int)a->pid);
	}
	if (a->port) {
		snprintf(port, sizeof port, "%d", a->port);
	}
	if (a->running_since) {
		format_uptime(up, sizeof up, clock_mono_ms() - a->running_since);
	}
	format_exit(last, sizeof last, &a->last_exit);
	buf_printf(out, "%s %-20s %-9s %-8s %-6s %-8s %-8u %-10s %s\n", icon_of(a), a->name,
		   app_state_name(a->state), pid, port, up, a->restarts, last,
		   a->error ? a->error : "-");
}

void status_table(struct buf *out)
{
	buf_printf(out, "   %-20s %-9s %-8s %-6s %-8s %-8s %-10s %s\n", "NAME", "STATE", "PID",
		   "PORT", "UPTIME", "RESTARTS", "LAST EXIT", "ERROR");
	for (size_t i = 0; i < app_count(); i++) {
		table_row(out, app_at(i));
	}
	if (!app_count()) {
		buf_adds(out, "(no apps)\n");
	}
}

void status_details(struct buf *out, const struct app *a)
{
	char up[32] = "-", last[32], stamp[32], day[16];
	if (a->running_since) {
		format_uptime(up, sizeof up, clock_mono_ms() - a->running_since);
	}
	format_exit(last, sizeof last, &a->last_exit);
	buf_printf(out, "name:       %s %s\nstate:      %s%s\n", icon_of(a), a->name,
		   app_state_name(a->state), a->state == APP_RUNNING ? (a->http ? " (http)" : " (no http)") : "");
	buf_printf(out, "pid:        %d\nport:       %d\nuptime:     %s\n", (int)a->pid, a->port, up);
	buf_printf(out, "restarts:   %u\nattempt:    %u\n", a->restarts, a->attempt);
	long long next = next_restart_ms(a);
	if (next >= 0) {
		buf_printf(out, "restart in: %lld ms\n", next);
	}
	buf_printf(out, "version:    %s\nerror:      %s\n", a->version ? a->version : "-",
		   a->error ? a->error : "-");
	if (a->last_exit.kind != EXIT_NONE) {
		clock_format_iso(a->last_exit.at, stamp);
		buf_printf(out, "last exit:  %s at %s\n", last, stamp);
	}
	clock_format_day(clock_wall_ms(), day);
	buf_printf(out, "log:        %s/%s.log\n", a->logdir, day);
	unsigned n = a->recent.count, first = n > DETAIL_LOG_LINES ? n - DETAIL_LOG_LINES : 0;
	if (n) {
		buf_adds(out, "\n");
	}
	for (unsigned i = first; i < n; i++) {
		buf_printf(out, "%s\n", recent_get(&a->recent, i));
	}
}
