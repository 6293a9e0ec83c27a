/* versions: choosing the old versions, and a child that removes them. */
#include "app/versions.h"

#include "base/path.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* At most this many version folders are looked at in one pass. */
#define MAX_VERSIONS 256

static int is(const char *a, const char *b)
{
	return b && strcmp(a, b) == 0;
}

size_t versions_choose(const char *const *names, size_t n, unsigned keep, const char *current,
		       const char *previous, unsigned char *doomed)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		/* Its rank from the newest: how many names sort after it. */
		size_t newer = 0;
		for (size_t j = 0; j < n; j++) {
			newer += strcmp(names[j], names[i]) > 0;
		}
		doomed[i] = keep && newer >= keep && !is(names[i], current) && !is(names[i], previous);
		count += doomed[i];
	}
	return count;
}

/* A version folder: a folder that is not toesd's (logs, current) nor
 * hidden. */
static int is_version(const char *app_dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	if (name[0] == '.' || strcmp(name, "logs") == 0 || strcmp(name, "current") == 0 ||
	    path_format(path, sizeof path, "%s/%s", app_dir, name) < 0) {
		return 0;
	}
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (remove(path) < 0 && errno != ENOENT) {
		/* Left for a person: nothing else to do in a child. */
	}
	return 0;
}

/* The child: remove each tree, then exit. It runs toesd's code, not a
 * program: no rm needed on the box. */
static void remove_trees(const char *app_dir, char **names, const unsigned char *doomed, size_t n)
{
	/* None of toesd's descriptors (its locks above all: a toesd started
	 * after this one's death must not find them held), and the signals
	 * a shutdown sends it work as they would on any process. */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
#endif
	{
		for (int fd = 3; fd < 1024; fd++) {
			close(fd);
		}
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++) {
		signal(sig, SIG_DFL);
	}
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		if (doomed[i] && path_format(path, sizeof path, "%s/%s", app_dir, names[i]) == 0) {
			nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		}
	}
	_exit(0);
}

static size_t list_versions(const char *app_dir, char **names)
{
	DIR *d = opendir(app_dir);
	size_t n = 0;
	struct dirent *e;
	while (d && n < MAX_VERSIONS && (e = readdir(d))) {
		if (is_version(app_dir, e->d_name) && (names[n] = strdup(e->d_name))) {
			n++;
		}
	}
	if (d) {
		closedir(d);
	}
	return n;
}

int versions_prune(const char *app_dir, unsigned keep, const char *current, const char *previous, char *out,
		   size_t cap)
{
	char *names[MAX_VERSIONS];
	unsigned char doomed[MAX_VERSIONS];
	size_t n = list_versions(app_dir, names);
	size_t count = versions_choose((const char *const *)names, n, keep, current, previous, doomed);
	out[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < n && count; i++) {
		if (doomed[i]) {
			int w = snprintf(out + used, cap - used, "%s%s", used ? " " : "", names[i]);
			used = w > 0 && (size_t)w < cap - used ? used + (size_t)w : used;
		}
	}
	pid_t pid = count ? fork() : 0;
	if (pid == 0 && count) {
		remove_trees(app_dir, names, doomed, n);
	}
	int err = errno;
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
	}
	if (pid < 0) {
		snprintf(out, cap, "cannot start the process that removes them: %s", strerror(err));
		return -1;
	}
	return (int)count;
}
