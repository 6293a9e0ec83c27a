/* appsm: what happens to an app on each event, in each state (SPEC §3–§7). */
#include "app/appsm.h"

#include "app/appenv.h"
#include "parse/backoff.h"
#include "base/log.h"
#include "parse/opts.h"
#include "base/path.h"
#include "app/spawn.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct appsm_sys real_sys = {
	.spawn = spawn_child,
	.kill = kill,
	.waitpid = waitpid,
	.port_busy = ports_listening,
	.probe_start = probe_start,
};
static const struct appsm_sys *sys = &real_sys;
static const struct config *cfg;
static struct ports *pool;
static appsm_change_fn changed;
static int shutting_down;
static unsigned n_draining;      /* apps whose main exited while their group lingers */
static unsigned n_waiting_port;  /* apps waiting for a free port */
static int sigkill_needed;
static struct loop_timer port_freed;  /* a port came back while apps wait */

/* The least wait before retrying a start that failed inside toesd. */
#define SPAWN_RETRY_MS 1000

static void on_deadline(struct loop_timer *t);
static void on_survival(struct loop_timer *t);
static void on_next_probe(struct loop_timer *t);
static void finish_exit(struct app *a);

int appsm_init(const struct config *c, struct ports *p, appsm_change_fn on_change)
{
	cfg = c;
	pool = p;
	changed = on_change;
	return loop_reserve_timers(1); /* port_freed */
}

void appsm_set_sys(const struct appsm_sys *fake)
{
	sys = fake ? fake : &real_sys;
}

void app_set_state(struct app *a, enum app_state s)
{
	a->state = s;
	changed(a);
}

/* --- starting --- */

static void set_waiting_port(struct app *a, int waiting)
{
	if (a->waiting_port != waiting) {
		n_waiting_port += waiting ? 1u : -1u;
		a->waiting_port = (unsigned char)waiting;
	}
}

static int port_busy(void *ctx, int port)
{
	return sys->port_busy(port);
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
	app_log(ctx, "Cannot read %s: %s", path, strerror(err));
}

/* floor_ms: a lower bound, for failures of toesd's own (fork, pipes) that
 * a zero delay would only repeat at once. */
static void schedule_restart(struct app *a, int64_t floor_ms)
{
	a->attempt++;
	int64_t delay = backoff_delay_ms(cfg->restart_delays, cfg->n_restart_delays, a->attempt);
	if (delay < floor_ms) {
		delay = floor_ms;
	}
	char d[32];
	opt_format_duration(d, sizeof d, delay);
	app_log(a, "Scheduling restart in %s (attempt %u)...", d, a->attempt);
	a->restart_due = loop_now() + delay;
	loop_timer_arm(&a->deadline, a->restart_due, on_deadline);
	app_set_state(a, APP_STOPPED);
}

static void start_waiting_apps(struct loop_timer *t)
{
	for (size_t i = 0; n_waiting_port && i < app_count(); i++) {
		struct app *w = app_at(i);
		if (w->waiting_port && !w->manual_stop && !w->pid) {
			app_start(w);
		}
	}
}

/* Every port goes back to the pool here. Apps waiting for one start from
 * the loop, not from inside this exit or failed start. */
static void release_port(struct app *a)
{
	ports_release(pool, a->port);
	a->port = 0;
	if (n_waiting_port) {
		loop_timer_arm(&port_freed, loop_now(), start_waiting_apps);
	}
}

/* The start could not spawn: say why, give the port back, retry later. */
static int start_failed(struct app *a, const char *why)
{
	app_log(a, "%s", why);
	app_set_error(a, "%s", why);
	release_port(a);
	schedule_restart(a, SPAWN_RETRY_MS);
	return -1;
}

static char **build_env(struct app *a, const char *cwd, char *data_dir)
{
	snprintf(data_dir, PATH_MAX, "%s/data/%s", cfg->toes_dir, a->name);
	if (path_mkdirs(data_dir) < 0) {
		app_log(a, "Cannot create data folder %s: %s", data_dir, strerror(errno));
	}
	struct appenv_in in = {
		.name = a->name, .cwd = cwd, .port = a->port,
		.apps_dir = cfg->apps_dir, .data_dir = data_dir,
		.toes_dir = cfg->toes_dir, .url = cfg->url,
	};
	return appenv_build(&in, env_bad_line, env_unreadable, a);
}

