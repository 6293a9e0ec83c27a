/* backoff: pick the restart delay from the configured list. */
#include "parse/backoff.h"

int64_t backoff_delay_ms(const int64_t *delays, size_t n, unsigned attempt)
{
	if (n == 0) {
		return 0;
	}
	size_t i = attempt > 0 ? (size_t)attempt - 1 : 0;
	if (i >= n) {
		i = n - 1;
	}
	return delays[i];
}
