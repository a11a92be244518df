#!/bin/sh
# bench/hunt.sh — ldhunt with the whole GitLab pack against ldgrep with the
# same scope, on the bench corpus.
#
#   sh bench/hunt.sh [BUILD [MB]]
#
# Uses (or makes) the corpus of run.sh, bench/out/cMB (MB default
# $BENCH_MB or 800), and times, BENCH_RUNS times each (median wall,
# largest peak RSS):
#   scoped     the request's tenant and window (--ns --since --until)
#   unscoped   every event of the corpus, every record through the rules
# each at -j 1 and -j 2, and prints ldhunt's wall and CPU (user + system)
# time as ratios to ldgrep's (the goal is at most 1.3) and both peak RSS.
# On a loaded machine the CPU ratio is the steadier one.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
mb=${2:-${BENCH_MB:-800}}
runs=${BENCH_RUNS:-3}
bin=$(cd "$build" && pwd)/bin
out=$here/out
export LD_FORMATS="${LD_FORMATS:-$here/../lib/format/formats}"
export LC_ALL=C TZ=UTC
[ -x /usr/bin/time ] || { echo "hunt.sh: needs /usr/bin/time (GNU time)" >&2; exit 2; }
dir=$out/c$mb
if [ ! -f "$dir/request.json" ]; then
	echo "hunt.sh: generating a $mb MiB corpus in $dir" >&2
	rm -rf "$dir"
	mkdir -p "$out"
	"$bin/ldgen" --size "$mb" -o "$dir" >/dev/null
fi
work=${TMPDIR:-/tmp}/ldhunt-bench.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT INT TERM
cd "$dir"
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" request.json; }
tenant=$(field tenant)
since=$(field since)
until=$(field until)

measure() {	# name command... — prints "name wall_s peak_kib cpu_s"
	name=$1; shift
	: >"$work/walls.$name"
	: >"$work/cpus.$name"
	rss=0
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" \
		    2>"$work/err.$name" || true
		st=$(sed -n 's/.*Exit status: //p' "$work/time.$name")
		[ "${st:-9}" -le 2 ] || { echo "hunt.sh: $name failed: $(head -3 "$work/err.$name")" >&2; exit 2; }
		sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$name" |
		    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' \
		    >>"$work/walls.$name"
		sed -n -e 's/.*User time (seconds): //p' -e 's/.*System time (seconds): //p' \
		    "$work/time.$name" | awk '{ s += $1 } END { print s }' >>"$work/cpus.$name"
		r=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$name")
		[ "$r" -gt "$rss" ] && rss=$r
		i=$((i + 1))
	done
	wall=$(sort -n "$work/walls.$name" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	cpu=$(sort -n "$work/cpus.$name" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$name $wall $rss $cpu"
}

scope="--ns $tenant --since $since --until $until"
{
	for j in 1 2; do
		measure "ldgrep-scoped-j$j" "$bin/ldgrep" -j $j $scope archive
		measure "ldhunt-scoped-j$j" "$bin/ldhunt" -j $j $scope archive
		measure "ldgrep-all-j$j" "$bin/ldgrep" -j $j archive
		measure "ldhunt-all-j$j" "$bin/ldhunt" -j $j archive
	done
} >"$work/results"
"$bin/ldhunt" --summary $scope archive 2>/dev/null | sed -n '2,$p' | cut -f1,2,6 >"$work/findings" || true

printf 'ldhunt (whole GitLab pack, %s rules) against ldgrep, corpus %s MiB, median of %s\n\n' \
    "$("$bin/ldhunt" --list-rules 2>/dev/null | wc -l)" "$mb" "$runs"
printf '%-8s %2s %9s %9s %6s %9s %9s %6s %11s %11s\n' scope j ldgrep_s ldhunt_s ratio \
    grep_cpu hunt_cpu ratio ldgrep_KiB ldhunt_KiB
for s in scoped all; do
	for j in 1 2; do
		awk -v s=$s -v j=$j '
			$1 == "ldgrep-" s "-j" j { gw = $2; gr = $3; gc = $4 }
			$1 == "ldhunt-" s "-j" j { hw = $2; hr = $3; hc = $4 }
			END { printf "%-8s %2s %9.2f %9.2f %6.2f %9.2f %9.2f %6.2f %11d %11d\n",
			    s, j, gw, hw, (gw > 0 ? hw / gw : 0), gc, hc,
			    (gc > 0 ? hc / gc : 0), gr, hr }' "$work/results"
	done
done
printf '\nfindings of the scoped run (level, events, title):\n'
sed 's/^/  /' "$work/findings"
