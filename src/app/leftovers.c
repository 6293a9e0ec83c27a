/* leftovers: toesd's children that are no app's main process, told apart
 * by their environment. */
#include "app/leftovers.h"

#include "app/registry.h"
#include "app/transitions.h"
#include "base/children.h"
#include "base/path.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Enough for any app's environment toesd builds (SPEC caps env files). */
#define ENVIRON_MAX (64 * 1024)
#define MAX_CHILDREN 4096

/* 1 when /proc/PID/environ holds the entry want ("DATA_DIR=..."). */
static int environ_has(pid_t pid, const char *want)
{
	char path[64];
	static char env[ENVIRON_MAX];
	if (path_format(path, sizeof path, "/proc/%ld/environ", (long)pid) < 0) {
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	ssize_t n = read(fd, env, sizeof env - 1);
	close(fd);
	if (n <= 0) {
		return 0;
	}
	env[n] = '\0';
	size_t len = strlen(want);
	for (const char *p = env; p < env + n; p += strlen(p) + 1) {
		if (strncmp(p, want, len) == 0 && p[len] == '\0') {
			return 1;
		}
	}
	return 0;
}

int leftovers_signal(const struct app *a, int signo)
{
	static pid_t kids[MAX_CHILDREN];
	long n = children_list(kids, MAX_CHILDREN);
	if (n <= 0) {
		return 0;
	}
	if (n > MAX_CHILDREN) {
		n = MAX_CHILDREN;
	}
	char want[PATH_MAX + 16];
	if (path_format(want, sizeof want, "DATA_DIR=%s/data/%s", lc.cfg->toes_dir, a->name) < 0) {
		return 0;
	}
	int count = 0;
	for (long i = 0; i < n; i++) {
		/* An app's main process is its app's business, not a leftover. */
		if (app_find_pid(kids[i]) || !environ_has(kids[i], want)) {
			continue;
		}
		if (kill(kids[i], signo) == 0) {
			count++;
		}
	}
	return count;
}
