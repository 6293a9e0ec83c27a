/* safefile: opening files in folders someone else can write (an app's
 * folder, its logs folder, the env folder) so that root is never led
 * through a symbolic link or stalled on a FIFO or a device: the last
 * component is never followed, the open never blocks, and what was opened
 * is checked to be a regular file (or a real folder) before it is used. */
#ifndef TOES_SAFEFILE_H
#define TOES_SAFEFILE_H

#include <errno.h>
#include <sys/types.h>

/* errno values of a refusal, besides the system's own; safe_strerror
 * words them. ELOOP: the name is a symbolic link. */
#define SAFE_ENOTREG EMEDIUMTYPE /* not a regular file (FIFO, device, socket, folder) */
#define SAFE_ELINKED EXDEV       /* opened to write, but it has other names (hard links) */

/*
 * Open name in the folder dirfd (AT_FDCWD: name is a path, and only its
 * last component is held to these rules). flags: O_RDONLY, or O_WRONLY
 * with O_APPEND and O_CREAT (mode then applies). O_NOFOLLOW, O_NONBLOCK,
 * O_CLOEXEC and O_NOCTTY are always added. For a read, the name is
 * looked at first, so that nothing but a regular file is ever opened
 * (opening some devices has effects). A file opened to write must have
 * one name only: a hard link would lead the writes to another file. -1
 * with errno: ELOOP for a symbolic link, SAFE_ENOTREG for anything not a
 * regular file, SAFE_ELINKED for a hard link, or the system's.
 */
int safe_open_file(int dirfd, const char *name, int flags, mode_t mode);

/* Open the folder name in dirfd, not through a symbolic link; mode != 0
 * creates it when missing. -1 with errno: ELOOP, ENOTDIR, or the system's. */
int safe_open_dir(int dirfd, const char *name, mode_t mode);

/* The folder at path: every component but the last is followed (they
 * belong to whoever set the folders up), the last is not; mode != 0
 * creates the last one when missing. */
int safe_open_dir_path(const char *path, mode_t mode);

/* 1 when a failure with err says nothing about the file and may pass by
 * itself (EMFILE, ENFILE, ENOMEM, ENOBUFS, EAGAIN, EINTR): a reason to
 * try again later, never a verdict on what was opened. */
int safe_may_pass(int err);

/* strerror, with the refusals above said plainly. */
const char *safe_strerror(int err);

#endif
