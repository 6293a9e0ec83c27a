/* test_jsonedit: toes.icon set in a JSON text with every other byte kept,
 * a new member spaced as its neighbours (indentation, LF or CRLF, ": " or
 * ":"), the member JSON.parse reads being the one edited; byte-exact. */
#include "check.h"

#include <stdlib.h>

#include "parse/json.h"
#include "parse/jsonedit.h"

#define CAT "\xf0\x9f\x90\x88" /* 🐈 U+1F408 */
#define PAW "\xf0\x9f\x90\xbe" /* 🐾 */
#define BOM "\xef\xbb\xbf"

static int last_rc;
static struct jsonedit_error last_err;

/* Whether text reads back with toes.icon decoding to value. */
static int icon_is(const char *text, size_t len, const char *value)
{
	struct json_doc doc;
	if (json_parse(&doc, text, len, NULL) < 0) {
		return 0;
	}
	char *s = json_string(&doc, json_get(&doc, json_get(&doc, 0, "toes"), "icon"), NULL);
	int ok = s && strcmp(s, value) == 0;
	free(s);
	json_free(&doc);
	return ok;
}

/* The edited text of in with icon value (n bytes), in a static buffer;
 * "" when not changed (last_rc says why). A changed text must read back. */
static const char *edit_n(const char *in, const char *value, size_t n)
{
	static char out[2048];
	struct buf b = { 0 };
	last_rc = jsonedit_set_string(in, strlen(in), "toes", "icon", value, n, &b, &last_err);
	out[0] = '\0';
	if (last_rc == JSONEDIT_CHANGED) {
		CHECK(icon_is(b.data, b.len, value));
		snprintf(out, sizeof out, "%s", buf_str(&b));
	} else {
		CHECK_INT(b.len, 0);
	}
	buf_free(&b);
	return out;
}

static const char *edit(const char *in, const char *value)
{
	return edit_n(in, value, strlen(value));
}

static void test_replace_indented(void)
{
	CHECK_STR(edit("{\n  \"name\": \"web\",\n  \"toes\": {\n    \"icon\": \"" PAW "\",\n"
		       "    \"tool\": true\n  }\n}\n", CAT),
		  "{\n  \"name\": \"web\",\n  \"toes\": {\n    \"icon\": \"" CAT "\",\n"
		  "    \"tool\": true\n  }\n}\n");
	CHECK_INT(last_rc, JSONEDIT_CHANGED);
	/* Odd spacing inside the old value's member stays as it was. */
	CHECK_STR(edit("{ \"toes\" :{ \"icon\"  :\t\"x\" } }", CAT),
		  "{ \"toes\" :{ \"icon\"  :\t\"" CAT "\" } }");
}

static void test_insert_two_spaces(void)
{
	CHECK_STR(edit("{\n  \"name\": \"web\",\n  \"toes\": {\n    \"tool\": 1\n  }\n}\n", CAT),
		  "{\n  \"name\": \"web\",\n  \"toes\": {\n    \"icon\": \"" CAT "\",\n"
		  "    \"tool\": 1\n  }\n}\n");
	CHECK_STR(edit("{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"toes\": \"x\"\n  }\n}\n", CAT),
		  "{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"toes\": \"x\"\n  },\n"
		  "  \"toes\": {\n    \"icon\": \"" CAT "\"\n  }\n}\n");
}

static void test_insert_four_spaces(void)
{
	CHECK_STR(edit("{\n    \"name\": \"web\",\n    \"toes\": {\n        \"tool\": true,\n"
		       "        \"health\": false\n    }\n}\n", CAT),
		  "{\n    \"name\": \"web\",\n    \"toes\": {\n        \"icon\": \"" CAT "\",\n"
		  "        \"tool\": true,\n        \"health\": false\n    }\n}\n");
	CHECK_STR(edit("{\n    \"name\": \"web\"\n}", CAT),
		  "{\n    \"name\": \"web\",\n    \"toes\": {\n        \"icon\": \"" CAT "\"\n    }\n}");
}

