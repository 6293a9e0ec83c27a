/* jsonedit: setting one string member of a JSON text in place, spaced as the text around it. */
#include "parse/jsonedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/json.h"

/* --- locating: a scanner over text json_parse has already validated, so
 * it needs no error paths and never runs past a closing bracket. --- */

/* Where an object's parts are: byte offsets into the text. */
struct object_shape {
	size_t open, close;                  /* its '{' and '}' */
	size_t members;
	size_t first_key;                    /* start of the first key */
	size_t sep_start, sep_end;           /* first key's end to its value: ":" or ": " */
	size_t comma_ws_start, comma_ws_end; /* the white space after the first ',' */
	size_t last_end;                     /* end of the last member's value */
};

/* A piece of text to copy: a part of the input, or a literal. */
struct span {
	const char *p;
	size_t n;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && is_ws(s[i])) {
		i++;
	}
	return i;
}

/* i at an opening quote: the offset after the closing one. */
static size_t skip_string(const char *s, size_t i)
{
	for (i++; s[i] != '"'; i++) {
		if (s[i] == '\\') {
			i++;
		}
	}
	return i + 1;
}

/* i at the start of a value: the offset after it. A container is skipped
 * by counting brackets outside strings (valid text: they balance). */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	if (s[i] == '"') {
		return skip_string(s, i);
	}
	if (s[i] != '{' && s[i] != '[') {
		while (i < len && !is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') {
			i++;
		}
		return i;
	}
	size_t depth = 0;
	do {
		if (s[i] == '"') {
			i = skip_string(s, i);
			continue;
		}
		if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
		}
		i++;
	} while (depth > 0);
	return i;
}

/* The shape of the object whose '{' is at open. */
static void shape_of(const char *s, size_t len, size_t open, struct object_shape *o)
{
	memset(o, 0, sizeof *o);
	o->open = open;
	size_t i = skip_ws(s, len, open + 1);
	while (s[i] != '}') {
		size_t key = i, key_end = skip_string(s, i);
		size_t value = skip_ws(s, len, skip_ws(s, len, key_end) + 1); /* past ':' */
		size_t value_end = skip_value(s, len, value);
		if (o->members++ == 0) {
			o->first_key = key;
			o->sep_start = key_end;
			o->sep_end = value;
		}
		o->last_end = value_end;
		i = skip_ws(s, len, value_end);
		if (s[i] == ',') {
			size_t next = skip_ws(s, len, i + 1);
			if (o->members == 1) {
				o->comma_ws_start = i + 1;
				o->comma_ws_end = next;
			}
			i = next;
		}
	}
	o->close = i;
}

/* --- style: the spacing a new member copies from its neighbours --- */

static struct span span_of(const char *s, size_t from, size_t to)
{
	return (struct span){ s + from, to - from };
}

static const struct span no_space = { "", 0 };
static const struct span one_space = { " ", 1 };

static int has_newline(struct span sp)
{
	return memchr(sp.p, '\n', sp.n) != NULL;
}

/* What goes from a key to its value in o: its first member's, else the
 * compact ":". */
static struct span separator(const char *s, const struct object_shape *o)
{
	return o->members ? span_of(s, o->sep_start, o->sep_end) : (struct span){ ":", 1 };
}

/* The white space after a new ',' among o's members: what follows its
 * first ','; with one member, what stands before it (a line of its own,
 * or "{ "); else a space when ':' is followed by one ("a": 1 on one
 * line), none otherwise. */
static struct span after_comma(const char *s, const struct object_shape *o)
{
	if (o->members > 1) {
		return span_of(s, o->comma_ws_start, o->comma_ws_end);
	}
	struct span before = span_of(s, o->open + 1, o->first_key);
	if (before.n > 0) {
		return before;
	}
	struct span sep = separator(s, o);
	return is_ws(sep.p[sep.n - 1]) ? one_space : no_space;
}

/* The spaces and tabs before o's '{' on its line: the indentation its
 * members' own indentation is counted from. */
static struct span brace_indent(const char *s, const struct object_shape *o)
{
	size_t j = o->open;
	while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t')) {
		j--;
	}
	return span_of(s, j, o->open);
}

