#!/bin/sh
# bench/index.sh — skipping and sharding on a month of a many-tenant
# service (ldgen --saas), in one run: the repack to seekable zstd, the
# full scan, the index build, the indexed dive, ugrep, and a sharded run
# over local slots merged by ldtimeline --merge; every answer is checked
# against the full scan's, byte for byte.
#
#   sh bench/index.sh [BUILD]
#
# Environment: BENCH_SAAS_MB (MiB of log text, default 400), BENCH_RUNS
# (runs per command, the median wall time is shown; default 3),
# BENCH_FRAME (decoded bytes per seekable frame, default 1M), BENCH_SLOTS
# (shards run at once by GNU parallel, default 2).  See bench/README.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$(cd "$build" && pwd)/bin
mb=${BENCH_SAAS_MB:-400}
runs=${BENCH_RUNS:-3}
frame=${BENCH_FRAME:-1M}
slots=${BENCH_SLOTS:-2}
out=$here/out
export LD_FORMATS="${LD_FORMATS:-$here/../lib/format/formats}"
export LC_ALL=C TZ=UTC PATH="$bin:$PATH"

die() { echo "bench: $*" >&2; exit 2; }
for t in ugrep zstd parallel /usr/bin/time; do
	command -v $t >/dev/null 2>&1 || die "needs $t (make bench installs it)"
done
[ -x "$bin/ldgrep" ] && [ -x "$bin/ldindex" ] && [ -x "$bin/ldgen" ] ||
	die "build first: make"

dir=$out/saas$mb
if [ ! -f "$dir/saas.json" ]; then
	echo "bench: generating a $mb MiB month in $dir" >&2
	rm -rf "$dir"
	mkdir -p "$out"
	"$bin/ldgen" --saas --size "$mb" -o "$dir" >/dev/null
fi
work=$out/iwork.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT INT TERM
cd "$dir"

# measure NAME N CMD... — as in run.sh: the median wall time of N runs
# and the largest peak RSS, "NAME wall_s rss_kib" into results; stdout of
# the last run in $work/NAME.out, stderr in $work/NAME.err.
measure() {
	name=$1 n=$2
	shift 2
	i=0
	: >"$work/$name.walls"
	rss=0
	while [ $i -lt "$n" ]; do
		/usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" \
		    2>"$work/$name.err" || true
		st=$(sed -n 's/.*Exit status: //p' "$work/$name.time")
		[ "${st:-9}" -le 2 ] ||
			die "$name failed (status ${st:-?}): $(head -3 "$work/$name.err")"
		sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' \
		    "$work/$name.time" | awk -F: '{ s = 0
			for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' \
		    >>"$work/$name.walls"
		r=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
		[ "$r" -gt "$rss" ] && rss=$r
		i=$((i + 1))
	done
	wall=$(sort -n "$work/$name.walls" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$name $wall $rss" >>"$work/results"
}
get() { awk -v n="$1" '$1 == n { print $'"${2:-2}"' }' "$work/results"; }
bytes() { find "$@" -type f -exec cat {} + | wc -c; }
same() { cmp -s "$1" "$2" && echo yes || echo NO; }

: >"$work/results"
rm -rf seek idx
measure repack 1 ldindex --repack seek --block-size "$frame" -o idx archive
measure build "$runs" ldindex -o idx seek/archive
measure full1 "$runs" ldgrep -j 1 --scope request.json seek/archive
cp "$work/full1.out" "$work/full1.keep"
measure full2 "$runs" ldgrep -j 2 --scope request.json seek/archive
measure full8 1 ldgrep -j 8 --scope request.json seek/archive
measure dive1 "$runs" ldgrep -j 1 --index idx --stats --scope request.json seek/archive
cp "$work/dive1.out" "$work/dive1.keep"
cp "$work/dive1.err" "$work/dive1.stats"
measure dive8 1 ldgrep -j 8 --index idx --scope request.json seek/archive
measure ugrep "$runs" ugrep -z -r -a -F smallco seek/archive

# The sharded run: each of K shards sorted by ldtimeline, then merged.
measure single_tl 1 sh -c 'ldgrep -j 1 --scope request.json seek/archive | ldtimeline'
cp "$work/single_tl.out" "$work/single_tl.keep"
k=1
while [ $k -le "$slots" ]; do
	measure "shard$k" 1 sh -c "ldgrep --shard $k/$slots --scope request.json \
	    seek/archive | ldtimeline"
	cp "$work/shard$k.out" "$work/part.$k"
	k=$((k + 1))
done
measure merge "$runs" sh -c "ldtimeline --merge $work/part.*"
cp "$work/merge.out" "$work/merge.keep"
measure sharded 1 sh -c "parallel -j $slots --files 'ldgrep --shard {}/$slots \
    --scope request.json seek/archive | ldtimeline' ::: \$(seq $slots) |
    xargs ldtimeline --merge"

lines=$(sed -n 's/.*"lines":\([0-9]*\).*/\1/p' saas.json)
tlines=$(sed -n 's/.*"tenant_lines":\([0-9]*\).*/\1/p' saas.json)
text=$(find archive -type f -name '*.zst' -exec zstd -dc {} + | wc -c)
orig=$(bytes archive)
seek=$(bytes seek)
ixb=$(bytes idx)
dec=$(sed -n 's/^ldgrep: stats: bytes decoded by zstd	//p' "$work/dive1.stats")
notread=$(sed -n 's/^ldgrep: stats: compressed bytes not read	//p' "$work/dive1.stats")
slow=0
k=1
while [ $k -le "$slots" ]; do
	w=$(get "shard$k")
	slow=$(echo "$slow $w" | awk '{ print ($2 > $1) ? $2 : $1 }')
	k=$((k + 1))
done

pct() { echo "$1 $2" | awk '{ printf "%.2f%%", $2 ? 100 * $1 / $2 : 0 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2fx", $2 ? $1 / $2 : 0 }'; }
cat <<EOF
logdive skipping and sharding — ldgen --saas, $mb MiB requested
corpus     $lines lines, $tlines of smallco (the request), $text bytes of text
archive    $orig bytes of .zst; seekable copy $seek bytes ($(pct $((seek - orig)) $orig) more, frames of $frame)
index      $ixb bytes: $(pct $ixb $seek) of the seekable archive

command                      wall s   peak RSS KiB
repack + index (once)        $(get repack) $(get repack 3)
index build (ldindex)        $(get build) $(get build 3)
full scan ldgrep -j 1        $(get full1) $(get full1 3)
full scan ldgrep -j 2        $(get full2) $(get full2 3)
full scan ldgrep -j 8        $(get full8) $(get full8 3)
indexed dive -j 1            $(get dive1) $(get dive1 3)
indexed dive -j 8            $(get dive8) $(get dive8 3)
ugrep -z -F smallco          $(get ugrep) $(get ugrep 3)
one run | ldtimeline         $(get single_tl) $(get single_tl 3)
slowest of $slots shards           $slow
ldtimeline --merge           $(get merge) $(get merge 3)
parallel -j $slots + merge         $(get sharded) $(get sharded 3)

build / full scan            $(ratio $(get build) $(get full1))
full scan / indexed dive     $(ratio $(get full1) $(get dive1))
decoded by the dive          $dec of $text bytes: $(pct $dec $text)
compressed bytes not read    $notread
merge / slowest shard        $(pct $(get merge) $slow)
dive = full scan (bytes)     $(same "$work/full1.keep" "$work/dive1.keep")
merge = one run (bytes)      $(same "$work/single_tl.keep" "$work/merge.keep")
parallel = one run (bytes)   $(same "$work/single_tl.keep" "$work/sharded.out")
EOF
