/* config: defaults, environment variables and command-line flags (SPEC §12). */
#include "parse/config.h"

#include "base/escape.h"
#include "base/path.h"
#include "parse/opts.h"
#include "base/version.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum opt_kind { K_PATH, K_STR, K_DURATION, K_UINT, K_PORTS, K_DELAYS, K_SIZE, K_FLAG };

/* The groups of toesd --help, in its order. */
enum opt_group { G_FOLDERS, G_APPS, G_TIMINGS, G_LOGS, G_INIT, N_GROUPS };

static const char *const group_titles[N_GROUPS] = {
	"Folders (a flag wins over its environment variable):",
	"Apps and ports:",
	"Timings (D: a number with ms, s or m; a bare number is seconds):",
	"Logs:",
	"Init systems:",
};

struct opt_def {
	const char *name;
	enum opt_kind kind;
	size_t offset;
	enum opt_group group;
	const char *arg;     /* the value's placeholder in --help; NULL: none */
	const char *help;    /* what it sets, its default in parentheses */
	int64_t min;         /* K_DURATION: the least value in ms; K_UINT: the least number */
};

#define O(field) offsetof(struct config, field)

static const struct opt_def opt_defs[] = {
	{ "--data-dir", K_PATH, O(data_dir), G_FOLDERS, "DIR", "the data root (DATA_DIR, else .)", 0 },
	{ "--apps-dir", K_PATH, O(apps_dir), G_FOLDERS, "DIR", "one folder per app (APPS_DIR, else DATA_DIR/apps)", 0 },
	{ "--toes-dir", K_PATH, O(toes_dir), G_FOLDERS, "DIR",
	  "env files, app data (TOES_DIR, else DATA_DIR/toes)", 0 },
	{ "--run-dir", K_PATH, O(run_dir), G_FOLDERS, "DIR", "socket and pid lock (the toes folder)", 0 },
	{ "--ports", K_PORTS, 0, G_APPS, "A-B", "the ports given to apps as PORT (3001-3100)", 0 },
	{ "--url", K_STR, O(url), G_APPS, "URL", "given to apps (TOES_URL, else http://localhost:3000)", 0 },
	{ "--runner", K_STR, O(runner), G_APPS, "CMD", "runs every app instead of its scripts.toes (none)", 0 },
	{ "--install-cmd", K_STR, O(install_cmd), G_APPS, "CMD", "runs first when node_modules is missing (none)", 0 },
	{ "--startup-poll", K_DURATION, O(startup_poll), G_TIMINGS, "D", "how often a starting app is probed (500ms)", 1 },
	{ "--startup-probe-timeout", K_DURATION, O(startup_probe_timeout), G_TIMINGS, "D",
	  "how long one startup probe may take (2s)", 1 },
	{ "--survival", K_DURATION, O(survival), G_TIMINGS, "D", "alive this long without HTTP: running (5s)", 0 },
	{ "--startup-timeout", K_DURATION, O(startup_timeout), G_TIMINGS, "D", "not running by then: a crash (30s)", 1 },
	{ "--health-interval", K_DURATION, O(health_interval), G_TIMINGS, "D", "between health checks (30s)", 1 },
	{ "--health-timeout", K_DURATION, O(health_timeout), G_TIMINGS, "D", "how long one health check may take (5s)", 1 },
	{ "--health-failures", K_UINT, O(health_failures), G_TIMINGS, "N", "failed checks in a row before a restart (3)", 1 },
	{ "--restart-delays", K_DELAYS, 0, G_TIMINGS, "D,D,...", "the backoff after each crash (1,2,4,8,16,32)", 0 },
	{ "--stable-time", K_DURATION, O(stable_time), G_TIMINGS, "D", "running this long resets the backoff (60s)", 0 },
	{ "--stop-timeout", K_DURATION, O(stop_timeout), G_TIMINGS, "D", "SIGTERM, then SIGKILL after this (10s)", 0 },
	{ "--watch-debounce", K_DURATION, O(watch_debounce), G_TIMINGS, "D", "apps folder changes gathered this long (200ms)", 0 },
	{ "--rescan-interval", K_DURATION, O(rescan_interval), G_TIMINGS, "D", "the rescan where inotify cannot be used (5s)", 1 },
	{ "--log", K_STR, O(log_file), G_LOGS, "FILE", "toesd's own log (standard error)", 0 },
	{ "--log-days", K_UINT, O(log_days), G_LOGS, "N", "days of app logs kept (7)", 0 },
	{ "--log-max-bytes", K_SIZE, O(log_max_bytes), G_LOGS, "N", "bytes per app and day, K, M or G (32M)", 0 },
	{ "--metrics", K_STR, O(metrics_file), G_LOGS, "FILE", "a Prometheus text file, kept on change (none)", 0 },
	{ "--http", K_STR, O(http_listen), G_LOGS, "[ADDR:]PORT", "status page, JSON, events, /metrics (off)", 0 },
	{ "--no-rollback", K_FLAG, O(no_rollback), G_APPS, NULL, "a deploy that fails is not undone (rollback on)", 0 },
	{ "--keep-versions", K_UINT, O(keep_versions), G_APPS, "N",
	  "versions kept once a deploy is stable (0: all)", 0 },
	{ "--daemon", K_FLAG, O(daemon), G_INIT, NULL, "fork; the parent exits once ready (foreground)", 0 },
	{ "--pidfile", K_STR, O(pidfile), G_INIT, "FILE", "write toesd's pid there while it runs (none)", 0 },
	{ "--ready-fd", K_UINT, O(ready_fd), G_INIT, "N", "write a newline to descriptor N once ready (none)", 0 },
};

