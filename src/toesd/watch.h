/* watch: the apps folder seen as it changes (SPEC §10). inotify watches
 * APPS_DIR, each folder in it, and the version folder each `current`
 * points at. Events only mark names; once per --watch-debounce after the
 * first one, every marked name is looked at again in one pass. Where
 * inotify cannot be used (no inotify, the watch limit reached, or
 * TOES_NO_INOTIFY=1 in the environment, for tests), that is said once
 * and the whole folder is rescanned every --rescan-interval instead. */
#ifndef TOES_WATCH_H
#define TOES_WATCH_H

#include <stdint.h>

struct watch_hooks {
	/* Look at APPS_DIR/name again: it came, went, or changed. */
	void (*name_changed)(const char *name);
	/* Look at everything again (events were lost, or no inotify). */
	void (*everything)(void);
};

/* Watch apps_dir (absolute) and every folder in it. 0, or -1 when out
 * of memory (inotify trouble is not an error: the rescan takes over). */
int watch_start(const char *apps_dir, int64_t debounce_ms, int64_t rescan_ms, const struct watch_hooks *h);
/* Look at name again at the next pass: its app was forgotten, and a
 * folder made under that name meanwhile (a redeploy by rm and cp) was
 * passed over while the old one was still going. */
void watch_recheck(const char *name);
/* 1 when inotify is in use, 0 when the rescan stands in. */
int watch_inotify(void);
void watch_stop(void);

#endif
