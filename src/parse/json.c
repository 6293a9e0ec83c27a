/* json: a strict RFC 8259 parser into a flat node array, string decoding, compact output. */
#include "parse/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which members of a container get nodes: all (json_parse), those a keep
 * list names (json_parse_kept), or none. */
enum keep_mode { KEEP_ALL, KEEP_SOME, KEEP_NONE };

/* One open array or object: its node, its last child so far, and whether a
 * member has been seen (so the next one needs a ','); whether it has a
 * node at all, and which of its members get one. */
struct frame {
	uint32_t node;
	uint32_t last;
	int started;
	enum json_type type;
	int stored;
	enum keep_mode mode;
	const struct json_keep *keep; /* KEEP_SOME: the names kept */
};

/* The parser keeps open containers on a fixed stack instead of recursing,
 * so nesting costs no C stack and stops at JSON_MAX_DEPTH. */
struct parser {
	const unsigned char *text;
	size_t len;
	size_t pos;
	size_t origin;          /* first byte after a BOM */
	struct json_node *nodes;
	size_t count, cap;
	struct frame stack[JSON_MAX_DEPTH];
	int depth;
	/* For the value about to be parsed: whether it gets a node, and which
	 * of its members do (a container's). */
	int storing;
	enum keep_mode next_mode;
	const struct json_keep *next_keep;
	size_t err_pos;
	const char *err_msg;
};

static int fail(struct parser *p, size_t pos, const char *msg)
{
	p->err_pos = pos;
	p->err_msg = msg;
	return -1;
}

/* Fail at the current position; at the end of input, say so instead. */
static int fail_here(struct parser *p, const char *msg)
{
	if (p->pos >= p->len) {
		return fail(p, p->len, "unexpected end of input");
	}
	return fail(p, p->pos, msg);
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? p->text[p->pos] : -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->text[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			return;
		}
		p->pos++;
	}
}

/* Append a node and link it as the last child of the open container;
 * a value that is not kept gets none (0 is returned, linked nowhere). */
static int add_node(struct parser *p, enum json_type type, size_t start, size_t end)
{
	if (!p->storing) {
		return 0;
	}
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct json_node *n = realloc(p->nodes, cap * sizeof *n);
		if (!n) {
			return fail(p, start, "out of memory");
		}
		p->nodes = n;
		p->cap = cap;
	}
	uint32_t idx = (uint32_t)p->count++;
	p->nodes[idx] = (struct json_node){ type, (uint32_t)start, (uint32_t)end, 0, 0 };
	if (p->depth > 0) {
		struct frame *f = &p->stack[p->depth - 1];
		if (f->last == 0) {
			p->nodes[f->node].child = idx;
		} else {
			p->nodes[f->last].next = idx;
		}
		f->last = idx;
	}
	return (int)idx;
}

/* Length of the valid UTF-8 sequence at s (Unicode Table 3-7), 0 if invalid
 * or truncated. The second byte's range excludes overlongs (E0, F0),
 * surrogates (ED) and code points above U+10FFFF (F4). */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need;
	if (c < 0x80) {
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		lo = c == 0xE0 ? 0xA0 : lo;
		hi = c == 0xED ? 0x9F : hi;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		lo = c == 0xF0 ? 0x90 : lo;
		hi = c == 0xF4 ? 0x8F : hi;
	} else {
		return 0;
	}
	if (n < need || s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (size_t k = 2; k < need; k++) {
		if (s[k] < 0x80 || s[k] > 0xBF) {
			return 0;
		}
	}
	return need;
}

int json_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_length(u + i, n - i);
		if (k == 0) {
			return 0;
		}
		i += k;
	}
	return 1;
}

/* The 4 hex digits at s[at..], or -1 if they are not there. */
static long hex4(const unsigned char *s, size_t len, size_t at)
{
	long v = 0;
	if (at > len || len - at < 4) {
		return -1;
	}
	for (size_t k = at; k < at + 4; k++) {
		unsigned char c = s[k];
		int d;
		if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (c >= 'a' && c <= 'f') {
			d = c - 'a' + 10;
		} else if (c >= 'A' && c <= 'F') {
			d = c - 'A' + 10;
		} else {
			return -1;
		}
		v = v * 16 + d;
	}
	return v;
}

/* Check the \u escape at *i (the backslash), with its low surrogate if the
 * first one is high; a lone surrogate is an error. */
