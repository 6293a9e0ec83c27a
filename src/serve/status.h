/* status: what `toesctl status` shows, as a table, details or JSON (SPEC §8). */
#ifndef TOES_STATUS_H
#define TOES_STATUS_H

#include "app/app.h"
#include "base/buf.h"

/* One app as a JSON object (no newline). */
void status_json_app(struct buf *out, const struct app *a);
/* Every app as a JSON array sorted by name, then a newline. */
void status_json_all(struct buf *out);
/* The table of every app. */
void status_table(struct buf *out);
/* One app's details and its last log lines. */
void status_details(struct buf *out, const struct app *a);

#endif
