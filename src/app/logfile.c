/* logfile: per-app day files, the daily cap, and counting what was lost. */
#include "app/logfile.h"

#include "base/clock.h"
#include "base/loop.h"
#include "base/path.h"
#include "base/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY_MS 86400000LL

static void lost_one(struct logfile *lf)
{
	lf->lost++;
	lf->lost_total++;
}

static const char *const tag_names[] = {
	[LOG_STDOUT] = "stdout",
	[LOG_STDERR] = "stderr",
	[LOG_SYSTEM] = "system",
};

static int64_t day_of(int64_t wall_ms)
{
	int64_t d = wall_ms / DAY_MS;
	return wall_ms < 0 && wall_ms % DAY_MS ? d - 1 : d;
}

void logfile_init(struct logfile *lf)
{
	memset(lf, 0, sizeof *lf);
	lf->fd = -1;
}

size_t logfile_format(char *out, size_t cap, const char *stamp, enum log_tag tag,
		      const char *text, size_t len)
{
	int n = snprintf(out, cap, "[%s] [%s] ", stamp, tag_names[tag]);
	if (n < 0 || (size_t)n + 2 > cap) {
		return 0;
	}
	if (len > cap - (size_t)n - 2) {
		len = cap - (size_t)n - 2;
	}
	memcpy(out + n, text, len);
	out[(size_t)n + len] = '\n';
	out[(size_t)n + len + 1] = '\0';
	return (size_t)n + len + 1;
}

/* Open dir's file for wall_ms's day: the folder is made again when it
 * was removed, but neither it nor the file is taken through a symbolic
 * link, and the file must be a regular one (an app's owner can write
 * the folder; toesd may be root). -1 with errno. */
static int open_day(struct logfile *lf, const char *dir, int64_t wall_ms)
{
	char day[16];
	clock_format_day(wall_ms, day);
	memcpy(day + 10, ".log", 5);
	lf->refused_file = 0;
	int dfd = safe_open_dir_path(dir, 0755);
	if (dfd < 0) {
		return -1;
	}
	int fd = safe_open_file(dfd, day, O_WRONLY | O_APPEND | O_CREAT, 0644);
	int saved = errno;
	close(dfd);
	if (fd < 0) {
		lf->refused_file = 1;
		errno = saved;
		return -1;
	}
	struct stat st;
	lf->day_bytes = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	lf->fd = fd;
	lf->day = day_of(wall_ms);
	lf->checked_turn = loop_turn();
	lf->refused = 0;
	return 0;
}

/* A failure to open (a link refused, a FIFO, a folder in the file's place,
 * a full disk) is reported once, and again only when it changes or after
 * a file opened again; the lines meanwhile are counted as lost. */
static int open_failed(struct logfile *lf, int err)
{
	lf->failed_turn = loop_turn() + 1;
	if (err == lf->refused) {
		return 0;
	}
	lf->refused = err;
	return err;
}

static void close_day(struct logfile *lf)
{
	if (lf->fd >= 0) {
		close(lf->fd);
		lf->fd = -1;
	}
}

/* The open file is still today's and still linked in its folder (its
 * folder may have been removed): asked of the kernel once per turn. */
