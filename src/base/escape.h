/* escape: text from apps and folder names, made safe to show on a terminal
 * or to write into toesd's log.
 *
 * Kept as is: printable ASCII, TAB and valid UTF-8 of two to four bytes.
 * Written as visible escapes of their bytes, lowercase \xHH: the C0
 * controls but TAB, DEL, the C1 controls U+0080..U+009F (two escapes,
 * "\xc2\x9b"), and every byte that is not part of valid UTF-8 (a terminal
 * in 8-bit mode takes a raw 0x9b as CSI).
 *
 * A backslash stays a backslash, so that paths and Windows-style names
 * stay readable; the price is that a name holding the four characters
 * "\x1b" looks like one holding ESC. Escaped text holds no control but
 * TAB, so escaping it again changes nothing. */
#ifndef TOES_ESCAPE_H
#define TOES_ESCAPE_H

#include "base/buf.h"

#include <stddef.h>

/* Whether s (n bytes) holds anything to escape; most text holds nothing. */
int escape_needed(const char *s, size_t n);
/* The escaped copy of s (n bytes) into out, NUL-terminated, cut before
 * the first escape or character that does not fit whole; its length.
 * cap 0 writes nothing. */
size_t escape_to(char *out, size_t cap, const char *s, size_t n);
/* The escaped copy of s (n bytes) appended to b. */
void escape_buf(struct buf *b, const char *s, size_t n);
/* s (n bytes) appended to b as a JSON string literal that is clean on a
 * terminal: quotes, backslash and TAB, CR, LF as \" \\ \t \r \n, the
 * other C0 controls, DEL and the C1 controls as \u00XX, and a byte that
 * is not part of valid UTF-8 as \ufffd (as Go's encoding/json does: JSON
 * cannot hold it). */
void escape_json(struct buf *b, const char *s, size_t n);
/* Valid JSON text (n bytes) appended to b with its DEL and C1 characters
 * as \u00XX and its bytes outside valid UTF-8 as \ufffd: JSON allows them
 * raw inside strings, a terminal does not. C0 controls are kept: valid
 * JSON holds them only as whitespace between tokens. */
void escape_json_text(struct buf *b, const char *json, size_t n);

#endif
