/* test_logfile: day files, the daily cap, lost lines and retention, driven
 * by a fake wall clock (logfile takes the time as an argument). */
#include "check.h"

#include "app/logfile.h"
#include "base/clock.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY 86400000LL
/* 2026-11-21T10:00:00.000Z */
#define T0 1795255200000LL

static char dir[256], logs[300];

static char *slurp(const char *day)
{
	static char text[65536];
	char path[400];
	snprintf(path, sizeof path, "%s/%s.log", logs, day);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		return NULL;
	}
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

static int count_lines(const char *text)
{
	int n = 0;
	for (; text && *text; text++) {
		n += *text == '\n';
	}
	return n;
}

static void fresh(void)
{
	check_rmtree(logs);
}

/* One line as toesd writes it: formatted once, stamped wall. */
static void put(struct logfile *lf, int64_t wall, enum log_tag tag, const char *text, uint64_t cap)
{
	char stamp[32], line[LOGFILE_LINE_MAX];
	clock_format_iso(wall, stamp);
	size_t n = logfile_format(line, sizeof line, stamp, tag, text, strlen(text));
	logfile_write(lf, logs, wall, tag, line, n, cap);
}

/* The next loop turn: the open file is checked again. */
static void next_turn(void)
{
	loop_advance(loop_now());
}

static void test_format(void)
{
	char out[128], stamp[32];
	clock_format_iso(T0 + 5, stamp);
	size_t n = logfile_format(out, sizeof out, stamp, LOG_STDERR, "hi", 2);
	CHECK_STR(out, "[2026-11-21T10:00:00.005Z] [stderr] hi\n");
	CHECK_INT(n, strlen(out));
	/* Cut to fit, the newline kept. */
	n = logfile_format(out, 40, stamp, LOG_STDERR, "0123456789", 10);
	CHECK_STR(out, "[2026-11-21T10:00:00.005Z] [stderr] 01\n");
	CHECK_INT(n, 39);
}

static void test_day_file_and_switch(void)
{
	fresh();
	struct logfile lf;
	logfile_init(&lf);
	put(&lf, T0, LOG_STDOUT, "one", 0);
	put(&lf, T0 + DAY, LOG_SYSTEM, "two", 0);
	logfile_close(&lf, logs, T0 + DAY);
	CHECK_STR(slurp("2026-11-21"), "[2026-11-21T10:00:00.000Z] [stdout] one\n");
	CHECK_STR(slurp("2026-11-22"), "[2026-11-22T10:00:00.000Z] [system] two\n");
	CHECK_INT(lf.fd, -1);
}

static void test_daily_cap(void)
{
	fresh();
	struct logfile lf;
	logfile_init(&lf);
	/* Each line is 37 + 10 bytes: the cap of 200 fits four. */
	for (int i = 0; i < 10; i++) {
		put(&lf, T0 + i, LOG_STDOUT, "0123456789", 200);
	}
	put(&lf, T0 + 20, LOG_SYSTEM, "system lines always go in", 200);
	CHECK_INT(count_lines(slurp("2026-11-21")), 5);
	CHECK_INT(lf.dropped, 6);
	/* The next day: the count comes first in the new file. */
	put(&lf, T0 + DAY, LOG_STDOUT, "fresh", 200);
	const char *text = slurp("2026-11-22");
	CHECK(text && strstr(text, "[system] 6 lines dropped (daily log limit)\n"));
	CHECK(text && strstr(text, "[stdout] fresh\n"));
	CHECK(text && strstr(text, "dropped") < strstr(text, "fresh"));
	logfile_close(&lf, logs, T0 + DAY);
}

static void test_cap_reported_at_close(void)
{
	fresh();
	struct logfile lf;
	logfile_init(&lf);
	for (int i = 0; i < 3; i++) {
		put(&lf, T0, LOG_STDOUT, "0123456789", 50);
	}
	logfile_close(&lf, logs, T0);
	const char *text = slurp("2026-11-21");
	CHECK(text && strstr(text, "[system] 2 lines dropped (daily log limit)"));
}

static void test_lost_lines(void)
{
	fresh();
	struct logfile lf;
	logfile_init(&lf);
	put(&lf, T0, LOG_STDOUT, "before", 0);
	/* The folder goes and a file takes its place: writes fail. */
	fresh();
	int fd = open(logs, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	close(fd);
	next_turn();
	put(&lf, T0 + 1, LOG_STDOUT, "lost 1", 0);
	put(&lf, T0 + 2, LOG_STDERR, "lost 2", 0);
	CHECK_INT(lf.lost, 2);
	unlink(logs);
	next_turn(); /* an open that failed is tried again once a turn */
	put(&lf, T0 + 3, LOG_STDOUT, "after", 0);
	CHECK_INT(lf.lost, 0);
	const char *text = slurp("2026-11-21");
	CHECK(text && strstr(text, "[system] 2 lines lost\n"));
	CHECK(text && strstr(text, "lost\n") < strstr(text, "after"));
	logfile_close(&lf, logs, T0 + 3);
}

static void test_removed_folder_recreated(void)
{
	fresh();
	struct logfile lf;
	logfile_init(&lf);
	put(&lf, T0, LOG_STDOUT, "one", 0);
	fresh();
	next_turn();
	put(&lf, T0 + 1, LOG_STDOUT, "two", 0);
	CHECK_STR(slurp("2026-11-21"), "[2026-11-21T10:00:00.001Z] [stdout] two\n");
	CHECK_INT(lf.lost, 0);
	logfile_close(&lf, logs, T0 + 1);
}

static void touch(const char *day)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s", logs, day);
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0) {
		close(fd);
	}
}

