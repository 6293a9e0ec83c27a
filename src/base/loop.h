/* loop: the one event loop. Watch descriptors (epoll), arm deadlines on
 * the monotonic clock, and sleep until the nearest one: no periodic wake-up.
 * Watchers and timers are embedded in their owner's record (container_of),
 * so arming a timer never allocates. */
#ifndef TOES_LOOP_H
#define TOES_LOOP_H

#include "base/clock.h"

#include <stddef.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct loop_fd;
typedef void (*loop_fd_fn)(struct loop_fd *w, short revents);

struct loop_fd {
	int fd;
	short events;
	loop_fd_fn fn;
	size_t slot;    /* private: 1 while watched */
};

struct loop_timer;
typedef void (*loop_timer_fn)(struct loop_timer *t);

struct loop_timer {
	monotime_ms due;
	loop_timer_fn fn;
	size_t slot;    /* private: index in the heap + 1; 0 = not armed */
	unsigned long pass; /* private: the timer pass it was armed in */
};

/* Start watching fd for events (POLLIN, POLLOUT). -1 on ENOMEM. */
int loop_watch(struct loop_fd *w, int fd, short events, loop_fd_fn fn);
void loop_set_events(struct loop_fd *w, short events);
/* Stop watching (the descriptor is not closed). Safe inside callbacks. */
void loop_unwatch(struct loop_fd *w);
int loop_watching(const struct loop_fd *w);

/* Every owner of timers reserves room for them when it is created (and
 * gives it back when it goes), so arming a timer never allocates and
 * cannot fail. -1 on ENOMEM: the owner is not created. */
int loop_reserve_timers(long delta);

/* Arm (or re-arm) a timer for an absolute monotonic time. A timer armed
 * while timers run fires at the next turn at the earliest, so a timer
 * that re-arms itself for "now" cannot keep the loop from waiting. */
void loop_timer_arm(struct loop_timer *t, monotime_ms due, loop_timer_fn fn);
void loop_timer_cancel(struct loop_timer *t);
int loop_timer_armed(const struct loop_timer *t);

/* The time read once at this wake-up: every handler sees the same now. */
monotime_ms loop_now(void);
/* Refresh loop_now() from the clock (at start-up, before the first turn). */
void loop_update_now(void);

/* Wait for the nearest deadline or descriptor event and dispatch it.
 * Returns -1 only when epoll_wait() fails with something other than EINTR. */
int loop_run_once(void);
/* For tests with a fake clock: the clock loop_update_now() reads, and a
 * step that sets now and runs the timers due by then. */
void loop_set_clock(monotime_ms (*clock)(void));
void loop_advance(monotime_ms now);
/* Counts how many times the wait returned, for the benchmarks. */
unsigned long loop_wakeups(void);

#endif
