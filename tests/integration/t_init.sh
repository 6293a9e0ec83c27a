# The init files of scripts/init/ (SPEC §11, issue 14 item 5), each run for
# real where this machine has its init system's tools: SysV with dpkg's
# start-stop-daemon (--daemon, and --notify-await where dpkg has it), the
# same script on BusyBox (its sh and its start-stop-daemon applet), OpenRC
# (openrc-run in a private mount namespace, so /run/openrc is the test's),
# runit (runsv, sv, the check script, svlogd) and s6 (s6-supervise,
# --ready-fd 3). Each shows: the start returns with toesd ready (its socket
# answers, the app was started) and the app then runs; a reload through
# the init system (SIGHUP) rescans the apps folder, toesd and the app
# untouched; the stop returns within the 20 s budget with toesd and every
# app gone. systemd and procd cannot run here: their files are checked
# statically (systemd-analyze verify; sh -n), and their commands are run
# as the init system would (ExecStart under NOTIFY_SOCKET, ExecReload,
# SIGTERM; procd's command, HUP, SIGTERM). Each shipped file is copied
# with only its paths pointed into $T (the binaries of this build); a
# missing tool is a named SKIP (scripts/install-test-tools.sh installs
# them).
. tests/integration/lib.sh

INIT=$(pwd)/scripts/init
# The test's ports and short timings, on top of each file's own flags.
OPTS=$(printf '%s' "--ports $PORT_BASE-$((PORT_BASE + 19)) $FAST" | tr '\n' ' ')
BUDGET_MS=20000
have() { command -v "$1" >/dev/null 2>&1; }
now_ms() { date +%s%3N; }

# Whatever a failed check left: the supervisors first (they would start
# toesd again), then every toesd of the test (a --daemon one works in /,
# out of kill_leftovers' sight); finish then kills the apps.
cleanup() {
	for f in "$T"/*/supervisor.pid "$T"/*/run/toesd.pid; do
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
}
trap 'cleanup; finish' EXIT

# setup SYS: the folder $D of one init system, with its apps folder (the
# app web), its run folder $RUN and a folder for logs.
setup() {
	SYS=$1
	D=$T/$1
	APPS=$D/apps
	RUN=$D/run
	mkdir -p "$APPS" "$D/log"
	app web "$FIXTURE --listen"
	TPID='' WPID='' W2PID=''
}
dctl() { "$TOESCTL" --data-dir "$D" --run-dir "$RUN" "$@"; }
dfield() {
	dctl status "$1" --json 2>/dev/null |
		sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}
dstate_is() { [ "$(dfield "$1" state)" = "$2" ]; }
answers() { dctl status >/dev/null 2>&1; }
# The pid in toesd's lock file (truncated when it exits).
toesd_pid() { cat "$RUN/toesd.pid" 2>/dev/null; }

# localize SRC DST [MODE]: the shipped file with its paths pointed into $D.
localize() {
	sed -e "s|/usr/sbin/toesd|$TOESD|g" -e "s|/usr/bin/toesctl|$TOESCTL|g" \
		-e "s|/etc/default/toesd|$D/default|g" -e "s|/var/log/toesd|$D/log/toesd|g" \
		-e "s|/srv/toes|$D|g" -e "s|/var/run/toesd|$RUN|g" -e "s|/run/toesd|$RUN|g" \
		"$1" >"$2" && chmod "${3:-755}" "$2"
}

# timed VAR COMMAND...: run it; VAR_rc its exit, VAR_ms how long it took.
timed() {
	tm_var=$1
	shift
	tm_start=$(now_ms)
	"$@"
	tm_rc=$?
	eval "${tm_var}_rc=$tm_rc ${tm_var}_ms=$(($(now_ms) - tm_start))"
}

# started RC: the start returned 0 with toesd ready at once (the socket
# answers, web was started), and web then runs.
started() {
	check "${SYS}_start_exit_0" [ "$1" -eq 0 ]
	check "${SYS}_ready_when_start_returns" answers
	check "${SYS}_app_started_when_ready" [ -n "$(dfield web pid)" ]
	check "${SYS}_app_running" wait_until 5 dstate_is web running
	TPID=$(toesd_pid)
	WPID=$(dfield web pid)
	check "${SYS}_toesd_alive" all_alive $TPID
	app web2 "$FIXTURE --listen" # no current: only a rescan makes it an app
}

