#!/bin/sh
test_description='ldhunt: the Sigma subset — modifiers, conditions, correlations, and what is refused'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/hunt-lib.sh"

# rule FILE ID — a detection rule over every GitLab log, whose detection
# (indented four spaces, condition included) is read from standard input.
rule() {
	{ printf 'title: %s\nid: %s\nlevel: medium\nlogsource:\n  product: gitlab\ndetection:\n' "$2" "$2"
	  cat; } >"$1"
}

T=2026-11-14T02
audit $T:00:00.000Z alice 203.0.113.9 login_failed_with_standard_authentication "Failed to login with STANDARD authentication" >ev
audit $T:00:01.000Z Bob 2001:db8:66::6 member_created "Added eve as Developer" "eve@evil-corp.example" >>ev
rails $T:00:02.000Z carol 192.0.2.7 Projects::RawController show "/acme-corp/web/-/raw/main/a*b.txt" 404 >>ev
printf '%s\n' '{"id":"7","author_id":5,"entity_id":29,"entity_type":"Project","details":{"author_name":"dave","custom_message":{"protocol":"ssh","action":"git-upload-pack"},"ip_address":"10.1.2.3","entity_path":"acme-corp/web","tags":["x","deploy"]},"ip_address":"10.1.2.3","author_name":"dave","entity_path":"acme-corp/web","target_details":"web","created_at":"2026-11-14T02:00:03.000Z","target_type":"Project","target_id":29,"event_type":"repository_git_operation"}' >>ev

# hits DETECTION — the users of the events the detection selects.
hits() {
	rule r.yml t &&
	ldhunt -r r.yml ev >out; st=$?
	[ $st -le 1 ] || return 1
	sed -n 's/.*"user":"\([^"]*\)".*"hunt".*/\1/p' out >users
	echo $(cat users) >users
}

test_expect_success 'a map is AND, values of one field are OR' '
	printf "    s:\n      event: [member_created, repository_git_operation]\n      ip: 10.1.2.3\n    condition: s\n" | hits &&
	echo "dave" >expect && test_cmp expect users
'
test_expect_success 'a list of maps is OR' '
	printf "    s:\n      - user: alice\n      - user: carol\n    condition: s\n" | hits &&
	echo "alice carol" >expect && test_cmp expect users
'
test_expect_success 'plain values match whole, without regard to case, with * and ?' '
	printf "    s:\n      user: [BOB, c?rol, da*]\n    condition: s\n" | hits &&
	echo "Bob carol dave" >expect && test_cmp expect users
'
test_expect_success 'a backslash makes * plain' '
	printf "    s:\n      path|endswith: a\\\\*b.txt\n    condition: s\n" | hits &&
	echo "carol" >expect && test_cmp expect users &&
	printf "    s:\n      path|endswith: a\\\\*c.txt\n    condition: s\n" | hits &&
	test "$(cat users)" = ""
'
test_expect_success 'contains, startswith, endswith' '
	printf "    a:\n      event|contains: FAILED_WITH\n    b:\n      event|startswith: member_\n    c:\n      event|endswith: \"#show\"\n    condition: a or b or c\n" | hits &&
	echo "alice Bob carol" >expect && test_cmp expect users
'
test_expect_success 'all: every value' '
	printf "    s:\n      custom_message|contains|all: [eve, Developer]\n    condition: s\n" | hits &&
	echo "Bob" >expect && test_cmp expect users
'
test_expect_success 're is PCRE2, case-sensitive unless |i' '
	printf "    s:\n      user|re: \"^[a-c]\"\n    condition: s\n" | hits &&
	echo "alice carol" >expect && test_cmp expect users &&
	printf "    s:\n      user|re|i: \"^[a-c]\"\n    condition: s\n" | hits &&
	echo "alice Bob carol" >expect && test_cmp expect users
'
test_expect_success 'cidr, IPv4 and IPv6' '
	printf "    s:\n      ip|cidr: [203.0.113.0/24, \"2001:db8::/32\"]\n    condition: s\n" | hits &&
	echo "alice Bob" >expect && test_cmp expect users
'
test_expect_success 'exists, and null for an absent field' '
	printf "    s:\n      status|exists: true\n    condition: s\n" | hits &&
	echo "carol" >expect && test_cmp expect users &&
	printf "    s:\n      status: null\n      user|startswith: [a, b]\n    condition: s\n" | hits &&
	echo "alice Bob" >expect && test_cmp expect users
