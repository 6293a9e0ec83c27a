/* test_lines: splitting output into log lines, whole and in every chunking. */
#include "check.h"
#include "parse/lines.h"

#include <stdlib.h>

/* Everything emitted: the texts joined by '|', and each piece's length. */
struct out {
	char *text;
	size_t len, cap;
	size_t lens[64];
	size_t count;
};

static void out_add(struct out *o, const char *p, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *t = realloc(o->text, cap);
		if (!t) {
			abort();
		}
		o->text = t;
		o->cap = cap;
	}
	memcpy(o->text + o->len, p, n);
	o->len += n;
	o->text[o->len] = '\0';
}

static void on_line(void *ctx, const char *line, size_t len)
{
	struct out *o = ctx;
	CHECK(len > 0 && len <= LINES_MAX);
	if (o->count < 64) {
		o->lens[o->count] = len;
	}
	o->count++;
	out_add(o, line, len);
	out_add(o, "|", 1);
}

static void out_reset(struct out *o)
{
	free(o->text);
	memset(o, 0, sizeof *o);
	out_add(o, "", 0);
}

/* Feed text in chunks of step bytes (0: all at once), then flush. */
static const char *split(struct out *o, const char *text, size_t n, size_t step, int flush)
{
	struct lines l = { 0 };
	out_reset(o);
	if (step == 0) {
		step = n ? n : 1;
	}
	for (size_t i = 0; i < n; i += step) {
		size_t k = n - i < step ? n - i : step;
		CHECK_INT(lines_feed(&l, text + i, k, on_line, o), 0);
		CHECK(l.len <= LINES_MAX);
		CHECK((l.len == 0) == (l.buf == NULL));
	}
	if (flush) {
		lines_flush(&l, on_line, o);
		CHECK(l.buf == NULL && l.len == 0);
	}
	lines_free(&l);
	return o->text;
}

struct lines_case {
	const char *in;
	const char *want;     /* after a flush */
	const char *nowant;   /* without the flush */
};

static const struct lines_case cases[] = {
	{ "", "", "" },
	{ "hello\n", "hello|", "hello|" },
	{ "hello", "hello|", "" },
	{ "a\nb\nc\n", "a|b|c|", "a|b|c|" },
	{ "a\nb\nc", "a|b|c|", "a|b|" },
	{ "a\r\nb\r\n", "a|b|", "a|b|" },
	{ "trail  \t \r\n", "trail|", "trail|" },
	{ "  lead\n", "  lead|", "  lead|" },
	{ "\n\n\n", "", "" },
	{ "  \t\r\n\r\n \n", "", "" },
	{ "x\n\ny\n", "x|y|", "x|y|" },
	{ "in  side\n", "in  side|", "in  side|" },
	{ "cr\rin middle\n", "cr\rin middle|", "cr\rin middle|" },
	{ "tail   ", "tail|", "" },
	{ "   ", "", "" },
	{ "\xf0\x9f\x90\xbe paw\n", "\xf0\x9f\x90\xbe paw|", "\xf0\x9f\x90\xbe paw|" },
	{ "no newline at all", "no newline at all|", "" },
};

#define NCASES (sizeof cases / sizeof cases[0])

static void test_short_lines(void)
{
	struct out o = { 0 };
	static const size_t steps[] = { 0, 1, 2, 3, 5, 7 };
	for (size_t i = 0; i < NCASES; i++) {
		size_t n = strlen(cases[i].in);
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			CHECK_STR(split(&o, cases[i].in, n, steps[s], 1), cases[i].want);
			CHECK_STR(split(&o, cases[i].in, n, steps[s], 0), cases[i].nowant);
		}
	}
	out_reset(&o);
	free(o.text);
}

static void test_nul_bytes_pass_through(void)
{
	struct out o = { 0 };
	split(&o, "a\0b\n\0\n", 6, 0, 1);
	CHECK_INT(o.count, 2);
	CHECK_INT(o.len, 6);
	CHECK(memcmp(o.text, "a\0b|\0|", 6) == 0);
	free(o.text);
}

/* A line of n copies of a UTF-8 character of k bytes (or 'a'), maybe with
 * an offset of ASCII bytes first, then '\n'. */
