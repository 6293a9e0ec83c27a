/* test_versions: which version folders --keep-versions removes: those
 * past the newest N by name, never the current one or the rollback
 * target; keep 0 removes nothing. */
#include "check.h"

#include "app/versions.h"

static const char *const names[] = { "20261101-1", "20261103-1", "20261102-1", "20261105-1", "20261104-1" };
#define N (sizeof names / sizeof names[0])

/* The doomed names, in the order of names, space-separated. */
static const char *doomed_of(unsigned keep, const char *current, const char *previous)
{
	static char out[256];
	unsigned char doomed[N];
	size_t n = versions_choose(names, N, keep, current, previous, doomed);
	size_t count = 0;
	out[0] = '\0';
	for (size_t i = 0; i < N; i++) {
		if (doomed[i]) {
			strcat(out, count++ ? " " : "");
			strcat(out, names[i]);
		}
	}
	CHECK_INT(n, count);
	return out;
}

static void test_keep_zero_keeps_all(void)
{
	CHECK_STR(doomed_of(0, "20261105-1", NULL), "");
}

static void test_newest_kept(void)
{
	CHECK_STR(doomed_of(2, "20261105-1", NULL), "20261101-1 20261103-1 20261102-1");
	CHECK_STR(doomed_of(5, "20261105-1", NULL), "");
	CHECK_STR(doomed_of(9, NULL, NULL), "");
}

static void test_current_and_previous_kept(void)
{
	CHECK_STR(doomed_of(1, "20261101-1", "20261103-1"), "20261102-1 20261104-1");
	CHECK_STR(doomed_of(1, "20261105-1", "20261105-1"), "20261101-1 20261103-1 20261102-1 20261104-1");
}

int main(void)
{
	RUN(test_keep_zero_keeps_all);
	RUN(test_newest_kept);
	RUN(test_current_and_previous_kept);
	return CHECK_EXIT();
}
