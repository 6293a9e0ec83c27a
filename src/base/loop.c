/* loop: one epoll set over every watched descriptor, a binary heap of
 * deadlines. epoll rather than poll(): a wake-up costs the same with 10
 * apps or 1,000, where poll() would scan every pipe of every app. */
#include "base/loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_EVENTS 64

static int epfd = -1;
/* The events of the current dispatch; a watcher removed meanwhile is
 * blanked here, so no callback runs for a record its owner freed. */
static struct epoll_event ready[MAX_EVENTS];
static int n_events, dispatch_at;

/* The deadlines: a min-heap of armed timers keyed by due time. */
static struct loop_timer **heap;
static size_t nheap, capheap;
static long reserved;             /* timers the owners may arm at once */
static unsigned long timer_pass;  /* counts the passes over due timers */

/* now_us is the clock read at this wake-up; now_ms is it rounded up, so a
 * deadline armed as now_ms + d is never earlier than d from now, and a
 * timer fires only once now_us has reached it: never early. */
static int64_t now_us;
static monotime_ms now_ms;
static monotime_ms (*fake_clock)(void);

static void read_now(void)
{
	now_us = fake_clock ? fake_clock() * 1000 : clock_mono_us();
	now_ms = (now_us + 999) / 1000;
}
static unsigned long wakeups;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap) {
		return 0;
	}
	size_t cap2 = *cap ? *cap * 2 : 64;
	while (cap2 < need) {
		cap2 *= 2;
	}
	void *q = realloc(*p, cap2 * size);
	if (!q) {
		return -1;
	}
	*p = q;
	*cap = cap2;
	return 0;
}

static uint32_t to_epoll(short events)
{
	return (events & POLLIN ? EPOLLIN : 0u) | (events & POLLOUT ? EPOLLOUT : 0u);
}

static short from_epoll(uint32_t ev)
{
	return (short)((ev & EPOLLIN ? POLLIN : 0) | (ev & EPOLLOUT ? POLLOUT : 0) |
		       (ev & EPOLLERR ? POLLERR : 0) | (ev & EPOLLHUP ? POLLHUP : 0));
}

int loop_watch(struct loop_fd *w, int fd, short ev, loop_fd_fn fn)
{
	if (w->slot) {
		loop_unwatch(w);
	}
	if (epfd < 0 && (epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		return -1;
	}
	struct epoll_event e = { .events = to_epoll(ev), .data.ptr = w };
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
		return -1;
	}
	w->fd = fd;
	w->events = ev;
	w->fn = fn;
	w->slot = 1;
	return 0;
}

void loop_set_events(struct loop_fd *w, short ev)
{
	w->events = ev;
	if (w->slot) {
		struct epoll_event e = { .events = to_epoll(ev), .data.ptr = w };
		epoll_ctl(epfd, EPOLL_CTL_MOD, w->fd, &e);
	}
}

int loop_watching(const struct loop_fd *w)
{
	return w->slot != 0;
}

void loop_unwatch(struct loop_fd *w)
{
	if (!w->slot) {
		return;
	}
	w->slot = 0;
	/* Removed before its descriptor is closed, as every owner does: a
	 * forked child may still hold the file, which would keep it armed. */
	epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL);
	for (int i = dispatch_at; i < n_events; i++) {
		if (ready[i].data.ptr == w) {
			ready[i].data.ptr = NULL;
		}
	}
}

/* --- the deadline heap --- */

static int earlier(size_t a, size_t b)
{
	return heap[a]->due < heap[b]->due;
}

static void heap_swap(size_t a, size_t b)
{
	struct loop_timer *t = heap[a];
	heap[a] = heap[b];
	heap[b] = t;
	heap[a]->slot = a + 1;
	heap[b]->slot = b + 1;
}

static void sift_up(size_t i)
{
	while (i > 0 && earlier(i, (i - 1) / 2)) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < nheap && earlier(l, m)) {
			m = l;
		}
		if (r < nheap && earlier(r, m)) {
			m = r;
		}
		if (m == i) {
			return;
		}
		heap_swap(i, m);
		i = m;
	}
}

void loop_timer_cancel(struct loop_timer *t)
{
	if (!t->slot) {
		return;
	}
	size_t i = t->slot - 1;
	t->slot = 0;
	nheap--;
	if (i != nheap) {
		heap[i] = heap[nheap];
		heap[i]->slot = i + 1;
		sift_up(i);
		sift_down(heap[i]->slot - 1);
	}
}

int loop_reserve_timers(long delta)
{
	if (delta > 0 && grow((void **)&heap, &capheap, (size_t)(reserved + delta), sizeof *heap) < 0) {
		return -1;
	}
	reserved += delta;
	return 0;
}

void loop_timer_arm(struct loop_timer *t, monotime_ms due, loop_timer_fn fn)
{
	loop_timer_cancel(t);
	if (nheap == capheap && grow((void **)&heap, &capheap, nheap + 1, sizeof *heap) < 0) {
		/* Only an owner that reserved nothing gets here, out of memory. */
		abort();
	}
	t->due = due;
	t->pass = timer_pass;
	t->fn = fn;
	heap[nheap] = t;
	t->slot = ++nheap;
	sift_up(nheap - 1);
}

int loop_timer_armed(const struct loop_timer *t)
{
	return t->slot != 0;
}

monotime_ms loop_now(void)
{
	return now_ms;
}

void loop_update_now(void)
{
	read_now();
}

void loop_set_clock(monotime_ms (*clock)(void))
{
	fake_clock = clock;
}

unsigned long loop_wakeups(void)
{
	return wakeups;
}

static int poll_timeout(void)
{
	if (!nheap) {
		return -1;
	}
	int64_t wait_us = heap[0]->due * 1000 - clock_mono_us();
	if (wait_us <= 0) {
		return 0;
	}
	int64_t wait = (wait_us + 999) / 1000;
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

static void run_due_timers(void)
{
	unsigned long pass = ++timer_pass;
	while (nheap && heap[0]->due * 1000 <= now_us && heap[0]->pass != pass) {
		struct loop_timer *t = heap[0];
		loop_timer_cancel(t);
		t->fn(t);
	}
}

static void dispatch_fds(void)
{
	for (dispatch_at = 0; dispatch_at < n_events; dispatch_at++) {
		struct loop_fd *w = ready[dispatch_at].data.ptr;
		if (w) {
			w->fn(w, from_epoll(ready[dispatch_at].events));
		}
	}
	n_events = dispatch_at = 0;
}

void loop_advance(monotime_ms now)
{
	now_us = now * 1000;
	now_ms = now;
	run_due_timers();
}

int loop_run_once(void)
{
	if (epfd < 0 && (epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		return -1;
	}
	int r = epoll_wait(epfd, ready, MAX_EVENTS, poll_timeout());
	wakeups++;
	read_now();
	if (r < 0 && errno != EINTR) {
		return -1;
	}
	n_events = r > 0 ? r : 0;
	dispatch_fds();
	run_due_timers();
	return 0;
}
