/* toesctl: the command-line companion. Sends one request to toesd over
 * <run-dir>/toesd.sock and prints the answer, waiting at most --timeout;
 * `check` works alone. Every error it prints starts with "toesctl: ". */
#include "base/buf.h"
#include "base/clock.h"
#include "base/path.h"
#include "base/version.h"
#include "parse/opts.h"
#include "parse/pkg.h"
#include "parse/proto.h"
#include "toesctl/icon.h"
#include "toesctl/logs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct command {
	const char *name;
	const char *args;        /* what follows the name in its usage */
	const char *what;        /* one line for --help */
	const char *option;      /* the one option it takes, or NULL */
	int min_names, max_names; /* words that are not options */
	int all;                 /* option is --all: it stands for the NAME */
	int answer_code;         /* an exit code whose text is an answer for
	                          * standard output, not an error (0: none) */
	int local;               /* runs without toesd */
	int unbounded;           /* waits with no limit unless --timeout says (toesd answers) */
	int own_args;            /* its own parser checks the words (options with values) */
	const char *help;        /* what COMMAND --help adds, lines ending in \n */
};

static const struct command commands[] = {
	{ .name = "status", .args = "[NAME] [--json]", .what = "the table, one app's details, or JSON",
	  .option = "--json", .max_names = 1, .answer_code = 3 ,
	  .help = "  The table of every app: name, icon, state (with its detail), pid, port,\n"
		"  uptime, restarts, last exit, error. With NAME: that app's details and its\n"
		"  last log lines; exit 3 when it is not running (as init scripts expect).\n"
		"  --json: an array of objects sorted by name (one object with NAME).\n" },
	{ .name = "start", .args = "NAME | --all", .what = "start a stopped or invalid app",
	  .option = "--all", .min_names = 1, .max_names = 1, .all = 1 ,
	  .help = "  Clears the error and the stop mark, resets the attempt counter and starts\n"
		"  the app; answers once its process is spawned. --all: every app, one line\n"
		"  each, exit 1 if any failed.\n" },
	{ .name = "stop", .args = "NAME | --all", .what = "stop an app; no restart follows",
	  .option = "--all", .min_names = 1, .max_names = 1, .all = 1 ,
	  .help = "  Stops the app (SIGTERM to its group, SIGKILL at --stop-timeout) and\n"
		"  answers once the group is gone; a scheduled restart is cancelled. No\n"
		"  restart follows, across toesd restarts too. --all: every app.\n" },
	{ .name = "restart", .args = "NAME | --all", .what = "check package.json, stop, wait for the exit, start",
	  .option = "--all", .min_names = 1, .max_names = 1, .all = 1 ,
	  .help = "  Reads current/package.json first: when it is not valid, says why and\n"
		"  leaves the running process alone. Else stops, waits for the exit, resets\n"
		"  the attempt counter and starts; answers once the new process is spawned.\n" },
	{ .name = "rename", .args = "OLD NEW", .what = "stop, rename with its data and env file, start again",
	  .min_names = 2, .max_names = 2 ,
	  .help = "  NEW: a lowercase letter, then lowercase letters, digits or '-', at most\n"
		"  64 bytes, neither an app nor a folder in the apps folder. A running app\n"
		"  is stopped and waited for; APPS_DIR/OLD, TOES_DIR/data/OLD and\n"
		"  TOES_DIR/env/OLD.env move to the new name; the app keeps its port and\n"
		"  starts again if it was running. A failure puts back what moved.\n" },
	{ .name = "deploy", .args = "NAME VERSION", .what = "point current at a version; answers once it runs or was rolled back",
	  .min_names = 2, .max_names = 2, .unbounded = 1,
	  .help = "  Checks APPS_DIR/NAME/VERSION/package.json (not valid: says why, changes\n"
		  "  nothing), points current at VERSION atomically and restarts the app\n"
		  "  there. When it does not reach running within 3 start attempts, current\n"
		  "  points back at the version before (unless --no-rollback); exit 1 then.\n" },
	{ .name = "rollback", .args = "NAME", .what = "back to the version before the last deploy",
	  .min_names = 1, .max_names = 1, .unbounded = 1,
	  .help = "  Points current back at the version the app ran before its last deploy\n"
		  "  (kept while toesd runs) and restarts it there.\n" },
	{ .name = "reload", .args = "[NAME]", .what = "rescan the apps folder (or one app's package.json), reopen --log",
	  .max_names = 1 ,
	  .help = "  Rescans the apps folder: new apps start, removed ones stop and are\n"
		"  forgotten, changed package.json files apply (icon and tool; invalid\n"
		"  stops, valid again starts, another `current` restarts); reopens --log.\n"
		"  With NAME: reads that app's package.json only. SIGHUP does the same.\n" },
	{ .name = "icon", .args = "NAME EMOJI", .what = "set toes.icon in package.json, no other byte changed",
	  .min_names = 2, .max_names = 2, .local = 1 ,
	  .help = "  Sets toes.icon in APPS_DIR/NAME/current/package.json, changing only the\n"
		"  bytes of the value (toes or toes.icon are added when missing), with an\n"
		"  atomic write that keeps the file's owner and mode. EMOJI: at most 32\n"
		"  bytes of UTF-8. Works without toesd; a running toesd is told.\n" },
	{ .name = "logs", .args = "[NAME] [-n N] [-f] [--date YYYY-MM-DD]",
	  .what = "print or follow the log files (every app's, merged, without NAME)", .local = 1, .own_args = 1 ,
	  .help = "  Reads APPS_DIR/NAME/logs/YYYY-MM-DD.log itself (no toesd needed).\n"
		"  -n N    the last N lines (10)\n"
		"  -f      keep following: new lines, the next day's file, truncations\n"
		"  --date  that day's file only\n"
		"  Without NAME: every app's lines merged in time order, each led by the\n"
		"  app's name.\n" },
	{ .name = "check", .args = "PATH", .what = "validate package.json (0 app, 1 not an app, 2 invalid)",
	  .min_names = 1, .max_names = 1, .local = 1 ,
	  .help = "  PATH: a package.json, a folder holding one, or an app folder (its\n"
		"  current/package.json). Prints {\"name\",\"toes\",\"icon\",\"tool\"} as found;\n"
		"  exit 0 a valid app, 1 valid JSON but not an app, 2 invalid or unreadable.\n" },
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The global flags (SPEC §12). */
struct globals {
	const char *data_dir, *apps_dir, *toes_dir, *run_dir;
	int64_t timeout_ms;     /* how long to wait for toesd's answer */
	int timeout_given;      /* --timeout was on the command line */
	const char *timeout_text;
};

#define DEFAULT_TIMEOUT_MS 30000
#define DURATION_FORM "a duration such as 30s, 500ms or 2m"

/* --- usage --- */

static void command_usage(FILE *f, const struct command *cmd)
{
	char line[64];
	snprintf(line, sizeof line, "%s %s", cmd->name, cmd->args);
	if (strlen(line) > 21) {
		fprintf(f, "  %s\n  %-21s %s\n", line, "", cmd->what);
	} else {
		fprintf(f, "  %-21s %s\n", line, cmd->what);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: toesctl [--data-dir DIR] [--apps-dir DIR] [--toes-dir DIR]\n"
		   "               [--run-dir DIR] [--timeout D] COMMAND ...\n"
		   "commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		command_usage(f, &commands[i]);
	}
	fprintf(f, "folders, found as toesd finds them (a flag wins over its variable):\n"
		   "  --data-dir DIR   the data root (DATA_DIR, else .)\n"
		   "  --apps-dir DIR   the apps (APPS_DIR, else DATA_DIR/apps)\n"
		   "  --toes-dir DIR   toesd's own folder (TOES_DIR, else DATA_DIR/toes)\n"
		   "  --run-dir DIR    the folder of toesd.sock (else the toes folder)\n"
		   "  --timeout D      how long to wait for toesd's answer (30s; D is a number\n"
		   "                   with ms, s or m, a bare number is seconds)\n"
		   "status NAME exits 3 when the app is not running, as init scripts do.\n"
		   "toesctl COMMAND --help shows one command.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			return &commands[i];
		}
	}
	return NULL;
}

