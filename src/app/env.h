/* env: the environment an app is started with (SPEC §4.3): toesd's own,
 * then _global.env, then <name>.env, less the init system's variables,
 * then what toesd sets (PORT, NO_AUTOPORT, APPS_DIR, DATA_DIR, TOES_DIR,
 * TOES_URL, PATH with node_modules/.bin first). */
#ifndef TOES_APPENV_H
#define TOES_APPENV_H

struct appenv_in {
	const char *name;      /* the app */
	const char *cwd;       /* real path of current */
	int port;
	const char *apps_dir, *data_dir, *toes_dir, *url; /* data_dir: the app's own */
	char *const *assign;   /* NAME=value words of the command, set last (NULL: none) */
};

/* Told about each malformed env-file line: file is "_global.env" or "<name>.env". */
typedef void (*appenv_bad_fn)(void *ctx, const char *file, int line);
/* Told when an env file exists but cannot be read. */
typedef void (*appenv_unreadable_fn)(void *ctx, const char *path, int err);

/* A NULL-terminated "KEY=VALUE" array, malloc'd; NULL when out of memory. */
char **appenv_build(const struct appenv_in *in, appenv_bad_fn bad,
		    appenv_unreadable_fn unreadable, void *ctx);
void appenv_free(char **env);
/* The value of name in env, or NULL. */
const char *appenv_get(char *const *env, const char *name);

#endif
