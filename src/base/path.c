/* path: joining, making absolute and creating folders. */
#include "base/path.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
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
	return path_join(cwd, path);
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
	if (path_format(tmp, sizeof tmp, "%s", path) < 0) {
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
	size_t la = strlen(a), lb = strlen(b);
	if (la + lb + 1 >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	char *p = malloc(la + lb + 2);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

int path_format(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
