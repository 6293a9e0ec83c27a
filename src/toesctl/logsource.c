/* logsource: an app's lines from ranges of its day files; the merge. */
#include "toesctl/logsource.h"

#include "base/path.h"
#include "base/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one read takes. */
#define CHUNK 16384
/* A line longer than this (no newline in a megabyte: not toesd's, whose
 * lines are at most 8 KiB of text) is shown in pieces of this size,
 * so that memory stays bounded whatever a file holds. */
#define LINE_CAP (1024 * 1024)

int source_init(struct log_source *s, const char *apps_dir, const char *name)
{
	memset(s, 0, sizeof *s);
	s->apps_dir = apps_dir;
	s->name = strdup(name);
	return s->name ? 0 : -1;
}

int source_add(struct log_source *s, int fd, int owned, off_t start, off_t end, int open_end,
	       const char *file)
{
	if (s->n_segs == s->cap_segs) {
		size_t cap = s->cap_segs ? s->cap_segs * 2 : 4;
		void *p = realloc(s->segs, cap * sizeof s->segs[0]);
		if (!p) {
			if (owned) {
				close(fd);
			}
			return -1;
		}
		s->segs = p;
		s->cap_segs = cap;
	}
	struct log_seg *g = &s->segs[s->n_segs++];
	*g = (struct log_seg){ .fd = fd, .owned = owned, .start = start, .end = end, .open_end = open_end };
	snprintf(g->file, sizeof g->file, "%s", file);
	if (s->n_segs == 1) {
		s->pos = start;
	}
	return 0;
}

void source_reset(struct log_source *s)
{
	for (size_t i = 0; i < s->n_segs; i++) {
		if (s->segs[i].owned && s->segs[i].fd >= 0) {
			close(s->segs[i].fd);
		}
	}
	s->n_segs = s->cur = 0;
	s->pos = 0;
	free(s->chunk);
	s->chunk = NULL;
	s->chunk_len = s->chunk_at = 0;
	buf_reset(&s->line);
	s->has_line = 0;
}

void source_free(struct log_source *s)
{
	source_reset(s);
	free(s->segs);
	free(s->name);
	buf_free(&s->line);
	s->segs = NULL;
	s->name = NULL;
	s->cap_segs = 0;
}

static int say_failed(struct log_source *s, const char *what, int err)
{
	fprintf(stderr, "toesctl: cannot %s %s/%s/logs/%s: %s\n", what, s->apps_dir, s->name,
		s->segs[s->cur].file, safe_strerror(err));
	return -1;
}

/* A range given without its descriptor is opened when its turn comes:
 * the source then holds one file open at a time however many days it
 * spans. 0, or -1 (said). */
static int open_range(struct log_source *s, struct log_seg *g)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/%s/logs/%s", s->apps_dir, s->name, g->file) < 0) {
		return say_failed(s, "open", errno);
	}
	if ((g->fd = safe_open_file(AT_FDCWD, path, O_RDONLY, 0)) < 0) {
		return say_failed(s, "open", errno);
	}
	g->owned = 1;
	return 0;
}

/* A line with no stamp before it in its file sorts at the start of the
 * file's day ("2026-11-21" sorts before that day's stamps), not before
 * every other line. */
static void floor_key(struct log_source *s, const char *file)
{
	if (strncmp(s->key, file, 10) < 0) {
		memcpy(s->key, file, 10);
		s->key[10] = '\0';
	}
}

/* Read the next bytes of the current range into the chunk: 1 some, 0 the
 * range is done (or the file ended early: it shrank, which the follower
 * sees as a truncation), -1 failed (said). */
static int refill(struct log_source *s)
{
	struct log_seg *g = &s->segs[s->cur];
	if (s->pos >= g->end) {
		return 0;
	}
	if (g->fd < 0 && open_range(s, g) < 0) {
		return -1;
	}
	if (s->pos == g->start) {
		floor_key(s, g->file);
	}
	if (!s->chunk && !(s->chunk = malloc(CHUNK))) {
		return say_failed(s, "read", ENOMEM);
	}
	size_t want = g->end - s->pos < CHUNK ? (size_t)(g->end - s->pos) : CHUNK;
	ssize_t r;
	while ((r = pread(g->fd, s->chunk, want, s->pos)) < 0 && errno == EINTR) {
	}
	if (r < 0) {
		return say_failed(s, "read", errno);
	}
	if (r == 0) {
		g->end = s->pos;
		return 0;
	}
	s->pos += r;
	s->chunk_len = (size_t)r;
	s->chunk_at = 0;
	return 1;
}

/* The current range is done with what s->line holds of its last line:
 * 1 that line is complete (a closed range ends it), 0 no line (the
 * source may have more ranges: the caller reads on). An open range's
 * unfinished line is held back; it is always the last range. */
static int end_of_range(struct log_source *s)
{
	struct log_seg *g = &s->segs[s->cur];
	int have = s->line.len > 0;
	if (g->owned && g->fd >= 0) {
		close(g->fd); /* done with: one file open at a time */
		g->fd = -1;
		g->owned = 0;
	}
	if (g->open_end) {
		s->held = g->end - (off_t)s->line.len;
		buf_reset(&s->line);
		have = 0;
	}
	s->cur++;
	if (s->cur < s->n_segs) {
		s->pos = s->segs[s->cur].start;
	}
	return have;
}

/* Split the next line off the chunk into s->line: 1 it ended (at a
 * newline, or at LINE_CAP), 0 the chunk ran out first. */
static int take_line(struct log_source *s)
{
	const char *c = s->chunk + s->chunk_at;
	size_t n = s->chunk_len - s->chunk_at, room = LINE_CAP - s->line.len;
	const char *nl = memchr(c, '\n', n < room ? n : room);
	size_t k = nl ? (size_t)(nl - c) : n < room ? n : room;
	buf_add(&s->line, c, k);
	s->chunk_at += k + (nl != NULL);
	return nl != NULL || s->line.len >= LINE_CAP;
}

/* The next line into s->line: 1, or 0 when every range is done. */
static int next_line(struct log_source *s)
{
	buf_reset(&s->line);
	while (s->cur < s->n_segs) {
		if (s->chunk_at == s->chunk_len) {
			int r = refill(s);
			if (r < 0) {
				s->failed = 1;
				s->cur = s->n_segs;
				return 0;
			}
			if (r == 0 && end_of_range(s)) {
				return 1;
			}
			continue;
		}
		if (take_line(s)) {
			return 1;
		}
	}
	return 0;
}

static void read_next(struct log_source *s)
{
	s->has_line = next_line(s);
	const char *stamp;
	size_t n = s->has_line ? logview_stamp(buf_str(&s->line), s->line.len, &stamp) : 0;
	if (n) {
		memcpy(s->key, stamp, n);
		s->key[n] = '\0';
	}
}

/* The source whose next line goes first, or -1 when all are done. */
static long earliest(struct log_source *const *srcs, size_t n)
{
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		if (srcs[i]->has_line && (best < 0 || strcmp(srcs[i]->key, srcs[best]->key) < 0)) {
			best = (long)i;
		}
	}
	return best;
}

void sources_print(struct log_source *const *srcs, size_t n, size_t skip, struct log_out *o)
{
	for (size_t i = 0; i < n; i++) {
		read_next(srcs[i]);
	}
	long i;
	while (!o->err && (i = earliest(srcs, n)) >= 0) {
		struct log_source *s = srcs[i];
		if (skip) {
			skip--;
		} else {
			out_line(o, s->name, buf_str(&s->line), s->line.len);
		}
		read_next(s);
	}
}
