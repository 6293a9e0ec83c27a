/* logs: toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD] (SPEC §6, §8).
 * Reads APPS_DIR/<name>/logs/YYYY-MM-DD.log itself: works with or
 * without a running toesd.
 *
 *   NAME            one app (a folder of APPS_DIR); without it every folder
 *                   that has a logs folder, merged in time order (stamps
 *                   compared as strings; a line without one sorts with the
 *                   line before it in its file; apps in name order on a
 *                   tie), each line prefixed "name | " with the names
 *                   padded to one width, as pm2 logs does
 *   -n N, -nN       the last N lines (default 10; 0 shows none, for -f);
 *                   of the newest day, earlier days filling in; merged:
 *                   the last N of the merged stream. No --lines.
 *   --date D        that UTC day's file only (also --date=D)
 *   -f              then follow (logfollow.h)
 *   --              ends the options: NAME may then start with '-'
 *
 * Options come in any order, before or after NAME; a repeated one takes
 * its last value. Lines are printed as the file holds them (toesd escaped
 * them when writing). Without -f, a last line with no newline is shown
 * with one; -f holds it back until its newline comes. */
#ifndef TOES_CTL_LOGS_H
#define TOES_CTL_LOGS_H

/* apps_dir: absolute. n words follow "logs" on the command line.
 * Returns toesctl's exit code: 0 shown (also when standard output's
 * reader went away), 1 an unknown app, a missing --date file or a file
 * that could not be read (said on stderr, what could be read is shown),
 * 2 bad arguments (said on stderr). */
int logs_run(const char *apps_dir, int n, char **words);

#endif
