/* test_appsm: the app state machine with a fake clock and fake system calls
 * (spawn, kill, waitpid, probes): every transition of SPEC §3–§7 checked in
 * milliseconds of test time, no real process, no sleeping. */
#include "check.h"

#include "app/app.h"
#include "app/appsm.h"
#include "parse/config.h"
#include "base/log.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct config cfg;
static struct ports pool;
static char root[256], apps_dir[300], toes_dir[300];
static monotime_ms now;

/* --- the fakes --- */

static pid_t next_pid = 1000;
static int group_alive;               /* kill(-pgid, 0) answers "alive" */
static int last_signal, n_signals;
static pid_t last_signal_pid;
static struct { pid_t pid; int status; } exits[8];
static int n_exits;
static struct probe *probe_pending;
static probe_fn probe_done_fn;
static int64_t probe_timeout;
static int busy_port;                 /* a foreign listener, 0 = none */

static char last_command[256];

static int fake_spawn(const struct spawn_req *req, struct spawn_child *child, char *err, size_t cap)
{
	snprintf(last_command, sizeof last_command, "%s", req->argv[2]);
	child->pid = next_pid++;
	child->out_fd = open("/dev/null", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	child->err_fd = open("/dev/null", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	child->status_fd = open("/dev/null", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return 0;
}

static int fake_kill(pid_t pid, int signo)
{
	if (signo == 0) {
		if (group_alive) {
			return 0;
		}
		errno = ESRCH;
		return -1;
	}
	last_signal = signo;
	last_signal_pid = pid;
	n_signals++;
	return 0;
}

static pid_t fake_waitpid(pid_t pid, int *status, int flags)
{
	if (!n_exits) {
		return 0;
	}
	pid_t p = exits[0].pid;
	*status = exits[0].status;
	for (int i = 1; i < n_exits; i++) {
		exits[i - 1] = exits[i];
	}
	n_exits--;
	return p;
}

static int fake_port_busy(int port)
{
	return port == busy_port;
}

static void fake_probe_start(struct probe *p, int port, int64_t timeout_ms, probe_fn done)
{
	p->started = loop_now();
	probe_pending = p;
	probe_done_fn = done;
	probe_timeout = timeout_ms;
}

static const struct appsm_sys fake = {
	.spawn = fake_spawn,
	.kill = fake_kill,
	.waitpid = fake_waitpid,
	.port_busy = fake_port_busy,
	.probe_start = fake_probe_start,
};

/* --- driving --- */

static monotime_ms fake_clock(void)
{
	return now;
}

static void advance(int64_t ms)
{
	now += ms;
	loop_advance(now);
}

/* Answer the probe in flight. */
static int answer_probe(enum probe_outcome outcome, int code)
{
	struct probe *p = probe_pending;
	if (!p) {
		return 0;
	}
	probe_pending = NULL;
	probe_done_fn(p, outcome, code);
	return 1;
}

static void exit_pid(pid_t pid, int status)
{
	exits[n_exits].pid = pid;
	exits[n_exits].status = status;
	n_exits++;
	appsm_reap();
}

#define EXIT_CODE(n) ((n) << 8)

static void on_change(struct app *a)
{
}

static struct app *new_app(const char *name)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", apps_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/v1", apps_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/v1/package.json", apps_dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("{\"scripts\":{\"toes\":\"true\"}}\n", f);
		fclose(f);
	}
	app_discover(apps_dir);
	return app_find(name);
}

/* The newest [system] line of the app, without its stamp. */
static const char *last_line(const struct app *a)
{
	const char *l = a->recent.count ? recent_get(&a->recent, a->recent.count - 1) : "";
	const char *tag = strstr(l, "] [system] ");
	return tag ? tag + 11 : l;
}

static int logged(const struct app *a, const char *text)
{
	for (unsigned i = 0; i < a->recent.count; i++) {
		if (strstr(recent_get(&a->recent, i), text)) {
			return 1;
		}
	}
	return 0;
}

/* --- the tests --- */

static void test_worker_survives(void)
{
	struct app *a = new_app("worker");
	CHECK(a != NULL);
	CHECK_INT(app_start(a), 0);
	CHECK_INT(a->state, APP_STARTING);
	CHECK(a->pid > 0);
	CHECK_INT(a->port, 3001);
	advance(499);
	CHECK(probe_pending == NULL);
	advance(1);
	CHECK(probe_pending != NULL);
	CHECK_INT(probe_timeout, 2000);
	answer_probe(PROBE_NO_ANSWER, 0);
	advance(499);
	CHECK(probe_pending == NULL);
	advance(1);
	CHECK(answer_probe(PROBE_NO_ANSWER, 0));
	advance(4000);
	CHECK_INT(a->state, APP_RUNNING);
	CHECK_INT(a->http, 0);
	CHECK_STR(last_line(a), "No /ok endpoint, marking as running (process survived 5s)");
	/* No health checks for a worker. */
	probe_pending = NULL;
	advance(120000);
	CHECK(probe_pending == NULL);
	app_stop_request(a);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(last_signal, SIGTERM);
	CHECK_INT(last_signal_pid, -a->pid);
	exit_pid(a->pid, SIGTERM);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK(!loop_timer_armed(&a->deadline));
	CHECK_STR(last_line(a), "Killed by signal 15");
}

static void test_health_failures_restart(void)
{
	struct app *a = new_app("web");
	CHECK_INT(app_start(a), 0);
	advance(500);
	CHECK(answer_probe(PROBE_UP, 200));
	CHECK_INT(a->state, APP_RUNNING);
	CHECK_INT(a->http, 1);
	advance(30000);
	CHECK_INT(probe_timeout, 5000);
	CHECK(answer_probe(PROBE_STATUS, 500));
	CHECK_STR(last_line(a), "Health check failed (1/3)");
	advance(30000);
	CHECK(answer_probe(PROBE_UP, 200));    /* a good answer resets the count */
	advance(30000);
	CHECK(answer_probe(PROBE_NO_ANSWER, 0));
	CHECK_STR(last_line(a), "Health check failed (1/3)");
	advance(30000);
	CHECK(answer_probe(PROBE_NO_ANSWER, 0));
	advance(30000);
	CHECK(answer_probe(PROBE_NO_ANSWER, 0));
	CHECK_STR(last_line(a), "Too many health check failures, restarting...");
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(last_signal, SIGTERM);
	/* It ignores SIGTERM: SIGKILL at the stop timeout. */
	advance(9999);
	CHECK_INT(last_signal, SIGTERM);
	advance(1);
	CHECK_INT(last_signal, SIGKILL);
	CHECK_STR(last_line(a), "Shutdown timeout, sending SIGKILL...");
	pid_t old = a->pid;
	exit_pid(old, SIGKILL);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_STR(last_line(a), "Scheduling restart in 1s (attempt 1)...");
	CHECK_INT(a->port, 0);
	advance(1000);
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(a->restarts, 1);
	CHECK(a->pid != old);
	CHECK_INT(a->port, a->last_port);
	/* A stale exit of the old pid changes nothing. */
	exit_pid(old, EXIT_CODE(1));
	CHECK_INT(a->state, APP_STARTING);
	app_stop_request(a);
	exit_pid(a->pid, SIGTERM);
}

static void test_backoff_and_stable_reset(void)
{
	struct app *a = new_app("crash");
	static const int64_t want[] = { 1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000 };
	CHECK_INT(app_start(a), 0);
	for (int i = 0; i < 8; i++) {
		exit_pid(a->pid, EXIT_CODE(3));
		CHECK_INT(a->state, APP_STOPPED);
		CHECK_INT(a->attempt, i + 1);
		CHECK_INT(a->restart_due - now, want[i]);
		advance(want[i]);
		CHECK_INT(a->state, APP_STARTING);
	}
	CHECK(logged(a, "Exited with code 3"));
	CHECK(logged(a, "Process died during startup"));
	/* A run of the stable time resets the counter. */
	advance(5000);
	CHECK_INT(a->state, APP_RUNNING);
	advance(59999);
	exit_pid(a->pid, EXIT_CODE(3));
	CHECK_INT(a->attempt, 9);
	advance(32000);
	advance(5000);
	advance(60000);
	exit_pid(a->pid, EXIT_CODE(3));
	CHECK_INT(a->attempt, 1);
	CHECK_STR(last_line(a), "Scheduling restart in 1s (attempt 1)...");
	app_stop_request(a);
	CHECK(!loop_timer_armed(&a->deadline));
	CHECK_INT(a->state, APP_STOPPED);
	advance(100000);
	CHECK_INT(a->state, APP_STOPPED);
}

static void test_bad_status_is_invalid(void)
{
	struct app *a = new_app("bad");
	CHECK_INT(app_start(a), 0);
	advance(500);
	CHECK(answer_probe(PROBE_STATUS, 500));
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_STR(last_line(a), "/ok returned 500");
	exit_pid(a->pid, SIGTERM);
	CHECK_INT(a->state, APP_INVALID);
	CHECK_STR(a->error, "Health check failed: /ok returned 500");
	CHECK(!loop_timer_armed(&a->deadline));
	advance(100000);
	CHECK_INT(a->state, APP_INVALID);
	CHECK_INT(a->restarts, 0);
}

static void test_clean_exit_not_restarted(void)
{
	struct app *a = new_app("oneshot");
	CHECK_INT(app_start(a), 0);
	advance(5000);
	exit_pid(a->pid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_STR(last_line(a), "Stopped");
	CHECK(!loop_timer_armed(&a->deadline));
}

static void test_group_lingers(void)
{
	struct app *a = new_app("linger");
	CHECK_INT(app_start(a), 0);
	advance(5000);
	int port = a->port;
	group_alive = 1;
	n_signals = 0;
	exit_pid(a->pid, EXIT_CODE(0));
	/* The main process is gone, its helpers are not: stop them first. */
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(n_signals, 1);
	CHECK_INT(last_signal, SIGTERM);
	CHECK(ports_is_used(&pool, port));
	group_alive = 0;
	exit_pid(99999, EXIT_CODE(0)); /* an orphan of the group reaped */
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->pid, 0);
	CHECK(!ports_is_used(&pool, port));
	/* Ended by itself with code 0: no restart. */
	CHECK(!loop_timer_armed(&a->deadline));
}

static void test_startup_timeout_is_a_crash(void)
{
	struct app *a = new_app("slow");
	cfg.survival = 60000;
	CHECK_INT(app_start(a), 0);
	advance(29999);
	CHECK_INT(a->state, APP_STARTING);
	advance(1);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK(logged(a, "Startup timeout, killing process..."));
	exit_pid(a->pid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK(loop_timer_armed(&a->deadline));
	CHECK(!logged(a, "Process died during startup"));
	cfg.survival = 5000;
	app_stop_request(a);
}

static void test_ports_sticky_foreign_exhausted(void)
{
	/* worker..slow above released their ports; take all three now. */
	struct app *p1 = new_app("p1"), *p2 = new_app("p2"), *p3 = new_app("p3");
	busy_port = 3002;
	CHECK_INT(app_start(p1), 0);
	CHECK_INT(app_start(p2), 0);
	CHECK_INT(p1->port, 3001);
	CHECK_INT(p2->port, 3003);
	CHECK(logged(p2, "Port 3002 is in use by another process, skipped"));
	CHECK_INT(app_start(p3), -1);
	CHECK_INT(p3->state, APP_STOPPED);
	CHECK_STR(p3->error, "No available ports");
	busy_port = 0;
	/* p1 stops: its port goes to the waiting p3. */
	app_stop_request(p1);
	exit_pid(p1->pid, SIGTERM);
	advance(0);
	CHECK_INT(p3->state, APP_STARTING);
	CHECK_INT(p3->port, 3001);
	/* p1 wants its port back but it is taken: the lowest free one. */
	CHECK_INT(app_start(p1), 0);
	CHECK_INT(p1->port, 3002);
	app_stop_request(p1);
	exit_pid(p1->pid, SIGTERM);
	app_stop_request(p2);
	exit_pid(p2->pid, SIGTERM);
	app_stop_request(p3);
	exit_pid(p3->pid, SIGTERM);
}

static void test_restart_request(void)
{
	struct app *a = new_app("again");
	CHECK_INT(app_start(a), 0);
	advance(5000);
	pid_t old = a->pid;
	app_stop(a, STOP_RESTART);
	CHECK_INT(a->state, APP_STOPPING);
	exit_pid(old, SIGTERM);
	CHECK_INT(a->state, APP_STARTING);
	CHECK(a->pid != old);
	CHECK_INT(a->restarts, 0);
	app_stop_request(a);
	exit_pid(a->pid, SIGTERM);
}

static void test_install_first(void)
{
	struct app *a = new_app("inst");
	cfg.install_cmd = "npm install";
	CHECK_INT(app_start(a), 0);
	CHECK_STR(last_command, "npm install");
	CHECK_INT(a->state, APP_STARTING);
	CHECK_STR(last_line(a), "Installing dependencies...");
	/* No probe and no survival while installing; the startup timeout runs. */
	probe_pending = NULL;
	advance(6000);
	CHECK(probe_pending == NULL);
	CHECK_INT(a->state, APP_STARTING);
	exit_pid(a->pid, EXIT_CODE(0));
	CHECK_STR(last_command, "true");
	CHECK_STR(last_line(a), "Starting on port 3001...");
	CHECK_INT(a->state, APP_STARTING);
	advance(500);
	CHECK(answer_probe(PROBE_UP, 200));
	CHECK_INT(a->state, APP_RUNNING);
	app_stop_request(a);
	exit_pid(a->pid, SIGTERM);

	/* A failed install is a crash. */
	struct app *b = new_app("inst2");
	CHECK_INT(app_start(b), 0);
	exit_pid(b->pid, EXIT_CODE(1));
	CHECK(logged(b, "Install failed (exit 1)"));
	CHECK(!logged(b, "Exited with code"));
	CHECK_INT(b->state, APP_STOPPED);
	CHECK(loop_timer_armed(&b->deadline));
	/* With node_modules present, no install. */
	char path[600];
	snprintf(path, sizeof path, "%s/inst2/v1/node_modules", apps_dir);
	mkdir(path, 0755);
	advance(1000);
	CHECK_STR(last_command, "true");
	CHECK_INT(b->state, APP_STARTING);
	app_stop_request(b);
	exit_pid(b->pid, SIGTERM);
	cfg.install_cmd = NULL;
}

static int fail_spawns;

static int failing_spawn(const struct spawn_req *req, struct spawn_child *child, char *err, size_t cap)
{
	if (fail_spawns) {
		snprintf(err, cap, "cannot fork: %s", strerror(EAGAIN));
		return -1;
	}
	return fake_spawn(req, child, err, cap);
}

static void test_spawn_failure_waits(void)
{
	static struct appsm_sys failing;
	failing = fake;
	failing.spawn = failing_spawn;
	appsm_set_sys(&failing);
	int64_t zero = 0;
	cfg.restart_delays[0] = zero;
	size_t n = cfg.n_restart_delays;
	cfg.n_restart_delays = 1;
	struct app *a = new_app("nofork");
	fail_spawns = 1;
	CHECK_INT(app_start(a), -1);
	CHECK_STR(a->error, "Cannot run start command: cannot fork: Resource temporarily unavailable");
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->port, 0);
	/* Even with --restart-delays 0, a failure of toesd's own waits 1 s. */
	CHECK_INT(a->restart_due - now, 1000);
	advance(999);
	CHECK_INT(a->restarts, 0);
	advance(1);
	CHECK_INT(a->restarts, 1);
	fail_spawns = 0;
	advance(1000);
	CHECK_INT(a->state, APP_STARTING);
	/* A crash with delay 0 restarts at the next turn, not within this one. */
	pid_t old = a->pid;
	exit_pid(old, EXIT_CODE(1));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->restart_due, now);
	advance(0);
	CHECK_INT(a->state, APP_STARTING);
	app_stop_request(a);
	exit_pid(a->pid, SIGTERM);
	cfg.restart_delays[0] = 1000;
	cfg.n_restart_delays = n;
	appsm_set_sys(&fake);
}

