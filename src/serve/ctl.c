/* ctl: control socket server: accept, read one request, dispatch, reply. */
#include "serve/ctl.h"

#include "app/deploy.h"
#include "app/lifecycle.h"
#include "app/registry.h"
#include "app/rename.h"
#include "app/requests.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/escape.h"
#include "base/fds.h"
#include "base/log.h"
#include "base/loop.h"
#include "parse/proto.h"
#include "serve/status.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REQUEST_TIMEOUT_MS 5000
#define ACCEPT_PAUSE_MS 1000
/* At most this many control connections (SPEC §8); one more closes the
 * one that has waited longest without a complete request. */
#define MAX_CONNS 64
/* Descriptors kept free for the apps (spawn pipes, log files) and their
 * probes: a control connection never takes one of the last
 * FD_RESERVE_BASE + FD_RESERVE_PER_APP * apps (a start takes three
 * pipes, a probe a socket). */
#define FD_RESERVE_BASE 32
#define FD_RESERVE_PER_APP 4

/* What a connection is doing; while waiting, its apps' changes decide. */
enum conn_step { CONN_READING, CONN_WAITING, CONN_WRITING };

/* What an answer still waits for. */
enum conn_wait { WAIT_NONE, WAIT_STOPPED, WAIT_STARTED, WAIT_RENAMED, WAIT_DEPLOYED };

/* The answer about one app of a request: `start web` has one, `start
 * --all` one per app. Each is known at once or once the app's changes
 * say so; the connection answers when every one is known. */
struct answer {
	uint32_t app_id;       /* the app, looked up by id */
	uint32_t runs;         /* its spawns when the request came */
	enum conn_wait wait;   /* WAIT_NONE once known */
	const char *verb;      /* "started" or "restarted", for the answer */
	int code;              /* toesctl's exit code for this app */
	char *line;            /* the answer, escaped; NULL when out of memory */
	size_t order;          /* its place in the reply (the apps' name order) */
	char *from, *to;       /* a rename's old and new names */
};

struct conn {
	struct loop_fd w;
	struct loop_timer deadline;
	enum conn_step step;
	struct answer *answers;  /* while waiting: sorted by app_id */
	size_t n_answers, n_open; /* n_open: answers not known yet */
	int all;                 /* --all: one line per app, each with its code */
	struct buf in, out;
	size_t sent;
	struct conn *next;     /* in the list of open connections */
};

static struct loop_fd listener;
static struct loop_timer accept_pause;
static char socket_path[sizeof ((struct sockaddr_un *)0)->sun_path];
static struct conn *conns;   /* newest first */
static unsigned n_conns;
static ctl_reload_fn reload_fn;

static void answers_free(struct conn *c)
{
	for (size_t i = 0; i < c->n_answers; i++) {
		free(c->answers[i].line);
		free(c->answers[i].from);
		free(c->answers[i].to);
	}
	free(c->answers);
	c->answers = NULL;
	c->n_answers = c->n_open = 0;
}

static void conn_close(struct conn *c)
{
	for (struct conn **p = &conns; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			n_conns--;
			break;
		}
	}
	loop_unwatch(&c->w);
	loop_timer_fini(&c->deadline);
	close(c->w.fd);
	answers_free(c);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

