# toesctl rename OLD NEW (SPEC §9): each refusal answers one line and
# changes nothing; renames while running, starting, in backoff and stopped
# end in the right state with the old port, the data folder and env file
# moved along; a rename whose data move fails leaves OLD as it was.
. tests/integration/lib.sh

is_pid() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac }
lines_of() { printf '%s\n' "$1" | grep -c .; }
# listing: what the folders toesd owns hold (a refusal must leave it alike).
listing() { (cd "$T" && find apps toes/data toes/env -maxdepth 1 | sort); }
# started_port NAME: the port of the app's last "Starting on port" line.
in_backoff() { [ "$(field "$1" detail)" = backoff ]; }
started_port() {
	cat "$APPS/$1"/logs/*.log 2>/dev/null | sed -n 's/.*Starting on port \([0-9]*\).*/\1/p' | tail -n 1
}

app web "$FIXTURE --listen"
app slow "$FIXTURE --gate-listen $T/gate-slow --listen"
app crash "$FIXTURE --exit-after 300 --code 1"
app idle "$FIXTURE --listen"
app done "$FIXTURE --exit-after 100 --code 0"
mkdir -p "$APPS/plain" "$T/toes/env"
echo 'GREETING=hello' >"$T/toes/env/web.env"
start_toesd --restart-delays 30s --startup-timeout 30s
check web_running wait_until 5 state_is web running
check idle_running wait_until 5 state_is idle running
check crash_in_backoff wait_until 5 in_backoff crash
check slow_starting state_is slow starting
web_pid=$(field web pid)
web_port=$(field web port)
check web_data_made test -d "$T/toes/data/web"

# --- refusals: one line, a non-zero exit, nothing changed ---------------

before=$(listing)
refuse() { # refuse LABEL CODE TEXT OLD NEW
	out=$(ctl rename "$4" "$5" 2>&1)
	rc=$?
	check "refuse_${1}_exit_$2" [ "$rc" -eq "$2" ]
	check "refuse_${1}_one_line" [ "$(lines_of "$out")" -eq 1 ]
	check "refuse_${1}_says_why" sh -c 'printf %s "$1" | grep -qF -- "$2"' _ "$out" "$3"
	check "refuse_${1}_nothing_moved" [ "$(listing)" = "$before" ]
}
refuse uppercase 2 "lowercase" web Web
refuse digit_first 2 "lowercase letter" web 1web
refuse dots 2 "lowercase" web ..
refuse slash 2 "only lowercase letters" web a/b
refuse too_long 2 "at most 64" web "$(printf 'a%.0s' $(seq 65))"
refuse taken_by_app 1 "idle is an app already" web idle
refuse taken_by_folder 1 "$APPS/plain exists already (it is not an app)" web plain
refuse unknown_app 1 "no app named 'nosuch'" nosuch other
refuse usage 2 "usage" web ""
# A leftover env file at the new name, though idle has none: never taken over.
echo 'SECRET=left-over' >"$T/toes/env/spare.env"
before=$(listing)
refuse leftover_env 1 "$T/toes/env/spare.env exists already" idle spare
rm -f "$T/toes/env/spare.env"
before=$(listing)
check refuse_web_untouched [ "$(field web pid)" = "$web_pid" ]
out=$(ctl rename web web 2>&1)
check same_name_exit_0 [ $? -eq 0 ]
check same_name_says_so [ "$out" = "web is already named web" ]

# --- running: stopped, moved, started again on its port -----------------

out=$(ctl rename web www 2>&1)
check running_exit_0 [ $? -eq 0 ]
new_pid=$(field www pid)
check running_answer [ "$out" = "renamed web to www (pid $new_pid, port $web_port)" ]
check running_new_process sh -c "[ '$new_pid' != '$web_pid' ] && ! kill -0 $web_pid 2>/dev/null"
check running_same_port [ "$(field www port)" = "$web_port" ]
check running_reaches_running wait_until 5 state_is www running
check running_old_name_gone sh -c "! ctl status web >/dev/null 2>&1"
check running_folder_moved sh -c "[ -d '$APPS/www/v1' ] && [ ! -e '$APPS/web' ]"
check running_data_moved sh -c "[ -d '$T/toes/data/www' ] && [ ! -e '$T/toes/data/web' ]"
check running_env_moved sh -c "[ -f '$T/toes/env/www.env' ] && [ ! -e '$T/toes/env/web.env' ]"
check running_logged log_has www "Renamed from web"
check running_attempt_0 [ "$(field www attempt)" = 0 ]

