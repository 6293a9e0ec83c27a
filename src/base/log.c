/* log: toesd's own log lines, written without ever blocking the loop. */
#include "base/log.h"

#include "base/clock.h"
#include "base/escape.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES 2048
/* A line goes into a shared pipe in one write the kernel does not split. */
_Static_assert(LINE_MAX_BYTES <= PIPE_BUF, "a log line fits one pipe write");

/* How a line reaches the sink without blocking. */
enum sink_kind {
	SINK_UNKNOWN,  /* not looked at yet */
	SINK_FILE,     /* a regular file: a write never waits for a reader */
	SINK_OWN,      /* our own non-blocking open file description */
	SINK_SOCKET,   /* send() with MSG_DONTWAIT, per call */
	SINK_POLLED,   /* a shared pipe or terminal: poll first */
};

static int sink_fd = 2;
static enum sink_kind sink_kind = SINK_UNKNOWN;
static int sink_owned;  /* sink_fd is ours to close */

/* Bytes that wait for the sink, in order, and lines that did not fit. */
static char queue[LOG_QUEUE_MAX];
static size_t q_start, q_len;
static unsigned long lost_unreported, lost_total;
static struct loop_fd writable = { .fd = -1 };

static enum sink_kind kind_of(int fd, int own)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
		return SINK_FILE;
	}
	if (S_ISSOCK(st.st_mode)) {
		return SINK_SOCKET;
	}
	return own ? SINK_OWN : SINK_POLLED;
}

static void set_sink(int fd, int owned)
{
	if (writable.watched) {
		loop_unwatch(&writable);
	}
	if (sink_owned) {
		close(sink_fd);
	}
	sink_fd = fd;
	sink_owned = owned;
}

/* Standard error: a pipe or terminal opened anew through /proc is an
 * open file description of our own, so O_NONBLOCK harms nobody else. */
static void open_stderr(void)
{
	enum sink_kind k = kind_of(2, 0);
	if (k == SINK_POLLED) {
		int fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0) {
			set_sink(fd, 1);
			sink_kind = SINK_OWN;
			return;
		}
	}
	set_sink(2, 0);
	sink_kind = k;
}

int log_open(const char *path)
{
	if (!path) {
		open_stderr();
		return 0;
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
	if (fd < 0) {
		return -1;
	}
	set_sink(fd, 1);
	sink_kind = kind_of(fd, 1);
	return 0;
}

/* One attempt that cannot block: bytes written, or -1 (EAGAIN: later). */
static ssize_t sink_write(const char *p, size_t n)
{
	if (sink_kind == SINK_UNKNOWN) {
		open_stderr();
	}
	ssize_t w;
	do {
		if (sink_kind == SINK_SOCKET) {
			w = send(sink_fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		} else if (sink_kind == SINK_POLLED) {
			struct pollfd pfd = { .fd = sink_fd, .events = POLLOUT };
			if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLOUT)) {
				errno = EAGAIN;
				return -1;
			}
			w = write(sink_fd, p, n); /* a line or a chunk_of: at most PIPE_BUF */
		} else {
			w = write(sink_fd, p, n);
		}
	} while (w < 0 && errno == EINTR);
	if (w < 0 && errno == EWOULDBLOCK) {
		errno = EAGAIN;
	}
	return w;
}

static void on_writable(struct loop_fd *w, short revents);

static void watch_writable(void)
{
	if (!writable.watched && loop_watch(&writable, sink_fd, POLLOUT, on_writable) < 0) {
		/* Not pollable: the next line tries again. */
		writable.fd = -1;
	}
}

/* Put bytes behind what waits; the caller checked they fit. */
static void enqueue(const char *p, size_t n)
{
	if (q_start + q_len + n > sizeof queue) {
		memmove(queue, queue + q_start, q_len);
		q_start = 0;
	}
	memcpy(queue + q_start + q_len, p, n);
	q_len += n;
	watch_writable();
}

static void count_lost(unsigned long lines)
{
	lost_unreported += lines;
	lost_total += lines;
}

static unsigned long lines_in(const char *p, size_t n)
{
	unsigned long count = 0;
	for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
		count++;
	}
	return count;
}

/* How much of the queue one write takes: into a pipe or terminal shared
 * with other writers, whole lines of at most PIPE_BUF bytes (the kernel
 * writes those in one piece); into a file, all of it. */
static size_t chunk_of(const char *p, size_t n)
{
	if (sink_kind == SINK_FILE || n <= PIPE_BUF) {
		return n;
	}
	size_t k = PIPE_BUF;
	while (k > 0 && p[k - 1] != '\n') {
		k--;
	}
	if (k == 0) { /* a line longer than PIPE_BUF: to its end */
		const char *nl = memchr(p, '\n', n);
		k = nl ? (size_t)(nl - p) + 1 : n;
	}
	return k;
}

