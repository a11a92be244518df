#!/bin/sh
# redact.sh — ldredact's throughput on generated GitLab JSON lines, beside
# what a user would otherwise run on the same input: cat (the floor) and
# jq -c . (a JSON parse and print, no redaction at all).
#
#	sh bench/redact.sh [build-dir [lines]]
#
# Prints one line per command: seconds (best of 3) and MB/s of input.
set -e
B=${1:-build}
N=${2:-200000}
BIN=$(cd "$B/bin" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/ldredact-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
LD_FORMATS=${LD_FORMATS:-$(pwd)/lib/formats}
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

best() {
	b=
	for r in 1 2 3; do
		t0=$(date +%s.%N)
		sh -c "$1" <"$W/in.jsonl" >/dev/null 2>&1 || true
		t1=$(date +%s.%N)
		b=$(echo "$t0 $t1 $b" | awk '{ d = $2 - $1; if ($3 == "" || d < $3) d = d; else d = $3; printf "%.3f", d }')
	done
	echo "$b"
}

printf 'input: %d lines, %.1f MB of JSON lines\n' "$N" "$(echo "$bytes" | awk '{ print $1 / 1e6 }')"
printf '%-48s %8s %8s\n' command seconds MB/s
for c in "cat" "jq -c ." \
    "$BIN/ldredact -p legal --tenant acme-corp --tenant globex --tenant initech --tenant umbrella --tenant hooli" \
    "$BIN/ldredact -p support -k $W/key --tenant acme-corp --tenant globex --tenant initech --tenant umbrella --tenant hooli" \
    "$BIN/ldredact -p customer -k $W/key --tenant acme-corp --tenant globex --tenant initech --tenant umbrella --tenant hooli --own alice"; do
	command -v "${c%% *}" >/dev/null 2>&1 || { printf '%-48s %8s\n' "$c" "(absent)"; continue; }
	s=$(best "$c")
	printf '%-48s %8s %8.1f\n' "$(echo "$c" | sed "s|$BIN/||; s|$W/||; s| --tenant [a-z-]*||g")" "$s" \
	    "$(echo "$bytes $s" | awk '{ print ($2 > 0 ? $1 / 1e6 / $2 : 0) }')"
done
