/* check.h: the unit-test harness. Each RUN prints "PASS name" or
 * "FAIL name"; tests/run.sh counts those lines. main ends with
 * `return CHECK_EXIT();`, which prints the end marker DONE: a program whose
 * output lacks it stopped early, and run.sh counts that as a failure. */
#ifndef TOES_CHECK_H
#define TOES_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;      /* failures inside the current test */
static int check_failed_tests;  /* tests that failed in this binary */

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_INT(got, want) do { \
	long long check_g_ = (long long)(got), check_w_ = (long long)(want); \
	if (check_g_ != check_w_) { \
		printf("  %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, \
		       #got, check_g_, check_w_); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *check_g_ = (got), *check_w_ = (want); \
	if (!check_g_ || strcmp(check_g_, check_w_) != 0) { \
		printf("  %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
		       #got, check_g_ ? check_g_ : "(null)", check_w_); \
		check_failures++; \
	} \
} while (0)

/* The PASS or FAIL line of the test that just ran. */
static inline void check_report(const char *name)
{
	if (check_failures) {
		printf("FAIL %s\n", name);
		check_failed_tests++;
	} else {
		printf("PASS %s\n", name);
	}
	fflush(stdout);
}

/* Run one test function and report it. */
#define RUN(fn) do { \
	check_failures = 0; \
	fn(); \
	check_report(#fn); \
} while (0)

/* The last thing main does: the end marker, then 1 if any test failed. */
static inline int check_exit(void)
{
	printf("DONE\n");
	fflush(stdout);
	return check_failed_tests ? 1 : 0;
}

#define CHECK_EXIT() check_exit()

#include <stdlib.h>

/* A fresh folder under $TMPDIR (or /tmp) named after prefix, into out.
 * 0, or -1 with a FAIL line. */
static inline int check_tmpdir(char *out, size_t cap, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(out, cap, "%s/%s.XXXXXX", tmp ? tmp : "/tmp", prefix);
	if (!mkdtemp(out)) {
		printf("FAIL setup: mkdtemp %s\n", out);
		return -1;
	}
	return 0;
}

/* rm -rf path; says so when it cannot. */
static inline void check_rmtree(const char *path)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	if (system(cmd) != 0) {
		printf("  cannot remove %s\n", path);
	}
}

#endif
