/* log: toesd's own log (standard error or --log FILE), one message shape:
 * "[stamp] [who] message". It never blocks the master: when the reader
 * stalls, at most LOG_QUEUE_MAX bytes wait (written from the loop once
 * the descriptor is writable), further lines are counted, and
 * "N lines of toesd's log lost" is written once writing works again.
 * Names and texts are written escaped (base/escape): control characters
 * show as \xHH, so a line is always one line and reaches a terminal clean.
 * Per-app log files live in app/logfile. */
#ifndef TOES_LOG_H
#define TOES_LOG_H

#include <stddef.h>

#define LOG_QUEUE_MAX 65536

/* Send toesd's log to path (append); NULL means standard error. A
 * descriptor shared with other processes (a terminal, a pipe) is never
 * switched to non-blocking mode: toesd writes through its own open file
 * description of it (or polls first where it cannot have one).
 * Returns -1 with errno set when the file cannot be opened. */
int log_open(const char *path);
/* who: an app name, or NULL for toesd itself. */
void log_msg(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like log_msg, with ": strerror(errno)" appended; errno is kept. */
void log_errno(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* One line whose stamp is already formatted (the stamp of the app's own
 * log line, so the clock is read and formatted once). */
void log_stamped(const char *stamp, const char *who, const char *text, size_t len);
/* At exit: write what still waits, for at most ms milliseconds. */
void log_drain(int ms);
/* Lines dropped since start (none were ever written). */
unsigned long log_lines_lost(void);

#endif