#define N_OPTS (sizeof opt_defs / sizeof opt_defs[0])

/* A day of 30: long enough for any timing, short enough that adding one
 * to a monotonic time never overflows. */
#define MAX_DURATION_MS (30LL * 86400000)

static const char help_tail[] =
	"  --version  --help\n"
	"Environment: DATA_DIR, APPS_DIR, TOES_DIR, TOES_URL as above. Each app also\n"
	"gets the variables of TOES_DIR/env/_global.env and then TOES_DIR/env/NAME.env\n"
	"(KEY=value lines, read at every start), then PORT, DATA_DIR (its own folder),\n"
	"APPS_DIR, TOES_DIR, TOES_URL and NO_AUTOPORT=true from toesd.\n";

static void print_help(void)
{
	printf("usage: toesd [options]\n");
	for (int g = 0; g < N_GROUPS; g++) {
		printf("%s\n", group_titles[g]);
		for (size_t i = 0; i < N_OPTS; i++) {
			const struct opt_def *d = &opt_defs[i];
			char left[48];
			if (d->group != (enum opt_group)g) {
				continue;
			}
			snprintf(left, sizeof left, "%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
			printf("  %-25s %s\n", left, d->help);
		}
	}
	fputs(help_tail, stdout);
}

/* What a good value of d looks like, for the message about a bad one. */
static void expected_form(char *out, size_t cap, const struct opt_def *d)
{
	switch (d->kind) {
	case K_PATH:
		snprintf(out, cap, "a folder");
		return;
	case K_STR:
		snprintf(out, cap, "%s, not empty", d->arg && strcmp(d->arg, "URL") == 0 ? "a URL" :
			 d->arg && strcmp(d->arg, "FILE") == 0 ? "a file" : "a command");
		return;
	case K_DURATION:
		snprintf(out, cap, "a duration from %s to 30 days with ms, s or m, e.g. 500ms, 2s or 1m",
			 d->min ? "1ms" : "0");
		return;
	case K_UINT:
		snprintf(out, cap, "a whole number%s, e.g. 3", d->min ? " of at least 1" : "");
		return;
	case K_PORTS:
		snprintf(out, cap, "A-B with A <= B, e.g. 3001-3100");
		return;
	case K_DELAYS:
		snprintf(out, cap, "durations up to 30 days separated by commas, e.g. 1,2,4 or 100ms,1s");
		return;
	case K_SIZE:
		snprintf(out, cap, "a number of bytes, optionally with K, M or G, e.g. 32M");
		return;
	case K_FLAG:
		break;
	}
	snprintf(out, cap, "no value");
}

static void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->port_lo = 3001;
	c->port_hi = 3100;
	c->url = "http://localhost:3000";
	c->startup_poll = 500;
	c->startup_probe_timeout = 2000;
	c->survival = 5000;
	c->startup_timeout = 30000;
	c->health_interval = 30000;
	c->health_timeout = 5000;
	c->health_failures = 3;
	static const int64_t delays[] = { 1000, 2000, 4000, 8000, 16000, 32000 };
	memcpy(c->restart_delays, delays, sizeof delays);
	c->n_restart_delays = 6;
	c->stable_time = 60000;
	c->stop_timeout = 10000;
	c->log_days = 7;
	c->ready_fd = CONFIG_NO_FD;
	c->watch_debounce = 200;
	c->rescan_interval = 5000;
	c->log_max_bytes = 32u << 20;
}

