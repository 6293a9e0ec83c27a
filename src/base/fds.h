/* fds: how many descriptors the process holds, for budgeting them. */
#ifndef TOES_FDS_H
#define TOES_FDS_H

/* The number of open descriptors (from /proc/self/fd; one more is used
 * for the count itself). -1 when it cannot be told (no /proc, EMFILE). */
long fds_in_use(void);

#endif
