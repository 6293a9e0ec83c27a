/* app: records, the registry, discovery of APPS_DIR, and per-app logging. */
#include "app/app.h"

#include "base/clock.h"
#include "base/log.h"
#include "base/path.h"
#include "parse/pkg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct app **apps;
static size_t n_apps, cap_apps;
static uint64_t log_cap;

static const char *const state_names[] = {
	[APP_INVALID] = "invalid",
	[APP_STOPPED] = "stopped",
	[APP_STARTING] = "starting",
	[APP_RUNNING] = "running",
	[APP_STOPPING] = "stopping",
};

const char *app_state_name(enum app_state s)
{
	return state_names[s];
}

void app_set_log_cap(uint64_t max_bytes)
{
	log_cap = max_bytes;
}

/* --- registry --- */

static size_t lower_bound(const char *name)
{
	size_t lo = 0, hi = n_apps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(apps[mid]->name, name) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

struct app *app_find(const char *name)
{
	size_t i = lower_bound(name);
	return i < n_apps && strcmp(apps[i]->name, name) == 0 ? apps[i] : NULL;
}

struct app *app_find_pid(pid_t pid)
{
	for (size_t i = 0; i < n_apps; i++) {
		if (apps[i]->pid == pid) {
			return apps[i];
		}
	}
	return NULL;
}

size_t app_count(void)
{
	return n_apps;
}

struct app *app_at(size_t i)
{
	return apps[i];
}

static void app_destroy(struct app *a)
{
	free(a->name);
	free(a->dir);
	free(a->logdir);
	free(a);
}

struct app *app_create(const char *apps_dir, const char *name)
{
	if (n_apps == cap_apps) {
		size_t cap = cap_apps ? cap_apps * 2 : 16;
		struct app **p = realloc(apps, cap * sizeof *p);
		if (!p) {
			return NULL;
		}
		apps = p;
		cap_apps = cap;
	}
	/* deadline, survival, next_probe and the probe's own deadline */
	if (loop_reserve_timers(4) < 0) {
		return NULL;
	}
	struct app *a = calloc(1, sizeof *a);
	if (!a) {
		loop_reserve_timers(-4);
		return NULL;
	}
	a->name = strdup(name);
	a->dir = path_join(apps_dir, name);
	a->logdir = a->dir ? path_join(a->dir, "logs") : NULL;
	if (!a->name || !a->logdir) {
		app_destroy(a);
		loop_reserve_timers(-4);
		return NULL;
	}
	a->state = APP_STOPPED;
	a->out_w.fd = a->err_w.fd = a->status_w.fd = -1;
	probe_init(&a->probe);
	logfile_init(&a->log);
	size_t i = lower_bound(name);
	memmove(apps + i + 1, apps + i, (n_apps - i) * sizeof *apps);
	apps[i] = a;
	n_apps++;
	return a;
}

/* --- package.json --- */

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* The name of the folder `current` points at ("current" for a plain one). */
static char *current_version(const char *dir)
{
	char link[PATH_MAX], target[PATH_MAX];
	snprintf(link, sizeof link, "%s/current", dir);
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n < 0) {
		return errno == EINVAL ? strdup("current") : NULL;
	}
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/') {
		target[--n] = '\0';
	}
	const char *base = strrchr(target, '/');
	return strdup(base ? base + 1 : target);
}

int app_load(struct app *a)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/current/package.json", a->dir);
	struct pkg p;
	int r = pkg_load(path, &p);
	replace(&a->icon, p.icon);
	replace(&a->tool, p.tool);
	replace(&a->script, p.toes);
	p.icon = p.tool = p.toes = NULL;
	replace(&a->version, current_version(a->dir));
	if (r == 0) {
		app_clear_error(a);
	} else {
		app_set_error(a, "%s", p.error);
	}
	pkg_free(&p);
	return r == 0;
}

/* --- discovery --- */

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int valid_version(const char *dir, const char *version)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s/package.json", dir, version) >= (int)sizeof path) {
		return 0;
	}
	struct pkg p;
	int r = pkg_load(path, &p);
	pkg_free(&p);
	return r == 0;
}

/* Point `current` (relative) at the valid version whose name sorts last. */
static void link_newest_version(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		return;
	}
	char best[NAME_MAX + 1] = "";
	struct dirent *e;
	while ((e = readdir(d))) {
		char sub[PATH_MAX];
		if (e->d_name[0] == '.' || strcmp(e->d_name, "logs") == 0) {
			continue;
		}
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		if (strcmp(e->d_name, best) > 0 && is_dir(sub) && valid_version(dir, e->d_name)) {
			snprintf(best, sizeof best, "%s", e->d_name);
		}
	}
	closedir(d);
	if (!best[0]) {
		return;
	}
	char link[PATH_MAX];
	snprintf(link, sizeof link, "%s/current", dir);
	if (symlink(best, link) < 0) {
		log_errno(NULL, "cannot link %s to %s", link, best);
		return;
	}
	log_msg(NULL, "linked %s to %s", link, best);
}

