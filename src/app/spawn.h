/* spawn: start one app process in its own session, with stdin from
 * /dev/null, stdout and stderr to pipes, a clean signal state and no other
 * descriptor. An exec failure is told apart from a crash (status pipe).
 * The child shares toesd's memory until it execs (CLONE_VM|CLONE_VFORK,
 * as posix_spawn does), so a start costs the same whatever toesd holds. */
#ifndef TOES_SPAWN_H
#define TOES_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

struct spawn_req {
	const char *cwd;
	char *const *argv;         /* what runs: /bin/sh -c SCRIPT, mostly */
	char *const *envp;
	/* When set, exec'd first: the program (looked up in search_path,
	 * colon-separated, when it holds no '/') with these words; argv above
	 * runs only when that fails, so every failure is reported as argv's. */
	char *const *direct_argv;
	const char *search_path;
	/* set_ids: the child takes these groups, group and user before it
	 * changes folder and runs (toesd as root, SPEC §4.5). */
	int set_ids;
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t n_groups;
};

struct spawn_child {
	pid_t pid;      /* also the process group id (setsid) */
	int out_fd;     /* read ends, non-blocking, close-on-exec */
	int err_fd;
	int status_fd;  /* readable: EOF = exec succeeded; data = a failure */
};

/* Reserve the spawn slots (three low descriptors) so that a child copies
 * a handful of toesd's descriptors, not all; call before toesd opens many.
 * Without it every spawn still works, at a cost that grows with them. */
int spawn_init(void);
void spawn_fini(void);

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
