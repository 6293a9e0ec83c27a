/* app: the per-app record and the registry that owns every record.
 * Other modules borrow pointers; only the registry frees them. */
#ifndef TOES_APP_H
#define TOES_APP_H

#include "parse/lines.h"
#include "app/logfile.h"
#include "base/loop.h"
#include "app/probe.h"
#include "app/recent.h"

#include <stdint.h>
#include <sys/types.h>

/* SPEC §3. What the process is doing; see stop_cause for why it stops. */
enum app_state { APP_INVALID, APP_STOPPED, APP_STARTING, APP_RUNNING, APP_STOPPING };

/* Why toesd is stopping (or stopped) the process: decides what follows. */
enum stop_cause {
	STOP_NONE,            /* it ended by itself (leftovers of its group are stopped) */
	STOP_REQUEST,         /* toesctl stop: no restart */
	STOP_RESTART,         /* toesctl restart: start again at once */
	STOP_HEALTH,          /* too many failed health checks: a crash */
	STOP_STARTUP_TIMEOUT, /* a crash */
	STOP_BAD_STATUS,      /* /ok answered an error at start-up: invalid */
	STOP_SHUTDOWN,        /* toesd is exiting */
};

enum exit_kind { EXIT_NONE, EXIT_CODE, EXIT_SIGNAL };

struct app_exit {
	enum exit_kind kind;
	int value;        /* exit code or signal number */
	int64_t at;       /* wall ms */
};

struct app {
	char *name;
	char *dir;                    /* APPS_DIR/<name> */
	char *logdir;                 /* APPS_DIR/<name>/logs */
	enum app_state state;         /* written only by app_set_state() */
	enum stop_cause cause;
	unsigned char manual_stop;    /* "wanted down": stopped by request */
	unsigned char http;           /* answered /ok: health checks run */
	unsigned char main_exited;    /* main pid reaped; the group may linger */
	unsigned char draining;       /* main exited, members of its group remain */
	unsigned char installing;     /* the process is --install-cmd, not the app */
	unsigned char sigkilled;      /* SIGKILL was needed for this run */
	unsigned char waiting_port;   /* start waits for a free port */
	pid_t pid;                    /* main process = process group; 0 = none */
	int exit_status;              /* wait status of the main process */
	int port;                     /* 0 = none */
	int last_port;                /* sticky port */
	unsigned attempt;             /* backoff attempt, 0 after a stable run */
	unsigned restarts;            /* automatic restarts since toesd started */
	unsigned health_failures;
	monotime_ms running_since;    /* 0 unless running */
	int64_t started_wall;         /* wall ms when it entered running */
	monotime_ms restart_due;      /* while a restart is scheduled */
	monotime_ms startup_due;      /* the startup timeout of this start (install included) */
	struct app_exit last_exit;
	char *error, *icon, *tool, *version;
	char *script;                 /* scripts.toes of the valid package.json */
	unsigned char cannot_run;     /* this run could not execute its command */

	struct lines out_lines, err_lines;
	struct loop_fd out_w, err_w, status_w;
	/* Meaning by state: STARTING startup timeout, STOPPING SIGKILL time,
	 * STOPPED a scheduled restart. */
	struct loop_timer deadline;
	struct loop_timer survival;   /* STARTING only */
	struct loop_timer next_probe; /* STARTING: next startup probe; RUNNING: next health check */
	struct probe probe;
	struct logfile log;
	struct recent recent;
};

/* The registry, sorted by name. */
struct app *app_find(const char *name);
struct app *app_find_pid(pid_t pid);
struct app *app_create(const char *apps_dir, const char *name);
size_t app_count(void);
struct app *app_at(size_t i);

/* Discover APPS_DIR at start: create missing `current` links, register
 * every folder that has one. */
void app_discover(const char *apps_dir);

/* Re-read current/package.json: icon, tool, version, error. 1 when the app
 * is valid (error cleared), 0 when not (error set). */
int app_load(struct app *a);

/* A [system] line in the app's log, its recent lines and toesd's log. */
void app_log(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Replace the error shown in status (NULL clears it). */
void app_set_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_clear_error(struct app *a);

/* Output pipes of the current process. */
void app_watch_output(struct app *a, int out_fd, int err_fd);
/* Read what is left, write out partial lines, close the pipes. */
void app_drain_output(struct app *a);

const char *app_state_name(enum app_state s);
/* The byte cap per day for app lines (--log-max-bytes). */
void app_set_log_cap(uint64_t max_bytes);

#endif
