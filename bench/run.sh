#!/bin/sh
# bench/run.sh — ldgrep against the decompression floor and the commands a
# user would otherwise run, on one generated corpus, in one run.
#
#   sh bench/run.sh [BUILD]
#
# Environment: BENCH_MB (corpus size, default 800), BENCH_RUNS (runs per
# command, the median is reported; default 3), BENCH_JQ_RUNS (runs of the
# slow jq pipeline, default 1), BENCH_DOUBLE=1 (also measure peak RSS on a
# corpus twice the size), BENCH_RSS=1 (the peak RSS of every tool at -j 1,
# 2 and 8).  See bench/README.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$(cd "$build" && pwd)/bin
mb=${BENCH_MB:-800}
runs=${BENCH_RUNS:-3}
jqruns=${BENCH_JQ_RUNS:-1}
out=$here/out
export LD_FORMATS="${LD_FORMATS:-$here/../lib/format/formats}"
export LC_ALL=C TZ=UTC

die() { echo "bench: $*" >&2; exit 2; }
for t in ugrep rg jq zstd tar /usr/bin/time; do
	command -v $t >/dev/null 2>&1 || die "needs $t (make bench installs it)"
done
[ -x "$bin/ldgrep" ] && [ -x "$bin/ldcat" ] && [ -x "$bin/ldgen" ] ||
	die "build first: make"

corpus() {	# corpus MB — the directory of a corpus of MB MiB, made if absent
	d=$out/c$1
	if [ ! -f "$d/request.json" ]; then
		echo "bench: generating a $1 MiB corpus in $d" >&2
		rm -rf "$d"
		mkdir -p "$out"
		"$bin/ldgen" --size "$1" -o "$d" >/dev/null
	fi
	echo "$d"
}

dir=$(corpus "$mb")
work=$out/work.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT INT TERM
cd "$dir"

req() { jq -r ".$1" request.json; }
tenant=$(req tenant)
user=$(req 'users[0]')
since=$(req since)
until=$(req until)
event='Projects::*'
pattern='merge_requests|pipelines'
files=$(find archive -type f | sort)

# measure NAME N CMD... — run CMD N times (stdout to $work/NAME.out), keep
# the median wall time and the largest peak RSS: "NAME wall_s rss_kib".
# Exit status 1 (nothing found) and 2 (the corpus has a damaged archive on
# purpose) are expected; a crash is not.
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
		sig=$(sed -n 's/.*Command terminated by signal //p' "$work/$name.time")
		[ -z "$sig" ] && [ "${st:-9}" -le 2 ] ||
			die "$name failed (status ${st:-?} ${sig:+signal $sig}): $(head -3 "$work/$name.err")"
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

scope="--ns $tenant --since $since --until $until"
: >"$work/results"
echo "bench: corpus $dir: $(echo $files | wc -w) files, $runs runs each" >&2
measure floor "$runs" "$bin/ldcat" -v $files
measure zcat "$runs" sh -c 'sh "$0" cat "$@" >/dev/null' "$here/peer.sh" $files
measure ugrep "$runs" ugrep -z -r -a -F "$tenant" archive
measure rg "$runs" rg -z -a -F "$tenant" archive
measure jq "$jqruns" sh "$here/peer.sh" jq "$tenant" "$since" "$until" $files
cp "$work/jq.out" "$work/jq.keep"
measure ld1 "$runs" "$bin/ldgrep" -j 1 $scope archive
cp "$work/ld1.out" "$work/ld1.keep"
measure ld2 "$runs" "$bin/ldgrep" -j 2 $scope archive
cp "$work/ld2.out" "$work/ld2.keep"
measure ld8 1 "$bin/ldgrep" -j 8 $scope archive
measure ldue1 "$runs" "$bin/ldgrep" -j 1 $scope --user "$user" --event "$event" archive
measure ldue2 "$runs" "$bin/ldgrep" -j 2 $scope --user "$user" --event "$event" archive
measure ldre1 "$runs" "$bin/ldgrep" -j 1 $scope -e "$pattern" archive
measure ldre2 "$runs" "$bin/ldgrep" -j 2 $scope -e "$pattern" archive

# A corpus may be a few big files: the same logs as one .zst, where -j 2
# can only gain by reading ahead on a second thread.
if [ ! -f big.zst ]; then
	for f in $files; do
		case $f in *.tar.zst) zstd -dcq "$f" 2>/dev/null | tar -xOf - 2>/dev/null ;; esac
	done | zstd -q -3 -o big.zst.tmp && mv big.zst.tmp big.zst
