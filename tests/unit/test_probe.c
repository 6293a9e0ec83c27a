/* test_probe: the real probe over loopback sockets the test makes, and the
 * reason each failure gives (SPEC §5): refused, timeout, no status line,
 * a status; the path asked for. */
#include "check.h"

#include "app/probe.h"
#include "base/loop.h"

#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int done_calls, done_code;
static enum probe_outcome done_outcome;

static void on_done(struct probe *p, enum probe_outcome outcome, int code)
{
	done_calls++;
	done_outcome = outcome;
	done_code = code;
}

/* A listening socket on a free loopback port; its port in *port. */
static int listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* A port nothing listens on (bound, then closed: v4 and v6 refuse). */
static int closed_port(void)
{
	int port = 0;
	int fd = listener(&port);
	close(fd);
	return port;
}

/* Run the loop until the probe is done; what it said in why. */
static void run(struct probe *p, char *why, size_t cap, int server, const char *answer)
{
	done_calls = 0;
	for (int i = 0; i < 1000 && !done_calls; i++) {
		loop_run_once();
		int c = server >= 0 ? accept4(server, NULL, NULL, SOCK_CLOEXEC) : -1;
		if (c >= 0) {
			char req[512];
			struct pollfd in = { .fd = c, .events = POLLIN };
			ssize_t n = poll(&in, 1, 1000) == 1 ? read(c, req, sizeof req - 1) : 0;
			req[n > 0 ? n : 0] = '\0';
			if (answer && strstr(req, "GET /healthz HTTP/1.1\r\n") == req) {
				CHECK(write(c, answer, strlen(answer)) == (ssize_t)strlen(answer));
			}
			close(c);
		}
	}
	CHECK_INT(done_calls, 1);
	probe_describe(p, done_outcome, done_code, why, cap);
}

static void test_reasons(void)
{
	struct probe p;
	char why[128];
	CHECK_INT(probe_init(&p), 0);

	probe_start(&p, closed_port(), NULL, 2000, on_done);
	run(&p, why, sizeof why, -1, NULL);
	CHECK_INT(done_outcome, PROBE_NO_ANSWER);
	CHECK_STR(why, "connection refused");

	int port, server = listener(&port);
	CHECK(server >= 0);
	/* Accepted by the kernel, never answered: the timeout. */
	probe_start(&p, port, NULL, 50, on_done);
	run(&p, why, sizeof why, -1, NULL);
	CHECK_STR(why, "timeout after 0.05s");

	/* Closed without a word. */
	int drain;
	while ((drain = accept4(server, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		close(drain);
	}
	probe_start(&p, port, "/healthz", 2000, on_done);
	run(&p, why, sizeof why, server, NULL);
	CHECK_STR(why, "no HTTP status line");

	/* The path asked for, and its status. */
	probe_start(&p, port, "/healthz", 2000, on_done);
	run(&p, why, sizeof why, server, "HTTP/1.1 503 Busy\r\n\r\n");
	CHECK_INT(done_outcome, PROBE_STATUS);
	CHECK_INT(done_code, 503);
	CHECK_STR(why, "/healthz returned 503");
	probe_start(&p, port, "/healthz", 2000, on_done);
	run(&p, why, sizeof why, server, "HTTP/1.0 204 No Content\r\n\r\n");
	CHECK_INT(done_outcome, PROBE_UP);

	close(server);
	probe_fini(&p);
	loop_fini();
}

int main(void)
{
	RUN(test_reasons);
	return CHECK_EXIT();
}
