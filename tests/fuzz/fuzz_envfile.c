/* fuzz_envfile: the KEY=VALUE env-file parser (SPEC §4.3). */
#include "fuzz.h"

#include "parse/envfile.h"

struct seen {
	const char *text;
	size_t len;
	int lines;      /* lines in the input */
	int reported;   /* set + bad calls */
	int last_bad;
};

static void on_set(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;
	size_t k = strlen(key);
	FUZZ_CHECK(k > 0 && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") >= 1 &&
		   strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789") == k,
		   "key matches [A-Za-z_][A-Za-z0-9_]*");
	FUZZ_CHECK(strlen(value) <= s->len, "value no longer than the input");
	s->reported++;
}

static void on_bad(void *ctx, int line)
{
	struct seen *s = ctx;
	FUZZ_CHECK(line >= 1 && line <= s->lines, "line number in range");
	FUZZ_CHECK(line > s->last_bad, "bad lines in order, once each");
	s->last_bad = line;
	s->reported++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { (const char *)data, size, 0, 0, 0 };
	for (size_t i = 0; i < size; i++) {
		s.lines += data[i] == '\n';
	}
	s.lines += size > 0 && data[size - 1] != '\n';
	envfile_parse((const char *)data, size, on_set, on_bad, &s);
	FUZZ_CHECK(s.reported <= s.lines, "at most one report per line");
	envfile_parse((const char *)data, size, NULL, NULL, NULL);
	return 0;
}
