/* loop: one epoll set over every watched descriptor, a binary heap of
 * deadlines, and a wait that ends when the nearest one is due, to the
 * microsecond: epoll_pwait2 takes a timeout in nanoseconds; before Linux
 * 5.11 a timerfd set to the deadline does the same in the epoll set. */
#include "base/loop.h"

#include "base/log.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64
/* While epoll keeps failing, how long poll() stands in before it is tried again. */
#define EPOLL_RETRY (1000 * MONO_MS)

static int epfd = -1;
/* The events of the current dispatch; a watcher removed meanwhile is
 * blanked here, so no callback runs for a record its owner freed. */
static struct epoll_event ready[MAX_EVENTS];
static int n_events, dispatch_at;
static struct loop_fd *watched_list;  /* every watched descriptor */
static size_t n_watched;

/* The deadlines: a min-heap of armed timers keyed by due time. Its room
 * is reserved by loop_timer_init, so a push never grows it. */
static struct loop_timer **heap;
static size_t nheap, capheap, reserved;
static unsigned long timer_pass;  /* counts the passes over due timers */

static monotime now;
static unsigned long turns;
static monotime (*fake_clock)(void);
static void (*before_sleep)(void);

/* The timerfd fallback: the deadline it is set to (-1: none). */
static int timerfd_mode;
static struct loop_fd timer_watch = { .fd = -1 };
static monotime timerfd_due = -1;

/* While epoll fails: how many waits failed in a row, and when to try it again. */
static int epoll_failing;
static monotime epoll_retry_at;

static void read_now(void)
{
	now = fake_clock ? fake_clock() : clock_mono();
}

/* --- descriptors --- */

static uint32_t to_epoll(short events)
{
	return (events & POLLIN ? EPOLLIN : 0u) | (events & POLLOUT ? EPOLLOUT : 0u);
}

static short from_epoll(uint32_t ev)
{
	return (short)((ev & EPOLLIN ? POLLIN : 0) | (ev & EPOLLOUT ? POLLOUT : 0) |
		       (ev & EPOLLERR ? POLLERR : 0) | (ev & EPOLLHUP ? POLLHUP : 0));
}

static int open_set(void)
{
	if (epfd < 0 && (epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		return -1;
	}
	return 0;
}

static int add_to_set(struct loop_fd *w)
{
	struct epoll_event e = { .events = to_epoll(w->events), .data.ptr = w };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, w->fd, &e);
}

int loop_watch(struct loop_fd *w, int fd, short ev, loop_fd_fn fn)
{
	if (w->watched) {
		loop_unwatch(w);
	}
	if (open_set() < 0) {
		return -1;
	}
	w->fd = fd;
	w->events = ev;
	w->fn = fn;
	if (add_to_set(w) < 0) {
		return -1;
	}
	w->watched = 1;
	w->prev = NULL;
	w->next = watched_list;
	if (watched_list) {
		watched_list->prev = w;
	}
	watched_list = w;
	n_watched++;
	return 0;
}

void loop_set_events(struct loop_fd *w, short ev)
{
	if (!w->watched || w->events == ev) {
		w->events = ev;
		return;
	}
	w->events = ev;
	struct epoll_event e = { .events = to_epoll(ev), .data.ptr = w };
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, w->fd, &e) < 0) {
		log_errno(NULL, "cannot change the events watched on descriptor %d", w->fd);
	}
}

int loop_watching(const struct loop_fd *w)
{
	return w->watched;
}

