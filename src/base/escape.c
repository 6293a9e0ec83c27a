/* escape: controls and invalid UTF-8 made visible, for terminals and logs. */
#include "base/escape.h"

#include <string.h>

#define ESCAPE_LEN 4  /* "\xHH" */

static const char hex_digits[] = "0123456789abcdef";

/* The length (1 to 4) of the character at s (n > 0 bytes left) when a
 * terminal shows it as text; 0 when the byte at s must be escaped. The
 * ranges are those of RFC 3629 (no overlong forms, no surrogates, nothing
 * past U+10FFFF), less C2 80..C2 9F, the C1 controls. */
static size_t text_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if ((c >= 0x20 && c < 0x7f) || c == '\t') {
		return 1;
	}
	if (c < 0xc2 || c > 0xf4) { /* C0, DEL, a lone continuation, C0/C1 overlong leads */
		return 0;
	}
	size_t len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c == 0xc2 || c == 0xe0) {
		lo = 0xa0; /* C2: past the C1 controls; E0: no overlong form */
	} else if (c == 0xed) {
		hi = 0x9f; /* no UTF-16 surrogates */
	} else if (c == 0xf0) {
		lo = 0x90; /* no overlong form */
	} else if (c == 0xf4) {
		hi = 0x8f; /* nothing past U+10FFFF */
	}
	if (n < len || s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (size_t i = 2; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			return 0;
		}
	}
	return len;
}

/* How many of the n bytes at s, from the start, need no escape. */
static size_t clean_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = text_len(u + i, n - i);
		if (!k) {
			break;
		}
		i += k;
	}
	return i;
}

static void put_hex(char out[ESCAPE_LEN], unsigned char c)
{
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex_digits[c >> 4];
	out[3] = hex_digits[c & 15];
}

int escape_needed(const char *s, size_t n)
{
	return clean_prefix(s, n) < n;
}

size_t escape_to(char *out, size_t cap, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0, i = 0;
	if (!cap) {
		return 0;
	}
	while (i < n) {
		size_t k = text_len(u + i, n - i);
		size_t need = k ? k : ESCAPE_LEN;
		if (at + need >= cap) { /* and the NUL */
			break;
		}
		if (k) {
			memcpy(out + at, s + i, k);
		} else {
			put_hex(out + at, u[i]);
		}
		at += need;
		i += k ? k : 1;
	}
	out[at] = '\0';
	return at;
}

void escape_buf(struct buf *b, const char *s, size_t n)
{
	while (n) {
		size_t k = clean_prefix(s, n);
		buf_add(b, s, k);
		if (k == n) {
			return;
		}
		char esc[ESCAPE_LEN];
		put_hex(esc, (unsigned char)s[k]);
		buf_add(b, esc, sizeof esc);
		s += k + 1;
		n -= k + 1;
	}
}

/* One C0 control, DEL, quote or backslash as JSON wants it. */
static void json_ascii(struct buf *b, unsigned char c)
{
	switch (c) {
	case '"': buf_adds(b, "\\\""); break;
	case '\\': buf_adds(b, "\\\\"); break;
	case '\n': buf_adds(b, "\\n"); break;
	case '\r': buf_adds(b, "\\r"); break;
	case '\t': buf_adds(b, "\\t"); break;
	default: buf_printf(b, "\\u%04x", c); break;
	}
}

/* The bytes at s that text_len refused (n > 0 left), as JSON escapes: a
 * C1 control (two bytes) as its code point, another byte as U+FFFD.
 * The bytes used. */
static size_t json_unshown(struct buf *b, const unsigned char *s, size_t n)
{
	if (s[0] == 0xc2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		buf_printf(b, "\\u%04x", s[1]);
		return 2;
	}
	if (s[0] < 0x80) {
		json_ascii(b, s[0]);
	} else {
		buf_adds(b, "\\ufffd");
	}
	return 1;
}

void escape_json(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	buf_addc(b, '"');
	while (i < n) {
		size_t k = text_len(u + i, n - i);
		if (k && u[i] != '"' && u[i] != '\\' && u[i] != '\t') {
			buf_add(b, s + i, k);
			i += k;
		} else if (k) {
			json_ascii(b, u[i++]);
		} else {
			i += json_unshown(b, u + i, n - i);
		}
	}
	buf_addc(b, '"');
}

void escape_json_text(struct buf *b, const char *json, size_t n)
{
	const unsigned char *u = (const unsigned char *)json;
	size_t i = 0;
	while (i < n) {
		size_t k = u[i] < 0x7f ? 1 : text_len(u + i, n - i);
		if (k) {
			buf_add(b, json + i, k);
			i += k;
		} else {
			i += json_unshown(b, u + i, n - i);
		}
	}
}