static char *make_line(size_t offset, const char *ch, size_t count, size_t *len)
{
	size_t k = strlen(ch);
	char *s = malloc(offset + k * count + 2);
	if (!s) {
		abort();
	}
	memset(s, 'x', offset);
	for (size_t i = 0; i < count; i++) {
		memcpy(s + offset + i * k, ch, k);
	}
	*len = offset + k * count;
	s[*len] = '\n';
	s[*len + 1] = '\0';
	return s;
}

/* No piece may start with a UTF-8 continuation byte. */
static int pieces_start_clean(const struct out *o)
{
	size_t at = 0;
	for (size_t i = 0; i < o->count && i < 64; i++) {
		if (((unsigned char)o->text[at] & 0xC0) == 0x80) {
			return 0;
		}
		at += o->lens[i] + 1;
	}
	return 1;
}

static void test_long_ascii(void)
{
	struct out o = { 0 };
	size_t n;
	char *s = make_line(0, "a", LINES_MAX, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.count, 1);
	CHECK_INT(o.lens[0], LINES_MAX);
	free(s);
	s = make_line(0, "a", LINES_MAX + 1, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.count, 2);
	CHECK_INT(o.lens[0], LINES_MAX);
	CHECK_INT(o.lens[1], 1);
	free(s);
	s = make_line(0, "a", 3 * LINES_MAX + 10, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.count, 4);
	CHECK_INT(o.lens[2], LINES_MAX);
	CHECK_INT(o.lens[3], 10);
	free(s);
	free(o.text);
}

/* Multi-byte characters straddling the cut, at every alignment. */
static void test_long_utf8_cut(void)
{
	static const char *chars[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\xbe" };
	struct out o = { 0 };
	for (size_t c = 0; c < 3; c++) {
		size_t k = c + 2;
		for (size_t off = 0; off < k; off++) {
			size_t n;
			char *s = make_line(off, chars[c], (LINES_MAX / k) + 3, &n);
			split(&o, s, n + 1, 0, 0);
			size_t first = off + ((LINES_MAX - off) / k) * k;
			CHECK_INT(o.count, 2);
			CHECK_INT(o.lens[0], first);
			CHECK_INT(o.lens[0] + o.lens[1], n);
			CHECK(pieces_start_clean(&o));
			free(s);
		}
	}
	free(o.text);
}

/* Invalid UTF-8 near the cut: cut at LINES_MAX. */
static void test_long_invalid_utf8(void)
{
	struct out o = { 0 };
	size_t n;
	char *s = make_line(0, "\x80", LINES_MAX + 5, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.lens[0], LINES_MAX);
	free(s);
	/* A stray lead byte as the very last byte of the piece is cut before. */
	s = make_line(LINES_MAX - 1, "\xc3", 1, &n);
	s[n] = 'z';
	s[n + 1] = '\n';
	split(&o, s, n + 2, 0, 0);
	CHECK_INT(o.lens[0], LINES_MAX - 1);
	CHECK_INT(o.lens[1], 2);
	free(s);
	/* ASCII followed by stray continuations: nothing to protect. */
	s = make_line(LINES_MAX - 2, "\x80\x80\x80\x80", 1, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.lens[0], LINES_MAX);
	free(s);
	free(o.text);
}

/* Only the last piece is trimmed; a piece cut early keeps its spaces. */
static void test_long_trailing_space(void)
{
	struct out o = { 0 };
	size_t n;
	char *s = make_line(LINES_MAX - 2, " ", 10, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.count, 1);
	CHECK_INT(o.lens[0], LINES_MAX);
	free(s);
	s = make_line(LINES_MAX, " ", 10, &n);
	split(&o, s, n + 1, 0, 0);
	CHECK_INT(o.count, 1);
	CHECK_INT(o.lens[0], LINES_MAX);
	free(s);
	free(o.text);
}

/* Any chunking gives exactly what one feed gives. */
static void test_chunking_is_invisible(void)
{
	static const char *chars[] = { "a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x90\xbe", " " };
	static const size_t steps[] = { 1, 3, 4096, 8191, 8192, 8193, 10000 };
	struct out whole = { 0 }, part = { 0 };
	for (size_t c = 0; c < 5; c++) {
		size_t n;
		char *s = make_line(1, chars[c], 9000, &n);
		size_t total = n + 1;
		char *two = malloc(2 * total + 5);
		if (!two) {
			abort();
		}
		memcpy(two, s, total);
		memcpy(two + total, "mid\n", 4);
		memcpy(two + total + 4, s, total);
		total = 2 * total + 4;
		split(&whole, two, total, 0, 1);
		for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
			split(&part, two, total, steps[i], 1);
			CHECK_INT(part.count, whole.count);
			CHECK(part.len == whole.len && memcmp(part.text, whole.text, part.len) == 0);
		}
		free(two);
		free(s);
	}
	free(whole.text);
	free(part.text);
}

