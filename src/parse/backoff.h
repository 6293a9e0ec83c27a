/* backoff: the restart delay for an attempt number (SPEC §7). */
#ifndef TOES_BACKOFF_H
#define TOES_BACKOFF_H

#include <stddef.h>
#include <stdint.h>

/* The delay before restart attempt number attempt (1-based): attempt 1 is
 * delays[0], and past the end the last delay repeats. Attempt 0 is taken
 * as 1; n == 0 gives 0. */
int64_t backoff_delay_ms(const int64_t *delays, size_t n, unsigned attempt);

#endif
