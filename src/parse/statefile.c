/* statefile: parsing and writing the state file's lines. */
#include "parse/statefile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "toesd-state 1"
#define HEADER_WORD "toesd-state "
#define END_LINE "end"
/* How much of a bad field an error quotes. */
#define QUOTE_MAX 32

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- one line --- */

static int is_line(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

/* The name field s[0..n) with its escapes undone, into a new string. */
static char *unescape_name(const char *s, size_t n, unsigned line, char *err, size_t cap)
{
	char *name = malloc(n + 1);
	size_t len = 0;
	if (!name) {
		fail(err, cap, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\') {
			char e = i + 1 < n ? s[++i] : '\0';
			c = e == '\\' ? '\\' : e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\0';
			if (c == '\0') {
				fail(err, cap, "line %u: bad escape in the app name (\\\\, \\t, \\n or \\r expected)", line);
				free(name);
				return NULL;
			}
		}
		name[len++] = c;
	}
	name[len] = '\0';
	return name;
}

/* A folder name of APPS_DIR: not empty, no slash, not . or .., short. */
static int check_name(const char *name, unsigned line, char *err, size_t cap)
{
	size_t n = strlen(name);
	if (n == 0) {
		return fail(err, cap, "line %u: empty app name", line);
	}
	if (n > STATEFILE_NAME_MAX) {
		return fail(err, cap, "line %u: app name longer than %d bytes", line, STATEFILE_NAME_MAX);
	}
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		return fail(err, cap, "line %u: '%.*s' is not a folder name", line, QUOTE_MAX, name);
	}
	return 0;
}

/* "-" or 1-65535 written plainly (no sign, no leading zero). */
static int parse_port(const char *s, size_t n, int *port)
{
	if (n == 1 && s[0] == '-') {
		*port = 0;
		return 0;
	}
	if (n == 0 || n > 5 || s[0] == '0') {
		return -1;
	}
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (v > 65535) {
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* NAME<TAB>PORT<TAB>MARK into *e (its name allocated). */
static int parse_entry(const char *s, size_t n, unsigned line, struct state_entry *e,
		       char *err, size_t cap)
{
	const char *tab1 = memchr(s, '\t', n);
	const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', n - (size_t)(tab1 + 1 - s)) : NULL;
	if (!tab2 || memchr(tab2 + 1, '\t', n - (size_t)(tab2 + 1 - s))) {
		return fail(err, cap, "line %u: expected NAME<TAB>PORT<TAB>up|stopped", line);
	}
	const char *port = tab1 + 1, *mark = tab2 + 1;
	size_t port_len = (size_t)(tab2 - port), mark_len = n - (size_t)(mark - s);
	if (parse_port(port, port_len, &e->port) < 0) {
		return fail(err, cap, "line %u: bad port '%.*s' (expected 1-65535, or - for none)",
			    line, (int)(port_len < QUOTE_MAX ? port_len : QUOTE_MAX), port);
	}
	if (is_line(mark, mark_len, "up") || is_line(mark, mark_len, "stopped")) {
		e->stopped = mark[0] == 's';
	} else {
		return fail(err, cap, "line %u: bad mark '%.*s' (expected up or stopped)",
			    line, (int)(mark_len < QUOTE_MAX ? mark_len : QUOTE_MAX), mark);
	}
	e->line = line;
	e->name = unescape_name(s, (size_t)(tab1 - s), line, err, cap);
	if (!e->name) {
		return -1;
	}
	if (check_name(e->name, line, err, cap) < 0) {
		free(e->name);
		e->name = NULL;
		return -1;
	}
	return 0;
}

/* --- the whole file --- */

/* Where the parse is: the text, the next line's start and number. */
struct cursor {
	const char *text;
	size_t len, pos;
	unsigned line;
};

/* The next line (without its newline): 1; 0 at the end of the text; -1
 * when the last line has no newline (the file was cut in it). */
static int next_line(struct cursor *c, const char **s, size_t *n)
{
	if (c->pos >= c->len) {
		return 0;
	}
	c->line++;
	*s = c->text + c->pos;
	const char *nl = memchr(*s, '\n', c->len - c->pos);
	if (!nl) {
		return -1;
	}
	*n = (size_t)(nl - *s);
	c->pos += *n + 1;
	return 1;
}

static int check_header(struct cursor *c, char *err, size_t cap)
{
	const char *s;
	size_t n;
	int r = next_line(c, &s, &n);
	if (r == 0) {
		return fail(err, cap, "the file is empty (no '" HEADER "' line)");
	}
	if (r < 0) {
		return fail(err, cap, "line 1: cut short (no newline): the file is truncated");
	}
	if (is_line(s, n, HEADER)) {
		return 0;
	}
	size_t word = strlen(HEADER_WORD);
	if (n > word && memcmp(s, HEADER_WORD, word) == 0) {
		return fail(err, cap, "line 1: version '%.*s' is unknown (this toesd reads version 1)",
			    (int)(n - word < QUOTE_MAX ? n - word : QUOTE_MAX), s + word);
	}
	return fail(err, cap, "line 1: not a toesd state file ('" HEADER "' expected)");
}

static int add_entry(struct statefile *out, size_t *cap_entries, const struct state_entry *e)
{
	if (out->n == *cap_entries) {
		size_t cap = *cap_entries ? *cap_entries * 2 : 16;
		struct state_entry *p = realloc(out->entries, cap * sizeof *p);
		if (!p) {
			return -1;
		}
		out->entries = p;
		*cap_entries = cap;
	}
	out->entries[out->n++] = *e;
	return 0;
}

/* The entry lines up to `end`, which must be the last line. */
static int parse_body(struct cursor *c, struct statefile *out, char *err, size_t cap)
{
	size_t cap_entries = 0;
	const char *s;
	size_t n;
	int r;
	while ((r = next_line(c, &s, &n)) > 0) {
		if (memchr(s, '\0', n)) {
			return fail(err, cap, "line %u: a NUL byte", c->line);
		}
		if (is_line(s, n, END_LINE)) {
			if (c->pos < c->len) {
				return fail(err, cap, "line %u: text after the '" END_LINE "' line", c->line + 1);
			}
			return 0;
		}
		struct state_entry e;
		if (parse_entry(s, n, c->line, &e, err, cap) < 0) {
			return -1;
		}
		if (add_entry(out, &cap_entries, &e) < 0) {
			free(e.name);
			return fail(err, cap, "out of memory");
		}
	}
	if (r < 0) {
		return fail(err, cap, "line %u: cut short (no newline): the file is truncated", c->line);
	}
	return fail(err, cap, "no '" END_LINE "' line after line %u: the file is truncated", c->line);
}

static int by_name_then_line(const void *x, const void *y)
{
	const struct state_entry *a = x, *b = y;
	int d = strcmp(a->name, b->name);
	return d ? d : (a->line > b->line) - (a->line < b->line);
}

static int by_port_then_line(const void *x, const void *y)
{
	const struct state_entry *a = *(const struct state_entry *const *)x;
	const struct state_entry *b = *(const struct state_entry *const *)y;
	int d = (a->port > b->port) - (a->port < b->port);
	return d ? d : (a->line > b->line) - (a->line < b->line);
}

/* A name or a port listed twice: the later line is the wrong one. The
 * entries are sorted by name, then line. */
static int check_twice(const struct statefile *s, char *err, size_t cap)
{
	for (size_t i = 1; i < s->n; i++) {
		const struct state_entry *a = &s->entries[i - 1], *b = &s->entries[i];
		if (strcmp(a->name, b->name) == 0) {
			return fail(err, cap, "line %u: app '%.*s' is listed twice (first on line %u)",
				    b->line, QUOTE_MAX, b->name, a->line);
		}
	}
	const struct state_entry **booked = malloc((s->n ? s->n : 1) * sizeof *booked);
	if (!booked) {
		return fail(err, cap, "out of memory");
	}
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->entries[i].port) {
			booked[n++] = &s->entries[i];
		}
	}
	if (n > 1) {
		qsort(booked, n, sizeof *booked, by_port_then_line);
	}
	int r = 0;
	for (size_t i = 1; i < n && r == 0; i++) {
		if (booked[i]->port == booked[i - 1]->port) {
			r = fail(err, cap, "line %u: port %d is booked twice (first on line %u)",
				 booked[i]->line, booked[i]->port, booked[i - 1]->line);
		}
	}
	free(booked);
	return r;
}