# --- starting: held by its gate, renamed, starting again -----------------

slow_port=$(field slow port)
out=$(ctl rename slow sluggish 2>&1)
check starting_exit_0 [ $? -eq 0 ]
check starting_answer sh -c 'printf %s "$1" | grep -q "^renamed slow to sluggish (pid [0-9]*, port $2)$"' _ "$out" "$slow_port"
check starting_state state_is sluggish starting
: >"$T/gate-slow"
check starting_then_running wait_until 5 state_is sluggish running
check starting_same_port [ "$(field sluggish port)" = "$slow_port" ]

# --- backoff: renamed, its counter reset, started at once ----------------

crash_port=$(started_port crash)
out=$(ctl rename crash crasher 2>&1)
check backoff_exit_0 [ $? -eq 0 ]
check backoff_answer sh -c 'printf %s "$1" | grep -q "^renamed crash to crasher (pid [0-9]*, port $2)$"' _ "$out" "$crash_port"
check backoff_started_at_once is_pid "$(field crasher pid)"
check backoff_same_port [ "$(started_port crasher)" = "$crash_port" ]

# --- stopped by request: renamed, still stopped; its port kept ----------

idle_port=$(field idle port)
ctl stop idle >/dev/null 2>&1
out=$(ctl rename idle resting 2>&1)
check stopped_exit_0 [ $? -eq 0 ]
check stopped_answer [ "$out" = "renamed idle to resting; it is stopped (by request)" ]
check stopped_state state_is resting stopped
check stopped_by_request [ "$(field resting detail)" = by-request ]
ctl start resting >/dev/null 2>&1
check stopped_start_old_port [ "$(field resting port)" = "$idle_port" ]
# Ended by itself (code 0): renamed, nothing was due to start: exit 0.
check done_stopped wait_until 5 state_is done stopped
out=$(ctl rename done finished 2>&1)
check ended_exit_0 [ $? -eq 0 ]
check ended_answer [ "$out" = "renamed done to finished; it is stopped" ]
check status_file_new_names wait_until 5 sh -c "grep -q ' resting ' '$T/toes/status' && ! grep -q ' idle ' '$T/toes/status'"
stop_toesd

# --- a data move that fails: everything put back, OLD as it was ----------

# The data folder is made unwritable; as root, toesd runs without the
# capability that passes permission checks, so the refusal is real.
NODAC=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1 &&
		setpriv --bounding-set -dac_override,-dac_read_search,-fowner --inh-caps=-all true 2>/dev/null; then
		NODAC="setpriv --bounding-set -dac_override,-dac_read_search,-fowner --inh-caps=-all"
	else
		skip data_move_fails "running as root without setpriv to drop CAP_DAC_OVERRIDE"
	fi
fi
if [ "$(id -u)" != 0 ] || [ -n "$NODAC" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$NODAC" "$TOESD" >"$T/toesd-nodac"
	chmod +x "$T/toesd-nodac"
	REAL_TOESD=$TOESD
	TOESD=$T/toesd-nodac
	start_toesd
	TOESD=$REAL_TOESD
	check keep_running wait_until 5 state_is www running
	keep_pid=$(field www pid)
	keep_port=$(field www port)
	chmod 0555 "$T/toes/data"
	out=$(ctl rename www kept 2>&1)
	rc=$?
	chmod 0755 "$T/toes/data"
	check data_fail_exit_1 [ "$rc" -eq 1 ]
	check data_fail_one_line [ "$(lines_of "$out")" -eq 1 ]
	check data_fail_says_why sh -c 'printf %s "$1" | grep -q "^toesctl: www not renamed: cannot move the data folder .*: Permission denied; it runs again (pid [0-9]*, port $2)$"' _ "$out" "$keep_port"
	check data_fail_folder_back sh -c "[ -d '$APPS/www/v1' ] && [ ! -e '$APPS/kept' ]"
	check data_fail_data_kept sh -c "[ -d '$T/toes/data/www' ] && [ ! -e '$T/toes/data/kept' ]"
	check data_fail_env_kept sh -c "[ -f '$T/toes/env/www.env' ] && [ ! -e '$T/toes/env/kept.env' ]"
	check data_fail_same_name_running wait_until 5 state_is www running
	check data_fail_same_port [ "$(field www port)" = "$keep_port" ]
	check data_fail_new_process [ "$(field www pid)" != "$keep_pid" ]
	check data_fail_no_kept sh -c "! ctl status kept >/dev/null 2>&1"
	check data_fail_logged log_has www "Not renamed to kept"
	stop_toesd
fi
done_testing
