/* icon: placeholder until the command lands. */
#include "toesctl/icon.h"

#include <stdio.h>

int icon_run(const char *apps_dir, const char *name, const char *emoji)
{
	fprintf(stderr, "toesctl: icon is not there yet\n");
	return 1;
}
