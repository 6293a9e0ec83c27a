/* logfollow: toesctl logs -f. Polls every FOLLOW_POLL_MS (toesctl is not
 * the daemon: a sleeping poll costs nothing that matters, and needs no
 * inotify): each turn it shows what was appended to each app's day file,
 * moves on to a newer day's file as soon as one appears (after the rest
 * of the old one), notices a truncation (logrotate copytruncate) and a
 * file replaced under its name, and holds a line back until its newline
 * is there. The apps' new lines of one turn are merged in time order. */
#ifndef TOES_CTL_LOGFOLLOW_H
#define TOES_CTL_LOGFOLLOW_H

#include "toesctl/logapps.h"
#include "toesctl/logout.h"

#define FOLLOW_POLL_MS 200

/*
 * Follow the apps from where each one's followed file and offset are
 * (apps_follow_file), until standard output fails or its reader goes.
 * all: every app, also those whose logs folder appears later (a folder
 * renamed while followed, recognised by its file, goes on under its new
 * name). date: that day's file only, no moving on (NULL: the newest).
 * Returns the exit code (out_exit_code).
 */
int follow_run(struct log_apps *apps, int all, const char *date, struct log_out *o);

#endif
