# The environment an app gets (SPEC §4.2, §4.3): toesd's own variables,
# the env files and their syntax, the init system's variables removed,
# the working directory, and TOES_URL from the default, the variable and
# the flag.
. tests/integration/lib.sh

RT=$(cd "$T" && pwd -P)
DUMP=$T/envdump
ENVD=$T/toes/env

# envval KEY: the value of KEY in the app's environment dump (first line).
envval() { sed -n "s/^$1=//p" "$DUMP" | head -n 1; }
# env_is KEY VALUE: the app saw KEY=VALUE.
env_is() { [ "$(envval "$1")" = "$2" ]; }
# env_absent KEY: the app did not get KEY at all.
env_absent() { ! grep -q "^$1=" "$DUMP"; }
# after_line LINE: the line of the dump that follows LINE (for values with \n).
after_line() { awk -v l="$1" 'p { print; exit } $0 == l { p = 1 }' "$DUMP"; }
fresh_dump() { rm -f "$DUMP" "$T/cwd"; }
dump_ready() { test -s "$DUMP" && test -s "$T/cwd"; }

app e "$FIXTURE --listen --env-file $DUMP --cwd-file $T/cwd"

mkdir -p "$ENVD"
# Line numbers matter: line 10 is malformed (no '='); line 12 ends in CR LF.
cat >"$ENVD/_global.env" <<'EOF'
# a comment line
export GLOBAL_ONLY=g1
SHARED=from_global

  SPACED   =   spaced value   
DQ="a\nb \"q\" c\\d"
SQ='lit\n $HOME "x"'
COMMENTED=value # a comment
HASH=a#b
this line is bad
AFTER_BAD=yes
EOF
printf 'CRLF=crlf\r\n' >>"$ENVD/_global.env"
cat >>"$ENVD/_global.env" <<'EOF'
PORT=1
export  EXPORTED2 = two
EOF
printf 'SHARED=from_app\nAPP_ONLY=a1\n' >"$ENVD/e.env"

# toesd's own environment: a variable to pass through, the init system's
# variables to withhold, and no TOES_URL so the default applies.
unset TOES_URL DATA_DIR APPS_DIR TOES_DIR
export FOO_FROM_TOESD=hello NOTIFY_SOCKET="$T/no-such-notify.sock"
export WATCHDOG_USEC=1000000 WATCHDOG_PID=1 LISTEN_FDS=1 LISTEN_PID=1 LISTEN_FDNAMES=x
start_toesd
unset FOO_FROM_TOESD NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID LISTEN_FDS LISTEN_PID LISTEN_FDNAMES

check e_running wait_until 5 state_is e running
check env_dumped wait_until 5 dump_ready

PORT_NOW=$(field e port)
check port_is_status_port env_is PORT "$PORT_NOW"
check port_not_from_env_file [ "$PORT_NOW" != 1 ]
check no_autoport env_is NO_AUTOPORT true
check apps_dir env_is APPS_DIR "$RT/apps"
check data_dir env_is DATA_DIR "$RT/toes/data/e"
check data_dir_exists test -d "$T/toes/data/e"
check toes_dir env_is TOES_DIR "$RT/toes"
check toes_url_default env_is TOES_URL "http://localhost:3000"

CWD_REAL=$(cd "$APPS/e/v1" && pwd -P)
check current_created test -L "$APPS/e/current"
check cwd_is_real_version_path [ "$(cat "$T/cwd")" = "$CWD_REAL" ]
case $(envval PATH) in
"$CWD_REAL/node_modules/.bin:"?*) pass path_node_modules_first ;;
*) fail path_node_modules_first "PATH=$(envval PATH)" ;;
esac

check global_export_prefix env_is GLOBAL_ONLY g1
check app_env_applied env_is APP_ONLY a1
check app_env_wins_shared_key env_is SHARED from_app
check spaces_around_equals env_is SPACED "spaced value"
check double_quotes_escapes_line1 env_is DQ a
check double_quotes_escapes_line2 [ "$(after_line DQ=a)" = 'b "q" c\d' ]
check single_quotes_literal env_is SQ 'lit\n $HOME "x"'
check comment_after_space env_is COMMENTED value
check hash_without_space_kept env_is HASH 'a#b'
check line_after_bad_applies env_is AFTER_BAD yes
check trailing_cr_trimmed env_is CRLF crlf
check export_prefix_spaces env_is EXPORTED2 two
check bad_key_not_set env_absent this

check toesd_var_passes env_is FOO_FROM_TOESD hello
for v in NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID LISTEN_FDS LISTEN_PID LISTEN_FDNAMES; do
	check "init_var_absent_$v" env_absent "$v"
done

check malformed_line_logged log_has e "[system] _global.env:10: malformed line skipped"
check malformed_line_logged_once [ "$(log_count e "malformed line skipped")" -eq 1 ]

# Env files are read again at every start.
printf 'SHARED=changed\nAPP_ONLY=a2\n' >"$ENVD/e.env"
OLD_PID=$(field e pid)
fresh_dump
check restart_ok ctl restart e
check env_dumped_again wait_until 5 dump_ready
check new_pid [ "$(field e pid)" != "$OLD_PID" ]
check env_file_reread env_is SHARED changed
check env_file_reread_other_key env_is APP_ONLY a2
check malformed_line_logged_again [ "$(log_count e "_global.env:10: malformed line skipped")" -eq 2 ]
stop_toesd

# TOES_URL from toesd's environment; and a relative data root (run from
# $T with --data-dir .) still gives the app absolute paths.
fresh_dump
export TOES_URL=http://from-env.example:8080
(cd "$T" && exec "$TOESD" --data-dir . --ports "$PORT_BASE-$((PORT_BASE + 19))" $FAST >>"$T/toesd.log" 2>&1) &
# shellcheck disable=SC2034 # stop_toesd (lib.sh) uses it
TOESD_PID=$!
unset TOES_URL
check env_run_dumped wait_until 5 dump_ready
check toes_url_from_variable env_is TOES_URL http://from-env.example:8080
check relative_root_apps_dir_absolute env_is APPS_DIR "$RT/apps"
check relative_root_data_dir_absolute env_is DATA_DIR "$RT/toes/data/e"
check relative_root_toes_dir_absolute env_is TOES_DIR "$RT/toes"
check relative_root_cwd [ "$(cat "$T/cwd")" = "$CWD_REAL" ]
stop_toesd

# --url wins over TOES_URL.
fresh_dump
export TOES_URL=http://from-env.example:8080
start_toesd --url http://from-flag.example:9090
unset TOES_URL
check flag_run_dumped wait_until 5 dump_ready
check toes_url_flag_wins env_is TOES_URL http://from-flag.example:9090
done_testing
