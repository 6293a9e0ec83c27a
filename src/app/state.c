/* state: $TOES_DIR/state read at start, written when it changes. */
#include "app/state.h"

#include "app/registry.h"
#include "base/buf.h"
#include "app/changefile.h"
#include "base/index.h"
#include "base/log.h"
#include "base/path.h"
#include "base/safefile.h"
#include "parse/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_NAME "state"
/* Far more than a few hundred apps need: a bigger file is not toesd's. */
#define STATE_MAX (1024 * 1024)

static int dir_fd = -1;            /* TOES_DIR while the file is read at start */
static char state_path[PATH_MAX];
static struct ports *pool;
static struct statefile loaded;    /* what the file held at start (sorted by name) */
static struct changefile file = { .dir_fd = -1 };

/* --- reading --- */

/* The whole file into text: 1; 0 when there is none; -1 with why. */
static int read_state_file(struct buf *text, char *why, size_t cap)
{
	int fd = safe_open_file(dir_fd, STATE_NAME, O_RDONLY, 0);
	if (fd < 0) {
		if (errno == ENOENT) {
			return 0;
		}
		int err = errno;
		snprintf(why, cap, err == ELOOP || err == SAFE_ENOTREG ? "%s" : "cannot be read: %s",
			 safe_strerror(err));
		return -1;
	}
	int r = 1;
	char chunk[16384];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			snprintf(why, cap, "cannot be read: %s", strerror(errno));
			r = -1;
			break;
		}
		if (n == 0) {
			break;
		}
		if (text->len + (size_t)n > STATE_MAX) {
			snprintf(why, cap, "is larger than %d KiB", STATE_MAX / 1024);
			r = -1;
			break;
		}
		buf_add(text, chunk, (size_t)n);
	}
	close(fd);
	if (r > 0 && text->failed) {
		snprintf(why, cap, "cannot be read: out of memory");
		r = -1;
	}
	return r;
}

/* What the file says, into loaded; said once when it is no good. */
static void read_state(void)
{
	char why[320], err[256];
	struct buf text = { 0 };
	int r = read_state_file(&text, why, sizeof why);
	if (r > 0 && statefile_parse(text.data ? text.data : "", text.len, &loaded, err, sizeof err) < 0) {
		snprintf(why, sizeof why, "is corrupt: %s", err);
		r = -1;
	}
	if (r < 0) {
		log_msg(NULL, "state file %s %s; ignored: every app starts fresh "
			"(no port or stop from before is kept)", state_path, why);
	}
	buf_free(&text);
}

void state_load(const char *toes_dir, struct ports *p)
{
	pool = p;
	if (path_format(state_path, sizeof state_path, "%s/%s", toes_dir, STATE_NAME) < 0) {
		state_path[0] = '\0';
		log_msg(NULL, "the path of the state file in %s is too long; "
			"ports and stops are not kept across restarts of toesd", toes_dir);
		return;
	}
	/* Every later open and rename is relative to the folder: the
	 * temporary file is always beside the state file. */
	dir_fd = open(toes_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		log_errno(NULL, "cannot open the toes folder %s; "
			  "ports and stops are not kept across restarts of toesd", toes_dir);
		state_path[0] = '\0';
		return;
	}
	read_state();
	close(dir_fd);
	dir_fd = -1;
}

void state_restore(struct app *a)
{
	const struct state_entry *e = statefile_find(&loaded, a->name);
	if (!e) {
		return;
	}
	if (e->port && ports_book(pool, e->port) == 0) {
		a->last_port = e->port;
	} else if (e->port) {
		log_msg(a->name, "port %d, kept from before, is outside the pool %d-%d; "
			"the app gets another port", e->port, pool->lo, pool->hi);
	}
	if (e->stopped) {
		a->want = WANT_DOWN;
	}
}

/* --- what is kept, and when it changed --- */

/* What the file keeps of a into e (no name): 0 when nothing (no booking,
 * not stopped by request, or on its way out). */
static int kept(const struct app *a, struct state_entry *e)
{
	if (a->gone || a->want == WANT_GONE) {
		return 0;
	}
	e->port = a->last_port;
	e->stopped = a->want == WANT_DOWN;
	return e->port != 0 || e->stopped;
}

/* The file's text for the apps now. The registry holds them sorted by
 * name, as the file wants; names are borrowed, not copied. Most changes
 * (a state, a health check) render the same text: the file is not
 * written then. */
static void render(struct buf *out)
{
	size_t n = app_count(), k = 0;
	struct state_entry *e = calloc(n ? n : 1, sizeof *e);
	if (!e) {
		out->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct app *a = app_at(i);
		if (kept(a, &e[k])) {
			e[k++].name = a->name;
		}
	}
	statefile_format(out, e, k);
	free(e);
}

void state_watch(void)
{
	if (!state_path[0] ||
	    changefile_open(&file, state_path, "state file", render, 1) < 0) {
		statefile_free(&loaded);
		return;
	}
	/* What the file holds already is not written again: an app gone
	 * since (its booking goes) makes the first render differ. */
	struct buf was = { 0 };
	statefile_format(&was, loaded.entries, loaded.n);
	if (!was.failed) {
		file.written = index_hash(was.data, was.len);
	}
	buf_free(&was);
	statefile_free(&loaded);
}

void state_flush(void)
{
	changefile_flush(&file);
}

void state_fini(void)
{
	changefile_close(&file);
	statefile_free(&loaded);
}