static int has_current(const char *dir)
{
	char link[PATH_MAX];
	struct stat st;
	snprintf(link, sizeof link, "%s/current", dir);
	return lstat(link, &st) == 0;
}

void app_discover(const char *apps_dir)
{
	DIR *d = opendir(apps_dir);
	if (!d) {
		log_errno(NULL, "cannot read apps folder %s", apps_dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char dir[PATH_MAX];
		if (e->d_name[0] == '.' || app_find(e->d_name)) {
			continue;
		}
		if (snprintf(dir, sizeof dir, "%s/%s", apps_dir, e->d_name) >= (int)sizeof dir || !is_dir(dir)) {
			continue;
		}
		if (!has_current(dir)) {
			link_newest_version(dir);
		}
		if (!has_current(dir)) {
			continue;
		}
		struct app *a = app_create(apps_dir, e->d_name);
		if (!a) {
			log_msg(NULL, "cannot register app %s: out of memory", e->d_name);
			continue;
		}
		if (!app_load(a)) {
			a->state = APP_INVALID;
		}
	}
	closedir(d);
}

/* --- logging --- */

static void app_write_line(struct app *a, enum log_tag tag, const char *text, size_t len)
{
	int64_t wall = clock_wall_ms();
	char line[LINES_MAX + 64];
	size_t n = logfile_format(line, sizeof line, wall, tag, text, len);
	recent_add(&a->recent, line, n);
	logfile_write(&a->log, a->logdir, wall, tag, text, len, log_cap);
}

void app_log(struct app *a, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	size_t len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	app_write_line(a, LOG_SYSTEM, text, len);
	log_msg(a->name, "%s", text);
}

void app_set_error(struct app *a, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	replace(&a->error, strdup(text));
}

void app_clear_error(struct app *a)
{
	replace(&a->error, NULL);
}

/* --- output pipes --- */

static void emit_stdout(void *ctx, const char *line, size_t len)
{
	if (!lines_is_health_echo(line, len)) {
		app_write_line(ctx, LOG_STDOUT, line, len);
	}
}

static void emit_stderr(void *ctx, const char *line, size_t len)
{
	if (!lines_is_health_echo(line, len)) {
		app_write_line(ctx, LOG_STDERR, line, len);
	}
}

static void close_pipe(struct loop_fd *w)
{
	loop_unwatch(w);
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}

/* Read what the pipe has now: -1 at EOF or error, 0 when it is empty for
 * now, 1 when it may have more (a turn is bounded so others get theirs). */
static int read_pipe(struct app *a, struct loop_fd *w)
{
	static char chunk[65536];
	int is_out = w == &a->out_w;
	struct lines *l = is_out ? &a->out_lines : &a->err_lines;
	lines_emit_fn emit = is_out ? emit_stdout : emit_stderr;
	for (int round = 0; round < 16; round++) {
		ssize_t n = read(w->fd, chunk, sizeof chunk);
		if (n > 0) {
			lines_feed(l, chunk, (size_t)n, emit, a);
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
	return 1;
}

static void on_pipe(struct app *a, struct loop_fd *w)
{
	if (read_pipe(a, w) < 0) {
		/* EOF: the writers are gone. Partial lines wait for the exit. */
		close_pipe(w);
	}
}

static void on_stdout(struct loop_fd *w, short revents)
{
	on_pipe(container_of(w, struct app, out_w), w);
}

static void on_stderr(struct loop_fd *w, short revents)
{
	on_pipe(container_of(w, struct app, err_w), w);
}

void app_watch_output(struct app *a, int out_fd, int err_fd)
{
	if (loop_watch(&a->out_w, out_fd, POLLIN, on_stdout) < 0) {
		close(out_fd);
		a->out_w.fd = -1;
	}
	if (loop_watch(&a->err_w, err_fd, POLLIN, on_stderr) < 0) {
		close(err_fd);
		a->err_w.fd = -1;
	}
}

static void drain_one(struct app *a, struct loop_fd *w, struct lines *l, lines_emit_fn emit)
{
	if (w->fd >= 0) {
		/* Bounded: a grandchild that escaped may keep writing forever. */
		for (int i = 0; i < 64 && read_pipe(a, w) > 0; i++) {
		}
		close_pipe(w);
	}
	lines_flush(l, emit, a);
	lines_free(l);
}

void app_drain_output(struct app *a)
{
	drain_one(a, &a->out_w, &a->out_lines, emit_stdout);
	drain_one(a, &a->err_w, &a->err_lines, emit_stderr);
}
