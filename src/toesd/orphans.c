/* orphans: toesd's children at the shutdown (base/children.c). */
#include "toesd/orphans.h"

#include "base/children.h"

#include <signal.h>

#define MAX_ORPHANS 4096

int orphans_signal(int signo)
{
	static pid_t kids[MAX_ORPHANS];
	long n = children_list(kids, MAX_ORPHANS);
	int count = 0;
	for (long i = 0; i < n && i < MAX_ORPHANS; i++) {
		/* A zombie still counts until toesd reaps it, which its SIGCHLD
		 * does in the same loop turn. */
		if (kill(kids[i], signo) == 0) {
			count++;
		}
	}
	return count;
}
