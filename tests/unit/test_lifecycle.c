/* test_lifecycle: the app state machine with a fake clock and fake system
 * calls (sm_harness.h): every transition of SPEC §3–§7 and every request
 * of §8, checked in milliseconds of test time, no real process, no
 * sleeping. */
#include "sm_harness.h"

#include "app/exits.h"
#include "app/procgroup.h"

#include <limits.h>
#include <sys/inotify.h>
#include <sys/prctl.h>

static void test_worker_survives(void)
{
	struct app *a = boot_app("worker");
	CHECK(a != NULL);
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(a->detail, DETAIL_NONE);
	CHECK(a->run.pid > 0);
	CHECK_INT(a->run.pgid, a->run.pid);
	CHECK(app_find_pid(a->run.pid) == a);
	CHECK(app_find_pgid(a->run.pgid) == a);
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
	CHECK_INT(a->run.http, 0);
	CHECK_STR(last_line(a), "No /ok endpoint, marking as running (process survived 5s)");
	/* No health checks for a worker. */
	probe_pending = NULL;
	advance(120000);
	CHECK(probe_pending == NULL);
	pid_t pid = a->run.pid;
	CHECK_INT(app_request_stop(a), REQ_WAIT_STOPPED);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_STR(last_line(a), "Stopping...");
	CHECK_INT(last_signal, SIGTERM);
	CHECK_INT(last_signal_pid, -pid);
	exit_pid(pid, SIGTERM);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BY_REQUEST);
	CHECK(app_find_pid(pid) == NULL);
	CHECK(!loop_timer_armed(&a->deadline));
	CHECK(logged(a, "Killed by signal 15"));
}

static void test_health_failures_restart(void)
{
	struct app *a = boot_app("web");
	advance(500);
	CHECK(answer_probe(PROBE_UP, 200));
	CHECK_INT(a->state, APP_RUNNING);
	CHECK_INT(a->run.http, 1);
	advance(30000);
	CHECK_INT(probe_timeout, 5000);
	CHECK(answer_probe(PROBE_STATUS, 500));
	CHECK_STR(last_line(a), "Health check failed (1/3): /ok returned 500");
	advance(30000);
	CHECK(answer_probe(PROBE_UP, 200));    /* a good answer resets the count */
	advance(30000);
	CHECK(answer_probe(PROBE_NO_ANSWER, 0));
	CHECK_STR(last_line(a), "Health check failed (1/3): timeout after 5s");
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
	CHECK_INT(a->detail, DETAIL_NONE);
	advance(1);
	CHECK_INT(last_signal, SIGKILL);
	CHECK_INT(a->detail, DETAIL_SIGKILL);
	CHECK_STR(last_line(a), "Shutdown timeout, sending SIGKILL...");
	pid_t old = a->run.pid;
	exit_pid(old, SIGKILL);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	CHECK_STR(last_line(a), "Scheduling restart in 1s (attempt 1)...");
	CHECK_INT(a->port, 0);
	advance(1000);
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(a->restarts, 1);
	CHECK(a->run.pid != old);
	CHECK_INT(a->port, a->last_port);
	/* A stale exit of the old pid changes nothing. */
	exit_pid(old, EXIT_CODE(1));
	CHECK_INT(a->state, APP_STARTING);
	stop_app(a);
}

static void test_backoff_and_stable_reset(void)
{
	struct app *a = boot_app("crash");
	static const int64_t want[] = { 1000, 2000, 4000, 8000, 16000, 32000, 32000, 32000 };
	for (int i = 0; i < 8; i++) {
		exit_pid(a->run.pid, EXIT_CODE(3));
		CHECK_INT(a->state, APP_STOPPED);
		CHECK_INT(a->detail, DETAIL_BACKOFF);
		CHECK_INT(a->attempt, i + 1);
		CHECK_INT(a->restart_due - now, want[i] * MONO_MS);
		advance(want[i]);
		CHECK_INT(a->state, APP_STARTING);
	}
	CHECK(logged(a, "Exited with code 3"));
	CHECK(logged(a, "Process died during startup"));
	/* A run of the stable time resets the counter. */
	advance(5000);
	CHECK_INT(a->state, APP_RUNNING);
	advance(59999);
	exit_pid(a->run.pid, EXIT_CODE(3));
	CHECK_INT(a->attempt, 9);
	advance(32000);
	advance(5000);
	advance(60000);
	exit_pid(a->run.pid, EXIT_CODE(3));
	CHECK_INT(a->attempt, 1);
	CHECK_STR(last_line(a), "Scheduling restart in 1s (attempt 1)...");
	/* stop cancels the scheduled restart: no restart follows. */
	CHECK_INT(app_request_stop(a), REQ_CANCELLED_RESTART);
	CHECK(!loop_timer_armed(&a->deadline));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BY_REQUEST);
	advance(100000);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(app_request_stop(a), REQ_ALREADY);
}

