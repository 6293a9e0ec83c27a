/* status: what `toesctl status` shows, as a table, details or JSON (SPEC
 * §8). Renderers read only the record's absolute times (monotonic for
 * durations, wall for stamps) and the render time they are given, so the
 * same record renders the same anywhere, a file written on change too. */
#ifndef TOES_STATUS_H
#define TOES_STATUS_H

#include "app/app.h"
#include "base/buf.h"

/* The moment a render shows: relative times are counted to it. A render
 * for a file written only on change (absolute) shows no relative time:
 * the table's UPTIME is SINCE (the UTC time the app entered its state)
 * and a scheduled restart shows the UTC time it is due (SPEC §8). */
struct status_time {
	monotime mono;
	int64_t wall;
	int absolute;
};

/* Now, read once for one render. */
struct status_time status_now(void);

/* One app as a JSON object (no newline). */
void status_json_app(struct buf *out, const struct app *a, struct status_time t);
/* Every app as a JSON array sorted by name, then a newline. */
void status_json_all(struct buf *out, struct status_time t);
/* The table of every app, columns sized to their longest value. */
void status_table(struct buf *out, struct status_time t);
/* One app's details and its last log lines. */
void status_details(struct buf *out, const struct app *a, struct status_time t);
/* The state with its detail: "running", "stopped (restart in 4s, attempt
 * 3)", "stopped (waiting for a port)", "stopping (sigkill)"... */
void status_state_text(char *out, size_t cap, const struct app *a, struct status_time t);

#endif
