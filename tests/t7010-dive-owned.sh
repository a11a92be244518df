#!/bin/sh
test_description='a dive on an owned account: the attack chain reaches the bag'
. "$(dirname "$0")/test-lib.sh"

# ldgen's request names alice as an owned account of acme-corp.  Her
# account-level events are events of the User (no group or project), her
# fork lands in another tenant's namespace, and her .env download carries
# invalid bytes that ldgrep repairs: all of them must reach the support
# bag, in time order, with the other tenant's name pseudonymised.

test_expect_success 'setup: corpus, grep, support redaction, timeline, bag' '
	ldgen --size 2 -o corpus >/dev/null &&
	printf "case-key-for-the-dive-test-0123456789\n" >case.key &&
	(cd corpus && test_must_fail --status=2 ldgrep --scope request.json \
		archive >../found.jsonl 2>/dev/null) &&
	(cd corpus && ldredact -p support --scope request.json -k ../case.key \
		--report ../redaction.json ../found.jsonl >../redacted.jsonl) &&
	ldtimeline redacted.jsonl >timeline.jsonl &&
	(cd corpus && SOURCE_DATE_EPOCH=1795341600 ldbundle create \
		-o ../CASE.bag --scope request.json --report ../redaction.json \
		--source-root . ../timeline.jsonl) &&
	ldbundle verify CASE.bag >/dev/null
'

test_expect_success 'the request returns the answer key: precision and recall 1.0' '
	jq -r "\"\(.src) \(.line)\"" found.jsonl | sort >got &&
	jq -r "\"\(.src) \(.line)\"" corpus/answer-key.jsonl | sort >want &&
	test_cmp want got &&
	jq -c "select(.account and (.tenant | not))" corpus/answer-key.jsonl >acct &&
	test_line_count -ge 15 acct
'

test_expect_success 'the support export keeps every answer; no drop is unexplained' '
	jq -e ".records.read == .records.kept + .records.dropped" redaction.json &&
	jq -r ".dropped_records[] | .reason" redaction.json >reasons &&
	! grep -v -x -e other-tenant -e no-tenant -e rule -e malformed reasons &&
	test "$(wc -l <redacted.jsonl)" -eq \
		$(( $(wc -l <found.jsonl) - $(wc -l <reasons) )) &&
	jq -e ".dropped.utf8 == 0" redaction.json
'

test_expect_success 'the chain is in the bag, in time order' '
	ldcut -o tsv --no-header -f ts,event,project \
		CASE.bag/data/events.jsonl >events.tsv &&
	for e in login_failed_with_standard_authentication \
	    "SessionsController#create" authenticated_with_password \
	    "Profiles::TwoFactorAuthsController#destroy" user_disable_two_factor \
	    personal_access_token_created add_ssh_key \
	    "/api/:version/projects/:id/repository/archive" \
	    project_fork_operation CreateFork; do
		grep -n -F "	$e	" events.tsv | head -n 1 | cut -d: -f1 >>first ||
			return 1
	done &&
	grep -n -F "/raw/main/.env" CASE.bag/data/events.jsonl | cut -d: -f1 >>first &&
	test_line_count = 11 first &&
	sort -n -c first &&
	ldcut -o tsv --no-header -f ts,src,line CASE.bag/data/events.jsonl >tsl &&
	awk -f "$TEST_DIRECTORY/timeline-order.awk" tsl
'

test_expect_success 'the repaired .env download is there, redacted' '
	grep -F "/raw/main/.env" CASE.bag/data/events.jsonl >env &&
	test_line_count = 1 env &&
	test_grep "\"utf8\":\"repaired\"" env
'

test_expect_success 'the fork target is a pseudonym; no other tenant is named' '
	grep -F "	CreateFork	" events.tsv >fork &&
	test_grep "	tenant-[0-9a-f]\{12\}/project-[0-9a-f]\{12\}$" fork &&
	! grep -rl evil-corp CASE.bag/data/events.jsonl CASE.bag/data/timeline.csv
'

test_expect_success 'the account-level events name no group and no user' '
	grep -F "user_disable_two_factor" CASE.bag/data/events.jsonl >tfa &&
	test_grep "\"entity_type\":\"User\"" tfa &&
	! grep -w alice tfa
'

test_done
