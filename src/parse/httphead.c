/* httphead: request line, headers, the few that matter. */
#include "parse/httphead.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The end of the head: "\r\n\r\n" (or "\n\n", as lenient servers take). */
static const char *head_end(const char *buf, size_t len, size_t *skip)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\n' && buf[i + 1] == '\n') {
			*skip = 2;
			return buf + i;
		}
		if (buf[i] == '\n' && buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n') {
			*skip = 3;
			return buf + i;
		}
	}
	return NULL;
}

static int is_token(char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* METHOD SP TARGET SP HTTP/1.x */
static enum httphead_result request_line(const char *p, size_t n, struct httphead *h)
{
	const char *sp1 = memchr(p, ' ', n);
	if (!sp1 || sp1 == p || (size_t)(sp1 - p) >= sizeof h->method) {
		return HEAD_BAD;
	}
	for (const char *c = p; c < sp1; c++) {
		if (!is_token(*c)) {
			return HEAD_BAD;
		}
	}
	memcpy(h->method, p, (size_t)(sp1 - p));
	h->method[sp1 - p] = '\0';
	const char *target = sp1 + 1, *end = p + n;
	const char *sp2 = memchr(target, ' ', (size_t)(end - target));
	if (!sp2 || sp2 == target || *target != '/') {
		return HEAD_BAD;
	}
	for (const char *c = target; c < sp2; c++) {
		if ((unsigned char)*c <= 32 || *c == 127) {
			return HEAD_BAD;
		}
	}
	const char *q = memchr(target, '?', (size_t)(sp2 - target));
	size_t plen = (size_t)((q ? q : sp2) - target), qlen = q ? (size_t)(sp2 - q - 1) : 0;
	if (plen >= sizeof h->path || qlen >= sizeof h->query) {
		return HEAD_BAD;
	}
	memcpy(h->path, target, plen);
	h->path[plen] = '\0';
	memcpy(h->query, q ? q + 1 : "", qlen);
	h->query[qlen] = '\0';
	size_t vlen = (size_t)(end - sp2 - 1);
	if (vlen != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0) {
		return vlen >= 5 && memcmp(sp2 + 1, "HTTP/", 5) == 0 ? HEAD_BAD_VERSION : HEAD_BAD;
	}
	char minor = sp2[8];
	if (minor != '0' && minor != '1') {
		return HEAD_BAD_VERSION;
	}
	h->minor = minor - '0';
	h->keep_alive = h->minor == 1;
	return HEAD_DONE;
}

/* 1 when the comma-separated value holds word (any case). */
static int has_word(const char *v, size_t n, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) {
			i++;
		}
		size_t start = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t') {
			i++;
		}
		if (i - start == wl && strncasecmp(v + start, word, wl) == 0) {
			return 1;
		}
	}
	return 0;
}

/* NAME: VALUE. Connection decides keep-alive; a body is refused. */
static enum httphead_result header(const char *p, size_t n, struct httphead *h)
{
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p) {
		return HEAD_BAD;
	}
	for (const char *c = p; c < colon; c++) {
		if (!is_token(*c)) {
			return HEAD_BAD;
		}
	}
	size_t name = (size_t)(colon - p);
	const char *v = colon + 1, *end = p + n;
	while (v < end && (*v == ' ' || *v == '\t')) {
		v++;
	}
	size_t vn = (size_t)(end - v);
	for (size_t i = 0; i < vn; i++) {
		if ((unsigned char)v[i] < 32 && v[i] != '\t') {
			return HEAD_BAD;
		}
	}
	if (name == 10 && strncasecmp(p, "Connection", 10) == 0) {
		if (has_word(v, vn, "close")) {
			h->keep_alive = 0;
		} else if (has_word(v, vn, "keep-alive")) {
			h->keep_alive = 1;
		}
	} else if (name == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0) {
		return HEAD_BAD;
	} else if (name == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
		for (size_t i = 0; i < vn; i++) {
			if (v[i] != '0' && v[i] != ' ' && v[i] != '\t') {
				return HEAD_BAD;
			}
		}
	}
	return HEAD_DONE;
}

enum httphead_result httphead_parse(const char *buf, size_t len, size_t max, struct httphead *h)
{
	size_t skip = 0;
	size_t scan = len < max ? len : max;
	const char *end = head_end(buf, scan, &skip);
	if (!end) {
		return len >= max ? HEAD_TOO_LARGE : HEAD_INCOMPLETE;
	}
	memset(h, 0, sizeof *h);
	h->length = (size_t)(end - buf) + skip;
	if (h->length > max) {
		return HEAD_TOO_LARGE;
	}
	const char *p = buf, *stop = end + 1; /* the last line's '\n' included */
	int first = 1;
	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t n = (size_t)(nl - p);
		if (n && p[n - 1] == '\r') {
			n--;
		}
		if (memchr(p, '\0', n)) {
			return HEAD_BAD;
		}
		enum httphead_result r = first ? request_line(p, n, h) : header(p, n, h);
		if (r != HEAD_DONE) {
			return r;
		}
		first = 0;
		p = nl + 1;
	}
	return HEAD_DONE;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int http_unescape(const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '%') {
			int a = i + 1 < n ? hex(in[i + 1]) : -1, b = i + 2 < n ? hex(in[i + 2]) : -1;
			if (a < 0 || b < 0) {
				return -1;
			}
			c = (char)(a * 16 + b);
			i += 2;
		}
		if (c == '\0' || c == '/' || o + 1 >= cap) {
			return -1;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int http_query_number(const char *query, const char *key, unsigned long *value)
{
	size_t kl = strlen(key);
	for (const char *p = query; *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			const char *v = p + kl + 1;
			size_t vn = n - kl - 1;
			if (vn == 0 || vn > 9 || strspn(v, "0123456789") < vn) {
				return -1;
			}
			*value = strtoul(v, NULL, 10);
			return 1;
		}
		p += n + (amp != NULL);
	}
	return 0;
}
