#!/bin/sh
test_description='ldhunt: records annotated in time order, exit status, scope, summary, bounded memory'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/hunt-lib.sh"

T=2026-11-14T02
# Two files, each in its own order, that interleave in time: the failed
# sign-ins are in one, the sign-in from the new address in the other.
audit $T:12:55.402Z alice 2001:db8:4711::66 user_signed_in_from_unseen_ip >b.log
audit $T:15:03.790Z alice 2001:db8:4711::66 user_disable_two_factor >>b.log
audit $T:10:01.120Z alice 203.0.113.99 login_failed_with_standard_authentication >a.log
audit $T:10:19.404Z Alice 203.0.113.99 login_failed_with_standard_authentication >>a.log
audit $T:10:41.009Z alice 203.0.113.99 login_failed_with_standard_authentication >>a.log
audit $T:00:00.000Z bob 192.0.2.1 repository_download_operation >>a.log

test_expect_success 'records that fired, in time order, hunt before ev' '
	ldhunt b.log a.log >out &&
	sed "s/\"src\":\"[ab].log\",//" out | cut -c1-40 >got &&
	cat >expect <<-\EOT &&
	{"ts":"2026-11-14T02:10:41.009Z","line":
	{"ts":"2026-11-14T02:12:55.402Z","line":
	{"ts":"2026-11-14T02:15:03.790Z","line":
	EOT
	test_cmp expect got &&
	! grep -v "\"hunt\":\[{\"id\":\"[^\"]*\",\"title\":\"[^\"]*\",\"level\":\"[a-z]*\",\"tags\":\[\"attack\.[^]]*\]" out &&
	! grep -v ",\"hunt\":\[.*\],\"ev\":{\"severity\"" out
'
test_expect_success 'ldhunt on its own output replaces the findings' '
	ldhunt --level high out >again &&
	test_line_count = 2 again &&
	test $(grep -o "\"hunt\":" again | wc -l) = 2 &&
	! grep "\"level\":\"low\"" again
'
test_expect_success 'the same bytes whatever the order of the inputs and -j' '
	ldhunt a.log b.log >out2 && test_cmp out out2 &&
	ldhunt -j 2 b.log a.log >out3 && test_cmp out out3
'
test_expect_success 'ld-records in give the same findings as the logs' '
	ldgrep a.log b.log >records &&
	ldhunt records >out4 &&
	sed "s/\"line\":[0-9]*,//" out >x && sed "s/\"line\":[0-9]*,//" out4 >y &&
	test_cmp x y
'
test_expect_success 'the output is ld-records the other tools read' '
	ldcut -o tsv --no-header -f ts,event out >cut &&
	printf "%s\t%s\n" 2026-11-14T02:10:41.009Z login_failed_with_standard_authentication \
		2026-11-14T02:12:55.402Z user_signed_in_from_unseen_ip \
		2026-11-14T02:15:03.790Z user_disable_two_factor >expect &&
	test_cmp expect cut
'
test_expect_success 'exit status: 0 fired, 1 nothing, 2 trouble' '
	ldhunt -q a.log b.log >q && ! test -s q &&
	audit $T:00:00.000Z bob 192.0.2.1 repository_download_operation >quiet.log &&
	test_must_fail ldhunt quiet.log >out6 && ! test -s out6 &&
	{ ldhunt quiet.log; echo $? >st; } && echo 1 >expect && test_cmp expect st &&
	{ ldhunt a.log missing.log >/dev/null 2>err; echo $? >st; } &&
	echo 2 >expect && test_cmp expect st && test_grep "missing.log" err
'
test_expect_success '--level keeps the rules at or above it' '
	ldhunt --level high a.log b.log >high &&
	! grep "\"level\":\"\(low\|medium\|informational\)\"" high &&
	test_grep "\"level\":\"high\"" high &&
	test_must_fail ldhunt --level critical a.log b.log &&
	test_must_fail ldhunt --level severe a.log 2>err && test_grep "severe" err
'
test_expect_success 'scope flags narrow what the rules see' '
	test_must_fail ldhunt --user bob a.log b.log >none &&
	! test -s none &&
	ldhunt --user alice --since 2026-11-14 a.log b.log >alice &&
	test_cmp out alice
'
test_expect_success '--summary: the findings, highest level first, with their times' '
	ldhunt --summary a.log b.log >sum &&
	head -n 1 sum >h && printf "level\tfired\tfirst\tlast\tid\ttitle\n" >expect && test_cmp expect h &&
	sed -n 2p sum | grep -q "^high	1	2026-11-14T02:12:55.402Z	2026-11-14T02:12:55.402Z	93bd24d8-" &&
	test_grep "^medium	1	2026-11-14T02:10:41.009Z	.*brute-force" sum &&
	awk -F "\t" "NR > 1 { print \$1 }" sum | uniq >levels &&
	printf "high\nmedium\nlow\ninformational\n" >expect && test_cmp expect levels
'
test_expect_success '--stats: counts and findings on standard error' '
	ldhunt --stats a.log b.log >/dev/null 2>err &&
	test_grep "^ldhunt: stats: lines read 6, " err &&
	test_grep "^ldhunt: stats: records in scope 6, selected by a detection 6, annotated 3," err &&
	test_grep "^ldhunt: finding: high	" err
'
test_expect_success 'correlation memory follows open groups, not the input' '
	awk "BEGIN { for (i = 0; i < 20000; i++) {
		t = sprintf(\"2026-11-%02dT%02d:%02d:00.000Z\", 1 + int(i / 1440), int(i / 60) % 24, i % 60);
		printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"%s\\\",\\\"author_id\\\":%d,\\\"author_name\\\":\\\"u%d\\\",\\\"entity_type\\\":\\\"User\\\",\\\"ip_address\\\":\\\"192.0.2.1\\\",\\\"event_name\\\":\\\"login_failed_with_standard_authentication\\\"}\n\", t, i, i } }" >many.log &&
	test_must_fail ldhunt --stats many.log >/dev/null 2>err &&
	sed -n "s/.*correlation groups at most \([0-9]*\),.*/\1/p" err >g &&
	test $(cat g) -le 200 && test $(cat g) -ge 10
'
test_expect_success 'spilling past a small --memory gives the same bytes' '
	awk "BEGIN { for (i = 0; i < 6000; i++)
		printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-14T%02d:%02d:%02d.000Z\\\",\\\"author_id\\\":1,\\\"author_name\\\":\\\"root\\\",\\\"entity_type\\\":\\\"User\\\",\\\"ip_address\\\":\\\"10.0.0.1\\\",\\\"event_name\\\":\\\"user_impersonation\\\",\\\"custom_message\\\":\\\"%0400d\\\"}\n\", (6000 - i) / 3600, ((6000 - i) / 60) % 60, (6000 - i) % 60, i }" >imp.log &&
	ldhunt --memory 16M --stats imp.log >big 2>err1 &&
	ldhunt --memory 1M --stats imp.log >small 2>err2 &&
	test_grep "spilled 0 bytes" err1 && ! test_grep "spilled 0 bytes" err2 &&
	test_cmp big small && test_line_count = 6000 small
'

# Correlation groups are held within four times --memory: past it, the
# rule holding the most is dropped, said with its file, line and time, and
# the run exits 2; the other rules go on to the end.
test_expect_success 'correlation groups past four times --memory: the rule is named, exit 2, the others go on' '
	cat >lim.yml <<-\EOF &&
	title: every login failure
	id: fail
	level: low
	logsource:
	  product: gitlab
	detection:
	  s:
	    event: login_failed_with_standard_authentication
	  condition: s
	---
	title: many failures of one user
	id: many-failures
	level: high
	correlation:
	  type: event_count
	  rules: [fail]
	  group-by: [user]
	  timespan: 30d
	  condition: {gte: 1000}
	  generate: true
	EOF
	awk "BEGIN { for (i = 0; i < 4000; i++)
		printf \"{\\\"severity\\\":\\\"INFO\\\",\\\"time\\\":\\\"2026-11-14T%02d:%02d:%02d.000Z\\\",\\\"author_id\\\":%d,\\\"author_name\\\":\\\"user%05d\\\",\\\"entity_type\\\":\\\"User\\\",\\\"ip_address\\\":\\\"192.0.2.1\\\",\\\"event_name\\\":\\\"login_failed_with_standard_authentication\\\"}\n\", i / 3600, (i / 60) % 60, i % 60, i, i }" >lim.log &&
	ldhunt -r lim.yml --stats lim.log >whole 2>err0 &&
	test_grep "correlation groups at most 4000," err0 &&
	test_line_count = 4000 whole &&
	{ ldhunt -r lim.yml --memory 64K lim.log >part 2>err; test $? = 2; } &&
	test_grep "^ldhunt: lim.yml:[0-9]*: rule many-failures: correlation groups past the limit of 256 KiB (--memory 64 KiB, times 4) at 2026-11-14T00:[0-9:.]*Z, [0-9]* groups open within its timespan; the rule is not run from then on" err &&
	test $(grep -c "rule many-failures" err) = 1 &&
	test_cmp whole part
'

test_done
