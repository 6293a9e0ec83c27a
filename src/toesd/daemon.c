/* daemon: the fork of --daemon, the parent's wait, the pid file. */
#include "toesd/daemon.h"

#include "base/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The parent: the child's newline means ready; EOF means it ended. */
static void parent_waits(pid_t child, int rfd)
{
	char c;
	ssize_t n;
	while ((n = read(rfd, &c, 1)) < 0 && errno == EINTR) {
	}
	if (n == 1) {
		_exit(0);
	}
	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "toesd: the daemon (pid %ld) ended before it was ready\n", (long)child);
			_exit(1);
		}
	}
	if (WIFEXITED(status)) {
		_exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
	}
	fprintf(stderr, "toesd: the daemon (pid %ld) was killed by signal %d before it was ready\n", (long)child,
		WTERMSIG(status));
	_exit(1);
}

int daemon_start(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "toesd: --daemon: cannot make a pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "toesd: --daemon: cannot fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		parent_waits(pid, p[0]);
	}
	close(p[0]);
	if (setsid() < 0) {
		fprintf(stderr, "toesd: --daemon: setsid failed: %s; going on in the caller's session\n",
			strerror(errno));
	}
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return p[1];
}

void daemon_detach(int logs_to_file)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		if (logs_to_file) {
			dup2(null, STDERR_FILENO);
		}
		close(null);
	}
	if (chdir("/") < 0) {
		/* Stays where it was: nothing depends on it. */
	}
}

int pidfile_write(const char *path)
{
	char tmp[PATH_MAX], text[32];
	if (path_format(tmp, sizeof tmp, "%s.tmp", path) < 0) {
		fprintf(stderr, "toesd: --pidfile %s: the path is too long\n", path);
		return -1;
	}
	int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "toesd: cannot write the pid file %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			unlink(tmp);
		}
		return -1;
	}
	return 0;
}

void pidfile_remove(const char *path)
{
	char text[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		return;
	}
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n > 0) {
		text[n] = '\0';
		if (strtol(text, NULL, 10) == (long)getpid()) {
			unlink(path);
		}
	}
}
