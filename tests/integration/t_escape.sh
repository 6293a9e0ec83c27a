# What reaches a terminal or toesd's log is clean (issue 10, item 6): an
# app's ESC sequences, OSC 52, BEL, CR and C1 bytes, and control
# characters in a folder name, an icon, a version folder or toes.tool show
# escaped (\x1b) in `toesctl status`, in `status --json` and in toesd's
# log, while the app's day file keeps the bytes as the app wrote them.
. tests/integration/lib.sh

export LC_ALL=C
TODAY=$(date -u +%F)
ESC=$(printf '\033')
CR=$(printf '\r')
FORGED='[2026-01-01T00:00:00.000Z]'

# clean FILE: no C0 control but TAB and LF, no DEL, no C1 as UTF-8 (C2 80..9F).
clean() {
	od -An -v -tu1 "$1" | awk '
		{ for (i = 1; i <= NF; i++) { b = $i
			if ((b < 32 && b != 9 && b != 10) || b == 127 || (p == 194 && b >= 128 && b < 160)) bad = 1
			p = b } }
		END { exit bad }'
}
# bytes_in FILE OCTAL: how many bytes of that value the file holds.
bytes_in() { tr -dc "\\$2" <"$1" | wc -c; }
no_byte() { [ "$(bytes_in "$1" "$2")" -eq 0 ]; }
has_text() { grep -qF -- "$2" "$1"; }
# no_line_starts FILE TEXT: no line of the file starts with TEXT.
no_line_starts() { ! cut -c "1-${#2}" "$1" | grep -qxF -- "$2"; }

# esc prints the sequences, then waits; its icon and its version folder
# hold controls too, its tool a raw DEL and a raw C1 (JSON allows those).
V=$(printf 'v\033[2J')
mkdir -p "$APPS/esc/$V"
cat >"$APPS/esc/$V/package.json" <<'EOF'
{"name":"esc","toes":{"health":false,"icon":"\u001b]0;title\u0007","tool":{"t":"DEL C1 "}},
 "scripts":{"toes":"printf 'A\\033[2J clear\\nB\\033]52;c;aGVsbG8=\\007 osc\\nC\\r[2026-01-01T00:00:00.000Z] [system] Forged\\nD\\302\\233c1 \\233raw \\342\\202\\254\\n'; exec sleep 1000"}}
EOF
# The tool's string gets its raw DEL and C2 9B here (the heredoc cannot hold them).
sed "s/DEL C1 /$(printf '\177\302\233')/" "$APPS/esc/$V/package.json" >"$T/pkg.json"
mv "$T/pkg.json" "$APPS/esc/$V/package.json"

# A folder name with a newline, an ESC and a forged line of toesd's log.
BAD=$(printf 'bad\nname\033[31m\n%s [toesd] Forged' "$FORGED")
mkdir -p "$APPS/$BAD/v1"
printf '{"name":"bad","toes":{"health":false},"scripts":{"toes":"exec sleep 1000"}}\n' \
	>"$APPS/$BAD/v1/package.json"

start_toesd

check esc_running wait_until 5 state_is esc running
check esc_output_written wait_until 5 sh -c "cat '$APPS/esc/logs/$TODAY.log' | grep -q 'c1 '"
check bad_registered wait_until 5 sh -c "'$TOESCTL' --toes-dir '$T/toes' status --json | grep -qF 'bad\\nname'"

# status NAME: the app's lines, icon and version, escaped.
ctl status esc >"$T/details" 2>&1
check details_clean clean "$T/details"
check details_no_esc no_byte "$T/details" 033
check details_no_bel no_byte "$T/details" 007
check details_no_cr no_byte "$T/details" 015
check details_no_csi no_byte "$T/details" 233
check details_esc_shown has_text "$T/details" 'A\x1b[2J clear'
check details_osc52_shown has_text "$T/details" 'B\x1b]52;c;aGVsbG8=\x07 osc'
check details_cr_shown has_text "$T/details" 'C\x0d[2026-01-01T00:00:00.000Z] [system] Forged'
check details_c1_shown has_text "$T/details" 'D\xc2\x9bc1 \x9braw '
check details_utf8_kept has_text "$T/details" "$(printf 'raw \342\202\254')"
check details_icon_shown has_text "$T/details" 'name:       \x1b]0;title\x07 esc'
check details_version_shown has_text "$T/details" 'version:    v\x1b[2J'
check details_no_forged_line no_line_starts "$T/details" "$FORGED"

# The table: clean, one line per app under the header, the name escaped.
ctl status >"$T/table" 2>&1
check table_clean clean "$T/table"
check table_no_esc no_byte "$T/table" 033
check table_rows [ "$(wc -l <"$T/table")" -eq 3 ]
check table_bad_name has_text "$T/table" "bad\\x0aname\\x1b[31m\\x0a$FORGED [toesd] Forged"
check table_icon has_text "$T/table" '\x1b]0;title\x07 esc'

# JSON: the same characters as \u escapes, the tool's DEL and C1 too.
ctl status --json >"$T/json" 2>&1
check json_clean clean "$T/json"
check json_no_esc no_byte "$T/json" 033
check json_no_del no_byte "$T/json" 177
check json_icon has_text "$T/json" '"icon":"\u001b]0;title\u0007"'
check json_tool has_text "$T/json" '"tool":{"t":"\u007f\u009b"}'
check json_version has_text "$T/json" '"version":"v\u001b[2J"'
check json_bad_name has_text "$T/json" '"name":"bad\nname\u001b[31m\n'
ctl status esc --json >"$T/json1" 2>&1
check json_one_clean clean "$T/json1"

# The day file keeps the app's bytes; lines still split at LF only.
DAY=$APPS/esc/logs/$TODAY.log
check day_keeps_esc [ "$(bytes_in "$DAY" 033)" -ge 2 ]
check day_keeps_bel [ "$(bytes_in "$DAY" 007)" -ge 1 ]
check day_keeps_cr grep -qF "C$CR$FORGED [system] Forged" "$DAY"
check day_keeps_c1 grep -qF "D$(printf '\302\233')c1 $(printf '\233')raw" "$DAY"
check day_keeps_esc_text grep -qF "A$ESC[2J clear" "$DAY"

# toesd's log: the folder name escaped, so no forged line and no ESC.
check log_bad_name wait_until 5 has_text "$T/toesd.log" '[bad\x0aname\x1b[31m\x0a'
check log_clean clean "$T/toesd.log"
check log_no_forged_line no_line_starts "$T/toesd.log" "$FORGED"
check log_lines_stamped sh -c "! grep -qv '^\[20[0-9-]*T[0-9:.]*Z\] \[' '$T/toesd.log'"
# A reply that repeats what the user typed (an unknown name) is escaped too.
ctl stop "$(printf 'e\033]0;pwn\007x')" >"$T/reply.out" 2>&1
check reply_no_raw_esc sh -c "! grep -q \"\$(printf '\033')\" '$T/reply.out'"
check reply_escaped grep -qF 'e\x1b]0;pwn\x07x' "$T/reply.out"
done_testing
