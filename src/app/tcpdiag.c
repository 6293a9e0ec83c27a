/* tcpdiag: listening TCP sockets from NETLINK_SOCK_DIAG. */
#include "app/tcpdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A dump request; with port, a filter the kernel runs on each socket
 * (local port >= port and <= port), so the answer holds only the
 * listeners of that port however many others there are. */
static int request_dump(int fd, int family, int port)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
		struct nlattr attr;
		struct inet_diag_bc_op ops[4];
	} msg;
	memset(&msg, 0, sizeof msg);
	size_t len = offsetof(__typeof__(msg), attr);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = (unsigned char)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = 1u << TCP_LISTEN;
	if (port) {
		/* Each comparison is two ops (the port in the second); "yes"
		 * steps to the next, "no" jumps 4 bytes past the end: rejected. */
		msg.attr.nla_type = INET_DIAG_REQ_BYTECODE;
		msg.attr.nla_len = (unsigned short)(sizeof msg.attr + sizeof msg.ops);
		msg.ops[0] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_GE, 8, 20 };
		msg.ops[1] = (struct inet_diag_bc_op){ 0, 0, (unsigned short)port };
		msg.ops[2] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_LE, 8, 12 };
		msg.ops[3] = (struct inet_diag_bc_op){ 0, 0, (unsigned short)port };
		len = sizeof msg;
	}
	msg.nlh.nlmsg_len = (unsigned)len;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(fd, &msg, len, 0, (struct sockaddr *)&kernel, sizeof kernel);
	return n == (ssize_t)len ? 0 : -1;
}

/* Read one dump to its end. Returns the count, or -1. */
static int read_dump(int fd, void (*fn)(void *ctx, int port), void *ctx)
{
	long buf[2048]; /* 16 KiB, aligned for nlmsghdr */
	int found = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				return found;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = EPROTO;
				return -1;
			}
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			if (fn) {
				fn(ctx, ntohs(m->id.idiag_sport));
			}
			found++;
		}
	}
}

int tcpdiag_listeners(int port, void (*fn)(void *ctx, int port), void *ctx)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		return -1;
	}
	int total = 0;
	static const int families[] = { AF_INET, AF_INET6 };
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
		int found = request_dump(fd, families[i], port) < 0 ? -1 : read_dump(fd, fn, ctx);
		if (found < 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		total += found;
	}
	close(fd);
	return total;
}
