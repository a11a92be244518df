#!/bin/sh
test_description='ldtimeline: histogram, SVG and slices'
. "$(dirname "$0")/test-lib.sh"

cat >app.log <<\EOF_
{"time":"2026-11-16T02:00:00.5Z","message":"a","event_name":"login"}
{"time":"2026-11-16T02:59:59Z","message":"b"}
{"time":"2026-11-16T05:10:00Z","message":"c"}
{"time":"2026-11-16T05:11:00Z","message":"d"}
{"time":"2026-11-16T05:20:00Z","message":"e"}
not a log line
EOF_

test_expect_success '--histogram hour: buckets, empty hours summarised, untimed counted' '
	ldtimeline --histogram hour --split none app.log >actual &&
	cat >expect <<-\EOF_ &&
	events per hour (UTC): 5
	  # events (5)
	2026-11-16 02:00 |########################################                     2
	                   … 2 empty hours
	2026-11-16 05:00 |############################################################ 3
	(1 events without a time are not shown)
	EOF_
	test_cmp expect actual
'

test_expect_success '--histogram day in another zone moves events across midnight' '
	ldtimeline --histogram day --split none --tz -03:00 app.log >actual &&
	test_grep "^2026-11-15  *|#*  *2\$" actual &&
	test_grep "^2026-11-16  *|#*  *3\$" actual
'

test_expect_success '--svg writes a well-formed SVG, with events still on stdout' '
	ldtimeline --svg chart.svg --split format app.log >out &&
	test_line_count = 6 out &&
	test_grep "^<svg xmlns=\"http://www.w3.org/2000/svg\"" chart.svg &&
	if command -v xmllint >/dev/null; then xmllint --noout chart.svg; fi &&
	test_grep "<title>2026-11-16 05:00 json: 3</title>" chart.svg
'

test_expect_success '--slice keeps the events around a moment' '
	ldtimeline --stats --slice 2026-11-16T05:11:00Z --slice-size 2m app.log >out 2>err &&
	ldcut -o tsv --no-header -f line out >actual &&
	printf "3\n4\n" >expect &&
	test_cmp expect actual &&
	test_grep "stats: outside-slice 4" err
'

test_expect_success 'bad histogram and slice arguments are refused' '
	test_must_fail --status=2 ldtimeline --histogram week app.log &&
	test_must_fail --status=2 ldtimeline --slice yesterday app.log &&
	test_must_fail --status=2 ldtimeline --slice 2026-11-16 --slice-size 5 app.log
'

test_done
