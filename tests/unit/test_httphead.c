/* test_httphead: the request-head parser of toesd's HTTP endpoint (SPEC
 * §14): request lines, versions and keep-alive, LF-only heads, incomplete
 * heads fed byte by byte, the 8 KiB limit, bodies and NUL bytes refused,
 * the query split; http_unescape, http_query_number; and
 * http_parse_listen's [ADDR:]PORT. */
#include "check.h"

#include "parse/httphead.h"
#include "serve/http.h"

#include <stdlib.h>

static struct httphead h;

/* The parse of the C string s, with the endpoint's limit. */
static enum httphead_result parse(const char *s)
{
	return httphead_parse(s, strlen(s), HTTPHEAD_MAX, &h);
}

/* A malloc'd head of exactly len bytes: "GET /ok HTTP/1.1\r\nX-Pad: aaa...\r\n\r\n"
 * (len >= 29), or without its blank line when whole is 0. */
static char *sized_head(size_t len, int whole)
{
	static const char start[] = "GET /ok HTTP/1.1\r\nX-Pad: ";
	char *s = malloc(len + 1);
	if (!s) {
		return NULL;
	}
	size_t tail = whole ? 4 : 2;
	memcpy(s, start, sizeof start - 1);
	memset(s + sizeof start - 1, 'a', len - (sizeof start - 1) - tail);
	memcpy(s + len - tail, whole ? "\r\n\r\n" : "\r\n", tail);
	s[len] = '\0';
	return s;
}

