/* transitions: inside the state machine. The context its parts share,
 * and one function per transition of SPEC §3: each sets state and
 * detail, runs the transition's effects (timers, signals, the port
 * queue) and marks the app changed. Nothing else writes state or detail. */
#ifndef TOES_TRANSITIONS_H
#define TOES_TRANSITIONS_H

#include "app/lifecycle.h"

struct lifecycle {
	const struct config *cfg;
	struct ports *pool;
	const struct lifecycle_sys *sys;
	int shutting_down;
	int sigkill_needed;           /* during the shutdown */
	/* Apps waiting for a free port (detail waiting-port), oldest first. */
	struct app *waiting_head, *waiting_tail;
	struct loop_timer port_freed; /* starts waiting apps from the loop */
	struct loop_timer reap_sweep; /* reaps every exited child, after a turn */
};
extern struct lifecycle lc;

/* The least wait before retrying a start that failed inside toesd. */
#define SPAWN_RETRY_MS 1000
/* How long after a SIGCHLD every other exited child is reaped. */
#define REAP_SWEEP_MS 10

/* invalid: no usable package.json, or /ok answered an error at start. */
void enter_invalid(struct app *a);
/* stopped, nothing scheduled (ended by itself with code 0, shutdown). */
void enter_idle(struct app *a);
/* stopped (by-request). */
void enter_by_request(struct app *a);
/* stopped (backoff): the next attempt, logged and armed. floor_ms is a
 * lower bound for failures of toesd's own that a zero delay would only
 * repeat at once. */
void enter_backoff(struct app *a, int64_t floor_ms);
/* stopped (waiting-port): joins the queue; starts once a port is free. */
void enter_waiting_port(struct app *a);
/* starting (installing): the install command was spawned. */
void enter_installing(struct app *a);
/* starting: the app was spawned; probes, survival and the startup
 * timeout are armed. */
void enter_starting(struct app *a);
/* running: http says whether it answered /ok (then health checks run). */
void enter_running(struct app *a, int http);
/* stopping: SIGTERM to the group, SIGKILL at the stop timeout. Already
 * stopping: only the cause is updated (a shutdown or removal wins). */
void enter_stopping(struct app *a, enum stop_cause cause);
/* stopping (sigkill): the stop timeout passed. */
void enter_sigkill(struct app *a);
/* stopping (draining): the main process exited, its group lives on. */
void enter_draining(struct app *a);

/* The process group is gone (kill(-pgid, 0) says so). Asked only while
 * toesd has not seen the group gone, so the id cannot be reused yet. */
int group_empty(const struct app *a);
/* The registry forgets the app: out of the port queue. */
void app_leaving(struct app *a);
/* Give the app's port back; waiting apps start from the loop. */
void release_port(struct app *a);

/* app/launch.c: load package.json; when it is not valid, say why in the
 * app's log and enter invalid; when it cannot be read now (EMFILE, a
 * swap of current), say why and enter the backoff. 1 when valid. */
int app_load_or_invalid(struct app *a);
/* Load package.json to see whether the app became invalid: 1 when it did
 * (logged, invalid entered); 0 when valid or unreadable for now. */
int app_invalid_now(struct app *a);
/* Load package.json, then start (0 when a process was
 * spawned; -1 when not, and the state says why). */
int app_start(struct app *a);
/* The same with package.json just loaded and valid. */
int app_start_loaded(struct app *a);
/* The install ended well: the same start goes on with the app itself. */
void launch_after_install(struct app *a);
/* The exec status pipe: read what it says (a failure sets the error and
 * cannot_run), then close it. */
void read_exec_status(struct app *a);
void close_exec_status(struct app *a);
int launch_init(void);
void launch_fini(void);

/* app/exits.c: the run is over (main reaped, group empty). */
void group_gone(struct app *a);
int exits_init(void);
void exits_fini(void);

/* app/health.c and app/deadlines.c: the timers' callbacks. */
void on_next_probe(struct loop_timer *t);
void on_survival(struct loop_timer *t);
void on_deadline(struct loop_timer *t);

#endif
