/* m_held: a sample unit program for t_runner.sh that passes and runs to
 * its end but still holds a block through a global at its exit. Linked
 * with tests/san/lsan_strict.c in the ASan build, as toesd and the unit
 * tests are, that is a leak: LeakSanitizer's report fails the run. */
#include "../unit/check.h"

static char *held;

static void test_holds(void)
{
	held = malloc(64);
	CHECK(held != NULL);
	if (held) {
		memset(held, 'x', 64);
	}
}

int main(void)
{
	RUN(test_holds);
	return CHECK_EXIT();
}
