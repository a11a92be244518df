#!/bin/sh
test_description='ldredact: owned accounts kept wherever they acted, repaired lines kept'
. "$(dirname "$0")/test-lib.sh"

# The records are ldgrep's answer to a request with the tenant acme-corp and
# the owned account alice over the fixtures of t1030 (GitLab's shapes): her
# account-level events have no tenant, her fork and visit are in another
# tenant's namespace (evil-corp), and her .env download has invalid bytes
# in its user agent, which ldgrep repaired.

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cat >req.json <<-\JSON &&
	{"case":"SIRT-9","tenant":"acme-corp","profile":"support",
	 "namespaces":["acme-corp"],"users":["alice"],"accounts":["alice"],
	 "since":"2026-11-14T00:00:00Z","until":"2026-11-21T00:00:00Z",
	 "requested_at":"2026-11-21T09:00:00Z"}
	JSON
	cp "$TEST_DIRECTORY"/t1030/*.log . &&
	ldgrep --scope req.json audit_json.log production_json.log >found &&
	test_line_count = 12 found &&
	test_grep "\"utf8\":\"repaired\"" found
'

for p in support customer legal; do
	test_expect_success "$p: every owned event is kept, none dropped" '
		ldredact -p '$p' -k case.key --scope req.json --report '$p'.rep \
			found >'$p'.out 2>'$p'.err &&
		test_line_count = 12 '$p'.out &&
		test_line_count = 0 '$p'.err &&
		jq -e ".records.dropped == 0 and .dropped_records == []" '$p'.rep &&
		cut -d, -f2,3 found >expect && cut -d, -f2,3 '$p'.out >actual &&
		test_cmp expect actual
	'
done

test_expect_success 'the repaired line is redacted and kept, marked repaired' '
	grep "raw/main/.env" support.out >env &&
	test_line_count = 1 env &&
	test_grep "\"utf8\":\"repaired\"" env &&
	test_grep "Firefox/128.0" env &&
	test_grep -v "203\.0\.113\.99" env
'

test_expect_success 'a raw line with invalid bytes is kept too, as repaired' '
	ldredact -p support -k case.key --scope req.json production_json.log \
		>raw.out 2>raw.err &&
	test_line_count = 0 raw.err &&
	grep "raw/main/.env" raw.out >env &&
	test_grep "\"utf8\":\"repaired\"" env &&
	printf "\357\277\275" >fffd &&
	grep -q -F -f fffd env
'

test_expect_success 'sirt: what responders need stays, a sirt request picks it' '
	sed "s/\"support\"/\"sirt\"/" req.json >sirt.json &&
	ldredact --scope sirt.json --report sirt.rep found >sirt.out &&
	jq -e ".policy.name == \"sirt\" and .records.dropped == 0" sirt.rep &&
	test_line_count = 12 sirt.out &&
	grep "project_fork_operation" sirt.out >fork &&
	test_grep "\"entity_path\":\"evil-corp/web\"" fork &&
	test_grep "\"author_name\":\"alice\"" fork &&
	test_grep "203\.0\.113\.99" fork
'

test_expect_success 'no tool of the pipeline drops a repaired line' '
	ldgrep --raw --account alice production_json.log >raw &&
	grep -c "raw/main/.env" raw >n && test "$(cat n)" = 1 &&
	ldcut -f ts,event production_json.log >cut &&
	test_line_count = 6 cut &&
	ldtimeline production_json.log >tl &&
	grep "raw/main/.env" tl >env &&
	test_grep "\"utf8\":\"repaired\"" env &&
	ldgrep production_json.log | ldtimeline | ldredact -p customer -k case.key \
		--scope req.json >chain &&
	grep "raw/main/.env" chain >env &&
	test_grep "\"utf8\":\"repaired\"" env
'

test_expect_success 'customer: alice kept, the other tenant of her fork pseudonymised' '
	test_grep "\"author_name\":\"alice\"" customer.out &&
	test_grep "\"entity_path\":\"alice\"" customer.out &&
	test_grep -v "evil-corp" customer.out &&
	grep "project_fork_operation" customer.out >fork &&
	test_grep "\"entity_path\":\"tenant-[0-9a-f]\{12\}/project-[0-9a-f]\{12\}\"" fork &&
	test_grep -v mallory customer.out
'

test_expect_success 'support: no user names and no other tenant' '
	test_grep -v alice support.out &&
	test_grep -v evil-corp support.out &&
	test_grep "user_disable_two_factor" support.out
'

test_expect_success 'legal: other tenants masked, the owned events all there' '
	test_grep -v evil-corp legal.out &&
	for e in login_failed authenticated_with_password user_disable_two_factor \
	    personal_access_token_created add_ssh_key project_fork_operation \
	    "SessionsController#create" "TwoFactorAuthsController#destroy"; do
		grep -q -F "$e" legal.out || { echo "lost: $e"; return 1; }
	done
'

test_expect_success 'without owned accounts, the account-level events are dropped as before' '
	sed "s/,\"accounts\":\[\"alice\"\]//" req.json >plain.json &&
	ldredact -p support -k case.key --scope plain.json --report plain.rep found >plain.out &&
	jq -e ".dropped[\"no-tenant\"] == 2 and .dropped[\"other-tenant\"] == 9" plain.rep
'

test_expect_success 'a request naming an account not listed as owned is refused' '
	test_must_fail --status=2 ldredact -p customer -k case.key --own bob \
		--scope req.json found >out 2>err &&
	test_grep "request names account alice, which is not listed as owned" err &&
	test_grep "policy customer" err &&
	test_line_count = 0 out &&
	test_must_fail --status=2 ldredact -p support -k case.key --own bob \
		--scope req.json found 2>err &&
	test_grep "not listed as owned" err
'

test_expect_success 'listed accounts pass; legal does not require ownership' '
	ldredact -p customer -k case.key --own bob --own Alice --scope req.json \
		found >out &&
	test_line_count = 12 out &&
	ldredact -p legal --own bob --scope req.json found >out &&
	test_line_count -ge 1 out
'

test_expect_success '--account names an owned account without a request file' '
	ldredact -p customer -k case.key --tenant acme-corp --account alice \
		--report acc.rep production_json.log >acc.out &&
	test_line_count = 5 acc.out &&
	jq -e ".dropped[\"no-tenant\"] == 1" acc.rep &&
	test_must_fail --status=2 ldredact -p customer -k case.key \
		--tenant acme-corp --account alice --own bob production_json.log 2>err &&
	test_grep "account alice, which is not listed as owned" err
'

test_expect_success 'a policy says whether it requires ownership' '
	ldredact --print-policy customer >c.json &&
	jq -e ".accounts.require_owned == true" c.json &&
	ldredact --print-policy legal >l.json &&
	jq -e ".accounts == null" l.json &&
	jq ".accounts = {\"require_owned\": 1}" l.json >bad.json &&
	test_must_fail --status=2 ldredact --policy bad.json found 2>err &&
	test_grep "require_owned\" must be true or false" err
'

test_done
