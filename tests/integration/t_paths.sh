# Paths are built checked (SPEC §1; no silent truncation): an apps folder
# so deep that one app's paths would pass PATH_MAX gets that app skipped
# with a line naming it; its neighbour with a short name runs.
. tests/integration/lib.sh

# About 3,850 bytes of folders: a 250-byte app name no longer fits (its
# folder alone would be near PATH_MAX, 4,096), a short one does.
seg=$(printf '%0199d' 0)
deep=$T/deep
i=0
while [ "$i" -lt 19 ]; do
	deep=$deep/$seg
	i=$((i + 1))
done
long=$(printf 'l%.0s' $(seq 250))
mkdir -p "$deep/apps/short/v1"
printf '{"scripts":{"toes":"%s"}}\n' "$FIXTURE" >"$deep/apps/short/v1/package.json"
# Too long to name from /: made from inside.
(cd "$deep/apps" && mkdir -p "$long/v1" &&
	printf '{"scripts":{"toes":"%s"}}\n' "$FIXTURE" >"$long/v1/package.json")
check deep_is_deep [ "${#deep}" -gt 3800 ]
check long_made sh -c "cd '$deep/apps' && test -f '$long/v1/package.json'"

"$TOESD" --data-dir "$T" --apps-dir "$deep/apps" --ports "$PORT_BASE-$((PORT_BASE + 19))" \
	$FAST >>"$T/toesd.log" 2>&1 &
TOESD_PID=$!
check started wait_until 5 test -S "$T/toes/toesd.sock"
check short_runs wait_until 5 state_is short running
check long_skipped_said grep -qF "] [toesd] $long: the path of this folder in the apps folder is too long" "$T/toesd.log"
check long_not_listed sh -c "! $TOESCTL --toes-dir $T/toes status --json | grep -qF '$long'"
check toesd_alive alive "$TOESD_PID"
ctl stop short >/dev/null
done_testing