'
test_expect_success 'cased, and numbers with gt, gte, lt, lte' '
	printf "    s:\n      user|cased: Bob\n    condition: s\n" | hits &&
	echo "Bob" >expect && test_cmp expect users &&
	printf "    s:\n      status|gte: 404\n    t:\n      status|lt: 404\n    condition: s and not t\n" | hits &&
	echo "carol" >expect && test_cmp expect users
'
test_expect_success 'JSON paths, nested and flattened, and lists' '
	printf "    s:\n      details.custom_message.protocol: ssh\n      details.tags: deploy\n    condition: s\n" | hits &&
	echo "dave" >expect && test_cmp expect users
'
test_expect_success 'keywords search the whole event' '
	printf "    k:\n      - evil-corp\n      - git-upload\n    condition: k\n" | hits &&
	echo "Bob dave" >expect && test_cmp expect users
'
test_expect_success 'not, parentheses, and binds tighter than or' '
	printf "    a:\n      user: alice\n    b:\n      user: Bob\n    c:\n      ip: 10.1.2.3\n    condition: a or b and not c\n" | hits &&
	echo "alice Bob" >expect && test_cmp expect users &&
	printf "    a:\n      user: alice\n    b:\n      user: Bob\n    c:\n      user: Bob\n    condition: (a or b) and not c\n" | hits &&
	echo "alice" >expect && test_cmp expect users
'
test_expect_success '1 of, all of, them, and names with _ left out of them' '
	printf "    sel_a:\n      user: alice\n    sel_b:\n      ip: 203.0.113.9\n    _x:\n      user: nobody\n    condition: all of sel_* and all of them\n" | hits &&
	echo "alice" >expect && test_cmp expect users &&
	printf "    sel_a:\n      user: alice\n    sel_b:\n      user: carol\n    condition: 1 of sel_*\n" | hits &&
	echo "alice carol" >expect && test_cmp expect users
'
test_expect_success 'a list of conditions is any of them' '
	printf "    a:\n      user: alice\n    b:\n      user: carol\n    condition:\n      - a\n      - b\n" | hits &&
	echo "alice carol" >expect && test_cmp expect users
'
test_expect_success 'logsource service narrows to its formats' '
	{ printf "title: t\nlogsource:\n  product: gitlab\n  service: production\ndetection:\n  s:\n    user|exists: true\n  condition: s\n"; } >r.yml &&
	ldhunt -r r.yml ev >out &&
	test_line_count = 1 out && test_grep "\"user\":\"carol\"" out
'

# Every family of GitLab's logs can be named: the real Praefect and Pages
# lines (tests/fixtures/real, sources in its SOURCES.md) are read by their
# services and by no other.
test_expect_success 'logsource services of the other GitLab logs: praefect, pages' '
	real=$TEST_DIRECTORY/fixtures/real &&
	printf "title: t\nlogsource: {product: gitlab, service: praefect}\ndetection: {s: {msg|exists: true}, condition: s}\n" >p.yml &&
	ldhunt -r p.yml "$real/praefect/current" >out &&
	test_line_count = $(wc -l <"$real/praefect/current") out &&
	ldhunt -r p.yml "$real/gitlab-pages/current" >out2;
	test $? = 1 && ! test -s out2 &&
	printf "title: t\nlogsource: {product: gitlab, service: pages}\ndetection: {s: {msg|exists: true}, condition: s}\n" >g.yml &&
	ldhunt -r g.yml "$real/gitlab-pages/current" "$real/praefect/current" >out3 &&
	test_grep "\"fmt\":\"gitlab.pages\"" out3 &&
	! grep -v "\"fmt\":\"gitlab.pages\"" out3
'

# refused FILE PATTERN — ldhunt refuses the rule with status 2 and a
# message naming file and line that matches PATTERN.
refused() {
	test_expect_code 2 ldhunt -r "$1" ev >out 2>err &&
	! test -s out &&
	test_grep "^ldhunt: $1:[0-9][0-9]*: $2" err
}
test_expect_code() {
	want=$1; shift
	"$@"; got=$?
	[ "$got" = "$want" ] || { echo "exit $got, not $want" >&2; return 1; }
}

test_expect_success 'refused: a modifier outside the subset, with its line' '
	printf "    s:\n      user|base64offset|contains: x\n    condition: s\n" | rule r.yml t &&
	refused r.yml "modifier .base64offset. is not supported" &&
	test_grep "r.yml:8:" err
'
test_expect_success 'refused: Sigma 1 aggregations and timeframe' '
	printf "    s:\n      user: x\n    condition: s | count() by ip > 5\n" | rule r.yml t &&
	refused r.yml "condition: aggregations after" &&
	printf "    s:\n      user: x\n    timeframe: 5m\n    condition: s\n" | rule r.yml t &&
	refused r.yml "detection timeframe"
