#!/bin/sh
test_description='the request, its scope and what leaves, attacked end to end: windows in every RFC 3339 shape and offset around the profiles'"'"' bounds, requests that must be refused, and lines of other tenants that name the requested one (ldgrep, ldredact, ldtimeline, ldbundle)'
. "$(dirname "$0")/test-lib.sh"

# t4015/logs holds hand-written lines of five log families, each tagged
# with a correlation id (or, for NGINX, a user agent) "k-…": k-i* are the
# tenant's events in the window, k-a* the owned account alice's own
# events, k-w* the tenant's events outside the window (by an offset, a
# leap second, a time without a zone or as a number, the audit event's
# created_at, which places it whatever its "time" says, as k-i10 shows
# the other way round), and k-o* other tenants' events that name acme-corp (in a
# path, a parameter, a referer, a fork, a transfer, a group share, a
# merge request, free text) or name two tenants at once, and look-alike
# tenants (acme-corp-evil, acme.corp, full-width, U+2010).  t4015/gen.py
# writes seeded request windows.  Every value is made up.

SINCE=2026-11-14T00:00:00Z UNTIL=2026-11-21T00:00:00Z REQ=2026-11-22T09:00:00Z

# tags FILE — the sorted tags in FILE, one a line
tags() {
	grep -o '"k-[a-z0-9]*"\|UA k-[a-z0-9]*' "$1" | sed 's/"//g; s/^UA //' |
	sort -u
}

# expect_tags FILE TAG... — FILE holds exactly these tags
expect_tags() {
	f=$1
	shift
	printf "%s\n" "$@" | sort >expect.tags &&
	tags "$f" >actual.tags &&
	test_cmp expect.tags actual.tags
}

IN="k-i1 k-i2 k-i3 k-i4 k-i6 k-i7 k-i8 k-i9 k-i10"
OWNED="k-a1 k-a2 k-a3 k-a4"
OUTSIDE="k-w1 k-w2 k-w3 k-w4 k-w5 k-w6 k-w7"

test_expect_success 'setup' '
	cp -r "$TEST_DIRECTORY/t4015/logs" logs &&
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cat >req.json <<-EOF &&
	{"case":"C-4015","tenant":"acme-corp","profile":"support","namespaces":["acme-corp"],"since":"$SINCE","until":"$UNTIL","requested_at":"$REQ"}
	EOF
	cat >reqa.json <<-EOF &&
	{"case":"C-4015a","tenant":"acme-corp","profile":"support","namespaces":["acme-corp"],"accounts":["alice"],"since":"$SINCE","until":"$UNTIL","requested_at":"$REQ"}
	EOF
	: >empty.log
'

# refuse NAME PATTERN JSON — ldgrep, ldredact and ldbundle create refuse
# the request: exit 2, the message, nothing written, no bag.
refuse() {
	printf "%s\n" "$3" >"$1.json" &&
	for t in ldgrep ldredact ldbundle; do
		case $t in
		ldgrep) set -- "$1" "$2" ldgrep --scope "$1.json" empty.log ;;
		ldredact) set -- "$1" "$2" ldredact -p legal --scope "$1.json" empty.log ;;
		ldbundle) set -- "$1" "$2" ldbundle create -o "$1.bag" --scope "$1.json" empty.log ;;
		esac
		n=$1 pat=$2
		shift 2
		test_must_fail --status=2 "$@" >out 2>err &&
		test_grep "^$t: .*$pat" err &&
		test ! -s out &&
		test ! -e "$n.bag" || return 1
		set -- "$n" "$pat" "$(cat "$n.json")"
	done
}

W="\"since\":\"$SINCE\",\"until\":\"$UNTIL\",\"requested_at\":\"$REQ\""

