/* package: package.json into the record, and the version `current` names. */
#include "app/package.h"

#include "app/applog.h"
#include "app/registry.h"
#include "base/safefile.h"
#include "base/path.h"
#include "parse/pkg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* The name of the folder `current` points at ("current" for a plain one). */
static char *current_version(const char *dir)
{
	char link[PATH_MAX], target[PATH_MAX];
	if (path_format(link, sizeof link, "%s/current", dir) < 0) {
		return NULL;
	}
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n < 0) {
		return errno == EINVAL ? strdup("current") : NULL;
	}
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/') {
		target[--n] = '\0';
	}
	const char *base = strrchr(target, '/');
	return strdup(base ? base + 1 : target);
}

/* current/package.json into p (pkg_load's result). `current` may be a
 * link (a deploy flips it); package.json may not (safefile.h). */
/* Open current in the app folder dfd. ENOENT with *dangling set: the link
 * is there but leads nowhere. A link seen just after a failed open may
 * have been made in between (`rm current; ln -s v2 current`): opened
 * again before it is called dangling. */
static int open_current(int dfd, int *dangling)
{
	*dangling = 0;
	for (int tries = 0; tries < 3; tries++) {
		int cfd = openat(dfd, "current", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat st;
		if (cfd >= 0 || errno != ENOENT) {
			return cfd;
		}
		if (fstatat(dfd, "current", &st, AT_SYMLINK_NOFOLLOW) < 0) {
			errno = ENOENT;
			return -1; /* no current at all */
		}
		*dangling = 1;
	}
	errno = ENOENT;
	return -1;
}

static int read_package(const struct app *a, struct pkg *p)
{
	int dangling = 0;
	int dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int cfd = dfd >= 0 ? open_current(dfd, &dangling) : -1;
	int err = errno;
	if (dfd >= 0) {
		close(dfd);
	}
	if (cfd >= 0) {
		int r = pkg_load_at(cfd, "package.json", p);
		close(cfd);
		return r;
	}
	memset(p, 0, sizeof *p);
	if (err == ENOENT && !dangling) {
		/* No `current` at all now: `rm current; ln -s v2 current` has
		 * such a moment (and a vanished app folder is the rescan's). */
		snprintf(p->error, sizeof p->error, "Cannot read package.json: %.200s/current is missing",
			 a->dir);
		return PKG_AGAIN;
	}
	if (err == ENOENT || err == ENOTDIR) {
		/* current leads nowhere, or to something not a folder. */
		snprintf(p->error, sizeof p->error, "Missing package.json");
		return 2;
	}
	snprintf(p->error, sizeof p->error, "Cannot read package.json: %s", strerror(err));
	return safe_may_pass(err) ? PKG_AGAIN : 2;
}

/* What was read goes into the record. */
static enum load_result commit(struct app *a, struct pkg *p, int r)
{
	replace(&a->icon, p->icon);
	replace(&a->tool, p->tool);
	replace(&a->script, p->toes);
	replace(&a->health, p->health);
	a->no_health = (unsigned char)p->no_health;
	p->icon = p->tool = p->toes = p->health = NULL;
	replace(&a->version, current_version(a->dir));
	if (r == 0 && a->error_from_package) {
		app_clear_error(a);
	} else if (r != 0) {
		app_set_error(a, "%s", p->error);
		a->error_from_package = 1;
		/* What a restart read is no more: the next start reads again. */
		a->run.package_read = 0;
	}
	pkg_free(p);
	app_mark_changed(a);
	return r == 0 ? LOAD_VALID : LOAD_INVALID;
}

/* A read that may work next time changes nothing but the error shown
 * (cleared by the next read that works). */
static enum load_result not_now(struct app *a, struct pkg *p)
{
	app_set_error(a, "%s", p->error);
	a->error_from_package = 1;
	pkg_free(p);
	return LOAD_AGAIN;
}

enum load_result app_load(struct app *a)
{
	struct pkg p;
	int r = read_package(a, &p);
	return r == PKG_AGAIN ? not_now(a, &p) : commit(a, &p, r);
}

enum load_result app_load_if_valid(struct app *a, char *why, size_t cap)
{
	struct pkg p;
	int r = read_package(a, &p);
	if (r != 0) {
		snprintf(why, cap, "%s", p.error);
		pkg_free(&p);
		return r == PKG_AGAIN ? LOAD_AGAIN : LOAD_INVALID;
	}
	return commit(a, &p, r);
}

static int differs(const char *x, const char *y)
{
	return (x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0);
}

enum load_result app_load_changes(struct app *a, struct package_changes *ch)
{
	struct pkg p;
	int r = read_package(a, &p);
	memset(ch, 0, sizeof *ch);
	if (r == PKG_AGAIN) {
		return not_now(a, &p);
	}
	char *version = current_version(a->dir);
	ch->version = differs(version, a->version);
	free(version);
	ch->fields = differs(p.icon, a->icon) || differs(p.tool, a->tool) || differs(p.toes, a->script) ||
		     differs(p.health, a->health) || p.no_health != a->no_health ||
		     (r != 0 && differs(p.error, a->error));
	if (!ch->fields && !ch->version && (r != 0 || !a->error_from_package)) {
		/* Nothing to take: the app is not marked changed (a rescan
		 * every few seconds must not re-render every file). */
		pkg_free(&p);
		return r == 0 ? LOAD_VALID : LOAD_INVALID;
	}
	return commit(a, &p, r);
}
