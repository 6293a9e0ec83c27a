/* config: toesd's settings, from the command line and the environment. */
#ifndef TOES_CONFIG_H
#define TOES_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_DELAYS 32

#define CONFIG_NO_FD ((unsigned)-1)

struct config {
	const char *data_dir, *apps_dir, *toes_dir, *run_dir; /* absolute after config_resolve */
	int port_lo, port_hi;
	const char *url;
	const char *runner;       /* NULL: /bin/sh -c the script */
	const char *install_cmd;  /* NULL: none */
	int64_t startup_poll, startup_probe_timeout, survival, startup_timeout;
	int64_t health_interval, health_timeout;
	unsigned health_failures;
	int64_t restart_delays[CONFIG_MAX_DELAYS];
	size_t n_restart_delays;
	int64_t stable_time, stop_timeout;
	unsigned log_days;
	int64_t watch_debounce, rescan_interval;
	const char *log_file;
	uint64_t log_max_bytes;
	const char *metrics_file;
	const char *http_listen;  /* --http [ADDR:]PORT; NULL: off */
	int no_rollback;
	unsigned keep_versions;   /* 0: keep all */
	int daemon;               /* --daemon */
	const char *pidfile;      /* --pidfile FILE, NULL: none */
	unsigned ready_fd;        /* --ready-fd N; CONFIG_NO_FD: none */
	char *owned[4];           /* the folders config_resolve allocated */
};

/* Fill defaults, then the environment, then argv. On a bad flag or value
 * writes one line to standard error and returns 2; --help and --version
 * print and return 1; 0 to go on. */
int config_parse(struct config *c, int argc, char **argv);
/* Free what config_resolve allocated. */
void config_free(struct config *c);

#endif
