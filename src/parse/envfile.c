/* envfile: parse the KEY=VALUE env files of SPEC §4.3; reports, never prints. */
#include "parse/envfile.h"

#include <stdlib.h>
#include <string.h>

enum line_result { LINE_OK, LINE_SKIP, LINE_BAD };

/* Where each line's outcome goes. */
struct envfile_sink {
	envfile_set_fn set;
	envfile_bad_fn bad;
	void *ctx;
};

/* White space trimmed from both ends of a line. */
static int is_edge_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* White space inside a line: around '=', before a comment, after a quote. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_key_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9');
}

static size_t count_blanks(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_blank(s[i])) {
		i++;
	}
	return i;
}

static void trim_line(const char **s, size_t *n)
{
	while (*n > 0 && is_edge_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_edge_space((*s)[*n - 1])) {
		(*n)--;
	}
}

/* Drop "export" and its blanks when a key follows them ("export =1" sets
 * the key "export"). */
static void skip_export(const char **s, size_t *n)
{
	static const char word[] = "export";
	size_t w = sizeof word - 1;
	if (*n <= w || memcmp(*s, word, w) != 0) {
		return;
	}
	size_t b = count_blanks(*s + w, *n - w);
	if (b == 0 || w + b >= *n || !is_key_start((*s)[w + b])) {
		return;
	}
	*s += w + b;
	*n -= w + b;
}

static size_t key_length(const char *s, size_t n)
{
	if (n == 0 || !is_key_start(s[0])) {
		return 0;
	}
	size_t i = 1;
	while (i < n && is_key_char(s[i])) {
		i++;
	}
	return i;
}

/* What may follow a closing quote: nothing, blanks, or blanks and a comment. */
static enum line_result check_tail(const char *s, size_t n)
{
	size_t b = count_blanks(s, n);
	if (b == n || (b > 0 && s[b] == '#')) {
		return LINE_OK;
	}
	return LINE_BAD;
}

/* s[0] is the opening quote. Decodes into out, NUL-terminated. */
static enum line_result parse_quoted(const char *s, size_t n, char *out)
{
	char q = s[0];
	size_t i = 1, o = 0;
	for (;;) {
		if (i >= n) {
			return LINE_BAD;
		}
		char c = s[i];
		if (c == q) {
			break;
		}
		if (q == '"' && c == '\\' && i + 1 < n &&
		    (s[i + 1] == 'n' || s[i + 1] == '"' || s[i + 1] == '\\')) {
			out[o++] = s[i + 1] == 'n' ? '\n' : s[i + 1];
			i += 2;
			continue;
		}
		out[o++] = c;
		i++;
	}
	out[o] = '\0';
	return check_tail(s + i + 1, n - i - 1);
}

/* s is everything after '='. A '#' after a blank starts a comment. */
static enum line_result parse_unquoted(const char *s, size_t n, char *out)
{
	for (size_t i = 1; i < n; i++) {
		if (s[i] == '#' && is_blank(s[i - 1])) {
			n = i;
			break;
		}
	}
	size_t b = count_blanks(s, n);
	s += b;
	n -= b;
	while (n > 0 && is_blank(s[n - 1])) {
		n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return LINE_OK;
}

static enum line_result parse_value(const char *s, size_t n, char *out)
{
	size_t b = count_blanks(s, n);
	if (b < n && (s[b] == '"' || s[b] == '\'')) {
		return parse_quoted(s + b, n - b, out);
	}
	return parse_unquoted(s, n, out);
}

/* out has room for n + 2 bytes: the key, its NUL, the value and its NUL.
 * On LINE_OK, *value points into out (the key starts at out). */
static enum line_result parse_line(const char *s, size_t n, char *out, char **value)
{
	if (memchr(s, '\0', n)) {
		return LINE_BAD;
	}
	trim_line(&s, &n);
	if (n == 0 || s[0] == '#') {
		return LINE_SKIP;
	}
	skip_export(&s, &n);
	size_t k = key_length(s, n);
	if (k == 0) {
		return LINE_BAD;
	}
	memcpy(out, s, k);
	out[k] = '\0';
	size_t b = k + count_blanks(s + k, n - k);
	if (b >= n || s[b] != '=') {
		return LINE_BAD;
	}
	*value = out + k + 1;
	return parse_value(s + b + 1, n - b - 1, *value);
}

static void handle_line(const struct envfile_sink *sink, const char *s, size_t n, int line)
{
	char small[256];
	char *out = small;
	if (n + 2 > sizeof small) {
		out = malloc(n + 2);
	}
	enum line_result r = LINE_BAD;
	char *value = NULL;
	if (out) {
		r = parse_line(s, n, out, &value);
	}
	if (r == LINE_OK && sink->set) {
		sink->set(sink->ctx, out, value);
	} else if (r == LINE_BAD && sink->bad) {
		sink->bad(sink->ctx, line);
	}
	if (out != small) {
		free(out);
	}
}

void envfile_parse(const char *text, size_t len, envfile_set_fn set,
		   envfile_bad_fn bad, void *ctx)
{
	struct envfile_sink sink = { set, bad, ctx };
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		line++;
		handle_line(&sink, s, n, line);
	}
}
