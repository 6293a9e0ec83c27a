/* registry: every app record, found by name (sorted, for listings), by
 * id, by main pid, by process group and by folder identity, none with a
 * linear scan. Apps are added, removed and renamed while toesd runs.
 * Every change marks the app; once per loop turn, before the loop
 * sleeps, app_flush_changes tells the observers about each changed app
 * once, then frees the records removed during the turn. */
#ifndef TOES_REGISTRY_H
#define TOES_REGISTRY_H

#include "app/app.h"

#include <sys/stat.h>

/* What the state machine gives every record: the callbacks of the timers
 * it carries, and who is told first when a record goes (to let go of
 * what the state machine links the app into). */
struct app_hooks {
	loop_timer_fn deadline, survival, next_probe;
	void (*removed)(struct app *a);
};

/* apps_dir: where app folders live (absolute). */
void registry_init(const char *apps_dir, const struct app_hooks *hooks);

/* A new record for APPS_DIR/<name>, state stopped, or NULL with errno
 * set: EEXIST (the name is taken), ENAMETOOLONG (a path of it would
 * not fit PATH_MAX), ENOMEM. folder: the folder's stat (dev and inode),
 * or NULL. */
struct app *app_create(const char *name, const struct stat *folder);
/* 1 when every path toesd builds under APPS_DIR/<name> fits PATH_MAX. */
int app_name_fits(const char *name);
/* Forget the app: every timer, watcher, descriptor and buffer it owns is
 * released now; the record itself at the next flush, after the
 * observers were told (a->gone set). It must have no process left. */
void app_remove(struct app *a);
/* Give the app another name (its folders follow the name). -1 with
 * errno EEXIST, ENAMETOOLONG or ENOMEM; nothing changed then. */
int app_rename(struct app *a, const char *name);

struct app *app_find(const char *name);
struct app *app_find_id(uint32_t id);
struct app *app_find_pid(pid_t pid);
struct app *app_find_pgid(pid_t pgid);
struct app *app_find_folder(dev_t dev, ino_t ino);
/* The apps sorted by name: i < app_count(). */
size_t app_count(void);
struct app *app_at(size_t i);
/* Apps that have a process group (a process) now. */
size_t app_count_with_process(void);

/* The process of the current run; 0 clears. They keep the indexes. */
void app_set_pid(struct app *a, pid_t pid);
void app_set_pgid(struct app *a, pid_t pgid);

/* Something about the app changed: its observers hear of it once, at
 * the next flush. */
void app_mark_changed(struct app *a);
/* Told once per flush about every app that changed (a->gone: it was
 * removed; the record is freed right after). */
typedef void (*app_observer_fn)(const struct app *a);
/* At most 16 observers. -1 when full. */
int app_observe(app_observer_fn fn);
/* The loop's before-sleep hook. */
void app_flush_changes(void);

/* Remove every app and flush (at exit, and between unit tests). */
void registry_clear(void);

/* Set the folder's identity from a stat. */
void app_set_folder(struct app *a, const struct stat *st);

#endif
