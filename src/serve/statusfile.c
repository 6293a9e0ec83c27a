/* statusfile: the table of toesctl status, in a file, on change only. */
#include "serve/statusfile.h"

#include "base/path.h"
#include "app/changefile.h"
#include "serve/status.h"

#include <limits.h>

static struct changefile file = { .dir_fd = -1 };

/* The table with absolute times: a file cannot count down. */
static void render(struct buf *out)
{
	struct status_time t = status_now();
	t.absolute = 1;
	status_table(out, t);
}

int statusfile_open(const char *run_dir)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/status", run_dir) < 0) {
		path[0] = '\0'; /* changefile_open says it cannot be used */
	}
	return changefile_open(&file, path, "status file", render, 0);
}

void statusfile_flush(void)
{
	changefile_flush(&file);
}

void statusfile_close(void)
{
	changefile_close(&file);
}
