/* jsonedit: setting one string member of a JSON text in place, every
 * other byte kept (toesctl icon, SPEC §2). */
#ifndef TOES_JSONEDIT_H
#define TOES_JSONEDIT_H

#include <stddef.h>

#include "base/buf.h"

enum jsonedit_result {
	JSONEDIT_CHANGED,    /* out holds the whole new text */
	JSONEDIT_SAME,       /* the member already holds that string; out untouched */
	JSONEDIT_BAD_JSON,   /* not valid JSON (json.h's rules): err has where and what */
	JSONEDIT_NOT_OBJECT, /* the top level, or root.outer, is not an object: err.msg says which */
	JSONEDIT_BAD_VALUE,  /* the value is not valid UTF-8 */
	JSONEDIT_NO_MEMORY,
};

struct jsonedit_error {
	int line, column; /* JSONEDIT_BAD_JSON only; as json_error */
	char msg[128];
};

/*
 * The text (len bytes) with root.outer.inner set to the string value
 * (value_len bytes of UTF-8), appended to out. Keys compare decoded, and
 * the member edited is the one JSON.parse would read: the last inner of
 * the last outer. Only these bytes change:
 *   - inner present (any type: a number, an object, a \u-escaped
 *     string...): its value's bytes are replaced by the new string;
 *   - outer an object without inner: "inner": value becomes its FIRST
 *     member, spaced as its first member is (the white space after '{',
 *     around ':', after a ','); an empty {} gets a compact one, spaced
 *     around ':' as the top level's first member;
 *   - no outer: "outer": {"inner": value} becomes the LAST member of the
 *     top level, after a ','; where the top level's members stand on
 *     lines of their own, the new object is laid out the same way, one
 *     indentation step further in (LF or CRLF as the file has them); an
 *     empty top level {} gets the compact {"outer":{"inner":value}}.
 * The value is written with '"', '\\' and C0 controls escaped, all else
 * as raw UTF-8. A BOM and every other byte stay. outer and inner: at
 * most 31 bytes (json_parse_kept's bound on names kept).
 */
int jsonedit_set_string(const char *text, size_t len, const char *outer, const char *inner,
			const char *value, size_t value_len, struct buf *out,
			struct jsonedit_error *err);

#endif