fi
measure bigfloor "$runs" "$bin/ldcat" big.zst
measure big1 "$runs" "$bin/ldgrep" -j 1 $scope big.zst
cp "$work/big1.out" "$work/big1.keep"
measure big2 "$runs" "$bin/ldgrep" -j 2 $scope big.zst

# The checks: the same bytes whatever the threads, and the same events as
# the exact pipeline on the JSON logs.
fail=0
for j in 2 8; do
	f=$work/ld$j.keep
	[ $j = 8 ] && f=$work/ld8.out
	if ! cmp -s "$work/ld1.keep" "$f"; then
		echo "bench: FAIL: ldgrep -j $j output differs from -j 1" >&2
		fail=1
	fi
done
if ! cmp -s "$work/big1.keep" "$work/big2.out"; then
	echo "bench: FAIL: ldgrep -j 2 output differs from -j 1 on one big file" >&2
	fail=1
fi
perl -ne 'next if /^\{"ts":[^{]*?"fmt":"(nginx\.access|syslog)"/;
	s/^.*?,"ev":// or die "no ev: $_"; s/\}\n$/\n/; print' \
    "$work/ld1.keep" | sort >"$work/ld.events"
tr -d '\r' <"$work/jq.keep" | sort >"$work/jq.events"
if ! cmp -s "$work/ld.events" "$work/jq.events"; then
	echo "bench: FAIL: ldgrep and the jq pipeline disagree on the JSON logs:" >&2
	diff "$work/jq.events" "$work/ld.events" | head -10 >&2
	fail=1
fi
nld=$(wc -l <"$work/ld1.keep")
njson=$(wc -l <"$work/ld.events")

double=
if [ "${BENCH_DOUBLE:-0}" = 1 ]; then
	dir2=$(corpus $((mb * 2)))
	cd "$dir2"
	measure dbl1 1 "$bin/ldgrep" -j 1 $scope archive
	measure dbl2 1 "$bin/ldgrep" -j 2 $scope archive
	cd "$dir"
	double=1
fi

# BENCH_RSS=1: the peak RSS of every tool that reads the corpus, at -j 1,
# 2, 8 and 16 where it has threads (target: 32 MiB each), one run each.
# -j never runs more threads than the processors the process may use: at
# 8 and 16 a shim of sched_getaffinity (tests/t1260/cpus.c, when cc can
# build it) shows that many, as a larger machine would.
rss=
if [ "${BENCH_RSS:-0}" = 1 ]; then
	shim=
	if ${CC:-cc} -shared -fPIC -o "$work/cpus.so" \
	    "$here/../tests/t1260/cpus.c" 2>/dev/null; then
		shim=$work/cpus.so
	fi
	for j in 1 2 8 16; do
		pre=
		if [ -n "$shim" ] && [ $j -gt 2 ]; then
			pre="env LD_PRELOAD=$shim LD_TEST_CPUS=$j"
		fi
		measure "rgrep$j" 1 $pre "$bin/ldgrep" -j $j $scope archive
		measure "rgrepall$j" 1 $pre "$bin/ldgrep" -j $j archive
		measure "rhunt$j" 1 $pre "$bin/ldhunt" -j $j $scope archive
		measure "rhuntall$j" 1 $pre "$bin/ldhunt" -j $j archive
		measure "rindex$j" 1 $pre "$bin/ldindex" -j $j -o "$work/ix$j" \
		    archive
		if ! diff -r "$work/ix1" "$work/ix$j" >/dev/null; then
			echo "FAIL: ldindex -j $j indexes differ from -j 1" >&2
			fail=1
		fi
	done
	cp "$work/rgrepall1.out" "$work/all.rec"
	for k in 1 2 3 4; do
		"$bin/ldgrep" --shard $k/4 archive 2>/dev/null |
		    "$bin/ldtimeline" >"$work/part.$k" 2>/dev/null || true
	done
	measure rmerge 1 "$bin/ldtimeline" --merge "$work/part.1" \
	    "$work/part.2" "$work/part.3" "$work/part.4"
	"$bin/ldredact" --new-key "$work/case.key" 2>/dev/null
	measure rredact 1 "$bin/ldredact" --scope request.json \
	    --key "$work/case.key" "$work/all.rec"
	measure rcut 1 "$bin/ldcut" -o csv -f ts,ns,user,event,ev "$work/all.rec"
	rss=1
fi

