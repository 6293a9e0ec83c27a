/* ports: the pool of ports handed to apps, and who else listens (SPEC §4.1). */
#ifndef TOES_PORTS_H
#define TOES_PORTS_H

#include <stddef.h>

/* 1 when a process outside toesd listens on port. */
typedef int (*ports_busy_fn)(void *ctx, int port);
/* Told about each port skipped because it was busy. */
typedef void (*ports_skip_fn)(void *ctx, int port);
/* Told that port, booked for another app, goes to the taker (ctx). */
typedef void (*ports_takeover_fn)(void *ctx, int port);
/* Told about one listening port. */
typedef void (*ports_listener_fn)(void *ctx, int port);

/* The ports lo..hi, which of them toesd's apps hold, and which are
 * booked: kept for the app that had them last (SPEC §4.1). */
struct ports {
	int lo, hi;
	unsigned char *used;    /* one bit per port, lo first */
	unsigned char *booked;  /* the same, for bookings */
	int keeps_bookings;     /* ports_keep_bookings was called */
	ports_takeover_fn taken_over;
};

/* An empty pool of lo..hi (1 <= lo <= hi <= 65535). Returns 0, or -1 with
 * errno EINVAL for a bad range or ENOMEM. */
int ports_init(struct ports *p, int lo, int hi);
void ports_free(struct ports *p);

/*
 * Take a port and mark it used: preferred (0 for none) when it lies in the
 * pool, is not used and not busy; else the lowest port neither used nor
 * busy (nor booked: see ports_keep_bookings). busy is asked only about
 * ports not used (NULL: nothing is busy), at most once per port; skipped
 * (may be NULL) hears of each busy one.
 * Returns the port, or 0 when none is left.
 */
int ports_take(struct ports *p, int preferred, ports_busy_fn busy,
	       ports_skip_fn skipped, void *ctx);

/* Give a port back (it stays booked); a port outside the pool is ignored. */
void ports_release(struct ports *p, int port);

/*
 * From now on, a port taken stays booked for its taker after it is given
 * back: ports_take gives the others a port nobody booked, and a booked
 * one only when no unbooked port is free (lowest first), telling
 * taken_over (with ports_take's ctx) of it before. A taker that gets
 * another port than its preferred one gives up the booking of the
 * preferred one (it was its own: callers pass the port they had last).
 */
void ports_keep_bookings(struct ports *p, ports_takeover_fn taken_over);
/* Book port (an app's port kept from before): 0, or -1 when it lies
 * outside the pool or is booked already. */
int ports_book(struct ports *p, int port);
/* The app that booked port is gone; outside the pool: ignored. */
void ports_unbook(struct ports *p, int port);
/* 1 when port is in the pool and booked. */
int ports_is_booked(const struct ports *p, int port);

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
