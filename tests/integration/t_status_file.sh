# <run-dir>/status (SPEC §8; the run-dir is TOES_DIR here): the table with absolute times (SINCE, the
# UTC time a restart is due), rewritten atomically when it changes and
# never otherwise: no write in 5 s of 100 ms health checks, one after a stop.
. tests/integration/lib.sh

STATUS=$T/toes/status
mtime() { stat -c %y "$STATUS" 2>/dev/null; }
row() { awk -v n="$1" '$2 == n' "$STATUS"; }
row_has() { row "$1" | grep -qF -- "$2"; }

app web "$FIXTURE --listen"
app crashy "$FIXTURE --exit-after 0"
start_toesd --restart-delays 30s --health-interval 100ms
check web_running wait_until 5 state_is web running
check crashy_backoff wait_until 5 sh -c "awk '\$2 == \"crashy\"' '$STATUS' | grep -q 'restart at'"
check file_regular [ -f "$STATUS" ] && [ ! -L "$STATUS" ]
check header_since head -n 1 "$STATUS" | grep -q "NAME  *STATE  *PID  *PORT  *SINCE  *RESTARTS"
check web_row_running wait_until 5 row_has web running
check web_since_utc sh -c "awk '\$2 == \"web\"' '$STATUS' | grep -Eq ' 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z '"
check crashy_restart_at_utc sh -c "awk '\$2 == \"crashy\"' '$STATUS' | grep -Eq 'stopped \\(restart at 20[0-9-]+T[0-9:.]+Z, attempt 1\\)'"
check no_temp_left [ ! -e "$T/toes/.status.tmp" ]

# Nothing happens for 5 s (50 health checks): the file is not rewritten.
before=$(mtime)
sleep 5
check idle_not_rewritten [ "$(mtime)" = "$before" ]
check web_still_running state_is web running

# A stop: rewritten, and it says so.
ctl stop web >/dev/null
check rewritten_after_stop wait_until 5 sh -c "[ \"\$(stat -c %y '$STATUS')\" != '$before' ]"
check web_row_by_request wait_until 5 row_has web "stopped (by request)"
check status_matches_ctl sh -c "'$TOESCTL' --toes-dir '$T/toes' status | awk '\$2 == \"web\" { print \$3, \$4 }' | grep -qx 'stopped (by'"
stop_toesd
done_testing
