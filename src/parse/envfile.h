/* envfile: the KEY=VALUE syntax of the per-app and global env files (SPEC §4.3). */
#ifndef TOES_ENVFILE_H
#define TOES_ENVFILE_H

#include <stddef.h>

/* Told about one good line: key and value are NUL-terminated and valid only
 * during the call. */
typedef void (*envfile_set_fn)(void *ctx, const char *key, const char *value);
/* Told about one malformed line, by its 1-based number. */
typedef void (*envfile_bad_fn)(void *ctx, int line);

/*
 * Parse len bytes of env file text (need not be NUL-terminated). Each line
 * is trimmed (white space and a trailing \r); blank lines and lines starting
 * with '#' are skipped; an "export " prefix is ignored. Then KEY = VALUE,
 * with KEY matching [A-Za-z_][A-Za-z0-9_]* and white space around '='
 * ignored. VALUE is "double quoted" (escapes \n, \" and \\; any other
 * backslash is kept as is), 'single quoted' (literal), or unquoted (to the
 * end of the line; a '#' after a space or tab starts a comment; trailing
 * white space dropped). After a closing quote only white space or a comment
 * may follow. Lines with no '=', a bad key, an unterminated quote, junk
 * after a quote or a NUL byte go to bad(); so does a line too long to get
 * memory for. Quotes never span lines.
 */
void envfile_parse(const char *text, size_t len, envfile_set_fn set,
		   envfile_bad_fn bad, void *ctx);

#endif