int statefile_parse(const char *text, size_t len, struct statefile *out, char *err, size_t cap)
{
	struct cursor c = { text, len, 0, 0 };
	out->entries = NULL;
	out->n = 0;
	if (check_header(&c, err, cap) < 0 || parse_body(&c, out, err, cap) < 0) {
		statefile_free(out);
		return -1;
	}
	statefile_sort(out);
	if (check_twice(out, err, cap) < 0) {
		statefile_free(out);
		return -1;
	}
	return 0;
}

/* --- writing --- */

static void add_escaped_name(struct buf *out, const char *name)
{
	for (const char *p = name; *p; p++) {
		switch (*p) {
		case '\\': buf_adds(out, "\\\\"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\r': buf_adds(out, "\\r"); break;
		default: buf_addc(out, *p); break;
		}
	}
}

void statefile_format(struct buf *out, const struct state_entry *e, size_t n)
{
	buf_adds(out, HEADER "\n");
	for (size_t i = 0; i < n; i++) {
		add_escaped_name(out, e[i].name);
		if (e[i].port) {
			buf_printf(out, "\t%d", e[i].port);
		} else {
			buf_adds(out, "\t-");
		}
		buf_adds(out, e[i].stopped ? "\tstopped\n" : "\tup\n");
	}
	buf_adds(out, END_LINE "\n");
}

/* --- the entries --- */

void statefile_sort(struct statefile *s)
{
	if (s->n > 1) {
		qsort(s->entries, s->n, sizeof *s->entries, by_name_then_line);
	}
}

const struct state_entry *statefile_find(const struct statefile *s, const char *name)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(s->entries[mid].name, name);
		if (d == 0) {
			return &s->entries[mid];
		}
		if (d < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

int statefile_same(const struct statefile *a, const struct statefile *b)
{
	if (a->n != b->n) {
		return 0;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct state_entry *x = &a->entries[i], *y = &b->entries[i];
		if (x->port != y->port || x->stopped != y->stopped || strcmp(x->name, y->name) != 0) {
			return 0;
		}
	}
	return 1;
}

void statefile_free(struct statefile *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->entries[i].name);
	}
	free(s->entries);
	s->entries = NULL;
	s->n = 0;
}
