#!/bin/sh
test_description='ldtimeline: one time order from many sources, duplicates, memory bound'
. "$(dirname "$0")/test-lib.sh"

mkdir logs &&
awk -v dir=logs -v n=6000 -v seed=7 -f "$TEST_DIRECTORY/timeline-gen.awk" || exit 1
read lines dups <logs/counts.txt
rm logs/counts.txt

order() {
	ldcut -o tsv --no-header -f ts,src,line "$1" |
	awk -f "$TEST_DIRECTORY/timeline-order.awk"
}

test_expect_success 'every source merged into one verified order' '
	ldtimeline --stats logs >timeline 2>err &&
	order timeline &&
	test_line_count = $((lines - dups)) timeline
'

test_expect_success 'count is input minus reported duplicates' '
	test_grep "stats: read $lines\$" err &&
	test_grep "stats: duplicates $dups\$" err &&
	test_grep "stats: written $((lines - dups))\$" err
'

test_expect_success 'the same event in two rotated files is kept once, first in order' '
	grep -h "\"seq\":" logs/rotated.log.1 | head -n 1 >one &&
	seq=$(sed "s/.*\"seq\":\([0-9]*\)}.*/\1/" one) &&
	grep -c "\"seq\":$seq}" timeline >n &&
	echo 1 >expect && test_cmp expect n &&
	grep "\"seq\":$seq}" timeline | grep -q "\"src\":\"logs/production_json.log\""
'

test_expect_success 'a streamed audit event and its audit_json.log copy are one event' '
	id=$(sed -n "1s/.*\"id\":\([0-9]*\),.*/\1/p" logs/audit_json.log) &&
	ldcut -o tsv --no-header -f src,ev.id timeline >ids &&
	grep -c "	$id\$" ids >n &&
	echo 1 >expect && test_cmp expect n &&
	grep "	$id\$" ids | grep -q audit_events.log
'

test_expect_success '--keep-duplicates keeps them' '
	ldtimeline --keep-duplicates logs >all &&
	test_line_count = $lines all &&
	order all
'

test_expect_success 'spilling past a small --memory gives the same bytes' '
	ldtimeline --memory 1M --stats logs >small 2>err &&
	test_grep "stats: runs [1-9]" err &&
	test_cmp timeline small
'

test_expect_success 'output does not depend on the order of the inputs' '
	ldtimeline logs/rotated.log.1 logs/gitlab_access.log logs/audit_json.log \
		logs/production_json.log logs/audit_events.log >permuted &&
	test_cmp timeline permuted
'

test_expect_success 'ties are broken by source, then line' '
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"message\":\"b1\"}" \
		"{\"time\":\"2026-01-01T00:00:00Z\",\"message\":\"b2\"}" >b.log &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"message\":\"a1\"}" >a.log &&
	ldtimeline b.log a.log | ldcut -o tsv --no-header -f src,line >actual &&
	printf "a.log\t1\nb.log\t1\nb.log\t2\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'records without a time go last, counted, never dropped' '
	printf "%s\n" "garbage" "{\"time\":\"2026-01-01T00:00:00Z\",\"message\":\"x\"}" "garbage" >u.log &&
	ldtimeline --stats u.log u.log >actual 2>err &&
	ldcut -o tsv --no-header -f ts,line actual >got &&
	printf "2026-01-01T00:00:00Z\t2\n\t1\n\t1\n\t3\n\t3\n" >expect &&
	test_cmp expect got &&
	test_grep "stats: malformed 4" err &&
	test_grep "stats: duplicates 1" err
'

test_expect_success '--merge merges sorted partial results without spilling' '
	ldtimeline logs/production_json.log logs/rotated.log.1 >part1 &&
	ldtimeline logs/audit_events.log logs/audit_json.log logs/gitlab_access.log >part2 &&
	ldtimeline --merge --stats part1 part2 >merged 2>err &&
	test_grep "stats: runs 0" err &&
	test_cmp timeline merged
'

test_expect_success '--merge reports inputs out of order' '
	test_must_fail --status=2 ldtimeline --merge logs/production_json.log >/dev/null 2>err &&
	test_grep "production_json.log:[0-9]*: not in time order" err
'

test_expect_success 'archives and compressed inputs are read' '
	command -v zstd >/dev/null || { echo "# no zstd"; exit 0; }
	tar -cf - logs | zstd -q >logs.tar.zst &&
	ldtimeline logs.tar.zst | ldcut -o tsv --no-header -f ts,user,event >a &&
	ldcut -o tsv --no-header -f ts,user,event timeline >b &&
	test_cmp b a
'

test_expect_success 'exit status: 1 when empty, 2 on a missing input' '
	: >empty.log &&
	test_status 1 ldtimeline empty.log &&
	test_must_fail --status=2 ldtimeline logs no-such-file >out 2>err &&
	test_grep "ldtimeline: no-such-file" err &&
	test_line_count = $((lines - dups)) out
'

test_done
