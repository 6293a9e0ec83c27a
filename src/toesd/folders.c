/* folders: make the folders of the configuration absolute, creating the
 * apps, toes and run folders when missing (SPEC §1). */
#include "toesd/folders.h"

#include "base/log.h"
#include "base/path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Create a folder when missing (*created says so), then resolve it to
 * its real path (kept in c->owned[slot] for config_free). */
static int resolve_dir(struct config *c, int slot, const char **dir, const char *what, int *created)
{
	struct stat st;
	char *abs = path_absolute(*dir);
	if (abs && created) {
		*created = stat(abs, &st) < 0 && errno == ENOENT;
	}
	if (!abs || path_mkdirs(abs) < 0) {
		fprintf(stderr, "toesd: cannot create %s folder %s: %s\n", what, *dir, strerror(errno));
		free(abs);
		return -1;
	}
	char *real = realpath(abs, NULL);
	free(abs);
	if (!real) {
		fprintf(stderr, "toesd: cannot resolve %s folder %s: %s\n", what, *dir, strerror(errno));
		return -1;
	}
	*dir = c->owned[slot] = real;
	return 0;
}

static int apps_created; /* config_resolve made the apps folder */

/* A typo in --apps-dir would otherwise idle in silence, with no app. */
void folders_report(const struct config *c)
{
	if (!apps_created) {
		return;
	}
	const char *apps_dir = c->apps_dir;
	log_msg(NULL, "warning: the apps folder %s did not exist and was created empty; "
		"put apps in %s/NAME/VERSION/ or point at yours with --apps-dir, APPS_DIR or --data-dir",
		apps_dir, apps_dir);
}

int config_resolve(struct config *c)
{
	if (!c->data_dir) {
		c->data_dir = ".";
	}
	if (resolve_dir(c, 0, &c->data_dir, "data", NULL) < 0) {
		return -1;
	}
	char *apps = NULL, *toes = NULL;
	if (!c->apps_dir) {
		c->apps_dir = apps = path_join(c->data_dir, "apps");
	}
	if (!c->toes_dir) {
		c->toes_dir = toes = path_join(c->data_dir, "toes");
	}
	int r = -1;
	if (!c->apps_dir || !c->toes_dir) {
		fprintf(stderr, "toesd: out of memory\n");
	} else if (resolve_dir(c, 1, &c->apps_dir, "apps", &apps_created) == 0 &&
		   resolve_dir(c, 2, &c->toes_dir, "toes", NULL) == 0) {
		r = 0;
	}
	/* resolve_dir replaced them with their real paths. */
	free(apps);
	free(toes);
	if (r < 0) {
		return -1;
	}
	if (!c->run_dir) {
		c->run_dir = c->toes_dir;
	}
	return resolve_dir(c, 3, &c->run_dir, "run", NULL);
}
