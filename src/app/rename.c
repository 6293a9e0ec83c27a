/* rename: the checks, the stop, and the three moves with their undo. */
#include "app/rename.h"

#include "app/applog.h"
#include "app/registry.h"
#include "app/transitions.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/path.h"
#include "parse/appname.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* What moves with the name, in this order (undone in the other). */
enum { MOVE_APP, MOVE_DATA, MOVE_ENV, N_MOVES };

struct move {
	const char *what;
	char from[PATH_MAX], to[PATH_MAX];
	int present;   /* there is something to move */
	int moved;
};

/* rename(2) that never replaces what is at to: a folder made there since
 * the check is not overwritten. Where the file system cannot say so
 * (renameat2 missing or refused), a check just before. */
static int move_path(const char *from, const char *to)
{
#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
		return 0;
	}
	if (errno != ENOSYS && errno != EINVAL) {
		return -1;
	}
#endif
	struct stat st;
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* The moves of renaming a to `to`, checked: every destination free. 0,
 * or -1 with why. */
static int plan_moves(const struct app *a, const char *to, struct move m[N_MOVES], char *why, size_t cap)
{
	const struct config *cfg = lc.cfg;
	static const char *const what[N_MOVES] = { "the app folder", "the data folder", "the env file" };
	int r = path_format(m[MOVE_APP].from, PATH_MAX, "%s", a->dir) |
		path_format(m[MOVE_APP].to, PATH_MAX, "%s/%s", cfg->apps_dir, to) |
		path_format(m[MOVE_DATA].from, PATH_MAX, "%s/data/%s", cfg->toes_dir, a->name) |
		path_format(m[MOVE_DATA].to, PATH_MAX, "%s/data/%s", cfg->toes_dir, to) |
		path_format(m[MOVE_ENV].from, PATH_MAX, "%s/env/%s.env", cfg->toes_dir, a->name) |
		path_format(m[MOVE_ENV].to, PATH_MAX, "%s/env/%s.env", cfg->toes_dir, to);
	if (r < 0 || !app_name_fits(to)) {
		snprintf(why, cap, "the paths of the new name would be too long");
		return -1;
	}
	for (int i = 0; i < N_MOVES; i++) {
		m[i].what = what[i];
		m[i].moved = 0;
		m[i].present = i == MOVE_APP || exists(m[i].from);
		/* A leftover at the new name is never taken over, even when
		 * OLD has nothing to move there. */
		if (exists(m[i].to)) {
			snprintf(why, cap, "%s exists already%s; choose another name or move it away", m[i].to,
				 i == MOVE_APP ? " (it is not an app)" : "");
			return -1;
		}
	}
	return 0;
}

/* Put back what moved, last first. A move back that fails is said
 * loudly: only a person can mend it. */
static void undo_moves(struct move m[N_MOVES], const char *name)
{
	for (int i = N_MOVES; i-- > 0;) {
		if (m[i].moved && move_path(m[i].to, m[i].from) < 0) {
			log_errno(name, "cannot put %s back from %s to %s; move it by hand", m[i].what, m[i].to,
				  m[i].from);
		}
	}
}

/* Every move, then the record; nothing changed when it fails. */
static int move_all(struct app *a, const char *to, char *why, size_t cap)
{
	struct move m[N_MOVES];
	if (plan_moves(a, to, m, why, cap) < 0) {
		return -1;
	}
	/* Lines said from now on go to the folder under its new name. */
	logfile_close(&a->log, a->logdir, clock_wall_ms());
	for (int i = 0; i < N_MOVES; i++) {
		if (m[i].present && move_path(m[i].from, m[i].to) < 0) {
			snprintf(why, cap, "cannot move %s %s to %s: %s", m[i].what, m[i].from, m[i].to,
				 strerror(errno));
			undo_moves(m, a->name);
			return -1;
		}
		m[i].moved = m[i].present;
	}
	char *old = strdup(a->name);
	if (!old || app_rename(a, to) < 0) {
		snprintf(why, cap, "out of memory");
		undo_moves(m, a->name);
		free(old);
		return -1;
	}
	a->attempt = 0;
	app_log(a, "Renamed from %s", old);
	free(old);
	return 0;
}

/* Checks that need no move: the rules, and who has the name. */
static enum request_result check_name(const struct app *a, const char *to, char *why, size_t cap)
{
	if (appname_check(to, why, cap) < 0) {
		return REQ_BAD_NAME;
	}
	if (app_find(to)) {
		snprintf(why, cap, "%s is an app already", to);
		return REQ_REFUSED;
	}
	if (a->rename_to) {
		snprintf(why, cap, "it is being renamed to %s already", a->rename_to);
		return REQ_REFUSED;
	}
	if (a->state == APP_STOPPING && a->run.cause != STOP_NONE && a->run.cause != STOP_REQUEST &&
	    a->run.cause != STOP_RESTART) {
		/* A failed check or a bad package.json decides what follows the
		 * exit; a rename would hide it. */
		snprintf(why, cap, "toesd is stopping it (%s); rename it once it is down",
			 a->run.cause == STOP_INVALID ? "package.json is not valid" : "it failed its checks");
		return REQ_REFUSED;
	}
	struct move m[N_MOVES];
	return plan_moves(a, to, m, why, cap) < 0 ? REQ_REFUSED : REQ_RENAMED;
}

enum request_result app_request_rename(struct app *a, const char *to, char *why, size_t cap)
{
	if (lc.shutting_down) {
		return REQ_SHUTTING_DOWN;
	}
	if (a->want == WANT_GONE) {
		return REQ_REMOVING;
	}
	if (strcmp(a->name, to) == 0) {
		return REQ_ALREADY;
	}
	enum request_result r = check_name(a, to, why, cap);
	if (r != REQ_RENAMED) {
		return r;
	}
	free(a->rename_error);
	a->rename_error = NULL;
	if (a->run.pgid) {
		/* Its port must be free, and its files closed, before it moves. */
		if (!(a->rename_to = strdup(to))) {
			snprintf(why, cap, "out of memory");
			return REQ_FAILED;
		}
		if (a->state != APP_STOPPING) {
			app_log(a, "Stopping to rename it to %s...", to);
		}
		enter_stopping(a, STOP_RENAME);
		return REQ_WAIT_RENAMED;
	}
	int restart_due = a->detail == DETAIL_BACKOFF;
	if (move_all(a, to, why, cap) < 0) {
		return REQ_FAILED;
	}
	/* Its attempts start again from 0: so does its wait. */
	if (restart_due) {
		app_start(a);
	}
	return REQ_RENAMED;
}

void rename_finish(struct app *a)
{
	char why[PATH_MAX + 200];
	char *to = a->rename_to;
	a->rename_to = NULL;
	if (move_all(a, to, why, sizeof why) < 0) {
		app_log(a, "Not renamed to %s: %s", to, why);
		a->rename_error = strdup(why);
	}
	free(to);
	app_mark_changed(a);
}

void rename_given_up(struct app *a)
{
	app_log(a, "Not renamed to %s: %s", a->rename_to,
		lc.shutting_down ? "toesd is shutting down" : "the app is being removed");
	free(a->rename_to);
	a->rename_to = NULL;
	a->rename_error = strdup(lc.shutting_down ? "toesd is shutting down" : "the app is being removed");
	app_mark_changed(a);
}
