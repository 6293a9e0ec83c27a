/* refresh: what a change of package.json or `current` means for the app. */
#include "app/refresh.h"

#include "app/applog.h"
#include "app/deploy.h"
#include "app/package.h"
#include "app/transitions.h"

#include <stdlib.h>
#include <string.h>

/* Valid again: started when it is wanted up. An app made invalid by its
 * /ok answer (not by package.json) starts again only when something
 * changed: reading the same file again proves nothing. */
static enum refresh_result became_valid(struct app *a, int package_error, const struct package_changes *ch)
{
	if (a->want != WANT_UP || (!package_error && !ch->fields && !ch->version)) {
		return ch->fields || ch->version ? REFRESH_UPDATED : REFRESH_SAME;
	}
	app_log(a, "package.json is valid now; starting");
	a->attempt = 0;
	app_clear_error(a);
	app_start_loaded(a);
	return REFRESH_STARTED;
}

static enum refresh_result became_invalid(struct app *a)
{
	app_log(a, "Invalid: %s", a->error ? a->error : "unknown error");
	if (!a->run.pgid) {
		enter_invalid(a);
	} else {
		if (a->state != APP_STOPPING) {
			app_log(a, "Stopping...");
		}
		enter_stopping(a, STOP_INVALID);
	}
	return REFRESH_INVALID;
}

/* A deploy: the process runs the old version; the new one starts once
 * it has exited (package.json was just read: the start uses it). One in
 * backoff starts on it at once. */
static enum refresh_result deployed(struct app *a, const char *old_version)
{
	app_log(a, "current points at %s now (was %s); restarting on it", a->version ? a->version : "?",
		old_version ? old_version : "?");
	deploy_begin(a, old_version);
	a->attempt = 0;
	if (a->run.pgid) {
		enter_stopping(a, STOP_RESTART);
		a->run.package_read = 1;
	} else {
		app_start_loaded(a);
	}
	return REFRESH_DEPLOYED;
}

enum refresh_result app_refresh(struct app *a)
{
	if (a->want == WANT_GONE || lc.shutting_down || a->rename_to) {
		return REFRESH_SAME;
	}
	int was_invalid = a->state == APP_INVALID, package_error = a->error_from_package;
	/* Wanted up, with a process or a restart due: a deploy restarts it. */
	int runs = a->want == WANT_UP && ((a->run.pgid && a->state != APP_STOPPING) || a->detail == DETAIL_BACKOFF);
	char *old_version = a->version ? strdup(a->version) : NULL;
	struct package_changes ch;
	enum refresh_result r;
	switch (app_load_changes(a, &ch)) {
	case LOAD_AGAIN:
		r = REFRESH_NOT_NOW;
		break;
	case LOAD_INVALID:
		if (was_invalid) {
			r = ch.fields || ch.version ? REFRESH_UPDATED : REFRESH_SAME;
		} else if (ch.version && deploy_invalid(a, old_version)) {
			r = REFRESH_ROLLED_BACK;
		} else {
			r = became_invalid(a);
		}
		break;
	case LOAD_VALID:
	default:
		if (was_invalid) {
			r = became_valid(a, package_error, &ch);
		} else if (ch.version && runs) {
			r = deployed(a, old_version);
		} else {
			r = ch.fields || ch.version ? REFRESH_UPDATED : REFRESH_SAME;
		}
		break;
	}
	free(old_version);
	return r;
}

const char *refresh_result_name(enum refresh_result r)
{
	static const char *const names[] = {
		[REFRESH_SAME] = "unchanged",
		[REFRESH_UPDATED] = "updated",
		[REFRESH_DEPLOYED] = "restarting on the new version",
		[REFRESH_STARTED] = "valid again, started",
		[REFRESH_INVALID] = "invalid now, stopped",
		[REFRESH_NOT_NOW] = "package.json cannot be read now",
		[REFRESH_ROLLED_BACK] = "the new version is not valid: rolled back",
	};
	return names[r];
}
