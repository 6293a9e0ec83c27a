/* probe: one non-blocking `GET /ok` inside the event loop. Connects to
 * 127.0.0.1:PORT, then [::1]:PORT when refused; reads only the status line.
 * A slow or silent app never blocks anything: one deadline covers it all. */
#ifndef TOES_PROBE_H
#define TOES_PROBE_H

#include "parse/httpstatus.h"
#include "base/loop.h"

#include <stddef.h>

enum probe_outcome {
	PROBE_UP,        /* 2xx or 3xx */
	PROBE_STATUS,    /* answered with another status (code set) */
	PROBE_NO_ANSWER, /* refused, reset, timeout, garbage, self-connect */
	PROBE_NO_SOCKET, /* toesd could not make or watch a socket (err says
	                  * why): no word about the app */
};

/* Why a probe got no answer (PROBE_NO_ANSWER), for the log. */
enum probe_why {
	WHY_NONE, WHY_REFUSED, WHY_RESET, WHY_TIMEOUT, WHY_NO_STATUS_LINE, WHY_SELF, WHY_OTHER,
	WHY_NO_SOCKET, /* the outcome is PROBE_NO_SOCKET */
};

struct probe;
typedef void (*probe_fn)(struct probe *p, enum probe_outcome outcome, int code);

struct probe {
	struct loop_fd w;
	struct loop_timer deadline;
	probe_fn done;
	int port;
	unsigned char step;      /* private: connecting v4/v6, sending, reading */
	unsigned short sent;
	monotime started;
	unsigned char why;       /* enum probe_why: PROBE_NO_ANSWER's, or WHY_NO_SOCKET */
	int err;                 /* WHY_OTHER, WHY_NO_SOCKET: the errno */
	char *path;              /* the path asked for; NULL: /ok */
	int64_t timeout_ms;
	struct httpstatus status;
};

/* Before first use: reserves the probe's timer. -1 (ENOMEM) when it cannot. */
int probe_init(struct probe *p);
/* Cancel and give the timer back. */
void probe_fini(struct probe *p);
/* Start a probe (none may be in flight on p); done is called exactly once,
 * from the loop, unless the probe is cancelled first. */
void probe_start(struct probe *p, int port, const char *path, int64_t timeout_ms, probe_fn done);
/* What the finished probe found, for a log line: "connection refused",
 * "timeout after 5s", "/ok returned 503", "connection reset", "no HTTP
 * status line"... (code: the status of PROBE_STATUS). */
void probe_describe(const struct probe *p, enum probe_outcome outcome, int code, char *out, size_t cap);
/* The path a probe of path asks for ("/ok" when NULL). */
const char *probe_path(const char *path);
void probe_cancel(struct probe *p);
int probe_busy(const struct probe *p);

#endif
