/* test_loop: the deadline heap, timers that never fire early nor late by
 * a tick (epoll_pwait2 and the timerfd fallback), the room timers
 * reserve, watchers removed during a dispatch, the before-sleep hook,
 * and an epoll set that breaks and is rebuilt. */
#include "check.h"

#include "base/log.h"
#include "base/loop.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#define N_TIMERS 50

static struct loop_timer timers[N_TIMERS];
static int fired[N_TIMERS], order[N_TIMERS], n_fired;
static monotime fired_at;

static void on_timer(struct loop_timer *t)
{
	int i = (int)(t - timers);
	fired[i]++;
	order[n_fired++] = i;
	fired_at = clock_mono();
}

static void init_timers(void)
{
	for (int i = 0; i < N_TIMERS; i++) {
		CHECK(loop_timer_init(&timers[i], on_timer) == 0);
	}
}

static void fini_timers(void)
{
	for (int i = 0; i < N_TIMERS; i++) {
		loop_timer_fini(&timers[i]);
	}
}

static void test_timers_fire_in_order(void)
{
	size_t reserved = loop_timers_reserved();
	init_timers();
	CHECK_INT(loop_timers_reserved(), reserved + N_TIMERS);
	loop_update_now();
	monotime now = loop_now();
	n_fired = 0;
	/* Due times in a scrambled order, all in the past: one turn fires all. */
	for (int i = 0; i < N_TIMERS; i++) {
		fired[i] = 0;
		loop_timer_arm(&timers[i], now - 1000 * MONO_MS + ((i * 37) % N_TIMERS) * MONO_MS);
	}
	/* Cancel every fifth; re-arm one to the far future. */
	for (int i = 0; i < N_TIMERS; i += 5) {
		loop_timer_cancel(&timers[i]);
	}
	loop_timer_arm(&timers[1], now + 1000000 * MONO_MS);
	CHECK(loop_run_once() == 0);
	CHECK_INT(n_fired, N_TIMERS - N_TIMERS / 5 - 1);
	for (int k = 1; k < n_fired; k++) {
		CHECK(timers[order[k - 1]].due <= timers[order[k]].due);
	}
	CHECK_INT(fired[0], 0);
	CHECK_INT(fired[1], 0);
	CHECK(loop_timer_armed(&timers[1]));
	loop_timer_cancel(&timers[1]);
	CHECK(!loop_timer_armed(&timers[1]));
	CHECK_INT(loop_timers_armed(), 0);
	fini_timers();
	CHECK_INT(loop_timers_reserved(), reserved);
}

/* A timer re-armed for "now" inside its callback waits for the next
 * turn, which then does not sleep. */
static struct loop_timer again;
static int again_count;

static void on_again(struct loop_timer *t)
{
	if (++again_count < 3) {
		loop_timer_arm(t, loop_now());
	}
}

static void test_due_now_runs_next_turn_without_sleeping(void)
{
	CHECK(loop_timer_init(&again, on_again) == 0);
	loop_update_now();
	again_count = 0;
	loop_timer_arm(&again, loop_now());
	CHECK(loop_run_once() == 0);
	CHECK_INT(again_count, 1);
	/* Due: the next wait asks the kernel for no time at all. */
	CHECK_INT(loop_wait_ns(), 0);
	CHECK(loop_run_once() == 0);
	CHECK(loop_run_once() == 0);
	CHECK_INT(again_count, 3);
	CHECK_INT(loop_wait_ns(), -1);
	loop_timer_fini(&again);
}

/* A deadline 300 µs ahead is waited for to the microsecond, not rounded
 * up to the next millisecond, and it never fires early. (How late the
 * kernel wakes us is the benchmark's business, not a test's.) */
static void check_precise(void)
{
	init_timers();
	int early = 0;
	for (int round = 0; round < 20; round++) {
		loop_update_now();
		monotime due = clock_mono() + 300;
		loop_timer_arm(&timers[0], due);
		int64_t ns = loop_wait_ns();
		CHECK(ns > 0 && ns <= 300000);
		n_fired = 0;
		while (!n_fired) {
			CHECK(loop_run_once() == 0);
		}
		early += fired_at < due;
	}
	CHECK_INT(early, 0);
	fini_timers();
}

static void test_microsecond_deadlines_pwait2(void)
{
	loop_use_timerfd(0);
	check_precise();
}

static void test_microsecond_deadlines_timerfd(void)
{
	size_t watched = loop_fds_watched();
	loop_use_timerfd(1);
	check_precise();
	loop_use_timerfd(0);
	CHECK_INT(loop_fds_watched(), watched);
}

static struct loop_fd wa, wb;
static int pa[2], pb[2], calls_a, calls_b;

