/* loop: poll() over every watched descriptor, a binary heap of deadlines. */
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>

/* The poll set: pollfds and their watchers side by side. Removal during a
 * dispatch only blanks the slot; the set is compacted after the dispatch. */
static struct pollfd *pfds;
static struct loop_fd **watchers;
static size_t nfds, capfds;
static int dispatching, holes;

/* The deadlines: a min-heap of armed timers keyed by due time. */
static struct loop_timer **heap;
static size_t nheap, capheap;
static long reserved;             /* timers the owners may arm at once */
static unsigned long timer_pass;  /* counts the passes over due timers */

static monotime_ms now_ms;
static monotime_ms (*read_clock)(void) = clock_mono_ms;
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

int loop_watch(struct loop_fd *w, int fd, short events, loop_fd_fn fn)
{
	if (w->slot) {
		loop_unwatch(w);
	}
	size_t cap1 = capfds, cap2 = capfds;
	if (grow((void **)&pfds, &cap1, nfds + 1, sizeof *pfds) < 0 ||
	    grow((void **)&watchers, &cap2, nfds + 1, sizeof *watchers) < 0) {
		return -1;
	}
	capfds = cap1 < cap2 ? cap1 : cap2;
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	pfds[nfds] = (struct pollfd){ .fd = fd, .events = events, .revents = 0 };
	watchers[nfds] = w;
	w->slot = ++nfds;
	return 0;
}

void loop_set_events(struct loop_fd *w, short events)
{
	w->events = events;
	if (w->slot) {
		pfds[w->slot - 1].events = events;
	}
}

int loop_watching(const struct loop_fd *w)
{
	return w->slot != 0;
}

static void move_last_into(size_t i)
{
	nfds--;
	if (i != nfds) {
		pfds[i] = pfds[nfds];
		watchers[i] = watchers[nfds];
		if (watchers[i]) {
			watchers[i]->slot = i + 1;
		}
	}
}

void loop_unwatch(struct loop_fd *w)
{
	if (!w->slot) {
		return;
	}
	size_t i = w->slot - 1;
	w->slot = 0;
	if (dispatching) {
		watchers[i] = NULL;
		pfds[i].fd = -1;
		pfds[i].revents = 0;
		holes = 1;
		return;
	}
	move_last_into(i);
}

static void compact(void)
{
	for (size_t i = nfds; i-- > 0;) {
		if (!watchers[i]) {
			move_last_into(i);
		}
	}
	holes = 0;
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
	now_ms = read_clock();
}

void loop_set_clock(monotime_ms (*clock)(void))
{
	read_clock = clock ? clock : clock_mono_ms;
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
	monotime_ms wait = heap[0]->due - clock_mono_ms();
	if (wait <= 0) {
		return 0;
	}
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

static void run_due_timers(void)
{
	unsigned long pass = ++timer_pass;
	while (nheap && heap[0]->due <= now_ms && heap[0]->pass != pass) {
		struct loop_timer *t = heap[0];
		loop_timer_cancel(t);
		t->fn(t);
	}
}

static void dispatch_fds(void)
{
	size_t n = nfds;
	dispatching = 1;
	for (size_t i = 0; i < n; i++) {
		short rev = pfds[i].revents;
		struct loop_fd *w = watchers[i];
		if (rev && w) {
			pfds[i].revents = 0;
			w->fn(w, rev);
		}
	}
	dispatching = 0;
	if (holes) {
		compact();
	}
}

void loop_advance(monotime_ms now)
{
	now_ms = now;
	run_due_timers();
}

int loop_run_once(void)
{
	int r = poll(pfds, nfds, poll_timeout());
	wakeups++;
	now_ms = read_clock();
	if (r < 0 && errno != EINTR) {
		return -1;
	}
	if (r > 0) {
		dispatch_fds();
	}
	run_due_timers();
	return 0;
}
