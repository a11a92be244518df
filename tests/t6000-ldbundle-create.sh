#!/bin/sh
test_description='ldbundle create: a BagIt bag of a log-dive'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures
'

test_expect_success 'create writes a bag that ldbundle verify accepts' '
	make_bag &&
	ldbundle verify CASE.bag >out &&
	echo "CASE.bag: valid bag, 7 payload files, $(cat CASE.bag/data/* | wc -c | tr -d " ") octets, approvals not checked (no --keyring)" >expect &&
	test_cmp expect out
'

test_expect_success 'the independent RFC 8493 validator accepts it' '
	$VALIDATE CASE.bag >out &&
	test_grep "CASE.bag is valid" out
'

test_expect_success 'the layout is the documented one' '
	(cd CASE.bag && find . -type f | sort) >actual &&
	cat >expect <<-\EOF &&
	./bag-info.txt
	./bagit.txt
	./data/events.jsonl
	./data/provenance.json
	./data/redaction-report.json
	./data/request.json
	./data/summary.html
	./data/summary.md
	./data/timeline.csv
	./manifest-sha256.txt
	./manifest-sha512.txt
	./tagmanifest-sha256.txt
	./tagmanifest-sha512.txt
	EOF
	test_cmp expect actual
'

test_expect_success 'bagit.txt is exactly the two RFC lines' '
	printf "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" >expect &&
	test_cmp expect CASE.bag/bagit.txt
'

