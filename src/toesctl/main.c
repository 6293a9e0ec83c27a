/* toesctl: the command-line companion. Sends one request to toesd over
 * <run-dir>/toesd.sock and prints the answer, waiting at most --timeout;
 * `check` works alone. */
#include "base/buf.h"
#include "base/clock.h"
#include "base/path.h"
#include "base/version.h"
#include "parse/opts.h"
#include "parse/pkg.h"
#include "parse/proto.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct command {
	const char *name;
	const char *usage;
	int min_args, max_args;  /* words after the command */
	int local;               /* runs without toesd */
};

static const struct command commands[] = {
	{ "status", "status [NAME] [--json]   the table, one app's details, or JSON", 0, 2, 0 },
	{ "start", "start NAME               start a stopped or invalid app", 1, 1, 0 },
	{ "stop", "stop NAME                stop an app; no restart follows", 1, 1, 0 },
	{ "restart", "restart NAME             stop, wait for the exit, start", 1, 1, 0 },
	{ "reload", "reload                   rescan the apps folder, reopen toesd's --log", 0, 0, 0 },
	{ "check", "check PATH               validate a package.json (exit 0 app, 1 not an app, 2 invalid)", 1, 1, 1 },
};

/* The global flags (SPEC §12). */
struct globals {
	const char *data_dir, *apps_dir, *toes_dir, *run_dir;
	int64_t timeout_ms;     /* how long to wait for toesd's answer */
	const char *timeout_text;
};

#define DEFAULT_TIMEOUT_MS 30000

static void usage(FILE *f)
{
	fprintf(f, "usage: toesctl [--data-dir DIR] [--apps-dir DIR] [--toes-dir DIR] [--run-dir DIR]\n"
		   "               [--timeout D (30s)] COMMAND ...\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		fprintf(f, "  %s\n", commands[i].usage);
	}
	fprintf(f, "toesctl COMMAND --help shows one command.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			return &commands[i];
		}
	}
	return NULL;
}

/* --run-dir, else --toes-dir, else TOES_DIR, else DATA_DIR/toes (the
 * flag, else the variable), else ./toes: as toesd resolves them. */
static char *run_dir_of(const struct globals *g)
{
	if (g->run_dir) {
		return path_absolute(g->run_dir);
	}
	const char *toes = g->toes_dir ? g->toes_dir : getenv("TOES_DIR");
	if (toes && *toes) {
		return path_absolute(toes);
	}
	const char *data = g->data_dir ? g->data_dir : getenv("DATA_DIR");
	char path[PATH_MAX];
	if (path_format(path, sizeof path, "%s/toes", data && *data ? data : ".") < 0) {
		return NULL;
	}
	return path_absolute(path);
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
		int r = poll(&p, 1, (int)((left + MONO_MS - 1) / MONO_MS));
		if (r > 0) {
			return 1;
		}
		if (r < 0 && errno != EINTR) {
			return -1;
		}
	}
}

static int connect_to(const char *run_dir, monotime deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", run_dir, PROTO_SOCKET) >= (int)sizeof sa.sun_path) {
		fprintf(stderr, "toesctl: socket path %s/%s is too long\n", run_dir, PROTO_SOCKET);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		fprintf(stderr, "toesctl: cannot create socket: %s\n", strerror(errno));
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
		fprintf(stderr, "toesctl: cannot connect to toesd at %s: %s (is toesd running?)\n",
			sa.sun_path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

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

/* Print toesd's answer: its first line is our exit code. */
static int print_reply(const struct buf *in)
{
	const char *text = buf_str(in);
	const char *nl = strchr(text, '\n');
	if (!nl) {
		fprintf(stderr, "toesctl: toesd closed the connection without an answer\n");
		return 1;
	}
	int code = atoi(text);
	fputs(nl + 1, code ? stderr : stdout);
	return code;
}

static int request(const struct globals *g, const char *run_dir, int n, char **words)
{
	struct buf req = { 0 }, in = { 0 };
	if (proto_join(&req, n, words) < 0 || req.len > PROTO_MAX_REQUEST) {
		fprintf(stderr, "toesctl: arguments may not hold tabs or newlines, nor be that long\n");
		return 2;
	}
	monotime deadline = clock_mono() + g->timeout_ms * MONO_MS;
	int fd = connect_to(run_dir, deadline);
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
		code = print_reply(&in);
	}
	close(fd);
	buf_free(&req);
	buf_free(&in);
	return code;
}

static int check(const char *path)
{
	struct buf out = { 0 }, err = { 0 };
	int code = pkg_check(path, &out, &err);
	fputs(buf_str(&out), stdout);
	if (err.len) {
		fprintf(stderr, "toesctl: %s", buf_str(&err));
	}
	buf_free(&out);
	buf_free(&err);
	return code;
}

/* The slot of a global flag that takes a value, or NULL. */
static const char **global_slot(struct globals *g, const char *flag)
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
		if (strcmp(flag, flags[i].name) == 0) {
			return (const char **)(void *)((char *)g + flags[i].offset);
		}
	}
	return NULL;
}

/* Global flags before the command; returns the index of the command. */
static int parse_globals(int argc, char **argv, struct globals *g)
{
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		const char **slot = global_slot(g, argv[i]);
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("toesctl %s\n", TOES_VERSION);
			exit(0);
		}
		if (!slot || i + 1 >= argc) {
			fprintf(stderr, "toesctl: %s '%s'\n", slot ? "missing value for" : "unknown option", argv[i]);
			exit(2);
		}
		*slot = argv[i + 1];
		i += 2;
	}
	if (g->timeout_text && (opt_duration_ms(g->timeout_text, &g->timeout_ms) < 0 || g->timeout_ms <= 0)) {
		fprintf(stderr, "toesctl: bad value for --timeout: '%s'\n", g->timeout_text);
		exit(2);
	}
	return i;
}

int main(int argc, char **argv)
{
	struct globals g = { .timeout_ms = DEFAULT_TIMEOUT_MS, .timeout_text = NULL };
	int i = parse_globals(argc, argv, &g);
	if (!g.timeout_text) {
		g.timeout_text = "30s";
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	const struct command *cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "toesctl: unknown command '%s' (try --help)\n", argv[i]);
		return 2;
	}
	int nargs = argc - i - 1;
	for (int k = i + 1; k < argc; k++) {
		if (strcmp(argv[k], "--help") == 0) {
			printf("usage: toesctl %s\n", cmd->usage);
			return 0;
		}
	}
	if (nargs < cmd->min_args || nargs > cmd->max_args) {
		fprintf(stderr, "usage: toesctl %s\n", cmd->usage);
		return 2;
	}
	if (cmd->local) {
		return check(argv[i + 1]);
	}
	char *dir = run_dir_of(&g);
	if (!dir) {
		fprintf(stderr, "toesctl: cannot resolve the run folder: %s\n", strerror(errno));
		return 1;
	}
	int code = request(&g, dir, argc - i, argv + i);
	free(dir);
	return code;
}
