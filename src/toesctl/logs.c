/* logs: toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD] (SPEC §6, §8):
 * the last lines of one app's day files, or of every app's merged in time
 * order, then (-f) what comes. Reads the files itself, so it works with
 * or without a running toesd. */
#include "toesctl/logs.h"

#include "base/safefile.h"
#include "parse/logview.h"
#include "toesctl/logapps.h"
#include "toesctl/logdays.h"
#include "toesctl/logfollow.h"
#include "toesctl/logout.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the last lines of one app came to. */
struct app_tail {
	size_t lines;   /* how many its source holds */
	int had_date;   /* --date: its file for that day is there */
};

/* 1 when apps_dir/name is a folder (a link to one too, as toesd allows). */
static int app_exists(const char *apps_dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	if (!logview_name_ok(name) || snprintf(path, sizeof path, "%s/%s", apps_dir, name) >= (int)sizeof path) {
		return 0;
	}
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The day files to read: all of them, or only --date's (none when it is
 * not there). */
static void only_date(struct day_list *days, const char *date, struct app_tail *t)
{
	char file[LOGVIEW_DAY_FILE_SIZE];
	snprintf(file, sizeof file, "%s.log", date);
	const char *d = days_next(days, file, 1);
	t->had_date = d && strcmp(d, file) == 0;
	if (t->had_date) {
		memmove(days->names[0], d, sizeof file);
	}
	days->n = t->had_date ? 1 : 0;
}

static int say_file(const char *apps_dir, const char *name, const char *file, int err)
{
	fprintf(stderr, "toesctl: cannot read %s/%s/logs%s%s: %s\n", apps_dir, name, *file ? "/" : "", file,
		safe_strerror(err));
	return -1;
}

/* The bytes of one day file to show. */
struct range {
	off_t start, end;
};

/* Where the last lines of day file i start, taking from *need, into *r.
 * The newest one, when following, stays open for -f and ends at its last
 * newline (a line still being written is -f's to finish). */
static int tail_of(int dirfd, struct log_app *a, const struct day_list *days, size_t i, int follow,
		   size_t *need, struct range *r)
{
	const char *file = days->names[i];
	int fd = safe_open_file(dirfd, file, O_RDONLY, 0);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
		}
		return say_file(a->src.apps_dir, a->src.name, file, err);
	}
	int keep = follow && i + 1 == days->n;
	r->end = st.st_size;
	if ((keep && days_complete_end(fd, st.st_size, &r->end) < 0) ||
	    days_tail_start(fd, r->end, need, &r->start) < 0) {
		int err = errno;
		close(fd);
		return say_file(a->src.apps_dir, a->src.name, file, err);
	}
	if (!keep) {
		close(fd);
		return 0;
	}
	if (apps_follow_file(a, fd, file, r->end) < 0) {
		return say_file(a->src.apps_dir, a->src.name, file, errno);
	}
	return 0;
}

/* The ranges from file first on into a's source, oldest first. The
 * followed file's descriptor is lent; the others are opened again when
 * their turn comes, so that one is open at a time however many days. */
static int add_ranges(struct log_app *a, const struct day_list *days, const struct range *ranges,
		      size_t first, int follow)
{
	for (size_t i = first; i < days->n; i++) {
		int lent = follow && i + 1 == days->n;
		if (source_add(&a->src, lent ? a->fd : -1, 0, ranges[i].start, ranges[i].end, 0,
			       days->names[i]) < 0) {
			return say_file(a->src.apps_dir, a->src.name, days->names[i], ENOMEM);
		}
	}
	return 0;
}

/*
 * The last n lines of an app's newest day file, earlier days filling in
 * when it holds fewer, into its source. Read backwards from each file's
 * end: only what is shown is ever read. 0, or -1 after saying what
 * failed.
 */
static int tail_app(struct log_app *a, size_t n, const char *date, int follow, struct app_tail *t)
{
	int dirfd = apps_open_logs(a->src.apps_dir, a->src.name);
	if (dirfd < 0) {
		/* No logs folder yet: nothing to show (-f waits for one). */
		return errno == ENOENT ? 0 : say_file(a->src.apps_dir, a->src.name, "", errno);
	}
	struct day_list days;
	if (days_list(dirfd, &days) < 0) {
		int err = errno;
		close(dirfd);
		return say_file(a->src.apps_dir, a->src.name, "", err);
	}
	if (date) {
		only_date(&days, date, t);
	}
	struct range *ranges = calloc(days.n ? days.n : 1, sizeof *ranges);
	size_t need = n, first = days.n;
	int r = ranges ? 0 : say_file(a->src.apps_dir, a->src.name, "", ENOMEM);
	/* From the newest back until n lines are found; the newest is
	 * looked at even for -n 0, for -f to go on from its end. */
	while (r == 0 && first > 0 && (need > 0 || first == days.n)) {
		first--;
		r = tail_of(dirfd, a, &days, first, follow, &need, &ranges[first]);
	}
	if (r == 0) {
		r = add_ranges(a, &days, ranges, first, follow);
	}
	t->lines = n - need;
	free(ranges);
	days_free(&days);
	close(dirfd);
	return r;
}