static int scan_unicode_escape(struct parser *p, size_t *i)
{
	size_t at = *i;
	long cp = hex4(p->text, p->len, at + 2);
	if (cp < 0) {
		return fail(p, at, "invalid \\u escape");
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return fail(p, at, "lone surrogate in \\u escape");
	}
	if (cp < 0xD800 || cp > 0xDBFF) {
		*i = at + 6;
		return 0;
	}
	if (at + 8 > p->len || p->text[at + 6] != '\\' || p->text[at + 7] != 'u') {
		return fail(p, at, "lone surrogate in \\u escape");
	}
	long lo = hex4(p->text, p->len, at + 8);
	if (lo < 0) {
		return fail(p, at + 6, "invalid \\u escape");
	}
	if (lo < 0xDC00 || lo > 0xDFFF) {
		return fail(p, at, "lone surrogate in \\u escape");
	}
	*i = at + 12;
	return 0;
}

/* Check the escape whose backslash is at *i and move past it. */
static int scan_escape(struct parser *p, size_t *i)
{
	size_t at = *i;
	if (at + 1 >= p->len) {
		return fail(p, p->len, "unexpected end of input");
	}
	unsigned char e = p->text[at + 1];
	if (e == 'u') {
		return scan_unicode_escape(p, i);
	}
	if (e == 0 || !strchr("\"\\/bfnrt", e)) {
		return fail(p, at, "invalid escape");
	}
	*i = at + 2;
	return 0;
}

/* Validate the string starting at the quote at p->pos; p->pos ends
 * after its closing quote. */
static int scan_string(struct parser *p)
{
	size_t i = p->pos + 1;
	while (i < p->len) {
		unsigned char c = p->text[i];
		if (c == '"') {
			p->pos = i + 1;
			return 0;
		}
		if (c == '\\') {
			if (scan_escape(p, &i) < 0) {
				return -1;
			}
			continue;
		}
		if (c < 0x20) {
			return fail(p, i, "control character in string");
		}
		size_t n = utf8_length(p->text + i, p->len - i);
		if (n == 0) {
			return fail(p, i, "invalid UTF-8");
		}
		i += n;
	}
	return fail(p, p->len, "unexpected end of input");
}

/* A string value: validated, and its node added. */
static int parse_string(struct parser *p)
{
	size_t start = p->pos;
	if (scan_string(p) < 0) {
		return -1;
	}
	return add_node(p, JSON_STRING, start, p->pos);
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Letters, digits and the characters of a number: what may not directly
 * follow a number or a literal. */
static int is_word(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		|| c == '.' || c == '+' || c == '-' || c == '_';
}

/* One or more digits; 0 if there is none. */
static int scan_digits(struct parser *p)
{
	size_t s = p->pos;
	while (is_digit(peek(p))) {
		p->pos++;
	}
	return p->pos > s;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int parse_number(struct parser *p)
{
	size_t start = p->pos;
	if (peek(p) == '-') {
		p->pos++;
	}
	if (peek(p) == '0') {
		p->pos++;
	} else if (!scan_digits(p)) {
		return fail_here(p, "invalid number");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!scan_digits(p)) {
			return fail_here(p, "invalid number");
		}
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-') {
			p->pos++;
		}
		if (!scan_digits(p)) {
			return fail_here(p, "invalid number");
		}
	}
	if (is_word(peek(p))) {
		return fail(p, p->pos, "invalid number");
	}
	return add_node(p, JSON_NUMBER, start, p->pos);
}

static int parse_literal(struct parser *p, const char *word, enum json_type type)
{
	size_t start = p->pos, n = strlen(word);
	for (size_t k = 0; k < n; k++, p->pos++) {
		if (p->pos >= p->len) {
			return fail(p, p->len, "unexpected end of input");
		}
		if (p->text[p->pos] != (unsigned char)word[k]) {
			return fail(p, start, "invalid literal");
		}
	}
	if (is_word(peek(p))) {
		return fail(p, start, "invalid literal");
	}
	return add_node(p, type, start, p->pos);
}

static int open_container(struct parser *p, enum json_type type)
{
	if (p->depth == JSON_MAX_DEPTH) {
		return fail(p, p->pos, "too deeply nested");
	}
	int idx = add_node(p, type, p->pos, p->pos + 1);
	if (idx < 0) {
		return -1;
	}
	p->stack[p->depth++] = (struct frame){
		.node = (uint32_t)idx, .type = type, .stored = p->storing,
		.mode = p->storing ? p->next_mode : KEEP_NONE, .keep = p->next_keep,
	};
	p->pos++;
	return 0;
}

static void close_container(struct parser *p)
{
	p->pos++;
	struct frame *f = &p->stack[p->depth - 1];
	if (f->stored) {
		p->nodes[f->node].end = (uint32_t)p->pos;
	}
	p->depth--;
}

static size_t decode_unit(const struct json_doc *doc, size_t *i, char *out);

/* The entry of keep named by the key string at [start, end) (quotes
 * included), decoded; NULL when none is. */
