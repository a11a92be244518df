#!/bin/sh
test_description='ldhunt on the ldgen corpus: every stage of the take-over flagged, the look-alikes not'
. "$(dirname "$0")/test-lib.sh"

ldgen -o corpus >/dev/null || exit 1

# The corpus has a truncated archive: trouble (2), everything else read.
hunt() {
	ldhunt "$@" corpus/archive >out 2>err
	test $? = 2 && test_grep "truncated zstd frame" err
}

test_expect_success 'every stage of the planted take-over, at medium or above, with its time' '
	hunt --level medium &&
	ldcut -o tsv --no-header -f ts,user,event out >found &&
	cat >stages <<-\EOT &&
	2026-11-14T02:10:41.009Z	alice	login_failed_with_standard_authentication
	2026-11-14T02:12:55.402Z	alice	user_signed_in_from_unseen_ip
	2026-11-14T02:13:12.250Z	alice	Projects::BlobController#show
	2026-11-14T02:15:03.790Z	alice	user_disable_two_factor
	2026-11-14T02:16:20.010Z	alice	personal_access_token_created
	2026-11-14T02:17:44.500Z	alice	add_ssh_key
	2026-11-14T02:20:05.120Z	alice	/api/:version/projects/:id/repository/archive
	2026-11-14T02:20:07.300Z	alice	repository_download_operation
	2026-11-14T02:30:02.500Z	alice	repository_git_operation
	2026-11-15T09:40:00.120Z	alice	project_visibility_level_updated
	2026-11-15T09:45:12.200Z	alice	member_created
	2026-11-15T09:50:00.300Z	alice	project_fork_operation
	2026-11-15T09:55:00.200Z	alice	ci_variable_created
	2026-11-15T10:02:00.500Z	alice	user_email_address_updated
	2026-11-15T11:10:00.000Z	alice	Projects::RawController#show
	2026-11-16T03:00:30.000Z	alice	Projects::RawController#show
	EOT
	while IFS="	" read ts user event; do
		grep -q "^$ts	$user	$event\$" found || { echo "not flagged: $ts $event"; exit 1; }
	done <stages
'
test_expect_success 'nothing else at medium or above' '
	sort -u found | cut -f2 | sort -u >who &&
	echo alice >expect && test_cmp expect who
'
test_expect_success 'the benign look-alikes raise at most a low-level finding' '
	hunt &&
	grep -e "\"user\":\"bob\"" -e "\"user\":\"carol\"" -e "\"user\":\"eve\"" \
		-e "personal_access_token_revoked" -e "from public to private" \
		-e "member_destroyed" out >benign &&
	test_grep "user_disable_two_factor" benign &&
	! grep -v "\"hunt\":\[\({[^{}]*\"level\":\"\(low\|informational\)\",[^{}]*},\?\)*\]" benign
'
test_expect_success 'the look-alikes are in the corpus, and go unflagged' '
	ldgrep --user bob --user carol --user eve --user alice --event user_enable_two_factor \
		--event personal_access_token_created --event repository_download_operation \
		--event authenticated_with_password --event login_failed_with_standard_authentication \
		--event personal_access_token_revoked --event member_destroyed \
		--event project_fork_operation --since 2026-11-16 --until 2026-11-21 corpus/archive >look 2>/dev/null;
	ldcut -o tsv --no-header -f ts,user,event look | sort >got &&
	test_grep "2026-11-16T10:04:30.000Z	bob	user_enable_two_factor" got &&
	test_grep "2026-11-17T09:00:00.000Z	carol	personal_access_token_created" got &&
	test_grep "2026-11-17T09:10:00.000Z	carol	repository_download_operation" got &&
	test_grep "2026-11-18T08:00:00.000Z	bob	login_failed_with_standard_authentication" got &&
	test_grep "2026-11-20T09:00:00.000Z	alice	personal_access_token_revoked" got &&
	test_grep "2026-11-16T15:00:00.000Z	eve	project_fork_operation" got &&
	! grep "carol	personal_access_token_created" found
'
test_expect_success 'the same findings with -j 4' '
	hunt --level medium -j 4 && ldcut -o tsv --no-header -f ts,user,event out >found4 &&
	test_cmp found found4
'
test_expect_success 'ldsh: hunt lists the findings of the session scope' '
	ldsh --scope corpus/request.json -c "hunt medium" corpus/archive >sh 2>/dev/null;
	test_grep "^high  *1  2026-11-14T02:12:55.402Z GitLab failed sign-ins then a sign-in from a new address\$" sh &&
	test_grep "^[0-9]* rules fired at medium or above\$" sh &&
	! grep "^low " sh &&
	ldsh -c "hunt severe" corpus/archive >sh 2>err;
	test_grep "severe: not informational" err
'

test_done
