/* test_httpstatus: the status-line parser, fed whole, byte by byte and split. */
#include "check.h"
#include "parse/httpstatus.h"

#include <stdlib.h>

struct status_case {
	const char *in;
	enum httpstatus_result want;
	int code;       /* when DONE */
};

static const struct status_case cases[] = {
	{ "HTTP/1.1 200 OK\r\n", HTTPSTATUS_DONE, 200 },
	{ "HTTP/1.0 200 OK\r\n", HTTPSTATUS_DONE, 200 },
	{ "HTTP/1.1 200 OK\n", HTTPSTATUS_DONE, 200 },
	{ "HTTP/1.1 204\r\n", HTTPSTATUS_DONE, 204 },
	{ "HTTP/1.1 204\n", HTTPSTATUS_DONE, 204 },
	{ "HTTP/1.1 200 \r\n", HTTPSTATUS_DONE, 200 },
	{ "HTTP/1.1 100 Continue\r\n", HTTPSTATUS_DONE, 100 },
	{ "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n", HTTPSTATUS_DONE, 301 },
	{ "HTTP/1.1 404 Not Found\r\n\r\nbody", HTTPSTATUS_DONE, 404 },
	{ "HTTP/1.1 500 Internal Server Error\r\n", HTTPSTATUS_DONE, 500 },
	{ "HTTP/1.1 599 x\r\n", HTTPSTATUS_DONE, 599 },
	{ "HTTP/1.1 418 I'm a teapot \t odd: ch\x01rs \xc3\xa9\r\n", HTTPSTATUS_DONE, 418 },
	{ "HTTP/1.1 200 OK\r\ngarbage that is never read", HTTPSTATUS_DONE, 200 },
	/* Incomplete. */
	{ "", HTTPSTATUS_MORE, 0 },
	{ "H", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 ", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 20", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 200", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 200 OK", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 200 OK\r", HTTPSTATUS_MORE, 0 },
	{ "HTTP/1.1 200\r", HTTPSTATUS_MORE, 0 },
	/* Bad. */
	{ "http/1.1 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/2 200\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/2.0 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.2 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.10 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/0.9 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1  200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1\t200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 20 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 2000 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 20x OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 099 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 000\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 600 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 999 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 -20 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 200\tOK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 200OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 200\rX", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 200 OK\rX\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 200 OK\r\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1\r\n", HTTPSTATUS_BAD, 0 },
	{ "HTTP/1.1 \r\n", HTTPSTATUS_BAD, 0 },
	{ " HTTP/1.1 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "\r\nHTTP/1.1 200 OK\r\n", HTTPSTATUS_BAD, 0 },
	{ "SSH-2.0-OpenSSH_9.2\r\n", HTTPSTATUS_BAD, 0 },
	{ "GET /ok HTTP/1.1\r\n", HTTPSTATUS_BAD, 0 },
	{ "\x16\x03\x01\x02\x00", HTTPSTATUS_BAD, 0 },
};

#define NCASES (sizeof cases / sizeof cases[0])

static int check_result(const struct status_case *c, enum httpstatus_result got,
			const struct httpstatus *p, const char *how)
{
	int ok = got == c->want && (got != HTTPSTATUS_DONE || p->code == c->code);
	if (!ok) {
		printf("  %s: \"%s\": got %d code %d, want %d code %d\n", how,
		       c->in, (int)got, p->code, (int)c->want, c->code);
	}
	return ok;
}

static void test_whole(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		struct httpstatus p;
		httpstatus_init(&p);
		enum httpstatus_result r = httpstatus_feed(&p, cases[i].in, strlen(cases[i].in));
		CHECK(check_result(&cases[i], r, &p, "whole"));
	}
}

static void test_byte_at_a_time(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		struct httpstatus p;
		httpstatus_init(&p);
		enum httpstatus_result r = HTTPSTATUS_MORE;
		for (const char *s = cases[i].in; *s && r == HTTPSTATUS_MORE; s++) {
			r = httpstatus_feed(&p, s, 1);
		}
		CHECK(check_result(&cases[i], r, &p, "bytewise"));
	}
}

/* Every cut into two pieces, the second fed even after a result. */
static void test_every_split(void)
{
	for (size_t i = 0; i < NCASES; i++) {
		size_t n = strlen(cases[i].in);
		for (size_t cut = 0; cut <= n; cut++) {
			struct httpstatus p;
			httpstatus_init(&p);
			httpstatus_feed(&p, cases[i].in, cut);
			enum httpstatus_result r = httpstatus_feed(&p, cases[i].in + cut, n - cut);
			CHECK(check_result(&cases[i], r, &p, "split"));
		}
	}
}

static void test_stops_at_line_end(void)
{
	const char *resp = "HTTP/1.1 302 Found\r\nLocation: /\r\n";
	struct httpstatus p;
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, resp, strlen(resp)), HTTPSTATUS_DONE);
	CHECK_INT(p.code, 302);
	CHECK_INT(p.seen, strlen("HTTP/1.1 302 Found\r\n"));
	/* Results stick. */
	CHECK_INT(httpstatus_feed(&p, "junk", 4), HTTPSTATUS_DONE);
	CHECK_INT(p.code, 302);
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, "XTTP", 4), HTTPSTATUS_BAD);
	CHECK_INT(httpstatus_feed(&p, "HTTP/1.1 200 OK\n", 16), HTTPSTATUS_BAD);
	/* Feeding nothing changes nothing. */
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, NULL, 0), HTTPSTATUS_MORE);
	CHECK_INT(p.seen, 0);
}

/* A response of total bytes: the status line, a reason padded with 'x',
 * then LF as byte number total. */
static char *long_line(size_t total)
{
	char *s = malloc(total + 1);
	if (!s) {
		return NULL;
	}
	memcpy(s, "HTTP/1.1 200 ", 13);
	memset(s + 13, 'x', total - 13);
	s[total - 1] = '\n';
	s[total] = '\0';
	return s;
}

static void test_length_limit(void)
{
	struct httpstatus p;
	char *ok = long_line(HTTPSTATUS_MAX);
	char *over = long_line(HTTPSTATUS_MAX + 1);
	CHECK(ok && over);
	if (!ok || !over) {
		free(ok);
		free(over);
		return;
	}
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, ok, HTTPSTATUS_MAX), HTTPSTATUS_DONE);
	CHECK_INT(p.code, 200);
	httpstatus_init(&p);
	enum httpstatus_result r = HTTPSTATUS_MORE;
	for (size_t i = 0; i < HTTPSTATUS_MAX && r == HTTPSTATUS_MORE; i++) {
		r = httpstatus_feed(&p, ok + i, 1);
	}
	CHECK_INT(r, HTTPSTATUS_DONE);
	/* The LF one byte too late: BAD right at the limit, not later. */
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, over, HTTPSTATUS_MAX - 1), HTTPSTATUS_MORE);
	CHECK_INT(httpstatus_feed(&p, over + HTTPSTATUS_MAX - 1, 1), HTTPSTATUS_BAD);
	httpstatus_init(&p);
	CHECK_INT(httpstatus_feed(&p, over, HTTPSTATUS_MAX + 1), HTTPSTATUS_BAD);
	free(ok);
	free(over);
}

int main(void)
{
	RUN(test_whole);
	RUN(test_byte_at_a_time);
	RUN(test_every_split);
	RUN(test_stops_at_line_end);
	RUN(test_length_limit);
	return CHECK_EXIT();
}
