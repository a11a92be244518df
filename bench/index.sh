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
# (shards run at once by GNU parallel, default 2), BENCH_BASE (the build
# directory of another version, say main's: its ldindex and ldgrep are
# measured too, for before-and-after figures in one run).  See
# bench/README.
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
[ -x "$bin/ldgrep" ] && [ -x "$bin/ldindex" ] && [ -x "$bin/ldgen" ] &&
    [ -x "$bin/ldcat" ] || die "build first: make"
base=
if [ -n "${BENCH_BASE:-}" ]; then
	base=$(cd "$BENCH_BASE" && pwd)/bin
	[ -x "$base/ldindex" ] || die "BENCH_BASE: no $BENCH_BASE/bin/ldindex"
fi

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

# measure NAME N CMD... — as in run.sh: the median wall time of N runs,
# the largest peak RSS and the median CPU time (user + system), "NAME
# wall_s rss_kib cpu_s" into results; stdout of the last run in
# $work/NAME.out, stderr in $work/NAME.err.
measure() {
	name=$1 n=$2
	shift 2
	i=0
	# A name measured again adds its runs to those before.
	if [ ! -f "$work/$name.walls" ]; then
		: >"$work/$name.walls"
		: >"$work/$name.cpus"
		echo 0 >"$work/$name.rss"
	fi
	rss=$(cat "$work/$name.rss")
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
		sed -n 's/.*\(User\|System\) time (seconds): //p' "$work/$name.time" |
		    awk '{ s += $1 } END { print s }' >>"$work/$name.cpus"
		r=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
		[ "$r" -gt "$rss" ] && rss=$r
		i=$((i + 1))
	done
	wall=$(sort -n "$work/$name.walls" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	cpu=$(sort -n "$work/$name.cpus" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$rss" >"$work/$name.rss"
	echo "$name $wall $rss $cpu" >>"$work/results"
}
get() { awk -v n="$1" '$1 == n { v = $'"${2:-2}"' } END { print v }' "$work/results"; }
bytes() { find "$@" -type f -exec cat {} + | wc -c; }
same() { cmp -s "$1" "$2" && echo yes || echo NO; }

: >"$work/results"
rm -rf seek idx idx_base
measure repack 1 ldindex --repack seek --block-size "$frame" -o idx archive
files=$(find seek/archive -type f ! -name '*.ldx' | sort)
# The floor, the builds and the full scan, alternated run by run so that
# the load of the machine falls on each alike (the last line of each in
# results is the median of all its runs).
run=0
while [ $run -lt "$runs" ]; do
	measure floor 1 ldcat $files
	measure build 1 ldindex -j 1 -o idx seek/archive
	measure full1 1 ldgrep -j 1 --no-index --scope request.json seek/archive
	measure build2 1 ldindex -j 2 -o idx seek/archive
	if [ -n "$base" ]; then
		measure build_base 1 "$base/ldindex" -o idx_base seek/archive
	fi
	run=$((run + 1))
done
cp "$work/full1.out" "$work/full1.keep"
measure full2 "$runs" ldgrep -j 2 --no-index --scope request.json seek/archive
measure full8 1 ldgrep -j 8 --no-index --scope request.json seek/archive
measure dive1 "$runs" ldgrep -j 1 --index idx --stats --scope request.json seek/archive
cp "$work/dive1.out" "$work/dive1.keep"
cp "$work/dive1.err" "$work/dive1.stats"
measure dive8 1 ldgrep -j 8 --index idx --scope request.json seek/archive
if [ -n "$base" ]; then
	measure dive_base "$runs" "$base/ldgrep" -j 1 --index idx_base --stats \
	    --scope request.json seek/archive
	cp "$work/dive_base.err" "$work/dive_base.stats"
fi
measure ugrep "$runs" ugrep -z -r -a -F smallco seek/archive
# What any run costs before it reads a byte: on a small corpus most of
# an indexed dive.
measure start "$runs" ldgrep --ns smallco /dev/null

# The sharded run: each of K shards sorted by ldtimeline, then merged.
measure single_tl 1 sh -c 'ldgrep -j 1 --no-index --scope request.json seek/archive | ldtimeline'
cp "$work/single_tl.out" "$work/single_tl.keep"
k=1
while [ $k -le "$slots" ]; do
	measure "shard$k" 1 sh -c "ldgrep --no-index --shard $k/$slots --scope request.json \
	    seek/archive | ldtimeline"
	cp "$work/shard$k.out" "$work/part.$k"
	k=$((k + 1))
done
measure merge "$runs" sh -c "ldtimeline --merge $work/part.*"
cp "$work/merge.out" "$work/merge.keep"
measure sharded 1 sh -c "parallel -j $slots --files 'ldgrep --no-index --shard {}/$slots \
    --scope request.json seek/archive | ldtimeline' ::: \$(seq $slots) |
    xargs ldtimeline --merge"

# The sidecars: ldindex without -o writes P.ldx beside each file, and a
# dive finds them without --index.  They are removed after.
ldindex -j 2 seek/archive
measure side1 "$runs" ldgrep -j 1 --scope request.json seek/archive
cp "$work/side1.out" "$work/side1.keep"
ixside=$(find seek/archive -name '*.ldx' -exec cat {} + | wc -c)
find seek/archive -name '*.ldx' -exec rm -f {} +

lines=$(sed -n 's/.*"lines":\([0-9]*\).*/\1/p' saas.json)
tlines=$(sed -n 's/.*"tenant_lines":\([0-9]*\).*/\1/p' saas.json)
text=$(find archive -type f -name '*.zst' -exec zstd -dc {} + | wc -c)
orig=$(bytes archive)
seek=$(bytes seek)
ixb=$(bytes idx)
ixbase=0 decbase=0
if [ -n "$base" ]; then
	ixbase=$(bytes idx_base)
	decbase=$(sed -n 's/^ldgrep: stats: bytes decoded by zstd	//p' "$work/dive_base.stats")
fi
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
index      $ixb bytes: $(pct $ixb $seek) of the seekable archive, $(pct $ixb $orig) of the archive
sidecars   $ixside bytes

command                      wall s   peak RSS KiB   CPU s
repack + index (once)        $(get repack) $(get repack 3) $(get repack 4)
floor (ldcat, one thread)    $(get floor) $(get floor 3) $(get floor 4)
index build ldindex -j 1     $(get build) $(get build 3) $(get build 4)
index build ldindex -j 2     $(get build2) $(get build2 3) $(get build2 4)
full scan ldgrep -j 1        $(get full1) $(get full1 3) $(get full1 4)
full scan ldgrep -j 2        $(get full2) $(get full2 3) $(get full2 4)
full scan ldgrep -j 8        $(get full8) $(get full8 3) $(get full8 4)
indexed dive -j 1            $(get dive1) $(get dive1 3) $(get dive1 4)
indexed dive -j 8            $(get dive8) $(get dive8 3) $(get dive8 4)
sidecar dive -j 1            $(get side1) $(get side1 3) $(get side1 4)
ugrep -z -F smallco          $(get ugrep) $(get ugrep 3) $(get ugrep 4)
start-up (ldgrep /dev/null)  $(get start) $(get start 3) $(get start 4)
one run | ldtimeline         $(get single_tl) $(get single_tl 3) $(get single_tl 4)
slowest of $slots shards           $slow
ldtimeline --merge           $(get merge) $(get merge 3) $(get merge 4)
parallel -j $slots + merge         $(get sharded) $(get sharded 3) $(get sharded 4)

build -j 1 / full scan -j 1  $(ratio $(get build) $(get full1)) wall, $(ratio $(get build 4) $(get full1 4)) CPU
build -j 2 / full scan -j 1  $(ratio $(get build2) $(get full1)) wall, $(ratio $(get build2 4) $(get full1 4)) CPU
full scan / floor            $(ratio $(get full1) $(get floor)) wall, $(ratio $(get full1 4) $(get floor 4)) CPU
full scan / indexed dive     $(ratio $(get full1) $(get dive1)) wall, $(ratio $(get full1 4) $(get dive1 4)) CPU
decoded by the dive          $dec of $text bytes: $(pct $dec $text)
compressed bytes not read    $notread
merge / slowest shard        $(pct $(get merge) $slow)
dive = full scan (bytes)     $(same "$work/full1.keep" "$work/dive1.keep")
sidecar dive = full (bytes)  $(same "$work/full1.keep" "$work/side1.keep")
merge = one run (bytes)      $(same "$work/single_tl.keep" "$work/merge.keep")
parallel = one run (bytes)   $(same "$work/single_tl.keep" "$work/sharded.out")
EOF
[ -z "$base" ] || cat <<EOF

before: BENCH_BASE=$BENCH_BASE, in the same run
index build (base ldindex)   $(get build_base) s wall, $(get build_base 4) s CPU: $(ratio $(get build_base) $(get full1)) wall, $(ratio $(get build_base 4) $(get full1 4)) CPU of the full scan
index (base)                 $ixbase bytes: $(pct $ixbase $seek) of the seekable archive
indexed dive -j 1 (base)     $(get dive_base) s wall, $(get dive_base 4) s CPU; decoded $decbase of $text bytes: $(pct $decbase $text)
EOF
