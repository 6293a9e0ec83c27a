/* changefile: a file rendered from the apps and written only when what it
 * shows changed (SPEC §8, §11: the status file, the metrics, the state): after a loop
 * turn in which an app changed, the text is rendered, compared with what
 * was written (by a hash), and written atomically (atomicfile) only when
 * it differs. Never on a timer. */
#ifndef TOES_CHANGEFILE_H
#define TOES_CHANGEFILE_H

#include "base/buf.h"

#include <limits.h>
#include <stdint.h>

typedef void (*changefile_render_fn)(struct buf *out);

struct changefile {
	const char *what;            /* "status file", "metrics file": for messages */
	changefile_render_fn render;
	int dir_fd;                  /* -1: not kept */
	char name[NAME_MAX + 1], temp[NAME_MAX + 1], path[PATH_MAX];
	int durable;                 /* fsync file and folder (flash that must keep it) */
	int dirty;                   /* an app changed since the last flush */
	int failing;                 /* the last write failed: said once */
	uint64_t written;            /* hash of the text in the file; 0: none yet */
	struct changefile *next;     /* in the list the registry's observer marks */
};

/* Keep f as path (its folder must exist; the temporary file is
 * .NAME.tmp beside it), rendered by render; durable: fsynced (atomicfile).
 * It is rendered at the first flush, and written unless f->written (set
 * by the caller after this) says the file holds that text already. -1
 * (logged, with what) when it cannot be: toesd runs on without the file. */
int changefile_open(struct changefile *f, const char *path, const char *what, changefile_render_fn render,
		    int durable);
/* Once per loop turn, after the registry's change flush. */
void changefile_flush(struct changefile *f);
/* At exit; the file stays, as the last state shown. */
void changefile_close(struct changefile *f);

#endif
