/* daemon: --daemon and --pidfile (SPEC §11). The parent of --daemon
 * waits for the child's readiness on a pipe (the child writes its
 * newline there as it would to --ready-fd) and exits 0; when the child
 * ends first, the parent exits with the child's status, its reason
 * already said on the standard error both share. */
#ifndef TOES_DAEMON_H
#define TOES_DAEMON_H

/* Fork; returns only in the child (in a new session, standard input on
 * /dev/null): the pipe's write end, for notify_init. -1 (said) when the
 * fork or the pipe fails. */
int daemon_start(void);

/* Ready: the caller's standard output (and its standard error when
 * toesd logs to a file) is let go, so that one capturing them sees their
 * end; the daemon's folder is / (absolute paths were resolved before). */
void daemon_detach(int logs_to_file);

/* Write toesd's pid to path, atomically. 0, or -1 with a message on
 * standard error. */
int pidfile_write(const char *path);
/* Remove it at exit, if it still holds toesd's pid. */
void pidfile_remove(const char *path);

#endif