static const struct json_keep *kept_as(const struct parser *p, const struct json_keep *keep,
				       size_t start, size_t end)
{
	char name[32];
	size_t n = 0;
	struct json_doc view = { .text = (const char *)p->text, .len = p->len };
	for (size_t i = start + 1; i < end - 1;) {
		char unit[4];
		size_t u = decode_unit(&view, &i, unit);
		if (n + u >= sizeof name) {
			return NULL; /* longer than any name kept */
		}
		memcpy(name + n, unit, u);
		n += u;
	}
	name[n] = '\0';
	for (; keep && keep->key; keep++) {
		if (strlen(keep->key) == n && memcmp(keep->key, name, n) == 0) {
			return keep;
		}
	}
	return NULL;
}

/* What the next element of an array in f gets: all its members are kept
 * or none are (a keep list names object members only). */
static void choose_element(struct parser *p, const struct frame *f)
{
	p->storing = f->stored && f->mode == KEEP_ALL;
	p->next_mode = p->storing ? KEEP_ALL : KEEP_NONE;
	p->next_keep = NULL;
}

/* What the member named by the key at [start, end) of an object in f
 * gets: a node for its key and value when kept, and for the value's own
 * members what its keep entry says. */
static void choose_member(struct parser *p, const struct frame *f, size_t start, size_t end)
{
	if (!f->stored || f->mode == KEEP_NONE) {
		p->storing = 0;
		p->next_mode = KEEP_NONE;
		p->next_keep = NULL;
		return;
	}
	if (f->mode == KEEP_ALL) {
		p->storing = 1;
		p->next_mode = KEEP_ALL;
		p->next_keep = NULL;
		return;
	}
	const struct json_keep *k = kept_as(p, f->keep, start, end);
	p->storing = k != NULL;
	p->next_mode = k && k->members ? KEEP_SOME : KEEP_NONE;
	p->next_keep = k ? k->members : NULL;
}

/* Start the value at p->pos (after white space): a scalar is parsed whole,
 * a container is opened. msg says what was expected. */
static int begin_value(struct parser *p, const char *msg)
{
	int c = peek(p);
	switch (c) {
	case '{':
		return open_container(p, JSON_OBJECT);
	case '[':
		return open_container(p, JSON_ARRAY);
	case '"':
		return parse_string(p);
	case 't':
		return parse_literal(p, "true", JSON_TRUE);
	case 'f':
		return parse_literal(p, "false", JSON_FALSE);
	case 'n':
		return parse_literal(p, "null", JSON_NULL);
	default:
		if (c == '-' || is_digit(c)) {
			return parse_number(p);
		}
		return fail_here(p, msg);
	}
}

/* An object member: key, ':', then the start of its value. */
static int begin_member(struct parser *p, const struct frame *f, const char *msg)
{
	if (peek(p) != '"') {
		return fail_here(p, msg);
	}
	size_t start = p->pos;
	if (scan_string(p) < 0) {
		return -1;
	}
	choose_member(p, f, start, p->pos);
	if (add_node(p, JSON_STRING, start, p->pos) < 0) {
		return -1;
	}
	skip_ws(p);
	if (peek(p) != ':') {
		return fail_here(p, "expected ':'");
	}
	p->pos++;
	skip_ws(p);
	return begin_value(p, "expected value");
}

/* One step inside the innermost open container: close it, or start its
 * next member (after a ',' unless it is the first). */
