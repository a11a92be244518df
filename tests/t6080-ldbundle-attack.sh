#!/bin/sh
test_description='ldbundle verify under attack (issue 14): replayed approvals, manifests that disagree, names that collide, records out of scope, archives with twice the same member'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup: two bags of one case, the first approved' '
	make_approved_bag &&
	head -n 4 records.jsonl >four.jsonl &&
	ldredact -p legal --scope request.json --report four.rep four.jsonl >four.red &&
	ldbundle create -o OTHER.bag --scope request.json --report four.rep four.red
'

test_expect_success 'approvals replayed from another bag of the case do not hold' '
	cp -R CASE.bag/approvals OTHER.bag/ &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt OTHER.bag 2>err &&
	test_grep "OTHER.bag/approvals/security-sam-security/approval.txt: approves another tag manifest" err &&
	test_grep "OTHER.bag: not ready" err
'

test_expect_success 'a payload manifest that leaves out a file the other lists' '
	cp -R CASE.bag m1.bag && rm -rf m1.bag/approvals &&
	sed -i "/data\/events.jsonl/d" m1.bag/manifest-sha512.txt &&
	retag m1.bag &&
	test_must_fail --status=1 ldbundle verify m1.bag 2>err &&
	test_grep "events.jsonl" err
'

test_expect_success 'the two manifests give other bytes for one file' '
	cp -R CASE.bag m2.bag && rm -rf m2.bag/approvals &&
	printf "{\"ts\":null}\n" >evil &&
	h=$(sha512sum evil | cut -d" " -f1) &&
	sed -i "s/^[0-9a-f]*  data\/events.jsonl$/$h  data\/events.jsonl/" m2.bag/manifest-sha512.txt &&
	retag m2.bag &&
	test_must_fail --status=1 ldbundle verify m2.bag 2>err &&
	test_grep "events.jsonl" err
'

test_expect_success 'two payload names that differ only in case are refused' '
	cp -R CASE.bag c1.bag && rm -rf c1.bag/approvals &&
	printf "other\n" >c1.bag/data/EVENTS.jsonl && rehash c1.bag &&
	test_must_fail --status=1 ldbundle verify c1.bag 2>err &&
	test_grep "^ldbundle: c1.bag/data/events.jsonl: differs only in case from data/EVENTS.jsonl: one file where case is folded$" err
'

test_expect_success 'two payload names that differ only in Unicode normalisation are refused' '
	cp -R CASE.bag u1.bag && rm -rf u1.bag/approvals &&
	printf "one\n" >"u1.bag/data/$(printf "caf\303\251").txt" &&
	printf "two\n" >"u1.bag/data/$(printf "cafe\314\201").txt" && rehash u1.bag &&
	test_must_fail --status=1 ldbundle verify u1.bag 2>err &&
	test_grep "bytes outside ASCII" err
'

test_expect_success 'a record of another tenant put in the bag is refused' '
	cp -R CASE.bag s1.bag && rm -rf s1.bag/approvals &&
	printf "%s\n" "{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"x.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"globex\",\"project\":\"globex/secret\",\"ev\":{\"meta.root_namespace\":\"globex\"}}" >>s1.bag/data/events.jsonl &&
	rehash s1.bag &&
	test_must_fail --status=1 ldbundle verify s1.bag 2>err &&
	test_grep "^ldbundle: s1.bag/data/events.jsonl: line 6: namespace globex is outside the request.s tenant$" err &&
	test_line_count = 2 err
'

test_expect_success 'a record of another tenant without its canonical fields is refused: the event is read again' '
	cp -R CASE.bag s2.bag && rm -rf s2.bag/approvals &&
	printf "%s\n" "{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"x.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ev\":{\"time\":\"2026-11-16T02:13:12.250Z\",\"meta.project\":\"globex/secret\",\"meta.user\":\"bob\"}}" >>s2.bag/data/events.jsonl &&
	printf "%s\n" "{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"x.log\",\"line\":2,\"fmt\":\"gitlab.audit\",\"ns\":\"acme-corp\",\"ev\":{\"time\":\"2026-11-16T02:13:12.250Z\",\"event_name\":\"user_logged_in\",\"entity_path\":\"globex/secret\"}}" >>s2.bag/data/events.jsonl &&
	rehash s2.bag &&
	test_must_fail --status=1 ldbundle verify s2.bag 2>err &&
	test_grep "^ldbundle: s2.bag/data/events.jsonl: line 6: namespace globex is outside the request.s tenant$" err &&
	test_grep "^ldbundle: s2.bag/data/events.jsonl: line 7: namespace globex is outside the request.s tenant$" err &&
	test_line_count = 3 err
'

test_expect_success 'a text line of another tenant: its raw line is read again' '
	cp -R CASE.bag s3.bag && rm -rf s3.bag/approvals &&
	cat >>s3.bag/data/events.jsonl <<-\EOF &&
	{"ts":"2026-11-16T02:13:12Z","src":"x.log","line":1,"fmt":"nginx.access","ev":{"raw":"1.2.3.4 - - [16/Nov/2026:02:13:12 +0000] \"GET /globex/secret/-/raw/main/key HTTP/1.1\" 200 5 \"-\" \"curl\""}}
	EOF
	rehash s3.bag &&
	test_must_fail --status=1 ldbundle verify s3.bag 2>err &&
	test_grep "line 6: .*globex.* is outside the request.s tenant$" err
