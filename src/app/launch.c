/* launch: starting an app (SPEC §4): a port, the folder, the environment,
 * the spawn (an install first when needed) and the exec status pipe. */
#include "app/transitions.h"

#include "app/applog.h"
#include "app/env.h"
#include "app/output.h"
#include "app/owner.h"
#include "app/package.h"
#include "app/registry.h"
#include "base/path.h"
#include "base/safefile.h"
#include "parse/command.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int port_busy(void *ctx, int port)
{
	return lc.sys->port_busy(port);
}

static void port_skipped(void *ctx, int port)
{
	app_log(ctx, "Port %d is in use by another process, skipped", port);
}

static void env_bad_line(void *ctx, const char *file, int line)
{
	app_log(ctx, "%s:%d: malformed line skipped", file, line);
}

static void env_unreadable(void *ctx, const char *path, int err)
{
	if (err == EFBIG) {
		app_log(ctx, "Cannot read %s: larger than %u KiB; not used", path, ENV_FILE_MAX_BYTES / 1024);
	} else {
		app_log(ctx, "Cannot read %s: %s; not used", path, safe_strerror(err));
	}
}

static void env_too_many(void *ctx, const char *file, size_t skipped)
{
	app_log(ctx, "%s: more than %u variables; the %zu after them skipped", file, ENV_FILE_MAX_KEYS,
		skipped);
}

static const struct appenv_report env_report = { env_bad_line, env_unreadable, env_too_many };

/* The start could not spawn: say why, give the port back, retry later. */
static int start_failed(struct app *a, const char *why)
{
	app_log(a, "%s", why);
	app_set_error(a, "%s", why);
	release_port(a);
	enter_backoff(a, SPAWN_RETRY_MS);
	return -1;
}

/* toesd will not run it as it is (SPEC §4.5): invalid until fixed. */
static int start_refused(struct app *a, const char *why)
{
	app_log(a, "Not started: %s", why);
	app_set_error(a, "%s", why);
	release_port(a);
	enter_invalid(a);
	return -1;
}

static int start_failed_errno(struct app *a, const char *what, int err)
{
	char why[PATH_MAX + 128];
	snprintf(why, sizeof why, "Cannot run start command: %.*s: %s", PATH_MAX, what, strerror(err));
	return start_failed(a, why);
}

/* The data folder, made for the app's user, and the environment. */
static char **build_env(struct app *a, const char *cwd, char *const *assign, const char *data_dir,
			const struct app_owner *owner)
{
	const struct config *cfg = lc.cfg;
	if (path_mkdirs(data_dir) < 0) {
		app_log(a, "Cannot create data folder %s: %s", data_dir, strerror(errno));
	} else if (owner_take_folder(owner, data_dir) < 0) {
		app_log(a, "Cannot give data folder %s to %s: %s", data_dir, owner->user, strerror(errno));
	}
	struct appenv_in in = {
		.name = a->name, .cwd = cwd, .port = a->port,
		.apps_dir = cfg->apps_dir, .data_dir = data_dir,
		.toes_dir = cfg->toes_dir, .url = cfg->url, .assign = assign,
		.user = owner->set ? owner->user : NULL, .home = owner->home,
	};
	return appenv_build(&in, &env_report, a);
}

/* The real path of current, where the app runs. */
static int app_cwd(struct app *a, char cwd[PATH_MAX])
{
	char link[PATH_MAX];
	if (path_format(link, sizeof link, "%s/current", a->dir) < 0) {
		return start_failed_errno(a, a->dir, ENAMETOOLONG);
	}
	if (!realpath(link, cwd)) {
		return start_failed_errno(a, link, errno);
	}
	return 0;
}

/* An install command is set and the app has no node_modules yet. */
static int needs_install(const char *cwd)
{
	char path[PATH_MAX];
	struct stat st;
	return lc.cfg->install_cmd && path_format(path, sizeof path, "%s/node_modules", cwd) == 0 &&
	       stat(path, &st) < 0 && errno == ENOENT;
}

/* --- the exec status pipe --- */

void close_exec_status(struct app *a)
{
	if (a->status_w.fd >= 0) {
		loop_unwatch(&a->status_w);
		close(a->status_w.fd);
		a->status_w.fd = -1;
	}
}

/* EOF once the exec worked (then the pipe is closed at once, one
 * descriptor less per app), a failure record if not. */
void read_exec_status(struct app *a)
{
	char why[200];
	if (a->status_w.fd < 0) {
		return;
	}
	if (spawn_read_failure(a->status_w.fd, why, sizeof why)) {
		app_set_error(a, "Cannot run start command: %s", why);
		a->run.cannot_run = 1;
	}
	close_exec_status(a);
}

static void on_exec_status(struct loop_fd *w, short revents)
{
	read_exec_status(container_of(w, struct app, status_w));
}

/* --- spawning --- */

static void reset_run(struct app *a, monotime startup_due)
{
	memset(&a->run, 0, sizeof a->run);
	a->run.startup_due = startup_due;
}

/* Spawn a command in the app's folder; its output goes to the app's log.
 * The app's own command runs as SPEC §4.4 says (command.h): a plain one
 * is exec'd directly, the shell being the fallback; the install command
 * and --runner run through the shell as written. */