/* The real path of current, where the app runs. */
static int app_cwd(struct app *a, char cwd[PATH_MAX])
{
	char link[PATH_MAX], err[PATH_MAX + 100];
	snprintf(link, sizeof link, "%s/current", a->dir);
	if (!realpath(link, cwd)) {
		snprintf(err, sizeof err, "Cannot run start command: %s: %s", link, strerror(errno));
		return start_failed(a, err);
	}
	return 0;
}

/* An install command is set and the app has no node_modules yet. */
static int needs_install(const char *cwd)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof path, "%s/node_modules", cwd);
	return cfg->install_cmd && stat(path, &st) < 0 && errno == ENOENT;
}

static void close_exec_status(struct app *a)
{
	if (a->status_w.fd >= 0) {
		loop_unwatch(&a->status_w);
		close(a->status_w.fd);
		a->status_w.fd = -1;
	}
}

/* The child's exec status pipe: EOF once the exec worked (then the pipe is
 * closed at once, one descriptor less per app), a failure record if not. */
static void read_exec_status(struct app *a)
{
	char why[200];
	if (a->status_w.fd < 0) {
		return;
	}
	if (spawn_read_failure(a->status_w.fd, why, sizeof why)) {
		app_set_error(a, "Cannot run start command: %s", why);
		a->cannot_run = 1;
	}
	close_exec_status(a);
}

static void on_exec_status(struct loop_fd *w, short revents)
{
	read_exec_status(container_of(w, struct app, status_w));
}

/* Spawn `/bin/sh -c command` for the app; its output goes to the app's log. */
static int spawn_app(struct app *a, const char *cwd, const char *script)
{
	char data_dir[PATH_MAX], err[256];
	char **env = build_env(a, cwd, data_dir);
	if (!env) {
		return start_failed(a, "Cannot run start command: out of memory");
	}
	char sh[] = "/bin/sh", dash_c[] = "-c";
	char *command = strdup(script);
	char *argv[] = { sh, dash_c, command, NULL };
	struct spawn_req req = { .cwd = cwd, .argv = argv, .envp = env };
	struct spawn_child child;
	int r = command ? sys->spawn(&req, &child, err, sizeof err) : -1;
	if (!command) {
		snprintf(err, sizeof err, "out of memory");
	}
	free(command);
	appenv_free(env);
	if (r < 0) {
		char why[300];
		snprintf(why, sizeof why, "Cannot run start command: %s", err);
		return start_failed(a, why);
	}
	a->pid = child.pid;
	if (loop_watch(&a->status_w, child.status_fd, POLLIN, on_exec_status) < 0) {
		a->status_w.fd = child.status_fd; /* read at the exit instead */
	}
	app_watch_output(a, child.out_fd, child.err_fd);
	return 0;
}

static void reset_run(struct app *a)
{
	a->installing = 0;
	a->startup_due = 0;
	a->main_exited = 0;
	a->sigkilled = 0;
	a->cannot_run = 0;
	a->cause = STOP_NONE;
	a->http = 0;
	a->health_failures = 0;
	a->exit_status = 0;
	a->running_since = 0;
}

/* Spawn the app itself and arm its start-up deadlines (the startup
 * timeout may already run since an install began). */
static int launch(struct app *a, const char *cwd)
{
	app_log(a, "Starting on port %d...", a->port);
	if (spawn_app(a, cwd, cfg->runner ? cfg->runner : a->script) < 0) {
		return -1;
	}
	/* Start-up deadlines count from this spawn, not from the loop's wake-up:
	 * starting many apps in one turn takes time. */
	loop_update_now();
	monotime_ms now = loop_now();
	loop_timer_arm(&a->next_probe, now + cfg->startup_poll, on_next_probe);
	loop_timer_arm(&a->survival, now + cfg->survival, on_survival);
	if (!a->startup_due) {
		a->startup_due = now + cfg->startup_timeout;
	}
	loop_timer_arm(&a->deadline, a->startup_due, on_deadline);
	app_set_state(a, APP_STARTING);
	return 0;
}

