/* exits: reaping children, the main process's exit, the end of a run
 * once its group is empty, and what follows it. */
#include "app/exits.h"

#include "app/applog.h"
#include "app/deploy.h"
#include "app/output.h"
#include "app/package.h"
#include "app/registry.h"
#include "app/rename.h"
#include "app/transitions.h"

#include <signal.h>
#include <sys/wait.h>

enum exit_next exit_decide(const struct exit_facts *f)
{
	if (f->want == WANT_GONE) {
		return NEXT_FORGET;
	}
	if (f->install && f->clean && f->cause == STOP_NONE && !f->shutting_down && f->want == WANT_UP) {
		return NEXT_LAUNCH;
	}
	if (f->cause == STOP_BAD_STATUS || f->cause == STOP_INVALID) {
		return NEXT_INVALID;
	}
	if (f->shutting_down) {
		return NEXT_IDLE;
	}
	if (f->cause == STOP_RENAME) {
		return NEXT_RENAME;
	}
	if (f->want == WANT_DOWN) {
		return NEXT_BY_REQUEST;
	}
	if (f->cause == STOP_RESTART) {
		return NEXT_START_NOW;
	}
	/* A stop toesd made on its own counts as a crash whatever the code. */
	if (!f->clean || f->cause == STOP_HEALTH || f->cause == STOP_STARTUP_TIMEOUT) {
		return NEXT_BACKOFF;
	}
	return NEXT_IDLE;
}

const char *exit_next_name(enum exit_next n)
{
	static const char *const names[] = {
		[NEXT_FORGET] = "forget", [NEXT_LAUNCH] = "launch", [NEXT_INVALID] = "invalid",
		[NEXT_IDLE] = "idle", [NEXT_BY_REQUEST] = "by-request",
		[NEXT_START_NOW] = "start-now", [NEXT_BACKOFF] = "backoff", [NEXT_RENAME] = "rename",
	};
	return names[n];
}

/* --- the main process --- */

