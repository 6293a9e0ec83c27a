/* proto: request lines of tab-separated words. */
#include "parse/proto.h"

#include <string.h>

int proto_split(char *line, char **words, int max)
{
	int n = 0;
	if (!*line) {
		return 0;
	}
	for (char *p = line;;) {
		if (n == max) {
			return -1;
		}
		words[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab) {
			return n;
		}
		*tab = '\0';
		p = tab + 1;
	}
}

int proto_join(struct buf *out, int n, char **words)
{
	for (int i = 0; i < n; i++) {
		if (strpbrk(words[i], "\t\n")) {
			return -1;
		}
		if (i) {
			buf_addc(out, '\t');
		}
		buf_adds(out, words[i]);
	}
	buf_addc(out, '\n');
	return 0;
}
