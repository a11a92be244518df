#!/bin/sh
test_description='ldredact: the pitfalls of other redactors (REFERENCE.md), one by one'
. "$(dirname "$0")/test-lib.sh"

# Every case (t4002/cases.log) is one application_json line of tenant acme-corp with its own
# correlation id; each test checks that the secret or personal value is
# gone and that what should stay is still there.

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cp "$TEST_DIRECTORY/t4002/cases.log" . &&
	printf "{\"severity\":\"INFO\",\"time\":\"2026-11-16T02:13:12.250Z\",\"meta.root_namespace\":\"acme-corp\",\"correlation_id\":\"c06\",\"message\":\"bad \377 byte from 203.0.113.9\"}\n" >>cases.log &&
	ldredact -p support -k case.key --tenant acme-corp --report rep.json cases.log >out 2>err &&
	cat err
'

# gone VALUE... — none of the values is in the output
gone() {
	for v in "$@"; do
		if grep -F -e "$v" out >/dev/null; then
			echo "still there: $v" >&2; grep -F -e "$v" out >&2; return 1
		fi
	done
}
# kept VALUE... — every value is in the output
kept() {
	for v in "$@"; do
		grep -F -e "$v" out >/dev/null || { echo "lost: $v" >&2; return 1; }
	done
}

test_expect_success 'every line is kept, the invalid UTF-8 one repaired and redacted' '
	test_line_count = 14 out &&
	test_line_count = 0 err &&
	grep "\"correlation_id\":\"c06\"" out >c06 &&
	test_grep "\"utf8\":\"repaired\"" c06 &&
	gone "203.0.113.9" &&
	test_grep "\"utf8\": 0" rep.json
'

test_expect_success 'IPv6 in every form, and IPv4' '
	gone "fe80::1" "eth0" "10.1.2.3" "2001:db8::77" "2001:db8:0:0:0:0:0:99" \
	    "::1 " "198.51.100.7" &&
	kept "[ip-" "]:443" "Projects::BlobController" "at 12:30:45"
'

test_expect_success 'the same address in v4 and v4-mapped v6 form is one pseudonym' '
	printf "%s\n" "{\"severity\":\"INFO\",\"time\":\"2026-11-16T02:13:12.250Z\",\"meta.root_namespace\":\"acme-corp\",\"correlation_id\":\"x\",\"message\":\"10.1.2.3\"}" >v4.log &&
	ldredact -p support -k case.key --tenant acme-corp v4.log >v4.out &&
	p=$(sed -n "s/.*\"message\":\"\(ip-[0-9a-f]*\)\".*/\1/p" v4.out) &&
	test -n "$p" && kept "$p"
'

test_expect_success 'emails as %40, %2540, \u0040 and a literal \\u0040' '
	gone "alice" "bob" "carol" "dave" "40example.com" "example.org" \
	    "example.net" "example.io" &&
	test $(grep -o "email-[0-9a-f]\{12\}@redacted.invalid" out | wc -l) -ge 4
'

test_expect_success 'a token behind an escaped name (access%5Ftoken)' '
	gone "s3cr3tValue123" && kept "access%5Ftoken=" "per_page=20"
'

test_expect_success 'JSON inside a JSON string, twice' '
	gone "rt0123456789abcdef" "k9f8e7d6c5b4a" && kept "keep me" "refresh_token"
'

test_expect_success 'PEM blocks with literal \\n and with real newlines' '
	gone "MIIEpAIBAAKCAQEA7xLiteralNewline" "b3BlbnNzaC1rZXktdjEAAAAARealNewline" &&
	kept "leaked [REDACTED:secret.private-key] end"
'

test_expect_success 'personal data in object keys' '
	gone "erin@" "192.0.2.44" && kept "\"emails\":{\"email-" "\"ips\":{\"ip-"
'

test_expect_success 'GitLab tokens of every prefix' '
	gone glpat-AbCd gloas-0123 gldt-AbCd glrt-AbCd glrtr-AbCd glcbt-64 \
	    glptt-0123 glft-AbCd glimt-AbCd glagent-AbCd glsoat-AbCd \
	    glffct-AbCd glwt-AbCd GR1348941AbCd "a1b2c3d4e" &&
	kept "tokens [REDACTED:secret.gitlab-token]"