void loop_unwatch(struct loop_fd *w)
{
	if (!w->watched) {
		return;
	}
	w->watched = 0;
	if (w->prev) {
		w->prev->next = w->next;
	} else {
		watched_list = w->next;
	}
	if (w->next) {
		w->next->prev = w->prev;
	}
	w->prev = w->next = NULL;
	n_watched--;
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

int loop_timer_init(struct loop_timer *t, loop_timer_fn fn)
{
	memset(t, 0, sizeof *t);
	if (reserved == capheap) {
		size_t cap = capheap ? capheap * 2 : 64;
		struct loop_timer **h = realloc(heap, cap * sizeof *h);
		if (!h) {
			errno = ENOMEM;
			return -1;
		}
		heap = h;
		capheap = cap;
	}
	reserved++;
	t->fn = fn;
	t->ready = 1;
	return 0;
}

void loop_timer_fini(struct loop_timer *t)
{
	if (!t->ready) {
		return;
	}
	loop_timer_cancel(t);
	t->ready = 0;
	reserved--;
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

void loop_timer_arm(struct loop_timer *t, monotime due)
{
	if (!t->ready) {
		/* A timer never initialised has no room: a bug, never a crash. */
		log_msg(NULL, "internal error: a timer armed without initialisation was ignored");
		return;
	}
	loop_timer_cancel(t);
	t->due = due;
	t->pass = timer_pass;
	heap[nheap] = t;
	t->slot = ++nheap;
	sift_up(nheap - 1);
}

int loop_timer_armed(const struct loop_timer *t)
{
	return t->slot != 0;
}

/* --- time --- */

monotime loop_now(void)
{
	return now;
}

monotime loop_after_ms(int64_t ms)
{
	return now + ms * MONO_MS;
}

void loop_update_now(void)
{
	read_now();
}

unsigned long loop_turn(void)
{
	return turns;
}

void loop_set_clock(monotime (*clock)(void))
{
	fake_clock = clock;
}

void loop_before_sleep(void (*fn)(void))
{
	before_sleep = fn;
}

size_t loop_timers_armed(void)
{
	return nheap;
}

size_t loop_timers_reserved(void)
{
	return reserved;
}

size_t loop_fds_watched(void)
{
	return n_watched;
}

int loop_epoll_fd(void)
{
	return epfd;
}

/* --- waiting --- */

/* The kernel's own timespec: 64-bit on every architecture. */
struct kernel_timespec {
	int64_t tv_sec;
	long long tv_nsec;
};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Nanoseconds until the nearest deadline: -1 for none, 0 when due. */
static int64_t wait_ns(void)
{
	if (!nheap) {
		return -1;
	}
	int64_t left = heap[0]->due * 1000 - mono_ns();
	return left > 0 ? left : 0;
}

int64_t loop_wait_ns(void)
{
	return wait_ns();
}

static int wait_pwait2(int64_t ns)
{
#ifdef SYS_epoll_pwait2
	struct kernel_timespec ts = { ns / 1000000000, ns % 1000000000 };
	long r = syscall(SYS_epoll_pwait2, epfd, ready, MAX_EVENTS, ns < 0 ? NULL : &ts, NULL, 0);
	return (int)r;
#else
	(void)ns;
	errno = ENOSYS;
	return -1;
#endif
}

static void on_timerfd(struct loop_fd *w, short revents)
{
	uint64_t expirations;
	ssize_t n = read(w->fd, &expirations, sizeof expirations);
	(void)n; /* only clears readiness: the heap says what is due */
}

/* Set the timerfd to the nearest deadline (absolute) when it changed. */
static int arm_timerfd(void)
{
	if (timer_watch.fd < 0) {
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (fd < 0) {
			return -1;
		}
		if (loop_watch(&timer_watch, fd, POLLIN, on_timerfd) < 0) {
			close(fd);
			timer_watch.fd = -1;
			return -1;
		}
	}
	monotime due = nheap ? heap[0]->due : -1;
	if (due == timerfd_due) {
		return 0;
	}
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	if (due >= 0) {
		/* Zero would disarm it: a deadline at 0 is long past anyway. */
		its.it_value.tv_sec = due / 1000000;
		its.it_value.tv_nsec = (long)(due % 1000000) * 1000 + (due == 0);
	}
	if (timerfd_settime(timer_watch.fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		return -1;
	}
	timerfd_due = due;
	return 0;
}

static int wait_timerfd(int64_t ns)
{
	if (ns != 0 && arm_timerfd() < 0) {
		/* Without the timerfd: milliseconds, rounded up, never early. */
		int ms = ns < 0 ? -1 : (int)((ns + 999999) / 1000000);
		return epoll_wait(epfd, ready, MAX_EVENTS, ms);
	}
	return epoll_wait(epfd, ready, MAX_EVENTS, ns == 0 ? 0 : -1);
}

void loop_use_timerfd(int on)
{
	timerfd_mode = on;
	timerfd_due = -1;
	if (!on && timer_watch.fd >= 0) {
		loop_unwatch(&timer_watch);
		close(timer_watch.fd);
		timer_watch.fd = -1;
	}
}

static int wait_events(void)
{
	int64_t ns = wait_ns();
	if (!timerfd_mode) {
		int r = wait_pwait2(ns);
		if (r >= 0 || errno == EINTR || errno == EBADF || errno == EINVAL) {
			return r; /* EBADF, EINVAL: the set itself is broken */
		}
		/* ENOSYS before Linux 5.11; EPERM from a seccomp filter that does
		 * not know it: the timerfd does the same through epoll_wait. */
		log_errno(NULL, "epoll_pwait2 cannot be used; waiting through a timerfd from now on");
		timerfd_mode = 1;
	}
	return wait_timerfd(ns);
}

/* --- recovery --- */

/* A new epoll set holding every watched descriptor. The old number is
 * closed only when it still is an epoll set of ours: after EBADF or
 * EINVAL it may be nothing, or someone else's file. */
static int rebuild_set(int err)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	if (err != EBADF && err != EINVAL) {
		close(epfd);
	}
	epfd = fd;
	n_events = dispatch_at = 0;
	timerfd_due = -1;
	for (struct loop_fd *w = watched_list; w; w = w->next) {
		if (add_to_set(w) < 0) {
			log_errno(NULL, "cannot watch descriptor %d again; it is left out", w->fd);
		}
	}
	return 0;
}

static short to_poll(short events)
{
	return (short)(events & (POLLIN | POLLOUT));
}

static uint32_t poll_to_epoll(short revents)
{
	return (revents & POLLIN ? EPOLLIN : 0u) | (revents & POLLOUT ? EPOLLOUT : 0u) |
	       (revents & POLLERR ? EPOLLERR : 0u) | (revents & (POLLHUP | POLLNVAL) ? EPOLLHUP : 0u);
}

/* While epoll fails: one poll() over every watched descriptor, the events
 * put where epoll's would be, so the dispatch (and its safety when a
 * watcher goes meanwhile) is the same. Slower, never spinning. */
static int wait_poll(int64_t ns)
{
	monotime retry = epoll_retry_at - clock_mono();
	if (ns < 0 || ns > retry * 1000) {
		ns = retry > 0 ? retry * 1000 : 0;
	}
	struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
	struct pollfd *pfd = malloc((n_watched ? n_watched : 1) * sizeof *pfd);
	struct loop_fd **map = malloc((n_watched ? n_watched : 1) * sizeof *map);
	int r = 0;
	if (!pfd || !map) {
		ppoll(NULL, 0, &ts, NULL); /* no memory even for that: wait, then retry */
	} else {
		size_t n = 0;
		for (struct loop_fd *w = watched_list; w; w = w->next, n++) {
			pfd[n] = (struct pollfd){ .fd = w->fd, .events = to_poll(w->events) };
			map[n] = w;
		}
		r = ppoll(pfd, n, &ts, NULL);
		if (r < 0 && errno != EINTR) {
			ppoll(NULL, 0, &ts, NULL);
		}
		int k = 0;
		for (size_t i = 0; r > 0 && i < n && k < MAX_EVENTS; i++) {
			if (pfd[i].revents) {
				ready[k].events = poll_to_epoll(pfd[i].revents);
				ready[k++].data.ptr = map[i];
			}
		}
		r = k;
	}
	free(pfd);
	free(map);
	return r;
}

/* The wait failed with err: say so once, build the set anew, and until
 * epoll works again (tried once a second) wait with poll(). */
static int wait_failed(int err)
{
	if (!epoll_failing) {
		errno = err;
		log_errno(NULL, "epoll wait failed; rebuilding the epoll set, waiting with poll() meanwhile");
	}
	epoll_failing++;
	if (rebuild_set(err) < 0 && epoll_failing == 1) {
		log_errno(NULL, "cannot rebuild the epoll set; trying again in 1s");
	}
	/* A failure right after a rebuild is no passing accident: poll for a while. */
	epoll_retry_at = clock_mono() + (epoll_failing > 1 ? EPOLL_RETRY : 0);
	return wait_poll(wait_ns());
}

void loop_fini(void)
{
	loop_use_timerfd(0);
	free(heap);
	heap = NULL;
	nheap = capheap = reserved = 0;
	if (epfd >= 0) {
		close(epfd);
		epfd = -1;
	}
	watched_list = NULL;
	n_watched = 0;
}

/* --- turns --- */

static void run_due_timers(void)
{
	unsigned long pass = ++timer_pass;
	while (nheap && heap[0]->due <= now && heap[0]->pass != pass) {
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

void loop_advance(monotime t)
{
	now = t;
	turns++;
	run_due_timers();
	if (before_sleep) {
		before_sleep();
	}
}

int loop_run_once(void)
{
	if (before_sleep) {
		before_sleep();
	}
	if (open_set() < 0) {
		log_errno(NULL, "cannot create the epoll set");
		return -1;
	}
	int failed = 0;
	int by_poll = epoll_failing && clock_mono() < epoll_retry_at;
	int r = by_poll ? wait_poll(wait_ns()) : wait_events();
	if (r < 0 && errno != EINTR) {
		r = wait_failed(errno);
		failed = 1;
	} else if (!by_poll && epoll_failing) {
		log_msg(NULL, "epoll works again");
		epoll_failing = 0;
	}
	turns++;
	read_now();
	n_events = r > 0 ? r : 0;
	dispatch_fds();
	run_due_timers();
	return failed ? -1 : 0;
}
