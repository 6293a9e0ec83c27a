# Messages that say what to do (issue 11 item 10): toesd --help groups its
# options with their defaults and names the variables and env files; a bad
# value says the form expected, for every kind of option; toesd and
# toesctl word a missing value alike; every error of toesctl starts with
# "toesctl: "; an unknown option is never taken for an app name; check
# names the file; a missing socket is named with the ways to point at
# another; --data-dir works for toesctl; toesd warns of an apps folder it
# had to create, and says once per scan which folders are no apps and why,
# and which newest version it passed over.
. tests/integration/lib.sh

RAWSOCK=$BUILD/fixtures/rawsock
SOCK=$T/toes/toesd.sock

says() { printf '%s\n' "$1" | grep -qF -- "$2"; }
one_line() { [ "$(printf '%s\n' "$1" | grep -c .)" -eq 1 ]; }
# all_prefixed FILE: every line starts with "toesctl: " (and there is one).
all_prefixed() { [ -s "$1" ] && ! grep -qv '^toesctl: ' "$1"; }
toesd_count() { grep -cF -- "$1" "$T/toesd.log"; }

# --- toesd --help ---------------------------------------------------------

help=$("$TOESD" --help)
check help_exit_0 [ $? -eq 0 ]
for group in "Folders" "Apps and ports:" "Timings" "Logs:" "Init systems:"; do
	check "help_group_$(echo "$group" | cut -d' ' -f1 | tr -d :)" says "$help" "$group"
done
for opt in --apps-dir --data-dir --toes-dir --run-dir --ports --url --runner --install-cmd \
	--startup-poll --startup-probe-timeout --survival --startup-timeout --health-interval \
	--health-timeout --health-failures --restart-delays --stable-time --stop-timeout \
	--log-days --watch-debounce --rescan-interval --log --log-max-bytes --metrics \
	--daemon --pidfile --ready-fd --no-rollback --keep-versions --version --help; do
	check "help_lists_$opt" says "$help" "$opt"
done
for default in "(3001-3100)" "(500ms)" "(2s)" "(5s)" "(30s)" "(3)" "(1,2,4,8,16,32)" "(60s)" \
	"(10s)" "(7)" "(32M)" "http://localhost:3000" "(standard error)"; do
	check "help_default_$default" says "$help" "$default"
done
for var in DATA_DIR APPS_DIR TOES_DIR TOES_URL _global.env NAME.env PORT; do
	check "help_names_$var" says "$help" "$var"
done
check help_fits_80_columns [ -z "$(printf '%s\n' "$help" | awk 'length($0) > 80')" ]

# --- bad values: the form expected, one line, exit 2 ----------------------

# bad NAME EXPECTED ARGS...: toesd ARGS exits 2 with one line on stderr
# that holds EXPECTED.
bad() {
	bad_name=$1 bad_want=$2
	shift 2
	"$TOESD" --data-dir "$T/never" "$@" >"$T/bad.out" 2>"$T/bad.err"
	bad_rc=$?
	check "bad_${bad_name}_exit_2" [ "$bad_rc" -eq 2 ]
	check "bad_${bad_name}_one_line" [ "$(wc -l <"$T/bad.err")" -eq 1 ]
	check "bad_${bad_name}_says" grep -qF -- "$bad_want" "$T/bad.err"
	check "bad_${bad_name}_no_stdout" [ ! -s "$T/bad.out" ]
}
bad ports "toesd: bad value for --ports: '10-5' (expected A-B with A <= B, e.g. 3001-3100)" --ports 10-5
bad ports_eq "toesd: bad value for --ports: 'x' (expected A-B" --ports=x
bad duration "toesd: bad value for --startup-poll: '5h' (expected a duration" --startup-poll 5h
bad duration_zero "bad value for --health-interval: '0' (expected a duration from 1ms to 30 days" --health-interval 0
bad duration_long "bad value for --stop-timeout: '31d'" --stop-timeout 31d
bad count "bad value for --health-failures: 'many' (expected a whole number" --health-failures many
bad count_zero "bad value for --health-failures: '0' (expected a whole number of at least 1" --health-failures 0
bad delays "bad value for --restart-delays: '1,,2' (expected durations" --restart-delays 1,,2
bad size "bad value for --log-max-bytes: '3X' (expected a number of bytes" --log-max-bytes 3X
bad folder "bad value for --apps-dir: '' (expected a folder)" --apps-dir ''
bad url "bad value for --url: '' (expected a URL" --url ''
bad command "bad value for --runner: '' (expected a command" --runner ''
bad unknown "toesd: unknown option '--bogus' (try toesd --help)" --bogus
bad argument "toesd: unexpected argument 'web'" web
bad ready_fd "toesd: bad value for --ready-fd: 'x'" --ready-fd x
bad flag_value "toesd: --no-rollback takes no value" --no-rollback=yes
check bad_values_create_nothing [ ! -e "$T/never" ]

