#!/bin/sh
test_description='ldhunt: every rule of the GitLab pack, a case that fires and one that does not'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/hunt-lib.sh"

# Each case is hand-written GitLab log lines (tests/hunt-lib.sh) run
# through the whole shipped pack; the positive case must fire the rule,
# the negative one (the nearest benign look-alike) must not.

brute=fa4a1922-4270-497b-8a66-50c8f3ed0ad1
burst=5510cb14-e5f0-4b98-b99a-ba45ee39e633
nomfa=5adecb60-9a75-4f49-bcd0-ffdf16373914
pats=ce489fe7-16ad-4ca0-b7bc-671dc564ab50
public=c77e9b38-5a06-45de-b958-c227ebe43203
outside=cabb42a8-e350-417d-88d3-97aa2d81e29d
imperson=1137a30f-57ea-4e7a-a672-4d8f516bbaf3
deleted=4f4ebdc8-8791-401d-879e-09278dc5e263
badip=ae6bb413-5f52-4867-9567-47487e592d85
failnew=93bd24d8-2e51-4c5d-9a4a-5b7437d4b48f
tfanew=6e81865c-6052-4f49-b97c-0158a2b757ca
crednew=c2939eed-fa3d-43f3-a0d8-ba1c0b06d4aa
dlnew=755491c6-8e22-4ed4-a6f9-a56579d22780
forknew=f993bbf3-cec4-4c2a-9e37-7113e6a1ddb2
settnew=4065ba96-a7e4-4b30-a1db-3d64ed1a7d99
tfa=8171eeb4-5dc0-4a9c-a4e8-a5bc53d52511
dlburst=6498b322-dfe6-4613-9c81-8b96d6dca66d
secret=967071a8-f51c-42b9-aaa6-01b0aa23ea21
unseen=238dd1f2-c49d-4616-adfe-0d6b049ca407

# hunt IN — the ids of the rules that fired on IN, in file "ids".
hunt() {
	ldhunt "$1" >out
	st=$?
	fired out >ids
	[ $st -le 1 ]
}

T=2026-11-14T02
ATK=203.0.113.99
NEW=2001:db8:4711::66
HOME=198.51.100.23

test_expect_success 'brute force: three failures in ten minutes' '
	for s in 01 05 09; do audit $T:10:$s.000Z alice $ATK login_failed_with_standard_authentication; done >pos &&
	hunt pos && grep -qx $brute ids &&
	test $(grep -c "\"id\":\"$brute\"" out) = 1
'
test_expect_success 'brute force: three failures over an hour do not fire' '
	for m in 10 30 50; do audit $T:$m:00.000Z alice $ATK login_failed_with_standard_authentication; done >neg &&
	hunt neg && ! grep -qx $brute ids
