/* status: rendering app records for people (table, details) and scripts (JSON).
 * Every text from an app or a folder name (name, icon, error, version,
 * tool, log lines) is shown escaped (base/escape): the answer goes to a
 * terminal, JSON included, and must not drive it. */
#include "serve/status.h"

#include "app/registry.h"
#include "base/clock.h"
#include "base/escape.h"
#include "base/width.h"
#include "parse/opts.h"
#include "parse/pkg.h"

#include <stdio.h>
#include <string.h>

#define DETAIL_LOG_LINES 10

struct status_time status_now(void)
{
	struct status_time t = { clock_mono(), clock_wall_ms(), 0 };
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
	if (t.absolute) {
		char stamp[32];
		clock_format_iso(a->since, stamp);
		snprintf(out, cap, "%s", stamp);
	} else if (a->state == APP_RUNNING) {
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

/* The time left until a scheduled restart in seconds as the log lines
 * write them, rounded up to a tenth: "0.7s", "4s". */
static void restart_in_text(char *out, size_t cap, const struct app *a, struct status_time t)
{
	opt_format_duration(out, cap, (next_restart_ms(a, t) + 99) / 100 * 100);
}

/* The UTC time a scheduled restart is due (for a file, which cannot
 * count down). */
static void restart_at_text(char *out, size_t cap, const struct app *a, struct status_time t)
{
	char stamp[32];
	clock_format_iso(t.wall + (a->restart_due - t.mono) / MONO_MS, stamp);
	snprintf(out, cap, "%s", stamp);
}

void status_state_text(char *out, size_t cap, const struct app *a, struct status_time t)
{
	const char *state = app_state_name(a->state);
	char in[32];
	switch (a->detail) {
	case DETAIL_BACKOFF:
		if (t.absolute) {
			restart_at_text(in, sizeof in, a, t);
			snprintf(out, cap, "%s (restart at %s, attempt %u)", state, in, a->attempt);
			return;
		}
		restart_in_text(in, sizeof in, a, t);
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

/* The columns: the icon (no header), then the named ones. */
enum column { COL_ICON, COL_NAME, COL_STATE, COL_PID, COL_PORT, COL_UPTIME, COL_RESTARTS,
	      COL_LAST_EXIT, COL_ERROR, N_COLUMNS };

/* A cell holds an escaped value: at most four bytes for each byte of the
 * longest (an error of 300 bytes, a name of NAME_MAX). */
#define CELL_MAX 1280

/* One row's cells, each NUL-terminated. */
struct row {
	char cell[N_COLUMNS][CELL_MAX];
};

static const char *const headers[N_COLUMNS] = {
	"", "NAME", "STATE", "PID", "PORT", "UPTIME", "RESTARTS", "LAST EXIT", "ERROR",
};
static const char *const file_headers[N_COLUMNS] = {
	"", "NAME", "STATE", "PID", "PORT", "SINCE", "RESTARTS", "LAST EXIT", "ERROR",
};

/* s into a cell, escaped: widths are then counted on what is shown. */
static void put_cell(char *cell, const char *s)
{
	escape_to(cell, CELL_MAX, s, strlen(s));
}

/* Every value as the table shows it; status NAME shows the same. */
static void fill_row(struct row *r, const struct app *a, struct status_time t)
{
	put_cell(r->cell[COL_ICON], icon_of(a));
	put_cell(r->cell[COL_NAME], a->name);
	status_state_text(r->cell[COL_STATE], CELL_MAX, a, t);
	snprintf(r->cell[COL_PID], CELL_MAX, a->run.pid ? "%d" : "-", (int)a->run.pid);
	snprintf(r->cell[COL_PORT], CELL_MAX, a->port ? "%d" : "-", a->port);
	uptime_text(r->cell[COL_UPTIME], CELL_MAX, a, t);
	snprintf(r->cell[COL_RESTARTS], CELL_MAX, "%u", a->restarts);
	format_exit(r->cell[COL_LAST_EXIT], CELL_MAX, &a->last_exit);
	put_cell(r->cell[COL_ERROR], a->error ? a->error : "-");
}

static size_t cell_width(const char *cell)
{
	return width_text(cell, strlen(cell));
}

static void widen(size_t width[N_COLUMNS], const char *const cells[N_COLUMNS])
{
	for (int c = 0; c < N_COLUMNS; c++) {
		size_t w = cell_width(cells[c]);
		if (w > width[c]) {
			width[c] = w;
		}
	}
}

/* Each cell padded to its column's width in terminal columns, then the
 * gap: one space after the icons (none without any), two after the
 * others; the last cell is not padded. */
static void put_row(struct buf *out, const char *const cells[N_COLUMNS], const size_t width[N_COLUMNS])
{
	for (int c = 0; c < N_COLUMNS; c++) {
		buf_adds(out, cells[c]);
		if (c == N_COLUMNS - 1) {
			break;
		}
		size_t end = width[c] + (c != COL_ICON ? 2 : width[c] ? 1 : 0);
		for (size_t k = cell_width(cells[c]); k < end; k++) {
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
 * lines; cheaper than holding every row's cells at once (11 MB for
 * 1,000 apps). The one row (11 KiB) is static, off the stack. */
void status_table(struct buf *out, struct status_time t)
{
	static struct row r;
	size_t width[N_COLUMNS] = { 0 };
	const char *cells[N_COLUMNS];
	const char *const *head = t.absolute ? file_headers : headers;
	widen(width, head);
	for (size_t i = 0; i < app_count(); i++) {
		fill_row(&r, app_at(i), t);
		cells_of(&r, cells);
		widen(width, cells);
	}
	put_row(out, head, width);
	for (size_t i = 0; i < app_count(); i++) {
		fill_row(&r, app_at(i), t);
		cells_of(&r, cells);
		put_row(out, cells, width);
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

/* One "label:      value" line; labels are padded to 12 columns. */
static void put_field(struct buf *out, const char *label, const char *value)
{
	buf_printf(out, "%-12s%s\n", label, value);
}

/* The app's last log lines, after a blank line. */
static void put_recent_lines(struct buf *out, const struct app *a)
{
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

/* The table's cells first, with the same formats, then what only the
 * details show. */
void status_details(struct buf *out, const struct app *a, struct status_time t)
{
	static struct row r;
	char stamp[32], day[16], text[64];
	fill_row(&r, a, t);
	buf_printf(out, "%-12s%s %s\n", "name:", r.cell[COL_ICON], r.cell[COL_NAME]);
	buf_printf(out, "%-12s%s%s\n", "state:", r.cell[COL_STATE],
		   a->state == APP_RUNNING ? (a->run.http ? " (http)" : " (no http)") : "");
	put_field(out, "pid:", r.cell[COL_PID]);
	put_field(out, "port:", r.cell[COL_PORT]);
	put_field(out, "uptime:", r.cell[COL_UPTIME]);
	put_field(out, "restarts:", r.cell[COL_RESTARTS]);
	if (a->last_exit.kind != EXIT_NONE) {
		clock_format_iso(a->last_exit.at, stamp);
		buf_printf(out, "%-12s%s at %s\n", "last exit:", r.cell[COL_LAST_EXIT], stamp);
	} else {
		put_field(out, "last exit:", r.cell[COL_LAST_EXIT]);
	}
	put_field(out, "error:", r.cell[COL_ERROR]);
	snprintf(text, sizeof text, "%u", a->attempt);
	put_field(out, "attempt:", text);
	if (next_restart_ms(a, t) >= 0) {
		restart_in_text(text, sizeof text, a, t);
		put_field(out, "restart in:", text);
	}
	buf_printf(out, "%-12s", "version:");
	put_text(out, a->version);
	clock_format_day(t.wall, day);
	/* The folder holds the app's name. */
	buf_printf(out, "\n%-12s", "log:");
	put_text(out, a->logdir);
	buf_printf(out, "/%s.log\n", day);
	put_recent_lines(out, a);
}
