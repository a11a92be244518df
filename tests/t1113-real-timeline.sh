#!/bin/sh
test_description='ldtimeline de-duplicates real audit events by occurrence, not by id'
. "$(dirname "$0")/test-lib.sh"

REAL="$TEST_DIRECTORY/fixtures/real"

test_expect_success 'GitLab streaming examples that reuse id 1 are all kept' '
	ldtimeline "$REAL/audit-events/audit_events.jsonl" >out &&
	test_line_count = 13 out &&
	ldtimeline --keep-duplicates "$REAL/audit-events/audit_events.jsonl" >all &&
	test_line_count = 14 all
'

test_expect_success 'only the one event documented twice (id 1 and "1") is dropped' '
	sed -n "s/.*\"line\":\([0-9]*\),.*/\1/p" out | sort -n | tr "\n" " " >lines &&
	printf "1 2 3 4 5 6 7 8 9 10 11 12 13 " >expect &&
	test_cmp expect lines
'

test_expect_success 'the same id, type and entity at another time is another event' '
	ldtimeline "$REAL/audit-events/audit_events.jsonl" >out &&
	test "$(grep -c "\"ts\":\"2022-02-23T06:2" out)" = 5
'

# Hand-written: the deploy-key example as audit_json.log would hold it
# (event_name, a "time" a few milliseconds later, created_at the same).
test_expect_success 'the same occurrence streamed and in audit_json.log is kept once' '
	sed -n 3p "$REAL/audit-events/audit_events.jsonl" >audit-events.jsonl &&
	echo "{\"severity\":\"INFO\",\"time\":\"2022-07-26T05:43:53.670Z\",\"id\":1,\"author_id\":-3,\"entity_id\":29,\"entity_type\":\"Project\",\"entity_path\":\"example-group/example-project\",\"author_name\":\"deploy-key-name\",\"ip_address\":\"127.0.0.1\",\"created_at\":\"2022-07-26T05:43:53.662Z\",\"event_name\":\"repository_git_operation\"}" >audit_json.log &&
	ldtimeline audit-events.jsonl audit_json.log >out &&
	test_line_count = 1 out &&
	echo "{\"severity\":\"INFO\",\"time\":\"2022-07-26T05:43:53.670Z\",\"id\":1,\"author_id\":-3,\"entity_id\":30,\"entity_type\":\"Project\",\"entity_path\":\"example-group/other\",\"author_name\":\"deploy-key-name\",\"ip_address\":\"127.0.0.1\",\"created_at\":\"2022-07-26T05:43:53.662Z\",\"event_name\":\"repository_git_operation\"}" >audit_json.log &&
	ldtimeline audit-events.jsonl audit_json.log >out &&
	test_line_count = 2 out
'

test_expect_success 'a real line given twice is one event' '
	ldtimeline "$REAL/gitlab-rails/api_json.log" "$REAL/gitlab-rails/api_json.log" >out &&
	test_line_count = $(wc -l <"$REAL/gitlab-rails/api_json.log") out
'

test_done
