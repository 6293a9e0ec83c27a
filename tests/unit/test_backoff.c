/* test_backoff: restart delays by attempt number. */
#include "check.h"
#include "parse/backoff.h"

#include <limits.h>

static void test_default_delays(void)
{
	static const int64_t d[] = { 1000, 2000, 4000, 8000, 16000, 32000 };
	static const struct { unsigned attempt; int64_t want; } cases[] = {
		{ 0, 1000 }, { 1, 1000 }, { 2, 2000 }, { 3, 4000 }, { 4, 8000 },
		{ 5, 16000 }, { 6, 32000 }, { 7, 32000 }, { 8, 32000 },
		{ 100, 32000 }, { UINT_MAX, 32000 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(backoff_delay_ms(d, 6, cases[i].attempt), cases[i].want);
	}
}

static void test_short_lists(void)
{
	static const int64_t zero[] = { 0 };
	static const int64_t two[] = { 100, 5000 };
	CHECK_INT(backoff_delay_ms(zero, 1, 1), 0);
	CHECK_INT(backoff_delay_ms(zero, 1, 9), 0);
	CHECK_INT(backoff_delay_ms(two, 2, 1), 100);
	CHECK_INT(backoff_delay_ms(two, 2, 2), 5000);
	CHECK_INT(backoff_delay_ms(two, 2, 3), 5000);
	CHECK_INT(backoff_delay_ms(two, 1, 3), 100);
	CHECK_INT(backoff_delay_ms(NULL, 0, 1), 0);
	CHECK_INT(backoff_delay_ms(two, 0, 2), 0);
}

int main(void)
{
	RUN(test_default_delays);
	RUN(test_short_lists);
	return CHECK_EXIT();
}
