/* clock: monotonic deadlines and UTC wall stamps. */
#include "base/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

monotime clock_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (monotime)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void split_utc(int64_t wall_ms, struct tm *tm, int *ms)
{
	int64_t sec = wall_ms / 1000;
	*ms = (int)(wall_ms % 1000);
	if (*ms < 0) {
		*ms += 1000;
		sec--;
	}
	time_t t = (time_t)sec;
	if (!gmtime_r(&t, tm)) {
		memset(tm, 0, sizeof *tm);
		tm->tm_year = 70;
		tm->tm_mday = 1;
	}
}

/* width decimal digits of v (0 <= v < 10^width) at out. */
static char *put_digits(char *out, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out + width;
}

/* "YYYY-MM-DD" at out; years outside 0..9999 are clamped. */
static char *put_day(char *out, const struct tm *tm)
{
	int year = tm->tm_year + 1900;
	out = put_digits(out, year < 0 ? 0 : year > 9999 ? 9999 : year, 4);
	*out++ = '-';
	out = put_digits(out, tm->tm_mon + 1, 2);
	*out++ = '-';
	return put_digits(out, tm->tm_mday, 2);
}

void clock_format_iso(int64_t wall_ms, char out[32])
{
	struct tm tm;
	int ms;
	split_utc(wall_ms, &tm, &ms);
	char *p = put_day(out, &tm);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, ms, 3);
	*p++ = 'Z';
	*p = '\0';
}

void clock_format_day(int64_t wall_ms, char out[16])
{
	struct tm tm;
	int ms;
	split_utc(wall_ms, &tm, &ms);
	*put_day(out, &tm) = '\0';
}

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t clock_parse_day(const char *s)
{
	for (int i = 0; i < 10; i++) {
		int dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
			return -1;
		}
	}
	if (s[10] != '\0') {
		return -1;
	}
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31) {
		return -1;
	}
	return days_from_civil(y, m, d);
}
