/* log: toesd's own log lines, with a wall-clock stamp and who they concern. */
#include "base/log.h"

#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_fd = 2;

int log_open(const char *path)
{
	if (!path) {
		if (log_fd > 2) {
			close(log_fd);
		}
		log_fd = 2;
		return 0;
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		return -1;
	}
	if (log_fd > 2) {
		close(log_fd);
	}
	log_fd = fd;
	return 0;
}

static void log_write(const char *who, const char *err, const char *fmt, va_list ap)
{
	char line[2048], stamp[32];
	clock_format_iso(clock_wall_ms(), stamp);
	int n = snprintf(line, sizeof line, "[%s] [%s] ", stamp, who ? who : "toesd");
	int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof line - 2) {
		len = sizeof line - 2;
	}
	if (err) {
		int k = snprintf(line + len, sizeof line - len, ": %s", err);
		len += k < 0 ? 0 : (size_t)k;
		if (len > sizeof line - 2) {
			len = sizeof line - 2;
		}
	}
	line[len++] = '\n';
	/* Nothing useful can be done when toesd's own log cannot be written. */
	ssize_t w = write(log_fd, line, len);
	(void)w;
}

void log_msg(const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_write(who, NULL, fmt, ap);
	va_end(ap);
}

void log_errno(const char *who, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	log_write(who, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}