/* Queue the answer: the exit code for toesctl, then the text. */
static void reply(struct conn *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* No complete request in time: said, then closed once written (or at
 * the next deadline). An answer not taken in time: closed. */
static void on_conn_deadline(struct loop_timer *t)
{
	struct conn *c = container_of(t, struct conn, deadline);
	if (c->step == CONN_READING) {
		reply(c, 2, "no complete request within %d s; closing", REQUEST_TIMEOUT_MS / 1000);
		return;
	}
	conn_close(c);
}

static void reply_buf(struct conn *c, int code, const struct buf *body)
{
	buf_printf(&c->out, "%d\n", code);
	buf_add(&c->out, buf_str(body), body->len);
	c->step = CONN_WRITING;
	loop_set_events(&c->w, POLLOUT);
	loop_timer_arm(&c->deadline, loop_after_ms(REQUEST_TIMEOUT_MS));
}

/* fmt's text escaped, then a newline: names and errors come from
 * folders and apps, to be shown, never obeyed by the terminal. */
static void add_escaped_line(struct buf *b, const char *fmt, va_list ap)
{
	char text[1024];
	vsnprintf(text, sizeof text, fmt, ap);
	escape_buf(b, text, strlen(text));
	buf_addc(b, '\n');
}

static void reply(struct conn *c, int code, const char *fmt, ...)
{
	struct buf body = { 0 };
	va_list ap;
	va_start(ap, fmt);
	add_escaped_line(&body, fmt, ap);
	va_end(ap);
	reply_buf(c, code, &body);
	buf_free(&body);
}

/* --- the answers about apps --- */

static int by_order(const void *x, const void *y)
{
	const struct answer *a = x, *b = y;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_app_id(const void *x, const void *y)
{
	const struct answer *a = x, *b = y;
	return a->app_id < b->app_id ? -1 : a->app_id > b->app_id;
}

/* Every answer is known: one line for one app (the code is toesctl's);
 * for --all, the apps in name order, each line led by its own code so
 * toesctl can send failures to standard error, and exit 1 if any
 * failed. */
static void reply_answers(struct conn *c)
{
	struct buf body = { 0 };
	int code = 0;
	qsort(c->answers, c->n_answers, sizeof c->answers[0], by_order);
	for (size_t i = 0; i < c->n_answers; i++) {
		const struct answer *ans = &c->answers[i];
		if (c->all) {
			buf_printf(&body, "%d ", ans->code);
		}
		buf_adds(&body, ans->line ? ans->line : "out of memory for this answer\n");
		code = c->all ? (code || ans->code ? 1 : 0) : ans->code;
	}
	if (c->all && c->n_answers == 0) {
		buf_adds(&body, "0 no apps\n");
	}
	answers_free(c);
	reply_buf(c, body.failed ? 1 : code, &body);
	buf_free(&body);
}

/* The answer about one app is known. */
static void answer(struct answer *ans, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void answer(struct answer *ans, int code, const char *fmt, ...)
{
	struct buf line = { 0 };
	va_list ap;
	va_start(ap, fmt);
	add_escaped_line(&line, fmt, ap);
	va_end(ap);
	free(ans->line);
	ans->line = line.failed ? NULL : strdup(buf_str(&line));
	ans->code = line.failed || !ans->line ? 1 : code;
	ans->wait = WAIT_NONE;
	buf_free(&line);
}

/* Known once the app's changes say so (ctl_app_changed). */
static void wait_for(struct answer *ans, const struct app *a, enum conn_wait wait, const char *verb)
{
	ans->wait = wait;
	ans->runs = a->runs;
	ans->verb = verb;
}

/* --- commands: parse, call the state machine, answer or wait --- */

/* The usage of the requests; toesctl's --help says the same. */
#define STATUS_USAGE "usage: status [NAME] [--json]"
#define APP_USAGE "usage: %s NAME | --all"

/* A word that is an option, not a name ("-" alone is a name). */
static int is_option(const char *w)
{
	return w[0] == '-' && w[1] != '\0';
}

/* The words after a request's verb that are its operands ("--" first
 * lets a name start with '-'): how many, with *ops set; -1 when an
 * option stands among them. */
static int operands(int n, char **words, char ***ops)
{
	int first = n > 1 && strcmp(words[1], "--") == 0 ? 2 : 1;
	for (int i = first; first == 1 && i < n; i++) {
		if (is_option(words[i])) {
			return -1;
		}
	}
	*ops = words + first;
	return n - first;
}

static void cmd_status(struct conn *c, int n, char **words)
{
	int json = 0, names_only = 0;
	const char *name = NULL;
	for (int i = 1; i < n; i++) {
		if (!names_only && strcmp(words[i], "--json") == 0) {
			json = 1;
		} else if (!names_only && strcmp(words[i], "--") == 0) {
			names_only = 1;
		} else if (!names_only && is_option(words[i])) {
			reply(c, 2, "unknown option '%.64s' for status (" STATUS_USAGE ")", words[i]);
			return;
		} else if (!name) {
			name = words[i];
		} else {
			reply(c, 2, "status takes one NAME at most (" STATUS_USAGE ")");
			return;
		}
	}
	struct buf out = { 0 };
	struct status_time t = status_now();
	struct app *a = name ? app_find(name) : NULL;
	if (name && !a) {
		reply(c, 1, "no app named '%.200s'", name);
		return;
	}
	int code = 0;
	if (a && json) {
		status_json_app(&out, a, t);
		buf_addc(&out, '\n');
	} else if (a) {
		status_details(&out, a, t);
		/* As init scripts' status does (LSB): 3 when not running. */
		code = a->state == APP_RUNNING ? 0 : 3;
	} else if (json) {
		status_json_all(&out, t);
	} else {
		status_table(&out, t);
	}
	reply_buf(c, out.failed ? 1 : code, &out);
	buf_free(&out);
}

static void answer_started(struct answer *ans, const struct app *a, const char *verb)
{
	if (a->run.pid) {
		answer(ans, 0, "%s %s (pid %d, port %d)", verb, a->name, (int)a->run.pid, a->port);
		return;
	}
	const char *why = a->error ? a->error : app_state_name(a->state);
	if (lifecycle_shutting_down()) {
		answer(ans, 1, "toesd is shutting down: %s is not started", a->name);
	} else if (a->detail == DETAIL_BACKOFF) {
		answer(ans, 1, "%s did not start: %s; it tries again by itself (attempt %u)", a->name, why,
		       a->attempt);
	} else {
		answer(ans, 1, "%s did not start: %s", a->name, why);
	}
}

/* The answers every request shares. 1 when r was one of them. */
static int answer_common(struct answer *ans, const struct app *a, enum request_result r)
{
	switch (r) {
	case REQ_SHUTTING_DOWN:
		answer(ans, 1, "toesd is shutting down: %s is not started", a->name);
		return 1;
	case REQ_REMOVING:
		answer(ans, 1, "%s is being removed", a->name);
		return 1;
	case REQ_ALREADY:
		answer(ans, 0, "%s is already %s", a->name, app_state_name(a->state));
		return 1;
	default:
		return 0;
	}
}

static void answer_start(struct answer *ans, const struct app *a, enum request_result r,
			 const char *verb, const char *why)
{
	if (answer_common(ans, a, r)) {
		return;
	}
	if (r == REQ_WAIT_STARTED) {
		wait_for(ans, a, WAIT_STARTED, verb);
	} else if (r == REQ_INVALID) {
		answer(ans, 1, "%s not restarted: %s (the running process is left alone)", a->name, why);
	} else {
		answer_started(ans, a, verb);
	}
}

static void cmd_start(struct answer *ans, struct app *a)
{
	answer_start(ans, a, app_request_start(a), "started", "");
}

static void cmd_restart(struct answer *ans, struct app *a)
{
	char why[300];
	answer_start(ans, a, app_request_restart(a, why, sizeof why), "restarted", why);
}

static void cmd_stop(struct answer *ans, struct app *a)
{
	enum request_result r = app_request_stop(a);
	if (answer_common(ans, a, r)) {
		return;
	}
	if (r == REQ_WAIT_STOPPED) {
		wait_for(ans, a, WAIT_STOPPED, "stopped");
	} else {
		answer(ans, 0, "stopped %s (cancelled its %s)", a->name,
		       r == REQ_CANCELLED_RESTART ? "scheduled restart" : "wait for a port");
	}
}

/* reload: the whole apps folder; reload NAME: that app's package.json. */
static void cmd_reload(struct conn *c, int n, char **words)
{
	char summary[256], **ops;
	int k = operands(n, words, &ops);
	if (k < 0 || k > 1) {
		reply(c, 2, "usage: reload [NAME]");
		return;
	}
	const char *name = k ? ops[0] : NULL;
	if (name && !app_find(name)) {
		reply(c, 1, "no app named '%.200s'", name);
		return;
	}
	reload_fn(name, summary, sizeof summary);
	reply(c, 0, "reloaded%s%s: %s", name ? " " : "", name ? name : "", summary);
}

/* Requests about apps: NAME, or --all for every app. */
typedef void (*app_command_fn)(struct answer *ans, struct app *a);
static const struct app_command {
	const char *name;
	app_command_fn fn;
} app_commands[] = {
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "restart", cmd_restart },
};

static app_command_fn find_app_command(const char *name)
{
	for (size_t i = 0; i < sizeof app_commands / sizeof app_commands[0]; i++) {
		if (strcmp(name, app_commands[i].name) == 0) {
			return app_commands[i].fn;
		}
	}
	return NULL;
}

/* The apps a request is about, each with an answer still open: the one
 * named, or every app in name order. 0, or -1 when out of memory. */
static int open_answers(struct conn *c, struct app *one)
{
	size_t n = one ? 1 : app_count();
	c->answers = calloc(n ? n : 1, sizeof c->answers[0]);
	if (!c->answers) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		c->answers[i].app_id = one ? one->id : app_at(i)->id;
		c->answers[i].order = i;
		c->answers[i].code = 1;
	}
	c->n_answers = n;
	return 0;
}

/* Run the command for each app (looked up by id: a request may change
 * the registry), then answer, or wait for the answers still open. */
static void run_app_command(struct conn *c, app_command_fn fn)
{
	for (size_t i = 0; i < c->n_answers; i++) {
		struct answer *ans = &c->answers[i];
		struct app *a = app_find_id(ans->app_id);
		if (!a) {
			answer(ans, 1, "the app went away before the request reached it");
			continue;
		}
		fn(ans, a);
		c->n_open += ans->wait != WAIT_NONE;
	}
	if (c->n_open == 0) {
		reply_answers(c);
		return;
	}
	qsort(c->answers, c->n_answers, sizeof c->answers[0], by_app_id);
	c->step = CONN_WAITING;
	loop_set_events(&c->w, 0);
	loop_timer_cancel(&c->deadline);
}

/* NAME, --all, or "-- NAME" (a name that starts with '-'). */
static void dispatch_app_command(struct conn *c, app_command_fn fn, int n, char **words)
{
	char **ops;
	int all = n == 2 && strcmp(words[1], "--all") == 0;
	const char *name = !all && operands(n, words, &ops) == 1 ? ops[0] : NULL;
	if (!all && !name) {
		reply(c, 2, APP_USAGE, words[0]);
		return;
	}
	struct app *a = all ? NULL : app_find(name);
	if (!all && !a) {
		reply(c, 1, "no app named '%.200s'", name);
		return;
	}
	if (open_answers(c, a) < 0) {
		reply(c, 1, "out of memory");
		return;
	}
	c->all = all;
	run_app_command(c, fn);
}

/* The one answer of a request about one app: now, or once its changes
 * say (the connection then waits without a deadline). */
static void reply_or_wait(struct conn *c)
{
	if (c->answers[0].wait == WAIT_NONE) {
		reply_answers(c);
		return;
	}
	c->n_open = 1;
	c->step = CONN_WAITING;
	loop_set_events(&c->w, 0);
	loop_timer_cancel(&c->deadline);
}

/* --- rename --- */

#define RENAME_USAGE "usage: rename OLD NEW"

/* Where a renamed app is now, after the name. */
static void answer_renamed(struct answer *ans, const struct app *a)
{
	if (strcmp(a->name, ans->to) != 0) {
		const char *why = a->rename_error ? a->rename_error : "out of memory";
		if (a->run.pid) {
			answer(ans, 1, "%s not renamed: %s; it runs again (pid %d, port %d)", ans->from, why,
			       (int)a->run.pid, a->port);
		} else {
			answer(ans, 1, "%s not renamed: %s", ans->from, why);
		}
	} else if (a->run.pid) {
		answer(ans, 0, "renamed %s to %s (pid %d, port %d)", ans->from, a->name, (int)a->run.pid, a->port);
	} else if (a->detail == DETAIL_BACKOFF && a->error) {
		/* A start was due (it ran, or a restart was) and failed. */
		answer(ans, 1, "renamed %s to %s, but it did not start: %s", ans->from, a->name, a->error);
	} else {
		char state[160];
		status_state_text(state, sizeof state, a, status_now());
		answer(ans, 0, "renamed %s to %s; it is %s", ans->from, a->name, state);
	}
}

static void answer_rename(struct answer *ans, const struct app *a, enum request_result r, const char *why)
{
	switch (r) {
	case REQ_ALREADY:
		answer(ans, 0, "%s is already named %s", a->name, a->name);
		break;
	case REQ_BAD_NAME:
		answer(ans, 2, "%s not renamed: %s (" RENAME_USAGE ")", a->name, why);
		break;
	case REQ_REFUSED:
	case REQ_FAILED:
		answer(ans, 1, "%s not renamed: %s", ans->from, why);
		break;
	case REQ_WAIT_RENAMED:
		ans->wait = WAIT_RENAMED;
		ans->runs = a->runs;
		break;
	case REQ_RENAMED:
		answer_renamed(ans, a);
		break;
	default:
		if (!answer_common(ans, a, r)) {
			answer(ans, 1, "%s not renamed", ans->from);
		}
		break;
	}
}

/* rename OLD NEW ("--" may come first: a name may start with '-'). */
static void cmd_rename(struct conn *c, int n, char **words)
{
	char **ops;
	if (operands(n, words, &ops) != 2) {
		reply(c, 2, RENAME_USAGE);
		return;
	}
	const char *old = ops[0], *to = ops[1];
	struct app *a = app_find(old);
	if (!a) {
		reply(c, 1, "no app named '%.200s'", old);
		return;
	}
	if (open_answers(c, a) < 0 || !(c->answers[0].from = strdup(old)) ||
	    !(c->answers[0].to = strdup(to))) {
		answers_free(c);
		reply(c, 1, "out of memory");
		return;
	}
	char why[PATH_MAX + 200];
	struct answer *ans = &c->answers[0];
	answer_rename(ans, a, app_request_rename(a, to, why, sizeof why), why);
	reply_or_wait(c);
}

/* --- deploy and rollback --- */

#define DEPLOY_USAGE "usage: deploy NAME VERSION"

/* The trial is over: running, or rolled back. */
static void answer_deployed(struct answer *ans, const struct app *a)
{
	const struct app_deploy *d = &a->deploy;
	if (d->passed && a->run.pid) {
		answer(ans, 0, "%s is running %s (pid %d, port %d)", a->name, a->version ? a->version : "?",
		       (int)a->run.pid, a->port);
	} else if (d->passed) {
		answer(ans, 0, "%s is running %s", a->name, a->version ? a->version : "?");
	} else if (a->run.pid) {
		answer(ans, 1, "deploy of %s to %s %s; now on %s (pid %d, port %d)", d->outcome_version ? d->outcome_version : "?",
		       a->name, d->outcome ? d->outcome : "failed", a->version ? a->version : "?", (int)a->run.pid, a->port);
	} else {
		answer(ans, 1, "deploy of %s to %s %s", d->outcome_version ? d->outcome_version : "?", a->name,
		       d->outcome ? d->outcome : "failed");
	}
}

static void answer_deploy(struct answer *ans, const struct app *a, enum request_result r, const char *why)
{
	if (answer_common(ans, a, r)) {
		if (r == REQ_ALREADY) {
			answer(ans, 0, "%s is on %s already", a->name, a->version ? a->version : "?");
		}
		return;
	}
	switch (r) {
	case REQ_WAIT_DEPLOYED:
		ans->wait = WAIT_DEPLOYED;
		ans->runs = a->runs;
		break;
	case REQ_INVALID:
		answer(ans, 1, "%s not deployed: %s (nothing changed)", a->name, why);
		break;
	case REQ_STARTED:
		answer_started(ans, a, "started");
		break;
	default:
		answer(ans, 1, "%s not deployed: %s", a->name, why[0] ? why : a->error ? a->error : "it did not start");
		break;
	}
}

/* deploy NAME VERSION, rollback NAME. */
static void cmd_deploy(struct conn *c, int n, char **words)
{
	int rollback = strcmp(words[0], "rollback") == 0;
	char **ops;
	if (operands(n, words, &ops) != (rollback ? 1 : 2)) {
		reply(c, 2, rollback ? "usage: rollback NAME" : DEPLOY_USAGE);
		return;
	}
	struct app *a = app_find(ops[0]);
	if (!a) {
		reply(c, 1, "no app named '%.200s'", ops[0]);
		return;
	}
	if (open_answers(c, a) < 0) {
		reply(c, 1, "out of memory");
		return;
	}
	char why[PATH_MAX + 300] = "";
	struct answer *ans = &c->answers[0];
	enum request_result r = rollback ? app_request_rollback(a, why, sizeof why)
					 : app_request_deploy(a, ops[1], why, sizeof why);
	answer_deploy(ans, a, r, why);
	reply_or_wait(c);
}

static const char *busy_reason;

void ctl_busy(const char *why)
{
	busy_reason = why;
}

static void dispatch(struct conn *c, int n, char **words)
{
	if (n == 0) {
		reply(c, 2, "empty request");
		return;
	}
	if (strcmp(words[0], "status") == 0) {
		cmd_status(c, n, words);
		return;
	}
	if (busy_reason) {
		reply(c, 1, "busy: %s; try again", busy_reason);
		return;
	}
	if (strcmp(words[0], "reload") == 0) {
		cmd_reload(c, n, words);
		return;
	}
	if (strcmp(words[0], "rename") == 0) {
		cmd_rename(c, n, words);
		return;
	}
	if (strcmp(words[0], "deploy") == 0 || strcmp(words[0], "rollback") == 0) {
		cmd_deploy(c, n, words);
		return;
	}
	app_command_fn fn = find_app_command(words[0]);
	if (!fn) {
		reply(c, 2, "unknown request '%.64s'", words[0]);
		return;
	}
	dispatch_app_command(c, fn, n, words);
}

/* What a change of the app it waits for means for one answer. */
static void answer_app_changed(struct answer *ans, const struct app *a)
{
	if (a->gone) {
		/* A stop is done when the app is gone; a start is not. */
		if (ans->wait == WAIT_RENAMED) {
			answer(ans, 1, "%s was removed before it was renamed", ans->from);
		} else if (ans->wait == WAIT_DEPLOYED) {
			answer(ans, 1, "%s was removed before its deploy was over", a->name);
		} else if (ans->wait == WAIT_STARTED) {
			answer(ans, 1, "%s was removed before it started", a->name);
		} else {
			answer(ans, 0, "stopped %s (removed)", a->name);
		}
		return;
	}
	switch (ans->wait) {
	case WAIT_STOPPED:
		/* The run it asked to stop is over (a start may have followed). */
		if (!a->run.pgid || a->runs != ans->runs) {
			answer(ans, 0, "stopped %s", a->name);
		}
		break;
	case WAIT_STARTED:
		if ((a->runs != ans->runs && a->run.pgid) || (!a->run.pgid && a->state != APP_STOPPING)) {
			answer_started(ans, a, ans->verb);
		}
		break;
	case WAIT_RENAMED:
		if (!a->rename_to) {
			answer_renamed(ans, a);
		}
		break;
	case WAIT_DEPLOYED:
		if (!a->deploy.trying) {
			answer_deployed(ans, a);
		}
		break;
	case WAIT_NONE:
		break;
	}
}

/* An observer of the registry: once per turn for each changed app. */
static void conn_app_changed(struct conn *c, const struct app *a)
{
	struct answer key = { .app_id = a->id };
	struct answer *ans = bsearch(&key, c->answers, c->n_answers, sizeof key, by_app_id);
	if (!ans || ans->wait == WAIT_NONE) {
		return;
	}
	answer_app_changed(ans, a);
	if (ans->wait == WAIT_NONE && --c->n_open == 0) {
		reply_answers(c);
	}
}

void ctl_app_changed(const struct app *a)
{
	for (struct conn *c = conns, *next; c; c = next) {
		next = c->next;
		if (c->step == CONN_WAITING) {
			conn_app_changed(c, a);
		}
	}
}

/* --- connection I/O --- */

static void handle_request(struct conn *c)
{
	char *nl = memchr(c->in.data, '\n', c->in.len);
	if (memchr(c->in.data, '\0', (size_t)(nl - c->in.data))) {
		/* Not cut short at the NUL: a request is all its bytes. */
		reply(c, 2, "malformed request: NUL byte");
		return;
	}
	*nl = '\0';
	char *words[PROTO_MAX_WORDS];
	int n = proto_split(c->in.data, words, PROTO_MAX_WORDS);
	if (n < 0) {
		reply(c, 2, "malformed request: too many words");
		return;
	}
	dispatch(c, n, words);
}

static void conn_read(struct conn *c)
{
	char chunk[1024];
	ssize_t n = read(c->w.fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n < 0 || (n == 0 && c->in.len == 0)) {
		conn_close(c);
		return;
	}
	if (n == 0) {
		/* The client shut its side mid-request: it still gets an answer. */
		reply(c, 2, "incomplete request: no newline before the end");
		return;
	}
	buf_add(&c->in, chunk, (size_t)n);
	const char *nl = c->in.failed ? NULL : memchr(c->in.data, '\n', c->in.len);
	/* The limit counts the newline, however the bytes came in. */
	size_t len = nl ? (size_t)(nl - c->in.data) + 1 : c->in.len;
	if (c->in.failed) {
		reply(c, 1, "out of memory");
	} else if (len > PROTO_MAX_REQUEST || (!nl && len == PROTO_MAX_REQUEST)) {
		reply(c, 2, "request too long (at most %d bytes)", PROTO_MAX_REQUEST);
	} else if (nl) {
		handle_request(c);
	} else if (memchr(c->in.data, '\0', c->in.len)) {
		reply(c, 2, "malformed request");
	}
}

static void conn_write(struct conn *c)
{
	ssize_t n = send(c->w.fd, c->out.data + c->sent, c->out.len - c->sent, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	if (n < 0) {
		conn_close(c);
		return;
	}
	c->sent += (size_t)n;
	if (c->sent == c->out.len) {
		conn_close(c);
	}
}

static void on_conn(struct loop_fd *w, short revents)
{
	struct conn *c = container_of(w, struct conn, w);
	if (c->step == CONN_READING) {
		conn_read(c);
	} else if (c->step == CONN_WRITING) {
		conn_write(c);
	} else if (revents & (POLLHUP | POLLERR)) {
		conn_close(c); /* toesctl went away while waiting */
	}
}

/* Root and toesd's own user only. */
static int peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		return 0;
	}
	return cred.uid == 0 || cred.uid == geteuid();
}

