/* spawn: fork/exec of one app process, exec failure reported through a
 * close-on-exec pipe (EOF means the exec worked). */
#include "app/spawn.h"

#include "base/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What the child writes on the status pipe when it cannot go on. */
struct spawn_failure {
	int stage;  /* 0: exec, 1: chdir, 2: set-up */
	int err;
};

static struct rlimit child_nofile;
static int child_nofile_set;

void spawn_set_child_nofile(unsigned long soft)
{
	getrlimit(RLIMIT_NOFILE, &child_nofile);
	child_nofile.rlim_cur = soft;
	child_nofile_set = 1;
}

/* Mark every inherited descriptor above 2 close-on-exec: close_range where
 * the kernel has it, else one by one up to the limit. */
static void cloexec_everything(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
		return;
	}
#endif
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536) {
		max = 65536;
	}
	for (int fd = 3; fd < max; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags >= 0) {
			fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
		}
	}
}

static void child_fail(int status_fd, int stage)
{
	struct spawn_failure f = { stage, errno };
	ssize_t w = write(status_fd, &f, sizeof f);
	(void)w;
	_exit(127);
}

/* In the child: never returns. */
static void child_main(const struct spawn_req *req, int out_w, int err_w, int status_w)
{
	sig_reset_for_child();
	if (setsid() < 0) {
		child_fail(status_w, 2);
	}
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) {
		child_fail(status_w, 2);
	}
	/* The pipes were made non-blocking for toesd's ends; the app's ends
	 * (other open file descriptions) block as a program expects. */
	if (fcntl(1, F_SETFL, 0) < 0 || fcntl(2, F_SETFL, 0) < 0) {
		child_fail(status_w, 2);
	}
	if (child_nofile_set) {
		setrlimit(RLIMIT_NOFILE, &child_nofile);
	}
	cloexec_everything();
	if (chdir(req->cwd) < 0) {
		child_fail(status_w, 1);
	}
	execve(req->argv[0], req->argv, req->envp);
	child_fail(status_w, 0);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0) {
		close(p[0]);
	}
	if (p[1] >= 0) {
		close(p[1]);
	}
}

int spawn_child(const struct spawn_req *req, struct spawn_child *child,
		char *err, size_t errcap)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, st[2] = { -1, -1 };
	if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(st, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, errcap, "cannot create pipe: %s", strerror(errno));
		close_pair(out);
		close_pair(errp);
		close_pair(st);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errcap, "cannot fork: %s", strerror(errno));
		close_pair(out);
		close_pair(errp);
		close_pair(st);
		return -1;
	}
	if (pid == 0) {
		child_main(req, out[1], errp[1], st[1]);
	}
	close(out[1]);
	close(errp[1]);
	close(st[1]);
	child->pid = pid;
	child->out_fd = out[0];
	child->err_fd = errp[0];
	child->status_fd = st[0];
	return 0;
}

int spawn_read_failure(int status_fd, char *msg, size_t cap)
{
	struct spawn_failure f;
	ssize_t n;
	do {
		n = read(status_fd, &f, sizeof f);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof f) {
		return 0;
	}
	const char *what = f.stage == 1 ? "chdir: " : f.stage == 2 ? "set-up: " : "";
	snprintf(msg, cap, "%s%s", what, strerror(f.err));
	return 1;
}
