#!/bin/sh
test_description='ldredact under a second, independent attack (issue 14): other values and syntaxes for every class'
. "$(dirname "$0")/test-lib.sh"

# t4011/attack.log holds one application_json line of tenant acme-corp per
# case, with values and syntaxes that t4010 does not use: other token
# prefixes (gitleaks' default rules, secretlint's recommended preset),
# other encodings (percent, \u, HTML entities named and numbered, base64
# of a token in a docker auth), other
# separators (tabs, ";", "--name value"), other GitLab path syntaxes of a
# tenant (.git routes, /-/ routes, url-encoded ids, /groups/, ssh://, scp
# remotes, namespace_path, full_path, nested target_details, "..", free
# text), other IP and email forms.  t4011/canaries says for each
# correlation id which profiles (s, c, l) must not let which value through.
# Every value is made up.

ATTACK_DIR=t4011 ATTACK_CASE=C-14b
. "$TEST_DIRECTORY/lib-attack.sh"

test_expect_success 'names stay for the reviewer, values go' '
	test_grep "user\[password_confirmation\]=\[REDACTED:secret.param\]\"" legal.out &&
	test_grep "mysql --user root --password \[REDACTED:secret.param\] db" legal.out &&
	test_grep "\"path\":\"/api/v4/projects/\[REDACTED:tenant\]%2F\[REDACTED:tenant\]/repository/files\"" legal.out &&
	test_grep "\"message\":\"mail email-[0-9a-f]\{12\}@redacted.invalid\"" support.out &&
	test_grep "\"path\":\"/acme-corp/web/-/forks?namespace_id=9&return_to=%2Ftenant-[0-9a-f]\{12\}%2Fproject-[0-9a-f]\{12\}\"" support.out
'

# deep N OPEN CLOSE — an event whose member "x" nests N times
deep() {
	awk -v n="$1" -v o="$2" -v c="$3" -v cid="$4" "BEGIN {
		s = \"\"; for (i = 0; i < n; i++) s = s o;
		s = s \"\\\"glpat-DeepCanary0123456789\\\"\";
		for (i = 0; i < n; i++) s = s c;
		printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-16T02:13:12.250Z\\\",\\\"meta.root_namespace\\\":\\\"acme-corp\\\",\\\"correlation_id\\\":\\\"%s\\\",\\\"x\\\":%s,\\\"kept\\\":\\\"yes\\\"}\n\", cid, s }"
}

test_expect_success 'arrays and objects nested past what is read: replaced whole, record kept and counted' '
	{ deep 300 "[" "]" d1 && deep 300 "{\"a\":" "}" d2 &&
	  deep 400 "[{\"b\":" "}]" d3 && deep 3000 "[" "]" d4 &&
	  deep 5000 "{\"a\":[" "]}" d5 && deep 10 "[" "]" d6; } >deep.log &&
	for p in support customer legal; do
		k= && { test $p = legal || k="-k case.key"; } &&
		ldredact -p $p $k --tenant acme-corp --report deep-$p.rep deep.log >deep-$p.out &&
		test_line_count = 6 deep-$p.out &&
		test_grep -v DeepCanary deep-$p.out &&
		test $(grep -c "\"kept\":\"yes\"" deep-$p.out) = 6 &&
		test $(grep -c "\[REDACTED:unanalysable\]" deep-$p.out) = 5 &&
		grep -A3 "\"name\": \"unanalysable\"" deep-$p.rep >u &&
		test_grep "\"values\": 5" u && test_grep "\"records\": 5" u &&
		test_grep "\"dropped\": 0," deep-$p.rep || return 1
	done
'

test_expect_success 'nesting past what is read, in an input ld-record and in JSON inside a string' '
	deep 3000 "[" "]" r1 >r.ev &&
	sed "s/^/{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"x\",\"line\":1,\"fmt\":\"gitlab.application\",\"ev\":/; s/\$/}/" r.ev >rec.log &&
	awk "BEGIN { s = \"\"; for (i = 0; i < 300; i++) s = s \"[\";
	    s = s \"\\\\\\\"glpat-DeepCanary0123456789\\\\\\\"\";
	    for (i = 0; i < 300; i++) s = s \"]\";
	    printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-16T02:13:12.250Z\\\",\\\"meta.root_namespace\\\":\\\"acme-corp\\\",\\\"correlation_id\\\":\\\"s1\\\",\\\"message\\\":\\\"%s\\\",\\\"kept\\\":\\\"yes\\\"}\n\", s }" >>rec.log &&
	ldredact -p support -k case.key --tenant acme-corp --report rec.rep rec.log >rec.out &&
	test_line_count = 2 rec.out &&
	test_grep -v DeepCanary rec.out &&
	test $(grep -c "\"kept\":\"yes\"" rec.out) = 2 &&
	test_grep "\"dropped\": 0," rec.rep