static void on_accept_pause(struct loop_timer *t)
{
	loop_set_events(&listener, POLLIN);
}

static void conn_new(int fd)
{
	struct conn *c = calloc(1, sizeof *c);
	if (!c || loop_timer_init(&c->deadline, on_conn_deadline) < 0) {
		log_msg(NULL, "out of memory for a control connection; it is closed");
		free(c);
		close(fd);
		return;
	}
	if (loop_watch(&c->w, fd, POLLIN, on_conn) < 0) {
		log_errno(NULL, "cannot watch a control connection; it is closed");
		loop_timer_fini(&c->deadline);
		free(c);
		close(fd);
		return;
	}
	c->next = conns;
	conns = c;
	n_conns++;
	loop_timer_arm(&c->deadline, loop_after_ms(REQUEST_TIMEOUT_MS));
	if (!peer_allowed(fd)) {
		reply(c, 1, "permission denied: toesd serves root and its own user only");
	}
}

/* Say why and close, without a record: one try to send, never a wait. */
static void turn_away(int fd, const char *why)
{
	char line[160];
	int n = snprintf(line, sizeof line, "1\nbusy: %s; try again\n", why);
	if (send(fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* Nothing more to do for it: it is closed either way. */
	}
	/* What it sent already is read and dropped: a close with unread
	 * bytes would reset the connection before it read the line. */
	char drop[PROTO_MAX_REQUEST];
	if (recv(fd, drop, sizeof drop, MSG_DONTWAIT) < 0) {
		/* Nothing sent yet: nothing to drop. */
	}
	close(fd);
}

/* The connection that has waited longest without a complete request. */
static struct conn *longest_silent(void)
{
	struct conn *oldest = NULL;
	for (struct conn *c = conns; c; c = c->next) {
		if (c->step == CONN_READING) {
			oldest = c;
		}
	}
	return oldest;
}

/* Close c at once with an error line saying why (its descriptor is
 * wanted now). */
static void evict(struct conn *c, const char *why)
{
	reply(c, 2, "closed: %s, and this connection sent no request", why);
	if (send(c->w.fd, c->out.data, c->out.len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* A client that cannot take one line is closed all the same. */
	}
	conn_close(c);
}

/* Past this many connections, admitting one more counts descriptors. */
#define CHEAP_CONNS 8

/* Taking one more descriptor for a connection (fd, just accepted) would
 * eat into the reserve kept for the apps and their probes. fd is the
 * lowest free number, so at least that many are in use; past a few
 * connections the real count is asked (holes below fd are refilled by
 * new connections, so the number alone would let them creep up). */
static int in_reserve(int fd)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY) {
		return 0;
	}
	rlim_t reserve = FD_RESERVE_BASE + (rlim_t)FD_RESERVE_PER_APP * app_count();
	if ((rlim_t)fd + reserve >= rl.rlim_cur) {
		return 1;
	}
	if (n_conns < CHEAP_CONNS) {
		return 0;
	}
	long used = fds_in_use();
	return used < 0 || (rlim_t)used + reserve >= rl.rlim_cur;
}

