/* path: joining, making absolute and creating folders. */
#include "base/path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_absolute(const char *path)
{
	char *real = realpath(path, NULL);
	if (real) {
		return real;
	}
	if (path[0] == '/') {
		return strdup(path);
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		return NULL;
	}
	size_t n = strlen(cwd) + strlen(path) + 2;
	char *p = malloc(n);
	if (p) {
		snprintf(p, n, "%s/%s", cwd, path);
	}
	return p;
}

int path_mkdirs(const char *path)
{
	/* Usually the folder or its parent is there: one call, not one per level. */
	if (mkdir(path, 0755) == 0 || errno == EEXIST) {
		return 0;
	}
	if (errno != ENOENT) {
		return -1;
	}
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
				return -1;
			}
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
		return -1;
	}
	return 0;
}

char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (p) {
		snprintf(p, n, "%s/%s", a, b);
	}
	return p;
}
