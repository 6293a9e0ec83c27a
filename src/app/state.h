/* state: each app's port booking and stopped-by-request mark, kept in
 * $TOES_DIR/state across restarts of toesd (SPEC §11, §4.1). Read once at
 * start, before the apps are found; written (a temporary file in the same
 * folder, fsync, rename, fsync of the folder) at the end of a loop turn
 * in which a booking or a mark changed: never on a timer, and several
 * changes in one turn cost one write. The format is parse/statefile. */
#ifndef TOES_STATE_H
#define TOES_STATE_H

#include "app/app.h"
#include "app/ports.h"

/* Read toes_dir/state and keep what it says for state_restore, which
 * books ports in pool. A missing file says nothing (the first start); a
 * corrupt or truncated one, a link or anything but a regular file is
 * said once in toesd's log and ignored: every app starts fresh. */
void state_load(const char *toes_dir, struct ports *pool);

/* An app just found at start (app_discover's found callback, before any
 * app is booted): its kept port is booked for it (last_port) and its mark
 * restored (want WANT_DOWN: app_boot leaves it stopped). */
void state_restore(struct app *a);

/* The apps are booted: from now on changes are written. Kept entries no
 * app claimed (their folder is gone) are dropped by the first write. */
void state_watch(void);

/* After each app_flush_changes (the loop's before-sleep hook): write the
 * file when a booking or mark changed. A failed write is logged and
 * tried again at the next change of any app. */
void state_flush(void);

/* At exit, before the registry is cleared (its removals are no change of
 * the state): stop writing, free what is kept. */
void state_fini(void);

#endif
