/* clock: the two clocks. Monotonic milliseconds for every deadline and
 * uptime; UTC wall time only for stamps people read. Never mix them. */
#ifndef TOES_CLOCK_H
#define TOES_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC: only for deadlines and durations. */
typedef int64_t monotime_ms;

monotime_ms clock_mono_ms(void);
/* The same clock in microseconds, for the loop's own bookkeeping. */
int64_t clock_mono_us(void);
/* Milliseconds since the epoch on CLOCK_REALTIME: only for stamps. */
int64_t clock_wall_ms(void);
/* "2026-11-21T10:00:00.000Z" (24 chars + NUL). */
void clock_format_iso(int64_t wall_ms, char out[32]);
/* "2026-11-21" (10 chars + NUL), the UTC day of a wall time. */
void clock_format_day(int64_t wall_ms, char out[16]);
/* Parse "YYYY-MM-DD" into days since the epoch; -1 when it is not a date. */
int64_t clock_parse_day(const char *s);

#endif
