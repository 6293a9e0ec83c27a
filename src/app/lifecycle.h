/* lifecycle: the per-app state machine (SPEC §3–§7), seen from outside:
 * set-up, the system-call seam for tests, and the events toesd's main
 * hands it (discovery, reaped children, shutdown). Requests live in
 * app/requests.h; the parts inside are app/transitions (one function per
 * transition), app/launch (starting), app/health (probes), app/deadlines
 * (what each timer means) and app/exits (reaping and what follows). */
#ifndef TOES_LIFECYCLE_H
#define TOES_LIFECYCLE_H

#include "app/app.h"
#include "app/ports.h"
#include "app/spawn.h"
#include "parse/config.h"

/* The system calls the state machine makes, as a seam: unit tests put
 * fakes here and drive the clock with loop_advance(). */
struct lifecycle_sys {
	int (*spawn)(const struct spawn_req *req, struct spawn_child *child, char *err, size_t cap);
	int (*kill)(pid_t pid, int signo);
	/* Reap one exited child (which: that one; -1: any): its pid, wait
	 * status and process group (read before it was reaped). 1, or 0 when
	 * there was none. */
	int (*reap)(pid_t which, pid_t *pid, int *status, pid_t *pgid);
	int (*port_busy)(int port);
	void (*probe_start)(struct probe *p, int port, const char *path, int64_t timeout_ms, probe_fn done);
	/* CLOCK_BOOTTIME in ns, read just before each spawn (app/procgroup.h). */
	int64_t (*boot_clock)(void);
	/* Whether the group pgid, its leader reaped, still holds a member of
	 * the run spawned at since (a boot_clock time): 1 yes, 0 no (the run
	 * is over), -1 cannot tell (procgroup_ours). */
	int (*group_ours)(pid_t pgid, int64_t since);
	/* The run was spawned / is over: its record for the next toesd
	 * (app/runrecord.h). May be NULL. */
	void (*run_started)(const struct app *a);
	void (*run_ended)(const struct app *a);
	/* Signal the processes the app left outside its group
	 * (app/leftovers.h). May be NULL. */
	int (*leftovers)(const struct app *a, int signo);
};

/* Set up the registry's timers and the state machine's own. -1 on ENOMEM. */
int lifecycle_init(const struct config *cfg, struct ports *pool);
void lifecycle_fini(void);
/* NULL puts the real system calls back. */
void lifecycle_set_sys(const struct lifecycle_sys *sys);

/* An app found in the apps folder (at start or by a rescan): started
 * unless invalid, which is logged, or stopped by request when toesd last
 * ran (want WANT_DOWN, from app/state.h), which stays stopped. */
void app_boot(struct app *a);
/* SIGCHLD for pid: reap that child at once (its restart need not wait for
 * a scan of every child), and every other exited child 10 ms later
 * (signals merge: one SIGCHLD may stand for several exits). */
void lifecycle_child_exited(pid_t pid);
/* Reap every exited child and hand exits to their apps. */
void lifecycle_reap(void);
/* SIGTERM/SIGINT: stop every app that has a process; no restart follows,
 * no request starts anything. */
void lifecycle_shutdown(void);
/* 1 once a shutdown began: nothing is started any more. */
int lifecycle_shutting_down(void);
/* 1 when some app needed SIGKILL during the shutdown (toesd exits 1). */
int lifecycle_needed_sigkill(void);

#endif
