/* statusfile: the table of toesctl status, in a file, on change only. */
#include "serve/statusfile.h"

#include "app/registry.h"
#include "base/atomicfile.h"
#include "base/buf.h"
#include "base/log.h"
#include "serve/status.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FILE_NAME "status"
#define TEMP_NAME "status.tmp"

static int dir_fd = -1;
static char file_path[PATH_MAX];
static int observing;       /* registered with the registry (once per process) */
static int dirty;           /* an app changed since the last flush */
static int failing;         /* the last write failed: said once */
static uint64_t written;    /* hash of what the file holds; 0: nothing yet */

static void on_app_changed(const struct app *a)
{
	dirty = 1;
}

/* FNV-1a: the table is compared, not kept (it is 10 KiB for 100 apps). */
static uint64_t hash_of(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	}
	return h ? h : 1;
}

int statusfile_open(const char *run_dir)
{
	if (snprintf(file_path, sizeof file_path, "%s/%s", run_dir, FILE_NAME) >= (int)sizeof file_path) {
		log_msg(NULL, "the status file path %s/%s is too long; no status file is kept", run_dir, FILE_NAME);
		return -1;
	}
	dir_fd = open(run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		log_errno(NULL, "cannot open %s; no status file is kept", run_dir);
		return -1;
	}
	if (!observing && app_observe(on_app_changed) < 0) {
		log_msg(NULL, "cannot watch the apps' changes (too many observers); no status file is kept");
		close(dir_fd);
		dir_fd = -1;
		return -1;
	}
	observing = 1;
	dirty = 1;
	written = 0;
	return 0;
}

static void write_table(const struct buf *table, uint64_t h)
{
	const char *step = NULL;
	int r = atomicfile_write(dir_fd, FILE_NAME, TEMP_NAME, table->data, table->len, 0, &step);
	if (r < 0) {
		if (!failing) {
			log_errno(NULL, "cannot %s %s/%s; the status file stays as it was, written again at the "
				  "next change", step, file_path, TEMP_NAME);
		}
		failing = 1;
		return;
	}
	if (failing) {
		log_msg(NULL, "status file %s written again", file_path);
	}
	failing = 0;
	written = h;
}

void statusfile_flush(void)
{
	if (dir_fd < 0 || !dirty) {
		return;
	}
	dirty = 0;
	struct buf table = { 0 };
	struct status_time t = status_now();
	t.absolute = 1;
	status_table(&table, t);
	if (table.failed) {
		/* Out of memory: the next change tries again. */
		buf_free(&table);
		return;
	}
	uint64_t h = hash_of(table.data, table.len);
	if (h != written) {
		write_table(&table, h);
	}
	buf_free(&table);
}

void statusfile_close(void)
{
	if (dir_fd >= 0) {
		close(dir_fd);
		dir_fd = -1;
	}
}
