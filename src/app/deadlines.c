/* deadlines: what an app's one deadline means in each state (SPEC §5,
 * §7): the startup timeout while starting, the SIGKILL time while
 * stopping (then the time to give up on a group that cannot die), the
 * restart while in backoff. */
#include "app/transitions.h"

#include "app/applog.h"

static void startup_timed_out(struct app *a)
{
	app_log(a, "Startup timeout, killing process...");
	enter_stopping(a, STOP_STARTUP_TIMEOUT);
}

/* SIGKILL the group; after a second timeout, give up on members that
 * cannot die (held as zombies by a parent that escaped the group). */
static void stop_timed_out(struct app *a)
{
	if (!a->run.pid && group_empty(a)) {
		/* Its last members were reaped by a parent outside the group:
		 * gone without toesd seeing it, and the id may be another's by
		 * now (group_empty asks /proc whether a process of the run is
		 * left). Never signal a group it cannot vouch for. */
		group_gone(a);
	} else if (a->detail != DETAIL_SIGKILL) {
		enter_sigkill(a);
	} else if (!a->run.pid) {
		app_log(a, "Process group %d did not end after SIGKILL; leaving it", (int)a->run.pgid);
		group_gone(a);
	} else {
		/* Not even SIGKILL ends it (uninterruptible sleep): its exit will
		 * still come as SIGCHLD; waking up again would change nothing. */
		app_log(a, "Process %d did not exit after SIGKILL; waiting for it", (int)a->run.pid);
	}
}

/* The backoff ended: the conditions are checked again, then a restart. */
static void restart_due(struct app *a)
{
	if (lc.shutting_down || a->want != WANT_UP || a->run.pgid) {
		enter_idle(a);
		return;
	}
	if (!app_load_or_invalid(a)) {
		return;
	}
	app_log(a, "Restarting...");
	a->restarts++;
	app_start_loaded(a);
}

void on_deadline(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, deadline);
	switch (a->state) {
	case APP_STARTING:
		startup_timed_out(a);
		break;
	case APP_STOPPING:
		stop_timed_out(a);
		break;
	case APP_STOPPED:
		if (a->detail == DETAIL_BACKOFF) {
			restart_due(a);
		}
		break;
	case APP_RUNNING:
	case APP_INVALID:
		break;
	}
}
