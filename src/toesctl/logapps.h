/* logapps: the apps toesctl logs shows (one by name, or every folder of
 * APPS_DIR that has a logs folder) and, per app, the day file -f goes on
 * reading. */
#ifndef TOES_CTL_LOGAPPS_H
#define TOES_CTL_LOGAPPS_H

#include "parse/logview.h"
#include "toesctl/logsource.h"

#include <stddef.h>
#include <sys/types.h>

struct log_app {
	struct log_source src;  /* its name, and the ranges to print next */
	/* The day file followed ("" none yet), open on fd (-1: none now). */
	char file[LOGVIEW_DAY_FILE_SIZE];
	int fd;
	dev_t dev;              /* fd's file, to tell it from a new one under its name */
	ino_t ino;
	off_t offset;           /* the next byte of it to show */
	int warned;             /* the errno last said while following, so it is said once */
};

struct log_apps {
	const char *apps_dir;   /* absolute, borrowed */
	struct log_app **v;     /* in the order apps were added */
	size_t n, cap;
};

/* Add the app name (copied); NULL on ENOMEM. */
struct log_app *apps_add(struct log_apps *l, const char *name);
struct log_app *apps_find(const struct log_apps *l, const char *name);
void apps_free(struct log_apps *l);

/* The sorted names of the folders of apps_dir that hold a logs folder
 * (names starting with '.' are not apps). 0, or -1 with errno. */
int apps_with_logs(const char *apps_dir, char ***names, size_t *n);
void apps_names_free(char **names, size_t n);

/* Open apps_dir/name/logs, not through a symbolic link (toesd never
 * writes through one). -1 with errno. */
int apps_open_logs(const char *apps_dir, const char *name);

/* Take fd (open on the day file named file) as the one app a follows,
 * from offset. 0, or -1 with errno (fstat; fd is then closed). */
int apps_follow_file(struct log_app *a, int fd, const char *file, off_t offset);

#endif
