/* fuzz_lines: the output line splitter (SPEC §6). The input is fed in
 * chunks cut where its own bytes say, and the pieces emitted must be the
 * ones a single feed of the whole input gives. */
#include "fuzz.h"

#include "base/buf.h"
#include "parse/lines.h"

/* Each piece as its length then its bytes, to compare two runs. */
static void on_piece(void *ctx, const char *line, size_t len)
{
	struct buf *out = ctx;
	FUZZ_CHECK(len > 0 && len <= LINES_MAX, "a piece is 1..LINES_MAX bytes");
	FUZZ_CHECK(memchr(line, '\n', len) == NULL, "no newline inside");
	(void)lines_is_health_echo(line, len);
	buf_add(out, &len, sizeof len);
	buf_add(out, line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct buf whole = { 0 }, chunked = { 0 };
	struct lines a = { 0 }, b = { 0 };

	FUZZ_CHECK(lines_feed(&a, text, size, on_piece, &whole) == 0, "feed");
	FUZZ_CHECK(a.len <= LINES_MAX, "at most LINES_MAX kept");
	lines_flush(&a, on_piece, &whole);
	FUZZ_CHECK(a.buf == NULL && a.len == 0, "flush frees");

	for (size_t pos = 0, n; pos < size; pos += n) {
		n = fuzz_chunk(data, size, pos);
		FUZZ_CHECK(lines_feed(&b, text + pos, n, on_piece, &chunked) == 0, "feed chunk");
		FUZZ_CHECK(b.len <= LINES_MAX, "at most LINES_MAX kept");
	}
	lines_flush(&b, on_piece, &chunked);

	if (!whole.failed && !chunked.failed) {
		FUZZ_CHECK(whole.len == chunked.len &&
			   (whole.len == 0 || memcmp(whole.data, chunked.data, whole.len) == 0),
			   "chunking does not change the pieces");
	}
	/* A partial line dropped unseen is freed too. */
	struct lines c = { 0 };
	lines_feed(&c, text, size, on_piece, &chunked);
	lines_free(&c);
	FUZZ_CHECK(c.buf == NULL && c.len == 0, "lines_free frees");
	(void)lines_is_health_echo(text, size);
	buf_free(&whole);
	buf_free(&chunked);
	return 0;
}
