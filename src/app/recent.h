/* recent: an app's last log lines in memory for `toesctl status NAME`
 * (at most RECENT_LINES lines and RECENT_BYTES bytes; the files hold all).
 * Lines are kept escaped (base/escape); the files keep the raw bytes. */
#ifndef TOES_RECENT_H
#define TOES_RECENT_H

#include <stddef.h>

#define RECENT_LINES 20
#define RECENT_BYTES 4096

struct recent {
	char **lines;   /* ring of RECENT_LINES, allocated on the first line */
	unsigned head;  /* index of the oldest */
	unsigned count;
	size_t bytes;
};

void recent_add(struct recent *r, const char *line, size_t len);
/* The i-th line counted from the oldest (0 <= i < count). */
const char *recent_get(const struct recent *r, unsigned i);
void recent_free(struct recent *r);

#endif
