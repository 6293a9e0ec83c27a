/* notify: the datagrams to NOTIFY_SOCKET, the watchdog's timer, the
 * ready descriptor. */
#include "toesd/notify.h"

#include "app/registry.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static struct {
	int fd;                     /* the datagram socket; -1: none */
	struct sockaddr_un addr;
	socklen_t addr_len;
	int ready_fd;               /* --ready-fd, or --daemon's pipe; -1 */
	int64_t watchdog_ms;        /* 0: no watchdog */
	struct loop_timer watchdog;
	int ready, failed_said, counts_changed;
	char last_status[128];
} ns = { .fd = -1, .ready_fd = -1 };

static void send_message(const char *text)
{
	if (ns.fd < 0) {
		return;
	}
	if (sendto(ns.fd, text, strlen(text), MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&ns.addr,
		   ns.addr_len) < 0 && !ns.failed_said) {
		ns.failed_said = 1;
		log_errno(NULL, "cannot notify the init system through NOTIFY_SOCKET (said once; toesd goes on)");
	}
}

/* "3 running, 1 starting, 2 stopped, 0 invalid": a stopping app counts
 * as stopped (it is on its way). */
static void format_status(char *out, size_t cap)
{
	size_t n[5] = { 0 };
	for (size_t i = 0; i < app_count(); i++) {
		n[app_at(i)->state]++;
	}
	snprintf(out, cap, "STATUS=%zu running, %zu starting, %zu stopped, %zu invalid", n[APP_RUNNING],
		 n[APP_STARTING], n[APP_STOPPED] + n[APP_STOPPING], n[APP_INVALID]);
}

static void on_app_changed(const struct app *a)
{
	ns.counts_changed = 1;
}

static void on_watchdog(struct loop_timer *t)
{
	send_message("WATCHDOG=1");
	loop_timer_arm(&ns.watchdog, loop_after_ms(ns.watchdog_ms));
}

/* NOTIFY_SOCKET: a path, or "@name" for the abstract namespace. */
static int open_notify_socket(const char *where)
{
	size_t len = strlen(where);
	if (len == 0 || len >= sizeof ns.addr.sun_path || (where[0] != '/' && where[0] != '@')) {
		log_msg(NULL, "NOTIFY_SOCKET '%s' is not a path or an @abstract name; the init system is not told", where);
		return 0;
	}
	ns.addr.sun_family = AF_UNIX;
	memcpy(ns.addr.sun_path, where, len);
	if (where[0] == '@') {
		ns.addr.sun_path[0] = '\0';
	}
	ns.addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (where[0] == '/'));
	ns.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ns.fd < 0) {
		log_errno(NULL, "cannot create the NOTIFY_SOCKET socket; the init system is not told");
	}
	return 0;
}

/* WATCHDOG_USEC, for toesd only when WATCHDOG_PID says so: pinged at
 * half the interval, as sd_notify(3) advises. */
static void start_watchdog(const char *usec, const char *pid)
{
	char *end;
	long long us = usec ? strtoll(usec, &end, 10) : 0;
	if (!usec || *end || us <= 0 || ns.fd < 0) {
		return;
	}
	if (pid && *pid && strtol(pid, &end, 10) != (long)getpid()) {
		return;
	}
	ns.watchdog_ms = us / 2000 > 0 ? us / 2000 : 1;
	if (loop_timer_init(&ns.watchdog, on_watchdog) == 0) {
		loop_timer_arm(&ns.watchdog, loop_after_ms(ns.watchdog_ms));
	} else {
		ns.watchdog_ms = 0;
	}
}

int notify_check_fd(int ready_fd)
{
	if (ready_fd >= 0 && fcntl(ready_fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "toesd: bad value for --ready-fd: %d is not an open descriptor (%s)\n", ready_fd,
			strerror(errno));
		return -1;
	}
	return 0;
}

int notify_init(int ready_fd)
{
	ns.ready_fd = ready_fd;
	const char *where = getenv("NOTIFY_SOCKET");
	if (where && open_notify_socket(where) < 0) {
		return -1;
	}
	start_watchdog(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"));
	/* The apps are told none of it (SPEC §4.3). */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (ns.fd >= 0 && app_observe(on_app_changed) < 0) {
		return -1;
	}
	return 0;
}

void notify_ready(void)
{
	if (ns.ready_fd >= 0) {
		/* One byte to a pipe or a terminal: it cannot block for long,
		 * and an init system that closed it is no reason to stop. */
		if (write(ns.ready_fd, "\n", 1) < 0) {
			log_errno(NULL, "cannot write to the --ready-fd descriptor");
		}
		close(ns.ready_fd);
		ns.ready_fd = -1;
	}
	char msg[256];
	format_status(ns.last_status, sizeof ns.last_status);
	snprintf(msg, sizeof msg, "READY=1\n%s\nMAINPID=%ld", ns.last_status, (long)getpid());
	send_message(msg);
	ns.ready = 1;
	ns.counts_changed = 0;
}

void notify_reloading(void)
{
	struct timespec ts;
	char msg[96];
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%lld",
		 (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	send_message(msg);
}

void notify_reloaded(void)
{
	char msg[192];
	format_status(ns.last_status, sizeof ns.last_status);
	snprintf(msg, sizeof msg, "READY=1\n%s", ns.last_status);
	send_message(msg);
}

void notify_stopping(void)
{
	send_message("STOPPING=1");
}

void notify_flush(void)
{
	if (!ns.ready || !ns.counts_changed || ns.fd < 0) {
		return;
	}
	ns.counts_changed = 0;
	char status[sizeof ns.last_status];
	format_status(status, sizeof status);
	if (strcmp(status, ns.last_status) != 0) {
		memcpy(ns.last_status, status, sizeof status);
		send_message(status);
	}
}

void notify_fini(void)
{
	if (ns.watchdog_ms) {
		loop_timer_fini(&ns.watchdog);
		ns.watchdog_ms = 0;
	}
	if (ns.fd >= 0) {
		close(ns.fd);
		ns.fd = -1;
	}
	if (ns.ready_fd >= 0) {
		close(ns.ready_fd);
		ns.ready_fd = -1;
	}
}
