#!/bin/sh
# run.sh BUILD SECONDS JOBS NAME... — run each libFuzzer target for SECONDS
# over a working copy of its corpus (the committed seeds and regression
# inputs are read, never written), JOBS targets at a time, then print one
# line per target with its executions, coverage and peak RSS.  Exits 1
# when any target found a crash, a leak, a timeout or a sanitizer report;
# the input is kept as BUILD/fuzz-out/NAME/crash-* for
# tests/fuzz/regress/NAME/.
set -u
b=$1 secs=$2 jobs=$3
shift 3
src=$(cd "$(dirname "$0")" && pwd)
summary=$b/fuzz-out/summary.txt
mkdir -p "$b/fuzz-out"

# One target: its log, and its line in $work/line.
run_one() {
	n=$1
	work=$b/fuzz-out/$n
	mkdir -p "$work/corpus"
	dirs="$work/corpus"
	for d in "$src/corpus/$n" "$src/regress/$n"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	opts=
	[ -f "$src/$n.options" ] && opts=$(cat "$src/$n.options")
	# shellcheck disable=SC2086
	"$b/fuzz/$n" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$work/" $opts $dirs \
	    > "$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
	corp=$(ls "$work/corpus" | wc -l)
	if [ "$rc" -ne 0 ] || grep -q 'runtime error:\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|ERROR: libFuzzer' "$work/log"; then
		result="FAILED (exit $rc, see $work/log)"
	else
		result=ok
	fi
	printf '%-8s %6ss %12s execs  cov %6s  ft %6s  corpus +%-5s rss %5s MB  %s\n' \
	    "$n" "$secs" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "${rss:-?}" \
	    "$result" > "$work/line"
}

# JOBS at a time: the targets run as long as each other, so batches
# lose little.
k=0
for n in "$@"; do
	rm -f "$b/fuzz-out/$n/line"
	run_one "$n" &
	k=$((k + 1))
	if [ "$k" -ge "$jobs" ]; then
		wait
		k=0
	fi
done
wait

status=0
: > "$summary"
for n in "$@"; do
	line=$(cat "$b/fuzz-out/$n/line" 2>/dev/null || echo "$n: no result")
	echo "$line"
	echo "$line" >> "$summary"
	case $line in
	*" ok") ;;
	*) status=1 ;;
	esac
done
exit $status
