/* stamper: the restart benchmark's app. As its very first action, main takes
 * CLOCK_REALTIME and appends one line "<pid> <ns>\n" to the file named by its
 * first argument (else by $STAMP_FILE), in one write() with O_APPEND; then it
 * waits, doing nothing, until a signal ends it. The stamp marks the first
 * instruction of the program a supervisor (re)started: see restartlat.c. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Decimal digits of v at the end of buf[0..end), returns where they start. */
static char *put_u64(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

int main(int argc, char **argv)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	const char *path = argc > 1 ? argv[1] : getenv("STAMP_FILE");
	if (path && *path) {
		char line[64];
		char *end = line + sizeof line;
		*--end = '\n';
		char *p = put_u64(end, (unsigned long long)ts.tv_sec * 1000000000ULL +
					     (unsigned long long)ts.tv_nsec);
		*--p = ' ';
		p = put_u64(p, (unsigned long long)getpid());
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			ssize_t w = write(fd, p, (size_t)(line + sizeof line - p));
			(void)w;
			close(fd);
		}
	}
	for (;;) {
		pause();
	}
}
