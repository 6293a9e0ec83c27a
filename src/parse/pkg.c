/* pkg: reading an app's package.json (SPEC §2) and the report of toesctl check. */
#include "parse/pkg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/escape.h"
#include "base/safefile.h"
#include "parse/json.h"

#define PKG_MAX_LEN JSON_MAX_LEN

/* A parsed package.json: the text owns the bytes the doc points into. */
struct pkg_file {
	char *text;
	size_t len;
	struct json_doc doc;
};

/* Store msg as the error and return rc. */
static int set_error(char *error, size_t size, int rc, const char *msg)
{
	snprintf(error, size, "%s", msg);
	return rc;
}

/* The message for a failed open or read with errno err; returns 2, or
 * PKG_AGAIN when the failure may pass. */
static int read_error(char *error, size_t size, int err)
{
	if (err == ENOENT || err == ENOTDIR) {
		return set_error(error, size, 2, "Missing package.json");
	}
	snprintf(error, size, "Cannot read package.json: %s", safe_strerror(err));
	return safe_may_pass(err) ? PKG_AGAIN : 2;
}

static int is_folder(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Double the buffer, up to one byte past the limit. 0 ok; -1 with errno;
 * -2 when it already holds more than PKG_MAX_LEN bytes. */
static int grow(char **data, size_t *cap)
{
	if (*cap > PKG_MAX_LEN) {
		return -2;
	}
	size_t bigger = *cap * 2 > PKG_MAX_LEN + 1 ? PKG_MAX_LEN + 1 : *cap * 2;
	char *p = realloc(*data, bigger);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	*data = p;
	*cap = bigger;
	return 0;
}

/* Read fd to its end, hint bytes expected. 0 ok; -1 with errno; -2 when
 * the file holds more than PKG_MAX_LEN bytes. */
static int read_fd(int fd, size_t hint, char **text, size_t *len)
{
	/* One spare byte, so a full buffer means "more than expected". */
	size_t cap = hint + 1, n = 0;
	char *data = malloc(cap);
	int rc = data ? 0 : -1;
	while (rc == 0) {
		if (n == cap) {
			rc = grow(&data, &cap);
			continue;
		}
		ssize_t r = read(fd, data + n, cap - n);
		if (r == 0) {
			*text = data;
			*len = n;
			return 0;
		}
		if (r > 0) {
			n += (size_t)r;
		} else if (errno != EINTR) {
			rc = -1;
		}
	}
	int saved = data ? errno : ENOMEM;
	free(data);
	errno = saved;
	return rc;
}

/* Read the file name in dirfd whole: a regular file, never through a
 * symbolic link (safefile.h). 0 ok; 2 or PKG_AGAIN with the message. */
static int read_text(int dirfd, const char *name, char **text, size_t *len, char *error, size_t size)
{
	int fd = safe_open_file(dirfd, name, O_RDONLY, 0);
	if (fd < 0) {
		return read_error(error, size, errno == SAFE_ENOTREG && is_folder(dirfd, name) ? EISDIR : errno);
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0) {
		rc = read_error(error, size, errno);
	} else if (st.st_size > PKG_MAX_LEN) {
		rc = set_error(error, size, 2, "Cannot read package.json: file too large");
	} else {
		int r = read_fd(fd, (size_t)st.st_size, text, len);
		if (r == -2) {
			rc = set_error(error, size, 2, "Cannot read package.json: file too large");
		} else if (r < 0) {
			rc = read_error(error, size, errno);
		}
	}
	close(fd);
	return rc;
}

/* The only members of a package.json given nodes: the parse of a 1 MiB
 * file costs its text and a handful of nodes. */
static const struct json_keep scripts_kept[] = { { "toes", NULL }, { NULL, NULL } };
static const struct json_keep toes_kept[] = {
	{ "icon", NULL }, { "tool", NULL }, { "health", NULL }, { NULL, NULL },
};
static const struct json_keep pkg_kept[] = {
	{ "name", NULL }, { "scripts", scripts_kept }, { "toes", toes_kept }, { NULL, NULL },
};

/* Read and parse name in dirfd into f. 0 ok; 2 or PKG_AGAIN with the
 * message in error. */
static int load_file(int dirfd, const char *name, struct pkg_file *f, char *error, size_t size)
{
	memset(f, 0, sizeof *f);
	int rc = read_text(dirfd, name, &f->text, &f->len, error, size);
	if (rc != 0) {
		return rc;
	}
	struct json_error err;
	if (json_parse_kept(&f->doc, f->text, f->len, pkg_kept, &err) < 0) {
		snprintf(error, size, "Invalid JSON in package.json: line %d, column %d: %s",
			 err.line, err.column, err.msg);
		free(f->text);
		f->text = NULL;
		return 2;
	}
	return 0;
}

static void close_file(struct pkg_file *f)
{
	json_free(&f->doc);
	free(f->text);
	f->text = NULL;
}

/* The value of root.outer.inner, -1 when any step is missing. */
static int get_path(const struct json_doc *doc, const char *outer, const char *inner)
{
	return json_get(doc, json_get(doc, 0, outer), inner);
}

/* scripts.toes into out->toes. 0 ok; 1 with the message; -1 out of memory. */
static int take_toes(const struct json_doc *doc, struct pkg *out)
{
	int node = get_path(doc, "scripts", "toes");
	if (node < 0) {
		return set_error(out->error, sizeof out->error, 1,
				 "Missing scripts.toes in package.json");
	}
	if (doc->nodes[node].type != JSON_STRING) {
		return set_error(out->error, sizeof out->error, 1,
				 "scripts.toes must be a non-empty string");
	}
	size_t n;
	char *s = json_string(doc, node, &n);
	if (!s) {
		return -1;
	}
	if (n == 0 || memchr(s, '\0', n) || n > PKG_TOES_MAX) {
		free(s);
		return set_error(out->error, sizeof out->error, 1, n == 0
				 ? "scripts.toes must be a non-empty string"
				 : n > PKG_TOES_MAX ? "scripts.toes is longer than 32 KiB"
				 : "scripts.toes contains a NUL character");
	}
	out->toes = s;
	return 0;
}

/* toes.icon and toes.tool into out, within their bounds (SPEC §2).
 * 0 ok; 1 with the message in why (the app is invalid); -1 out of memory. */
static int take_icon_tool(const struct json_doc *doc, struct pkg *out, const char **why)
{
	int icon = get_path(doc, "toes", "icon");
	if (icon >= 0 && doc->nodes[icon].type == JSON_STRING) {
		size_t n;
		out->icon = json_string(doc, icon, &n);
		if (!out->icon) {
			return -1;
		}
		if (memchr(out->icon, '\0', n) || n > PKG_ICON_MAX) {
			*why = n > PKG_ICON_MAX ? "toes.icon must be at most 32 bytes of UTF-8"
						: "toes.icon contains a NUL character";
			free(out->icon);
			out->icon = NULL;
			return 1;
		}
	}
	int tool = get_path(doc, "toes", "tool");
	if (tool >= 0) {
		struct buf b = { 0 };
		json_write_compact(doc, tool, &b);
		if (b.failed || !b.data) {
			buf_free(&b);
			return -1;
		}
		if (b.len > PKG_TOOL_MAX) {
			buf_free(&b);
			*why = "toes.tool is larger than 4 KiB";
			return 1;
		}
		out->tool = b.data;
	}
	return 0;
}

/* A path toesd may put in a request line: "/..." of printable ASCII
 * and UTF-8, no space, no control character. */
static int health_path_ok(const char *s, size_t n)
{
	if (n == 0 || n > PKG_HEALTH_MAX || s[0] != '/') {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f) {
			return 0;
		}
	}
	return 1;
}

