/* test_json: table tests of the JSON parser, plus a walk of the conformance corpus. */
#include "check.h"
#include "parse/json.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char *corpus_dir = "../shared/corpus/json/test_parsing";

/* Read a whole file; NULL on failure. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		return NULL;
	}
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
	}
	fclose(f);
	*len = b.len;
	if (!b.data) {
		return calloc(1, 1);
	}
	return b.data;
}

/* An accepted text's strings decode to valid UTF-8, and its compact form
 * parses to the same compact form. */
static int check_accepted(const char *text, size_t len)
{
	struct json_doc doc, again;
	int ok = json_parse(&doc, text, len, NULL) == 0;
	for (size_t i = 0; ok && i < doc.count; i++) {
		if (doc.nodes[i].type == JSON_STRING) {
			size_t n;
			char *s = json_string(&doc, (int)i, &n);
			ok = s && json_utf8_valid(s, n);
			free(s);
		}
	}
	struct buf first = { 0 }, second = { 0 };
	json_write_compact(&doc, 0, &first);
	if (ok && json_parse(&again, first.data, first.len, NULL) == 0) {
		json_write_compact(&again, 0, &second);
		ok = first.len == second.len && memcmp(first.data, second.data, first.len) == 0;
		json_free(&again);
	} else {
		ok = 0;
	}
	buf_free(&first);
	buf_free(&second);
	json_free(&doc);
	return ok;
}

static int parses(const char *text, size_t len, struct json_error *err)
{
	struct json_doc doc;
	int rc = json_parse(&doc, text, len, err);
	json_free(&doc);
	if (rc == 0 && !check_accepted(text, len)) {
		printf("  accepted text fails decode or compact round trip\n");
		check_failures++;
	}
	return rc;
}

/* Parse one corpus file and check the verdict its name prefix demands. */
/* json_parse_kept judges every text as json_parse does (same error, same
 * place), and keeps nodes only for what it was asked. */
static const struct json_keep inner_kept[] = { { "b", NULL }, { NULL, NULL } };
static const struct json_keep some_kept[] = { { "a", inner_kept }, { NULL, NULL } };

static int same_verdict(const char *text, size_t len)
{
	struct json_doc full, kept;
	struct json_error e1, e2;
	int r1 = json_parse(&full, text, len, &e1);
	int r2 = json_parse_kept(&kept, text, len, some_kept, &e2);
	int ok = r1 == r2 && (r1 == 0 || (e1.line == e2.line && e1.column == e2.column &&
					  strcmp(e1.msg, e2.msg) == 0));
	if (r1 == 0 && r2 == 0) {
		ok = ok && kept.count <= full.count;
	}
	json_free(&full);
	json_free(&kept);
	return ok;
}

static int check_corpus_file(const char *name, int *counts)
{
	char path[4096];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/%s", corpus_dir, name);
	char *text = read_all(path, &len);
	if (!text) {
		printf("  cannot read %s\n", path);
		return 0;
	}
	struct json_error err;
	int rc = parses(text, len, &err);
	int same = same_verdict(text, len);
	free(text);
	if (!same) {
		printf("  %s: json_parse_kept judged it otherwise\n", name);
		return 0;
	}
	int ok = 1;
	if (name[0] == 'y') {
		counts[0]++;
		ok = rc == 0;
	} else if (name[0] == 'n') {
		counts[1]++;
		ok = rc == -1 && err.line >= 1 && err.column >= 1 && err.msg[0];
	} else {
		counts[2]++;
	}
	if (!ok) {
		printf("  %s: rc %d (%d:%d %s)\n", name, rc, err.line, err.column, err.msg);
	}
	return ok;
}

static void test_corpus(void)
{
	DIR *d = opendir(corpus_dir);
	CHECK(d != NULL);
	if (!d) {
		printf("  cannot open %s\n", corpus_dir);
		return;
	}
	int counts[3] = { 0, 0, 0 };
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[1] != '_') {
			continue;
		}
		CHECK(check_corpus_file(e->d_name, counts));
	}
	closedir(d);
	printf("  corpus: %d y_ accepted, %d n_ rejected, %d i_ returned\n",
	       counts[0], counts[1], counts[2]);
	CHECK(counts[0] > 0);
	CHECK(counts[1] > 0);
}