# reloaded RC: the reload returned 0; the rescan found web2; toesd and web
# kept their processes.
reloaded() {
	check "${SYS}_reload_exit_0" [ "$1" -eq 0 ]
	check "${SYS}_reload_adds_app" wait_until 5 dstate_is web2 running
	check "${SYS}_reload_keeps_toesd" [ "$(toesd_pid)" = "$TPID" ]
	check "${SYS}_reload_keeps_app" [ "$(dfield web pid)" = "$WPID" ]
	W2PID=$(dfield web2 pid)
}

# stopped RC MS: the stop returned 0 within the budget; toesd and both
# apps are gone.
stopped() {
	check "${SYS}_stop_exit_0" [ "$1" -eq 0 ]
	check "${SYS}_stop_within_budget" [ "$2" -lt "$BUDGET_MS" ]
	check "${SYS}_toesd_gone" wait_until 2 all_exited $TPID
	check "${SYS}_apps_gone" wait_until 2 all_exited $WPID $W2PID
}

# exited PID: the process has ended (gone, or a zombie not yet reaped).
exited() {
	ex_state=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -z "$ex_state" ] || [ "$ex_state" = Z ]
}

# all_exited PID...: each has ended. A zombie counts: a --daemon toesd's
# parent is PID 1, which here may reap late (a real init reaps at once).
all_exited() {
	[ "$#" -gt 0 ] || return 1
	for ae_pid in "$@"; do
		exited "$ae_pid" || return 1
	done
}

# between N LO HI: LO <= N < HI.
between() { [ "$1" -ge "$2" ] && [ "$1" -lt "$3" ]; }

# new_toesd: another toesd than $TPID answers.
new_toesd() {
	nt_pid=$(toesd_pid)
	[ -n "$nt_pid" ] && [ "$nt_pid" != "$TPID" ] && answers
}

# own_log FILE: toesd's own log went there, SIGHUP and SIGTERM included.
own_log() {
	check "${SYS}_own_log" grep -q '\[toesd\] toesd .* apps in ' "$1"
	check "${SYS}_own_log_reload" grep -q 'received SIGHUP' "$1"
	check "${SYS}_own_log_stop" grep -q 'every app stopped' "$1"
}

# --- static: every file ------------------------------------------------------

for f in sysv/toesd openrc/toesd runit/run runit/check runit/log/run s6/run s6/log/run procd/toesd; do
	check "syntax_sh_$(echo "$f" | tr / _)" sh -n "$INIT/$f"
	if have busybox; then
		check "syntax_ash_$(echo "$f" | tr / _)" busybox sh -n "$INIT/$f"
	fi
done
have busybox || skip syntax_ash "busybox not installed (scripts/install-test-tools.sh)"
check syntax_install_test_tools sh -n scripts/install-test-tools.sh
# The shipped defaults: the binary, the data folder, the run folder.
for f in sysv/toesd openrc/toesd systemd/toesd.service runit/run s6/run procd/toesd; do
	n=$(echo "$f" | tr /. __)
	check "defaults_${n}_binary" grep -q '/usr/sbin/toesd' "$INIT/$f"
	check "defaults_${n}_data_dir" grep -q '/srv/toes\b' "$INIT/$f"
	check "defaults_${n}_run_dir" grep -q '/run/toesd\b' "$INIT/$f"
	check "defaults_${n}_says_where" grep -qi '^# .*copy' "$INIT/$f"
done
check defaults_runit_check_toesctl grep -q '/usr/bin/toesctl' "$INIT/runit/check"
# Each gives toesd at least 20 s after SIGTERM before SIGKILL.
num() { sed -n "s|$1|\1|p" "$2" | head -n 1; }
check budget_sysv [ "$(num '^STOP_WAIT=\([0-9]*\).*' "$INIT/sysv/toesd")" -ge 20 ]
check budget_openrc [ "$(num '.*toesd_retry:-TERM/\([0-9]*\)/KILL.*' "$INIT/openrc/toesd")" -ge 20 ]
check budget_systemd [ "$(num '^TimeoutStopSec=\([0-9]*\)$' "$INIT/systemd/toesd.service")" -ge 20 ]
check budget_s6 [ "$(cat "$INIT/s6/timeout-kill")" -ge 20000 ]
check budget_procd [ "$(num '.*term_timeout \([0-9]*\)$' "$INIT/procd/toesd")" -ge 20 ]
check budget_runit_says_sv_w grep -q 'sv -w 30 stop' "$INIT/runit/run"
check s6_notification_fd [ "$(cat "$INIT/s6/notification-fd")" = 3 ]
check s6_ready_fd_3 grep -q -- '--ready-fd 3' "$INIT/s6/run"
check runit_exec_2to1 grep -q '^exec /usr/sbin/toesd .*2>&1$' "$INIT/runit/run"
check procd_use_procd grep -qx 'USE_PROCD=1' "$INIT/procd/toesd"
check procd_rc_common [ "$(head -n 1 "$INIT/procd/toesd")" = '#!/bin/sh /etc/rc.common' ]
UNIT=$INIT/systemd/toesd.service
for key in 'Type=notify' 'KillMode=mixed' 'ExecReload=/bin/kill -HUP $MAINPID' \
	'RuntimeDirectory=toesd' 'WantedBy=multi-user.target'; do
	check "systemd_has_$(echo "$key" | sed 's/[^A-Za-z]/_/g')" grep -qxF "$key" "$UNIT"
