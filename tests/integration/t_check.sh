# `toesctl check PATH` (SPEC §2, §8): a package.json, a folder holding one,
# or an app folder; one JSON object on stdout; exit 0 app, 1 valid JSON but
# not an app, 2 invalid or unreadable with line and column on stderr; and
# the JSON test corpus.
. tests/integration/lib.sh

CORPUS=../shared/corpus/json/test_parsing
D=$T/check
mkdir -p "$D"

# run_check PATH: toesctl check PATH; sets RC, and leaves $T/out and $T/err.
run_check() {
	"$TOESCTL" check "$1" >"$T/out" 2>"$T/err"
	RC=$?
}
# out_is TEXT: stdout was exactly one line, TEXT.
out_is() { [ "$(wc -l <"$T/out")" -eq 1 ] && [ "$(cat "$T/out")" = "$1" ]; }
err_has() { grep -qF -- "$1" "$T/err"; }
# expect NAME PATH RC [STDOUT]: check PATH exits RC (and prints STDOUT).
expect() {
	run_check "$2"
	check "$1_exit_$3" [ "$RC" -eq "$3" ]
	if [ $# -ge 4 ]; then
		check "$1_stdout" out_is "$4"
	fi
}

# A valid app, with an icon and a tool object.
APP_JSON='{"name":"web","scripts":{"toes":"node server.js"},"toes":{"icon":"🚀","tool":{"path":"/x","n":[1,2]}}}'
APP_OUT='{"name":"web","toes":"node server.js","icon":"🚀","tool":{"path":"/x","n":[1,2]}}'
mkdir -p "$D/dir"
printf '%s\n' "$APP_JSON" >"$D/dir/package.json"
expect file "$D/dir/package.json" 0 "$APP_OUT"
check file_stderr_empty test ! -s "$T/err"
expect folder "$D/dir" 0 "$APP_OUT"

# An app folder: current/package.json, current a link to a version.
mkdir -p "$D/app/v1" "$D/app/v2"
printf '%s\n' "$APP_JSON" >"$D/app/v2/package.json"
printf '{"name":"old","scripts":{"toes":"old"}}\n' >"$D/app/v1/package.json"
ln -s v2 "$D/app/current"
expect app_folder "$D/app" 0 "$APP_OUT"

# Missing fields are null; the default icon is not filled in.
printf '{"scripts":{"toes":"run"}}\n' >"$D/bare.json"
expect bare "$D/bare.json" 0 '{"name":null,"toes":"run","icon":null,"tool":null}'
# A tool that is not an object passes through as given.
printf '{"name":"t","scripts":{"toes":"x"},"toes":{"tool":true}}\n' >"$D/tool.json"
expect tool_true "$D/tool.json" 0 '{"name":"t","toes":"x","icon":null,"tool":true}'
# Duplicate keys: the last one wins.
printf '{"name":"a","scripts":{"toes":"one"},"scripts":{"toes":"two"},"name":"b"}\n' >"$D/dup.json"
expect duplicate_keys "$D/dup.json" 0 '{"name":"b","toes":"two","icon":null,"tool":null}'
# A UTF-8 byte-order mark at the start is skipped.
printf '\357\273\277{"name":"bom","scripts":{"toes":"x"}}\n' >"$D/bom.json"
expect bom "$D/bom.json" 0 '{"name":"bom","toes":"x","icon":null,"tool":null}'

# Valid JSON but not an app: exit 1, the object still printed.
printf '{"name":"lib","scripts":{"test":"make test"}}\n' >"$D/lib.json"
expect no_toes_script "$D/lib.json" 1 '{"name":"lib","toes":null,"icon":null,"tool":null}'
check no_toes_script_says_why err_has "Missing scripts.toes"
printf '{"name":"e","scripts":{"toes":""}}\n' >"$D/empty.json"
expect empty_toes_script "$D/empty.json" 1
printf '{"name":"n","scripts":{"toes":5}}\n' >"$D/num.json"
expect number_toes_script "$D/num.json" 1
printf '[1,2,3]\n' >"$D/array.json"
expect array_top "$D/array.json" 1

# Invalid JSON: exit 2, line and column (1-based, in bytes) on stderr.
printf '{\n  "name": "x"\n  "scripts": {"toes": "a"}\n}\n' >"$D/bad1.json"
expect missing_comma "$D/bad1.json" 2
check missing_comma_where err_has "line 3, column 3"
# Columns count bytes: é and ü take two each, so x is at byte 12.
printf '{\n"\303\251": "\303\274" x\n}\n' >"$D/bad2.json"
expect utf8_columns "$D/bad2.json" 2
check utf8_columns_where err_has "line 2, column 12"
printf '{"name":"x",\n"scripts":{"toes":"a"},\n' >"$D/bad3.json"
expect truncated "$D/bad3.json" 2
check truncated_where err_has "line 3, column 1"
mkdir -p "$D/badapp/v1"
cp "$D/bad1.json" "$D/badapp/v1/package.json"
ln -s v1 "$D/badapp/current"
expect app_folder_invalid "$D/badapp" 2
check app_folder_invalid_where err_has "line 3, column 3"

# Depth: 64 nested containers are accepted, 65 are an error.
nest() { # nest N: the app object with N containers in all
	i=2 open='' close=''
	while [ "$i" -lt "$1" ]; do
		open="${open}[" close="${close}]"
		i=$((i + 1))
	done
	printf '{"scripts":{"toes":"x"},"toes":{"tool":%s%s}}\n' "$open" "$close"
}
nest 64 >"$D/depth64.json"
nest 65 >"$D/depth65.json"
expect depth_64 "$D/depth64.json" 0
expect depth_65 "$D/depth65.json" 2

# Unreadable: a missing file, a folder without package.json, an app folder
# whose current points nowhere.
expect missing_file "$D/nosuch.json" 2
check missing_file_message test -s "$T/err"
mkdir -p "$D/empty-dir"
expect folder_without_package "$D/empty-dir" 2
mkdir -p "$D/dangling"
ln -s v9 "$D/dangling/current"
expect dangling_current "$D/dangling" 2

# The corpus: every n_ file is rejected (2), every y_ file is valid JSON
# but not an app (1), and i_ files give 1 or 2; none crashes or hangs.
TMO=
if command -v timeout >/dev/null 2>&1; then TMO="timeout 10"; fi
# corpus_bad PREFIX CODES: the files of PREFIX_*.json whose exit is not in CODES.
corpus_bad() {
	bad=
	for f in "$CORPUS/$1"_*.json; do
		[ -f "$f" ] || continue
		$TMO "$TOESCTL" check "$f" >/dev/null 2>&1
		rc=$?
		case " $2 " in
		*" $rc "*) ;;
		*) bad="$bad ${f##*/}=$rc" ;;
		esac
	done
	echo "$bad"
}
count() { ls "$CORPUS/$1"_*.json 2>/dev/null | wc -l; }
check corpus_has_n_files [ "$(count n)" -gt 100 ]
check corpus_has_y_files [ "$(count y)" -gt 50 ]
BAD_N=$(corpus_bad n 2)
check corpus_n_rejected [ -z "$BAD_N" ]
BAD_Y=$(corpus_bad y 1)
check corpus_y_valid_not_app [ -z "$BAD_Y" ]
BAD_I=$(corpus_bad i "1 2")
check corpus_i_no_crash [ -z "$BAD_I" ]
done_testing
