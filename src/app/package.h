/* package: an app's current/package.json read into its record (SPEC §2). */
#ifndef TOES_PACKAGE_H
#define TOES_PACKAGE_H

#include "app/app.h"

/* Read current/package.json: icon, tool, script, version. 1 when the app
 * is valid (a package.json error shown before is cleared), 0 when not
 * (the error says why). Other errors (a failed start) are kept. */
int app_load(struct app *a);

#endif
