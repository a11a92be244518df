#!/bin/sh
test_description='bad input: every container kind truncated, corrupted, padded with NULs, or a bomb'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-bad-input.sh"

# flip FILE OFFSET — change one byte of FILE in place.
flip() {
	printf '\377' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# cut_at FILE N — keep the first N bytes of FILE.
cut_at() {
	head -c "$2" "$1" >"$1.cut" && mv "$1.cut" "$1"
}

test_expect_success 'setup' '
	make_good &&
	make_log arch 400 >arch.log &&
	test_line_count = 400 arch.log &&
	make_log big 30000 >big.log
'

# Big enough for several blocks of each (lz4 with 64 KiB blocks): a
# decoder can give the lines of the blocks before the cut.
for c in gzip xz bzip2 "lz4 -B4" zstd; do
	x=${c%% *}
	test_expect_success "$x: truncated, the lines before are read, then damage" "
		$c -c <big.log >t.$x &&
		size=\$(wc -c <t.$x) &&
		cut_at t.$x \$((size * 2 / 3)) &&
		expect_bad ldgrep 't\\.$x: .*\\(truncated\\|damage\\|corrupt\\|premature\\|error\\)' --raw t.$x &&
		grep big out >got &&
		test_line_count -lt 30000 got &&
		test_line_count -gt 100 got &&
		n=\$(wc -l <got) &&
		head -n \$((n - 1)) big.log >want &&
		head -n \$((n - 1)) got | test_cmp want -
	"
done

test_expect_success 'gzip: a bad CRC is damage (zlib checks the trailer)' '
	gzip -c <arch.log >crc.gz &&
	size=$(wc -c <crc.gz) &&
	flip crc.gz $((size - 8)) &&
	expect_bad ldgrep "crc\\.gz: corrupt gzip data in member 1 .*incorrect data check" --raw crc.gz
'

test_expect_success 'gzip: a bad length in the trailer is damage' '
	gzip -c <arch.log >len.gz &&
	size=$(wc -c <len.gz) &&
	flip len.gz $((size - 2)) &&
	expect_bad ldgrep "len\\.gz: corrupt gzip data .*incorrect length check" --raw len.gz
'

test_expect_success 'gzip: two members are both read; junk after them is damage' '
	head -n 10 arch.log | gzip -c >two.gz &&
	tail -n 5 arch.log | gzip -c >>two.gz &&
	ldgrep --raw two.gz >out &&
	test_line_count = 15 out &&
	cp two.gz junk.gz &&
	printf "garbage" >>junk.gz &&
	expect_bad ldgrep "junk\\.gz: data that is not gzip after member 2" --raw junk.gz &&
	test $(grep -c arch out) -eq 15
'

test_expect_success 'zstd: corrupt data names the frame, not the checksum' '
	zstd -q -c <arch.log >bad.zst &&
	flip bad.zst 40 &&
	expect_bad ldcut "bad\\.zst: corrupt zstd frame at byte 0" bad.zst
'

for c in gzip xz bzip2 lz4 zstd; do
	test_expect_success "$c: a log that begins with 512 NULs is data, not an empty tar" "
		{ head -c 600 /dev/zero; cat arch.log; } >nul.log &&
		$c -c <nul.log >nul.$c &&
		ldgrep --raw nul.$c good.log >out 2>err &&
		test ! -s err &&
		test_line_count = 403 out &&
		sed -n 2,400p out >got &&
		sed -n 2,400p arch.log | test_cmp - got &&
		sed -n 1p out | tr -d '\\000' >got &&
		sed -n 1p arch.log | test_cmp - got
	"
done

test_expect_success 'tar: truncated inside a member' '
	mkdir -p var/log &&
	cp arch.log var/log/a.log &&
	make_log second 50 >var/log/b.log &&
	tar cf t.tar var &&
	cut_at t.tar 9000 &&
	expect_bad ldgrep "t\\.tar.*\\(truncated\\|damaged\\|Truncated\\)" --raw t.tar
'

test_expect_success 'tar.gz and tar.zst: cut after the last member, the cut is still found' '
	tar czf t.tgz var &&
	size=$(wc -c <t.tgz) &&
	cut_at t.tgz $((size - 30)) &&
	expect_bad ldtimeline "t\\.tgz" t.tgz &&
	tar cf - var | zstd -q -c >t.tar.zst &&
	size=$(wc -c <t.tar.zst) &&
	cut_at t.tar.zst $((size - 6)) &&
	expect_bad ldgrep "t\\.tar\\.zst: truncated zstd frame" --raw t.tar.zst
'

test_expect_success 'zip: a stored member with a bad CRC is damage; the members after it are read' '
	mkdir -p z &&
	make_log one 3 >z/a.log &&
	make_log two 3 >z/b.log &&
	make_log three 3 >z/c.log &&
	(cd z && zip -q -0 ../st.zip a.log b.log c.log) &&
	off=$(grep -abo one1 st.zip | head -n 1 | cut -d: -f1) &&
	flip st.zip $off &&
	expect_bad ldgrep "st\\.zip!a\\.log: ZIP bad CRC" --raw st.zip &&
	grep -c "two\\|three" out >n &&
	echo 6 | test_cmp - n
'

test_expect_success 'zip: a damaged deflated member does not hide the next ones' '
	make_log big 3000 >z/big.log &&
	(cd z && zip -q ../df.zip big.log b.log c.log) &&
	for o in 300 301 302 303 304 305 306 307 308 309 310; do flip df.zip $o; done &&
	expect_bad ldgrep "df\\.zip!big\\.log: " --raw df.zip &&
	grep -c "two\\|three" out >n &&
	echo 6 | test_cmp - n
'

test_expect_success 'zip: cut in its second member, the first is read from the start' '
	(cd z && zip -q ../tr.zip a.log b.log) &&
	off=$(grep -abo b.log tr.zip | head -n 1 | cut -d: -f1) &&
	cut_at tr.zip $((off + 20)) &&
	expect_bad ldgrep "tr\\.zip" --raw tr.zip &&
	grep -c one out >n &&
	echo 3 | test_cmp - n
'

test_expect_success 'bomb: a line over the limit is reported and skipped, not held' '
	{ head -c 70000000 /dev/zero; echo; make_log after 2; } | zstd -q -c >bomb.zst &&
	test $(wc -c <bomb.zst) -lt 100000 &&
	expect_bad ldgrep "bomb\\.zst:1: line longer than 64 MiB, skipped" --raw bomb.zst &&
	grep -c after out >n &&
	echo 2 | test_cmp - n
'

test_expect_success 'bomb in gzip: the same' '
	{ head -c 70000000 /dev/zero; echo; make_log after 2; } | gzip -c >bomb.gz &&
	expect_bad ldcut "bomb\\.gz:1: line longer than 64 MiB, skipped" bomb.gz &&
	grep -c after out >n &&
	echo 2 | test_cmp - n
'

test_expect_success 'bomb in bzip2: the same, one block held at most' '
	{ head -c 70000000 /dev/zero; echo; make_log after 2; } | bzip2 -c >bomb.bz2 &&
	test $(wc -c <bomb.bz2) -lt 1000 &&
	expect_bad ldgrep "bomb\\.bz2:1: line longer than 64 MiB, skipped" --raw bomb.bz2 &&
	grep -c after out >n &&
	echo 2 | test_cmp - n
'

# same_prefix FILE — every line of out from FILE is the line of big.log
# at its place, but for the last, which may be cut short (where the
# checked data ends) but is never garbled.
same_prefix() {
	grep big out >got &&
	n=$(wc -l <got) &&
	test "$n" -gt 100 &&
	test "$n" -lt 30000 &&
	head -n $((n - 1)) big.log >want &&
	head -n $((n - 1)) got | test_cmp want - &&
	last=$(tail -n 1 got) &&
	full=$(sed -n "${n}p" big.log) &&
	case $full in "$last"*) ;; *) echo "garbled: $last" >&2; false ;; esac
}