# --- a missing value, worded alike ----------------------------------------

"$TOESD" --ports >/dev/null 2>"$T/d.err"
check toesd_missing_exit_2 [ $? -eq 2 ]
check toesd_missing_says grep -qx "toesd: missing value for --ports (expected A-B with A <= B, e.g. 3001-3100)" "$T/d.err"
"$TOESD" --stop-timeout --ports 3001-3002 >/dev/null 2>"$T/d.err"
check toesd_flag_not_a_value grep -q "^toesd: missing value for --stop-timeout (expected a duration" "$T/d.err"
"$TOESCTL" --timeout >/dev/null 2>"$T/c.err"
check toesctl_missing_exit_2 [ $? -eq 2 ]
check toesctl_missing_says grep -q "^toesctl: missing value for --timeout (expected a duration" "$T/c.err"
"$TOESCTL" --toes-dir --timeout 1s status >/dev/null 2>"$T/c.err"
check toesctl_flag_not_a_value grep -q "^toesctl: missing value for --toes-dir (expected a folder)" "$T/c.err"
# The same words once the program's name and the form are taken off.
d=$(sed 's/^toesd: \(missing value for\) --.*/\1/' "$T/d.err")
c=$(sed 's/^toesctl: \(missing value for\) --.*/\1/' "$T/c.err")
check missing_value_same_words [ "$d/$c" = "missing value for/missing value for" ]
"$TOESCTL" --timeout 0 status >/dev/null 2>"$T/c.err"
check toesctl_bad_timeout grep -q "^toesctl: bad value for --timeout: '0' (expected a duration" "$T/c.err"

# --- toesctl without toesd: every error prefixed, the socket named --------

"$TOESCTL" --toes-dir "$T/nowhere" status >"$T/c.out" 2>"$T/c.err"
check no_socket_exit_1 [ $? -eq 1 ]
check no_socket_prefixed all_prefixed "$T/c.err"
check no_socket_one_line [ "$(wc -l <"$T/c.err")" -eq 1 ]
check no_socket_names_it grep -qF "$T/nowhere/toesd.sock" "$T/c.err"
for way in --run-dir --toes-dir TOES_DIR; do
	check "no_socket_names_$way" grep -qF -- "$way" "$T/c.err"
done
check no_socket_says_origin grep -qF "found through --toes-dir" "$T/c.err"
TOES_DIR="$T/elsewhere" "$TOESCTL" status 2>"$T/c.err"
check no_socket_env_origin grep -qF "$T/elsewhere/toesd.sock (found through TOES_DIR)" "$T/c.err"
"$TOESCTL" --data-dir "$T/d2" status 2>"$T/c.err"
check no_socket_data_dir grep -qF "$T/d2/toes/toesd.sock (found through --data-dir)" "$T/c.err"

# usage errors: exit 2, prefixed, never sent as an app name.
for args in "status --bogus" "status a b" "stop" "start a b" "restart -x" "reload a b" \
	"check" "bogus" ""; do
	# shellcheck disable=SC2086
	"$TOESCTL" --toes-dir "$T/nowhere" $args >/dev/null 2>"$T/c.err"
	rc=$?
	label=$(echo "usage_${args:-none}" | tr ' ' _)
	check "${label}_exit_2" [ "$rc" -eq 2 ]
	check "${label}_prefixed" all_prefixed "$T/c.err"
done
"$TOESCTL" --toes-dir "$T/nowhere" status --bogus 2>"$T/c.err"
check status_bogus_before_connecting grep -qF "unknown option '--bogus' for status" "$T/c.err"

# --- check names the file ------------------------------------------------

mkdir -p "$T/pk/app/v1" "$T/pk/empty"
printf '{"scripts":\n  {"toes": }}\n' >"$T/pk/bad.json"
ln -s v1 "$T/pk/app/current"
printf '{"scripts":{"toes":1,}}\n' >"$T/pk/app/v1/package.json"
"$TOESCTL" check "$T/pk/bad.json" >/dev/null 2>"$T/c.err"
check check_bad_exit_2 [ $? -eq 2 ]
check check_bad_names_file grep -q "^toesctl: $T/pk/bad.json: Invalid JSON in package.json: line 2, column" "$T/c.err"
"$TOESCTL" check "$T/pk/app" >/dev/null 2>"$T/c.err"
check check_app_names_current grep -qF "toesctl: $T/pk/app/current/package.json: Invalid JSON" "$T/c.err"
"$TOESCTL" check "$T/pk/empty" >/dev/null 2>"$T/c.err"
check check_missing_names_file grep -qF "toesctl: $T/pk/empty/current/package.json: Missing package.json" "$T/c.err"
"$TOESCTL" check "$T/pk/none.json" >/dev/null 2>"$T/c.err"
check check_none_names_file grep -qF "toesctl: $T/pk/none.json: Missing package.json" "$T/c.err"

