/* appsm: the per-app state machine (SPEC §3–§7). Every state change goes
 * through app_set_state(); every event an app can get is a function here. */
#ifndef TOES_APPSM_H
#define TOES_APPSM_H

#include "app/app.h"
#include "parse/config.h"
#include "app/ports.h"
#include "app/spawn.h"

/* Called after every state change (status file, waiting requests). */
typedef void (*appsm_change_fn)(struct app *a);

/* -1 when out of memory. */
int appsm_init(const struct config *cfg, struct ports *pool, appsm_change_fn on_change);

/* The system calls the state machine makes, as a seam: unit tests put
 * fakes here and drive the clock with loop_advance(). */
struct appsm_sys {
	int (*spawn)(const struct spawn_req *req, struct spawn_child *child, char *err, size_t cap);
	int (*kill)(pid_t pid, int signo);
	pid_t (*waitpid)(pid_t pid, int *status, int flags);
	int (*port_busy)(int port);
	void (*probe_start)(struct probe *p, int port, int64_t timeout_ms, probe_fn done);
};
void appsm_set_sys(const struct appsm_sys *sys);

void app_set_state(struct app *a, enum app_state s);

/* Start from stopped or invalid: load package.json, take a port, spawn.
 * Returns 0 when a process was spawned, -1 when not (a->error says why). */
int app_start(struct app *a);
/* Stop the process group: SIGTERM now, SIGKILL at the stop timeout. */
void app_stop(struct app *a, enum stop_cause cause);
/* toesctl stop: mark stopped by request; stop, or cancel a scheduled restart. */
void app_stop_request(struct app *a);
/* Reap every exited child and hand exits to their apps (on SIGCHLD). */
void appsm_reap(void);
/* SIGTERM/SIGINT: stop every app; no restart follows. */
void appsm_shutdown(void);
/* During shutdown: 1 once no app has a process left. */
int appsm_all_stopped(void);
/* 1 when some app needed SIGKILL (toesd then exits 1). */
int appsm_needed_sigkill(void);

#endif
