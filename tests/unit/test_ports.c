/* test_ports: the port pool with a fake "busy" probe, and /proc/net parsing. */
#include "check.h"
#include "app/ports.h"
#include "app/tcpdiag.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* A fake world: ports foreign processes listen on, and what was asked. */
struct world {
	int busy[16];
	size_t nbusy;
	int asked[64];
	size_t nasked;
	int skipped[16];
	size_t nskipped;
};

static int fake_busy(void *ctx, int port)
{
	struct world *w = ctx;
	if (w->nasked < 64) {
		w->asked[w->nasked++] = port;
	}
	for (size_t i = 0; i < w->nbusy; i++) {
		if (w->busy[i] == port) {
			return 1;
		}
	}
	return 0;
}

static void fake_skip(void *ctx, int port)
{
	struct world *w = ctx;
	if (w->nskipped < 16) {
		w->skipped[w->nskipped++] = port;
	}
}

static int take(struct ports *p, int preferred, struct world *w)
{
	w->nasked = w->nskipped = 0;
	return ports_take(p, preferred, fake_busy, fake_skip, w);
}

static void test_init_bounds(void)
{
	struct ports p;
	static const struct { int lo, hi, ok; } cases[] = {
		{ 3001, 3100, 1 }, { 1, 65535, 1 }, { 3001, 3001, 1 }, { 65535, 65535, 1 },
		{ 0, 10, 0 }, { -1, 10, 0 }, { 10, 9, 0 }, { 1, 65536, 0 }, { 70000, 70001, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r = ports_init(&p, cases[i].lo, cases[i].hi);
		CHECK_INT(r, cases[i].ok ? 0 : -1);
		if (r == 0) {
			CHECK_INT(ports_is_used(&p, cases[i].lo), 0);
			CHECK_INT(ports_is_used(&p, cases[i].hi), 0);
		} else {
			CHECK(p.used == NULL);
			CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 0);
		}
		ports_free(&p);
	}
}

static void test_lowest_first(void)
{
	struct ports p;
	struct world w = { .nbusy = 0 };
	CHECK_INT(ports_init(&p, 3001, 3005), 0);
	CHECK_INT(take(&p, 0, &w), 3001);
	CHECK_INT(take(&p, 0, &w), 3002);
	CHECK_INT(take(&p, 0, &w), 3003);
	CHECK_INT(ports_is_used(&p, 3002), 1);
	ports_release(&p, 3002);
	CHECK_INT(ports_is_used(&p, 3002), 0);
	CHECK_INT(take(&p, 0, &w), 3002);
	CHECK_INT(take(&p, 0, &w), 3004);
	CHECK_INT(take(&p, 0, &w), 3005);
	CHECK_INT(take(&p, 0, &w), 0);
	CHECK_INT(w.nasked, 0);
	ports_release(&p, 3005);
	CHECK_INT(take(&p, 0, &w), 3005);
	/* Releasing outside the pool or twice is harmless. */
	ports_release(&p, 80);
	ports_release(&p, 0);
	ports_release(&p, 3001);
	ports_release(&p, 3001);
	CHECK_INT(ports_is_used(&p, 80), 0);
	CHECK_INT(take(&p, 0, &w), 3001);
	ports_free(&p);
}

static void test_preferred(void)
{
	struct ports p;
	struct world w = { .nbusy = 0 };
	CHECK_INT(ports_init(&p, 3001, 3100), 0);
	CHECK_INT(take(&p, 3050, &w), 3050);
	CHECK_INT(ports_is_used(&p, 3050), 1);
	/* Already used by an app: the lowest instead. */
	CHECK_INT(take(&p, 3050, &w), 3001);
	/* Outside the pool: ignored. */
	CHECK_INT(take(&p, 80, &w), 3002);
	CHECK_INT(take(&p, 3101, &w), 3003);
	CHECK_INT(take(&p, -5, &w), 3004);
	CHECK_INT(take(&p, 3100, &w), 3100);
	CHECK_INT(take(&p, 3001, &w), 3005);
	ports_free(&p);
}

static void test_busy_skipped(void)
{
	struct ports p;
	struct world w = { .busy = { 3001, 3002, 3004 }, .nbusy = 3 };
	CHECK_INT(ports_init(&p, 3001, 3005), 0);
	CHECK_INT(take(&p, 0, &w), 3003);
	CHECK_INT(w.nskipped, 2);
	CHECK_INT(w.skipped[0], 3001);
	CHECK_INT(w.skipped[1], 3002);
	CHECK_INT(ports_is_used(&p, 3001), 0);
	/* Used ports are never asked about. */
	CHECK_INT(take(&p, 0, &w), 3005);
	CHECK_INT(w.nasked, 4);
	CHECK_INT(w.asked[2], 3004);
	CHECK_INT(w.asked[3], 3005);
	CHECK_INT(take(&p, 0, &w), 0);
	CHECK_INT(w.nskipped, 3);
	CHECK_INT(w.nasked, 3);
	ports_free(&p);
}

