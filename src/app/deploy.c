/* deploy: trial, rollback, toesctl deploy and rollback, kept versions. */
#include "app/deploy.h"

#include "app/applog.h"
#include "app/package.h"
#include "app/registry.h"
#include "app/transitions.h"
#include "app/versions.h"
#include "base/log.h"
#include "base/path.h"
#include "parse/pkg.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct loop_timer keep_timer; /* the next --keep-versions pass */

static void set_text(char **field, const char *text)
{
	free(*field);
	*field = text ? strdup(text) : NULL;
}

/* The deploy is over, and how: for the log and toesctl's answer. */
static void conclude(struct app *a, int passed, const char *outcome)
{
	set_text(&a->deploy.outcome_version, a->deploy.trying);
	set_text(&a->deploy.outcome, outcome);
	a->deploy.passed = passed;
	free(a->deploy.trying);
	a->deploy.trying = NULL;
	a->deploy.failures = 0;
	app_mark_changed(a);
}

void deploy_begin(struct app *a, const char *from)
{
	if (!a->version || (from && strcmp(from, a->version) == 0)) {
		return;
	}
	/* A deploy on top of one still on trial keeps the last good one; from
	 * NULL (the app was invalid) leaves none to go back to. */
	if (!a->deploy.trying) {
		set_text(&a->deploy.previous, from);
	}
	set_text(&a->deploy.trying, a->version);
	a->deploy.failures = 0;
	a->deploy.keep_due = 0;
	app_log(a, "Deploying %s (was %s)", a->version, from ? from : "not valid");
}

/* --- --keep-versions --- */

static void arm_keep_timer(void)
{
	monotime next = 0;
	for (size_t i = 0; i < app_count(); i++) {
		monotime due = app_at(i)->deploy.keep_due;
		if (due && (!next || due < next)) {
			next = due;
		}
	}
	if (next) {
		loop_timer_arm(&keep_timer, next);
	} else {
		loop_timer_cancel(&keep_timer);
	}
}

/* Stable: the version folders past the newest N go, never the current
 * one or the rollback target. */
static void keep_versions(struct app *a)
{
	a->deploy.keep_due = 0;
	if (a->state != APP_RUNNING || a->deploy.trying) {
		return; /* not stable after all: the next deploy plans again */
	}
	monotime stable = a->run.running_since + lc.cfg->stable_time * MONO_MS;
	if (stable > loop_now()) {
		/* It restarted since: stable once this run has lasted. */
		a->deploy.keep_due = stable;
		return;
	}
	char removed[512];
	int n = versions_prune(a->dir, lc.cfg->keep_versions, a->version, a->deploy.previous, removed,
			       sizeof removed);
	if (n > 0) {
		app_log(a, "Removing %d old version%s (--keep-versions %u): %s", n, n == 1 ? "" : "s",
			lc.cfg->keep_versions, removed);
	} else if (n < 0) {
		app_log(a, "Cannot remove old versions: %s", removed);
	}
}

static void on_keep_timer(struct loop_timer *t)
{
	monotime now = loop_now();
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		if (a->deploy.keep_due && a->deploy.keep_due <= now) {
			keep_versions(a);
		}
	}
	arm_keep_timer();
}

void deploy_passed(struct app *a)
{
	if (!a->deploy.trying) {
		return;
	}
	char outcome[300];
	snprintf(outcome, sizeof outcome, "%s is running", a->deploy.trying);
	app_log(a, "Deploy of %s is running", a->deploy.trying);
	conclude(a, 1, outcome);
	if (lc.cfg->keep_versions) {
		a->deploy.keep_due = loop_after_ms(lc.cfg->stable_time);
		arm_keep_timer();
	}
}

/* --- pointing current --- */

/* `current` at version: a new link under a temporary name, renamed over
 * it (one step: never a moment without `current`). A plain folder named
 * current is not replaced. */
