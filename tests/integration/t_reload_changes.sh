# reload and SIGHUP apply what changed in package.json (SPEC §8, §10):
# icon and tool updated in status with the process left alone;
# valid→invalid stops a running app; invalid→valid starts it; `current`
# pointed at another version restarts the app there; --log reopened (a
# log rotated away by moving it is written anew); `reload NAME` reads one
# app's package.json.
# The folder watch is held off (a 600 s debounce): what changes here is
# applied by the reload, and counted in its answer, not by the watch.
. tests/integration/lib.sh

is_pid() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac }
# pkg APP VERSION JSON: write a package.json.
pkg() { mkdir -p "$APPS/$1/$2" && printf '%s\n' "$3" >"$APPS/$1/$2/package.json"; }
script="$FIXTURE --listen"

pkg pic v1 "{\"scripts\":{\"toes\":\"$script\"},\"toes\":{\"icon\":\"🐾\"}}"
pkg goes v1 "{\"scripts\":{\"toes\":\"$script\"}}"
pkg bad v1 '{"scripts":{"toes":'
ln -s v1 "$APPS/bad/current"
pkg dep v1 "{\"scripts\":{\"toes\":\"$script\"}}"
pkg dep v2 "{\"scripts\":{\"toes\":\"$script\"},\"toes\":{\"icon\":\"🚀\"}}"
ln -s v1 "$APPS/dep/current"
start_toesd --log "$T/own.log" --watch-debounce 600s
for a in pic goes dep; do
	check "${a}_running" wait_until 5 state_is "$a" running
done
check bad_invalid state_is bad invalid
pic_pid=$(field pic pid)
goes_pid=$(field goes pid)
dep_pid=$(field dep pid)
check dep_on_v1 [ "$(field dep version)" = v1 ]

# Nothing changed: nothing done.
out=$(ctl reload 2>&1)
check unchanged_answer [ "$out" = "reloaded: 0 apps added, 0 removed, 0 changed" ]

# One reload, three changes, the log file moved away meanwhile.
pkg pic v1 "{\"scripts\":{\"toes\":\"$script\"},\"toes\":{\"icon\":\"🐈\",\"tool\":{\"port\":1}}}"
pkg goes v1 '{"scripts":{"toes":"x"},}'
pkg bad v1 "{\"scripts\":{\"toes\":\"$script\"}}"
mv "$T/own.log" "$T/own.log.1"
out=$(ctl reload 2>&1)
check changes_answer [ "$out" = "reloaded: 0 apps added, 0 removed, 3 changed" ]
check log_reopened wait_until 5 grep -qF "reloaded: 0 apps added, 0 removed, 3 changed" "$T/own.log"
check icon_updated [ "$(field pic icon)" = "🐈" ]
check tool_updated ctl status pic --json | grep -qF '"tool":{"port":1}'
check icon_same_process [ "$(field pic pid)" = "$pic_pid" ]
check invalid_stops wait_until 5 state_is goes invalid
check invalid_process_gone sh -c "! kill -0 $goes_pid 2>/dev/null"
check invalid_error_shown sh -c "$TOESCTL --toes-dir $T/toes status goes --json | grep -qF 'Invalid JSON in package.json: line 1, column 25'"
check invalid_logged log_has goes "Invalid: Invalid JSON in package.json"
check valid_starts wait_until 5 state_is bad running
check valid_error_cleared [ "$(field bad error)" = null ]

# A deploy, told by SIGHUP: restarted on v2.
ln -sfn v2 "$APPS/dep/current"
kill -HUP "$TOESD_PID"
check deploy_on_v2 wait_until 5 sh -c "[ \"\$($TOESCTL --toes-dir $T/toes status dep --json | grep -o '\"version\":\"v2\"')\" ]"
check deploy_running wait_until 5 state_is dep running
check deploy_new_process sh -c "! kill -0 $dep_pid 2>/dev/null && [ '$(field dep pid)' != '$dep_pid' ]"
check deploy_new_icon [ "$(field dep icon)" = "🚀" ]
check deploy_logged log_has dep "current points at v2 now (was v1); restarting on it"

# reload NAME: only that app's package.json.
pkg pic v1 "{\"scripts\":{\"toes\":\"$script\"},\"toes\":{\"icon\":\"🦊\"}}"
pkg goes v1 "{\"scripts\":{\"toes\":\"$script\"}}"
out=$(ctl reload pic 2>&1)
check reload_name_answer [ "$out" = "reloaded pic: updated" ]
check reload_name_icon [ "$(field pic icon)" = "🦊" ]
check reload_name_others_alone state_is goes invalid
# A restart waiting for a stubborn exit, package.json broken meanwhile, then
# a start: the start reads package.json again (it once ran the script of
# an invalid one: a NULL command).
pkg stub v1 "{\"scripts\":{\"toes\":\"$FIXTURE --listen --ignore-term\"}}"
ln -s v1 "$APPS/stub/current"
ctl reload >/dev/null 2>&1
check stub_running wait_until 5 state_is stub running
ctl restart stub >/dev/null 2>&1 &
restart_pid=$!
check stub_stopping wait_until 5 state_is stub stopping
pkg stub v1 '{"scripts":{"toes":'
out=$(ctl reload stub 2>&1)
check stub_reload_invalid [ "$out" = "reloaded stub: invalid now, stopped" ]
ctl start stub >/dev/null 2>&1
wait "$restart_pid"
check stub_ends_invalid wait_until 10 state_is stub invalid
check stub_toesd_alive alive "$TOESD_PID"
ctl reload nosuch >/dev/null 2>"$T/err"
check reload_unknown_exit_1 [ $? -eq 1 ]
check reload_unknown_says grep -qF "no app named 'nosuch'" "$T/err"
done_testing