test_expect_success 'windows past the bound, reversed, or after requested_at' '
	refuse long "at most 7 days.*covers 8.1 days" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"2026-11-14T00:00:00+14:00\",\"until\":\"2026-11-21T00:00:00-12:00\",\"requested_at\":\"$REQ\"}" &&
	refuse ns1 "at most 7 days.*covers 1 ns more" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"2026-11-13T23:59:59.999999999Z\",\"until\":\"$UNTIL\",\"requested_at\":\"$REQ\"}" &&
	refuse leap "at most 7 days" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"$SINCE\",\"until\":\"2026-11-21T00:00:60Z\",\"requested_at\":\"$REQ\"}" &&
	refuse dst "at most 7 days" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"2026-03-01T00:00:00-04:00\",\"until\":\"2026-03-08T00:00:00-05:00\",\"requested_at\":\"2026-03-09T00:00:00Z\"}" &&
	refuse month "at most 31 days" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"sirt\",\"since\":\"2026-10-20T23:59:59Z\",\"until\":\"$UNTIL\",\"requested_at\":\"$REQ\"}" &&
	refuse rev "the window is empty" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"sirt\",\"since\":\"$UNTIL\",\"until\":\"$SINCE\",\"requested_at\":\"$REQ\"}" &&
	refuse same "the window is empty" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"since\":\"2026-11-14T02:00:00+02:00\",\"until\":\"$SINCE\"}" &&
	refuse after "until is after requested_at" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"$SINCE\",\"until\":\"$UNTIL\",\"requested_at\":\"2026-11-20T23:59:59.999+00:00\"}" &&
	refuse before "until is after requested_at" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"$SINCE\",\"until\":\"$UNTIL\",\"requested_at\":\"2026-11-13T00:00:00Z\"}"
'

# The clock of the machine that runs a dive is no evidence of when a
# request was made (archives are dived anywhere, corpora are dated ahead):
# a requested_at after it is taken, and bounds still hold.
test_expect_success 'a requested_at ahead of the clock is taken; its window still bounded' '
	printf "%s\n" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"2099-11-14T00:00:00Z\",\"until\":\"2099-11-21T00:00:00Z\",\"requested_at\":\"2099-11-22T00:00:00Z\"}" >ahead.json &&
	test_status 1 ldgrep --scope ahead.json empty.log &&
	refuse ahead2 "at most 7 days" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":\"2099-11-13T00:00:00Z\",\"until\":\"2099-11-21T00:00:00Z\",\"requested_at\":\"2099-11-22T00:00:00Z\"}"
'

test_expect_success 'times in shapes RFC 3339 does not have, or as numbers' '
	for t in 1763078400 "\"1763078400\"" "\"1763078400000\"" "\"2026-11-14T00:00:00\"" \
	    "\"2026-11-14T00:00:00+0200\"" "\"2026-11-14T00:00:00+02\"" \
	    "\"2026-11-14T00:00:00+02:\"" "\"2026-11-14T00:00:00,5Z\"" \
	    "\"2026-11-14T00:00:00.Z\"" "\"2026-11-14T00:00Z\"" "\"2026/11/14\"" \
	    "\"20261114T000000Z\"" "\"2026-11-14T00:00:00Z \"" "\" 2026-11-14\"" \
	    "\"＋2026-11-14\"" "\"２０２６-11-14\"" "\"7d\"" "\"now\"" "\"2026-W46\"" \
	    "\"2026-318\"" "\"2026-11-14T24:00:00Z\"" "\"2026-02-30\"" \
	    "\"2026-11-14T00:00:00+24:00\"" "\"2026-11-14T00:60:00Z\"" "[\"$SINCE\"]"
	do
		refuse shape "\"since\"" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"since\":$t,\"until\":\"$UNTIL\",\"requested_at\":\"$REQ\"}" ||
		{ echo "accepted: $t" >&2; return 1; }
	done
'

