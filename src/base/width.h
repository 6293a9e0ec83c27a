/* width: how many terminal columns text takes, so that status can line
 * up its columns under names and icons that are not ASCII. No locale is
 * asked (a small box may have none installed): the tables are toesd's
 * own, from Unicode's East Asian Width and general categories. */
#ifndef TOES_WIDTH_H
#define TOES_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* The columns of one code point on its own: 2 for East Asian Wide and
 * Fullwidth characters (CJK, most emoji); 0 for combining marks, the
 * zero-width joiner and spaces, variation selectors, tags and Hangul
 * medial vowels; 1 for everything else (controls too: what status
 * measures is escaped first). */
unsigned width_char(uint32_t cp);

/* The columns of UTF-8 text s[0..n). A character just after a zero-width
 * joiner, and an emoji skin-tone modifier after another character, join
 * the glyph before them and add nothing (👩‍💻 is 2, not 4). A byte that
 * is not part of valid UTF-8 counts 1. */
size_t width_text(const char *s, size_t n);

#endif
