/* discover: one pass over APPS_DIR, creating missing `current` links. */
#include "app/discover.h"

#include "app/registry.h"
#include "base/log.h"
#include "base/path.h"
#include "parse/pkg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int valid_version(const char *dir, const char *version)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/%s/package.json", dir, version) < 0) {
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
		if (e->d_name[0] == '.' || strcmp(e->d_name, "logs") == 0 || strcmp(e->d_name, best) <= 0) {
			continue;
		}
		if (path_format(sub, sizeof sub, "%s/%s", dir, e->d_name) == 0 && is_dir(sub) &&
		    valid_version(dir, e->d_name)) {
			memcpy(best, e->d_name, strlen(e->d_name) + 1);
		}
	}
	closedir(d);
	char link[PATH_MAX];
	if (!best[0] || path_format(link, sizeof link, "%s/current", dir) < 0) {
		return;
	}
	if (symlink(best, link) < 0) {
		log_errno(NULL, "cannot link %s to %s; the app is not started", link, best);
		return;
	}
	log_msg(NULL, "linked %s to %s", link, best);
}

static int has_current(const char *dir)
{
	char link[PATH_MAX];
	struct stat st;
	return path_format(link, sizeof link, "%s/current", dir) == 0 && lstat(link, &st) == 0;
}

/* One entry of APPS_DIR: registered when it is an app. */
static int consider(const char *apps_dir, const char *name, void (*found)(struct app *a))
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
	if (!has_current(dir)) {
		link_newest_version(dir);
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

size_t app_discover(const char *apps_dir, void (*found)(struct app *a))
{
	DIR *d = opendir(apps_dir);
	if (!d) {
		log_errno(NULL, "cannot read apps folder %s; no app is started", apps_dir);
		return 0;
	}
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		n += (size_t)consider(apps_dir, e->d_name, found);
	}
	closedir(d);
	return n;
}

int app_folder_present(const char *dir)
{
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && has_current(dir);
}

struct rescan_counts app_rescan(const char *apps_dir, void (*found)(struct app *a),
				void (*vanished)(struct app *a))
{
	struct rescan_counts n = { 0, 0 };
	/* Backwards: a removal shifts only the apps already looked at. */
	for (size_t i = app_count(); i-- > 0;) {
		struct app *a = app_at(i);
		if (a->want != WANT_GONE && !app_folder_present(a->dir)) {
			n.removed++;
			vanished(a);
		}
	}
	n.added = app_discover(apps_dir, found);
	return n;
}
