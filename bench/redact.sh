#!/bin/sh
# redact.sh — ldredact's throughput on generated GitLab JSON lines, beside
# what a user would otherwise run on the same input: cat (the floor) and
# jq -c . (a JSON parse and print, no redaction at all).
#
#	sh bench/redact.sh [build-dir [lines [runs [base-build-dir]]]]
#
# Prints one line per command: the median wall and CPU seconds of the
# runs, MB/s of input by CPU time, and the time relative to cat and to
# jq -c . measured in the same invocation.  With a base build (another
# tree's build directory, say main's), each profile is also run with its
# ldredact, the two alternated run by run, and the ratio of their median
# CPU times is printed (below 1: this build is faster).
set -e
B=${1:-build}
N=${2:-200000}
R=${3:-5}
BASE=${4:-}
TENANTS="--tenant acme-corp --tenant globex --tenant initech --tenant umbrella --tenant hooli"
BIN=$(cd "$B/bin" && pwd)
[ -z "$BASE" ] || BASEBIN=$(cd "$BASE/bin" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/ldredact-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
LD_FORMATS=${LD_FORMATS:-$(pwd)/lib/format/formats}
export LD_FORMATS

# Deterministic input: rails, api and audit lines of a few tenants, with a
# secret or an email now and then, as they are in real logs.
awk -v n="$N" 'BEGIN {
	split("acme-corp globex initech umbrella hooli", ns, " ");
	split("alice bob carol dave erin frank grace heidi", us, " ");
	for (i = 0; i < n; i++) {
		t = ns[i % 5 + 1]; u = us[i % 8 + 1];
		ip = sprintf("%d.%d.%d.%d", 10 + i % 200, i % 256, (i / 7) % 256, i % 250 + 1);
		ts = sprintf("2026-11-16T%02d:%02d:%02d.%03dZ", (i / 3600) % 24, (i / 60) % 60, i % 60, i % 1000);
		if (i % 3 == 0)
			printf "{\"method\":\"GET\",\"path\":\"/%s/web/-/merge_requests/%d\",\"format\":\"html\",\"controller\":\"Projects::MergeRequestsController\",\"action\":\"show\",\"status\":200,\"time\":\"%s\",\"params\":[{\"key\":\"id\",\"value\":\"%d\"}],\"remote_ip\":\"%s\",\"user_id\":%d,\"username\":\"%s\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"correlation_id\":\"01GYDSAKAN2SPZPAMJNRW%05d\",\"meta.user\":\"%s\",\"meta.project\":\"%s/web\",\"meta.root_namespace\":\"%s\",\"meta.caller_id\":\"Projects::MergeRequestsController#show\",\"meta.feature_category\":\"code_review\",\"duration_s\":0.0%d,\"db_duration_s\":0.01,\"view_duration_s\":0.02,\"cpu_s\":0.05,\"mem_objects\":12345,\"host\":\"web-0%d.internal\",\"pid\":%d}\n", t, i, ts, i, ip, 100 + i % 8, u, i, u, t, t, i % 9, i % 4, 1000 + i % 77;
		else if (i % 3 == 1)
			printf "{\"time\":\"%s\",\"severity\":\"INFO\",\"duration_s\":0.0%d,\"db_duration_s\":0.003,\"status\":200,\"method\":\"GET\",\"path\":\"/api/v4/projects/%d/pipelines\",\"params\":[{\"key\":\"private_token\",\"value\":\"[FILTERED]\"},{\"key\":\"per_page\",\"value\":\"20\"}],\"host\":\"gitlab.example.com\",\"remote_ip\":\"%s\",\"ua\":\"python-requests/2.31\",\"route\":\"/api/:version/projects/:id/pipelines\",\"user_id\":%d,\"username\":\"%s\",\"correlation_id\":\"%08x%08x%08x%08x\",\"meta.user\":\"%s\",\"meta.project\":\"%s/api-%d\",\"meta.root_namespace\":\"%s\",\"meta.client_id\":\"user/%d\"}\n", ts, i % 9, i, ip, 100 + i % 8, u, i, i * 7, i * 13, i * 31, u, t, i % 10, t, 100 + i % 8;
		else
			printf "{\"severity\":\"INFO\",\"time\":\"%s\",\"author_id\":%d,\"author_name\":\"%s\",\"entity_id\":%d,\"entity_type\":\"Project\",\"entity_path\":\"%s/web\",\"event_name\":\"personal_access_token_created\",\"ip_address\":\"%s\",\"target_type\":\"PersonalAccessToken\",\"target_details\":\"token for %s@example.com\",\"custom_message\":\"Created personal access token %s\",\"correlation_id\":\"LOt9hgi%04d\"}\n", ts, 100 + i % 8, u, i, t, ip, u, (i % 50 == 0 ? "glpat-AbCdEfGhIjKlMnOpQrSt" : "with scopes api,read_user"), i % 10000;
	}
}' >"$W/in.jsonl"
printf 'bench-key-for-ldredact-0123456789\n' >"$W/key"
bytes=$(wc -c <"$W/in.jsonl")