static void add_span(struct buf *b, struct span sp)
{
	buf_add(b, sp.p, sp.n);
}

/* value as a JSON string: '"', '\\' and C0 controls escaped (JSON allows
 * nothing else raw), the rest copied. */
static void add_string(struct buf *b, const char *v, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

/* "key" sep value. */
static void add_member(struct buf *b, const char *key, struct span sep, const char *v, size_t n)
{
	add_string(b, key, strlen(key));
	add_span(b, sep);
	add_string(b, v, n);
}

/* --- the three edits --- */

/* What the edit is about. */
struct edit {
	const char *text;
	size_t len;
	const char *outer, *inner;
	const char *value;
	size_t value_len;
	struct buf *out;
};

/* out = text[0, from) + what emit adds + text[to, len). */
static void splice_head(const struct edit *e, size_t from)
{
	buf_add(e->out, e->text, from);
}

static void splice_tail(const struct edit *e, size_t to)
{
	buf_add(e->out, e->text + to, e->len - to);
}

/* inner's value (at [start, end)) replaced by the new string. */
static void replace_value(const struct edit *e, size_t start, size_t end)
{
	splice_head(e, start);
	add_string(e->out, e->value, e->value_len);
	splice_tail(e, end);
}

/* "inner": value as the first member of outer, whose '{' is at open;
 * root gives the spacing when outer is empty. */
static void insert_first(const struct edit *e, const struct object_shape *root, size_t open)
{
	struct object_shape o;
	shape_of(e->text, e->len, open, &o);
	if (o.members == 0) {
		splice_head(e, open + 1);
		add_member(e->out, e->inner, separator(e->text, root), e->value, e->value_len);
		splice_tail(e, open + 1);
		return;
	}
	splice_head(e, o.first_key);
	add_member(e->out, e->inner, separator(e->text, &o), e->value, e->value_len);
	buf_addc(e->out, ',');
	add_span(e->out, after_comma(e->text, &o));
	splice_tail(e, o.first_key);
}

/* {"inner": value} laid out over lines: ws is what precedes the new
 * member (a newline and its indentation); one more step in is the
 * member's indentation less the indentation of the top level's '{'. */
static void add_object_lines(const struct edit *e, const struct object_shape *root, struct span ws)
{
	const char *last_nl = memrchr(ws.p, '\n', ws.n);
	struct span indent = { last_nl + 1, (size_t)(ws.p + ws.n - (last_nl + 1)) };
	int crlf = last_nl > ws.p && last_nl[-1] == '\r';
	struct span nl = crlf ? (struct span){ "\r\n", 2 } : (struct span){ "\n", 1 };
	struct span base = brace_indent(e->text, root), step = indent;
	if (indent.n >= base.n && memcmp(indent.p, base.p, base.n) == 0) {
		step = (struct span){ indent.p + base.n, indent.n - base.n };
	}
	buf_addc(e->out, '{');
	add_span(e->out, nl);
	add_span(e->out, indent);
	add_span(e->out, step);
	add_member(e->out, e->inner, separator(e->text, root), e->value, e->value_len);
	add_span(e->out, nl);
	add_span(e->out, indent);
	buf_addc(e->out, '}');
}

/* {"inner": value} on one line, inside its braces the white space the
 * top level has after its '{' ("{ " style), on both sides, when that
 * stays on the line. */
static void add_object_inline(const struct edit *e, const struct object_shape *root)
{
	struct span pad = span_of(e->text, root->open + 1, root->first_key);
	if (has_newline(pad)) {
		pad = no_space;
	}
	buf_addc(e->out, '{');
	add_span(e->out, pad);
	add_member(e->out, e->inner, separator(e->text, root), e->value, e->value_len);
	add_span(e->out, pad);
	buf_addc(e->out, '}');
}

/* "outer": {"inner": value} as the last member of the top level. */
static void insert_outer(const struct edit *e, const struct object_shape *root)
{
	if (root->members == 0) {
		struct span sep = separator(e->text, root);
		splice_head(e, root->open + 1);
		add_string(e->out, e->outer, strlen(e->outer));
		add_span(e->out, sep);
		buf_addc(e->out, '{');
		add_member(e->out, e->inner, sep, e->value, e->value_len);
		buf_addc(e->out, '}');
		splice_tail(e, root->open + 1);
		return;
	}
	struct span ws = after_comma(e->text, root);
	splice_head(e, root->last_end);
	buf_addc(e->out, ',');
	add_span(e->out, ws);
	add_string(e->out, e->outer, strlen(e->outer));
	add_span(e->out, separator(e->text, root));
	if (has_newline(ws)) {
		add_object_lines(e, root, ws);
	} else {
		add_object_inline(e, root);
	}
	splice_tail(e, root->last_end);
}

/* --- the entry --- */

/* rc, with the message subject + what. */
static int fail(struct jsonedit_error *err, int rc, const char *subject, const char *what)
{
	if (err) {
		err->line = err->column = 0;
		snprintf(err->msg, sizeof err->msg, "%s%s", subject, what);
	}
	return rc;
}

/* Whether string node decodes to exactly the value. -1: out of memory. */
static int holds_value(const struct json_doc *doc, int node, const struct edit *e)
{
	size_t n;
	char *s = json_string(doc, node, &n);
	if (!s) {
		return -1;
	}
	int same = n == e->value_len && memcmp(s, e->value, n) == 0;
	free(s);
	return same;
}

/* The edit on a parsed doc: which of the three it is. */
static int edit_doc(const struct json_doc *doc, const struct edit *e, struct jsonedit_error *err)
{
	if (doc->nodes[0].type != JSON_OBJECT) {
		return fail(err, JSONEDIT_NOT_OBJECT, "the top level", " is not an object");
	}
	struct object_shape root;
	shape_of(e->text, e->len, doc->nodes[0].start, &root);
	int outer = json_get(doc, 0, e->outer);
	if (outer < 0) {
		insert_outer(e, &root);
		return JSONEDIT_CHANGED;
	}
	if (doc->nodes[outer].type != JSON_OBJECT) {
		return fail(err, JSONEDIT_NOT_OBJECT, e->outer, " is not an object");
	}
	int inner = json_get(doc, outer, e->inner);
	if (inner < 0) {
		insert_first(e, &root, doc->nodes[outer].start);
		return JSONEDIT_CHANGED;
	}
	if (doc->nodes[inner].type == JSON_STRING) {
		int same = holds_value(doc, inner, e);
		if (same != 0) {
			return same < 0 ? JSONEDIT_NO_MEMORY : JSONEDIT_SAME;
		}
	}
	replace_value(e, doc->nodes[inner].start, doc->nodes[inner].end);
	return JSONEDIT_CHANGED;
}

int jsonedit_set_string(const char *text, size_t len, const char *outer, const char *inner,
			const char *value, size_t value_len, struct buf *out,
			struct jsonedit_error *err)
{
	if (!json_utf8_valid(value, value_len)) {
		return fail(err, JSONEDIT_BAD_VALUE, "the new value", " is not valid UTF-8");
	}
	/* Nodes only for root.outer.inner (every outer, every inner in it):
	 * all else is validated, and located by the scanner above. */
	const struct json_keep inner_keep[] = { { inner, NULL }, { NULL, NULL } };
	const struct json_keep outer_keep[] = { { outer, inner_keep }, { NULL, NULL } };
	struct json_doc doc;
	struct json_error jerr;
	if (json_parse_kept(&doc, text, len, outer_keep, &jerr) < 0) {
		if (strcmp(jerr.msg, "out of memory") == 0) {
			return fail(err, JSONEDIT_NO_MEMORY, "out of memory", "");
		}
		if (err) {
			err->line = jerr.line;
			err->column = jerr.column;
			snprintf(err->msg, sizeof err->msg, "%s", jerr.msg);
		}
		return JSONEDIT_BAD_JSON;
	}
	struct edit e = { text, len, outer, inner, value, value_len, out };
	size_t had = out->len;
	int rc = edit_doc(&doc, &e, err);
	json_free(&doc);
	if (out->failed) {
		out->len = had;
		return fail(err, JSONEDIT_NO_MEMORY, "out of memory", "");
	}
	return rc;
}
