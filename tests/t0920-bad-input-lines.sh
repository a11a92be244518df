#!/bin/sh
test_description='bad input: long, deep, wide, broken and hostile lines'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-bad-input.sh"

test_expect_success 'setup' '
	make_good &&
	{
		printf "{\"time\":\"2026-11-16T01:00:00Z\",\"meta.user\":\"before\",\"meta.project\":\"acme-corp/web\"}\n" &&
		head -c 70000000 /dev/zero | tr "\\000" x &&
		printf "\n{\"time\":\"2026-11-16T01:00:01Z\",\"meta.user\":\"after\",\"meta.project\":\"acme-corp/web\"}\n"
	} >long.log
'

for t in ldgrep ldcut ldtimeline ldredact; do
	test_expect_success "$t: a line over 64 MiB is reported with its line, the rest is read" "
		expect_bad $t 'long\\.log:2: line longer than 64 MiB, skipped' long.log &&
		grep -c '\"before\\|\"after' out >n &&
		echo 2 | test_cmp - n
	"
done

test_expect_success 'ldgrep: a line that stops the JIT stack is reported, not skipped' '
	awk "BEGIN { printf \"{\\\"time\\\":\\\"2026-11-16T02:00:00Z\\\",\\\"meta.user\\\":\\\"\"; for (i = 0; i < 30000; i++) printf \"a\"; print \"\\\"}\" }" >deep-re.log &&
	expect_bad ldgrep "deep-re\\.log:1: pattern: .*limit" -e "(a|aa)+\$|good" deep-re.log
'

test_expect_success 'ldgrep: a --field regex error is reported with its line' '
	expect_bad ldgrep "deep-re\\.log:1: --field user: .*limit" -p "user~^(a|aa)+\$|^good" deep-re.log
'

# (ldredact keeps the record: what is nested past 256 levels is replaced
# whole, issue 14.)
test_expect_success 'JSON nested 5000 deep: read, and ldredact keeps it with the deep part replaced' '
	awk "BEGIN { printf \"{\\\"meta.project\\\":\\\"acme-corp/web\\\",\\\"a\\\":\"; for (i = 0; i < 5000; i++) printf \"{\\\"a\\\":\"; printf 1; for (i = 0; i < 5000; i++) printf \"}\"; print \"}\" }" >deep.log &&
	ldgrep --raw deep.log good.log >out &&
	test_line_count = 4 out &&
	run_tool ldredact deep.log good.log &&
	test_line_count = 4 out &&
	test_grep "\"a\":\"\[REDACTED:unanalysable\]\"" out &&
	good_all
'

# A name learned as another tenant's, then written 100,000 times in one
# string with "/-/" after it: each is the start of a path read to the end
# of the string, which cost the string's length squared (minutes for this
# line).  The bytes read are bounded; past the bound the value is replaced
# whole and the record kept (issue 16, quadratic redaction).
test_expect_success 'ldredact: a string that would cost its length squared is replaced whole, the record kept' '
	{
		echo "{\"time\":\"2026-11-16T02:00:00Z\",\"meta.project\":\"acme-corp/web\",\"path\":\"/globex/secret/-/issues\"}" &&
		awk "BEGIN { printf \"{\\\"time\\\":\\\"2026-11-16T02:00:01Z\\\",\\\"meta.project\\\":\\\"acme-corp/web\\\",\\\"message\\\":\\\"\"; for (i = 0; i < 100000; i++) printf \"globex/-/\"; print \"\\\"}\" }" &&
		echo "{\"time\":\"2026-11-16T02:00:02Z\",\"meta.project\":\"acme-corp/web\",\"message\":\"see globex/-/x\"}"
	} >square.log &&
	ldredact -p support -k case.key --tenant acme-corp square.log good.log >out 2>err &&
	test_line_count = 6 out &&
	sed -n 2p out >rec2 &&
	test_grep "\"message\": *\"\[REDACTED:unanalysable\]\"" rec2 &&
	! grep -i globex out &&
	grep -c "\"src\":\"good.log\"" out >n &&
	echo 3 | test_cmp - n
'

test_expect_success 'JSON 100000 members wide: every field still found' '
	awk "BEGIN { printf \"{\\\"time\\\":\\\"2026-11-16T02:00:00Z\\\"\"; for (i = 0; i < 100000; i++) printf \",\\\"k%d\\\":%d\", i, i; print \",\\\"meta.user\\\":\\\"wide\\\"}\" }" >wide.log &&
	ldcut -f user,k99999 wide.log good.log >out &&
	head -n 1 out >got &&
	echo "{\"user\":\"wide\",\"k99999\":99999}" | test_cmp - got &&
	good_all
'

