/* clock: the two clocks. Monotonic microseconds for every deadline and
 * uptime; UTC wall time only for stamps people read. Never mix them. */
#ifndef TOES_CLOCK_H
#define TOES_CLOCK_H

#include <stdint.h>

/* Microseconds on CLOCK_MONOTONIC: only for deadlines and durations.
 * Microseconds, not milliseconds: a deadline rounded to a millisecond
 * lies up to a millisecond ahead, and the loop would sleep for it. */
typedef int64_t monotime;

/* One millisecond of monotime; settings are in milliseconds. */
#define MONO_MS ((monotime)1000)

monotime clock_mono(void);
/* Milliseconds since the epoch on CLOCK_REALTIME: only for stamps. */
int64_t clock_wall_ms(void);
/* "2026-11-21T10:00:00.000Z" (24 chars + NUL). */
void clock_format_iso(int64_t wall_ms, char out[32]);
/* "2026-11-21" (10 chars + NUL), the UTC day of a wall time. */
void clock_format_day(int64_t wall_ms, char out[16]);
/* Parse "YYYY-MM-DD" into days since the epoch; -1 when it is not a date. */
int64_t clock_parse_day(const char *s);

#endif
