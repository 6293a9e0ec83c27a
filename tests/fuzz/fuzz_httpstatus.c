/* fuzz_httpstatus: the incremental status-line parser (SPEC §5). The same
 * bytes fed whole, one at a time and in chunks cut where the input says
 * must give the same result, code and bytes consumed. */
#include "fuzz.h"

#include "parse/httpstatus.h"

static void check_result(const struct httpstatus *p, enum httpstatus_result r)
{
	FUZZ_CHECK(r == HTTPSTATUS_MORE || r == HTTPSTATUS_DONE || r == HTTPSTATUS_BAD, "a result");
	FUZZ_CHECK(r != HTTPSTATUS_DONE || (p->code >= 100 && p->code <= 599), "code 100..599");
	FUZZ_CHECK(r != HTTPSTATUS_MORE || p->seen < HTTPSTATUS_MAX, "never more than the limit");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct httpstatus whole, bytes, chunks;
	httpstatus_init(&whole);
	httpstatus_init(&bytes);
	httpstatus_init(&chunks);
	enum httpstatus_result rw = httpstatus_feed(&whole, text, size);
	check_result(&whole, rw);
	enum httpstatus_result rb = httpstatus_feed(&bytes, text, 0);
	for (size_t i = 0; i < size; i++) {
		rb = httpstatus_feed(&bytes, text + i, 1);
	}
	enum httpstatus_result rc = httpstatus_feed(&chunks, text, 0);
	for (size_t pos = 0, n; pos < size; pos += n) {
		n = fuzz_chunk(data, size, pos);
		rc = httpstatus_feed(&chunks, text + pos, n);
		check_result(&chunks, rc);
	}
	FUZZ_CHECK(rb == rw && rc == rw, "any split gives the same result");
	if (rw == HTTPSTATUS_DONE) {
		FUZZ_CHECK(bytes.code == whole.code && chunks.code == whole.code, "same code");
		FUZZ_CHECK(bytes.seen == whole.seen && chunks.seen == whole.seen, "same bytes consumed");
	}
	FUZZ_CHECK(httpstatus_feed(&whole, "\n", 1) == rw || rw == HTTPSTATUS_MORE, "DONE and BAD stick");
	return 0;
}
