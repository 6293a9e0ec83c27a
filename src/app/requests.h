/* requests: what a person asks of an app (SPEC §8), as functions of the
 * state machine. The control socket only parses, calls these and waits
 * for the app's changes; every decision is here. */
#ifndef TOES_REQUESTS_H
#define TOES_REQUESTS_H

#include "app/app.h"

#include <stddef.h>

enum request_result {
	REQ_STARTED,            /* a process was spawned */
	REQ_FAILED,             /* it could not be started: a->error says why */
	REQ_INVALID,            /* package.json is not valid (a->error); nothing changed */
	REQ_ALREADY,            /* nothing to do: already in the asked state */
	REQ_WAIT_STARTED,       /* stopping first: a new run follows its exit */
	REQ_WAIT_STOPPED,       /* stopping: done once the group is gone */
	REQ_WAIT_REMOVED,       /* stopping: forgotten once the group is gone */
	REQ_CANCELLED_RESTART,  /* stopped: its scheduled restart was cancelled */
	REQ_CANCELLED_WAIT,     /* stopped: its wait for a port was cancelled */
	REQ_REMOVED,            /* forgotten at once (the record goes at the flush) */
	REQ_SHUTTING_DOWN,      /* toesd is stopping: nothing starts */
	REQ_REMOVING,           /* the app is being removed */
	REQ_RENAMED,            /* renamed now (app/rename.h) */
	REQ_WAIT_RENAMED,       /* stopping: renamed once the group is gone */
	REQ_BAD_NAME,           /* the new name breaks the rules (why) */
	REQ_REFUSED,            /* the request cannot be made (why); nothing changed */
	REQ_WAIT_DEPLOYED,      /* on trial: answered once running or rolled back (app/deploy.h) */
};

/* start: from stopped or invalid (if valid now): clear the error and the
 * stop mark, reset the attempt counter, start. From stopping: start
 * again once the old process is gone. */
enum request_result app_request_start(struct app *a);
/* stop: stop the process and mark stopped by request; or cancel a
 * scheduled restart or a wait for a port. No restart follows. */
enum request_result app_request_stop(struct app *a);
/* restart: package.json is checked first (invalid: why says what is
 * wrong, and the running process and its record are left alone); then
 * stop, wait for the exit, reset the attempt counter, start with what was
 * read. Without a process: start. */
enum request_result app_request_restart(struct app *a, char *why, size_t cap);
/* remove: stop the process if any, then forget the app (its port
 * booking too). */
enum request_result app_request_remove(struct app *a);

#endif
