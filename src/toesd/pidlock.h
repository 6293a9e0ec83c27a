/* pidlock: the single-instance locks (SPEC §11): an exclusive flock on
 * <run-dir>/toesd.pid holding toesd's pid, and one on APPS_DIR itself, so
 * that one apps folder has one toesd whatever its run and toes folders. */
#ifndef TOES_PIDLOCK_H
#define TOES_PIDLOCK_H

/* Take the lock before anything else in run_dir is touched and write our
 * pid. -1 with the reason on standard error ("already running (pid N)"). */
int pidlock_take(const char *run_dir);
/* Lock the apps folder itself (after pidlock_take, before anything
 * touches the apps). -1 with the reason on standard error when another
 * toesd holds it: "another toesd (pid N) already manages APPS_DIR", N
 * read from /proc/locks. A folder that cannot be locked at all (a file
 * system without locks) is said and toesd goes on. */
int appslock_take(const char *apps_dir);
/* At exit: truncate the file (never remove it: removing a locked file
 * would let a starting toesd lock a file nobody else looks at), and let
 * the apps folder go. */
void pidlock_release(void);

#endif