static void test_preferred_busy(void)
{
	struct ports p;
	struct world w = { .busy = { 3003 }, .nbusy = 1 };
	CHECK_INT(ports_init(&p, 3001, 3005), 0);
	CHECK_INT(take(&p, 3001, &w), 3001);
	/* The old port is taken by a stranger: told once, asked once. */
	CHECK_INT(take(&p, 3003, &w), 3002);
	CHECK_INT(w.nskipped, 1);
	CHECK_INT(w.skipped[0], 3003);
	CHECK_INT(take(&p, 3003, &w), 3004);
	CHECK_INT(w.nskipped, 1);
	CHECK_INT(w.nasked, 2);
	CHECK_INT(w.asked[0], 3003);
	CHECK_INT(w.asked[1], 3004);
	/* No busy function: nothing is busy. */
	CHECK_INT(ports_take(&p, 3003, NULL, NULL, NULL), 3003);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3005);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 0);
	ports_free(&p);
}

static void test_whole_range(void)
{
	struct ports p;
	CHECK_INT(ports_init(&p, 1, 65535), 0);
	for (int i = 1; i <= 65535; i++) {
		if (ports_take(&p, 0, NULL, NULL, NULL) != i) {
			CHECK_INT(i, -1);
			break;
		}
	}
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 0);
	ports_release(&p, 40000);
	CHECK_INT(ports_take(&p, 5, NULL, NULL, NULL), 40000);
	ports_free(&p);
	/* One-port pools, at both ends. */
	CHECK_INT(ports_init(&p, 65535, 65535), 0);
	CHECK_INT(ports_take(&p, 65535, NULL, NULL, NULL), 65535);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 0);
	ports_free(&p);
}

/* Listeners found by the parser, in order. */
struct found {
	int ports[32];
	size_t n;
};

static void on_listener(void *ctx, int port)
{
	struct found *f = ctx;
	if (f->n < 32) {
		f->ports[f->n++] = port;
	}
}

