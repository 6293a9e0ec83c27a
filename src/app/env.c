/* env: merge toesd's environment, env files and toesd's own variables. */
#include "app/env.h"

#include "base/index.h"
#include "base/path.h"
#include "base/safefile.h"

#include "parse/envfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Variables of the init system that must not leak into apps. */
static const char *const init_vars[] = {
	"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
	"LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
};

/* The variables, and a hash of their keys: an env file of 100,000 keys
 * must cost a moment, not the quadratic seconds a scan per key took. */
struct envset {
	char **vars;
	size_t n, cap;
	size_t *slots;   /* index + 1 into vars; 0 empty; nslots a power of two */
	size_t nslots;
	int failed;
	int err;         /* when failed: errno (ENOMEM, or an env file's EMFILE...) */
};

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');
	return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* The slot that holds key, or the empty one where it would go. */
static size_t *slot_of(const struct envset *e, const char *key, size_t klen)
{
	size_t mask = e->nslots - 1;
	for (size_t i = (size_t)index_hash(key, klen) & mask;; i = (i + 1) & mask) {
		size_t *slot = &e->slots[i];
		if (*slot == 0) {
			return slot;
		}
		const char *kv = e->vars[*slot - 1];
		if (key_len(kv) == klen && memcmp(kv, key, klen) == 0) {
			return slot;
		}
	}
}

/* Hash every variable again into a table kept under half full. */
static int rehash(struct envset *e, size_t want)
{
	size_t nslots = 128;
	while (nslots < want * 2) {
		nslots *= 2;
	}
	size_t *slots = calloc(nslots, sizeof *slots);
	if (!slots) {
		e->failed = 1;
		return -1;
	}
	free(e->slots);
	e->slots = slots;
	e->nslots = nslots;
	for (size_t i = 0; i < e->n; i++) {
		*slot_of(e, e->vars[i], key_len(e->vars[i])) = i + 1;
	}
	return 0;
}

static ssize_t find_key(const struct envset *e, const char *key, size_t klen)
{
	if (!e->nslots) {
		return -1;
	}
	size_t slot = *slot_of(e, key, klen);
	return slot ? (ssize_t)(slot - 1) : -1;
}

static int make_room(struct envset *e)
{
	if (e->n + 2 > e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		char **p = realloc(e->vars, cap * sizeof *p);
		if (!p) {
			return -1;
		}
		e->vars = p;
		e->cap = cap;
	}
	if ((e->n + 1) * 2 > e->nslots && rehash(e, e->n + 1) < 0) {
		return -1;
	}
	return 0;
}

/* Set key; 1 when it is a new variable, 0 when it replaced one (or the
 * set failed: then nothing more is set, as the table may be stale). */
static int env_set(struct envset *e, const char *key, const char *value)
{
	if (e->failed) {
		return 0;
	}
	size_t klen = strlen(key), n = klen + strlen(value) + 2;
	char *kv = malloc(n);
	if (!kv || make_room(e) < 0) {
		free(kv);
		e->failed = 1;
		return 0;
	}
	snprintf(kv, n, "%s=%s", key, value);
	size_t *slot = slot_of(e, key, klen);
	if (*slot) {
		free(e->vars[*slot - 1]);
		e->vars[*slot - 1] = kv;
		return 0;
	}
	*slot = e->n + 1;
	e->vars[e->n++] = kv;
	e->vars[e->n] = NULL;
	return 1;
}

/* Rare (the init system's few variables): the table is built again. */
static void env_unset(struct envset *e, const char *key)
{
	if (e->failed) {
		return;
	}
	ssize_t i = find_key(e, key, strlen(key));
	if (i >= 0) {
		free(e->vars[i]);
		e->vars[i] = e->vars[--e->n];
		e->vars[e->n] = NULL;
		rehash(e, e->n);
	}
}

static const char *env_get(const struct envset *e, const char *key)
{
	ssize_t i = find_key(e, key, strlen(key));
	return i >= 0 ? e->vars[i] + strlen(key) + 1 : NULL;
}

/* A shell name: [A-Za-z_][A-Za-z0-9_]*. The shell passes on only those. */
static int shell_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
		if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
			return 0;
		}
	}
	return n > 0;
}

/* toesd's own environment, less what a shell would not pass on (a name
 * such as a-b), so an app gets the same whether or not a shell runs it. */
static void copy_environ(struct envset *e)
{
	for (char **v = environ; v && *v; v++) {
		char key[256];
		size_t k = key_len(*v);
		if (k == 0 || k >= sizeof key || !(*v)[k] || !shell_name(*v, k)) {
			continue;
		}
		memcpy(key, *v, k);
		key[k] = '\0';
		env_set(e, key, *v + k + 1);
	}
}

struct file_ctx {
	struct envset *e;
	const char *file;
	size_t keys;       /* new variables this file set */
	size_t skipped;    /* new ones past ENV_FILE_MAX_KEYS, not set */
	void (*bad)(void *ctx, const char *file, int line);
	void *ctx;
};

/* A file's new variables count toward its bound; setting one again
 * (a later line wins) does not. */
