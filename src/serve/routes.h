/* routes: the paths of toesd's HTTP endpoint (serve/httpconn.h has
 * http_route). */
#ifndef TOES_ROUTES_H
#define TOES_ROUTES_H

#include <stdint.h>

/* toesd's start, for /metrics' toesd_start_time_seconds. */
void routes_set_start(int64_t wall_ms);

#endif
