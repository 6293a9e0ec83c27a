/* rename: toesctl rename OLD NEW (SPEC §9). The new name is checked,
 * the process (if any) stopped and waited for; then the app folder, its
 * data folder and its env file move to the new name, each put back when
 * a later one cannot move, so a failure leaves the app as it was. The
 * record (its id, its port booking, its log) goes on under the new name,
 * its attempt counter reset, started again if it was wanted up. */
#ifndef TOES_RENAME_H
#define TOES_RENAME_H

#include "app/app.h"
#include "app/requests.h"

#include <stddef.h>

/* REQ_RENAMED (moved now; a restart that was in backoff starts at once),
 * REQ_WAIT_RENAMED (stopping first: rename_finish follows the exit),
 * REQ_BAD_NAME and REQ_REFUSED (why: the name breaks the rules, or is
 * taken), REQ_FAILED (why: a move failed, what had moved was put back),
 * REQ_ALREADY (to is its name), REQ_SHUTTING_DOWN, REQ_REMOVING. */
enum request_result app_request_rename(struct app *a, const char *to, char *why, size_t cap);
/* The process of a rename is gone: move, or say in rename_error why not. */
void rename_finish(struct app *a);
/* A shutdown or a removal came first: the rename is not made. */
void rename_given_up(struct app *a);

#endif