static void test_bad_status_is_invalid(void)
{
	struct app *a = boot_app("bad");
	advance(500);
	CHECK(answer_probe(PROBE_STATUS, 500));
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_STR(last_line(a), "/ok returned 500");
	exit_pid(a->run.pid, SIGTERM);
	CHECK_INT(a->state, APP_INVALID);
	CHECK_STR(a->error, "Health check failed: /ok returned 500");
	CHECK(!loop_timer_armed(&a->deadline));
	advance(100000);
	CHECK_INT(a->state, APP_INVALID);
	CHECK_INT(a->restarts, 0);
}

static void test_clean_exit_not_restarted(void)
{
	struct app *a = boot_app("oneshot");
	advance(5000);
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_NONE);
	CHECK_STR(last_line(a), "Stopped");
	CHECK(!loop_timer_armed(&a->deadline));
}

static void test_group_lingers(void)
{
	struct app *a = boot_app("linger");
	advance(5000);
	int port = a->port;
	pid_t pgid = a->run.pgid;
	group_alive = 1;
	n_signals = 0;
	exit_pid(a->run.pid, EXIT_CODE(0));
	/* The main process is gone, its helpers are not: stop them first. */
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(a->detail, DETAIL_DRAINING);
	CHECK_INT(a->run.pid, 0);
	CHECK_INT(a->run.pgid, pgid);
	CHECK_INT(n_signals, 1);
	CHECK_INT(last_signal, SIGTERM);
	CHECK(ports_is_used(&pool, port));
	/* A member of the group is reaped while others remain. */
	exit_member(99998, pgid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPING);
	/* An orphan of some other group changes nothing. */
	group_alive = 0;
	exit_member(99997, 4242, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPING);
	/* The last member: found by its group, the run ends. */
	exit_member(99999, pgid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->run.pgid, 0);
	CHECK(app_find_pgid(pgid) == NULL);
	CHECK(!ports_is_used(&pool, port));
	/* Ended by itself with code 0: no restart. */
	CHECK(!loop_timer_armed(&a->deadline));
}

static void test_group_that_cannot_die_is_given_up(void)
{
	struct app *a = boot_app("zombies");
	advance(5000);
	group_alive = 1;
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	advance(10000);
	CHECK_INT(a->detail, DETAIL_SIGKILL);
	CHECK_INT(last_signal, SIGKILL);
	advance(10000);
	CHECK(logged(a, "did not end after SIGKILL; leaving it"));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	CHECK_INT(a->run.pgid, 0);
	group_alive = 0;
	CHECK_INT(app_request_stop(a), REQ_CANCELLED_RESTART);
}

/* The group's last members were reaped by a parent outside it: toesd
 * never saw them go. At the stop timeout it finds the group empty, ends
 * the run and signals nothing (the id may be another's by now). */
static void test_group_gone_unseen(void)
{
	struct app *a = boot_app("unseen");
	advance(5000);
	group_alive = 1;
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	group_alive = 0;
	n_signals = 0;
	advance(10000);
	CHECK_INT(n_signals, 0);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	app_request_stop(a);
}

/* Not even SIGKILL ends the main process at once (uninterruptible); it
 * is waited for with no deadline; when it exits at last while members of
 * its group are held elsewhere, a deadline watches them again. */
static void test_unkillable_main_then_lingering_group(void)
{
	struct app *a = boot_app("dstate");
	advance(5000);
	group_alive = 1;
	app_request_stop(a);
	advance(10000);
	CHECK_INT(a->detail, DETAIL_SIGKILL);
	advance(10000);
	CHECK(logged(a, "did not exit after SIGKILL; waiting for it"));
	CHECK(!loop_timer_armed(&a->deadline));
	exit_pid(a->run.pid, SIGKILL);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK(loop_timer_armed(&a->deadline));
	advance(10000);
	CHECK(logged(a, "did not end after SIGKILL; leaving it"));
	CHECK_INT(a->state, APP_STOPPED);
	group_alive = 0;
}

/* --- a group whose main process was reaped (issue 10): signalled only
 * while /proc shows a process of the run in it --- */

/* The group's last member was reaped by a parent outside it and its id
 * is another's now: at the stop timeout toesd signals nothing and the
 * run ends as an exit would (SPEC §7: never signal a group seen gone). */
static void test_reused_group_not_signalled(void)
{
	int64_t at_spawn = fake_boot_clock();
	struct app *a = boot_app("reused");
	advance(5000);
	pid_t pgid = a->run.pgid;
	CHECK(a->run.spawned_boot == at_spawn);
	group_alive = 1;
	n_group_checks = 0;
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	CHECK_INT(last_signal, SIGTERM);
	CHECK_INT(last_signal_pid, -pgid);
	CHECK(n_group_checks > 0);
	CHECK(last_group_since == at_spawn);
	group_verdict = 0;
	n_signals = 0;
	advance(10000);
	CHECK_INT(n_signals, 0);
	CHECK(!logged(a, "sending SIGKILL"));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	CHECK(logged(a, "Exited with code 1"));
	CHECK_INT(a->run.pgid, 0);
	CHECK(app_find_pgid(pgid) == NULL);
	group_alive = 0;
	group_verdict = 1;
	app_request_stop(a);
}

