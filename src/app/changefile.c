/* changefile: render on change, write when different. */
#include "app/changefile.h"

#include "app/registry.h"
#include "base/atomicfile.h"
#include "base/index.h"
#include "base/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct changefile *files; /* the open ones */
static int observing;            /* registered with the registry (once per process) */

static void on_app_changed(const struct app *a)
{
	for (struct changefile *f = files; f; f = f->next) {
		f->dirty = 1;
	}
}

/* path split into its folder (opened) and its name. -1 when unusable. */
static int open_folder(struct changefile *f, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	size_t dn = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (!*base || strlen(base) + 6 > NAME_MAX || dn >= sizeof dir ||
	    snprintf(f->path, sizeof f->path, "%s", path) >= (int)sizeof f->path) {
		log_msg(NULL, "%s: not a usable file name; no %s is kept", path, f->what);
		return -1;
	}
	memcpy(dir, slash ? path : ".", slash ? dn : 1);
	dir[slash ? dn : 1] = '\0';
	snprintf(f->name, sizeof f->name, "%s", base);
	snprintf(f->temp, sizeof f->temp, ".%s.tmp", base);
	f->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->dir_fd < 0) {
		log_errno(NULL, "cannot open the folder of %s; no %s is kept", path, f->what);
		return -1;
	}
	return 0;
}

int changefile_open(struct changefile *f, const char *path, const char *what, changefile_render_fn render,
		    int durable)
{
	memset(f, 0, sizeof *f);
	f->what = what;
	f->render = render;
	f->durable = durable;
	f->dir_fd = -1;
	if (open_folder(f, path) < 0) {
		return -1;
	}
	if (!observing && app_observe(on_app_changed) < 0) {
		log_msg(NULL, "cannot watch the apps' changes (too many observers); no %s is kept", what);
		changefile_close(f);
		return -1;
	}
	observing = 1;
	f->dirty = 1;
	f->next = files;
	files = f;
	return 0;
}

static void write_text(struct changefile *f, const struct buf *text, uint64_t h)
{
	const char *step = NULL;
	int r = atomicfile_write(f->dir_fd, f->name, f->temp, text->data, text->len, f->durable, &step);
	if (r > 0) {
		log_errno(NULL, "cannot fsync the folder of %s (written, but a power cut may bring "
			  "the previous one back)", f->path);
	}
	if (r < 0) {
		if (!f->failing) {
			log_errno(NULL, "cannot %s the %s %s; it stays as it was, written again at the next change",
				  step, f->what, f->path);
		}
		f->failing = 1;
		return;
	}
	if (f->failing) {
		log_msg(NULL, "%s %s written again", f->what, f->path);
	}
	f->failing = 0;
	f->written = h;
}

void changefile_flush(struct changefile *f)
{
	if (f->dir_fd < 0 || !f->dirty) {
		return;
	}
	f->dirty = 0;
	struct buf text = { 0 };
	f->render(&text);
	/* Out of memory: the next change tries again. */
	uint64_t h = text.failed ? 0 : index_hash(text.data, text.len);
	if (h && h != f->written) {
		write_text(f, &text, h);
	}
	buf_free(&text);
}

void changefile_close(struct changefile *f)
{
	for (struct changefile **p = &files; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	if (f->dir_fd >= 0) {
		close(f->dir_fd);
		f->dir_fd = -1;
	}
}
