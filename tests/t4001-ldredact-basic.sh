#!/bin/sh
test_description='ldredact: options, exit status, atomic output, the report'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cat >req.json <<-\JSON &&
	{"case":"SIRT-1","tenant":"acme-corp","profile":"support","namespaces":["acme-corp"],
	 "users":["alice"],"own_accounts":["alice"],"since":"2026-11-14T00:00:00Z",
	 "until":"2026-11-21T00:00:00Z","requested_at":"2026-11-22T09:00:00Z"}
	JSON
	cat >in.log <<-\LOG
	{"method":"GET","path":"/acme-corp/web/-/issues","controller":"IssuesController","action":"index","status":200,"time":"2026-11-16T02:13:12.250Z","remote_ip":"1.2.3.4","user_id":42,"username":"alice","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp","correlation_id":"LOt9hgi1TV4","host":"web-01.internal","pid":4242}
	{"method":"GET","path":"/acme-corp/web","controller":"ProjectsController","action":"show","status":200,"time":"2026-11-16T02:14:12.250Z","remote_ip":"5.6.7.8","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
	not a log line
	LOG
'

test_expect_success 'no policy is trouble' '
	test_must_fail --status=2 ldredact -k case.key --tenant acme-corp in.log 2>err &&
	test_grep "no policy" err
'

test_expect_success 'a pseudonymising policy without a key is refused' '
	test_must_fail --status=2 ldredact -p support --tenant acme-corp in.log 2>err &&
	test_grep "needs a key" err
'

test_expect_success 'a short key is refused' '
	printf short >short.key &&
	test_must_fail --status=2 ldredact -p support -k short.key --tenant acme-corp in.log 2>err &&
	test_grep "at least 32" err
'

test_expect_success 'a missing key file is trouble' '
	test_must_fail --status=2 ldredact -p support -k nosuch.key --tenant acme-corp in.log 2>err &&
	test_grep "nosuch.key" err
'

test_expect_success 'a policy that needs a tenant refuses to run without one' '
	test_must_fail --status=2 ldredact -p legal in.log 2>err &&
	test_grep "needs the tenant" err
'

test_expect_success 'an unknown profile is trouble' '
	test_must_fail --status=2 ldredact -p nosuch --tenant acme-corp in.log 2>err &&
	test_grep "no such profile" err
'

test_expect_success 'records are written, the malformed line is dropped and said' '
	ldredact -p support -k case.key --tenant acme-corp in.log >out 2>err &&
	test_line_count = 2 out &&
	test_grep "in.log:3: dropped: no format could parse it" err &&
	test_grep -v "1\.2\.3\.4" out &&
	test_grep -v "alice" out &&
	test_grep -v "web-01" out &&
	test_grep -v "4242" out &&
	test_grep "\"src\":\"in.log\",\"line\":1," out &&
	test_grep "\"redacted\":" out
'

test_expect_success 'the output reads back as ld-records' '
	ldredact -p legal --tenant acme-corp out >again &&
	test_line_count = 2 again &&
	test_grep "\"src\":\"in.log\",\"line\":2," again
'

test_expect_success 'an event with nothing to redact keeps its bytes' '
	printf "%s\n" "{\"controller\":\"A\", \"action\":\"b\",  \"time\":\"2026-11-16T02:13:12.250Z\",\"meta.root_namespace\":\"acme-corp\"}" >plain.log &&
	ldredact -p legal --tenant acme-corp plain.log >out2 &&
	test_grep "\"ev\":{\"controller\":\"A\", \"action\":\"b\",  \"time\"" out2 &&
	test_grep -v "redacted" out2
'

test_expect_success 'pseudonyms are stable within a key and differ across keys' '
	ldredact -p support -k case.key --tenant acme-corp in.log >a1 2>/dev/null &&
	ldredact -p support -k case.key --tenant acme-corp in.log >a2 2>/dev/null &&
	test_cmp a1 a2 &&
	printf "another-key-for-another-case-0123456789xyz\n" >other.key &&
	ldredact -p support -k other.key --tenant acme-corp in.log >b1 2>/dev/null &&
	! cmp -s a1 b1
'

test_expect_success 'nothing written: exit 1' '
	test_status 1 ldredact -p support -k case.key --tenant other-corp in.log >none 2>/dev/null &&
	test_line_count = 0 none
'

test_expect_success 'an unreadable input is trouble, the rest is written' '
	test_must_fail --status=2 ldredact -p support -k case.key --tenant acme-corp nosuch.log in.log >out3 2>err &&
	test_grep "nosuch.log" err &&
	test_line_count = 2 out3
'

test_expect_success '-o writes the file atomically and leaves no temporary file' '
	ldredact -p support -k case.key --tenant acme-corp -o red.jsonl in.log 2>/dev/null &&
	test_cmp a1 red.jsonl &&
	ls >files &&
	test_grep -v "tmp" files
'

test_expect_success 'the request gives tenant, profile and own accounts' '
	ldredact --scope req.json -k case.key in.log >s1 2>/dev/null &&
	test_line_count = 2 s1 &&
	test_grep -v "alice" s1
'

test_expect_success 'the report: policy, key id, digests, counts, never a value' '
	ldredact --scope req.json -k case.key --report rep.json -o r.jsonl in.log 2>/dev/null &&
	test_grep "\"name\": \"support\"" rep.json &&
	test_grep "\"case\": \"SIRT-1\"" rep.json &&
	test_grep "\"key_id\": \"[0-9a-f]\{16\}\"" rep.json &&
	sha=$(sha256sum r.jsonl | cut -d" " -f1) &&
	test_grep "\"sha256\": \"$sha\"" rep.json &&
	insha=$(sha256sum in.log | cut -d" " -f1) &&
	test_grep "\"sha256\": \"$insha\"" rep.json &&
	test_grep "\"malformed\": 1" rep.json &&
	test_grep "\"reason\": \"malformed\"" rep.json &&
	test_grep "\"name\": \"pii.ip\"" rep.json &&
	test_grep -v "1\.2\.3\.4" rep.json &&
	test_grep -v "alice" rep.json &&
	test_grep -v "case-key-for" rep.json
'

test_expect_success '--raw writes the redacted events' '
	ldredact -p support -k case.key --tenant acme-corp --raw in.log >raw 2>/dev/null &&
	test_line_count = 2 raw &&
	test_grep "^{\"method\":\"GET\"" raw &&
	test_grep -v "alice" raw
'

test_expect_success '--print-policy prints a built-in policy' '
	ldredact --print-policy legal >legal.json &&
	test_grep "\"name\": \"legal\"" legal.json
'

test_expect_success 'usage errors exit 2' '
	test_must_fail --status=2 ldredact --no-such-option 2>err &&
	test_grep "^ldredact: unknown option .--no-such-option.$" err &&
	test_grep "^try .ldredact --help.$" err
'

test_expect_success 'one person or address, one pseudonym, however written and however often' '
	cat >spell.log <<-\LOG &&
	{"method":"GET","path":"/acme-corp/web","status":200,"time":"2026-11-16T02:13:12.250Z","remote_ip":"1.2.3.4","username":"alice","meta.root_namespace":"acme-corp","correlation_id":"s1"}
	{"method":"GET","path":"/acme-corp/web","status":200,"time":"2026-11-16T02:13:13.250Z","remote_ip":"::ffff:1.2.3.4","username":"Alice","meta.root_namespace":"acme-corp","correlation_id":"s2"}
	{"method":"GET","path":"/acme-corp/web","status":200,"time":"2026-11-16T02:13:14.250Z","remote_ip":"1.2.3.4","username":"alice","meta.root_namespace":"acme-corp","correlation_id":"s3"}
	{"method":"GET","path":"/acme-corp/web","status":200,"time":"2026-11-16T02:13:15.250Z","remote_ip":"::FFFF:1.2.3.4","username":"ALICE","meta.root_namespace":"acme-corp","correlation_id":"s4"}
	LOG
	ldredact -p support -k case.key --tenant acme-corp --raw \
	    --report srep.json spell.log >spell &&
	test_line_count = 4 spell &&
	test $(sed -n "s/.*\"username\":\"\(user-[0-9a-f]*\)\".*/\1/p" spell | sort -u | wc -l) = 1 &&
	test $(sed -n "s/.*\"remote_ip\":\"\(ip-[0-9a-f]*\)\".*/\1/p" spell | sort -u | wc -l) = 1 &&
	test $(grep -c "\"username\":\"user-[0-9a-f]\{12\}\"" spell) = 4 &&
	test $(grep -c "\"remote_ip\":\"ip-[0-9a-f]\{12\}\"" spell) = 4 &&
	tr -d " \n" <srep.json >srep1 &&
	test_grep "\"name\":\"pii.user\",\"action\":\"pseudonym\",\"values\":8,\"records\":4" srep1 &&
	test_grep "\"name\":\"pii.ip\",\"action\":\"pseudonym\",\"values\":8,\"records\":4" srep1
'

test_done