/* A process of the run is still in the group: SIGKILL at the stop
 * timeout, as before. */
static void test_own_group_sigkilled(void)
{
	struct app *a = boot_app("owngroup");
	advance(5000);
	pid_t pgid = a->run.pgid;
	group_alive = 1;
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	n_group_checks = 0;
	advance(10000);
	CHECK(n_group_checks > 0);
	CHECK_INT(a->detail, DETAIL_SIGKILL);
	CHECK_INT(last_signal, SIGKILL);
	CHECK_INT(last_signal_pid, -pgid);
	CHECK(logged(a, "Shutdown timeout, sending SIGKILL..."));
	group_alive = 0;
	exit_member(99999, pgid, SIGKILL);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_NONE);
	CHECK(logged(a, "Stopped"));
}

/* The main process exits and its group's id is already another's (its
 * last member ended unseen before): no SIGTERM; the run ends at once. */
static void test_reused_group_at_main_exit(void)
{
	struct app *a = boot_app("reusedearly");
	advance(5000);
	group_alive = 1;
	group_verdict = 0;
	n_signals = 0;
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(n_signals, 0);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_NONE);
	CHECK_INT(a->run.pgid, 0);
	CHECK(!loop_timer_armed(&a->deadline));
	group_alive = 0;
	group_verdict = 1;
}

/* A member is reaped by toesd; the rest of the group is not the run's:
 * the run ends then, not at the stop timeout. */
static void test_member_reaped_rest_not_ours(void)
{
	struct app *a = boot_app("restforeign");
	advance(5000);
	pid_t pgid = a->run.pgid;
	group_alive = 1;
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	group_verdict = 0;
	n_signals = 0;
	exit_member(99998, pgid, EXIT_CODE(0));
	CHECK_INT(n_signals, 0);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK(!loop_timer_armed(&a->deadline));
	group_alive = 0;
	group_verdict = 1;
}

/* /proc cannot tell (not mounted): kill(-pgid, 0) decides, as before. */
static void test_group_check_falls_back_to_kill(void)
{
	struct app *a = boot_app("noproc");
	advance(5000);
	pid_t pgid = a->run.pgid;
	group_alive = 1;
	group_verdict = -1;
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(a->detail, DETAIL_DRAINING);
	CHECK_INT(last_signal, SIGTERM);
	advance(10000);
	CHECK_INT(a->detail, DETAIL_SIGKILL);
	CHECK_INT(last_signal, SIGKILL);
	group_alive = 0;
	exit_member(99999, pgid, SIGKILL);
	CHECK_INT(a->state, APP_STOPPED);
	group_verdict = 1;
}

/* /proc is read only for a draining group: a stop, a SIGKILL while the
 * main process lives, and an exit that leaves the group empty read
 * nothing. */
static void test_no_group_check_off_draining(void)
{
	struct app *a = boot_app("plainstop");
	advance(5000);
	n_group_checks = 0;
	group_alive = 1;
	app_request_stop(a);
	CHECK_INT(last_signal, SIGTERM);
	advance(10000);
	CHECK_INT(last_signal, SIGKILL);
	group_alive = 0;
	exit_pid(a->run.pid, SIGKILL);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BY_REQUEST);
	CHECK_INT(n_group_checks, 0);
}

/* /proc/PID/stat: the name is in parentheses and may hold spaces and
 * ')'; the fields come after the last ')'. */
static void test_proc_stat_parse(void)
{
	struct proc_stat st;
	const char *tail = " -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 98765 1000 200\n";
	char text[256];
	snprintf(text, sizeof text, "4321 (node) S 17 4300 4300 0%s", tail);
	CHECK_INT(procgroup_parse_stat(text, &st), 0);
	CHECK_INT(st.state, 'S');
	CHECK_INT(st.ppid, 17);
	CHECK_INT(st.pgrp, 4300);
	CHECK_INT(st.session, 4300);
	CHECK_INT(st.threads, 3);
	CHECK_INT(st.start, 98765);
	snprintf(text, sizeof text, "4321 (a) Z 1 2 3 (b) c) D 18 4301 4302 0%s", tail);
	CHECK_INT(procgroup_parse_stat(text, &st), 0);
	CHECK_INT(st.state, 'D');
	CHECK_INT(st.ppid, 18);
	CHECK_INT(st.pgrp, 4301);
	CHECK_INT(st.session, 4302);
	CHECK_INT(st.start, 98765);
	errno = 0;
	CHECK_INT(procgroup_parse_stat("4321 (node S 17 4300 4300 0 1", &st), -1);
	CHECK_INT(errno, EPROTO);
	CHECK_INT(procgroup_parse_stat("4321 (node) S 17 4300 4300 0 1 -1 4194560", &st), -1);
	CHECK_INT(procgroup_parse_stat("", &st), -1);
}

