/* registry: the records, their indexes, and the change flush. */
#include "app/registry.h"

#include "base/path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OBSERVERS 16
/* Room every app folder path leaves for what toesd puts under it
 * ("/current/package.json", "/logs/YYYY-MM-DD.log", ...). */
#define FOLDER_HEADROOM 64

static const char *apps_dir;
static struct app_hooks hooks;
static uint32_t next_id = 1;

/* Sorted by name: listings and lookups by name (binary search). */
static struct app **by_name;
static size_t n_apps, cap_apps;
static struct index ids, pids, pgids, inodes;

static struct app *changed_head, **changed_tail = &changed_head;
static app_observer_fn observers[MAX_OBSERVERS];
static size_t n_observers;

static const char *const state_names[] = {
	[APP_INVALID] = "invalid",
	[APP_STOPPED] = "stopped",
	[APP_STARTING] = "starting",
	[APP_RUNNING] = "running",
	[APP_STOPPING] = "stopping",
};

static const char *const detail_names[] = {
	[DETAIL_NONE] = NULL,
	[DETAIL_BACKOFF] = "backoff",
	[DETAIL_WAITING_PORT] = "waiting-port",
	[DETAIL_BY_REQUEST] = "by-request",
	[DETAIL_INSTALLING] = "installing",
	[DETAIL_SIGKILL] = "sigkill",
	[DETAIL_DRAINING] = "draining",
};

const char *app_state_name(enum app_state s)
{
	return state_names[s];
}

const char *app_detail_name(enum app_detail d)
{
	return detail_names[d];
}

void registry_init(const char *dir, const struct app_hooks *h)
{
	apps_dir = dir;
	hooks = *h;
}

/* --- lookups --- */

static size_t lower_bound(const char *name)
{
	size_t lo = 0, hi = n_apps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(by_name[mid]->name, name) < 0) {
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
	return i < n_apps && strcmp(by_name[i]->name, name) == 0 ? by_name[i] : NULL;
}

#define FIND_IN(ix, member, key) do { \
	struct index_link *l_ = index_find(&(ix), (int64_t)(key)); \
	return l_ ? container_of(l_, struct app, member) : NULL; \
} while (0)

struct app *app_find_id(uint32_t id)
{
	FIND_IN(ids, by_id, id);
}

struct app *app_find_pid(pid_t pid)
{
	FIND_IN(pids, by_pid, pid);
}

struct app *app_find_pgid(pid_t pgid)
{
	FIND_IN(pgids, by_pgid, pgid);
}

static int64_t inode_key(dev_t dev, ino_t ino)
{
	return (int64_t)((uint64_t)ino ^ ((uint64_t)dev << 40) ^ ((uint64_t)dev >> 24));
}

