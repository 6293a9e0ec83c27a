/* tcpdiag: ask the kernel which TCP ports have a listening socket, through
 * sock_diag netlink. It walks only the listening table, where reading
 * /proc/net/tcp walks every connection (milliseconds on a big box). */
#ifndef TOES_TCPDIAG_H
#define TOES_TCPDIAG_H

/* Call fn for the local port of every listening TCP socket (IPv4 and
 * IPv6) on port (0: on any port). Returns how many were found, or -1
 * with errno set when sock_diag (or its filter) is not available (then
 * read /proc/net/tcp instead). */
int tcpdiag_listeners(int port, void (*fn)(void *ctx, int port), void *ctx);

#endif
