/* test_logview: the words of `toesctl logs` (any order, -n N and -nN,
 * --date D and --date=D, "--", one NAME), calendar dates and day file
 * names, line stamps, and the backward scan that finds the last lines
 * block by block. */
#include "check.h"

#include "parse/logview.h"

#include <stdarg.h>
#include <stdint.h>

static char err[512];

/* Parse n words (at most 8) given as arguments. */
static int parse(struct logview_args *a, int n, ...)
{
	char *words[8];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		words[i] = va_arg(ap, char *);
	}
	va_end(ap);
	err[0] = '\0';
	return logview_parse_args(n, words, a, err, sizeof err);
}

static void test_defaults(void)
{
	struct logview_args a;
	CHECK_INT(parse(&a, 0), 0);
	CHECK(a.name == NULL);
	CHECK_INT(a.lines, 10);
	CHECK_INT(a.follow, 0);
	CHECK(a.date == NULL);
}

static void test_any_order(void)
{
	struct logview_args a;
	CHECK_INT(parse(&a, 5, "-f", "-n", "5", "web", "--date=2026-11-21"), 0);
	CHECK_STR(a.name, "web");
	CHECK_INT(a.lines, 5);
	CHECK_INT(a.follow, 1);
	CHECK_STR(a.date, "2026-11-21");
	CHECK_INT(parse(&a, 4, "web", "--date", "2024-02-29", "-n0"), 0);
	CHECK_STR(a.name, "web");
	CHECK_INT(a.lines, 0);
	CHECK_STR(a.date, "2024-02-29");
	/* The last value wins. */
	CHECK_INT(parse(&a, 3, "-n3", "-n", "7"), 0);
	CHECK_INT(a.lines, 7);
}

static void test_huge_count(void)
{
	struct logview_args a;
	CHECK_INT(parse(&a, 1, "-n99999999999999999999999"), 0);
	CHECK(a.lines == SIZE_MAX);
}

static void test_double_dash(void)
{
	struct logview_args a;
	CHECK_INT(parse(&a, 3, "-f", "--", "-odd"), 0);
	CHECK_STR(a.name, "-odd");
	CHECK_INT(a.follow, 1);
	CHECK_INT(parse(&a, 1, "-"), 0);
	CHECK_STR(a.name, "-");
	CHECK_INT(parse(&a, 2, "--", "-f"), 0);
	CHECK_STR(a.name, "-f");
	CHECK_INT(a.follow, 0);
}

static void test_errors(void)
{
	struct logview_args a = { .name = "untouched" };
	CHECK_INT(parse(&a, 1, "-x"), -1);
	CHECK_STR(err, "unknown option '-x' (usage: " LOGVIEW_USAGE ")");
	CHECK_STR(a.name, "untouched");
	CHECK_INT(parse(&a, 1, "--lines"), -1);
	CHECK(strstr(err, "unknown option '--lines'") != NULL);
	CHECK_INT(parse(&a, 1, "-n=5"), -1);
	CHECK_STR(err, "bad value for -n: '=5' (expected a number of lines, 0 or more)");
	CHECK_INT(parse(&a, 2, "-n", "-3"), -1);
	CHECK(strstr(err, "bad value for -n: '-3'") != NULL);
	CHECK_INT(parse(&a, 2, "-n", ""), -1);
	CHECK_INT(parse(&a, 1, "-n5x"), -1);
	CHECK_INT(parse(&a, 2, "web", "-n"), -1);
	CHECK_STR(err, "missing value for -n (usage: " LOGVIEW_USAGE ")");
	CHECK_INT(parse(&a, 1, "--date"), -1);
	CHECK(strstr(err, "missing value for --date") != NULL);
	CHECK_INT(parse(&a, 2, "--date", "2026-02-29"), -1);
	CHECK_STR(err, "bad value for --date: '2026-02-29' (expected a day as YYYY-MM-DD)");
	CHECK_INT(parse(&a, 1, "--date="), -1);
	CHECK_INT(parse(&a, 1, "--datex"), -1);
	CHECK_INT(parse(&a, 2, "a", "b"), -1);
	CHECK(strstr(err, "one NAME at most, got 'a' and 'b'") != NULL);
	CHECK_INT(parse(&a, 1, "-fn"), -1);
}

static void test_dates(void)
{
	CHECK(logview_date_ok("2026-11-21"));
	CHECK(logview_date_ok("2024-02-29"));
	CHECK(logview_date_ok("2000-02-29"));
	CHECK(logview_date_ok("0001-01-01"));
	CHECK(logview_date_ok("9999-12-31"));
	CHECK(!logview_date_ok("1900-02-29"));
	CHECK(!logview_date_ok("2026-02-29"));
	CHECK(!logview_date_ok("2026-04-31"));
	CHECK(!logview_date_ok("2026-13-01"));
	CHECK(!logview_date_ok("2026-00-10"));
	CHECK(!logview_date_ok("2026-01-00"));
	CHECK(!logview_date_ok("0000-01-01"));
	CHECK(!logview_date_ok("2026-1-01"));
	CHECK(!logview_date_ok("2026-01-011"));
	CHECK(!logview_date_ok("2026/01/01"));
	CHECK(!logview_date_ok("2026-01-0a"));
	CHECK(!logview_date_ok("+026-01-01"));
	CHECK(!logview_date_ok(""));
	CHECK(!logview_date_ok("2026-01"));
}

