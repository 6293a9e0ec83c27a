/* logsource: one app's lines for toesctl logs, read from a list of byte
 * ranges of its day files (oldest first), and the merge that prints
 * several apps' lines in time order. */
#ifndef TOES_CTL_LOGSOURCE_H
#define TOES_CTL_LOGSOURCE_H

#include "base/buf.h"
#include "parse/logview.h"
#include "toesctl/logout.h"

#include <stddef.h>
#include <sys/types.h>

/* Bytes [start, end) of one day file. */
struct log_seg {
	int fd;         /* -1: opened by name when its turn comes */
	int owned;      /* closed when the source is reset */
	off_t start, end;
	int open_end;   /* the file is still written: a last line without its
	                 * newline is held back, not shown */
	char file[LOGVIEW_DAY_FILE_SIZE];
};

struct log_source {
	const char *apps_dir;   /* borrowed, for messages */
	char *name;             /* the app's folder name (owned): the prefix */
	struct log_seg *segs;
	size_t n_segs, cap_segs, cur;
	off_t pos;              /* the next byte of segs[cur] to read */
	char *chunk;            /* what was read and not yet split */
	size_t chunk_len, chunk_at;
	struct buf line;        /* the line read last, without its newline */
	int has_line;
	/* The stamp of the line read last, or of the last line before it
	 * that had one: a line without a stamp sorts with the one before it.
	 * Kept across resets, so that it holds across -f's rounds. */
	char key[LOGVIEW_STAMP_MAX + 1];
	off_t held;             /* once read to the end: where the held line of
	                         * the last (open) segment starts, or its end */
	int failed;             /* a read failed (said on stderr) */
};

/* A source for the app name (copied) in apps_dir. 0, or -1 (ENOMEM). */
int source_init(struct log_source *s, const char *apps_dir, const char *name);
/* Add [start, end) of fd (file: its day file's name; fd -1: the source
 * opens it when it gets there, and closes it when done) after the ranges
 * there are; owned: the source closes fd. 0, or -1 (ENOMEM: an owned fd
 * is closed). */
int source_add(struct log_source *s, int fd, int owned, off_t start, off_t end, int open_end,
	       const char *file);
/* Drop the ranges (closing the owned descriptors); keeps name and key. */
void source_reset(struct log_source *s);
void source_free(struct log_source *s);

/*
 * Print the lines of the n sources merged in time order: the earliest
 * key of the sources' next lines goes first, the first source on a tie,
 * so that each source keeps its own order. The first skip lines are not
 * printed (for the last N of the merged stream). Stops at a failed write
 * (o->err). Each source is read to its end, so that held says where to
 * go on from.
 */
void sources_print(struct log_source *const *srcs, size_t n, size_t skip, struct log_out *o);

#endif
