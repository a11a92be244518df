#!/bin/sh
test_description='ldcut: fields to JSONL, CSV and TSV'
. "$(dirname "$0")/test-lib.sh"

cat >production_json.log <<\EOF_
{"method":"GET","controller":"Projects::BlobController","action":"show","status":200,"time":"2026-11-16T02:13:12.250Z","remote_ip":"1.2.3.4","user_id":42,"username":"alice","correlation_id":"LOt9hgi1TV4","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp","duration_s":0.12345678901234567,"ua":"Mozilla/5.0 (X11, \"quoted\")"}
not a log line, but kept
EOF_
cat >audit_events.log <<\EOF_
{"id":"1","author_id":-3,"entity_id":29,"entity_type":"Project","details":{"author_name":"deploy-key","custom_message":{"protocol":"ssh","action":"git-upload-pack"}},"ip_address":"127.0.0.1","author_name":"deploy-key","entity_path":"example-group/example-project","created_at":"2022-07-26T05:43:53.662Z","event_type":"repository_git_operation"}
EOF_

test_expect_success 'canonical fields and provenance as JSONL' '
	ldcut -f ts,user,ip,event,src,line,fmt production_json.log >actual &&
	cat >expect <<-\EOF_ &&
	{"ts":"2026-11-16T02:13:12.250Z","user":"alice","ip":"1.2.3.4","event":"Projects::BlobController#show","src":"production_json.log","line":1,"fmt":"gitlab.rails"}
	{"ts":null,"user":null,"ip":null,"event":null,"src":"production_json.log","line":2,"fmt":null}
	EOF_
	test_cmp expect actual
'

test_expect_success 'JSON paths: dotted keys, nested paths, exact numbers' '
	ldcut -f meta.user,duration_s,status,details.custom_message,details.custom_message.protocol,ev.user_id \
		production_json.log audit_events.log >actual &&
	cat >expect <<-\EOF_ &&
	{"meta.user":"alice","duration_s":0.12345678901234567,"status":200,"details.custom_message":null,"details.custom_message.protocol":null,"ev.user_id":42}
	{"meta.user":null,"duration_s":null,"status":null,"details.custom_message":null,"details.custom_message.protocol":null,"ev.user_id":null}
	{"meta.user":null,"duration_s":null,"status":null,"details.custom_message":{"protocol":"ssh","action":"git-upload-pack"},"details.custom_message.protocol":"ssh","ev.user_id":null}
	EOF_
	test_cmp expect actual
'

test_expect_success 'CSV is RFC 4180: header, quoting, CRLF, nothing replaced' '
	ldcut -o csv -f user,ua,details.custom_message production_json.log audit_events.log >actual &&
	printf "%s\r\n" "user,ua,details.custom_message" \
		"alice,\"Mozilla/5.0 (X11, \"\"quoted\"\")\"," ",," \
		"deploy-key,,\"{\"\"protocol\"\":\"\"ssh\"\",\"\"action\"\":\"\"git-upload-pack\"\"}\"" >expect &&
	test_cmp expect actual
'

test_expect_success 'CSV reads back to the same values' '
	command -v python3 >/dev/null || { echo "# no python3"; exit 0; }
	ldcut -o csv -f ua production_json.log >out.csv &&
	python3 -c "import csv,sys; r=list(csv.reader(open(\"out.csv\",newline=\"\"))); sys.exit(r[1][0] != \"Mozilla/5.0 (X11, \\\"quoted\\\")\")"
'

test_expect_success 'TSV escapes tabs and newlines; --no-header' '
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"message\":\"a\\tb\\nc\"}" >app.log &&
	ldcut -o tsv --no-header -f message,line app.log >actual &&
	printf "a\\\\tb\\\\nc\t1\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--missing fills absent fields' '
	ldcut -o csv --no-header --missing - -f user,cid audit_events.log >actual &&
	printf "deploy-key,-\r\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--tz writes ts in the zone' '
	ldcut -f ts --tz +02:00 production_json.log | head -n 1 >actual &&
	echo "{\"ts\":\"2026-11-16T04:13:12.250+02:00\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'ld-records keep their provenance' '
	ldtimeline production_json.log | ldcut -o tsv --no-header -f src,line,user >actual &&
	printf "production_json.log\t1\talice\nproduction_json.log\t2\t\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'exit status: 1 on no input, 2 on trouble and misuse' '
	: >empty.log &&
	test_status 1 ldcut -f ts empty.log &&
	test_must_fail --status=2 ldcut -f ts no-such-file 2>err &&
	test_grep "ldcut: no-such-file" err &&
	test_must_fail --status=2 ldcut production_json.log 2>err &&
	test_grep "no fields given" err &&
	test_must_fail --status=2 ldcut -f ts -o xml production_json.log
'

test_expect_success '--stats accounts for every line' '
	ldcut --stats -f ts production_json.log >/dev/null 2>err &&
	test_grep "read 2, malformed 1, badtime 0, unreadable 0, written 2" err
'

test_done
