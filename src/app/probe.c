/* probe: connect → writable → SO_ERROR → send request → read status line,
 * each step re-armed under one deadline counted from the probe's start. */
#include "app/probe.h"

#include "base/version.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum probe_step { STEP_IDLE, STEP_CONNECT_V4, STEP_CONNECT_V6, STEP_SEND, STEP_READ };

static void finish(struct probe *p, enum probe_outcome outcome, int code)
{
	probe_cancel(p);
	p->done(p, outcome, code);
}

static void close_socket(struct probe *p)
{
	if (loop_watching(&p->w)) {
		loop_unwatch(&p->w);
	}
	if (p->w.fd >= 0) {
		close(p->w.fd);
		p->w.fd = -1;
	}
}

void probe_cancel(struct probe *p)
{
	close_socket(p);
	loop_timer_cancel(&p->deadline);
	p->step = STEP_IDLE;
}

int probe_busy(const struct probe *p)
{
	return p->step != STEP_IDLE;
}

static socklen_t fill_addr(struct sockaddr_storage *ss, int v6, int port)
{
	memset(ss, 0, sizeof *ss);
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		a->sin6_addr = in6addr_loopback;
		return sizeof *a;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof *a;
}

static void on_socket(struct loop_fd *w, short revents);
static void on_deadline(struct loop_timer *t);

/* Fail from the loop, never from inside probe_start: the caller's state
 * must not change under it. */
static void fail_soon(struct probe *p)
{
	close_socket(p);
	loop_timer_arm(&p->deadline, loop_now());
}

/* Start connecting on one family; the result arrives as POLLOUT. */
static void connect_to(struct probe *p, int v6)
{
	close_socket(p);
	p->step = v6 ? STEP_CONNECT_V6 : STEP_CONNECT_V4;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		/* toesd's trouble (EMFILE, ENOBUFS), not the app's. */
		p->no_socket = errno;
		fail_soon(p);
		return;
	}
	struct sockaddr_storage ss;
	socklen_t len = fill_addr(&ss, v6, p->port);
	int r = connect(fd, (struct sockaddr *)&ss, len);
	p->w.fd = fd;
	if (r < 0 && errno != EINPROGRESS) {
		if (errno == ECONNREFUSED && !v6) {
			connect_to(p, 1);
			return;
		}
		fail_soon(p);
		return;
	}
	if (loop_watch(&p->w, fd, POLLOUT, on_socket) < 0) {
		p->no_socket = errno;
		fail_soon(p);
	}
}

/* A socket connected to itself (simultaneous open on an ephemeral port). */
static int self_connected(int fd)
{
	struct sockaddr_storage a, b;
	socklen_t la = sizeof a, lb = sizeof b;
	if (getsockname(fd, (struct sockaddr *)&a, &la) < 0 ||
	    getpeername(fd, (struct sockaddr *)&b, &lb) < 0) {
		return 1;
	}
	return la == lb && memcmp(&a, &b, la) == 0;
}

static void on_connected(struct probe *p)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(p->w.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		err = errno;
	}
	if (err == ECONNREFUSED && p->step == STEP_CONNECT_V4) {
		connect_to(p, 1);
		return;
	}
	if (err || self_connected(p->w.fd)) {
		finish(p, PROBE_NO_ANSWER, 0);
		return;
	}
	p->step = STEP_SEND;
	p->sent = 0;
}

static void send_request(struct probe *p)
{
	char req[160];
	int n = snprintf(req, sizeof req,
			 "GET /ok HTTP/1.1\r\nHost: localhost:%d\r\n"
			 "User-Agent: toesd/" TOES_VERSION "\r\nConnection: close\r\n\r\n",
			 p->port);
	ssize_t w = send(p->w.fd, req + p->sent, (size_t)n - p->sent, MSG_NOSIGNAL);
	if (w < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			finish(p, PROBE_NO_ANSWER, 0);
		}
		return;
	}
	p->sent = (unsigned short)(p->sent + (size_t)w);
	if (p->sent == (size_t)n) {
		p->step = STEP_READ;
		httpstatus_init(&p->status);
		loop_set_events(&p->w, POLLIN);
	}
}

static void read_status(struct probe *p)
{
	char chunk[512];
	ssize_t n = recv(p->w.fd, chunk, sizeof chunk, 0);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			finish(p, PROBE_NO_ANSWER, 0);
		}
		return;
	}
	if (n == 0) {
		finish(p, PROBE_NO_ANSWER, 0);
		return;
	}
	switch (httpstatus_feed(&p->status, chunk, (size_t)n)) {
	case HTTPSTATUS_MORE:
		return;
	case HTTPSTATUS_BAD:
		finish(p, PROBE_NO_ANSWER, 0);
		return;
	case HTTPSTATUS_DONE:
		break;
	}
	int code = p->status.code;
	finish(p, code >= 200 && code < 400 ? PROBE_UP : PROBE_STATUS, code);
}

static void on_socket(struct loop_fd *w, short revents)
{
	struct probe *p = container_of(w, struct probe, w);
	if (p->step == STEP_CONNECT_V4 || p->step == STEP_CONNECT_V6) {
		on_connected(p);
		if (p->step != STEP_SEND) {
			return;
		}
	}
	if (p->step == STEP_SEND) {
		send_request(p);
		return;
	}
	if (p->step == STEP_READ) {
		read_status(p);
	}
}

static void on_deadline(struct loop_timer *t)
{
	struct probe *p = container_of(t, struct probe, deadline);
	finish(p, p->no_socket ? PROBE_NO_SOCKET : PROBE_NO_ANSWER, 0);
}

int probe_init(struct probe *p)
{
	memset(p, 0, sizeof *p);
	p->w.fd = -1;
	return loop_timer_init(&p->deadline, on_deadline);
}

void probe_fini(struct probe *p)
{
	probe_cancel(p);
	loop_timer_fini(&p->deadline);
}

void probe_start(struct probe *p, int port, int64_t timeout_ms, probe_fn done)
{
	probe_cancel(p);
	p->done = done;
	p->port = port;
	p->no_socket = 0;
	p->started = loop_now();
	loop_timer_arm(&p->deadline, p->started + timeout_ms * MONO_MS);
	connect_to(p, 0);
}