test_expect_success 'bzip2: a corrupt block is not read; the blocks before it are' '
	bzip2 -1 -c <big.log >mid.bz2 &&
	size=$(wc -c <mid.bz2) &&
	flip mid.bz2 $((size / 2)) &&
	expect_bad ldgrep "mid\\.bz2: corrupt bzip2 data in stream 1, after [0-9]* bytes decoded and checked" --raw mid.bz2 &&
	same_prefix
'

test_expect_success 'bzip2: the same in the second of two streams' '
	head -n 100 big.log | bzip2 -c >two.bz2 &&
	tail -n +101 big.log | bzip2 -1 -c >tail.bz2 &&
	size=$(wc -c <tail.bz2) &&
	flip tail.bz2 $((size / 2)) &&
	cat tail.bz2 >>two.bz2 &&
	expect_bad ldgrep "two\\.bz2: corrupt bzip2 data in stream 2" --raw two.bz2 &&
	same_prefix
'

test_expect_success 'bzip2: two streams and NUL padding are read whole; junk is damage' '
	head -n 10 arch.log | bzip2 -c >ok.bz2 &&
	tail -n 5 arch.log | bzip2 -c >>ok.bz2 &&
	head -c 300 /dev/zero >>ok.bz2 &&
	ldgrep --raw ok.bz2 >out &&
	test_line_count = 15 out &&
	printf "garbage" >>ok.bz2 &&
	expect_bad ldgrep "ok\\.bz2: data that is not bzip2 after stream 2" --raw ok.bz2 &&
	test $(grep -c arch out) -eq 15
'

test_expect_success 'lz4 with block checksums: a corrupt block is not read' '
	lz4 -q -B4 -BX -c <big.log >mid.lz4 &&
	size=$(wc -c <mid.lz4) &&
	flip mid.lz4 $((size / 2)) &&
	expect_bad ldgrep "mid\\.lz4: " --raw mid.lz4 &&
	test_must_fail grep "may hold the damage" err &&
	same_prefix
'

test_expect_success 'lz4 checked only at its end: the message names the lines read' '
	lz4 -q -B4 -c <big.log >late.lz4 &&
	size=$(wc -c <late.lz4) &&
	flip late.lz4 $((size / 2)) &&
	expect_bad ldgrep "late\\.lz4: .*; lines 1 to [0-9]* of late\\.lz4 were read before it was found and may hold the damage" --raw late.lz4
'

test_done
