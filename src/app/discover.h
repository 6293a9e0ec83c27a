/* discover: finding apps in APPS_DIR (SPEC §1): a folder with `current`
 * (created for the newest valid version when missing) is an app. */
#ifndef TOES_DISCOVER_H
#define TOES_DISCOVER_H

#include "app/app.h"

/* Register every app folder not registered yet; found (NULL: none) is
 * told about each new record (not loaded yet). Returns how many. */
size_t app_discover(const char *apps_dir, void (*found)(struct app *a));

#endif