# run CMD: R runs; prints the median wall time and the median CPU time
# (user + system) in seconds.  CPU time is what a busy machine does not
# inflate; wall time is what a user waits.
run() {
	: >"$W/times"
	for r in $(seq "$R"); do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %U %S' -o "$W/t" sh -c "$1" \
			    <"$W/in.jsonl" >/dev/null 2>"$W/err" || true
			awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$W/t" >>"$W/times"
		else
			t0=$(date +%s.%N)
			sh -c "$1" <"$W/in.jsonl" >/dev/null 2>"$W/err" || true
			t1=$(date +%s.%N)
			echo "$t0 $t1" | awk '{ printf "%.3f -\n", $2 - $1 }' >>"$W/times"
		fi
	done
	w=$(cut -d' ' -f1 "$W/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	c=$(cut -d' ' -f2 "$W/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	echo "$w $c"
}

printf 'input: %d lines, %.1f MB of JSON lines; median of %d runs\n' "$N" \
    "$(echo "$bytes" | awk '{ print $1 / 1e6 }')" "$R"
printf '%-40s %7s %7s %8s %8s %8s\n' command wall cpu 'MB/s' 'x cat' 'x jq'
tcat= tjq=
for c in "cat" "jq -c ." \
    "$BIN/ldredact -p legal $TENANTS" \
    "$BIN/ldredact -p support -k $W/key $TENANTS" \
    "$BIN/ldredact -p customer -k $W/key $TENANTS --own alice"; do
	name=$(echo "$c" | sed "s|$BIN/||; s|$W/||; s| --tenant [a-z-]*||g")
	if ! command -v "${c%% *}" >/dev/null 2>&1; then
		printf '%-40s %7s\n' "$name" "(absent)"
		continue
	fi
	set -- $(run "$c")
	# Throughput and ratios by CPU time where there is one.
	t=$2
	[ "$t" = - ] && t=$1
	[ "$c" = cat ] && tcat=$t
	[ "$c" = "jq -c ." ] && tjq=$t
	echo "$name|$1|$2|$t|$tcat|$tjq|$bytes" | awk -F'|' '{
		mbs = $4 > 0 ? $7 / 1e6 / $4 : 0
		xc = $5 != "" && $5 > 0 ? sprintf("%.2f", $4 / $5) : "-"
		xj = $6 != "" && $6 > 0 ? sprintf("%.2f", $4 / $6) : "-"
		printf "%-40s %7s %7s %8.1f %8s %8s\n", $1, $2, $3, mbs, xc, xj }'
done
echo '(x cat, x jq: time relative to cat and jq -c . in this run; jq < 1 is faster than jq)'

