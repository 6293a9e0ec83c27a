/* toesd: the master process. Start-up, the single-instance lock, signals,
 * and the shutdown sequence; apps live in appsm, requests in ctl. */
#include "app/app.h"
#include "app/appsm.h"
#include "parse/config.h"
#include "toesd/folders.h"
#include "serve/ctl.h"
#include "base/log.h"
#include "base/loop.h"
#include "app/ports.h"
#include "base/sig.h"
#include "app/spawn.h"
#include "base/version.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#define DAY_MS 86400000LL

static struct config cfg;
static struct ports pool;
static int pid_fd = -1;
static char pid_path[4096];

/* Shutdown: apps first, then orphans still children of toesd, then exit. */
enum shutdown_phase { RUNNING, STOPPING_APPS, STOPPING_ORPHANS, DONE };
static enum shutdown_phase phase = RUNNING;
static struct loop_timer orphan_deadline;
static struct loop_timer prune_timer;
static int orphans_killed;

/* --- single instance --- */

static int read_pid(int fd)
{
	char text[32] = "";
	ssize_t n = pread(fd, text, sizeof text - 1, 0);
	return n > 0 ? atoi(text) : 0;
}

/* flock on <run-dir>/toesd.pid before anything else in run-dir is touched. */
static int take_pid_lock(void)
{
	snprintf(pid_path, sizeof pid_path, "%s/toesd.pid", cfg.run_dir);
	pid_fd = open(pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (pid_fd < 0) {
		fprintf(stderr, "toesd: cannot open %s: %s\n", pid_path, strerror(errno));
		return -1;
	}
	if (flock(pid_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK) {
			fprintf(stderr, "toesd: already running (pid %d)\n", read_pid(pid_fd));
		} else {
			fprintf(stderr, "toesd: cannot lock %s: %s\n", pid_path, strerror(errno));
		}
		return -1;
	}
	char text[32];
	int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
	if (ftruncate(pid_fd, 0) < 0 || pwrite(pid_fd, text, (size_t)n, 0) != n) {
		fprintf(stderr, "toesd: cannot write %s: %s\n", pid_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- orphans --- */

/* Signal every process whose parent is toesd; returns how many there were. */
static int signal_children(int signo)
{
	DIR *d = opendir("/proc");
	if (!d) {
		return 0;
	}
	pid_t self = getpid();
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0])) {
			continue;
		}
		char path[64], stat[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			continue;
		}
		ssize_t n = read(fd, stat, sizeof stat - 1);
		close(fd);
		if (n <= 0) {
			continue;
		}
		stat[n] = '\0';
		char *rp = strrchr(stat, ')');
		char st;
		int ppid;
		if (rp && sscanf(rp + 1, " %c %d", &st, &ppid) == 2 && ppid == self && st != 'Z') {
			kill(atoi(e->d_name), signo);
			count++;
		}
	}
	closedir(d);
	return count;
}

static void on_orphan_deadline(struct loop_timer *t)
{
	if (signal_children(SIGKILL)) {
		orphans_killed = 1;
		log_msg(NULL, "orphans did not stop in time, sent SIGKILL");
	}
	phase = DONE;
}

/* Called whenever something ended during shutdown. */
static void shutdown_progress(void)
{
	if (phase == STOPPING_APPS && appsm_all_stopped()) {
		phase = STOPPING_ORPHANS;
		if (!signal_children(SIGTERM)) {
			phase = DONE;
			return;
		}
		log_msg(NULL, "stopping processes left behind by apps...");
		loop_timer_arm(&orphan_deadline, loop_now() + cfg.stop_timeout, on_orphan_deadline);
	} else if (phase == STOPPING_ORPHANS && !signal_children(0)) {
		phase = DONE;
	}
}

/* --- events --- */

static void on_signal(int signo)
{
	switch (signo) {
	case SIGCHLD:
		appsm_reap();
		break;
	case SIGTERM:
	case SIGINT:
		if (phase == RUNNING) {
			log_msg(NULL, "received %s, stopping every app...", signo == SIGTERM ? "SIGTERM" : "SIGINT");
			phase = STOPPING_APPS;
			appsm_shutdown();
		}
		break;
	case SIGHUP:
		log_msg(NULL, "received SIGHUP: reload is not implemented yet, ignored");
		break;
	}
	if (phase != RUNNING) {
		shutdown_progress();
	}
}

