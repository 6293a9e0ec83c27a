/* test_env: the environment an app starts with (SPEC §4.3): toesd's own
 * less what a shell would drop, the env files, toesd's variables, PATH
 * with node_modules/.bin first, PWD, and the command's assignments last. */
#include "check.h"

#include "app/env.h"
#include "base/safefile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256], toes[300];
static int bad_lines, unreadable_calls, unreadable_err;

static void on_bad(void *ctx, const char *file, int line)
{
	bad_lines++;
}

static void on_unreadable(void *ctx, const char *path, int err)
{
	unreadable_calls++;
	unreadable_err = err;
}

static size_t too_many_keys;

static void on_too_many(void *ctx, const char *file, size_t keys)
{
	too_many_keys = keys;
}

static const struct appenv_report report = { on_bad, on_unreadable, on_too_many };

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_layers(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/env", toes);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/env/_global.env", toes);
	write_file(path, "SHARED=global\nONLY_GLOBAL=1\nbad line\n");
	snprintf(path, sizeof path, "%s/env/web.env", toes);
	write_file(path, "SHARED=app\nPORT=1\n");
	putenv("a-b=dropped");
	putenv("FROM_TOESD=kept");
	putenv("NOTIFY_SOCKET=/run/x");
	char *assign[] = { "NODE_ENV=production", "SHARED=command", NULL };
	struct appenv_in in = {
		.name = "web", .cwd = "/srv/web/v1", .port = 3001, .apps_dir = "/srv/apps",
		.data_dir = "/srv/toes/data/web", .toes_dir = toes, .url = "http://localhost:3000",
		.assign = assign,
	};
	bad_lines = 0;
	char **env = appenv_build(&in, &report, NULL);
	CHECK(env != NULL);
	CHECK(appenv_get(env, "a-b") == NULL);
	CHECK_STR(appenv_get(env, "FROM_TOESD"), "kept");
	CHECK(appenv_get(env, "NOTIFY_SOCKET") == NULL);
	CHECK_STR(appenv_get(env, "ONLY_GLOBAL"), "1");
	CHECK_STR(appenv_get(env, "SHARED"), "command");
	CHECK_STR(appenv_get(env, "NODE_ENV"), "production");
	CHECK_STR(appenv_get(env, "PORT"), "3001");
	CHECK_STR(appenv_get(env, "PWD"), "/srv/web/v1");
	CHECK_STR(appenv_get(env, "DATA_DIR"), "/srv/toes/data/web");
	const char *p = appenv_get(env, "PATH");
	CHECK(p && strncmp(p, "/srv/web/v1/node_modules/.bin:", 30) == 0);
	CHECK_INT(bad_lines, 1);
	appenv_free(env);
	unsetenv("a-b");
	unsetenv("FROM_TOESD");
	unsetenv("NOTIFY_SOCKET");
}

/* A name whose env file path cannot fit: said, not silently skipped. */
static void test_env_file_path_too_long(void)
{
	static char name[PATH_MAX];
	memset(name, 'x', sizeof name - 8);
	name[sizeof name - 8] = '\0';
	struct appenv_in in = {
		.name = name, .cwd = "/", .port = 1, .apps_dir = "/a", .data_dir = "/d",
		.toes_dir = toes, .url = "u",
	};
	unreadable_calls = 0;
	char **env = appenv_build(&in, &report, NULL);
	CHECK(env != NULL);
	CHECK_INT(unreadable_calls, 1);
	CHECK_INT(unreadable_err, ENAMETOOLONG);
	appenv_free(env);
}

/* The app's env file at toes/env/web.env: gone before each test. */
static void env_path(char *path, size_t cap)
{
	snprintf(path, cap, "%s/env/web.env", toes);
	unlink(path);
}

static char **build_web(void)
{
	static char *none[] = { NULL };
	struct appenv_in in = {
		.name = "web", .cwd = "/", .port = 1, .apps_dir = "/a", .data_dir = "/d",
		.toes_dir = toes, .url = "u", .assign = none,
	};
	unreadable_calls = 0;
	unreadable_err = 0;
	too_many_keys = 0;
	return appenv_build(&in, &report, NULL);
}

/* Many keys, each set twice: every one found, the later value kept (a
 * scan per key made 110,000 keys take 26 s; the hash makes it linear). */
static void test_many_keys(void)
{
	char path[400];
	env_path(path, sizeof path);
	FILE *f = fopen(path, "w");
	for (unsigned i = 0; f && i < ENV_FILE_MAX_KEYS / 2; i++) {
		fprintf(f, "K%u=a\nK%u=b%u\n", i, i, i);
	}
	if (f) {
		fclose(f);
	}
	char **env = build_web();
	CHECK(env != NULL);
	CHECK_STR(appenv_get(env, "K0"), "b0");
	CHECK_STR(appenv_get(env, "K2047"), "b2047");
	CHECK_INT((long)too_many_keys, 0);
	appenv_free(env);
	unlink(path);
}

