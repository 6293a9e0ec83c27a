/* owner: who an app runs as (SPEC §4.5). toesd running as root runs each
 * app as the user and group that own its folder APPS_DIR/<name>, with
 * that user's supplementary groups and HOME, USER and LOGNAME to match;
 * a root-owned app runs as root. Refused (the app is not run): an app
 * folder that is a symbolic link (whose owner would say nothing), and a
 * `current` that leads to a folder another user owns. toesd running as
 * any other user runs every app as itself. */
#ifndef TOES_OWNER_H
#define TOES_OWNER_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define OWNER_MAX_GROUPS 64

struct app_owner {
	int set;                     /* 0: the app runs as toesd does */
	uid_t uid;
	gid_t gid;
	gid_t groups[OWNER_MAX_GROUPS];
	size_t n_groups;
	char user[64];               /* the name, or the number without one */
	char home[PATH_MAX];         /* the passwd entry's, else the data folder */
};

/* dir: APPS_DIR/<name>; cwd: the real path of its current; data_dir:
 * its data folder (HOME when the user has no passwd entry). 0, or -1
 * with why the app is refused. */
int owner_of(const char *dir, const char *cwd, const char *data_dir, struct app_owner *o, char *why,
	     size_t cap);

/* Give the data folder to the owner (made by toesd as root). 0, or -1
 * with errno. */
int owner_take_folder(const struct app_owner *o, const char *path);

#endif