static int spawn_command(struct app *a, const char *cwd, const char *command, int is_app)
{
	char err[256];
	struct command cmd;
	memset(&cmd, 0, sizeof cmd);
	if (is_app ? command_parse(command, &cmd) < 0 : !(cmd.script = strdup(command))) {
		return start_failed_errno(a, "command", ENOMEM);
	}
	int plain = cmd.kind == COMMAND_PLAIN;
	char data_dir[PATH_MAX], why[PATH_MAX + 200];
	struct app_owner owner;
	if (path_format(data_dir, sizeof data_dir, "%s/data/%s", lc.cfg->toes_dir, a->name) < 0) {
		command_free(&cmd);
		return start_failed_errno(a, "data folder", ENAMETOOLONG);
	}
	if (owner_of(a->dir, cwd, data_dir, &owner, why, sizeof why) < 0) {
		command_free(&cmd);
		return start_refused(a, why);
	}
	char **env = build_env(a, cwd, plain ? cmd.assign : NULL, data_dir, &owner);
	if (!env) {
		command_free(&cmd);
		return start_failed_errno(a, "environment", errno);
	}
	char sh[] = "/bin/sh", dash_c[] = "-c";
	char *argv[] = { sh, dash_c, cmd.script, NULL };
	struct spawn_req req = {
		.cwd = cwd, .argv = argv, .envp = env,
		.direct_argv = plain ? cmd.argv : NULL,
		.search_path = appenv_get(env, "PATH"),
		.set_ids = owner.set, .uid = owner.uid, .gid = owner.gid,
		.groups = owner.groups, .n_groups = owner.n_groups,
	};
	struct spawn_child child;
	a->run.spawned_boot = lc.sys->boot_clock();
	int r = lc.sys->spawn(&req, &child, err, sizeof err);
	command_free(&cmd);
	appenv_free(env);
	if (r < 0) {
		snprintf(why, sizeof why, "Cannot run start command: %s", err);
		return start_failed(a, why);
	}
	app_set_pid(a, child.pid);
	app_set_pgid(a, child.pid);
	a->runs++;
	if (lc.sys->run_started) {
		lc.sys->run_started(a);
	}
	/* Not watched (out of memory): read at the exit instead. */
	a->status_w.fd = child.status_fd;
	loop_watch(&a->status_w, child.status_fd, POLLIN, on_exec_status);
	app_watch_output(a, child.out_fd, child.err_fd);
	/* Start-up deadlines count from this spawn, not from the loop's
	 * wake-up: starting many apps in one turn takes time. */
	loop_update_now();
	return 0;
}

static int spawn_run(struct app *a, const char *cwd, enum run_kind kind, monotime startup_due)
{
	reset_run(a, startup_due);
	a->run.kind = kind;
	if (kind == RUN_INSTALL) {
		app_log(a, "Installing dependencies...");
		if (spawn_command(a, cwd, lc.cfg->install_cmd, 0) < 0) {
			return -1;
		}
		enter_installing(a);
		return 0;
	}
	app_log(a, "Starting on port %d...", a->port);
	a->run.spawned_at = loop_now();
	int runner = lc.cfg->runner != NULL;
	if (spawn_command(a, cwd, runner ? lc.cfg->runner : a->script, !runner) < 0) {
		return -1;
	}
	enter_starting(a);
	return 0;
}

int app_start_loaded(struct app *a)
{
	if (a->run.pgid || lc.shutting_down) {
		return -1;
	}
	if (!a->script && !lc.cfg->runner) {
		/* Never loaded valid: read it now, as a start does. */
		return app_start(a);
	}
	int port = ports_take(lc.pool, a->last_port, port_busy, port_skipped, a);
	if (!port) {
		enter_waiting_port(a);
		return -1;
	}
	a->port = a->last_port = port;
	char cwd[PATH_MAX];
	if (app_cwd(a, cwd) < 0) {
		return -1;
	}
	return spawn_run(a, cwd, needs_install(cwd) ? RUN_INSTALL : RUN_APP, 0);
}

int app_load_or_invalid(struct app *a)
{
	switch (app_load(a)) {
	case LOAD_VALID:
		return 1;
	case LOAD_AGAIN:
		/* Not a verdict on the app: try again after the backoff. */
		app_log(a, "%s; trying again", a->error ? a->error : "Cannot read package.json");
		enter_backoff(a, 0);
		return 0;
	case LOAD_INVALID:
		break;
	}
	app_log(a, "Invalid: %s", a->error ? a->error : "unknown error");
	enter_invalid(a);
	return 0;
}

int app_invalid_now(struct app *a)
{
	switch (app_load(a)) {
	case LOAD_INVALID:
		app_log(a, "Invalid: %s", a->error ? a->error : "unknown error");
		enter_invalid(a);
		return 1;
	case LOAD_AGAIN:
		/* No verdict: it stays as it goes, and is read again at its
		 * next start. */
		app_log(a, "%s; not checked now", a->error ? a->error : "Cannot read package.json");
		return 0;
	case LOAD_VALID:
		break;
	}
	return 0;
}

int app_start(struct app *a)
{
	if (a->run.pgid || lc.shutting_down) {
		return -1;
	}
	return app_load_or_invalid(a) ? app_start_loaded(a) : -1;
}

void launch_after_install(struct app *a)
{
	char cwd[PATH_MAX];
	if (app_cwd(a, cwd) == 0) {
		spawn_run(a, cwd, RUN_APP, a->run.startup_due);
	}
}

/* A port came back: the apps that wait for one start, oldest first,
 * until one finds none. */
static void on_port_freed(struct loop_timer *t)
{
	while (lc.waiting_head) {
		struct app *a = lc.waiting_head;
		app_start(a);
		if (lc.waiting_head == a) {
			return;
		}
	}
}

int launch_init(void)
{
	return loop_timer_init(&lc.port_freed, on_port_freed);
}

void launch_fini(void)
{
	loop_timer_fini(&lc.port_freed);
}
