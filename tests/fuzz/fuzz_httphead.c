/* fuzz_httphead: the request-head parser of toesd's HTTP endpoint (SPEC
 * §14), http_unescape and http_query_number. The head's end is found here
 * too, by a plain search: every result must agree with it (no end within
 * the limit: INCOMPLETE below it, TOO_LARGE at it; an end: DONE with that
 * length, BAD or BAD_VERSION), prefixes cut where the input says must be
 * INCOMPLETE before the end and give the same answer after it, and what
 * is parsed must keep the header's promises. */
#include "fuzz.h"

#include "parse/httphead.h"

/* Where the head ends (its blank line included), or 0: the first "\n\n"
 * or "\n\r\n". */
static size_t end_of_head(const char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n') {
			continue;
		}
		if (p[i + 1] == '\n') {
			return i + 2;
		}
		if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n') {
			return i + 3;
		}
	}
	return 0;
}

static void check_head(const struct httphead *h, const char *p, size_t end)
{
	FUZZ_CHECK(h->length == end, "the length is the head's");
	FUZZ_CHECK(h->length <= HTTPHEAD_MAX, "within the limit");
	FUZZ_CHECK(p[h->length - 1] == '\n', "ends at a newline");
	size_t ml = strnlen(h->method, sizeof h->method);
	FUZZ_CHECK(ml > 0 && ml < sizeof h->method, "a method that fits");
	FUZZ_CHECK(memcmp(p, h->method, ml) == 0 && p[ml] == ' ', "the method as sent");
	size_t pl = strnlen(h->path, sizeof h->path), ql = strnlen(h->query, sizeof h->query);
	FUZZ_CHECK(pl > 0 && pl < sizeof h->path && ql < sizeof h->query, "path and query fit");
	FUZZ_CHECK(h->path[0] == '/', "origin form");
	FUZZ_CHECK(!strchr(h->path, '?'), "the query is split off");
	for (size_t i = 0; i < pl; i++) {
		FUZZ_CHECK((unsigned char)h->path[i] > 32 && h->path[i] != 127, "no space or control in the path");
	}
	for (size_t i = 0; i < ql; i++) {
		FUZZ_CHECK((unsigned char)h->query[i] > 32 && h->query[i] != 127, "no space or control in the query");
	}
	FUZZ_CHECK(h->minor == 0 || h->minor == 1, "HTTP/1.0 or 1.1");
	FUZZ_CHECK(h->keep_alive == 0 || h->keep_alive == 1, "keep-alive is a flag");
	FUZZ_CHECK(!memchr(p, '\0', h->length), "no NUL in a head taken");
}

static void check_parse(const char *p, size_t n)
{
	struct httphead h;
	size_t end = end_of_head(p, n < HTTPHEAD_MAX ? n : HTTPHEAD_MAX);
	enum httphead_result r = httphead_parse(p, n, HTTPHEAD_MAX, &h);
	if (!end || end > HTTPHEAD_MAX) {
		FUZZ_CHECK(r == (n < HTTPHEAD_MAX ? HEAD_INCOMPLETE : HEAD_TOO_LARGE), "no end: incomplete, then too large");
		return;
	}
	FUZZ_CHECK(r == HEAD_DONE || r == HEAD_BAD || r == HEAD_BAD_VERSION, "an end: an answer");
	if (r == HEAD_DONE) {
		check_head(&h, p, end);
	}
}

/* The query as a C string, without its NUL bytes cut: up to the first. */
static void check_query(const uint8_t *data, size_t size)
{
	char *q = fuzz_cstring(data, size);
	if (!q) {
		return;
	}
	static const char *const keys[] = { "n", "x", "" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		unsigned long v = 12345;
		int r = http_query_number(q, keys[k], &v);
		FUZZ_CHECK(r == -1 || r == 0 || r == 1, "a result");
		FUZZ_CHECK(r == 1 ? v <= 999999999UL : v == 12345, "a bounded value, or untouched");
	}
	free(q);
}

static void check_unescape(const uint8_t *data, size_t size)
{
	size_t n = size < 600 ? size : 600;
	for (size_t cap = 1; cap <= 257; cap += 64) {
		char *out = malloc(cap); /* exact size: ASan sees a byte past it */
		if (!out) {
			return;
		}
		int r = http_unescape((const char *)data, n, out, cap);
		FUZZ_CHECK(r == 0 || r == -1, "a result");
		if (r == 0) {
			size_t len = strnlen(out, cap);
			FUZZ_CHECK(len < cap, "ends in the buffer");
			FUZZ_CHECK(len <= n, "never longer than the escaped text");
			FUZZ_CHECK(!memchr(out, '/', len), "one path segment: no '/'");
			FUZZ_CHECK(len == n || memchr(data, '%', n), "shorter only by escapes");
		}
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: a read past the bytes is caught. */
	char *p = malloc(size ? size : 1);
	if (!p) {
		return 0;
	}
	memcpy(p, data, size);
	check_parse(p, size);
	/* Prefixes cut where the input says: the same rules for each. */
	for (size_t pos = 0; pos < size; pos += fuzz_chunk(data, size, pos)) {
		check_parse(p, pos);
	}
	/* A bound under the buffer: the parse looks at no more than it. */
	struct httphead h;
	size_t small = size / 2;
	if (small > 0 && !end_of_head(p, small)) {
		FUZZ_CHECK(httphead_parse(p, size, small, &h) == HEAD_TOO_LARGE, "no end within the limit: too large");
	}
	free(p);
	check_unescape(data, size);
	check_query(data, size);
	return 0;
}