/* The real /proc scan, on real processes (the one test here that forks):
 * a leader L (setsid) leaves a member M in its group and exits; this
 * test, a subreaper like toesd, reaps L and inherits M. M is the run's;
 * not for a run spawned after M started; and not once M is gone. */
static void test_procgroup_real_group(void)
{
	int gate[2], ready[2];
	char byte;
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	int64_t since = procgroup_clock_ns();
	CHECK(since > 0);
	if (pipe(gate) < 0 || pipe(ready) < 0) {
		CHECK(!"pipe");
		return;
	}
	pid_t leader = fork();
	if (leader == 0) {
		close(gate[1]);
		close(ready[0]);
		if (setsid() < 0 || fork() < 0) {
			_exit(1);
		}
		/* Both: the member blocks until the gate closes; the leader
		 * exits once the member is forked. */
		if (getpid() != getpgrp()) {
			prctl(PR_SET_NAME, "m) (Z 1 2 3");
			if (write(ready[1], "m", 1) != 1 || read(gate[0], &byte, 1) < 0) {
				_exit(1);
			}
		}
		_exit(0);
	}
	close(gate[0]);
	close(ready[1]);
	CHECK(leader > 0);
	int status;
	CHECK(read(ready[0], &byte, 1) == 1);
	CHECK(waitpid(leader, &status, 0) == leader);
	CHECK_INT(procgroup_ours(leader, since), 1);
	CHECK_INT(procgroup_ours(leader, procgroup_clock_ns() + 10LL * 1000000000LL), 0);
	close(gate[1]);
	pid_t member = waitpid(-1, &status, 0);
	CHECK(member > 0 && member != leader);
	CHECK_INT(procgroup_ours(leader, since), 0);
	close(ready[0]);
}

/* The registry forgets every app while one waits for a port: the port
 * queue lets go of it (a later wait must not find it there). */
static void test_clear_while_waiting(void)
{
	pid_t pids[3] = { boot_app("w1")->run.pid, boot_app("w2")->run.pid, boot_app("w3")->run.pid };
	struct app *w4 = boot_app("w4");
	CHECK_INT(w4->detail, DETAIL_WAITING_PORT);
	registry_clear();
	for (int i = 0; i < 3; i++) {
		child_exits(pids[i]); /* the fake processes toesd forgot */
	}
	struct app *n = boot_app("w5");
	CHECK_INT(n->detail, DETAIL_WAITING_PORT);
	app_request_remove(n);
	for (int port = 3001; port <= 3003; port++) {
		ports_release(&pool, port);
	}
	advance(0);
}

static void test_startup_timeout_is_a_crash(void)
{
	cfg.survival = 60000;
	struct app *a = boot_app("slow");
	advance(29999);
	CHECK_INT(a->state, APP_STARTING);
	advance(1);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK(logged(a, "Startup timeout, killing process..."));
	/* A late answer of the probe it dropped changes nothing. */
	answer_probe(PROBE_UP, 200);
	CHECK_INT(a->state, APP_STOPPING);
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	CHECK(!logged(a, "Process died during startup"));
	cfg.survival = 5000;
	app_request_stop(a);
}

static void test_ports_sticky_foreign_exhausted(void)
{
	struct app *p1 = new_app("p1"), *p2 = new_app("p2"), *p3 = new_app("p3"), *p4 = new_app("p4");
	busy_port = 3002;
	app_boot(p1);
	app_boot(p2);
	CHECK_INT(p1->port, 3001);
	CHECK_INT(p2->port, 3003);
	CHECK(logged(p2, "Port 3002 is in use by another process, skipped"));
	app_boot(p3);
	app_boot(p4);
	CHECK_INT(p3->state, APP_STOPPED);
	CHECK_INT(p3->detail, DETAIL_WAITING_PORT);
	CHECK_STR(p3->error, "No available ports");
	CHECK_INT(p4->detail, DETAIL_WAITING_PORT);
	/* p1 stops: its port goes to the first waiting app, p3; p4 waits on. */
	stop_app(p1);
	CHECK_INT(p3->state, APP_STOPPED);
	advance(0);
	CHECK_INT(p3->state, APP_STARTING);
	CHECK_INT(p3->port, 3001);
	CHECK_INT(p4->detail, DETAIL_WAITING_PORT);
	/* The foreign listener is gone: p1 wants its port back but it is
	 * taken, the lowest free one instead. */
	busy_port = 0;
	CHECK_INT(app_request_start(p1), REQ_STARTED);
	CHECK_INT(p1->port, 3002);
	/* stop cancels a wait for a port. */
	CHECK_INT(app_request_stop(p4), REQ_CANCELLED_WAIT);
	CHECK_INT(p4->detail, DETAIL_BY_REQUEST);
	stop_app(p1);
	stop_app(p2);
	stop_app(p3);
	advance(0);
	CHECK_INT(p4->state, APP_STOPPED);
}