'

test_expect_success 'only what cannot be parsed is dropped, and it is named' '
	deep 3000 "[" "}" bad >bad.log &&
	test_must_fail --status=1 ldredact -p legal --tenant acme-corp \
	    --report bad.rep bad.log >bad.out 2>err &&
	test_line_count = 0 bad.out &&
	test_grep "bad.log:1: dropped" err &&
	test_grep "\"reason\": \"malformed\"" bad.rep
'

# (A source name is a path of this machine, not of GitLab: another
# tenant's name in it is replaced once it is known, from its records.)
test_expect_success 'provenance and an ld-record that lies about itself' '
	cat >prov.log <<-\EOF &&
	{"ts":"2026-11-16T02:13:12.250Z","src":"x","line":8,"fmt":"gitlab.application","ns":"acme-corp","ev":{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.project":"rival-co/app","correlation_id":"p2","message":"hi"}}
	{"ts":"2026-11-16T02:13:12.250Z","src":"dump/rival-co/carol.x@example.net.log","line":7,"fmt":"gitlab.application","ns":"acme-corp","user":"nobody","ip":"192.0.2.1","ev":{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"p1","meta.user":"carol9","meta.remote_ip":"198.51.100.61","message":"hi"}}
	EOF
	ldredact -p support -k case.key --tenant acme-corp --report prov.rep prov.log >prov.out &&
	test_line_count = 1 prov.out &&
	test_grep "\"other-tenant\": 1" prov.rep &&
	test_grep -v "carol" prov.out && test_grep -v "198.51.100.61" prov.out &&
	test_grep -v "rival-co" prov.out && test_grep -v "nobody" prov.out
'

test_expect_success 'a hostile value of 300 KB costs the value, not the record' '
	awk "BEGIN { s = \"\"; for (i = 0; i < 20000; i++) s = s \"pass=a&b@c.\";
	    printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-16T02:13:12.250Z\\\",\\\"meta.root_namespace\\\":\\\"acme-corp\\\",\\\"correlation_id\\\":\\\"h1\\\",\\\"message\\\":\\\"%s\\\",\\\"secret\\\":\\\"HostileCanary\\\",\\\"kept\\\":\\\"yes\\\"}\n\", s }" >big.log &&
	for p in support legal; do
		k= && { test $p = legal || k="-k case.key"; } &&
		ldredact -p $p $k --tenant acme-corp --report big-$p.rep big.log >big-$p.out &&
		test_line_count = 1 big-$p.out &&
		test_grep "\"kept\":\"yes\"" big-$p.out &&
		test_grep -v HostileCanary big-$p.out || return 1
	done
'

pseudo() {
	grep -o "\"$1\":\"[^\"]*\"" "$2" | grep -o "[a-z]*-[0-9a-f]\{12\}" | head -1
}

test_expect_success 'one value, one pseudonym: [v6]:port, case, spaces' '
	cat >one.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-16T02:13:12.250Z","meta.root_namespace":"acme-corp","correlation_id":"o1","remote_addr":"[2001:db8:5::9]:443","remote_ip":"2001:DB8:5::9","a":"Bob.Smith@Example.COM","b":"bob.smith@example.com ","username":" Zed77","author_name":"zed77"}
	EOF
	ldredact -p support -k case.key --tenant acme-corp one.log >one.out &&
	v6=$(pseudo remote_ip one.out) && test -n "$v6" &&
	test_grep "\"remote_addr\":\"\[$v6\]:443\"" one.out &&
	test "$(pseudo a one.out)" = "$(pseudo b one.out)" &&
	test "$(pseudo username one.out)" = "$(pseudo author_name one.out)"
'

test_expect_success 'keys: 31 bytes refused, a long key whole (a change at byte 900 counts)' '
	printf "0123456789abcdef0123456789abcde" >short.key &&
	test_must_fail --status=2 ldredact -p support -k short.key --tenant acme-corp one.log 2>err &&
	awk "BEGIN { for (i = 0; i < 1000; i++) printf \"%c\", 33 + (i * 7919) % 90 }" >l1.key &&
	awk "BEGIN { for (i = 0; i < 1000; i++) printf \"%c\", i == 900 ? 34 : 33 + (i * 7919) % 90 }" >l2.key &&
	! cmp -s l1.key l2.key &&
	ldredact -p support -k l1.key --tenant acme-corp --report k1.rep one.log >k1.out &&
	ldredact -p support -k l2.key --tenant acme-corp --report k2.rep one.log >k2.out &&
	! cmp -s k1.out k2.out &&
	test "$(grep key_id k1.rep)" != "$(grep key_id k2.rep)"
'

test_done
