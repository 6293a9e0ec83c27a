/* spawn: clone/exec of one app process, exec failure reported through a
 * close-on-exec pipe (EOF means the exec worked). */
#include "app/spawn.h"

#include "base/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What the child writes on the status pipe when it cannot go on. */
struct spawn_failure {
	int stage;  /* 0: exec, 1: chdir, 2: set-up, 3: the app's user */
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

static void exec_direct(const struct spawn_req *req);

/* A child that shares toesd's descriptor table (CLONE_FILES) takes a
 * private one holding only the descriptors below `from` (the spawn slots
 * and the few toesd opened first): close_range copies those alone, where
 * a copy of the whole table would cost the same as toesd's descriptors
 * (three per app) once at the copy and once at exec. Without it (before
 * Linux 5.9), the whole table. */
static int private_table(unsigned from)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_UNSHARE) == 0) {
		return 0;
	}
#endif
	return unshare(CLONE_FILES);
}

/* The system calls themselves: the libc wrappers of a threaded libc may
 * try to tell the other threads, and this child shares toesd's memory.
 * The 32-bit ids' calls where a platform has both. */
#ifdef SYS_setuid32
#define SYS_SETUID SYS_setuid32
#define SYS_SETGID SYS_setgid32
#define SYS_SETGROUPS SYS_setgroups32
#else
#define SYS_SETUID SYS_setuid
#define SYS_SETGID SYS_setgid
#define SYS_SETGROUPS SYS_setgroups
#endif

/* Groups first: once the user is changed, they cannot be. */
static int become_user(const struct spawn_req *req)
{
	if (syscall(SYS_SETGROUPS, req->n_groups, req->groups) < 0 || syscall(SYS_SETGID, req->gid) < 0 ||
	    syscall(SYS_SETUID, req->uid) < 0) {
		return -1;
	}
	return 0;
}

/* In the child: never returns. share_below > 0: the table is toesd's own
 * until a private one is made. */
static void child_main(const struct spawn_req *req, int out_w, int err_w, int status_w, int share_below)
{
	if (share_below > 0 && private_table((unsigned)share_below) < 0) {
		child_fail(status_w, 2);
	}
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
	if (req->set_ids && become_user(req) < 0) {
		child_fail(status_w, 3);
	}
	if (chdir(req->cwd) < 0) {
		child_fail(status_w, 1);
	}
	if (req->direct_argv) {
		exec_direct(req);
	}
	execve(req->argv[0], req->argv, req->envp);
	child_fail(status_w, 0);
}

/* The program itself, as the shell's `exec` would find it; returns only
 * when it could not be exec'd (then the shell runs and says why, or runs
 * a file without #! as a script: ENOEXEC ends the search). No allocation:
 * the child shares toesd's memory. */
static void exec_direct(const struct spawn_req *req)
{
	const char *prog = req->direct_argv[0];
	if (strchr(prog, '/')) {
		execve(prog, req->direct_argv, req->envp);
		return;
	}
	size_t plen = strlen(prog);
	for (const char *p = req->search_path ? req->search_path : "/usr/local/bin:/usr/bin:/bin";;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		char path[PATH_MAX];
		if (len + 1 + plen < sizeof path) {
			memcpy(path, len ? p : ".", len ? len : 1);
			len = len ? len : 1;
			path[len] = '/';
			memcpy(path + len + 1, prog, plen + 1);
			execve(path, req->direct_argv, req->envp);
			if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
				return;
			}
		}
		if (!colon) {
			return;
		}
		p = colon + 1;
	}
}

struct child_args {
	const struct spawn_req *req;
	int out_w, err_w, status_w;
	int share_below;  /* > 0: CLONE_FILES, a private table of the fds below */
};

/* The spawn slots: three low descriptors (on /dev/null) reserved at
 * start-up, where a spawn puts the child's pipe ends for the moment of
 * the clone, so a child needs only the descriptors below them. */
static int slots[3] = { -1, -1, -1 };
static int slot_null = -1;

int spawn_init(void)
{
	slot_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (int k = 0; k < 3 && slot_null >= 0; k++) {
		slots[k] = fcntl(slot_null, F_DUPFD_CLOEXEC, 0);
		if (slots[k] < 0) {
			spawn_fini();
			return -1;
		}
	}
	return slot_null < 0 ? -1 : 0;
}

void spawn_fini(void)
{
	for (int k = 0; k < 3; k++) {
		if (slots[k] >= 0) {
			close(slots[k]);
		}
		slots[k] = -1;
	}
	if (slot_null >= 0) {
		close(slot_null);
	}
	slot_null = -1;
}

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer keeps books on the stack a vfork child would share. */
static pid_t start_child(struct child_args *a)
{
	pid_t pid = fork();
	if (pid == 0) {
		child_main(a->req, a->out_w, a->err_w, a->status_w, 0);
	}
	return pid;
}
#else
/* The child's pipe ends into the slots: 1, or 0 when there are no slots. */
static int fill_slots(struct child_args *a)
{
	int ends[3] = { a->out_w, a->err_w, a->status_w }, top = -1;
	if (slots[2] < 0) {
		return 0;
	}
	for (int k = 0; k < 3; k++) {
		if (dup3(ends[k], slots[k], O_CLOEXEC) < 0) {
			return 0;
		}
		top = slots[k] > top ? slots[k] : top;
	}
	a->out_w = slots[0];
	a->err_w = slots[1];
	a->status_w = slots[2];
	a->share_below = top + 1;
	return 1;
}

/* The slots hold /dev/null again: toesd keeps no write end of the pipes. */
static void empty_slots(void)
{
	for (int k = 0; k < 3; k++) {
		dup3(slot_null, slots[k], O_CLOEXEC);
	}
}

/* The child's own stack; one is enough, as toesd waits (CLONE_VFORK)
 * until the child has exec'd or exited before it spawns again. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_entry(void *p)
{
	struct child_args *a = p;
	child_main(a->req, a->out_w, a->err_w, a->status_w, a->share_below);
	return 127;
}

static pid_t start_child(struct child_args *a)
{
	int saved = errno;
	int shared = fill_slots(a);
	int flags = CLONE_VM | CLONE_VFORK | (shared ? CLONE_FILES : 0) | SIGCHLD;
	pid_t pid = clone(child_entry, child_stack + sizeof child_stack, flags, a);
	int err = errno;
	if (shared) {
		empty_slots();
	}
	errno = pid > 0 ? saved : err; /* the child shares errno too */
	return pid;
}
#endif

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
	struct child_args args = { req, out[1], errp[1], st[1], 0 };
	pid_t pid = start_child(&args);
	if (pid < 0) {
		snprintf(err, errcap, "cannot fork: %s", strerror(errno));
		close_pair(out);
		close_pair(errp);
		close_pair(st);
		return -1;
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
	const char *what = f.stage == 1 ? "chdir: " : f.stage == 2 ? "set-up: " : f.stage == 3 ? "user: " : "";
	snprintf(msg, cap, "%s%s", what, strerror(f.err));
	return 1;
}