struct app *app_find_folder(dev_t dev, ino_t ino)
{
	int64_t key = inode_key(dev, ino);
	for (struct index_link *l = index_find(&inodes, key); l; l = index_next(l)) {
		struct app *a = container_of(l, struct app, by_inode);
		if (a->dev == dev && a->ino == ino) {
			return a;
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
	return by_name[i];
}

size_t app_count_with_process(void)
{
	return pgids.count;
}

void app_set_pid(struct app *a, pid_t pid)
{
	a->run.pid = pid;
	index_put(&pids, &a->by_pid, pid, pid != 0);
}

void app_set_pgid(struct app *a, pid_t pgid)
{
	a->run.pgid = pgid;
	index_put(&pgids, &a->by_pgid, pgid, pgid != 0);
}

void app_set_folder(struct app *a, const struct stat *st)
{
	a->dev = st ? st->st_dev : 0;
	a->ino = st ? st->st_ino : 0;
	index_put(&inodes, &a->by_inode, inode_key(a->dev, a->ino), st != NULL);
}

/* --- birth and death --- */

int app_name_fits(const char *name)
{
	return strlen(apps_dir) + 1 + strlen(name) + FOLDER_HEADROOM < PATH_MAX;
}

/* The folder paths of name: -1 (ENAMETOOLONG, ENOMEM) when they cannot be. */
static int make_paths(const char *name, char **dir, char **logdir)
{
	*dir = *logdir = NULL;
	if (!app_name_fits(name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*dir = path_join(apps_dir, name);
	*logdir = *dir ? path_join(*dir, "logs") : NULL;
	if (!*logdir) {
		free(*dir);
		*dir = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static int insert_by_name(struct app *a)
{
	if (n_apps == cap_apps) {
		size_t cap = cap_apps ? cap_apps * 2 : 16;
		struct app **p = realloc(by_name, cap * sizeof *p);
		if (!p) {
			return -1;
		}
		by_name = p;
		cap_apps = cap;
	}
	size_t i = lower_bound(a->name);
	memmove(by_name + i + 1, by_name + i, (n_apps - i) * sizeof *by_name);
	by_name[i] = a;
	n_apps++;
	return 0;
}

static void remove_by_name(struct app *a)
{
	size_t i = lower_bound(a->name);
	if (i < n_apps && by_name[i] == a) {
		memmove(by_name + i, by_name + i + 1, (n_apps - i - 1) * sizeof *by_name);
		n_apps--;
	}
}

/* Room in every index and the heap for one more app. */
static int reserve_for_one(struct app *a)
{
	size_t room = n_apps + 1;
	if (index_reserve(&ids, room) < 0 || index_reserve(&pids, room) < 0 ||
	    index_reserve(&pgids, room) < 0 || index_reserve(&inodes, room) < 0) {
		return -1;
	}
	if (loop_timer_init(&a->deadline, hooks.deadline) < 0 ||
	    loop_timer_init(&a->survival, hooks.survival) < 0 ||
	    loop_timer_init(&a->next_probe, hooks.next_probe) < 0 ||
	    probe_init(&a->probe) < 0) {
		return -1;
	}
	return 0;
}

static void free_record(struct app *a)
{
	loop_timer_fini(&a->deadline);
	loop_timer_fini(&a->survival);
	loop_timer_fini(&a->next_probe);
	probe_fini(&a->probe);
	free(a->name);
	free(a->dir);
	free(a->logdir);
	free(a->error);
	free(a->icon);
	free(a->tool);
	free(a->health);
	free(a->version);
	free(a->script);
	free(a->rename_to);
	free(a->rename_error);
	free(a->deploy.previous);
	free(a->deploy.trying);
	free(a->deploy.outcome);
	free(a->deploy.outcome_version);
	free(a);
}

struct app *app_create(const char *name, const struct stat *folder)
{
	if (app_find(name)) {
		errno = EEXIST;
		return NULL;
	}
	struct app *a = calloc(1, sizeof *a);
	if (!a) {
		errno = ENOMEM;
		return NULL;
	}
	/* Every descriptor "none" before anything can fail: free_record on a
	 * half-built record must not close descriptor 0. */
	a->out_w.fd = a->err_w.fd = a->status_w.fd = a->probe.w.fd = -1;
	logfile_init(&a->log);
	if (make_paths(name, &a->dir, &a->logdir) < 0) {
		int err = errno;
		free_record(a);
		errno = err;
		return NULL;
	}
	a->name = strdup(name);
	if (!a->name || reserve_for_one(a) < 0 || insert_by_name(a) < 0) {
		free_record(a);
		errno = ENOMEM;
		return NULL;
	}
	a->id = next_id++;
	a->state = APP_STOPPED;
	index_add(&ids, &a->by_id, a->id);
	app_set_folder(a, folder);
	app_mark_changed(a);
	return a;
}

static void close_watched(struct loop_fd *w)
{
	loop_unwatch(w);
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}

/* Everything but the memory of the record: no callback can reach it now. */
static void release_owned(struct app *a)
{
	close_watched(&a->out_w);
	close_watched(&a->err_w);
	close_watched(&a->status_w);
	lines_free(&a->out_lines);
	lines_free(&a->err_lines);
	loop_timer_cancel(&a->deadline);
	loop_timer_cancel(&a->survival);
	loop_timer_cancel(&a->next_probe);
	probe_cancel(&a->probe);
	logfile_close(&a->log, a->logdir, clock_wall_ms());
	recent_free(&a->recent);
	app_set_pid(a, 0);
	app_set_pgid(a, 0);
	app_set_folder(a, NULL);
	index_remove(&ids, &a->by_id);
}

void app_remove(struct app *a)
{
	if (a->gone) {
		return;
	}
	if (hooks.removed) {
		hooks.removed(a);
	}
	remove_by_name(a);
	release_owned(a);
	a->gone = 1;
	app_mark_changed(a);
}

int app_rename(struct app *a, const char *name)
{
	if (a->gone) {
		errno = ENOENT;
		return -1;
	}
	if (app_find(name)) {
		errno = EEXIST;
		return -1;
	}
	char *dir, *logdir, *copy;
	if (make_paths(name, &dir, &logdir) < 0) {
		return -1;
	}
	if (!(copy = strdup(name))) {
		free(dir);
		free(logdir);
		errno = ENOMEM;
		return -1;
	}
	remove_by_name(a);
	free(a->name);
	free(a->dir);
	free(a->logdir);
	a->name = copy;
	a->dir = dir;
	a->logdir = logdir;
	insert_by_name(a); /* cannot fail: the slot it left is free */
	app_mark_changed(a);
	return 0;
}

/* --- changes --- */

void app_mark_changed(struct app *a)
{
	if (a->changed) {
		return;
	}
	a->changed = 1;
	a->changed_next = NULL;
	*changed_tail = a;
	changed_tail = &a->changed_next;
}

int app_observe(app_observer_fn fn)
{
	if (n_observers == MAX_OBSERVERS) {
		return -1;
	}
	observers[n_observers++] = fn;
	return 0;
}

void app_flush_changes(void)
{
	/* An observer does not change apps; a few rounds bound it anyway. */
	for (int round = 0; changed_head && round < 4; round++) {
		struct app *a = changed_head;
		changed_head = NULL;
		changed_tail = &changed_head;
		while (a) {
			struct app *next = a->changed_next;
			a->changed = 0;
			for (size_t i = 0; i < n_observers; i++) {
				observers[i](a);
			}
			if (a->gone) {
				free_record(a);
			}
			a = next;
		}
	}
}

void registry_clear(void)
{
	while (n_apps) {
		app_remove(by_name[n_apps - 1]);
	}
	app_flush_changes();
	free(by_name);
	by_name = NULL;
	cap_apps = 0;
	index_free(&ids);
	index_free(&pids);
	index_free(&pgids);
	index_free(&inodes);
}
