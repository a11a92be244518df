#!/bin/sh
test_description='ldredact: policy files, the built-in profiles, their errors'
. "$(dirname "$0")/test-lib.sh"

line='{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"c1","message":"ticket T-12345 by bob@example.com","card":"4111-1111-1111-1111"}'

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	printf "%s\n" "$line" >in.log
'

test_expect_success 'the built-in profiles are the files in lib/redact/policies' '
	for p in support customer legal; do
		ldredact --print-policy $p >$p.json &&
		test_cmp "$SRC_DIRECTORY/lib/redact/policies/$p.json" $p.json || return 1
	done
'

test_expect_success 'a policy file with a pattern, keys and mask' '
	cat >p.json <<-\JSON &&
	{"name":"tickets","rules":[
	  {"name":"ticket","pattern":"\\bT-\\d+","action":"mask"},
	  {"name":"card","keys":["card"],"action":"remove"},
	  {"name":"mail","detect":"email","action":"pseudonym"}]}
	JSON
	ldredact --policy p.json -k case.key in.log >out &&
	test_grep "ticket \[REDACTED:ticket\] by email-[0-9a-f]\{12\}@redacted.invalid" out &&
	test_grep -v "4111" out &&
	test_grep -v "\"card\"" out
'

test_expect_success 'the report names the policy file and its SHA-256' '
	ldredact --policy p.json -k case.key --report rep.json in.log >/dev/null &&
	sha=$(sha256sum p.json | cut -d" " -f1) &&
	test_grep "\"sha256\": \"$sha\"" rep.json &&
	test_grep "\"source\": \"p.json\"" rep.json &&
	test_grep "\"name\": \"ticket\"" rep.json
'

test_expect_success 'action drop drops the record and says why' '
	cat >d.json <<-\JSON &&
	{"name":"d","rules":[{"name":"no-tickets","pattern":"T-\\d+","action":"drop"}]}
	JSON
	test_status 1 ldredact --policy d.json --report rep.json in.log >out &&
	test_line_count = 0 out &&
	test_grep "\"rule\": 1" rep.json
'

test_expect_success 'keep exempts what a later rule would take' '
	cat >k.json <<-\JSON &&
	{"name":"k","rules":[{"name":"ok-mail","pattern":"bob@example\\.com","action":"keep"},
	  {"name":"mail","detect":"email","action":"mask"}]}
	JSON
	ldredact --policy k.json in.log >out &&
	test_grep "by bob@example.com" out
'

test_expect_success 'a policy that makes no pseudonyms needs no key' '
	ldredact --policy k.json in.log >/dev/null
'

test_expect_success 'mistakes in a policy are refused with the reason' '
	printf "%s\n" "{\"name\":\"x\",\"rules\":[{\"name\":\"a\",\"detect\":\"nosuch\",\"action\":\"mask\"}]}" >e1.json &&
	test_must_fail --status=2 ldredact --policy e1.json in.log 2>err &&
	test_grep "unknown detector \"nosuch\"" err &&
	printf "%s\n" "{\"name\":\"x\",\"rules\":[{\"name\":\"a\",\"pattern\":\"(\",\"action\":\"mask\"}]}" >e2.json &&
	test_must_fail --status=2 ldredact --policy e2.json in.log 2>err &&
	test_grep "e2.json: rule a: pattern at offset" err &&
	printf "%s\n" "{\"name\":\"x\",\"rules\":[{\"name\":\"a\",\"detect\":\"email\",\"action\":\"hide\"}]}" >e3.json &&
	test_must_fail --status=2 ldredact --policy e3.json in.log 2>err &&
	test_grep "must be one of keep" err &&
	printf "%s\n" "{\"name\":\"x\",\"rulez\":[]}" >e4.json &&
	test_must_fail --status=2 ldredact --policy e4.json in.log 2>err &&
	test_grep "unknown field \"rulez\"" err &&
	printf "%s\n" "{\"name\":\"x\",\"rules\":[{\"name\":\"a\",\"action\":\"mask\"}]}" >e5.json &&
	test_must_fail --status=2 ldredact --policy e5.json in.log 2>err &&
	test_grep "select something" err
'

# A rule name goes into every marker and the report: one with a control
# character or a quote would break the JSON of the record it marks (found
# by fuzz_policy).
test_expect_success 'a rule name that needs escaping is refused' '
	for n in "se\\rcret" "a\\\"b" "a b" "x]y"; do
		printf "%s\n" "{\"name\":\"x\",\"rules\":[{\"name\":\"$n\",\"detect\":\"email\",\"action\":\"mask\"}]}" >e6.json &&
		test_must_fail --status=2 ldredact --policy e6.json in.log 2>err &&
		test_grep "must be letters, digits" err || return 1
	done
'

test_expect_success 'a missing policy file is trouble' '
	test_must_fail --status=2 ldredact --policy nosuch.json in.log 2>err &&
	test_grep "nosuch.json" err
'

test_done
