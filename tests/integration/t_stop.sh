# Stopping (SPEC §5 startup timeout, §7 stopping and exits): the startup
# timeout is handled as a crash; an app that ignores SIGTERM is SIGKILLed
# at the stop timeout on every stopping path (toesctl stop, health failure,
# startup timeout, toesd shutdown); an app's forked children die with it;
# a main process that exits while its children live on counts as exited
# only once its group is empty. The fixture is the main process itself
# (a plain command is exec'd), so an exit line names what ended it.
# What an app looks like while it is stopping is checked on apps held there
# by a gate (--gate-exit) under a stop timeout far longer than the checks,
# never inside a short stop timeout; the SIGKILL paths are checked from
# their log lines once they are over.
. tests/integration/lib.sh

# in_order NAME TEXT...: the app's log holds each TEXT on a line after the
# line of the previous one.
in_order() {
	io_app=$1
	shift
	io_from=0
	for io_text in "$@"; do
		io_line=$(cat "$APPS/$io_app"/logs/*.log 2>/dev/null |
			awk -v from="$io_from" -v t="$io_text" 'NR > from && index($0, t) { print NR; exit }')
		[ -n "$io_line" ] || return 1
		io_from=$io_line
	done
}

# has_lines FILE N: FILE holds at least N lines.
has_lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

# first_pids FILE N: the first N pids of a --pids file (one run's), on one line.
first_pids() { head -n "$2" "$1" | tr '\n' ' '; }

# file_pids_gone FILE: every pid the file lists is gone.
file_pids_gone() {
	# shellcheck disable=SC2046
	has_lines "$1" 1 && none_alive $(cat "$1")
}

lacks() { ! log_has "$1" "$2"; }

# stamp_ms NAME TEXT: the first log line of NAME holding TEXT, in ms of its UTC day.
stamp_ms() {
	cat "$APPS/$1"/logs/*.log 2>/dev/null | grep -m1 -F -- "$2" |
		sed -n 's/^\[[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9]*\)\.\([0-9]*\)Z\].*/\1 \2 \3 \4/p' |
		awk '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }'
}
# waited_at_least NAME TEXT1 TEXT2 MS: the first line with TEXT2 came MS or
# more after the first with TEXT1 (a lower bound: load cannot break it).
waited_at_least() {
	w1=$(stamp_ms "$1" "$2") w2=$(stamp_ms "$1" "$3")
	[ -n "$w1" ] && [ -n "$w2" ] && [ $(((w2 - w1 + 86400000) % 86400000)) -ge "$4" ]
}

# --- Part 1: the startup timeout, with a survival longer than it ---------

app never "$FIXTURE --fork 1 --pids $T/never.pids"
app stubborn "$FIXTURE --ignore-term --fork 2 --pids $T/stubborn.pids"
start_toesd --survival 5s --startup-timeout 500ms

check never_first_run_spawned wait_until 5 has_lines "$T/never.pids" 2
never1=$(first_pids "$T/never.pids" 2)
check never_startup_timeout_then_restart wait_until 5 log_has never "Scheduling restart"
check never_timeout_handled_as_crash in_order never "Starting on port" \
	"Startup timeout, killing process..." "Killed by signal 15" \
	"Scheduling restart in 0.1s (attempt 1)..."
# shellcheck disable=SC2086
check never_first_run_gone none_alive $never1
check never_restarted wait_until 5 in_order never "Startup timeout, killing process..." \
	"Scheduling restart in 0.1s (attempt 1)..." "Restarting..." "Starting on port"

# stubborn ignores SIGTERM: the SIGKILL comes at the stop timeout (1 s), not
# before it; the held app of Part 1b shows the state in between.
check stubborn_first_run_spawned wait_until 5 has_lines "$T/stubborn.pids" 3
stubborn1=$(first_pids "$T/stubborn.pids" 3)
check stubborn_sigkilled_then_restart wait_until 5 log_has stubborn "Scheduling restart"
check stubborn_sigkill_at_stop_timeout in_order stubborn \
	"Startup timeout, killing process..." "Shutdown timeout, sending SIGKILL..." \
	"Killed by signal" "Scheduling restart in 0.1s (attempt 1)..."
check stubborn_sigkill_not_before_stop_timeout waited_at_least stubborn \
	"Startup timeout, killing process..." "Shutdown timeout, sending SIGKILL..." 950
# shellcheck disable=SC2086
check stubborn_first_run_gone none_alive $stubborn1

stop_toesd
check part1_never_pids_gone file_pids_gone "$T/never.pids"
check part1_stubborn_pids_gone file_pids_gone "$T/stubborn.pids"

# --- Part 1b: stopping after the startup timeout, held by a gate ----------

rm -rf "${APPS:?}"/*
app held "$FIXTURE --gate-exit $T/held.gate --fork 2 --pids $T/held.pids"
start_toesd --survival 5s --startup-timeout 500ms --stop-timeout 30s

check held_spawned wait_until 5 has_lines "$T/held.pids" 3
held1=$(first_pids "$T/held.pids" 3)
check held_startup_timeout wait_until 5 log_has held "Startup timeout, killing process..."
# SIGTERM reached the group, which waits for the gate: it is all there, and
# the app is stopping with no exit counted.
# shellcheck disable=SC2086
check held_group_outlives_sigterm all_alive $held1
check held_stopping state_is held stopping
check held_no_exit_yet lacks held "Killed by signal"
: >"$T/held.gate"
check held_exit_counted wait_until 5 log_has held "Scheduling restart"
check held_sigterm_was_enough in_order held "Startup timeout, killing process..." \
	"Killed by signal 15" "Scheduling restart in 0.1s (attempt 1)..."
check held_no_sigkill lacks held "Shutdown timeout"
# shellcheck disable=SC2086
check held_first_run_gone none_alive $held1
stop_toesd
check part1b_held_pids_gone file_pids_gone "$T/held.pids"

# --- Part 2: toesctl stop, health failure, a lingering group, shutdown ----

rm -rf "${APPS:?}"/*
app exiter "$FIXTURE --fork 2 --ignore-term --pids $T/exiter.pids --exit-after 400 --code 3"
app quitter "$FIXTURE --fork 2 --pids $T/quitter.pids --exit-after 400 --code 4"
app stub "$FIXTURE --listen --ignore-term --fork 2 --pids $T/stub.pids"
: >"$T/hf.listen" # hf listens only while this gate is there
app hf "$FIXTURE --gate-listen $T/hf.listen --ignore-term --fork 1 --pids $T/hf.pids --status-file $T/hf.status"
app down "$FIXTURE --listen --ignore-term --fork 2 --pids $T/down.pids"
start_toesd

# exiter: its main process exits (code 3) while two children, which ignore
# SIGTERM, live on. The exit counts only once they are gone (SIGKILL at the
# stop timeout); Part 3's linger shows the app while they live.
check exiter_spawned wait_until 5 has_lines "$T/exiter.pids" 3
exiter_kids=$(sed -n 2,3p "$T/exiter.pids" | tr '\n' ' ')
check exiter_exit_counted wait_until 5 log_has exiter "Scheduling restart"
check exiter_children_killed_then_exit in_order exiter "Starting on port" \
	"Shutdown timeout, sending SIGKILL..." "Exited with code 3" \
	"Scheduling restart in 0.1s (attempt 1)..."
# shellcheck disable=SC2086
check exiter_children_gone none_alive $exiter_kids

# quitter: the same with children that obey SIGTERM: no SIGKILL is needed.
check quitter_spawned wait_until 5 has_lines "$T/quitter.pids" 3
quitter1=$(first_pids "$T/quitter.pids" 3)
check quitter_exit_counted wait_until 5 log_has quitter "Scheduling restart"
check quitter_exit_then_restart in_order quitter "Starting on port" \
	"Exited with code 4" "Scheduling restart in 0.1s (attempt 1)..."
check quitter_no_sigkill_needed in_order quitter "Starting on port" "Exited with code 4"
check quitter_no_sigkill_line sh -c "! cat '$APPS/quitter'/logs/*.log | grep -qF 'Shutdown timeout'"
# shellcheck disable=SC2086
check quitter_first_run_gone none_alive $quitter1
check quitter_restarted wait_until 5 in_order quitter "Exited with code 4" "Restarting..." "Starting on port"
ctl stop exiter >/dev/null 2>&1
ctl stop quitter >/dev/null 2>&1

# stub: toesctl stop answers only once the group is gone (after SIGKILL).
check stub_running wait_until 5 state_is stub running
check stub_spawned wait_until 5 has_lines "$T/stub.pids" 3
stub_out=$(ctl stop stub 2>&1)
stub_rc=$?
check stub_stop_exit_0 [ "$stub_rc" -eq 0 ]
check stub_stop_answer [ "$stub_out" = "stopped stub" ]
check stub_stop_answered_after_sigkill in_order stub "Stopping..." "Shutdown timeout, sending SIGKILL..." "Killed by signal"
check stub_group_gone_at_answer file_pids_gone "$T/stub.pids"
check stub_state_stopped state_is stub stopped
check stub_pid_null [ "$(field stub pid)" = null ]
sleep 0.5 # five times the restart delay (0.1s): a restart would show
check stub_no_restart state_is stub stopped
check stub_started_once [ "$(log_count stub "Starting on port")" -eq 1 ]
check stub_no_restart_scheduled sh -c "! cat '$APPS/stub'/logs/*.log | grep -qF 'Scheduling restart'"

# hf: health failures stop it (SIGKILL at the stop timeout), then a restart.
check hf_running wait_until 5 state_is hf running
check hf_spawned wait_until 5 has_lines "$T/hf.pids" 2
hf1=$(first_pids "$T/hf.pids" 2)
hf_pid1=$(field hf pid)
# The next run does not listen before /ok is mended.
rm -f "$T/hf.listen"
echo 500 >"$T/hf.status"
check hf_too_many_failures wait_until 5 log_has hf "Too many health check failures, restarting..."
rm -f "$T/hf.status" # the next run answers 200 again
: >"$T/hf.listen"
check hf_restart_scheduled wait_until 5 log_has hf "Scheduling restart"
check hf_sigkill_then_restart in_order hf "Health check failed (1/3)" \
	"Health check failed (3/3)" "Too many health check failures, restarting..." \
	"Shutdown timeout, sending SIGKILL..." "Killed by signal" \
	"Scheduling restart in 0.1s (attempt 1)..."
check hf_sigkill_not_before_stop_timeout waited_at_least hf \
	"Too many health check failures, restarting..." "Shutdown timeout, sending SIGKILL..." 950
# shellcheck disable=SC2086
check hf_first_run_gone none_alive $hf1
check hf_running_again wait_until 5 in_order hf "Scheduling restart in 0.1s (attempt 1)..." "Restarting..." "Starting on port"
check hf_running_state wait_until 5 state_is hf running
check hf_new_pid [ "$(field hf pid)" != "$hf_pid1" ] && [ "$(field hf pid)" != null ]

# down: still running when toesd stops: SIGKILL at the stop timeout, exit 1.
check down_running state_is down running
check down_spawned wait_until 5 has_lines "$T/down.pids" 3
stop_toesd
check shutdown_exit_1_after_sigkill [ "$TOESD_RC" -eq 1 ]
check down_sigkilled_at_shutdown in_order down "Shutdown timeout, sending SIGKILL..." "Killed by signal"
check down_pids_gone file_pids_gone "$T/down.pids"
check stub_pids_gone file_pids_gone "$T/stub.pids"
check hf_pids_gone file_pids_gone "$T/hf.pids"
check exiter_pids_gone file_pids_gone "$T/exiter.pids"
check quitter_pids_gone file_pids_gone "$T/quitter.pids"

# --- Part 3: stopping apps held by a gate, a 30 s stop timeout -----------
# linger's main process exits (--exit-on) while its children wait for their
# gate; hfg fails its health checks; stopg gets a toesctl stop. Each group
# is held until its gate opens, so the checks in between have all the time
# they need; no SIGKILL comes.

rm -rf "${APPS:?}"/*
app linger "$FIXTURE --fork 2 --gate-exit $T/linger.gate --pids $T/linger.pids --exit-on $T/linger.exit --code 3"
app hfg "$FIXTURE --listen --gate-exit $T/hfg.gate --fork 1 --pids $T/hfg.pids --status-file $T/hfg.status"
app stopg "$FIXTURE --listen --gate-exit $T/stopg.gate --fork 2 --pids $T/stopg.pids"
start_toesd --stop-timeout 30s

# linger: the exit counts only once the group is empty.
check linger_spawned wait_until 5 has_lines "$T/linger.pids" 3
linger_main=$(sed -n 1p "$T/linger.pids")
linger_kids=$(sed -n 2,3p "$T/linger.pids" | tr '\n' ' ')
check linger_running wait_until 5 state_is linger running
linger_port=$(field linger port)
: >"$T/linger.exit"
check linger_main_exited wait_until 5 sh -c "! kill -0 $linger_main 2>/dev/null"
# shellcheck disable=SC2086
check linger_children_live_on all_alive $linger_kids
check linger_stopping_while_group_lives state_is linger stopping
check linger_keeps_port_while_group_lives [ "$(field linger port)" = "$linger_port" ]
check linger_exit_not_counted_yet lacks linger "Exited with code"
check linger_no_restart_yet lacks linger "Scheduling restart"
: >"$T/linger.gate"
check linger_exit_counted wait_until 5 log_has linger "Scheduling restart"
check linger_exit_after_group in_order linger "Starting on port" \
	"Exited with code 3" "Scheduling restart in 0.1s (attempt 1)..."
check linger_no_sigkill lacks linger "Shutdown timeout"
# shellcheck disable=SC2086
check linger_children_gone none_alive $linger_kids
check linger_restarted wait_until 5 in_order linger "Exited with code 3" "Restarting..." "Starting on port"

# hfg: stopped for its health; the group outlives the SIGTERM while held.
check hfg_running wait_until 5 state_is hfg running
check hfg_spawned wait_until 5 has_lines "$T/hfg.pids" 2
hfg1=$(first_pids "$T/hfg.pids" 2)
echo 500 >"$T/hfg.status"
check hfg_too_many_failures wait_until 5 log_has hfg "Too many health check failures, restarting..."
rm -f "$T/hfg.status" # the next run answers 200 again
# shellcheck disable=SC2086
check hfg_group_outlives_sigterm all_alive $hfg1
check hfg_stopping state_is hfg stopping
check hfg_no_exit_yet lacks hfg "Killed by signal"
: >"$T/hfg.gate"
check hfg_restart_scheduled wait_until 5 log_has hfg "Scheduling restart"
check hfg_sigterm_then_restart in_order hfg "Too many health check failures, restarting..." \
	"Killed by signal 15" "Scheduling restart in 0.1s (attempt 1)..."
check hfg_no_sigkill lacks hfg "Shutdown timeout"
# shellcheck disable=SC2086
check hfg_first_run_gone none_alive $hfg1
check hfg_running_again wait_until 5 in_order hfg "Scheduling restart in 0.1s (attempt 1)..." "Restarting..." "Starting on port"

# stopg: toesctl stop has not answered while the group lives.
check stopg_running wait_until 5 state_is stopg running
check stopg_spawned wait_until 5 has_lines "$T/stopg.pids" 3
ctl stop stopg >"$T/stopg.out" 2>&1 &
STOPPER=$!
check stopg_stopping wait_until 5 state_is stopg stopping
# shellcheck disable=SC2046
check stopg_group_outlives_sigterm all_alive $(cat "$T/stopg.pids")
check stopg_no_answer_while_group_lives alive "$STOPPER"
: >"$T/stopg.gate"
wait "$STOPPER"
check stopg_stop_exit_0 [ $? -eq 0 ]
check stopg_stop_answer [ "$(cat "$T/stopg.out")" = "stopped stopg" ]
check stopg_group_gone_at_answer file_pids_gone "$T/stopg.pids"
check stopg_sigterm_was_enough in_order stopg "Stopping..." "Killed by signal 15"
check stopg_no_sigkill lacks stopg "Shutdown timeout"
check stopg_state_stopped state_is stopg stopped

# Every gate is open: the shutdown needs no SIGKILL.
stop_toesd
check part3_shutdown_exit_0 [ "$TOESD_RC" -eq 0 ]
check linger_pids_gone file_pids_gone "$T/linger.pids"
check hfg_pids_gone file_pids_gone "$T/hfg.pids"
check stopg_pids_gone file_pids_gone "$T/stopg.pids"
done_testing
