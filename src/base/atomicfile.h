/* atomicfile: replacing a file so that a reader sees the old one or the
 * new one, never a part of one (temp file, optional fsync, rename). */
#ifndef TOES_ATOMICFILE_H
#define TOES_ATOMICFILE_H

#include <stddef.h>

/* Write len bytes of data as name in the folder dir_fd through the
 * temporary tmp_name (removed first, then created O_EXCL|O_NOFOLLOW, so
 * no link put there is written through), mode 0644. durable: fsync the
 * file before the rename and the folder after (for flash: a power cut
 * brings neither a torn file nor the old one back). 0, or -1 with errno
 * and *step naming what failed ("create", "write", "fsync", "rename");
 * the temporary file is gone then. A failed fsync of the folder after
 * the rename is *step "fsync the folder" with 1 returned: written. */
/* All len bytes of data to fd (EINTR retried); 0, or -1 with errno. */
int atomicfile_write_all(int fd, const char *data, size_t len);

int atomicfile_write(int dir_fd, const char *name, const char *tmp_name, const char *data, size_t len,
		     int durable, const char **step);

#endif