static void test_restart_request(void)
{
	char why[300];
	struct app *a = boot_app("again");
	advance(5000);
	a->attempt = 4;
	pid_t old = a->run.pid;
	uint32_t runs = a->runs;
	CHECK_INT(app_request_restart(a, why, sizeof why), REQ_WAIT_STARTED);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_STR(last_line(a), "Stopping...");
	exit_pid(old, SIGTERM);
	CHECK_INT(a->state, APP_STARTING);
	CHECK(a->run.pid != old);
	CHECK_INT(a->runs, runs + 1);
	CHECK_INT(a->restarts, 0);
	CHECK_INT(a->attempt, 0);
	stop_app(a);
}

static void test_restart_checks_package_first(void)
{
	struct app *a = boot_app("broken");
	advance(5000);
	pid_t pid = a->run.pid;
	set_package("broken", "{\"scripts\": {\"toes\": \n");
	n_signals = 0;
	char why[300];
	CHECK_INT(app_request_restart(a, why, sizeof why), REQ_INVALID);
	CHECK(strstr(why, "Invalid JSON in package.json: line 2") != NULL);
	/* The running app's record is left as it was. */
	CHECK(a->error == NULL);
	CHECK_STR(a->script, "true");
	CHECK_INT(a->state, APP_RUNNING);
	CHECK_INT(a->run.pid, pid);
	CHECK_INT(n_signals, 0);
	set_package("broken", "{\"scripts\":{\"toes\":\"true\"}}\n");
	stop_app(a);
}

static void test_start_resets_attempt(void)
{
	struct app *a = boot_app("loop");
	for (int i = 0; i < 5; i++) {
		exit_pid(a->run.pid, EXIT_CODE(1));
		advance(32000);
	}
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->attempt, 6);
	CHECK_INT(app_request_stop(a), REQ_CANCELLED_RESTART);
	CHECK_INT(app_request_start(a), REQ_STARTED);
	CHECK_INT(a->attempt, 0);
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_STR(last_line(a), "Scheduling restart in 1s (attempt 1)...");
	app_request_stop(a);
}

static void test_start_while_stopping_starts_after(void)
{
	struct app *a = boot_app("bounce");
	advance(5000);
	pid_t old = a->run.pid;
	app_request_stop(a);
	CHECK_INT(app_request_start(a), REQ_WAIT_STARTED);
	CHECK_INT(a->want, WANT_UP);
	exit_pid(old, SIGTERM);
	CHECK_INT(a->state, APP_STARTING);
	/* And a stop during a pending restart wins. */
	old = a->run.pid;
	char why[300];
	app_request_restart(a, why, sizeof why);
	app_request_stop(a);
	exit_pid(old, SIGTERM);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->detail, DETAIL_BY_REQUEST);
}

static void test_install_first(void)
{
	cfg.install_cmd = "npm install";
	struct app *a = boot_app("inst");
	CHECK_STR(last_command, "npm install");
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(a->detail, DETAIL_INSTALLING);
	CHECK_STR(last_line(a), "Installing dependencies...");
	/* No probe and no survival while installing; the startup timeout runs. */
	probe_pending = NULL;
	advance(6000);
	CHECK(probe_pending == NULL);
	CHECK_INT(a->state, APP_STARTING);
	exit_pid(a->run.pid, EXIT_CODE(0));
	CHECK_STR(last_command, "true");
	CHECK_STR(last_line(a), "Starting on port 3001...");
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(a->detail, DETAIL_NONE);
	advance(500);
	CHECK(answer_probe(PROBE_UP, 200));
	CHECK_INT(a->state, APP_RUNNING);
	stop_app(a);

	/* A failed install is a crash. */
	struct app *b = boot_app("inst2");
	exit_pid(b->run.pid, EXIT_CODE(1));
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
	stop_app(b);
	cfg.install_cmd = NULL;
}

static void test_spawn_failure_waits(void)
{
	int64_t zero = 0;
	cfg.restart_delays[0] = zero;
	size_t n = cfg.n_restart_delays;
	cfg.n_restart_delays = 1;
	fail_spawns = 1;
	struct app *a = boot_app("nofork");
	CHECK_STR(a->error, "Cannot run start command: cannot fork: Resource temporarily unavailable");
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->port, 0);
	/* Even with --restart-delays 0, a failure of toesd's own waits 1 s. */
	CHECK_INT(a->restart_due - now, 1000 * MONO_MS);
	advance(999);
	CHECK_INT(a->restarts, 0);
	advance(1);
	CHECK_INT(a->restarts, 1);
	fail_spawns = 0;
	advance(1000);
	CHECK_INT(a->state, APP_STARTING);
	/* A crash with delay 0 restarts at the next turn, not within this one. */
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->state, APP_STOPPED);
	CHECK_INT(a->restart_due, now);
	advance(0);
	CHECK_INT(a->state, APP_STARTING);
	stop_app(a);
	cfg.restart_delays[0] = 1000;
	cfg.n_restart_delays = n;
}

