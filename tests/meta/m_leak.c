/* m_leak: a sample unit test program for t_runner.sh that passes and runs
 * to its end but leaks: under ASan, LeakSanitizer writes a report that
 * run.sh counts as a failure. `m_leak --sanitized` exits 0 when built with
 * ASan (so a test knows whether to expect the report) and leaks nothing. */
#include "../unit/check.h"

#define N_BLOCKS 4

/* Drops every pointer it allocates; noinline so no caller's frame keeps one. */
static __attribute__((noinline)) int leak_blocks(void)
{
	int made = 0;
	for (int i = 0; i < N_BLOCKS; i++) {
		char *volatile p = malloc(64);
		if (p) {
			memset(p, 'x', 64);
			made++;
		}
		p = NULL;
	}
	return made;
}

static void test_leaks(void)
{
	CHECK_INT(leak_blocks(), N_BLOCKS);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--sanitized") == 0) {
#ifdef __SANITIZE_ADDRESS__
		return 0;
#else
		return 1;
#endif
	}
	RUN(test_leaks);
	return CHECK_EXIT();
}
