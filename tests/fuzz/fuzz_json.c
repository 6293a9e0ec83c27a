/* fuzz_json: the JSON scanner; every accepted document is walked, its
 * strings decoded, its keys looked up and its compact form re-parsed. */
#include "fuzz.h"

#include "base/buf.h"
#include "parse/json.h"

/* Lookups per input: json_get is linear, so a wide object would be
 * quadratic without a bound. */
#define MAX_LOOKUPS 256

/* Every index and byte range of the node array stays inside the doc. */
static void check_nodes(const struct json_doc *doc)
{
	FUZZ_CHECK(doc->count >= 1 && doc->nodes, "an accepted doc has a root");
	for (size_t i = 0; i < doc->count; i++) {
		const struct json_node *n = &doc->nodes[i];
		FUZZ_CHECK(n->start < n->end && n->end <= doc->len, "node range");
		FUZZ_CHECK(n->next < doc->count && n->child < doc->count, "node links");
		FUZZ_CHECK(n->next == 0 || n->next > i, "siblings come later");
		FUZZ_CHECK(n->child == 0 || n->child > i, "children come later");
		if (n->type == JSON_STRING) {
			FUZZ_CHECK(n->end - n->start >= 2 && doc->text[n->start] == '"' &&
				   doc->text[n->end - 1] == '"', "a string node holds its quotes");
		}
		if (n->type != JSON_ARRAY && n->type != JSON_OBJECT) {
			FUZZ_CHECK(n->child == 0, "only containers have children");
		}
	}
}

/* The node that json_get found is one of obj's values. */
static int is_value_of(const struct json_doc *doc, int obj, int v)
{
	uint32_t k = doc->nodes[obj].child;
	while (k != 0) {
		uint32_t value = doc->nodes[k].next;
		if ((int)value == v) {
			return 1;
		}
		k = doc->nodes[value].next;
	}
	return 0;
}

/* Decode every string; look some keys up again by their decoded text. */
static void check_strings(const struct json_doc *doc)
{
	int lookups = 0;
	for (size_t i = 0; i < doc->count; i++) {
		if (doc->nodes[i].type == JSON_STRING) {
			size_t n;
			char *s = json_string(doc, (int)i, &n);
			FUZZ_CHECK(s != NULL, "decode");
			FUZZ_CHECK(n < doc->nodes[i].end - doc->nodes[i].start, "decoding never grows");
			FUZZ_CHECK(s[n] == '\0', "terminated");
			FUZZ_CHECK(json_utf8_valid(s, n), "a decoded string is valid UTF-8");
			free(s);
		}
		if (doc->nodes[i].type != JSON_OBJECT) {
			continue;
		}
		for (uint32_t k = doc->nodes[i].child; k != 0 && lookups < MAX_LOOKUPS;
		     k = doc->nodes[doc->nodes[k].next].next) {
			FUZZ_CHECK(doc->nodes[k].type == JSON_STRING && doc->nodes[k].next != 0,
				   "a key is a string with a value");
			size_t n;
			char *key = json_string(doc, (int)k, &n);
			FUZZ_CHECK(key != NULL, "decode key");
			if (strlen(key) == n) {
				int v = json_get(doc, (int)i, key);
				FUZZ_CHECK(v >= 0 && is_value_of(doc, (int)i, v), "json_get finds a key it holds");
				lookups++;
			}
			free(key);
		}
	}
	FUZZ_CHECK(json_get(doc, -1, "x") == -1 && json_string(doc, (int)doc->count, NULL) == NULL,
		   "out-of-range nodes are refused");
}

/* The compact form parses to the same shape and is its own compact form. */
static void check_compact(const struct json_doc *doc)
{
	struct buf once = { 0 }, twice = { 0 };
	json_write_compact(doc, 0, &once);
	if (once.failed) {
		buf_free(&once);
		return;
	}
	struct json_doc again;
	struct json_error err;
	int rc = json_parse(&again, once.data, once.len, &err);
	FUZZ_CHECK(rc == 0, err.msg);
	FUZZ_CHECK(again.count == doc->count, "same number of nodes");
	json_write_compact(&again, 0, &twice);
	FUZZ_CHECK(twice.failed || (twice.len == once.len && memcmp(twice.data, once.data, once.len) == 0),
		   "compact is idempotent");
	json_free(&again);
	buf_free(&once);
	buf_free(&twice);
}

/* json_parse_kept (what package.json reading uses) judges every text as
 * json_parse does, at the same place, and its nodes are whole too. */
static const struct json_keep inner_kept[] = { { "toes", NULL }, { "b", NULL }, { NULL, NULL } };
static const struct json_keep some_kept[] = {
	{ "a", inner_kept }, { "scripts", inner_kept }, { "", NULL }, { NULL, NULL },
};

static void check_kept(const char *text, size_t size, int full_rc, const struct json_error *full_err)
{
	struct json_doc kept;
	struct json_error err;
	int rc = json_parse_kept(&kept, text, size, some_kept, &err);
	FUZZ_CHECK(rc == full_rc, "json_parse_kept agrees with json_parse");
	if (rc < 0) {
		FUZZ_CHECK(err.line == full_err->line && err.column == full_err->column &&
			   strcmp(err.msg, full_err->msg) == 0, "the same error at the same place");
		return;
	}
	check_nodes(&kept);
	check_strings(&kept);
	struct buf out = { 0 };
	json_write_compact(&kept, 0, &out);
	buf_free(&out);
	json_free(&kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct json_doc doc;
	struct json_error err;
	(void)json_utf8_valid(text, size);
	int rc = json_parse(&doc, text, size, &err);
	check_kept(text, size, rc, &err);
	if (rc < 0) {
		FUZZ_CHECK(doc.nodes == NULL && doc.count == 0, "a failed parse holds no memory");
		FUZZ_CHECK(err.line >= 1 && err.column >= 1, "1-based position");
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof err.msg) && err.msg[0], "a message");
		json_free(&doc);
		return 0;
	}
	check_nodes(&doc);
	check_strings(&doc);
	check_compact(&doc);
	json_free(&doc);
	return 0;
}
