/* icon: toesctl icon NAME EMOJI (SPEC §2): toes.icon set in the app's
 * package.json, every other byte, the owner and the mode kept, the file
 * replaced atomically. */
#include "toesctl/icon.h"

#include "base/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/escape.h"
#include "base/path.h"
#include "base/safefile.h"
#include "parse/json.h"
#include "parse/jsonedit.h"
#include "parse/pkg.h"

#define PACKAGE "package.json"

/* The file being changed. */
struct icon_file {
	char path[PATH_MAX]; /* APPS/NAME/current/package.json: what messages name */
	int dir_fd;          /* the folder current leads to (a version folder) */
	struct stat st;      /* the file as read: owner, mode, identity */
	char *text;
	size_t len;
};

/* --- the arguments --- */

/* Why name cannot be an app's folder name, or NULL. Folders starting
 * with '.' are never apps (discover skips them); a name with anything
 * escape.h would escape is refused too, so that every line below may
 * print the name and the path as they are. */
static const char *name_problem(const char *name)
{
	if (name[0] == '\0') {
		return "the app name is empty";
	}
	if (strchr(name, '/') || name[0] == '.' || escape_needed(name, strlen(name))) {
		return "not an app name";
	}
	return NULL;
}

/* Why emoji cannot be an icon, or NULL: SPEC §2's bound, and nothing a
 * terminal would obey (C0, DEL, C1) since status prints it as is. */
static const char *emoji_problem(const char *emoji)
{
	size_t n = strlen(emoji);
	if (n == 0) {
		return "the icon must not be empty";
	}
	if (n > PKG_ICON_MAX || !json_utf8_valid(emoji, n)) {
		return "the icon must be at most 32 bytes of UTF-8";
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)emoji[i], next = (unsigned char)emoji[i + 1];
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
			return "the icon must not hold control characters";
		}
	}
	return NULL;
}

/* --- reading --- */

/* Read fd (size bytes by fstat) whole into f, refusing more than
 * JSON_MAX_LEN. 0, or -1 with errno (EFBIG: too large). */
static int read_whole(int fd, size_t size, struct icon_file *f)
{
	size_t cap = size + 1, n = 0; /* one spare byte: a file that grew shows */
	char *data = malloc(cap);
	if (!data) {
		return -1;
	}
	for (;;) {
		if (n == cap || n > JSON_MAX_LEN) {
			free(data);
			errno = n > JSON_MAX_LEN ? EFBIG : EAGAIN;
			return -1;
		}
		ssize_t r = read(fd, data + n, cap - n);
		if (r == 0) {
			break;
		}
		if (r < 0 && errno != EINTR) {
			int saved = errno;
			free(data);
			errno = saved;
			return -1;
		}
		n += r > 0 ? (size_t)r : 0;
	}
	f->text = data;
	f->len = n;
	return 0;
}

/* Open APPS/NAME/current (followed: it is usually a link to the version
 * folder) and its package.json, never through a link. The fd, or -1
 * after one line. */
static int open_file(const char *apps_dir, const char *name, struct icon_file *f)
{
	char dir[PATH_MAX];
	if (path_format(dir, sizeof dir, "%s/%s/current", apps_dir, name) < 0 ||
	    path_format(f->path, sizeof f->path, "%s/" PACKAGE, dir) < 0) {
		fprintf(stderr, "toesctl: the path of %s's package.json is too long\n", name);
		return -1;
	}
	f->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *failed = dir;
	int fd = f->dir_fd < 0 ? -1 : safe_open_file(f->dir_fd, PACKAGE, O_RDONLY, 0);
	if (fd >= 0) {
		return fd;
	}
	if (f->dir_fd >= 0) {
		failed = f->path;
	}
	if (errno == ELOOP && f->dir_fd >= 0) {
		fprintf(stderr, "toesctl: %s is a symbolic link: refused (it would be replaced by a file)\n",
			f->path);
	} else if (errno == ENOENT || errno == ENOTDIR) {
		fprintf(stderr, "toesctl: no app %s: cannot open %s: %s\n", name, failed, strerror(errno));
	} else {
		fprintf(stderr, "toesctl: cannot open %s: %s\n", failed, safe_strerror(errno));
	}
	return -1;
}

