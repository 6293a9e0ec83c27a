/* logs: toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD] (SPEC §8).
 * Reads APPS_DIR/<name>/logs/YYYY-MM-DD.log itself: works with or
 * without a running toesd. */
#ifndef TOES_CTL_LOGS_H
#define TOES_CTL_LOGS_H

/* apps_dir: absolute. n words follow "logs" on the command line.
 * Returns toesctl's exit code (2: bad arguments, said on stderr). */
int logs_run(const char *apps_dir, int n, char **words);

#endif
