#!/bin/sh
test_description='ldtimeline: every source of a generated corpus in one timeline'
. "$(dirname "$0")/test-lib.sh"

# lines FILE — the lines of a source counted with stock tools, so the
# count does not rest on the library's own reading.
lines() {
	case $1 in
	*.tar.zst) zstd -dcq "$1" | tar -xOf - ;;
	*.gz) gzip -dc "$1" ;;
	*.zst) zstd -dcq "$1" ;;
	*) cat "$1" ;;
	esac | wc -l
}

test_expect_success 'setup: a corpus of many sources over two weeks' '
	ldgen -o corpus >/dev/null &&
	find corpus/archive -type f | sort >all &&
	test_line_count -ge 90 all &&
	grep -v "/web-03.tar.zst$" all >whole &&
	test "$(grep -c "/web-03.tar.zst$" all)" = 1
'

test_expect_success 'every line of the undamaged sources is read' '
	n=0 &&
	while read -r f; do n=$((n + $(lines "$f"))); done <whole &&
	ldtimeline --stats $(cat whole) >whole.jsonl 2>err &&
	test_grep "^ldtimeline: stats: read $n$" err &&
	test_grep "^ldtimeline: stats: unreadable 0$" err
'

test_expect_success 'merging all sources: the damage is reported, the rest written' '
	test_must_fail --status=2 ldtimeline --stats corpus/archive >tl.jsonl 2>err &&
	test_grep "^ldtimeline: corpus/archive/2026-11-16/web-03.tar.zst!.*truncated" err &&
	test_grep "^ldtimeline: stats: unreadable 1$" err &&
	read=$(sed -n "s/^ldtimeline: stats: read //p" err) &&
	dups=$(sed -n "s/^ldtimeline: stats: duplicates //p" err) &&
	test "$read" -gt "$(wc -l <whole.jsonl)" &&
	test "$dups" -gt 0 &&
	test "$(wc -l <tl.jsonl)" -eq $((read - dups))
'

test_expect_success 'the stream is in timeline order: time, then source, then line' '
	ldcut -o tsv --no-header -f ts,src,line tl.jsonl >tsl &&
	awk -f "$TEST_DIRECTORY/timeline-order.awk" tsl &&
	cut -f1 tsl | grep -c . >timed &&
	test "$(cat timed)" -gt 11000
'

test_expect_success 'every source of the corpus is in the timeline' '
	ldcut -o tsv --no-header -f src tl.jsonl | sed "s/!.*//" | sort -u >actual &&
	sort all >expect &&
	test_cmp expect actual
'

test_expect_success 'the same events with --keep-duplicates: exactly the duplicates more' '
	test_must_fail --status=2 ldtimeline --keep-duplicates corpus/archive \
		>keep.jsonl 2>/dev/null &&
	test "$(wc -l <keep.jsonl)" -eq $(( $(wc -l <tl.jsonl) + $(sed -n "s/^ldtimeline: stats: duplicates //p" err) ))
'

test_expect_success 'Timesketch JSONL and CSV: required fields valid on every line' '
	test_must_fail --status=2 ldtimeline -o timesketch corpus/archive \
		>ts.jsonl 2>ts.err &&
	python3 "$TEST_DIRECTORY/timesketch-check.py" jsonl ts.jsonl >n &&
	untimed=$(($(wc -l <tl.jsonl) - $(cat timed))) &&
	test "$(cat n)" -eq "$(cat timed)" &&
	if test $untimed -gt 0; then
		test_grep "$untimed events without a time left out" ts.err
	fi &&
	test_must_fail --status=2 ldtimeline -o timesketch-csv corpus/archive \
		>ts.csv 2>/dev/null &&
	python3 "$TEST_DIRECTORY/timesketch-check.py" csv ts.csv >n &&
	test "$(cat n)" -eq "$(cat timed)"
'

test_done