'

test_expect_success 'AWS, GitHub, Slack and JWT' '
	gone AKIAIOSFODNN7EXAMPLE ghp_0123 github_pat_11 xoxb-1234 eyJhbGci \
	    dozjgNryP4J3
'

test_expect_success 'URL userinfo' '
	gone "Sup3rS3cretPw" "deploy:" &&
	kept "https://REDACTED(secret.url-userinfo)@gitlab.example.com/acme-corp/web.git done"
'

test_expect_success 'a marker in a URL userinfo leaves no user:password@ shape' '
	for u in "postgresql://app:Pg5ecretWord@db.example.net:5432/gl" \
	    "mysql://svc:glpat-AbCdEfGhIjKlMnOpQrSt@db.example.net/x" \
	    "https://oauth2:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.example.com/acme-corp/web.git" \
	    "mongodb+srv://ops:c0rrect%3Ahorse@cluster0.example.net/db"; do
		printf "{\"severity\":\"INFO\",\"time\":\"2026-11-16T02:13:12.250Z\",\"meta.root_namespace\":\"acme-corp\",\"message\":\"see %s now\"}\n" "$u"
	done >ui.log &&
	ldredact -p support -k case.key --tenant acme-corp ui.log >ui.out &&
	test_line_count = 4 ui.out &&
	! grep -E "://[^/@ ]*:[^/@ ]*@" ui.out &&
	grep -F "see postgresql://REDACTED(secret.url-userinfo)@db.example.net:5432/gl now" ui.out &&
	grep -F "see mysql://REDACTED(secret.gitlab-token)@db.example.net/x now" ui.out &&
	grep -F "see https://REDACTED(secret.gitlab-token)@gitlab.example.com/acme-corp/web.git now" ui.out &&
	grep -F "see mongodb+srv://REDACTED(secret.url-userinfo)@cluster0.example.net/db now" ui.out &&
	! grep -E "Pg5ecret|glpat-|horse|oauth2|svc:|ops:" ui.out
'

test_expect_success 'Authorization headers, as a member and in text' '
	gone "abcdef0123456789xyz" "dXNlcjpwYXNzd29yZA" && kept "X-Other: kept"
'

test_expect_success 'private_token in a query string, params arrays, [FILTERED] kept' '
	gone "glpat-QrSt" "hunter2hunter2" &&
	kept "private_token=[REDACTED:" "&per_page=20" \
	    "{\"key\":\"viewer\",\"value\":\"rich\"}" \
	    "{\"key\":\"otp_attempt\",\"value\":\"[FILTERED]\"}"
'

test_expect_success 'name: value secrets in free text' '
	gone "Pa55w0rdInText" "0123456789abcdef0123456789abcdef" "ak-in-quotes-1234"
'

test_expect_success 'internal details: storage paths, hostnames, pids, backtraces' '
	gone "6b86b273ff34" "gitaly-02" "31337" "secret_thing.rb" &&
	kept "\"correlation_id\":\"c14\""
'

test_expect_success 'internal host names and installation paths in messages' '
	cat >more.log <<-\EOF &&
	{"severity":"ERROR","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"m01","message":"Failed to connect to remote host (gitaly-01.prd.gitlab.internal) at /opt/gitlab/embedded/service/gitlab-rails/lib/x.rb:10; db.Local and build-3.corp.lan too"}
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"m02","message":"www.example.com and docs.gitlab.com stay"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp more.log >more &&
	! grep -e "gitaly-01" -e "/opt/gitlab/embedded" -e "db.Local" -e "build-3" more &&
	grep -F "[REDACTED:internal.host]" more &&
	grep -F "www.example.com and docs.gitlab.com stay" more
'

test_expect_success 'a user name known from an email is found in the text before it' '
	cat >mail.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"m03","custom_message":"Added zelda as Developer","target_details":"zelda@example.org"}
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"m04","message":"mail noreply@example.org about support"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp --report mrep.json mail.log >mail &&
	! grep -i "zelda" mail &&
	grep "Added user-[0-9a-f]\{12\} as Developer" mail &&
	grep -F "about support" mail &&
	python3 -c "import json,sys; r=json.load(open(\"mrep.json\")); u=[x for x in r[\"rules\"] if x[\"name\"]==\"pii.user\"][0]; sys.exit(u[\"values\"] != 1)"
