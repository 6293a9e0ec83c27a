/* toesd: the master process. Start-up, signals and the shutdown
 * sequence; apps live in app/ (lifecycle, requests), the control socket
 * in serve/ctl. */
#include "app/discover.h"
#include "app/lifecycle.h"
#include "app/refresh.h"
#include "app/registry.h"
#include "app/runrecord.h"
#include "app/requests.h"
#include "app/spawn.h"
#include "app/state.h"
#include "serve/metrics.h"
#include "serve/statusfile.h"
#include "base/log.h"
#include "base/path.h"
#include "base/loop.h"
#include "base/sig.h"
#include "base/version.h"
#include "parse/config.h"
#include "serve/ctl.h"
#include "serve/http.h"
#include "serve/routes.h"
#include "toesd/daemon.h"
#include "toesd/folders.h"
#include "toesd/notify.h"
#include "toesd/orphans.h"
#include "toesd/pidlock.h"
#include "toesd/watch.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#define DAY_MS 86400000LL
/* At exit, how long toesd's own log and the answers may take to drain. */
#define LOG_DRAIN_MS 1000
#define CTL_DRAIN_MS 1000

static struct config cfg;
static struct ports pool;

/* Shutdown: apps first, then orphans still children of toesd, then exit. */
/* CLEARING: the processes a crashed predecessor left are stopped before
 * any app starts (SPEC §11). */
enum shutdown_phase { CLEARING, RUNNING, STOPPING_APPS, STOPPING_ORPHANS, DONE };
static enum shutdown_phase phase = CLEARING;
/* --log, --pidfile, --metrics made absolute for --daemon (freed at exit). */
static char *abs_files[3];
static struct loop_timer orphan_deadline;
static struct loop_timer prune_timer;
static int orphans_killed;

/* --- shutdown --- */

static void on_orphan_deadline(struct loop_timer *t)
{
	if (orphans_signal(SIGKILL)) {
		orphans_killed = 1;
		log_msg(NULL, "orphans did not stop in time, sent SIGKILL");
	}
	phase = DONE;
}

/* Called whenever something ended during shutdown. */
static void shutdown_progress(void)
{
	if (phase == STOPPING_APPS && app_count_with_process() == 0) {
		phase = STOPPING_ORPHANS;
		if (!orphans_signal(SIGTERM)) {
			phase = DONE;
			return;
		}
		log_msg(NULL, "stopping processes left behind by apps...");
		loop_timer_arm(&orphan_deadline, loop_after_ms(cfg.stop_timeout));
	} else if (phase == STOPPING_ORPHANS && !orphans_signal(0)) {
		phase = DONE;
	}
}

/* --- reload --- */

static void forget_vanished(struct app *a)
{
	log_msg(a->name, "its folder is gone: the app is stopped and forgotten");
	app_request_remove(a);
}

static int refresh(struct app *a)
{
	enum refresh_result r = app_refresh(a);
	return r != REFRESH_SAME && r != REFRESH_NOT_NOW;
}

/* SIGHUP and `toesctl reload`: reopen --log, rescan the apps folder.
 * `reload NAME`: read that app's package.json again (toesctl icon asks
 * it after its edit). */
static void reload_now(const char *name, char *summary, size_t cap)
{
	if (cfg.log_file && log_open(cfg.log_file) < 0) {
		log_errno(NULL, "cannot reopen log %s; logging on where it was", cfg.log_file);
	}
	struct app *a = name ? app_find(name) : NULL;
	if (a) {
		snprintf(summary, cap, "%s", refresh_result_name(app_refresh(a)));
		return;
	}
	struct rescan_counts n = app_rescan(cfg.apps_dir, 1, app_boot, forget_vanished, refresh);
	snprintf(summary, cap, "%zu app%s added, %zu removed, %zu changed", n.added, n.added == 1 ? "" : "s",
		 n.removed, n.changed);
	log_msg(NULL, "reloaded: %s", summary);
}

/* The init system hears of a reload as it happens (RELOADING=1, then
 * READY=1). */
static void reload(const char *name, char *summary, size_t cap)
{
	notify_reloading();
	reload_now(name, summary, cap);
	notify_reloaded();
}

/* --- the watch (SPEC §10) --- */

static void watched_name_changed(const char *name)
{
	app_rescan_name(cfg.apps_dir, name, app_boot, forget_vanished, refresh);
}

/* A removed app's name may hold a new folder by now. */
static void on_app_changed(const struct app *a)
{
	if (a->gone) {
		watch_recheck(a->name);
	}
}

static void watched_everything(void)
{
	struct rescan_counts n = app_rescan(cfg.apps_dir, 0, app_boot, forget_vanished, refresh);
	if (n.added || n.removed || n.changed) {
		log_msg(NULL, "rescanned: %zu app%s added, %zu removed, %zu changed", n.added, n.added == 1 ? "" : "s",
			n.removed, n.changed);
	}
}

/* --- events --- */