static void test_insert_tabs(void)
{
	CHECK_STR(edit("{\n\t\"name\": \"web\",\n\t\"scripts\": {\n\t\t\"toes\": \"x\"\n\t}\n}\n", CAT),
		  "{\n\t\"name\": \"web\",\n\t\"scripts\": {\n\t\t\"toes\": \"x\"\n\t},\n"
		  "\t\"toes\": {\n\t\t\"icon\": \"" CAT "\"\n\t}\n}\n");
	CHECK_STR(edit("{\n\t\"toes\": {\n\t\t\"tool\": 1\n\t}\n}\n", CAT),
		  "{\n\t\"toes\": {\n\t\t\"icon\": \"" CAT "\",\n\t\t\"tool\": 1\n\t}\n}\n");
}

static void test_compact(void)
{
	CHECK_STR(edit("{\"name\":\"web\",\"toes\":{\"icon\":\"a\",\"tool\":1}}", CAT),
		  "{\"name\":\"web\",\"toes\":{\"icon\":\"" CAT "\",\"tool\":1}}");
	CHECK_STR(edit("{\"name\":\"web\",\"toes\":{\"tool\":1}}", CAT),
		  "{\"name\":\"web\",\"toes\":{\"icon\":\"" CAT "\",\"tool\":1}}");
	CHECK_STR(edit("{\"name\":\"web\",\"scripts\":{\"toes\":\"x\"}}\n", CAT),
		  "{\"name\":\"web\",\"scripts\":{\"toes\":\"x\"},\"toes\":{\"icon\":\"" CAT "\"}}\n");
}

static void test_one_line_spaced(void)
{
	CHECK_STR(edit("{\"name\": \"web\", \"toes\": {\"tool\": 1}}", CAT),
		  "{\"name\": \"web\", \"toes\": {\"icon\": \"" CAT "\", \"tool\": 1}}");
	CHECK_STR(edit("{\"name\": \"web\"}", CAT),
		  "{\"name\": \"web\", \"toes\": {\"icon\": \"" CAT "\"}}");
	CHECK_STR(edit("{ \"name\": \"web\" }", CAT),
		  "{ \"name\": \"web\", \"toes\": { \"icon\": \"" CAT "\" } }");
	CHECK_STR(edit("{\"a\" : 1}", CAT), "{\"a\" : 1, \"toes\" : {\"icon\" : \"" CAT "\"}}");
}

static void test_crlf(void)
{
	CHECK_STR(edit("{\r\n  \"name\": \"web\"\r\n}\r\n", CAT),
		  "{\r\n  \"name\": \"web\",\r\n  \"toes\": {\r\n    \"icon\": \"" CAT "\"\r\n  }\r\n}\r\n");
	CHECK_STR(edit("{\r\n  \"toes\": {\r\n    \"tool\": 1\r\n  }\r\n}\r\n", CAT),
		  "{\r\n  \"toes\": {\r\n    \"icon\": \"" CAT "\",\r\n    \"tool\": 1\r\n  }\r\n}\r\n");
	CHECK_STR(edit("{\r\n  \"toes\": {\r\n    \"icon\": \"a\"\r\n  }\r\n}\r\n", CAT),
		  "{\r\n  \"toes\": {\r\n    \"icon\": \"" CAT "\"\r\n  }\r\n}\r\n");
}

