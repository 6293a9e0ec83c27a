/* http: toesd's own HTTP endpoint, --http [ADDR:]PORT (SPEC §14): read
 * only, in the one loop. At most 64 connections (one more is answered
 * 503 and closed), a request head of at most 8 KiB within 5 s,
 * keep-alive for HTTP/1.1, GET and HEAD only. */
#ifndef TOES_HTTP_H
#define TOES_HTTP_H

#include <stddef.h>

/* Parse "[ADDR:]PORT" (ADDR an IPv4 address, default 127.0.0.1; or
 * [IPv6]). 0, or -1 with why. Pure. */
int http_parse_listen(const char *spec, char *addr, size_t cap, int *port, char *why, size_t why_cap);

/* Bind and listen, before anything is allocated: 0, or -1 with why
 * (toesd does not start). */
int http_open(const char *spec, char *why, size_t cap);
/* Serve from the loop; a warning is logged when the address is not
 * loopback. 0, or -1 when out of memory. */
int http_start(void);
void http_close(void);

#endif
