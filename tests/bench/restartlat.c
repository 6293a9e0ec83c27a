/* restartlat: restart latency as a user sees it. The app under test is the
 * stamper (stamper.c), which appends "<pid> <CLOCK_REALTIME ns>" to STAMPFILE
 * as the first thing its main does. KILLS times: wait until the file's last
 * line is from a live process, let it settle, take CLOCK_REALTIME, kill -9 it,
 * wait for the line of its replacement and record stamp - kill time.
 *
 * usage: restartlat [-n KILLS] [-s SETTLE_MS] [-t TIMEOUT_MS] [-v] STAMPFILE
 *
 * Waiting costs no CPU: inotify on the file (a 2 ms poll where inotify is
 * missing; the figure comes from the stamps, so the poll only delays when
 * the tool notices). Prints, on standard output:
 *   kills N timeouts K median_ms M min_ms A max_ms B
 *   values_ms V1 V2 ...          (in kill order, µs precision)
 * -v adds one line per kill on standard error. Exit 0 if any kill was
 * measured, 1 if none, 2 on bad usage. No verdicts: figures only. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define MAX_KILLS 1000
#define POLL_MS 2

static int stamp_fd = -1;
static int ino_fd = -1;
static char buf[4096];
static size_t buf_len; /* bytes in buf not yet parsed (a partial line) */

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

/* One complete line "<pid> <ns>" from buf, if there is one. */
static int parse_line(long *pid, int64_t *ns)
{
	for (;;) {
		char *nl = memchr(buf, '\n', buf_len);
		if (!nl) {
			return 0;
		}
		*nl = '\0';
		long long p = 0, t = 0;
		int ok = sscanf(buf, "%lld %lld", &p, &t) == 2 && p > 0 && t > 0;
		size_t used = (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, buf_len - used);
		buf_len -= used;
		if (ok) {
			*pid = (long)p;
			*ns = (int64_t)t;
			return 1;
		}
		/* A malformed line: skip it. */
	}
}

/* The next line of the file, waiting up to timeout_ms (0: only what is
 * there now). 1: got one; 0: none in time. */
static int next_line(long timeout_ms, long *pid, int64_t *ns)
{
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	for (;;) {
		if (parse_line(pid, ns)) {
			return 1;
		}
		if (buf_len == sizeof buf) {
			buf_len = 0; /* a line longer than any stamp: drop it */
		}
		ssize_t n = read(stamp_fd, buf + buf_len, sizeof buf - buf_len);
		if (n > 0) {
			buf_len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
		if (left <= 0) {
			return 0;
		}
		int wait_ms = (int)((left + 999999) / 1000000);
		if (ino_fd >= 0) {
			struct pollfd p = { ino_fd, POLLIN, 0 };
			if (poll(&p, 1, wait_ms) > 0) {
				char ev[4096];
				while (read(ino_fd, ev, sizeof ev) > 0) {
				}
			}
		} else {
			sleep_ms(wait_ms < POLL_MS ? wait_ms : POLL_MS);
		}
	}
}

/* The process exists and is not a zombie. */
static int live(long pid)
{
	char path[64], st[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	ssize_t n = read(fd, st, sizeof st - 1);
	close(fd);
	if (n <= 0) {
		return 0;
	}
	st[n] = '\0';
	char *paren = strrchr(st, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* The newest line's process once it is live and not `old`: its pid, or 0
 * if none appeared within timeout_ms. */
static long wait_new_live(long old, long timeout_ms)
{
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	long pid, cur = 0;
	int64_t ns;
	for (;;) {
		while (next_line(0, &pid, &ns)) {
			cur = pid;
		}
		if (cur && cur != old && live(cur)) {
			return cur;
		}
		int64_t left = deadline - now_ns(CLOCK_MONOTONIC);
		if (left <= 0) {
			return 0;
		}
		if (next_line(left / 1000000 + 1, &pid, &ns)) {
			cur = pid;
		}
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr, "usage: restartlat [-n KILLS] [-s SETTLE_MS] [-t TIMEOUT_MS] [-v] STAMPFILE\n");
	exit(2);
}

static long num_arg(const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		usage();
	}
	return v;
}

int main(int argc, char **argv)
{
	long kills = 20, settle_ms = 100, timeout_ms = 10000;
	int verbose = 0, opt;
	while ((opt = getopt(argc, argv, "n:s:t:v")) != -1) {
		switch (opt) {
		case 'n': kills = num_arg(optarg, 1, MAX_KILLS); break;
		case 's': settle_ms = num_arg(optarg, 0, 600000); break;
		case 't': timeout_ms = num_arg(optarg, 1, 600000); break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1) {
		usage();
	}
	const char *file = argv[optind];
	stamp_fd = open(file, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (stamp_fd < 0) {
		fprintf(stderr, "restartlat: %s: %s\n", file, strerror(errno));
		return 1;
	}
	ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ino_fd >= 0 && inotify_add_watch(ino_fd, file, IN_MODIFY) < 0) {
		close(ino_fd);
		ino_fd = -1;
	}
	if (ino_fd < 0) {
		fprintf(stderr, "restartlat: no inotify (%s), polling every %d ms\n",
			strerror(errno), POLL_MS);
	}

	static int64_t lat[MAX_KILLS];
	long n = 0, timeouts = 0;
	long cur = wait_new_live(0, timeout_ms);
	for (long k = 0; k < kills && cur; k++) {
		sleep_ms(settle_ms);
		/* A restart we did not cause (it died by itself): use the newest. */
		long pid;
		int64_t ns;
		while (next_line(0, &pid, &ns)) {
			cur = pid;
		}
		if (!live(cur) && !(cur = wait_new_live(cur, timeout_ms))) {
			break;
		}
		int64_t t0 = now_ns(CLOCK_REALTIME);
		if (kill((pid_t)cur, SIGKILL) < 0) {
			fprintf(stderr, "restartlat: kill %ld: %s\n", cur, strerror(errno));
			cur = wait_new_live(cur, timeout_ms);
			continue;
		}
		int got;
		while ((got = next_line(timeout_ms, &pid, &ns)) && pid == cur) {
		}
		if (!got) {
			timeouts++;
			fprintf(stderr, "restartlat: no new process %ld ms after kill -9 %ld\n",
				timeout_ms, cur);
			cur = wait_new_live(cur, timeout_ms);
			continue;
		}
		lat[n++] = ns - t0;
		if (verbose) {
			fprintf(stderr, "kill -9 %ld at %lld.%09lld; pid %ld stamped %lld.%09lld: %.3f ms\n",
				cur, (long long)(t0 / 1000000000), (long long)(t0 % 1000000000), pid,
				(long long)(ns / 1000000000), (long long)(ns % 1000000000),
				(double)(ns - t0) / 1e6);
		}
		cur = pid;
	}
	if (n == 0) {
		printf("kills 0 timeouts %ld\n", timeouts);
		return 1;
	}
	static int64_t sorted[MAX_KILLS];
	memcpy(sorted, lat, (size_t)n * sizeof lat[0]);
	qsort(sorted, (size_t)n, sizeof sorted[0], cmp_i64);
	double median = n % 2 ? (double)sorted[n / 2]
			      : ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2;
	printf("kills %ld timeouts %ld median_ms %.3f min_ms %.3f max_ms %.3f\n", n, timeouts,
	       median / 1e6, (double)sorted[0] / 1e6, (double)sorted[n - 1] / 1e6);
	printf("values_ms");
	for (long i = 0; i < n; i++) {
		printf(" %.3f", (double)lat[i] / 1e6);
	}
	printf("\n");
	return 0;
}
