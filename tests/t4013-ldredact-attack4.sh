#!/bin/sh
test_description='ldredact under a fourth attack (issue 14): the gaps the third left, and values, encodings and syntaxes t4010 to t4012 do not use'
. "$(dirname "$0")/test-lib.sh"

# t4013/attack.log holds one application_json line of tenant acme-corp per
# case: a URL password with blanks in it, tokens split by a line break
# (%0d%0a, %0A, a literal \r\n, a real CR LF, a break inside the prefix),
# percent-encoding five levels deep, prefixes of gitleaks' rules not used
# before (.atlasv1., fio-u-, tk-us-, AQVN, API-, pat., sm_pat_), Bundler's
# gem-host credentials, base64 blobs that hold {"password":…} or
# {"secret":…}, escaped names in JSON in a string, GitLab's params of
# {key,value} objects with nested values, headers, Sidekiq job
# arguments, a User's id in entity_id, user names in /users/NAME/ paths,
# and other tenants in the Web IDE's /-/ide/project/ route, a double
# encoded API id, gitaly's repoPath, a go-get path, an npm scope, a fork
# job's arguments, and GraphQL in text.  t4013/canaries says for each
# correlation id which profiles (s, c, l) must not let which value
# through.  Every value is made up; t4013/gen.py writes both files.

ATTACK_DIR=t4013 ATTACK_CASE=C-14d
. "$TEST_DIRECTORY/lib-attack.sh"

test_expect_success 'a split token is one value, replaced whole with its break' '
	test_grep "\"correlation_id\":\"q003\",\"message\":\"token \[REDACTED:secret.gitlab-token\] end\"" legal.out &&
	test_grep "\"correlation_id\":\"q005\",\"message\":\"token \[REDACTED:secret.gitlab-token\] end\"" legal.out &&
	test_grep "\"correlation_id\":\"q001\",\"message\":\"clone https://REDACTED(secret.url-userinfo)@db.example.com/app failed\"" legal.out &&
	test_grep "\"path\":\"/users/user-[0-9a-f]\{12\}/calendar.json\"" support.out
'

test_expect_success 'a split token is counted once' '
	cat >one.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-18T06:00:00.125Z","meta.root_namespace":"acme-corp","correlation_id":"s1","message":"glpat-Nq4Rb6Tc8Vd%0d%0a0We2Xf4Yg6"}
	EOF
	ldredact -p legal --tenant acme-corp --report one.rep one.log >one.out &&
	test_grep "\"message\":\"\[REDACTED:secret.gitlab-token\]\"" one.out &&
	grep -A2 "\"secret.gitlab-token\"" one.rep >rule &&
	test_grep "\"values\": 1," rule
'

test_expect_success 'an encoding nested too deep: the value goes whole, the record stays' '
	v=glpat-Deep7Canary9Value3 && e=% &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do e="${e}25"; done &&
	printf "{\"severity\":\"INFO\",\"time\":\"2026-11-18T06:00:00.125Z\",\"meta.root_namespace\":\"acme-corp\",\"correlation_id\":\"d1\",\"message\":\"%s\",\"note\":\"kept\"}\n" \
	    "glpat${e}2DDeep7Canary9Value3" >deep.log &&
	ldredact -p legal --tenant acme-corp --report deep.rep deep.log >deep.out &&
	test_line_count = 1 deep.out &&
	test_grep "\"message\":\"\[REDACTED:unanalysable\]\",\"note\":\"kept\"" deep.out &&
	test_grep -v "Deep7Canary9" deep.out
'

test_expect_success 'lines that only look split stay as they are' '
	cat >fp.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-18T06:00:00.125Z","meta.root_namespace":"acme-corp","correlation_id":"f1","message":"hosts 10.1.2.3\n10.1.2.4\r\nCompleted 200 OK\nRendered x","ua":"Mozilla/5.0 (X11)","url":"https://gitlab.example.com:443/acme-corp/web"}
	EOF
	ldredact -p legal --tenant acme-corp fp.log >fp.out &&
	test_grep "\"message\":\"hosts 10.1.2.3\\\\n10.1.2.4\\\\r\\\\nCompleted 200 OK\\\\nRendered x\"" fp.out &&
	test_grep "\"url\":\"https://gitlab.example.com:443/acme-corp/web\"" fp.out &&
	ldredact -p support -k case.key --tenant acme-corp fp.log >fps.out &&
	test_grep -v "10\.1\.2\.[34]" fps.out &&
	test_grep "Completed 200 OK\\\\nRendered x" fps.out
'

test_done