static void test_prune(void)
{
	fresh();
	mkdir(logs, 0755);
	touch("2026-11-13.log"); /* 8 days before: deleted */
	touch("2026-11-14.log"); /* 7 days before: kept */
	touch("2026-11-21.log");
	touch("notes.txt");
	touch("2026-13-01.log"); /* not a date: kept */
	CHECK_INT(logfile_prune(logs, 7, T0), 1);
	CHECK(!slurp("2026-11-13"));
	CHECK(slurp("2026-11-14") != NULL);
	CHECK(slurp("2026-11-21") != NULL);
	CHECK(slurp("2026-13-01") != NULL);
	CHECK_INT(logfile_prune(logs, 7, T0), 0);
}

/* A day file that is a link (to a root-owned script, say) or a FIFO, and
 * a logs folder that is a link: nothing written through them, the
 * refusal told once, the lines counted; writing resumes once fixed. */
static void test_refusals(void)
{
	char victim[400], day[400], elsewhere[320];
	struct logfile lf;
	fresh();
	mkdir(logs, 0755);
	snprintf(victim, sizeof victim, "%s/victim.sh", dir);
	snprintf(day, sizeof day, "%s/2026-11-21.log", logs);
	int fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0 && write(fd, "#!/bin/sh\n", 10) == 10);
	close(fd);
	CHECK(symlink(victim, day) == 0);
	logfile_init(&lf);
	char stamp[32], line[LOGFILE_LINE_MAX];
	clock_format_iso(T0, stamp);
	size_t n = logfile_format(line, sizeof line, stamp, LOG_STDOUT, "rm -rf /", 8);
	next_turn();
	CHECK_INT(logfile_write(&lf, logs, T0, LOG_STDOUT, line, n, 0), ELOOP);
	next_turn();
	CHECK_INT(logfile_write(&lf, logs, T0, LOG_STDOUT, line, n, 0), 0); /* told once */
	struct stat st;
	CHECK(stat(victim, &st) == 0 && st.st_size == 10);
	unlink(day);
	CHECK(mkfifo(day, 0644) == 0);
	next_turn();
	put(&lf, T0, LOG_STDOUT, "into a fifo", 0); /* refused, never blocks */
	CHECK_INT((long)lf.lost, 3);
	unlink(day);
	next_turn();
	put(&lf, T0, LOG_STDOUT, "back", 0);
	char *text = slurp("2026-11-21");
	CHECK(text && strstr(text, "[system] 3 lines lost") && strstr(text, "back"));
	logfile_close(&lf, logs, T0);

	/* logs itself a link to another folder: refused too. */
	fresh();
	snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", dir);
	mkdir(elsewhere, 0755);
	CHECK(symlink(elsewhere, logs) == 0);
	logfile_init(&lf);
	next_turn();
	n = logfile_format(line, sizeof line, stamp, LOG_STDOUT, "x", 1);
	CHECK_INT(logfile_write(&lf, logs, T0, LOG_STDOUT, line, n, 0), ELOOP);
	snprintf(day, sizeof day, "%s/2026-11-21.log", elsewhere);
	CHECK(access(day, F_OK) < 0);
	logfile_close(&lf, logs, T0);
	unlink(logs);
	rmdir(elsewhere);
	unlink(victim);
}

/* Prune never follows logs to another folder, and deletes only regular
 * files (a link named like an old day file is left alone). */
static void test_prune_real_files_only(void)
{
	char elsewhere[320], old[400], target[400];
	fresh();
	snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", dir);
	mkdir(elsewhere, 0755);
	snprintf(old, sizeof old, "%s/2026-11-01.log", elsewhere);
	close(open(old, O_WRONLY | O_CREAT, 0644));
	CHECK(symlink(elsewhere, logs) == 0);
	CHECK_INT(logfile_prune(logs, 7, T0), 0);
	CHECK(access(old, F_OK) == 0);
	unlink(logs);
	mkdir(logs, 0755);
	snprintf(target, sizeof target, "%s/2026-11-02.log", logs);
	CHECK(symlink(old, target) == 0);
	snprintf(target, sizeof target, "%s/2026-11-03.log", logs);
	CHECK(mkdir(target, 0755) == 0);
	CHECK_INT(logfile_prune(logs, 7, T0), 0);
	CHECK(access(old, F_OK) == 0);
	rmdir(target);
	unlink(old);
	rmdir(elsewhere);
}

int main(void)
{
	if (check_tmpdir(dir, sizeof dir, "toes-logfile") < 0) {
		return 1;
	}
	snprintf(logs, sizeof logs, "%s/logs", dir);
	RUN(test_format);
	RUN(test_day_file_and_switch);
	RUN(test_daily_cap);
	RUN(test_cap_reported_at_close);
	RUN(test_lost_lines);
	RUN(test_removed_folder_recreated);
	RUN(test_prune);
	RUN(test_refusals);
	RUN(test_prune_real_files_only);
	check_rmtree(dir);
	return CHECK_EXIT();
}
