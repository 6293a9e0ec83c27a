/* package: an app's current/package.json read into its record (SPEC §2). */
#ifndef TOES_PACKAGE_H
#define TOES_PACKAGE_H

#include "app/app.h"

#include <stddef.h>

enum load_result {
	LOAD_INVALID, /* read, and wrong: the error says why */
	LOAD_VALID,   /* read, and an app */
	LOAD_AGAIN,   /* could not be read now (EMFILE, ENOMEM, `current`
	               * missing in the middle of a swap): no verdict; the
	               * record is left as it was and the error says why */
};

/* Read current/package.json: icon, tool, script, version. A package.json
 * error shown before is cleared when it is valid; other errors (a failed
 * start) are kept. */
enum load_result app_load(struct app *a);
/* The same when package.json is valid; when not (or not now), the record
 * is left as it was (a running process keeps its status) and why says
 * what is wrong. */
enum load_result app_load_if_valid(struct app *a, char *why, size_t cap);

/* What a load found changed, against the record. */
struct package_changes {
	int version;  /* `current` points at another folder */
	int fields;   /* icon, tool, health, the script, or the error differ */
};
/* app_load, telling what changed (all 0 for LOAD_AGAIN). */
enum load_result app_load_changes(struct app *a, struct package_changes *ch);

#endif