static void test_buffer_bounded_and_freed(void)
{
	struct out o = { 0 };
	struct lines l = { 0 };
	out_reset(&o);
	size_t n;
	char *s = make_line(0, "b", 20000, &n);
	CHECK_INT(lines_feed(&l, s, n, on_line, &o), 0);
	CHECK_INT(o.count, 2);
	CHECK(l.buf != NULL);
	CHECK_INT(l.len, 20000 - 2 * LINES_MAX);
	CHECK_INT(lines_feed(&l, "\n", 1, on_line, &o), 0);
	CHECK_INT(o.count, 3);
	CHECK(l.buf == NULL && l.len == 0);
	CHECK_INT(lines_feed(&l, "part", 4, on_line, &o), 0);
	lines_free(&l);
	CHECK(l.buf == NULL && l.len == 0);
	CHECK_INT(o.count, 3);
	lines_flush(&l, on_line, &o);
	CHECK_INT(o.count, 3);
	free(s);
	free(o.text);
}

struct echo_case {
	const char *line;
	int want;
};

static const struct echo_case echoes[] = {
	{ "GET /ok", 1 },
	{ "GET /ok HTTP/1.1", 1 },
	{ "<-- GET /ok", 1 },
	{ "--> GET /ok 200 1ms", 1 },
	{ "[hono] GET /ok 200 OK", 1 },
	{ "127.0.0.1 - - \"GET /ok HTTP/1.1\" 200 2", 1 },
	{ "GET http://localhost:3001/ok", 1 },
	{ "GET /api/ok", 1 },
	{ "GET /ok?x=1", 1 },
	{ "GET /ok/", 1 },
	{ "GET /ok.json", 1 },
	{ "GET /ok-ish", 1 },
	{ "GET\t/ok", 1 },
	{ "(GET) then /ok", 1 },
	{ "GET/ok", 1 },
	{ "GET x GET /ok", 1 },
	{ "x\rGET /ok", 1 },
	{ "", 0 },
	{ "GET", 0 },
	{ "/ok", 0 },
	{ "/ok GET", 0 },
	{ "POST /ok", 0 },
	{ "get /ok", 0 },
	{ "GET /OK", 0 },
	{ "GETS /ok", 0 },
	{ "FORGET /ok", 0 },
	{ "_GET /ok", 0 },
	{ "GET_ /ok", 0 },
	{ "GET2 /ok", 0 },
	{ "GET /okay", 0 },
	{ "GET /ok_1", 0 },
	{ "GET /ok2", 0 },
	{ "GET /o", 0 },
	{ "GET /ok", 1 },
	{ "GET /\xc3\xa9ok", 0 },
	{ "GET /nope", 0 },
	{ "GET x\r/ok", 0 },
	{ "Server listening on port 3001", 0 },
};

static void test_health_echo(void)
{
	for (size_t i = 0; i < sizeof echoes / sizeof echoes[0]; i++) {
		int got = lines_is_health_echo(echoes[i].line, strlen(echoes[i].line));
		if (got != echoes[i].want) {
			printf("  \"%s\"\n", echoes[i].line);
		}
		CHECK_INT(got, echoes[i].want);
	}
	/* The length decides, not a NUL. */
	CHECK_INT(lines_is_health_echo("GET /okay", 7), 1);
	CHECK_INT(lines_is_health_echo("GET /ok", 6), 0);
	CHECK_INT(lines_is_health_echo("GET\0/ok", 7), 1);
	CHECK_INT(lines_is_health_echo("GET /ok\xc3\xa9", 9), 1);
}

int main(void)
{
	RUN(test_short_lines);
	RUN(test_nul_bytes_pass_through);
	RUN(test_long_ascii);
	RUN(test_long_utf8_cut);
	RUN(test_long_invalid_utf8);
	RUN(test_long_trailing_space);
	RUN(test_chunking_is_invisible);
	RUN(test_buffer_bounded_and_freed);
	RUN(test_health_echo);
	return CHECK_EXIT();
}
