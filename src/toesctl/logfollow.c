/* logfollow: toesctl logs -f, one poll turn at a time. */
#include "toesctl/logfollow.h"

#include "base/safefile.h"
#include "toesctl/logdays.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct follower {
	struct log_apps *apps;
	int all;
	char date_file[LOGVIEW_DAY_FILE_SIZE]; /* "" unless --date */
	struct log_out *out;
	struct log_source **srcs; /* the apps' sources, for the merge */
	size_t cap_srcs;
	int warned;               /* errno last said about the apps folder */
};

/* Say a failure about app a's logs folder or its file (file "": the
 * folder), unless it is the one said last: a turn comes 5 times a second. */
static void warn_once(struct log_app *a, int err, const char *what, const char *file)
{
	if (a->warned != err) {
		a->warned = err;
		fprintf(stderr, "toesctl: cannot %s %s/%s/logs%s%s: %s\n", what, a->src.apps_dir, a->src.name,
			file[0] ? "/" : "", file, safe_strerror(err));
	}
}

/* Put the rest of the followed file, [offset, its size), into the
 * source. open_end: it goes on (a held line stays for the next turn);
 * else the file is done with and the source takes its descriptor. */
static void add_rest(struct log_app *a, int open_end)
{
	struct stat st;
	a->src.held = a->offset;
	if (fstat(a->fd, &st) < 0) {
		warn_once(a, errno, "read", a->file);
		return;
	}
	off_t end = st.st_size > a->offset ? st.st_size : a->offset;
	if (source_add(&a->src, a->fd, !open_end, a->offset, end, open_end, a->file) < 0) {
		warn_once(a, ENOMEM, "read", a->file);
	}
	if (!open_end) {
		a->fd = -1;
	}
}

/* A file that shrank was truncated (copytruncate): read it from its start. */
static void check_truncated(struct log_app *a)
{
	struct stat st;
	if (fstat(a->fd, &st) == 0 && st.st_size < a->offset) {
		fprintf(stderr, "toesctl: %s/logs/%s was truncated; following from its start\n", a->src.name,
			a->file);
		a->offset = 0;
	}
}

/* The followed file's name is gone, or names another file (the logs
 * folder was made again, the file moved away): 1. */
