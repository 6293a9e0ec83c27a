#!/bin/sh
# bench.sh: print toesd's speed and memory figures (SPEC §13). Figures only,
# no pass/fail: timing assertions belong nowhere near the tests.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$(pwd)/build}
FIXTURE=$BUILD/fixtures/fixture
PORTS=${BENCH_PORTS:-41001-41100}
T=$(mktemp -d "${TMPDIR:-/tmp}/toes-bench.XXXXXX")
PID=

cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

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

# CPU ticks (utime + stime) of a process.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ctxt() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }

echo "toesd benchmarks ($(nproc) cores, $(uname -r))"

# 1. Wake-ups while every app runs and nothing is due.
apps 20 worker "$FIXTURE"
launch --survival 300ms
wait_running 20
sleep 1
before=$(ctxt "$PID")
sleep 10
after=$(ctxt "$PID")
echo "idle: 20 running workers, master voluntary context switches in 10 s: $((after - before))"
finish_run

# 2. Memory with 100 running apps.
apps 100 worker "$FIXTURE"
launch --survival 300ms
wait_running 100
sleep 1
rss=$(awk '/^Rss:/ { print $2 }' "/proc/$PID/smaps_rollup")
pss=$(awk '/^Pss:/ { print $2 }' "/proc/$PID/smaps_rollup")
echo "memory: 100 running apps, master RSS ${rss} KiB, PSS ${pss} KiB"
finish_run

# 3. Cold start: 100 HTTP apps all answering /ok.
apps 100 web "$FIXTURE --listen"
t0=$(now_ms)
launch --startup-poll 10ms
wait_running 100
t1=$(now_ms)
echo "cold start: 100 HTTP apps running (each answered /ok) after $((t1 - t0)) ms (polling status every 20 ms)"

# 4. CPU per HTTP probe: the same 100 apps checked every 100 ms for 10 s.
finish_run
apps 100 web "$FIXTURE --listen"
launch --startup-poll 10ms --health-interval 100ms --health-timeout 1s
wait_running 100
c0=$(cpu_ticks "$PID")
sleep 10
c1=$(cpu_ticks "$PID")
hz=$(getconf CLK_TCK)
probes=$((100 * 100))
echo "probes: about $probes health checks in 10 s, master CPU $(((c1 - c0) * 1000 / hz)) ms, $(((c1 - c0) * 1000000 / hz / probes)) us per probe"
finish_run

# 5. Crash storm: 20 apps exiting at once, restarted with no delay.
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

# 6. Restart latency of one crashing app, --restart-delays 0: from the exit
# seen to the new process, by toesd's own log stamps (ms resolution).
apps 1 solo "exec $FIXTURE --exit-after 0"
launch --restart-delays 0
sleep 3
awk '/Exited with code/ { split($1, a, /[:.Z]/); t = a[2] * 60000 + a[3] * 1000 + a[4]; app[$2] = t }
     /Starting on port/ { split($1, a, /[:.Z]/); t = a[2] * 60000 + a[3] * 1000 + a[4];
       if ($2 in app) { sum += t - app[$2]; n++; delete app[$2] } }
     END { if (n) printf "restart latency: exit seen to new process %.3f ms on average over %d restarts\n", sum / n, n }' "$T/toesd.log"
finish_run

# 7. Size.
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
