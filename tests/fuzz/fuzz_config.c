/* fuzz_config: config_parse on an argv cut from the input at NUL bytes.
 * It must return (never exit), write to stdout only for --help/--version
 * (result 1), write a message line to stderr for a bad flag (result 2), and
 * leave settings that pass its own checks when it returns 0. */
#include "fuzz.h"

#include "parse/config.h"

#define MAX_ARGS 64

/* What config_parse wrote to each stream; libFuzzer and the sanitizers
 * keep their own handles on fd 2, so replacing the FILE pointers only
 * catches (and silences) the program's own output. */
static size_t out_bytes, err_bytes;
static char err_last;

static ssize_t count_out(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	out_bytes += n;
	return (ssize_t)n;
}

static ssize_t count_err(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	err_bytes += n;
	if (n > 0) {
		err_last = buf[n - 1];
	}
	return (ssize_t)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cookie_io_functions_t out = { NULL, count_out, NULL, NULL };
	cookie_io_functions_t err = { NULL, count_err, NULL, NULL };
	FILE *o = fopencookie(NULL, "w", out), *e = fopencookie(NULL, "w", err);
	if (o && e) {
		stdout = o;
		stderr = e;
	}
	return 0;
}

static void check_settings(const struct config *c)
{
	FUZZ_CHECK(c->port_lo >= 1 && c->port_lo <= c->port_hi && c->port_hi <= 65535, "ports");
	FUZZ_CHECK(c->n_restart_delays >= 1 && c->n_restart_delays <= CONFIG_MAX_DELAYS, "delays");
	FUZZ_CHECK(c->health_failures >= 1, "health failures");
	FUZZ_CHECK(c->url && c->url[0], "url");
	FUZZ_CHECK(c->startup_poll >= 1 && c->health_interval >= 1 && c->survival >= 0, "durations");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	if (!text) {
		return 0;
	}
	char *argv[MAX_ARGS + 2];
	int argc = 0;
	char prog[] = "toesd";
	argv[argc++] = prog;
	for (size_t pos = 0; pos < size && argc <= MAX_ARGS; argc++) {
		argv[argc] = text + pos;
		pos += strlen(text + pos) + 1;
	}
	argv[argc] = NULL;

	struct config c;
	out_bytes = err_bytes = 0;
	err_last = 0;
	int rc = config_parse(&c, argc, argv);
	fflush(stdout);
	fflush(stderr);
	FUZZ_CHECK(rc >= 0 && rc <= 2, "result 0, 1 or 2");
	FUZZ_CHECK(rc == 1 ? out_bytes > 0 && err_bytes == 0 : out_bytes == 0, "stdout only for --help and --version");
	/* A value holding a newline is echoed as it is, so count no lines. */
	FUZZ_CHECK(rc == 2 ? err_bytes > 0 && err_last == '\n' : err_bytes == 0,
		   "a message line on stderr exactly when bad");
	if (rc == 0) {
		check_settings(&c);
	}
	config_free(&c);
	free(text);
	return 0;
}
