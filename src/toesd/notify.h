/* notify: telling the init system how toesd is (SPEC §11): the
 * NOTIFY_SOCKET protocol (READY=1, STATUS= with the apps' counts,
 * RELOADING=1, STOPPING=1, WATCHDOG=1 pings when asked for), and the
 * newline of --ready-fd N (--daemon's parent reads it the same way).
 * Every message is one non-blocking datagram; one that cannot be sent is
 * said once, and toesd goes on. */
#ifndef TOES_NOTIFY_H
#define TOES_NOTIFY_H

/* --ready-fd N is an open descriptor (made close-on-exec): 0, or -1
 * said on standard error. Before anything else is set up. */
int notify_check_fd(int ready_fd);
/* Read NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (and take them out
 * of the environment the apps inherit); ready_fd: a descriptor to write
 * the newline to, or -1. 0, or -1 when out of memory (a NOTIFY_SOCKET
 * that cannot be used is no error: it is logged). */
int notify_init(int ready_fd);
/* toesd is up: its socket answers and every app was started. */
void notify_ready(void);
/* A reload begins, and is over. */
void notify_reloading(void);
void notify_reloaded(void);
/* The shutdown begins. */
void notify_stopping(void);
/* Before each sleep: STATUS= again when the counts changed. */
void notify_flush(void);
void notify_fini(void);

#endif
