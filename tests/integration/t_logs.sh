# App log files (SPEC §6): line format and tags, day file name, partial
# and unterminated lines, long lines split, CR trimmed, /ok echoes dropped,
# retention, the daily cap, a vanished or unwritable log folder, and the
# last lines in `toesctl status NAME`.
. tests/integration/lib.sh

export LC_ALL=C
TODAY=$(date -u +%F)
NOW_S=$(date -u +%s)
day_ago() { date -u -d "@$((NOW_S - $1 * 86400))" +%F; }
YESTERDAY=$(day_ago 1)
FORMAT='^\[20[0-9-]*T[0-9:.]*Z\] \[(stdout|stderr|system)\] '
CR=$(printf '\r')

logf() { echo "$APPS/$1/logs/$TODAY.log"; }
# stdout_texts NAME: the text of each [stdout] line of today's file.
stdout_texts() { sed -n 's/^\[[^]]*\] \[stdout\] //p' "$(logf "$1")"; }
# all_formatted NAME: the file has lines, and every one has the format.
all_formatted() { [ -s "$(logf "$1")" ] && ! grep -Evq "$FORMAT" "$(logf "$1")"; }
# exits_after_tail NAME: every `Exited with code` line has a `tail` line
# of its run before it, and there is at least one.
exits_after_tail() {
	awk '/\] \[stdout\] tail$/ { seen = 1 }
	     /\] \[system\] Exited with code / { n++; if (!seen) bad = 1; seen = 0 }
	     END { exit !(n > 0 && !bad) }' "$(logf "$1")"
}
# dropped_sum NAME: the sum of N over `N lines dropped (daily log limit)`.
dropped_sum() {
	sed -n 's/^\[[^]]*\] \[system\] \([0-9]*\) lines dropped (daily log limit)$/\1/p' "$(logf "$1")" |
		awk '{ s += $1 } END { print s + 0 }'
}
# bytes_to_last_stdout NAME: the file's size just after its last [stdout] line.
bytes_to_last_stdout() {
	awk '{ n += length($0) + 1 } /^\[[^]]*\] \[stdout\] / { last = n } END { print last + 0 }' "$(logf "$1")"
}
# texts_are NAME TEXT: the [stdout] lines are exactly TEXT.
texts_are() { [ "$(stdout_texts "$1")" = "$2" ]; }
# piece_lengths_are NAME "L1 L2 ... ": the byte lengths of the [stdout] lines.
piece_lengths_are() { [ "$(stdout_texts "$1" | awk '{ printf "%s ", length($0) }')" = "$2" ]; }
# last_tick NAME: the highest `tick N` among the lines `toesctl status` shows.
last_tick() { ctl status "$1" | sed -n 's/.*\[stdout\] tick \([0-9]*\)$/\1/p' | tail -n 1; }
tick_reached() { t=$(last_tick "$1"); [ -n "$t" ] && [ "$t" -ge "$2" ]; }

app lg "$FIXTURE --print hello --stderr oops"
app pp "$FIXTURE --partial"
app nn "$FIXTURE --no-newline tail --exit-after 200"
app ll "$FIXTURE --long 20000"
app cr "$FIXTURE --crlf crlftext"
app ec "$FIXTURE --listen --echo --print keepme --print 'GET /okay 1'"
# tk ticks every 0.1 s; while $T/tk.hold exists it holds its ticks and
# says in $T/tk.held which one was its last.
app tk "i=0; while :; do while [ -e $T/tk.hold ]; do [ -e $T/tk.held ] || echo \$i >$T/tk.held; sleep 0.05; done; i=\$((i+1)); echo tick \$i; sleep 0.1; done"
app rt "$FIXTURE --print retained"

# Retention: files older than --log-days are deleted at start.
mkdir -p "$APPS/rt/logs"
echo 'ancient' >"$APPS/rt/logs/2000-01-01.log"
echo 'ten days' >"$APPS/rt/logs/$(day_ago 10).log"
echo 'yesterday' >"$APPS/rt/logs/$YESTERDAY.log"
echo 'three days' >"$APPS/rt/logs/$(day_ago 3).log"
echo 'not a log' >"$APPS/rt/logs/notes.txt"

start_toesd --log-days 7

# Format, tags and the file's name.
check lg_running wait_until 5 state_is lg running
check lg_file_named_today test -f "$(logf lg)"
check lg_only_today_file [ "$(ls "$APPS/lg/logs")" = "$TODAY.log" ]
check lg_stdout_tag wait_until 5 log_has lg "] [stdout] hello"
check lg_stderr_tag wait_until 5 log_has lg "] [stderr] oops"
check lg_system_tag log_has lg "] [system] Starting on port "
check lg_format all_formatted lg
check lg_status_shows_last_lines sh -c "'$TOESCTL' --toes-dir '$T/toes' status lg | grep -q '\[stdout\] hello'"

# A partial line is joined.
check pp_running wait_until 5 state_is pp running
check pp_partial_joined wait_until 5 texts_are pp partial

# The last words without a newline come before the exit line.
check nn_exited wait_until 5 log_has nn "[system] Exited with code 1"
check nn_tail_line wait_until 5 sh -c "sed -n 's/^\[[^]]*\] \[stdout\] //p' '$(logf nn)' | grep -qx tail"
check nn_tail_before_exit exits_after_tail nn
ctl stop nn >/dev/null

# A 20000-byte line: pieces of 8192, 8192 and 3616 bytes.
check ll_running wait_until 5 state_is ll running
check ll_pieces wait_until 5 piece_lengths_are ll "8192 8192 3616 "
check ll_pieces_all_a [ "$(stdout_texts ll | tr -d 'a\n' | wc -c)" -eq 0 ]