test_expect_success 'keys given twice, under two names or escaped, unknown keys, wrong types, NUL' '
	refuse dup "duplicate object key" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":[\"acme-corp\"],\"namespaces\":[\"evil-corp\"]}" &&
	refuse dupesc "duplicate object key" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"t\\u0065nant\":\"evil-corp\"}" &&
	refuse dupsince "duplicate object key" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",$W,\"since\":\"2026-01-01T00:00:00Z\"}" &&
	refuse syn "one key under two names" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"accounts\":[\"alice\"],\"own_accounts\":[\"mallory\"]}" &&
	refuse unk "unknown field \"Tenant\"" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"Tenant\":\"evil-corp\"}" &&
	refuse unk2 "unknown field \"namespace\"" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespace\":[\"evil-corp\"]}" &&
	refuse type1 "\"tenant\" must be a string" "{\"case\":\"c\",\"tenant\":[\"acme-corp\",\"evil-corp\"]}" &&
	refuse type2 "\"namespaces\" must be an array of strings" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":\"acme-corp\"}" &&
	refuse type3 "\"users\" must be an array of strings" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"users\":[\"alice\",null]}" &&
	refuse type4 "\"profile\" must be a string" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":[\"support\"]}" &&
	refuse prof "unknown profile \"Support\"" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"Support\",$W}" &&
	refuse nul "JSON_ALLOW_NUL" "{\"case\":\"c\",\"tenant\":\"acme-corp\\u0000evil-corp\"}" &&
	refuse nul2 "JSON_ALLOW_NUL" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":[\"acme-corp/\\u0000/evil-corp\"]}" &&
	refuse arr "[jJ][sS][oO][nN] object" "[{\"case\":\"c\",\"tenant\":\"acme-corp\"}]"
'

test_expect_success 'namespaces and projects outside the tenant: siblings, look-alikes, encodings' '
	for ns in acme-corporation acme-corp-evil acme.corp acme_corp acmecorp \
	    "acme-corp%2Fweb" "acme-corp%2fweb" "acme-corp\\\\web" "acme-corp web" \
	    "ａｃｍｅ-corp" "acme‐corp" "acme-corp." "evil-corp/acme-corp" \
	    "evil-corp" "ACME-CORPS"
	do
		refuse sib "outside the tenant acme-corp" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":[\"$ns\"]}" &&
		refuse sibp "outside the tenant acme-corp" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"projects\":[\"$ns/web\"]}" ||
		{ echo "accepted: $ns" >&2; return 1; }
	done &&
	refuse slash "a namespace is a path with a name" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":[\"//\"]}" &&
	refuse tslash "must be a top-level namespace" "{\"case\":\"c\",\"tenant\":\"acme-corp/\"}" &&
	refuse acct "an account is a user name, not a path" "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"accounts\":[\"evil-corp/web\"]}"
'

test_expect_success 'subgroups, case and slashes of the tenant are inside it' '
	for ns in acme-corp/sub ACME-CORP/Sub/ /acme-corp/ Acme-Corp
	do
		printf "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"profile\":\"support\",\"namespaces\":[\"%s\"],%s}\n" "$ns" "$W" >sub.json &&
		ldgrep --explain --scope sub.json >out || return 1
	done
'

test_expect_success 'a support request without a tenant stays in one top-level namespace' '
	refuse across "profile support: evil-corp is not in the top-level namespace acme-corp" "{\"case\":\"c\",\"profile\":\"support\",\"namespaces\":[\"acme-corp\",\"evil-corp\"],$W}" &&
	refuse across2 "profile support: acme-corp-evil/x is not in the top-level namespace acme-corp" "{\"case\":\"c\",\"profile\":\"support\",\"namespaces\":[\"acme-corp/sub\"],\"projects\":[\"acme-corp-evil/x\"],$W}" &&
	refuse across3 "profile support: evil-corp/web is not in" "{\"case\":\"c\",\"profile\":\"support\",\"projects\":[\"ACME-corp/web\",\"evil-corp/web\"],$W}" &&
	printf "{\"case\":\"c\",\"profile\":\"support\",\"namespaces\":[\"acme-corp/a\",\"ACME-CORP/b\"],\"projects\":[\"acme-corp/x/y\"],%s}\n" "$W" >one.json &&
	ldgrep --explain --scope one.json >out