/* Open and read the app's package.json into f. 0, or the exit code
 * after one line. */
static int read_file(const char *apps_dir, const char *name, struct icon_file *f)
{
	int fd = open_file(apps_dir, name, f);
	if (fd < 0) {
		return 1;
	}
	int rc = 0;
	if (fstat(fd, &f->st) < 0) {
		fprintf(stderr, "toesctl: cannot stat %s: %s\n", f->path, strerror(errno));
		rc = 1;
	} else if (f->st.st_size > JSON_MAX_LEN || read_whole(fd, (size_t)f->st.st_size, f) < 0) {
		int err = f->st.st_size > JSON_MAX_LEN ? EFBIG : errno;
		fprintf(stderr, "toesctl: cannot read %s: %s\n", f->path,
			err == EFBIG ? "larger than 1 MiB" : err == EAGAIN ? "it grew while being read" : strerror(err));
		rc = 1;
	}
	close(fd);
	return rc;
}

/* --- editing --- */

/* The new text into out. 0 changed; -1 already that icon; else the exit
 * code after one line. */
static int edit_text(const struct icon_file *f, const char *emoji, struct buf *out)
{
	struct jsonedit_error err;
	int rc = jsonedit_set_string(f->text, f->len, "toes", "icon", emoji, strlen(emoji), out, &err);
	switch (rc) {
	case JSONEDIT_CHANGED:
		return 0;
	case JSONEDIT_SAME:
		return -1;
	case JSONEDIT_BAD_JSON:
		fprintf(stderr, "toesctl: %s: invalid JSON: line %d, column %d: %s (nothing changed)\n",
			f->path, err.line, err.column, err.msg);
		return 1;
	case JSONEDIT_NOT_OBJECT:
		fprintf(stderr, "toesctl: %s: %s: refused (nothing changed)\n", f->path, err.msg);
		return 1;
	default:
		fprintf(stderr, "toesctl: cannot edit %s: %s\n", f->path, err.msg);
		return 1;
	}
}

/* The bug guard: the new text must read back, as toesd reads it, with
 * exactly the new icon. */
static int reads_back(const struct buf *text, const char *emoji)
{
	struct pkg p;
	int rc = pkg_parse(buf_str(text), text->len, &p);
	int ok = rc != 2 && rc != PKG_AGAIN && p.icon && strcmp(p.icon, emoji) == 0;
	pkg_free(&p);
	return ok;
}

/* --- writing: a temporary file beside the original, made like it,
 * renamed over it --- */

/* Create a new temporary file in the folder, named into tmp: O_EXCL, so
 * nothing there already (a link, a file of a run that died) is used.
 * The fd, or -1 with errno. */
static int create_temp(int dir_fd, char *tmp, size_t cap)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(tmp, cap, "." PACKAGE ".icon-%ld-%d", (long)getpid(), attempt);
		int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST) {
			return fd;
		}
	}
	errno = EEXIST;
	return -1;
}

/* Give the temporary file the original's owner, then its mode (after
 * the chown, which may clear set-id bits), then the text, made durable.
 * 0, or -1 with errno and *step naming what failed. */
static int fill_temp(int fd, const struct icon_file *f, const struct buf *text, const char **step)
{
	if (fchown(fd, f->st.st_uid, f->st.st_gid) < 0) {
		*step = "keep the owner of";
		return -1;
	}
	if (fchmod(fd, f->st.st_mode & 07777) < 0) {
		*step = "keep the mode of";
		return -1;
	}
	if (atomicfile_write_all(fd, text->data, text->len) < 0) {
		*step = "write the new";
		return -1;
	}
	if (fsync(fd) < 0) {
		*step = "fsync the new";
		return -1;
	}
	return 0;
}

/* Whether package.json is still the file that was read: an edit made
 * meanwhile by someone else is not overwritten. */
static int unchanged(const struct icon_file *f)
{
	struct stat now;
	if (fstatat(f->dir_fd, PACKAGE, &now, AT_SYMLINK_NOFOLLOW) < 0) {
		return 0;
	}
	return now.st_dev == f->st.st_dev && now.st_ino == f->st.st_ino &&
	       now.st_size == f->st.st_size && now.st_mtim.tv_sec == f->st.st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == f->st.st_mtim.tv_nsec;
}

