#!/bin/sh
test_description='--shard I/N and ldtimeline --merge: the bytes of one run'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'generate a corpus' '
	ldgen -o corpus >/dev/null &&
	(cd corpus && test_status 2 ldgrep --ns acme-corp archive >../full 2>/dev/null) &&
	test_status 0 ldtimeline <full >full.tl 2>/dev/null && test -s full.tl
'

for n in 1 2 3 7 64; do
	test_expect_success "$n shards: concatenated, the output of one run" '
		rm -f part.* tl.* &&
		i=1 && while [ $i -le '$n' ]; do
			(cd corpus && ldgrep --shard $i/'$n' --ns acme-corp archive \
			    >../part.$i 2>/dev/null)
			ldtimeline <part.$i >tl.$i 2>/dev/null
			i=$((i + 1))
		done &&
		i=1 && : >cat && while [ $i -le '$n' ]; do
			cat part.$i >>cat && i=$((i + 1)); done &&
		test_cmp full cat &&
		ldtimeline --merge tl.* >merged &&
		test_cmp full.tl merged
	'
done

test_expect_success 'every source in exactly one shard' '
	(cd corpus && ldgrep -c --ns nobody archive 2>/dev/null) | sort >all &&
	: >union && for i in 1 2 3 4 5; do
		(cd corpus && ldgrep -c --shard $i/5 --ns nobody archive 2>/dev/null) \
		    >>union
		test $? -le 2 || return 1
	done &&
	sort union >union.sorted && test_cmp all union.sorted
'

test_expect_success 'shards are balanced by size within one source' '
	for i in 1 2 3 4; do
		(cd corpus && ldindex --shard $i/4 -o ../sh$i archive 2>/dev/null)
		(cd sh$i && find . -name "*.ldx" | sed "s/\.ldx\$//") >list.$i
	done &&
	for i in 1 2 3 4; do
		(cd corpus && xargs cat <../list.$i | wc -c)
	done >sizes &&
	total=$(awk "{ s += \$1 } END { print s }" sizes) &&
	big=$(cd corpus && find archive -type f -exec wc -c {} + |
	    awk "\$2 != \"total\" && \$1 > m { m = \$1 } END { print m }") &&
	awk -v t=$total -v b=$big "{ d = \$1 - t / 4; if (d < 0) d = -d;
	    if (d > b) { print \"shard \" NR \" is \" \$1 \" of \" t; exit 1 } }" sizes
'

test_expect_success 'the merge of many sorted inputs is exact' '
	awk "{ print > (\"rr.\" (NR % 37)) }" full.tl &&
	ldtimeline --merge rr.* >merged &&
	test_cmp full.tl merged &&
	ldtimeline --merge full.tl >merged1 && test_cmp full.tl merged1
'

test_expect_success 'an unsorted input to --merge is named' '
	sort -r full.tl | head -n 20 >rev &&
	test_must_fail --status=2 ldtimeline --merge rev >/dev/null 2>err &&
	test_grep "not in time order (--merge needs sorted inputs)" err
'

test_expect_success 'a bad --shard is refused' '
	for s in 0/3 4/3 1/0 x 1/2/3 -1/2 2; do
		test_must_fail --status=2 ldgrep --shard $s --ns a corpus 2>err &&
		test_grep "is not a shard I/N" err || return 1
	done
'

test_done
