/* probe: connect → writable → SO_ERROR → send request → read status line,
 * each step re-armed under one deadline counted from the probe's start. */
#include "app/probe.h"

#include "base/safefile.h"
#include "parse/opts.h"

#include "base/version.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum probe_step { STEP_IDLE, STEP_CONNECT_V4, STEP_CONNECT_V6, STEP_SEND, STEP_READ };

static void finish(struct probe *p, enum probe_outcome outcome, int code)
{
	probe_cancel(p);
	p->done(p, outcome, code);
}

/* No answer, and why (err for WHY_OTHER). */
static void no_answer(struct probe *p, enum probe_why why, int err)
{
	p->why = (unsigned char)why;
	p->err = err;
	finish(p, PROBE_NO_ANSWER, 0);
}

/* The why of a failed connect, send or receive with errno err. */
static enum probe_why why_of(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return WHY_REFUSED;
	case ECONNRESET:
	case EPIPE:
		return WHY_RESET;
	default:
		return WHY_OTHER;
	}
}

const char *probe_path(const char *path)
{
	return path ? path : "/ok";
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

/* The path is the probe's own copy: the app's package.json may be read
 * again (a restart request) while a probe is in flight. */
static void set_path(struct probe *p, const char *path)
{
	if (p->path && path && strcmp(p->path, path) == 0) {
		return;
	}
	free(p->path);
	p->path = path ? strdup(path) : NULL;
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
static void fail_soon(struct probe *p, enum probe_why why, int err)
{
	p->why = (unsigned char)why;
	p->err = err;
	close_socket(p);
	loop_timer_arm(&p->deadline, loop_now());
}

/* Start connecting on one family; the result arrives as POLLOUT. */
static void connect_to(struct probe *p, int v6)
{
	close_socket(p);
	p->step = v6 ? STEP_CONNECT_V6 : STEP_CONNECT_V4;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && v6 && !safe_may_pass(errno)) {
		/* No IPv6 here (EAFNOSUPPORT): v4 refused is the answer. */
		fail_soon(p, WHY_REFUSED, errno);
		return;
	}
	if (fd < 0) {
		/* toesd's trouble (EMFILE, ENOBUFS), not the app's. */
		fail_soon(p, WHY_NO_SOCKET, errno);
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
		fail_soon(p, v6 ? WHY_REFUSED : why_of(errno), errno);
		return;
	}
	if (loop_watch(&p->w, fd, POLLOUT, on_socket) < 0) {
		fail_soon(p, WHY_NO_SOCKET, errno);
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
	if (err) {
		/* v4 refused and v6 failed too: the app listens nowhere. */
		no_answer(p, p->step == STEP_CONNECT_V6 ? WHY_REFUSED : why_of(err), err);
		return;
	}
	if (self_connected(p->w.fd)) {
		no_answer(p, WHY_SELF, 0);
		return;
	}
	p->step = STEP_SEND;
	p->sent = 0;
}

static void send_request(struct probe *p)
{
	char req[160 + 256];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: localhost:%d\r\n"
			 "User-Agent: toesd/" TOES_VERSION "\r\nConnection: close\r\n\r\n",
			 probe_path(p->path), p->port);
	if (n < 0 || (size_t)n >= sizeof req) {
		no_answer(p, WHY_OTHER, ENAMETOOLONG);
		return;
	}
	ssize_t w = send(p->w.fd, req + p->sent, (size_t)n - p->sent, MSG_NOSIGNAL);
	if (w < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			no_answer(p, why_of(errno), errno);
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
			no_answer(p, why_of(errno), errno);
		}
		return;
	}
	if (n == 0) {
		no_answer(p, WHY_NO_STATUS_LINE, 0);
		return;
	}
	switch (httpstatus_feed(&p->status, chunk, (size_t)n)) {
	case HTTPSTATUS_MORE:
		return;
	case HTTPSTATUS_BAD:
		no_answer(p, WHY_NO_STATUS_LINE, 0);
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
	if (p->why == WHY_NO_SOCKET) {
		finish(p, PROBE_NO_SOCKET, 0);
		return;
	}
	/* Failed at once (fail_soon said why), or the time ran out: while
	 * trying v6 after v4 was refused (a box whose ::1 drops packets),
	 * the answer is v4's. */
	enum probe_why why = p->why != WHY_NONE ? (enum probe_why)p->why
			     : p->step == STEP_CONNECT_V6 ? WHY_REFUSED : WHY_TIMEOUT;
	no_answer(p, why, p->err);
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
	free(p->path);
	p->path = NULL;
}

void probe_start(struct probe *p, int port, const char *path, int64_t timeout_ms, probe_fn done)
{
	probe_cancel(p);
	p->done = done;
	p->port = port;
	p->why = WHY_NONE;
	p->err = 0;
	p->timeout_ms = timeout_ms;
	set_path(p, path);
	p->started = loop_now();
	loop_timer_arm(&p->deadline, p->started + timeout_ms * MONO_MS);
	connect_to(p, 0);
}

void probe_describe(const struct probe *p, enum probe_outcome outcome, int code, char *out, size_t cap)
{
	char d[32];
	switch (outcome) {
	case PROBE_UP:
	case PROBE_STATUS:
		snprintf(out, cap, "%s returned %d", probe_path(p->path), code);
		return;
	case PROBE_NO_SOCKET:
		snprintf(out, cap, "no socket: %s", strerror(p->err));
		return;
	case PROBE_NO_ANSWER:
		break;
	}
	switch (p->why) {
	case WHY_REFUSED:
		snprintf(out, cap, "connection refused");
		return;
	case WHY_RESET:
		snprintf(out, cap, "connection reset");
		return;
	case WHY_TIMEOUT:
		opt_format_duration(d, sizeof d, p->timeout_ms);
		snprintf(out, cap, "timeout after %s", d);
		return;
	case WHY_NO_STATUS_LINE:
		snprintf(out, cap, "no HTTP status line");
		return;
	case WHY_SELF:
		snprintf(out, cap, "connected to itself (the port is in the ephemeral range)");
		return;
	default:
		snprintf(out, cap, "%s", p->err ? strerror(p->err) : "no answer");
		return;
	}
}
