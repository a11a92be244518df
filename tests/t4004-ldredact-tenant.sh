#!/bin/sh
test_description='ldredact: other tenants, own accounts, the customer profile'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cat >req.json <<-\JSON &&
	{"case":"C-9","tenant":"acme-corp","namespaces":["acme-corp"],"own_accounts":["alice"]}
	JSON
	cp "$TEST_DIRECTORY/t4004/tenants.log" .
'

test_expect_success 'records of other tenants, and without one, are dropped' '
	ldredact -p support -k case.key --scope req.json --report rep.json tenants.log >out &&
	test_line_count = 7 out &&
	test_grep -v "\"correlation_id\":\"t-other\"" out &&
	test_grep -v "\"correlation_id\":\"t-none\"" out &&
	test_grep -v "\"correlation_id\":\"t-lookalike\"" out &&
	test_grep "\"other-tenant\": 2" rep.json &&
	test_grep "\"no-tenant\": 1" rep.json
'

test_expect_success 'references to other tenants are pseudonymised, ours kept' '
	test_grep -v "evil-corp" out &&
	test_grep -v "top-secret" out &&
	test_grep -v "acme-corporation" out &&
	test_grep "\"forked_from_project\":\"tenant-[0-9a-f]\{12\}/project-[0-9a-f]\{12\}\"" out &&
	test_grep "/acme-corp/web/-/merge_requests" out &&
	test_grep "\"project\":\"acme-corp/web\"" out
'

test_expect_success 'the same other project gets the same pseudonym everywhere' '
	p=$(sed -n "s/.*\"forked_from_project\":\"\([^\"]*\)\".*/\1/p" out) &&
	test $(grep -c -F "$p" out) -ge 3
'

test_expect_success 'support: every account pseudonymised, own ones too' '
	test_grep -v "alice" out && test_grep -v "mallory" out
'

test_expect_success 'the target of an event on a User is a user name' '
	test_grep "\"target_details\":\"user-[0-9a-f]\{12\}\"" out &&
	test_grep "Added user-[0-9a-f]\{12\} from tenant-[0-9a-f]\{12\}/project-" out
'

test_expect_success 'text under a path key is not taken for a namespace' '
	test_grep "\"target_details\":\"token for email-[0-9a-f]\{12\}@redacted.invalid\"" out &&
	test_grep "\"custom_message\":\"Created personal access token with scopes api\"" out
'

test_expect_success 'a bare namespace under a path key is, and is found again in text' '
	test_grep "\"target_details\":\"tenant-[0-9a-f]\{12\}\",\"custom_message\":\"Transferred to tenant-[0-9a-f]\{12\}\"" out
'

test_expect_success 'another tenant in a parameter list that holds a path' '
	cat >params.log <<-\EOF &&
	{"method":"POST","path":"/api/v4/projects/acme-corp%2Fweb/fork","controller":"A","action":"b","status":200,"time":"2026-11-16T02:18:12.250Z","params":[{"key":"namespace_path","value":"evil-corp"},{"key":"visibility","value":"private"}],"meta.root_namespace":"acme-corp","correlation_id":"t-fork"}
	EOF
	ldredact -p support -k case.key --scope req.json params.log >pout &&
	test_grep -v "evil-corp" pout &&
	test_grep "{\"key\":\"namespace_path\",\"value\":\"tenant-[0-9a-f]\{12\}\"}" pout &&
	test_grep "{\"key\":\"visibility\",\"value\":\"private\"}" pout
'

test_expect_success 'customer: own accounts kept, the others pseudonymised' '
	ldredact -p customer -k case.key --scope req.json tenants.log >cust &&
	test_grep "\"user\":\"alice\"" cust &&
	test_grep "\"meta.user\":\"alice\"" cust &&
	test_grep -v "mallory" cust &&
	test_grep -v "evil-corp" cust &&
	test_grep "\"user\":\"user-[0-9a-f]\{12\}\"" cust
'

test_expect_success 'legal: other tenants removed, personal data kept' '
	ldredact -p legal --scope req.json tenants.log >legal &&
	test_grep "alice" legal &&
	test_grep "1\.2\.3\.4" legal &&
	test_grep -v "evil-corp" legal &&
	test_grep "\[REDACTED:tenant\]" legal
'

test_expect_success '--tenant on the command line works as the request does' '
	ldredact -p support -k case.key --tenant acme-corp tenants.log >out2 &&
	test_cmp out out2
'

test_done
