/* procgroup: whether a process group still holds a process of an app's
 * run, read from /proc. The kernel reuses a group's id once the group is
 * empty, and toesd is not told when the last member is reaped by a parent
 * outside the group; the id alone proves nothing once toesd has reaped
 * the group's leader (SPEC §7: never signal a group seen gone). */
#ifndef TOES_PROCGROUP_H
#define TOES_PROCGROUP_H

#include <stdint.h>
#include <sys/types.h>

/* Nanoseconds on CLOCK_BOOTTIME, the clock of /proc's start times; 0
 * when it cannot be read (then any start time passes). Read just before
 * a spawn, it is a time no process of the run can have started before. */
int64_t procgroup_clock_ns(void);

/* Whether group pgid has a member of the run spawned at since_ns (a
 * procgroup_clock_ns before the spawn): a process of the group and of
 * its session pgid (the run's setsid), started since then, that
 * descends from toesd. Asked only after toesd has reaped the
 * group's leader (pid pgid): a process holding that id now is a new one.
 * 1: yes; 0: no member of the run is left (the run is over; the id may
 * be another's by now); -1 with errno set: /proc cannot tell (not
 * mounted, or another pid namespace's), logged once to toesd's log. */
int procgroup_ours(pid_t pgid, int64_t since_ns);

/* The fields of /proc/PID/stat that procgroup reads. */
struct proc_stat {
	char state;                  /* R, S, D, Z, ... */
	pid_t ppid, pgrp, session;
	long threads;
	unsigned long long start;    /* clock ticks since boot */
};

/* Parse the text of one /proc/PID/stat. The command name (field 2) is in
 * parentheses and may hold anything, ')' and spaces included: the fields
 * are read after the last ')'. 0, or -1 with errno EPROTO. */
int procgroup_parse_stat(const char *text, struct proc_stat *st);
/* Read and parse /proc/PID/stat: 0, or -1 (the process is gone, or the
 * text does not parse). */
int procgroup_read_stat(pid_t pid, struct proc_stat *st);

#endif