# Invalid bytes are repaired (U+FFFD, "utf8":"repaired"), then the line is
# redacted and kept like any other (issue 13: never drop what was repaired).
test_expect_success 'invalid UTF-8: ldredact repairs the line, redacts and keeps it' '
	printf "{\"time\":\"2026-11-16T02:00:00Z\",\"meta.user\":\"x\\377y\",\"meta.project\":\"acme-corp/web\"}\n" >utf.log &&
	run_tool ldredact utf.log good.log &&
	test_grep -v "dropped" err &&
	grep "\"src\":\"utf.log\"" out >kept &&
	test_line_count = 1 kept &&
	test_grep "\"utf8\":\"repaired\"" kept &&
	good_all
'

test_expect_success 'NUL bytes inside a line do not cut it' '
	printf "{\"time\":\"2026-11-16T02:00:00Z\",\"meta.user\":\"n\\000ul\"}\n" >nul.log &&
	ldgrep --raw nul.log good.log >out &&
	head -n 1 out | cmp - nul.log &&
	good_all
'

test_expect_success 'a key given twice: the last one counts for every tool' '
	printf "{\"time\":\"2026-11-16T02:00:00Z\",\"status\":\"first\",\"meta.user\":\"dup\",\"status\":\"last\"}\n" >dup.log &&
	ldcut -f status dup.log >out &&
	echo "{\"status\":\"last\"}" | test_cmp - out &&
	ldgrep -c -p status=last dup.log >out &&
	echo 1 | test_cmp - out &&
	ldgrep -c -p status=first dup.log >out
	echo 0 | test_cmp - out
'

test_expect_success 'an ld-record with ev twice keeps its last event' '
	printf "{\"ts\":\"2026-11-16T02:00:00Z\",\"src\":\"a.log\",\"line\":1,\"fmt\":\"json\",\"ev\":{\"x\":1},\"ev\":{\"time\":\"2026-11-16T02:00:00Z\",\"status\":\"E2\"}}\n" >ev2.jsonl &&
	ldcut -f status ev2.jsonl >out &&
	echo "{\"status\":\"E2\"}" | test_cmp - out &&
	ldgrep -c -p status=E2 ev2.jsonl >out &&
	echo 1 | test_cmp - out
'

test_expect_success 'times past the range are malformed, never wrapped into a window' '
	for t in 2300-01-01T00:00:00Z 1442-06-01T00:00:00Z 9999999999999999999 99999999999999; do
		printf "{\"time\":\"%s\",\"meta.user\":\"edge\"}\n" $t
	done >edge.log &&
	ldgrep --since 1700-01-01 --until 2261-12-31 --stats edge.log good.log >out 2>err &&
	good_all &&
	! grep edge out &&
	test_grep "edge\\.log	4	0	4	0	4	0	0" err
'

test_expect_success 'the last second of the range is a time' '
	printf "{\"time\":\"2261-12-31T23:59:59.999999999Z\",\"meta.user\":\"last\"}\n" >last.log &&
	ldcut -f ts,user last.log >out &&
	echo "{\"ts\":\"2261-12-31T23:59:59.999999999Z\",\"user\":\"last\"}" | test_cmp - out
'

test_expect_success 'setup: a text format whose pattern backtracks without end' '
	cat >slow.json <<-\EOF &&
	{
	  "name": "test.slow",
	  "description": "a pattern that backtracks without end on a line of a.s",
	  "type": "regex",
	  "files": ["*slow.log*"],
	  "pattern": "^(?<msg>(a+)+)$",
	  "time": {"fields": ["msg"], "parse": "rfc3339"},
	  "fields": {}
	}
	EOF
	printf "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n" >x-slow.log
'

for t in ldgrep ldcut ldtimeline ldredact; do
	test_expect_success "$t: a PCRE2 limit in a format's pattern is said, not counted malformed" "
		expect_bad $t 'x-slow\\.log:1: format test\\.slow: its pattern could not be run: .*limit' \
		    --format-file slow.json x-slow.log &&
		test_must_fail grep -i 'malformed\\|no format could parse' err
	"
done

test_expect_success 'ldgrep --stats: the line is unreadable, not malformed' '
	test_status 2 ldgrep --stats --format-file slow.json x-slow.log good.log >out 2>err &&
	good_all &&
	test_grep "stats: x-slow\\.log	1	0	1	0	0	0	1$" err
'

test_expect_success 'ldindex: a line of unknown format is not indexed, so never skipped' '
	test_status 2 ldindex -o idx --format-file slow.json x-slow.log 2>err &&
	test_grep "^ldindex: x-slow\\.log:1: format test\\.slow: its pattern could not be run" err &&
	test_must_fail test -e idx/x-slow.log.ldx
'

test_done
