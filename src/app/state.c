/* state: $TOES_DIR/state read at start, written when it changes. */
#include "app/state.h"

#include "app/registry.h"
#include "base/buf.h"
#include "base/atomicfile.h"
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
#define TEMP_NAME "state.tmp"
/* Far more than a few hundred apps need: a bigger file is not toesd's. */
#define STATE_MAX (1024 * 1024)

static int dir_fd = -1;            /* TOES_DIR; -1: nothing is kept */
static char state_path[PATH_MAX];  /* for messages */
static struct ports *pool;
static struct statefile written;   /* what the file holds (sorted by name) */
static int observing;              /* the observer is registered (for good) */
static int watching;               /* between state_watch and state_fini */
static int dirty;                  /* a booking or a mark may have changed */
static int failing;                /* the last write failed: any change retries */

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

/* What the file says, into written; said once when it is no good. */
static void read_state(void)
{
	char why[320], err[256];
	struct buf text = { 0 };
	int r = read_state_file(&text, why, sizeof why);
	if (r > 0 && statefile_parse(text.data ? text.data : "", text.len, &written, err, sizeof err) < 0) {
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
		return;
	}
	read_state();
}

void state_restore(struct app *a)
{
	const struct state_entry *e = statefile_find(&written, a->name);
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

/* Told of every changed app at the flush: most changes (a state, a
 * health check) change nothing the file keeps. */
static void on_app_changed(const struct app *a)
{
	if (!watching || dirty) {
		return;
	}
	if (failing) {
		dirty = 1;
		return;
	}
	struct state_entry now;
	const struct state_entry *was = statefile_find(&written, a->name);
	if (!kept(a, &now)) {
		dirty = was != NULL;
	} else {
		dirty = !was || was->port != now.port || was->stopped != now.stopped;
	}
}

void state_watch(void)
{
	if (dir_fd < 0) {
		return;
	}
	if (!observing && app_observe(on_app_changed) < 0) {
		log_msg(NULL, "cannot watch the apps' changes (too many observers); "
			"ports and stops are not kept across restarts of toesd");
		return;
	}
	observing = watching = 1;
	for (size_t i = 0; i < written.n; i++) {
		if (!app_find(written.entries[i].name)) {
			dirty = 1; /* its folder is gone: its booking goes */
		}
	}
}

/* --- writing --- */

/* The entries of every app that has something kept. */
static int collect(struct statefile *out)
{
	size_t n = app_count();
	out->n = 0;
	out->entries = calloc(n ? n : 1, sizeof *out->entries);
	if (!out->entries) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct app *a = app_at(i);
		struct state_entry e = { 0 };
		if (!kept(a, &e)) {
			continue;
		}
		if (!(e.name = strdup(a->name))) {
			statefile_free(out);
			return -1;
		}
		out->entries[out->n++] = e;
	}
	statefile_sort(out);
	return 0;
}

/* Said once until a write works again; -1. */
static int write_failed(const char *what, int err)
{
	if (!failing) {
		log_msg(NULL, "cannot %s: %s; the state file %s stays as it was, "
			"written again at the next change of an app", what, strerror(err), state_path);
	}
	failing = 1;
	return -1;
}

/* A reader (the next toesd) sees the old file or the new one, never a
 * part of one. The fsyncs block the loop for as long as the flash takes,
 * which happens only when a booking or a mark changed. */
static int write_atomically(const char *data, size_t len)
{
	const char *step = NULL;
	int r = atomicfile_write(dir_fd, STATE_NAME, TEMP_NAME, data, len, 1, &step);
	if (r < 0) {
		char what[64];
		snprintf(what, sizeof what, "%s %s", step, TEMP_NAME);
		return write_failed(what, errno);
	}
	if (r > 0) {
		/* Without it a power cut soon after could bring the old file back. */
		log_errno(NULL, "cannot fsync the folder of %s (written, but a power cut may bring "
			  "the previous one back)", state_path);
	}
	return 0;
}

static int write_state(const struct statefile *s)
{
	struct buf text = { 0 };
	statefile_format(&text, s->entries, s->n);
	int r = text.failed ? write_failed("build the state file", ENOMEM)
			    : write_atomically(text.data, text.len);
	buf_free(&text);
	if (r == 0 && failing) {
		log_msg(NULL, "state file %s written again", state_path);
		failing = 0;
	}
	return r;
}

void state_flush(void)
{
	if (!watching || !dirty) {
		return;
	}
	dirty = 0;
	struct statefile now;
	if (collect(&now) < 0) {
		write_failed("build the state file", ENOMEM);
		return;
	}
	if (statefile_same(&now, &written)) {
		/* Changed and changed back in one turn: the file holds it. */
		failing = 0;
		statefile_free(&now);
		return;
	}
	if (write_state(&now) < 0) {
		statefile_free(&now);
		return;
	}
	statefile_free(&written);
	written = now;
}

void state_fini(void)
{
	watching = dirty = failing = 0;
	statefile_free(&written);
	if (dir_fd >= 0) {
		close(dir_fd);
		dir_fd = -1;
	}
}
