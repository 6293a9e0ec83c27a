/* httpstatus: an incremental parser for the status line of an HTTP response (SPEC §5). */
#ifndef TOES_HTTPSTATUS_H
#define TOES_HTTPSTATUS_H

#include <stddef.h>

/* The most bytes read before the status line must have ended. */
#define HTTPSTATUS_MAX 8192

struct httpstatus {
	int state;    /* private: where in the line the parser is */
	int code;     /* the status code, valid once DONE */
	size_t seen;  /* bytes consumed so far */
};

enum httpstatus_result {
	HTTPSTATUS_MORE,  /* fine so far; feed more */
	HTTPSTATUS_DONE,  /* the line ended; code holds 100..599 */
	HTTPSTATUS_BAD,   /* not an HTTP/1.0 or HTTP/1.1 status line */
};

void httpstatus_init(struct httpstatus *p);

/*
 * Feed the next n bytes of the response; any split works, down to one byte
 * at a time. Accepts "HTTP/1.0" or "HTTP/1.1", one space, exactly three
 * digits (100..599), then a space and a reason phrase, or the end of the
 * line at once (CR LF or a bare LF). DONE as soon as the LF arrives; the
 * bytes after it are not looked at. BAD for anything else, and as soon as
 * HTTPSTATUS_MAX bytes have passed without the LF (so the caller never
 * needs to read more than that). Once DONE or BAD, the parser keeps
 * returning the same result.
 */
enum httpstatus_result httpstatus_feed(struct httpstatus *p, const char *data, size_t n);

#endif
