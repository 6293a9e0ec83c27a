/* test_envfile: table tests of the env file syntax (SPEC §4.3). */
#include "check.h"
#include "parse/envfile.h"

#include <stdlib.h>

/* Records every callback as "KEY=VALUE|" or "!LINE|". */
struct record {
	char text[16384];
	size_t len;
};

static void record_add(struct record *r, const char *s)
{
	size_t n = strlen(s);
	if (r->len + n < sizeof r->text) {
		memcpy(r->text + r->len, s, n + 1);
		r->len += n;
	}
}

static void on_set(void *ctx, const char *key, const char *value)
{
	struct record *r = ctx;
	record_add(r, key);
	record_add(r, "=");
	record_add(r, value);
	record_add(r, "|");
}

static void on_bad(void *ctx, int line)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "!%d|", line);
	record_add(ctx, tmp);
}

static const char *parse(const char *text, size_t len)
{
	static struct record r;
	r.len = 0;
	r.text[0] = '\0';
	envfile_parse(text, len, on_set, on_bad, &r);
	return r.text;
}

static const char *parse_str(const char *text)
{
	return parse(text, strlen(text));
}

struct env_case {
	const char *in;
	const char *want;
};

static void run_cases(const struct env_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = parse_str(c[i].in);
		if (strcmp(got, c[i].want) != 0) {
			printf("  case %zu: input \"%s\"\n", i, c[i].in);
		}
		CHECK_STR(got, c[i].want);
	}
}