/* How many words a command takes, for the message when they do not fit. */
static const char *arity(const struct command *cmd)
{
	if (cmd->all) {
		return "one NAME or --all";
	}
	if (cmd->max_names == 0) {
		return "no argument";
	}
	if (cmd->min_names == 2) {
		return "two arguments";
	}
	return cmd->min_names ? "one argument" : "one NAME at most";
}

/* The words after the command fit it: its one option, its names ("--"
 * ends the options, so a name may start with '-'). 0, or 2 after saying
 * what is wrong. */
static int check_args(const struct command *cmd, int n, char **words)
{
	int names = 0, option = 0, names_only = 0;
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		if (!names_only && strcmp(w, "--") == 0) {
			names_only = 1;
		} else if (!names_only && cmd->option && strcmp(w, cmd->option) == 0) {
			option = 1;
		} else if (!names_only && w[0] == '-' && w[1]) {
			fprintf(stderr, "toesctl: unknown option '%s' for %s (usage: toesctl %s %s)\n", w,
				cmd->name, cmd->name, cmd->args);
			return 2;
		} else {
			names++;
		}
	}
	int given = names + (cmd->all && option);
	if (given < cmd->min_names || given > cmd->max_names) {
		fprintf(stderr, "toesctl: %s takes %s (usage: toesctl %s %s)\n", cmd->name, arity(cmd),
			cmd->name, cmd->args);
		return 2;
	}
	return 0;
}

