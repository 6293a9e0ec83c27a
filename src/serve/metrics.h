/* metrics: the --metrics FILE, Prometheus text format 0.0.4 (the form
 * node_exporter's textfile collector reads), SPEC §8. Written like the
 * status file: atomically, after a loop turn in which an app changed,
 * and only when its text differs; never on a timer. */
#ifndef TOES_METRICS_H
#define TOES_METRICS_H

#include "base/buf.h"

#include <stdint.h>

/* The text of the file for every app now; start_wall_ms: toesd's start. */
void metrics_render(struct buf *out, int64_t start_wall_ms);
/* Start keeping path (its folder must exist). -1 (logged) when it
 * cannot be: toesd runs on without the file. */
int metrics_open(const char *path, int64_t start_wall_ms);
/* Once per loop turn, after the registry's change flush. */
void metrics_flush(void);
void metrics_close(void);

#endif
