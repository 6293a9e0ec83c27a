/* atomicfile: temp, fsync, rename. */
#include "base/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int atomicfile_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fail with errno err at step; the temporary file goes. */
static int failed(int dir_fd, const char *tmp_name, const char *what, int err, const char **step)
{
	unlinkat(dir_fd, tmp_name, 0); /* best effort: the next write removes it too */
	*step = what;
	errno = err;
	return -1;
}

int atomicfile_write(int dir_fd, const char *name, const char *tmp_name, const char *data, size_t len,
		     int durable, const char **step)
{
	/* One left by a writer that died goes first. A read-only folder
	 * answers EROFS even when there is none: the create says so. */
	if (unlinkat(dir_fd, tmp_name, 0) < 0 && errno != ENOENT && errno != EROFS && errno != EACCES) {
		*step = "remove the old temporary file";
		return -1;
	}
	int fd = openat(dir_fd, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		*step = "create";
		return -1;
	}
	const char *what = NULL;
	if (atomicfile_write_all(fd, data, len) < 0) {
		what = "write";
	} else if (durable && fsync(fd) < 0) {
		what = "fsync";
	}
	int err = errno;
	if (close(fd) < 0 && !what) {
		what = "close";
		err = errno;
	}
	if (what) {
		return failed(dir_fd, tmp_name, what, err, step);
	}
	if (renameat(dir_fd, tmp_name, dir_fd, name) < 0) {
		return failed(dir_fd, tmp_name, "rename", errno, step);
	}
	if (durable && fsync(dir_fd) < 0) {
		*step = "fsync the folder";
		return 1;
	}
	return 0;
}