/* --install-cmd first, in the same folder: part of starting, no probes. */
static int start_install(struct app *a, const char *cwd)
{
	app_log(a, "Installing dependencies...");
	if (spawn_app(a, cwd, cfg->install_cmd) < 0) {
		return -1;
	}
	a->installing = 1;
	loop_update_now();
	a->startup_due = loop_now() + cfg->startup_timeout;
	loop_timer_arm(&a->deadline, a->startup_due, on_deadline);
	app_set_state(a, APP_STARTING);
	return 0;
}

int app_start(struct app *a)
{
	if (a->pid || shutting_down) {
		return -1;
	}
	loop_timer_cancel(&a->deadline);
	set_waiting_port(a, 0);
	if (!app_load(a)) {
		app_set_state(a, APP_INVALID);
		return -1;
	}
	int port = ports_take(pool, a->last_port, port_busy, port_skipped, a);
	if (!port) {
		app_log(a, "No available ports");
		app_set_error(a, "No available ports");
		set_waiting_port(a, 1);
		app_set_state(a, APP_STOPPED);
		return -1;
	}
	a->port = a->last_port = port;
	reset_run(a);
	char cwd[PATH_MAX];
	if (app_cwd(a, cwd) < 0) {
		return -1;
	}
	if (needs_install(cwd)) {
		return start_install(a, cwd);
	}
	return launch(a, cwd);
}

/* --- probes --- */

static void enter_running(struct app *a, int http)
{
	loop_timer_cancel(&a->survival);
	loop_timer_cancel(&a->deadline);
	loop_timer_cancel(&a->next_probe);
	probe_cancel(&a->probe);
	a->http = (unsigned char)http;
	a->running_since = loop_now();
	a->started_wall = clock_wall_ms();
	a->health_failures = 0;
	app_clear_error(a);
	if (http) {
		loop_timer_arm(&a->next_probe, loop_now() + cfg->health_interval, on_next_probe);
	}
	app_set_state(a, APP_RUNNING);
}

static void on_startup_probe(struct probe *p, enum probe_outcome outcome, int code)
{
	struct app *a = container_of(p, struct app, probe);
	if (a->state != APP_STARTING) {
		return;
	}
	switch (outcome) {
	case PROBE_UP:
		enter_running(a, 1);
		return;
	case PROBE_STATUS:
		app_log(a, "/ok returned %d", code);
		app_set_error(a, "Health check failed: /ok returned %d", code);
		app_stop(a, STOP_BAD_STATUS);
		return;
	case PROBE_NO_ANSWER:
		loop_timer_arm(&a->next_probe, loop_now() + cfg->startup_poll, on_next_probe);
		return;
	}
}

static void on_health_probe(struct probe *p, enum probe_outcome outcome, int code)
{
	struct app *a = container_of(p, struct app, probe);
	if (a->state != APP_RUNNING) {
		return;
	}
	if (outcome == PROBE_UP) {
		a->health_failures = 0;
	} else {
		a->health_failures++;
		app_log(a, "Health check failed (%u/%u)", a->health_failures, cfg->health_failures);
		if (a->health_failures >= cfg->health_failures) {
			app_log(a, "Too many health check failures, restarting...");
			app_stop(a, STOP_HEALTH);
			return;
		}
	}
	/* Every interval from the start of the previous check. */
	monotime_ms due = p->started + cfg->health_interval;
	loop_timer_arm(&a->next_probe, due > loop_now() ? due : loop_now(), on_next_probe);
}

static void on_next_probe(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, next_probe);
	if (a->state == APP_STARTING) {
		sys->probe_start(&a->probe, a->port, cfg->startup_probe_timeout, on_startup_probe);
	} else if (a->state == APP_RUNNING && a->http) {
		sys->probe_start(&a->probe, a->port, cfg->health_timeout, on_health_probe);
	}
}

static void on_survival(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, survival);
	if (a->state != APP_STARTING) {
		return;
	}
	char d[32];
	opt_format_duration(d, sizeof d, cfg->survival);
	app_log(a, "No /ok endpoint, marking as running (process survived %s)", d);
	enter_running(a, 0);
}

/* --- stopping --- */

/* No process of the app's group is left. Only asked while toesd has not
 * seen the group gone, so the id cannot have been reused yet. */
static int group_empty(const struct app *a)
{
	return sys->kill(-a->pid, 0) < 0 && errno == ESRCH;
}

/* Later words win, but nothing overrides a shutdown. */
static void set_cause(struct app *a, enum stop_cause cause)
{
	if (cause != STOP_NONE && a->cause != STOP_SHUTDOWN) {
		a->cause = cause;
	}
}

