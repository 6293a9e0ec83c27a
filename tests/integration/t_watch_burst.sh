# A burst (issue 13, item 6): 50 app folders copied into the watched apps
# folder at once all start, each once. (Events only mark names and one
# pass per debounce window takes them all; the master's CPU for 50 and
# 1,000 is a figure: make bench, section 9.)
. tests/integration/lib.sh

# Its own pool of 50 ports, away from the 20 of every script.
BURST_LO=$((PORT_BASE + 20000))
start_toesd --ports "$BURST_LO-$((BURST_LO + 59))" --watch-debounce 100ms
mkdir -p "$T/stage"
i=1
while [ "$i" -le 50 ]; do
	d=$T/stage/burst$i
	mkdir -p "$d/v1"
	printf '{"scripts":{"toes":"%s"},"toes":{"health":false}}\n' "$FIXTURE" >"$d/v1/package.json"
	ln -s v1 "$d/current"
	i=$((i + 1))
done
cp -a "$T/stage/." "$APPS/"
check burst_all_running wait_until 20 sh -c "[ \$($TOESCTL --toes-dir $T/toes status --json | grep -o '\"state\":\"running\"' | wc -l) -eq 50 ]"
check burst_each_started_once [ "$(grep -c '\] Starting on port' "$T/toesd.log")" -eq 50 ]
check burst_no_second_start sh -c "! grep -q 'Restarting' '$T/toesd.log'"
check burst_fifty_listed [ "$(ctl status --json | grep -o '"name":"burst[0-9]*"' | wc -l)" -eq 50 ]
done_testing