'

test_expect_success 'ldredact --own: an account not listed, or one that only looks like it, is refused' '
	test_must_fail --status=2 ldredact -p support -k case.key --scope reqa.json --own mallory empty.log 2>err &&
	test_grep "names account alice, which is not listed as owned" err &&
	printf "{\"case\":\"c\",\"tenant\":\"acme-corp\",\"namespaces\":[\"acme-corp\"],\"accounts\":[\"ａlice\"]}\n" >fw.json &&
	test_must_fail --status=2 ldredact -p support -k case.key --scope fw.json --own alice empty.log 2>err &&
	test_grep "names account ａlice, which is not listed" err &&
	ldredact -p support -k case.key --scope reqa.json --own ALICE logs >own.out 2>err &&
	expect_tags own.out $IN $OWNED $OUTSIDE
'

test_expect_success 'ldgrep: only the tenant'"'"'s events in the window leave' '
	ldgrep --scope req.json logs >grep.out 2>err &&
	expect_tags grep.out $IN
'

test_expect_success 'ldgrep: with the owned account, its own events too, nothing more' '
	ldgrep --scope reqa.json logs >grepa.out 2>err &&
	expect_tags grepa.out $IN $OWNED
'

test_expect_success 'ldgrep: the same with an index and with two threads' '
	cp -r logs ilogs &&
	ldindex -o IX ilogs 2>err &&
	ldgrep --index IX -j 2 --scope reqa.json ilogs >grepi.out 2>err &&
	expect_tags grepi.out $IN $OWNED &&
	ldgrep -j 2 --scope req.json logs >grepj.out 2>err &&
	expect_tags grepj.out $IN
'

test_expect_success 'ldgrep: a record naming two tenants is in neither, one flag or the request alike' '
	ldgrep --ns acme-corp logs >ns.out 2>err &&
	test_grep -v "k-o2\"" ns.out && test_grep -v "k-o3\"" ns.out &&
	test_grep -v "k-o4\"" ns.out && test_grep -v "UA k-o18" ns.out &&
	ldgrep --project acme-corp/web logs >p.out 2>err &&
	test_grep -v "k-o3\"" p.out &&
	ldgrep --ns evil-corp logs >evil.out 2>err &&
	test_grep -v "k-o2\"" evil.out && test_grep -v "k-o6\"" evil.out &&
	ldgrep --account alice logs >own.out 2>err &&
	test_grep -v "k-o6\"" own.out
'

test_expect_success 'ldredact drops every other tenant'"'"'s record, under every profile' '
	for p in support customer sirt legal; do
		k= && { test $p = sirt || test $p = legal || k="-k case.key"; } &&
		ldredact -p $p $k --scope req.json --report $p.rep logs >$p.out 2>err &&
		expect_tags $p.out $IN $OUTSIDE &&
		ldredact -p $p $k --scope reqa.json logs >$p.a.out 2>err &&
		expect_tags $p.a.out $IN $OUTSIDE $OWNED || return 1
	done &&
	test_grep "\"no-tenant\": 4," support.rep &&
	test_grep "\"other-tenant\": 23," support.rep
'

test_expect_success 'the pipeline to a bag: exactly the request, and verify agrees' '
	ldgrep --scope reqa.json logs 2>err |
	ldredact -p support -k case.key --scope reqa.json --report red.json |
	ldtimeline >tl.out &&
	expect_tags tl.out $IN $OWNED &&
	ldbundle create -o C.bag --scope reqa.json --report red.json tl.out &&
	ldbundle verify C.bag &&
	expect_tags C.bag/data/events.jsonl $IN $OWNED &&
	test_grep -v "evil-corp\|mallory\|203\.0\.113" C.bag/data/events.jsonl
'