'

test_expect_success 'removed members take their commas, the rest keeps its bytes' '
	cat >rm.log <<-\EOF &&
	{"severity":"INFO", "time":"2026-11-16T02:13:12.250Z", "meta.root_namespace":"acme-corp", "pid": 5 , "correlation_id":"r01", "x": {"host":"h1"}, "y": {"a":1,"worker_id":2}, "z": {"hostname":"h2", "b": 1}}
	EOF
	ldredact -p support -k case.key --tenant acme-corp rm.log >rmout &&
	sed "s/.*\"ev\"://; s/}\$//" rmout >ev &&
	printf "%s\n" "{\"severity\":\"INFO\", \"time\":\"2026-11-16T02:13:12.250Z\", \"meta.root_namespace\":\"acme-corp\", \"correlation_id\":\"r01\", \"x\": {}, \"y\": {\"a\":1}, \"z\": {\"b\": 1}}" >expect &&
	test_cmp expect ev
'

test_expect_success 'replacement text is never matched again' '
	gone "email-email-" "ip-ip-" "[REDACTED:secret.param]]" &&
	! grep -q "redacted.invalid@" out &&
	! grep -q "REDACTED:[a-z.-]*\[REDACTED" out
'

test_expect_success 'provenance and canonical fields stay' '
	kept "\"src\":\"cases.log\",\"line\":1," "\"ns\":\"acme-corp\"" \
	    "\"cid\":\"c13\""
'

test_expect_success 'the output is valid JSON that reads back' '
	ldredact -p legal --tenant acme-corp out >back &&
	test_line_count = 14 back
'

# The triggers of the detectors skip a string on a cheap test: each case
# puts what a trigger stops at (a colon, a dot, "=", a literal's first
# bytes) before the value it must still find.
test_expect_success 'values behind what the triggers pass over' '
	cp "$TEST_DIRECTORY/t4002/fastpath.log" . &&
	ldredact -p support -k case.key --tenant acme-corp fastpath.log >fast &&
	test_line_count = 18 fast &&
	! grep -e "2001:db8::5" -e "fe80:0:0:0" -e "192.0.2.8" -e "192.0.2.77" \
	    -e "hunter2fast" -e "dXNlcjpmYXN0cGF0aA" -e "fastbearer" \
	    -e "db-7.prod" -e "Db-8" -e "FastPathTok3n" -e "FastPw99" \
	    -e "10%2E9" -e "2001%3Adb8" -e "AKIAFASTPATH" -e "\"1.2.3.4\"" \
	    -e "globex" -e "secret-proj" -e "initech" -e "other-proj" \
	    -e "abcdefghij" fast &&
	grep -F "at 12:34:56 from ip-" fast &&
	grep -F "and 2026-11-16T12:34:56.001Z then (ip-" fast &&
	grep -F "then 12:34:56.789 x\"" fast &&
	grep -F "\"12:34:56.789 ip-" fast &&
	grep -F "v1.2 and 1.2.3 and 4.5 then ip-" fast &&
	grep -F "Password = [REDACTED:secret.param]" fast &&
	grep -F "bearer [REDACTED:secret.authorization]" fast &&
	grep -F "sent by Bearer [REDACTED:secret.authorization]" fast &&
	grep -F "https://gitlab.example.com/tenant-" fast &&
	grep -F "from ip-" fast | grep -F "see https://gitlab.example.com/tenant-" &&
	grep -F "ok.com, then.la-x and c.i then [REDACTED:internal.host]" fast &&
	grep -F "glow and gl then [REDACTED:secret.gitlab-token]" fast &&
	grep -F "at 10:00 see https://REDACTED(secret.url-userinfo)@" fast &&
	grep -F "lengths: [REDACTED:secret.cloud-token]" fast &&
	grep -F "\"message\":\"12:34\"" fast &&
	grep -F "\"message\":\"ab:cd:ef\"" fast
'

test_done
