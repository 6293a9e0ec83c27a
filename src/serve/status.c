/* status: rendering app records for people (table, details) and scripts (JSON).
 * Every text from an app or a folder name (name, icon, error, version,
 * tool, log lines) is shown escaped (base/escape): the answer goes to a
 * terminal, JSON included, and must not drive it. */
#include "serve/status.h"

#include "app/registry.h"
#include "base/clock.h"
#include "base/escape.h"
#include "parse/opts.h"
#include "parse/pkg.h"

#include <stdio.h>
#include <string.h>

#define DETAIL_LOG_LINES 10
#define N_COLUMNS 8

struct status_time status_now(void)
{
	struct status_time t = { clock_mono(), clock_wall_ms() };
	return t;
}

static const char *icon_of(const struct app *a)
{
	return a->icon ? a->icon : PKG_DEFAULT_ICON;
}

/* --- values shared by every form --- */

/* Milliseconds until a scheduled restart; -1 when none is scheduled. */
static long long next_restart_ms(const struct app *a, struct status_time t)
{
	if (a->state != APP_STOPPED || a->detail != DETAIL_BACKOFF) {
		return -1;
	}
	long long left = (a->restart_due - t.mono + MONO_MS - 1) / MONO_MS;
	return left > 0 ? left : 0;
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

static void uptime_text(char *out, size_t cap, const struct app *a, struct status_time t)
{
	if (a->state == APP_RUNNING) {
		format_uptime(out, cap, (t.mono - a->run.running_since) / MONO_MS);
	} else {
		snprintf(out, cap, "-");
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

void status_state_text(char *out, size_t cap, const struct app *a, struct status_time t)
{
	const char *state = app_state_name(a->state);
	char in[32];
	switch (a->detail) {
	case DETAIL_BACKOFF:
		/* Seconds as in the log lines, rounded up to a tenth. */
		opt_format_duration(in, sizeof in, (next_restart_ms(a, t) + 99) / 100 * 100);
		snprintf(out, cap, "%s (restart in %s, attempt %u)", state, in, a->attempt);
		return;
	case DETAIL_WAITING_PORT:
		snprintf(out, cap, "%s (waiting for a port)", state);
		return;
	case DETAIL_BY_REQUEST:
		snprintf(out, cap, "%s (by request)", state);
		return;
	case DETAIL_INSTALLING:
	case DETAIL_SIGKILL:
	case DETAIL_DRAINING:
		snprintf(out, cap, "%s (%s)", state, app_detail_name(a->detail));
		return;
	case DETAIL_NONE:
		break;
	}
	snprintf(out, cap, "%s", state);
}

/* --- JSON --- */

static void json_str_or_null(struct buf *out, const char *s)
{
	if (s) {
		escape_json(out, s, strlen(s));
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

static void json_last_exit(struct buf *out, const struct app_exit *e)
{
	if (e->kind == EXIT_NONE) {
		buf_adds(out, "null");
		return;
	}
	buf_printf(out, "{\"%s\":%d,\"at\":", e->kind == EXIT_SIGNAL ? "signal" : "code", e->value);
	json_stamp_or_null(out, e->at, 1);
	buf_addc(out, '}');
}

void status_json_app(struct buf *out, const struct app *a, struct status_time t)
{
	buf_adds(out, "{\"name\":");
	json_str_or_null(out, a->name);
	buf_adds(out, ",\"icon\":");
	json_str_or_null(out, icon_of(a));
	/* tool is JSON as package.json has it: DEL and C1 may be raw in it. */
	buf_adds(out, ",\"tool\":");
	if (a->tool) {
		escape_json_text(out, a->tool, strlen(a->tool));
	} else {
		buf_adds(out, "null");
	}
	buf_printf(out, ",\"state\":\"%s\",\"detail\":", app_state_name(a->state));
	json_str_or_null(out, app_detail_name(a->detail));
	buf_adds(out, ",\"pid\":");
	json_int_or_null(out, a->run.pid, a->run.pid != 0);
	buf_adds(out, ",\"port\":");
	json_int_or_null(out, a->port, a->port != 0);
	buf_printf(out, ",\"http\":%s,\"started\":", a->run.http ? "true" : "false");
	json_stamp_or_null(out, a->started_wall, a->state == APP_RUNNING);
	buf_printf(out, ",\"restarts\":%u,\"attempt\":%u,\"next_restart_ms\":", a->restarts, a->attempt);
	long long next = next_restart_ms(a, t);
	json_int_or_null(out, next, next >= 0);
	buf_adds(out, ",\"version\":");
	json_str_or_null(out, a->version);
	buf_adds(out, ",\"error\":");
	json_str_or_null(out, a->error);
	buf_adds(out, ",\"last_exit\":");
	json_last_exit(out, &a->last_exit);
	buf_addc(out, '}');
}

void status_json_all(struct buf *out, struct status_time t)
{
	buf_addc(out, '[');
	for (size_t i = 0; i < app_count(); i++) {
		if (i) {
			buf_addc(out, ',');
		}
		status_json_app(out, app_at(i), t);
	}
	buf_adds(out, "]\n");
}

/* --- the table --- */

/* One row's cells, each NUL-terminated. */
struct row {
	char cell[N_COLUMNS][160];
};

static const char *const headers[N_COLUMNS] = {
	"NAME", "STATE", "PID", "PORT", "UPTIME", "RESTARTS", "LAST EXIT", "ERROR",
};

/* s into a cell, escaped: widths are then counted on what is shown. */
static void put_cell(char *cell, size_t cap, const char *s)
{
	escape_to(cell, cap, s, strlen(s));
}

static void fill_row(struct row *r, const struct app *a, struct status_time t)
{
	put_cell(r->cell[0], sizeof r->cell[0], a->name);
	status_state_text(r->cell[1], sizeof r->cell[1], a, t);
	snprintf(r->cell[2], sizeof r->cell[2], a->run.pid ? "%d" : "-", (int)a->run.pid);
	snprintf(r->cell[3], sizeof r->cell[3], a->port ? "%d" : "-", a->port);
	uptime_text(r->cell[4], sizeof r->cell[4], a, t);
	snprintf(r->cell[5], sizeof r->cell[5], "%u", a->restarts);
	format_exit(r->cell[6], sizeof r->cell[6], &a->last_exit);
	put_cell(r->cell[7], sizeof r->cell[7], a->error ? a->error : "-");
}

/* Terminal columns of UTF-8 text, counting each character as one. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++) {
		w += ((unsigned char)*s & 0xC0) != 0x80;
	}
	return w;
}

static void widen(size_t width[N_COLUMNS], const char *const cells[N_COLUMNS])
{
	for (int c = 0; c < N_COLUMNS; c++) {
		size_t w = text_width(cells[c]);
		if (w > width[c]) {
			width[c] = w;
		}
	}
}

/* The icon, then each cell padded to its column (the last one not). */
static void put_row(struct buf *out, const char *icon, const char *const cells[N_COLUMNS],
		    const size_t width[N_COLUMNS])
{
	escape_buf(out, icon, strlen(icon));
	buf_addc(out, ' ');
	for (int c = 0; c < N_COLUMNS; c++) {
		buf_adds(out, cells[c]);
		if (c == N_COLUMNS - 1) {
			break;
		}
		for (size_t k = text_width(cells[c]); k < width[c] + 2; k++) {
			buf_addc(out, ' ');
		}
	}
	buf_addc(out, '\n');
}

static void cells_of(const struct row *r, const char *cells[N_COLUMNS])
{
	for (int c = 0; c < N_COLUMNS; c++) {
		cells[c] = r->cell[c];
	}
}

/* Two passes, each row formatted in both: the widths first, then the
 * lines; cheaper than holding every row's cells at once (1.3 MB for
 * 1,000 apps). */
void status_table(struct buf *out, struct status_time t)
{
	size_t width[N_COLUMNS] = { 0 };
	struct row r;
	const char *cells[N_COLUMNS];
	widen(width, headers);
	for (size_t i = 0; i < app_count(); i++) {
		fill_row(&r, app_at(i), t);
		cells_of(&r, cells);
		widen(width, cells);
	}
	/* The header's icon column is as wide as an emoji: two spaces. */
	put_row(out, "  ", headers, width);
	for (size_t i = 0; i < app_count(); i++) {
		fill_row(&r, app_at(i), t);
		cells_of(&r, cells);
		put_row(out, icon_of(app_at(i)), cells, width);
	}
	if (!app_count()) {
		buf_adds(out, "(no apps)\n");
	}
}

/* --- one app --- */

/* s escaped, or "-" when there is none. */
static void put_text(struct buf *out, const char *s)
{
	if (s) {
		escape_buf(out, s, strlen(s));
	} else {
		buf_addc(out, '-');
	}
}

void status_details(struct buf *out, const struct app *a, struct status_time t)
{
	char up[32], last[32], stamp[32], day[16], state[160], pid[16] = "-", port[16] = "-";
	uptime_text(up, sizeof up, a, t);
	if (a->run.pid) {
		snprintf(pid, sizeof pid, "%d", (int)a->run.pid);
	}
	if (a->port) {
		snprintf(port, sizeof port, "%d", a->port);
	}
	format_exit(last, sizeof last, &a->last_exit);
	status_state_text(state, sizeof state, a, t);
	buf_adds(out, "name:       ");
	put_text(out, icon_of(a));
	buf_addc(out, ' ');
	put_text(out, a->name);
	buf_printf(out, "\nstate:      %s%s\n", state,
		   a->state == APP_RUNNING ? (a->run.http ? " (http)" : " (no http)") : "");
	buf_printf(out, "pid:        %s\nport:       %s\nuptime:     %s\n", pid, port, up);
	buf_printf(out, "restarts:   %u\nattempt:    %u\n", a->restarts, a->attempt);
	long long next = next_restart_ms(a, t);
	if (next >= 0) {
		buf_printf(out, "restart in: %lld ms\n", next);
	}
	buf_adds(out, "version:    ");
	put_text(out, a->version);
	buf_adds(out, "\nerror:      ");
	put_text(out, a->error);
	buf_addc(out, '\n');
	if (a->last_exit.kind != EXIT_NONE) {
		clock_format_iso(a->last_exit.at, stamp);
		buf_printf(out, "last exit:  %s at %s\n", last, stamp);
	}
	clock_format_day(t.wall, day);
	/* The folder holds the app's name. */
	buf_adds(out, "log:        ");
	put_text(out, a->logdir);
	buf_printf(out, "/%s.log\n", day);
	unsigned n = a->recent.count, first = n > DETAIL_LOG_LINES ? n - DETAIL_LOG_LINES : 0;
	if (n) {
		buf_adds(out, "\n");
	}
	/* Kept escaped already; escaping again costs a scan and changes nothing. */
	for (unsigned i = first; i < n; i++) {
		put_text(out, recent_get(&a->recent, i));
		buf_addc(out, '\n');
	}
}