static void on_app_change(struct app *a)
{
	ctl_app_changed(a);
}

/* After each turn of the loop: an app may have ended through a timer. */
static void after_turn(void)
{
	if (phase == STOPPING_APPS) {
		shutdown_progress();
	}
}

static void prune_logs(void)
{
	int64_t now = clock_wall_ms();
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		int n = logfile_prune(a->logdir, cfg.log_days, now);
		if (n) {
			log_msg(a->name, "deleted %d log file%s older than %u days", n, n == 1 ? "" : "s", cfg.log_days);
		}
	}
}

static void on_prune(struct loop_timer *t)
{
	prune_logs();
	loop_timer_arm(&prune_timer, loop_now() + DAY_MS, on_prune);
}

/* --- start-up --- */

/* Many apps need many descriptors: raise the soft limit, children get the
 * original one back. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		spawn_set_child_nofile(rl.rlim_cur);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int start_up(void)
{
	char err[512];
	if (cfg.log_file && log_open(cfg.log_file) < 0) {
		fprintf(stderr, "toesd: cannot open log %s: %s\n", cfg.log_file, strerror(errno));
		return -1;
	}
	if (take_pid_lock() < 0) {
		return -1;
	}
	raise_fd_limit();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		log_errno(NULL, "cannot become a subreaper; orphans of apps will not be reaped");
	}
	loop_update_now();
	/* The prune and orphan timers here, ctl's accept pause. */
	if (loop_reserve_timers(3) < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	if (sig_init(on_signal) < 0) {
		fprintf(stderr, "toesd: cannot set up signals: %s\n", strerror(errno));
		return -1;
	}
	if (ports_init(&pool, cfg.port_lo, cfg.port_hi) < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	if (appsm_init(&cfg, &pool, on_app_change) < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	app_set_log_cap(cfg.log_max_bytes);
	if (ctl_open(cfg.run_dir, err, sizeof err) < 0) {
		fprintf(stderr, "toesd: %s\n", err);
		return -1;
	}
	return 0;
}

static void start_apps(void)
{
	app_discover(cfg.apps_dir);
	prune_logs();
	loop_timer_arm(&prune_timer, loop_now() + DAY_MS, on_prune);
	log_msg(NULL, "toesd %s: %zu apps in %s, ports %d-%d, socket %s/toesd.sock",
		TOES_VERSION, app_count(), cfg.apps_dir, cfg.port_lo, cfg.port_hi, cfg.run_dir);
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		if (a->state == APP_INVALID) {
			app_log(a, "Invalid: %s", a->error ? a->error : "unknown error");
		} else {
			app_start(a);
		}
	}
}

static void clean_up(void)
{
	int64_t now = clock_wall_ms();
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		logfile_close(&a->log, a->logdir, now);
	}
	ctl_close();
	/* The pid file stays: removing it while locked would let a starting
	 * toesd lock a file nobody else will ever look at. */
	if (ftruncate(pid_fd, 0) < 0) {
		log_errno(NULL, "cannot truncate %s", pid_path);
	}
}

/* Descriptors 0-2 must be taken, or a pipe could land on them and an
 * app's output vanish. */
static void ensure_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int null = open("/dev/null", O_RDWR);
			if (null >= 0 && null != fd) {
				dup2(null, fd);
				close(null);
			}
		}
	}
}

int main(int argc, char **argv)
{
	ensure_stdio();
	int r = config_parse(&cfg, argc, argv);
	if (r) {
		return r == 1 ? 0 : 2;
	}
	if (config_resolve(&cfg) < 0 || start_up() < 0) {
		return 1;
	}
	start_apps();
	while (phase != DONE) {
		if (loop_run_once() < 0) {
			log_errno(NULL, "poll failed");
		}
		after_turn();
	}
	int killed = appsm_needed_sigkill() || orphans_killed;
	log_msg(NULL, "every app stopped%s; exiting", killed ? " (some needed SIGKILL)" : "");
	clean_up();
	return killed ? 1 : 0;
}