get() { awk -v n="$1" -v k="$2" '$1 == n { print $k }' "$work/results"; }
floor=$(get floor 2)
ug=$(get ugrep 2)
bytes=$(sed -n 1p "$work/floor.out")
echo
echo "corpus: $((bytes / 1048576)) MiB decoded, $(echo $files | wc -w) files;" \
    "scope: --ns $tenant, 7-day window of 14; median of $runs runs" \
    "(jq: $jqruns); $(nproc) cores"
printf '%-44s %8s %8s %8s %9s\n' command "wall s" "x floor" "x ugrep" "RSS MiB"
row() {	# name label
	w=$(get "$1" 2)
	r=$(get "$1" 3)
	[ -n "$w" ] || return 0
	awk -v l="$2" -v w="$w" -v f="$floor" -v u="$ug" -v r="$r" 'BEGIN {
		printf "%-44s %8.2f %8.2f %8.2f %9.1f\n", l, w, w / f, w / u, r / 1024 }'
}
row floor "floor: ldcat (libzstd, libarchive), 1 thread"
row zcat "zstd -dc / zcat > /dev/null"
row ugrep "ugrep -z -r -a -F $tenant"
row rg "rg -z -a -F $tenant"
row jq "zstd -dc | tar -xO | jq (JSON logs only)"
row ld1 "ldgrep --ns --since --until -j 1"
row ld2 "ldgrep --ns --since --until -j 2"
row ld8 "ldgrep --ns --since --until -j 8"
row ldue1 "ldgrep ... --user --event -j 1"
row ldue2 "ldgrep ... --user --event -j 2"
row ldre1 "ldgrep ... -e PCRE2 -j 1"
row ldre2 "ldgrep ... -e PCRE2 -j 2"
echo "the tar members as one .zst of $(ls -l big.zst | awk '{ print int($5 / 1048576) }') MiB (a corpus of few big files):"
row bigfloor "  floor: ldcat"
row big1 "  ldgrep --ns --since --until -j 1"
row big2 "  ldgrep --ns --since --until -j 2"
if [ -n "$double" ]; then
	echo "corpus twice the size ($((mb * 2)) MiB), peak RSS:"
	printf '  ldgrep -j 1: %.1f MiB, -j 2: %.1f MiB\n' \
	    "$(get dbl1 3 | awk '{ print $1 / 1024 }')" \
	    "$(get dbl2 3 | awk '{ print $1 / 1024 }')"
fi
if [ -n "$rss" ]; then
	cpus="$(nproc) processors"
	[ -z "$shim" ] || cpus="-j 8 and 16 with as many processors shown"
	echo "peak RSS, MiB (one run each; target 32; $cpus):"
	printf '  %-40s %6s %6s %6s %6s\n' "" "-j 1" "-j 2" "-j 8" "-j 16"
	for t in "rgrep:ldgrep --ns --since --until" "rgrepall:ldgrep, every event" \
	    "rhunt:ldhunt, the pack, --ns --since --until" \
	    "rhuntall:ldhunt, the pack, every event" \
	    "rindex:ldindex (the same indexes at each -j)"; do
		printf '  %-40s %6.1f %6.1f %6.1f %6.1f\n' "${t#*:}" \
		    "$(get ${t%%:*}1 3 | awk '{ print $1 / 1024 }')" \
		    "$(get ${t%%:*}2 3 | awk '{ print $1 / 1024 }')" \
		    "$(get ${t%%:*}8 3 | awk '{ print $1 / 1024 }')" \
		    "$(get ${t%%:*}16 3 | awk '{ print $1 / 1024 }')"
	done
	for t in "rmerge:ldtimeline --merge, 4 parts of every event" \
	    "rredact:ldredact --scope, every event" \
	    "rcut:ldcut -o csv, every event"; do
		printf '  %-40s %6.1f\n' "${t#*:}" \
		    "$(get ${t%%:*} 3 | awk '{ print $1 / 1024 }')"
	done
fi
awk -v a="$(get ld2 2)" -v u="$ug" -v j="$(get jq 2)" -v one="$(get ld1 2)" \
    -v f="$floor" 'BEGIN {
	printf "ldgrep -j 2 / ugrep: %.2f (target <= 1.00); jq / ldgrep -j 2: %.1f (target >= 25)\n", a / u, j / a
	printf "ldgrep -j 1 throughput: %.0f%% of the floor (target >= 60%%)\n", 100 * f / one }'
echo "checks: $nld records; -j 1, 2, 8 identical;" \
    "$njson JSON events equal to the jq pipeline's: $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
