/* ports: the pool of ports handed to apps, and who else listens (SPEC §4.1). */
#ifndef TOES_PORTS_H
#define TOES_PORTS_H

#include <stddef.h>

/* The ports lo..hi and which of them toesd's apps hold. */
struct ports {
	int lo, hi;
	unsigned char *used;  /* one bit per port, lo first */
};

/* 1 when a process outside toesd listens on port. */
typedef int (*ports_busy_fn)(void *ctx, int port);
/* Told about each port skipped because it was busy. */
typedef void (*ports_skip_fn)(void *ctx, int port);
/* Told about one listening port. */
typedef void (*ports_listener_fn)(void *ctx, int port);

/* An empty pool of lo..hi (1 <= lo <= hi <= 65535). Returns 0, or -1 with
 * errno EINVAL for a bad range or ENOMEM. */
int ports_init(struct ports *p, int lo, int hi);
void ports_free(struct ports *p);

/*
 * Take a port and mark it used: preferred (0 for none) when it lies in the
 * pool, is not used and not busy; else the lowest port neither used nor
 * busy. busy is asked only about ports not used (NULL: nothing is busy),
 * at most once per port; skipped (may be NULL) hears of each busy one.
 * Returns the port, or 0 when none is left.
 */
int ports_take(struct ports *p, int preferred, ports_busy_fn busy,
	       ports_skip_fn skipped, void *ctx);

/* Give a port back; a port outside the pool is ignored. */
void ports_release(struct ports *p, int port);

/* 1 when port is in the pool and taken. */
int ports_is_used(const struct ports *p, int port);

/*
 * Parse len bytes of /proc/net/tcp or /proc/net/tcp6 text: call fn (may
 * be NULL) with the local port of every socket in state LISTEN (0A); the
 * header line and lines that do not parse are skipped. Returns the number
 * of listeners found.
 */
int ports_parse_proc_net(const char *text, size_t len, ports_listener_fn fn, void *ctx);

/* Read /proc/net/tcp and /proc/net/tcp6 (a missing file has no
 * listeners) and call fn for every listener. Returns how many. */
int ports_scan_listeners(ports_listener_fn fn, void *ctx);

/* 1 when some TCP socket (IPv4 or IPv6, any address) listens on port. */
int ports_listening(int port);

#endif
