/* test_command: which start commands are simple (SPEC §4.4), the script
 * the shell gets, and the words of the plain ones. */
#include "check.h"

#include "parse/command.h"

struct row {
	const char *script;
	enum command_kind kind;
	const char *shell;   /* the script the shell runs */
	const char *argv;    /* PLAIN: the words, joined by '|' */
	const char *assign;  /* PLAIN: the assignments, joined by '|' */
};

static const struct row rows[] = {
	{ "node server.js", COMMAND_PLAIN, "exec node server.js", "node|server.js", "" },
	{ "  node   server.js  ", COMMAND_PLAIN, "  exec node   server.js  ", "node|server.js", "" },
	{ "NODE_ENV=production node server.js", COMMAND_PLAIN,
	  "NODE_ENV=production exec node server.js", "node|server.js", "NODE_ENV=production" },
	{ "A=1 B=2 ./bin/app --port=3000 -v", COMMAND_PLAIN, "A=1 B=2 exec ./bin/app --port=3000 -v",
	  "./bin/app|--port=3000|-v", "A=1|B=2" },
	{ "exec /usr/bin/stamper /tmp/s", COMMAND_PLAIN, "exec /usr/bin/stamper /tmp/s", "/usr/bin/stamper|/tmp/s", "" },
	{ "python3 -m http.server", COMMAND_PLAIN, "exec python3 -m http.server", "python3|-m|http.server", "" },
	/* Simple, but the shell must read the words: exec before the program. */
	{ "node \"my server.js\"", COMMAND_SIMPLE, "exec node \"my server.js\"", NULL, NULL },
	{ "node $HOME/x.js", COMMAND_SIMPLE, "exec node $HOME/x.js", NULL, NULL },
	{ "GREETING='hi there' node x.js", COMMAND_SIMPLE, "GREETING='hi there' exec node x.js", NULL, NULL },
	{ "node ~/x.js", COMMAND_SIMPLE, "exec node ~/x.js", NULL, NULL },
	{ "node *.js", COMMAND_SIMPLE, "exec node *.js", NULL, NULL },
	{ "node x.js > out.log", COMMAND_SIMPLE, "exec node x.js > out.log", NULL, NULL },
	{ "node x.js # the server", COMMAND_SIMPLE, "exec node x.js # the server", NULL, NULL },
	{ "node a\\ b.js", COMMAND_SIMPLE, "exec node a\\ b.js", NULL, NULL },
	/* Not simple: run as written. */
	{ "cd app && node server.js", COMMAND_SHELL, "cd app && node server.js", NULL, NULL },
	{ "node a.js; node b.js", COMMAND_SHELL, "node a.js; node b.js", NULL, NULL },
	{ "node x.js | tee log", COMMAND_SHELL, "node x.js | tee log", NULL, NULL },
	{ "node x.js &", COMMAND_SHELL, "node x.js &", NULL, NULL },
	{ "node $(cat file)", COMMAND_SHELL, "node $(cat file)", NULL, NULL },
	{ "node `cat file`", COMMAND_SHELL, "node `cat file`", NULL, NULL },
	{ "node ${PORT}", COMMAND_SHELL, "node ${PORT}", NULL, NULL },
	{ "node a\nnode b", COMMAND_SHELL, "node a\nnode b", NULL, NULL },
	{ "cd app", COMMAND_SHELL, "cd app", NULL, NULL },
	{ "export A=1", COMMAND_SHELL, "export A=1", NULL, NULL },
	{ ". ./env.sh", COMMAND_SHELL, ". ./env.sh", NULL, NULL },
	{ "if true", COMMAND_SHELL, "if true", NULL, NULL },
	{ "A=1", COMMAND_SHELL, "A=1", NULL, NULL },
	{ "exec -a name node", COMMAND_SHELL, "exec -a name node", NULL, NULL },
	{ "exec \"node\" x", COMMAND_SHELL, "exec \"node\" x", NULL, NULL },
	{ "node 'unterminated", COMMAND_SHELL, "node 'unterminated", NULL, NULL },
	{ "   ", COMMAND_SHELL, "   ", NULL, NULL },
};

static void join(char *out, size_t cap, char *const *words)
{
	out[0] = '\0';
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s%s", i ? "|" : "", words[i]);
	}
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct command c;
		char got[512];
		if (command_parse(r->script, &c) < 0) {
			printf("  row %zu: out of memory\n", i);
			check_failures++;
			continue;
		}
		if (c.kind != r->kind || strcmp(c.script, r->shell) != 0) {
			printf("  row %zu \"%s\": kind %d script \"%s\", want %d \"%s\"\n", i, r->script,
			       c.kind, c.script, r->kind, r->shell);
			check_failures++;
		}
		if (r->argv) {
			join(got, sizeof got, c.argv);
			CHECK_STR(got, r->argv);
			join(got, sizeof got, c.assign);
			CHECK_STR(got, r->assign);
		}
		command_free(&c);
	}
}

static void test_too_many_words_not_plain(void)
{
	char script[1024] = "prog";
	for (int i = 0; i < COMMAND_MAX_WORDS + 5; i++) {
		strcat(script, " x");
	}
	struct command c;
	CHECK_INT(command_parse(script, &c), 0);
	CHECK_INT(c.kind, COMMAND_SIMPLE);
	CHECK(strncmp(c.script, "exec prog x", 11) == 0);
	command_free(&c);
}

static void test_builtins(void)
{
	CHECK(command_is_builtin("cd", 2));
	CHECK(command_is_builtin(".", 1));
	CHECK(command_is_builtin("exec", 4));
	CHECK(!command_is_builtin("node", 4));
	CHECK(!command_is_builtin("cdx", 3));
}

int main(void)
{
	RUN(test_table);
	RUN(test_too_many_words_not_plain);
	RUN(test_builtins);
	return CHECK_EXIT();
}