static void test_shutdown_stops_everything(void)
{
	struct app *a = boot_app("s1"), *b = boot_app("s2");
	advance(5000);
	struct app *c = boot_app("s3"); /* still starting */
	exit_pid(b->run.pid, EXIT_CODE(1)); /* b has a restart scheduled */
	CHECK(loop_timer_armed(&b->deadline));
	CHECK(!lifecycle_needed_sigkill());
	lifecycle_shutdown();
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(c->state, APP_STOPPING);
	CHECK(!loop_timer_armed(&b->deadline));
	CHECK_INT(b->detail, DETAIL_NONE);
	CHECK_INT(app_count_with_process(), 2);
	CHECK_INT(app_request_start(b), REQ_SHUTTING_DOWN);
	exit_pid(a->run.pid, SIGTERM);
	CHECK_INT(a->state, APP_STOPPED);
	CHECK(!lifecycle_needed_sigkill());
	/* c ignores SIGTERM: SIGKILL at the stop timeout, and it counts. */
	advance(10000);
	CHECK_INT(last_signal, SIGKILL);
	CHECK(lifecycle_needed_sigkill());
	exit_pid(c->run.pid, SIGKILL);
	CHECK_INT(app_count_with_process(), 0);
	CHECK(!loop_timer_armed(&a->deadline));
}

/* Two exits, one SIGCHLD (signals merge): the signalled child is reaped
 * at once, the other by the sweep 10 ms later, which a second SIGCHLD
 * does not put off. */
static void test_merged_sigchld(void)
{
	struct app *a = boot_app("m1"), *b = boot_app("m2");
	advance(5000);
	pid_t pa = a->run.pid, pb = b->run.pid;
	exits[0].pid = exits[0].pgid = pb;
	exits[0].status = EXIT_CODE(1);
	exits[1].pid = exits[1].pgid = pa;
	exits[1].status = EXIT_CODE(1);
	n_exits = 2;
	child_exits(pa);
	child_exits(pb);
	lifecycle_child_exited(pa);
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	CHECK_INT(b->state, APP_RUNNING);
	advance(9);
	CHECK_INT(b->state, APP_RUNNING);
	lifecycle_child_exited(99999); /* not a child of ours (any more) */
	advance(1);
	CHECK_INT(b->detail, DETAIL_BACKOFF);
	CHECK_INT(n_exits, 0);
	app_request_stop(a);
	app_request_stop(b);
}

/* --- changes, removal, rename --- */

static const struct app *notified_app[16];
static int n_notified, gone_seen;

static void observer(const struct app *a)
{
	if (n_notified < 16) {
		notified_app[n_notified++] = a;
	}
	gone_seen += a->gone;
}

static void test_changes_flushed_once_per_turn(void)
{
	struct app *a = boot_app("obs1"), *b = boot_app("obs2");
	advance(0);
	n_notified = 0;
	/* Several changes of one app in one turn: told once. */
	app_request_stop(a);
	exit_pid(a->run.pid, SIGTERM);
	app_request_start(a);
	app_request_stop(b);
	CHECK_INT(n_notified, 0);
	advance(0);
	CHECK_INT(n_notified, 2);
	CHECK(notified_app[0] == a && notified_app[1] == b);
	/* Nothing changed: nobody is told. */
	advance(0);
	CHECK_INT(n_notified, 2);
	exit_pid(b->run.pid, SIGTERM);
	stop_app(a);
	advance(0);
}

static void test_remove_running_app(void)
{
	struct app *a = boot_app("leaving");
	advance(5000);
	uint32_t id = a->id;
	pid_t pid = a->run.pid;
	int port = a->port;
	gone_seen = 0;
	CHECK_INT(app_request_remove(a), REQ_WAIT_REMOVED);
	CHECK_INT(a->state, APP_STOPPING);
	CHECK_INT(last_signal, SIGTERM);
	/* No request brings it back while it goes. */
	CHECK_INT(app_request_start(a), REQ_REMOVING);
	char why[300];
	CHECK_INT(app_request_restart(a, why, sizeof why), REQ_REMOVING);
	exit_pid(pid, SIGTERM);
	/* Forgotten at once: no lookup finds it; the record lives until the
	 * flush told the observers. */
	CHECK(app_find("leaving") == NULL);
	CHECK(app_find_id(id) == NULL);
	CHECK(app_find_pid(pid) == NULL);
	CHECK(!ports_is_used(&pool, port));
	CHECK_INT(gone_seen, 0);
	advance(0);
	CHECK_INT(gone_seen, 1);
	/* A new app may take the name. */
	struct app *b = new_app("leaving");
	CHECK(b != NULL && b->id != id);
}

static void test_remove_stopped_and_waiting_apps(void)
{
	struct app *p1 = boot_app("r1"), *p2 = boot_app("r2"), *p3 = boot_app("r3");
	struct app *w = boot_app("r4");
	CHECK_INT(w->detail, DETAIL_WAITING_PORT);
	gone_seen = 0;
	CHECK_INT(app_request_remove(w), REQ_REMOVED);
	/* Gone from the port queue: p1's port goes to nobody. */
	stop_app(p1);
	advance(0);
	CHECK_INT(gone_seen, 1);
	CHECK_INT(app_request_remove(p1), REQ_REMOVED);
	advance(0);
	CHECK_INT(gone_seen, 2);
	CHECK_INT(app_count(), 2);
	stop_app(p2);
	stop_app(p3);
}