# ab NEW BASE: R runs of each, alternated; prints the median CPU seconds
# of each and their ratio.
ab() {
	: >"$W/new"; : >"$W/base"
	for r in $(seq "$R"); do
		for which in new base; do
			c=$1; [ $which = base ] && c=$2
			/usr/bin/time -f '%U %S' -o "$W/t" sh -c "$c" \
			    <"$W/in.jsonl" >/dev/null 2>"$W/err" || true
			awk '{ printf "%.3f\n", $1 + $2 }' "$W/t" >>"$W/$which"
		done
	done
	for which in new base; do
		sort -n "$W/$which" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
	done | paste -s -d ' ' -
}
if [ -n "$BASE" ] && [ -x /usr/bin/time ]; then
	printf '%-10s %8s %8s %8s %8s %7s\n' 'base A/B' 'cpu' 'MB/s' 'base cpu' 'MB/s' ratio
	for p in legal support customer; do
		k=; [ $p = legal ] || k="-k $W/key"
		o=; [ $p = customer ] && o="--own alice"
		set -- $(ab "$BIN/ldredact -p $p $k $TENANTS $o" \
		    "$BASEBIN/ldredact -p $p $k $TENANTS $o")
		echo "$p|$1|$2|$bytes" | awk -F'|' '{
			printf "%-10s %8s %8.1f %8s %8.1f %7.3f\n", $1, $2,
			    $4 / 1e6 / $2, $3, $4 / 1e6 / $3, $2 / $3 }'
	done
	echo "(alternated run by run with $BASE's ldredact; ratio < 1: this build uses less CPU)"
fi

# The oracle: secretlint's recommended preset (npm; not part of make
# check) over a secret-rich corpus, before and after ldredact, for every
# profile.  What it still finds after is a leak (the goal is 0).
# SECRETLINT names an installed secretlint; else it is installed here with
# npm, when npm is there.  The corpus is the attack corpora of
# tests/t4010 and tests/t4011 (cases of every kind of secret and leak,
# with different values) and the lines of the input above that hold a
# token.
oracle() {
	sl=${SECRETLINT:-}
	if [ -z "$sl" ]; then
		command -v npm >/dev/null 2>&1 || { echo 'oracle: (npm absent)'; return 0; }
		npm install --silent --no-audit --no-fund --prefix "$W/npm" secretlint \
		    @secretlint/secretlint-rule-preset-recommend >/dev/null 2>&1 ||
		    { echo 'oracle: (secretlint could not be installed)'; return 0; }
		sl=$W/npm/node_modules/.bin/secretlint
	fi
	echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' \
	    >"$W/.secretlintrc.json"
	{ cat tests/t4010/attack.log tests/t4011/attack.log
	  grep glpat- "$W/in.jsonl" | head -100; } >"$W/secrets.log"
	req='{"tenant":"acme-corp","own_accounts":["alice"]}'
	echo "$req" >"$W/req.json"
	count() {	# count FILE: secretlint's findings in FILE
		(cd "$W" && "$sl" --secretlintrc .secretlintrc.json --format json \
		    "$(basename "$1")" >"$W/sl.json" 2>/dev/null) || true
		node -e 'let n = 0; for (const f of require(process.argv[1]))
		    n += f.messages.length; console.log(n)' "$W/sl.json" 2>/dev/null ||
		    echo '?'
	}
	printf 'oracle: secretlint (recommended preset) on %d secret-rich lines: %s findings before redaction\n' \
	    "$(wc -l <"$W/secrets.log")" "$(count "$W/secrets.log")"
	for p in legal support customer; do
		k=; [ $p = legal ] || k="-k $W/key"
		"$BIN/ldredact" -p $p $k --scope "$W/req.json" "$W/secrets.log" \
		    >"$W/red-$p.log" 2>/dev/null || true
		printf 'oracle: after ldredact -p %-8s %s findings (goal 0)\n' "$p" \
		    "$(count "$W/red-$p.log")"
	done
}
oracle
