/* test_small: the small helpers: clock stamps, recent lines, the request
 * format, buf. */
#include "check.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/index.h"
#include "base/loop.h"
#include "base/path.h"
#include "parse/proto.h"
#include "app/recent.h"

#include <errno.h>
#include <limits.h>
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
	CHECK(clock_mono() > 0);
	/* Before 1970 and past 9999: still a well-formed stamp. */
	clock_format_iso(-1, s);
	CHECK_STR(s, "1969-12-31T23:59:59.999Z");
	clock_format_iso(400000000000000LL, s);
	CHECK_INT(strlen(s), 24);
}

struct item {
	int value;
	struct index_link link;
};

static void test_index(void)
{
	static struct item items[1000];
	struct index ix = { 0 };
	CHECK_INT(index_reserve(&ix, 10), 0);
	CHECK(index_find(&ix, 5) == NULL);
	for (int i = 0; i < 1000; i++) {
		CHECK_INT(index_reserve(&ix, (size_t)i + 1), 0);
		items[i].value = i;
		/* Keys 0..499 twice: one key may hold several links. */
		index_add(&ix, &items[i].link, i % 500);
	}
	CHECK_INT(ix.count, 1000);
	int seen = 0;
	for (struct index_link *l = index_find(&ix, 7); l; l = index_next(l)) {
		int v = container_of(l, struct item, link)->value;
		CHECK(v == 7 || v == 507);
		seen++;
	}
	CHECK_INT(seen, 2);
	for (int i = 0; i < 1000; i += 2) {
		index_remove(&ix, &items[i].link);
		index_remove(&ix, &items[i].link); /* twice: ignored */
	}
	CHECK_INT(ix.count, 500);
	CHECK(index_find(&ix, 8) == NULL); /* 8 and 508 both went */
	/* Moving a link re-keys it. */
	index_add(&ix, &items[1].link, 99999);
	CHECK(index_find(&ix, 99999) == &items[1].link);
	CHECK(index_find(&ix, 1) == &items[501].link);
	CHECK(index_next(index_find(&ix, 1)) == NULL);
	index_free(&ix);
}

static void test_path(void)
{
	char buf[16], *p;
	CHECK_INT(path_format(buf, sizeof buf, "%s/%s", "ab", "cd"), 0);
	CHECK_STR(buf, "ab/cd");
	errno = 0;
	CHECK_INT(path_format(buf, sizeof buf, "%s/%s", "0123456789", "abcde"), -1);
	CHECK_INT(errno, ENAMETOOLONG);
	p = path_join("/a", "b");
	CHECK_STR(p, "/a/b");
	free(p);
	char big[PATH_MAX];
	memset(big, 'x', sizeof big - 10);
	big[sizeof big - 10] = '\0';
	errno = 0;
	CHECK(path_join(big, "0123456789") == NULL);
	CHECK_INT(errno, ENAMETOOLONG);
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

/* JSON strings are escape_json's (test_escape). */
static void test_buf_printf(void)
{
	struct buf b = { 0 };
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(buf_str(&b), "42-x");
	buf_free(&b);
	CHECK_STR(buf_str(&b), "");
}

int main(void)
{
	RUN(test_clock);
	RUN(test_index);
	RUN(test_path);
	RUN(test_recent);
	RUN(test_proto);
	RUN(test_buf_printf);
	return CHECK_EXIT();
}
