/* leftovers: processes an app left outside its process group (a daemon's
 * double fork and setsid) that were reparented to toesd, its subreaper
 * (SPEC §11). They are stopped with the app: signalled with its group,
 * and killed when its run is over. A leftover is known by what it
 * inherited: DATA_DIR set to the app's own data folder. */
#ifndef TOES_LEFTOVERS_H
#define TOES_LEFTOVERS_H

#include "app/app.h"

/* Send signo to every leftover of a; how many. */
int leftovers_signal(const struct app *a, int signo);

#endif
