/* ports: the port pool as a bitmap, and the parser of /proc/net/tcp{,6}. */
#include "app/ports.h"

#include "app/tcpdiag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TCP_LISTEN 0x0A

int ports_init(struct ports *p, int lo, int hi)
{
	p->lo = p->hi = 0;
	p->used = p->booked = NULL;
	p->keeps_bookings = 0;
	p->taken_over = NULL;
	if (lo < 1 || hi > 65535 || lo > hi) {
		errno = EINVAL;
		return -1;
	}
	size_t bytes = (size_t)(hi - lo) / 8 + 1;
	p->used = calloc(bytes, 1);
	p->booked = calloc(bytes, 1);
	if (!p->used || !p->booked) {
		ports_free(p);
		errno = ENOMEM;
		return -1;
	}
	p->lo = lo;
	p->hi = hi;
	return 0;
}

void ports_free(struct ports *p)
{
	free(p->used);
	free(p->booked);
	p->used = p->booked = NULL;
	p->lo = p->hi = 0;
}

static int in_pool(const struct ports *p, int port)
{
	return p->used && port >= p->lo && port <= p->hi;
}

static void set_bit(unsigned char *bits, int i, int on)
{
	unsigned char bit = (unsigned char)(1u << (i % 8));
	if (on) {
		bits[i / 8] |= bit;
	} else {
		bits[i / 8] &= (unsigned char)~bit;
	}
}

static int get_bit(const unsigned char *bits, int i)
{
	return (bits[i / 8] >> (i % 8)) & 1;
}

int ports_is_used(const struct ports *p, int port)
{
	return in_pool(p, port) && get_bit(p->used, port - p->lo);
}

int ports_is_booked(const struct ports *p, int port)
{
	return in_pool(p, port) && get_bit(p->booked, port - p->lo);
}

void ports_release(struct ports *p, int port)
{
	if (in_pool(p, port)) {
		set_bit(p->used, port - p->lo, 0);
	}
}

void ports_keep_bookings(struct ports *p, ports_takeover_fn taken_over)
{
	p->keeps_bookings = 1;
	p->taken_over = taken_over;
}

int ports_book(struct ports *p, int port)
{
	if (!in_pool(p, port) || ports_is_booked(p, port)) {
		return -1;
	}
	set_bit(p->booked, port - p->lo, 1);
	return 0;
}

void ports_unbook(struct ports *p, int port)
{
	if (in_pool(p, port)) {
		set_bit(p->booked, port - p->lo, 0);
	}
}

/* 1 when port is free of toesd's apps and of foreign listeners; a busy
 * port is reported to skipped. */
static int is_free(struct ports *p, int port, ports_busy_fn busy,
		   ports_skip_fn skipped, void *ctx)
{
	if (ports_is_used(p, port)) {
		return 0;
	}
	if (busy && busy(ctx, port)) {
		if (skipped) {
			skipped(ctx, port);
		}
		return 0;
	}
	return 1;
}

/* The lowest free port other than skip that is booked (booked 1) or not
 * (booked 0): two passes that never ask about the same port twice. */
static int lowest_free(struct ports *p, int skip, int booked, ports_busy_fn busy,
		       ports_skip_fn skipped, void *ctx)
{
	for (int port = p->lo; port <= p->hi; port++) {
		if (port != skip && ports_is_booked(p, port) == booked &&
		    is_free(p, port, busy, skipped, ctx)) {
			return port;
		}
	}
	return 0;
}

static void claim(struct ports *p, int port)
{
	set_bit(p->used, port - p->lo, 1);
	if (p->keeps_bookings) {
		set_bit(p->booked, port - p->lo, 1);
	}
}

int ports_take(struct ports *p, int preferred, ports_busy_fn busy,
	       ports_skip_fn skipped, void *ctx)
{
	int asked = 0;
	if (!p->used) {
		return 0;
	}
	if (preferred != 0 && in_pool(p, preferred)) {
		if (is_free(p, preferred, busy, skipped, ctx)) {
			claim(p, preferred);
			return preferred;
		}
		asked = preferred;
	}
	int port = lowest_free(p, asked, 0, busy, skipped, ctx);
	if (!port && p->keeps_bookings) {
		/* Every free port is kept for another app: take the lowest over. */
		port = lowest_free(p, asked, 1, busy, skipped, ctx);
		if (port && p->taken_over) {
			p->taken_over(ctx, port);
		}
	}
	if (!port) {
		return 0; /* the caller keeps its booking while it waits */
	}
	if (asked && !ports_is_used(p, asked)) {
		ports_unbook(p, asked); /* the taker's booking moves with it */
	}
	claim(p, port);
	return port;
}

