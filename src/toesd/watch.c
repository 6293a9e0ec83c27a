/* watch: inotify on the apps folder, its folders and their versions; the
 * debounce; the rescan that stands in where inotify cannot be used. */
#include "toesd/watch.h"

#include "app/discover.h"
#include "base/index.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/path.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* What each kind of watch is told. The version folder: package.json
 * written, replaced or removed, or the folder itself gone. */
#define APPS_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define FOLDER_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)
#define VERSION_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | \
			IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* One name in APPS_DIR and what of it is watched. */
struct watched {
	char *name;
	int folder_wd, version_wd;    /* -1: none */
	struct index_link by_name, by_folder_wd, by_version_wd;
	struct watched *next;         /* every entry */
	struct watched *dirty_next;
	unsigned char dirty;
};

static struct {
	const char *apps_dir;
	struct watch_hooks hooks;
	int64_t debounce_ms, rescan_ms;
	int fd;                       /* inotify; -1 in rescan mode */
	int apps_wd;
	struct loop_fd w;
	struct loop_timer debounce, rescan;
	struct index names;
	struct index folder_wds, version_wds; /* apart: a link tells its kind by its index */
	struct watched *all, *dirty;
	size_t count;
	int everything;               /* the next pass looks at everything */
	int started;
} ws = { .fd = -1, .apps_wd = -1 };

/* --- the table --- */

static int64_t name_key(const char *name)
{
	return (int64_t)index_hash(name, strlen(name));
}

static struct watched *find_name(const char *name)
{
	for (struct index_link *l = index_find(&ws.names, name_key(name)); l; l = index_next(l)) {
		struct watched *e = container_of(l, struct watched, by_name);
		if (strcmp(e->name, name) == 0) {
			return e;
		}
	}
	return NULL;
}

static struct watched *entry_new(const char *name)
{
	struct watched *e = calloc(1, sizeof *e);
	if (!e || !(e->name = strdup(name)) || index_reserve(&ws.names, ws.count + 1) < 0 ||
	    index_reserve(&ws.folder_wds, ws.count + 1) < 0 || index_reserve(&ws.version_wds, ws.count + 1) < 0) {
		if (e) {
			free(e->name);
		}
		free(e);
		return NULL;
	}
	e->folder_wd = e->version_wd = -1;
	index_add(&ws.names, &e->by_name, name_key(name));
	e->next = ws.all;
	ws.all = e;
	ws.count++;
	return e;
}

/* 1 when some watch of the table uses wd (two `current` links may
 * point at one folder): then it must stay. */
static int wd_used(int wd)
{
	return index_find(&ws.folder_wds, wd) || index_find(&ws.version_wds, wd);
}

static void drop_wd(int *wd, struct index *ix, struct index_link *link)
{
	if (*wd < 0) {
		return;
	}
	index_remove(ix, link);
	if (!wd_used(*wd) && ws.fd >= 0 && inotify_rm_watch(ws.fd, *wd) < 0 && errno != EINVAL) {
		log_errno(NULL, "cannot stop watching a folder of the apps folder");
	}
	*wd = -1;
}

static void entry_free(struct watched *e)
{
	drop_wd(&e->folder_wd, &ws.folder_wds, &e->by_folder_wd);
	drop_wd(&e->version_wd, &ws.version_wds, &e->by_version_wd);
	index_remove(&ws.names, &e->by_name);
	for (struct watched **p = &ws.all; *p; p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			break;
		}
	}
	ws.count--;
	free(e->name);
	free(e);
}

static void table_clear(void)
{
	while (ws.all) {
		entry_free(ws.all);
	}
	ws.dirty = NULL;
}

/* --- the rescan that stands in --- */

static void on_rescan(struct loop_timer *t)
{
	ws.hooks.everything();
	loop_timer_arm(&ws.rescan, loop_after_ms(ws.rescan_ms));
}

/* inotify cannot do the job: said once, then the timer does it. */
static void fall_back(const char *why)
{
	log_msg(NULL, "cannot watch the apps folder %s: %s; rescanning it every %lld ms instead", ws.apps_dir, why,
		(long long)ws.rescan_ms);
	if (ws.fd >= 0) {
		loop_unwatch(&ws.w);
		table_clear();
		close(ws.fd);
		ws.fd = -1;
	}
	loop_timer_cancel(&ws.debounce);
	loop_timer_arm(&ws.rescan, loop_after_ms(ws.rescan_ms));
}

/* --- following a name --- */

/* Add a watch on path: its wd, or -1 (nothing there is not an error; the
 * watch limit reached makes the rescan take over). */
