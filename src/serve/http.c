/* http: the listener, the connections and their limits, the answers. */
#include "serve/http.h"

#include "base/buf.h"
#include "base/log.h"
#include "base/loop.h"
#include "serve/httpconn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 64
#define HEAD_TIMEOUT_MS 5000   /* a request head, or the next one on a kept connection */
#define WRITE_TIMEOUT_MS 10000 /* an answer not taken by then: closed */
#define ACCEPT_PAUSE_MS 1000

enum conn_step { STEP_HEAD, STEP_ANSWER, STEP_STREAM };

struct http_conn {
	struct loop_fd w;
	struct loop_timer deadline;
	enum conn_step step;
	int keep_alive, head_only, minor;
	struct buf in, out;
	size_t sent;
	size_t stream_extra;   /* the snapshot's bytes, allowed on top of the limit */
	struct http_conn *prev, *next;
};

static struct loop_fd listener;
static struct loop_timer accept_pause;
static struct http_conn *conns;
static unsigned n_conns;
static int opened;

/* --- the listen address --- */

/* A port: 1 to 65535, digits only. */
static int parse_port(const char *s, int *port)
{
	size_t n = strlen(s);
	if (n == 0 || n > 5 || strspn(s, "0123456789") != n) {
		return -1;
	}
	long p = strtol(s, NULL, 10);
	if (p < 1 || p > 65535) {
		return -1;
	}
	*port = (int)p;
	return 0;
}

int http_parse_listen(const char *spec, char *addr, size_t cap, int *port, char *why, size_t why_cap)
{
	static const char form[] = "expected [ADDR:]PORT with a port from 1 to 65535, e.g. 127.0.0.1:3000 or [::1]:3000";
	const char *a = NULL, *num = spec;
	size_t alen = 0;
	if (spec[0] == '[') {
		/* [IPv6]:PORT */
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':') {
			snprintf(why, why_cap, "%s", form);
			return -1;
		}
		a = spec + 1;
		alen = (size_t)(close - a);
		num = close + 2;
	} else if (strchr(spec, ':')) {
		/* IPv4:PORT (an IPv6 address needs its brackets) */
		const char *colon = strchr(spec, ':');
		if (strchr(colon + 1, ':')) {
			snprintf(why, why_cap, "an IPv6 address goes in brackets: [::1]:3000");
			return -1;
		}
		a = spec;
		alen = (size_t)(colon - spec);
		num = colon + 1;
	}
	if (parse_port(num, port) < 0) {
		snprintf(why, why_cap, "%s", form);
		return -1;
	}
	if (!a) {
		a = "127.0.0.1";
		alen = 9;
	}
	if (alen == 0 || alen >= cap) {
		snprintf(why, why_cap, "%s", form);
		return -1;
	}
	memcpy(addr, a, alen);
	addr[alen] = '\0';
	unsigned char bin[16];
	int v6 = spec[0] == '[';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin) != 1) {
		snprintf(why, why_cap, "'%s' is not an %s address", addr, v6 ? "IPv6" : "IPv4");
		return -1;
	}
	return 0;
}

/* --- connections --- */