static int replaced(int dirfd, const struct log_app *a)
{
	struct stat st;
	if (fstatat(dirfd, a->file, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return errno == ENOENT;
	}
	return st.st_dev != a->dev || st.st_ino != a->ino;
}

/* The day file a should read next, or NULL: with --date, that day's once;
 * after the followed one, the next day's; an app seen with no file yet
 * starts at its newest (older days are not new lines); after a file was
 * replaced, the one under the same name or after it. */
static const char *next_file(const struct follower *f, const struct log_app *a, const struct day_list *days)
{
	if (f->date_file[0]) {
		const char *d = days_next(days, f->date_file, 1);
		return a->fd < 0 && d && strcmp(d, f->date_file) == 0 ? d : NULL;
	}
	if (a->fd >= 0) {
		return days_next(days, a->file, 0);
	}
	if (!a->file[0]) {
		return days->n ? days->names[days->n - 1] : NULL;
	}
	return days_next(days, a->file, 1);
}

/* Go from file to file while a newer one is there: each old one's rest
 * is read first. The listing came before the sizes, so nothing written to
 * the old file before the new one appeared is missed. */
static void move_on(const struct follower *f, struct log_app *a, int dirfd)
{
	struct day_list days;
	if (days_list(dirfd, &days) < 0) {
		warn_once(a, errno, "list", "");
		return;
	}
	const char *next;
	while ((next = next_file(f, a, &days))) {
		int fd = safe_open_file(dirfd, next, O_RDONLY, 0);
		if (fd < 0) {
			warn_once(a, errno, "open", next);
			break;
		}
		if (a->fd >= 0) {
			add_rest(a, 0);
		}
		if (apps_follow_file(a, fd, next, 0) < 0) {
			warn_once(a, errno, "read", next);
			break;
		}
	}
	days_free(&days);
}

/* One turn for one app: fill its source with what is new. */
static void turn_app(const struct follower *f, struct log_app *a)
{
	int dirfd = apps_open_logs(a->src.apps_dir, a->src.name);
	a->src.held = a->offset;
	if (dirfd < 0) {
		/* No logs folder (yet, or for now): the open file, if any, may
		 * still grow; a new one is looked for next turn. */
		if (errno != ENOENT) {
			warn_once(a, errno, "open", "");
		}
	} else {
		if (a->fd >= 0) {
			check_truncated(a);
			if (replaced(dirfd, a)) {
				add_rest(a, 0);
			}
		}
		move_on(f, a, dirfd);
		close(dirfd);
	}
	if (a->fd >= 0) {
		add_rest(a, 1);
	}
}

/* The app a new folder name holds, when it is one followed under another
 * name (renamed): its newest (or --date) file is the followed one. */
static struct log_app *renamed(const struct follower *f, const char *name)
{
	int dirfd = apps_open_logs(f->apps->apps_dir, name);
	struct day_list days = { 0 };
	struct log_app *found = NULL;
	if (dirfd < 0 || days_list(dirfd, &days) < 0 || days.n == 0) {
		goto done;
	}
	const char *file = f->date_file[0] ? f->date_file : days.names[days.n - 1];
	struct stat st;
	if (fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		goto done;
	}
	for (size_t i = 0; i < f->apps->n && !found; i++) {
		struct log_app *a = f->apps->v[i];
		if (a->fd >= 0 && a->dev == st.st_dev && a->ino == st.st_ino) {
			found = a;
		}
	}
done:
	days_free(&days);
	if (dirfd >= 0) {
		close(dirfd);
	}
	return found;
}

/* A folder with logs not followed yet: a renamed app's new name, or a
 * new app (read from the start of its newest file). */
static void adopt(struct follower *f, const char *name)
{
	struct log_app *a = renamed(f, name);
	char *copy;
	if (a && (copy = strdup(name))) {
		free(a->src.name);
		a->src.name = copy;
	} else if (!a && !apps_add(f->apps, name)) {
		fprintf(stderr, "toesctl: cannot follow %s: %s\n", name, strerror(ENOMEM));
		return;
	}
	out_fit_name(f->out, name);
}

static void discover(struct follower *f)
{
	char **names;
	size_t n;
	if (apps_with_logs(f->apps->apps_dir, &names, &n) < 0) {
		if (f->warned != errno) {
			f->warned = errno;
			fprintf(stderr, "toesctl: cannot read the apps folder %s: %s\n", f->apps->apps_dir,
				strerror(errno));
		}
		return;
	}
	f->warned = 0;
	for (size_t i = 0; i < n; i++) {
		if (!apps_find(f->apps, names[i])) {
			adopt(f, names[i]);
		}
	}
	apps_names_free(names, n);
}

/* The sources of every app, for the merge; 0, or -1 (ENOMEM). */
static int gather(struct follower *f)
{
	if (f->apps->n > f->cap_srcs) {
		void *p = realloc(f->srcs, f->apps->n * sizeof f->srcs[0]);
		if (!p) {
			return -1;
		}
		f->srcs = p;
		f->cap_srcs = f->apps->n;
	}
	for (size_t i = 0; i < f->apps->n; i++) {
		f->srcs[i] = &f->apps->v[i]->src;
	}
	return 0;
}

/* One turn: look, print what is new, remember where each app is. */
static void turn(struct follower *f)
{
	if (f->all) {
		discover(f);
	}
	for (size_t i = 0; i < f->apps->n; i++) {
		turn_app(f, f->apps->v[i]);
	}
	if (gather(f) == 0) {
		sources_print(f->srcs, f->apps->n, 0, f->out);
	}
	for (size_t i = 0; i < f->apps->n; i++) {
		struct log_app *a = f->apps->v[i];
		if (a->fd >= 0) {
			a->offset = a->src.held;
		}
		source_reset(&a->src);
	}
}

int follow_run(struct log_apps *apps, int all, const char *date, struct log_out *o)
{
	struct follower f = { .apps = apps, .all = all, .out = o };
	if (date) {
		snprintf(f.date_file, sizeof f.date_file, "%s.log", date);
	}
	for (;;) {
		turn(&f);
		if (out_flush(o) < 0 || out_wait_gone(o, FOLLOW_POLL_MS)) {
			break;
		}
	}
	free(f.srcs);
	return out_exit_code(o);
}