static int add_watch(const char *path, uint32_t mask)
{
	int wd = inotify_add_watch(ws.fd, path, mask);
	if (wd < 0 && errno == ENOSPC) {
		fall_back("the inotify watch limit is reached (fs.inotify.max_user_watches)");
	} else if (wd < 0 && errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
		log_errno(NULL, "cannot watch %s; its changes are seen at the next reload", path);
	}
	return wd;
}

/* Move one watch of e to what path is now. */
static void follow_one(int *wd, struct index *ix, struct index_link *link, const char *path, uint32_t mask)
{
	int now = add_watch(path, mask);
	if (ws.fd < 0) {
		return; /* fell back meanwhile: the table is gone */
	}
	if (now == *wd) {
		return;
	}
	/* Out of the index first, so the old wd is removed unless another
	 * entry uses it (a new wd cannot be the old one: that returned). */
	drop_wd(wd, ix, link);
	if (now >= 0) {
		*wd = now;
		index_add(ix, link, now);
	}
}

/* The watches of e follow its folder and what its `current` points at
 * (inotify follows the link: the version folder is what is watched). */
static void follow(struct watched *e)
{
	char folder[PATH_MAX], current[PATH_MAX];
	if (path_format(folder, sizeof folder, "%s/%s", ws.apps_dir, e->name) < 0 ||
	    path_format(current, sizeof current, "%s/current", folder) < 0) {
		return;
	}
	follow_one(&e->folder_wd, &ws.folder_wds, &e->by_folder_wd, folder, FOLDER_EVENTS);
	if (ws.fd >= 0) {
		follow_one(&e->version_wd, &ws.version_wds, &e->by_version_wd, current, VERSION_EVENTS);
	}
}

/* --- events --- */

static void mark(struct watched *e)
{
	if (!e->dirty) {
		e->dirty = 1;
		e->dirty_next = ws.dirty;
		ws.dirty = e;
	}
	if (!loop_timer_armed(&ws.debounce)) {
		loop_timer_arm(&ws.debounce, loop_after_ms(ws.debounce_ms));
	}
}

static void mark_everything(void)
{
	ws.everything = 1;
	if (!loop_timer_armed(&ws.debounce)) {
		loop_timer_arm(&ws.debounce, loop_after_ms(ws.debounce_ms));
	}
}

static void mark_name(const char *name)
{
	if (name[0] == '.') {
		return; /* hidden: temporary files of editors and copies */
	}
	struct watched *e = find_name(name);
	if (!e && !(e = entry_new(name))) {
		log_msg(NULL, "out of memory for watching %s/%s; the whole folder is looked at again", ws.apps_dir, name);
		mark_everything();
		return;
	}
	mark(e);
}

/* An event on one of a name's watches. In its own folder only `current`
 * and new folders matter (logs/ is toesd's own; a version folder made
 * where `current` leads nowhere yet may be what it waits for); in the
 * version folder only package.json, or the folder itself going. */
static void on_entry_event(struct watched *e, int is_version, const struct inotify_event *ev)
{
	const char *name = ev->len ? ev->name : "";
	if (ev->mask & IN_IGNORED) {
		/* The kernel dropped the watch (its folder is gone). */
		index_remove(is_version ? &ws.version_wds : &ws.folder_wds,
			     is_version ? &e->by_version_wd : &e->by_folder_wd);
		*(is_version ? &e->version_wd : &e->folder_wd) = -1;
		mark(e);
	} else if (is_version) {
		if (!ev->len || strcmp(name, "package.json") == 0) {
			mark(e);
		}
	} else if (strcmp(name, "current") == 0 || (e->version_wd < 0 && strcmp(name, "logs") != 0)) {
		mark(e);
	}
}

static void on_event(const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		mark_everything();
		return;
	}
	if (ev->wd == ws.apps_wd) {
		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
			mark_everything();
		} else if (ev->len) {
			mark_name(ev->name);
		}
		return;
	}
	/* A handler may move the entry's link: the next one is taken first. */
	for (struct index_link *l = index_find(&ws.folder_wds, ev->wd), *next; l; l = next) {
		next = index_next(l);
		on_entry_event(container_of(l, struct watched, by_folder_wd), 0, ev);
	}
	for (struct index_link *l = index_find(&ws.version_wds, ev->wd), *next; l; l = next) {
		next = index_next(l);
		on_entry_event(container_of(l, struct watched, by_version_wd), 1, ev);
	}
}

