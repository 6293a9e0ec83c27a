/* pidlock: flock on toesd.pid and on the apps folder. */
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int pid_fd = -1;
static int apps_fd = -1;
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
			int pid = read_pid(pid_fd);
			if (pid > 0) {
				fprintf(stderr, "toesd: already running (pid %d)\n", pid);
			} else {
				/* The holder has emptied the file: it is on its way out. */
				fprintf(stderr, "toesd: already running (a toesd is stopping; try again once it has exited)\n");
			}
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

/* --- the apps folder --- */

/*
 * Who holds an exclusive flock on the folder st, from /proc/locks: a
 * line "1: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF" (device in
 * hex; a waiter's line has "->" first and is skipped). So the pid needs
 * no file of its own, which would have to live among the apps or in a run
 * folder this toesd does not know. Some file systems (btrfs subvolumes,
 * overlayfs) give stat another device than /proc/locks shows: the inode
 * alone then decides when only one lock has it. 0 when it cannot be told.
 */
static int flock_holder(const struct stat *st)
{
	FILE *f = fopen("/proc/locks", "re");
	if (!f) {
		return 0;
	}
	char line[256];
	int exact = 0, by_inode = 0, n_by_inode = 0;
	while (!exact && fgets(line, sizeof line, f)) {
		char type[16], access[16];
		int pid;
		unsigned maj, min;
		unsigned long long ino;
		if (sscanf(line, "%*d: %15s %*s %15s %d %x:%x:%llu", type, access, &pid, &maj, &min,
			   &ino) != 6 ||
		    strcmp(type, "FLOCK") != 0 || strcmp(access, "WRITE") != 0 || pid <= 0 ||
		    ino != (unsigned long long)st->st_ino) {
			continue;
		}
		if (maj == major(st->st_dev) && min == minor(st->st_dev)) {
			exact = pid;
		} else {
			by_inode = pid;
			n_by_inode++;
		}
	}
	fclose(f);
	return exact ? exact : n_by_inode == 1 ? by_inode : 0;
}

static void say_other_toesd(const char *apps_dir)
{
	struct stat st;
	int pid = fstat(apps_fd, &st) == 0 ? flock_holder(&st) : 0;
	if (pid) {
		fprintf(stderr, "toesd: another toesd (pid %d) already manages %s\n", pid, apps_dir);
	} else {
		fprintf(stderr, "toesd: another toesd (pid unknown: /proc/locks does not say) "
			"already manages %s\n", apps_dir);
	}
}

/* flock on the folder itself: it needs no file of toesd's among the
 * apps, the kernel drops it when toesd dies, and O_RDONLY is enough. */
int appslock_take(const char *apps_dir)
{
	apps_fd = open(apps_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (apps_fd < 0) {
		fprintf(stderr, "toesd: cannot open the apps folder %s to lock it: %s\n", apps_dir,
			strerror(errno));
		return -1;
	}
	if (flock(apps_fd, LOCK_EX | LOCK_NB) == 0) {
		return 0;
	}
	if (errno == EWOULDBLOCK) {
		say_other_toesd(apps_dir);
		return -1;
	}
	/* The run folder's lock still keeps a second toesd of the same run
	 * folder out: refusing to run at all would be worse. */
	log_errno(NULL, "cannot lock the apps folder %s; going on, but a second toesd "
		  "with another run folder would not be kept away from these apps", apps_dir);
	return 0;
}

void pidlock_release(void)
{
	if (pid_fd >= 0 && ftruncate(pid_fd, 0) < 0) {
		log_errno(NULL, "cannot truncate %s", pid_path);
	}
	if (apps_fd >= 0) {
		close(apps_fd);
		apps_fd = -1;
	}
}
