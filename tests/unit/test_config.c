/* test_config: toesd's command line (parse/config): defaults, the
 * environment under the flags, "--flag=value", values checked as they
 * are read (bounds included), a flag where a value should be, and the
 * result codes (0 go on, 1 --help or --version, 2 bad). Messages go to
 * standard error; t_messages.sh checks their words. */
#include "check.h"

#include "parse/config.h"

#include <stdarg.h>
#include <stdlib.h>

#define MAX_ARGS 16

static struct config cfg;

/* config_parse on "toesd" and the words given (NULL-terminated). */
static int parse(const char *first, ...)
{
	static char words[MAX_ARGS][128];
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	va_list ap;
	snprintf(words[argc], sizeof words[argc], "toesd");
	argv[argc] = words[argc];
	argc++;
	va_start(ap, first);
	for (const char *w = first; w && argc < MAX_ARGS; w = va_arg(ap, const char *)) {
		snprintf(words[argc], sizeof words[argc], "%s", w);
		argv[argc] = words[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	config_free(&cfg);
	return config_parse(&cfg, argc, argv);
}

static void test_defaults(void)
{
	CHECK_INT(parse(NULL), 0);
	CHECK_INT(cfg.port_lo, 3001);
	CHECK_INT(cfg.port_hi, 3100);
	CHECK_STR(cfg.url, "http://localhost:3000");
	CHECK_INT(cfg.startup_poll, 500);
	CHECK_INT(cfg.health_interval, 30000);
	CHECK_INT(cfg.health_failures, 3);
	CHECK_INT(cfg.n_restart_delays, 6);
	CHECK_INT(cfg.restart_delays[5], 32000);
	CHECK_INT(cfg.log_max_bytes, 32 << 20);
	CHECK(cfg.runner == NULL && cfg.apps_dir == NULL);
}

static void test_values(void)
{
	CHECK_INT(parse("--ports", "4000-4009", "--health-interval=2s", "--restart-delays", "100ms,1", NULL), 0);
	CHECK_INT(cfg.port_lo, 4000);
	CHECK_INT(cfg.port_hi, 4009);
	CHECK_INT(cfg.health_interval, 2000);
	CHECK_INT(cfg.n_restart_delays, 2);
	CHECK_INT(cfg.restart_delays[1], 1000);
	CHECK_INT(parse("--apps-dir=/srv/apps", "--no-rollback", "--log-max-bytes", "1K", NULL), 0);
	CHECK_STR(cfg.apps_dir, "/srv/apps");
	CHECK_INT(cfg.no_rollback, 1);
	CHECK_INT(cfg.log_max_bytes, 1024);
	/* A value may start with one dash: only "--" makes a flag. */
	CHECK_INT(parse("--runner", "-x", NULL), 0);
	CHECK_STR(cfg.runner, "-x");
}

static void test_environment_under_flags(void)
{
	/* putenv, not setenv: glibc keeps setenv's strings for good, which
	 * the strict leak check would count. */
	static char apps[] = "APPS_DIR=/env/apps", url[] = "TOES_URL=http://box:3000";
	putenv(apps);
	putenv(url);
	CHECK_INT(parse(NULL), 0);
	CHECK_STR(cfg.apps_dir, "/env/apps");
	CHECK_STR(cfg.url, "http://box:3000");
	CHECK_INT(parse("--apps-dir", "/flag/apps", "--url", "http://flag", NULL), 0);
	CHECK_STR(cfg.apps_dir, "/flag/apps");
	CHECK_STR(cfg.url, "http://flag");
	unsetenv("APPS_DIR");
	unsetenv("TOES_URL");
}

static void test_bad(void)
{
	CHECK_INT(parse("--ports", "10-5", NULL), 2);
	CHECK_INT(parse("--ports", "0-5", NULL), 2);
	CHECK_INT(parse("--ports=", NULL), 2);
	CHECK_INT(parse("--startup-poll", "0", NULL), 2);       /* at least 1 ms */
	CHECK_INT(parse("--survival", "0", NULL), 0);           /* 0 is fine there */
	CHECK_INT(parse("--stop-timeout", "2592001s", NULL), 2); /* past 30 days */
	CHECK_INT(parse("--stop-timeout", "2592000s", NULL), 0);
	CHECK_INT(parse("--restart-delays", "1,2592001", NULL), 2);
	CHECK_INT(parse("--health-failures", "0", NULL), 2);
	CHECK_INT(parse("--log-days", "0", NULL), 0);
	CHECK_INT(parse("--url", "", NULL), 2);
	CHECK_INT(parse("--install-cmd", "", NULL), 2);
	CHECK_INT(parse("--data-dir", "", NULL), 2);
	CHECK_INT(parse("--bogus", NULL), 2);
	CHECK_INT(parse("web", NULL), 2);
	CHECK_INT(parse("--daemon=1", NULL), 2);
	CHECK_INT(parse("--ready-fd", "x", NULL), 2);
	CHECK_INT(parse("--daemon", "--pidfile", "/tmp/p", "--ready-fd", "3", NULL), 0);
	CHECK_INT(parse("--ready-fd", "x", NULL), 2);
	CHECK_INT(parse("--no-rollback=1", NULL), 2);
}

static void test_missing_value(void)
{
	CHECK_INT(parse("--ports", NULL), 2);
	/* The next flag is not taken for the value. */
	CHECK_INT(parse("--apps-dir", "--ports", "4000-4001", NULL), 2);
	CHECK_INT(parse("--apps-dir=--odd", NULL), 0);
	CHECK_STR(cfg.apps_dir, "--odd");
}

static void test_help_and_version(void)
{
	FILE *keep = stdout;
	stdout = fopen("/dev/null", "w");
	CHECK(stdout != NULL);
	int help = parse("--ports", "4000-4001", "--help", NULL);
	int version = parse("--version", NULL);
	int short_help = parse("-h", NULL);
	fclose(stdout);
	stdout = keep;
	CHECK_INT(help, 1);
	CHECK_INT(version, 1);
	CHECK_INT(short_help, 1);
}

int main(void)
{
	unsetenv("DATA_DIR");
	unsetenv("APPS_DIR");
	unsetenv("TOES_DIR");
	unsetenv("TOES_URL");
	RUN(test_defaults);
	RUN(test_values);
	RUN(test_environment_under_flags);
	RUN(test_bad);
	RUN(test_missing_value);
	RUN(test_help_and_version);
	config_free(&cfg);
	return CHECK_EXIT();
}
