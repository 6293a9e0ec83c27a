/* log: toesd's own log (standard error or --log FILE), one message shape:
 * "[stamp] [who] message". Per-app log files live in logfile. */
#ifndef TOES_LOG_H
#define TOES_LOG_H

/* Send toesd's log to path (append); NULL means standard error.
 * Returns -1 with errno set when the file cannot be opened. */
int log_open(const char *path);
/* who: an app name, or NULL for toesd itself. */
void log_msg(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like log_msg, with ": strerror(errno)" appended. */
void log_errno(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
