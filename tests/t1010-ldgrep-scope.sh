#!/bin/sh
test_description='ldgrep scope flags, request files, profiles and predicates'
. "$(dirname "$0")/test-lib.sh"

cat >audit_json.log <<'JSON'
{"severity":"INFO","time":"2026-11-14T00:00:00.000Z","author_id":42,"entity_type":"User","entity_path":"acme-corp","author_name":"alice","ip_address":"1.2.3.4","event_name":"user_logged_in"}
{"severity":"INFO","time":"2026-11-13T23:59:59.999Z","author_id":42,"entity_type":"User","entity_path":"acme-corp","author_name":"alice","ip_address":"1.2.3.4","event_name":"user_logged_in"}
{"severity":"INFO","time":"2026-11-15T10:00:00.000Z","author_id":42,"entity_type":"Project","entity_path":"acme-corp/web","author_name":"alice","ip_address":"2001:db8::9","event_name":"personal_access_token_created"}
{"severity":"INFO","time":"2026-11-21T00:00:00.000Z","author_id":42,"entity_type":"User","entity_path":"acme-corp","author_name":"alice","ip_address":"1.2.3.4","event_name":"user_logged_in"}
{"severity":"INFO","time":"2026-11-16T10:00:00.000Z","author_id":99,"entity_type":"Project","entity_path":"acme-corporation/api","author_name":"malice","ip_address":"10.0.0.1","event_name":"personal_access_token_created"}
{"severity":"INFO","time":"2026-11-16T11:00:00.000Z","author_id":42,"entity_type":"Project","entity_path":"acme-corp/sub/deep","author_name":"Alice","ip_address":"10.1.2.3","event_name":"add_ssh_key","correlation_id":"01GYDSAKAN2SPZPAMJNRWW5H8S"}
{"severity":"INFO","time":"not a time","author_id":42,"entity_type":"User","entity_path":"acme-corp","author_name":"alice","event_name":"user_logged_in"}
JSON
cat >request.json <<'JSON'
{"case":"SIRT-1234","tenant":"acme-corp","profile":"support",
 "namespaces":["acme-corp"],"users":["alice"],
 "since":"2026-11-14T00:00:00Z","until":"2026-11-21T00:00:00Z",
 "requested_at":"2026-11-22T09:00:00Z"}
JSON

lines() { sed -n 's/.*"line":\([0-9]*\),.*/\1/p' "$1" | tr '\n' ' '; }

test_expect_success 'the window is half-open [since, until)' '
	ldgrep --ns acme-corp --since 2026-11-14 --until 2026-11-21 audit_json.log >out &&
	test "$(lines out)" = "1 3 6 "
'

test_expect_success 'a request file gives the same answer' '
	ldgrep --scope request.json audit_json.log >out &&
	test "$(lines out)" = "1 3 6 "
'

test_expect_success 'namespaces match by whole segments, any case, subgroups too' '
	ldgrep --ns ACME-CORP audit_json.log >out &&
	test "$(lines out)" = "1 2 3 4 6 7 " &&
	ldgrep --ns acme-corp/sub audit_json.log >out &&
	test "$(lines out)" = "6 "
'

test_expect_success 'users by name in any case, or by id' '
	ldgrep --user ALICE audit_json.log >out &&
	test "$(lines out)" = "1 2 3 4 6 7 " &&
	ldgrep --user 99 audit_json.log >out &&
	test "$(lines out)" = "5 "
'

test_expect_success 'a record without a valid time is never in a window' '
	ldgrep --user alice --since 2000-01-01 --stats audit_json.log >out 2>err &&
	! grep -q "\"line\":7," out &&
	grep -q "^ldgrep: stats: audit_json.log	7	0	7	0	1	5	0\$" err
'

test_expect_success 'without a window the record is found, with ts null' '
	ldgrep --user alice --event user_logged_in audit_json.log >out &&
	grep -q "^{\"ts\":null,\"src\":\"audit_json.log\",\"line\":7," out
'

test_expect_success 'event globs, IPs and CIDR blocks, correlation ids' '
	ldgrep --event "personal_access_token_*" audit_json.log >out &&
	test "$(lines out)" = "3 5 " &&
	ldgrep --ip 2001:db8::/32 audit_json.log >out &&
	test "$(lines out)" = "3 " &&
	ldgrep --ip 10.0.0.0/8 --ip 1.2.3.4 audit_json.log >out &&
	test "$(lines out)" = "1 2 4 5 6 " &&
	ldgrep --cid 01GYDSAKAN2SPZPAMJNRWW5H8S audit_json.log >out &&
	test "$(lines out)" = "6 "