/* v within d's bounds, or -1. */
static int in_bounds(const struct opt_def *d, const struct config *c)
{
	const char *base = (const char *)c;
	switch (d->kind) {
	case K_DURATION: {
		int64_t v = *(const int64_t *)(const void *)(base + d->offset);
		return v >= d->min && v <= MAX_DURATION_MS ? 0 : -1;
	}
	case K_UINT:
		return *(const unsigned *)(const void *)(base + d->offset) >= (unsigned)d->min ? 0 : -1;
	case K_DELAYS:
		for (size_t i = 0; i < c->n_restart_delays; i++) {
			if (c->restart_delays[i] > MAX_DURATION_MS) {
				return -1;
			}
		}
		return 0;
	default:
		return 0;
	}
}

static int set_value(struct config *c, const struct opt_def *d, const char *v)
{
	char *base = (char *)c;
	int r = -1;
	switch (d->kind) {
	case K_PATH:
	case K_STR:
		*(const char **)(void *)(base + d->offset) = v;
		r = *v ? 0 : -1;
		break;
	case K_DURATION:
		r = opt_duration_ms(v, (int64_t *)(void *)(base + d->offset));
		break;
	case K_UINT:
		r = opt_uint(v, (unsigned *)(void *)(base + d->offset));
		break;
	case K_PORTS:
		r = opt_port_range(v, &c->port_lo, &c->port_hi);
		break;
	case K_DELAYS:
		r = opt_delays(v, c->restart_delays, CONFIG_MAX_DELAYS, &c->n_restart_delays);
		break;
	case K_SIZE:
		r = opt_size_bytes(v, &c->log_max_bytes);
		break;
	case K_FLAG:
		r = 0;
		break;
	}
	return r < 0 ? -1 : in_bounds(d, c);
}

static const struct opt_def *find_opt(const char *arg, size_t len)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		if (strlen(opt_defs[i].name) == len && strncmp(opt_defs[i].name, arg, len) == 0) {
			return &opt_defs[i];
		}
	}
	return NULL;
}

/* "bad value for --ports: '10-5' (expected A-B with A <= B, e.g.
 * 3001-3100)"; the value is shown escaped, so a newline in it cannot
 * make two lines. */
static void say_bad_value(const struct opt_def *d, const char *v)
{
	char form[128], shown[256];
	expected_form(form, sizeof form, d);
	escape_to(shown, sizeof shown, v, strlen(v));
	fprintf(stderr, "toesd: bad value for %s: '%s' (expected %s)\n", d->name, shown, form);
}

/* One flag at argv[*i] ("--flag VALUE" or "--flag=VALUE"); advances *i
 * past its value. 0, or 2 when bad. */
static int parse_one(struct config *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt_def *d = find_opt(arg, len);
	char form[128];
	if (!d) {
		char shown[256];
		escape_to(shown, sizeof shown, arg, len);
		fprintf(stderr, "toesd: unknown option '%s' (try toesd --help)\n", shown);
		return 2;
	}
	if (d->kind == K_FLAG) {
		if (eq) {
			fprintf(stderr, "toesd: %s takes no value\n", d->name);
			return 2;
		}
		*(int *)(void *)((char *)c + d->offset) = 1;
		return 0;
	}
	const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[*i + 1] : NULL;
	/* A flag just after is a value forgotten, not a value. */
	if (!v || (!eq && strncmp(v, "--", 2) == 0)) {
		expected_form(form, sizeof form, d);
		fprintf(stderr, "toesd: missing value for %s (expected %s)\n", d->name, form);
		return 2;
	}
	*i += !eq;
	if (set_value(c, d, v) < 0) {
		say_bad_value(d, v);
		return 2;
	}
	return 0;
}

static void config_environment(struct config *c)
{
	const char *v;
	if ((v = getenv("DATA_DIR")) && *v) {
		c->data_dir = v;
	}
	if ((v = getenv("APPS_DIR")) && *v) {
		c->apps_dir = v;
	}
	if ((v = getenv("TOES_DIR")) && *v) {
		c->toes_dir = v;
	}
	if ((v = getenv("TOES_URL")) && *v) {
		c->url = v;
	}
}

int config_parse(struct config *c, int argc, char **argv)
{
	config_defaults(c);
	config_environment(c);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_help();
			return 1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("toesd %s\n", TOES_VERSION);
			return 1;
		}
		if (strncmp(argv[i], "--", 2) != 0) {
			char shown[256];
			escape_to(shown, sizeof shown, argv[i], strlen(argv[i]));
			fprintf(stderr, "toesd: unexpected argument '%s': toesd takes only options (try toesd --help)\n",
				shown);
			return 2;
		}
		int r = parse_one(c, argc, argv, &i);
		if (r) {
			return r;
		}
	}
	return 0;
}


void config_free(struct config *c)
{
	for (size_t i = 0; i < sizeof c->owned / sizeof c->owned[0]; i++) {
		free(c->owned[i]);
		c->owned[i] = NULL;
	}
}
