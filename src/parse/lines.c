/* lines: cut output streams into trimmed log lines and bounded pieces. */
#include "parse/lines.h"

#include <stdlib.h>
#include <string.h>

static int is_trailing_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* The length of the UTF-8 sequence a lead byte starts; 0 when not a lead. */
static size_t sequence_length(unsigned char lead)
{
	if (lead >= 0xF0 && lead <= 0xF7) {
		return 4;
	}
	if (lead >= 0xE0) {
		return lead <= 0xEF ? 3 : 0;
	}
	return lead >= 0xC0 ? 2 : 0;
}

/*
 * Where to cut p (more than LINES_MAX bytes) for a first piece: LINES_MAX,
 * unless the last character started within the last 4 bytes is incomplete
 * there; then just before it.
 */
static size_t piece_length(const char *p)
{
	size_t k = 0;
	while (k < 4 && is_continuation(p[LINES_MAX - 1 - k])) {
		k++;
	}
	if (k == 4) {
		return LINES_MAX;
	}
	size_t start = LINES_MAX - 1 - k;
	size_t want = sequence_length((unsigned char)p[start]);
	if (want > k + 1) {
		return start;
	}
	return LINES_MAX;
}

/* Emit the last piece of a line: trimmed, dropped when empty. */
static void emit_last(const char *p, size_t n, lines_emit_fn emit, void *ctx)
{
	while (n > 0 && is_trailing_space(p[n - 1])) {
		n--;
	}
	if (n > 0) {
		emit(ctx, p, n);
	}
}

/* Emit whole pieces while more than LINES_MAX bytes remain; returns the
 * length of the rest, which stays at p + (n - rest). */
static size_t emit_pieces(const char *p, size_t n, lines_emit_fn emit, void *ctx)
{
	while (n > LINES_MAX) {
		size_t cut = piece_length(p);
		emit(ctx, p, cut);
		p += cut;
		n -= cut;
	}
	return n;
}

static void drop_buffer(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = 0;
}

/* Keep the start of a line that has not ended yet; there is no partial. */
static int keep(struct lines *l, const char *p, size_t n, lines_emit_fn emit, void *ctx)
{
	size_t rest = emit_pieces(p, n, emit, ctx);
	p += n - rest;
	l->buf = malloc(LINES_MAX);
	if (!l->buf) {
		emit_last(p, rest, emit, ctx);
		return -1;
	}
	memcpy(l->buf, p, rest);
	l->len = rest;
	return 0;
}

/* Add n bytes with no '\n' to the partial line, emitting a full piece each
 * time the buffer is full and more of the line is waiting. */
static void append(struct lines *l, const char *p, size_t n, lines_emit_fn emit, void *ctx)
{
	while (n > 0) {
		if (l->len == LINES_MAX) {
			size_t cut = piece_length(l->buf);
			emit(ctx, l->buf, cut);
			memmove(l->buf, l->buf + cut, LINES_MAX - cut);
			l->len = LINES_MAX - cut;
		}
		size_t take = LINES_MAX - l->len;
		if (take > n) {
			take = n;
		}
		memcpy(l->buf + l->len, p, take);
		l->len += take;
		p += take;
		n -= take;
	}
}

/* One segment without '\n', ended by one when ended is set. */
static int feed_segment(struct lines *l, const char *p, size_t n, int ended,
			lines_emit_fn emit, void *ctx)
{
	if (l->len == 0 && ended) {
		size_t rest = emit_pieces(p, n, emit, ctx);
		emit_last(p + (n - rest), rest, emit, ctx);
		return 0;
	}
	if (l->len == 0) {
		return keep(l, p, n, emit, ctx);
	}
	append(l, p, n, emit, ctx);
	if (ended) {
		lines_flush(l, emit, ctx);
	}
	return 0;
}

int lines_feed(struct lines *l, const char *data, size_t n, lines_emit_fn emit, void *ctx)
{
	int result = 0;
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t seg = nl ? (size_t)(nl - data) : n;
		if (feed_segment(l, data, seg, nl != NULL, emit, ctx) < 0) {
			result = -1;
		}
		if (!nl) {
			break;
		}
		data += seg + 1;
		n -= seg + 1;
	}
	return result;
}

void lines_flush(struct lines *l, lines_emit_fn emit, void *ctx)
{
	if (l->len > 0) {
		emit_last(l->buf, l->len, emit, ctx);
	}
	drop_buffer(l);
}

void lines_free(struct lines *l)
{
	drop_buffer(l);
}

static int is_word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* 1 when the n bytes at s + i are word, with word boundaries on both sides. */
static int word_at(const char *s, size_t len, size_t i, const char *word, size_t n)
{
	if (i + n > len || memcmp(s + i, word, n) != 0) {
		return 0;
	}
	if (i > 0 && is_word_char(s[i - 1])) {
		return 0;
	}
	return i + n == len || !is_word_char(s[i + n]);
}

/* One pass: remember a GET since the last '\r' or '\n' (which '.' does
 * not match); any later "/ok" ending a word completes the match. */
int lines_is_health_echo(const char *line, size_t len)
{
	int have_get = 0;
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (c == '\r' || c == '\n') {
			have_get = 0;
		} else if (c == 'G' && word_at(line, len, i, "GET", 3)) {
			have_get = 1;
		} else if (c == '/' && have_get && i + 3 <= len &&
			   memcmp(line + i + 1, "ok", 2) == 0 &&
			   (i + 3 == len || !is_word_char(line[i + 3]))) {
			return 1;
		}
	}
	return 0;
}
