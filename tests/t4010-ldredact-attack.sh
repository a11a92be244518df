#!/bin/sh
test_description='ldredact under attack (issue 14): every class of leak, under support, customer and legal'
. "$(dirname "$0")/test-lib.sh"

# t4010/attack.log holds one application_json line of tenant acme-corp per
# case, each with its own correlation id; t4010/canaries says for each id
# which profiles (s, c, l) must not let which value through.  The values
# are real-shaped and made up (fixed seed); the kinds of secret are those
# of gitleaks' default rules and secretlint's recommended preset.

ATTACK_DIR=t4010 ATTACK_CASE=C-14
. "$TEST_DIRECTORY/lib-attack.sh"

test_expect_success 'what stays for the reviewer stays' '
	test_grep "\"message\":\"export GITLAB_TOKEN_\[REDACTED:secret.gitlab-token\] done\"" legal.out &&
	test_grep "user\[password\]=\[REDACTED:secret.param\]&remember=1" legal.out &&
	test_grep "\"path\":\"/acme-corp/web/-/forks/new?from=tenant-[0-9a-f]\{12\}/project-[0-9a-f]\{12\}\"" support.out &&
	test_grep "git@gitlab.example.com:\[REDACTED:tenant\]/\[REDACTED:tenant\].git" legal.out
'

test_expect_success 'JSON nested in strings too deep is replaced whole, and counted' '
	grep "\"cid\":\"k052\"" legal.out >k052 &&
	test_grep "\[REDACTED:unanalysable\]" k052 &&
	grep -A3 "\"name\": \"unanalysable\"" legal.rep >u &&
	test_grep "\"values\": [1-9]" u
'

test_expect_success 'a value that trips a PCRE2 limit is replaced whole; the record is kept' '
	cat >slow.json <<-\JSON &&
	{"name":"slow","rules":[{"name":"slow","pattern":"(a+)+$","action":"mask"}]}
	JSON
	awk "BEGIN { s = \"\"; for (i = 0; i < 4000; i++) s = s \"a\";
	    printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-16T02:13:12.250Z\\\",\\\"correlation_id\\\":\\\"slow\\\",\\\"message\\\":\\\"%sb\\\",\\\"note\\\":\\\"kept\\\"}\n\", s }" >slow.log &&
	ldredact --policy slow.json --report slow.rep slow.log >slow.out &&
	test_grep "\"message\":\"\[REDACTED:unanalysable\]\",\"note\":\"kept\"" slow.out &&
	test_grep "\"kept\": 1" slow.rep
'

pseudo() {
	sed -n "s/.*\"$1\":\"\([a-z]*-[0-9a-f]\{12\}\)\".*/\1/p" "$2"
}

test_expect_success 'one value, one pseudonym: with a port, with spaces; "-" is no value' '
	cat >one.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"o1","remote_addr":"203.0.113.77:0","remote_ip":"203.0.113.77","username":"mallory4 ","author_name":"mallory4","remote_user":"-"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp one.log >one.out &&
	test "$(pseudo remote_ip one.out)" != "" &&
	test_grep "\"remote_addr\":\"$(pseudo remote_ip one.out):0\"" one.out &&
	test "$(pseudo username one.out)" = "$(pseudo author_name one.out)" &&
	test_grep "\"remote_user\":\"-\"" one.out
'

test_expect_success 'an input ld-record: its fields are read again from its event' '
	cat >rec.log <<-\EOF &&
	{"ts":"2026-11-16T02:13:12.250Z","src":"logs/bob@example.com.log","line":1,"fmt":"gitlab.application","ns":"acme-corp","user":"nobody","cid":"r1","ev":{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"evil-corp","correlation_id":"r1","meta.user":"bob","message":"hi"}}
	{"ts":"2026-11-16T02:13:12.250Z","src":"logs/bob@example.com.log","line":2,"fmt":"gitlab.application","ns":"acme-corp","user":"nobody","cid":"r2","ev":{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"r2","meta.user":"bob","message":"hi"}}
	{"ts":"2026-11-16T02:13:12.250Z","src":"x","line":3,"fmt":"no-such-format","ns":"acme-corp","cid":"r3","ev":{"meta.root_namespace":"acme-corp","correlation_id":"r3"}}
	EOF
	ldredact -p support -k case.key --tenant acme-corp --report rec.rep rec.log >rec.out 2>err &&
	test_line_count = 1 rec.out &&
	test_grep "\"cid\":\"r2\"" rec.out &&
	test_grep "\"other-tenant\": 1" rec.rep &&
	test_grep "\"malformed\": 1" rec.rep &&
	test "$(pseudo user rec.out)" = "$(pseudo meta.user rec.out)" &&
	test_grep -v "bob" rec.out &&
	test_grep -v "nobody" rec.out