/* --- where toesd is --- */

/* The run folder, and what it was found through (for the message when
 * no toesd answers there). */
struct run_dir {
	char *path;
	const char *origin;
};

/* --run-dir, else --toes-dir, else TOES_DIR, else DATA_DIR/toes (the
 * flag, else the variable), else ./toes: as toesd resolves them. */
static int run_dir_of(const struct globals *g, struct run_dir *out)
{
	const char *env_toes = getenv("TOES_DIR"), *env_data = getenv("DATA_DIR");
	char path[PATH_MAX];
	if (g->run_dir) {
		out->origin = "--run-dir";
		out->path = path_absolute(g->run_dir);
	} else if (g->toes_dir || (env_toes && *env_toes)) {
		out->origin = g->toes_dir ? "--toes-dir" : "TOES_DIR";
		out->path = path_absolute(g->toes_dir ? g->toes_dir : env_toes);
	} else {
		const char *data = g->data_dir ? g->data_dir : env_data && *env_data ? env_data : ".";
		out->origin = g->data_dir ? "--data-dir" : env_data && *env_data ? "DATA_DIR"
			    : "the current folder: no --run-dir, --toes-dir, TOES_DIR or DATA_DIR";
		/* "toes", not "./toes": the path shows in messages. */
		int r = strcmp(data, ".") == 0 ? path_format(path, sizeof path, "toes")
					     : path_format(path, sizeof path, "%s/toes", data);
		out->path = r < 0 ? NULL : path_absolute(path);
	}
	return out->path ? 0 : -1;
}

/* Wait until fd is ready for events or the deadline passes: 1 ready, 0
 * timed out, -1 error. */
static int wait_ready(int fd, short events, monotime deadline)
{
	for (;;) {
		monotime left = deadline - clock_mono();
		if (left <= 0) {
			return 0;
		}
		struct pollfd p = { .fd = fd, .events = events };
		int64_t ms = (left + MONO_MS - 1) / MONO_MS;
		int r = poll(&p, 1, ms > 60000 ? 60000 : (int)ms);
		if (r > 0) {
			return 1;
		}
		if (r < 0 && errno != EINTR) {
			return -1;
		}
	}
}

/* Why connect failed, and how to point toesctl at another toesd. */
static void say_no_toesd(const char *socket_path, const struct run_dir *dir, int err)
{
	static const char point[] = "To reach another toesd, use --run-dir DIR, --toes-dir DIR or TOES_DIR";
	if (err == ENOENT || err == ENOTDIR) {
		fprintf(stderr, "toesctl: no toesd socket at %s (found through %s); is toesd running? %s\n",
			socket_path, dir->origin, point);
	} else if (err == ECONNREFUSED) {
		fprintf(stderr, "toesctl: no toesd answers at %s (found through %s; connection refused): "
			"the socket is left from a toesd that is gone. %s\n", socket_path, dir->origin, point);
	} else {
		fprintf(stderr, "toesctl: cannot connect to toesd at %s (found through %s): %s\n",
			socket_path, dir->origin, strerror(err));
	}
}

