/* exits: what follows the end of a run (SPEC §7), as a pure decision
 * over the facts of the exit, so each row can be tested alone. */
#ifndef TOES_EXITS_H
#define TOES_EXITS_H

#include "app/app.h"

struct exit_facts {
	enum app_want want;
	enum stop_cause cause;
	int clean;          /* the main process exited with code 0 */
	int install;        /* the run was the install command */
	int shutting_down;
};

enum exit_next {
	NEXT_FORGET,        /* the app is removed */
	NEXT_LAUNCH,        /* the install went well: start the app itself */
	NEXT_INVALID,       /* /ok answered an error at start-up */
	NEXT_IDLE,          /* stopped, nothing follows */
	NEXT_BY_REQUEST,    /* stopped by request */
	NEXT_START_NOW,     /* restart by request */
	NEXT_BACKOFF,       /* a crash: restart after the delay */
	NEXT_RENAME,        /* rename, then start again if wanted up */
};

enum exit_next exit_decide(const struct exit_facts *f);
const char *exit_next_name(enum exit_next n);

#endif
