/* icon: toesctl icon NAME EMOJI (SPEC §2): sets toes.icon in
 * APPS_DIR/NAME/current/package.json, every other byte kept, atomically
 * (temp file, fsync, rename), the file's owner and mode kept. */
#ifndef TOES_CTL_ICON_H
#define TOES_CTL_ICON_H

/* apps_dir: absolute. Returns toesctl's exit code: 0 set (one line on
 * stdout), 1 the file could not be changed, 2 a bad NAME or EMOJI. */
int icon_run(const char *apps_dir, const char *name, const char *emoji);

#endif
