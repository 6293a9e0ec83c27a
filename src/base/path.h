/* path: joining, making absolute and creating folders. */
#ifndef TOES_PATH_H
#define TOES_PATH_H

/* "a/b", malloc'd; NULL when out of memory. */
char *path_join(const char *a, const char *b);
/* Absolute form of path: realpath when it exists, else joined to the
 * working directory. malloc'd; NULL on failure. */
char *path_absolute(const char *path);
/* mkdir -p. Returns -1 with errno set. */
int path_mkdirs(const char *path);

#endif
