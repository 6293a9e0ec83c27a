# Descriptors are budgeted (issue 10, item 3; SPEC §8): thousands of silent
# control connections never starve toesd of descriptors, so its HTTP app
# keeps passing its health checks, and toesctl still gets in (the
# connection that waited longest without a request is closed for it).
. tests/integration/lib.sh
IDLE=$BUILD/fixtures/idleconns
SOCK=$T/toes/toesd.sock

fd_count() { ls "/proc/$1/fd" | wc -l; }

app web "$FIXTURE --listen"
start_toesd --health-interval 100ms
# A low limit, so the connections would use every descriptor toesd has.
if command -v prlimit >/dev/null 2>&1; then
	prlimit --pid "$TOESD_PID" --nofile=256:256
else
	skip low_fd_limit "prlimit (util-linux) is not installed"
fi
check web_running wait_until 5 state_is web running
base=$(fd_count "$TOESD_PID")

"$IDLE" "$SOCK" 2000 "$T/idle.report" 2>"$T/idle.err" &
idle=$!
check idle_all_opened wait_until 60 test -s "$T/idle.report"
check idle_no_error [ ! -s "$T/idle.err" ]
closed=$(sed -n 's/^closed_by_server //p' "$T/idle.report")
check "idle_evicted_${closed}" [ "${closed:-0}" -ge 1800 ]
now=$(fd_count "$TOESD_PID")
check "toesd_fds_capped_${base}_to_${now}" [ "$now" -le $((base + 64)) ]
# toesctl gets in while the silent ones hold their places.
check status_answers ctl status web
check web_still_running state_is web running
# A few health intervals with the connections held: no check failed.
# (Nothing to wait on: a window in which nothing may fail, ten intervals.)
sleep 1
check no_failed_check sh -c "! grep -qF 'Health check failed' '$T/toesd.log'"
check no_evict_storm_of_the_app sh -c "! grep -qF 'Stopping' '$T/toesd.log'"
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null

# Near the limit: the connections stop short of the descriptors kept for
# the apps, so a restart still gets its pipes and the probes their sockets.
if command -v prlimit >/dev/null 2>&1; then
	wait_until 5 sh -c "[ \$(ls /proc/$TOESD_PID/fd | wc -l) -le $((base + 2)) ]"
	prlimit --pid "$TOESD_PID" --nofile=$(($(fd_count "$TOESD_PID") + 40)):
	rm -f "$T/idle.report"
	"$IDLE" "$SOCK" 500 "$T/idle.report" 2>"$T/idle.err" &
	idle=$!
	check low_all_opened wait_until 30 test -s "$T/idle.report"
	check low_status_answers ctl status web
	out=$(ctl restart web 2>&1)
	check low_restart_works sh -c "printf %s \"\$1\" | grep -q \"^restarted web\"" _ "$out"
	check low_web_running wait_until 5 state_is web running
	check low_no_failed_check sh -c "! grep -qF 'Health check failed' '$T/toesd.log'"
	kill "$idle" 2>/dev/null
	wait "$idle" 2>/dev/null

	# No descriptor left at all: a probe without a socket is skipped, not
	# failed (three failures would have killed a healthy app).
	wait_until 5 sh -c "[ \$(ls /proc/$TOESD_PID/fd | wc -l) -le $((base + 2)) ]"
	n=0
	while [ -e "/proc/$TOESD_PID/fd/$n" ]; do n=$((n + 1)); done
	prlimit --pid "$TOESD_PID" --nofile="$n":
	check probe_skipped wait_until 5 grep -qF "[web] Health check skipped: cannot open a socket: Too many open files" "$T/toesd.log"
	# (A window of ten intervals in which no check may fail.)
	sleep 1
	check probe_skipped_said_once [ "$(grep -cF 'Health check skipped' "$T/toesd.log")" -eq 1 ]
	prlimit --pid "$TOESD_PID" --nofile=256:
	check emfile_no_failed_check sh -c "! grep -qF 'Health check failed' '$T/toesd.log'"
	check emfile_web_running wait_until 5 state_is web running
fi
stop_toesd

# 64 requests all waiting for an answer (stops held by a gate): the 65th
# connection is told busy at once, none of the 64 is dropped.
rm -rf "${APPS:?}"/*
app held "$FIXTURE --gate-exit $T/gate"
start_toesd --stop-timeout 60s
check held_running wait_until 5 state_is held running
i=0 stoppers=
while [ "$i" -lt 64 ]; do
	ctl stop held >"$T/stop.$i" 2>&1 &
	stoppers="$stoppers $!"
	i=$((i + 1))
done
waiting() { [ "$(ls /proc/"$TOESD_PID"/fd | wc -l)" -ge "$1" ]; }
check held_64_waiting wait_until 10 waiting $((base + 64))
out=$(ctl status held 2>&1)
check busy_answer sh -c "printf '%s' \"\$1\" | grep -qF 'busy: 64 requests are in progress; try again'" _ "$out"
: >"$T/gate"
# shellcheck disable=SC2086
wait $stoppers
answered=$(cat "$T"/stop.* | grep -c '^stopped held')
check "all_64_answered_${answered}" [ "$answered" -eq 64 ]
stop_toesd
done_testing
