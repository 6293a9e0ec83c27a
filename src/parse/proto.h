/* proto: the control socket's wire format, shared by toesd and toesctl.
 * A request is one line of tab-separated words. A reply is the exit code
 * toesctl should give, a newline, then the text to print; toesd closes the
 * connection after it. */
#ifndef TOES_PROTO_H
#define TOES_PROTO_H

#include "base/buf.h"

#define PROTO_MAX_REQUEST 4096
#define PROTO_MAX_WORDS 16
#define PROTO_SOCKET "toesd.sock"

/* Split a request line in place; returns the number of words or -1 when
 * there are too many. */
int proto_split(char *line, char **words, int max);
/* Join words into a request line; -1 when a word holds a tab or newline. */
int proto_join(struct buf *out, int n, char **words);

#endif
