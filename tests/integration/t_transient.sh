# A failure to read package.json that can pass is no verdict (issue 10,
# item 2): out of descriptors, or `current` missing for a moment while a
# deploy swaps it by rm + ln -s. The reason is logged, the restart comes
# with the backoff, and the app never turns invalid.
. tests/integration/lib.sh

# lowest_free PID: the lowest descriptor number PID does not use (an open
# gets it, so a soft limit of that number makes the next open fail).
lowest_free() {
	n=0
	while [ -e "/proc/$1/fd/$n" ]; do n=$((n + 1)); done
	echo "$n"
}
toesd_log_has() { grep -qF -- "$1" "$T/toesd.log"; }

if ! command -v prlimit >/dev/null 2>&1; then
	skip emfile_no_verdict "prlimit (util-linux) is not installed"
else
	app flaky "$FIXTURE --listen --exit-on $T/crash"
	start_toesd --restart-delays 1s
	check flaky_running wait_until 5 state_is flaky running
	: >"$T/crash"
	check flaky_backoff wait_until 5 log_has flaky "Scheduling restart in 1s (attempt 1)"
	# Between runs: the app's pipes are closed. From now on every open
	# of toesd fails with EMFILE until the limit is put back.
	prlimit --pid "$TOESD_PID" --nofile="$(lowest_free "$TOESD_PID")":
	check emfile_logged wait_until 5 toesd_log_has "[flaky] Cannot read package.json: Too many open files; trying again"
	check emfile_backoff_again wait_until 5 log_has flaky "(attempt 2)"
	prlimit --pid "$TOESD_PID" --nofile=1024:
	check flaky_back wait_until 10 state_is flaky running
	check flaky_never_invalid sh -c "! grep -qF 'Invalid:' '$T/toesd.log'"
	check flaky_error_cleared [ "$(field flaky error)" = null ]
	stop_toesd
	rm -rf "${APPS:?}"/flaky
fi

# current gone while the restart is due (the moment inside a swap, held):
# the read is put off, said, and the app comes back once current is.
app gap "$FIXTURE --listen --exit-on $T/gap-crash"
start_toesd --restart-delays 300ms
check gap_running wait_until 5 state_is gap running
: >"$T/gap-crash"
check gap_backoff wait_until 5 log_has gap "Scheduling restart in 0.3s (attempt 1)"
rm "$APPS/gap/current"
check gap_put_off wait_until 5 toesd_log_has "[gap] Cannot read package.json: $APPS/gap/current is missing; trying again"
check gap_not_invalid [ "$(field gap state)" != invalid ]
ln -s v1 "$APPS/gap/current"
check gap_back wait_until 5 state_is gap running
# A current that leads nowhere is no swap: Missing package.json.
ln -sfn v9 "$APPS/gap/current"
ctl stop gap >/dev/null
out=$(ctl start gap 2>&1)
check dangling_current_invalid wait_until 5 state_is gap invalid
check dangling_current_error [ "$(field gap error)" = "Missing package.json" ]
stop_toesd
rm -rf "${APPS:?}"/gap

# current swapped non-atomically, over and over, while the app crashes
# and restarts: each restart either reads v1 or waits for the next try.
app swapped "$FIXTURE --exit-after 30"
ln -s v1 "$APPS/swapped/current"
start_toesd --restart-delays 10ms
(
	cd "$APPS/swapped" || exit 1
	while [ ! -e "$T/stop-swapping" ]; do
		rm -f current
		ln -s v1 current
	done
) &
swapper=$!
restarts() { grep -cF '[swapped] Restarting...' "$T/toesd.log"; }
check swap_many_restarts wait_until 20 sh -c "[ \$(grep -cF '[swapped] Restarting...' '$T/toesd.log') -ge 30 ]"
: >"$T/stop-swapping"
wait "$swapper"
check swap_never_invalid sh -c "! grep -qF '[swapped] Invalid:' '$T/toesd.log'"
check swap_not_invalid_now [ "$(field swapped state)" != invalid ]
echo "swapped: $(restarts) restarts, $(grep -cF '[swapped] Cannot read package.json' "$T/toesd.log") reads put off"
stop_toesd
done_testing
