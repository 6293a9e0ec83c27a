/* test_small: the small helpers: clock stamps, recent lines, the request
 * format, buf. */
#include "check.h"

#include "base/buf.h"
#include "base/clock.h"
#include "parse/proto.h"
#include "app/recent.h"

#include <stdlib.h>

static void test_clock(void)
{
	char s[32], d[16];
	clock_format_iso(0, s);
	CHECK_STR(s, "1970-01-01T00:00:00.000Z");
	clock_format_iso(1795255200123LL, s);
	CHECK_STR(s, "2026-11-21T10:00:00.123Z");
	clock_format_day(1795255200123LL, d);
	CHECK_STR(d, "2026-11-21");
	CHECK_INT(clock_parse_day("1970-01-01"), 0);
	CHECK_INT(clock_parse_day("2026-11-21"), 1795255200123LL / 86400000);
	CHECK_INT(clock_parse_day("2000-03-01"), 11017);
	CHECK_INT(clock_parse_day("2026-1-21"), -1);
	CHECK_INT(clock_parse_day("2026-13-01"), -1);
	CHECK_INT(clock_parse_day("2026-11-21x"), -1);
	CHECK(clock_mono_ms() > 0);
}

static void test_recent(void)
{
	struct recent r = { 0 };
	char line[64];
	for (int i = 0; i < 30; i++) {
		int n = snprintf(line, sizeof line, "line %d", i);
		recent_add(&r, line, (size_t)n);
	}
	CHECK_INT(r.count, RECENT_LINES);
	CHECK_STR(recent_get(&r, 0), "line 10");
	CHECK_STR(recent_get(&r, RECENT_LINES - 1), "line 29");
	/* Bytes are capped too: two 3000-byte lines do not fit together. */
	char *big = malloc(3000);
	memset(big, 'x', 3000);
	recent_add(&r, big, 3000);
	recent_add(&r, big, 3000);
	CHECK_INT(r.count, 1);
	CHECK(r.bytes <= RECENT_BYTES);
	recent_add(&r, big, 3000);
	CHECK(r.bytes <= RECENT_BYTES);
	free(big);
	recent_free(&r);
	CHECK_INT(r.count, 0);
}

static void test_proto(void)
{
	char line[] = "status\tweb\t--json";
	char *w[4];
	CHECK_INT(proto_split(line, w, 4), 3);
	CHECK_STR(w[0], "status");
	CHECK_STR(w[2], "--json");
	char many[] = "a\tb\tc\td\te";
	CHECK_INT(proto_split(many, w, 4), -1);
	char empty[] = "";
	CHECK_INT(proto_split(empty, w, 4), 0);
	struct buf b = { 0 };
	char *words[] = { "stop", "web" };
	CHECK_INT(proto_join(&b, 2, words), 0);
	CHECK_STR(buf_str(&b), "stop\tweb\n");
	char *bad[] = { "stop", "a\tb" };
	CHECK_INT(proto_join(&b, 2, bad), -1);
	buf_free(&b);
}

static void test_buf_json(void)
{
	struct buf b = { 0 };
	buf_add_json_string(&b, "a\"b\\c\n\x01", 7);
	CHECK_STR(buf_str(&b), "\"a\\\"b\\\\c\\n\\u0001\"");
	buf_reset(&b);
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(buf_str(&b), "42-x");
	buf_free(&b);
	CHECK_STR(buf_str(&b), "");
}

int main(void)
{
	RUN(test_clock);
	RUN(test_recent);
	RUN(test_proto);
	RUN(test_buf_json);
	return CHECK_EXIT();
}
