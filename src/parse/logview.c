/* logview: the words of `toesctl logs`, day file names, stamps, and the
 * backward scan for the last lines. */
#include "parse/logview.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Digits only into a size_t; a number past SIZE_MAX is SIZE_MAX (a huge
 * -n means "everything", as with tail). -1 when s is not all digits. */
static int parse_count(const char *s, size_t *out)
{
	size_t v = 0;
	if (!*s) {
		return -1;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return -1;
		}
		unsigned d = (unsigned)(*s - '0');
		v = v > (SIZE_MAX - d) / 10 ? SIZE_MAX : v * 10 + d;
	}
	*out = v;
	return 0;
}

static int say(char *err, size_t cap, const char *what, const char *word)
{
	snprintf(err, cap, "%s '%s' (usage: " LOGVIEW_USAGE ")", what, word);
	return -1;
}

static int set_lines(struct logview_args *a, const char *v, char *err, size_t cap)
{
	if (parse_count(v, &a->lines) < 0) {
		snprintf(err, cap, "bad value for -n: '%s' (expected a number of lines, 0 or more)", v);
		return -1;
	}
	return 0;
}

static int set_date(struct logview_args *a, const char *v, char *err, size_t cap)
{
	if (!logview_date_ok(v)) {
		snprintf(err, cap, "bad value for --date: '%s' (expected a day as YYYY-MM-DD)", v);
		return -1;
	}
	a->date = v;
	return 0;
}

/* An option that takes a value: from the word itself ("-n5", "--date=D":
 * the word is longer than the flag) or the next one. Advances *i past
 * what it used. */
static int take_value(int n, char *const *words, int *i, size_t flag_len, const char **v,
		      char *err, size_t cap)
{
	const char *w = words[*i];
	if (w[flag_len]) {
		*v = w + flag_len + (w[1] == '-'); /* the '=' of a long option */
		return 0;
	}
	if (*i + 1 >= n) {
		snprintf(err, cap, "missing value for %s (usage: " LOGVIEW_USAGE ")", w);
		return -1;
	}
	*i += 1;
	*v = words[*i];
	return 0;
}

static int set_name(struct logview_args *a, const char *w, char *err, size_t cap)
{
	if (a->name) {
		snprintf(err, cap, "logs takes one NAME at most, got '%s' and '%s' (usage: " LOGVIEW_USAGE ")",
			 a->name, w);
		return -1;
	}
	a->name = w;
	return 0;
}

/* One option word at words[*i]; advances *i past a value it used. */
static int parse_option(int n, char *const *words, int *i, struct logview_args *a, char *err, size_t cap)
{
	const char *w = words[*i], *v;
	if (strcmp(w, "-f") == 0) {
		a->follow = 1;
		return 0;
	}
	if (strncmp(w, "-n", 2) == 0) {
		return take_value(n, words, i, 2, &v, err, cap) < 0 ? -1 : set_lines(a, v, err, cap);
	}
	if (strcmp(w, "--date") == 0 || strncmp(w, "--date=", 7) == 0) {
		return take_value(n, words, i, 6, &v, err, cap) < 0 ? -1 : set_date(a, v, err, cap);
	}
	return say(err, cap, "unknown option", w);
}

int logview_parse_args(int n, char *const *words, struct logview_args *out, char *err, size_t cap)
{
	struct logview_args a = { .lines = LOGVIEW_DEFAULT_LINES };
	int names_only = 0;
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		int r;
		if (!names_only && strcmp(w, "--") == 0) {
			names_only = 1;
			continue;
		}
		if (!names_only && w[0] == '-' && w[1]) {
			r = parse_option(n, words, &i, &a, err, cap);
		} else {
			r = set_name(&a, w, err, cap);
		}
		if (r < 0) {
			return -1;
		}
	}
	*out = a;
	return 0;
}

static int digits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 1;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* s[0..10) is a date; what follows is the caller's to check. */
static int date_at(const char *s)
{
	unsigned y, m, d;
	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) {
		return 0;
	}
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int logview_date_ok(const char *s)
{
	return date_at(s) && s[10] == '\0';
}

int logview_is_day_file(const char *name)
{
	return date_at(name) && strcmp(name + 10, ".log") == 0;
}

int logview_name_ok(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/');
}

size_t logview_stamp(const char *line, size_t len, const char **at)
{
	if (len < 3 || line[0] != '[' || line[1] < '0' || line[1] > '9') {
		return 0;
	}
	size_t n = 1;
	while (1 + n < len && n <= LOGVIEW_STAMP_MAX && line[1 + n] != ']') {
		if (!strchr("0123456789:.-+TZ", line[1 + n]) || !line[1 + n]) {
			return 0;
		}
		n++;
	}
	if (1 + n >= len || n > LOGVIEW_STAMP_MAX) {
		return 0;
	}
	*at = line + 1;
	return n;
}

int logview_scan_back(const char *p, size_t len, size_t *need, size_t *at)
{
	if (*need == 0) {
		*at = len;
		return 1;
	}
	const char *nl = p + len;
	/* memrchr: the blocks are big and newlines comparatively rare. */
	while (nl > p && (nl = memrchr(p, '\n', (size_t)(nl - p)))) {
		if (--*need == 0) {
			*at = (size_t)(nl - p) + 1;
			return 1;
		}
	}
	return 0;
}