static int point_current(const struct app *a, const char *version, char *why, size_t cap)
{
	char link[PATH_MAX], tmp[PATH_MAX];
	struct stat st;
	if (path_format(link, sizeof link, "%s/current", a->dir) < 0 ||
	    path_format(tmp, sizeof tmp, "%s/.current.toesd-%ld", a->dir, (long)getpid()) < 0) {
		snprintf(why, cap, "the path of its current link is too long");
		return -1;
	}
	if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode)) {
		snprintf(why, cap, "%s is a folder, not a link", link);
		return -1;
	}
	unlink(tmp);
	if (symlink(version, tmp) < 0 || rename(tmp, link) < 0) {
		snprintf(why, cap, "cannot point %s at %s: %s", link, version, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* --- the trial --- */

/* Why the run did not reach running, in a few words. */
static void failure_reason(const struct app *a, char *out, size_t cap)
{
	static const char prefix[] = "Health check failed: ";
	if (a->run.cause == STOP_STARTUP_TIMEOUT) {
		snprintf(out, cap, "startup timeout");
	} else if ((a->run.cause == STOP_BAD_STATUS || a->run.cannot_run) && a->error) {
		const char *e = a->error;
		snprintf(out, cap, "%s", strncmp(e, prefix, sizeof prefix - 1) == 0 ? e + sizeof prefix - 1 : e);
	} else if (a->last_exit.kind == EXIT_SIGNAL) {
		snprintf(out, cap, "killed by signal %d during startup", a->last_exit.value);
	} else if (a->last_exit.kind == EXIT_CODE) {
		snprintf(out, cap, "exited with code %d during startup", a->last_exit.value);
	} else {
		snprintf(out, cap, "did not start");
	}
}

/* Back to the version before: current points there again, and it
 * starts afresh. 0, or -1 when current cannot be pointed (said). */
static int check_version(const struct app *a, const char *version, char *why, size_t cap);

static int roll_back(struct app *a, const char *reason)
{
	char why[PATH_MAX + 100], outcome[PATH_MAX + 400];
	char *to = a->deploy.previous ? strdup(a->deploy.previous) : NULL;
	/* A target deleted or broken since: current stays where it is. */
	if (!to || check_version(a, to, why, sizeof why) < 0 || point_current(a, to, why, sizeof why) < 0) {
		if (!to) {
			snprintf(why, sizeof why, "out of memory");
		}
		app_log(a, "Deploy of %s failed (%s); cannot roll back to %s: %s", a->deploy.trying, reason,
			a->deploy.previous ? a->deploy.previous : "?", why);
		snprintf(outcome, sizeof outcome, "failed (%s); cannot roll back: %s", reason, why);
		conclude(a, 0, outcome);
		free(to);
		return -1;
	}
	app_log(a, "Deploy of %s failed (%s); rolled back to %s", a->deploy.trying, reason, to);
	snprintf(outcome, sizeof outcome, "failed (%s); rolled back to %s", reason, to);
	conclude(a, 0, outcome);
	/* Its rollback target was used: a rollback now has none. */
	set_text(&a->deploy.previous, NULL);
	free(to);
	return 0;
}

/* --no-rollback, or nothing to roll back to: the new version stays. */
static void give_up(struct app *a, const char *reason)
{
	char outcome[400];
	const char *why = lc.cfg->no_rollback ? "not rolled back (--no-rollback)" : "no version to roll back to";
	app_log(a, "Deploy of %s failed (%s); %s", a->deploy.trying, reason, why);
	snprintf(outcome, sizeof outcome, "failed (%s); %s", reason, why);
	conclude(a, 0, outcome);
}

void deploy_interrupted(struct app *a, const char *why)
{
	if (!a->deploy.trying) {
		return;
	}
	char outcome[300];
	snprintf(outcome, sizeof outcome, "not finished: %s", why);
	app_log(a, "Deploy of %s not finished: %s", a->deploy.trying, why);
	conclude(a, 0, outcome);
}

int deploy_run_failed(struct app *a, enum exit_next next)
{
	if (!a->deploy.trying || a->run.running_since) {
		return 0;
	}
	/* It ended by itself with code 0 before running: nothing retries
	 * that either. */
	int ended = next == NEXT_IDLE && a->run.cause == STOP_NONE && !lc.shutting_down;
	if (next != NEXT_BACKOFF && next != NEXT_INVALID && !ended) {
		if (next != NEXT_START_NOW && next != NEXT_LAUNCH && next != NEXT_RENAME) {
			deploy_interrupted(a, lc.shutting_down ? "toesd is shutting down"
					      : next == NEXT_FORGET ? "the app was removed" : "stopped by request");
		}
		return 0;
	}
	char reason[300];
	if (ended) {
		snprintf(reason, sizeof reason, "exited with code 0 during startup");
	} else {
		failure_reason(a, reason, sizeof reason);
	}
	a->deploy.failures++;
	/* An /ok that answered an error is not retried: its one attempt is
	 * all it gets. */
	if (a->deploy.failures < DEPLOY_ATTEMPTS && next == NEXT_BACKOFF) {
		return 0;
	}
	if (lc.cfg->no_rollback || !a->deploy.previous) {
		give_up(a, reason);
		return 0;
	}
	if (roll_back(a, reason) < 0) {
		return 0;
	}
	a->attempt = 0;
	app_clear_error(a);
	if (app_start(a) < 0 && a->state == APP_STOPPING) {
		enter_idle(a);
	}
	return 1;
}

int deploy_invalid(struct app *a, const char *from)
{
	char reason[300];
	if (lc.cfg->no_rollback || !from || !a->version || strcmp(from, a->version) == 0) {
		return 0;
	}
	snprintf(reason, sizeof reason, "%s", a->error ? a->error : "package.json is not valid");
	deploy_begin(a, from);
	if (roll_back(a, reason) < 0) {
		return 0;
	}
	/* The old version's package.json back in the record; a process
	 * still running is that version's and is left alone. */
	enum load_result r = app_load(a);
	if (!a->run.pgid && a->want == WANT_UP && r == LOAD_VALID) {
		a->attempt = 0;
		app_start_loaded(a);
	}
	return 1;
}

/* --- toesctl deploy and rollback --- */

/* A version is a folder name of the app: no path, not what toesd owns. */
static int version_name_ok(const char *v)
{
	return v[0] && v[0] != '.' && !strchr(v, '/') && strcmp(v, "current") != 0 && strcmp(v, "logs") != 0;
}

/* APPS_DIR/NAME/VERSION holds a valid package.json: 0, else why. */
static int check_version(const struct app *a, const char *version, char *why, size_t cap)
{
	char path[PATH_MAX];
	if (!version_name_ok(version)) {
		snprintf(why, cap, "'%.200s' is not a version folder name", version);
		return -1;
	}
	if (path_format(path, sizeof path, "%s/%s/package.json", a->dir, version) < 0) {
		snprintf(why, cap, "the path of that version is too long");
		return -1;
	}
	struct pkg p;
	int r = pkg_load(path, &p);
	if (r != 0) {
		snprintf(why, cap, "%s: %s", path, p.error);
	}
	pkg_free(&p);
	return r == 0 ? 0 : -1;
}

/* Flip, read, and restart on version; the trial starts. */
static enum request_result switch_to(struct app *a, const char *version, char *why, size_t cap)
{
	char *from = a->version ? strdup(a->version) : NULL;
	if (point_current(a, version, why, cap) < 0) {
		free(from);
		return REQ_FAILED;
	}
	int was_invalid = a->state == APP_INVALID;
	enum load_result r = app_load(a);
	if (r == LOAD_VALID) {
		deploy_begin(a, was_invalid ? NULL : from);
	}
	free(from);
	a->want = WANT_UP;
	a->attempt = 0;
	if (a->run.pgid) {
		if (a->state != APP_STOPPING) {
			app_log(a, "Stopping...");
		}
		enter_stopping(a, STOP_RESTART);
		a->run.package_read = 1;
	} else if (r == LOAD_VALID) {
		app_clear_error(a);
		app_start_loaded(a);
	} else {
		app_start(a);
	}
	if (!a->deploy.trying && !a->run.pgid) {
		snprintf(why, cap, "current points at %s, but it did not start: %s", version,
			 a->error ? a->error : app_state_name(a->state));
		return REQ_FAILED;
	}
	return a->deploy.trying ? REQ_WAIT_DEPLOYED : REQ_STARTED;
}

/* REQ_STARTED when current may be pointed elsewhere now. */
static enum request_result can_switch(const struct app *a, char *why, size_t cap)
{
	if (lc.shutting_down) {
		return REQ_SHUTTING_DOWN;
	}
	if (a->want == WANT_GONE) {
		return REQ_REMOVING;
	}
	if (a->rename_to) {
		snprintf(why, cap, "it is being renamed");
		return REQ_REFUSED;
	}
	return REQ_STARTED;
}

enum request_result app_request_deploy(struct app *a, const char *version, char *why, size_t cap)
{
	enum request_result r = can_switch(a, why, cap);
	if (r != REQ_STARTED) {
		return r;
	}
	if (check_version(a, version, why, cap) < 0) {
		return REQ_INVALID;
	}
	if (a->version && strcmp(a->version, version) == 0 && !a->deploy.trying) {
		return REQ_ALREADY;
	}
	return switch_to(a, version, why, cap);
}

enum request_result app_request_rollback(struct app *a, char *why, size_t cap)
{
	enum request_result r = can_switch(a, why, cap);
	if (r != REQ_STARTED) {
		return r;
	}
	if (!a->deploy.previous) {
		snprintf(why, cap, "no version to roll back to (toesd keeps the one before the last deploy "
			 "while it runs)");
		return REQ_REFUSED;
	}
	char *to = strdup(a->deploy.previous);
	if (!to) {
		snprintf(why, cap, "out of memory");
		return REQ_FAILED;
	}
	if (check_version(a, to, why, cap) < 0) {
		free(to);
		return REQ_INVALID;
	}
	app_log(a, "Rolling back to %s (by request)", to);
	r = switch_to(a, to, why, cap);
	free(to);
	return r;
}

int deploy_init(void)
{
	return loop_timer_init(&keep_timer, on_keep_timer);
}

void deploy_fini(void)
{
	loop_timer_fini(&keep_timer);
}