static void test_get_and_head(void)
{
	CHECK_INT(parse("GET / HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.method, "GET");
	CHECK_STR(h.path, "/");
	CHECK_STR(h.query, "");
	CHECK_INT(h.minor, 1);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(h.length, 18);

	CHECK_INT(parse("HEAD /api/apps HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: */*\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.method, "HEAD");
	CHECK_STR(h.path, "/api/apps");
	CHECK_INT(h.length, strlen("HEAD /api/apps HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: */*\r\n\r\n"));

	/* Any token is a method here; which ones are served is http.c's call (405). */
	CHECK_INT(parse("POST /ok HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.method, "POST");
	CHECK_INT(parse("get /ok HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.method, "get");
	CHECK_INT(parse("M-SEARCH15chars /ok HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.method, "M-SEARCH15chars");
	/* Headers the parser has no use for are checked for form only. */
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nUser-Agent: curl/8.0 (x; y)\r\nX-Tab:\ta\tb\r\nX-Empty:\r\n\r\n"), HEAD_DONE);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nX-Utf8: caf\xc3\xa9\r\n\r\n"), HEAD_DONE);
}

static void test_versions_and_keep_alive(void)
{
	CHECK_INT(parse("GET /ok HTTP/1.0\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.minor, 0);
	CHECK_INT(h.keep_alive, 0);
	CHECK_INT(parse("GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(parse("GET /ok HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(parse("GET /ok HTTP/1.0\r\nConnection: close\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 0);

	CHECK_INT(parse("GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.minor, 1);
	CHECK_INT(h.keep_alive, 0);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nCONNECTION: CLOSE\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 0);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nConnection: Upgrade, close\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 0);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	/* A word, not a part of one; another header's value is not looked at. */
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nConnection: closed\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nX-Connection: close\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nX-Note: Connection: close\r\n\r\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
}

static void test_lf_only(void)
{
	CHECK_INT(parse("GET /ok HTTP/1.1\n\n"), HEAD_DONE);
	CHECK_STR(h.path, "/ok");
	CHECK_INT(h.length, 18);
	CHECK_INT(parse("GET /ok HTTP/1.0\nConnection: keep-alive\n\n"), HEAD_DONE);
	CHECK_INT(h.keep_alive, 1);
	CHECK_INT(h.length, strlen("GET /ok HTTP/1.0\nConnection: keep-alive\n\n"));
	/* Mixed endings. */
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nHost: x\n\r\n"), HEAD_DONE);
	CHECK_INT(h.length, strlen("GET /ok HTTP/1.1\r\nHost: x\n\r\n"));
	CHECK_INT(parse("GET /ok HTTP/1.1\nHost: x\r\n\n"), HEAD_DONE);
	CHECK_INT(h.length, strlen("GET /ok HTTP/1.1\nHost: x\r\n\n"));
}

static void test_incomplete(void)
{
	static const char *const partial[] = {
		"", "G", "GET", "GET /ok", "GET /ok HTTP/1.1", "GET /ok HTTP/1.1\r",
		"GET /ok HTTP/1.1\r\n", "GET /ok HTTP/1.1\r\nHost: x", "GET /ok HTTP/1.1\r\nHost: x\r\n",
		"GET /ok HTTP/1.1\r\nHost: x\r\n\r", "GET /ok HTTP/1.1\n",
	};
	for (size_t i = 0; i < sizeof partial / sizeof partial[0]; i++) {
		if (parse(partial[i]) != HEAD_INCOMPLETE) {
			printf("  partial head %zu (\"%s\") is not INCOMPLETE\n", i, partial[i]);
			check_failures++;
		}
	}
	/* Byte by byte: INCOMPLETE up to the last byte, then DONE. */
	const char *whole = "GET /api/apps/web/logs?n=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	size_t n = strlen(whole);
	for (size_t k = 0; k < n; k++) {
		char *prefix = malloc(k + 1); /* exact size: ASan sees any read past it */
		if (!prefix) {
			check_failures++;
			return;
		}
		memcpy(prefix, whole, k);
		if (httphead_parse(prefix, k, HTTPHEAD_MAX, &h) != HEAD_INCOMPLETE) {
			printf("  prefix of %zu bytes is not INCOMPLETE\n", k);
			check_failures++;
		}
		free(prefix);
	}
	CHECK_INT(parse(whole), HEAD_DONE);
	CHECK_INT(h.length, n);
	CHECK_INT(h.keep_alive, 0);
}

static void test_pipelined(void)
{
	/* The bytes after the head are the next request's: not this one's. */
	const char *two = "GET /ok HTTP/1.1\r\n\r\nGET /api/apps HTTP/1.1\r\n\r\n";
	CHECK_INT(parse(two), HEAD_DONE);
	CHECK_STR(h.path, "/ok");
	CHECK_INT(h.length, 20);
	CHECK_INT(parse(two + h.length), HEAD_DONE);
	CHECK_STR(h.path, "/api/apps");
	/* A short head followed by more than the limit of other bytes. */
	char *big = sized_head(HTTPHEAD_MAX + 500, 1);
	if (!big) {
		check_failures++;
		return;
	}
	memcpy(big, "GET /ok HTTP/1.1\r\n\r\n", 20);
	CHECK_INT(httphead_parse(big, HTTPHEAD_MAX + 500, HTTPHEAD_MAX, &h), HEAD_DONE);
	CHECK_INT(h.length, 20);
	free(big);
}

static void test_size_limit(void)
{
	char *s = sized_head(HTTPHEAD_MAX, 1);
	if (!s) {
		check_failures++;
		return;
	}
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX, HTTPHEAD_MAX, &h), HEAD_DONE);
	CHECK_INT(h.length, HTTPHEAD_MAX);
	free(s);

	s = sized_head(HTTPHEAD_MAX + 1, 1);
	if (!s) {
		check_failures++;
		return;
	}
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX + 1, HTTPHEAD_MAX, &h), HEAD_TOO_LARGE);
	/* Even the first 8 KiB of it alone: no end can come in time. */
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX, HTTPHEAD_MAX, &h), HEAD_TOO_LARGE);
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX - 1, HTTPHEAD_MAX, &h), HEAD_INCOMPLETE);
	free(s);

	/* No end at all: incomplete below the limit, too large at it. */
	s = sized_head(3 * HTTPHEAD_MAX, 0);
	if (!s) {
		check_failures++;
		return;
	}
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX - 1, HTTPHEAD_MAX, &h), HEAD_INCOMPLETE);
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX, HTTPHEAD_MAX, &h), HEAD_TOO_LARGE);
	CHECK_INT(httphead_parse(s, 3 * HTTPHEAD_MAX, HTTPHEAD_MAX, &h), HEAD_TOO_LARGE);
	free(s);

	/* LF-only, exactly at the limit. */
	s = sized_head(HTTPHEAD_MAX, 1);
	if (!s) {
		check_failures++;
		return;
	}
	memcpy(s + HTTPHEAD_MAX - 4, "aa\n\n", 4);
	CHECK_INT(httphead_parse(s, HTTPHEAD_MAX, HTTPHEAD_MAX, &h), HEAD_DONE);
	CHECK_INT(h.length, HTTPHEAD_MAX);
	free(s);
}

static void test_bad_request_lines(void)
{
	static const char *const bad[] = {
		"\r\n\r\n",                               /* no request line */
		"GET\r\n\r\n",
		"GET /ok\r\n\r\n",                        /* HTTP/0.9 form */
		" GET /ok HTTP/1.1\r\n\r\n",
		"GET  /ok HTTP/1.1\r\n\r\n",
		"GET ok HTTP/1.1\r\n\r\n",                /* not origin-form */
		"GET http://127.0.0.1/ok HTTP/1.1\r\n\r\n",
		"GET * HTTP/1.1\r\n\r\n",
		"G(T /ok HTTP/1.1\r\n\r\n",               /* not a token */
		"GE\"T /ok HTTP/1.1\r\n\r\n",
		"GET\t/ok HTTP/1.1\r\n\r\n",
		"ABCDEFGHIJKLMNOP /ok HTTP/1.1\r\n\r\n",  /* a 16-byte method */
		"GET /o\x01k HTTP/1.1\r\n\r\n",           /* controls in the target */
		"GET /o\x7fk HTTP/1.1\r\n\r\n",
		"GET /a b HTTP/1.1\r\n\r\n",
		"GET /ok FOO/1.1\r\n\r\n",
		"GET /ok http/1.1\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i]) != HEAD_BAD) {
			printf("  bad request line %zu is not BAD\n", i);
			check_failures++;
		}
	}
	/* Refused, as 400 or 505: a version field that starts "HTTP/" but is
	 * not exactly HTTP/1.x (a stray CR or space after it) counts as a
	 * version not served (httphead.h: 505 "not HTTP/1.0 or HTTP/1.1"). */
	CHECK(parse("GET /ok HTTP/1.1\rX\r\n\r\n") != HEAD_DONE);
	CHECK(parse("GET /ok HTTP/1.1 \r\n\r\n") != HEAD_DONE);
	CHECK(parse("GET /ok HTTP/1.1\r\r\n\r\n") != HEAD_DONE);
	/* A path or a query that does not fit is refused, never cut. */
	static char pad[2100];
	memset(pad, 'p', sizeof pad - 1);
	char line[3000];
	snprintf(line, sizeof line, "GET /%.*s HTTP/1.1\r\n\r\n", 2047, pad); /* a path of 2048 */
	CHECK_INT(parse(line), HEAD_BAD);
	snprintf(line, sizeof line, "GET /%.*s HTTP/1.1\r\n\r\n", 2046, pad);
	CHECK_INT(parse(line), HEAD_DONE);
	CHECK_INT(strlen(h.path), 2047);
	snprintf(line, sizeof line, "GET /?%.*s HTTP/1.1\r\n\r\n", 2048, pad);
	CHECK_INT(parse(line), HEAD_BAD);
	snprintf(line, sizeof line, "GET /?%.*s HTTP/1.1\r\n\r\n", 2047, pad);
	CHECK_INT(parse(line), HEAD_DONE);
	CHECK_INT(strlen(h.query), 2047);
}

static void test_bad_versions(void)
{
	static const char *const v505[] = {
		"GET /ok HTTP/2.0\r\n\r\n", "GET /ok HTTP/1.2\r\n\r\n", "GET /ok HTTP/0.9\r\n\r\n",
		"GET /ok HTTP/1.10\r\n\r\n", "GET /ok HTTP/1\r\n\r\n", "GET /ok HTTP/2\r\n\r\n",
		"GET /ok HTTP/1.x\r\n\r\n", "GET /ok HTTP/3.0\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof v505 / sizeof v505[0]; i++) {
		if (parse(v505[i]) != HEAD_BAD_VERSION) {
			printf("  version case %zu is not BAD_VERSION\n", i);
			check_failures++;
		}
	}
}

static void test_bad_headers(void)
{
	static const char *const bad[] = {
		"GET /ok HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET /ok HTTP/1.1\r\n: no name\r\n\r\n",
		"GET /ok HTTP/1.1\r\nBad Name: v\r\n\r\n",
		"GET /ok HTTP/1.1\r\nHost : x\r\n\r\n",
		"GET /ok HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", /* obs-fold */
		"GET /ok HTTP/1.1\r\nX: a\x01" "b\r\n\r\n",
		"GET /ok HTTP/1.1\r\nX: a\rb\r\n\r\n",
		"GET /ok HTTP/1.1\r\nX: a\x1b[2J\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse(bad[i]) != HEAD_BAD) {
			printf("  bad header case %zu is not BAD\n", i);
			check_failures++;
		}
	}
}

