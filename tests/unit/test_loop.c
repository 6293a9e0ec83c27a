/* test_loop: the deadline heap, and watchers removed during a dispatch. */
#include "check.h"

#include "base/loop.h"

#include <poll.h>
#include <unistd.h>

#define N_TIMERS 50

static struct loop_timer timers[N_TIMERS];
static int fired[N_TIMERS], order[N_TIMERS], n_fired;

static void on_timer(struct loop_timer *t)
{
	int i = (int)(t - timers);
	fired[i]++;
	order[n_fired++] = i;
}

static void test_timers_fire_in_order(void)
{
	loop_update_now();
	monotime_ms now = loop_now();
	n_fired = 0;
	/* Due times in a scrambled order, all in the past: one turn fires all. */
	for (int i = 0; i < N_TIMERS; i++) {
		fired[i] = 0;
		loop_timer_arm(&timers[i], now - 1000 + (i * 37) % N_TIMERS, on_timer);
	}
	/* Cancel every fifth; re-arm one to the far future. */
	for (int i = 0; i < N_TIMERS; i += 5) {
		loop_timer_cancel(&timers[i]);
	}
	loop_timer_arm(&timers[1], now + 1000000, on_timer);
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
	CHECK(pipe(pa) == 0 && pipe(pb) == 0);
	CHECK(write(pa[1], "x", 1) == 1 && write(pb[1], "x", 1) == 1);
	CHECK(loop_watch(&wa, pa[0], POLLIN, on_a) == 0);
	CHECK(loop_watch(&wb, pb[0], POLLIN, on_b) == 0);
	CHECK(loop_run_once() == 0);
	CHECK_INT(calls_a + calls_b, 1);
	CHECK(!loop_watching(&wa) && !loop_watching(&wb));
	/* Nothing watched and nothing armed but one near timer: poll returns. */
	loop_timer_arm(&timers[0], loop_now() + 5, on_timer);
	n_fired = 0;
	CHECK(loop_run_once() == 0);
	while (loop_timer_armed(&timers[0])) {
		CHECK(loop_run_once() == 0);
	}
	CHECK_INT(n_fired, 1);
}

int main(void)
{
	RUN(test_timers_fire_in_order);
	RUN(test_unwatch_during_dispatch);
	return CHECK_EXIT();
}
