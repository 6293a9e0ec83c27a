/* sig: SIGCHLD, SIGTERM, SIGINT and SIGHUP read from a signalfd in the loop. */
#include "base/sig.h"

#include "base/log.h"
#include "base/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct loop_fd sig_watch;
static sig_fn sig_handler;
/* The signals ignored in toesd (inherited, or SIGPIPE): the only ones a
 * child must set back, since exec resets handlers but keeps "ignored".
 * Until sig_init looked, every signal is set back. */
static uint64_t ignored = ~(uint64_t)0;

static void note_ignored(void);

static void sig_readable(struct loop_fd *w, short revents)
{
	struct signalfd_siginfo si[8];
	for (;;) {
		ssize_t n = read(w->fd, si, sizeof si);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				log_errno(NULL, "cannot read signalfd");
			}
			if (errno != EINTR) {
				return;
			}
			continue;
		}
		for (size_t i = 0; i < (size_t)n / sizeof si[0]; i++) {
			sig_handler((int)si[i].ssi_signo, (int)si[i].ssi_pid);
		}
		if ((size_t)n < sizeof si) {
			return;
		}
	}
}

int sig_init(sig_fn fn)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		return -1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0) {
		return -1;
	}
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	sig_handler = fn;
	note_ignored();
	if (loop_watch(&sig_watch, fd, POLLIN, sig_readable) < 0) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Through the system call itself: libc refuses to touch the signals it
 * reserves (32 and 33 in glibc), and a parent (make, for one) may leave
 * them ignored. All zeroes is SIG_DFL, no flags, an empty mask, in any
 * architecture's layout of the kernel's struct. */
static void default_disposition(int signo)
{
	unsigned long zero[8] = { 0 };
	if (syscall(SYS_rt_sigaction, signo, zero, NULL, (size_t)8) < 0 && errno == EINVAL) {
		syscall(SYS_rt_sigaction, signo, zero, NULL, (size_t)16); /* 128-signal kernels */
	}
}

/* Which signals are ignored now (asked once, at start-up); one libc will
 * not tell about is set back anyway. */
static void note_ignored(void)
{
	uint64_t mask = 0;
	for (int s = 1; s <= 64; s++) {
		struct sigaction old;
		if ((sigaction(s, NULL, &old) < 0 && s != SIGKILL && s != SIGSTOP) ||
		    (old.sa_handler == SIG_IGN && !(old.sa_flags & SA_SIGINFO))) {
			mask |= (uint64_t)1 << (s - 1);
		}
	}
	ignored = mask;
}

void sig_reset_for_child(void)
{
	for (int s = 1; s <= 64; s++) {
		if (ignored & ((uint64_t)1 << (s - 1))) {
			default_disposition(s);
		}
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
