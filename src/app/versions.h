/* versions: an app's version folders, and removing the old ones for
 * --keep-versions (SPEC §10) without blocking toesd: the trees are
 * removed by a child process, which toesd reaps like any other. */
#ifndef TOES_VERSIONS_H
#define TOES_VERSIONS_H

#include <stddef.h>

/* Of names (version folder names, any order), mark in doomed[i] those
 * past the newest keep (by name: versions are named to sort, such as
 * 20261121-101500), never current or previous (either may be NULL).
 * keep 0: none. Returns how many are doomed. Pure. */
size_t versions_choose(const char *const *names, size_t n, unsigned keep, const char *current,
		       const char *previous, unsigned char *doomed);

/* List app_dir's version folders, choose, and have a child remove the
 * doomed ones. Returns how many go (their names, space-separated, in
 * out), or -1 with why in out. */
int versions_prune(const char *app_dir, unsigned keep, const char *current, const char *previous, char *out,
		   size_t cap);

#endif
