/* fuzz_proto: the control request parser, as toesd's ctl.c uses it: the
 * request ends at its first newline, is split at tabs into at most
 * PROTO_MAX_WORDS words, and joining the words gives the line back. */
#include "fuzz.h"

#include "base/buf.h"
#include "parse/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > PROTO_MAX_REQUEST) {
		return 0;   /* ctl.c refuses longer requests before splitting */
	}
	char *line = fuzz_cstring(data, size);
	if (!line) {
		return 0;
	}
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
	}
	char *copy = strdup(line);
	char *words[PROTO_MAX_WORDS];
	int n = proto_split(line, words, PROTO_MAX_WORDS);
	size_t tabs = 0;
	for (const char *p = copy; p && *p; p++) {
		tabs += *p == '\t';
	}
	if (n < 0) {
		FUZZ_CHECK(tabs + 1 > PROTO_MAX_WORDS, "too many words only when there are");
	} else if (copy) {
		FUZZ_CHECK((size_t)n == (copy[0] ? tabs + 1 : 0), "one word per tab-separated field");
		struct buf out = { 0 };
		FUZZ_CHECK(proto_join(&out, n, words) == 0, "split words join");
		FUZZ_CHECK(out.failed || (out.len == strlen(copy) + 1 &&
			   memcmp(out.data, copy, out.len - 1) == 0 && out.data[out.len - 1] == '\n'),
			   "join(split(line)) is the line");
		buf_free(&out);
	}
	/* A word with a tab or newline cannot be joined. */
	char tabbed[] = "a\tb";
	char *bad[2] = { copy, tabbed };
	struct buf out = { 0 };
	if (copy) {
		FUZZ_CHECK(proto_join(&out, 2, bad) == -1, "a tab in a word is refused");
	}
	buf_free(&out);
	free(copy);
	free(line);
	return 0;
}