/* The apps to show: NAME, or every folder that has a logs folder. */
static int gather_apps(struct log_apps *apps, const char *name, struct log_out *o)
{
	if (name) {
		if (!apps_add(apps, name)) {
			fprintf(stderr, "toesctl: cannot read the logs of %s: %s\n", name, strerror(ENOMEM));
			return -1;
		}
		return 0;
	}
	char **names;
	size_t n;
	if (apps_with_logs(apps->apps_dir, &names, &n) < 0) {
		fprintf(stderr, "toesctl: cannot read the apps folder %s: %s\n", apps->apps_dir, strerror(errno));
		return -1;
	}
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		r = apps_add(apps, names[i]) ? 0 : -1;
		out_fit_name(o, names[i]);
	}
	apps_names_free(names, n);
	if (r < 0) {
		fprintf(stderr, "toesctl: cannot list the apps: %s\n", strerror(ENOMEM));
	}
	return r;
}

/* The missing --date file, said. */
static void say_no_date(const struct log_apps *apps, const struct logview_args *args)
{
	if (args->name) {
		fprintf(stderr, "toesctl: no log of %s for %s: %s/%s/logs/%s.log: %s\n", args->name, args->date,
			apps->apps_dir, args->name, args->date, strerror(ENOENT));
	} else {
		fprintf(stderr, "toesctl: no app has a log file for %s in %s\n", args->date, apps->apps_dir);
	}
}

/*
 * The last lines. Of several apps (no NAME), the choice: one stream, as
 * a reader of it expects, not N lines per app: each app's last N lines
 * (enough to hold the stream's last N) merged by stamp, compared as
 * strings (a line without one goes with the line before it in its file;
 * equal stamps keep the apps' name order), then the first lines over N
 * are skipped. 0, or 1 when something could not be read (said; the rest
 * is shown) or (*no_date) --date's file is nowhere.
 */
static int print_last(struct log_apps *apps, const struct logview_args *args, struct log_out *o,
		      int *no_date)
{
	struct log_source **srcs = calloc(apps->n ? apps->n : 1, sizeof *srcs);
	size_t total = 0;
	int failed = !srcs, had_date = 0;
	for (size_t i = 0; srcs && i < apps->n; i++) {
		struct app_tail t = { 0 };
		failed |= tail_app(apps->v[i], args->lines, args->date, args->follow, &t) < 0;
		total += t.lines;
		had_date |= t.had_date;
		srcs[i] = &apps->v[i]->src;
	}
	*no_date = args->date && !had_date && !failed;
	if (*no_date) {
		say_no_date(apps, args);
		failed = 1;
	}
	if (srcs) {
		sources_print(srcs, apps->n, total > args->lines ? total - args->lines : 0, o);
		out_flush(o);
	}
	for (size_t i = 0; i < apps->n; i++) {
		failed |= apps->v[i]->src.failed;
		source_reset(&apps->v[i]->src);
	}
	free(srcs);
	return failed;
}

/* Merging every app may hold two files per app open at once: take what
 * the hard limit allows. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int run(const char *apps_dir, const struct logview_args *args)
{
	static struct log_out out; /* 64 KiB: not on the stack */
	struct log_apps apps = { .apps_dir = apps_dir };
	out_init(&out);
	/* Every app: each line says whose it is, as pm2 logs does. */
	out.prefix = !args->name;
	raise_fd_limit();
	if (gather_apps(&apps, args->name, &out) < 0) {
		apps_free(&apps);
		return 1;
	}
	int no_date;
	int code = print_last(&apps, args, &out, &no_date);
	if (out.err) {
		code = out_exit_code(&out);
	} else if (args->follow && !no_date) {
		code = follow_run(&apps, !args->name, args->date, &out);
	}
	apps_free(&apps);
	return code;
}

int logs_run(const char *apps_dir, int n, char **words)
{
	struct logview_args args;
	char err[PATH_MAX + 256];
	if (logview_parse_args(n, words, &args, err, sizeof err) < 0) {
		fprintf(stderr, "toesctl: %s\n", err);
		return 2;
	}
	if (args.name && !app_exists(apps_dir, args.name)) {
		fprintf(stderr, "toesctl: no app named '%s' in %s\n", args.name, apps_dir);
		return 1;
	}
	return run(apps_dir, &args);
}