static int connect_to(const struct run_dir *dir, monotime deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", dir->path, PROTO_SOCKET) >= (int)sizeof sa.sun_path) {
		fprintf(stderr, "toesctl: the socket path %s/%s is too long for a Unix socket; "
			"a shorter --run-dir would do\n", dir->path, PROTO_SOCKET);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		fprintf(stderr, "toesctl: cannot create a socket: %s\n", strerror(errno));
		return -1;
	}
	/* A full backlog answers EAGAIN at once and leaves nothing pending:
	 * try again every 10 ms while the deadline allows. */
	int r;
	while ((r = connect(fd, (struct sockaddr *)&sa, sizeof sa)) < 0 &&
	       (errno == EAGAIN || errno == EINTR) && clock_mono() < deadline) {
		struct timespec pause = { 0, 10000000 };
		nanosleep(&pause, NULL);
	}
	if (r < 0 && errno == EAGAIN) {
		fprintf(stderr, "toesctl: toesd did not take the connection in time (its queue is full); giving up\n");
		close(fd);
		return -1;
	}
	if (r < 0) {
		say_no_toesd(sa.sun_path, dir, errno);
		close(fd);
		return -1;
	}
	return fd;
}

/* --- one request --- */

/* 0 sent; -1 with errno (ETIMEDOUT at the deadline). */
static int send_all(int fd, const char *p, size_t n, monotime deadline)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			int r = wait_ready(fd, POLLOUT, deadline);
			if (r <= 0) {
				errno = r == 0 ? ETIMEDOUT : errno;
				return -1;
			}
			continue;
		}
		if (w < 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read to the end of the answer; -1 with errno (ETIMEDOUT at the deadline). */
static int read_all(int fd, struct buf *in, monotime deadline)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int r = wait_ready(fd, POLLIN, deadline);
			if (r <= 0) {
				errno = r == 0 ? ETIMEDOUT : errno;
				return -1;
			}
			continue;
		}
		if (n < 0 && errno == ECONNRESET && in->len) {
			/* toesd closed with our request unread (it turned us away):
			 * what it said before is the answer. */
			return 0;
		}
		if (n <= 0) {
			return n < 0 ? -1 : 0;
		}
		buf_add(in, chunk, (size_t)n);
	}
}

/* Each line of text to standard error, as an error of toesctl's. */
static void print_errors(const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		fprintf(stderr, "toesctl: %.*s\n", (int)len, text);
		text += len + (nl != NULL);
	}
}

/* The answer of --all: each line is "CODE TEXT"; the lines of apps that
 * failed go to standard error, in order with the others. A line without
 * its code (toesd turned the request away) has the reply's code. */
static void print_per_app(const char *text, int code)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text), digits = strspn(text, "0123456789");
		int line_code = code;
		size_t skip = 0;
		if (digits > 0 && digits < len && text[digits] == ' ') {
			line_code = atoi(text);
			skip = digits + 1;
		}
		if (line_code == 0) {
			printf("%.*s\n", (int)(len - skip), text + skip);
			fflush(stdout);
		} else {
			fprintf(stderr, "toesctl: %.*s\n", (int)(len - skip), text + skip);
		}
		text += len + (nl != NULL);
	}
}

/* Print toesd's answer: its first line is our exit code. */
static int print_reply(const struct buf *in, const struct command *cmd, int all)
{
	const char *text = buf_str(in);
	const char *nl = strchr(text, '\n');
	if (!nl) {
		fprintf(stderr, "toesctl: toesd closed the connection without an answer\n");
		return 1;
	}
	int code = atoi(text);
	if (all && code <= 1) {
		print_per_app(nl + 1, code);
	} else if (code == 0 || (cmd->answer_code && code == cmd->answer_code)) {
		fputs(nl + 1, stdout);
	} else {
		print_errors(nl + 1);
	}
	return code;
}

static int has_word(int n, char **words, const char *word)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(words[i], "--") == 0) {
			return 0;
		}
		if (strcmp(words[i], word) == 0) {
			return 1;
		}
	}
	return 0;
}

