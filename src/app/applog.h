/* applog: what toesd says about an app. [system] lines go to the app's
 * day file, its recent lines and toesd's own log, from one clock reading
 * and one formatting; the app's own output lines to the first two. Also
 * the error status shows for the app. */
#ifndef TOES_APPLOG_H
#define TOES_APPLOG_H

#include "app/app.h"

/* The byte cap per day for app lines (--log-max-bytes; 0: none). */
void applog_set_cap(uint64_t max_bytes);

/* A [system] line. */
void app_log(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line of the app's output (tag LOG_STDOUT or LOG_STDERR). */
void app_output_line(struct app *a, enum log_tag tag, const char *text, size_t len);

/* Replace the error status shows (the app is marked changed). */
void app_set_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_clear_error(struct app *a);

#endif