static void conn_close(struct http_conn *c)
{
	if (c->step == STEP_STREAM) {
		events_remove(c);
	}
	if (c->prev) {
		c->prev->next = c->next;
	} else {
		conns = c->next;
	}
	if (c->next) {
		c->next->prev = c->prev;
	}
	n_conns--;
	loop_unwatch(&c->w);
	loop_timer_fini(&c->deadline);
	close(c->w.fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

/* Send what is waiting; the step after it is the caller's. -1 when c
 * was closed. */
static int flush_out(struct http_conn *c);

void http_respond(struct http_conn *c, int status, const char *type, const char *body, size_t n)
{
	buf_printf(&c->out, "HTTP/1.%d %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		   "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n%s%s\r\n",
		   c->minor, status, reason(status), type, n, status == 405 ? "Allow: GET, HEAD\r\n" : "",
		   c->keep_alive ? (c->minor == 0 ? "Connection: keep-alive\r\n" : "") : "Connection: close\r\n");
	if (!c->head_only) {
		buf_add(&c->out, body, n);
	}
	c->step = STEP_ANSWER;
	loop_timer_arm(&c->deadline, loop_after_ms(WRITE_TIMEOUT_MS));
	flush_out(c);
}

void http_start_stream(struct http_conn *c)
{
	/* No length: the stream ends when the connection does. */
	buf_printf(&c->out, "HTTP/1.%d 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
		   "X-Content-Type-Options: nosniff\r\n\r\n", c->minor);
	if (c->head_only) {
		c->keep_alive = 0;
		c->step = STEP_ANSWER;
		loop_timer_arm(&c->deadline, loop_after_ms(WRITE_TIMEOUT_MS));
		flush_out(c);
		return;
	}
	c->step = STEP_STREAM;
	loop_timer_cancel(&c->deadline);
	/* The snapshot of every app may be larger than what a stream may
	 * keep waiting: it is allowed on top, once. */
	c->stream_extra = events_snapshot_size();
	events_add(c); /* may close c: nothing after */
}

int http_stream_write(struct http_conn *c, const char *p, size_t n)
{
	if (c->out.len - c->sent + n > HTTP_STREAM_MAX + c->stream_extra) {
		/* It does not read: its place goes to someone who does. */
		conn_close(c);
		return -1;
	}
	buf_add(&c->out, p, n);
	return flush_out(c);
}

/* The answer is out: the next request on a kept connection (1), or the
 * end (0: c is gone). */
static int answer_done(struct http_conn *c)
{
	buf_reset(&c->out);
	c->sent = 0;
	if (!c->keep_alive) {
		conn_close(c);
		return 0;
	}
	c->step = STEP_HEAD;
	loop_set_events(&c->w, POLLIN);
	loop_timer_arm(&c->deadline, loop_after_ms(HEAD_TIMEOUT_MS));
	return 1;
}

static void handle_head(struct http_conn *c);

/* A stream's buffer keeps only what waits: sent bytes go once they are
 * many (a reader that keeps pace never lets it drain to empty). */
static void compact(struct http_conn *c)
{
	if (c->sent >= HTTP_STREAM_MAX / 2) {
		memmove(c->out.data, c->out.data + c->sent, c->out.len - c->sent);
		c->out.len -= c->sent;
		c->sent = 0;
		c->out.data[c->out.len] = '\0';
	}
}

static int flush_out(struct http_conn *c)
{
	while (c->sent < c->out.len) {
		ssize_t n = send(c->w.fd, c->out.data + c->sent, c->out.len - c->sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			if (c->step == STEP_STREAM) {
				compact(c);
			}
			loop_set_events(&c->w, POLLOUT);
			return 0;
		}
		if (n < 0) {
			conn_close(c);
			return -1;
		}
		c->sent += (size_t)n;
	}
	if (c->step == STEP_STREAM) {
		/* All sent: a quiet stream holds no buffer (its snapshot was
		 * as big as every app's JSON). */
		buf_free(&c->out);
		c->sent = 0;
		c->stream_extra = 0; /* the snapshot is out */
		loop_set_events(&c->w, POLLIN); /* to see it leave */
		return 0;
	}
	if (c->step == STEP_ANSWER) {
		if (!answer_done(c)) {
			return -1;
		}
		if (c->in.len) {
			/* A pipelined request was read already. */
			handle_head(c);
		}
	}
	return 0;
}

/* An error answer ends the connection. */
static void respond_error(struct http_conn *c, int status, const char *text)
{
	c->keep_alive = 0;
	http_respond(c, status, "text/plain; charset=utf-8", text, strlen(text));
}

static void handle_head(struct http_conn *c)
{
	struct httphead h;
	enum httphead_result r = httphead_parse(c->in.data ? c->in.data : "", c->in.len, HTTPHEAD_MAX, &h);
	switch (r) {
	case HEAD_INCOMPLETE:
		return;
	case HEAD_TOO_LARGE:
		c->minor = 1;
		respond_error(c, 431, "request head too large (at most 8 KiB)\n");
		return;
	case HEAD_BAD:
		c->minor = 1;
		respond_error(c, 400, "bad request\n");
		return;
	case HEAD_BAD_VERSION:
		c->minor = 1;
		respond_error(c, 505, "HTTP/1.0 or HTTP/1.1 only\n");
		return;
	case HEAD_DONE:
		break;
	}
	/* The bytes of this head go; a next one may follow. */
	memmove(c->in.data, c->in.data + h.length, c->in.len - h.length);
	c->in.len -= h.length;
	c->in.data[c->in.len] = '\0';
	c->minor = h.minor;
	c->keep_alive = h.keep_alive;
	c->head_only = strcmp(h.method, "HEAD") == 0;
	if (!c->head_only && strcmp(h.method, "GET") != 0) {
		respond_error(c, 405, "GET and HEAD only\n");
		return;
	}
	loop_set_events(&c->w, 0);
	http_route(c, &h, c->head_only);
}

static void conn_read(struct http_conn *c)
{
	char chunk[4096];
	ssize_t n = read(c->w.fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n <= 0) {
		conn_close(c);
		return;
	}
	if (c->step != STEP_HEAD) {
		return; /* a stream's client has nothing to say: dropped */
	}
	/* Bounded: past the head's limit the parse says so. */
	size_t room = HTTPHEAD_MAX + sizeof chunk - (c->in.len < HTTPHEAD_MAX ? c->in.len : HTTPHEAD_MAX);
	buf_add(&c->in, chunk, (size_t)n < room ? (size_t)n : room);
	if (c->in.failed) {
		conn_close(c);
		return;
	}
	handle_head(c);
}

static void on_conn(struct loop_fd *w, short revents)
{
	struct http_conn *c = container_of(w, struct http_conn, w);
	if (revents & POLLOUT) {
		flush_out(c);
	} else if (revents & (POLLIN | POLLHUP | POLLERR)) {
		conn_read(c);
	}
}

static void on_deadline(struct loop_timer *t)
{
	struct http_conn *c = container_of(t, struct http_conn, deadline);
	if (c->step == STEP_HEAD && c->in.len == 0) {
		conn_close(c); /* a kept connection gone quiet */
	} else if (c->step == STEP_HEAD) {
		c->minor = 1;
		respond_error(c, 408, "no complete request head within 5 s\n");
	} else {
		conn_close(c);
	}
}

/* --- accepting --- */

static void turn_away(int fd)
{
	static const char body[] = "busy: 64 connections are open; later\n";
	char head[256];
	int n = snprintf(head, sizeof head, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; "
			 "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\nRetry-After: 1\r\n\r\n%s",
			 sizeof body - 1, body);
	if (send(fd, head, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* Closed either way. */
	}
	close(fd);
}

static void conn_new(int fd)
{
	struct http_conn *c = calloc(1, sizeof *c);
	if (!c || loop_timer_init(&c->deadline, on_deadline) < 0) {
		free(c);
		close(fd);
		return;
	}
	if (loop_watch(&c->w, fd, POLLIN, on_conn) < 0) {
		loop_timer_fini(&c->deadline);
		free(c);
		close(fd);
		return;
	}
	c->step = STEP_HEAD;
	c->minor = 1;
	c->next = conns;
	if (conns) {
		conns->prev = c;
	}
	conns = c;
	n_conns++;
	loop_timer_arm(&c->deadline, loop_after_ms(HEAD_TIMEOUT_MS));
}

static void on_accept_pause(struct loop_timer *t)
{
	loop_set_events(&listener, POLLIN);
}

static void on_listener(struct loop_fd *w, short revents)
{
	for (int i = 0; i < 16; i++) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			if (n_conns >= MAX_CONNS) {
				turn_away(fd);
			} else {
				conn_new(fd);
			}
			continue;
		}
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_errno(NULL, "cannot accept an HTTP connection; accepting again in 1 s");
			loop_set_events(&listener, 0);
			loop_timer_arm(&accept_pause, loop_after_ms(ACCEPT_PAUSE_MS));
		}
		return;
	}
}