static int request(const struct globals *g, const struct run_dir *dir, const struct command *cmd,
		   int n, char **words)
{
	struct buf req = { 0 }, in = { 0 };
	if (proto_join(&req, n, words) < 0 || req.len > PROTO_MAX_REQUEST) {
		fprintf(stderr, "toesctl: arguments may not hold tabs or newlines, nor be longer than %d bytes\n",
			PROTO_MAX_REQUEST);
		buf_free(&req);
		return 2;
	}
	/* deploy and rollback answer once the trial is over, which may take
	 * three startup timeouts and their backoff: no limit of its own. */
	monotime deadline = cmd->unbounded && !g->timeout_given ? INT64_MAX / 2
			    : clock_mono() + g->timeout_ms * MONO_MS;
	int fd = connect_to(dir, deadline);
	if (fd < 0) {
		buf_free(&req);
		return 1;
	}
	int code;
	int sent = send_all(fd, req.data, req.len, deadline);
	if (sent < 0 && (errno == EPIPE || errno == ECONNRESET)) {
		/* Closed before our request was read: it may have said why. */
		sent = 0;
	}
	if (sent < 0 || read_all(fd, &in, deadline) < 0) {
		if (errno == ETIMEDOUT) {
			fprintf(stderr, "toesctl: toesd did not answer within %s; giving up "
				"(a longer --timeout waits longer)\n", g->timeout_text);
		} else {
			fprintf(stderr, "toesctl: talking to toesd failed: %s\n", strerror(errno));
		}
		code = 1;
	} else {
		code = print_reply(&in, cmd, cmd->all && has_word(n - 1, words + 1, "--all"));
	}
	close(fd);
	buf_free(&req);
	buf_free(&in);
	return code;
}

/* --- the commands that read the files themselves --- */

static int check(const char *path)
{
	struct buf out = { 0 }, err = { 0 }, file = { 0 };
	int code = pkg_check(path, &out, &err);
	fputs(buf_str(&out), stdout);
	if (err.len) {
		/* Which file was read: PATH may be a folder. */
		pkg_check_path(path, &file);
		fprintf(stderr, "toesctl: %s: %s", buf_str(&file), buf_str(&err));
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&file);
	return code;
}

/* --apps-dir, else APPS_DIR, else DATA_DIR/apps (the flag, else the
 * variable), else ./apps: as toesd resolves it. NULL on ENOMEM. */
static char *apps_dir_of(const struct globals *g)
{
	const char *env_apps = getenv("APPS_DIR"), *env_data = getenv("DATA_DIR");
	if (g->apps_dir || (env_apps && *env_apps)) {
		return path_absolute(g->apps_dir ? g->apps_dir : env_apps);
	}
	const char *data = g->data_dir ? g->data_dir : env_data && *env_data ? env_data : ".";
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/apps", data) < 0) {
		return NULL;
	}
	return path_absolute(path);
}

/* After icon: a running toesd reads the app's package.json again (it
 * would see the change by itself only at the next rescan). Quiet, both
 * ways: with no toesd, the file is read when it starts. */
static void nudge(const struct globals *g, const char *name)
{
	struct run_dir dir;
	if (run_dir_of(g, &dir) < 0) {
		return;
	}
	static const struct command reload = { .name = "reload" };
	char verb[] = "reload", *words[] = { verb, NULL };
	char name_copy[PATH_MAX];
	snprintf(name_copy, sizeof name_copy, "%s", name);
	words[1] = name_copy;
	fflush(stdout);
	int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (out >= 0 && err >= 0 && null >= 0 && dup2(null, STDOUT_FILENO) >= 0 &&
	    dup2(null, STDERR_FILENO) >= 0) {
		request(g, &dir, &reload, 2, words);
		fflush(stdout);
	}
	for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
		int saved = fd == STDOUT_FILENO ? out : err;
		if (saved >= 0) {
			dup2(saved, fd);
			close(saved);
		}
	}
	if (null >= 0) {
		close(null);
	}
	free(dir.path);
}

static int run_local(const struct globals *g, const struct command *cmd, int n, char **words)
{
	if (strcmp(cmd->name, "check") == 0) {
		return check(words[n - 1]);
	}
	char *apps = apps_dir_of(g);
	if (!apps) {
		fprintf(stderr, "toesctl: cannot resolve the apps folder: %s\n", strerror(errno));
		return 1;
	}
	int code;
	if (strcmp(cmd->name, "logs") == 0) {
		code = logs_run(apps, n, words);
	} else {
		/* icon NAME EMOJI, "--" allowed before them. */
		int first = strcmp(words[0], "--") == 0;
		code = icon_run(apps, words[first], words[first + 1]);
		if (code == 0) {
			nudge(g, words[first]);
		}
	}
	free(apps);
	return code;
}