# --- toesd: the folders it skipped, the newest version passed over ---------

app web "$FIXTURE" v1
mkdir -p "$APPS/web/v2"
printf '{"scripts":{"toes":"x"}\n' >"$APPS/web/v2/package.json"
mkdir -p "$APPS/notes/drafts"
echo hello >"$APPS/notes/README"
mkdir -p "$APPS/flat"
echo '{"scripts":{"toes":"sleep 1"}}' >"$APPS/flat/package.json"
mkdir -p "$APPS/half/v1"
echo '{"name":"half"}' >"$APPS/half/v1/package.json"
start_toesd
check web_running wait_until 5 state_is web running
check web_uses_v1 [ "$(readlink "$APPS/web/current")" = v1 ]
check newest_skipped_logged grep -q "web: newest version v2 skipped: Invalid JSON in package.json: line 2, column 1: .*; using v1" "$T/toesd.log"
check notes_skipped grep -qF "skipped notes: no version with a package.json that has scripts.toes" "$T/toesd.log"
check notes_skipped_once [ "$(toesd_count "skipped notes:")" -eq 1 ]
check flat_skipped_says_where grep -qF "skipped flat: no version with a package.json that has scripts.toes (its package.json belongs in a version folder: flat/VERSION/package.json)" "$T/toesd.log"
check half_skipped_says_why grep -qF "skipped half: no version with a package.json that has scripts.toes (the newest, v1: Missing scripts.toes in package.json)" "$T/toesd.log"
check no_warning_for_existing_apps_folder [ "$(toesd_count "did not exist")" -eq 0 ]
ctl reload >/dev/null
check notes_skipped_once_per_scan [ "$(toesd_count "skipped notes:")" -eq 2 ]
check web_not_skipped [ "$(toesd_count "skipped web")" -eq 0 ]

# --- toesctl with toesd: --data-dir, errors prefixed, status --bogus -------

"$TOESCTL" --data-dir "$T" status >"$T/c.out" 2>&1
check data_dir_reaches_toesd [ $? -eq 0 ]
check data_dir_table grep -q "web" "$T/c.out"
DATA_DIR=$T "$TOESCTL" status web >/dev/null 2>&1
check data_dir_env_reaches_toesd [ $? -eq 0 ]
ctl stop nosuch >/dev/null 2>"$T/c.err"
check unknown_app_exit_1 [ $? -eq 1 ]
check unknown_app_prefixed grep -qx "toesctl: no app named 'nosuch'" "$T/c.err"
ctl status --bogus >"$T/c.out" 2>"$T/c.err"
check status_bogus_exit_2 [ $? -eq 2 ]
check status_bogus_prefixed all_prefixed "$T/c.err"
check status_bogus_says grep -qF "unknown option '--bogus' for status" "$T/c.err"
check status_bogus_no_stdout [ ! -s "$T/c.out" ]
# toesd itself takes no option for an app name either.
"$RAWSOCK" "$SOCK" 'text:status\t--bogus\n' >"$T/raw.out" 2>&1
check raw_status_bogus_2 [ "$(head -n 1 "$T/raw.out")" = 2 ]
check raw_status_bogus_says grep -qF "unknown option '--bogus' for status" "$T/raw.out"
"$RAWSOCK" "$SOCK" 'text:stop\t--bogus\n' >"$T/raw.out" 2>&1
check raw_stop_bogus_2 [ "$(head -n 1 "$T/raw.out")" = 2 ]
check web_untouched state_is web running
stop_toesd

# --- an apps folder that had to be created -------------------------------

: >"$T/toesd.log"
start_toesd --apps-dir "$T/typo"
check created_apps_folder [ -d "$T/typo" ]
check created_warned grep -qF "warning: the apps folder $T/typo did not exist and was created empty" "$T/toesd.log"
check created_says_what_to_do grep -qF -- "--apps-dir, APPS_DIR or --data-dir" "$T/toesd.log"
stop_toesd
: >"$T/toesd.log"
start_toesd --apps-dir "$T/typo"
check existing_not_warned [ "$(toesd_count "did not exist")" -eq 0 ]
done_testing
