/* httpconn: one connection of toesd's HTTP endpoint (SPEC §14), as the
 * routes and the event stream see it. serve/http.c owns it. */
#ifndef TOES_HTTPCONN_H
#define TOES_HTTPCONN_H

#include "base/buf.h"
#include "parse/httphead.h"

struct http_conn;

/* A whole answer: status, content type, body (HEAD: the length is the
 * body's, the body is not sent). */
void http_respond(struct http_conn *c, int status, const char *type, const char *body, size_t n);
/* The answer is a stream (/events): its head goes now, the connection
 * stays until the client leaves or stops reading. */
void http_start_stream(struct http_conn *c);
/* More of a stream; a client with more than HTTP_STREAM_MAX bytes
 * waiting for it (its first snapshot aside) is closed: -1, c is gone. */
int http_stream_write(struct http_conn *c, const char *p, size_t n);
#define HTTP_STREAM_MAX (64 * 1024)

/* serve/routes.c: what a request is answered. head_only: HEAD. */
void http_route(struct http_conn *c, const struct httphead *h, int head_only);

/* serve/events.c: the /events streams, told of every app's change. */
int events_init(void);
void events_fini(void);
/* A new stream: it gets the snapshot of every app (it may be closed by
 * that already: nothing may use c after). */
void events_add(struct http_conn *c);
/* The bytes of that snapshot now. */
size_t events_snapshot_size(void);
void events_remove(struct http_conn *c);

#endif
