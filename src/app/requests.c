/* requests: start, stop, restart and remove. */
#include "app/requests.h"

#include "app/applog.h"
#include "app/deploy.h"
#include "app/package.h"
#include "app/registry.h"
#include "app/transitions.h"

/* A start by request: a person who starts an app wants it now. */
static enum request_result start_now(struct app *a)
{
	a->attempt = 0;
	app_clear_error(a);
	return app_start(a) == 0 ? REQ_STARTED : REQ_FAILED;
}

enum request_result app_request_start(struct app *a)
{
	if (lc.shutting_down) {
		return REQ_SHUTTING_DOWN;
	}
	if (a->want == WANT_GONE) {
		return REQ_REMOVING;
	}
	if (a->state == APP_STOPPING) {
		/* Wanted up again before it went down: start once it has. */
		a->want = WANT_UP;
		enter_stopping(a, STOP_RESTART);
		return REQ_WAIT_STARTED;
	}
	if (a->run.pgid) {
		return REQ_ALREADY;
	}
	a->want = WANT_UP;
	return start_now(a);
}

enum request_result app_request_stop(struct app *a)
{
	if (a->want == WANT_GONE) {
		return REQ_REMOVING;
	}
	enum app_detail was = a->detail;
	if (!a->run.pgid && a->state != APP_STOPPED) {
		return REQ_ALREADY; /* invalid: nothing to stop, no mark to keep */
	}
	a->want = WANT_DOWN;
	if (a->run.pgid) {
		if (a->state != APP_STOPPING) {
			app_log(a, "Stopping...");
		}
		enter_stopping(a, STOP_REQUEST);
		return REQ_WAIT_STOPPED;
	}
	enter_by_request(a);
	deploy_interrupted(a, "stopped by request");
	return was == DETAIL_BACKOFF ? REQ_CANCELLED_RESTART
	       : was == DETAIL_WAITING_PORT ? REQ_CANCELLED_WAIT : REQ_ALREADY;
}

enum request_result app_request_restart(struct app *a, char *why, size_t cap)
{
	if (lc.shutting_down) {
		return REQ_SHUTTING_DOWN;
	}
	if (a->want == WANT_GONE) {
		return REQ_REMOVING;
	}
	if (!a->run.pgid) {
		a->want = WANT_UP;
		return start_now(a);
	}
	if (app_load_if_valid(a, why, cap) != LOAD_VALID) {
		return REQ_INVALID;
	}
	a->want = WANT_UP;
	if (a->state != APP_STOPPING) {
		app_log(a, "Stopping...");
	}
	enter_stopping(a, STOP_RESTART);
	a->run.package_read = 1; /* the start after the exit reads it no more */
	return REQ_WAIT_STARTED;
}

enum request_result app_request_remove(struct app *a)
{
	a->want = WANT_GONE;
	if (a->run.pgid) {
		enter_stopping(a, STOP_REMOVE);
		return REQ_WAIT_REMOVED;
	}
	app_remove(a);
	return REQ_REMOVED;
}
