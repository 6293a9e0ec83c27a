/* pkg: reading an app's package.json (SPEC §2) and the report of toesctl check. */
#ifndef TOES_PKG_H
#define TOES_PKG_H

#include "base/buf.h"

#define PKG_DEFAULT_ICON "\xf0\x9f\x90\xbe"  /* 🐾 */
/* pkg_load's answer when the file could not be read for a reason that
 * may pass (EMFILE, ENFILE, ENOMEM, EAGAIN): no verdict on the app. */
#define PKG_AGAIN 3
/* Bounds on what toesd keeps (SPEC §2; scripts.toes is toesd's own). */
#define PKG_ICON_MAX 32          /* bytes of toes.icon */
#define PKG_TOOL_MAX 4096        /* bytes of toes.tool as compact JSON */
#define PKG_TOES_MAX (32 * 1024) /* bytes of scripts.toes */
#define PKG_HEALTH_MAX 256       /* bytes of toes.health */

struct pkg {
	char *toes;      /* scripts.toes decoded, malloc'd; NULL unless the app is valid */
	char *icon;      /* toes.icon decoded; NULL when absent or not a string (default applies) */
	char *tool;      /* toes.tool as compact JSON; NULL when absent */
	char *health;    /* toes.health decoded; NULL when absent (probe /ok) */
	int no_health;   /* toes.health is false: no probes, the survival rule decides */
	char error[300]; /* "" when valid; else the SPEC's exact message */
};

/*
 * Read and check the package.json at path. Returns 0 for a valid app; 1 for
 * valid JSON that is not an app (icon and tool are still filled as found,
 * toes is NULL); 2 when the file is missing, unreadable, over 1 MiB or not
 * valid JSON; PKG_AGAIN when it could not be read now for a reason that
 * may pass. error is set whenever the result is not 0. The messages:
 *   Missing package.json                       (ENOENT, ENOTDIR)
 *   Cannot read package.json: <strerror>       (other errors, a folder,
 *                                               "file too large",
 *                                               "not a regular file")
 *   Invalid JSON in package.json: line L, column C: <what was expected>
 *   Missing scripts.toes in package.json       (also: root not an object)
 *   scripts.toes must be a non-empty string
 *   scripts.toes contains a NUL character
 *   toes.icon contains a NUL character
 *   toes.icon must be at most 32 bytes of UTF-8
 *   toes.tool is larger than 4 KiB
 *   scripts.toes is longer than 32 KiB
 *   toes.health must be a path starting with / or false
 * The file is never taken through a symbolic link (its folders may be)
 * and never opened unless it is a regular file (safefile.h): a FIFO
 * neither blocks nor is read, a device is never opened ("Cannot read
 * package.json: is not a regular file, refused").
 * Call pkg_free afterwards whatever the result.
 */
int pkg_load(const char *path, struct pkg *out);
/* The same for the file name in the folder dirfd. */
int pkg_load_at(int dirfd, const char *name, struct pkg *out);
/* The same checks on len bytes of text already read (the fuzzer's entry). */
int pkg_parse(const char *text, size_t len, struct pkg *out);

void pkg_free(struct pkg *p);

/*
 * toesctl check PATH: PATH is a package.json file, a folder holding one, or
 * an app folder (PATH/current/package.json is used when PATH/package.json
 * does not exist). When the JSON is valid, appends to out one line
 * {"name":…,"toes":…,"icon":…,"tool":…} holding the values as found
 * (compact JSON; null when missing; "toes" is scripts.toes). Appends the
 * reason, one line, to err when the result is not 0. Returns the exit code:
 * 0 valid app, 1 valid JSON but not an app, 2 invalid JSON or unreadable.
 */
int pkg_check(const char *path, struct buf *out, struct buf *err);
/* The file pkg_check reads for PATH (PATH, PATH/package.json or
 * PATH/current/package.json), appended to b. */
void pkg_check_path(const char *path, struct buf *b);

#endif
