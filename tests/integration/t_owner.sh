# Apps run as their folder's owner when toesd runs as root (SPEC §4.5,
# issue 14 item 4): user, group and supplementary groups set before exec;
# the data folder made for that user; HOME, USER and LOGNAME to match; an
# app folder that is a symbolic link, or whose current leads to another
# user's folder, is refused with a clear error; a root-owned app runs as
# root. A throwaway user (useradd) when run as root; skipped otherwise.
. tests/integration/lib.sh

if [ "$(id -u)" != 0 ]; then
	skip owner_runs_as_owner "not root: toesd runs every app as itself"
	done_testing
	exit 0
fi
if ! command -v useradd >/dev/null 2>&1 || ! command -v groupadd >/dev/null 2>&1; then
	skip owner_runs_as_owner "useradd or groupadd is missing: no throwaway user"
	done_testing
	exit 0
fi
U=toest$$
G=toesg$$
G2=toesx$$
drop_user() { userdel "$U" 2>/dev/null; groupdel "$G" 2>/dev/null; groupdel "$G2" 2>/dev/null; }
trap 'drop_user; finish' EXIT
if ! groupadd "$G" || ! groupadd "$G2" || ! useradd -M -g "$G" -G "$G2" -d "/nonexistent/$U" -s /bin/false "$U"; then
	skip owner_runs_as_owner "cannot make a throwaway user here"
	done_testing
	exit 0
fi
uid=$(id -u "$U")
gid=$(getent group "$G" | cut -d: -f3)
gid_sup=$(getent group "$G2" | cut -d: -f3)

# The fixture and the folders must be reachable by the user.
chmod 0755 "$T" "$APPS"
mkdir -p "$T/envs" && chmod 1777 "$T/envs"
status_field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }

app mine "$FIXTURE --listen --env-file $T/envs/mine.env"
chown -R "$U:$G" "$APPS/mine"
app rooted "$FIXTURE --listen --env-file $T/envs/rooted.env"
# A link for an app folder: whose app would it be?
mkdir -p "$T/elsewhere"
app linked "$FIXTURE --listen"
mv "$APPS/linked" "$T/elsewhere/linked" && ln -s "$T/elsewhere/linked" "$APPS/linked"
# current leads to a version another user owns.
app mixed "$FIXTURE --listen"
chown "$U:$G" "$APPS/mixed"

start_toesd
check mine_running wait_until 5 state_is mine running
pid=$(field mine pid)
check mine_uid [ "$(status_field "$pid" Uid | awk '{print $1, $2, $3, $4}')" = "$uid $uid $uid $uid" ]
check mine_gid [ "$(status_field "$pid" Gid | awk '{print $1}')" = "$gid" ]
check mine_supplementary_groups sh -c "status_groups=\$(sed -n 's/^Groups:[[:space:]]*//p' /proc/$pid/status); case \" \$status_groups \" in *' $gid_sup '*) exit 0 ;; esac; exit 1"
check mine_no_root_group sh -c "! sed -n 's/^Groups:[[:space:]]*//p' /proc/$pid/status | grep -qw 0"
check mine_env_written wait_until 5 test -s "$T/envs/mine.env"
check mine_user_var grep -qx "USER=$U" "$T/envs/mine.env"
check mine_logname_var grep -qx "LOGNAME=$U" "$T/envs/mine.env"
check mine_home_var grep -qx "HOME=/nonexistent/$U" "$T/envs/mine.env"
check mine_data_folder_owned [ "$(stat -c %u "$T/toes/data/mine")" = "$uid" ]
check mine_env_file_owner [ "$(stat -c %u "$T/envs/mine.env")" = "$uid" ]

check rooted_running wait_until 5 state_is rooted running
check rooted_as_root [ "$(status_field "$(field rooted pid)" Uid | awk '{print $1}')" = 0 ]

check linked_refused wait_until 5 state_is linked invalid
check linked_says_why sh -c "$TOESCTL --toes-dir $T/toes status linked --json | grep -qF 'is a symbolic link'"
check mixed_refused wait_until 5 state_is mixed invalid
check mixed_says_why sh -c "$TOESCTL --toes-dir $T/toes status mixed --json | grep -qF 'owned by uid 0, but the app folder is owned by uid $uid'"
stop_toesd
done_testing