/* toes.health into out (SPEC §2): a path, or false. 0 ok (also when
 * absent); 1 with the message in why; -1 out of memory. */
static int take_health(const struct json_doc *doc, struct pkg *out, const char **why)
{
	int node = get_path(doc, "toes", "health");
	if (node < 0) {
		return 0;
	}
	if (doc->nodes[node].type == JSON_FALSE) {
		out->no_health = 1;
		return 0;
	}
	size_t n = 0;
	char *s = doc->nodes[node].type == JSON_STRING ? json_string(doc, node, &n) : NULL;
	if (doc->nodes[node].type == JSON_STRING && !s) {
		return -1;
	}
	if (!s || !health_path_ok(s, n)) {
		free(s);
		*why = "toes.health must be a path starting with / or false";
		return 1;
	}
	out->health = s;
	return 0;
}

/* Fill out from a parsed package.json; the result code of pkg_load. */
static int take_fields(const struct json_doc *doc, struct pkg *out)
{
	const char *why = NULL;
	int icon_rc = take_icon_tool(doc, out, &why);
	if (icon_rc == 0) {
		icon_rc = take_health(doc, out, &why);
	}
	int toes_rc = icon_rc < 0 ? -1 : take_toes(doc, out);
	if (toes_rc == 0 && icon_rc == 1) {
		free(out->toes);
		out->toes = NULL;
		toes_rc = set_error(out->error, sizeof out->error, 1, why);
	}
	if (toes_rc < 0) {
		pkg_free(out);
		return read_error(out->error, sizeof out->error, ENOMEM);
	}
	return toes_rc;
}