/* Write what waits, as far as the sink takes it. 1 once it is empty. */
static int flush_queue(void)
{
	while (q_len) {
		ssize_t w = sink_write(queue + q_start, chunk_of(queue + q_start, q_len));
		if (w < 0 && errno == EAGAIN) {
			watch_writable();
			return 0;
		}
		if (w <= 0) {
			/* The reader is gone or the disk full: what waits is lost. */
			count_lost(lines_in(queue + q_start, q_len));
			q_start = q_len = 0;
			break;
		}
		q_start += (size_t)w;
		q_len -= (size_t)w;
	}
	q_start = 0;
	return 1;
}

/* A line goes out at once when nothing waits, else behind the rest.
 * 0 when it was written or queued; -1 when it was not (the caller counts). */
static int put_line(const char *line, size_t n)
{
	if (!q_len) {
		ssize_t w = sink_write(line, n);
		if (w == (ssize_t)n) {
			return 0;
		}
		if (w < 0 && errno != EAGAIN) {
			return -1;
		}
		size_t done = w > 0 ? (size_t)w : 0;
		enqueue(line + done, n - done);
		return 0;
	}
	if (q_len + n > sizeof queue) {
		return -1;
	}
	enqueue(line, n);
	return 0;
}

/* n bytes of s at out + at, cut to cap; the new end. */
static size_t put_raw(char *out, size_t cap, size_t at, const char *s, size_t n)
{
	if (n > cap - 1 - at) {
		n = cap - 1 - at;
	}
	memcpy(out + at, s, n);
	return at + n;
}

/* The name and the text come from folder names and apps: escaped, so that
 * a newline cannot forge a line nor an ESC reach the terminal that shows
 * the log (base/escape). The line keeps its last byte for the newline. */
static size_t format_line(char *out, const char *stamp, const char *who,
			  const char *text, size_t len, const char *err)
{
	const size_t cap = LINE_MAX_BYTES - 1;
	who = who ? who : "toesd";
	size_t at = put_raw(out, cap, 0, "[", 1);
	at = put_raw(out, cap, at, stamp, strlen(stamp));
	at = put_raw(out, cap, at, "] [", 3);
	at += escape_to(out + at, cap - at, who, strlen(who));
	at = put_raw(out, cap, at, "] ", 2);
	at += escape_to(out + at, cap - at, text, len);
	if (err) {
		at = put_raw(out, cap, at, ": ", 2);
		at += escape_to(out + at, cap - at, err, strlen(err));
	}
	out[at++] = '\n';
	return at;
}

/* Before the next line: say how many were lost, once there is room. The
 * count is kept until the report itself is written or queued. */
static void report_lost(const char *stamp)
{
	if (!lost_unreported || q_len) {
		return;
	}
	char text[96], line[LINE_MAX_BYTES];
	int k = snprintf(text, sizeof text, "%lu lines of toesd's log lost", lost_unreported);
	if (put_line(line, format_line(line, stamp, NULL, text, (size_t)k, NULL)) == 0) {
		lost_unreported = 0;
	}
}

static void on_writable(struct loop_fd *w, short revents)
{
	if (flush_queue()) {
		loop_unwatch(&writable);
		char stamp[32];
		clock_format_iso(clock_wall_ms(), stamp);
		report_lost(stamp);
	}
}

static void emit(const char *stamp, const char *who, const char *text, size_t len, const char *err)
{
	char line[LINE_MAX_BYTES];
	if (q_len && !writable.watched) {
		flush_queue();
	}
	report_lost(stamp);
	if (put_line(line, format_line(line, stamp, who, text, len, err)) < 0) {
		count_lost(1);
	}
}

void log_stamped(const char *stamp, const char *who, const char *text, size_t len)
{
	emit(stamp, who, text, len, NULL);
}

static void log_va(const char *who, const char *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void log_va(const char *who, const char *err, const char *fmt, va_list ap)
{
	char text[LINE_MAX_BYTES], stamp[32];
	int n = vsnprintf(text, sizeof text, fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	clock_format_iso(clock_wall_ms(), stamp);
	emit(stamp, who, text, len, err);
}

void log_msg(const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_va(who, NULL, fmt, ap);
	va_end(ap);
}

void log_errno(const char *who, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	log_va(who, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void log_drain(int ms)
{
	monotime end = clock_mono() + ms * MONO_MS;
	while (q_len || lost_unreported) {
		monotime left = end - clock_mono();
		struct pollfd pfd = { .fd = sink_fd, .events = POLLOUT };
		if (left <= 0 || poll(&pfd, 1, (int)(left / MONO_MS) + 1) < 0) {
			break;
		}
		if (flush_queue()) {
			char stamp[32];
			clock_format_iso(clock_wall_ms(), stamp);
			report_lost(stamp);
			if (q_len == 0) {
				break;
			}
		}
	}
	if (writable.watched) {
		loop_unwatch(&writable);
	}
}

unsigned long log_lines_lost(void)
{
	return lost_total;
}
