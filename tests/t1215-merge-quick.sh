#!/bin/sh
test_description='ldtimeline --merge reads the keys of ld-records from their first bytes: the same bytes as a sort'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/hunt-lib.sh"

test_expect_success 'records of a corpus, sorted once' '
	ldgen -o corpus >/dev/null &&
	(cd corpus && ldgrep archive >../all 2>/dev/null; test $? = 2) &&
	ldtimeline --keep-duplicates all >all.tl &&
	ldtimeline all >one.tl 2>/dev/null &&
	test_line_count -gt 5000 all.tl &&
	test $(wc -l <one.tl) -lt $(wc -l <all.tl)
'

# The duplicates of the corpus (an audit event streamed and logged, the
# same line in two files) lie in different parts here, and in the same
# part, next to lines of their time that are not duplicates.
test_expect_success 'parts cut at random: duplicates dropped as in one sort' '
	for k in 2 5 13; do
		rm -f rr.* &&
		awk -v k=$k "BEGIN { srand(7) } { print > (\"rr.\" int(rand() * k)) }" all.tl &&
		ldtimeline --merge rr.* >merged &&
		test_cmp one.tl merged &&
		ldtimeline --merge --keep-duplicates rr.* >merged &&
		test_cmp all.tl merged || return 1
	done
'

# Records without a time are never duplicates: there is no time to
# anchor them.
test_expect_success 'a part given twice: every timed line a duplicate, each dropped' '
	ldtimeline --stats one.tl one.tl >sorted 2>err1 &&
	ldtimeline --merge --stats one.tl one.tl >merged 2>err2 &&
	test_cmp sorted merged &&
	n=$(grep -c "^{\"ts\":\"" one.tl) && test_grep "duplicates $n\$" err2 &&
	ldtimeline --merge --keep-duplicates one.tl one.tl >merged &&
	test $(wc -l <merged) = $((2 * $(wc -l <one.tl)))
'

test_expect_success 'two events of one time, the second a copy: the copy dropped, whichever is read how' '
	audit 2026-11-14T02:00:00.000Z alice 203.0.113.9 add_ssh_key >a.log &&
	audit 2026-11-14T02:00:00.000Z bob 203.0.113.7 add_ssh_key >b.log &&
	cp a.log "q\"a.log" &&
	ldgrep a.log b.log >ab && ldgrep "q\"a.log" >qa &&
	ldtimeline ab qa >sorted &&
	test_line_count = 2 sorted &&
	ldtimeline --merge ab qa >merged && test_cmp sorted merged &&
	ldtimeline --merge qa ab >merged && test_cmp sorted merged
'

test_expect_success 'lines that are not records go the slow way, in the same order' '
	awk "NR % 3 == 0" all.tl >recs &&
	audit 2026-11-14T02:00:00.000Z carol 203.0.113.5 add_ssh_key >raw.log &&
	audit 2026-11-14T03:00:00.000Z carol 203.0.113.5 add_ssh_key >>raw.log &&
	ldtimeline recs raw.log >sorted &&
	ldtimeline --merge recs raw.log >merged && test_cmp sorted merged
'

test_expect_success 'a record out of order is named, with its source and line' '
	{ sed -n 100p one.tl && sed -n 1p one.tl; } >rev &&
	test_must_fail --status=2 ldtimeline --merge rev >/dev/null 2>err &&
	src=$(sed -n "1s/.*\"src\":\"\([^\"]*\)\",\"line\":\([0-9]*\),.*/\1:\2/p" one.tl) &&
	test_grep "$src: not in time order" err
'

test_done
