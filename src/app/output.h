/* output: the pipes of an app's stdout and stderr, read in the loop and
 * split into log lines (SPEC §6). */
#ifndef TOES_OUTPUT_H
#define TOES_OUTPUT_H

#include "app/app.h"

/* Watch the read ends of the current process's pipes (closed on failure). */
void app_watch_output(struct app *a, int out_fd, int err_fd);
/* Read what is left, write out partial lines, close the pipes: the app's
 * last words come before its exit line. */
void app_drain_output(struct app *a);

#endif