/* --- the global flags --- */

/* The slot of a global flag that takes a value, or NULL. */
static const char **global_slot(struct globals *g, const char *flag, size_t len)
{
	static const struct {
		const char *name;
		size_t offset;
	} flags[] = {
		{ "--data-dir", offsetof(struct globals, data_dir) },
		{ "--apps-dir", offsetof(struct globals, apps_dir) },
		{ "--toes-dir", offsetof(struct globals, toes_dir) },
		{ "--run-dir", offsetof(struct globals, run_dir) },
		{ "--timeout", offsetof(struct globals, timeout_text) },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (strlen(flags[i].name) == len && strncmp(flag, flags[i].name, len) == 0) {
			return (const char **)(void *)((char *)g + flags[i].offset);
		}
	}
	return NULL;
}

/* What a value of flag looks like, for the messages. */
static const char *expected_form(const char *flag)
{
	return strncmp(flag, "--timeout", 9) == 0 ? DURATION_FORM : "a folder";
}

/* One global flag at argv[*i] ("--flag VALUE" or "--flag=VALUE");
 * advances *i past it. Exits 2 when it is wrong. */
static void parse_global(int argc, char **argv, int *i, struct globals *g)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char **slot = global_slot(g, arg, len);
	if (!slot) {
		fprintf(stderr, "toesctl: unknown option '%.*s' (try toesctl --help)\n", (int)len, arg);
		exit(2);
	}
	const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[*i + 1] : NULL;
	/* A flag just after is a value forgotten, not a value. */
	if (!v || (!eq && strncmp(v, "--", 2) == 0)) {
		fprintf(stderr, "toesctl: missing value for %.*s (expected %s)\n", (int)len, arg,
			expected_form(arg));
		exit(2);
	}
	if (!*v) {
		fprintf(stderr, "toesctl: bad value for %.*s: '' (expected %s)\n", (int)len, arg,
			expected_form(arg));
		exit(2);
	}
	*slot = v;
	*i += eq ? 1 : 2;
}

/* Global flags before the command; returns the index of the command. */
static int parse_globals(int argc, char **argv, struct globals *g)
{
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("toesctl %s\n", TOES_VERSION);
			exit(0);
		}
		parse_global(argc, argv, &i, g);
	}
	if (g->timeout_text && (opt_duration_ms(g->timeout_text, &g->timeout_ms) < 0 || g->timeout_ms <= 0)) {
		fprintf(stderr, "toesctl: bad value for --timeout: '%s' (expected " DURATION_FORM
			", more than 0)\n", g->timeout_text);
		exit(2);
	}
	return i;
}

int main(int argc, char **argv)
{
	struct globals g = { .timeout_ms = DEFAULT_TIMEOUT_MS, .timeout_text = NULL };
	int i = parse_globals(argc, argv, &g);
	g.timeout_given = g.timeout_text != NULL;
	if (!g.timeout_text) {
		g.timeout_text = "30s";
	}
	if (i >= argc) {
		fprintf(stderr, "toesctl: no command given: status, start, stop, restart, rename, deploy, "
			"rollback, reload, icon, logs or check "
			"(toesctl --help says more)\n");
		return 2;
	}
	const struct command *cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "toesctl: unknown command '%s' (try toesctl --help)\n", argv[i]);
		return 2;
	}
	int nargs = argc - i - 1;
	if (has_word(nargs, argv + i + 1, "--help")) {
		printf("usage: toesctl %s %s\n  %s.\n%s", cmd->name, cmd->args, cmd->what,
		       cmd->help ? cmd->help : "");
		return 0;
	}
	if (!cmd->own_args && check_args(cmd, nargs, argv + i + 1)) {
		return 2;
	}
	if (cmd->local) {
		return run_local(&g, cmd, nargs, argv + i + 1);
	}
	struct run_dir dir;
	if (run_dir_of(&g, &dir) < 0) {
		fprintf(stderr, "toesctl: cannot resolve the run folder: %s\n", strerror(errno));
		return 1;
	}
	int code = request(&g, &dir, cmd, argc - i, argv + i);
	free(dir.path);
	return code;
}