done
check systemd_execstart grep -qx 'ExecStart=/usr/sbin/toesd --data-dir /srv/toes --run-dir /run/toesd' "$UNIT"

# --- SysV with dpkg's start-stop-daemon --------------------------------------

# sysv_default MORE: the settings file the script reads, into $D.
sysv_default() {
	cat >"$D/default" <<EOF
DATA_DIR=$D
RUN_DIR=$RUN
PIDFILE=$D/toesd.pidfile
LOG_FILE=$D/log/toesd.log
TOESD_ARGS="$OPTS"
$1
EOF
}

# sysv_run SHELL: start, status, reload, stop, status with the script.
sysv_run() {
	localize "$INIT/sysv/toesd" "$D/toesd"
	timed start $1 "$D/toesd" start >"$D/start.out" 2>&1
	started "$start_rc"
	check "${SYS}_says_started" grep -q "^toesd started (pid $TPID)$" "$D/start.out"
	check "${SYS}_pidfile" [ "$(cat "$D/toesd.pidfile" 2>/dev/null)" = "$TPID" ]
	$1 "$D/toesd" status >"$D/status.out" 2>&1
	check "${SYS}_status_running" [ $? -eq 0 ]
	$1 "$D/toesd" start >"$D/again.out" 2>&1
	check "${SYS}_start_again_exit_0" [ $? -eq 0 ]
	check "${SYS}_start_again_says" grep -q "already running (pid $TPID)" "$D/again.out"
	$1 "$D/toesd" reload >"$D/reload.out" 2>&1
	reloaded $?
	timed stop $1 "$D/toesd" stop >"$D/stop.out" 2>&1
	stopped "$stop_rc" "$stop_ms"
	check "${SYS}_pidfile_removed" [ ! -e "$D/toesd.pidfile" ]
	$1 "$D/toesd" status >"$D/status.out" 2>&1
	check "${SYS}_status_stopped_exit_3" [ $? -eq 3 ]
	own_log "$D/log/toesd.log"
}

if have start-stop-daemon && start-stop-daemon --version 2>/dev/null | grep -q "^start-stop-daemon [0-9]"; then
	setup sysv
	sysv_default ""
	sysv_run sh
	# A start that fails says why: a second toesd on the same run folder
	# (another pid file, so the script's own check lets it try).
	"$D/toesd" start >"$D/start.out" 2>&1
	check sysv_start_after_stop [ $? -eq 0 ]
	# restart: a new toesd, ready when restart returns.
	TPID=$(toesd_pid)
	"$D/toesd" restart >"$D/restart.out" 2>&1
	check sysv_restart_exit_0 [ $? -eq 0 ]
	check sysv_restart_new_toesd new_toesd
	TPID=$(toesd_pid)
	sed "s|^PIDFILE=.*|PIDFILE=$D/other.pid|" "$D/default" >"$D/default.other"
	sed "s|$D/default|$D/default.other|g" "$D/toesd" >"$D/toesd.other"
	sh "$D/toesd.other" start >"$D/fail.out" 2>&1
	check sysv_failed_start_exit_1 [ $? -eq 1 ]
	check sysv_failed_start_says_why grep -qF "toesd: already running (pid $TPID)" "$D/fail.out"
	# A slow stop: an app that ignores SIGTERM takes toesd its stop timeout
	# (1 s here) and a SIGKILL; the script waits for toesd, never kills it.
	app slow "$FIXTURE --listen --ignore-term"
	"$D/toesd" reload >/dev/null 2>&1
	check sysv_slow_app_running wait_until 5 dstate_is slow running
	timed stop "$D/toesd" stop >"$D/stop.out" 2>&1
	check sysv_slow_stop_exit_0 [ "$stop_rc" -eq 0 ]
	check sysv_slow_stop_waited [ "$stop_ms" -ge 900 ]
	check sysv_slow_stop_toesd_exited grep -q 'every app stopped (some needed SIGKILL); exiting' "$D/log/toesd.log"
	check sysv_slow_stop_no_sigkill_of_toesd sh -c "! grep -q SIGKILL '$D/stop.out'"
	# STOP_WAIT is the script's own limit: past it, toesd is killed (here
	# 1 s, toesd waiting 4 s for the slow app).
	sysv_default "STOP_WAIT=1
