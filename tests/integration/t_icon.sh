# `toesctl icon NAME EMOJI` (SPEC §2): toes.icon set in
# APPS/NAME/current/package.json with every other byte kept (indented,
# compact, tabs, CRLF, an escaped old icon, a BOM), the real file behind
# `current` replaced atomically with its mode and owner kept and no
# temporary file left; bad emoji (exit 2), unknown apps, links, invalid
# JSON and a toes that is no object refused with the file untouched; and
# a running toesd showing the new icon.
. tests/integration/lib.sh

CAT=$(printf '\360\237\220\210') # 🐈
PAW=$(printf '\360\237\220\276') # 🐾
E=$T/expected
mkdir -p "$E"

# put NAME FORMAT [ARG...]: the app NAME, its package.json printf'd into
# $APPS/NAME/v1 and current a link to v1.
put() {
	p_name=$1
	shift
	mkdir -p "$APPS/$p_name/v1"
	# shellcheck disable=SC2059
	printf "$@" >"$APPS/$p_name/v1/package.json"
	ln -sfn v1 "$APPS/$p_name/current"
}
pkg() { echo "$APPS/$1/v1/package.json"; }
# want NAME FORMAT [ARG...]: the expected bytes of NAME's file.
want() {
	w_name=$1
	shift
	# shellcheck disable=SC2059
	printf "$@" >"$E/$w_name"
}
# run_icon NAME EMOJI: sets RC; stdout in $T/out, stderr in $T/err.
run_icon() {
	"$TOESCTL" --data-dir "$T" icon "$1" "$2" >"$T/out" 2>"$T/err"
	RC=$?
}
out_is() { [ "$(cat "$T/out")" = "$1" ] && [ ! -s "$T/err" ]; }
# err_is_one_line TEXT: stderr is one line holding TEXT, stdout empty.
err_is_one_line() { [ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF -- "$1" "$T/err" && [ ! -s "$T/out" ]; }
icon_shown() { [ "$(field "$1" icon)" = "$2" ]; }
only_package() { [ "$(ls -A "$APPS/$1/v1")" = package.json ]; }
# set_ok NAME: icon NAME 🐈 succeeds, and the file is what want wrote.
set_ok() {
	run_icon "$1" "$CAT"
	check "$1_exit_0" [ "$RC" -eq 0 ]
	check "$1_says_so" out_is "icon of $1 set to $CAT"
	check "$1_bytes" cmp -s "$(pkg "$1")" "$E/$1"
	check "$1_no_temp_left" only_package "$1"
}

# Two-space indentation, an icon there already: only its bytes change.
put indented '{\n  "name": "indented",\n  "scripts": {\n    "toes": "run"\n  },\n  "toes": {\n    "icon": "%s",\n    "tool": true\n  }\n}\n' "$PAW"
want indented '{\n  "name": "indented",\n  "scripts": {\n    "toes": "run"\n  },\n  "toes": {\n    "icon": "%s",\n    "tool": true\n  }\n}\n' "$CAT"
chmod 640 "$(pkg indented)"
set_ok indented
check indented_mode_kept [ "$(stat -c %a "$(pkg indented)")" = 640 ]
check current_still_a_link [ -L "$APPS/indented/current" ]

# Compact, no toes: a last member "toes":{"icon":…}.
put compact '{"name":"compact","scripts":{"toes":"run"}}'
want compact '{"name":"compact","scripts":{"toes":"run"},"toes":{"icon":"%s"}}' "$CAT"
set_ok compact

# Tabs, toes without an icon: its first member.
put tabs '{\n\t"name": "tabs",\n\t"toes": {\n\t\t"tool": 1\n\t}\n}\n'
want tabs '{\n\t"name": "tabs",\n\t"toes": {\n\t\t"icon": "%s",\n\t\t"tool": 1\n\t}\n}\n' "$CAT"
set_ok tabs

# CRLF, no toes: the new object laid out on CRLF lines.
put crlf '{\r\n  "name": "crlf",\r\n  "scripts": {\r\n    "toes": "run"\r\n  }\r\n}\r\n'
want crlf '{\r\n  "name": "crlf",\r\n  "scripts": {\r\n    "toes": "run"\r\n  },\r\n  "toes": {\r\n    "icon": "%s"\r\n  }\r\n}\r\n' "$CAT"
set_ok crlf

# A \u-escaped old icon is replaced whole; a BOM stays.
put escaped '\357\273\277{"name": "escaped", "toes": {"icon": "\\ud83d\\udc3e"}}\n'
want escaped '\357\273\277{"name": "escaped", "toes": {"icon": "%s"}}\n' "$CAT"
set_ok escaped

# The owner is kept (root only can give a file away).
if [ "$(id -u)" = 0 ]; then
	put owned '{"name":"owned","toes":{"icon":"x"}}\n'
	want owned '{"name":"owned","toes":{"icon":"%s"}}\n' "$CAT"
	chown 12345:12345 "$(pkg owned)"
	chmod 600 "$(pkg owned)"
	set_ok owned
	check owner_kept [ "$(stat -c %u:%g "$(pkg owned)")" = 12345:12345 ]
	check owned_mode_kept [ "$(stat -c %a "$(pkg owned)")" = 600 ]
else
	skip owner_kept "not root: cannot give the file another owner"
fi

# Not root, the file someone else's: refused before anything is written.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	put foreign '{"name":"foreign"}\n'
	cp "$(pkg foreign)" "$E/foreign"
	chmod 711 "$T" "$APPS"
	chown 12345:12345 "$APPS/foreign" "$APPS/foreign/v1"
	setpriv --reuid=12345 --regid=12345 --clear-groups \
		"$TOESCTL" --data-dir "$T" icon foreign "$CAT" >"$T/out" 2>"$T/err"
	RC=$?
	check foreign_exit_1 [ "$RC" -eq 1 ]
	check foreign_says_owner err_is_one_line "cannot keep the owner (0:0)"
	check foreign_unchanged cmp -s "$(pkg foreign)" "$E/foreign"
	check foreign_no_temp_left only_package foreign
	chmod 700 "$T"
else
	skip foreign_owner_refused "needs root and setpriv"
fi

# The same icon again: said, and the file not rewritten.
ino=$(stat -c %i "$(pkg compact)")
run_icon compact "$CAT"
check same_exit_0 [ "$RC" -eq 0 ]
check same_says_already out_is "icon of compact is already $CAT"
check same_not_rewritten [ "$(stat -c %i "$(pkg compact)")" = "$ino" ]

# Bad emoji: exit 2, one line, the file untouched.
cp "$(pkg compact)" "$E/compact"
run_icon compact "$(printf '\377')"
check bad_utf8_exit_2 [ "$RC" -eq 2 ]
check bad_utf8_says_why err_is_one_line "toesctl: the icon must be at most 32 bytes of UTF-8"
check bad_utf8_unchanged cmp -s "$(pkg compact)" "$E/compact"
run_icon compact "$(printf 'x%.0s' $(seq 33))"
check long_exit_2 [ "$RC" -eq 2 ]
check long_says_why err_is_one_line "at most 32 bytes of UTF-8"
run_icon compact "$CAT$CAT$CAT$CAT$CAT$CAT$CAT$CAT" # 32 bytes: fits
check thirty_two_bytes_fit [ "$RC" -eq 0 ]
run_icon compact "$(printf 'a\033[2J')"
check control_exit_2 [ "$RC" -eq 2 ]
run_icon compact ""
check empty_exit_2 [ "$RC" -eq 2 ]

# Unknown app, and a name that is no app's.
run_icon nosuch "$CAT"
check unknown_exit_1 [ "$RC" -eq 1 ]
check unknown_names_path err_is_one_line "$APPS/nosuch/current"
run_icon ../compact "$CAT"
check slash_name_exit_2 [ "$RC" -eq 2 ]

# package.json a symbolic link: refused, the link stays a link.
mkdir -p "$APPS/linked/v1"
printf '{"name":"linked"}\n' >"$T/elsewhere.json"
cp "$T/elsewhere.json" "$E/linked"
ln -s "$T/elsewhere.json" "$APPS/linked/v1/package.json"
ln -s v1 "$APPS/linked/current"
run_icon linked "$CAT"
check link_exit_1 [ "$RC" -eq 1 ]
check link_says_why err_is_one_line "is a symbolic link"
check link_still_a_link [ -L "$APPS/linked/v1/package.json" ]
check link_target_unchanged cmp -s "$T/elsewhere.json" "$E/linked"

# Invalid JSON: where, and untouched.
put broken '{\n  "name": "broken"\n  "toes": {}\n}\n'
cp "$(pkg broken)" "$E/broken"
run_icon broken "$CAT"
check invalid_exit_1 [ "$RC" -eq 1 ]
check invalid_says_where err_is_one_line "$APPS/broken/current/package.json: invalid JSON: line 3, column 3: expected ',' or '}'"
check invalid_unchanged cmp -s "$(pkg broken)" "$E/broken"

# toes not an object; the top level not an object.
put strtoes '{"name":"strtoes","toes":"x"}\n'
cp "$(pkg strtoes)" "$E/strtoes"
run_icon strtoes "$CAT"
check toes_string_exit_1 [ "$RC" -eq 1 ]
check toes_string_says_why err_is_one_line "toes is not an object"
check toes_string_unchanged cmp -s "$(pkg strtoes)" "$E/strtoes"
put array '[1]\n'
run_icon array "$CAT"
check array_exit_1 [ "$RC" -eq 1 ]
check array_says_why err_is_one_line "the top level is not an object"

# A running toesd shows the new icon (toesctl asks it to read the
# package.json again with `reload web`).
app web "$FIXTURE --listen"
start_toesd
check web_running wait_until 5 state_is web running
[ -e "$APPS/web/current" ] || ln -s v1 "$APPS/web/current"
run_icon web "$CAT"
check web_icon_exit_0 [ "$RC" -eq 0 ]
check status_shows_icon wait_until 5 icon_shown web "$CAT"
stop_toesd

done_testing