static void test_body_refused(void)
{
	CHECK_INT(parse("POST /ok HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"), HEAD_BAD);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\ncontent-length: 1\r\n\r\nx"), HEAD_BAD);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nContent-Length: 00\r\nContent-Length: 10\r\n\r\n"), HEAD_BAD);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), HEAD_BAD);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), HEAD_BAD);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\ntransfer-encoding: identity\r\n\r\n"), HEAD_BAD);
	/* A length of zero is no body. */
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), HEAD_DONE);
	CHECK_INT(parse("GET /ok HTTP/1.1\r\nContent-Length: 000\r\n\r\n"), HEAD_DONE);
}

static void test_nul_bytes(void)
{
	static const char line[] = "GET /o\0k HTTP/1.1\r\n\r\n";
	CHECK_INT(httphead_parse(line, sizeof line - 1, HTTPHEAD_MAX, &h), HEAD_BAD);
	static const char method[] = "G\0T /ok HTTP/1.1\r\n\r\n";
	CHECK_INT(httphead_parse(method, sizeof method - 1, HTTPHEAD_MAX, &h), HEAD_BAD);
	static const char version[] = "GET /ok HTTP/1.1\0\r\n\r\n";
	CHECK_INT(httphead_parse(version, sizeof version - 1, HTTPHEAD_MAX, &h), HEAD_BAD);
	static const char value[] = "GET /ok HTTP/1.1\r\nX: a\0b\r\n\r\n";
	CHECK_INT(httphead_parse(value, sizeof value - 1, HTTPHEAD_MAX, &h), HEAD_BAD);
	static const char name[] = "GET /ok HTTP/1.1\r\nX\0Y: a\r\n\r\n";
	CHECK_INT(httphead_parse(name, sizeof name - 1, HTTPHEAD_MAX, &h), HEAD_BAD);
	/* A NUL in the next request's bytes is not this head's business. */
	static const char after[] = "GET /ok HTTP/1.1\r\n\r\n\0";
	CHECK_INT(httphead_parse(after, sizeof after - 1, HTTPHEAD_MAX, &h), HEAD_DONE);
	CHECK_INT(h.length, 20);
}

