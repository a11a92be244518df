#!/bin/sh
test_description='ldredact under a third attack (issue 14): values, encodings and syntaxes t4010 and t4011 do not use'
. "$(dirname "$0")/test-lib.sh"

# t4012/attack.log holds one application_json line of tenant acme-corp per
# case: tokens inside base64 at each of the three alignments, tokens in
# upper and mixed case, prefixes of gitleaks' rules and secretlint's
# preset not used before (ya29., GOCSPX-, xai-, xoxc-, xoxe.xoxp-, hvs.,
# dapi, SG., shpat_, HRKU-, …), a token split by a shell line
# continuation or by \u escapes, double percent-encoding, HTML entities,
# "the password is …" in prose, pw= and auth names, OTP and recovery
# codes, user:password@host without a scheme, lower-case PEM markers,
# IPv4 with hexadecimal and octal parts, ::ffff: with hex, obfuscated
# emails ((at), [at] [dot], AT DOT, {at}, full-width ＠), user ids after
# id names in text and query strings, and other GitLab path syntaxes of a
# tenant (the registry's /v2/ns/proj, /api/v4/namespaces/ns, a registry
# scope, host:ns/proj, namespace_path= and group: in text, GraphQL
# fullPath).  t4012/canaries says for each correlation id which profiles
# (s, c, l) must not let which value through.  Every value is made up;
# t4012/gen.py writes both files from its list of cases.

ATTACK_DIR=t4012 ATTACK_CASE=C-14c
. "$TEST_DIRECTORY/lib-attack.sh"

test_expect_success 'names stay for the reviewer, values go' '
	test_grep "\"message\":\"the password is \\\\\"\[REDACTED:secret.param\]\\\\\"\"" legal.out &&
	test_grep "\"message\":\"db_pw=\[REDACTED:secret.param\] host=db\"" legal.out &&
	test_grep "\"message\":\"Transfer failed: namespace_path=\[REDACTED:tenant\]\"" legal.out &&
	test_grep "\"message\":\"write to email-[0-9a-f]\{12\}@redacted.invalid\"" support.out &&
	test_grep "\"message\":\"export TOKEN=\[REDACTED:secret.gitlab-token\]\"" legal.out &&
	test_grep "\"path\":\"/api/v4/namespaces/tenant-[0-9a-f]\{12\}/exists\"" support.out &&
	test_grep "\"correlation_id\":\"r090\",\"message\":\"\[REDACTED:secret.private-key\]\",\"note\":\"kept\"" legal.out
'

pseudo() {
	grep -o "\"$1\":\"[^\"]*\"" "$2" | grep -o "ip-[0-9a-f]\{12\}" | head -1
}

test_expect_success 'one address, one pseudonym: octal, hexadecimal, mapped' '
	cat >one.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-17T04:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"o1","remote_ip":"192.168.0.1","a":"http://0300.0250.0.1/","b":"0xC0.0xA8.0x0.0x1","c":"::ffff:c0a8:1","d":"[::FFFF:192.168.0.1]:22"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp one.log >one.out &&
	ip=$(pseudo remote_ip one.out) && test -n "$ip" &&
	test "$(pseudo a one.out)" = "$ip" && test "$(pseudo b one.out)" = "$ip" &&
	test "$(pseudo c one.out)" = "$ip" && test "$(pseudo d one.out)" = "$ip"
'

test_expect_success 'what only looks like a secret, an address or a tenant stays' '
	cat >fp.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-17T04:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"f1","message":"Token is expired; failed at gitlab.com; see [attachment] (at noon)","controller":"Projects::MergeRequestsController","status_code":"200","route":"/api/:version/projects/:id","ua":"git/2.45.1.windows.1","version":"v1.2.3.4"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp fp.log >fp.out &&
	test_grep "\"message\":\"Token is expired; failed at gitlab.com; see \[attachment\] (at noon)\"" fp.out &&
	test_grep "\"controller\":\"Projects::MergeRequestsController\"" fp.out &&
	test_grep "\"route\":\"/api/:version/projects/:id\"" fp.out &&
	test_grep "\"ua\":\"git/2.45.1.windows.1\"" fp.out &&
	test_grep "\"version\":\"v1.2.3.4\"" fp.out
'

# (A bare name in prose can only be known once the input has shown it:
# ldredact(1), CAVEATS.)
test_expect_success 'a tenant named bare in prose, once its namespace is known' '
	cat >prose.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-17T04:13:12.250Z","meta.root_namespace":"zenith-labs","correlation_id":"p1","message":"x"}
	{"severity":"INFO","time":"2026-11-17T04:13:13.250Z","meta.root_namespace":"acme-corp","correlation_id":"p2","message":"moved from Zenith-Labs to acme-corp"}
	{"severity":"INFO","time":"2026-11-17T04:13:14.250Z","meta.root_namespace":"acme-corp","correlation_id":"p3","message":"group: orbit-co"}
	{"severity":"INFO","time":"2026-11-17T04:13:15.250Z","meta.root_namespace":"acme-corp","correlation_id":"p4","message":"orbit-co again"}
	EOF
	for p in support customer legal; do
		k= && { test $p = legal || k="-k case.key"; } &&
		ldredact -p $p $k --tenant acme-corp --report prose-$p.rep prose.log >prose-$p.out &&
		test_line_count = 3 prose-$p.out &&
		test_grep -v -i "zenith" prose-$p.out &&
		test_grep -v "orbit-co" prose-$p.out &&
		test_grep "moved from .* to acme-corp" prose-$p.out || return 1
	done
'

test_done
