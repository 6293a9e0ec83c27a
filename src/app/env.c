/* env: merge toesd's environment, env files and toesd's own variables. */
#include "app/env.h"

#include "base/path.h"

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

struct envset {
	char **vars;
	size_t n, cap;
	int failed;
};

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');
	return eq ? (size_t)(eq - kv) : strlen(kv);
}

static ssize_t find_key(const struct envset *e, const char *key, size_t klen)
{
	for (size_t i = 0; i < e->n; i++) {
		if (key_len(e->vars[i]) == klen && strncmp(e->vars[i], key, klen) == 0) {
			return (ssize_t)i;
		}
	}
	return -1;
}

static void env_set(struct envset *e, const char *key, const char *value)
{
	size_t klen = strlen(key), n = klen + strlen(value) + 2;
	char *kv = malloc(n);
	if (!kv) {
		e->failed = 1;
		return;
	}
	snprintf(kv, n, "%s=%s", key, value);
	ssize_t i = find_key(e, key, klen);
	if (i >= 0) {
		free(e->vars[i]);
		e->vars[i] = kv;
		return;
	}
	if (e->n + 2 > e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		char **p = realloc(e->vars, cap * sizeof *p);
		if (!p) {
			free(kv);
			e->failed = 1;
			return;
		}
		e->vars = p;
		e->cap = cap;
	}
	e->vars[e->n++] = kv;
	e->vars[e->n] = NULL;
}

static void env_unset(struct envset *e, const char *key)
{
	ssize_t i = find_key(e, key, strlen(key));
	if (i >= 0) {
		free(e->vars[i]);
		e->vars[i] = e->vars[--e->n];
		e->vars[e->n] = NULL;
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
	appenv_bad_fn bad;
	void *ctx;
};

static void file_set(void *ctx, const char *key, const char *value)
{
	struct file_ctx *f = ctx;
	env_set(f->e, key, value);
}

static void file_bad(void *ctx, int line)
{
	struct file_ctx *f = ctx;
	f->bad(f->ctx, f->file, line);
}

/* Read a whole (small) file; NULL with errno set, ENOENT when missing. */
static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	while (p) {
		if (n == cap) {
			char *q = cap < (1u << 20) ? realloc(p, cap *= 2) : NULL;
			if (!q) {
				free(p);
				p = NULL;
				errno = EFBIG;
				break;
			}
			p = q;
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			if (r < 0) {
				free(p);
				p = NULL;
			}
			break;
		}
		n += (size_t)r;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	*len = n;
	return p;
}

static void merge_file(struct envset *e, const char *toes_dir, const char *file,
		       appenv_bad_fn bad, appenv_unreadable_fn unreadable, void *ctx)
{
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/env/%s", toes_dir, file) < 0) {
		unreadable(ctx, file, ENAMETOOLONG);
		return;
	}
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		if (errno != ENOENT && errno != ENOTDIR) {
			unreadable(ctx, path, errno);
		}
		return;
	}
	struct file_ctx f = { e, file, bad, ctx };
	envfile_parse(text, len, file_set, file_bad, &f);
	free(text);
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

char **appenv_build(const struct appenv_in *in, appenv_bad_fn bad,
		    appenv_unreadable_fn unreadable, void *ctx)
{
	struct envset e = { 0 };
	char file[PATH_MAX], port[16];
	copy_environ(&e);
	merge_file(&e, in->toes_dir, "_global.env", bad, unreadable, ctx);
	if (path_format(file, sizeof file, "%s.env", in->name) == 0) {
		merge_file(&e, in->toes_dir, file, bad, unreadable, ctx);
	} else {
		unreadable(ctx, in->name, ENAMETOOLONG);
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
	if (e.failed || !e.vars) {
		appenv_free(e.vars);
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
