/* logdays: an app's day files, and where their last lines start. */
#include "toesctl/logdays.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The backward scan reads this much at a time. */
#define TAIL_BLOCK 65536

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int add_name(struct day_list *l, size_t *cap, const char *name)
{
	if (l->n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(l->names, c * sizeof l->names[0]);
		if (!p) {
			return -1;
		}
		l->names = p;
		*cap = c;
	}
	memcpy(l->names[l->n++], name, LOGVIEW_DAY_FILE_SIZE);
	return 0;
}

int days_list(int dirfd, struct day_list *out)
{
	struct day_list l = { 0 };
	size_t cap = 0;
	/* fdopendir takes the descriptor over: give it its own. */
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		int saved = errno;
		if (fd >= 0) {
			close(fd);
		}
		errno = saved;
		return -1;
	}
	int saved = 0;
	for (;;) {
		errno = 0; /* readdir says an error only through errno */
		struct dirent *e = readdir(d);
		if (!e) {
			saved = errno;
			break;
		}
		if (logview_is_day_file(e->d_name) && add_name(&l, &cap, e->d_name) < 0) {
			saved = ENOMEM;
			break;
		}
	}
	closedir(d);
	if (saved) {
		days_free(&l);
		errno = saved;
		return -1;
	}
	if (l.n) {
		qsort(l.names, l.n, sizeof l.names[0], by_name);
	}
	*out = l;
	return 0;
}

void days_free(struct day_list *l)
{
	free(l->names);
	l->names = NULL;
	l->n = 0;
}

const char *days_next(const struct day_list *l, const char *name, int or_same)
{
	for (size_t i = 0; i < l->n; i++) {
		int c = strcmp(l->names[i], name);
		if (c > 0 || (c == 0 && or_same)) {
			return l->names[i];
		}
	}
	return NULL;
}

/* pread all of [at, at + n) into p. 0, or -1 with errno (EIO when the
 * file ends first: it shrank under us). */
static int read_at(int fd, char *p, size_t n, off_t at)
{
	while (n) {
		ssize_t r = pread(fd, p, n, at);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			errno = r == 0 ? EIO : errno;
			return -1;
		}
		p += r;
		n -= (size_t)r;
		at += r;
	}
	return 0;
}

/* Scan [0, end) backwards, block by block, until *need newlines are met;
 * 1 found (*start just past the last one met), 0 the start of the range
 * came first, -1 error. */
static int scan_from_end(int fd, off_t end, size_t *need, off_t *start)
{
	static char block[TAIL_BLOCK]; /* off the stack; one scan runs at a time */
	off_t hi = end;
	while (hi > 0) {
		off_t lo = hi > TAIL_BLOCK ? hi - TAIL_BLOCK : 0;
		size_t n = (size_t)(hi - lo), at;
		if (read_at(fd, block, n, lo) < 0) {
			return -1;
		}
		if (logview_scan_back(block, n, need, &at)) {
			*start = lo + (off_t)at;
			return 1;
		}
		hi = lo;
	}
	*start = 0;
	return 0;
}

int days_tail_start(int fd, off_t end, size_t *need, off_t *start)
{
	if (*need == 0 || end == 0) {
		*start = end;
		return 0;
	}
	char last;
	if (read_at(fd, &last, 1, end - 1) < 0) {
		return -1;
	}
	/* The newline that ends the last line starts no line after it. */
	int r = scan_from_end(fd, last == '\n' ? end - 1 : end, need, start);
	if (r == 0) {
		*need -= 1; /* the file's first line, with no newline before it */
	}
	return r < 0 ? -1 : 0;
}

int days_complete_end(int fd, off_t end, off_t *out)
{
	size_t need = 1;
	return scan_from_end(fd, end, &need, out) < 0 ? -1 : 0;
}
