/* page: the status page at / (SPEC §14): one HTML document with its CSS
 * and script inline, no file from elsewhere. The table (icon, name,
 * state and detail, uptime, restarts, last exit, error) is complete
 * without JavaScript; with it, the rows follow /events, and an app's row
 * opens its last log lines. */
#ifndef TOES_PAGE_H
#define TOES_PAGE_H

#include "base/buf.h"
#include "serve/status.h"

void page_render(struct buf *out, struct status_time t);

#endif
