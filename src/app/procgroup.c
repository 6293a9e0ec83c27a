/* procgroup: whether a process group still holds a process of an app's
 * run, from one scan of /proc. It runs only for a draining group (main
 * process reaped, members left), never on a plain stop or exit. */
#include "app/procgroup.h"

#include "base/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC 1000000000LL
/* Room for the fields up to the start time (22) with any name. */
#define STAT_MAX 1024
/* How far up a member's parents are followed to find toesd: an app's
 * tree is not deeper, and a fork bomb's changes under the walk anyway. */
#define ANCESTRY_MAX 64
/* How often a member's ancestry is read again after an ancestor ended
 * during the walk (its children were just handed to toesd, the
 * subreaper). */
#define ANCESTRY_TRIES 3
/* Why the scan cannot be trusted; each is logged once per toesd. */
#define FALLBACK " process groups are checked with kill(-pgid, 0) only, which cannot tell a reused id"

/* What a member of the run must match. */
struct run_id {
	pid_t pgid;                /* the run's group and session */
	pid_t self;                /* toesd */
	unsigned long long since;  /* clock ticks: the spawn */
	int subreaper;             /* orphans of the run come to toesd */
};

int64_t procgroup_clock_ns(void)
{
	static int said;
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0) {
		if (!said) {
			said = 1;
			log_errno(NULL, "cannot read CLOCK_BOOTTIME; a process group's members are not told from older processes by their start time");
		}
		return 0;
	}
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* A CLOCK_BOOTTIME time in the clock ticks /proc counts start times in,
 * rounded down as the kernel rounds them. */
static unsigned long long ns_to_ticks(int64_t ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	if (hz <= 0) {
		hz = 100; /* USER_HZ: what Linux has always reported */
	}
	return (unsigned long long)(ns / NS_PER_SEC * hz + ns % NS_PER_SEC * hz / NS_PER_SEC);
}

int procgroup_parse_stat(const char *text, struct proc_stat *st)
{
	const char *after = strrchr(text, ')');
	int ppid, pgrp, session;
	/* After the name: state (3), ppid, pgrp, session (4-6); tty_nr to
	 * nice (7-19) skipped; num_threads (20); itrealvalue (21) skipped;
	 * starttime (22). */
	if (!after || sscanf(after + 1, " %c %d %d %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %ld %*s %llu",
			     &st->state, &ppid, &pgrp, &session, &st->threads, &st->start) != 6) {
		errno = EPROTO;
		return -1;
	}
	st->ppid = ppid;
	st->pgrp = pgrp;
	st->session = session;
	return 0;
}

/* -1 with errno set; ENOENT or ESRCH: the process is gone. */
int procgroup_read_stat(pid_t pid, struct proc_stat *st)
{
	char path[32], text[STAT_MAX];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	ssize_t n = read(fd, text, sizeof text - 1);
	int err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	text[n] = '\0';
	return procgroup_parse_stat(text, st);
}

/* /proc is mounted and shows toesd's pid namespace: its pids are the
 * ones toesd knows. */
static int proc_usable(pid_t self)
{
	static int said;
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof link - 1);
	if (n < 0) {
		if (!said) {
			said = 1;
			log_errno(NULL, "cannot read /proc/self (is /proc mounted?);" FALLBACK);
		}
		return -1;
	}
	link[n] = '\0';
	if (atol(link) != (long)self) {
		if (!said) {
			said = 1;
			log_msg(NULL, "/proc is another pid namespace's (/proc/self is %s, toesd is %d);" FALLBACK,
				link, (int)self);
		}
		errno = EXDEV;
		return -1;
	}
	return 0;
}

/* Whether orphans of an app come to toesd. If not (a kernel without
 * subreapers), they go to init and their ancestry says nothing. */
static int is_subreaper(void)
{
	static int said;
	int on = 0;
	if (prctl(PR_GET_CHILD_SUBREAPER, &on) == 0 && on) {
		return 1;
	}
	if (!said) {
		said = 1;
		log_msg(NULL, "toesd is not a subreaper: the members of a process group are not told from others by their parents");
	}
	return 0;
}

/* 1 when toesd is ppid or an ancestor of it; 0 when init or a process
 * outside toesd's tree comes first; -1 when an ancestor ended during
 * the walk (its children were handed on: walk again). */
