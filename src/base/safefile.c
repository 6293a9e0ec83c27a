/* safefile: no symbolic link, no FIFO, no device where a regular file or
 * a folder is expected. */
#include "base/safefile.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALWAYS (O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* Why st is not acceptable as a regular file: 0 when it is. */
static int not_regular(const struct stat *st)
{
	if (S_ISLNK(st->st_mode)) {
		return ELOOP;
	}
	return S_ISREG(st->st_mode) ? 0 : SAFE_ENOTREG;
}

static int fail_closing(int fd, int err)
{
	if (fd >= 0) {
		close(fd);
	}
	errno = err;
	return -1;
}

int safe_open_file(int dirfd, const char *name, int flags, mode_t mode)
{
	struct stat before, st;
	int reading = (flags & O_ACCMODE) == O_RDONLY;
	/* Opening a device can act (a watchdog arms on open): look first.
	 * A writer creates the file, so there may be nothing to look at. */
	if (reading) {
		if (fstatat(dirfd, name, &before, AT_SYMLINK_NOFOLLOW) < 0) {
			return -1;
		}
		int why = not_regular(&before);
		if (why) {
			return fail_closing(-1, why);
		}
	}
	int fd = openat(dirfd, name, flags | ALWAYS, mode);
	if (fd < 0) {
		/* O_NOFOLLOW on a symbolic link answers ELOOP already; a FIFO
		 * with no reader answers a non-blocking writer ENXIO, a folder
		 * EISDIR. */
		return errno == ENXIO || errno == EISDIR ? fail_closing(-1, SAFE_ENOTREG) : -1;
	}
	if (fstat(fd, &st) < 0) {
		return fail_closing(fd, errno);
	}
	int why = not_regular(&st);
	if (!why && !reading && st.st_nlink > 1) {
		/* A hard link to a file elsewhere (a root-owned script): written
		 * through, it would be that file. A log file has one name. */
		why = SAFE_ELINKED;
	}
	/* A read that found another file than it looked at (replaced by a
	 * rename meanwhile) is fine as long as what it opened is regular. */
	return why ? fail_closing(fd, why) : fd;
}

int safe_open_dir(int dirfd, const char *name, mode_t mode)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, flags);
	if (fd < 0 && errno == ENOENT && mode) {
		if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST) {
			return -1;
		}
		fd = openat(dirfd, name, flags);
	}
	if (fd < 0 && errno == ENOTDIR) {
		/* O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR: say which. */
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			errno = ELOOP;
		} else {
			errno = ENOTDIR;
		}
	}
	return fd;
}

int safe_open_dir_path(const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		return safe_open_dir(AT_FDCWD, path, mode);
	}
	char parent[PATH_MAX];
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof parent || !slash[1]) {
		errno = n >= sizeof parent ? ENAMETOOLONG : EINVAL;
		return -1;
	}
	memcpy(parent, path, n);
	parent[n] = '\0';
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		return -1;
	}
	int fd = safe_open_dir(pfd, slash + 1, mode);
	int saved = errno;
	close(pfd);
	errno = saved;
	return fd;
}

int safe_may_pass(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS || err == EAGAIN ||
	       err == EINTR;
}

const char *safe_strerror(int err)
{
	switch (err) {
	case ELOOP:
		return "is a symbolic link, refused";
	case SAFE_ENOTREG:
		return "is not a regular file, refused";
	case SAFE_ELINKED:
		return "has more than one name (a hard link), refused";
	case ENOTDIR:
		return "is not a folder";
	default:
		return strerror(err);
	}
}
