/* appname: the names toesctl rename gives (SPEC §9): a lowercase letter,
 * then lowercase letters, digits and '-', at most APPNAME_MAX bytes. The
 * folders found in APPS_DIR keep whatever name they have. */
#ifndef TOES_APPNAME_H
#define TOES_APPNAME_H

#include <stddef.h>

#define APPNAME_MAX 64

/* 0 when name may be given; else -1 and why says what is wrong (the
 * name itself is not repeated: it may hold anything). */
int appname_check(const char *name, char *why, size_t cap);

#endif