'

test_expect_success 'an event that is itself an ld-record is refused' '
	cp -R CASE.bag s4.bag && rm -rf s4.bag/approvals &&
	printf "%s\n" "{\"ts\":\"2026-11-16T02:13:12Z\",\"src\":\"x.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"ev\":{\"ts\":\"2026-11-16T02:13:12Z\",\"src\":\"y.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"ev\":{\"meta.project\":\"globex/secret\"}}}" >>s4.bag/data/events.jsonl &&
	rehash s4.bag &&
	test_must_fail --status=1 ldbundle verify s4.bag 2>err &&
	test_grep "line 6: the event is itself an ld-record$" err
'

test_expect_success 'a record outside the request.s window is refused; one without a time is not' '
	cp -R CASE.bag w1.bag && rm -rf w1.bag/approvals &&
	printf "%s\n" "{\"ts\":\"2026-11-21T00:00:00Z\",\"src\":\"x.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"ev\":{\"time\":\"2026-11-21T00:00:00Z\",\"meta.project\":\"acme-corp/web\"}}" >>w1.bag/data/events.jsonl &&
	printf "%s\n" "{\"ts\":\"2026-11-13T23:59:59.999Z\",\"src\":\"x.log\",\"line\":2,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"ev\":{\"time\":\"2026-11-13T23:59:59.999Z\",\"meta.project\":\"acme-corp/web\"}}" >>w1.bag/data/events.jsonl &&
	rehash w1.bag &&
	test_must_fail --status=1 ldbundle verify w1.bag 2>err &&
	test_grep "^ldbundle: w1.bag/data/events.jsonl: line 6: time outside the request.s window$" err &&
	test_grep "^ldbundle: w1.bag/data/events.jsonl: line 7: time outside the request.s window$" err &&
	test_line_count = 3 err &&
	grep -c "\"ts\":null" CASE.bag/data/events.jsonl >n &&
	test "$(cat n)" -ge 1 &&
	ldbundle verify -q CASE.bag
'

test_expect_success 'a record that is not an ld-record, or a line with a NUL, is refused' '
	cp -R CASE.bag n1.bag && rm -rf n1.bag/approvals &&
	printf "{\"time\":\"2026-11-16T02:13:12Z\",\"meta.project\":\"globex/x\"}\n" >>n1.bag/data/events.jsonl &&
	printf "{\"ts\":\"2026-11-16T02:13:12Z\",\"src\":\"x\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"ev\":{\"a\":\"\000\"}}\n" >>n1.bag/data/events.jsonl &&
	rehash n1.bag &&
	test_must_fail --status=1 ldbundle verify n1.bag 2>err &&
	test_grep "line 6: not an ld-record$" err &&
	test_grep "line 7: " err
'

test_expect_success 'a row of another tenant put in the timeline is refused' '
	cp -R CASE.bag t1.bag && rm -rf t1.bag/approvals &&
	sed -n 2p t1.bag/data/timeline.csv | sed "s/acme-corp/globex/g" >>t1.bag/data/timeline.csv &&
	rehash t1.bag &&
	test_must_fail --status=1 ldbundle verify t1.bag 2>err &&
	n=$(wc -l <t1.bag/data/timeline.csv | tr -d " ") &&
	test_grep "^ldbundle: t1.bag/data/timeline.csv: line $n: namespace globex is outside the request.s tenant$" err &&
	test_line_count = 2 err
'

test_expect_success 'a timeline replaced by one whose rows cannot be checked is refused' '
	cp -R CASE.bag t2.bag && rm -rf t2.bag/approvals &&
	printf "message,datetime,timestamp_desc\r\nglobex secret,2026-11-16T00:00:00+00:00,t\r\n" >t2.bag/data/timeline.csv &&
	rehash t2.bag &&
	test_must_fail --status=1 ldbundle verify t2.bag 2>err &&
	test_grep "^ldbundle: t2.bag/data/timeline.csv: line 1: no column \"ns\": not a timeline of ld-records" err
'

test_expect_success 'a request swapped after approval: the approvals no longer hold' '
	cp -R CASE.bag r1.bag &&
	sed -i "s/\"tenant\":\"acme-corp\"/\"tenant\":\"globex\"/" r1.bag/data/request.json &&
	rehash r1.bag &&
	test_must_fail --status=1 ldbundle verify r1.bag 2>err &&
	test_grep "r1.bag/approvals/security-sam-security" err
'

test_expect_success 'an archive with a member twice is refused' '
	ldbundle export --keyring approvers.txt -o CASE.tar CASE.bag &&
	printf "{\"ts\":null}\n" >evil.jsonl &&
	cp CASE.tar dup.tar &&
	tar rf dup.tar --transform "s,^evil.jsonl,CASE.bag/data/events.jsonl," evil.jsonl &&
	test $(tar tf dup.tar | grep -c "^CASE.bag/data/events.jsonl$") = 2 &&
	test_must_fail --status=1 ldbundle verify dup.tar 2>err &&
	test_grep "^ldbundle: dup.tar!CASE.bag/data/events.jsonl: duplicate entry, not extracted$" err
'

test_done
