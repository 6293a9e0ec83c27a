/* config: defaults, environment variables and command-line flags (SPEC §12). */
#include "parse/config.h"

#include "parse/opts.h"
#include "base/path.h"
#include "base/version.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum opt_kind { K_PATH, K_STR, K_DURATION, K_UINT, K_PORTS, K_DELAYS, K_SIZE, K_FLAG, K_LATER };

struct opt_def {
	const char *name;
	enum opt_kind kind;
	size_t offset;
};

#define O(field) offsetof(struct config, field)

static const struct opt_def opt_defs[] = {
	{ "--apps-dir", K_PATH, O(apps_dir) },
	{ "--data-dir", K_PATH, O(data_dir) },
	{ "--toes-dir", K_PATH, O(toes_dir) },
	{ "--run-dir", K_PATH, O(run_dir) },
	{ "--ports", K_PORTS, 0 },
	{ "--url", K_STR, O(url) },
	{ "--runner", K_STR, O(runner) },
	{ "--install-cmd", K_STR, O(install_cmd) },
	{ "--startup-poll", K_DURATION, O(startup_poll) },
	{ "--startup-probe-timeout", K_DURATION, O(startup_probe_timeout) },
	{ "--survival", K_DURATION, O(survival) },
	{ "--startup-timeout", K_DURATION, O(startup_timeout) },
	{ "--health-interval", K_DURATION, O(health_interval) },
	{ "--health-timeout", K_DURATION, O(health_timeout) },
	{ "--health-failures", K_UINT, O(health_failures) },
	{ "--restart-delays", K_DELAYS, 0 },
	{ "--stable-time", K_DURATION, O(stable_time) },
	{ "--stop-timeout", K_DURATION, O(stop_timeout) },
	{ "--log-days", K_UINT, O(log_days) },
	{ "--watch-debounce", K_DURATION, O(watch_debounce) },
	{ "--rescan-interval", K_DURATION, O(rescan_interval) },
	{ "--log", K_STR, O(log_file) },
	{ "--log-max-bytes", K_SIZE, O(log_max_bytes) },
	{ "--metrics", K_STR, O(metrics_file) },
	{ "--no-rollback", K_FLAG, O(no_rollback) },
	/* Start-up modes for init systems come with a later issue. */
	{ "--daemon", K_LATER, 0 },
	{ "--pidfile", K_LATER, 0 },
	{ "--ready-fd", K_LATER, 0 },
};

static const char usage[] =
	"usage: toesd [options]\n"
	"  --apps-dir DIR --data-dir DIR --toes-dir DIR --run-dir DIR\n"
	"  --ports A-B (3001-3100)   --url URL (http://localhost:3000)\n"
	"  --runner CMD   --install-cmd CMD\n"
	"  --startup-poll D (500ms)  --startup-probe-timeout D (2s)  --survival D (5s)\n"
	"  --startup-timeout D (30s) --health-interval D (30s)  --health-timeout D (5s)\n"
	"  --health-failures N (3)   --restart-delays D,D,... (1,2,4,8,16,32)\n"
	"  --stable-time D (60s)     --stop-timeout D (10s)\n"
	"  --log FILE   --log-days N (7)   --log-max-bytes N (32M)\n"
	"  --version --help\n"
	"A duration D is a number with ms, s or m; a bare number is seconds.\n";

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
	c->watch_debounce = 200;
	c->rescan_interval = 5000;
	c->log_max_bytes = 32u << 20;
}

static int set_value(struct config *c, const struct opt_def *d, const char *v)
{
	char *base = (char *)c;
	switch (d->kind) {
	case K_PATH:
		*(const char **)(void *)(base + d->offset) = v;
		return *v ? 0 : -1;
	case K_STR:
		*(const char **)(void *)(base + d->offset) = v;
		return 0;
	case K_DURATION:
		return opt_duration_ms(v, (int64_t *)(void *)(base + d->offset));
	case K_UINT:
		return opt_uint(v, (unsigned *)(void *)(base + d->offset));
	case K_PORTS:
		return opt_port_range(v, &c->port_lo, &c->port_hi);
	case K_DELAYS:
		return opt_delays(v, c->restart_delays, CONFIG_MAX_DELAYS, &c->n_restart_delays);
	case K_SIZE:
		return opt_size_bytes(v, &c->log_max_bytes);
	case K_FLAG:
	case K_LATER:
		return 0;
	}
	return -1;
}

