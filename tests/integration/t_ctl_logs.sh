# `toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD]` (SPEC §6, §8) on
# log files made by hand, with no toesd running: the last N lines (default
# 10) with earlier days filling in, --date, every app merged in time order
# with its name in front, a big file read from its end; -f: appended
# lines, a line held until its newline, the move to a newer day's file, a
# copytruncate, an app whose logs appear later, a closed pipe; the errors
# and their exit codes. Last, one look at what a real toesd wrote.
. tests/integration/lib.sh

export LC_ALL=C
D1=2026-11-19
D2=2026-11-20
D3=2026-11-21
D4=2026-11-22

L() { "$TOESCTL" --apps-dir "$APPS" logs "$@"; }
# line DAY SS.mmm TEXT: one line as toesd writes it, at 10:00:SS.mmm.
line() { printf '[%sT10:00:%sZ] [stdout] %s\n' "$1" "$2" "$3"; }
# lines DAY FROM TO WORD: line DAY i WORDi for i in FROM..TO (seconds i).
lines() {
	i=$2
	while [ "$i" -le "$3" ]; do
		line "$1" "$(printf %02d.000 "$i")" "$4$i"
		i=$((i + 1))
	done
}
# same NAME EXPECTED COMMAND...: the command's standard output is EXPECTED.
same() {
	sm_name=$1 sm_want=$2
	shift 2
	sm_got=$("$@" 2>"$T/same.err")
	if [ "$sm_got" = "$sm_want" ]; then
		pass "$sm_name"
	else
		fail "$sm_name" "$* printed:
$sm_got
--- wanted:
$sm_want"
	fi
}
# run COMMAND...: RC, and the output in $T/out and $T/err.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}
# ended RC: the last run exited RC and printed nothing.
ended() { [ "$RC" -eq "$1" ] && [ ! -s "$T/out" ]; }
one_error_line() { [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^toesctl: ' "$T/err"; }
err_has() { grep -qF -- "$1" "$T/err"; }
has() { grep -qxF -- "$2" "$1"; }

# web: 2 lines on D1, 3 on D2, 15 on D3.
W=$APPS/web/logs
mkdir -p "$W" "$APPS/api/logs" "$APPS/db/logs" "$APPS/empty" "$APPS/.hidden/logs"
lines $D1 1 2 old >"$W/$D1.log"
lines $D2 1 3 y >"$W/$D2.log"
lines $D3 1 15 w >"$W/$D3.log"
echo 'not a log' >"$W/notes.txt"

same default_ten "$(lines $D3 6 15 w)" L web
same n_three "$(lines $D3 13 15 w)" L web -n 3
same n_glued_before_name "$(lines $D3 13 15 w)" L -n3 web
same fill_in_from_yesterday "$(lines $D2 2 3 y; lines $D3 1 15 w)" L web -n 17
same every_day_in_order "$(lines $D1 1 2 old; lines $D2 1 3 y; lines $D3 1 15 w)" L -n 1000 web
run L web -n 0
check n_zero_nothing ended 0

# --date: that day only; a missing day is exit 1, a malformed one exit 2.
same date_only_that_day "$(lines $D2 2 3 y)" L --date $D2 web -n 2
same date_with_equals "$(lines $D1 1 2 old)" L web --date=$D1
run L web --date 2026-11-18
check date_missing_exit_1 [ "$RC" -eq 1 ]
check date_missing_one_line one_error_line
check date_missing_names_file err_has "web/logs/2026-11-18.log: No such file or directory"
run L web --date 2026-02-30
check date_malformed_exit_2 [ "$RC" -eq 2 ]
check date_malformed_one_line one_error_line

# An unterminated last line is shown (with its newline) when not following.
mkdir -p "$APPS/un/logs"
printf '%s\nno newline' "$(line $D3 01.000 first)" >"$APPS/un/logs/$D3.log"
same unterminated_last_line "$(line $D3 01.000 first; echo 'no newline')" L un

# Every app, merged by stamp, the name in front (padded to one width); a
# line without a stamp stays after the line before it in its file.
rm -rf "$APPS/un"
{ line $D3 02.500 api-a; echo 'api-a continued'; line $D3 09.500 api-b; } >"$APPS/api/logs/$D3.log"
line $D2 30.000 db-yesterday >"$APPS/db/logs/$D2.log"
line $D3 00.000 db-first >"$APPS/db/logs/$D3.log"
# prefix APP: each line of standard input with APP's prefix.
prefix() { sed "s/^/$1 | /"; }
MERGED=$(
	lines $D1 1 2 old | prefix web
	lines $D2 1 3 y | prefix web
	line $D2 30.000 db-yesterday | prefix 'db '
	line $D3 00.000 db-first | prefix 'db '
	lines $D3 1 2 w | prefix web
	{ line $D3 02.500 api-a; echo 'api-a continued'; } | prefix api
	lines $D3 3 9 w | prefix web
	line $D3 09.500 api-b | prefix api
	lines $D3 10 15 w | prefix web
)
same merged_all_in_time_order "$MERGED" L -n 100
same merged_last_four "$(printf '%s\n' "$MERGED" | tail -n 4)" L -n 4
same merged_default_ten "$(printf '%s\n' "$MERGED" | tail -n 10)" L
same merged_date "$(lines $D2 1 3 y | prefix web; line $D2 30.000 db-yesterday | prefix 'db ')" L --date $D2
check merged_no_hidden_app sh -c "! '$TOESCTL' --apps-dir '$APPS' logs -n 1000 | grep -q '^\.hidden'"

# A big file (over 1 MB, many read blocks): its end is found from its end.
mkdir -p "$APPS/big/logs"
awk -v d=$D3 'BEGIN { for (i = 1; i <= 40000; i++) printf "[%sT10:00:00.000Z] [stdout] big line %d padding padding\n", d, i }' \
	>"$APPS/big/logs/$D3.log"
same big_last_two "$(printf '[%sT10:00:00.000Z] [stdout] big line %d padding padding\n' $D3 39999 $D3 40000)" \
	L big -n 2
run L big -n 30000
check big_count [ "$(wc -l <"$T/out")" -eq 30000 ]
check big_first_of_last sh -c "head -n 1 '$T/out' | grep -q 'big line 10001 '"
rm -rf "$APPS/big"

# Errors.
run L nosuch
check unknown_app_exit_1 [ "$RC" -eq 1 ]
check unknown_app_message grep -q "^toesctl: no app named 'nosuch' in /.*/apps\$" "$T/err"
run L ../web
check dotdot_is_no_app [ "$RC" -eq 1 ]
run L web --bogus
check bad_option_exit_2 [ "$RC" -eq 2 ]
check bad_option_one_line one_error_line
check bad_option_names_it err_has "'--bogus'"
check bad_option_usage err_has "toesctl logs [NAME] [-n N] [-f] [--date YYYY-MM-DD]"
run L web -n many
check bad_n_exit_2 [ "$RC" -eq 2 ]
check bad_n_one_line one_error_line
run L web api
check two_names_exit_2 [ "$RC" -eq 2 ]
run L empty
check no_log_yet_nothing ended 0
check no_log_yet_quiet [ ! -s "$T/err" ]

# A closed pipe ends -f (head exits; toesctl must not keep running).
run timeout 5 sh -c "'$TOESCTL' --apps-dir '$APPS' logs -f web | head -n 1"
check closed_pipe_ends_follow [ "$RC" -eq 0 ]
check closed_pipe_one_line [ "$(wc -l <"$T/out")" -eq 1 ]

# follow NAME ARGS...: toesctl logs -f ARGS in the background (working in
# $T, so a failed run's leftovers are killed), into $T/NAME.out and .err.
follow() {
	fl_name=$1
	shift
	(cd "$T" && exec "$TOESCTL" --apps-dir "$APPS" logs -f "$@" >"$T/$fl_name.out" 2>"$T/$fl_name.err") &
	FOLLOW_PID=$!
}

# -f on one app: appended lines, the next day's file, a copytruncate.
follow one web -n 2
F1=$FOLLOW_PID
check f_shows_last_lines wait_until 5 has "$T/one.out" "$(line $D3 15.000 w15)"
line $D3 16.000 w16 >>"$W/$D3.log"
check f_appended_line wait_until 5 has "$T/one.out" "$(line $D3 16.000 w16)"
line $D4 01.000 next-day >"$W/$D4.log"
check f_moves_to_new_day wait_until 5 has "$T/one.out" "$(line $D4 01.000 next-day)"
line $D4 02.000 next-day-2 >>"$W/$D4.log"
check f_new_day_appended wait_until 5 has "$T/one.out" "$(line $D4 02.000 next-day-2)"
cp "$W/$D4.log" "$T/rotated.log"
: >"$W/$D4.log"
line $D4 03.000 after-truncate >>"$W/$D4.log"
check f_after_copytruncate wait_until 5 has "$T/one.out" "$(line $D4 03.000 after-truncate)"
check f_truncation_said grep -qxF "toesctl: web/logs/$D4.log was truncated; following from its start" "$T/one.err"
WANT_ONE=$(lines $D3 14 16 w; line $D4 01.000 next-day; line $D4 02.000 next-day-2; line $D4 03.000 after-truncate)
check f_nothing_twice [ "$(cat "$T/one.out")" = "$WANT_ONE" ]
kill "$F1"

# -f on every app: a line held until its newline, a new app's folder.
follow all -n 1
F2=$FOLLOW_PID
check fa_started wait_until 5 has "$T/all.out" "web | $(line $D4 03.000 after-truncate)"
line $D3 20.000 api-c >>"$APPS/api/logs/$D3.log"
check fa_prefixed wait_until 5 has "$T/all.out" "api | $(line $D3 20.000 api-c)"
printf 'half' >>"$W/$D4.log"
line $D3 21.000 api-d >>"$APPS/api/logs/$D3.log"
# Once api-d is shown, the turn that read it saw "half" too.
check fa_turn_after_partial wait_until 5 has "$T/all.out" "api | $(line $D3 21.000 api-d)"
printf ' and the rest\n' >>"$W/$D4.log"
check fa_partial_joined wait_until 5 has "$T/all.out" "web | half and the rest"
check fa_partial_not_split sh -c "! grep -qx 'web | half' '$T/all.out'"
mkdir -p "$APPS/newapp/logs"
line $D4 05.000 newcomer >"$APPS/newapp/logs/$D4.log"
check fa_new_app_picked_up wait_until 5 has "$T/all.out" "newapp | $(line $D4 05.000 newcomer)"
kill "$F2"

# -f on an app with no log yet: it waits for one.
follow none empty
F3=$FOLLOW_PID
mkdir -p "$APPS/empty/logs"
line $D4 07.000 first-words >"$APPS/empty/logs/$D4.log"
check f_waits_for_first_file wait_until 5 has "$T/none.out" "$(line $D4 07.000 first-words)"
kill "$F3"
wait 2>/dev/null

# What a real toesd wrote (its own apps folder: it must not touch the above).
APPS=$T/apps2
mkdir -p "$APPS"
app lw "$FIXTURE --listen --print hello-from-toesd"
start_toesd --apps-dir "$APPS"
check toesd_app_running wait_until 5 state_is lw running
check toesd_line_shown wait_until 5 sh -c "'$TOESCTL' --data-dir '$T' --apps-dir '$APPS' logs lw | grep -q '\] \[stdout\] hello-from-toesd\$'"
check toesd_system_line sh -c "'$TOESCTL' --data-dir '$T' --apps-dir '$APPS' logs lw -n 100 | grep -q '\] \[system\] '"
stop_toesd
done_testing
