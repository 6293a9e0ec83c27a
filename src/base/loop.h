/* loop: the one event loop. Watch descriptors (epoll), arm deadlines on
 * the monotonic clock with microsecond resolution, and sleep until the
 * nearest one: no periodic wake-up. Watchers and timers are embedded in
 * their owner's record (container_of). A timer reserves its room in the
 * deadline heap when it is initialised, so arming it never allocates and
 * never fails. */
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
	struct loop_fd *prev, *next;  /* private: every watched descriptor, to rebuild the set */
	unsigned char watched;        /* private */
};

/* Start watching fd for events (POLLIN, POLLOUT). -1 with errno set. */
int loop_watch(struct loop_fd *w, int fd, short events, loop_fd_fn fn);
void loop_set_events(struct loop_fd *w, short events);
/* Stop watching (the descriptor is not closed). Safe inside callbacks:
 * no callback runs for it afterwards, in this turn either. */
void loop_unwatch(struct loop_fd *w);
int loop_watching(const struct loop_fd *w);

struct loop_timer;
typedef void (*loop_timer_fn)(struct loop_timer *t);

struct loop_timer {
	monotime due;
	loop_timer_fn fn;
	size_t slot;          /* private: index in the heap + 1; 0 = not armed */
	unsigned long pass;   /* private: the timer pass it was armed in */
	unsigned char ready;  /* private: between init and fini */
};

/* Give the timer its callback and its room in the heap: -1 (ENOMEM)
 * when there is none, and the owner is not created. */
int loop_timer_init(struct loop_timer *t, loop_timer_fn fn);
/* Cancel it and give its room back (a timer never initialised is fine). */
void loop_timer_fini(struct loop_timer *t);
/* Arm (or re-arm) for an absolute monotonic time. A timer armed while
 * timers run fires at the next turn at the earliest, so a timer that
 * re-arms itself for "now" cannot keep the loop from waiting; a timer due
 * at the next turn makes that turn wait for nothing. */
void loop_timer_arm(struct loop_timer *t, monotime due);
void loop_timer_cancel(struct loop_timer *t);
int loop_timer_armed(const struct loop_timer *t);

/* The time read once at this wake-up: every handler sees the same now. */
monotime loop_now(void);
/* loop_now() + ms milliseconds. */
monotime loop_after_ms(int64_t ms);
/* Refresh loop_now() from the clock (after work that took time). */
void loop_update_now(void);
/* Counts the loop's turns (wake-ups and fake-clock steps). */
unsigned long loop_turn(void);

/* Called once before each wait, after the previous turn's events and
 * timers: where observers are told what changed. */
void loop_before_sleep(void (*fn)(void));

/* Run the before-sleep hook, wait for the nearest deadline or a
 * descriptor event and dispatch. Returns -1 when the wait failed with
 * something other than EINTR (logged, the set rebuilt: it never spins). */
int loop_run_once(void);

/* At exit: free the heap, close the epoll set and the timerfd. */
void loop_fini(void);

/* For tests: a fake clock for loop_update_now(), and a step that sets
 * now, runs the timers due by then and the before-sleep hook. */
void loop_set_clock(monotime (*clock)(void));
void loop_advance(monotime now);
/* Wait through a timerfd instead of epoll_pwait2 (the fallback for
 * kernels before 5.11; chosen by itself when epoll_pwait2 is missing). */
void loop_use_timerfd(int on);
/* What is in use now, for tests that must end where they started. */
size_t loop_timers_armed(void);
size_t loop_timers_reserved(void);
size_t loop_fds_watched(void);
/* The wait the next turn would ask of the kernel, in nanoseconds (-1:
 * none, 0: a timer is due). */
int64_t loop_wait_ns(void);
/* The epoll descriptor, for a test that breaks it. */
int loop_epoll_fd(void);

#endif
