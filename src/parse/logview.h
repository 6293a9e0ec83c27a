/* logview: the pure parts of `toesctl logs` (SPEC §6, §8): its words, day
 * file names, line stamps and the backward scan for the last lines. No
 * I/O, no printing: errors come back as text for the caller to show. */
#ifndef TOES_LOGVIEW_H
#define TOES_LOGVIEW_H

#include <stddef.h>

#define LOGVIEW_USAGE "toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD]"
#define LOGVIEW_DEFAULT_LINES 10
/* "YYYY-MM-DD.log" and its NUL. */
#define LOGVIEW_DAY_FILE_SIZE 15
/* The longest stamp taken from a line's start, brackets excluded. */
#define LOGVIEW_STAMP_MAX 40

struct logview_args {
	const char *name;  /* the app, NULL: every app */
	size_t lines;      /* -n; SIZE_MAX when the number given was larger */
	int follow;        /* -f */
	const char *date;  /* --date, checked by logview_date_ok; NULL: the newest days */
};

/*
 * The n words after "logs": NAME, -n N or -nN (N: digits only, 0 allowed),
 * -f, --date D or --date=D, in any order; "--" ends the options (a NAME
 * may then start with '-'; a lone "-" is a NAME too); a repeated option
 * takes its last value. Returns 0, or -1 with one line (no newline) in
 * err: an unknown option, a missing or bad value, a second NAME.
 */
int logview_parse_args(int n, char *const *words, struct logview_args *out, char *err, size_t cap);

/* 1 when s is a real calendar date written YYYY-MM-DD (year 0001-9999). */
int logview_date_ok(const char *s);

/* 1 when name is a day file's: a date as above followed by ".log". */
int logview_is_day_file(const char *name);

/* 1 when name can be an app's folder in APPS_DIR: not empty, no '/', not
 * starting with '.' (so neither "." nor ".."). */
int logview_name_ok(const char *name);

/*
 * The stamp a log line starts with: "[2026-11-21T10:00:00.000Z] ..." gives
 * "2026-11-21T10:00:00.000Z". Any bracketed run of digits and ":.-+TZ"
 * that starts with a digit and is at most LOGVIEW_STAMP_MAX bytes counts:
 * stamps of one form compare as strings in time order. Returns its
 * length, *at pointing at it, or 0 when the line has none.
 */
size_t logview_stamp(const char *line, size_t len, const char **at);

/*
 * One step of finding where the last lines of a file start, scanning a
 * block p[0..len) that ends where the scan so far began (the file's
 * newline-terminated tail excluded by the caller). Every '\n' met from
 * the end lowers *need by one (the line after it is complete); when *need
 * reaches 0, returns 1 with *at the index just past that '\n'. Returns 0
 * when the block holds fewer: *need is what is still wanted. *need == 0
 * on entry returns 1 with *at = len.
 */
int logview_scan_back(const char *p, size_t len, size_t *need, size_t *at);

#endif