void app_stop(struct app *a, enum stop_cause cause)
{
	if (!a->pid) {
		return;
	}
	set_cause(a, cause);
	if (a->state == APP_STOPPING) {
		return;
	}
	probe_cancel(&a->probe);
	loop_timer_cancel(&a->survival);
	loop_timer_cancel(&a->next_probe);
	if (sys->kill(-a->pid, SIGTERM) < 0 && errno != ESRCH) {
		log_errno(a->name, "cannot send SIGTERM to process group %d", (int)a->pid);
	}
	loop_timer_arm(&a->deadline, loop_now() + cfg->stop_timeout, on_deadline);
	app_set_state(a, APP_STOPPING);
}

void app_stop_request(struct app *a)
{
	a->manual_stop = 1;
	set_waiting_port(a, 0);
	if (a->pid) {
		if (a->state != APP_STOPPING) {
			app_log(a, "Stopping...");
		}
		app_stop(a, STOP_REQUEST);
		return;
	}
	loop_timer_cancel(&a->deadline);
	app_set_state(a, a->state);
}

/* The stop timeout passed: SIGKILL the group; after a second timeout, give
 * up on members that cannot die (held as zombies by an escaped parent). */
static void stop_timed_out(struct app *a)
{
	if (!a->sigkilled) {
		app_log(a, "Shutdown timeout, sending SIGKILL...");
		if (sys->kill(-a->pid, SIGKILL) < 0 && errno != ESRCH) {
			log_errno(a->name, "cannot send SIGKILL to process group %d", (int)a->pid);
		}
		a->sigkilled = 1;
		if (shutting_down) {
			sigkill_needed = 1;
		}
	} else if (a->main_exited) {
		app_log(a, "Process group %d did not end after SIGKILL; leaving it", (int)a->pid);
		finish_exit(a);
		return;
	} else {
		/* Not even SIGKILL ends it (uninterruptible sleep): its exit will
		 * still come as SIGCHLD; waking up again would change nothing. */
		app_log(a, "Process %d did not exit after SIGKILL; waiting for it", (int)a->pid);
		return;
	}
	loop_timer_arm(&a->deadline, loop_now() + cfg->stop_timeout, on_deadline);
}

static void restart_due(struct app *a)
{
	if (shutting_down || a->manual_stop || a->pid) {
		return;
	}
	if (!app_load(a)) {
		app_set_state(a, APP_INVALID);
		return;
	}
	app_log(a, "Restarting...");
	a->restarts++;
	app_start(a);
}

static void on_deadline(struct loop_timer *t)
{
	struct app *a = container_of(t, struct app, deadline);
	switch (a->state) {
	case APP_STARTING:
		app_log(a, "Startup timeout, killing process...");
		app_stop(a, STOP_STARTUP_TIMEOUT);
		break;
	case APP_STOPPING:
		stop_timed_out(a);
		break;
	case APP_STOPPED:
		restart_due(a);
		break;
	case APP_RUNNING:
	case APP_INVALID:
		break;
	}
}

/* --- exits --- */