static const char proc_tcp[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n"
	"   0: 00000000:0BB9 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 000000001d583f20 100 0 0 10 0                     \n"
	"   1: 0100007F:0BBA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41235 1 00000000a383f364 100 0 0 10 0                     \n"
	"   2: 0100007F:0BBB 0100007F:D756 06 00000000:00000000 03:00000AAE 00000000     0        0 0 3 00000000a383f364                                      \n"
	"   3: 0100007F:0BBC 0100007F:CE4C 01 00000000:00000000 02:000AFB8C 00000000  1000        0 41236 2 0000000067625f13 20 4 30 10 -1                    \n"
	"   4: 0100007F:CE4C 0100007F:0BB9 01 00000000:00000000 00:00000000 00000000  1000        0 41237 1 000000003e3ef959 20 4 0 10 -1                     \n"
	"   5: 0A00020F:0016 0A000201:C35A 01 00000000:00000000 02:0009D1A8 00000000     0        0 1603 4 00000000c1bd1e2c 20 4 31 10 20                     \n"
	"   6: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 1500 1 0000000000000000 100 0 0 10 5                       \n"
	"   7: 0100007F:0BBD 00000000:0000 08 00000000:00000000 00:00000000 00000000  1000        0 41238 1 0000000000000000 100 0 0 10 0                     \n";

static const char proc_tcp6[] =
	"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	"   0: 00000000000000000000000000000000:0BBE 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 51234 1 0000000000000000 100 0 0 10 0\n"
	"   1: 00000000000000000000000001000000:0BBF 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 51235 1 0000000000000000 100 0 0 10 0\n"
	"   2: 0000000000000000FFFF00000100007F:0BC0 0000000000000000FFFF00000100007F:A1B2 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
	"   3: 00000000000000000000000001000000:0DE5 00000000000000000000000001000000:8E80 01 00000000:00000000 00:00000000 00000000  1000        0 51236 1 0000000000000000 20 4 0 10 -1\n"
	"   4: 000080FE00000000FF0B02A6DE15A8FE:1f90 00000000000000000000000000000000:0000 0a 00000000:00000000 00:00000000 00000000     0        0 51237 1 0000000000000000 100 0 0 10 0\n";

static void test_parse_tcp(void)
{
	struct found f = { .n = 0 };
	CHECK_INT(ports_parse_proc_net(proc_tcp, strlen(proc_tcp), on_listener, &f), 3);
	CHECK_INT(f.n, 3);
	CHECK_INT(f.ports[0], 3001);
	CHECK_INT(f.ports[1], 3002);
	CHECK_INT(f.ports[2], 53);
}

static void test_parse_tcp6(void)
{
	struct found f = { .n = 0 };
	CHECK_INT(ports_parse_proc_net(proc_tcp6, strlen(proc_tcp6), on_listener, &f), 3);
	CHECK_INT(f.n, 3);
	CHECK_INT(f.ports[0], 3006);
	CHECK_INT(f.ports[1], 3007);
	CHECK_INT(f.ports[2], 8080);
	CHECK_INT(ports_parse_proc_net(proc_tcp6, strlen(proc_tcp6), NULL, NULL), 3);
}

/* Cut anywhere: only whole lines count, and the last one needs no '\n'. */
static void test_parse_partial_text(void)
{
	const char *second = strchr(proc_tcp, '\n') + 1;
	const char *third = strchr(second, '\n') + 1;
	size_t upto_third = (size_t)(third - proc_tcp);
	CHECK_INT(ports_parse_proc_net(proc_tcp, upto_third, NULL, NULL), 1);
	CHECK_INT(ports_parse_proc_net(proc_tcp, upto_third - 1, NULL, NULL), 1);
	/* Cut inside the state of the first socket: no match. */
	CHECK_INT(ports_parse_proc_net(proc_tcp, (size_t)(second - proc_tcp) + 35, NULL, NULL), 0);
	CHECK_INT(ports_parse_proc_net(proc_tcp, (size_t)(second - proc_tcp) + 36, NULL, NULL), 1);
	CHECK_INT(ports_parse_proc_net(proc_tcp, 0, NULL, NULL), 0);
	CHECK_INT(ports_parse_proc_net("", 0, NULL, NULL), 0);
}

static void test_parse_malformed(void)
{
	static const char *lines[] = {
		"0: 00000000:0BB9 00000000:0000 0A",
		"   0: 00000000:0BB9 00000000:0000 0A\n",
		"   0: 00000000:0BB9 00000000:0000 0A",
		"   0: 00000000:0BB9 00000000:0000 0A 00000000:00000000",
	};
	static const char *bad[] = {
		"   0 00000000:0BB9 00000000:0000 0A\n",
		"   0: 0000000:0BB9 00000000:0000 0A\n",
		"   0: 00000000:BB9 00000000:0000 0A\n",
		"   0: 00000000:0BB9 00000000:0000 0A0\n",
		"   0: 00000000:0BB9 00000000:0000 A\n",
		"   0: 00000000:0BB9 00000000:0000 0AX\n",
		"   0: 00000000:0BB9:00000000:0000 0A\n",
		"   0: 00000000:0BB9\n",
		"   0: 00000000:0BBG 00000000:0000 0A\n",
		"   0: 000000000000000000000000:0BB9 00000000:0000 0A\n",
		"garbage\n",
		"   0: 00000000:0BB9 00000000:0000 06\n",
		"\n\n\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		CHECK_INT(ports_parse_proc_net(lines[i], strlen(lines[i]), NULL, NULL), 1);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int n = ports_parse_proc_net(bad[i], strlen(bad[i]), NULL, NULL);
		if (n != 0) {
			printf("  bad[%zu] \"%s\"\n", i, bad[i]);
		}
		CHECK_INT(n, 0);
	}
	/* A NUL inside is just a byte that does not parse. */
	CHECK_INT(ports_parse_proc_net("   0: 00000000:0BB9\0", 20, NULL, NULL), 0);
}

/* A socket listening on loopback, family AF_INET or AF_INET6; its port. */
static int listen_on_loopback(int family, int *port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof *a;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
				       : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* Against the real /proc; skipped quietly where sockets are not allowed. */
static void test_listening_live(void)
{
	static const int families[] = { AF_INET, AF_INET6 };
	for (size_t i = 0; i < 2; i++) {
		int port = 0;
		int fd = listen_on_loopback(families[i], &port);
		if (fd < 0) {
			printf("  (family %d: no socket here, skipped)\n", families[i]);
			continue;
		}
		CHECK_INT(ports_listening(port), 1);
		close(fd);
		CHECK_INT(ports_listening(port), 0);
	}
	CHECK(ports_scan_listeners(NULL, NULL) >= 0);
}

/* Enough listeners that /proc/net/tcp spans several reads of the buffer. */
static void test_listening_many(void)
{
	enum { N = 60 };
	int fds[N], ports[N];
	size_t n = 0;
	while (n < N) {
		fds[n] = listen_on_loopback(AF_INET, &ports[n]);
		if (fds[n] < 0) {
			break;
		}
		n++;
	}
	if (n < N) {
		printf("  (only %zu sockets here)\n", n);
	}
	if (n == 0) {
		return;
	}
	int before = ports_scan_listeners(NULL, NULL);
	CHECK(before >= (int)n);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(ports_listening(ports[i]), 1);
	}
	/* Asked about one port, the kernel answers with its listener alone,
	 * however many others listen (where sock_diag is there at all). */
	int one = tcpdiag_listeners(ports[n / 2], NULL, NULL);
	CHECK(one == 1 || one == -1);
	for (size_t i = 0; i < n; i++) {
		close(fds[i]);
	}
	/* Other processes may listen meanwhile, so no count is compared. */
	CHECK_INT(ports_listening(ports[0]), 0);
	CHECK_INT(ports_listening(ports[n - 1]), 0);
}

int main(void)
{
	RUN(test_init_bounds);
	RUN(test_lowest_first);
	RUN(test_preferred);
	RUN(test_busy_skipped);
	RUN(test_preferred_busy);
	RUN(test_whole_range);
	RUN(test_parse_tcp);
	RUN(test_parse_tcp6);
	RUN(test_parse_partial_text);
	RUN(test_parse_malformed);
	RUN(test_listening_live);
	RUN(test_listening_many);
	return CHECK_EXIT();
}
