#!/bin/sh
test_description='ldindex --repack: seekable zstd, and frames skipped by the index'
. "$(dirname "$0")/test-lib.sh"

for t in zstd tar; do
	if ! command -v $t >/dev/null 2>&1; then
		test_skip 'seekable zstd' "$t is not installed"
		test_done
	fi
done

# same ARGS... — ldgrep over the original and, with the index, over the
# seekable copies: the same bytes once the copies' directory is taken off
# the source names.
same() {
	ldgrep "$@" archive >plain.out 2>/dev/null
	ldgrep --index idx "$@" seek/archive 2>stats |
	    sed -e "s|\"src\":\"seek/archive/|\"src\":\"archive/|" \
	    -e "s|^seek/archive/|archive/|" >ix.out
	test_cmp plain.out ix.out
}

skipped() {
	sed -n 's/^ldgrep: stats: skipped by the index	\([0-9]*\) of.*/\1/p' "$1"
}

test_expect_success 'set up: one long log as .zst, a tar.zst, a .gz' '
	ldgen -o corpus >/dev/null &&
	mkdir -p archive &&
	for f in corpus/archive/*/web-01.tar.zst; do
		zstd -dc $f | tar -xOf - || return 1
	done >all.log &&
	test_line_count -gt 2000 all.log &&
	zstd -q all.log -o archive/all.log.zst &&
	cp corpus/archive/2026-11-18/web-01.tar.zst archive/web.tar.zst &&
	gzip -c all.log >archive/all.log.gz
'

test_expect_success 'repack and index: stock zstd and tar read the copies' '
	ldindex --repack seek --block-size 8K -o idx --stats archive 2>err &&
	test_grep "^ldindex: stats: repack archive/all.log.zst	[0-9]* bytes	[0-9]* bytes seekable	[0-9]* frames" err &&
	zstd -q -t seek/archive/all.log.zst &&
	zstd -dc seek/archive/all.log.zst >back && test_cmp all.log back &&
	zstd -dc archive/web.tar.zst | tar -tf - >expect &&
	zstd -dc seek/archive/web.tar.zst | tar -tf - >actual &&
	test_cmp expect actual &&
	cmp archive/all.log.gz seek/archive/all.log.gz
'

test_expect_success 'the seek table: many frames, its magic last' '
	frames=$(sed -n "s/^ldindex: stats: repack archive\/all.log.zst.*	\([0-9]*\) frames.*/\1/p" err) &&
	test "$frames" -gt 100 &&
	tail -c 4 seek/archive/all.log.zst | od -An -tx1 | tr -d " \n" >magic &&
	echo b1ea928f >expect && printf "\n" >>magic && test_cmp expect magic &&
	tail -c 9 seek/archive/all.log.zst | head -c 4 | od -An -tu4 | tr -d " " >n &&
	echo $frames >expect && test_cmp expect n
'

test_expect_success 'every frame but the last ends a line' '
	ldgrep -c --since 1970-01-01 seek/archive/all.log.zst >c1 &&
	ldgrep -c --since 1970-01-01 archive/all.log.zst >c2 && test_cmp c2 c1
'

test_expect_success 'searches over the copies: the same bytes, frames skipped' '
	same --ns acme-corp &&
	same --user alice &&
	same --user nobody &&
	same --cid LOt9hgi1TV4 &&
	same --event user_logged_in &&
	same --ip 10.0.0.0/8 &&
	same --raw --ns acme-corp --since 2026-11-19 --until 2026-11-19T06:00:00Z &&
	same -c --user alice &&
	same -j 3 --ns acme-corp &&
	ldgrep --index idx --stats --user nobody seek/archive/all.log.zst \
	    >/dev/null 2>stats;
	n=$(skipped stats) && total=$(wc -l <all.log) &&
	test "$n" -gt $((total * 8 / 10))
'

test_expect_success 'line numbers after skipped frames are those of the file' '
	ldgrep --index idx --raw --user alice seek/archive/all.log.zst >raw &&
	ldgrep --index idx --user alice seek/archive/all.log.zst |
	    sed "s/.*\"line\":\([0-9]*\),.*/\1/" >lines &&
	while read -r n; do sed -n "${n}p" all.log; done <lines >bylines &&
	test -s raw && test_cmp raw bylines
'

test_expect_success 'a byte changed in a frame the dive skips: the index is refused' '
	cp seek/archive/all.log.zst keep.zst &&
	test_status 1 ldgrep --index idx --stats --user nobody \
	    seek/archive/all.log.zst >/dev/null 2>stats &&
	test "$(skipped stats)" -gt 0 &&
	size=$(wc -c <seek/archive/all.log.zst) &&
	at=$((size / 2)) &&
	b=$(od -An -tu1 -j $at -N 1 seek/archive/all.log.zst | tr -d " ") &&
	printf "\\$(printf %o $(((b + 1) % 256)))" |
	    dd of=seek/archive/all.log.zst bs=1 seek=$at conv=notrunc 2>/dev/null &&
	test "$(wc -c <seek/archive/all.log.zst)" -eq "$size" &&
	! cmp -s keep.zst seek/archive/all.log.zst &&
	test_must_fail --status=2 ldgrep --index idx --stats --user nobody \
	    seek/archive/all.log.zst >out 2>err &&
	test_grep "seek/archive/all.log.zst: index does not match the archive (digest), read in full" err &&
	test_grep "seek/archive/all.log.zst: .*frame" err &&
	test_grep -v "skipped by the index	[1-9]" err &&
	mv keep.zst seek/archive/all.log.zst &&
	test_status 1 ldgrep --index idx --user nobody \
	    seek/archive/all.log.zst >/dev/null 2>err &&
	test_grep -v "does not match" err
'

test_expect_success 'a truncated copy is read in full, and its damage reported' '
	size=$(wc -c <seek/archive/all.log.zst) &&
	head -c $((size / 2)) seek/archive/all.log.zst >cut.zst &&
	mv cut.zst seek/archive/all.log.zst &&
	test_must_fail --status=2 ldgrep --index idx --ns acme-corp \
	    seek/archive/all.log.zst >/dev/null 2>err &&
	test_grep "index does not match the archive (size), read in full" err &&
	test_grep "seek/archive/all.log.zst: truncated zstd frame" err
'

test_expect_success 'a source that is not zstd cannot be repacked in place of one' '
	printf "plain\n" >x.log &&
	ldindex --repack seek2 -o idx2 x.log &&
	cmp x.log seek2/x.log && test -f idx2/seek2/x.log.ldx
'

test_done
