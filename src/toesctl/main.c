/* toesctl: the command-line companion. Sends one request to toesd over
 * <run-dir>/toesd.sock and prints the answer; `check` works alone. */
#include "base/buf.h"
#include "base/path.h"
#include "parse/pkg.h"
#include "parse/proto.h"
#include "base/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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
	{ "check", "check PATH               validate a package.json (exit 0 app, 1 not an app, 2 invalid)", 1, 1, 1 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: toesctl [--toes-dir DIR] [--run-dir DIR] COMMAND ...\n");
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

/* --run-dir, else --toes-dir, else TOES_DIR, else DATA_DIR/toes, else ./toes. */
static char *run_dir_of(const char *run_dir, const char *toes_dir)
{
	if (run_dir) {
		return path_absolute(run_dir);
	}
	if (!toes_dir) {
		toes_dir = getenv("TOES_DIR");
	}
	if (toes_dir && *toes_dir) {
		return path_absolute(toes_dir);
	}
	const char *data = getenv("DATA_DIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/toes", data && *data ? data : ".");
	return path_absolute(path);
}

static int connect_to(const char *run_dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", run_dir, PROTO_SOCKET) >= (int)sizeof sa.sun_path) {
		fprintf(stderr, "toesctl: socket path %s/%s is too long\n", run_dir, PROTO_SOCKET);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "toesctl: cannot create socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "toesctl: cannot connect to toesd at %s: %s (is toesd running?)\n",
			sa.sun_path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR) {
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

static int read_all(int fd, struct buf *in)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR) {
			continue;
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

static int request(const char *run_dir, int n, char **words)
{
	struct buf req = { 0 }, in = { 0 };
	if (proto_join(&req, n, words) < 0 || req.len > PROTO_MAX_REQUEST) {
		fprintf(stderr, "toesctl: arguments may not hold tabs or newlines, nor be that long\n");
		return 2;
	}
	int fd = connect_to(run_dir);
	if (fd < 0) {
		buf_free(&req);
		return 1;
	}
	int code;
	if (send_all(fd, req.data, req.len) < 0 || read_all(fd, &in) < 0) {
		fprintf(stderr, "toesctl: talking to toesd failed: %s\n", strerror(errno));
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

/* Global flags before the command; returns the index of the command. */
static int parse_globals(int argc, char **argv, const char **run_dir, const char **toes_dir)
{
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		const char **slot = strcmp(argv[i], "--run-dir") == 0 ? run_dir
				  : strcmp(argv[i], "--toes-dir") == 0 ? toes_dir : NULL;
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
	return i;
}

int main(int argc, char **argv)
{
	const char *run_dir = NULL, *toes_dir = NULL;
	int i = parse_globals(argc, argv, &run_dir, &toes_dir);
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
	char *dir = run_dir_of(run_dir, toes_dir);
	if (!dir) {
		fprintf(stderr, "toesctl: cannot resolve the run folder: %s\n", strerror(errno));
		return 1;
	}
	int code = request(dir, argc - i, argv + i);
	free(dir);
	return code;
}