static int still_good(struct logfile *lf, int64_t wall_ms)
{
	if (lf->fd < 0 || lf->day != day_of(wall_ms)) {
		return 0;
	}
	if (lf->checked_turn == loop_turn()) {
		return 1;
	}
	lf->checked_turn = loop_turn();
	struct stat st;
	return fstat(lf->fd, &st) == 0 && st.st_nlink > 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write one formatted line to the open file; -1 when it failed. */
static int put_line(struct logfile *lf, const char *line, size_t n)
{
	if (write_all(lf->fd, line, n) < 0) {
		/* Next time, reopen: the folder may be back, the disk less full. */
		close_day(lf);
		return -1;
	}
	lf->day_bytes += n;
	return 0;
}

/* A [system] notice of toesd's own, stamped wall_ms. */
static int put_notice(struct logfile *lf, int64_t wall_ms, const char *text)
{
	char stamp[32], line[256];
	clock_format_iso(wall_ms, stamp);
	size_t n = logfile_format(line, sizeof line, stamp, LOG_SYSTEM, text, strlen(text));
	return put_line(lf, line, n);
}

static void put_dropped_notice(struct logfile *lf, int64_t wall_ms, uint64_t count)
{
	char text[128];
	snprintf(text, sizeof text, "%llu lines dropped (daily log limit)", (unsigned long long)count);
	if (put_notice(lf, wall_ms, text) < 0) {
		lost_one(lf);
	}
}

/* Say what is owed before anything else goes into the file: lost lines
 * at once, lines over the cap once their day is over (or at close). */
static void put_pending(struct logfile *lf, int64_t wall_ms, int closing)
{
	if (lf->dropped && (closing || lf->day != lf->dropped_day)) {
		uint64_t d = lf->dropped;
		lf->dropped = 0;
		put_dropped_notice(lf, wall_ms, d);
	}
	if (lf->lost && lf->fd >= 0) {
		char text[64];
		snprintf(text, sizeof text, "%llu lines lost", (unsigned long long)lf->lost);
		if (put_notice(lf, wall_ms, text) == 0) {
			lf->lost = 0;
		}
	}
}

int logfile_write(struct logfile *lf, const char *dir, int64_t wall_ms,
		  enum log_tag tag, const char *line, size_t n, uint64_t max_bytes)
{
	if (!still_good(lf, wall_ms)) {
		close_day(lf);
		/* One try per loop turn: a refused or failing file costs no
		 * system calls for every further line of the same burst. */
		if (lf->failed_turn == loop_turn() + 1) {
			lost_one(lf);
			return 0;
		}
		if (open_day(lf, dir, wall_ms) < 0) {
			lost_one(lf);
			return open_failed(lf, errno);
		}
	}
	put_pending(lf, wall_ms, 0);
	if (lf->fd < 0) {
		lost_one(lf);
		return 0;
	}
	if (tag != LOG_SYSTEM && max_bytes && lf->day_bytes + n > max_bytes) {
		lf->dropped++;
		lf->dropped_total++;
		lf->dropped_day = lf->day;
		return 0;
	}
	if (put_line(lf, line, n) < 0) {
		lost_one(lf);
	}
	return 0;
}

void logfile_close(struct logfile *lf, const char *dir, int64_t wall_ms)
{
	if (lf->dropped || lf->lost) {
		if (!still_good(lf, wall_ms)) {
			close_day(lf);
			open_day(lf, dir, wall_ms);
		}
		if (lf->fd >= 0) {
			put_pending(lf, wall_ms, 1);
		}
	}
	close_day(lf);
}

/* name is a day file ("YYYY-MM-DD.log") older than the day oldest. */
static int is_old_day_file(const char *name, int64_t oldest)
{
	char day[11];
	if (strlen(name) != 14 || strcmp(name + 10, ".log") != 0) {
		return 0;
	}
	memcpy(day, name, 10);
	day[10] = '\0';
	int64_t when = clock_parse_day(day);
	return when >= 0 && when < oldest;
}

int logfile_prune(const char *dir, unsigned keep_days, int64_t wall_ms)
{
	/* Only the real folder (never where a link named logs points), and
	 * in it only regular files. */
	int dfd = safe_open_dir_path(dir, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0) {
			close(dfd);
		}
		return 0;
	}
	int64_t oldest = day_of(wall_ms) - (int64_t)keep_days;
	int deleted = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (is_old_day_file(e->d_name, oldest) &&
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    unlinkat(dfd, e->d_name, 0) == 0) {
			deleted++;
		}
	}
	closedir(d);
	return deleted;
}
