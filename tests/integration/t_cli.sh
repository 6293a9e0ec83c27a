# toesctl's command line (issue 12, item 8): every command has --help;
# unknown commands and bad arguments exit 2 with one line; without a
# running toesd, the commands that need it exit 1 with one line naming the
# socket they tried (and a socket left by a killed toesd is told apart).
. tests/integration/lib.sh

lines_of() { printf '%s\n' "$1" | grep -c .; }
SOCK=$T/toes/toesd.sock

for c in status start stop restart rename reload icon logs check; do
	out=$("$TOESCTL" "$c" --help 2>&1)
	check "help_${c}_exit_0" [ $? -eq 0 ]
	check "help_${c}_usage" sh -c 'printf %s "$1" | head -n 1 | grep -q "^usage: toesctl .*$2 "' _ "$out" "$c"
	check "help_${c}_explains" [ "$(lines_of "$out")" -ge 3 ]
done
out=$("$TOESCTL" --help 2>&1)
check help_lists_every_command sh -c 'for c in status start stop restart rename reload icon logs check; do printf %s "$1" | grep -q "^  $c " || exit 1; done' _ "$out"

# bad LABEL ARGS...: exit 2, one line on standard error, nothing on standard output.
bad() {
	label=$1
	shift
	"$TOESCTL" --toes-dir "$T/toes" "$@" >"$T/out" 2>"$T/err"
	check "bad_${label}_exit_2" [ $? -eq 2 ]
	check "bad_${label}_one_line" [ "$(wc -l <"$T/err")" -eq 1 ]
	check "bad_${label}_toesctl_says" grep -q '^toesctl: ' "$T/err"
	check "bad_${label}_no_stdout" [ ! -s "$T/out" ]
}
bad unknown_command bogus
bad no_command
bad unknown_flag --bogus status
bad status_two_names status a b
bad status_option status --bogus
bad start_no_name start
bad stop_two_names stop a b
bad restart_option restart --bogus
bad rename_one_name rename a
bad rename_three_names rename a b c
bad reload_two_names reload a b
bad icon_one_arg icon a
bad logs_option logs --bogus
bad logs_n logs -n x
bad check_no_path check
bad timeout_value --timeout soon status

# No toesd: exit 1, one line, naming the socket.
for req in "status" "status web" "start web" "stop web" "restart web" "rename web www" "reload" "stop --all"; do
	label=$(printf %s "$req" | tr ' -' '__')
	# shellcheck disable=SC2086
	"$TOESCTL" --toes-dir "$T/toes" $req >"$T/out" 2>"$T/err"
	check "down_${label}_exit_1" [ $? -eq 1 ]
	check "down_${label}_one_line" [ "$(wc -l <"$T/err")" -eq 1 ]
	check "down_${label}_names_socket" grep -qF "$SOCK" "$T/err"
done
# A socket left by a toesd that is gone (killed, it could not remove it).
start_toesd
kill -KILL "$TOESD_PID"
wait "$TOESD_PID" 2>/dev/null
TOESD_PID=
check stale_socket_left test -S "$SOCK"
"$TOESCTL" --toes-dir "$T/toes" status >"$T/out" 2>"$T/err"
check stale_exit_1 [ $? -eq 1 ]
check stale_one_line [ "$(wc -l <"$T/err")" -eq 1 ]
check stale_says_gone grep -qF "no toesd answers at $SOCK" "$T/err"
done_testing