# CR LF: the CR is trimmed.
check cr_running wait_until 5 state_is cr running
check cr_text_exact wait_until 5 texts_are cr crlftext
check cr_no_cr_in_file sh -c "! grep -q '$CR' '$(logf cr)'"

# /ok request lines echoed by the app are dropped, other lines stay.
check ec_running wait_until 5 state_is ec running
if command -v curl >/dev/null 2>&1; then
	# A request line after the probes': once it is in the file, the probes'
	# echoes before it have been handled too.
	curl -s -o /dev/null "http://127.0.0.1:$(field ec port)/hello"
	check ec_other_request_kept wait_until 5 log_has ec "] [stdout] GET /hello 404"
else
	sleep 1 # no client here: let a few health checks pass
fi
check ec_ok_echo_dropped [ "$(log_count ec "GET /ok ")" -eq 0 ]
check ec_output_kept wait_until 5 log_has ec "] [stdout] keepme"
check ec_okay_kept wait_until 5 log_has ec "] [stdout] GET /okay 1"

# Retention.
check rt_running wait_until 5 state_is rt running
check rt_ancient_deleted test ! -e "$APPS/rt/logs/2000-01-01.log"
check rt_ten_days_deleted test ! -e "$APPS/rt/logs/$(day_ago 10).log"
check rt_yesterday_kept grep -qx yesterday "$APPS/rt/logs/$YESTERDAY.log"
check rt_three_days_kept test -f "$APPS/rt/logs/$(day_ago 3).log"
check rt_other_file_kept test -f "$APPS/rt/logs/notes.txt"
check rt_today_written wait_until 5 log_has rt "] [stdout] retained"

# The log folder vanishes: it is made again.
check tk_ticking wait_until 5 log_has tk "] [stdout] tick 3"
rm -rf "$APPS/tk/logs"
check tk_folder_recreated wait_until 5 test -f "$(logf tk)"
check tk_ticks_after_recreate wait_until 5 grep -q '\] \[stdout\] tick [0-9]*$' "$(logf tk)"

# Status shows the last 10 lines (of more than 10).
check tk_more_than_ten_lines wait_until 5 tick_reached tk 12
# One answer, counted and (on a failure) shown.
TK_STATUS=$(ctl status tk)
TK_LINES=$(printf '%s\n' "$TK_STATUS" | grep -Ec "$FORMAT")
if [ "$TK_LINES" -eq 10 ]; then
	pass tk_status_ten_lines
else
	fail tk_status_ten_lines "$TK_LINES log lines in: $TK_STATUS"
fi

# Writes fail (logs is a regular file): counted, then reported once the
# folder can be made again. tk holds its ticks while the folder is swapped
# for a file, so that no line comes in between (toesd would make the
# folder again).
: >"$T/tk.hold"
check tk_held wait_until 5 test -s "$T/tk.held"
HELD=$(cat "$T/tk.held")
check tk_held_tick_written wait_until 5 grep -q "\] \[stdout\] tick $HELD\$" "$(logf tk)"
mv "$APPS/tk/logs" "$APPS/tk/logs.gone"
: >"$APPS/tk/logs"
rm -rf "$APPS/tk/logs.gone"
rm -f "$T/tk.hold"
A=$(last_tick tk)
check tk_ticks_while_unwritable wait_until 5 tick_reached tk $((A + 3))
B=$(last_tick tk)
check tk_no_folder_while_file test -f "$APPS/tk/logs"
rm -f "$APPS/tk/logs"
check tk_lost_reported wait_until 5 grep -q '\] \[system\] [0-9]* lines lost$' "$(logf tk)"
LOST=$(sed -n 's/^\[[^]]*\] \[system\] \([0-9]*\) lines lost$/\1/p' "$(logf tk)" | head -n 1)
check tk_lost_counted [ "${LOST:-0}" -ge $((B - A)) ]
check tk_lost_positive [ "${LOST:-0}" -gt 0 ]
check tk_lost_first_line sh -c "head -n 1 '$(logf tk)' | grep -q '\] \[system\] [0-9]* lines lost$'"
check tk_ticks_after_lost wait_until 5 sh -c "tail -n 1 '$(logf tk)' | grep -q '\] \[stdout\] tick '"
check tk_format all_formatted tk
stop_toesd

# The daily cap: a second apps folder, a 4 KiB cap. Lines over the cap are
# counted, and the count is written once, when toesd stops (the day does
# not change here); fa is stopped by request first, fb runs to the end.
APPS=$T/apps2
mkdir -p "$APPS"
app fa "$FIXTURE --flood 500"
app fb "$FIXTURE --listen --flood 500"
start_toesd --apps-dir "$APPS" --log-max-bytes 4K
check fa_running wait_until 5 state_is fa running
check fb_running wait_until 5 state_is fb running
check fa_some_written wait_until 5 log_has fa "] [stdout] line 1 xxx"
check fb_some_written wait_until 5 log_has fb "] [stdout] line 1 xxx"
ctl stop fa >/dev/null
stop_toesd
for a in fa fb; do
	check "${a}_under_cap" [ "$(bytes_to_last_stdout $a)" -le 4096 ]
	check "${a}_last_line_dropped" sh -c "! grep -q '\] \[stdout\] line 500 ' '$(logf $a)'"
	check "${a}_dropped_reported" log_has $a "lines dropped (daily log limit)"
	check "${a}_dropped_count" [ $(($(dropped_sum $a) + $(stdout_texts $a | wc -l))) -eq 500 ]
	check "${a}_dropped_reported_once" [ "$(log_count $a "lines dropped (daily log limit)")" -eq 1 ]
	# 4 KiB of app lines and a few [system] lines: the cap holds the file.
	check "${a}_file_small" [ "$(wc -c <"$(logf $a)")" -le 5120 ]
	check "${a}_format" all_formatted $a
done
done_testing