static void test_query_split(void)
{
	CHECK_INT(parse("GET /api/apps/web/logs?n=5&x=1 HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/api/apps/web/logs");
	CHECK_STR(h.query, "n=5&x=1");
	CHECK_INT(parse("GET /? HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/");
	CHECK_STR(h.query, "");
	CHECK_INT(parse("GET /a?b?c=%2F HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/a");
	CHECK_STR(h.query, "b?c=%2F");
	/* The path stays as sent: decoding is the route's. */
	CHECK_INT(parse("GET /api/apps/%2e%2e/logs HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/api/apps/%2e%2e/logs");
	CHECK_INT(parse("GET /../../etc/passwd HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/../../etc/passwd");
	/* A fragment is not sent by clients; here it is part of the path. */
	CHECK_INT(parse("GET /ok#x HTTP/1.1\r\n\r\n"), HEAD_DONE);
	CHECK_STR(h.path, "/ok#x");
}

/* http_unescape of s into a buffer of cap bytes (at most 64): its result;
 * out holds the text. */
static char unescaped[64];
static int unescape(const char *s, size_t cap)
{
	memset(unescaped, 'Z', sizeof unescaped);
	return http_unescape(s, strlen(s), unescaped, cap);
}

static void test_unescape(void)
{
	CHECK_INT(unescape("web", 64), 0);
	CHECK_STR(unescaped, "web");
	CHECK_INT(unescape("", 64), 0);
	CHECK_STR(unescaped, "");
	CHECK_INT(unescape("a%20b", 64), 0);
	CHECK_STR(unescaped, "a b");
	CHECK_INT(unescape("%41%62%7e", 64), 0);
	CHECK_STR(unescaped, "Ab~");
	CHECK_INT(unescape("%e2%82%AC", 64), 0);
	CHECK_STR(unescaped, "\xe2\x82\xac");
	CHECK_INT(unescape("%2e%2e", 64), 0); /* a name "..": no app has it */
	CHECK_STR(unescaped, "..");
	/* One path segment: no '/', decoded or not; no NUL. */
	CHECK_INT(unescape("%2F", 64), -1);
	CHECK_INT(unescape("%2f", 64), -1);
	CHECK_INT(unescape("..%2F..%2Fetc", 64), -1);
	CHECK_INT(unescape("a/b", 64), -1);
	CHECK_INT(unescape("%00", 64), -1);
	CHECK_INT(unescape("a%00b", 64), -1);
	/* Bad escapes. */
	CHECK_INT(unescape("%", 64), -1);
	CHECK_INT(unescape("%4", 64), -1);
	CHECK_INT(unescape("a%", 64), -1);
	CHECK_INT(unescape("%zz", 64), -1);
	CHECK_INT(unescape("%g1", 64), -1);
	CHECK_INT(unescape("%1g", 64), -1);
	CHECK_INT(unescape("%%41", 64), -1);
	/* Room: the text and its NUL, never a byte more. */
	CHECK_INT(unescape("abcd", 5), 0);
	CHECK_STR(unescaped, "abcd");
	CHECK(unescaped[5] == 'Z');
	CHECK_INT(unescape("abcd", 4), -1);
	CHECK(unescaped[4] == 'Z');
	CHECK_INT(unescape("%41%42%43", 4), 0);
	CHECK_STR(unescaped, "ABC");
	CHECK_INT(unescape("%41%42%43%44", 4), -1);
	CHECK(unescaped[4] == 'Z');
}

static void test_query_number(void)
{
	unsigned long v = 7;
	CHECK_INT(http_query_number("n=5", "n", &v), 1);
	CHECK_INT(v, 5);
	CHECK_INT(http_query_number("x=1&n=20", "n", &v), 1);
	CHECK_INT(v, 20);
	CHECK_INT(http_query_number("n=10000&n=3", "n", &v), 1);
	CHECK_INT(v, 10000);
	CHECK_INT(http_query_number("n=0", "n", &v), 1);
	CHECK_INT(v, 0);
	CHECK_INT(http_query_number("n=5&", "n", &v), 1);
	CHECK_INT(v, 5);
	CHECK_INT(http_query_number("n=999999999", "n", &v), 1);
	CHECK_INT(v, 999999999);
	v = 7;
	CHECK_INT(http_query_number("", "n", &v), 0);
	CHECK_INT(http_query_number("nn=5", "n", &v), 0);
	CHECK_INT(http_query_number("xn=5", "n", &v), 0);
	CHECK_INT(http_query_number("n", "n", &v), 0);
	CHECK_INT(http_query_number("a=1&n", "n", &v), 0);
	CHECK_INT(http_query_number("&&", "n", &v), 0);
	CHECK_INT(v, 7); /* untouched when not found */
	CHECK_INT(http_query_number("n=", "n", &v), -1);
	CHECK_INT(http_query_number("n=&x=1", "n", &v), -1);
	CHECK_INT(http_query_number("n=abc", "n", &v), -1);
	CHECK_INT(http_query_number("n=5x", "n", &v), -1);
	CHECK_INT(http_query_number("n=-1", "n", &v), -1);
	CHECK_INT(http_query_number("n=+5", "n", &v), -1);
	CHECK_INT(http_query_number("n= 5", "n", &v), -1);
	CHECK_INT(http_query_number("n=0x10", "n", &v), -1);
	CHECK_INT(http_query_number("n=%35", "n", &v), -1);
	CHECK_INT(http_query_number("n=1234567890", "n", &v), -1); /* 10 digits: never a wrap */
	CHECK_INT(http_query_number("n=99999999999999999999999", "n", &v), -1);
	CHECK_INT(v, 7);
}

/* http_parse_listen of spec: its result; addr and port hold the answer. */
static char addr[64], why[200];
static int port;
static int listen_spec(const char *spec)
{
	addr[0] = why[0] = '\0';
	port = -1;
	return http_parse_listen(spec, addr, sizeof addr, &port, why, sizeof why);
}

static void test_parse_listen(void)
{
	CHECK_INT(listen_spec("3000"), 0);
	CHECK_STR(addr, "127.0.0.1");
	CHECK_INT(port, 3000);
	CHECK_INT(listen_spec("127.0.0.1:3000"), 0);
	CHECK_STR(addr, "127.0.0.1");
	CHECK_INT(port, 3000);
	CHECK_INT(listen_spec("[::1]:3000"), 0);
	CHECK_STR(addr, "::1");
	CHECK_INT(port, 3000);
	CHECK_INT(listen_spec("0.0.0.0:80"), 0);
	CHECK_STR(addr, "0.0.0.0");
	CHECK_INT(port, 80);
	CHECK_INT(listen_spec("[::]:8080"), 0);
	CHECK_STR(addr, "::");
	CHECK_INT(listen_spec("192.168.1.10:1"), 0);
	CHECK_INT(port, 1);
	CHECK_INT(listen_spec("10.0.0.1:65535"), 0);
	CHECK_INT(port, 65535);

	static const char *const bad[] = {
		"", "0", "65536", "-1", "99999999999", "abc", "3000x", "30 00", "127.0.0.1:",
		":3000", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:-80", "127.0.0.1:http",
		"localhost:3000", "1.2.3:80", "256.0.0.1:80", "1.2.3.4.5:80", "[::1]", "[::1:3000",
		"[]:3000", "[::g]:3000", "example.com:80", "127.0.0.1:80:90",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (listen_spec(bad[i]) != -1 || !why[0]) {
			printf("  --http '%s' is not refused with a reason\n", bad[i]);
			check_failures++;
		}
	}
	/* White space and a sign are no part of a port; an IPv4 address in
	 * brackets, or an IPv6 one without, is refused. */
	static const char *const lenient[] = { " 3000", "+3000", "127.0.0.1: 80", "127.0.0.1:+80",
					       "[127.0.0.1]:80", "::1:3000" };
	for (size_t i = 0; i < sizeof lenient / sizeof lenient[0]; i++) {
		if (listen_spec(lenient[i]) != -1 || !why[0]) {
			printf("  --http '%s' is not refused with a reason\n", lenient[i]);
			check_failures++;
		}
	}
}

int main(void)
{
	RUN(test_get_and_head);
	RUN(test_versions_and_keep_alive);
	RUN(test_lf_only);
	RUN(test_incomplete);
	RUN(test_pipelined);
	RUN(test_size_limit);
	RUN(test_bad_request_lines);
	RUN(test_bad_versions);
	RUN(test_bad_headers);
	RUN(test_body_refused);
	RUN(test_nul_bytes);
	RUN(test_query_split);
	RUN(test_unescape);
	RUN(test_query_number);
	RUN(test_parse_listen);
	return CHECK_EXIT();
}
