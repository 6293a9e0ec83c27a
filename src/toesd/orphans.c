/* orphans: a walk of /proc for toesd's children. */
#include "toesd/orphans.h"

#include "base/path.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int orphans_signal(int signo)
{
	DIR *d = opendir("/proc");
	if (!d) {
		return 0;
	}
	pid_t self = getpid();
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0])) {
			continue;
		}
		char path[64], stat[512];
		if (path_format(path, sizeof path, "/proc/%s/stat", e->d_name) < 0) {
			continue;
		}
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			continue;
		}
		ssize_t n = read(fd, stat, sizeof stat - 1);
		close(fd);
		if (n <= 0) {
			continue;
		}
		stat[n] = '\0';
		char *rp = strrchr(stat, ')');
		char st;
		int ppid;
		if (rp && sscanf(rp + 1, " %c %d", &st, &ppid) == 2 && ppid == self && st != 'Z') {
			kill(atoi(e->d_name), signo);
			count++;
		}
	}
	closedir(d);
	return count;
}

