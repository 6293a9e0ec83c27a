/* discover: one pass over APPS_DIR, creating missing `current` links. */
#include "app/discover.h"

#include "app/registry.h"
#include "base/log.h"
#include "base/path.h"
#include "parse/pkg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* What a look at an app folder's versions found. */
struct versions {
	char best[NAME_MAX + 1];    /* the valid version whose name sorts last; "" */
	char newest[NAME_MAX + 1];  /* the version folder whose name sorts last; "" */
	char newest_error[300];     /* why newest is not valid, when it is not best */
};

/* 0 when dir/version/package.json is valid and has scripts.toes; else
 * why not in why. */
static int check_version(const char *dir, const char *version, char *why, size_t cap)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/%s/package.json", dir, version) < 0) {
		snprintf(why, cap, "its path is too long");
		return -1;
	}
	struct pkg p;
	int r = pkg_load(path, &p);
	if (r != 0) {
		snprintf(why, cap, "%s", p.error);
	}
	pkg_free(&p);
	return r == 0 ? 0 : -1;
}

/* One entry of an app folder. Names that sort before both best and
 * newest cannot change either and are not even looked at. */
static void consider_version(const char *dir, const char *name, struct versions *v)
{
	char sub[PATH_MAX], why[sizeof v->newest_error];
	int newer = strcmp(name, v->newest) > 0;
	if (name[0] == '.' || strcmp(name, "logs") == 0 || (!newer && strcmp(name, v->best) <= 0)) {
		return;
	}
	if (path_format(sub, sizeof sub, "%s/%s", dir, name) < 0 || !is_dir(sub)) {
		return;
	}
	if (newer) {
		memcpy(v->newest, name, strlen(name) + 1);
	}
	if (strcmp(name, v->best) <= 0) {
		return;
	}
	if (check_version(dir, name, why, sizeof why) == 0) {
		memcpy(v->best, name, strlen(name) + 1);
	} else if (newer) {
		memcpy(v->newest_error, why, sizeof why);
	}
}

/* A folder that is no app, said with what to do: the scan skips it. */
static void say_not_an_app(const char *dir, const char *name, const struct versions *v)
{
	char top[PATH_MAX];
	struct stat st;
	if (v->newest[0]) {
		log_msg(NULL, "skipped %s: no version with a package.json that has scripts.toes "
			"(the newest, %s: %s)", name, v->newest, v->newest_error);
	} else if (path_format(top, sizeof top, "%s/package.json", dir) == 0 && lstat(top, &st) == 0) {
		log_msg(NULL, "skipped %s: no version with a package.json that has scripts.toes "
			"(its package.json belongs in a version folder: %s/VERSION/package.json)", name, name);
	} else {
		log_msg(NULL, "skipped %s: no version with a package.json that has scripts.toes "
			"(no version folder)", name);
	}
}

/* Point `current` (relative) at the valid version whose name sorts last;
 * a newer version that is not valid is said and passed over. */
static void link_newest_version(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	if (!d) {
		log_errno(NULL, "skipped %s: cannot read its folder %s", name, dir);
		return;
	}
	struct versions v = { "", "", "" };
	struct dirent *e;
	while ((e = readdir(d))) {
		consider_version(dir, e->d_name, &v);
	}
	closedir(d);
	if (!v.best[0]) {
		say_not_an_app(dir, name, &v);
		return;
	}
	if (strcmp(v.newest, v.best) != 0) {
		log_msg(NULL, "%s: newest version %s skipped: %s; using %s", name, v.newest, v.newest_error, v.best);
	}
	char link[PATH_MAX];
	if (path_format(link, sizeof link, "%s/current", dir) < 0) {
		log_msg(NULL, "skipped %s: the path of its current link is too long", name);
		return;
	}
	if (symlink(v.best, link) < 0) {
		log_errno(NULL, "cannot link %s to %s; the app is not started", link, v.best);
		return;
	}
	log_msg(NULL, "linked %s to %s", link, v.best);
}

static int has_current(const char *dir)
{
	char link[PATH_MAX];
	struct stat st;
	return path_format(link, sizeof link, "%s/current", dir) == 0 && lstat(link, &st) == 0;
}

/* One entry of APPS_DIR: registered when it is an app. make_current:
 * a folder without `current` gets one (at start and on a reload; a
 * folder seen by the watch may still be being copied, and waits for its
 * own `current`). */
static int consider(const char *apps_dir, const char *name, void (*found)(struct app *a), int make_current)
{
	char dir[PATH_MAX];
	struct stat st;
	if (name[0] == '.' || app_find(name)) {
		return 0;
	}
	if (!app_name_fits(name) || path_format(dir, sizeof dir, "%s/%s", apps_dir, name) < 0) {
		/* Said whether or not it is an app: what it holds cannot be read. */
		log_msg(NULL, "%s: the path of this folder in the apps folder is too long "
			"(toesd needs it below PATH_MAX with room for what it adds); skipped", name);
		return 0;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		return 0;
	}
	if (make_current && !has_current(dir)) {
		link_newest_version(dir, name);
	}
	if (!has_current(dir)) {
		return 0;
	}
	struct app *a = app_create(name, &st);
	if (!a) {
		log_errno(NULL, "cannot register app %s; it is skipped", name);
		return 0;
	}
	if (found) {
		found(a);
	}
	return 1;
}

static size_t discover(const char *apps_dir, void (*found)(struct app *a), int make_current)
{
	DIR *d = opendir(apps_dir);
	if (!d) {
		log_errno(NULL, "cannot read apps folder %s; no app is started", apps_dir);
		return 0;
	}
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		n += (size_t)consider(apps_dir, e->d_name, found, make_current);
	}
	closedir(d);
	return n;
}

size_t app_discover(const char *apps_dir, void (*found)(struct app *a))
{
	return discover(apps_dir, found, 1);
}

/* Only the folder itself going away removes an app: `current` has a
 * moment of absence in `ln -sfn` (a deploy, not a removal). */
int app_folder_present(const char *dir)
{
	return is_dir(dir);
}

struct rescan_counts app_rescan(const char *apps_dir, int make_current, void (*found)(struct app *a),
				void (*vanished)(struct app *a), int (*still_there)(struct app *a))
{
	struct rescan_counts n = { 0, 0, 0 };
	/* Backwards: a removal shifts only the apps already looked at. */
	for (size_t i = app_count(); i-- > 0;) {
		struct app *a = app_at(i);
		if (a->want == WANT_GONE) {
			continue;
		}
		if (!app_folder_present(a->dir)) {
			n.removed++;
			vanished(a);
		} else {
			n.changed += (size_t)(still_there(a) != 0);
		}
	}
	n.added = discover(apps_dir, found, make_current);
	return n;
}

enum rescan_one app_rescan_name(const char *apps_dir, const char *name, void (*found)(struct app *a),
				void (*vanished)(struct app *a), int (*still_there)(struct app *a))
{
	struct app *a = app_find(name);
	if (a && a->want == WANT_GONE) {
		return RESCAN_NONE;
	}
	if (a && !app_folder_present(a->dir)) {
		vanished(a);
		return RESCAN_REMOVED;
	}
	if (a) {
		return still_there(a) ? RESCAN_CHANGED : RESCAN_NONE;
	}
	return consider(apps_dir, name, found, 0) ? RESCAN_ADDED : RESCAN_NONE;
}
