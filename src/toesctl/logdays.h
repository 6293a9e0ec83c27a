/* logdays: one app's logs folder as toesctl logs reads it: its day files
 * (YYYY-MM-DD.log) in order, and where the last lines of one begin,
 * found by reading backwards from its end in blocks, so that a huge file
 * is never read whole for its last lines. */
#ifndef TOES_CTL_LOGDAYS_H
#define TOES_CTL_LOGDAYS_H

#include "parse/logview.h"

#include <stddef.h>
#include <sys/types.h>

struct day_list {
	char (*names)[LOGVIEW_DAY_FILE_SIZE]; /* sorted: oldest day first */
	size_t n;
};

/* The day files in the folder dirfd (other names are not logs: skipped).
 * 0, or -1 with errno. */
int days_list(int dirfd, struct day_list *out);
void days_free(struct day_list *l);
/* The first day file after name (or_same: name itself too), or NULL. */
const char *days_next(const struct day_list *l, const char *name, int or_same);

/*
 * Where the last *need lines of fd's bytes [0, end) start, into *start;
 * *need is lowered by the lines found (a non-empty range holds at least
 * one: an unterminated last line counts). 0, or -1 with errno.
 */
int days_tail_start(int fd, off_t end, size_t *need, off_t *start);

/* Just past the last '\n' of fd's bytes [0, end) into *out: 0 when there
 * is none. What follows it is a line still being written. 0, or -1. */
int days_complete_end(int fd, off_t end, off_t *out);

#endif
