/* ctl: the control socket <run-dir>/toesd.sock that toesctl talks to.
 * Serves root and toesd's own user only; each request gets one answer;
 * a malformed or oversized request gets an error, never harms toesd. */
#ifndef TOES_CTL_H
#define TOES_CTL_H

#include "app/app.h"

#include <stddef.h>

/* What `reload` does (toesd's own business): a summary into out. name:
 * `reload NAME` (an app that exists), else NULL: the whole folder. */
typedef void (*ctl_reload_fn)(const char *name, char *out, size_t cap);

/* Bind and listen (the pid lock is held, so a stale socket is ours to
 * remove). Returns -1 with a message in err. */
/* Until called with NULL, every request but status is answered "busy:
 * why" (toesd is stopping what a crashed predecessor left). */
void ctl_busy(const char *why);
int ctl_open(const char *run_dir, ctl_reload_fn reload, char *err, size_t cap);
/* An app changed (a registry observer): answer the requests that waited
 * for it. */
void ctl_app_changed(const struct app *a);
/* At exit: send the answers still queued, waiting at most ms. */
void ctl_drain(int ms);
/* Close every connection and the listener, remove the socket (at exit). */
void ctl_close(void);

#endif