static void file_set(void *ctx, const char *key, const char *value)
{
	struct file_ctx *f = ctx;
	if (f->keys < ENV_FILE_MAX_KEYS) {
		f->keys += (size_t)env_set(f->e, key, value);
	} else if (env_get(f->e, key) && !f->e->failed) {
		env_set(f->e, key, value);
	} else {
		f->skipped++;
	}
}

static void file_bad(void *ctx, int line)
{
	struct file_ctx *f = ctx;
	f->bad(f->ctx, f->file, line);
}

/* Read a whole env file of at most ENV_FILE_MAX_BYTES: a regular file,
 * not through a link, never blocking on a FIFO (safefile.h). NULL with
 * errno set: ENOENT when missing, EFBIG when larger. */
static char *read_file(const char *path, size_t *len)
{
	int fd = safe_open_file(AT_FDCWD, path, O_RDONLY, 0);
	if (fd < 0) {
		return NULL;
	}
	/* One byte of room past the bound tells a file over it. */
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	int err = 0;
	while (p && !err) {
		if (n == cap) {
			size_t bigger = cap * 2 > ENV_FILE_MAX_BYTES + 1 ? ENV_FILE_MAX_BYTES + 1 : cap * 2;
			char *q = cap > ENV_FILE_MAX_BYTES ? NULL : realloc(p, bigger);
			if (!q) {
				err = cap > ENV_FILE_MAX_BYTES ? EFBIG : ENOMEM;
				break;
			}
			p = q;
			cap = bigger;
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno != EINTR) {
			err = errno;
		} else if (r == 0) {
			break;
		} else if (r > 0) {
			n += (size_t)r;
		}
	}
	close(fd);
	if (!p || err) {
		free(p);
		errno = p ? err : ENOMEM;
		return NULL;
	}
	*len = n;
	return p;
}

static void merge_file(struct envset *e, const char *toes_dir, const char *file,
		       const struct appenv_report *report, void *ctx)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/env/%s", toes_dir, file) < 0) {
		report->unreadable(ctx, file, ENAMETOOLONG);
		return;
	}
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		if (safe_may_pass(errno)) {
			/* Starting without its variables (a secret, a setting) would
			 * be worse than starting later. */
			e->failed = 1;
			e->err = errno;
		} else if (errno != ENOENT && errno != ENOTDIR) {
			report->unreadable(ctx, path, errno);
		}
		return;
	}
	struct file_ctx f = { e, file, 0, 0, report->bad, ctx };
	envfile_parse(text, len, file_set, file_bad, &f);
	free(text);
	if (f.skipped) {
		report->too_many(ctx, file, f.skipped);
	}
}

static void set_path(struct envset *e, const char *cwd)
{
	const char *old = env_get(e, "PATH");
	if (!old || !*old) {
		old = "/usr/local/bin:/usr/bin:/bin";
	}
	size_t n = strlen(cwd) + strlen(old) + 32;
	char *path = malloc(n);
	if (!path) {
		e->failed = 1;
		return;
	}
	snprintf(path, n, "%s/node_modules/.bin:%s", cwd, old);
	env_set(e, "PATH", path);
	free(path);
}

char **appenv_build(const struct appenv_in *in, const struct appenv_report *report, void *ctx)
{
	struct envset e = { 0 };
	char file[PATH_MAX], port[16];
	copy_environ(&e);
	if (in->user) {
		env_set(&e, "USER", in->user);
		env_set(&e, "LOGNAME", in->user);
		env_set(&e, "HOME", in->home);
	}
	merge_file(&e, in->toes_dir, "_global.env", report, ctx);
	if (path_format(file, sizeof file, "%s.env", in->name) == 0) {
		merge_file(&e, in->toes_dir, file, report, ctx);
	} else {
		report->unreadable(ctx, in->name, ENAMETOOLONG);
	}
	for (size_t i = 0; i < sizeof init_vars / sizeof init_vars[0]; i++) {
		env_unset(&e, init_vars[i]);
	}
	snprintf(port, sizeof port, "%d", in->port);
	env_set(&e, "PORT", port);
	env_set(&e, "NO_AUTOPORT", "true");
	env_set(&e, "APPS_DIR", in->apps_dir);
	env_set(&e, "DATA_DIR", in->data_dir);
	env_set(&e, "TOES_DIR", in->toes_dir);
	env_set(&e, "TOES_URL", in->url);
	set_path(&e, in->cwd);
	/* As a shell started there sets it. */
	env_set(&e, "PWD", in->cwd);
	/* The command's own assignments win, as the shell gives them. */
	for (char *const *kv = in->assign; kv && *kv; kv++) {
		char key[256];
		size_t k = key_len(*kv);
		if (k > 0 && k < sizeof key && (*kv)[k] == '=') {
			memcpy(key, *kv, k);
			key[k] = '\0';
			env_set(&e, key, *kv + k + 1);
		}
	}
	free(e.slots);
	if (e.failed || !e.vars) {
		appenv_free(e.vars);
		errno = e.err ? e.err : ENOMEM;
		return NULL;
	}
	return e.vars;
}

void appenv_free(char **env)
{
	for (char **v = env; v && *v; v++) {
		free(*v);
	}
	free(env);
}

const char *appenv_get(char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (; env && *env; env++) {
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=') {
			return *env + n + 1;
		}
	}
	return NULL;
}
