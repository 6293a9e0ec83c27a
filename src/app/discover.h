/* discover: finding apps in APPS_DIR (SPEC §1): a folder with `current`
 * (created for the newest valid version when missing) is an app. */
#ifndef TOES_DISCOVER_H
#define TOES_DISCOVER_H

#include "app/app.h"

/* Register every app folder not registered yet; found (NULL: none) is
 * told about each new record (not loaded yet). Returns how many. */
size_t app_discover(const char *apps_dir, void (*found)(struct app *a));

/* 1 when dir (an app folder) is still there (a folder). */
int app_folder_present(const char *dir);

/* A rescan (SPEC §10, reload): apps whose folder is gone are told to
 * vanished, the others to still_there (1 when it changed something),
 * new app folders to found (make_current: one without `current` gets
 * it, as at start). Returns how many of each. */
struct rescan_counts {
	size_t added, removed, changed;
};
struct rescan_counts app_rescan(const char *apps_dir, int make_current, void (*found)(struct app *a),
				void (*vanished)(struct app *a), int (*still_there)(struct app *a));

/* One name of APPS_DIR looked at again (the watch): its app removed when
 * its folder is gone, else refreshed; a new folder with a `current`
 * registered (none is made for it: it may still be being copied). */
enum rescan_one { RESCAN_NONE, RESCAN_ADDED, RESCAN_REMOVED, RESCAN_CHANGED };
enum rescan_one app_rescan_name(const char *apps_dir, const char *name, void (*found)(struct app *a),
				void (*vanished)(struct app *a), int (*still_there)(struct app *a));

#endif
