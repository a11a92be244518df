#!/bin/sh
test_description='ldtimeline: Timesketch, plaso and text outputs, time zones'
. "$(dirname "$0")/test-lib.sh"

mkdir logs &&
awk -v dir=logs -v n=1500 -v seed=11 -f "$TEST_DIRECTORY/timeline-gen.awk" || exit 1
read lines dups <logs/counts.txt
rm logs/counts.txt
printf "%s\n" "not a log line" >>logs/production_json.log
cat >sub.log <<\EOF_
{"time":"2026-11-16T02:13:12.123456789Z","message":"nine digits, \"quoted\", comma"}
{"time":"2026-11-16T02:13:12Z","message":"no fraction"}
EOF_
events=$((lines - dups))

have_python() { command -v python3 >/dev/null; }

test_expect_success 'Timesketch JSONL: every line has the required fields, datetime and timestamp agree' '
	have_python || { echo "# no python3"; exit 0; }
	ldtimeline -o timesketch logs sub.log >ts.jsonl 2>err &&
	python3 "$TEST_DIRECTORY/timesketch-check.py" jsonl ts.jsonl >n &&
	echo $((events + 2)) >expect && test_cmp expect n &&
	test_grep "1 events without a time left out: timesketch" err
'

test_expect_success 'Timesketch CSV: the same, in every row' '
	have_python || { echo "# no python3"; exit 0; }
	ldtimeline -o timesketch-csv logs sub.log >ts.csv &&
	python3 "$TEST_DIRECTORY/timesketch-check.py" csv ts.csv >n &&
	echo $((events + 2)) >expect && test_cmp expect n
'

test_expect_success 'Timesketch outputs hold under another zone too' '
	have_python || { echo "# no python3"; exit 0; }
	ldtimeline -o timesketch --tz -05:30 logs >tz.jsonl &&
	python3 "$TEST_DIRECTORY/timesketch-check.py" jsonl tz.jsonl >/dev/null &&
	test_grep "\"datetime\":\"2026-11-[0-9T:.]*-05:30\"" tz.jsonl &&
	if ldtimeline -o timesketch-csv --tz Europe/Berlin logs >berlin.csv 2>/dev/null
	then
		python3 "$TEST_DIRECTORY/timesketch-check.py" csv berlin.csv >/dev/null &&
		test_grep "+01:00," berlin.csv
	fi
'

test_expect_success 'sub-second precision is kept in every format' '
	for f in records timesketch timesketch-csv dynamic l2tcsv text; do
		ldtimeline -o $f sub.log >out.$f 2>/dev/null &&
		grep -q "02:13:12.123456789" out.$f || { echo "lost in $f"; exit 1; }
	done
'

test_expect_success 'Timesketch JSONL line for a known event' '
	ldtimeline -o timesketch sub.log | sed -n 2p >actual &&
	cat >expect <<-\EOF_ &&
	{"message":"nine digits, \"quoted\", comma","datetime":"2026-11-16T02:13:12.123456789+00:00","timestamp":1794795192123456,"timestamp_desc":"Event Time","src":"sub.log","line":1,"fmt":"json","ev":"{\"time\":\"2026-11-16T02:13:12.123456789Z\",\"message\":\"nine digits, \\\"quoted\\\", comma\"}"}
	EOF_
	test_cmp expect actual
'

test_expect_success 'plaso dynamic CSV: header and columns' '
	ldtimeline -o dynamic sub.log >actual &&
	printf "%s\r\n" "datetime,timestamp_desc,source,source_long,message,parser,display_name,tag" \
		"2026-11-16T02:13:12+00:00,Event Time,LOG,json log,no fraction,json,sub.log:2,-" >expect &&
	sed -n "1p;2p" actual >got &&
	test_cmp expect got
'

test_expect_success 'l2tcsv: header, 17 columns, MM/DD/YYYY, version 2, the zone' '
	ldtimeline -o l2tcsv --tz +02:00 sub.log >actual &&
	head -n 1 actual | tr -d "\r" >h &&
	echo "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,version,filename,inode,notes,format,extra" >expect &&
	test_cmp expect h &&
	sed -n 2p actual | tr -d "\r" >row &&
	echo "11/16/2026,04:13:12,+02:00,....,LOG,json log,Event Time,-,-,-,no fraction,2,sub.log,-,-,json,datetime: 2026-11-16T04:13:12+02:00; line: 2" >expect &&
	test_cmp expect row
'

test_expect_success '--tz applies to ld-records as well' '
	ldtimeline --tz +01:00 sub.log | sed "s/^{\"ts\":\"\([^\"]*\)\".*/\1/" >actual &&
	printf "2026-11-16T03:13:12+01:00\n2026-11-16T03:13:12.123456789+01:00\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'bad --tz and --output are refused' '
	test_must_fail --status=2 ldtimeline --tz Mars/Olympus sub.log 2>err &&
	test_grep "no such time zone" err &&
	test_must_fail --status=2 ldtimeline --tz +25:00 sub.log &&
	test_must_fail --status=2 ldtimeline -o xml sub.log
'

test_expect_success 'text view: one line per event, no colour off a terminal' '
	ldtimeline --text sub.log >actual &&
	test_line_count = 2 actual &&
	! grep -q "$(printf "\033")" actual &&
	ldtimeline --text --color always sub.log >colour &&
	grep -q "$(printf "\033")\\[" colour
'

test_expect_success 'text view keeps records without a time, at the end' '
	ldtimeline --text logs/production_json.log | tail -n 1 >last &&
	test_grep "^-  *-  *not a log line" last
'

test_done