/* Past the count of variables: the first ones used, the rest said. */
static void test_too_many_keys(void)
{
	char path[400];
	env_path(path, sizeof path);
	FILE *f = fopen(path, "w");
	for (unsigned i = 0; f && i < ENV_FILE_MAX_KEYS + 10; i++) {
		fprintf(f, "V%u=%u\n", i, i);
	}
	if (f) {
		fclose(f);
	}
	char **env = build_web();
	CHECK(env != NULL);
	CHECK_STR(appenv_get(env, "V0"), "0");
	CHECK(appenv_get(env, "V4100") == NULL);
	CHECK_INT((long)too_many_keys, 10);
	appenv_free(env);
	unlink(path);
}

/* One key set again and again is one variable, and the last line wins. */
static void test_same_key_again(void)
{
	char path[400];
	env_path(path, sizeof path);
	FILE *f = fopen(path, "w");
	for (unsigned i = 0; f && i < ENV_FILE_MAX_KEYS * 3; i++) {
		fprintf(f, "SAME=%u\n", i);
	}
	if (f) {
		fclose(f);
	}
	char **env = build_web();
	CHECK(env != NULL);
	CHECK_INT((long)too_many_keys, 0);
	CHECK_INT(atoi(appenv_get(env, "SAME") ? appenv_get(env, "SAME") : "0"), ENV_FILE_MAX_KEYS * 3 - 1);
	appenv_free(env);
	unlink(path);
}

/* A file of exactly the bound is read whole. */
static void test_at_the_bound(void)
{
	char path[400];
	env_path(path, sizeof path);
	FILE *f = fopen(path, "w");
	for (unsigned i = 0; f && i < ENV_FILE_MAX_BYTES / 16 - 1; i++) {
		fputs("# padding line.\n", f);
	}
	if (f) {
		fputs("LAST=1234567890\n", f); /* 16 bytes: the file is 256 KiB */
		fclose(f);
	}
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == ENV_FILE_MAX_BYTES);
	char **env = build_web();
	CHECK(env != NULL);
	CHECK_STR(appenv_get(env, "LAST"), "1234567890");
	CHECK_INT(unreadable_calls, 0);
	appenv_free(env);
	unlink(path);
}

/* Out of descriptors: no environment at all (EMFILE), not one without the
 * file's variables. */
static void test_transient_fails_the_start(void)
{
	char path[400];
	env_path(path, sizeof path);
	write_file(path, "SECRET=1\n");
	struct rlimit was, low;
	CHECK_INT(getrlimit(RLIMIT_NOFILE, &was), 0);
	int probe = dup(0);
	close(probe);
	low = was;
	low.rlim_cur = (rlim_t)probe;
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &low), 0);
	errno = 0;
	char **env = build_web();
	int err = errno;
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &was), 0);
	CHECK(env == NULL);
	CHECK_INT(err, EMFILE);
	appenv_free(env);
	unlink(path);
}

/* Over the size: not used at all, EFBIG. */
static void test_too_large(void)
{
	char path[400];
	env_path(path, sizeof path);
	FILE *f = fopen(path, "w");
	for (unsigned i = 0; f && i < ENV_FILE_MAX_BYTES / 16 + 1; i++) {
		fputs("# padding line.\n", f);
	}
	if (f) {
		fputs("LATE=1\n", f);
		fclose(f);
	}
	char **env = build_web();
	CHECK(env != NULL);
	CHECK(appenv_get(env, "LATE") == NULL);
	CHECK_INT(unreadable_err, EFBIG);
	appenv_free(env);
	unlink(path);
}

/* A FIFO is refused without blocking; a link is never followed. */
static void test_fifo_and_link(void)
{
	char path[400], target[400];
	env_path(path, sizeof path);
	CHECK(mkfifo(path, 0644) == 0);
	char **env = build_web();
	CHECK(env != NULL);
	CHECK_INT(unreadable_err, SAFE_ENOTREG);
	appenv_free(env);
	unlink(path);
	snprintf(target, sizeof target, "%s/elsewhere", root);
	write_file(target, "SECRET=1\n");
	CHECK(symlink(target, path) == 0);
	env = build_web();
	CHECK(env != NULL);
	CHECK(appenv_get(env, "SECRET") == NULL);
	CHECK_INT(unreadable_err, ELOOP);
	appenv_free(env);
	unlink(path);
	unlink(target);
}

int main(void)
{
	if (check_tmpdir(root, sizeof root, "toes-env") < 0) {
		return 1;
	}
	snprintf(toes, sizeof toes, "%s/toes", root);
	mkdir(toes, 0755);
	RUN(test_layers);
	RUN(test_env_file_path_too_long);
	RUN(test_many_keys);
	RUN(test_too_many_keys);
	RUN(test_too_large);
	RUN(test_same_key_again);
	RUN(test_at_the_bound);
	RUN(test_transient_fails_the_start);
	RUN(test_fifo_and_link);
	check_rmtree(root);
	return CHECK_EXIT();
}
