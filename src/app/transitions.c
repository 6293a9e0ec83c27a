/* transitions: every change of state and detail, with its effects. */
#include "app/transitions.h"

#include "app/applog.h"
#include "app/registry.h"
#include "base/log.h"
#include "parse/backoff.h"
#include "parse/opts.h"

#include <errno.h>
#include <signal.h>

struct lifecycle lc;

/* --- the port queue --- */

static void join_waiting(struct app *a)
{
	a->waiting_next = NULL;
	a->waiting_prev = lc.waiting_tail;
	if (lc.waiting_tail) {
		lc.waiting_tail->waiting_next = a;
	} else {
		lc.waiting_head = a;
	}
	lc.waiting_tail = a;
}

static void leave_waiting(struct app *a)
{
	if (a->waiting_prev) {
		a->waiting_prev->waiting_next = a->waiting_next;
	} else {
		lc.waiting_head = a->waiting_next;
	}
	if (a->waiting_next) {
		a->waiting_next->waiting_prev = a->waiting_prev;
	} else {
		lc.waiting_tail = a->waiting_prev;
	}
	a->waiting_prev = a->waiting_next = NULL;
}

void release_port(struct app *a)
{
	ports_release(lc.pool, a->port);
	a->port = 0;
	if (lc.waiting_head) {
		loop_timer_arm(&lc.port_freed, loop_now());
	}
}

/* --- the one writer of state and detail --- */

/* What leaving the old state ends: the port queue, the start-up timers,
 * the probes. The deadline is each transition's own business. */
static void set_state(struct app *a, enum app_state s, enum app_detail d)
{
	if (a->detail == DETAIL_WAITING_PORT && d != DETAIL_WAITING_PORT) {
		leave_waiting(a);
	} else if (a->detail != DETAIL_WAITING_PORT && d == DETAIL_WAITING_PORT) {
		join_waiting(a);
	}
	if (s != APP_STARTING) {
		loop_timer_cancel(&a->survival);
	}
	if (s != APP_STARTING && s != APP_RUNNING) {
		probe_cancel(&a->probe);
		loop_timer_cancel(&a->next_probe);
	}
	if (s != a->state || d != a->detail) {
		a->since = clock_wall_ms();
	}
	a->state = s;
	a->detail = d;
	app_mark_changed(a);
}

/* --- stopped and invalid --- */

void enter_invalid(struct app *a)
{
	loop_timer_cancel(&a->deadline);
	set_state(a, APP_INVALID, DETAIL_NONE);
}

void enter_idle(struct app *a)
{
	loop_timer_cancel(&a->deadline);
	set_state(a, APP_STOPPED, DETAIL_NONE);
}

/* The registry forgets the app: out of the port queue, through the one
 * writer of state and detail. */
void app_leaving(struct app *a)
{
	if (a->detail == DETAIL_WAITING_PORT) {
		enter_idle(a);
	}
}

void enter_by_request(struct app *a)
{
	loop_timer_cancel(&a->deadline);
	set_state(a, APP_STOPPED, DETAIL_BY_REQUEST);
}

void enter_backoff(struct app *a, int64_t floor_ms)
{
	const struct config *cfg = lc.cfg;
	a->attempt++;
	int64_t delay = backoff_delay_ms(cfg->restart_delays, cfg->n_restart_delays, a->attempt);
	if (delay < floor_ms) {
		delay = floor_ms;
	}
	char d[32];
	opt_format_duration(d, sizeof d, delay);
	app_log(a, "Scheduling restart in %s (attempt %u)...", d, a->attempt);
	a->restart_due = loop_after_ms(delay);
	loop_timer_arm(&a->deadline, a->restart_due);
	set_state(a, APP_STOPPED, DETAIL_BACKOFF);
}

void enter_waiting_port(struct app *a)
{
	if (a->detail != DETAIL_WAITING_PORT) {
		app_log(a, "No available ports");
	}
	app_set_error(a, "No available ports");
	loop_timer_cancel(&a->deadline);
	set_state(a, APP_STOPPED, DETAIL_WAITING_PORT);
}

/* --- starting and running --- */

void enter_installing(struct app *a)
{
	a->run.startup_due = loop_after_ms(lc.cfg->startup_timeout);
	loop_timer_arm(&a->deadline, a->run.startup_due);
	set_state(a, APP_STARTING, DETAIL_INSTALLING);
}

void enter_starting(struct app *a)
{
	const struct config *cfg = lc.cfg;
	if (!a->no_health) {
		/* toes.health false: no request at all, the survival rule decides. */
		loop_timer_arm(&a->next_probe, loop_after_ms(cfg->startup_poll));
	}
	loop_timer_arm(&a->survival, loop_after_ms(cfg->survival));
	if (!a->run.startup_due) {
		a->run.startup_due = loop_after_ms(cfg->startup_timeout);
	}
	loop_timer_arm(&a->deadline, a->run.startup_due);
	set_state(a, APP_STARTING, DETAIL_NONE);
}

