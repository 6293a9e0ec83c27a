/* pidlock: the single-instance lock, an exclusive flock on
 * <run-dir>/toesd.pid holding toesd's pid (SPEC §11). */
#ifndef TOES_PIDLOCK_H
#define TOES_PIDLOCK_H

/* Take the lock before anything else in run_dir is touched and write our
 * pid. -1 with the reason on standard error ("already running (pid N)"). */
int pidlock_take(const char *run_dir);
/* At exit: truncate the file (never remove it: removing a locked file
 * would let a starting toesd lock a file nobody else looks at). */
void pidlock_release(void);

#endif
