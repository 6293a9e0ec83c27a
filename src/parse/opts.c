/* opts: strict parsing of durations, sizes, ports and counts; no printing. */
#include "parse/opts.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A whole number of ms never needs more than 5 significant fraction digits
 * (a minute is 6 * 10^4 ms), so longer fractions are refused early, before
 * they could overflow. */
#define MAX_FRACTION_DIGITS 6

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at s[*i..n) into *v; -1 on none or on overflow past max. */
static int parse_digits(const char *s, size_t n, size_t *i, uint64_t max, uint64_t *v)
{
	size_t start = *i;
	uint64_t x = 0;
	while (*i < n && is_digit(s[*i])) {
		unsigned d = (unsigned)(s[*i] - '0');
		if (x > (max - d) / 10) {
			return -1;
		}
		x = x * 10 + d;
		(*i)++;
	}
	*v = x;
	return *i > start ? 0 : -1;
}

/* The ms in the unit named by s[0..n) (none: seconds); 0 when unknown. */
static uint64_t unit_ms(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == 's')) {
		return 1000;
	}
	if (n == 1 && s[0] == 'm') {
		return 60000;
	}
	if (n == 2 && s[0] == 'm' && s[1] == 's') {
		return 1;
	}
	return 0;
}

/* The fraction digits at s[*i..n) as f / 10^*digits, trailing zeros dropped. */
static int parse_fraction(const char *s, size_t n, size_t *i, uint64_t *f, unsigned *digits)
{
	size_t start = *i;
	size_t end = start;
	while (end < n && is_digit(s[end])) {
		end++;
	}
	*i = end;
	while (end > start && s[end - 1] == '0') {
		end--;
	}
	if (*i == start || end - start > MAX_FRACTION_DIGITS) {
		return -1;
	}
	*f = 0;
	for (size_t k = start; k < end; k++) {
		*f = *f * 10 + (uint64_t)(s[k] - '0');
	}
	*digits = (unsigned)(end - start);
	return 0;
}

/* whole.fraction * unit as exact ms within INT64_MAX, or -1. */
static int combine(uint64_t whole, uint64_t f, unsigned digits, uint64_t unit, int64_t *ms)
{
	uint64_t scale = 1;
	for (unsigned k = 0; k < digits; k++) {
		scale *= 10;
	}
	uint64_t part = f * unit;  /* < 10^6 * 6 * 10^4 */
	if (part % scale != 0) {
		return -1;
	}
	part /= scale;
	uint64_t max = (uint64_t)INT64_MAX;
	if (whole > (max - part) / unit) {
		return -1;
	}
	*ms = (int64_t)(whole * unit + part);
	return 0;
}

/* One duration in s[0..n). */
static int parse_duration(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0;
	uint64_t whole, f = 0;
	unsigned digits = 0;
	if (parse_digits(s, n, &i, UINT64_MAX, &whole) < 0) {
		return -1;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (parse_fraction(s, n, &i, &f, &digits) < 0) {
			return -1;
		}
	}
	uint64_t unit = unit_ms(s + i, n - i);
	if (unit == 0) {
		return -1;
	}
	return combine(whole, f, digits, unit, ms);
}

int opt_duration_ms(const char *s, int64_t *ms)
{
	return parse_duration(s, strlen(s), ms);
}

int opt_size_bytes(const char *s, uint64_t *bytes)
{
	size_t n = strlen(s), i = 0;
	uint64_t v;
	if (parse_digits(s, n, &i, UINT64_MAX, &v) < 0) {
		return -1;
	}
	unsigned shift = 0;
	if (i + 1 == n) {
		switch (s[i]) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		default: return -1;
		}
	} else if (i != n) {
		return -1;
	}
	if (v > (UINT64_MAX >> shift)) {
		return -1;
	}
	*bytes = v << shift;
	return 0;
}

int opt_port_range(const char *s, int *lo, int *hi)
{
	size_t n = strlen(s), i = 0;
	uint64_t a, b;
	if (parse_digits(s, n, &i, 65535, &a) < 0) {
		return -1;
	}
	b = a;
	if (i < n && s[i] == '-') {
		i++;
		if (parse_digits(s, n, &i, 65535, &b) < 0) {
			return -1;
		}
	}
	if (i != n || a < 1 || a > b) {
		return -1;
	}
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

int opt_delays(const char *s, int64_t *out, size_t cap, size_t *n)
{
	size_t count = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (count == cap || parse_duration(p, len, &out[count]) < 0) {
			return -1;
		}
		count++;
		if (!comma) {
			break;
		}
		p = comma + 1;
	}
	*n = count;
	return 0;
}

int opt_uint(const char *s, unsigned *out)
{
	size_t n = strlen(s), i = 0;
	uint64_t v;
	if (parse_digits(s, n, &i, UINT_MAX, &v) < 0 || i != n) {
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

void opt_format_duration(char *buf, size_t cap, int64_t ms)
{
	uint64_t m = ms < 0 ? 0 - (uint64_t)ms : (uint64_t)ms;
	const char *sign = ms < 0 ? "-" : "";
	unsigned frac = (unsigned)(m % 1000);
	unsigned long long whole = (unsigned long long)(m / 1000);
	if (cap == 0) {
		return;
	}
	if (frac == 0) {
		snprintf(buf, cap, "%s%llus", sign, whole);
		return;
	}
	int width = 3;
	while (frac % 10 == 0) {
		frac /= 10;
		width--;
	}
	snprintf(buf, cap, "%s%llu.%0*us", sign, whole, width, frac);
}
