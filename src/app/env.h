/* env: the environment an app is started with (SPEC §4.3): toesd's own,
 * then _global.env, then <name>.env, less the init system's variables,
 * then what toesd sets (PORT, NO_AUTOPORT, APPS_DIR, DATA_DIR, TOES_DIR,
 * TOES_URL, PATH with node_modules/.bin first). */
#ifndef TOES_APPENV_H
#define TOES_APPENV_H

#include <stddef.h>

struct appenv_in {
	const char *name;      /* the app */
	const char *cwd;       /* real path of current */
	int port;
	const char *apps_dir, *data_dir, *toes_dir, *url; /* data_dir: the app's own */
	char *const *assign;   /* NAME=value words of the command, set last (NULL: none) */
	const char *user, *home; /* the user the app runs as, when not toesd's: HOME, USER,
	                          * LOGNAME (before the env files, which may change them) */
};

/* An env file's bounds: a larger file is not used (EFBIG); variables
 * past the count are skipped. Both leave room in execve's limit. */
#define ENV_FILE_MAX_BYTES (256u * 1024)
#define ENV_FILE_MAX_KEYS 4096u

/* What went wrong with the env files, told as it is found. */
struct appenv_report {
	/* A malformed line: file is "_global.env" or "<name>.env". */
	void (*bad)(void *ctx, const char *file, int line);
	/* An env file that exists but cannot be used: err EFBIG when it is
	 * larger than ENV_FILE_MAX_BYTES, ELOOP or SAFE_ENOTREG when it is a
	 * link or not a regular file (safefile.h). */
	void (*unreadable)(void *ctx, const char *path, int err);
	/* skipped variables came after the first ENV_FILE_MAX_KEYS and were
	 * not set. */
	void (*too_many)(void *ctx, const char *file, size_t skipped);
};

/* A NULL-terminated "KEY=VALUE" array, malloc'd; NULL with errno when out
 * of memory or when an env file could not be read for a reason that may
 * pass (EMFILE, ENFILE, ENOMEM, EAGAIN): the start should wait. Near
 * linear in the number of variables. */
char **appenv_build(const struct appenv_in *in, const struct appenv_report *report, void *ctx);
void appenv_free(char **env);
/* The value of name in env, or NULL. */
const char *appenv_get(char *const *env, const char *name);

#endif
