/* m_early: a sample unit test program for t_runner.sh that returns from
 * main before CHECK_EXIT (as a setup step that gives up with return 0
 * would): no end marker, so run.sh counts it as stopped early. */
#include "../unit/check.h"

static void test_first(void)
{
	CHECK(1);
}

int main(void)
{
	RUN(test_first);
	return 0;
}
