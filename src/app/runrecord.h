/* runrecord: what toesd started, kept where the next toesd finds it
 * after a crash of this one (SPEC §11): one file per running process
 * group, <run-dir>/run/<pgid>, holding "PID PGID START NAME" (START: the
 * main process's start time in clock ticks since boot, from /proc, so a
 * reused pid is told apart). Written at each spawn, removed when the run
 * is over: in the run-dir (a tmpfs), never on a timer. */
#ifndef TOES_RUNRECORD_H
#define TOES_RUNRECORD_H

#include "app/app.h"

#include <stddef.h>

struct run_record {
	pid_t pid, pgid;
	unsigned long long start;
	char name[128];
};

/* Parse one record's text; 0, or -1 when it is not one. Pure. */
int runrecord_parse(const char *text, struct run_record *r);

/* The folder <run_dir>/run (made when missing). 0, or -1 (logged: toesd
 * runs on without records). */
int runrecord_open(const char *run_dir);
void runrecord_close(void);
/* The app's run was spawned / is over. */
void runrecord_started(const struct app *a);
void runrecord_ended(const struct app *a);

/* The predecessor's processes still alive, from the records: each sent
 * signo (0: only counted). A record whose main pid is now another
 * process (another start time) counts for nothing. Returns how many
 * processes were found. */
size_t runrecord_signal_left(int signo);
/* Forget the predecessor's records (once its processes are gone). */
void runrecord_forget_left(void);

#endif
