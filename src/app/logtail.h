/* logtail: an app's last N log lines read back from its day files, the
 * newest day first, for toesd's HTTP endpoint (SPEC §14). Bounded: at
 * most LOGTAIL_MAX_BYTES are read, from the end, whatever N is. */
#ifndef TOES_LOGTAIL_H
#define TOES_LOGTAIL_H

#include "app/app.h"
#include "base/buf.h"

#define LOGTAIL_MAX_BYTES (1024 * 1024)

/* The last n lines (oldest first) appended to out. 0, or -1 when no day
 * file could be read (out says nothing then). */
int logtail_read(const struct app *a, unsigned n, struct buf *out);

#endif