TOESD_ARGS=\"$OPTS --stop-timeout 4s\""
	"$D/toesd" start >"$D/start.out" 2>&1
	check sysv_kill_start [ $? -eq 0 ]
	check sysv_kill_app_running wait_until 5 dstate_is slow running
	TPID=$(toesd_pid)
	SLOW=$(dfield slow pid)
	timed stop "$D/toesd" stop >"$D/stop.out" 2>&1
	check sysv_kill_stop_exit_1 [ "$stop_rc" -eq 1 ]
	check sysv_kill_says grep -q 'did not stop within 1s: SIGKILL' "$D/stop.out"
	check sysv_kill_after_stop_wait between "$stop_ms" 900 3500
	check sysv_kill_toesd_gone wait_until 2 all_exited $TPID
	kill -KILL $SLOW 2>/dev/null # the next toesd would stop it; none comes
else
	skip sysv_dpkg "dpkg's start-stop-daemon not found (Debian's dpkg package has it)"
fi

# --- SysV with dpkg's start-stop-daemon --notify-await -----------------------

if have start-stop-daemon && start-stop-daemon --help 2>&1 | grep -q -- --notify-await; then
	setup sysv_notify
	sysv_default "NOTIFY_AWAIT=yes"
	sysv_run sh
else
	skip sysv_notify_await "no start-stop-daemon with --notify-await (newer dpkg has it)"
fi

# --- BusyBox: its sh, its start-stop-daemon ----------------------------------

if have busybox && busybox start-stop-daemon --help >/dev/null 2>&1; then
	setup sysv_busybox
	mkdir -p "$D/bin"
	busybox --install -s "$D/bin"
	sysv_default ""
	check busybox_start_stop_daemon_applet sh -c "readlink '$D/bin/start-stop-daemon' | grep -q 'busybox\$'"
	# Every command the script runs is BusyBox's.
	sysv_run "env PATH=$D/bin:$PATH busybox sh"
else
	skip sysv_busybox "busybox (with its start-stop-daemon applet) not installed (scripts/install-test-tools.sh)"
fi

# --- OpenRC ------------------------------------------------------------------

