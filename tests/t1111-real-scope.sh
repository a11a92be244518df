#!/bin/sh
test_description='scope queries on real GitLab log lines find exactly the right lines'
. "$(dirname "$0")/test-lib.sh"

# The real fixtures, without the notes, and hits().
. "$TEST_DIRECTORY/lib-real.sh"

test_expect_success '--ip with a CIDR finds the client of a proxy chain' '
	printf "%s\n" gitlab-rails/api_json.log:3 gitlab-rails/api_json.log:4 \
	    gitlab-rails/api_json.log:5 >expect &&
	hits --ip 81.2.69.0/24 >actual &&
	test_cmp expect actual &&
	hits --ip 81.2.69.144 >actual &&
	test_cmp expect actual
'

test_expect_success '--ip finds an address written with a port, not a placeholder' '
	echo gitlab-workhorse/current:1 >expect &&
	hits --ip 68.0.116.160 >actual &&
	test_cmp expect actual &&
	hits --ip ::1 >actual &&
	echo gitlab-rails/api_json.log:1 >expect &&
	test_cmp expect actual
'

test_expect_success '--user by id follows one account across Rails and GitLab Shell' '
	hits --user 1 >actual &&
	test_grep "^gitlab-shell/gitlab-shell.log:2\$" actual &&
	test_grep "^gitlab-rails/api_json.log:3\$" actual &&
	test_grep "^audit-events/audit_events.jsonl:1\$" actual &&
	test_grep "^gitlab-rails/audit_json.log:2\$" actual &&
	test_grep "^gitaly/current:4\$" actual &&
	test_grep "^gitlab-rails/production_json.log:9\$" actual &&
	! grep "audit_events.jsonl:3\$" actual &&
	! grep "production_json.log:8\$" actual &&
	test_grep "^gitlab-rails/production_json.log:12\$" actual &&
	test_line_count = 41 actual
'

test_expect_success '--user finds a failed sign-in of the account it names' '
	echo gitlab-rails/application_json.log:6 >expect &&
	hits --user test >actual &&
	test_cmp expect actual
'

test_expect_success '--user by name, any case' '
	hits --user ROOT >actual &&
	test_grep "^gitlab-shell/gitlab-shell.log:2\$" actual &&
	test_grep "^gitlab-rails/audit_json.log:2\$" actual &&
	test_line_count = 30 actual &&
	printf "%s\n" audit-events/audit_events.jsonl:3 \
	    audit-events/audit_events.jsonl:14 >expect &&
	hits --user deploy-key-name >actual &&
	test_cmp expect actual
'

test_expect_success '--project from request paths, gRPC and .git URLs' '
	printf "%s\n" gitaly/current:3 gitlab-rails/production_json.log:4 \
	    gitlab-workhorse/current:1 >expect &&
	hits --project root/linux >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-rails/auth_json.log:1 gitlab-rails/auth_json.log:2 \
	    gitlab-rails/auth_json.log:3 gitlab-rails/production_json.log:8 \
	    gitlab-rails/production_json.log:9 \
	    gitlab-rails/production_json.log:10 >expect &&
	hits --project group/project >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-rails/audit_json.log:1 \
	    gitlab-rails/integrations_json.log:2 >expect &&
	hits --project namespace2/project2 >actual &&
	test_cmp expect actual
'

test_expect_success '--project from a request'"'"'s params, an old API line and GitLab Shell'"'"'s text' '
	printf "%s\n" gitlab-rails/production_json.log:1 \
	    gitlab-rails/production_json.log:2 \
	    gitlab-rails/production_json.log:11 >expect &&
	hits --project gitlab/gitlab-foss >actual &&
	test_cmp expect actual &&
	echo gitlab-rails/api_json.log:6 >expect &&
	hits --project root/foobar >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-shell/gitlab-shell.log:2 gitlab-shell/gitlab-shell.log:3 \
	    gitlab-shell/gitlab-shell.log:4 >expect &&
	hits --project root/example --tz-assume UTC >actual &&
	test_cmp expect actual &&
	hits --project root/test_1 >actual &&
	test_grep "^gitaly/current:8\$" actual &&
	test "$(grep -c "^gitaly/current:" actual)" = 5
'

test_expect_success '--ip across NGINX and Workhorse, and a Sidekiq wrapper'"'"'s job by --event' '
	printf "%s\n" gitlab-workhorse/current:7 nginx/gitlab_access.log:2 >expect &&
	hits --ip 173.34.175.0/24 >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-rails/application_json.log:8 sidekiq/current:4 >expect &&
	hits --event "ActionMailer::*" >actual &&
	test_cmp expect actual
'

test_expect_success '--ns by whole segments' '
	printf "%s\n" gitlab-rails/integrations_json.log:1 \
	    gitlab-rails/integrations_json.log:3 sidekiq/current:5 >expect &&
	hits --ns h5bp >actual &&
	test_cmp expect actual &&
	hits --ns example-group >actual &&
	test_line_count = 14 actual &&
	hits --ns root --year 2014 --tz-assume -07:00 >actual &&
	test_grep "^nginx/gitlab_access.log:1\$" actual &&
	test_grep "^syslog/syslog:8\$" actual &&
	test_grep "^gitlab-shell/gitlab-shell.log:2\$" actual
'

test_expect_success '--event with a glob' '
	hits --event "repository_*" >actual &&
	test_line_count = 8 actual &&
	hits --event "feature_flag.enable*" >actual &&
	test_line_count = 5 actual
'

test_expect_success 'windows in other zones' '
	echo gitlab-rails/production.log:1 >expect &&
	hits --since 2015-02-12T19:34:53+02:00 --until 2015-02-12T19:34:54+02:00 >actual &&
	test_cmp expect actual &&
	hits --year 2014 --tz-assume -07:00 \
	    --since 2014-06-26T06:33:46-07:00 --until 2014-06-26T06:33:47-07:00 >actual &&
	test_line_count = 12 actual &&
	test_grep "^nginx/gitlab_access.log:1\$" actual &&
	test "$(grep -c "^syslog/syslog:" actual)" = 11
'

test_expect_success 'a wrong value finds nothing, and says so by the exit status' '
	for q in "--ip 81.2.70.0/24" "--ip 68.0.116.161" "--user rooot" \
	    "--user 1000" "--project root/linu" "--ns roo" \
	    "--event repository_git" "--cid LOt9hgi1TV5"; do
		test_status 1 ldgrep $q real >out 2>/dev/null &&
		test_line_count = 0 out || { echo "for $q"; return 1; }
	done
'

test_done
