/* command: a small scanner of shell words, enough to tell SPEC §4.4's
 * simple commands apart and to split the plain ones. */
#include "parse/command.h"

#include <stdlib.h>
#include <string.h>

/* Keywords, then POSIX special and regular built-ins, and the usual extras. */
static const char *const builtins[] = {
	"!", "{", "}", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi",
	"for", "function", "if", "in", "select", "then", "time", "until", "while",
	".", ":", "[", "alias", "bg", "break", "builtin", "cd", "command", "continue",
	"echo", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash",
	"jobs", "kill", "let", "local", "newgrp", "printf", "pwd", "read", "readonly",
	"return", "set", "shift", "source", "test", "times", "trap", "true", "type",
	"typeset", "ulimit", "umask", "unalias", "unset", "wait",
};

/* The operators that make a command not simple (SPEC §4.4). */
static const char operators[] = ";&|(){}`\n";

int command_is_builtin(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		if (strlen(builtins[i]) == len && memcmp(builtins[i], word, len) == 0) {
			return 1;
		}
	}
	return 0;
}

/* A byte the shell leaves alone inside a word: no quoting, expansion,
 * globbing, comment, tilde or redirection can start with it. */
static int plain_byte(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) {
		return 1;
	}
	return c != '\0' && strchr("_-./,:+@%=", c) != NULL;
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One word of the script from *at: its bounds, and whether it is plain.
 * -1 when a quote is not closed (the shell will say so). */
static int next_word(const char *s, size_t *at, size_t *start, size_t *end, int *plain)
{
	size_t i = *at;
	while (blank(s[i])) {
		i++;
	}
	*start = i;
	*plain = 1;
	while (s[i] && !blank(s[i])) {
		char c = s[i];
		*plain &= plain_byte((unsigned char)c);
		if (c == '\\') {
			i += s[i + 1] ? 2 : 1;
		} else if (c == '\'' || c == '"') {
			i++;
			while (s[i] && s[i] != c) {
				i += c == '"' && s[i] == '\\' && s[i + 1] ? 2 : 1;
			}
			if (!s[i]) {
				return -1;
			}
			i++;
		} else {
			i++;
		}
	}
	*end = i;
	*at = i;
	return 0;
}

/* NAME=... with NAME a shell name, the '=' unquoted. */
static int is_assignment(const char *w, size_t len)
{
	size_t i = 0;
	if (!len || !((w[0] >= 'A' && w[0] <= 'Z') || (w[0] >= 'a' && w[0] <= 'z') || w[0] == '_')) {
		return 0;
	}
	while (i < len && ((w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= 'a' && w[i] <= 'z') ||
			   (w[i] >= '0' && w[i] <= '9') || w[i] == '_')) {
		i++;
	}
	return i < len && w[i] == '=';
}

/* What the scan found. */
struct scan {
	size_t program;       /* offset of the first word that is no assignment */
	size_t program_len;
	int has_program;
	int all_plain;
	size_t words;
};

static int scan_words(const char *s, struct scan *sc)
{
	size_t at = 0, start, end;
	int plain;
	memset(sc, 0, sizeof *sc);
	sc->all_plain = 1;
	for (;;) {
		if (next_word(s, &at, &start, &end, &plain) < 0) {
			return -1;
		}
		if (start == end) {
			return 0;
		}
		sc->words++;
		sc->all_plain &= plain;
		if (!sc->has_program && !is_assignment(s + start, end - start)) {
			sc->has_program = 1;
			sc->program = start;
			sc->program_len = end - start;
		}
	}
}

/* Split the plain words: assignments first, then the program and its
 * arguments; a leading `exec` is dropped (exec'ing is what toesd does). */
static int split_plain(const char *script, struct command *out)
{
	if (!(out->words_copy = strdup(script))) {
		return -1;
	}
	size_t n_assign = 0, n_argv = 0;
	int exec_dropped = 0;
	for (char *p = out->words_copy; *p;) {
		while (blank(*p)) {
			*p++ = '\0';
		}
		if (!*p) {
			break;
		}
		char *w = p;
		while (*p && !blank(*p)) {
			p++;
		}
		size_t len = (size_t)(p - w);
		if (*p) {
			*p++ = '\0';
		}
		if (n_argv == 0 && !exec_dropped && is_assignment(w, len)) {
			out->assign[n_assign++] = w;
		} else if (n_argv == 0 && !exec_dropped && strcmp(w, "exec") == 0) {
			exec_dropped = 1;
		} else {
			out->argv[n_argv++] = w;
		}
	}
	return 0;
}

static int make_simple(const char *script, size_t program, struct command *out)
{
	size_t n = strlen(script);
	if (!(out->script = malloc(n + 6))) {
		return -1;
	}
	memcpy(out->script, script, program);
	memcpy(out->script + program, "exec ", 5);
	memcpy(out->script + program + 5, script + program, n - program + 1);
	return 0;
}

/* A plain command whose program is `exec`: the word after it is the
 * program, unless it looks like an option of exec (bash has some). */
static int plain_exec_target_ok(const char *script, const struct scan *sc)
{
	size_t at = sc->program + sc->program_len, start, end;
	int plain;
	return next_word(script, &at, &start, &end, &plain) == 0 && start < end && script[start] != '-';
}

int command_parse(const char *script, struct command *out)
{
	struct scan sc;
	memset(out, 0, sizeof *out);
	int simple = !strpbrk(script, operators) && scan_words(script, &sc) == 0 && sc.has_program;
	const char *program = simple ? script + sc.program : "";
	int builtin = simple && command_is_builtin(program, sc.program_len);
	int exec_first = builtin && sc.program_len == 4 && memcmp(program, "exec", 4) == 0 &&
			 plain_exec_target_ok(script, &sc);
	int plain = simple && sc.all_plain && sc.words <= COMMAND_MAX_WORDS && (!builtin || exec_first);
	int r;
	if (simple && !builtin) {
		out->kind = COMMAND_SIMPLE;
		r = make_simple(script, sc.program, out);
	} else {
		out->kind = COMMAND_SHELL;
		r = (out->script = strdup(script)) ? 0 : -1;
	}
	/* A plain command keeps that script: the shell runs it when the
	 * program cannot be exec'd, so every error reads as the shell's. */
	if (r == 0 && plain) {
		out->kind = COMMAND_PLAIN;
		r = split_plain(script, out);
	}
	if (r < 0) {
		command_free(out);
		return -1;
	}
	return 0;
}

void command_free(struct command *c)
{
	free(c->script);
	free(c->words_copy);
	memset(c, 0, sizeof *c);
}
