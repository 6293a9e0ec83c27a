/* sig: signals become loop events (signalfd), and children get a clean
 * signal state before exec. */
#ifndef TOES_SIG_H
#define TOES_SIG_H

/* pid: the sender, for SIGCHLD the child that changed state (signals of
 * one kind that arrive together are merged: it may stand for several). */
typedef void (*sig_fn)(int signo, int pid);

/* Block SIGCHLD, SIGTERM, SIGINT and SIGHUP, deliver them through the loop
 * to fn, and ignore SIGPIPE. Returns -1 with errno set on failure. */
int sig_init(sig_fn fn);
/* In a forked child before exec: default dispositions, empty mask. */
void sig_reset_for_child(void);

#endif