/* Whether the run could execute its command at all, decided at its exit. */
static void note_cannot_run(struct app *a, int status)
{
	if (a->run.kind == RUN_INSTALL) {
		return;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	read_exec_status(a);
	if (a->run.cannot_run) {
		return;
	}
	if (!a->run.running_since && (code == 126 || code == 127)) {
		app_set_error(a, "Cannot run start command: exit %d (%s)", code,
			      code == 127 ? "command not found" : "not executable");
		a->run.cannot_run = 1;
	}
}

static void main_exited(struct app *a, int status)
{
	app_set_pid(a, 0);
	a->run.exit_status = status;
	note_cannot_run(a, status);
	if (a->state == APP_STARTING && a->run.cause == STOP_NONE && !a->run.cannot_run &&
	    a->run.kind == RUN_APP) {
		app_log(a, "Process died during startup");
	}
	if (group_empty(a)) {
		group_gone(a);
		return;
	}
	/* Its helpers live on: stop them; the exit counts once they are gone. */
	enter_draining(a);
}

/* --- the end of a run --- */

static void log_exit_line(struct app *a)
{
	int st = a->run.exit_status;
	a->last_exit.at = clock_wall_ms();
	if (WIFSIGNALED(st)) {
		a->last_exit.kind = EXIT_SIGNAL;
		a->last_exit.value = WTERMSIG(st);
	} else {
		a->last_exit.kind = EXIT_CODE;
		a->last_exit.value = WEXITSTATUS(st);
	}
	if (a->run.kind == RUN_INSTALL && a->last_exit.kind == EXIT_CODE && a->last_exit.value) {
		app_log(a, "Install failed (exit %d)", a->last_exit.value);
	} else if (a->run.cannot_run && a->error) {
		app_log(a, "%s", a->error);
	} else if (a->last_exit.kind == EXIT_SIGNAL) {
		app_log(a, "Killed by signal %d", a->last_exit.value);
	} else if (a->last_exit.value) {
		app_log(a, "Exited with code %d", a->last_exit.value);
	} else {
		app_log(a, "Stopped");
	}
}

/* The process and its pipes are done with; the port too unless the
 * same start goes on. */
static void release_process(struct app *a, int keep_port)
{
	app_drain_output(a);
	close_exec_status(a);
	loop_timer_cancel(&a->deadline);
	/* The run is over: what it left outside its group goes too. */
	if (lc.sys->leftovers) {
		lc.sys->leftovers(a, SIGKILL);
	}
	if (lc.sys->run_ended) {
		lc.sys->run_ended(a);
	}
	app_set_pid(a, 0);
	app_set_pgid(a, 0);
	if (keep_port) {
		return;
	}
	if (a->run.running_since && loop_now() - a->run.running_since >= lc.cfg->stable_time * MONO_MS) {
		a->attempt = 0;
	}
	log_exit_line(a);
	release_port(a);
}

static enum exit_next next_of(const struct app *a)
{
	int st = a->run.exit_status;
	struct exit_facts f = {
		.want = a->want,
		.cause = a->run.cause,
		.clean = WIFEXITED(st) && WEXITSTATUS(st) == 0,
		.install = a->run.kind == RUN_INSTALL,
		.shutting_down = lc.shutting_down,
	};
	return exit_decide(&f);
}

/* Stopped now; invalid instead when package.json no longer is. A crash
 * goes to backoff unread: package.json is read once per restart, when
 * the restart is due (SPEC §7: the conditions are checked again then). */
static void settle(struct app *a, enum exit_next next)
{
	if (next == NEXT_BACKOFF) {
		enter_backoff(a, 0);
	} else if (!lc.shutting_down && app_invalid_now(a)) {
		return;
	} else if (next == NEXT_BY_REQUEST) {
		enter_by_request(a);
	} else {
		enter_idle(a);
	}
}

/* Straight to starting, so a waiting toesctl sees no stop. */
static void start_again(struct app *a)
{
	a->attempt = 0;
	int loaded = a->run.package_read && a->script;
	if ((loaded ? app_start_loaded(a) : app_start(a)) < 0 && a->state == APP_STOPPING) {
		enter_idle(a);
	}
}

void group_gone(struct app *a)
{
	enum exit_next next = next_of(a);
	release_process(a, next == NEXT_LAUNCH);
	if (a->rename_to && next != NEXT_RENAME) {
		rename_given_up(a);
	}
	if (deploy_run_failed(a, next)) {
		return; /* rolled back: the version before starts */
	}
	switch (next) {
	case NEXT_FORGET:
		app_remove(a);
		break;
	case NEXT_LAUNCH:
		launch_after_install(a);
		break;
	case NEXT_INVALID:
		enter_invalid(a);
		break;
	case NEXT_START_NOW:
		start_again(a);
		break;
	case NEXT_RENAME:
		/* Renamed or not, the app goes on as it was wanted. */
		rename_finish(a);
		if (a->want == WANT_UP) {
			start_again(a);
		} else {
			settle(a, NEXT_BY_REQUEST);
		}
		break;
	case NEXT_IDLE:
	case NEXT_BY_REQUEST:
	case NEXT_BACKOFF:
		settle(a, next);
		break;
	}
}

/* --- reaping --- */

static void child_reaped(pid_t pid, int status, pid_t pgid)
{
	struct app *a = app_find_pid(pid);
	if (a) {
		main_exited(a, status);
		return;
	}
	/* A member of a group whose main process is gone: the last one ends
	 * the run. Other pids are orphans reparented to toesd. */
	a = pgid > 0 ? app_find_pgid(pgid) : NULL;
	if (a && !a->run.pid && group_empty(a)) {
		group_gone(a);
	}
}

void lifecycle_reap(void)
{
	pid_t pid, pgid;
	int status;
	while (lc.sys->reap(-1, &pid, &status, &pgid) > 0) {
		child_reaped(pid, status, pgid);
	}
}

static void on_reap_sweep(struct loop_timer *t)
{
	lifecycle_reap();
}

void lifecycle_child_exited(pid_t which)
{
	pid_t pid, pgid;
	int status;
	if (which > 0 && lc.sys->reap(which, &pid, &status, &pgid) > 0) {
		child_reaped(pid, status, pgid);
	}
	/* A scan of every child costs about 0.2 µs each: with 1,000 apps it
	 * would slow the start just made. One sweep REAP_SWEEP_MS after the
	 * first SIGCHLD of a burst (never put off by the next ones) reaps
	 * what merged signals hid: orphans, exits at the same moment. */
	if (!loop_timer_armed(&lc.reap_sweep)) {
		loop_timer_arm(&lc.reap_sweep, loop_after_ms(REAP_SWEEP_MS));
	}
}

int exits_init(void)
{
	return loop_timer_init(&lc.reap_sweep, on_reap_sweep);
}

void exits_fini(void)
{
	loop_timer_fini(&lc.reap_sweep);
}
