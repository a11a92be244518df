#!/bin/sh
# run.sh BUILD SECONDS NAME... — run each libFuzzer target for SECONDS
# over a working copy of its corpus (the committed seeds and regression
# inputs are read, never written), then print one line per target with
# its executions and coverage.  Exits 1 when any target found a crash, a
# leak, a timeout or a sanitizer report; the input is kept as
# BUILD/fuzz-out/NAME/crash-* for tests/fuzz/regress/NAME/.
set -u
b=$1 secs=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
status=0
summary=$b/fuzz-out/summary.txt
mkdir -p "$b/fuzz-out"
: > "$summary"
for n in "$@"; do
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
	cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
	corp=$(ls "$work/corpus" | wc -l)
	if [ "$rc" -ne 0 ] || grep -q 'runtime error:\|ERROR: AddressSanitizer\|ERROR: libFuzzer' "$work/log"; then
		result="FAILED (exit $rc, see $work/log)"
		status=1
	else
		result=ok
	fi
	line=$(printf '%-8s %6ss %12s execs  cov %6s  ft %6s  corpus +%s  %s' \
	    "$n" "$secs" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$result")
	echo "$line"
	echo "$line" >> "$summary"
done
exit $status
