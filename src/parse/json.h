/* json: a strict RFC 8259 parser into a flat node array (no recursion on input depth). */
#ifndef TOES_JSON_H
#define TOES_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Limits: 64 nested arrays/objects are accepted, 65 are an error; so is
 * input longer than JSON_MAX_LEN bytes. */
#define JSON_MAX_DEPTH 64
#define JSON_MAX_LEN 1048576

enum json_type {
	JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING,
	JSON_ARRAY, JSON_OBJECT
};

/* One value. Indices point into json_doc.nodes; 0 means "none" for next and
 * child, which is safe because node 0 is always the root. */
struct json_node {
	enum json_type type;
	uint32_t start, end; /* byte range [start, end) in text; strings include quotes */
	uint32_t next;       /* index of the next sibling, 0 = none */
	uint32_t child;      /* first child, 0 = none; object children alternate
	                      * key (a string node) and value */
};

struct json_doc {
	const char *text;    /* borrowed: must outlive the doc */
	size_t len;
	struct json_node *nodes;
	size_t count;
};

struct json_error {
	int line, column;    /* 1-based; column in bytes (a leading BOM is not counted) */
	char msg[96];        /* what was expected, e.g. "expected ',' or '}'" */
};

/*
 * Parse len bytes of text (need not be NUL-terminated). A UTF-8 BOM at the
 * very start is skipped. Strings must be valid UTF-8 (no overlongs, no
 * encoded surrogates, nothing above U+10FFFF). A \u escape of a lone
 * surrogate (a high one not followed by a \u low one, or a low one alone) is
 * rejected, so every decoded string is valid UTF-8.
 * Returns 0 (node 0 is the root) or -1 with err filled (err may be NULL);
 * on error doc holds no memory.
 */
int json_parse(struct json_doc *doc, const char *text, size_t len,
	       struct json_error *err);

/* The members json_parse_kept gives nodes: an array ending with a NULL
 * key. members NULL: the value's node is kept, with its byte range,
 * but none of its own members get one. */
struct json_keep {
	const char *key;
	const struct json_keep *members;
};

/* json_parse, with nodes only for the root and the members keep names,
 * at any depth (names compared decoded); everything else is checked just
 * as strictly but costs no memory: a 1 MiB package.json takes a few
 * nodes, not a million. */
int json_parse_kept(struct json_doc *doc, const char *text, size_t len,
		    const struct json_keep *keep, struct json_error *err);

/* Release the nodes (not the text). Safe on a zeroed or failed doc. */
void json_free(struct json_doc *doc);

/* The value of the LAST member of object obj named key (duplicate keys: the
 * last one wins, as JSON.parse), compared after decoding escapes; -1 when
 * there is none or obj is not an object. */
int json_get(const struct json_doc *doc, int obj, const char *key);

/* The decoded string of node (escapes and surrogate pairs turned into
 * UTF-8), malloc'd and NUL-terminated; *len (if len is not NULL) excludes the
 * terminator, and the string may hold NUL bytes. NULL when node is not a
 * string or memory ran out. */
char *json_string(const struct json_doc *doc, int node, size_t *len);

/* Append the value of node with no insignificant white space; strings and
 * numbers are copied as they are in the source (a value kept without its
 * members by json_parse_kept is written whole). */
void json_write_compact(const struct json_doc *doc, int node, struct buf *out);

/* 1 when the n bytes at s are valid UTF-8 (the rules json_parse applies). */
int json_utf8_valid(const char *s, size_t n);

#endif
