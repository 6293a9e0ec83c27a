# What an app folder's owner can put where toesd opens files (issue 10,
# item 1): a day file linked to a root-owned script, a logs folder linked
# elsewhere, FIFOs as the day file, the env file and package.json, and a
# package.json linked to a device. toesd, as root, writes through none of
# them, never freezes in open(), says so once, and the apps run on.
. tests/integration/lib.sh

today=$(date -u +%F)
responsive() { ctl status >/dev/null 2>&1; }

# A root-owned script the day file links to: nothing may be appended.
printf '#!/bin/sh\necho harmless\n' >"$T/root-script.sh"
chmod 755 "$T/root-script.sh"
script_sum=$(cksum <"$T/root-script.sh")
app linked "$FIXTURE --print injected-line --listen"
mkdir -p "$APPS/linked/logs"
ln -s "$T/root-script.sh" "$APPS/linked/logs/$today.log"

# Today's log a hard link to another root-owned script: O_NOFOLLOW does
# not see it, the link count does.
printf '#!/bin/sh\necho harmless\n' >"$T/root-script2.sh"
hard_sum=$(cksum <"$T/root-script2.sh")
app hardlinked "$FIXTURE --print injected-line --listen"
mkdir -p "$APPS/hardlinked/logs"
ln "$T/root-script2.sh" "$APPS/hardlinked/logs/$today.log"

# A folder where today's log should be.
app dirlog "$FIXTURE --print hello --listen"
mkdir -p "$APPS/dirlog/logs/$today.log"

# logs itself a link to another folder, holding an old day file that
# prune would delete if it followed the link.
mkdir -p "$T/elsewhere"
: >"$T/elsewhere/2020-01-01.log"
app logsdir "$FIXTURE --print hello --listen"
ln -s "$T/elsewhere" "$APPS/logsdir/logs"

# Today's log a FIFO: an open() for writing would wait for a reader.
app fifolog "$FIXTURE --print into-fifo --listen"
mkdir -p "$APPS/fifolog/logs"
mkfifo "$APPS/fifolog/logs/$today.log"

# The env file a FIFO: reading it would wait for a writer.
app fifoenv "$FIXTURE --listen"
mkdir -p "$T/toes/env"
mkfifo "$T/toes/env/fifoenv.env"

# package.json a link to a FIFO (the same path as one to /dev/watchdog:
# nothing that is not a regular file is opened), and a FIFO itself.
app pkglink "$FIXTURE --listen"
mkfifo "$T/pkg-fifo"
rm "$APPS/pkglink/v1/package.json"
ln -s "$T/pkg-fifo" "$APPS/pkglink/v1/package.json"
ln -s v1 "$APPS/pkglink/current"
app pkgfifo "$FIXTURE --listen"
rm "$APPS/pkgfifo/v1/package.json"
mkfifo "$APPS/pkgfifo/v1/package.json"
ln -s v1 "$APPS/pkgfifo/current"

start_toesd
check linked_running wait_until 5 state_is linked running
check logsdir_running wait_until 5 state_is logsdir running
check fifolog_running wait_until 5 state_is fifolog running
check fifoenv_running wait_until 5 state_is fifoenv running
check toesd_responsive responsive
check script_untouched [ "$(cksum <"$T/root-script.sh")" = "$script_sum" ]
check script_still_a_link [ -L "$APPS/linked/logs/$today.log" ]
check linked_refusal_in_toesd_log grep -qF "[linked] Cannot write the log $APPS/linked/logs/$today.log: is a symbolic link, refused" "$T/toesd.log"
check linked_refusal_told_once [ "$(grep -cF '[linked] Cannot write the log' "$T/toesd.log")" -eq 1 ]
check linked_refusal_in_status sh -c "\"$TOESCTL\" --toes-dir '$T/toes' status linked | grep -qF 'is a symbolic link, refused'"
check hardlinked_running wait_until 5 state_is hardlinked running
check hardlinked_script_untouched [ "$(cksum <"$T/root-script2.sh")" = "$hard_sum" ]
check hardlinked_refused grep -qF "[hardlinked] Cannot write the log $APPS/hardlinked/logs/$today.log: has more than one name (a hard link), refused" "$T/toesd.log"
check dirlog_running wait_until 5 state_is dirlog running
check dirlog_refused grep -qF "[dirlog] Cannot write the log $APPS/dirlog/logs/$today.log: is not a regular file, refused" "$T/toesd.log"
check logsdir_refused grep -qF "[logsdir] Cannot write the log $APPS/logsdir/logs: is a symbolic link, refused" "$T/toesd.log"
check logsdir_nothing_written_elsewhere [ "$(ls "$T/elsewhere")" = "2020-01-01.log" ]
check fifolog_refused grep -qF "[fifolog] Cannot write the log $APPS/fifolog/logs/$today.log: is not a regular file, refused" "$T/toesd.log"
check fifolog_still_fifo [ -p "$APPS/fifolog/logs/$today.log" ]
check fifoenv_refused grep -qF "[fifoenv] Cannot read $T/toes/env/fifoenv.env: is not a regular file, refused; not used" "$T/toesd.log"
check pkglink_invalid wait_until 5 state_is pkglink invalid
check pkglink_error [ "$(field pkglink error)" = "Cannot read package.json: is a symbolic link, refused" ]
check pkgfifo_invalid wait_until 5 state_is pkgfifo invalid
check pkgfifo_error [ "$(field pkgfifo error)" = "Cannot read package.json: is not a regular file, refused" ]

# Once the link is gone the app's log works again and counts the loss.
rm "$APPS/linked/logs/$today.log"
ctl restart linked >/dev/null
check linked_logs_again wait_until 5 log_has linked "lines lost"
check linked_file_regular [ -f "$APPS/linked/logs/$today.log" ] && [ ! -L "$APPS/linked/logs/$today.log" ]
stop_toesd
check clean_exit [ "$TOESD_RC" -eq 0 ]

# Prune at start (a new toesd): the old file behind the link stays.
check prune_kept_linked_folder [ -f "$T/elsewhere/2020-01-01.log" ]
done_testing