static void test_escaped_old_icon(void)
{
	CHECK_STR(edit("{\"toes\": {\"icon\": \"\\ud83d\\udc3e\"}}", CAT),
		  "{\"toes\": {\"icon\": \"" CAT "\"}}");
	/* The same icon, however it is written: nothing to do. */
	CHECK_STR(edit("{\"toes\": {\"icon\": \"\\ud83d\\udc08\"}}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_SAME);
	CHECK_STR(edit("{\"toes\": {\"icon\": \"" CAT "\"}}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_SAME);
}

static void test_empty_toes(void)
{
	CHECK_STR(edit("{\"name\": \"web\", \"toes\": {}}", CAT),
		  "{\"name\": \"web\", \"toes\": {\"icon\": \"" CAT "\"}}");
	CHECK_STR(edit("{\n  \"toes\": {}\n}\n", CAT),
		  "{\n  \"toes\": {\"icon\": \"" CAT "\"}\n}\n");
	CHECK_STR(edit("{\"toes\":{ }}", CAT), "{\"toes\":{\"icon\":\"" CAT "\" }}");
}

static void test_empty_top(void)
{
	CHECK_STR(edit("{}", CAT), "{\"toes\":{\"icon\":\"" CAT "\"}}");
	CHECK_STR(edit("{}\n", CAT), "{\"toes\":{\"icon\":\"" CAT "\"}}\n");
	CHECK_STR(edit(" { } ", CAT), " {\"toes\":{\"icon\":\"" CAT "\"} } ");
}

static void test_duplicates(void)
{
	/* JSON.parse reads the last toes: that one gets the icon. */
	CHECK_STR(edit("{\"toes\":{\"icon\":\"a\"},\"toes\":{\"tool\":1}}", CAT),
		  "{\"toes\":{\"icon\":\"a\"},\"toes\":{\"icon\":\"" CAT "\",\"tool\":1}}");
	CHECK_STR(edit("{\"toes\":{\"icon\":\"a\"},\"toes\":{\"icon\":\"b\"}}", CAT),
		  "{\"toes\":{\"icon\":\"a\"},\"toes\":{\"icon\":\"" CAT "\"}}");
	CHECK_STR(edit("{\"toes\":{\"icon\":\"a\",\"icon\":\"b\"}}", CAT),
		  "{\"toes\":{\"icon\":\"a\",\"icon\":\"" CAT "\"}}");
	/* A later toes that is not an object is the one JSON.parse keeps. */
	CHECK_STR(edit("{\"toes\":{\"icon\":\"a\"},\"toes\":1}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
	/* Keys compare decoded. */
	CHECK_STR(edit("{\"to\\u0065s\":{\"ic\\u006fn\":\"a\"}}", CAT),
		  "{\"to\\u0065s\":{\"ic\\u006fn\":\"" CAT "\"}}");
}

static void test_icon_not_a_string(void)
{
	CHECK_STR(edit("{\"toes\":{\"icon\":5,\"tool\":1}}", CAT),
		  "{\"toes\":{\"icon\":\"" CAT "\",\"tool\":1}}");
	CHECK_STR(edit("{\"toes\":{\"icon\": null }}", CAT), "{\"toes\":{\"icon\": \"" CAT "\" }}");
	CHECK_STR(edit("{\"toes\":{\"icon\":{\"a\":[1,\"}\"]},\"x\":2}}", CAT),
		  "{\"toes\":{\"icon\":\"" CAT "\",\"x\":2}}");
	CHECK_STR(edit("{\"toes\":{\"icon\":[\"" CAT "\"]}}", CAT), "{\"toes\":{\"icon\":\"" CAT "\"}}");
}

static void test_not_objects(void)
{
	CHECK_STR(edit("{\"toes\":\"x\"}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
	CHECK_STR(last_err.msg, "toes is not an object");
	CHECK_STR(edit("{\"toes\":[{\"icon\":\"a\"}]}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
	CHECK_STR(edit("{\"toes\":null}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
	CHECK_STR(edit("[1, 2]", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
	CHECK_STR(last_err.msg, "the top level is not an object");
	CHECK_STR(edit("\"x\"", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_NOT_OBJECT);
}

static void test_other_icons_untouched(void)
{
	CHECK_STR(edit("{\"scripts\":{\"icon\":\"x\",\"toes\":\"y\"},\"icon\":\"z\","
		       "\"toes\":{\"tool\":{\"icon\":\"q\"}}}", CAT),
		  "{\"scripts\":{\"icon\":\"x\",\"toes\":\"y\"},\"icon\":\"z\","
		  "\"toes\":{\"icon\":\"" CAT "\",\"tool\":{\"icon\":\"q\"}}}");
	CHECK_STR(edit("{\"scripts\":{\"icon\":\"x\"},\"a\":{\"toes\":{\"icon\":\"w\"}}}", CAT),
		  "{\"scripts\":{\"icon\":\"x\"},\"a\":{\"toes\":{\"icon\":\"w\"}},"
		  "\"toes\":{\"icon\":\"" CAT "\"}}");
}

static void test_bom_kept(void)
{
	CHECK_STR(edit(BOM "{\"name\":\"x\"}", CAT), BOM "{\"name\":\"x\",\"toes\":{\"icon\":\"" CAT "\"}}");
	CHECK_STR(edit(BOM "{\n  \"toes\": {\"icon\": \"a\"}\n}\n", CAT),
		  BOM "{\n  \"toes\": {\"icon\": \"" CAT "\"}\n}\n");
	CHECK_STR(edit(BOM "{\n  \"name\": \"x\"\n}\n", CAT),
		  BOM "{\n  \"name\": \"x\",\n  \"toes\": {\n    \"icon\": \"" CAT "\"\n  }\n}\n");
}

static void test_tricky_values_skipped(void)
{
	/* Brackets and quotes inside strings do not end the last value. */
	CHECK_STR(edit("{\"a\":{\"b\":\"}{\\\"]\"},\"n\":-1.5e3}", CAT),
		  "{\"a\":{\"b\":\"}{\\\"]\"},\"n\":-1.5e3,\"toes\":{\"icon\":\"" CAT "\"}}");
	CHECK_STR(edit("{\"a\":[[],{}], \"b\":true }", CAT),
		  "{\"a\":[[],{}], \"b\":true, \"toes\":{\"icon\":\"" CAT "\"} }");
	CHECK_STR(edit("{\"k\\\"\":0}", CAT), "{\"k\\\"\":0,\"toes\":{\"icon\":\"" CAT "\"}}");
}

static void test_value_escaped(void)
{
	CHECK_STR(edit("{\"toes\":{}}", "a\"b\\c"), "{\"toes\":{\"icon\":\"a\\\"b\\\\c\"}}");
	CHECK_STR(edit("{\"toes\":{}}", "x\ny"), "{\"toes\":{\"icon\":\"x\\u000ay\"}}");
	CHECK_STR(edit("{\"toes\":{}}", "\x7f"), "{\"toes\":{\"icon\":\"\x7f\"}}");
	CHECK_STR(edit("{\"toes\":{}}", "\xff"), "");
	CHECK_INT(last_rc, JSONEDIT_BAD_VALUE);
	CHECK_STR(edit("{\"toes\":{}}", "\xed\xa0\x80"), ""); /* an encoded surrogate */
	CHECK_INT(last_rc, JSONEDIT_BAD_VALUE);
	CHECK_STR(edit_n("{\"toes\":{}}", "a\0b", 3), "{\"toes\":{\"icon\":\"a\\u0000b\"}}");
}

static void test_bad_json(void)
{
	CHECK_STR(edit("{\n  \"a\": 1\n  \"toes\": {}\n}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_BAD_JSON);
	CHECK_INT(last_err.line, 3);
	CHECK_INT(last_err.column, 3);
	CHECK_STR(last_err.msg, "expected ',' or '}'");
	CHECK_STR(edit("", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_BAD_JSON);
	CHECK_STR(edit("{\"toes\":{\"icon\":\"\xff\"}}", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_BAD_JSON);
	CHECK_STR(edit("{\"a\":1}x", CAT), "");
	CHECK_INT(last_rc, JSONEDIT_BAD_JSON);
}

int main(void)
{
	RUN(test_replace_indented);
	RUN(test_insert_two_spaces);
	RUN(test_insert_four_spaces);
	RUN(test_insert_tabs);
	RUN(test_compact);
	RUN(test_one_line_spaced);
	RUN(test_crlf);
	RUN(test_escaped_old_icon);
	RUN(test_empty_toes);
	RUN(test_empty_top);
	RUN(test_duplicates);
	RUN(test_icon_not_a_string);
	RUN(test_not_objects);
	RUN(test_other_icons_untouched);
	RUN(test_bom_kept);
	RUN(test_tricky_values_skipped);
	RUN(test_value_escaped);
	RUN(test_bad_json);
	return CHECK_EXIT();
}
