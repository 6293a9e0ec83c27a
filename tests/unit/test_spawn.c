/* test_spawn: a real child: its own session, stdin from /dev/null, output
 * through the pipes, no other descriptor, and exec failures told apart. */
#include "check.h"

#include "app/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const env[] = { "PATH=/usr/bin:/bin", "TOES_TEST=yes", NULL };

/* Read a pipe to its end (bounded by 2 s). */
static size_t slurp(int fd, char *out, size_t cap)
{
	size_t n = 0;
	while (n < cap - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 2000) <= 0) {
			break;
		}
		ssize_t r = read(fd, out + n, cap - 1 - n);
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
	}
	out[n] = '\0';
	return n;
}

static int wait_exit(pid_t pid)
{
	int st = 0;
	if (waitpid(pid, &st, 0) != pid) {
		return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void close_child(struct spawn_child *c)
{
	close(c->out_fd);
	close(c->err_fd);
	close(c->status_fd);
}

static void test_clean_child(void)
{
	/* A descriptor toesd's parent leaked without close-on-exec. */
	int leaked = open("/dev/null", O_RDONLY);
	char *argv[] = { "/bin/sh", "-c",
		"echo sid=$(cut -d' ' -f6 /proc/self/stat) pid=$$; ls /proc/self/fd | tr '\\n' ' '; "
		"echo; read x || echo eof; echo $TOES_TEST; pwd; echo oops >&2; "
		"grep ^flags /proc/self/fdinfo/1", NULL };
	struct spawn_req req = { .cwd = "/tmp", .argv = argv, .envp = env };
	struct spawn_child c;
	char err[128], out[4096], errout[256], why[128];
	CHECK_INT(spawn_child(&req, &c, err, sizeof err), 0);
	slurp(c.out_fd, out, sizeof out);
	slurp(c.err_fd, errout, sizeof errout);
	CHECK_INT(wait_exit(c.pid), 0);
	char want[64];
	snprintf(want, sizeof want, "sid=%d pid=%d\n", (int)c.pid, (int)c.pid);
	CHECK(strncmp(out, want, strlen(want)) == 0);
	/* ls itself opens one descriptor (3) for /proc/self/fd. */
	CHECK(strstr(out, "\n0 1 2 3 \n") != NULL);
	CHECK(strstr(out, "eof\nyes\n/tmp\n") != NULL);
	/* The app's stdout blocks (O_NONBLOCK is 04000): only toesd's end does not. */
	CHECK(strstr(out, "flags:\t01\n") != NULL);
	CHECK_STR(errout, "oops\n");
	CHECK_INT(spawn_read_failure(c.status_fd, why, sizeof why), 0);
	CHECK(fcntl(c.out_fd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(c.out_fd, F_GETFL) & O_NONBLOCK);
	close_child(&c);
	close(leaked);
}

static void test_exec_failure(void)
{
	char *argv[] = { "/nonexistent/sh", "-c", "true", NULL };
	struct spawn_req req = { .cwd = "/", .argv = argv, .envp = env };
	struct spawn_child c;
	char err[128], why[128];
	CHECK_INT(spawn_child(&req, &c, err, sizeof err), 0);
	CHECK_INT(wait_exit(c.pid), 127);
	CHECK_INT(spawn_read_failure(c.status_fd, why, sizeof why), 1);
	CHECK_STR(why, strerror(ENOENT));
	close_child(&c);
}

static void test_chdir_failure(void)
{
	char *argv[] = { "/bin/sh", "-c", "true", NULL };
	struct spawn_req req = { .cwd = "/nonexistent-folder", .argv = argv, .envp = env };
	struct spawn_child c;
	char err[128], why[128], want[128];
	CHECK_INT(spawn_child(&req, &c, err, sizeof err), 0);
	CHECK_INT(wait_exit(c.pid), 127);
	CHECK_INT(spawn_read_failure(c.status_fd, why, sizeof why), 1);
	snprintf(want, sizeof want, "chdir: %s", strerror(ENOENT));
	CHECK_STR(why, want);
	close_child(&c);
}

static void test_signals_reset(void)
{
	/* The parent blocks and ignores signals; the child must not inherit that. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGINT, SIG_IGN);
	char *argv[] = { "/bin/sh", "-c", "grep -E '^(SigBlk|SigIgn)' /proc/self/status", NULL };
	struct spawn_req req = { .cwd = "/", .argv = argv, .envp = env };
	struct spawn_child c;
	char err[128], out[512];
	CHECK_INT(spawn_child(&req, &c, err, sizeof err), 0);
	slurp(c.out_fd, out, sizeof out);
	CHECK_INT(wait_exit(c.pid), 0);
	CHECK(strstr(out, "SigBlk:\t0000000000000000") != NULL);
	CHECK(strstr(out, "SigIgn:\t0000000000000000") != NULL);
	close_child(&c);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGINT, SIG_DFL);
}

/* Spawn req, read its standard output into out, wait for it: its exit
 * code, or -1 when it could not be spawned. */
static int run_capture(const struct spawn_req *req, char *out, size_t cap)
{
	struct spawn_child c;
	char err[128];
	if (spawn_child(req, &c, err, sizeof err) < 0) {
		snprintf(out, cap, "spawn: %s", err);
		return -1;
	}
	slurp(c.out_fd, out, cap);
	int code = wait_exit(c.pid);
	close_child(&c);
	return code;
}

static void write_executable(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, 0755);
}

/* The program exec'd directly, found in the search path; a program that
 * is not there falls back to argv (the shell), which says why. */
static void test_direct_exec(void)
{
	char *direct[] = { "printenv", "TOES_TEST", NULL };
	char *argv[] = { "/bin/sh", "-c", "echo fallback", NULL };
	struct spawn_req req = { .cwd = "/", .argv = argv, .envp = env,
				 .direct_argv = direct, .search_path = "/nonexistent:/usr/bin:/bin" };
	char out[256];
	CHECK_INT(run_capture(&req, out, sizeof out), 0);
	CHECK_STR(out, "yes\n");
	char *missing[] = { "no-such-program-here", NULL };
	req.direct_argv = missing;
	CHECK_INT(run_capture(&req, out, sizeof out), 0);
	CHECK_STR(out, "fallback\n");
}

/* A file without #! first on the search path: the shell runs it as a
 * script, and so must a plain command (the search ends at ENOEXEC and the
 * shell takes over), not go on to a program of that name further on. */
static void test_direct_exec_script_without_shebang(void)
{
	char dir[256], a[300], b[300], path_env[700], file[400];
	if (check_tmpdir(dir, sizeof dir, "toes-spawn") < 0) {
		check_failures++;
		return;
	}
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	mkdir(a, 0755);
	mkdir(b, 0755);
	snprintf(file, sizeof file, "%s/prog", a);
	write_executable(file, "echo script-ran\n");
	snprintf(file, sizeof file, "%s/prog", b);
	write_executable(file, "#!/bin/sh\necho wrong-one\n");
	snprintf(path_env, sizeof path_env, "PATH=%s:%s:/usr/bin:/bin", a, b);
	char *envp[] = { path_env, NULL };
	char *direct[] = { "prog", NULL };
	char *argv[] = { "/bin/sh", "-c", "exec prog", NULL };
	struct spawn_req req = { .cwd = "/", .argv = argv, .envp = envp,
				 .direct_argv = direct, .search_path = path_env + 5 };
	char out[256];
	CHECK_INT(run_capture(&req, out, sizeof out), 0);
	CHECK_STR(out, "script-ran\n");
	check_rmtree(dir);
}

/* The identity of each of toesd's own descriptors 0..n-1 (-1: closed). */
static void fd_identities(long long *ino, int n)
{
	for (int fd = 0; fd < n; fd++) {
		struct stat st;
		ino[fd] = fstat(fd, &st) == 0 ? (long long)st.st_ino : -1;
	}
}

/* With the spawn slots the child shares toesd's table until it takes a
 * private one: it still gets only 0-2, and toesd's descriptors, its
 * standard ones too, are what they were, many of them or not. */
static void test_slots_keep_the_parent_whole(void)
{
	enum { PIPES = 300, WATCH = 16 };
	int p[PIPES][2];
	long long before[WATCH], after[WATCH];
	CHECK_INT(spawn_init(), 0);
	for (int i = 0; i < PIPES; i++) {
		CHECK(pipe2(p[i], O_CLOEXEC) == 0);
	}
	fd_identities(before, WATCH);
	test_clean_child();
	test_exec_failure();
	test_chdir_failure();
	test_direct_exec();
	test_direct_exec_script_without_shebang();
	fd_identities(after, WATCH);
	for (int fd = 0; fd < WATCH; fd++) {
		CHECK_INT(after[fd], before[fd]);
	}
	for (int i = 0; i < PIPES; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	spawn_fini();
}

int main(void)
{
	RUN(test_clean_child);
	RUN(test_exec_failure);
	RUN(test_chdir_failure);
	RUN(test_signals_reset);
	RUN(test_direct_exec);
	RUN(test_direct_exec_script_without_shebang);
	RUN(test_slots_keep_the_parent_whole);
	return CHECK_EXIT();
}