'

test_expect_success 'keys: weak and short ones refused, long ones not cut, new ones strong' '
	printf passwordpasswordpasswordpassword >weak.key &&
	test_must_fail --status=2 ldredact -p support -k weak.key --tenant acme-corp one.log 2>err &&
	test_grep "weak" err &&
	head -c 300 /dev/zero | tr "\\0" "k" >long &&
	{ cat long; printf "one-0123456789abcdef"; } >long1.key &&
	{ cat long; printf "two-0123456789abcdef"; } >long2.key &&
	cat case.key long >long3.key &&
	cat case.key long >long4.key &&
	printf "z" >>long4.key &&
	ldredact -p support -k long3.key --tenant acme-corp one.log >l3 &&
	ldredact -p support -k long4.key --tenant acme-corp one.log >l4 &&
	! cmp -s l3 l4 &&
	ldredact --new-key new.key &&
	test "$(stat -c %a new.key)" = 600 &&
	grep -Eq "^[0-9a-f]{64}\$" new.key &&
	test_must_fail --status=2 ldredact --new-key new.key 2>err &&
	test_grep "not replaced" err &&
	ldredact -p support -k new.key --tenant acme-corp --report k.rep one.log >/dev/null &&
	test_grep "\"key_id\": \"[0-9a-f]\{16\}\"" k.rep
'

test_expect_success 'a full set of learned names fails the run, in the report too' '
	awk "BEGIN { printf \"{\\\"tenant\\\":\\\"acme-corp\\\",\\\"users\\\":[\";
	    for (i = 0; i < 65600; i++) printf \"%s\\\"user%05dx\\\"\", i ? \",\" : \"\", i;
	    print \"]}\" }" >many.json &&
	test_must_fail --status=2 ldredact -p support -k case.key --scope many.json \
	    --report many.rep one.log >/dev/null 2>err &&
	test_grep "names were not learned" err &&
	test_grep "\"learned_not_kept\": [1-9]" many.rep &&
	test_grep "\"complete\": false" many.rep
'

test_expect_success 'versions are not addresses: a corpus of user agents' '
	cp "$TEST_DIRECTORY/t4010/user-agents.txt" . &&
	while read -r ua; do
		printf "{\"severity\":\"INFO\",\"time\":\"2026-11-16T02:13:12.250Z\",\"meta.root_namespace\":\"acme-corp\",\"correlation_id\":\"u\",\"ua\":\"%s\"}\n" "$ua"
	done <user-agents.txt >ua.log &&
	ldredact -p support -k case.key --tenant acme-corp --raw ua.log >ua.out &&
	sed "s/.*\"ua\":\"\(.*\)\"}/\1/" ua.out >ua.got &&
	test_cmp user-agents.txt ua.got
'

test_expect_success 'addresses next to versions are still addresses' '
	cat >ip.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"i1","meta.client_id":"ip/198.51.100.23","path":"/admin/10.9.8.7","message":"from 192.0.2.55 (Chrome/126.0.0.0)"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp ip.log >ip.out &&
	test_grep -v "198.51.100.23" ip.out && test_grep -v "10.9.8.7" ip.out &&
	test_grep -v "192.0.2.55" ip.out && test_grep "Chrome/126.0.0.0" ip.out
'

test_expect_success 'a megabyte of addresses on one line: every one replaced' '
	awk "BEGIN { s = \"::1 \"; while (length(s) < 1048576) s = s s;
	    printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-16T02:13:12.250Z\\\",\\\"meta.root_namespace\\\":\\\"acme-corp\\\",\\\"correlation_id\\\":\\\"m\\\",\\\"message\\\":\\\"%s\\\"}\n\", s }" >mega.log &&
	ldredact -p support -k case.key --tenant acme-corp mega.log >mega.out &&
	test $(grep -o "ip-[0-9a-f]\{12\}" mega.out | wc -l) = 262144 &&
	test_grep -v "::1 " mega.out
'

test_done
