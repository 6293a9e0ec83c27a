/* health: the start-up probes, the survival rule and the health checks
 * (SPEC §5): what each probe outcome does in each state. */
#include "app/transitions.h"

#include "app/applog.h"
#include "app/deploy.h"
#include "app/registry.h"
#include "parse/opts.h"

#include <stdio.h>
#include <string.h>

static void on_startup_probe(struct probe *p, enum probe_outcome outcome, int code)
{
	struct app *a = container_of(p, struct app, probe);
	if (a->state != APP_STARTING) {
		return;
	}
	char d[32], what[700];
	switch (outcome) {
	case PROBE_UP:
		/* In tenths, as SPEC §5 shows it (0.6s), at least 0.1s. */
		int64_t tenths = (loop_now() - a->run.spawned_at + 50 * MONO_MS) / (100 * MONO_MS);
		opt_format_duration(d, sizeof d, (tenths > 0 ? tenths : 1) * 100);
		app_log(a, "Running (%s answered %d after %s)", probe_path(a->health), code, d);
		enter_running(a, 1);
		deploy_passed(a);
		return;
	case PROBE_STATUS:
		/* A 404 is most often an app without the route: say what to do. */
		if (code == 404 && !a->health) {
			snprintf(what, sizeof what, "/ok returned 404 (add a /ok route, or set \"toes\": "
				 "{\"health\": \"/\"} or false in package.json)");
		} else if (code == 404) {
			snprintf(what, sizeof what, "%.256s returned 404 (add a %.256s route, or change "
				 "toes.health in package.json)", a->health, a->health);
		} else {
			snprintf(what, sizeof what, "%.256s returned %d", probe_path(a->health), code);
		}
		app_log(a, "%s", what);
		app_set_error(a, "Health check failed: %s", what);
		enter_stopping(a, STOP_BAD_STATUS);
		return;
	case PROBE_NO_ANSWER:
	case PROBE_NO_SOCKET:
		loop_timer_arm(&a->next_probe, loop_after_ms(lc.cfg->startup_poll));
		return;
	}
}

static void on_health_probe(struct probe *p, enum probe_outcome outcome, int code)
{
	struct app *a = container_of(p, struct app, probe);
	const struct config *cfg = lc.cfg;
	if (a->state != APP_RUNNING) {
		return;
	}
	if (outcome != PROBE_NO_SOCKET) {
		a->run.probe_skipped = 0;
	}
	if (outcome == PROBE_UP) {
		a->run.health_failures = 0;
	} else if (outcome == PROBE_NO_SOCKET) {
		/* No socket to ask with (toesd out of descriptors): no answer
		 * was refused, so no check failed. Said once until one works. */
		if (!a->run.probe_skipped) {
			app_log(a, "Health check skipped: cannot open a socket: %s; trying at every interval",
				strerror(p->err));
		}
		a->run.probe_skipped = 1;
	} else {
		char why[300];
		probe_describe(p, outcome, code, why, sizeof why);
		a->run.health_failures++;
		a->health_failures_total++;
		app_mark_changed(a); /* a counter of the metrics moved */
		app_log(a, "Health check failed (%u/%u): %s", a->run.health_failures, cfg->health_failures, why);
		if (a->run.health_failures >= cfg->health_failures) {
			app_log(a, "Too many health check failures, restarting...");
			enter_stopping(a, STOP_HEALTH);
			return;
		}
	}
	/* Every interval from the start of the previous check. */
	monotime due = p->started + cfg->health_interval * MONO_MS;
	loop_timer_arm(&a->next_probe, due > loop_now() ? due : loop_now());
}

void on_next_probe(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, next_probe);
	if (a->state == APP_STARTING && !a->no_health) {
		lc.sys->probe_start(&a->probe, a->port, a->health, lc.cfg->startup_probe_timeout,
				    on_startup_probe);
	} else if (a->state == APP_RUNNING && a->run.http) {
		lc.sys->probe_start(&a->probe, a->port, a->health, lc.cfg->health_timeout, on_health_probe);
	}
}

void on_survival(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, survival);
	if (a->state != APP_STARTING || a->detail == DETAIL_INSTALLING) {
		return;
	}
	char d[32];
	opt_format_duration(d, sizeof d, lc.cfg->survival);
	if (a->no_health) {
		app_log(a, "Running (no health check: toes.health is false; process survived %s)", d);
	} else {
		app_log(a, "No %s endpoint, marking as running (process survived %s)", probe_path(a->health), d);
	}
	enter_running(a, 0);
	deploy_passed(a);
}
