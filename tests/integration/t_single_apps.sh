# One apps folder, one toesd (SPEC §11): a second toesd pointed at the same
# apps with another --toes-dir, another --run-dir, or the apps folder by
# another path (a link) exits 1 with "another toesd (pid N) already
# manages APPS_DIR" and starts nothing; once the first is gone, it runs.
. tests/integration/lib.sh

app s1 "$FIXTURE --listen"
REAL_APPS=$(cd "$APPS" && pwd -P)

# second NAME ARGS...: run another toesd with ARGS; its exit code goes to
# $T/NAME.rc, its output to $T/NAME.out. Never left running: one that
# did not exit in 5 s is killed (and the check fails).
second() {
	sc_name=$1
	shift
	# shellcheck disable=SC2086
	"$TOESD" --ports "$PORT_BASE-$((PORT_BASE + 19))" $FAST "$@" >"$T/$sc_name.out" 2>&1 &
	sc_pid=$!
	if ! wait_until 5 sh -c "! kill -0 $sc_pid 2>/dev/null"; then
		kill -TERM "$sc_pid" 2>/dev/null
	fi
	wait "$sc_pid"
	echo $? >"$T/$sc_name.rc"
}
said() { grep -qxF -- "$2" "$T/$1.out"; }
one_start() { [ "$(log_count s1 "Starting on port")" -eq 1 ]; }

start_toesd
check first_running wait_until 5 state_is s1 running
PID=$(field s1 pid)
check state_written test -f "$T/toes/state"
STATE_BEFORE=$(stat -c '%i %y' "$T/toes/state" 2>/dev/null)
MSG="toesd: another toesd (pid $TOESD_PID) already manages $REAL_APPS"

# Another toes folder (so another run folder).
second toes2 --apps-dir "$APPS" --toes-dir "$T/toes2"
check other_toes_dir_exits_1 [ "$(cat "$T/toes2.rc")" = 1 ]
check other_toes_dir_says_who said toes2 "$MSG"
check other_toes_dir_no_socket sh -c "! test -e '$T/toes2/toesd.sock'"
check other_toes_dir_no_state sh -c "! test -e '$T/toes2/state'"

# The same toes folder, another run folder: the state is not touched.
second run2 --data-dir "$T" --run-dir "$T/run2"
check other_run_dir_exits_1 [ "$(cat "$T/run2.rc")" = 1 ]
check other_run_dir_says_who said run2 "$MSG"
check other_run_dir_no_socket sh -c "! test -e '$T/run2/toesd.sock'"
check state_untouched [ "$(stat -c '%i %y' "$T/toes/state" 2>/dev/null)" = "$STATE_BEFORE" ]

# The apps folder through a link: the same folder, the same lock.
ln -s "$APPS" "$T/apps-link"
second linked --apps-dir "$T/apps-link" --toes-dir "$T/toes3"
check linked_exits_1 [ "$(cat "$T/linked.rc")" = 1 ]
check linked_says_who said linked "$MSG"

# Nothing was started twice: the app runs on with the same process.
check app_still_running state_is s1 running
check same_process [ "$(field s1 pid)" = "$PID" ]
check started_once one_start
check first_still_alive alive "$TOESD_PID"

# The same run folder still says what it always said.
second same --data-dir "$T"
check same_run_dir_exits_1 [ "$(cat "$T/same.rc")" = 1 ]
check same_run_dir_says_running said same "toesd: already running (pid $TOESD_PID)"

# Once the first toesd is gone, the lock goes with it.
stop_toesd
"$TOESD" --apps-dir "$APPS" --toes-dir "$T/toes2" --ports "$PORT_BASE-$((PORT_BASE + 19))" $FAST \
	>>"$T/toesd.log" 2>&1 &
TOESD_PID=$!
check next_toesd_runs wait_until 5 test -S "$T/toes2/toesd.sock"
check next_toesd_starts_app wait_until 5 sh -c "'$TOESCTL' --toes-dir '$T/toes2' status s1 --json | grep -q '\"state\":\"running\"'"
stop_toesd
done_testing
