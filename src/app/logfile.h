/* logfile: one app's log files, APPS_DIR/<name>/logs/YYYY-MM-DD.log (UTC).
 * Never blocks or stops the app: a failed write is counted and reported
 * once writing works again; app lines past the daily cap are counted. */
#ifndef TOES_LOGFILE_H
#define TOES_LOGFILE_H

#include "parse/lines.h"

#include <stddef.h>
#include <stdint.h>

enum log_tag { LOG_STDOUT, LOG_STDERR, LOG_SYSTEM };

struct logfile {
	int fd;              /* the open day file, -1 when none */
	int64_t day;         /* days since the epoch of the open file */
	uint64_t day_bytes;  /* size of the open day file */
	uint64_t lost;       /* lines not written because writing failed */
	uint64_t lost_total; /* every line ever lost, for the metrics */
	uint64_t dropped_total; /* every app line ever over the cap, for the metrics */
	uint64_t dropped;    /* app lines over the daily cap, not yet reported */
	int64_t dropped_day; /* the day they were dropped on */
	unsigned long checked_turn; /* the loop turn the open file was last checked in */
	unsigned long failed_turn;  /* 1 + the loop turn an open last failed in; 0 never */
	int refused;                /* errno of a failure already reported, 0 none */
	int refused_file;           /* the last failure was the day file's, not the folder's */
};

void logfile_init(struct logfile *lf);
/* Write one line formatted by logfile_format (n bytes, newline included)
 * to dir's file for the UTC day of wall_ms, its stamp. max_bytes caps
 * app lines per day (0: no cap); [system] lines always go in. Whether
 * the open file is still linked in its folder is checked once per loop
 * turn, not per line; so is opening it again after a failure.
 * Neither the folder nor the file is taken through a symbolic link, and
 * the file must be a regular one with one name (safefile.h). Returns 0,
 * or, once per failure to open until it changes or a file opens again,
 * its errno (ELOOP, SAFE_ENOTREG, ENOTDIR, EISDIR, ENOSPC...) for the
 * caller to report; the line is counted as lost. */
int logfile_write(struct logfile *lf, const char *dir, int64_t wall_ms,
		  enum log_tag tag, const char *line, size_t n, uint64_t max_bytes);
/* Report what is pending (dropped and lost lines, stamped wall_ms) and
 * close the file. */
void logfile_close(struct logfile *lf, const char *dir, int64_t wall_ms);
/* Delete dir's day files whose date is more than keep_days before today:
 * only regular files, in the real folder (not through a link named dir).
 * Returns how many were deleted. */
int logfile_prune(const char *dir, unsigned keep_days, int64_t wall_ms);
/* "[2026-11-21T10:00:00.000Z] [stdout] text\n" into out, stamp being the
 * formatted time (clock_format_iso); text is cut to fit. Returns the
 * length, newline included (out is also NUL-terminated). */
size_t logfile_format(char *out, size_t cap, const char *stamp, enum log_tag tag,
		      const char *text, size_t len);
/* The longest line logfile_format makes of a LINES_MAX piece. */
#define LOGFILE_LINE_MAX (LINES_MAX + 64)

#endif
