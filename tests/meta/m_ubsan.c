/* m_ubsan: a sample unit test program for t_runner.sh. Built with the
 * sanitizers, it overflows a signed int after its test passed: UBSan
 * reports it on standard error and aborts, so the report line and the
 * missing end marker each count as a failure. Built without, it passes. */
#include "../unit/check.h"

#include <limits.h>

static void test_first(void)
{
	CHECK(1);
}

static __attribute__((noinline)) int add(int a, int b)
{
	return a + b;
}

int main(void)
{
	RUN(test_first);
#ifdef __SANITIZE_ADDRESS__
	volatile int big = INT_MAX;
	printf("%d\n", add(big, 1));
#else
	(void)add;
#endif
	return CHECK_EXIT();
}
