# The folder watch (SPEC §10, issue 13 items 1, 2, 5, 7): each case is
# seen without a reload: a new app folder starts; a removed one is
# stopped, its port freed and forgotten; a package.json change updates
# icon and tool; valid→invalid stops, invalid→valid starts; `current`
# flipped (also by `ln -sfn`, which has a moment without it) restarts the
# app on the new version; a version folder being copied is not started;
# a package.json caught half written is invalid until it is whole; `mv
# apps/a apps/b` is a removal and an addition. Then the rescan that
# stands in for inotify (TOES_NO_INOTIFY=1).
. tests/integration/lib.sh

is_pid() { case "$1" in '' | *[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac }
listed() { ctl status --json | grep -qF "\"name\":\"$1\""; }
not_listed() { ! listed "$1"; }
version_is() { [ "$(field "$1" version)" = "$2" ]; }
# pkg APP VERSION JSON: write a package.json (made elsewhere, moved in:
# the way a deploy tool writes it).
pkg() {
	mkdir -p "$APPS/$1/$2"
	printf '%s\n' "$3" >"$T/pkg.tmp" && mv "$T/pkg.tmp" "$APPS/$1/$2/package.json"
}
web() { printf '{"scripts":{"toes":"%s --listen%s"}%s}' "$FIXTURE" "${1:-}" "${2:-}"; }
# seen: a gate for "nothing happened": a new app folder made after the
# change is listed only once the pass that held the change is over (one
# pass takes every name marked before it).
n_seen=0
seen() {
	n_seen=$((n_seen + 1))
	mkdir -p "$APPS/seen$n_seen/v1"
	printf '{"scripts":{"toes":"%s"},"toes":{"health":false}}\n' "$FIXTURE" >"$APPS/seen$n_seen/v1/package.json"
	ln -s v1 "$APPS/seen$n_seen/current"
	wait_until 5 listed "seen$n_seen"
}

pkg base v1 "$(web)"
ln -s v1 "$APPS/base/current"
start_toesd --watch-debounce 50ms
check base_running wait_until 5 state_is base running
check watch_no_fallback sh -c "! grep -qF 'rescanning it every' '$T/toesd.log'"

# A new app folder with its current: registered and started.
pkg fresh v1 "$(web)"
ln -s v1 "$APPS/fresh/current"
check new_app_started wait_until 5 state_is fresh running

# A folder without current (still being copied, say): not an app yet;
# once its current comes, it is.
pkg later v1 "$(web)"
check no_current_looked_at seen
check no_current_not_listed not_listed later
ln -s v1 "$APPS/later/current"
check current_made_starts wait_until 5 state_is later running

# package.json changes: icon and tool, the process left alone.
pid=$(field fresh pid)
pkg fresh v1 "$(web '' ',"toes":{"icon":"🐈","tool":{"x":1}}')"
check icon_updated wait_until 5 sh -c "[ \"\$($TOESCTL --toes-dir $T/toes status fresh --json | grep -o '\"icon\":\"🐈\"')\" ]"
check tool_updated ctl status fresh --json | grep -qF '"tool":{"x":1}'
check icon_same_pid [ "$(field fresh pid)" = "$pid" ]

# valid→invalid stops it; invalid→valid starts it again.
pkg fresh v1 '{"scripts":{"toes":1}}'
check invalid_stops wait_until 5 state_is fresh invalid
check invalid_process_gone sh -c "! kill -0 $pid 2>/dev/null"
pkg fresh v1 "$(web)"
check valid_starts wait_until 5 state_is fresh running

# A package.json caught half written is invalid until it is whole: written
# in place in two steps, the first seen alone.
printf '{"scripts":{"toes":' >"$APPS/fresh/v1/package.json"
check half_written_invalid wait_until 5 state_is fresh invalid
printf '{"scripts":{"toes":"%s --listen"}}\n' "$FIXTURE" >"$APPS/fresh/v1/package.json"
check whole_again_running wait_until 5 state_is fresh running

# A version folder copied in is not started before current points at it.
pkg base v2 "$(web " --touch $T/v2.started")"
check copied_version_looked_at seen
check copied_version_not_started [ ! -e "$T/v2.started" ]
check copied_version_base_on_v1 version_is base v1
# ln -sfn: unlink, then symlink (a moment with no current): a deploy.
pid=$(field base pid)
ln -sfn v2 "$APPS/base/current"
check deploy_on_v2 wait_until 5 version_is base v2
check deploy_running wait_until 5 state_is base running
check deploy_started_v2 wait_until 5 test -e "$T/v2.started"
check deploy_new_process sh -c "! kill -0 $pid 2>/dev/null"
check deploy_not_removed sh -c "! grep -qF '[base] its folder is gone' '$T/toesd.log'"
# A current replaced atomically (a new link renamed over it).
ln -s v1 "$APPS/base/current.new" && mv -T "$APPS/base/current.new" "$APPS/base/current"
check flip_back_on_v1 wait_until 5 version_is base v1
check flip_back_running wait_until 5 state_is base running

# A removed folder: stopped, its port freed, forgotten.
pid=$(field later pid)
port=$(field later port)
rm -rf "$APPS/later"
check removed_forgotten wait_until 5 not_listed later
check removed_process_gone sh -c "! kill -0 $pid 2>/dev/null"
check removed_port_free wait_until 5 sh -c "! grep -q ':$(printf %04X "$port") 00000000:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null"

# mv apps/a apps/b from outside: a removal and an addition, never two
# processes on one port.
old_pid=$(field fresh pid)
old_port=$(field fresh port)
mv "$APPS/fresh" "$APPS/moved"
check moved_old_forgotten wait_until 5 not_listed fresh
check moved_new_running wait_until 5 state_is moved running
check moved_old_process_gone sh -c "! kill -0 $old_pid 2>/dev/null"
new_port=$(field moved port)
check moved_one_process_per_port sh -c "[ '$new_port' != '$old_port' ] || ! kill -0 $old_pid 2>/dev/null"
# A folder removed and made again while its app is still stopping (a
# redeploy by rm and cp): once the old one is gone, the new one starts.
pkg slow v1 "$(web ' --ignore-term')"
ln -s v1 "$APPS/slow/current"
check slow_running wait_until 5 state_is slow running
cp -a "$APPS/slow" "$T/slow.copy"
slow_pid=$(field slow pid)
rm -rf "$APPS/slow"
check slow_stopping wait_until 5 state_is slow stopping
cp -a "$T/slow.copy" "$APPS/slow"
check slow_old_gone wait_until 10 sh -c "! kill -0 $slow_pid 2>/dev/null"
check slow_new_running wait_until 10 state_is slow running
check slow_new_process [ "$(field slow pid)" != "$slow_pid" ]

# A rename by toesctl: the watches follow the folder to its new name.
ctl rename moved renamed >/dev/null 2>&1
check renamed_running wait_until 5 state_is renamed running
pkg renamed v1 "$(web '' ',"toes":{"icon":"🦔"}')"
check renamed_watched wait_until 5 sh -c "[ \"\$($TOESCTL --toes-dir $T/toes status renamed --json | grep -o '\"icon\":\"🦔\"')\" ]"
check renamed_not_removed state_is renamed running
check toesd_alive alive "$TOESD_PID"
stop_toesd

# --- no inotify: the rescan every --rescan-interval stands in --------------

rm -rf "${APPS:?}"/*
TOES_NO_INOTIFY=1
export TOES_NO_INOTIFY
start_toesd --rescan-interval 200ms
unset TOES_NO_INOTIFY
check fallback_said_once wait_until 5 grep -qF "rescanning it every 200 ms instead" "$T/toesd.log"
check fallback_said_why grep -qF "TOES_NO_INOTIFY=1 is set" "$T/toesd.log"
pkg polled v1 "$(web)"
ln -s v1 "$APPS/polled/current"
check fallback_new_app_started wait_until 5 state_is polled running
pkg polled v1 "$(web '' ',"toes":{"icon":"🦉"}')"
check fallback_icon_updated wait_until 5 sh -c "[ \"\$($TOESCTL --toes-dir $T/toes status polled --json | grep -o '\"icon\":\"🦉\"')\" ]"
rm -rf "$APPS/polled"
check fallback_removed wait_until 5 not_listed polled
check fallback_said_only_once [ "$(grep -cF 'rescanning it every' "$T/toesd.log")" -eq 1 ]
done_testing