# openrc_unusable: why OpenRC cannot be run here, or nothing.
openrc_unusable() {
	if ! have openrc-run; then
		echo "openrc-run not installed (scripts/install-test-tools.sh)"
	elif ! have unshare || ! have nsenter; then
		echo "needs unshare and nsenter (util-linux) for a private /run/openrc"
	elif [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
		echo "needs root (unshare -m) for a private /run/openrc"
	fi
}
why=$(openrc_unusable)
if [ -z "$why" ]; then
	setup openrc
	mkdir -p "$D/init.d" "$D/conf.d"
	localize "$INIT/openrc/toesd" "$D/init.d/toesd"
	cat >"$D/conf.d/toesd" <<EOF
toesd_data_dir=$D
toesd_run_dir=$RUN
toesd_log=$D/log/toesd.log
toesd_pidfile=$D/toesd.pidfile
toesd_args="$OPTS"
EOF
	# OpenRC keeps its state in /run/openrc and runs only where it booted
	# (/run/openrc/softlevel): a private /run, in a mount namespace held
	# by a sleep, is the test's own.
	(cd "$D" && exec unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs /run && mkdir -p /run/openrc && cd /run/openrc &&
		mkdir daemons exclusive failed hotplugged inactive options scheduled \
			started starting stopping tmp wasinactive && touch softlevel &&
		exec sleep 120') </dev/null >"$D/holder.out" 2>&1 &
	echo $! >"$D/supervisor.pid"
	HOLDER=$!
	rc_svc() { nsenter -t "$HOLDER" -m -- "$D/init.d/toesd" "$@"; }
	check openrc_namespace wait_until 5 nsenter -t "$HOLDER" -m -- test -e /run/openrc/softlevel
	timed start rc_svc start >"$D/start.out" 2>&1
	started "$start_rc"
	rc_svc status >"$D/status.out" 2>&1
	check openrc_status_started grep -q 'status: started' "$D/status.out"
	rc_svc reload >"$D/reload.out" 2>&1
	reloaded $?
	timed stop rc_svc stop >"$D/stop.out" 2>&1
	stopped "$stop_rc" "$stop_ms"
	rc_svc status >"$D/status.out" 2>&1
	check openrc_status_stopped grep -q 'status: stopped' "$D/status.out"
	own_log "$D/log/toesd.log"
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
else
	skip openrc "$why"
fi

# --- runit -------------------------------------------------------------------

if have runsv && have sv && have svlogd; then
	setup runit
	cp -R "$INIT/runit" "$D/sv"
	for f in run check log/run; do
		localize "$INIT/runit/$f" "$D/sv/$f"
	done
	printf 'DATA_DIR=%s\nRUN_DIR=%s\nOPTS="%s"\n' "$D" "$RUN" "$OPTS" >"$D/sv/conf"
	: >"$D/sv/down" # started by sv start, not by runsv itself
	(cd "$D" && exec runsv "$D/sv") </dev/null >"$D/runsv.out" 2>&1 &
	echo $! >"$D/supervisor.pid"
	SUP=$!
	check runit_runsv_up wait_until 5 test -p "$D/sv/supervise/control"
	timed start sv -w 10 start "$D/sv" >"$D/start.out" 2>&1
	started "$start_rc"
	sv hup "$D/sv" >"$D/reload.out" 2>&1
	reloaded $?
	timed stop sv -w 30 stop "$D/sv" >"$D/stop.out" 2>&1
	stopped "$stop_rc" "$stop_ms"
	check runit_says_down grep -q '^ok: down: ' "$D/stop.out"
	sv exit "$D/sv" >/dev/null 2>&1
	check runit_runsv_exits wait_until 5 none_alive "$SUP"
	own_log "$D/log/toesd/current"
else
	skip runit "runsv, sv or svlogd not installed (scripts/install-test-tools.sh)"
fi

# --- s6 ----------------------------------------------------------------------

if have s6-supervise && have s6-svc && have s6-svwait; then
	setup s6
	mkdir -p "$D/sv"
	localize "$INIT/s6/run" "$D/sv/run"
	cp "$INIT/s6/notification-fd" "$INIT/s6/timeout-kill" "$D/sv/"
	printf 'DATA_DIR=%s\nRUN_DIR=%s\nOPTS="%s"\n' "$D" "$RUN" "$OPTS" >"$D/sv/conf"
	: >"$D/sv/down"
	# s6-supervise alone (s6-svscan would pipe the output to log/run).
	(cd "$D" && exec s6-supervise "$D/sv") </dev/null >"$D/log/toesd.log" 2>&1 &
	echo $! >"$D/supervisor.pid"
	SUP=$!
	check s6_supervise_up wait_until 5 test -p "$D/sv/supervise/control"
	timed start sh -c "s6-svc -u '$D/sv' && s6-svwait -U -t 10000 '$D/sv'" >"$D/start.out" 2>&1
	started "$start_rc"
	s6-svc -h "$D/sv" >"$D/reload.out" 2>&1
	reloaded $?
	timed stop sh -c "s6-svc -d '$D/sv' && s6-svwait -D -t 30000 '$D/sv'" >"$D/stop.out" 2>&1
	stopped "$stop_rc" "$stop_ms"
	s6-svc -x "$D/sv" >/dev/null 2>&1
	check s6_supervise_exits wait_until 5 none_alive "$SUP"
	own_log "$D/log/toesd.log"
else
	skip s6 "s6-supervise, s6-svc or s6-svwait not installed (scripts/install-test-tools.sh)"
fi

# --- systemd: static, then its commands as systemd runs them ------------------

skip systemd_live "systemd is not PID 1 here"
setup systemd
localize "$UNIT" "$D/toesd.service" 644
if have systemd-analyze; then
	# --man=no: the manual pages are where make install puts them, not here.
	systemd-analyze verify --man=no "$D/toesd.service" >"$D/verify.out" 2>&1
	check systemd_analyze_verify_exit_0 [ $? -eq 0 ]
	check systemd_analyze_verify_quiet [ ! -s "$D/verify.out" ]
	if [ -s "$D/verify.out" ]; then sed 's/^/verify: /' "$D/verify.out"; fi
else
	skip systemd_analyze_verify "systemd-analyze not installed (the keys were checked by grep)"
fi
# Type=notify: ExecStart under a NOTIFY_SOCKET; ExecReload with $MAINPID;
# the stop (KillMode=mixed) is SIGTERM to the main process.
NOTIFYRECV=$BUILD/fixtures/notifyrecv
"$NOTIFYRECV" "$D/notify.sock" "$D/notify.out" &
RECV=$!
echo "$RECV" >"$D/supervisor.pid"
check systemd_notify_bound wait_until 5 test -e "$D/notify.out.bound"
set -- $(sed -n 's/^ExecStart=//p' "$D/toesd.service")
NOTIFY_SOCKET=$D/notify.sock "$@" $OPTS >"$D/log/toesd.log" 2>&1 &
MAINPID=$!
check systemd_ready_notified wait_until 5 grep -qx 'READY=1' "$D/notify.out"
started 0
check systemd_mainpid_is_toesd [ "$MAINPID" = "$TPID" ]
reload_cmd=$(sed -n 's/^ExecReload=//p' "$D/toesd.service" | sed "s/\$MAINPID/$MAINPID/")
$reload_cmd
reloaded $?
check systemd_reloading_notified grep -qx 'RELOADING=1' "$D/notify.out"
stop_start=$(now_ms)
kill -TERM "$MAINPID"
wait_until 25 exited "$MAINPID" || kill -KILL "$MAINPID"
wait "$MAINPID"
check systemd_exit_0 [ $? -eq 0 ]
stopped 0 $(($(now_ms) - stop_start))
check systemd_stopping_notified grep -qx 'STOPPING=1' "$D/notify.out"
own_log "$D/log/toesd.log"
kill "$RECV" 2>/dev/null
wait "$RECV" 2>/dev/null

# --- OpenWrt procd: its start_service and reload_service with stub procd -----

skip procd_live "procd is OpenWrt's PID 1, not available here"
setup procd
localize "$INIT/procd/toesd" "$D/toesd"
sed -i "s|^TOESD_ARGS=\"\"|TOESD_ARGS=\"$OPTS\"|" "$D/toesd"
# rc.common as procd.sh would fill it: each call's words, one per line.
cat >"$D/rc.common" <<'EOF'
initscript=$1
action=$2
rec() { f=$1; shift; : >"$f"; for a in "$@"; do printf '%s\n' "$a" >>"$f"; done; }
procd_open_instance() { echo open >>"$D/procd.calls"; }
procd_close_instance() { echo close >>"$D/procd.calls"; }
procd_set_param() { p=$1; shift; rec "$D/procd.$p" "$@"; }
procd_send_signal() { rec "$D/procd.signal" "$@"; }
. "$initscript"
case $action in
start) [ "$USE_PROCD" = 1 ] && start_service ;;
reload) reload_service ;;
esac
EOF
D=$D sh "$D/rc.common" "$D/toesd" start
check procd_one_instance [ "$(tr '\n' ' ' <"$D/procd.calls" 2>/dev/null)" = "open close " ]
check procd_term_timeout [ "$(cat "$D/procd.term_timeout" 2>/dev/null)" -ge 20 ]
check procd_respawn test -s "$D/procd.respawn"
check procd_stderr_to_syslog [ "$(cat "$D/procd.stderr" 2>/dev/null)" = 1 ]
set --
while IFS= read -r a; do set -- "$@" "$a"; done <"$D/procd.command"
check procd_command_is_toesd [ "$1" = "$TOESD" ]
"$@" >"$D/log/toesd.log" 2>&1 &
MAINPID=$!
check procd_foreground_ready wait_until 5 answers
started 0
check procd_pid_is_toesd [ "$MAINPID" = "$TPID" ]
D=$D sh "$D/rc.common" "$D/toesd" reload
check procd_reload_signal [ "$(tr '\n' ' ' <"$D/procd.signal" 2>/dev/null)" = "toesd * HUP " ]
kill -HUP "$MAINPID"
reloaded $?
stop_start=$(now_ms)
kill -TERM "$MAINPID"
wait_until 25 exited "$MAINPID" || kill -KILL "$MAINPID"
wait "$MAINPID"
check procd_exit_0 [ $? -eq 0 ]
stopped 0 $(($(now_ms) - stop_start))
own_log "$D/log/toesd.log"

# A sanitizer report in a log no runner option reached (openrc-run clears
# the environment) still counts.
check no_sanitizer_reports sh -c "! grep -rqs 'Sanitizer' '$T'/*/log"
done_testing
