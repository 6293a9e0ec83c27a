/* runrecord: the records' files, and finding the predecessor's
 * processes through /proc. */
#include "app/runrecord.h"

#include "app/procgroup.h"
#include "base/log.h"
#include "base/path.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The predecessor's records are read once; at most this many. */
#define MAX_LEFT 4096

static char dir[PATH_MAX];      /* <run-dir>/run; "" when unusable */
static int dir_fd = -1;
static struct run_record *left; /* the predecessor's, read at open */
static size_t n_left;

int runrecord_parse(const char *text, struct run_record *r)
{
	long pid, pgid;
	unsigned long long start;
	int used = 0;
	if (sscanf(text, "%ld %ld %llu %n", &pid, &pgid, &start, &used) != 3 || pid <= 1 || pgid <= 1) {
		return -1;
	}
	r->pid = (pid_t)pid;
	r->pgid = (pid_t)pgid;
	r->start = start;
	size_t len = strcspn(text + used, "\n");
	if (len >= sizeof r->name) {
		len = sizeof r->name - 1;
	}
	memcpy(r->name, text + used, len);
	r->name[len] = '\0';
	return 0;
}

/* Read every record the predecessor left. */
static void read_left(void)
{
	DIR *d = fdopendir(dup(dir_fd));
	if (!d) {
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n_left < MAX_LEFT) {
		char text[256];
		if (!isdigit((unsigned char)e->d_name[0])) {
			continue;
		}
		int fd = openat(dir_fd, e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
		if (fd >= 0) {
			close(fd);
		}
		struct run_record r;
		if (n > 0) {
			text[n] = '\0';
		}
		if (n <= 0 || runrecord_parse(text, &r) < 0) {
			continue;
		}
		struct run_record *grown = realloc(left, (n_left + 1) * sizeof *left);
		if (!grown) {
			break;
		}
		left = grown;
		left[n_left++] = r;
	}
	closedir(d);
}

int runrecord_open(const char *run_dir)
{
	if (path_format(dir, sizeof dir, "%s/run", run_dir) < 0) {
		dir[0] = '\0';
		return -1;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_errno(NULL, "cannot make %s; after a crash, the next toesd will not know this one's apps", dir);
		dir[0] = '\0';
		return -1;
	}
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dir_fd < 0) {
		log_errno(NULL, "cannot open %s; after a crash, the next toesd will not know this one's apps", dir);
		dir[0] = '\0';
		return -1;
	}
	read_left();
	return 0;
}

void runrecord_close(void)
{
	if (dir_fd >= 0) {
		close(dir_fd);
		dir_fd = -1;
	}
	free(left);
	left = NULL;
	n_left = 0;
}

void runrecord_started(const struct app *a)
{
	struct proc_stat st;
	char name[32], tmp[40], text[200];
	if (dir_fd < 0 || procgroup_read_stat(a->run.pid, &st) < 0) {
		return;
	}
	snprintf(name, sizeof name, "%ld", (long)a->run.pgid);
	snprintf(tmp, sizeof tmp, ".%ld.tmp", (long)a->run.pgid);
	int n = snprintf(text, sizeof text, "%ld %ld %llu %.120s\n", (long)a->run.pid, (long)a->run.pgid, st.start,
			 a->name);
	int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) < 0 || renameat(dir_fd, tmp, dir_fd, name) < 0) {
		log_errno(a->name, "cannot write its run record in %s; after a crash of toesd, this run would be "
			  "left alone", dir);
		unlinkat(dir_fd, tmp, 0);
	}
}

void runrecord_ended(const struct app *a)
{
	char name[32];
	snprintf(name, sizeof name, "%ld", (long)a->run.pgid);
	if (dir_fd >= 0 && unlinkat(dir_fd, name, 0) < 0 && errno != ENOENT) {
		log_errno(a->name, "cannot remove its run record %s/%s", dir, name);
	}
}

/* Whether a record still stands for a live group: its main process with
 * the same start time, or, the main one gone, members in its session
 * (the id cannot have been reused while they live). 0 when a process
 * with the main pid exists with another start time: the id is reused. */
static int record_alive(const struct run_record *r)
{
	struct proc_stat st;
	if (procgroup_read_stat(r->pid, &st) == 0) {
		return st.start == r->start;
	}
	return 1; /* members, if any, are found by the walk */
}

/* The records a process belongs to: same group and session as one that
 * stands, started no earlier than its main process. */
static int belongs(const struct proc_stat *st, const unsigned char *alive)
{
	for (size_t i = 0; i < n_left; i++) {
		if (alive[i] && st->pgrp == left[i].pgid && st->session == left[i].pgid && st->start >= left[i].start) {
			return 1;
		}
	}
	return 0;
}

size_t runrecord_signal_left(int signo)
{
	if (!n_left) {
		return 0;
	}
	unsigned char *alive = calloc(n_left, 1);
	DIR *d = alive ? opendir("/proc") : NULL;
	if (!d) {
		free(alive);
		return 0;
	}
	for (size_t i = 0; i < n_left; i++) {
		alive[i] = (unsigned char)record_alive(&left[i]);
	}
	size_t found = 0;
	struct dirent *e;
	pid_t self = getpid();
	while ((e = readdir(d))) {
		struct proc_stat st;
		pid_t pid = isdigit((unsigned char)e->d_name[0]) ? (pid_t)atol(e->d_name) : 0;
		if (pid <= 1 || pid == self || procgroup_read_stat(pid, &st) < 0 || st.state == 'Z' || !belongs(&st, alive)) {
			continue;
		}
		found++;
		if (signo && kill(pid, signo) < 0 && errno != ESRCH) {
			log_errno(NULL, "cannot stop process %ld left by the previous toesd", (long)pid);
		}
	}
	closedir(d);
	free(alive);
	return found;
}

void runrecord_forget_left(void)
{
	for (size_t i = 0; i < n_left; i++) {
		char name[32];
		snprintf(name, sizeof name, "%ld", (long)left[i].pgid);
		unlinkat(dir_fd, name, 0);
	}
	free(left);
	left = NULL;
	n_left = 0;
}
