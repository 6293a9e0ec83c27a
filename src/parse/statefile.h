/* statefile: the text of $TOES_DIR/state (SPEC §11): each app's port
 * booking and stopped-by-request mark. Parse and write only, no I/O:
 *
 *     toesd-state 1
 *     NAME<TAB>PORT<TAB>up|stopped
 *     ...
 *     end
 *
 * NAME is the app's folder name with backslash, tab, newline and carriage
 * return written \\ \t \n \r (a folder name may hold any of them); PORT
 * is 1-65535, or - for none; `stopped` means stopped by request. The
 * `end` line tells a whole file from one cut at the end of a line. */
#ifndef TOES_STATEFILE_H
#define TOES_STATEFILE_H

#include "base/buf.h"

#include <stddef.h>

/* The longest name a line may hold, once unescaped (NAME_MAX). */
#define STATEFILE_NAME_MAX 255

struct state_entry {
	char *name;
	int port;              /* 0: none */
	unsigned char stopped; /* stopped by request */
	unsigned line;         /* the line it was read from; 0 when not read */
};

struct statefile {
	struct state_entry *entries;  /* sorted by name (strcmp) */
	size_t n;
};

/*
 * Parse text[0..len) into *out, entries sorted by name. 0, or -1 with
 * *out empty and err saying what is wrong and on which line: a missing
 * or unknown header, a line without its three fields, a bad escape in a
 * name, a bad port or mark, a name or port listed twice, a NUL byte, a
 * last line without its newline or a missing `end` (the file was cut),
 * text after `end`; "out of memory".
 */
int statefile_parse(const char *text, size_t len, struct statefile *out, char *err, size_t cap);

/* Append the file holding e[0..n), in that order, to out (out->failed
 * tells of a failed allocation). */
void statefile_format(struct buf *out, const struct state_entry *e, size_t n);

/* Sort the entries by name (strcmp), as statefile_find needs. */
void statefile_sort(struct statefile *s);
/* The entry named name, or NULL. */
const struct state_entry *statefile_find(const struct statefile *s, const char *name);
/* 1 when both hold the same names, ports and marks in the same order. */
int statefile_same(const struct statefile *a, const struct statefile *b);
void statefile_free(struct statefile *s);

#endif
