/* folders: the folders of SPEC §1 made absolute at start-up. */
#ifndef TOES_FOLDERS_H
#define TOES_FOLDERS_H

#include "parse/config.h"

/* Make every folder absolute (creating apps, toes and run folders).
 * Returns -1 with a message on standard error. */
int config_resolve(struct config *c);
/* What config_resolve found worth saying (an apps folder it had to
 * create), in toesd's log once it is open. */
void folders_report(const struct config *c);

#endif
