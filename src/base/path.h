/* path: joining, making absolute and creating folders. Every path is
 * built checked: one that would not fit is an error (ENAMETOOLONG),
 * never silently cut. */
#ifndef TOES_PATH_H
#define TOES_PATH_H

#include <stddef.h>

/* "a/b", malloc'd; NULL with errno ENOMEM, or ENAMETOOLONG when the
 * result would be PATH_MAX bytes or more. */
char *path_join(const char *a, const char *b);
/* snprintf into out (cap bytes): -1 with errno ENAMETOOLONG when the
 * result does not fit. */
int path_format(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Absolute form of path: realpath when it exists, else joined to the
 * working directory. malloc'd; NULL on failure. */
char *path_absolute(const char *path);
/* mkdir -p. Returns -1 with errno set. */
int path_mkdirs(const char *path);

#endif
