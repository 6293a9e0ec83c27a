/* lines: split an app's output into log lines (SPEC §6). */
#ifndef TOES_LINES_H
#define TOES_LINES_H

#include <stddef.h>

/* The longest piece of a line that is emitted at once. */
#define LINES_MAX 8192

/* One output stream's partial line. Zero-initialise it. */
struct lines {
	char *buf;    /* LINES_MAX bytes, malloc'd lazily, freed when empty */
	size_t len;
};

/* Told about one line or piece: len bytes, not NUL-terminated, never empty. */
typedef void (*lines_emit_fn)(void *ctx, const char *line, size_t len);

/*
 * Feed n bytes of output; emit every complete line. A line ends at '\n';
 * trailing spaces, tabs and '\r' are trimmed and lines left empty dropped.
 * A line longer than LINES_MAX is emitted in pieces of at most LINES_MAX
 * bytes, each cut at a UTF-8 character boundary (or at LINES_MAX when
 * none lies within the last 4 bytes); only the last piece is trimmed. A
 * piece is emitted as soon as the next byte of the line arrives, so at
 * most LINES_MAX bytes are ever kept. Returns 0, or -1 when memory for
 * the partial line ran out: that partial line was then emitted as is.
 */
int lines_feed(struct lines *l, const char *data, size_t n, lines_emit_fn emit, void *ctx);

/* Emit the partial line that is left (the stream ended) and free it. */
void lines_flush(struct lines *l, lines_emit_fn emit, void *ctx);

/* Drop the partial line without emitting it. */
void lines_free(struct lines *l);

/*
 * 1 when the line is a health-check request echoed by the app: the word
 * GET, later "/ok" ending a word (the reference's /\bGET\b.*\/ok\b/,
 * where '.' does not cross '\r' or '\n').
 */
int lines_is_health_echo(const char *line, size_t len);

#endif
