/* sm_harness.h: the state machine on a fake clock with fake system calls
 * (spawn, kill, reap, probes), shared by the state-machine and registry
 * tests. No real process runs and nothing sleeps. Each test starts from a
 * fresh registry and must end with no timer armed and no descriptor
 * left open (RUN_SM checks both). */
#ifndef TOES_SM_HARNESS_H
#define TOES_SM_HARNESS_H

#include "check.h"

#include "app/lifecycle.h"
#include "app/registry.h"
#include "app/requests.h"
#include "base/log.h"
#include "base/loop.h"
#include "parse/config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct config cfg;
static struct ports pool;
static char root[256], apps_dir[300], toes_dir[300];
static monotime now;

/* --- the fakes --- */

static pid_t next_pid = 1000;
static int group_alive;               /* kill(-pgid, 0) answers "alive" */
static int last_signal, n_signals;
static pid_t last_signal_pid;
static struct { pid_t pid, pgid; int status; } exits[8];
static int n_exits;
static struct probe *probe_pending;
static probe_fn probe_done_fn;
static int64_t probe_timeout;
static int busy_port;                 /* a foreign listener, 0 = none */
static int fail_spawns;               /* the next spawns fail (EAGAIN) */
static int n_spawns;
static char last_command[256];

/* The write ends a fake child holds (its stdout, stderr and exec status
 * pipes) until it exits. */
#define MAX_CHILDREN 64
static struct { pid_t pid; int fds[3]; } children[MAX_CHILDREN];

static inline void child_exits(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		if (children[i].pid == pid) {
			for (int k = 0; k < 3; k++) {
				close(children[i].fds[k]);
			}
			children[i].pid = 0;
		}
	}
}

static inline int fake_spawn(const struct spawn_req *req, struct spawn_child *child, char *err, size_t cap)
{
	int slot = 0, p[3][2];
	while (slot < MAX_CHILDREN && children[slot].pid) {
		slot++;
	}
	if (fail_spawns || slot == MAX_CHILDREN) {
		snprintf(err, cap, "cannot fork: %s", strerror(EAGAIN));
		return -1;
	}
	for (int k = 0; k < 3; k++) {
		if (pipe2(p[k], O_NONBLOCK | O_CLOEXEC) < 0) {
			snprintf(err, cap, "cannot create pipe: %s", strerror(errno));
			return -1;
		}
		children[slot].fds[k] = p[k][1];
	}
	snprintf(last_command, sizeof last_command, "%s", req->argv[2]);
	n_spawns++;
	child->pid = children[slot].pid = next_pid++;
	child->out_fd = p[0][0];
	child->err_fd = p[1][0];
	child->status_fd = p[2][0];
	return 0;
}

static inline int fake_kill(pid_t pid, int signo)
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

static inline int fake_reap(pid_t which, pid_t *pid, int *status, pid_t *pgid)
{
	int i = 0;
	while (i < n_exits && which > 0 && exits[i].pid != which) {
		i++;
	}
	if (i == n_exits) {
		return 0;
	}
	*pid = exits[i].pid;
	*pgid = exits[i].pgid;
	*status = exits[i].status;
	for (i++; i < n_exits; i++) {
		exits[i - 1] = exits[i];
	}
	n_exits--;
	return 1;
}

static inline int fake_port_busy(int port)
{
	return port == busy_port;
}

static const char *probe_path_asked; /* the path of the last probe started */

static inline void fake_probe_start(struct probe *p, int port, const char *path, int64_t timeout_ms,
				    probe_fn done)
{
	p->started = loop_now();
	p->timeout_ms = timeout_ms;
	p->why = WHY_TIMEOUT; /* what a fake "no answer" reads as */
	probe_pending = p;
	probe_done_fn = done;
	probe_timeout = timeout_ms;
	probe_path_asked = probe_path(path);
}

/* The boot clock moves with the fake clock, from a day after boot. */
static inline int64_t fake_boot_clock(void)
{
	return 86400LL * 1000000000LL + (int64_t)now * 1000;
}

/* What /proc says of a live group whose leader was reaped: 1 (a process
 * of the run is left, the default), 0 (none: another's under a reused
 * id), -1 (it cannot tell). An empty group (group_alive 0) has none. */
static int group_verdict = 1;
static int n_group_checks;
static int64_t last_group_since;

static inline int fake_group_ours(pid_t pgid, int64_t since)
{
	n_group_checks++;
	last_group_since = since;
	if (!group_alive) {
		return 0;
	}
	if (group_verdict < 0) {
		errno = ENOENT;
	}
	return group_verdict;
}

static const struct lifecycle_sys fake = {
	.spawn = fake_spawn,
	.kill = fake_kill,
	.reap = fake_reap,
	.port_busy = fake_port_busy,
	.probe_start = fake_probe_start,
	.boot_clock = fake_boot_clock,
	.group_ours = fake_group_ours,
};

/* --- driving --- */

static inline monotime fake_clock(void)
{
	return now;
}

/* ms of fake time pass: the timers due run, then the change flush. */
static inline void advance(int64_t ms)
{
	now += ms * MONO_MS;
	loop_advance(now);
}

