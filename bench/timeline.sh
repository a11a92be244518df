#!/bin/sh
# bench/timeline.sh — sorting a timeline 8x (or more) the memory bound.
#
#   sh bench/timeline.sh [BUILD [MB]]
#
# Generates at least MB (default 128) megabytes of ld-records in random time
# order, then sorts them with `ldtimeline --memory 16M` and with
# `LC_ALL=C sort -S 16M` (which orders the same lines by their leading ts
# text, without parsing, deduplicating or merging sources), and reports
# peak RSS (from /usr/bin/time -v) and wall time of each.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
mb=${2:-128}
mem=16M
bin=$(cd "$build" && pwd)/bin
export LD_FORMATS="${LD_FORMATS:-$here/../lib/format/formats}"
[ -x /usr/bin/time ] || { echo "timeline.sh: needs /usr/bin/time (GNU time)" >&2; exit 2; }
work=${TMPDIR:-/tmp}/ldtimeline-bench.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT INT TERM

# About 580 bytes of ld-record per generated line.
n=$((mb * 1024 * 1024 / 580 + 1000))
awk -v dir="$work" -v n="$n" -v seed=42 -f "$here/../tests/timeline-gen.awk"
"$bin/ldgrep" "$work"/*.log "$work"/*.1 >"$work/records.jsonl" || true
rm -f "$work"/*.log "$work"/*.1
bytes=$(wc -c <"$work/records.jsonl")
lines=$(wc -l <"$work/records.jsonl")
if [ "$bytes" -lt $((mb * 1024 * 1024)) ]; then
	echo "timeline.sh: generated only $bytes bytes" >&2
	exit 2
fi

measure() {	# name command... — prints "name wall_s peak_kib"
	name=$1; shift
	/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name"
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$name" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$name")
	echo "$name $wall $rss"
}

mkdir -p "$work/tmp"
lt=$(measure ldtimeline "$bin/ldtimeline" --memory $mem --stats -T "$work/tmp" "$work/records.jsonl")
st=$(measure sort env LC_ALL=C sort -S $mem -T "$work/tmp" "$work/records.jsonl")
base=$(measure ldtimeline-cat "$bin/ldtimeline" --merge --keep-duplicates "$work/out.ldtimeline")

runs=$(sed -n 's/.*stats: runs //p' "$work/err.ldtimeline")
passes=$(sed -n 's/.*stats: merge-passes //p' "$work/err.ldtimeline")
dups=$(sed -n 's/.*stats: duplicates //p' "$work/err.ldtimeline")
written=$(wc -l <"$work/out.ldtimeline")

echo "input: $lines ld-records, $((bytes / 1048576)) MiB, memory bound $mem ($((bytes / 16777216))x)"
echo "ldtimeline: runs $runs, merge passes $passes, duplicates $dups, written $written"
printf '%-28s %10s %14s\n' tool "wall (s)" "peak RSS (MiB)"
for r in "$lt" "$st" "$base"; do
	set -- $r
	case $1 in
	ldtimeline) label="ldtimeline --memory $mem" ;;
	sort) label="sort -S $mem" ;;
	*) label="ldtimeline --merge (1 input)" ;;
	esac
	printf '%-28s %10s %14s\n' "$label" "$2" "$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')"
done
set -- $lt; lw=$2; lr=$3
set -- $st; sw=$2; sr=$3
awk -v lw="$lw" -v sw="$sw" -v lr="$lr" -v sr="$sr" 'BEGIN {
	printf "ratio ldtimeline/sort: wall %.2f, peak RSS %.2f\n", lw / sw, lr / sr
	printf "peak RSS over the bound: %.1f MiB\n", lr / 1024 - 16
}'
