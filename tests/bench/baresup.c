/* baresup: the least a supervisor can do, for the restart benchmark's floor:
 * fork, setsid and execv(argv[1], argv + 1) in the child, a blocking waitpid
 * in the parent, again at once when the child is gone. No pipes, no logs, no
 * timers: whatever a real supervisor measures above this is its own cost.
 * SIGTERM: the child gets a SIGTERM too, and baresup exits 0.
 *
 * usage: baresup PROGRAM [ARG...] */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: baresup PROGRAM [ARG...]\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term; /* no SA_RESTART: a SIGTERM ends the waitpid */
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		pid_t pid = fork();
		if (pid < 0) {
			sleep(1);
			continue;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			setsid();
			execv(argv[1], argv + 1);
			_exit(127);
		}
		int status;
		int killed = 0;
		if (stop) {
			kill(pid, SIGTERM);
			killed = 1;
		}
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				return 1;
			}
			if (stop && !killed) {
				kill(pid, SIGTERM);
				killed = 1;
			}
		}
	}
	return 0;
}
