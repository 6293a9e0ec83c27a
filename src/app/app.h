/* app: the per-app record (SPEC §3). The registry (app/registry.c) is the
 * only place a record is born or dies; state and detail are written only
 * by the transitions in app/transitions.c. Other modules keep an app's id
 * and look it up again (app_find_id), never a pointer across turns. */
#ifndef TOES_APP_H
#define TOES_APP_H

#include "app/logfile.h"
#include "app/probe.h"
#include "app/recent.h"
#include "base/index.h"
#include "base/loop.h"
#include "parse/lines.h"

#include <stdint.h>
#include <sys/types.h>

/* What the process is doing (SPEC §3). */
enum app_state { APP_INVALID, APP_STOPPED, APP_STARTING, APP_RUNNING, APP_STOPPING };

/* The sub-state status shows beside the state (SPEC §3). */
enum app_detail {
	DETAIL_NONE,
	DETAIL_BACKOFF,       /* stopped: a restart is scheduled */
	DETAIL_WAITING_PORT,  /* stopped: starts once a port is free */
	DETAIL_BY_REQUEST,    /* stopped: toesctl stop */
	DETAIL_INSTALLING,    /* starting: --install-cmd runs first */
	DETAIL_SIGKILL,       /* stopping: SIGKILL was sent */
	DETAIL_DRAINING,      /* stopping: the main process exited, its group is stopped */
};

/* What the user asked for, apart from what the process does. */
enum app_want { WANT_UP, WANT_DOWN, WANT_GONE };

/* Why toesd stops (or stopped) the process: decides what follows. */
enum stop_cause {
	STOP_NONE,            /* it ended by itself (leftovers of its group are stopped) */
	STOP_REQUEST,         /* toesctl stop: no restart */
	STOP_RESTART,         /* toesctl restart: start again at once */
	STOP_HEALTH,          /* too many failed health checks: a crash */
	STOP_STARTUP_TIMEOUT, /* a crash */
	STOP_BAD_STATUS,      /* /ok answered an error at start-up: invalid */
	STOP_REMOVE,          /* the app goes away */
	STOP_RENAME,          /* toesctl rename: moved once it is down, then as wanted */
	STOP_INVALID,         /* package.json is no longer valid: invalid */
	STOP_SHUTDOWN,        /* toesd is exiting */
};

enum exit_kind { EXIT_NONE, EXIT_CODE, EXIT_SIGNAL };

struct app_exit {
	enum exit_kind kind;
	int value;        /* exit code or signal number */
	int64_t at;       /* wall ms */
};

/* What the process of a run is. */
enum run_kind { RUN_APP, RUN_INSTALL };

/* The facts of one run (one spawned process and its group); cleared at
 * each spawn. */
struct app_run {
	enum run_kind kind;
	pid_t pid;                 /* the main process; 0 once reaped */
	pid_t pgid;                /* its process group (setsid); 0 once empty */
	int exit_status;           /* wait status of the main process */
	enum stop_cause cause;
	unsigned char cannot_run;  /* the command could not be executed */
	unsigned char http;        /* answered /ok: health checks run */
	unsigned char package_read; /* a restart request read package.json for the next start */
	unsigned health_failures;
	int probe_skipped;         /* a check was skipped for want of a socket (said once) */
	monotime startup_due;      /* the startup timeout (an install included) */
	monotime running_since;    /* 0 unless it reached running */
	monotime spawned_at;       /* when the app's own command was spawned */
	int64_t spawned_boot;      /* CLOCK_BOOTTIME ns just before the spawn:
	                            * no process of the run started earlier */
};

/* The deploy of a version (SPEC §10), kept while toesd runs. */
struct app_deploy {
	char *previous;       /* the version before the last deploy: a rollback's target */
	char *trying;         /* the deployed version until it reaches running; NULL: none */
	unsigned failures;    /* its starts that ended before running */
	char *outcome;        /* how the last deploy ended, for toesctl deploy's answer */
	char *outcome_version; /* the version that outcome is about */
	int passed;           /* that deploy reached running */
	monotime keep_due;    /* --keep-versions: when old versions go (0: not planned) */
};

struct app {
	uint32_t id;                  /* never reused while toesd runs */
	char *name;
	char *dir;                    /* APPS_DIR/<name> */
	char *logdir;                 /* APPS_DIR/<name>/logs */
	dev_t dev;                    /* the app folder's identity */
	ino_t ino;

	enum app_state state;         /* written only by app/transitions.c */
	enum app_detail detail;
	enum app_want want;
	int64_t since;                /* wall ms it entered its state and detail */
	struct app_run run;
	uint32_t runs;                /* spawns so far: a waiter sees a new run */
	int port;                     /* 0 = none */
	int last_port;                /* sticky port */
	unsigned attempt;             /* backoff attempt, 0 after a stable run */
	unsigned restarts;            /* automatic restarts since toesd started */
	uint64_t health_failures_total; /* failed health checks since toesd started */
	int64_t started_wall;         /* wall ms it entered running */
	monotime restart_due;         /* while in backoff */
	struct app_exit last_exit;
	char *error;
	unsigned char error_from_package;  /* error is package.json's: cleared once it is valid */
	char *icon, *tool, *version;
	char *health;                 /* toes.health; NULL: /ok */
	unsigned char no_health;      /* toes.health is false: survival rule only */
	char *script;                 /* scripts.toes of the valid package.json */
	char *rename_to;              /* a rename waiting for the process to end */
	char *rename_error;           /* why the last rename failed; NULL: it worked */
	struct app_deploy deploy;

	/* What the app owns: released by the registry when it goes. */
	struct lines out_lines, err_lines;
	struct loop_fd out_w, err_w, status_w;
	/* Meaning by state: STARTING startup timeout, STOPPING SIGKILL time,
	 * STOPPED (backoff) the restart. */
	struct loop_timer deadline;
	struct loop_timer survival;   /* STARTING only */
	struct loop_timer next_probe; /* STARTING: next startup probe; RUNNING: next health check */
	struct probe probe;
	struct logfile log;
	struct recent recent;

	/* Registry bookkeeping. */
	struct index_link by_id, by_pid, by_pgid, by_inode;
	struct app *waiting_prev, *waiting_next;  /* the queue for a free port */
	struct app *changed_next;                 /* the change list of this turn */
	unsigned char changed, gone;
};

const char *app_state_name(enum app_state s);
/* "backoff", "waiting-port", ...; NULL for DETAIL_NONE. */
const char *app_detail_name(enum app_detail d);

#endif
