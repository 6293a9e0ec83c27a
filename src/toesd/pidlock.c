/* pidlock: flock on toesd.pid. */
#include "toesd/pidlock.h"

#include "base/log.h"
#include "base/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int pid_fd = -1;
static char pid_path[PATH_MAX];

static int read_pid(int fd)
{
	char text[32] = "";
	ssize_t n = pread(fd, text, sizeof text - 1, 0);
	return n > 0 ? atoi(text) : 0;
}

int pidlock_take(const char *run_dir)
{
	if (path_format(pid_path, sizeof pid_path, "%s/toesd.pid", run_dir) < 0) {
		fprintf(stderr, "toesd: the run folder path %s is too long\n", run_dir);
		return -1;
	}
	pid_fd = open(pid_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (pid_fd < 0) {
		fprintf(stderr, "toesd: cannot open %s: %s\n", pid_path, strerror(errno));
		return -1;
	}
	if (flock(pid_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK) {
			fprintf(stderr, "toesd: already running (pid %d)\n", read_pid(pid_fd));
		} else {
			fprintf(stderr, "toesd: cannot lock %s: %s\n", pid_path, strerror(errno));
		}
		return -1;
	}
	char text[32];
	int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
	if (ftruncate(pid_fd, 0) < 0 || pwrite(pid_fd, text, (size_t)n, 0) != n) {
		fprintf(stderr, "toesd: cannot write %s: %s\n", pid_path, strerror(errno));
		return -1;
	}
	return 0;
}

void pidlock_release(void)
{
	if (pid_fd >= 0 && ftruncate(pid_fd, 0) < 0) {
		log_errno(NULL, "cannot truncate %s", pid_path);
	}
}