/* Each row: a JSON string literal and the bytes it decodes to. */
static const struct {
	const char *json;
	const char *want;
	size_t want_len;
} decode_rows[] = {
	{ "\"plain\"", "plain", 5 },
	{ "\"\"", "", 0 },
	{ "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 7 },
	{ "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5 },
	{ "\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6 },
	{ "\"\\uD834\\uDD1E\"", "\xf0\x9d\x84\x9e", 4 },
	{ "\"\\ud83d\\udc3e\"", "\xf0\x9f\x90\xbe", 4 },
	{ "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4 },
	{ "\"\\uFFFF\"", "\xef\xbf\xbf", 3 },
	{ "\"a\\u0000b\"", "a\0b", 3 },
	{ "\"\\u0000\"", "\0", 1 },
	{ "\"caf\xc3\xa9 \xf0\x9f\x90\xbe\"", "caf\xc3\xa9 \xf0\x9f\x90\xbe", 10 },
	{ "\"\\u005C\\u0022\"", "\\\"", 2 },
};

static void test_decode(void)
{
	for (size_t i = 0; i < sizeof decode_rows / sizeof decode_rows[0]; i++) {
		struct json_doc doc;
		const char *j = decode_rows[i].json;
		CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
		size_t len = 99;
		char *s = json_string(&doc, 0, &len);
		CHECK(s != NULL);
		if (s) {
			CHECK_INT(len, decode_rows[i].want_len);
			CHECK(memcmp(s, decode_rows[i].want, len) == 0);
			CHECK_INT(s[len], 0);
		}
		free(s);
		json_free(&doc);
	}
}

/* Each row: input, then the error's line, column and message. */
static const struct {
	const char *json;
	int line, column;
	const char *msg;
} error_rows[] = {
	{ "{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}'" },
	{ "", 1, 1, "unexpected end of input" },
	{ "   \n  ", 2, 3, "unexpected end of input" },
	{ "[1,2", 1, 5, "unexpected end of input" },
	{ "[1,]", 1, 4, "expected value" },
	{ "[,1]", 1, 2, "expected value or ']'" },
	{ "[1 2]", 1, 4, "expected ',' or ']'" },
	{ "{\"a\" 1}", 1, 6, "expected ':'" },
	{ "{,}", 1, 2, "expected string or '}'" },
	{ "{\"a\":1,}", 1, 8, "expected string" },
	{ "{\"a\":}", 1, 6, "expected value" },
	{ "[] x", 1, 4, "expected end of input" },
	{ "[01]", 1, 3, "invalid number" },
	{ "[-]", 1, 3, "invalid number" },
	{ "[1.]", 1, 4, "invalid number" },
	{ "[1e+]", 1, 5, "invalid number" },
	{ "[1x]", 1, 3, "invalid number" },
	{ "[tru]", 1, 2, "invalid literal" },
	{ "[nulll]", 1, 2, "invalid literal" },
	{ "[nul", 1, 5, "unexpected end of input" },
	{ "\"abc", 1, 5, "unexpected end of input" },
	{ "\"a\nb\"", 1, 3, "control character in string" },
	{ "\"a\tb\"", 1, 3, "control character in string" },
	{ "\"a\\xb\"", 1, 3, "invalid escape" },
	{ "\"\\u12G4\"", 1, 2, "invalid \\u escape" },
	{ "\"\\u12", 1, 2, "invalid \\u escape" },
	{ "\"\\", 1, 3, "unexpected end of input" },
	{ "\"\\uD800\"", 1, 2, "lone surrogate in \\u escape" },
	{ "\"\\uDC00\"", 1, 2, "lone surrogate in \\u escape" },
	{ "\"\\uD800\\u0041\"", 1, 2, "lone surrogate in \\u escape" },
	{ "\"\\uD800\\uD800\"", 1, 2, "lone surrogate in \\u escape" },
	{ "\"\\uD800\\uZZZZ\"", 1, 8, "invalid \\u escape" },
	{ "\"\xc0\x80\"", 1, 2, "invalid UTF-8" },          /* overlong NUL */
	{ "\"\xc1\xbf\"", 1, 2, "invalid UTF-8" },          /* overlong */
	{ "\"\xe0\x80\xaf\"", 1, 2, "invalid UTF-8" },      /* overlong '/' */
	{ "\"\xf0\x80\x80\xaf\"", 1, 2, "invalid UTF-8" },  /* overlong '/' */
	{ "\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8" },      /* U+D800 encoded */
	{ "\"\xed\xbf\xbf\"", 1, 2, "invalid UTF-8" },      /* U+DFFF encoded */
	{ "\"\xf4\x90\x80\x80\"", 1, 2, "invalid UTF-8" },  /* U+110000 */
	{ "\"\xf5\x80\x80\x80\"", 1, 2, "invalid UTF-8" },
	{ "\"\xff\"", 1, 2, "invalid UTF-8" },
	{ "\"ab\x80\"", 1, 4, "invalid UTF-8" },            /* lone continuation */
	{ "\"\xe2\x82\"", 1, 2, "invalid UTF-8" },          /* truncated */
	{ "\"\xe2\x82", 1, 2, "invalid UTF-8" },            /* truncated at end */
	{ "[\xc3\xa9]", 1, 2, "expected value or ']'" },
	{ "[1,\r\n2\r\n3]", 3, 1, "expected ',' or ']'" },
	{ "[\"\xc3\xa9\xc3\xa9\" 1]", 1, 9, "expected ',' or ']'" },
	{ "\xef\xbb\xbf[1,]", 1, 4, "expected value" },
	{ "\xef\xbb\xbf", 1, 1, "unexpected end of input" },
	{ "[\xef\xbb\xbf]", 1, 2, "expected value or ']'" },
	{ "\xef\xbb", 1, 1, "expected value" },
	{ "NaN", 1, 1, "expected value" },
};

static void test_errors(void)
{
	for (size_t i = 0; i < sizeof error_rows / sizeof error_rows[0]; i++) {
		const char *j = error_rows[i].json;
		struct json_error err;
		struct json_doc doc;
		int rc = json_parse(&doc, j, strlen(j), &err);
		CHECK_INT(rc, -1);
		CHECK(doc.nodes == NULL);
		if (err.line != error_rows[i].line || err.column != error_rows[i].column
		    || strcmp(err.msg, error_rows[i].msg) != 0) {
			printf("  row %zu: got %d:%d %s, want %d:%d %s\n", i, err.line,
			       err.column, err.msg, error_rows[i].line,
			       error_rows[i].column, error_rows[i].msg);
			check_failures++;
		}
	}
}

static void test_duplicate_keys(void)
{
	const char *j = "{\"a\":1,\"b\":2,\"a\":3,\"\\u0061\":4,\"c\":{\"a\":5},"
		"\"k\\u0000x\":6,\"\":7}";
	struct json_doc doc;
	CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
	int a = json_get(&doc, 0, "a");
	CHECK(a > 0);
	if (a > 0) {
		CHECK_INT(doc.nodes[a].type, JSON_NUMBER);
		CHECK_INT(j[doc.nodes[a].start], '4');
	}
	int b = json_get(&doc, 0, "b");
	CHECK(b > 0 && j[doc.nodes[b].start] == '2');
	int c = json_get(&doc, 0, "c");
	CHECK(c > 0 && doc.nodes[c].type == JSON_OBJECT);
	int ca = json_get(&doc, c, "a");
	CHECK(ca > 0 && j[doc.nodes[ca].start] == '5');
	CHECK_INT(json_get(&doc, 0, "k"), -1);
	CHECK_INT(json_get(&doc, 0, "missing"), -1);
	int empty = json_get(&doc, 0, "");
	CHECK(empty > 0 && j[doc.nodes[empty].start] == '7');
	CHECK_INT(json_get(&doc, a, "a"), -1);      /* not an object */
	CHECK_INT(json_get(&doc, -1, "a"), -1);
	CHECK_INT(json_get(&doc, 9999, "a"), -1);
	CHECK(json_string(&doc, a, NULL) == NULL);  /* not a string */
	CHECK(json_string(&doc, 9999, NULL) == NULL);
	json_free(&doc);
	CHECK(doc.nodes == NULL);
	json_free(&doc);
}

/* n arrays nested in each other, optionally as object members. */
static int parse_nested(int n, int objects, struct json_error *err)
{
	struct buf b = { 0 };
	for (int i = 0; i < n; i++) {
		buf_adds(&b, objects && i % 2 ? "{\"k\":" : "[");
	}
	buf_adds(&b, "0");
	for (int i = n - 1; i >= 0; i--) {
		buf_adds(&b, objects && i % 2 ? "}" : "]");
	}
	int rc = parses(b.data, b.len, err);
	buf_free(&b);
	return rc;
}

static void test_depth(void)
{
	struct json_error err;
	CHECK_INT(parse_nested(1, 0, &err), 0);
	CHECK_INT(parse_nested(64, 0, &err), 0);
	CHECK_INT(parse_nested(64, 1, &err), 0);
	CHECK_INT(parse_nested(65, 0, &err), -1);
	CHECK_STR(err.msg, "too deeply nested");
	CHECK_INT(err.line, 1);
	CHECK_INT(err.column, 65);
	CHECK_INT(parse_nested(65, 1, &err), -1);
	CHECK_STR(err.msg, "too deeply nested");
	CHECK_INT(parse_nested(100000, 0, &err), -1);
	CHECK_STR(err.msg, "too deeply nested");
	/* Siblings do not add depth. */
	struct buf b = { 0 };
	buf_adds(&b, "[");
	for (int i = 0; i < 1000; i++) {
		buf_adds(&b, i ? ",[[]]" : "[[]]");
	}
	buf_adds(&b, "]");
	CHECK_INT(parses(b.data, b.len, &err), 0);
	buf_free(&b);
}

static void test_size_limit(void)
{
	size_t n = JSON_MAX_LEN + 1;
	char *text = malloc(n);
	CHECK(text != NULL);
	if (!text) {
		return;
	}
	memset(text, 'a', n);
	text[0] = '"';
	text[JSON_MAX_LEN - 1] = '"';
	struct json_error err;
	CHECK_INT(parses(text, JSON_MAX_LEN, &err), 0);
	text[JSON_MAX_LEN - 1] = 'a';
	text[n - 1] = '"';
	CHECK_INT(parses(text, n, &err), -1);
	CHECK_STR(err.msg, "input too large");
	free(text);
}

static void test_bom_and_length(void)
{
	struct json_doc doc;
	const char *j = "\xef\xbb\xbf {\"a\":true}";
	CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
	CHECK_INT(doc.nodes[0].type, JSON_OBJECT);
	CHECK_INT(doc.nodes[0].start, 4);
	json_free(&doc);
	/* Only len bytes are read: the text need not end in NUL. */
	CHECK_INT(json_parse(&doc, "[1]garbage", 3, NULL), 0);
	json_free(&doc);
	CHECK_INT(json_parse(&doc, "12345", 2, NULL), 0);
	CHECK_INT(doc.nodes[0].end, 2);
	json_free(&doc);
	CHECK_INT(parses("\"ab\"", 3, NULL), -1);
	struct json_error err;
	CHECK_INT(parses("[1]\0", 4, &err), -1);    /* a NUL after the value */
	CHECK_INT(err.column, 4);
	CHECK_STR(err.msg, "expected end of input");
	CHECK_INT(parses(NULL, 0, NULL), -1);
}

static void test_nodes(void)
{
	const char *j = " {\"a\": [1, {\"b\": null}], \"c\": \"x\", \"d\": [], \"e\": -1.5e3} ";
	struct json_doc doc;
	CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
	CHECK_INT(doc.count, 13);
	const struct json_node *n = doc.nodes;
	CHECK_INT(n[0].type, JSON_OBJECT);
	CHECK_INT(n[0].start, 1);
	CHECK_INT(n[0].end, strlen(j) - 1);
	CHECK_INT(n[0].next, 0);
	int key = (int)n[0].child;
	CHECK_INT(n[key].type, JSON_STRING);
	CHECK_INT(n[key].end - n[key].start, 3);
	int arr = (int)n[key].next;
	CHECK_INT(n[arr].type, JSON_ARRAY);
	CHECK_INT(j[n[arr].start], '[');
	CHECK_INT(j[n[arr].end - 1], ']');
	int one = (int)n[arr].child;
	CHECK_INT(n[one].type, JSON_NUMBER);
	int inner = (int)n[one].next;
	CHECK_INT(n[inner].type, JSON_OBJECT);
	CHECK_INT(n[inner].next, 0);
	int bval = json_get(&doc, inner, "b");
	CHECK(bval > 0 && n[bval].type == JSON_NULL && n[bval].next == 0);
	int d = json_get(&doc, 0, "d");
	CHECK(d > 0 && n[d].type == JSON_ARRAY && n[d].child == 0);
	int e = json_get(&doc, 0, "e");
	CHECK(e > 0 && n[e].type == JSON_NUMBER && n[e].end - n[e].start == 6);
	CHECK_INT(n[e].next, 0);
	json_free(&doc);
}

/* Each row: input and its compact form. */
static const struct {
	const char *json;
	const char *want;
} compact_rows[] = {
	{ " { \"a\" : [ 1 , 2 ] ,\n \"b\":\"x y\\u0041\" , \"c\" : { } , \"d\": [ ] } ",
	  "{\"a\":[1,2],\"b\":\"x y\\u0041\",\"c\":{},\"d\":[]}" },
	{ " \"  spaced  \" ", "\"  spaced  \"" },
	{ "\t-0.5E+10\n", "-0.5E+10" },
	{ "[ true , false , null , { \"k\" : { \"l\" : [ ] } } ]",
	  "[true,false,null,{\"k\":{\"l\":[]}}]" },
	{ "{\"tool\": {\"name\": \"\xf0\x9f\x94\xa7\", \"x\": [1, \"a\\\"b\"]}}",
	  "{\"tool\":{\"name\":\"\xf0\x9f\x94\xa7\",\"x\":[1,\"a\\\"b\"]}}" },
};

/* Only the members named get nodes; what is kept is whole and decoded by
 * name; a value kept without its members is written whole. */
static void test_kept(void)
{
	const char *j = "{\"x\":[1,2,3,{\"b\":1}],\"a\":{\"c\":[1,2],\"b\":{ \"d\" : [ 1 , 2 ] }},"
			"\"\\u0061\":{\"b\":7}}";
	struct json_doc doc;
	CHECK_INT(json_parse_kept(&doc, j, strlen(j), some_kept, NULL), 0);
	/* root, then per "a" member: key, value, key "b", its value. */
	CHECK_INT((long)doc.count, 9);
	int b = json_get(&doc, json_get(&doc, 0, "a"), "b");
	CHECK(b >= 0 && doc.nodes[b].type == JSON_NUMBER); /* the last "a" wins */
	json_free(&doc);
	const char *k = "{\"a\":{\"b\":{ \"d\" : [ 1 , \"s p\" ] }}}";
	CHECK_INT(json_parse_kept(&doc, k, strlen(k), some_kept, NULL), 0);
	struct buf out = { 0 };
	json_write_compact(&doc, json_get(&doc, json_get(&doc, 0, "a"), "b"), &out);
	CHECK_STR(buf_str(&out), "{\"d\":[1,\"s p\"]}");
	buf_free(&out);
	json_free(&doc);
	/* A million values cost one node. */
	size_t n = 2000000;
	char *big = malloc(n + 3);
	big[0] = '[';
	for (size_t i = 1; i < n; i += 2) {
		big[i] = '1';
		big[i + 1] = ',';
	}
	big[n - 1] = '1';
	big[n] = ']';
	CHECK_INT(json_parse_kept(&doc, big, n + 1, some_kept, NULL), -1); /* over 1 MiB */
	n = 1000000;
	big[n - 1] = '1';
	big[n] = ']';
	CHECK_INT(json_parse_kept(&doc, big, n + 1, some_kept, NULL), 0);
	CHECK_INT((long)doc.count, 1);
	json_free(&doc);
	free(big);
}

static void test_compact(void)
{
	for (size_t i = 0; i < sizeof compact_rows / sizeof compact_rows[0]; i++) {
		struct json_doc doc;
		const char *j = compact_rows[i].json;
		CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
		struct buf out = { 0 };
		json_write_compact(&doc, 0, &out);
		CHECK_STR(buf_str(&out), compact_rows[i].want);
		buf_free(&out);
		json_free(&doc);
	}
	/* A member on its own. */
	const char *j = "{\"a\": 1, \"tool\": { \"x\" : [ 1 ] }}";
	struct json_doc doc;
	CHECK_INT(json_parse(&doc, j, strlen(j), NULL), 0);
	struct buf out = { 0 };
	json_write_compact(&doc, json_get(&doc, 0, "tool"), &out);
	CHECK_STR(buf_str(&out), "{\"x\":[1]}");
	buf_reset(&out);
	json_write_compact(&doc, -1, &out);
	CHECK_STR(buf_str(&out), "");
	buf_free(&out);
	json_free(&doc);
}

static void test_utf8_valid(void)
{
	CHECK(json_utf8_valid("", 0));
	CHECK(json_utf8_valid("abc", 3));
	CHECK(json_utf8_valid("\xf0\x9f\x90\xbe", 4));
	CHECK(json_utf8_valid("\xf4\x8f\xbf\xbf", 4));
	CHECK(!json_utf8_valid("\xf0\x9f\x90", 3));
	CHECK(!json_utf8_valid("\xed\xa0\x80", 3));
	CHECK(!json_utf8_valid("\xc0\xaf", 2));
	CHECK(!json_utf8_valid("\x80", 1));
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		corpus_dir = argv[1];
	}
	RUN(test_corpus);
	RUN(test_decode);
	RUN(test_errors);
	RUN(test_duplicate_keys);
	RUN(test_depth);
	RUN(test_size_limit);
	RUN(test_bom_and_length);
	RUN(test_nodes);
	RUN(test_compact);
	RUN(test_kept);
	RUN(test_utf8_valid);
	return CHECK_EXIT();
}
