/* httphead: one HTTP/1.x request head, from the bytes read so far (SPEC
 * §14): the method, the target split into path and query, the version,
 * and whether the connection stays open. A request with a body is
 * refused: the endpoint takes none. */
#ifndef TOES_HTTPHEAD_H
#define TOES_HTTPHEAD_H

#include <stddef.h>

#define HTTPHEAD_MAX (8 * 1024)

enum httphead_result {
	HEAD_INCOMPLETE,   /* no blank line yet, within the limit */
	HEAD_DONE,         /* parsed: h->length bytes */
	HEAD_BAD,          /* 400: not a request line, a bad header, a body */
	HEAD_TOO_LARGE,    /* 431: no end within max bytes */
	HEAD_BAD_VERSION,  /* 505: not HTTP/1.0 or HTTP/1.1 */
};

struct httphead {
	char method[16];
	char path[2048];   /* as sent, not decoded */
	char query[2048];  /* after '?', "" when none */
	int minor;         /* HTTP/1.minor */
	int keep_alive;    /* 1.1 unless "Connection: close"; 1.0 only with keep-alive */
	size_t length;     /* the head's bytes, its blank line included */
};

enum httphead_result httphead_parse(const char *buf, size_t len, size_t max, struct httphead *h);

/* %XX escapes decoded from in (n bytes) into out (cap bytes). -1 on a bad
 * escape, a NUL, a '/' (a name is one path segment) or no room. */
int http_unescape(const char *in, size_t n, char *out, size_t cap);

/* The value of key=NUMBER in a query (a&b form). 1 found, 0 not there,
 * -1 there but not a number. */
int http_query_number(const char *query, const char *key, unsigned long *value);

#endif