/* --- set-up --- */

static int is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static int bind_listener(const char *addr, int port, char *why, size_t cap)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t len;
	struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)&ss;
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		len = sizeof *in4;
	} else {
		inet_pton(AF_INET6, addr, &in6->sin6_addr);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof *in6;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, MAX_CONNS) < 0) {
		snprintf(why, cap, "cannot listen on %s port %d: %s", addr, port, strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	return fd;
}

static int listen_fd = -1;
static char listen_addr[64];
static int listen_port;

int http_open(const char *spec, char *why, size_t cap)
{
	if (http_parse_listen(spec, listen_addr, sizeof listen_addr, &listen_port, why, cap) < 0) {
		return -1;
	}
	listen_fd = bind_listener(listen_addr, listen_port, why, cap);
	return listen_fd < 0 ? -1 : 0;
}

int http_start(void)
{
	if (listen_fd < 0) {
		return 0;
	}
	if (loop_timer_init(&accept_pause, on_accept_pause) < 0 || events_init() < 0 ||
	    loop_watch(&listener, listen_fd, POLLIN, on_listener) < 0) {
		return -1;
	}
	opened = 1;
	const char *addr = listen_addr;
	if (!is_loopback(addr)) {
		log_msg(NULL, "warning: the HTTP endpoint listens on %s port %d, beyond loopback: app names, "
			"states and log lines are visible to whoever can reach it", addr, listen_port);
	}
	log_msg(NULL, "HTTP endpoint at http://%s%s%s:%d/", strchr(addr, ':') ? "[" : "", addr,
		strchr(addr, ':') ? "]" : "", listen_port);
	return 0;
}

void http_close(void)
{
	if (!opened) {
		if (listen_fd >= 0) {
			close(listen_fd);
			listen_fd = -1;
		}
		return;
	}
	while (conns) {
		conn_close(conns);
	}
	loop_unwatch(&listener);
	close(listener.fd);
	listen_fd = -1;
	loop_timer_fini(&accept_pause);
	events_fini();
	opened = 0;
}
