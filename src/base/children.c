/* children: /proc/self/task/TID/children, or the walk where the kernel
 * lacks it (CONFIG_PROC_CHILDREN). */
#include "base/children.h"

#include "base/path.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void add(pid_t *pids, size_t cap, long *n, pid_t pid)
{
	if ((size_t)*n < cap) {
		pids[*n] = pid;
	}
	(*n)++;
}

/* The walk: every /proc/PID/stat whose ppid is toesd. */
static long walk(pid_t *pids, size_t cap)
{
	DIR *d = opendir("/proc");
	if (!d) {
		return -1;
	}
	pid_t self = getpid();
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[64], text[512];
		if (!isdigit((unsigned char)e->d_name[0]) || path_format(path, sizeof path, "/proc/%s/stat", e->d_name) < 0) {
			continue;
		}
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t len = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
		if (fd >= 0) {
			close(fd);
		}
		if (len <= 0) {
			continue;
		}
		text[len] = '\0';
		const char *rp = strrchr(text, ')');
		char state;
		int ppid;
		if (rp && sscanf(rp + 1, " %c %d", &state, &ppid) == 2 && ppid == self) {
			add(pids, cap, &n, (pid_t)atoi(e->d_name));
		}
	}
	closedir(d);
	return n;
}

long children_list(pid_t *pids, size_t cap)
{
	char path[64];
	pid_t self = getpid();
	/* toesd has one thread: its children are its main thread's. */
	if (path_format(path, sizeof path, "/proc/%ld/task/%ld/children", (long)self, (long)self) < 0) {
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return walk(pids, cap);
	}
	long n = 0;
	char buf[4096], num[16];
	size_t nl = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < r; i++) {
			if (isdigit((unsigned char)buf[i]) && nl < sizeof num - 1) {
				num[nl++] = buf[i];
			} else if (nl) {
				num[nl] = '\0';
				add(pids, cap, &n, (pid_t)atol(num));
				nl = 0;
			}
		}
	}
	if (nl) {
		num[nl] = '\0';
		add(pids, cap, &n, (pid_t)atol(num));
	}
	close(fd);
	return r < 0 ? -1 : n;
}