/* The one line for a failure at step; the temporary file goes. */
static int write_failed(const struct icon_file *f, const char *tmp, const char *step, int err)
{
	unlinkat(f->dir_fd, tmp, 0); /* best effort: it was ours, made O_EXCL */
	if (err == EPERM && strcmp(step, "keep the owner of") == 0) {
		fprintf(stderr, "toesctl: cannot keep the owner (%ld:%ld) of %s: %s: run as root "
			"or as its owner (nothing changed)\n", (long)f->st.st_uid, (long)f->st.st_gid,
			f->path, strerror(err));
	} else {
		fprintf(stderr, "toesctl: cannot %s %s (%s): %s (nothing changed)\n", step, f->path, tmp,
			strerror(err));
	}
	return 1;
}

/* Replace package.json by text. 0, or 1 after one line. */
static int replace_file(const struct icon_file *f, const struct buf *text)
{
	char tmp[64];
	int fd = create_temp(f->dir_fd, tmp, sizeof tmp);
	if (fd < 0) {
		fprintf(stderr, "toesctl: cannot create a temporary file beside %s: %s (nothing changed)\n",
			f->path, strerror(errno));
		return 1;
	}
	const char *step = NULL;
	int err = 0;
	if (fill_temp(fd, f, text, &step) < 0) {
		err = errno;
	}
	if (close(fd) < 0 && !step) {
		step = "close the new";
		err = errno;
	}
	if (step) {
		return write_failed(f, tmp, step, err);
	}
	if (!unchanged(f)) {
		unlinkat(f->dir_fd, tmp, 0);
		fprintf(stderr, "toesctl: %s changed while being edited: nothing written, try again\n", f->path);
		return 1;
	}
	if (renameat(f->dir_fd, tmp, f->dir_fd, PACKAGE) < 0) {
		return write_failed(f, tmp, "rename the new file over", errno);
	}
	/* Written; a failed fsync of the folder only weakens durability. */
	if (fsync(f->dir_fd) < 0) {
		fprintf(stderr, "toesctl: warning: cannot fsync the folder of %s: %s\n", f->path, strerror(errno));
	}
	return 0;
}

/* --- the command --- */

/* After the file is open and read: edit, check, write. */
static int set_icon(const struct icon_file *f, const char *name, const char *emoji)
{
	struct buf text = { 0 };
	int rc = edit_text(f, emoji, &text);
	if (rc < 0) {
		printf("icon of %s is already %s\n", name, emoji);
		rc = 0;
	} else if (rc == 0 && text.len > JSON_MAX_LEN) {
		fprintf(stderr, "toesctl: %s: the edited file would be larger than 1 MiB: refused "
			"(nothing changed)\n", f->path);
		rc = 1;
	} else if (rc == 0 && !reads_back(&text, emoji)) {
		fprintf(stderr, "toesctl: %s: the edited text would not read back as icon %s: refused "
			"(nothing changed; a bug in toesctl)\n", f->path, emoji);
		rc = 1;
	} else if (rc == 0) {
		rc = replace_file(f, &text);
		if (rc == 0) {
			printf("icon of %s set to %s\n", name, emoji);
		}
	}
	buf_free(&text);
	return rc;
}

int icon_run(const char *apps_dir, const char *name, const char *emoji)
{
	const char *why = name_problem(name);
	if (why) {
		char shown[128];
		escape_to(shown, sizeof shown, name, strlen(name));
		fprintf(stderr, "toesctl: %s: '%s'\n", why, shown);
		return 2;
	}
	if ((why = emoji_problem(emoji)) != NULL) {
		fprintf(stderr, "toesctl: %s\n", why);
		return 2;
	}
	struct icon_file f = { .dir_fd = -1 };
	int rc = read_file(apps_dir, name, &f);
	if (rc == 0) {
		rc = set_icon(&f, name, emoji);
	}
	if (f.dir_fd >= 0) {
		close(f.dir_fd);
	}
	free(f.text);
	return rc;
}
