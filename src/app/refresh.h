/* refresh: an app's package.json or `current` read again while toesd
 * runs (SPEC §10), at a reload and, with the watcher, on a change: icon
 * and tool are updated; valid→invalid stops a running app; invalid→valid
 * starts it; `current` pointed at another version restarts it there. */
#ifndef TOES_REFRESH_H
#define TOES_REFRESH_H

#include "app/app.h"

enum refresh_result {
	REFRESH_SAME,      /* nothing changed */
	REFRESH_UPDATED,   /* the record took what changed; nothing else to do */
	REFRESH_DEPLOYED,  /* another version: restarting on it */
	REFRESH_STARTED,   /* it was invalid and is valid now: started */
	REFRESH_INVALID,   /* it became invalid: stopped, or stopping */
	REFRESH_NOT_NOW,   /* package.json cannot be read now: no verdict */
	REFRESH_ROLLED_BACK, /* `current` moved to a version that is not valid: moved back */
};

enum refresh_result app_refresh(struct app *a);
/* "updated", "restarted on the new version"...: for reload's answer. */
const char *refresh_result_name(enum refresh_result r);

#endif
