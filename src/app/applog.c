/* applog: an app's [system] lines, output lines and error. */
#include "app/applog.h"

#include "app/registry.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/safefile.h"

#include <limits.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t log_cap;

void applog_set_cap(uint64_t max_bytes)
{
	log_cap = max_bytes;
}

/* The day file was refused (a link, a FIFO): said where it can be seen,
 * the recent lines of status NAME and toesd's log, once. */
static void report_refusal(struct app *a, int64_t wall, int err)
{
	char text[PATH_MAX + 160], line[sizeof text + 64], stamp[32], day[16], file[20] = "";
	if (a->log.refused_file) {
		clock_format_day(wall, day);
		snprintf(file, sizeof file, "/%.10s.log", day);
	}
	int n = snprintf(text, sizeof text, "Cannot write the log %s%s: %s; its lines are counted as lost",
			 a->logdir, file, safe_strerror(err));
	size_t len = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	clock_format_iso(clock_wall_ms(), stamp);
	size_t ln = logfile_format(line, sizeof line, stamp, LOG_SYSTEM, text, len);
	if (ln) {
		recent_add(&a->recent, line, ln - 1);
	}
	log_stamped(stamp, a->name, text, len);
}

/* The line into the file and the recent ring; its stamp back to the caller. */
static void write_line(struct app *a, enum log_tag tag, const char *text, size_t len, char stamp[32])
{
	char line[LOGFILE_LINE_MAX];
	int64_t wall = clock_wall_ms();
	clock_format_iso(wall, stamp);
	size_t n = logfile_format(line, sizeof line, stamp, tag, text, len);
	if (n) {
		recent_add(&a->recent, line, n - 1);
		int refused = logfile_write(&a->log, a->logdir, wall, tag, line, n, log_cap);
		if (refused) {
			report_refusal(a, wall, refused);
		}
	}
}

void app_output_line(struct app *a, enum log_tag tag, const char *text, size_t len)
{
	char stamp[32];
	write_line(a, tag, text, len, stamp);
}

void app_log(struct app *a, const char *fmt, ...)
{
	char text[1024], stamp[32];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	size_t len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	write_line(a, LOG_SYSTEM, text, len, stamp);
	log_stamped(stamp, a->name, text, len);
}

static void replace_error(struct app *a, char *error)
{
	free(a->error);
	a->error = error;
	a->error_from_package = 0;
	app_mark_changed(a);
}

void app_set_error(struct app *a, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	replace_error(a, strdup(text));
}

void app_clear_error(struct app *a)
{
	if (a->error) {
		replace_error(a, NULL);
	}
}
