# --metrics FILE (SPEC §8): Prometheus text format 0.0.4, checked by a
# small checker (HELP and TYPE before each metric's samples, names, labels,
# values); counters grow after a crash; nothing is rewritten while idle.
. tests/integration/lib.sh

M=$T/metrics/toes.prom
mtime() { stat -c %y "$M" 2>/dev/null; }
# valid_prom FILE: every line a HELP, a TYPE or a sample of a metric
# whose TYPE came first; names and labels as 0.0.4 has them.
valid_prom() {
	awk '
	function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; err = 1 }
	/^# HELP / { if ($3 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/) bad("bad HELP name"); next }
	/^# TYPE / {
		if ($3 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ || $4 !~ /^(counter|gauge|untyped|summary|histogram)$/ || NF != 4) bad("bad TYPE")
		if ($3 in typed) bad("TYPE twice")
		typed[$3] = 1; next
	}
	/^#/ { next }
	/^$/ { bad("empty line"); next }
	{
		line = $0
		if (!match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) { bad("bad name"); next }
		name = substr(line, 1, RLENGTH); rest = substr(line, RLENGTH + 1)
		if (!(name in typed)) bad("no TYPE before " name)
		if (substr(rest, 1, 1) == "{") {
			if (!match(rest, /^\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\}/)) { bad("bad labels"); next }
			rest = substr(rest, RLENGTH + 1)
		}
		if (rest !~ /^ [-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/ && rest !~ /^ [-+]?(Inf|NaN)$/) bad("bad value")
	}
	END { exit err }' "$1"
}
# The checker itself refuses what is wrong (a test that cannot fail is none).
printf '# TYPE a gauge\na{x="1"} 1\nb 2\n' >"$T/bad1.prom"
printf '# TYPE a gauge\na{x=1} 1\n' >"$T/bad2.prom"
printf '# TYPE a gauge\na one\n' >"$T/bad3.prom"
for b in 1 2 3; do
	if valid_prom "$T/bad$b.prom" >/dev/null; then fail "checker_rejects_bad$b" "accepted"; else pass "checker_rejects_bad$b"; fi
done
sample() { awk -v k="$1" 'index($0, k " ") == 1 { print $2 }' "$M"; }

mkdir -p "$T/metrics"
app web "$FIXTURE --listen"
app crashy "$FIXTURE --exit-on $T/crash --code 7"
mkdir -p "$APPS/we\"ird/v1"
printf '{"scripts":{"toes":"%s"}}\n' "$FIXTURE" >"$APPS/we\"ird/v1/package.json"
start_toesd --metrics "$M" --restart-delays 100ms --health-interval 100ms
check web_running wait_until 5 state_is web running
check crashy_running wait_until 5 state_is crashy running
check file_written wait_until 5 test -s "$M"
check file_valid valid_prom "$M"
check up_web wait_until 5 sh -c "grep -qx 'toes_app_up{app=\"web\"} 1' '$M'"
check state_running grep -qx 'toes_app_state{app="web",state="running"} 1' "$M"
check state_other_0 grep -qx 'toes_app_state{app="web",state="stopped"} 0' "$M"
check quote_escaped grep -qF 'toes_app_up{app="we\"ird"}' "$M"
check build_info grep -q '^toesd_build_info{version="[^"]*"} 1$' "$M"
check start_time grep -q '^toesd_start_time_seconds [0-9]*\.[0-9]*$' "$M"
check app_start_time grep -q '^toes_app_start_time_seconds{app="web"} [0-9]*\.[0-9]*$' "$M"
check port_web grep -q '^toes_app_port{app="web"} [0-9][0-9]*$' "$M"
r0=$(sample 'toes_app_restarts_total{app="crashy"}')
check restarts_0 [ "$r0" = 0 ]

# Idle for 2 s (20 health checks): not rewritten.
before=$(mtime)
sleep 2
check idle_not_rewritten [ "$(mtime)" = "$before" ]

# A crash: counters grow, the exit code shows.
: >"$T/crash"
check crashy_restarted wait_until 5 sh -c "grep -qx 'toes_app_restarts_total{app=\"crashy\"} 1' '$M'"
check rewritten_after_crash [ "$(mtime)" != "$before" ]
check exit_code_7 wait_until 5 sh -c "grep -qx 'toes_app_last_exit_code{app=\"crashy\"} 7' '$M'"
check still_valid valid_prom "$M"
check no_temp_left [ ! -e "$T/metrics/.toes.prom.tmp" ]
stop_toesd
done_testing
