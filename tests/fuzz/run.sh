#!/bin/sh
# run.sh NAME DIR SECONDS MAXLEN [SEED_DIR...]: run DIR/fuzz_NAME for
# SECONDS and print one line: the target, its executions and the result
# (ok, or the kind of failure and the artifact). Exit 1 on a failure.
# libFuzzer writes new inputs only to DIR/corpus/NAME (the first corpus
# folder); the seed folders are read. Missing seed folders are left out.
name=$1 dir=$2 seconds=$3 maxlen=$4
shift 4
for d do
	shift
	[ -d "$d" ] && set -- "$@" "$d"
done
corpus=$dir/corpus/$name
artifacts=$dir/artifacts/$name/
log=$dir/logs/$name.log
mkdir -p "$corpus" "$artifacts" "$dir/logs"

# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
"$dir/fuzz_$name" -max_total_time="$seconds" -max_len="$maxlen" \
	-rss_limit_mb="${FUZZ_RSS_MB:-1024}" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$artifacts" ${FUZZ_FLAGS:-} "$corpus" "$@" >"$log" 2>&1
rc=$?

last() { sed -n "$1" "$log" | tail -n 1; }
runs=$(last 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p')
[ -n "$runs" ] || runs=$(last 's/^Done \([0-9]*\) runs.*/\1/p')
cov=$(last 's/^#[0-9].* cov: \([0-9]*\) .*/\1/p')
corp=$(last 's/^#[0-9].* corp: \([0-9]*\)\/.*/\1/p')
artifact=$(last 's/.*Test unit written to \(.*\)$/\1/p')
why=$(last 's/^\(.*: check failed: .*\)$/\1/p')
[ -n "$why" ] || why=$(last 's/^SUMMARY: [A-Za-z]*Sanitizer: \(.*\)/\1/p')

status=0
if [ "$rc" -eq 0 ] && grep -q '^Done ' "$log"; then
	result=ok
else
	status=1
	if [ -n "$artifact" ]; then
		kind=$(basename "$artifact")
		result="${kind%%-*} $artifact${why:+ ($why)}"
	else
		result="failed (exit $rc), see $log"
	fi
fi
printf '%-11s %11s runs  cov %-5s corpus %-5s %s\n' "$name" "${runs:-?}" "${cov:-?}" "${corp:-?}" "$result"
exit $status