'

test_expect_success 'flags and the request file combine with AND' '
	ldgrep --scope request.json --event add_ssh_key audit_json.log >out &&
	test "$(lines out)" = "6 " &&
	ldgrep --scope request.json --since 2026-11-15 audit_json.log >out &&
	test "$(lines out)" = "3 6 "
'

test_expect_success 'field predicates on canonical names and JSON paths' '
	ldgrep --field event=add_ssh_key audit_json.log >out &&
	test "$(lines out)" = "6 " &&
	ldgrep --field "entity_type~^Proj" --user alice audit_json.log >out &&
	test "$(lines out)" = "3 6 "
'

test_expect_success 'a PCRE2 pattern over the raw line, with -i' '
	ldgrep -e "SSH_KEY" -i audit_json.log >out &&
	test "$(lines out)" = "6 " &&
	ldgrep -e "2001:db8::9" --raw audit_json.log >out &&
	sed -n 3p audit_json.log >expect && test_cmp expect out
'

test_expect_success 'support profile refuses a window longer than 7 days' '
	sed "s/2026-11-14T00/2026-11-13T00/" request.json >eight.json &&
	test_status 2 ldgrep --scope eight.json audit_json.log >out 2>err &&
	test_line_count = 0 out &&
	grep -q "^ldgrep: request refused: profile support allows a window of at most 7 days" err
'

test_expect_success 'sirt allows 31 days, not more' '
	sed "s/support/sirt/; s/2026-11-14T00/2026-10-22T09/" request.json >month.json &&
	ldgrep --scope month.json audit_json.log >out &&
	test "$(lines out)" = "1 2 3 6 " &&
	sed "s/support/sirt/; s/2026-11-14T00/2026-10-20T00/" request.json >long.json &&
	test_status 2 ldgrep --scope long.json audit_json.log 2>err &&
	grep -q "at most 31 days" err
'

test_expect_success 'a profile without requested_at is refused' '
	test_status 2 ldgrep --profile support --ns acme-corp --since 2026-11-14 --until 2026-11-15 audit_json.log 2>err &&
	grep -q "needs requested_at" err
'

test_expect_success 'a typo in a request file is refused, not ignored' '
	echo "{\"namespace\":[\"acme-corp\"]}" >typo.json &&
	test_status 2 ldgrep --scope typo.json audit_json.log 2>err &&
	grep -q "^ldgrep: typo.json: unknown field \"namespace\"\$" err
'

test_expect_success 'bad values are refused with the flag named' '
	test_status 2 ldgrep --ip 300.1.1.1 audit_json.log 2>err &&
	grep -q "300.1.1.1: not an IP address" err &&
	test_status 2 ldgrep --since yesterday audit_json.log 2>err &&
	grep -q "^ldgrep: --since: yesterday:" err &&
	test_status 2 ldgrep -e "(" audit_json.log 2>err &&
	grep -q "pattern" err &&
	test_status 2 ldgrep --no-such-flag 2>err &&
	printf "%s\n" "ldgrep: unknown option '"'"'--no-such-flag'"'"'" \
	    "try '"'"'ldgrep --help'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'a command-line profile never loosens the request file' '
	sed "s/2026-11-14T00/2026-11-01T00/" request.json >wide.json &&
	test_status 2 ldgrep --scope wide.json --profile sirt audit_json.log 2>err &&
	grep -q "profile support allows a window of at most 7 days" err
'

test_expect_success 'a profile needs an end to the window' '
	echo "{\"profile\":\"sirt\",\"tenant\":\"acme-corp\",\"since\":\"2026-11-14T00:00:00Z\",\"requested_at\":\"2026-11-16T00:00:00Z\"}" >open.json &&
	test_status 2 ldgrep --scope open.json audit_json.log 2>err &&
	grep -q "until is missing" err
'

test_expect_success 'the tenant alone scopes the request' '
	echo "{\"tenant\":\"acme-corp\"}" >tenant.json &&
	ldgrep --scope tenant.json audit_json.log >out &&
	test "$(lines out)" = "1 2 3 4 6 7 " &&
	test_status 2 ldgrep --scope tenant.json --ns acme-corporation audit_json.log 2>err &&
	grep -q "namespace acme-corporation is outside the tenant acme-corp" err
'

test_expect_success 'relative spans count back from requested_at' '
	ldgrep --scope request.json --since 7d audit_json.log >out &&
	test "$(lines out)" = "3 6 "
'

test_done