static void test_shutdown_stops_everything(void)
{
	struct app *a = new_app("s1"), *b = new_app("s2"), *c = new_app("s3");
	CHECK_INT(app_start(a), 0);
	CHECK_INT(app_start(b), 0);
	advance(5000);
	CHECK_INT(app_start(c), 0); /* still starting */
	exit_pid(b->pid, EXIT_CODE(1)); /* b has a restart scheduled */
	CHECK(loop_timer_armed(&b->deadline));
	/* The SIGKILL of the health test came before the shutdown: not counted. */
	CHECK(!appsm_needed_sigkill());
	appsm_shutdown();
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(c->state, APP_STOPPING);
	CHECK(!loop_timer_armed(&b->deadline));
	CHECK(!appsm_all_stopped());
	exit_pid(a->pid, SIGTERM);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK(!appsm_needed_sigkill());
	/* c ignores SIGTERM: SIGKILL at the stop timeout, and it counts. */
	advance(10000);
	CHECK_INT(last_signal, SIGKILL);
	CHECK(appsm_needed_sigkill());
	exit_pid(c->pid, SIGKILL);
	CHECK(appsm_all_stopped());
	CHECK(!loop_timer_armed(&a->deadline));
	CHECK_INT(app_start(a), -1);
}

static int setup(void)
{
	if (check_tmpdir(root, sizeof root, "toes-appsm") < 0) {
		return -1;
	}
	snprintf(apps_dir, sizeof apps_dir, "%s/apps", root);
	snprintf(toes_dir, sizeof toes_dir, "%s/toes", root);
	mkdir(apps_dir, 0755);
	mkdir(toes_dir, 0755);
	char *argv[] = { "toesd", NULL };
	if (config_parse(&cfg, 1, argv) != 0) {
		return -1;
	}
	cfg.apps_dir = apps_dir;
	cfg.toes_dir = toes_dir;
	cfg.data_dir = root;
	if (ports_init(&pool, 3001, 3003) < 0) {
		return -1;
	}
	log_open("/dev/null");
	if (appsm_init(&cfg, &pool, on_change) < 0) {
		return -1;
	}
	appsm_set_sys(&fake);
	now = 1000000;
	loop_set_clock(fake_clock);
	loop_advance(now);
	return 0;
}

int main(void)
{
	if (setup() < 0) {
		printf("FAIL setup\n");
		return 1;
	}
	RUN(test_worker_survives);
	RUN(test_health_failures_restart);
	RUN(test_backoff_and_stable_reset);
	RUN(test_bad_status_is_invalid);
	RUN(test_clean_exit_not_restarted);
	RUN(test_group_lingers);
	RUN(test_startup_timeout_is_a_crash);
	RUN(test_ports_sticky_foreign_exhausted);
	RUN(test_restart_request);
	RUN(test_install_first);
	RUN(test_spawn_failure_waits);
	RUN(test_shutdown_stops_everything);
	check_rmtree(root);
	return CHECK_EXIT();
}
