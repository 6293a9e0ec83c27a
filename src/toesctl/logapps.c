/* logapps: which apps toesctl logs shows, and each one's followed file. */
#include "toesctl/logapps.h"

#include "base/path.h"
#include "base/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct log_app *apps_add(struct log_apps *l, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		void *p = realloc(l->v, cap * sizeof l->v[0]);
		if (!p) {
			return NULL;
		}
		l->v = p;
		l->cap = cap;
	}
	struct log_app *a = calloc(1, sizeof *a);
	if (!a || source_init(&a->src, l->apps_dir, name) < 0) {
		free(a);
		return NULL;
	}
	a->fd = -1;
	l->v[l->n++] = a;
	return a;
}

struct log_app *apps_find(const struct log_apps *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i]->src.name, name) == 0) {
			return l->v[i];
		}
	}
	return NULL;
}

void apps_free(struct log_apps *l)
{
	for (size_t i = 0; i < l->n; i++) {
		source_free(&l->v[i]->src);
		if (l->v[i]->fd >= 0) {
			close(l->v[i]->fd);
		}
		free(l->v[i]);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* name in the apps folder d has a logs folder (the app's folder may be a
 * link, as toesd allows; its logs folder may not). */
static int has_logs(DIR *d, const char *name)
{
	char rel[NAME_MAX + sizeof "/logs"];
	struct stat st;
	if (name[0] == '.' || path_format(rel, sizeof rel, "%s/logs", name) < 0) {
		return 0;
	}
	return fstatat(dirfd(d), rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int push_name(char ***names, size_t *n, size_t *cap, const char *name)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*names, c * sizeof **names);
		if (!p) {
			return -1;
		}
		*names = p;
		*cap = c;
	}
	if (!((*names)[*n] = strdup(name))) {
		return -1;
	}
	*n += 1;
	return 0;
}

int apps_with_logs(const char *apps_dir, char ***names, size_t *n)
{
	DIR *d = opendir(apps_dir);
	if (!d) {
		return -1;
	}
	char **v = NULL;
	size_t count = 0, cap = 0;
	int err = 0;
	for (;;) {
		errno = 0; /* readdir says an error only through errno */
		struct dirent *e = readdir(d);
		if (!e) {
			err = errno;
			break;
		}
		if (has_logs(d, e->d_name) && push_name(&v, &count, &cap, e->d_name) < 0) {
			err = ENOMEM;
			break;
		}
	}
	closedir(d);
	if (err) {
		apps_names_free(v, count);
		errno = err;
		return -1;
	}
	if (count) {
		qsort(v, count, sizeof v[0], by_name);
	}
	*names = v;
	*n = count;
	return 0;
}

void apps_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
	}
	free(names);
}

int apps_open_logs(const char *apps_dir, const char *name)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/%s/logs", apps_dir, name) < 0) {
		return -1;
	}
	return safe_open_dir_path(path, 0);
}

int apps_follow_file(struct log_app *a, int fd, const char *file, off_t offset)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (a->fd >= 0) {
		close(a->fd);
	}
	a->fd = fd;
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	a->offset = offset;
	snprintf(a->file, sizeof a->file, "%s", file);
	return 0;
}