static void on_a(struct loop_fd *w, short revents)
{
	calls_a++;
	/* Removing the other watcher during the dispatch must be safe. */
	loop_unwatch(&wb);
	loop_unwatch(&wa);
}

static void on_b(struct loop_fd *w, short revents)
{
	calls_b++;
	loop_unwatch(&wa);
	loop_unwatch(&wb);
}

static void test_unwatch_during_dispatch(void)
{
	size_t watched = loop_fds_watched();
	CHECK(pipe(pa) == 0 && pipe(pb) == 0);
	CHECK(write(pa[1], "x", 1) == 1 && write(pb[1], "x", 1) == 1);
	CHECK(loop_watch(&wa, pa[0], POLLIN, on_a) == 0);
	CHECK(loop_watch(&wb, pb[0], POLLIN, on_b) == 0);
	CHECK_INT(loop_fds_watched(), watched + 2);
	CHECK(loop_run_once() == 0);
	CHECK_INT(calls_a + calls_b, 1);
	CHECK(!loop_watching(&wa) && !loop_watching(&wb));
	CHECK_INT(loop_fds_watched(), watched);
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
}

static int hook_calls;

static void hook(void)
{
	hook_calls++;
}

static void test_before_sleep_once_per_turn(void)
{
	init_timers();
	loop_before_sleep(hook);
	hook_calls = 0;
	loop_update_now();
	loop_timer_arm(&timers[0], loop_now());
	loop_timer_arm(&timers[1], loop_now());
	CHECK(loop_run_once() == 0);
	CHECK_INT(hook_calls, 1);
	loop_advance(loop_now());
	CHECK_INT(hook_calls, 2);
	loop_before_sleep(NULL);
	fini_timers();
}

static struct loop_fd wr;
static int pr[2], calls_r;

static void on_r(struct loop_fd *w, short revents)
{
	char c;
	calls_r += read(w->fd, &c, 1) == 1;
}

/* Something closes the epoll descriptor and puts another file there:
 * the wait fails (EINVAL), the set is rebuilt, and the event arrives in
 * that very turn (through poll()); the next turn is epoll's again. */
static void test_broken_epoll_is_rebuilt(void)
{
	CHECK(pipe(pr) == 0);
	CHECK(loop_watch(&wr, pr[0], POLLIN, on_r) == 0);
	int old = loop_epoll_fd();
	int null = open("/dev/null", O_RDONLY);
	CHECK(null >= 0 && dup2(null, old) == old);
	close(null);
	CHECK(write(pr[1], "x", 1) == 1);
	CHECK_INT(loop_run_once(), -1);
	CHECK(loop_epoll_fd() != old);
	CHECK_INT(calls_r, 1);
	CHECK(write(pr[1], "y", 1) == 1);
	CHECK_INT(loop_run_once(), 0);
	CHECK_INT(calls_r, 2);
	loop_unwatch(&wr);
	close(old);
	close(pr[0]);
	close(pr[1]);
}

/* The set breaks again right after each rebuild (as when a seccomp filter
 * refuses the call): the loop waits with poll() and never spins. Each
 * turn here waits for its 20 ms timer; a spinning loop would turn far
 * more often than the timer fires. */
static struct loop_timer tick;
static int ticks;

static void on_tick(struct loop_timer *t)
{
	ticks++;
}

static void test_epoll_failing_for_good_never_spins(void)
{
	CHECK(loop_timer_init(&tick, on_tick) == 0);
	int failures = 0, turns = 0;
	ticks = 0;
	while (ticks < 5 && turns < 1000) {
		int old = loop_epoll_fd();
		int null = open("/dev/null", O_RDONLY);
		CHECK(null >= 0 && dup2(null, old) == old);
		close(null);
		loop_update_now();
		if (!loop_timer_armed(&tick)) {
			loop_timer_arm(&tick, loop_after_ms(20));
		}
		failures += loop_run_once() < 0;
		turns++;
		close(old);
	}
	CHECK_INT(ticks, 5);
	/* One wait per tick (and the few failed ones in between), not a spin. */
	CHECK(turns <= 5 * 2 + 2);
	CHECK(failures >= 1);
	loop_timer_fini(&tick);
}

int main(void)
{
	log_open("/dev/null");
	RUN(test_timers_fire_in_order);
	RUN(test_due_now_runs_next_turn_without_sleeping);
	RUN(test_microsecond_deadlines_pwait2);
	RUN(test_microsecond_deadlines_timerfd);
	RUN(test_unwatch_during_dispatch);
	RUN(test_before_sleep_once_per_turn);
	RUN(test_broken_epoll_is_rebuilt);
	RUN(test_epoll_failing_for_good_never_spins);
	loop_fini();
	return CHECK_EXIT();
}