static int step(struct parser *p)
{
	struct frame *f = &p->stack[p->depth - 1];
	int is_object = f->type == JSON_OBJECT;
	skip_ws(p);
	if (peek(p) == (is_object ? '}' : ']')) {
		close_container(p);
		return 0;
	}
	if (f->started) {
		if (peek(p) != ',') {
			return fail_here(p, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
		}
		p->pos++;
		skip_ws(p);
		if (is_object) {
			return begin_member(p, f, "expected string");
		}
		choose_element(p, f);
		return begin_value(p, "expected value");
	}
	f->started = 1;
	if (is_object) {
		return begin_member(p, f, "expected string or '}'");
	}
	choose_element(p, f);
	return begin_value(p, "expected value or ']'");
}

static int parse_document(struct parser *p)
{
	if (p->len > JSON_MAX_LEN) {
		return fail(p, 0, "input too large");
	}
	if (p->len >= 3 && memcmp(p->text, "\xEF\xBB\xBF", 3) == 0) {
		p->pos = p->origin = 3;
	}
	skip_ws(p);
	if (begin_value(p, "expected value") < 0) {
		return -1;
	}
	while (p->depth > 0) {
		if (step(p) < 0) {
			return -1;
		}
	}
	skip_ws(p);
	if (p->pos < p->len) {
		return fail(p, p->pos, "expected end of input");
	}
	return 0;
}

/* Turn the failing byte offset into a 1-based line and byte column. */
static void report(const struct parser *p, struct json_error *err)
{
	size_t line = 1, line_start = p->origin;
	size_t stop = p->err_pos < p->len ? p->err_pos : p->len;
	for (size_t i = p->origin; i < stop; i++) {
		if (p->text[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	}
	err->line = (int)line;
	err->column = (int)(p->err_pos >= line_start ? p->err_pos - line_start + 1 : 1);
	snprintf(err->msg, sizeof err->msg, "%s", p->err_msg);
}

int json_parse(struct json_doc *doc, const char *text, size_t len,
	       struct json_error *err)
{
	return json_parse_kept(doc, text, len, NULL, err);
}

int json_parse_kept(struct json_doc *doc, const char *text, size_t len,
		    const struct json_keep *keep, struct json_error *err)
{
	struct parser p;
	memset(&p, 0, sizeof p);
	memset(doc, 0, sizeof *doc);
	p.text = (const unsigned char *)text;
	p.len = len;
	p.storing = 1;
	p.next_mode = keep ? KEEP_SOME : KEEP_ALL;
	p.next_keep = keep;
	if (parse_document(&p) < 0) {
		free(p.nodes);
		if (err) {
			report(&p, err);
		}
		return -1;
	}
	doc->text = text;
	doc->len = len;
	doc->nodes = p.nodes;
	doc->count = p.count;
	if (err) {
		memset(err, 0, sizeof *err);
	}
	return 0;
}

void json_free(struct json_doc *doc)
{
	free(doc->nodes);
	memset(doc, 0, sizeof *doc);
}

static int node_ok(const struct json_doc *doc, int node)
{
	return doc && doc->nodes && node >= 0 && (size_t)node < doc->count;
}

static size_t utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode one character of a string that json_parse validated, starting at
 * *i; write its UTF-8 bytes (at most 4) to out and return how many. */
static size_t decode_unit(const struct json_doc *doc, size_t *i, char *out)
{
	const unsigned char *s = (const unsigned char *)doc->text;
	size_t at = *i;
	if (s[at] != '\\') {
		out[0] = (char)s[at];
		*i = at + 1;
		return 1;
	}
	*i = at + 2;
	switch (s[at + 1]) {
	case 'b': out[0] = '\b'; return 1;
	case 'f': out[0] = '\f'; return 1;
	case 'n': out[0] = '\n'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'u': break;
	default: out[0] = (char)s[at + 1]; return 1;
	}
	unsigned long cp = (unsigned long)hex4(s, doc->len, at + 2);
	*i = at + 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		unsigned long lo = (unsigned long)hex4(s, doc->len, at + 8);
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		*i = at + 12;
	}
	return utf8_encode(cp, out);
}

char *json_string(const struct json_doc *doc, int node, size_t *len)
{
	if (!node_ok(doc, node) || doc->nodes[node].type != JSON_STRING) {
		return NULL;
	}
	size_t i = doc->nodes[node].start + 1, stop = doc->nodes[node].end - 1;
	/* Decoding never grows: each escape is longer than its UTF-8. */
	char *out = malloc(stop - i + 1);
	if (!out) {
		return NULL;
	}
	size_t n = 0;
	while (i < stop) {
		n += decode_unit(doc, &i, out + n);
	}
	out[n] = '\0';
	if (len) {
		*len = n;
	}
	return out;
}

/* Whether string node decodes to exactly the n bytes at key. */
static int string_equals(const struct json_doc *doc, uint32_t node,
			 const char *key, size_t n)
{
	size_t i = doc->nodes[node].start + 1, stop = doc->nodes[node].end - 1;
	size_t k = 0;
	char unit[4];
	while (i < stop) {
		size_t u = decode_unit(doc, &i, unit);
		if (u > n - k || memcmp(key + k, unit, u) != 0) {
			return 0;
		}
		k += u;
	}
	return k == n;
}

int json_get(const struct json_doc *doc, int obj, const char *key)
{
	if (!node_ok(doc, obj) || doc->nodes[obj].type != JSON_OBJECT) {
		return -1;
	}
	size_t n = strlen(key);
	int found = -1;
	uint32_t k = doc->nodes[obj].child;
	while (k != 0) {
		uint32_t v = doc->nodes[k].next;
		if (string_equals(doc, k, key, n)) {
			found = (int)v;
		}
		k = doc->nodes[v].next;
	}
	return found;
}

void json_write_compact(const struct json_doc *doc, int node, struct buf *out)
{
	if (!node_ok(doc, node)) {
		return;
	}
	/* From the text, which json_parse validated: every byte but the white
	 * space between tokens, so a value kept without its members (by
	 * json_parse_kept) is written whole. */
	const char *s = doc->text;
	size_t i = doc->nodes[node].start, end = doc->nodes[node].end, run = i;
	int in_string = 0;
	for (; i < end; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\') {
				i++;
			} else if (c == '"') {
				in_string = 0;
			}
		} else if (c == '"') {
			in_string = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			buf_add(out, s + run, i - run);
			run = i + 1;
		}
	}
	buf_add(out, s + run, end - run);
}