/* A new connection, within the cap and outside the reserve: past
 * either, the longest silent one makes room, or the new one is told
 * busy. */
static void admit(int fd)
{
	int low = in_reserve(fd);
	if (n_conns >= MAX_CONNS || low) {
		struct conn *silent = longest_silent();
		if (!silent) {
			turn_away(fd, low ? "toesd keeps its last descriptors for the apps"
					  : "64 requests are in progress");
			return;
		}
		evict(silent, low ? "toesd is short of descriptors" : "64 control connections are open");
	}
	conn_new(fd);
}

static void on_listener(struct loop_fd *w, short revents)
{
	for (int i = 0; i < 16; i++) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			admit(fd);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			/* Out of descriptors: stop accepting for a while, keep running. */
			log_errno(NULL, "cannot accept on %s", socket_path);
			loop_set_events(&listener, 0);
			loop_timer_arm(&accept_pause, loop_after_ms(ACCEPT_PAUSE_MS));
		}
		return;
	}
}

int ctl_open(const char *run_dir, ctl_reload_fn reload, char *err, size_t cap)
{
	reload_fn = reload;
	if (loop_timer_init(&accept_pause, on_accept_pause) < 0 || app_observe(ctl_app_changed) < 0) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", run_dir, PROTO_SOCKET) >= (int)sizeof sa.sun_path) {
		snprintf(err, cap, "socket path %s/%s is too long", run_dir, PROTO_SOCKET);
		return -1;
	}
	memcpy(socket_path, sa.sun_path, sizeof socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, cap, "cannot create socket: %s", strerror(errno));
		return -1;
	}
	unlink(socket_path);
	/* Mode 0600 from the start, through the umask: a chmod by path
	 * afterwards could be led by a link swapped in meanwhile. */
	mode_t old = umask(0177);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (r < 0 || listen(fd, MAX_CONNS) < 0 ||
	    loop_watch(&listener, fd, POLLIN, on_listener) < 0) {
		snprintf(err, cap, "cannot listen on %s: %s", socket_path, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

void ctl_drain(int ms)
{
	monotime end = clock_mono() + ms * MONO_MS;
	for (;;) {
		struct pollfd pfd[64];
		int n = 0;
		for (struct conn *c = conns, *next; c; c = next) {
			next = c->next;
			if (c->step == CONN_WRITING) {
				conn_write(c); /* may finish and close it */
			}
		}
		for (struct conn *c = conns; c && n < 64; c = c->next) {
			if (c->step == CONN_WRITING) {
				pfd[n++] = (struct pollfd){ .fd = c->w.fd, .events = POLLOUT };
			}
		}
		monotime left = end - clock_mono();
		if (!n || left <= 0 || poll(pfd, (nfds_t)n, (int)(left / MONO_MS) + 1) <= 0) {
			return;
		}
	}
}

void ctl_close(void)
{
	while (conns) {
		conn_close(conns);
	}
	if (loop_watching(&listener)) {
		loop_unwatch(&listener);
		close(listener.fd);
	}
	loop_timer_fini(&accept_pause);
	if (socket_path[0]) {
		unlink(socket_path);
	}
}
