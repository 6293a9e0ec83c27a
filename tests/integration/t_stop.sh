# Stopping (SPEC §5 startup timeout, §7 stopping and exits): the startup
# timeout is handled as a crash; an app that ignores SIGTERM is SIGKILLed
# at the stop timeout on every stopping path (toesctl stop, health failure,
# startup timeout, toesd shutdown); an app's forked children die with it;
# a main process that exits while its children live on counts as exited
# only once its group is empty. The main process is /bin/sh -c, which dies
# of SIGTERM even when the program it runs ignores it, so the exit line may
# name signal 15 although the group needed a SIGKILL.
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

check stubborn_first_run_spawned wait_until 5 has_lines "$T/stubborn.pids" 3
stubborn1=$(first_pids "$T/stubborn.pids" 3)
check stubborn_startup_timeout wait_until 5 log_has stubborn "Startup timeout, killing process..."
# It ignores SIGTERM: during the stop timeout its whole group is still there.
# shellcheck disable=SC2086
check stubborn_survives_sigterm all_alive $stubborn1
check stubborn_stopping state_is stubborn stopping
check stubborn_sigkilled_then_restart wait_until 5 log_has stubborn "Scheduling restart"
check stubborn_sigkill_at_stop_timeout in_order stubborn \
	"Startup timeout, killing process..." "Shutdown timeout, sending SIGKILL..." \
	"Killed by signal" "Scheduling restart in 0.1s (attempt 1)..."
# shellcheck disable=SC2086
check stubborn_first_run_gone none_alive $stubborn1

stop_toesd
check part1_never_pids_gone file_pids_gone "$T/never.pids"
check part1_stubborn_pids_gone file_pids_gone "$T/stubborn.pids"

# --- Part 2: toesctl stop, health failure, a lingering group, shutdown ----

rm -rf "${APPS:?}"/*
app exiter "$FIXTURE --fork 2 --ignore-term --pids $T/exiter.pids --exit-after 400 --code 3"
app quitter "$FIXTURE --fork 2 --pids $T/quitter.pids --exit-after 400 --code 4"
app stub "$FIXTURE --listen --ignore-term --fork 2 --pids $T/stub.pids"
app hf "$FIXTURE --listen --ignore-term --fork 1 --pids $T/hf.pids --status-file $T/hf.status"
app down "$FIXTURE --listen --ignore-term --fork 2 --pids $T/down.pids"
start_toesd

# exiter: its main process exits (code 3) while two children, which ignore
# SIGTERM, live on. The exit counts only once they are gone (SIGKILL at the
# stop timeout): until then the app is stopping and keeps its port.
check exiter_spawned wait_until 5 has_lines "$T/exiter.pids" 3
exiter_main=$(sed -n 1p "$T/exiter.pids")
exiter_kids=$(sed -n 2,3p "$T/exiter.pids" | tr '\n' ' ')
check exiter_main_exited wait_until 5 sh -c "! kill -0 $exiter_main 2>/dev/null"
# shellcheck disable=SC2086
check exiter_children_live_on all_alive $exiter_kids
check exiter_stopping_while_group_lives state_is exiter stopping
check exiter_keeps_port_while_group_lives [ -n "$(field exiter port)" ] && [ "$(field exiter port)" != null ]
check exiter_exit_not_counted_yet sh -c "! cat '$APPS/exiter'/logs/*.log | grep -qF 'Exited with code'"
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
sleep 0.5 # longer than the restart delay (0.1s): a restart would show
check stub_no_restart state_is stub stopped
check stub_started_once [ "$(log_count stub "Starting on port")" -eq 1 ]
check stub_no_restart_scheduled sh -c "! cat '$APPS/stub'/logs/*.log | grep -qF 'Scheduling restart'"

# hf: health failures stop it (SIGKILL at the stop timeout), then a restart.
check hf_running wait_until 5 state_is hf running
check hf_spawned wait_until 5 has_lines "$T/hf.pids" 2
hf1=$(first_pids "$T/hf.pids" 2)
hf_pid1=$(field hf pid)
echo 500 >"$T/hf.status"
check hf_too_many_failures wait_until 5 log_has hf "Too many health check failures, restarting..."
rm -f "$T/hf.status" # the next run answers 200 again
# shellcheck disable=SC2086
check hf_survives_sigterm all_alive $hf1
check hf_restart_scheduled wait_until 5 log_has hf "Scheduling restart"
check hf_sigkill_then_restart in_order hf "Health check failed (1/3)" \
	"Health check failed (3/3)" "Too many health check failures, restarting..." \
	"Shutdown timeout, sending SIGKILL..." "Killed by signal" \
	"Scheduling restart in 0.1s (attempt 1)..."
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
done_testing