static void test_day_files(void)
{
	CHECK(logview_is_day_file("2026-11-21.log"));
	CHECK(!logview_is_day_file("2026-11-21.log.1"));
	CHECK(!logview_is_day_file("2026-11-21.txt"));
	CHECK(!logview_is_day_file("2026-11-31.log"));
	CHECK(!logview_is_day_file("notes.txt"));
	CHECK(!logview_is_day_file(".log"));
	CHECK(!logview_is_day_file("2026-11-21"));
	CHECK_INT(strlen("2026-11-21.log") + 1, LOGVIEW_DAY_FILE_SIZE);
}

static void test_names(void)
{
	CHECK(logview_name_ok("web"));
	CHECK(logview_name_ok("-odd"));
	CHECK(logview_name_ok("caf\xc3\xa9"));
	CHECK(!logview_name_ok(""));
	CHECK(!logview_name_ok("."));
	CHECK(!logview_name_ok(".."));
	CHECK(!logview_name_ok(".hidden"));
	CHECK(!logview_name_ok("a/b"));
	CHECK(!logview_name_ok("../etc"));
}

/* The stamp of s as a string, "" for none. */
static const char *stamp(const char *s)
{
	static char out[64];
	const char *at;
	size_t n = logview_stamp(s, strlen(s), &at);
	snprintf(out, sizeof out, "%.*s", (int)n, n ? at : "");
	return out;
}

static void test_stamps(void)
{
	CHECK_STR(stamp("[2026-11-21T10:00:00.000Z] [stdout] hi"), "2026-11-21T10:00:00.000Z");
	CHECK_STR(stamp("[2026-11-21T10:00:00.000Z]"), "2026-11-21T10:00:00.000Z");
	CHECK_STR(stamp("[2026-11-21T10:00:00+02:00] x"), "2026-11-21T10:00:00+02:00");
	CHECK_STR(stamp("continuation"), "");
	CHECK_STR(stamp("[stdout] hi"), "");
	CHECK_STR(stamp("[2026-11-21 10:00] x"), "");
	CHECK_STR(stamp("[2026-11-21T10:00:00.000Z"), "");
	CHECK_STR(stamp("[]"), "");
	CHECK_STR(stamp("["), "");
	CHECK_STR(stamp(""), "");
	CHECK_STR(stamp("[1]"), "1");
	CHECK_STR(stamp("[12345678901234567890123456789012345678901] x"), "");
	CHECK_STR(stamp("[1234567890123456789012345678901234567890] x"),
		  "1234567890123456789012345678901234567890");
	/* The length bounds the look: no NUL is needed after it. */
	const char *at;
	CHECK_INT(logview_stamp("[12]xyz", 3, &at), 0);
	CHECK_INT(logview_stamp("[12]xyz", 4, &at), 2);
	/* A NUL inside is no stamp character. */
	CHECK_INT(logview_stamp("[1\0002]", 5, &at), 0);
}

static void test_scan_back(void)
{
	const char *text = "a\nbb\n\nccc"; /* the caller dropped a final newline */
	size_t need, at;
	need = 1;
	CHECK_INT(logview_scan_back(text, strlen(text), &need, &at), 1);
	CHECK_STR(text + at, "ccc");
	need = 2;
	CHECK_INT(logview_scan_back(text, strlen(text), &need, &at), 1);
	CHECK_STR(text + at, "\nccc");
	need = 3;
	CHECK_INT(logview_scan_back(text, strlen(text), &need, &at), 1);
	CHECK_STR(text + at, "bb\n\nccc");
	/* More than the block holds: what is still wanted is left. */
	need = 5;
	CHECK_INT(logview_scan_back(text, strlen(text), &need, &at), 0);
	CHECK_INT(need, 2);
	need = 0;
	CHECK_INT(logview_scan_back(text, strlen(text), &need, &at), 1);
	CHECK_INT(at, strlen(text));
	need = 1;
	CHECK_INT(logview_scan_back("", 0, &need, &at), 0);
	CHECK_INT(need, 1);
	need = 1;
	CHECK_INT(logview_scan_back("\n", 1, &need, &at), 1);
	CHECK_INT(at, 1);
}

/* Blocks scanned from the end, as the file reader does: the answer does
 * not depend on where the blocks are cut. */
static void test_scan_back_in_blocks(void)
{
	const char *text = "one\ntwo\nthree\nfour\nfive";
	size_t len = strlen(text);
	for (size_t block = 1; block <= len; block++) {
		size_t need = 3, hi = len, at = 0, start = 0;
		int found = 0;
		while (hi > 0 && !found) {
			size_t lo = hi > block ? hi - block : 0;
			found = logview_scan_back(text + lo, hi - lo, &need, &at);
			start = found ? lo + at : 0;
			hi = lo;
		}
		CHECK_INT(found, 1);
		CHECK_STR(text + start, "three\nfour\nfive");
	}
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_any_order);
	RUN(test_huge_count);
	RUN(test_double_dash);
	RUN(test_errors);
	RUN(test_dates);
	RUN(test_day_files);
	RUN(test_names);
	RUN(test_stamps);
	RUN(test_scan_back);
	RUN(test_scan_back_in_blocks);
	return CHECK_EXIT();
}