static void on_signal(int signo, int pid)
{
	switch (signo) {
	case SIGCHLD:
		lifecycle_child_exited(pid);
		break;
	case SIGTERM:
	case SIGINT:
		if (phase == CLEARING) {
			log_msg(NULL, "received %s while stopping what the previous toesd left; exiting",
				signo == SIGTERM ? "SIGTERM" : "SIGINT");
			phase = DONE;
		} else if (phase == RUNNING) {
			log_msg(NULL, "received %s, stopping every app...", signo == SIGTERM ? "SIGTERM" : "SIGINT");
			notify_stopping();
			phase = STOPPING_APPS;
			lifecycle_shutdown();
		}
		break;
	case SIGHUP:
		if (phase == RUNNING) {
			char summary[128];
			log_msg(NULL, "received SIGHUP, reloading...");
			reload(NULL, summary, sizeof summary);
		}
		break;
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
	loop_timer_arm(&prune_timer, loop_after_ms(DAY_MS));
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

/* A large allocation (a 1 MiB package.json read, say) must give its
 * memory back when freed. glibc maps such blocks, but after freeing one
 * it raises its threshold to that size, and the next ones stay in the
 * heap for good. A fixed threshold keeps them mapped. (musl always maps
 * them.) */
static void keep_big_blocks_mapped(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	if (mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 0) {
		log_msg(NULL, "cannot fix malloc's mmap threshold; large reads may keep memory");
	}
#endif
}

/* Once per loop turn: observers hear of the turn's changes, then the
 * state file is written if a booking or a stop mark was among them. */
static void before_sleep(void)
{
	app_flush_changes();
	state_flush();
	statusfile_flush();
	metrics_flush();
	notify_flush();
}

static int start_up(int ready_fd)
{
	char err[512];
	if (log_open(cfg.log_file) < 0) {
		fprintf(stderr, "toesd: cannot open log %s: %s\n", cfg.log_file, strerror(errno));
		return -1;
	}
	folders_report(&cfg);
	if (pidlock_take(cfg.run_dir) < 0) {
		return -1;
	}
	if (appslock_take(cfg.apps_dir) < 0 || (cfg.pidfile && pidfile_write(cfg.pidfile) < 0)) {
		/* Its pid must not stay in the pid file: it never ran. */
		pidlock_release();
		return -1;
	}
	if (cfg.http_listen && http_open(cfg.http_listen, err, sizeof err) < 0) {
		fprintf(stderr, "toesd: --http %s: %s\n", cfg.http_listen, err);
		if (cfg.pidfile) {
			pidfile_remove(cfg.pidfile);
		}
		pidlock_release();
		return -1;
	}
	raise_fd_limit();
	keep_big_blocks_mapped();
	if (spawn_init() < 0) {
		log_errno(NULL, "cannot reserve the spawn slots; every start will copy all of toesd's descriptors");
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		log_errno(NULL, "cannot become a subreaper; orphans of apps will not be reaped");
	}
	loop_update_now();
	if (loop_timer_init(&orphan_deadline, on_orphan_deadline) < 0 ||
	    loop_timer_init(&prune_timer, on_prune) < 0 || ports_init(&pool, cfg.port_lo, cfg.port_hi) < 0 ||
	    lifecycle_init(&cfg, &pool) < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	if (notify_init(ready_fd) < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	if (sig_init(on_signal) < 0) {
		fprintf(stderr, "toesd: cannot set up signals: %s\n", strerror(errno));
		return -1;
	}
	if (ctl_open(cfg.run_dir, reload, err, sizeof err) < 0) {
		fprintf(stderr, "toesd: %s\n", err);
		return -1;
	}
	statusfile_open(cfg.run_dir); /* without them toesd runs on (logged) */
	int64_t started = clock_wall_ms();
	if (cfg.metrics_file) {
		metrics_open(cfg.metrics_file, started);
	}
	routes_set_start(started);
	if (http_start() < 0) {
		fprintf(stderr, "toesd: out of memory\n");
		return -1;
	}
	runrecord_open(cfg.run_dir); /* without it toesd runs on (logged) */
	loop_before_sleep(before_sleep);
	return 0;
}

/* The state from before comes first: every kept port is booked before
 * any app takes one. */
static void start_apps(void)
{
	state_load(cfg.toes_dir, &pool);
	app_discover(cfg.apps_dir, state_restore);
	prune_logs();
	loop_timer_arm(&prune_timer, loop_after_ms(DAY_MS));
	log_msg(NULL, "toesd %s: %zu apps in %s, ports %d-%d, socket %s/toesd.sock",
		TOES_VERSION, app_count(), cfg.apps_dir, cfg.port_lo, cfg.port_hi, cfg.run_dir);
	/* Apps with a kept port first: a new app (or one without a booking)
	 * may take over a booking only when no port is free, and must not
	 * take one from an app that has simply not booted yet. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < app_count(); i++) {
			struct app *a = app_at(i);
			if ((a->last_port != 0) == (pass == 0)) {
				app_boot(a);
			}
		}
	}
	state_watch();
	static const struct watch_hooks hooks = { watched_name_changed, watched_everything };
	if (watch_start(cfg.apps_dir, cfg.watch_debounce, cfg.rescan_interval, &hooks) < 0 ||
	    app_observe(on_app_changed) < 0) {
		log_msg(NULL, "out of memory for watching the apps folder; changes are seen at a reload");
	}
}

/* --- what a crashed predecessor left --- */

#define CLEAR_POLL_MS 50
static struct loop_timer clear_timer;
static monotime clear_kill_at, clear_give_up_at;
static int clear_timer_ready;

static void begin_running(void)
{
	runrecord_forget_left();
	ctl_busy(NULL);
	phase = RUNNING;
	start_apps();
	notify_ready();
	if (cfg.daemon) {
		daemon_detach(cfg.log_file != NULL);
	}
}

/* Its processes are not toesd's children: no SIGCHLD tells of their
 * end, so /proc is looked at every 50 ms, only while they are there. */
static void on_clear_timer(struct loop_timer *t)
{
	if (phase != CLEARING) {
		return;
	}
	size_t n = runrecord_signal_left(0);
	monotime now = loop_now();
	if (n && clear_kill_at && now >= clear_kill_at) {
		log_msg(NULL, "%zu processes left by the previous toesd did not stop in time, sent SIGKILL", n);
		runrecord_signal_left(SIGKILL);
		clear_kill_at = 0;
	} else if (n && now >= clear_give_up_at) {
		log_msg(NULL, "%zu processes left by the previous toesd are still there; starting the apps anyway", n);
		n = 0;
	}
	if (!n) {
		begin_running();
		return;
	}
	loop_timer_arm(&clear_timer, loop_after_ms(CLEAR_POLL_MS));
}

/* After a crash (kill -9) of the last toesd: its runs still alive are
 * stopped as a shutdown would (SIGTERM, SIGKILL at the stop timeout),
 * and the apps start only then, on their own ports. */
static void clear_then_start(void)
{
	size_t n = runrecord_signal_left(SIGTERM);
	if (!n || loop_timer_init(&clear_timer, on_clear_timer) < 0) {
		begin_running();
		return;
	}
	clear_timer_ready = 1;
	log_msg(NULL, "stopping %zu processes the previous toesd started (it ended without stopping them)...", n);
	/* Nothing may start meanwhile, a reload included. */
	ctl_busy("toesd is stopping what the previous toesd left running");
	clear_kill_at = loop_after_ms(cfg.stop_timeout);
	clear_give_up_at = loop_after_ms(2 * cfg.stop_timeout);
	loop_timer_arm(&clear_timer, loop_after_ms(CLEAR_POLL_MS));
}

static void config_end(void)
{
	config_free(&cfg);
	for (size_t i = 0; i < 3; i++) {
		free(abs_files[i]);
	}
}

/* Everything toesd holds goes, so LeakSanitizer sees nothing left. */
static void clean_up(void)
{
	if (cfg.pidfile) {
		pidfile_remove(cfg.pidfile);
	}
	if (clear_timer_ready) {
		loop_timer_fini(&clear_timer);
	}
	runrecord_close();
	http_close();
	notify_fini();
	watch_stop();
	state_fini();
	statusfile_close();
	metrics_close();
	registry_clear();
	ctl_close();
	lifecycle_fini();
	loop_timer_fini(&orphan_deadline);
	loop_timer_fini(&prune_timer);
	ports_free(&pool);
	spawn_fini();
	pidlock_release();
	log_drain(LOG_DRAIN_MS);
	loop_fini();
	config_end();
}

/* A daemon works in /: its files named relative to where it was started
 * are made absolute first (the folders already are). */

static int absolute_files(void)
{
	const char **files[] = { &cfg.log_file, &cfg.pidfile, &cfg.metrics_file };
	for (size_t i = 0; i < 3; i++) {
		if (*files[i] && (*files[i])[0] != '/') {
			if (!(abs_files[i] = path_absolute(*files[i]))) {
				fprintf(stderr, "toesd: cannot resolve %s: %s\n", *files[i], strerror(errno));
				return -1;
			}
			*files[i] = abs_files[i];
		}
	}
	return 0;
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
	if (config_resolve(&cfg) < 0) {
		config_end();
		return 1;
	}
	if (cfg.daemon && absolute_files() < 0) {
		config_end();
		return 1;
	}
	int ready_fd = cfg.ready_fd == CONFIG_NO_FD ? -1 : (int)cfg.ready_fd;
	if (notify_check_fd(ready_fd) < 0 || (cfg.daemon && (ready_fd = daemon_start()) < 0)) {
		config_end();
		return 1;
	}
	if (start_up(ready_fd) < 0) {
		if (cfg.pidfile) {
			pidfile_remove(cfg.pidfile);
		}
		config_end();
		return 1;
	}
	clear_then_start();
	while (phase != DONE) {
		loop_run_once();
		if (phase != RUNNING && phase != CLEARING) {
			shutdown_progress();
		}
	}
	int killed = lifecycle_needed_sigkill() || orphans_killed;
	log_msg(NULL, "every app stopped%s; exiting", killed ? " (some needed SIGKILL)" : "");
	/* The requests that waited on the last apps get their answers. */
	before_sleep();
	ctl_drain(CTL_DRAIN_MS);
	clean_up();
	return killed ? 1 : 0;
}
