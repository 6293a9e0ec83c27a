/* statusfile: <run-dir>/status (SPEC §8), the status table with absolute
 * times, so a person or a script can read state without the socket.
 * Rewritten atomically when what it shows changed, and never otherwise:
 * several changes in one loop turn cost one write, and no timer writes. */
#ifndef TOES_STATUSFILE_H
#define TOES_STATUSFILE_H

/* Start keeping run_dir/status (written at the first flush). -1 (logged)
 * when the folder cannot be opened: toesd runs on without the file. */
int statusfile_open(const char *run_dir);
/* After the registry's change flush, once per loop turn: write the file
 * if an app changed and the table is not what was written last. */
void statusfile_flush(void);
/* At exit: close the folder (the file stays, as the last state shown). */
void statusfile_close(void);

#endif
