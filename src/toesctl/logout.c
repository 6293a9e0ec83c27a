/* logout: toesctl logs' standard output, buffered, every write checked. */
#include "toesctl/logout.h"

#include "base/width.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void out_init(struct log_out *o)
{
	struct stat st;
	o->len = 0;
	o->err = 0;
	o->prefix = 0;
	o->width = 0;
	o->watchable = fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	signal(SIGPIPE, SIG_IGN);
}

int out_flush(struct log_out *o)
{
	size_t done = 0;
	while (!o->err && done < o->len) {
		ssize_t w = write(STDOUT_FILENO, o->buf + done, o->len - done);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w < 0) {
			o->err = errno;
		} else {
			done += (size_t)w;
		}
	}
	o->len = 0;
	return o->err ? -1 : 0;
}

static void add(struct log_out *o, const char *p, size_t n)
{
	while (n && !o->err) {
		if (o->len == sizeof o->buf) {
			out_flush(o);
			continue;
		}
		size_t room = sizeof o->buf - o->len, k = n < room ? n : room;
		memcpy(o->buf + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
	}
}

static void pad(struct log_out *o, size_t columns)
{
	static const char spaces[] = "                                ";
	while (columns) {
		size_t k = columns < sizeof spaces - 1 ? columns : sizeof spaces - 1;
		add(o, spaces, k);
		columns -= k;
	}
}

void out_line(struct log_out *o, const char *name, const char *line, size_t len)
{
	if (o->prefix) {
		size_t w = width_text(name, strlen(name));
		add(o, name, strlen(name));
		pad(o, w < o->width ? o->width - w : 0);
		add(o, " | ", 3);
	}
	add(o, line, len);
	add(o, "\n", 1);
}

void out_fit_name(struct log_out *o, const char *name)
{
	size_t w = width_text(name, strlen(name));
	if (w > o->width) {
		o->width = w;
	}
}

int out_wait_gone(struct log_out *o, int ms)
{
	/* With no events asked, poll still reports POLLERR (a pipe whose
	 * reader is gone) and POLLHUP (a socket shut down). */
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };
	int r = poll(&p, o->watchable ? 1 : 0, ms);
	return r > 0 && (p.revents & (POLLERR | POLLHUP));
}

int out_exit_code(const struct log_out *o)
{
	if (o->err && o->err != EPIPE) {
		fprintf(stderr, "toesctl: cannot write to standard output: %s\n", strerror(o->err));
		return 1;
	}
	return 0;
}