static void test_rename_keeps_lookups(void)
{
	struct app *a = boot_app("old-name"), *m = boot_app("middle");
	uint32_t id = a->id;
	CHECK_INT(app_rename(a, "zeta"), 0);
	CHECK(app_find("old-name") == NULL);
	CHECK(app_find("zeta") == a);
	CHECK(app_find_id(id) == a);
	CHECK(app_find_pid(a->run.pid) == a);
	CHECK(app_at(app_count() - 1) == a); /* sorted by the new name */
	CHECK(strstr(a->dir, "/zeta") && strstr(a->logdir, "/zeta/logs"));
	CHECK_INT(app_rename(a, "middle"), -1);
	CHECK_INT(errno, EEXIST);
	CHECK(app_find("zeta") == a);
	stop_app(a);
	stop_app(m);
}

/* A name whose paths cannot fit PATH_MAX: no record, the reason in
 * errno, and nothing of toesd's touched (RUN_SM counts descriptors;
 * descriptor 0 must stay open). */
static void test_name_too_long(void)
{
	static char name[PATH_MAX];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	errno = 0;
	CHECK(!app_name_fits(name));
	CHECK(app_create(name, NULL) == NULL);
	CHECK_INT(errno, ENAMETOOLONG);
	CHECK(fcntl(0, F_GETFD) >= 0);
	CHECK_INT(app_count(), 0);
	CHECK(app_name_fits("short"));
}

static void test_folder_identity(void)
{
	struct app *a = new_app("ident");
	struct stat st;
	char path[600];
	snprintf(path, sizeof path, "%s/ident", apps_dir);
	CHECK(stat(path, &st) == 0);
	CHECK(a->dev == st.st_dev && a->ino == st.st_ino);
	CHECK(app_find_folder(st.st_dev, st.st_ino) == a);
	app_rename(a, "ident2");
	CHECK(app_find_folder(st.st_dev, st.st_ino) == a);
}

/* --- what follows an exit --- */

static void test_exit_decide_table(void)
{
	static const struct {
		struct exit_facts f;
		enum exit_next want;
	} rows[] = {
		{ { WANT_UP, STOP_NONE, 0, 0, 0 }, NEXT_BACKOFF },        /* a crash */
		{ { WANT_UP, STOP_NONE, 1, 0, 0 }, NEXT_IDLE },           /* ended by itself, code 0 */
		{ { WANT_UP, STOP_HEALTH, 1, 0, 0 }, NEXT_BACKOFF },      /* toesd's own stop: a crash */
		{ { WANT_UP, STOP_STARTUP_TIMEOUT, 1, 0, 0 }, NEXT_BACKOFF },
		{ { WANT_UP, STOP_BAD_STATUS, 0, 0, 0 }, NEXT_INVALID },
		{ { WANT_DOWN, STOP_REQUEST, 0, 0, 0 }, NEXT_BY_REQUEST },
		{ { WANT_UP, STOP_RESTART, 0, 0, 0 }, NEXT_START_NOW },
		{ { WANT_UP, STOP_SHUTDOWN, 0, 0, 1 }, NEXT_IDLE },
		{ { WANT_DOWN, STOP_SHUTDOWN, 0, 0, 1 }, NEXT_IDLE },
		{ { WANT_GONE, STOP_REMOVE, 0, 0, 0 }, NEXT_FORGET },
		{ { WANT_GONE, STOP_SHUTDOWN, 0, 0, 1 }, NEXT_FORGET },
		{ { WANT_UP, STOP_NONE, 1, 1, 0 }, NEXT_LAUNCH },         /* the install went well */
		{ { WANT_UP, STOP_NONE, 0, 1, 0 }, NEXT_BACKOFF },        /* the install failed */
		{ { WANT_DOWN, STOP_REQUEST, 1, 1, 0 }, NEXT_BY_REQUEST },
		{ { WANT_UP, STOP_NONE, 1, 1, 1 }, NEXT_IDLE },
		{ { WANT_UP, STOP_RENAME, 0, 0, 0 }, NEXT_RENAME },       /* renamed, then started */
		{ { WANT_DOWN, STOP_RENAME, 0, 0, 0 }, NEXT_RENAME },     /* renamed, stays stopped */
		{ { WANT_UP, STOP_RENAME, 0, 0, 1 }, NEXT_IDLE },         /* a shutdown: no rename */
		{ { WANT_GONE, STOP_RENAME, 0, 0, 0 }, NEXT_FORGET },
		{ { WANT_UP, STOP_INVALID, 0, 0, 0 }, NEXT_INVALID },     /* package.json went bad */
		{ { WANT_DOWN, STOP_INVALID, 1, 0, 0 }, NEXT_INVALID },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum exit_next got = exit_decide(&rows[i].f);
		if (got != rows[i].want) {
			printf("  row %zu: %s, want %s\n", i, exit_next_name(got), exit_next_name(rows[i].want));
			check_failures++;
		}
	}
}