static void on_inotify(struct loop_fd *w, short revents)
{
	/* Aligned for the events; one read takes many at once. */
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN) {
				log_errno(NULL, "cannot read the apps folder's changes");
				fall_back(strerror(errno));
			}
			return;
		}
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			on_event(ev);
			if (ws.fd < 0) {
				return; /* fell back */
			}
			p += sizeof *ev + ev->len;
		}
	}
}

/* --- the pass --- */

/* Watch every folder of APPS_DIR (a name is watched whether or not it
 * is an app yet: a `current` may come). */
static void watch_all_names(void)
{
	DIR *d = opendir(ws.apps_dir);
	if (!d) {
		return; /* said by the rescan that follows */
	}
	struct dirent *de;
	char path[PATH_MAX];
	while (ws.fd >= 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || path_format(path, sizeof path, "%s/%s", ws.apps_dir, de->d_name) < 0 ||
		    !app_folder_present(path)) {
			continue;
		}
		struct watched *e = find_name(de->d_name);
		if (!e && !(e = entry_new(de->d_name))) {
			log_msg(NULL, "out of memory for watching %s; it is seen at the next reload", path);
			continue;
		}
		follow(e);
	}
	closedir(d);
}

/* Everything from the start: the apps folder's own watch (it may have
 * been replaced), every name, then one look at all of it. */
static void pass_everything(void)
{
	ws.everything = 0;
	table_clear();
	if (ws.apps_wd >= 0) {
		inotify_rm_watch(ws.fd, ws.apps_wd);
	}
	ws.apps_wd = add_watch(ws.apps_dir, APPS_EVENTS);
	if (ws.fd >= 0 && ws.apps_wd < 0) {
		fall_back(strerror(errno));
	}
	if (ws.fd >= 0) {
		watch_all_names();
	}
	ws.hooks.everything();
}

/* The marked names, each looked at once: watches first, so a change
 * made while it is read is an event for the next pass. A name with no
 * folder left is forgotten after its app was told. */
static void on_debounce(struct loop_timer *t)
{
	if (ws.everything) {
		pass_everything();
		return;
	}
	struct watched *list = ws.dirty;
	ws.dirty = NULL;
	for (struct watched *e = list, *next; e; e = next) {
		next = e->dirty_next;
		e->dirty = 0;
		char path[PATH_MAX];
		int present = path_format(path, sizeof path, "%s/%s", ws.apps_dir, e->name) == 0 && app_folder_present(path);
		if (present) {
			follow(e);
			if (ws.fd < 0) {
				return; /* fell back: the rescan looks at everything */
			}
		}
		ws.hooks.name_changed(e->name);
		if (!present) {
			entry_free(e);
		}
	}
}

/* --- set-up --- */

int watch_start(const char *apps_dir, int64_t debounce_ms, int64_t rescan_ms, const struct watch_hooks *h)
{
	ws.apps_dir = apps_dir;
	ws.hooks = *h;
	ws.debounce_ms = debounce_ms;
	ws.rescan_ms = rescan_ms;
	if (loop_timer_init(&ws.debounce, on_debounce) < 0 || loop_timer_init(&ws.rescan, on_rescan) < 0) {
		return -1;
	}
	ws.started = 1;
	const char *off = getenv("TOES_NO_INOTIFY");
	if (off && strcmp(off, "1") == 0) {
		fall_back("TOES_NO_INOTIFY=1 is set");
		return 0;
	}
	ws.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ws.fd < 0) {
		fall_back(strerror(errno));
		return 0;
	}
	if (loop_watch(&ws.w, ws.fd, POLLIN, on_inotify) < 0) {
		int err = errno;
		close(ws.fd);
		ws.fd = -1;
		fall_back(strerror(err));
		return 0;
	}
	ws.apps_wd = add_watch(apps_dir, APPS_EVENTS);
	if (ws.fd >= 0 && ws.apps_wd < 0) {
		fall_back(strerror(errno));
		return 0;
	}
	if (ws.fd >= 0) {
		watch_all_names();
	}
	return 0;
}

void watch_recheck(const char *name)
{
	if (ws.fd >= 0) {
		mark_name(name);
	}
}

int watch_inotify(void)
{
	return ws.fd >= 0;
}

void watch_stop(void)
{
	if (!ws.started) {
		return;
	}
	if (ws.fd >= 0) {
		loop_unwatch(&ws.w);
		table_clear();
		close(ws.fd);
		ws.fd = -1;
	}
	index_free(&ws.names);
	index_free(&ws.folder_wds);
	index_free(&ws.version_wds);
	loop_timer_fini(&ws.debounce);
	loop_timer_fini(&ws.rescan);
	ws.started = 0;
}