static void test_simple_lines(void)
{
	static const struct env_case cases[] = {
		{ "", "" },
		{ "A=1", "A=1|" },
		{ "A=1\n", "A=1|" },
		{ "A=1\nB=2\n", "A=1|B=2|" },
		{ "A=1\r\nB=2\r\n", "A=1|B=2|" },
		{ "_x9=y", "_x9=y|" },
		{ "lower_case=v", "lower_case=v|" },
		{ "A=", "A=|" },
		{ "A=  ", "A=|" },
		{ "A = 1", "A=1|" },
		{ "A\t=\t1\t", "A=1|" },
		{ "   A=1   ", "A=1|" },
		{ "\tA=1\r", "A=1|" },
		{ "A==1", "A==1|" },
		{ "A=b=c", "A=b=c|" },
		{ "A=hello world", "A=hello world|" },
		{ "A=  hello   world  ", "A=hello   world|" },
		{ "URL=http://x:3000/a?b=c&d", "URL=http://x:3000/a?b=c&d|" },
		{ "A=1\nA=2", "A=1|A=2|" },
		{ "A=a\rb", "A=a\rb|" },
		{ "A=\xf0\x9f\x90\xbe", "A=\xf0\x9f\x90\xbe|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_blank_and_comment_lines(void)
{
	static const struct env_case cases[] = {
		{ "\n\n\n", "" },
		{ "   \n\t\n\r\n", "" },
		{ "# comment", "" },
		{ "#A=1", "" },
		{ "   # indented comment", "" },
		{ "#\nA=1\n#\nB=2", "A=1|B=2|" },
		{ "\n\nbad\n", "!3|" },
		{ "A=1 # comment", "A=1|" },
		{ "A=1\t# comment", "A=1|" },
		{ "A=1#not a comment", "A=1#not a comment|" },
		{ "A=a#b #c", "A=a#b|" },
		{ "A= # only a comment", "A=|" },
		{ "A=#x", "A=#x|" },
		{ "A =#x", "A=#x|" },
		{ "A = #x", "A=|" },
		{ "A=1 #", "A=1|" },
		{ "A=x ## y", "A=x|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_export_prefix(void)
{
	static const struct env_case cases[] = {
		{ "export A=1", "A=1|" },
		{ "export   A=1", "A=1|" },
		{ "export\tA = 1", "A=1|" },
		{ "  export A=1", "A=1|" },
		{ "export=1", "export=1|" },
		{ "export =1", "export=1|" },
		{ "exportA=1", "exportA=1|" },
		{ "export A", "!1|" },
		{ "export", "!1|" },
		{ "export 1A=1", "!1|" },
		{ "export export=1", "export=1|" },
		{ "export export A=1", "!1|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_double_quotes(void)
{
	static const struct env_case cases[] = {
		{ "A=\"\"", "A=|" },
		{ "A=\"x\"", "A=x|" },
		{ "A=\"  spaced  \"", "A=  spaced  |" },
		{ "A = \"x\"  ", "A=x|" },
		{ "A=\"a\\nb\"", "A=a\nb|" },
		{ "A=\"say \\\"hi\\\"\"", "A=say \"hi\"|" },
		{ "A=\"back\\\\slash\"", "A=back\\slash|" },
		{ "A=\"c:\\\\x\\\\\"", "A=c:\\x\\|" },
		{ "A=\"keep \\t and \\x\"", "A=keep \\t and \\x|" },
		{ "A=\"a # not comment\"", "A=a # not comment|" },
		{ "A=\"it's\"", "A=it's|" },
		{ "A=\"x\" # comment", "A=x|" },
		{ "A=\"x\"\t#c", "A=x|" },
		{ "A=\"x\"#c", "!1|" },
		{ "A=\"x\"y", "!1|" },
		{ "A=\"x\" y", "!1|" },
		{ "A=\"x\"\"y\"", "!1|" },
		{ "A=\"unterminated", "!1|" },
		{ "A=\"", "!1|" },
		{ "A=\"ends in backslash\\\"", "!1|" },
		{ "A=\"two\nB=lines\"", "!1|B=lines\"|" },
		{ "A=\"x\"\r\n", "A=x|" },
		{ "A=x\"y\"", "A=x\"y\"|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_single_quotes(void)
{
	static const struct env_case cases[] = {
		{ "A=''", "A=|" },
		{ "A='x'", "A=x|" },
		{ "A='a\\nb'", "A=a\\nb|" },
		{ "A='say \"hi\"'", "A=say \"hi\"|" },
		{ "A=' # kept '", "A= # kept |" },
		{ "A='x' # comment", "A=x|" },
		{ "A='x'y", "!1|" },
		{ "A='unterminated", "!1|" },
		{ "A='a\\'", "A=a\\|" },
		{ "A='it\\'s'", "!1|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_malformed_lines(void)
{
	static const struct env_case cases[] = {
		{ "A", "!1|" },
		{ "just words", "!1|" },
		{ "=1", "!1|" },
		{ " = 1", "!1|" },
		{ "1A=1", "!1|" },
		{ "A-B=1", "!1|" },
		{ "A.B=1", "!1|" },
		{ "A B=1", "!1|" },
		{ "$A=1", "!1|" },
		{ "A:1", "!1|" },
		{ "\xc3\xa9=1", "!1|" },
		{ "A=1\nnope\nB=2\n\nC\n", "A=1|!2|B=2|!5|" },
	};
	run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_nul_and_length(void)
{
	CHECK_STR(parse("A=1\0x\nB=2", 9), "!1|B=2|");
	CHECK_STR(parse("#c\0\nB=2", 7), "!1|B=2|");
	/* Not NUL-terminated: the length decides. */
	CHECK_STR(parse("A=12345", 4), "A=12|");
	CHECK_STR(parse("A=\"x\"", 4), "!1|");
	CHECK_STR(parse("A=1\nB=2", 3), "A=1|");
	CHECK_STR(parse("A=1", 0), "");
	CHECK_STR(parse("A=1\0", 4), "!1|");
	CHECK_STR(parse("A=\"\0\"", 5), "!1|");
}

static void test_long_line(void)
{
	size_t n = 10000;
	char *text = malloc(n + 16);
	CHECK(text != NULL);
	if (!text) {
		return;
	}
	memcpy(text, "LONG=\"", 6);
	memset(text + 6, 'v', n);
	memcpy(text + 6 + n, "\"\nB=2", 5);
	static struct record r;
	r.len = 0;
	envfile_parse(text, n + 11, on_set, on_bad, &r);
	CHECK_INT(r.len, 5 + n + 1 + 4);
	CHECK(strncmp(r.text, "LONG=vvvv", 9) == 0);
	CHECK_STR(r.text + 5 + n, "|B=2|");
	free(text);
}

static void test_null_callbacks(void)
{
	envfile_parse("A=1\nbad\n", 8, NULL, NULL, NULL);
	CHECK(1);
}

int main(void)
{
	RUN(test_simple_lines);
	RUN(test_blank_and_comment_lines);
	RUN(test_export_prefix);
	RUN(test_double_quotes);
	RUN(test_single_quotes);
	RUN(test_malformed_lines);
	RUN(test_nul_and_length);
	RUN(test_long_line);
	RUN(test_null_callbacks);
	return CHECK_EXIT();
}
