/* spawn: fork and exec one app process in its own session, with stdin from
 * /dev/null, stdout and stderr to pipes, a clean signal state and no other
 * descriptor. An exec failure is told apart from a crash (status pipe). */
#ifndef TOES_SPAWN_H
#define TOES_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

struct spawn_req {
	const char *cwd;
	char *const *argv;
	char *const *envp;
};

struct spawn_child {
	pid_t pid;      /* also the process group id (setsid) */
	int out_fd;     /* read ends, non-blocking, close-on-exec */
	int err_fd;
	int status_fd;  /* readable: EOF = exec succeeded; data = a failure */
};

/* Returns 0, or -1 with a message in err (fork or pipe failure). */
int spawn_child(const struct spawn_req *req, struct spawn_child *child,
		char *err, size_t errcap);
/* Read the status pipe after the child ended (or became readable): fills
 * msg with "chdir DIR: reason" or "reason" and returns 1 when the child
 * could not exec, 0 when it did (or nothing is known). */
int spawn_read_failure(int status_fd, char *msg, size_t cap);
/* The soft descriptor limit children get back (toesd raises its own). */
void spawn_set_child_nofile(unsigned long soft);

#endif