int pkg_load(const char *path, struct pkg *out)
{
	return pkg_load_at(AT_FDCWD, path, out);
}

int pkg_load_at(int dirfd, const char *name, struct pkg *out)
{
	memset(out, 0, sizeof *out);
	struct pkg_file f;
	int loaded = load_file(dirfd, name, &f, out->error, sizeof out->error);
	if (loaded != 0) {
		return loaded;
	}
	int rc = take_fields(&f.doc, out);
	close_file(&f);
	return rc;
}

int pkg_parse(const char *text, size_t len, struct pkg *out)
{
	memset(out, 0, sizeof *out);
	struct json_doc doc;
	struct json_error err;
	if (len > PKG_MAX_LEN) {
		return set_error(out->error, sizeof out->error, 2, "Cannot read package.json: file too large");
	}
	if (json_parse_kept(&doc, text, len, pkg_kept, &err) < 0) {
		snprintf(out->error, sizeof out->error, "Invalid JSON in package.json: line %d, column %d: %s",
			 err.line, err.column, err.msg);
		return 2;
	}
	int rc = take_fields(&doc, out);
	json_free(&doc);
	return rc;
}

void pkg_free(struct pkg *p)
{
	free(p->toes);
	free(p->icon);
	free(p->tool);
	free(p->health);
	p->toes = p->icon = p->tool = p->health = NULL;
	p->no_health = 0;
	p->error[0] = '\0';
}

void pkg_check_path(const char *path, struct buf *b)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		buf_adds(b, path);
		return;
	}
	buf_printf(b, "%s/package.json", path);
	if (stat(b->data, &st) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		buf_reset(b);
		buf_printf(b, "%s/current/package.json", path);
	}
}

/* Append prefix (the punctuation and the quoted name) and the value. */
static void add_member(struct buf *out, const char *prefix, const struct json_doc *doc, int node)
{
	buf_adds(out, prefix);
	if (node < 0) {
		buf_adds(out, "null");
		return;
	}
	/* What a terminal would obey (DEL, C1) made \u escapes. */
	struct buf raw = { 0 };
	json_write_compact(doc, node, &raw);
	escape_json_text(out, buf_str(&raw), raw.len);
	out->failed |= raw.failed;
	buf_free(&raw);
}

int pkg_check(const char *path, struct buf *out, struct buf *err)
{
	struct buf file = { 0 };
	struct pkg p;
	memset(&p, 0, sizeof p);
	pkg_check_path(path, &file);
	if (file.failed) {
		buf_free(&file);
		read_error(p.error, sizeof p.error, ENOMEM);
		buf_printf(err, "%s\n", p.error);
		return 2;
	}
	/* The path is the user's own choice: a link in it is followed (the
	 * daemon never follows one to package.json). */
	char real[PATH_MAX];
	const char *name = realpath(buf_str(&file), real) ? real : buf_str(&file);
	struct pkg_file f;
	int rc = load_file(AT_FDCWD, name, &f, p.error, sizeof p.error);
	buf_free(&file);
	if (rc == 0) {
		const struct json_doc *doc = &f.doc;
		add_member(out, "{\"name\":", doc, json_get(doc, 0, "name"));
		add_member(out, ",\"toes\":", doc, get_path(doc, "scripts", "toes"));
		add_member(out, ",\"icon\":", doc, get_path(doc, "toes", "icon"));
		add_member(out, ",\"tool\":", doc, get_path(doc, "toes", "tool"));
		buf_adds(out, "}\n");
		rc = take_fields(doc, &p);
		close_file(&f);
	}
	if (rc != 0) {
		buf_printf(err, "%s\n", p.error);
	}
	pkg_free(&p);
	return rc == PKG_AGAIN ? 2 : rc;
}
