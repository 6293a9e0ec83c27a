/* orphans: processes apps left behind that were reparented to toesd (a
 * subreaper), found through /proc at shutdown (SPEC §11). */
#ifndef TOES_ORPHANS_H
#define TOES_ORPHANS_H

/* Send signo to every live process whose parent is toesd; how many. */
int orphans_signal(int signo);

#endif