/* --- each thing once --- */

/* Opens of v1/package.json, counted by inotify: no hooks in the product. */
static int package_opens(int ino)
{
	char buf[4096];
	int n = 0;
	ssize_t r;
	while ((r = read(ino, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + r;) {
			struct inotify_event *e = (struct inotify_event *)(void *)p;
			n += e->len && strcmp(e->name, "package.json") == 0 && (e->mask & IN_OPEN);
			p += sizeof *e + e->len;
		}
	}
	return n;
}

static void test_package_read_once_per_restart(void)
{
	struct app *a = boot_app("once");
	char path[600];
	snprintf(path, sizeof path, "%s/once/v1", apps_dir);
	int ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK(ino >= 0 && inotify_add_watch(ino, path, IN_OPEN) >= 0);
	exit_pid(a->run.pid, EXIT_CODE(1));
	CHECK_INT(a->detail, DETAIL_BACKOFF);
	advance(1000);
	CHECK_INT(a->state, APP_STARTING);
	/* From the crash to the new process: once, when the restart was due. */
	CHECK_INT(package_opens(ino), 1);
	/* Broken meanwhile: the next restart finds out, the app is invalid. */
	exit_pid(a->run.pid, EXIT_CODE(1));
	set_package("once", "{");
	package_opens(ino);
	advance(2000);
	CHECK_INT(a->state, APP_INVALID);
	CHECK_INT(package_opens(ino), 1);
	CHECK(strncmp(last_line(a), "Invalid: Invalid JSON in package.json: line 1, column 2", 55) == 0);
	set_package("once", "{\"scripts\":{\"toes\":\"true\"}}\n");
	close(ino);
}

/* A restart by request: package.json read once, by the request's check;
 * the start after the exit uses what it read. */
static void test_restart_request_reads_package_once(void)
{
	struct app *a = boot_app("rq");
	advance(5000);
	char path[600], why[300];
	snprintf(path, sizeof path, "%s/rq/v1", apps_dir);
	int ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK(ino >= 0 && inotify_add_watch(ino, path, IN_OPEN) >= 0);
	pid_t old = a->run.pid;
	CHECK_INT(app_request_restart(a, why, sizeof why), REQ_WAIT_STARTED);
	exit_pid(old, SIGTERM);
	CHECK_INT(a->state, APP_STARTING);
	CHECK_INT(package_opens(ino), 1);
	close(ino);
	stop_app(a);
}

int main(void)
{
	if (sm_setup("toes-lifecycle") < 0) {
		printf("FAIL setup\n");
		return 1;
	}
	app_observe(observer);
	RUN_SM(test_worker_survives);
	RUN_SM(test_health_failures_restart);
	RUN_SM(test_backoff_and_stable_reset);
	RUN_SM(test_bad_status_is_invalid);
	RUN_SM(test_clean_exit_not_restarted);
	RUN_SM(test_group_lingers);
	RUN_SM(test_group_that_cannot_die_is_given_up);
	RUN_SM(test_group_gone_unseen);
	RUN_SM(test_unkillable_main_then_lingering_group);
	RUN_SM(test_reused_group_not_signalled);
	RUN_SM(test_own_group_sigkilled);
	RUN_SM(test_reused_group_at_main_exit);
	RUN_SM(test_member_reaped_rest_not_ours);
	RUN_SM(test_group_check_falls_back_to_kill);
	RUN_SM(test_no_group_check_off_draining);
	RUN_SM(test_proc_stat_parse);
	RUN_SM(test_procgroup_real_group);
	RUN_SM(test_clear_while_waiting);
	RUN_SM(test_startup_timeout_is_a_crash);
	RUN_SM(test_ports_sticky_foreign_exhausted);
	RUN_SM(test_restart_request);
	RUN_SM(test_restart_checks_package_first);
	RUN_SM(test_start_resets_attempt);
	RUN_SM(test_start_while_stopping_starts_after);
	RUN_SM(test_install_first);
	RUN_SM(test_spawn_failure_waits);
	RUN_SM(test_merged_sigchld);
	RUN_SM(test_changes_flushed_once_per_turn);
	RUN_SM(test_remove_running_app);
	RUN_SM(test_remove_stopped_and_waiting_apps);
	RUN_SM(test_rename_keeps_lookups);
	RUN_SM(test_name_too_long);
	RUN_SM(test_folder_identity);
	RUN_SM(test_exit_decide_table);
	RUN_SM(test_package_read_once_per_restart);
	RUN_SM(test_restart_request_reads_package_once);
	/* Last: it leaves the state machine shut down. */
	RUN_SM(test_shutdown_stops_everything);
	sm_teardown();
	return CHECK_EXIT();
}
