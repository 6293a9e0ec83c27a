/* output: app pipes to log lines; a turn reads a bounded amount. */
#include "app/output.h"

#include "app/applog.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

static void emit_stdout(void *ctx, const char *line, size_t len)
{
	if (!lines_is_health_echo(line, len)) {
		app_output_line(ctx, LOG_STDOUT, line, len);
	}
}

static void emit_stderr(void *ctx, const char *line, size_t len)
{
	if (!lines_is_health_echo(line, len)) {
		app_output_line(ctx, LOG_STDERR, line, len);
	}
}

static void close_pipe(struct loop_fd *w)
{
	loop_unwatch(w);
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}

/* Read what the pipe has now: -1 at EOF or error, 0 when it is empty for
 * now, 1 when it may have more (a turn is bounded so others get theirs). */
static int read_pipe(struct app *a, struct loop_fd *w)
{
	static char chunk[65536];
	int is_out = w == &a->out_w;
	struct lines *l = is_out ? &a->out_lines : &a->err_lines;
	lines_emit_fn emit = is_out ? emit_stdout : emit_stderr;
	for (int round = 0; round < 16; round++) {
		ssize_t n = read(w->fd, chunk, sizeof chunk);
		if (n > 0) {
			lines_feed(l, chunk, (size_t)n, emit, a);
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
	return 1;
}

static void on_pipe(struct app *a, struct loop_fd *w)
{
	if (read_pipe(a, w) < 0) {
		/* EOF: the writers are gone. Partial lines wait for the exit. */
		close_pipe(w);
	}
}

static void on_stdout(struct loop_fd *w, short revents)
{
	on_pipe(container_of(w, struct app, out_w), w);
}

static void on_stderr(struct loop_fd *w, short revents)
{
	on_pipe(container_of(w, struct app, err_w), w);
}

void app_watch_output(struct app *a, int out_fd, int err_fd)
{
	if (loop_watch(&a->out_w, out_fd, POLLIN, on_stdout) < 0) {
		close(out_fd);
		a->out_w.fd = -1;
	}
	if (loop_watch(&a->err_w, err_fd, POLLIN, on_stderr) < 0) {
		close(err_fd);
		a->err_w.fd = -1;
	}
}

static void drain_one(struct app *a, struct loop_fd *w, struct lines *l, lines_emit_fn emit)
{
	if (w->fd >= 0) {
		/* Bounded: a grandchild that escaped may keep writing forever. */
		for (int i = 0; i < 64 && read_pipe(a, w) > 0; i++) {
		}
		close_pipe(w);
	}
	lines_flush(l, emit, a);
	lines_free(l);
}

void app_drain_output(struct app *a)
{
	drain_one(a, &a->out_w, &a->out_lines, emit_stdout);
	drain_one(a, &a->err_w, &a->err_lines, emit_stderr);
}
