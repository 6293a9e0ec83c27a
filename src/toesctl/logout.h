/* logout: the standard output of toesctl logs, buffered and checked. The
 * first failed write stops all later ones: a reader that went away (a
 * pipe to head) is EPIPE, which the caller ends quietly on. */
#ifndef TOES_CTL_LOGOUT_H
#define TOES_CTL_LOGOUT_H

#include <stddef.h>

#define LOG_OUT_BUF 65536

struct log_out {
	char buf[LOG_OUT_BUF];
	size_t len;
	int err;       /* errno of the first failed write, 0 none */
	int watchable; /* standard output is a pipe or socket: its reader's end can be polled */
	int prefix;    /* lines start with their app's name */
	size_t width;  /* the columns the names are padded to */
};

/* Set up for file descriptor 1; ignores SIGPIPE, so that a closed pipe
 * is an error to see rather than a signal that kills. */
void out_init(struct log_out *o);
/* One line, without its newline: "name | " first when o->prefix is set. */
void out_line(struct log_out *o, const char *name, const char *line, size_t len);
/* Widen the name column for name (apps found while following). */
void out_fit_name(struct log_out *o, const char *name);
/* Write what is buffered. 0, or -1 (o->err says why). */
int out_flush(struct log_out *o);
/* The exit code once output is done: 0, also when the reader went away
 * (EPIPE: nothing is said, as a pipe to head expects); 1 after saying
 * another failure. */
int out_exit_code(const struct log_out *o);
/* Sleep up to ms, waking early when the reader of a pipe on standard
 * output has gone. 1 gone, 0 not. */
int out_wait_gone(struct log_out *o, int ms);

#endif
