/* deploy: a version put on trial when `current` points at it (SPEC §10),
 * and undone when it does not come up. A deploy is watched until the app
 * reaches running; each run that ends before is a failed attempt; at the
 * third (at once for an /ok that answers an error, or a package.json that
 * is not valid: nothing would retry those), `current` points back at the
 * version before, atomically, and that one starts. --no-rollback leaves
 * the new version to its backoff. toesctl deploy and rollback are here
 * too, and --keep-versions, which removes old version folders once a
 * deploy has been running for --stable-time. */
#ifndef TOES_DEPLOY_H
#define TOES_DEPLOY_H

#include "app/app.h"
#include "app/exits.h"
#include "app/requests.h"

#include <stddef.h>

/* The start attempts a deployed version has to reach running. */
#define DEPLOY_ATTEMPTS 3

/* `current` points at another version than from (the one the app ran):
 * the new one is on trial. */
void deploy_begin(struct app *a, const char *from);
/* The app reached running: a version on trial passed. */
void deploy_passed(struct app *a);
/* A run ended before running; next is what follows it. 1 when the
 * deploy took over (rolled back and started the previous version): the
 * caller does nothing more. */
int deploy_run_failed(struct app *a, enum exit_next next);
/* The trial ends without a verdict (stopped by request, toesd shutting
 * down, the app removed): its waiters hear why. */
void deploy_interrupted(struct app *a, const char *why);
/* The new version's package.json is not valid (the process, if any, is
 * the old version's): roll back at once. 1 when it did. */
int deploy_invalid(struct app *a, const char *from);

/* toesctl deploy NAME VERSION: VERSION's package.json checked (invalid:
 * REQ_INVALID, why, nothing changed), `current` flipped, the app
 * restarted there. REQ_WAIT_DEPLOYED, or a refusal with why. */
enum request_result app_request_deploy(struct app *a, const char *version, char *why, size_t cap);
/* toesctl rollback NAME: the deploy of the version before the last one. */
enum request_result app_request_rollback(struct app *a, char *why, size_t cap);

int deploy_init(void);
void deploy_fini(void);

#endif
