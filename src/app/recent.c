/* recent: a small ring of an app's newest log lines. */
#include "app/recent.h"

#include "base/escape.h"

#include <stdlib.h>
#include <string.h>

static void drop_oldest(struct recent *r)
{
	char *old = r->lines[r->head];
	r->bytes -= strlen(old) + 1;
	free(old);
	r->lines[r->head] = NULL;
	r->head = (r->head + 1) % RECENT_LINES;
	r->count--;
}

/* Kept escaped (base/escape): the lines go to terminals as they are, and
 * an app's ESC or CR must not reach them. Most lines need no escape. */
void recent_add(struct recent *r, const char *line, size_t len)
{
	char escaped[RECENT_BYTES];
	if (escape_needed(line, len)) {
		len = escape_to(escaped, sizeof escaped, line, len);
		line = escaped;
	}
	if (len >= RECENT_BYTES) {
		len = RECENT_BYTES - 1;
	}
	if (!r->lines && !(r->lines = calloc(RECENT_LINES, sizeof *r->lines))) {
		return;
	}
	while (r->count && (r->count == RECENT_LINES || r->bytes + len + 1 > RECENT_BYTES)) {
		drop_oldest(r);
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		return;
	}
	memcpy(copy, line, len);
	copy[len] = '\0';
	r->lines[(r->head + r->count) % RECENT_LINES] = copy;
	r->count++;
	r->bytes += len + 1;
}

const char *recent_get(const struct recent *r, unsigned i)
{
	return r->lines[(r->head + i) % RECENT_LINES];
}

void recent_free(struct recent *r)
{
	while (r->count) {
		drop_oldest(r);
	}
	free(r->lines);
	memset(r, 0, sizeof *r);
}
