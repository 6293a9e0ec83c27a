/* buf: a growable byte buffer for building replies, JSON and log lines. */
#ifndef TOES_BUF_H
#define TOES_BUF_H

#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated while len < cap; NULL until first append */
	size_t len;
	size_t cap;
	int failed;   /* set when an allocation failed; later appends are dropped */
};

/* Append n bytes; on allocation failure sets failed and keeps what it had. */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
/* printf-style append. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
