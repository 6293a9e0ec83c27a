/* logs: placeholder until the command lands. */
#include "toesctl/logs.h"

#include <stdio.h>

int logs_run(const char *apps_dir, int n, char **words)
{
	fprintf(stderr, "toesctl: logs is not there yet\n");
	return 1;
}
