/* package: an app's current/package.json read into its record (SPEC §2). */
#ifndef TOES_PACKAGE_H
#define TOES_PACKAGE_H

#include "app/app.h"

#include <stddef.h>

/* Read current/package.json: icon, tool, script, version. 1 when the app
 * is valid (a package.json error shown before is cleared), 0 when not
 * (the error says why). Other errors (a failed start) are kept. */
int app_load(struct app *a);
/* The same when package.json is valid; when not, the record is left as
 * it was (a running process keeps its status) and why says what is wrong. */
int app_load_if_valid(struct app *a, char *why, size_t cap);

#endif