'
test_expect_success 'sign-in burst: one account from three addresses in an hour' '
	for ip in 192.0.2.1 192.0.2.2 192.0.2.3; do audit $T:1${ip##*.}:00.000Z bob $ip authenticated_with_password "Signed in with STANDARD authentication"; done >pos &&
	hunt pos && grep -qx $burst ids
'
test_expect_success 'sign-in burst: three sign-ins from one address do not fire' '
	for m in 11 12 13; do audit $T:$m:00.000Z bob 192.0.2.1 authenticated_with_password; done >neg &&
	hunt neg && ! grep -qx $burst ids
'
test_expect_success 'password only: a standard sign-in' '
	audit $T:00:00.000Z bob 192.0.2.1 authenticated_with_password "Signed in with STANDARD authentication" >pos &&
	hunt pos && grep -qx $nomfa ids
'
test_expect_success 'password only: a sign-in with OTP does not fire' '
	audit $T:00:00.000Z bob 192.0.2.1 authenticated_with_password "Signed in with OTP authentication" >neg &&
	hunt neg && ! grep -qx $nomfa ids
'
test_expect_success 'tokens in numbers: five tokens in a day' '
	for h in 01 05 09 13 17; do audit 2026-11-14T$h:00:00.000Z carol 192.0.2.7 personal_access_token_created; done >pos &&
	hunt pos && grep -qx $pats ids
'
test_expect_success 'tokens in numbers: a token a day does not fire' '
	for d in 14 15 16 17 18; do audit 2026-11-${d}T01:00:00.000Z carol 192.0.2.7 personal_access_token_created; done >neg &&
	hunt neg && ! grep -qx $pats ids
'
test_expect_success 'visibility: a project made public, new and old audit shape' '
	audit $T:00:00.000Z alice $NEW project_visibility_level_updated "Changed visibility level from private to public" acme-corp/web >pos &&
	echo "{\"severity\":\"INFO\",\"time\":\"$T:00:01.000Z\",\"author_id\":3,\"entity_id\":2,\"entity_type\":\"Project\",\"change\":\"visibility\",\"from\":\"Private\",\"to\":\"Public\",\"author_name\":\"John Doe4\",\"target_id\":2,\"target_type\":\"Project\",\"target_details\":\"namespace2/project2\"}" >>pos &&
	hunt pos && test $(grep -c "\"id\":\"$public\"" out) = 2
'
test_expect_success 'visibility: made private (the owner cleaning up) does not fire' '
	audit $T:00:00.000Z alice $HOME project_visibility_level_updated "Changed visibility level from public to private" acme-corp/web >neg &&
	hunt neg && ! grep -qx $public ids
'
test_expect_success 'outside member: invited by e-mail address' '
	audit $T:00:00.000Z alice $NEW member_created "Added eve as Developer" eve@evil-corp.example >pos &&
	hunt pos && grep -qx $outside ids
'
test_expect_success 'outside member: an existing user added does not fire' '
	audit $T:00:00.000Z alice $HOME member_created "Added bob as Developer" acme-corp/web >neg &&
	hunt neg && ! grep -qx $outside ids
'
test_expect_success 'impersonation fires' '
	audit $T:00:00.000Z root 10.0.0.1 user_impersonation "Started Impersonation" alice >pos &&
	hunt pos && grep -qx $imperson ids
'
test_expect_success 'impersonation: a user blocked does not fire' '
	audit $T:00:00.000Z root 10.0.0.1 user_blocked "Blocked user" alice >neg &&
	hunt neg && ! grep -qx $imperson ids
'
test_expect_success 'projects deleted: five in an hour' '
	for m in 01 02 03 04 05; do audit $T:$m:00.000Z mallory 192.0.2.9 project_destroyed "Project destroyed" acme-corp/p$m; done >pos &&
	hunt pos && grep -qx $deleted ids
'
test_expect_success 'projects deleted: four do not fire' '
	for m in 01 02 03 04; do audit $T:$m:00.000Z mallory 192.0.2.9 project_destroyed "Project destroyed" acme-corp/p$m; done >neg &&
	hunt neg && ! grep -qx $deleted ids
'
test_expect_success 'malicious IP: an address inside a listed block' '
	printf "# feed\n203.0.113.0/24\n2001:db8:66::/48\n" >iplist &&
	audit $T:00:00.000Z alice $ATK login_failed_with_standard_authentication >pos &&
	rails $T:00:01.000Z alice 2001:db8:66::6 ProjectsController show /acme-corp/web >>pos &&
	ldhunt --ip-list iplist pos >out && fired out >ids &&
	test $(grep -c "\"id\":\"$badip\"" out) = 2
'
test_expect_success 'malicious IP: an address outside the list does not fire' '
	audit $T:00:00.000Z alice $HOME login_failed_with_standard_authentication >neg &&
	test_must_fail ldhunt --ip-list iplist --level high neg >out &&
	! test -s out
'
test_expect_success 'failed then new address: fires at the sign-in' '
	audit $T:10:00.000Z alice $ATK login_failed_with_standard_authentication >pos &&
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >>pos &&
	hunt pos && grep -qx $failnew ids &&
	grep "\"id\":\"$failnew\"" out | grep -q user_signed_in_from_unseen_ip
'
test_expect_success 'failed then new address: a mistyped password then the usual address does not fire' '
	audit $T:10:00.000Z alice $HOME login_failed_with_standard_authentication >neg &&
	audit $T:10:20.000Z alice $HOME authenticated_with_password >>neg &&
	hunt neg && ! grep -qx $failnew ids
'
test_expect_success 'failed then new address: the other order does not fire' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >neg &&
	audit $T:14:00.000Z alice $ATK login_failed_with_standard_authentication >>neg &&
	hunt neg && ! grep -qx $failnew ids
'
test_expect_success '2FA off after a new address; 2FA off alone is low' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	audit $T:15:03.790Z alice $NEW user_disable_two_factor >>pos &&
	hunt pos && grep -qx $tfanew ids && grep -qx $tfa ids
'
test_expect_success '2FA off and on again from the usual address: at most low' '
	audit $T:15:03.790Z alice $HOME user_disable_two_factor >neg &&
	audit $T:16:00.000Z alice $HOME user_enable_two_factor >>neg &&
	hunt neg && ! grep -qx $tfanew ids &&
	test_must_fail ldhunt --level medium neg
'
test_expect_success 'credential from the new address' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	audit $T:16:20.010Z alice $NEW personal_access_token_created >>pos &&
	audit $T:17:44.500Z alice $NEW add_ssh_key >>pos &&
	hunt pos && test $(grep -c "\"id\":\"$crednew\"" out) = 2
'
test_expect_success 'credential: routine token from the usual address does not fire' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >neg &&
	audit $T:16:20.010Z alice $HOME personal_access_token_created >>neg &&
	hunt neg && ! grep -qx $crednew ids
'
test_expect_success 'downloads after a credential from the new address' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	audit $T:16:20.010Z alice $NEW personal_access_token_created >>pos &&
	api $T:20:05.120Z alice $NEW /api/:version/projects/:id/repository/archive /api/v4/projects/acme-corp%2Fweb/repository/archive.zip acme-corp/web >>pos &&
	hunt pos && grep -qx $dlnew ids
'
test_expect_success 'downloads: routine token, downloads from the usual address, do not fire' '
	audit $T:16:20.010Z alice $HOME personal_access_token_created >neg &&
	api $T:20:05.120Z alice $HOME /api/:version/projects/:id/repository/archive /api/v4/projects/acme-corp%2Fweb/repository/archive.zip acme-corp/web >>neg &&
	hunt neg && ! grep -qx $dlnew ids
'
test_expect_success 'fork after a new address, days later' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	audit 2026-11-15T09:50:00.300Z alice $NEW project_fork_operation "Forked project to evil-corp/web" evil-corp/web >>pos &&
	hunt pos && grep -qx $forknew ids
'
test_expect_success 'fork: an outsider forking a public project does not fire' '
	audit 2026-11-15T09:50:00.300Z eve 203.0.113.66 project_fork_operation "Forked project to evil-corp/web" evil-corp/web >neg &&
	hunt neg && ! grep -qx $forknew ids &&
	test_must_fail ldhunt --level low neg
'
test_expect_success 'settings: e-mail changed after a new address' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	audit 2026-11-15T10:02:00.500Z alice $NEW user_email_address_updated >>pos &&
	hunt pos && grep -qx $settnew ids
'
test_expect_success 'settings: a CI variable added by its usual user does not fire' '
	audit 2026-11-15T09:55:00.200Z heidi 192.0.2.19 ci_variable_created >neg &&
	hunt neg && ! grep -qx $settnew ids
'
test_expect_success 'download burst: ten projects in an hour, any case' '
	m=20 &&
	for p in web api docs infra/terraform WEB mobile/ios a b c d e; do
		m=$((m + 1)) &&
		api $T:$m:00.000Z alice $NEW /api/:version/projects/:id/repository/archive /x acme-corp/$p || return 1
	done >pos &&
	hunt pos && test $(grep -c "\"id\":\"$dlburst\"" out) = 1
'
test_expect_success 'download burst: nine projects do not fire' '
	for s in 1 2 3 4 5 6 7 8 9; do api $T:20:0$s.000Z alice $NEW /api/:version/projects/:id/repository/archive /x acme-corp/p$s; done >neg &&
	hunt neg && ! grep -qx $dlburst ids
'
test_expect_success 'secret files: .env read raw, and through the files API' '
	rails $T:11:10.000Z alice $NEW Projects::RawController show /acme-corp/web/-/raw/main/.env >pos &&
	api $T:11:11.000Z alice $NEW /api/:version/projects/:id/repository/files/:file_path/raw "/api/v4/projects/acme-corp%2Fweb/repository/files/.env/raw?ref=main" acme-corp/web >>pos &&
	hunt pos && test $(grep -c "\"id\":\"$secret\"" out) = 2
'
test_expect_success 'secret files: a README, or .envrc by the API, does not fire' '
	rails $T:11:10.000Z alice $NEW Projects::RawController show /acme-corp/web/-/raw/main/README.md >neg &&
	api $T:11:11.000Z alice $NEW /api/:version/projects/:id/repository/files/:file_path/raw "/api/v4/projects/1/repository/files/.envrc/raw" acme-corp/web >>neg &&
	hunt neg && ! grep -qx $secret ids
'
test_expect_success 'unseen address alone: low' '
	audit $T:12:55.402Z alice $NEW user_signed_in_from_unseen_ip >pos &&
	hunt pos && grep -qx $unseen ids &&
	grep "\"id\":\"$unseen\"" out | grep -q "\"level\":\"low\""
'
test_expect_success 'unseen address: an ordinary sign-in does not fire' '
	audit $T:12:55.402Z alice $HOME authenticated_with_password "Signed in with OTP authentication" >neg &&
	test_must_fail ldhunt neg >out && ! test -s out
'

test_expect_success 'every shipped rule that can fire alone has a case here' '
	ldhunt --list-rules | awk "\$1 != \"informational\" { print \$3 }" | sort >shipped &&
	for v in brute burst nomfa pats public outside imperson deleted badip failnew \
	    tfanew crednew dlnew forknew settnew tfa dlburst secret unseen; do
		eval echo \$$v
	done | sort >tested &&
	test_cmp shipped tested
'

test_done
