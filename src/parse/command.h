/* command: how a start command runs (SPEC §4.4). A simple command
 * (optional leading NAME=value assignments, then words; none of ; & | ( )
 * { } ` or a newline; its first word not a shell keyword or built-in) is
 * run as if it read `NAME=value exec words...`, so the program is the
 * app's main process. When its words are plain too (no quoting, no
 * expansion: nothing the shell would change), toesd can exec the program
 * itself, skipping the shell: same program, same arguments, same
 * environment, a millisecond less. Anything else runs through the shell
 * as written. Pure: no I/O, no logging. */
#ifndef TOES_COMMAND_H
#define TOES_COMMAND_H

#include <stddef.h>

enum command_kind {
	COMMAND_SHELL,   /* `/bin/sh -c SCRIPT` as written */
	COMMAND_SIMPLE,  /* `/bin/sh -c SCRIPT` with `exec ` before the program */
	COMMAND_PLAIN,   /* the program exec'd directly (the shell is the fallback) */
};

#define COMMAND_MAX_WORDS 64

struct command {
	enum command_kind kind;
	char *script;           /* what the shell runs (malloc'd; exec inserted when simple) */
	/* COMMAND_PLAIN: the words, split (pointers into one malloc'd copy). */
	char *words_copy;
	char *argv[COMMAND_MAX_WORDS + 1];   /* the program and its arguments, NULL-ended */
	char *assign[COMMAND_MAX_WORDS + 1]; /* leading NAME=value words, NULL-ended */
};

/* Classify script. 0, or -1 when out of memory. */
int command_parse(const char *script, struct command *out);
void command_free(struct command *c);

/* 1 when word is a shell keyword or a built-in the SPEC names (cd, exec,
 * export, ., and the rest of POSIX's special and regular built-ins). */
int command_is_builtin(const char *word, size_t len);

#endif
