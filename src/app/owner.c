/* owner: the folder's owner, its passwd entry and groups. */
#include "app/owner.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The passwd entry's name, home and groups; none: the number, the data
 * folder as home, the folder's group alone. */
static void fill_user(struct app_owner *o, const char *data_dir)
{
	char buf[4096];
	struct passwd pw, *found = NULL;
	if (getpwuid_r(o->uid, &pw, buf, sizeof buf, &found) != 0 || !found) {
		snprintf(o->user, sizeof o->user, "%ld", (long)o->uid);
		snprintf(o->home, sizeof o->home, "%s", data_dir);
		o->groups[0] = o->gid;
		o->n_groups = 1;
		return;
	}
	snprintf(o->user, sizeof o->user, "%s", pw.pw_name);
	snprintf(o->home, sizeof o->home, "%s", pw.pw_dir && *pw.pw_dir ? pw.pw_dir : data_dir);
	int n = OWNER_MAX_GROUPS;
	if (getgrouplist(pw.pw_name, o->gid, o->groups, &n) < 0) {
		/* More than fit: the first ones, the folder's group among them. */
		n = OWNER_MAX_GROUPS;
	}
	o->n_groups = (size_t)n;
}

int owner_of(const char *dir, const char *cwd, const char *data_dir, struct app_owner *o, char *why,
	     size_t cap)
{
	memset(o, 0, sizeof *o);
	if (geteuid() != 0) {
		return 0;
	}
	struct stat app, target;
	if (lstat(dir, &app) < 0) {
		snprintf(why, cap, "cannot look at %s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISLNK(app.st_mode)) {
		snprintf(why, cap, "%s is a symbolic link: toesd runs as root and runs an app as its folder's "
			 "owner, which a link does not tell; make it a folder", dir);
		return -1;
	}
	if (stat(cwd, &target) < 0) {
		snprintf(why, cap, "cannot look at %s: %s", cwd, strerror(errno));
		return -1;
	}
	if (target.st_uid != app.st_uid) {
		snprintf(why, cap, "current leads to %s, owned by uid %ld, but the app folder is owned by uid %ld; "
			 "toesd runs as root and will not run one user's app from another's folder", cwd,
			 (long)target.st_uid, (long)app.st_uid);
		return -1;
	}
	if (app.st_uid == 0) {
		return 0; /* a root-owned app runs as root */
	}
	o->set = 1;
	o->uid = app.st_uid;
	o->gid = app.st_gid;
	fill_user(o, data_dir);
	return 0;
}

int owner_take_folder(const struct app_owner *o, const char *path)
{
	struct stat st;
	if (!o->set) {
		return 0;
	}
	if (lstat(path, &st) < 0) {
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (st.st_uid == o->uid && st.st_gid == o->gid) {
		return 0;
	}
	return lchown(path, o->uid, o->gid);
}