/* Answer the probe in flight. */
static inline int answer_probe(enum probe_outcome outcome, int code)
{
	struct probe *p = probe_pending;
	if (!p) {
		return 0;
	}
	probe_pending = NULL;
	probe_done_fn(p, outcome, code);
	return 1;
}

/* A child of the group pgid exits with status and is reaped. */
static inline void exit_member(pid_t pid, pid_t pgid, int status)
{
	child_exits(pid);
	exits[n_exits].pid = pid;
	exits[n_exits].pgid = pgid;
	exits[n_exits].status = status;
	n_exits++;
	lifecycle_reap();
}

/* The main process (its own group leader) exits. */
static inline void exit_pid(pid_t pid, int status)
{
	exit_member(pid, pid, status);
}

#define EXIT_CODE(n) ((n) << 8)

static inline void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* APPS_DIR/<name>/v1/package.json and current, then the record. */
static inline struct app *new_app(const char *name)
{
	char path[600];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", apps_dir, name);
	if (mkdir(path, 0755) < 0 && errno == EEXIST && stat(path, &st) == 0) {
		return app_create(name, &st); /* made by an earlier test */
	}
	stat(path, &st);
	snprintf(path, sizeof path, "%s/%s/v1", apps_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/v1/package.json", apps_dir, name);
	write_file(path, "{\"scripts\":{\"toes\":\"true\"}}\n");
	snprintf(path, sizeof path, "%s/%s/current", apps_dir, name);
	if (symlink("v1", path) < 0 && errno != EEXIST) {
		printf("  cannot link %s\n", path);
	}
	return app_create(name, &st);
}

/* A new app, booted as toesd does at start. */
static inline struct app *boot_app(const char *name)
{
	struct app *a = new_app(name);
	if (a) {
		app_boot(a);
	}
	return a;
}

static inline void set_package(const char *name, const char *json)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s/v1/package.json", apps_dir, name);
	write_file(path, json);
}

/* The newest [system] line of the app, without its stamp. */
static inline const char *last_line(const struct app *a)
{
	const char *l = a->recent.count ? recent_get(&a->recent, a->recent.count - 1) : "";
	const char *tag = strstr(l, "] [system] ");
	return tag ? tag + 11 : l;
}

static inline int logged(const struct app *a, const char *text)
{
	for (unsigned i = 0; i < a->recent.count; i++) {
		if (strstr(recent_get(&a->recent, i), text)) {
			return 1;
		}
	}
	return 0;
}

/* Stop an app that runs (its process obeys SIGTERM). */
static inline void stop_app(struct app *a)
{
	if (a->run.pgid) {
		app_request_stop(a);
		exit_pid(a->run.pid ? a->run.pid : a->run.pgid, SIGTERM);
	}
}

static inline int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		n += e->d_name[0] != '.';
	}
	if (d) {
		closedir(d);
	}
	return n;
}

/* Each test: a fresh registry; at its end no timer armed, and once the
 * registry is cleared, the descriptors and timer room it started with. */
#define RUN_SM(fn) do { \
	int fds_ = count_fds(); \
	size_t room_ = loop_timers_reserved(); \
	check_failures = 0; \
	fn(); \
	if (loop_timers_armed() != 0) { \
		printf("  %s ended with %zu timers armed\n", #fn, loop_timers_armed()); \
		check_failures++; \
	} \
	registry_clear(); \
	if (count_fds() != fds_) { \
		printf("  %s ended with %d descriptors, began with %d\n", #fn, count_fds(), fds_); \
		check_failures++; \
	} \
	for (int port_ = pool.lo; port_ <= pool.hi; port_++) { \
		if (ports_is_used(&pool, port_)) { \
			printf("  %s left port %d taken\n", #fn, port_); \
			ports_release(&pool, port_); \
			check_failures++; \
		} \
	} \
	if (loop_timers_reserved() != room_) { \
		printf("  %s ended with room for %zu timers, began with %zu\n", #fn, \
		       loop_timers_reserved(), room_); \
		check_failures++; \
	} \
	n_exits = 0; \
	probe_pending = NULL; \
	group_alive = busy_port = fail_spawns = 0; \
	check_report(#fn); \
} while (0)

static inline int sm_setup(const char *prefix)
{
	if (check_tmpdir(root, sizeof root, prefix) < 0) {
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
	/* The epoll set exists from here on, so descriptor counts are stable. */
	struct loop_fd w;
	int p[2];
	memset(&w, 0, sizeof w); /* loop_watch reads w.watched */
	if (pipe(p) < 0 || loop_watch(&w, p[0], POLLIN, NULL) < 0) {
		return -1;
	}
	loop_unwatch(&w);
	close(p[0]);
	close(p[1]);
	if (lifecycle_init(&cfg, &pool) < 0) {
		return -1;
	}
	lifecycle_set_sys(&fake);
	now = 1000000 * MONO_MS;
	loop_set_clock(fake_clock);
	loop_before_sleep(app_flush_changes);
	loop_advance(now);
	return 0;
}

static inline void sm_teardown(void)
{
	registry_clear();
	lifecycle_fini();
	ports_free(&pool);
	loop_fini();
	check_rmtree(root);
}

#endif