test_expect_success 'ldbundle verify: an ld-record whose event says another time than its "ts"' '
	ldgrep --scope req.json logs/gitlab-rails/production_json.log 2>err |
	grep "\"k-i1\"" |
	sed "s/\"time\":\"2026-11-16T02:13:12.250Z\"/\"time\":\"2026-11-26T02:13:12.250Z\"/" >forged.jsonl &&
	ldredact -p legal --scope req.json --report forged.rep forged.jsonl >forged.red &&
	ldbundle create -o F.bag --scope req.json --report forged.rep forged.red &&
	test_must_fail ldbundle verify F.bag 2>err &&
	test_grep "events.jsonl: line 1: the event.s own time is outside the request.s window" err
'

test_expect_success 'ldbundle verify: users do not widen the tenant' '
	ldredact -p legal --tenant acme-corp --tenant evil-corp --report two.rep \
	    logs/gitlab-rails/production_json.log >two.red 2>err &&
	grep "\"k-o1\"" two.red >evil.red &&
	printf "{\"case\":\"C-4015u\",\"tenant\":\"acme-corp\",\"namespaces\":[\"acme-corp\"],\"users\":[\"evil-corp\"]}\n" >u.json &&
	ldredact -p legal --tenant acme-corp --tenant evil-corp --report evil.rep evil.red >evil2.red &&
	# with the report that kept both, create refuses at once
	test_must_fail --status=2 ldbundle create -o U.bag --scope u.json \
	    --report evil.rep evil2.red 2>err &&
	test_grep "^ldbundle: evil.rep: the re" err &&
	test ! -e U.bag &&
	# without a report the bag is made, and verify finds the record
	ldbundle create -o U.bag --scope u.json evil2.red &&
	test_must_fail ldbundle verify U.bag 2>err &&
	test_grep "namespace evil-corp is outside the request.s tenant" err
'

# Seeded windows: every shape and offset, to the nanosecond around the
# bound; an accepted one places its four lines exactly.
test_expect_success 'seeded windows: refused past the bound, exact inside it' '
	python3 "$TEST_DIRECTORY/t4015/gen.py" 4015 160 >cases &&
	test_line_count = 160 cases &&
	grep -c "^ok" cases >n.ok && test $(cat n.ok) -gt 40 &&
	grep -c "^refused" cases >n.no && test $(cat n.no) -gt 40 &&
	: >fails && i=0 &&
	while IFS="	" read -r verdict req lines; do
		i=$((i + 1)) &&
		printf "%s\n" "$req" >w.json &&
		if test "$verdict" = ok
		then
			printf "%s\n" "$lines" | tr "|" "\n" >w_production_json.log &&
			{ ldgrep --scope w.json w_production_json.log >w.out 2>w.err &&
			  expect_tags w.out k-b1 k-b2 >/dev/null 2>&1 ||
			  echo "$i: accepted wrongly placed: $req" >>fails; }
		else
			{ ldgrep --scope w.json empty.log >w.out 2>w.err
			  st=$?
			  test $st = 2 && test_grep "^ldgrep: request refused: " w.err >/dev/null 2>&1 &&
			  test ! -s w.out; } ||
			echo "$i: not refused ($st): $req" >>fails
		fi &&
		if test $((i % 16)) = 0
		then
			# the other readers of a request say the same
			# (ldredact, like grep, exits 1 when it writes nothing)
			if test "$verdict" = ok; then want=1; else want=2; fi &&
			{ ldredact -p legal --scope w.json empty.log >/dev/null 2>&1; st=$?; } &&
			{ test $st = $want || echo "$i: ldredact $st: $req" >>fails; } &&
			if test "$verdict" = ok; then want=0; fi &&
			rm -rf W.bag &&
			{ ldbundle create -o W.bag --scope w.json empty.log >/dev/null 2>&1; st=$?; } &&
			{ test $st = $want || echo "$i: ldbundle $st: $req" >>fails; }
		fi || return 1
	done <cases &&
	test_cmp /dev/null fails
'

test_done