/* Decide at the main process's exit whether it could run its command at all. */
static void note_cannot_run(struct app *a, int status)
{
	if (a->installing) {
		return;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	read_exec_status(a);
	if (a->cannot_run) {
		return;
	}
	if (!a->running_since && (code == 126 || code == 127)) {
		app_set_error(a, "Cannot run start command: exit %d (%s)", code,
			      code == 127 ? "command not found" : "not executable");
		a->cannot_run = 1;
	}
}

static void main_exited(struct app *a, int status)
{
	a->main_exited = 1;
	a->exit_status = status;
	note_cannot_run(a, status);
	if (a->state == APP_STARTING && a->cause == STOP_NONE && !a->cannot_run && !a->installing) {
		app_log(a, "Process died during startup");
	}
	if (group_empty(a)) {
		finish_exit(a);
		return;
	}
	/* Its helpers live on: stop them; the exit counts once they are gone. */
	a->draining = 1;
	n_draining++;
	app_stop(a, STOP_NONE);
}

static void log_exit_line(struct app *a)
{
	int st = a->exit_status;
	a->last_exit.at = clock_wall_ms();
	if (WIFSIGNALED(st)) {
		a->last_exit.kind = EXIT_SIGNAL;
		a->last_exit.value = WTERMSIG(st);
	} else {
		a->last_exit.kind = EXIT_CODE;
		a->last_exit.value = WEXITSTATUS(st);
	}
	if (a->installing && a->last_exit.kind == EXIT_CODE && a->last_exit.value) {
		app_log(a, "Install failed (exit %d)", a->last_exit.value);
	} else if (a->cannot_run) {
		app_log(a, "%s", a->error);
	} else if (a->last_exit.kind == EXIT_SIGNAL) {
		app_log(a, "Killed by signal %d", a->last_exit.value);
	} else if (a->last_exit.value) {
		app_log(a, "Exited with code %d", a->last_exit.value);
	} else {
		app_log(a, "Stopped");
	}
}

static void release_process(struct app *a)
{
	app_drain_output(a);
	close_exec_status(a);
	probe_cancel(&a->probe);
	loop_timer_cancel(&a->deadline);
	loop_timer_cancel(&a->survival);
	loop_timer_cancel(&a->next_probe);
	if (a->running_since && loop_now() - a->running_since >= cfg->stable_time) {
		a->attempt = 0;
	}
	log_exit_line(a);
	release_port(a);
	a->pid = 0;
	a->running_since = 0;
	a->http = 0;
}

/* The install ended well: the same start goes on with the app itself. */
static void install_done(struct app *a)
{
	app_drain_output(a);
	close_exec_status(a);
	a->pid = 0;
	a->installing = 0;
	a->main_exited = 0;
	char cwd[PATH_MAX];
	if (app_cwd(a, cwd) == 0) {
		launch(a, cwd);
	}
}

/* The main process is reaped and its group is empty: the run is over. */
static void finish_exit(struct app *a)
{
	if (a->draining) {
		a->draining = 0;
		n_draining--;
	}
	enum stop_cause cause = a->cause;
	int crashed = !(WIFEXITED(a->exit_status) && WEXITSTATUS(a->exit_status) == 0);
	if (a->installing && !crashed && cause == STOP_NONE && !shutting_down && !a->manual_stop) {
		install_done(a);
		return;
	}
	int cannot_run = a->cannot_run;
	char *kept_error = a->error ? strdup(a->error) : NULL;
	release_process(a);
	a->cause = STOP_NONE;
	a->main_exited = 0;
	if (cause == STOP_BAD_STATUS) {
		app_set_state(a, APP_INVALID);
	} else if (!app_load(a)) {
		app_set_state(a, APP_INVALID);
	} else {
		if (cannot_run && kept_error) {
			app_set_error(a, "%s", kept_error);
		}
		if (shutting_down || a->manual_stop) {
			app_set_state(a, APP_STOPPED);
		} else if (cause == STOP_RESTART) {
			/* Straight to starting, so a waiting toesctl sees no stop. */
			if (app_start(a) < 0 && a->state == APP_STOPPING) {
				app_set_state(a, APP_STOPPED);
			}
		} else if (crashed || cause == STOP_HEALTH || cause == STOP_STARTUP_TIMEOUT) {
			schedule_restart(a, 0);
		} else {
			app_set_state(a, APP_STOPPED);
		}
	}
	free(kept_error);
}

void appsm_reap(void)
{
	int status;
	pid_t pid;
	while ((pid = sys->waitpid(-1, &status, WNOHANG)) > 0) {
		struct app *a = app_find_pid(pid);
		if (a && !a->main_exited) {
			main_exited(a, status);
		}
		/* Other pids are orphans reparented to toesd (a subreaper). */
	}
	for (size_t i = 0; n_draining && i < app_count(); i++) {
		struct app *a = app_at(i);
		if (a->draining && group_empty(a)) {
			finish_exit(a);
		}
	}
}

/* --- shutdown --- */

void appsm_shutdown(void)
{
	if (shutting_down) {
		return;
	}
	shutting_down = 1;
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		set_waiting_port(a, 0);
		if (a->pid) {
			app_stop(a, STOP_SHUTDOWN);
		} else {
			loop_timer_cancel(&a->deadline);
		}
	}
}

int appsm_all_stopped(void)
{
	for (size_t i = 0; i < app_count(); i++) {
		if (app_at(i)->pid) {
			return 0;
		}
	}
	return 1;
}

int appsm_needed_sigkill(void)
{
	return sigkill_needed;
}
