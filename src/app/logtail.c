/* logtail: day files listed, read backwards in blocks. */
#include "app/logtail.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The newest this many day files are read from (--log-days keeps 7). */
#define MAX_DAYS 64
#define BLOCK 65536

/* "YYYY-MM-DD.log" */
static int is_day_file(const char *name)
{
	static const char form[] = "dddd-dd-dd.log";
	if (strlen(name) != sizeof form - 1) {
		return 0;
	}
	for (size_t i = 0; form[i]; i++) {
		if (form[i] == 'd' ? name[i] < '0' || name[i] > '9' : name[i] != form[i]) {
			return 0;
		}
	}
	return 1;
}

static int newest_first(const void *x, const void *y)
{
	return -strcmp(*(char *const *)x, *(char *const *)y);
}

/* Where the last want lines of text (size bytes) start, counting back
 * from its end; *lines: how many there are. whole: text is the whole
 * file (else its first line is cut and does not count). */
static size_t last_lines(const char *text, size_t size, unsigned want, int whole, unsigned *lines)
{
	size_t pos = size && text[size - 1] == '\n' ? size - 1 : size;
	size_t from = size;
	*lines = 0;
	while (*lines < want && pos > 0) {
		size_t start = pos;
		while (start > 0 && text[start - 1] != '\n') {
			start--;
		}
		if (start == 0 && !whole) {
			break;
		}
		(*lines)++;
		from = start;
		if (start == 0) {
			break;
		}
		pos = start - 1;
	}
	return from;
}

/* The last lines of one file: the bytes from where they start to its end,
 * at most budget of them. Sets *lines to how many it holds. */
static char *file_tail(int dfd, const char *name, unsigned want, size_t budget, size_t *len, unsigned *lines,
		       int *cut)
{
	/* Non-blocking: a FIFO put there must not hold the loop in open(2). */
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	*len = 0;
	*lines = 0;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0) {
			close(fd);
		}
		return NULL;
	}
	size_t size = (size_t)st.st_size < budget ? (size_t)st.st_size : budget;
	char *text = malloc(size + 1);
	ssize_t got = text && size ? pread(fd, text, size, st.st_size - (off_t)size) : 0;
	close(fd);
	if (!text || got < 0) {
		free(text);
		return NULL;
	}
	size = (size_t)got;
	*cut = (size_t)st.st_size > size;
	size_t from = last_lines(text, size, want, !*cut, lines);
	memmove(text, text + from, size - from);
	*len = size - from;
	return text;
}

int logtail_read(const struct app *a, unsigned n, struct buf *out)
{
	DIR *d = opendir(a->logdir);
	if (!d) {
		return -1;
	}
	char *days[MAX_DAYS + 1];
	size_t n_days = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_day_file(e->d_name) || !(days[n_days] = strdup(e->d_name))) {
			continue;
		}
		/* Kept sorted newest first; past MAX_DAYS the oldest goes. */
		n_days++;
		qsort(days, n_days, sizeof days[0], newest_first);
		if (n_days > MAX_DAYS) {
			free(days[--n_days]);
		}
	}
	char *parts[MAX_DAYS];
	size_t lens[MAX_DAYS], n_parts = 0, budget = LOGTAIL_MAX_BYTES;
	unsigned have = 0;
	for (size_t i = 0; i < n_days && have < n && budget; i++) {
		unsigned lines;
		size_t len;
		int cut = 0;
		char *text = file_tail(dirfd(d), days[i], n - have, budget, &len, &lines, &cut);
		if (text) {
			parts[n_parts] = text;
			lens[n_parts++] = len;
			have += lines;
			budget -= len < budget ? len : budget;
		}
		if (cut) {
			/* The lines must follow on: an older day's would not. */
			budget = 0;
		}
	}
	closedir(d);
	for (size_t i = n_parts; i-- > 0;) {
		buf_add(out, parts[i], lens[i]);
		if (lens[i] && parts[i][lens[i] - 1] != '\n') {
			buf_addc(out, '\n');
		}
		free(parts[i]);
	}
	for (size_t i = 0; i < n_days; i++) {
		free(days[i]);
	}
	return n_parts || n_days == 0 ? 0 : -1;
}
