/* children: the processes whose parent is toesd, from
 * /proc/self/task/TID/children (one read), else a walk of /proc. */
#ifndef TOES_CHILDREN_H
#define TOES_CHILDREN_H

#include <stddef.h>
#include <sys/types.h>

/* Up to cap of them into pids (live ones; zombies may be listed by the
 * walk). Returns how many there are, which may be more than cap; -1 when
 * /proc cannot tell. */
long children_list(pid_t *pids, size_t cap);

#endif