'
test_expect_success 'refused: unknown names in a condition, and bad syntax' '
	printf "    s:\n      user: x\n    condition: s and t\n" | rule r.yml t &&
	refused r.yml "condition: no selection is named .t." &&
	printf "    s:\n      user: x\n    condition: s and (s\n" | rule r.yml t &&
	refused r.yml "condition: .). expected" &&
	printf "    s:\n      user: x\n    condition: 2 of s\n" | rule r.yml t &&
	refused r.yml "condition: no selection is named .2."
'
test_expect_success 'refused: rule collections, unknown keys, anchors, maps as values' '
	printf "action: global\ntitle: t\n" >r.yml && refused r.yml "rule collections" &&
	printf "title: t\nlogsource: {product: gitlab}\ndetection: {s: {user: x}, condition: s}\nsecret: 1\n" >r.yml &&
	refused r.yml "rule key .secret. is not supported" &&
	printf "title: t\nlogsource: {product: gitlab}\ndetection:\n  s: &a {user: x}\n  condition: s\n" >r.yml &&
	refused r.yml "YAML anchor" &&
	printf "    s:\n      user: {a: b}\n    condition: s\n" | rule r.yml t &&
	refused r.yml "a field.s value cannot be a map"
'
test_expect_success 'refused: an unknown GitLab service' '
	printf "title: t\nlogsource: {product: gitlab, service: jenkins}\ndetection: {s: {user: x}, condition: s}\n" >r.yml &&
	refused r.yml "logsource service .jenkins. of product gitlab is not known"
'
test_expect_success 'refused: correlations outside the subset' '
	printf "title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 5m\n  condition: {lt: 3}\n" >r.yml &&
	refused r.yml "correlation condition .lt. cannot be decided" &&
	printf "title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  aliases: {}\n  timespan: 5m\n  condition: {gte: 3}\n" >r.yml &&
	refused r.yml "correlation key .aliases. is not supported" &&
	printf "title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 5 fortnights\n  condition: {gte: 3}\n" >r.yml &&
	refused r.yml "timespan" &&
	printf "title: c\ncorrelation:\n  type: event_count\n  rules: [nosuch]\n  timespan: 5m\n  condition: {gte: 3}\n" >r.yml &&
	refused r.yml "correlation .c. refers to rule .nosuch., which is not loaded"
'
test_expect_success 'refused: two rules with one id' '
	printf "    s:\n      user: x\n    condition: s\n" | rule a.yml same &&
	cp a.yml b.yml &&
	test_expect_code 2 ldhunt -r a.yml -r b.yml ev 2>err &&
	test_grep "b.yml:1: rule id .same. already used by a.yml:1" err
'
test_expect_success 'an unresolved placeholder is said, and the rule not run' '
	printf "    s:\n      ip|cidr|expand: \"%%bad_ips%%\"\n    condition: s\n" | rule r.yml t &&
	test_expect_code 1 ldhunt -r r.yml ev 2>err &&
	test_grep "placeholder %bad_ips% not given" err &&
	echo 203.0.113.0/24 >list &&
	ldhunt -r r.yml -P bad_ips=list ev >out &&
	test_line_count = 1 out && test_grep "\"user\":\"alice\"" out
'
test_expect_success 'a bad value in a placeholder file is refused' '
	echo 203.0.113.0/99 >list &&
	test_expect_code 2 ldhunt -r r.yml -P bad_ips=list ev 2>err &&
	test_grep "is no address or CIDR block" err
'

test_expect_success 'real SigmaHQ rules of other sources load unchanged' '
	ldhunt -r "$TEST_DIRECTORY/hunt/sigmahq" --list-rules >list &&
	test_line_count = 5 list &&
	test_grep "event_count .*Multiple failed logons" list &&
	test_grep "high .*detection .*PwnKit" list
'
test_expect_success 'the webserver one runs on nginx lines' '
	printf "%s\n" "203.0.113.5 - - [14/Nov/2026:02:00:00 +0000] \"GET /search?q=1=select+1 HTTP/1.1\" 200 12 \"-\" \"curl/8.5.0\" -" \
		"203.0.113.5 - - [14/Nov/2026:02:00:01 +0000] \"GET /search?q=1 HTTP/1.1\" 200 12 \"-\" \"curl/8.5.0\" -" >access.log &&
	ldhunt -r "$TEST_DIRECTORY/hunt/sigmahq" access.log >out &&
	test_line_count = 1 out && test_grep "=select" out &&
	test_grep "5513deaf-f49a-46c2-a6c8-3f111b5cb453" out
'

test_done