static const struct opt_def *find_opt(const char *arg, size_t len)
{
	for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++) {
		if (strlen(opt_defs[i].name) == len && strncmp(opt_defs[i].name, arg, len) == 0) {
			return &opt_defs[i];
		}
	}
	return NULL;
}

/* One flag at argv[*i]; advances *i past its value. 0, or 2 when bad. */
static int parse_one(struct config *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt_def *d = find_opt(arg, len);
	if (!d) {
		fprintf(stderr, "toesd: unknown option '%s' (try --help)\n", arg);
		return 2;
	}
	if (d->kind == K_LATER) {
		fprintf(stderr, "toesd: %s is not supported yet\n", d->name);
		return 2;
	}
	if (d->kind == K_FLAG) {
		*(int *)(void *)((char *)c + d->offset) = 1;
		return 0;
	}
	const char *v = eq ? eq + 1 : NULL;
	if (!v) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "toesd: %s needs a value\n", d->name);
			return 2;
		}
		v = argv[++*i];
	}
	if (set_value(c, d, v) < 0) {
		fprintf(stderr, "toesd: bad value for %s: '%s'\n", d->name, v);
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

/* A day of 30: long enough for any timing, short enough that adding one
 * to a monotonic time never overflows. */
#define MAX_DURATION_MS (30LL * 86400000)

struct duration_rule {
	const char *name;
	size_t offset;
	int64_t min;
};

static const struct duration_rule duration_rules[] = {
	{ "--startup-poll", O(startup_poll), 1 },
	{ "--startup-probe-timeout", O(startup_probe_timeout), 1 },
	{ "--survival", O(survival), 0 },
	{ "--startup-timeout", O(startup_timeout), 1 },
	{ "--health-interval", O(health_interval), 1 },
	{ "--health-timeout", O(health_timeout), 1 },
	{ "--stable-time", O(stable_time), 0 },
	{ "--stop-timeout", O(stop_timeout), 0 },
	{ "--watch-debounce", O(watch_debounce), 0 },
	{ "--rescan-interval", O(rescan_interval), 1 },
};

/* Values that parse but make no sense: one line, exit 2. */
static int config_check(const struct config *c)
{
	for (size_t i = 0; i < sizeof duration_rules / sizeof duration_rules[0]; i++) {
		const struct duration_rule *r = &duration_rules[i];
		int64_t v = *(const int64_t *)(const void *)((const char *)c + r->offset);
		if (v < r->min || v > MAX_DURATION_MS) {
			fprintf(stderr, "toesd: %s must be between %s and 30 days\n", r->name, r->min ? "1ms" : "0");
			return 2;
		}
	}
	for (size_t i = 0; i < c->n_restart_delays; i++) {
		if (c->restart_delays[i] > MAX_DURATION_MS) {
			fprintf(stderr, "toesd: --restart-delays: each delay must be at most 30 days\n");
			return 2;
		}
	}
	if (c->health_failures == 0) {
		fprintf(stderr, "toesd: --health-failures must be at least 1\n");
		return 2;
	}
	if ((c->runner && !*c->runner) || (c->install_cmd && !*c->install_cmd) || !*c->url) {
		fprintf(stderr, "toesd: --runner, --install-cmd and --url may not be empty\n");
		return 2;
	}
	return 0;
}

int config_parse(struct config *c, int argc, char **argv)
{
	config_defaults(c);
	config_environment(c);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("toesd %s\n", TOES_VERSION);
			return 1;
		}
		if (strncmp(argv[i], "--", 2) != 0) {
			fprintf(stderr, "toesd: unexpected argument '%s' (try --help)\n", argv[i]);
			return 2;
		}
		int r = parse_one(c, argc, argv, &i);
		if (r) {
			return r;
		}
	}
	return config_check(c);
}


void config_free(struct config *c)
{
	for (size_t i = 0; i < sizeof c->owned / sizeof c->owned[0]; i++) {
		free(c->owned[i]);
		c->owned[i] = NULL;
	}
}
