#!/bin/sh
# bench.sh: print toesd's speed and memory figures (SPEC §13). Figures only,
# no pass/fail: timing assertions belong nowhere near the tests.
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-$(pwd)/build}
FIXTURE=$BUILD/fixtures/fixture
PORTS=${BENCH_PORTS:-41001-41100}
T=$(mktemp -d "${TMPDIR:-/tmp}/toes-bench.XXXXXX")
PID=
RUNSVDIR_PID=
RUNIT_SUP=

# in_t: the pids of the processes working in $T (an app, a runsv).
in_t() { find /proc/[0-9]*/cwd -maxdepth 0 -lname "$T/*" 2>/dev/null | cut -d/ -f3; }

# Whatever is left working in $T (an app whose supervisor went first).
kill_leftovers() { in_t | xargs -r kill -KILL 2>/dev/null; }

# runsvdir's SIGHUP: a TERM to every runsv, which stops its service and
# exits; what is still there 10 s later is killed.
stop_runit() {
	[ -n "$RUNSVDIR_PID" ] || return 0
	kill -HUP "$RUNSVDIR_PID" 2>/dev/null
	wait "$RUNSVDIR_PID" 2>/dev/null
	RUNSVDIR_PID=
	n=0
	while [ -n "$(in_t)" ] && [ "$n" -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill_leftovers
}

cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	stop_runit
	kill_leftovers
	rm -rf "$T"
	[ -z "$RUNIT_SUP" ] || rm -rf "$RUNIT_SUP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# apps N PREFIX COMMAND: N app folders running COMMAND.
apps() {
	i=1
	while [ "$i" -le "$1" ]; do
		d=$T/apps/$2$(printf %04d "$i")/v1
		mkdir -p "$d"
		printf '{"scripts":{"toes":"%s"}}\n' "$3" >"$d/package.json"
		i=$((i + 1))
	done
}

launch() {
	"$BUILD/toesd" --data-dir "$T" --ports "$PORTS" "$@" >"$T/toesd.log" 2>&1 &
	PID=$!
}

running() { "$BUILD/toesctl" --toes-dir "$T/toes" status --json 2>/dev/null | grep -o '"state":"running"' | wc -l; }

wait_running() {
	n=0
	while [ "$(running)" -lt "$1" ] && [ "$n" -lt 600 ]; do
		sleep 0.02
		n=$((n + 1))
	done
}

finish_run() {
	kill -TERM "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PID=
	rm -rf "$T/apps" "$T/toes"
}

# CPU ticks (utime + stime) of a process; hz of them make a second.
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ctxt() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }

# BENCH_ONLY="6 7": only those sections.
want() {
	[ -z "${BENCH_ONLY:-}" ] && return 0
	case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

echo "toesd benchmarks ($(nproc) cores, $(uname -r))"

# 1. Wake-ups while every app runs and nothing is due.
if want 1; then
apps 20 worker "$FIXTURE"
launch --survival 300ms
wait_running 20
sleep 1
before=$(ctxt "$PID")
sleep 10
after=$(ctxt "$PID")
echo "idle: 20 running workers, master voluntary context switches in 10 s: $((after - before))"
finish_run

fi

# 2. Memory with 100 running apps.
if want 2; then
apps 100 worker "$FIXTURE"
launch --survival 300ms
wait_running 100
sleep 1
rss=$(awk '/^Rss:/ { print $2 }' "/proc/$PID/smaps_rollup")
pss=$(awk '/^Pss:/ { print $2 }' "/proc/$PID/smaps_rollup")
echo "memory: 100 running apps, master RSS ${rss} KiB, PSS ${pss} KiB"
finish_run

fi

# 3. Cold start: 100 HTTP apps all answering /ok.
if want 3; then
apps 100 web "$FIXTURE --listen"
t0=$(now_ms)
launch --startup-poll 10ms
wait_running 100
t1=$(now_ms)
echo "cold start: 100 HTTP apps running (each answered /ok) after $((t1 - t0)) ms (polling status every 20 ms)"

fi

# 4. CPU per HTTP probe: the same 100 apps checked every 100 ms for 10 s.
if want 4; then
finish_run
apps 100 web "$FIXTURE --listen"
launch --startup-poll 10ms --health-interval 100ms --health-timeout 1s
wait_running 100
c0=$(cpu_ticks "$PID")
sleep 10
c1=$(cpu_ticks "$PID")
probes=$((100 * 100))
echo "probes: about $probes health checks in 10 s, master CPU $(((c1 - c0) * 1000 / hz)) ms, $(((c1 - c0) * 1000000 / hz / probes)) us per probe"
finish_run

fi

# 5. Crash storm: 20 apps exiting at once, restarted with no delay.
if want 5; then
apps 20 crash "$FIXTURE --exit-after 0"
launch --restart-delays 0
sleep 1
c0=$(cpu_ticks "$PID")
r0=$(grep -c 'Restarting\.\.\.' "$T/toesd.log")
sleep 5
c1=$(cpu_ticks "$PID")
r1=$(grep -c 'Restarting\.\.\.' "$T/toesd.log")
n=$((r1 - r0))
echo "crash storm: $n restarts in 5 s, master CPU $(((c1 - c0) * 1000 / hz)) ms, $(((c1 - c0) * 1000000 / hz / (n > 0 ? n : 1))) us per restart"
finish_run

fi

# 6. Restart latency as a user sees it (SPEC §13): from the kill -9 of an
# app's process to the first instruction of its replacement. The app is the
# stamper (tests/bench/stamper.c: the first thing its main does is append
# "<pid> <CLOCK_REALTIME ns>" to a file); restartlat (tests/bench/restartlat.c)
# kills it KILLS times and reads the stamps. toesd runs with --restart-delays
# 0 over 10 and over 1,000 stamper apps (the target and 9 or 999 others);
# runit, when installed, runs the same stampers the same way; the floor is
# baresup (tests/bench/baresup.c), a bare fork/exec/waitpid loop, running the
# same command toesd runs: what this machine needs without any supervisor.
# Each kill comes SETTLE ms after the process stamped: longer than
# --survival, so the app is `running` when killed, and longer than 1 s,
# because runsv waits a whole second before it restarts a service that ran
# for less than one (runsv.c: sleep(1) after an exit within 1 s of the start).
# Knobs: BENCH_RESTART_PORTS (a pool of at least 1,000 ports), BENCH_KILLS,
# BENCH_SETTLE_MS, BENCH_RUNIT_SUPERVISE=dir (runit's supervise/ on the same
# disk as the service folders instead of a tmpfs).
if want 6; then
STAMPER=$BUILD/bench/stamper
RESTARTLAT=$BUILD/bench/restartlat
BARESUP=$BUILD/bench/baresup
RESTART_PORTS=${BENCH_RESTART_PORTS:-46001-47100}
KILLS=${BENCH_KILLS:-20}
SETTLE=${BENCH_SETTLE_MS:-1100}

# stamp_apps N: app `target` writing $T/target.stamp, and N-1 others
# (other0001...) all writing $T/others.stamp.
stamp_apps() {
	mkdir -p "$T/apps/target/v1"
	printf '{"scripts":{"toes":"exec %s %s"}}\n' "$STAMPER" "$T/target.stamp" \
		>"$T/apps/target/v1/package.json"
	apps $(($1 - 1)) other "exec $STAMPER $T/others.stamp"
}

# stamps_in N: wait until the target and N-1 others have stamped (60 s at most).
stamps_in() {
	n=0
	while [ "$n" -lt 300 ]; do
		others=0
		[ -f "$T/others.stamp" ] && others=$(wc -l <"$T/others.stamp")
		[ -s "$T/target.stamp" ] && [ "$others" -ge $(($1 - 1)) ] && return 0
		sleep 0.2
		n=$((n + 1))
	done
	return 1
}

# measure LABEL DETAIL: restartlat on the target; FIG is "LABEL median M ms
# (MIN–MAX)" or why nothing was measured; the values go to latency.detail.
measure() {
	load0=$(cut -d' ' -f1 /proc/loadavg)
	out=$("$RESTARTLAT" -n "$KILLS" -s "$SETTLE" -t 10000 "$T/target.stamp" 2>"$T/restartlat.err")
	load1=$(cut -d' ' -f1 /proc/loadavg)
	label=$1 detail=$2
	# shellcheck disable=SC2046
	set -- $(echo "$out" | sed -n 1p)
	if [ "$#" -ge 10 ]; then
		FIG="$label${label:+ }median $6 ms ($8–${10})"
		note="load average $load0 -> $load1"
		[ "$4" -gt 0 ] && note="$note; $4 kills got no new process within 10 s"
		echo "  $detail, ms: $(echo "$out" | sed -n 's/^values_ms //p') ($note)" >>"$T/latency.detail"
	else
		FIG="$label${label:+ }not measured ($(head -n 1 "$T/restartlat.err"))"
	fi
}

# toesd_latency N: toesd over N stamper apps.
toesd_latency() {
	stamp_apps "$1"
	"$BUILD/toesd" --data-dir "$T" --ports "$RESTART_PORTS" --restart-delays 0 \
		--survival 300ms --startup-poll 10s >"$T/toesd.log" 2>&1 &
	PID=$!
	n=0
	while [ "$(running)" -lt "$1" ] && [ "$n" -lt 300 ]; do
		sleep 0.2
		n=$((n + 1))
	done
	if [ "$(running)" -ge "$1" ]; then
		measure "$1 apps" "toesd, $1 apps"
	else
		FIG="$1 apps not measured (only $(running) running after 60 s)"
	fi
	finish_run
	rm -f "$T/target.stamp" "$T/others.stamp"
}

# runit_latency N: runsvdir over N service folders whose ./run execs the
# stamper through /bin/sh, as toesd's `/bin/sh -c 'exec ...'` does. Each
# supervise/ is a link into RUNIT_SUP, a tmpfs where there is one, as
# Debian links them into /run/runit: runsv rewrites three files there by
# rename at every exit and start, and on ext4 each rename over a file waits
# for its data to reach the disk (auto_da_alloc).
runit_latency() {
	i=1
	while [ "$i" -le "$1" ]; do
		if [ "$i" = 1 ]; then
			s=target f=$T/target.stamp
		else
			s=other$(printf %04d "$i") f=$T/others.stamp
		fi
		mkdir -p "$T/sv/$s"
		printf '#!/bin/sh\nexec %s %s\n' "$STAMPER" "$f" >"$T/sv/$s/run"
		chmod +x "$T/sv/$s/run"
		if [ -n "$RUNIT_SUP" ]; then
			mkdir -p "$RUNIT_SUP/$s"
			ln -s "$RUNIT_SUP/$s" "$T/sv/$s/supervise"
		fi
		i=$((i + 1))
	done
	runsvdir -P "$T/sv" >/dev/null 2>&1 &
	RUNSVDIR_PID=$!
	if stamps_in "$1"; then
		measure "$1 services" "runit, $1 services"
	else
		FIG="$1 services not measured (not all stamped within 60 s)"
	fi
	stop_runit
	rm -rf "$T/sv" "$T/target.stamp" "$T/others.stamp"
	[ -z "$RUNIT_SUP" ] || rm -rf "${RUNIT_SUP:?}"/*
}

# bare_latency: the floor, baresup running what toesd runs for the target.
bare_latency() {
	mkdir -p "$T/bare"
	here=$(pwd)
	cd "$T/bare" || { FIG="not measured (no $T/bare)"; return; }
	"$BARESUP" /bin/sh -c "exec $STAMPER $T/target.stamp" &
	PID=$!
	cd "$here" || exit 1
	if stamps_in 1; then
		measure "" "bare fork/exec loop"
	else
		FIG="not measured (no stamp within 60 s)"
	fi
	kill -TERM "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PID=
	kill_leftovers
	rm -rf "$T/bare" "$T/target.stamp"
}

title="restart latency (kill -9 to new process's first instruction, $KILLS kills, $SETTLE ms apart)"
if [ -x "$STAMPER" ] && [ -x "$RESTARTLAT" ] && [ -x "$BARESUP" ]; then
	: >"$T/latency.detail"
	toesd_latency 10
	ten=$FIG
	toesd_latency 1000
	echo "$title: toesd --restart-delays 0: $ten; $FIG"
	if command -v runsvdir >/dev/null 2>&1 && command -v runsv >/dev/null 2>&1; then
		where="supervise/ in the service folder"
		if [ "${BENCH_RUNIT_SUPERVISE:-tmpfs}" = tmpfs ] &&
			[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
			RUNIT_SUP=$(mktemp -d /dev/shm/toes-bench-sv.XXXXXX 2>/dev/null); then
			where="supervise/ on tmpfs"
		fi
		runit_latency 10
		ten=$FIG
		runit_latency 1000
		v=$(dpkg-query -W -f " \${Version}" runit 2>/dev/null)
		echo "restart latency, same measure: runit$v (runsvdir -P, ./run is sh exec, $where): $ten; $FIG"
	else
		echo "restart latency, same measure: runit skipped (no runsvdir/runsv here: apt-get install runit)"
	fi
	bare_latency
	echo "restart latency, same measure: floor (bare fork/setsid/exec loop, same sh -c 'exec stamper'): $FIG"
	cat "$T/latency.detail"
else
	echo "$title: skipped (no $STAMPER, $RESTARTLAT or $BARESUP: make bench builds them)"
fi

fi

# 8. Memory with 100 apps whose package.json is 1 MiB (issue 10): an array
# of 500,000 numbers (a million-node parse before) or an object of 100,000
# members. What the master keeps after reading them all.
if want 8; then
big_apps() {
	i=1
	while [ "$i" -le 100 ]; do
		d=$T/apps/big$(printf %04d "$i")/v1
		mkdir -p "$d"
		cp "$T/big.json" "$d/package.json"
		i=$((i + 1))
	done
}
for shape in array object; do
	if [ "$shape" = array ]; then
		awk -v cmd="$FIXTURE" 'BEGIN { printf "{\"scripts\":{\"toes\":\"%s\"},\"pad\":[1", cmd;
			for (i = 0; i < 524000; i++) printf ",1"; print "]}" }' >"$T/big.json"
	else
		awk -v cmd="$FIXTURE" 'BEGIN { printf "{\"scripts\":{\"toes\":\"%s\"}", cmd;
			for (i = 0; i < 85000; i++) printf ",\"k%06d\":0", i; print "}" }' >"$T/big.json"
	fi
	big_apps
	launch --survival 300ms
	wait_running 100
	sleep 1
	pss=$(awk '/^Pss:/ { print $2 }' "/proc/$PID/smaps_rollup")
	echo "memory: 100 apps with a $(wc -c <"$T/big.json")-byte package.json ($shape), master PSS ${pss} KiB"
	finish_run
done
fi

# 9. A burst into the watched folder (SPEC §10): N app folders (worker
# apps, each with its current) copied into APPS_DIR at once while toesd
# runs; the figure is the master's CPU from the copy to the last app
# running (counted in toesd's log, so no status request costs the master
# anything meanwhile).
logged_running() { grep -c '\] Running (' "$T/toesd.log"; }
if want 9; then
for burst in 50 1000; do
	mkdir -p "$T/apps"
	"$BUILD/toesd" --data-dir "$T" --ports "${BENCH_BURST_PORTS:-46001-47100}" --survival 300ms >"$T/toesd.log" 2>&1 &
	PID=$!
	while [ ! -S "$T/toes/toesd.sock" ]; do sleep 0.02; done
	mkdir -p "$T/stage"
	i=1
	while [ "$i" -le "$burst" ]; do
		d=$T/stage/burst$(printf %04d "$i")
		mkdir -p "$d/v1"
		printf '{"scripts":{"toes":"%s"},"toes":{"health":false}}\n' "$FIXTURE" >"$d/v1/package.json"
		ln -s v1 "$d/current"
		i=$((i + 1))
	done
	c0=$(cpu_ticks "$PID")
	t0=$(now_ms)
	cp -a "$T/stage/." "$T/apps/"
	t_copied=$(now_ms)
	k=0
	while [ "$(logged_running)" -lt "$burst" ] && [ "$k" -lt 1500 ]; do
		sleep 0.02
		k=$((k + 1))
	done
	t1=$(now_ms)
	c1=$(cpu_ticks "$PID")
	echo "burst: $burst apps copied in $((t_copied - t0)) ms, $(logged_running) running $((t1 - t0)) ms after the copy began; master CPU $(((c1 - c0) * 1000 / hz)) ms ($(((c1 - c0) * 1000000 / hz / burst)) us per app)"
	finish_run
	rm -rf "$T/stage"
done

fi

# 10. toesd's own HTTP endpoint (SPEC §14), 100 apps, --http on. Master CPU
# (utime + stime) per /api/apps answer, over BENCH_HTTP_REQUESTS requests
# on one kept connection (tests/fixtures/httpget.c); per /events message:
# BENCH_ICON_ROUNDS rounds of 100 icon changes, with no client and with one
# /events client reading, the CPU difference spread over the messages;
# voluntary context switches of the master in 10 s with --http on and no
# client ever; the master's PSS with no client, 64 idle connections
# (measured within their 5 s head timeout) and 64 /events clients
# (tests/fixtures/httphold.c).
if want 10; then
HTTPGET=$BUILD/fixtures/httpget
HTTPHOLD=$BUILD/fixtures/httphold
HADDR=127.0.0.1:${BENCH_HTTP_PORT:-41200}
REQUESTS=${BENCH_HTTP_REQUESTS:-10000}
pss() { awk '/^Pss:/ { print $2 }' "/proc/$PID/smaps_rollup"; }
# held_pss REPORT COUNT FIELD: PSS once httphold's REPORT says FIELD COUNT.
held_pss() {
	n=0
	while ! grep -qx "$3 $2" "$1" 2>/dev/null && [ "$n" -lt 250 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	sleep 1
	if grep -qx "$3 $2" "$1" 2>/dev/null; then pss; else echo "? ($(tr '\n' ' ' <"$1" 2>/dev/null))"; fi
}
stop_hold() { kill -TERM "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

if [ -x "$HTTPGET" ] && [ -x "$HTTPHOLD" ]; then
	apps 100 worker "$FIXTURE"
	launch --survival 300ms --http "$HADDR"
	wait_running 100
	sleep 1
	before=$(ctxt "$PID")
	sleep 10
	after=$(ctxt "$PID")
	echo "http idle: --http on, no client, 100 running workers, master voluntary context switches in 10 s: $((after - before))"

	none=$(pss)
	"$HTTPHOLD" "$HADDR" 64 "$T/idle.rep" 2>/dev/null &
	hold=$!
	idle=$(held_pss "$T/idle.rep" 64 open_now)
	stop_hold "$hold"
	sleep 0.5
	"$HTTPHOLD" --path /events "$HADDR" 64 "$T/events.rep" 2>/dev/null &
	hold=$!
	streams=$(held_pss "$T/events.rep" 64 heard)
	stop_hold "$hold"
	echo "http memory: master PSS ${none} KiB with no client, ${idle} KiB with 64 idle connections, ${streams} KiB with 64 /events clients (100 apps)"

	sleep 0.5
	size=$("$HTTPGET" --body "$HADDR" /api/apps | wc -c)
	c0=$(cpu_ticks "$PID")
	t0=$(now_ms)
	"$HTTPGET" --keep "$REQUESTS" --quiet --timeout 600000 "$HADDR" /api/apps
	rc=$?
	t1=$(now_ms)
	c1=$(cpu_ticks "$PID")
	note=
	[ "$rc" -eq 0 ] || note=" (httpget exit $rc: not all answered)"
	echo "http /api/apps: 100 apps ($size bytes), $REQUESTS requests on one kept connection in $((t1 - t0)) ms, master CPU $(((c1 - c0) * 1000 / hz)) ms, $(((c1 - c0) * 1000000 / hz / REQUESTS)) us per answer$note"
	finish_run

	# One message per change: 100 apps whose toes.icon is rewritten (each
	# package.json written aside and moved in), BENCH_ICON_ROUNDS times
	# over, with no client and then with one /events client reading. The
	# master does the same work both times (inotify, 100 package.json
	# read, the status file) but the messages; the CPU difference is
	# spread over them.
	apps 100 icon "$FIXTURE"
	launch --survival 300ms --watch-debounce 10ms --http "$HADDR"
	wait_running 100
	sleep 1
	# icon_rounds N ICON...: N rounds of rewriting every app with the next icon.
	icon_rounds() {
		k=0
		while [ "$k" -lt "$1" ]; do
			for d in "$T"/apps/icon*/v1; do
				printf '{"scripts":{"toes":"%s"},"toes":{"icon":"%s"}}\n' "$FIXTURE" "$2" >"$T/pkg.tmp"
				mv "$T/pkg.tmp" "$d/package.json"
			done
			set -- "$1" "$3" "$2"
			k=$((k + 1))
		done
	}
	# settled ICON: every app shows ICON in the status file (read without
	# asking the master).
	settled() {
		n=0
		while [ "$(grep -c "^$1 " "$T/toes/status" 2>/dev/null)" -lt 100 ] && [ "$n" -lt 500 ]; do
			sleep 0.02
			n=$((n + 1))
		done
	}
	# Three pairs, each a run without a client then one with it: the pairs'
	# spread shows the noise.
	ROUNDS=${BENCH_ICON_ROUNDS:-20}
	events() { grep -c '^event: app' "$T/events.out"; }
	pairs='' total_diff=0 total_ev=0 p=1
	while [ "$p" -le 3 ]; do
		c0=$(cpu_ticks "$PID")
		icon_rounds "$ROUNDS" A B
		settled B
		c1=$(cpu_ticks "$PID")
		: >"$T/events.out"
		"$HTTPGET" --quiet --out "$T/events.out" --timeout 600000 "$HADDR" /events &
		client=$!
		sleep 0.5
		e2=$(events)
		c2=$(cpu_ticks "$PID")
		icon_rounds "$ROUNDS" C D
		settled D
		c3=$(cpu_ticks "$PID")
		e3=$(events)
		kill -TERM "$client" 2>/dev/null
		wait "$client" 2>/dev/null
		ev=$((e3 - e2)) diff=$(((c3 - c2) - (c1 - c0)))
		pairs="$pairs${pairs:+, }$(((c1 - c0) * 1000 / hz))/$(((c3 - c2) * 1000 / hz)) ms"
		total_diff=$((total_diff + diff)) total_ev=$((total_ev + ev))
		p=$((p + 1))
	done
	finish_run
	echo "http /events: 3 x $((ROUNDS * 100)) icon changes of 100 apps, master CPU without/with one /events client: $pairs; $total_ev messages: about $((total_diff * 1000000 / hz / (total_ev > 0 ? total_ev : 1))) us per message (one CPU tick is $((1000000 / hz / (total_ev > 0 ? total_ev : 1))) us of that)"
else
	echo "http: skipped (no $HTTPGET or $HTTPHOLD: make bench builds them with test-build)"
fi
fi

# 7. Size.
if want 7; then
size=$(wc -c <"$BUILD/toesd")
cp "$BUILD/toesd" "$T/toesd.stripped" && strip "$T/toesd.stripped" 2>/dev/null
echo "binary: build/toesd $size bytes, stripped $(wc -c <"$T/toesd.stripped") bytes (dynamic glibc, -O2 -g)"
# A static musl build, where musl-gcc is installed (Debian: musl-tools). Its
# include path lacks the kernel's headers: lend it the system's.
if command -v musl-gcc >/dev/null 2>&1; then
	mkdir -p "$T/kh"
	arch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
	ln -s /usr/include/linux "$T/kh/linux"
	ln -s "/usr/include/$arch/asm" "$T/kh/asm"
	ln -s /usr/include/asm-generic "$T/kh/asm-generic"
	if make -s BUILD="$T/musl" CC=musl-gcc CPPFLAGS="-idirafter $T/kh" CFLAGS=-Os LDFLAGS=-static all >/dev/null 2>&1; then
		strip "$T/musl/toesd"
		echo "binary: static musl -Os, stripped: $(wc -c <"$T/musl/toesd") bytes"
	else
		echo "binary: the static musl build failed"
	fi
else
	echo "binary: no musl-gcc here (apt-get install musl-tools) for the static figure"
fi
fi
