/* lifecycle: set-up of the state machine, the real system calls, and the
 * events of the whole daemon (boot, shutdown). */
#include "app/lifecycle.h"

#include "app/applog.h"
#include "app/deploy.h"
#include "app/leftovers.h"
#include "app/package.h"
#include "app/procgroup.h"
#include "app/registry.h"
#include "app/runrecord.h"
#include "app/transitions.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* The group is read while the child is still a zombie (WNOWAIT), so an
 * exit of a group member finds its app without a scan. */
static int real_reap(pid_t which, pid_t *pid, int *status, pid_t *pgid)
{
	siginfo_t si;
	si.si_pid = 0;
	if (waitid(which > 0 ? P_PID : P_ALL, which > 0 ? (id_t)which : 0, &si,
		   WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0) {
		return 0;
	}
	*pid = si.si_pid;
	*pgid = getpgid(si.si_pid);
	return waitpid(si.si_pid, status, WNOHANG) == si.si_pid;
}

static const struct lifecycle_sys real_sys = {
	.spawn = spawn_child,
	.kill = kill,
	.reap = real_reap,
	.port_busy = ports_listening,
	.probe_start = probe_start,
	.boot_clock = procgroup_clock_ns,
	.group_ours = procgroup_ours,
	.run_started = runrecord_started,
	.run_ended = runrecord_ended,
	.leftovers = leftovers_signal,
};

/* --- bookings (SPEC §4.1) --- */

/* The port booked for another app goes to taker: no unbooked port was
 * free. The other app's booking ends; it gets a port at its next start. */
static void port_taken_over(void *ctx, int port)
{
	struct app *taker = ctx;
	for (size_t i = 0; i < app_count(); i++) {
		struct app *owner = app_at(i);
		if (owner != taker && owner->last_port == port) {
			owner->last_port = 0;
			app_mark_changed(owner);
			app_log(taker, "Port %d is kept for %s, but no other port is free: taken over",
				port, owner->name);
			app_log(owner, "Port %d, kept for this app, was given to %s (no other port was free); "
				"another port at the next start", port, taker->name);
			return;
		}
	}
}

/* The registry forgets the app: out of the port queue, and its booking
 * goes (an app removed from the folder gives its port up). */
static void app_removed(struct app *a)
{
	app_leaving(a);
	ports_unbook(lc.pool, a->last_port);
}

int lifecycle_init(const struct config *cfg, struct ports *pool)
{
	static const struct app_hooks hooks = {
		.deadline = on_deadline,
		.survival = on_survival,
		.next_probe = on_next_probe,
		.removed = app_removed,
	};
	lc.cfg = cfg;
	lc.pool = pool;
	lc.sys = &real_sys;
	lc.shutting_down = lc.sigkill_needed = 0;
	lc.waiting_head = lc.waiting_tail = NULL;
	registry_init(cfg->apps_dir, &hooks);
	ports_keep_bookings(pool, port_taken_over);
	applog_set_cap(cfg->log_max_bytes);
	return launch_init() < 0 || exits_init() < 0 || deploy_init() < 0 ? -1 : 0;
}

void lifecycle_fini(void)
{
	launch_fini();
	exits_fini();
	deploy_fini();
}

void lifecycle_set_sys(const struct lifecycle_sys *sys)
{
	lc.sys = sys ? sys : &real_sys;
}

/* Stopped by request when toesd last ran (app/state.c): it stays
 * stopped. package.json is read for what status shows. */
static void boot_stopped(struct app *a)
{
	if (app_load(a) == LOAD_INVALID) {
		app_log(a, "Invalid: %s", a->error ? a->error : "unknown error");
		enter_invalid(a);
		return;
	}
	app_log(a, "Stopped by request before toesd restarted: not started (toesctl start %s starts it)",
		a->name);
	enter_by_request(a);
}

void app_boot(struct app *a)
{
	if (a->want == WANT_DOWN) {
		boot_stopped(a);
	} else if (app_load_or_invalid(a)) {
		app_start_loaded(a);
	}
}

void lifecycle_shutdown(void)
{
	if (lc.shutting_down) {
		return;
	}
	lc.shutting_down = 1;
	for (size_t i = 0; i < app_count(); i++) {
		struct app *a = app_at(i);
		if (a->run.pgid) {
			enter_stopping(a, STOP_SHUTDOWN);
		} else if (a->detail == DETAIL_BACKOFF || a->detail == DETAIL_WAITING_PORT) {
			enter_idle(a); /* no restart, no wait for a port */
			deploy_interrupted(a, "toesd is shutting down");
		}
	}
}

int lifecycle_shutting_down(void)
{
	return lc.shutting_down;
}

int lifecycle_needed_sigkill(void)
{
	return lc.sigkill_needed;
}