/* Hex digits at s[*i..n) into *v (wrapping for long ones); how many. */
static size_t take_hex(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t start = *i;
	uint64_t x = 0;
	for (; *i < n; (*i)++) {
		char c = s[*i];
		unsigned d;
		if (c >= '0' && c <= '9') {
			d = (unsigned)(c - '0');
		} else if (c >= 'A' && c <= 'F') {
			d = (unsigned)(c - 'A' + 10);
		} else if (c >= 'a' && c <= 'f') {
			d = (unsigned)(c - 'a' + 10);
		} else {
			break;
		}
		x = x * 16 + d;
	}
	*v = x;
	return *i - start;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ') {
		i++;
	}
	return i;
}

/* "ADDR:PORT" at s[*i..n), ADDR being 8 or 32 hex digits, then a space. */
static int take_endpoint(const char *s, size_t n, size_t *i, uint64_t *port)
{
	uint64_t addr;
	size_t digits = take_hex(s, n, i, &addr);
	if ((digits != 8 && digits != 32) || *i >= n || s[*i] != ':') {
		return -1;
	}
	(*i)++;
	if (take_hex(s, n, i, port) != 4 || *i >= n || s[*i] != ' ') {
		return -1;
	}
	return 0;
}

/*
 * One line, "   0: 0100007F:0BB9 00000000:0000 0A ...": the slot number,
 * the local and remote endpoints, the state. Returns the local port when
 * the socket listens, else 0.
 */
static int listening_port(const char *s, size_t n)
{
	size_t i = skip_spaces(s, n, 0);
	uint64_t slot, local, remote, state;
	if (take_hex(s, n, &i, &slot) == 0 || i >= n || s[i] != ':') {
		return 0;
	}
	i = skip_spaces(s, n, i + 1);
	if (take_endpoint(s, n, &i, &local) < 0) {
		return 0;
	}
	i = skip_spaces(s, n, i);
	if (take_endpoint(s, n, &i, &remote) < 0) {
		return 0;
	}
	i = skip_spaces(s, n, i);
	if (take_hex(s, n, &i, &state) != 2 || (i < n && s[i] != ' ')) {
		return 0;
	}
	return state == TCP_LISTEN ? (int)local : 0;
}

int ports_parse_proc_net(const char *text, size_t len, ports_listener_fn fn, void *ctx)
{
	int found = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		int port = listening_port(s, n);
		if (port > 0) {
			found++;
			if (fn) {
				fn(ctx, port);
			}
		}
	}
	return found;
}

/* The length of buf[0..len) up to its last '\n'; all of it when full and
 * there is none (no real line is that long). */
static size_t complete_part(const char *buf, size_t len, size_t cap)
{
	size_t n = len;
	while (n > 0 && buf[n - 1] != '\n') {
		n--;
	}
	return n == 0 && len == cap ? len : n;
}

/* Parse one /proc file a buffer at a time; a missing file has no lines. */
static int scan_file(const char *path, ports_listener_fn fn, void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	char buf[4096];
	size_t len = 0;
	int found = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof buf - len);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		len += (size_t)r;
		size_t done = complete_part(buf, len, sizeof buf);
		found += ports_parse_proc_net(buf, done, fn, ctx);
		memmove(buf, buf + done, len - done);
		len -= done;
	}
	found += ports_parse_proc_net(buf, len, fn, ctx);
	close(fd);
	return found;
}

/* The listeners on port (0: all) through sock_diag, else /proc. */
static int scan_listeners(int port, ports_listener_fn fn, void *ctx)
{
	int saved = errno;
	int found = tcpdiag_listeners(port, fn, ctx);
	if (found >= 0) {
		return found;
	}
	/* No sock_diag in this kernel: the slower /proc files. */
	found = scan_file("/proc/net/tcp", fn, ctx);
	found += scan_file("/proc/net/tcp6", fn, ctx);
	errno = saved;
	return found;
}

int ports_scan_listeners(ports_listener_fn fn, void *ctx)
{
	return scan_listeners(0, fn, ctx);
}

/* The question ports_listening asks of each listener. */
struct port_query {
	int port;
	int found;
};

static void match_port(void *ctx, int port)
{
	struct port_query *q = ctx;
	if (port == q->port) {
		q->found = 1;
	}
}

int ports_listening(int port)
{
	struct port_query q = { port, 0 };
	scan_listeners(port, match_port, &q);
	return q.found;
}
