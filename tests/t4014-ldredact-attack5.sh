#!/bin/sh
test_description='ldredact under a fifth attack (issue 14): a token split by a tab, full-width tokens, headers as name and value, SSH.com key armour, docker login -p, JWE, tokens in routes, URL passwords with slashes, /~NAME and @mentions, IPv4 of two or three parts or after a dot, the name before an email address'
. "$(dirname "$0")/test-lib.sh"

# t4014/attack.log holds one application_json line of tenant acme-corp per
# case: tokens split by a tab (real, %09, a literal \t), GitLab's
# prefixes in upper case, behind \u, \x and HTML escapes, zero-width
# and soft-hyphen characters and full-width letters, base64url without
# padding; headers as [NAME, VALUE] pairs and {"name":…,"value":…}
# objects; private keys in SSH.com's armour; passwords in URLs of other
# schemes (with /, ? or # in them, protocol-relative) and in docker
# login -p; JWE; tokens in GitLab's routes (/-/invites/, /-/unsubscribes/);
# personal data in /~NAME paths, @mentions, full_name and display_name,
# in inet_aton's forms of two or three parts, after a label's dot
# (nip.io), in the name before an address (Signed-off-by:,
# Co-authored-by:, From:); other tenants in ssh, scp, registry, Pages and
# GraphQL syntaxes; a lone surrogate escape and a name given twice.  t4014/canaries says for
# each correlation id which profiles (s, c, l) must not let which value
# through.  Every value is made up; t4014/gen.py writes both files.

ATTACK_DIR=t4014 ATTACK_CASE=C-14e
. "$TEST_DIRECTORY/lib-attack.sh"

test_expect_success 'a token split by a tab is one value, replaced whole' '
	test_grep "\"correlation_id\":\"w001\",\"message\":\"token \[REDACTED:secret.gitlab-token\] end\"" legal.out &&
	test_grep "\"correlation_id\":\"w017\",\"message\":\"token \[REDACTED:secret.gitlab-token\] end\"" legal.out
'

test_expect_success 'tab-separated words stay as they are' '
	cat >tab.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-19T06:00:00.125Z","meta.root_namespace":"acme-corp","correlation_id":"t1","message":"id\tname\tstate\n42\tweb\topen\tglpat-Tab5Col7Val9Zz1\tdone"}
	EOF
	ldredact -p legal --tenant acme-corp tab.log >tab.out &&
	grep -F "\"message\":\"id\\tname\\tstate\\n42\\tweb\\topen\\t[REDACTED:secret.gitlab-token]" tab.out
'

test_expect_success 'a header given as a pair: the name decides the value' '
	test_grep "\"headers\":\[\[\"JOB-TOKEN\",\"\[REDACTED:secret" legal.out &&
	test_grep "\"x\":\[\"time\",\"\[REDACTED:secret.gitlab-token\]\"\]" legal.out
'

test_expect_success 'the name before an address takes the user pseudonym' '
	test_grep "Signed-off-by: user-[0-9a-f]\{12\} <email-[0-9a-f]\{12\}@redacted.invalid>" support.out &&
	test_grep "\"path\":\"/~user-[0-9a-f]\{12\}/snippets\"" support.out
'

test_expect_success 'a URL password with a slash or a hash goes whole, a port is no password' '
	test_grep "\"correlation_id\":\"x001\",\"message\":\"DATABASE_URL=postgres://REDACTED(secret.url-userinfo)@db.example.com:5432/x\"" legal.out &&
	test_grep "\"correlation_id\":\"x003\",\"message\":\"fetch //\[REDACTED:secret.url-userinfo\]@cdn.example.com/a.js\"" legal.out &&
	cat >port.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-19T06:00:00.125Z","meta.root_namespace":"acme-corp","correlation_id":"p1","message":"see https://gitlab.example.com:8443/acme-corp/web?x=1 and // a comment: x@y"}
	EOF
	ldredact -p legal --tenant acme-corp port.log >port.out &&
	grep -F "\"message\":\"see https://gitlab.example.com:8443/acme-corp/web?x=1 and // a comment: x@y\"" port.out
'

test_expect_success 'a mention is a user, a scope, a version and a dotted count are not' '
	test_grep "\"correlation_id\":\"x031\",\"message\":\"mention @user-[0-9a-f]\{12\} in note\"" support.out &&
	cat >men.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-19T06:00:00.125Z","meta.root_namespace":"acme-corp","correlation_id":"m1","message":"npm install @acme-corp/web; ua Chrome/126.0.0.0 v1.2.3.4; version 1.2.3 and 10.5 items"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp men.log >men.out &&
	grep -F "\"message\":\"npm install @acme-corp/web; ua Chrome/126.0.0.0 v1.2.3.4; version 1.2.3 and 10.5 items\"" men.out
'

test_done
