/* test_log: toesd's own log never blocks and never loses a line without
 * counting it: a sink that fails (a full disk), then works again, gets
 * the exact count; a pipe nobody reads takes what fits, at most 64 KiB
 * wait, and once it is read the rest comes out with the count. Names and
 * texts are written escaped: one call, one line, no control characters. */
#include "check.h"

#include "base/log.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static char *slurp(const char *path, size_t *len)
{
	static char text[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, text, sizeof text - 1);
	if (fd >= 0) {
		close(fd);
	}
	text[n > 0 ? n : 0] = '\0';
	*len = n > 0 ? (size_t)n : 0;
	return text;
}

static int count(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, what)); p++) {
		n++;
	}
	return n;
}

static void test_full_disk_then_back(void)
{
	char path[300];
	size_t len;
	unsigned long before = log_lines_lost();
	CHECK_INT(log_open("/dev/full"), 0);
	for (int i = 0; i < 100; i++) {
		log_msg("app", "line %d", i);
	}
	CHECK_INT(log_lines_lost() - before, 100);
	snprintf(path, sizeof path, "%s/after.log", root);
	CHECK_INT(log_open(path), 0);
	log_msg("app", "first after");
	const char *text = slurp(path, &len);
	CHECK(strstr(text, "[toesd] 100 lines of toesd's log lost\n") != NULL);
	CHECK(strstr(text, "lost\n") < strstr(text, "first after"));
	CHECK_INT(count(text, "\n"), 2);
	CHECK_INT(log_lines_lost() - before, 100);
}

static void test_stalled_pipe(void)
{
	char fifo[300], line[200];
	size_t len;
	snprintf(fifo, sizeof fifo, "%s/err.fifo", root);
	CHECK(mkfifo(fifo, 0600) == 0);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK(rd >= 0);
	CHECK_INT(log_open(fifo), 0);
	unsigned long before = log_lines_lost();
	/* 4,000 lines of about 100 bytes: far more than the pipe and the queue. */
	memset(line, 'x', 80);
	line[80] = '\0';
	for (int i = 0; i < 4000; i++) {
		log_msg("app", "%04d %s", i, line);
	}
	unsigned long lost = log_lines_lost() - before;
	CHECK(lost > 1000 && lost < 4000);
	/* Read everything, letting the loop write what waits. */
	static char got[1 << 20];
	len = 0;
	for (int round = 0; round < 200; round++) {
		ssize_t n;
		while ((n = read(rd, got + len, sizeof got - 1 - len)) > 0) {
			len += (size_t)n;
		}
		got[len] = '\0';
		if (strstr(got, "lines of toesd's log lost\n")) {
			break;
		}
		/* The log waits to be writable: one turn of the loop writes more. */
		if (loop_fds_watched() > 0) {
			loop_run_once();
		}
	}
	got[len] = '\0';
	char want[96];
	snprintf(want, sizeof want, "[toesd] %lu lines of toesd's log lost\n", lost);
	CHECK(strstr(got, want) != NULL);
	/* Every line that arrived is whole, and the counted and the written
	 * ones add up. */
	CHECK_INT((unsigned long)count(got, "] [app] "), 4000 - lost);
	CHECK(len > 0 && got[len - 1] == '\n');
	log_open("/dev/null");
	close(rd);
}

static void test_escaped(void)
{
	char path[300];
	size_t len;
	snprintf(path, sizeof path, "%s/escaped.log", root);
	CHECK_INT(log_open(path), 0);
	const char text[] = "out\r[2026-01-01T00:00:00.000Z] [system] Forged\n[x] \x1b]52;c;aGVsbG8=\x07";
	log_stamped("2026-11-21T10:00:00.000Z", "bad\nname\x1b", text, sizeof text - 1);
	CHECK_STR(slurp(path, &len), "[2026-11-21T10:00:00.000Z] [bad\\x0aname\\x1b] out\\x0d"
		  "[2026-01-01T00:00:00.000Z] [system] Forged\\x0a[x] \\x1b]52;c;aGVsbG8=\\x07\n");
	/* The formatted text and the app name of the errno form too. */
	errno = ENOENT;
	log_errno("caf\xc3\xa9", "folder %s", "a\x9b" "b");
	const char *got = slurp(path, &len);
	CHECK_INT(count(got, "\n"), 2);
	CHECK(strstr(got, "] [caf\xc3\xa9] folder a\\x9bb: ") != NULL);
	/* Four times longer escaped: cut to the longest line, after a whole escape. */
	char escs[1500];
	memset(escs, 0x1b, sizeof escs);
	log_stamped("2026-11-21T10:00:00.000Z", "app", escs, sizeof escs);
	got = slurp(path, &len);
	const char *third = strrchr(got, ']') + 2;
	size_t n = strlen(third);
	CHECK_INT(count(got, "\n"), 3);
	CHECK(n > 1900 && n <= 2048 - 30);
	CHECK(n >= 5 && strcmp(third + n - 5, "\\x1b\n") == 0);
	log_open("/dev/null");
}

int main(void)
{
	if (check_tmpdir(root, sizeof root, "toes-log") < 0) {
		return 1;
	}
	RUN(test_full_disk_then_back);
	RUN(test_stalled_pipe);
	RUN(test_escaped);
	check_rmtree(root);
	loop_fini();
	return CHECK_EXIT();
}