void enter_running(struct app *a, int http)
{
	loop_timer_cancel(&a->deadline);
	loop_timer_cancel(&a->next_probe);
	probe_cancel(&a->probe);
	a->run.http = (unsigned char)http;
	a->run.running_since = loop_now();
	a->run.health_failures = 0;
	a->started_wall = clock_wall_ms();
	app_clear_error(a);
	if (http) {
		loop_timer_arm(&a->next_probe, loop_after_ms(lc.cfg->health_interval));
	}
	set_state(a, APP_RUNNING, DETAIL_NONE);
}

/* --- stopping --- */

/* How firmly a cause holds once given: a shutdown over everything, a
 * removal over all but it; a rename waiting for the exit and an invalid
 * package.json over a stop or restart asked meanwhile (the rename looks
 * at what is wanted; what a restart would start is read again anyway). */
static int firmness(enum stop_cause c)
{
	switch (c) {
	case STOP_SHUTDOWN:
		return 3;
	case STOP_REMOVE:
		return 2;
	case STOP_RENAME:
	case STOP_INVALID:
		return 1;
	default:
		return 0;
	}
}

/* A firmer cause wins; among the plain ones, the later word. */
static void set_cause(struct app *a, enum stop_cause cause)
{
	int now = firmness(a->run.cause), given = firmness(cause);
	if (cause != STOP_NONE && (given > now || (given == 0 && now == 0))) {
		a->run.cause = cause;
	}
}

/* While the main process is toesd's unreaped child, the group's id is
 * the run's. Once it is reaped, the id can be another's after the last
 * member ended unseen: the group is signalled only when it was just seen
 * holding a process of the run (the check and the kill are two steps: a
 * window of one /proc scan, not of a whole stop timeout). A group found
 * without one gets nothing; the stop timeout, armed by the caller, ends
 * the run. */
static void signal_group(struct app *a, int signo, const char *name)
{
	if (!a->run.pid && group_empty(a)) {
		log_msg(a->name, "process group %d holds no process of this run any more: no %s sent; "
			"the run ends at the stop timeout", (int)a->run.pgid, name);
		return;
	}
	if (lc.sys->kill(-a->run.pgid, signo) < 0 && errno != ESRCH) {
		log_errno(a->name, "cannot send %s to process group %d", name, (int)a->run.pgid);
	}
	/* What it started outside its group is stopped with it. */
	if (lc.sys->leftovers) {
		lc.sys->leftovers(a, signo);
	}
}

void enter_stopping(struct app *a, enum stop_cause cause)
{
	set_cause(a, cause);
	if (a->state == APP_STOPPING) {
		app_mark_changed(a);
		return;
	}
	signal_group(a, SIGTERM, "SIGTERM");
	loop_timer_arm(&a->deadline, loop_after_ms(lc.cfg->stop_timeout));
	set_state(a, APP_STOPPING, DETAIL_NONE);
}

void enter_sigkill(struct app *a)
{
	app_log(a, "Shutdown timeout, sending SIGKILL...");
	signal_group(a, SIGKILL, "SIGKILL");
	if (lc.shutting_down) {
		lc.sigkill_needed = 1;
	}
	/* After one more stop timeout, members that cannot die are given up. */
	loop_timer_arm(&a->deadline, loop_after_ms(lc.cfg->stop_timeout));
	set_state(a, APP_STOPPING, DETAIL_SIGKILL);
}

void enter_draining(struct app *a)
{
	if (a->state != APP_STOPPING) {
		signal_group(a, SIGTERM, "SIGTERM");
		loop_timer_arm(&a->deadline, loop_after_ms(lc.cfg->stop_timeout));
	} else if (!loop_timer_armed(&a->deadline)) {
		/* It was waited for without a deadline (not even SIGKILL ended
		 * it at once); its group must not linger unwatched. */
		loop_timer_arm(&a->deadline, loop_after_ms(lc.cfg->stop_timeout));
	}
	set_state(a, APP_STOPPING, a->detail == DETAIL_SIGKILL ? DETAIL_SIGKILL : DETAIL_DRAINING);
}

/* kill(-pgid, 0) first: a group seen gone costs no scan, so /proc is
 * read only for a draining group (main reaped, members left). When /proc
 * cannot tell, kill's answer stands. */
int group_empty(const struct app *a)
{
	if (lc.sys->kill(-a->run.pgid, 0) < 0 && errno == ESRCH) {
		return 1;
	}
	if (a->run.pid) {
		return 0;
	}
	return lc.sys->group_ours(a->run.pgid, a->run.spawned_boot) == 0;
}
