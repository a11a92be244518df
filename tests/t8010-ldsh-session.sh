#!/bin/sh
test_description='ldsh: show in time order, detail, hist, save!, did you mean, exit status'
. "$(dirname "$0")/test-lib.sh"

# Two copies of one log, its lines out of time order: what a rotated log
# given twice looks like.
cat >a.log <<'EOF'
{"time":"2026-11-16T03:00:00.000Z","method":"GET","path":"/acme-corp/web","status":200,"username":"alice","remote_ip":"1.2.3.4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
{"time":"2026-11-16T01:00:00.000Z","method":"POST","path":"/acme-corp/web/-/settings","status":302,"username":"bob","remote_ip":"5.6.7.8","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
{"time":"2026-11-16T02:00:00.000Z","method":"GET","path":"/other/x","status":200,"username":"carol","remote_ip":"9.9.9.9","meta.project":"other/x","meta.root_namespace":"other"}
EOF
cp a.log b.log

test_expect_success 'show lists in time order, numbered, without duplicates' '
	ldsh -c "ns acme-corp" -c show a.log b.log >out &&
	sed -n 1p out | grep -Eq "^ +1  2026-11-16T01:00:00.000Z +bob .* a.log:2$" &&
	sed -n 2p out | grep -Eq "^ +2  2026-11-16T03:00:00.000Z +alice .* a.log:1$" &&
	sed -n 3p out >last &&
	echo "2 of 2 matching events shown" >expect && test_cmp expect last &&
	sed -n 4p out >dups &&
	echo "(2 duplicates left out)" >expect && test_cmp expect dups
'

test_expect_success 'detail N prints the Nth event of show as indented JSON' '
	ldsh -c "ns acme-corp" -c "detail 2" a.log b.log >out &&
	sed -n 1p out >head &&
	echo "event 2 of 2, from a.log line 1" >expect && test_cmp expect head &&
	sed 1d out | jq -c . >actual &&
	ldgrep --ns acme-corp --user alice a.log | jq -c . >expect &&
	test_cmp expect actual &&
	grep -q "^  \"src\": \"a.log\",$" out &&
	test_status 2 ldsh -c "ns acme-corp" -c "detail 3" a.log 2>err &&
	grep -q "^ldsh: detail 3: there are 2 events" err
'

test_expect_success 'hist draws the events per hour' '
	ldsh -c "ns acme-corp" -c hist a.log >out &&
	grep -q "^events per hour (UTC), by event: 2$" out &&
	grep -q "^2026-11-16 01:00 |#* 1$" out &&
	grep -q "^2026-11-16 03:00 |#* 1$" out &&
	! grep -q "^2026-11-16 02:00 |" out
'

test_expect_success 'save refuses to replace a file; save! replaces it' '
	echo precious >kept.jsonl &&
	test_status 2 ldsh -c "ns acme-corp" -c "save kept.jsonl" a.log >out 2>err &&
	echo precious >expect && test_cmp expect kept.jsonl &&
	grep -q "^ldsh: kept.jsonl: exists; \"save! kept.jsonl\" replaces it$" err &&
	ldsh -c "ns acme-corp" -c "save! kept.jsonl" a.log >out &&
	ldgrep --ns acme-corp a.log >expect && test_cmp expect kept.jsonl &&
	test_status 2 ldsh -c "ns acme-corp" -c "save nodir/x.jsonl" a.log 2>err &&
	grep -q "^ldsh: nodir/x.jsonl: directory nodir" err
'

test_expect_success 'a mistyped command gets a suggestion' '
	test_status 2 ldsh -c cuont a.log 2>err &&
	echo "ldsh: cuont: unknown command; did you mean \"count\"?" >expect &&
	test_cmp expect err &&
	test_status 2 ldsh -c shwo a.log 2>err &&
	grep -q "did you mean \"show\"" err &&
	test_status 2 ldsh -c frobnicate a.log 2>err &&
	grep -q "^ldsh: frobnicate: unknown command (try \"help\")$" err
'

test_expect_success 'a bad pattern is refused at once and leaves the session as it was' '
	test_status 2 ldsh -c "grep (" -c scope a.log >out 2>err &&
	grep -q "^ldsh: pattern .(. at offset 1: missing closing parenthesis" err &&
	! grep -q "^grep" out
'

test_expect_success '-c exits as the tools do: 0 found, 1 none, 2 trouble' '
	ldsh -c "ns acme-corp" -c count a.log >/dev/null &&
	test_status 1 ldsh -c "ns nobody" -c count a.log >/dev/null &&
	test_status 2 ldsh -c "ns acme-corp" -c count a.log missing.log >out 2>/dev/null &&
	grep -q "^! missing.log: " out &&
	test_status 2 ldsh -c "bogus" a.log 2>/dev/null &&
	printf "ns nobody\ncount\n" | test_status 1 ldsh a.log >/dev/null
'

test_expect_success 'a narrowed answer equals what ldgrep finds' '
	ldsh -c "ns acme-corp" -c count -c "user bob" -c "save narrowed.jsonl" \
	    a.log >/dev/null &&
	ldgrep --ns acme-corp --user bob a.log >expect &&
	test_cmp expect narrowed.jsonl &&
	ldsh -c "user bob" -c count -c "user alice" -c "save wider.jsonl" a.log >/dev/null &&
	ldgrep --user bob --user alice a.log >expect &&
	test_cmp expect wider.jsonl
'

test_done
