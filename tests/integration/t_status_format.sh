# Status reads at a glance (SPEC §3, §8; issue 11 item 6): the table's
# columns start at their header's display column in every row, with a
# 40-character name, a CJK name (4 columns for 2 characters) and icons of 1
# and 2 columns; `status NAME` shows the table's formats (`-` for none,
# `0.7s`, not `703 ms`) and exits 3 when the app is not running (0 with
# --json, 1 for an unknown app).
. tests/integration/lib.sh

export LC_ALL=C
PAW=$(printf '\360\237\220\276')    # 🐾 the default icon: 2 columns
HEART=$(printf '\342\235\244')      # ❤ U+2764, East Asian Width N: 1 column
ROCKET=$(printf '\360\237\232\200') # 🚀 2 columns
NIHON=$(printf '\346\227\245\346\234\254') # 日本: 4 columns
LONG=abcdefghij-abcdefghij-abcdefghij-abcdefg # 40 characters

# to_columns: each wide character the test uses as that many ASCII bytes,
# so that byte offsets are display columns.
to_columns() {
	sed -e "s/$PAW/WW/g" -e "s/$HEART/n/g" -e "s/$ROCKET/WW/g" -e "s/$NIHON/WWWW/g"
}
# misaligned TABLE: rows whose cells do not start where their header does
# (a blank before, none at the column); nothing when all are aligned.
misaligned() {
	printf '%s\n' "$1" | to_columns | awk '
		NR == 1 { n = split("NAME STATE PID PORT UPTIME RESTARTS LAST ERROR", h, " ")
			for (k = 1; k <= n; k++) off[k] = index($0, h[k]); next }
		{ for (k = 1; k <= n; k++) { c = off[k]
			if (substr($0, c, 1) == " " || substr($0, c - 1, 1) != " ") print NR ": " h[k] ": " $0 } }'
}
# header_column TABLE WORD: the display column (from 1) of WORD in the header.
header_column() { printf '%s\n' "$1" | head -n 1 | to_columns | awk -v w="$2" '{ print index($0, w) }'; }
# row_of TABLE NAME: the row of the app NAME, in columns.
row_of() { printf '%s\n' "$1" | to_columns | awk -v n="$2" 'NR > 1 && index($0, " " n " ")'; }
# cell_of TABLE NAME HEADER: the first word of the app's cell under HEADER.
cell_of() {
	cell_at=$(header_column "$1" "$3")
	row_of "$1" "$2" | cut -c "$cell_at-" | awk '{ print $1 }'
}
icon_app() {
	mkdir -p "$APPS/$1/v1"
	printf '{"toes":{"icon":"%s","health":false},"scripts":{"toes":"%s"}}\n' "$2" "$3" >"$APPS/$1/v1/package.json"
}
has_line() { printf '%s\n' "$1" | grep -qx -- "$2"; }

# --- 1- and 2-column icons, a 40-character name, a CJK name ----------------

icon_app one "$HEART" "$FIXTURE"
icon_app rocket "$ROCKET" "$FIXTURE"
icon_app "$NIHON" "$HEART" "$FIXTURE"
app "$LONG" "$FIXTURE"
app crash "$FIXTURE --exit-after 0 --code 3"
start_toesd --restart-delays 30s

for a in one rocket "$NIHON" "$LONG"; do
	check "running_$a" wait_until 5 state_is "$a" running
done
check crash_backoff wait_until 5 sh -c "'$TOESCTL' --toes-dir '$T/toes' status crash --json | grep -q '\"detail\":\"backoff\"'"
table=$(ctl status)
check table_rows [ "$(printf '%s\n' "$table" | wc -l)" -eq 6 ]
bad=$(misaligned "$table")
check table_aligned_in_columns [ -z "$bad" ]
[ -z "$bad" ] || printf '%s\n' "$table" "$bad"
# The icon column is as wide as the widest icon (2), then one blank.
check name_column_after_icons [ "$(header_column "$table" NAME)" -eq 4 ]
# NAME is as wide as the 40-character name, then two blanks.
check state_column_after_long_name [ "$(header_column "$table" STATE)" -eq $((4 + 40 + 2)) ]
check long_name_whole row_of "$table" "$LONG"
check one_column_icon_padded [ "$(row_of "$table" one | cut -c 1-7)" = "n  one " ]
check two_column_icon_row [ "$(row_of "$table" rocket | cut -c 1-10)" = "WW rocket " ]
check cjk_name_row [ "$(row_of "$table" WWWW | cut -c 1-8)" = "n  WWWW " ]
check state_detail_in_table sh -c "printf '%s\n' \"\$1\" | grep -q 'stopped (restart in [0-9.]*s, attempt 1)'" _ "$table"
for col in PID PORT UPTIME ERROR; do
	check "table_${col}_dash" [ "$(cell_of "$table" crash "$col")" = "-" ]
done
check table_last_exit [ "$(cell_of "$table" crash LAST)" = "code" ]

# --- status NAME: the table's formats -------------------------------------

out=$(ctl status crash 2>"$T/err")
rc=$?
check details_not_running_exit_3 [ "$rc" -eq 3 ]
check details_not_running_on_stdout [ ! -s "$T/err" ]
check details_pid_dash has_line "$out" "pid:        -"
check details_port_dash has_line "$out" "port:       -"
check details_uptime_dash has_line "$out" "uptime:     -"
check details_error_dash has_line "$out" "error:      -"
check details_state_detail sh -c "printf '%s\n' \"\$1\" | grep -qx 'state:      stopped (restart in [0-9]*\(\.[0-9]\)\{0,1\}s, attempt 1)'" _ "$out"
check details_restart_in_seconds sh -c "printf '%s\n' \"\$1\" | grep -qx 'restart in: [0-9]*\(\.[0-9]\)\{0,1\}s'" _ "$out"
check details_no_ms sh -c "! printf '%s\n' \"\$1\" | grep -q ' ms'" _ "$out"
check details_last_exit sh -c "printf '%s\n' \"\$1\" | grep -q '^last exit:  code 3 at 20'" _ "$out"
check details_name_line has_line "$out" "name:       $PAW crash"

out=$(ctl status one 2>"$T/err")
check details_running_exit_0 [ $? -eq 0 ]
check details_running_last_exit_dash has_line "$out" "last exit:  -"
check details_running_restarts has_line "$out" "restarts:   0"
check details_running_no_restart_in sh -c "! printf '%s\n' \"\$1\" | grep -q '^restart in:'" _ "$out"
check details_pid_is_table_pid has_line "$out" "pid:        $(field one pid)"

ctl status crash --json >"$T/json" 2>&1
check details_json_exit_0 [ $? -eq 0 ]
check details_json_detail grep -q '"detail":"backoff"' "$T/json"
ctl status nosuch >/dev/null 2>&1
check details_unknown_exit_1 [ $? -eq 1 ]
ctl stop one >/dev/null
ctl status one >/dev/null 2>&1
check details_stopped_exit_3 [ $? -eq 3 ]
stop_toesd

# --- only 1-column icons: the icon column is 1 wide -----------------------

rm -rf "${APPS:?}"/*
icon_app one "$HEART" "$FIXTURE"
icon_app two "$HEART" "$FIXTURE"
start_toesd
check narrow_running wait_until 5 state_is two running
table=$(ctl status)
check narrow_name_column [ "$(header_column "$table" NAME)" -eq 3 ]
check narrow_aligned [ -z "$(misaligned "$table")" ]
check narrow_row [ "$(row_of "$table" two | cut -c 1-6)" = "n two " ]
done_testing