test_expect_success 'bag-info.txt has the case, dates, oxum and scope' '
	octets=$(cat CASE.bag/data/* | wc -c | tr -d " ") &&
	cat >expect <<-EOF &&
	Source-Organization: unspecified
	External-Identifier: SIRT-1234
	External-Description: Log-dive evidence for case SIRT-1234, tenant acme-corp: 5 records
	Bagging-Date: 2026-11-22
	Bag-Software-Agent: ldbundle 0.1.0 (logdive)
	Payload-Oxum: $octets.7
	EOF
	head -n 6 CASE.bag/bag-info.txt >actual &&
	test_cmp expect actual &&
	test_grep "^Scope-Tenant: acme-corp$" CASE.bag/bag-info.txt &&
	test_grep "^Scope-Users: alice$" CASE.bag/bag-info.txt &&
	test_grep "^Scope-Projects: (any)$" CASE.bag/bag-info.txt &&
	test_grep "^Scope-Since: 2026-11-14T00:00:00Z$" CASE.bag/bag-info.txt &&
	test_grep "^Record-Count: 5$" CASE.bag/bag-info.txt
'

test_expect_success 'payload is kept byte for byte' '
	test_cmp records.jsonl CASE.bag/data/events.jsonl &&
	test_cmp request.json CASE.bag/data/request.json &&
	test_cmp redaction.json CASE.bag/data/redaction-report.json
'

test_expect_success 'manifests agree with sha256sum and sha512sum' '
	(cd CASE.bag && sha256sum -c --quiet manifest-sha256.txt &&
	 sha512sum -c --quiet manifest-sha512.txt &&
	 sha256sum -c --quiet tagmanifest-sha256.txt &&
	 sha512sum -c --quiet tagmanifest-sha512.txt) &&
	(cd CASE.bag && find data -type f | sort) >expect &&
	sed "s/^[0-9a-f]*  //" CASE.bag/manifest-sha256.txt >actual &&
	test_cmp expect actual &&
	cut -d" " -f3 CASE.bag/tagmanifest-sha512.txt >actual &&
	printf "bag-info.txt\nbagit.txt\nmanifest-sha256.txt\nmanifest-sha512.txt\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'provenance names every source, with size and SHA-256 of files on disk' '
	p=CASE.bag/data/provenance.json &&
	python3 - "$p" >actual <<-\PY &&
	import json, sys
	p = json.load(open(sys.argv[1]))
	print(p["tool"], p["version"], p["run_at"], " ".join(p["command"]))
	for i in p["inputs"]:
	    print("input", i["name"], i["records"], i["bytes"], i["sha256"])
	for s in p["sources"]:
	    print(s["path"], s.get("member", "-"), s["records"], s["on_disk"],
	          s.get("size", "-"), s.get("sha256", "-"))
	print("redaction", p["redaction"]["policy"]["name"], p["redaction"]["binding"]["method"].split(":")[0])
	PY
	w=$(sha256sum <archive/2026-11-16/web-01.tar.zst | cut -d" " -f1) &&
	a=$(sha256sum <archive/audit.log | cut -d" " -f1) &&
	r=$(sha256sum <records.jsonl | cut -d" " -f1) &&
	cat >expect <<-EOF &&
	ldbundle 0.1.0 2026-11-22T10:00:00Z ldbundle create -o CASE.bag --scope request.json --report redaction.json records.jsonl
	input records.jsonl 5 $(wc -c <records.jsonl | tr -d " ") $r
	archive/2026-11-16/web-01.tar.zst var/log/gitlab/gitlab-rails/production_json.log 2 True 26 $w
	archive/audit.log - 2 True 12 $a
	gone/old.log - 1 False - -
	redaction legal exact
	EOF
	test_cmp expect actual
'

test_expect_success 'the timeline is the Timesketch CSV ldtimeline writes, times agreeing' '
	ldtimeline --keep-duplicates -o timesketch-csv records.jsonl >expect 2>/dev/null &&
	test_cmp expect CASE.bag/data/timeline.csv &&
	head -n 1 CASE.bag/data/timeline.csv | tr -d "\r" >actual &&
	echo "message,datetime,timestamp,timestamp_desc,ns,project,user,user_id,ip,event,cid,src,line,fmt,utf8,ts_year,ev" >expect &&
	test_cmp expect actual &&
	python3 - CASE.bag/data/timeline.csv <<-\PY
	import csv, datetime, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	assert len(rows) == 4, rows
	assert [r["line"] for r in rows] == ["1234", "1240", "7", "9"], rows
	assert rows[2]["datetime"] == "2026-11-17T09:30:00.5+00:00", rows[2]
	for r in rows:
	    assert r["message"] and r["timestamp_desc"], r
	    dt = datetime.datetime.fromisoformat(r["datetime"])
	    us = (dt - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(microseconds=1)
	    assert us == int(r["timestamp"]), (r["datetime"], r["timestamp"])
	PY
'

test_expect_success 'a field with comma, quote and newline is quoted' '
	sed "s/\"event\":\"user_logged_in\"/\"event\":\"a, \\\\\"b\\\\\"\\\\nc\"/" records.jsonl >odd.jsonl &&
	ldbundle create -o odd.bag --scope request.json odd.jsonl &&
	python3 - odd.bag/data/timeline.csv <<-\PY
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	assert rows[2]["event"] == "a, \"b\"\nc", rows[2]
	assert rows[2]["src"] == "archive/audit.log", rows[2]
	PY
'

test_expect_success 'records from standard input, and "-"' '
	ldbundle create -o stdin.bag --scope request.json <records.jsonl &&
	test_cmp records.jsonl stdin.bag/data/events.jsonl &&
	ldbundle create -o dash.bag --scope request.json - <records.jsonl &&
	test_cmp records.jsonl dash.bag/data/events.jsonl &&
	ldbundle verify -q stdin.bag
'

test_expect_success 'several inputs are concatenated in order' '
	head -n 2 records.jsonl >a.jsonl &&
	tail -n 3 records.jsonl >b.jsonl &&
	ldbundle create -o two.bag --scope request.json a.jsonl b.jsonl &&
	test_cmp records.jsonl two.bag/data/events.jsonl
'

test_expect_success 'no redaction report: the summary says so' '
	test_path=stdin.bag/data/redaction-report.json &&
	! test -e $test_path &&
	test_grep "No redaction report was given: nothing shows that these events were redacted" stdin.bag/data/summary.md
'

test_expect_success '--timeline puts a prepared timeline of the records in the bag as it is' '
	ldtimeline -o timesketch-csv --tz Europe/Berlin records.jsonl >tl.csv 2>/dev/null &&
	test_line_count = 5 tl.csv &&
	ldbundle create -o tl.bag --scope request.json --timeline tl.csv records.jsonl &&
	test_cmp tl.csv tl.bag/data/timeline.csv &&
	ldbundle verify -q tl.bag
'

test_expect_success '--timeline refuses a row of another tenant, or outside the window, naming the line' '
	sed "5s/acme-corp/globex/g" tl.csv >tl-other.csv &&
	test_must_fail --status=2 ldbundle create -o tlx.bag --scope request.json --timeline tl-other.csv records.jsonl 2>err &&
	test_grep "^ldbundle: tl-other.csv: line 5: namespace globex is outside the request.s tenant$" err &&
	test_line_count = 1 err &&
	! test -e tlx.bag &&
	sed "3s/2026-11-16T03:14:00/2026-11-26T03:14:00/" tl.csv >tl-late.csv &&
	! test_cmp tl.csv tl-late.csv &&
	test_must_fail --status=2 ldbundle create -o tlx.bag --scope request.json --timeline tl-late.csv records.jsonl 2>err &&
	test_grep "^ldbundle: tl-late.csv: line 3: time outside the request.s window$" err
'

test_expect_success '--timeline refuses another tenant named only in the event' '
	python3 - <<-\PY &&
	import csv
	rows = list(csv.reader(open("tl.csv", newline="")))
	ev = rows[0].index("ev")
	rows[1][ev] = rows[1][ev].replace("acme-corp/web", "globex/secret")
	csv.writer(open("tl-ev.csv", "w", newline="")).writerows(rows)
	PY
	test_must_fail --status=2 ldbundle create -o tlx.bag --scope request.json --timeline tl-ev.csv records.jsonl 2>err &&
	test_grep "^ldbundle: tl-ev.csv: line 2: project globex/secret is outside the request.s tenant$" err
'

test_expect_success '--timeline refuses a CSV whose rows cannot be read as records' '
	printf "message,datetime,timestamp_desc\r\nx,2026-11-16T00:00:00+00:00,t\r\n" >tl-min.csv &&
	test_must_fail --status=2 ldbundle create -o tlx.bag --scope request.json --timeline tl-min.csv records.jsonl 2>err &&
	test_grep "^ldbundle: tl-min.csv: line 1: no column \"ns\": not a timeline of ld-records" err &&
	{ head -n 2 tl.csv && printf "a,\"b\"c\r\n"; } >tl-bad.csv &&
	test_must_fail --status=2 ldbundle create -o tlx.bag --scope request.json --timeline tl-bad.csv records.jsonl 2>err &&
	test_grep "^ldbundle: tl-bad.csv: line 3: not RFC 4180 CSV$" err &&
	! test -e tlx.bag
'

test_expect_success 'the same input and SOURCE_DATE_EPOCH make the same bag' '
	mv CASE.bag first.bag &&
	make_bag &&
	diff -r first.bag CASE.bag
'

test_expect_success 'an existing output is not overwritten without --force' '
	cp -R CASE.bag saved.bag &&
	test_must_fail --status=2 make_bag 2>err &&
	echo "ldbundle: CASE.bag: already exists (use --force to replace it)" >expect &&
	test_cmp expect err &&
	diff -r saved.bag CASE.bag &&
	head -n 1 records.jsonl >one.jsonl &&
	ldbundle create --force -o CASE.bag --scope request.json one.jsonl &&
	test_cmp one.jsonl CASE.bag/data/events.jsonl &&
	ldbundle verify -q CASE.bag
'

test_expect_success 'plain log lines are parsed as every tool parses them' '
	cat >production_json.log <<-\EOF &&
	{"method":"GET","path":"/acme-corp/web/blob/main/README","controller":"Projects::BlobController","action":"show","status":200,"time":"2026-11-16T03:00:00.125Z","remote_ip":"1.2.3.4","username":"alice","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp","correlation_id":"LOt9hgi1TV4"}

	EOF
	ldbundle create -o plain.bag --scope request.json production_json.log &&
	ldcut -o tsv --no-header -f ts,src,line,fmt,user,event plain.bag/data/events.jsonl >actual &&
	printf "%s\n" "2026-11-16T03:00:00.125Z	production_json.log	1	gitlab.rails	alice	Projects::BlobController#show" >expect &&
	test_cmp expect actual &&
	test_grep "^Record-Count: 1$" plain.bag/bag-info.txt &&
	test "$(wc -l <plain.bag/data/timeline.csv)" = 2 &&
	ldbundle verify -q plain.bag
'

test_expect_success 'a line no format knows is kept as a raw event, off the timeline' '
	{ head -n 1 records.jsonl && echo "{\"ts\":" && echo "[1,2]"; } >odd2.jsonl &&
	ldbundle create -o raw.bag --scope request.json odd2.jsonl &&
	sed -n 2,3p raw.bag/data/events.jsonl >actual &&
	test_grep "\"src\":\"odd2.jsonl\",\"line\":2,.*\"ev\":{\"raw\":\"{\\\\\"ts\\\\\":\"}" actual &&
	test_grep "\"line\":3,.*\"ev\":{\"raw\":\"\[1,2\]\"}" actual &&
	test_grep " 2 events have no time and are not on the chart.$" raw.bag/data/summary.md &&
	test "$(wc -l <raw.bag/data/timeline.csv)" = 2
'

test_expect_success 'a missing or broken request file is trouble' '
	test_must_fail --status=2 ldbundle create -o x.bag --scope nope.json records.jsonl 2>err &&
	echo "ldbundle: nope.json: No such file or directory" >expect &&
	test_cmp expect err &&
	printf "{\"case\":\n" >broken.json &&
	test_must_fail --status=2 ldbundle create -o x.bag --scope broken.json records.jsonl 2>err &&
	test_grep "^ldbundle: broken.json:2: malformed json: " err &&
	echo "{\"tenant\":\"x\"}" >nocase.json &&
	test_must_fail --status=2 ldbundle create -o x.bag --scope nocase.json records.jsonl 2>err &&
	echo "ldbundle: nocase.json: no \"case\" identifier" >expect &&
	test_cmp expect err &&
	! test -e x.bag
'

test_expect_success 'a missing input file is trouble' '
	test_must_fail --status=2 ldbundle create -o x.bag --scope request.json nope.jsonl 2>err &&
	echo "ldbundle: nope.jsonl: No such file or directory" >expect &&
	test_cmp expect err && ! test -e x.bag
'

test_expect_success 'usage errors exit 2' '
	test_must_fail --status=2 ldbundle create --scope request.json 2>err &&
	test_grep "create needs -o BAG" err &&
	test_must_fail --status=2 ldbundle frobnicate 2>err &&
	test_grep "frobnicate: unknown command" err &&
	test_must_fail --status=2 ldbundle create --bogus 2>err &&
	test_must_fail --status=2 ldbundle
'

test_expect_success '--help and --version' '
	ldbundle --help >out && test_grep "ldbundle create" out &&
	ldbundle verify --help >out && test_grep "[-]-ready" out &&
	ldbundle --version >out && test_grep "^ldbundle (logdive) 0.1.0$" out
'

test_expect_success 'SOURCE_DATE_EPOCH that is not a number is trouble' '
	SOURCE_DATE_EPOCH=soon test_must_fail --status=2 ldbundle create -o y.bag --scope request.json records.jsonl 2>err &&
	test_grep "SOURCE_DATE_EPOCH: not a number" err
'

test_done