static int descends_from(pid_t ppid, pid_t self)
{
	for (int depth = 0; depth < ANCESTRY_MAX; depth++) {
		if (ppid == self) {
			return 1;
		}
		if (ppid <= 1) {
			return 0;
		}
		struct proc_stat st;
		if (procgroup_read_stat(ppid, &st) < 0) {
			return errno == ENOENT || errno == ESRCH ? -1 : 0;
		}
		ppid = st.ppid;
	}
	return 0;
}

/* A zombie holds the group's id, so the id is not another's while it is
 * there; but it is no process to stop: no signal reaches it, it holds no
 * port, and only its parent can end it. When that parent is toesd, toesd
 * reaps it soon and asks again. When the parent is another (a member
 * that left the group, as a daemon's first fork does), toesd will never
 * hear of its end, and waiting for it would only keep the app stopping
 * until it is given up after SIGKILL: it does not count. A zombie leader
 * whose other threads run is a live process. */
static int is_live(const struct proc_stat *st, pid_t self)
{
	return (st->state != 'Z' && st->state != 'X') || st->threads > 1 || st->ppid == self;
}

/* The run's group and session: setsid made both, and a process can only
 * join a group of its own session, so a group made under the reused id
 * by setpgid is in another session. Started before the spawn (one tick
 * of slack for rounding): not the run's. */
static int matches_run(const struct proc_stat *st, const struct run_id *run)
{
	return st->pgrp == run->pgid && st->session == run->pgid && st->start + 1 >= run->since;
}

/* Whether the process pid (its stat in st) is a live member of the run:
 * it matches the run and descends from toesd. */
static int member_ours(pid_t pid, struct proc_stat st, const struct run_id *run)
{
	for (int tries = 0; tries < ANCESTRY_TRIES; tries++) {
		if (!matches_run(&st, run) || !is_live(&st, run->self)) {
			return 0;
		}
		if (!run->subreaper) {
			return 1;
		}
		int r = descends_from(st.ppid, run->self);
		if (r >= 0) {
			return r;
		}
		if (procgroup_read_stat(pid, &st) < 0) {
			return 0; /* it ended too */
		}
	}
	return 0;
}

/* A directory name of /proc that is a pid; 0 for the others. */
static pid_t pid_named(const char *name)
{
	char *end;
	long pid = strtol(name, &end, 10);
	return name[0] >= '1' && name[0] <= '9' && *end == '\0' && pid > 0 && pid <= 0x7fffffff ? (pid_t)pid : 0;
}

/* Any task (process or thread) has the id pid. */
static int id_in_use(pid_t pid)
{
	char path[32];
	struct stat sb;
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	return stat(path, &sb) == 0;
}

/* 1 at the first live member of the run; 0 when there is none; -1 when
 * /proc could not be read to its end. */
static int scan(const struct run_id *run)
{
	static int said;
	DIR *d = opendir("/proc");
	if (!d) {
		if (!said) {
			said = 1;
			log_errno(NULL, "cannot open /proc;" FALLBACK);
		}
		return -1;
	}
	int found = 0;
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(d);
		if (!e) {
			break;
		}
		pid_t pid = pid_named(e->d_name);
		struct proc_stat st;
		if (pid && procgroup_read_stat(pid, &st) == 0 && st.pgrp == run->pgid && member_ours(pid, st, run)) {
			found = 1;
			break;
		}
	}
	int err = errno;
	closedir(d);
	if (!found && err) {
		log_msg(NULL, "cannot read /proc: %s; process group %d is checked with kill(-pgid, 0) only",
			strerror(err), (int)run->pgid);
		errno = err;
		return -1;
	}
	return found;
}

int procgroup_ours(pid_t pgid, int64_t since_ns)
{
	struct run_id run = { .pgid = pgid, .self = getpid(), .since = ns_to_ticks(since_ns) };
	if (proc_usable(run.self) < 0) {
		return -1;
	}
	/* toesd reaped the leader, so a task with its id is a new one: the id
	 * was free at some moment, and it is free only once no process is in
	 * the group or the session any more. The run's group is over. */
	if (id_in_use(pgid)) {
		return 0;
	}
	run.subreaper = is_subreaper();
	return scan(&run);
}
