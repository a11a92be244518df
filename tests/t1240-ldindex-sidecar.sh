#!/bin/sh
test_description='sidecar indexes: found beside the archive, refused when stale, the same bytes at any -j'
. "$(dirname "$0")/test-lib.sh"

skipped() {
	sed -n 's/^ldgrep: stats: skipped by the index	\([0-9]*\) of.*/\1/p' "$1"
}

test_expect_success 'set up: two days of a generated corpus, without the damaged archive' '
	ldgen -o gen >/dev/null &&
	mkdir -p a &&
	cp -R gen/archive/2026-11-16 gen/archive/2026-11-17 a/ &&
	rm -f a/*/web-03.tar.zst &&
	cp gen/request.json . &&
	ldgrep --scope request.json a >plain.out &&
	test -s plain.out
'

test_expect_success 'ldindex without -o writes P.ldx beside each source' '
	ldindex a &&
	for f in $(find a -type f ! -name "*.ldx"); do
		test -f "$f.ldx" || { echo "no sidecar for $f"; return 1; }
	done &&
	find a -name "*.ldx" >sidecars &&
	test_line_count -gt 3 sidecars
'

test_expect_success 'ldgrep finds the sidecars by itself: same bytes, lines skipped, nothing said' '
	ldgrep --stats --scope request.json a >side.out 2>side.err &&
	test_cmp plain.out side.out &&
	n=$(skipped side.err) && test "$n" -gt 100 &&
	! grep -v "^ldgrep: stats:" side.err
'

test_expect_success 'a sidecar met in a directory is not read as a log' '
	ldgrep --no-index --stats a >all.out 2>all.err &&
	test_grep -v "\.ldx" all.err &&
	mkdir -p b && cp -R gen/archive/2026-11-16 gen/archive/2026-11-17 b/ &&
	rm -f b/*/web-03.tar.zst &&
	ldgrep b | sed "s|\"src\":\"b/|\"src\":\"a/|" >expect &&
	test_cmp expect all.out
'

test_expect_success '--no-index: every source read in full, the same bytes' '
	ldgrep --no-index --stats --scope request.json a >off.out 2>off.err &&
	test_cmp plain.out off.out &&
	test_grep -v "skipped by the index" off.err
'

test_expect_success '--index and --no-index together are refused' '
	test_must_fail --status=2 ldgrep --index x --no-index --ns acme-corp a 2>err &&
	test_grep "^ldgrep: --index and --no-index exclude each other" err
'

test_expect_success 'a stale sidecar is not used, and ldgrep says so once for that source' '
	cp -R a s &&
	f=s/2026-11-17/web-01.tar.zst &&
	cp $f.ldx keep.ldx && ldindex s/2026-11-16/web-01.tar.zst &&
	printf "\050\265\057\375\040\000\001\000\000" >>$f &&
	ldgrep --scope request.json s >stale.out 2>stale.err &&
	sed "s|\"src\":\"s/|\"src\":\"a/|" stale.out >stale.cmp &&
	test_cmp plain.out stale.cmp &&
	test_grep "^ldgrep: $f: sidecar index does not match the archive (size), read in full$" stale.err &&
	test_line_count = 1 stale.err
'

test_expect_success 'a sidecar of other bytes of the same size: the digest says no' '
	mkdir -p d &&
	printf "%s\n" "{\"time\":\"2026-11-16T02:13:12.250Z\",\"controller\":\"C\",\"action\":\"a\",\"meta.root_namespace\":\"zeta\",\"meta.user\":\"u1\"}" \
	    >d/production_json.log &&
	ldindex d &&
	sed -i "s/zeta/acme/" d/production_json.log &&
	ldgrep --ns acme d >out 2>err &&
	test_grep "d/production_json.log: sidecar index does not match the archive (digest), read in full" err &&
	test_grep "\"ns\":\"acme\"" out
'

test_expect_success 'a damaged sidecar is refused, not trusted' '
	cp -R a dmg &&
	ix=dmg/2026-11-16/web-01.tar.zst.ldx &&
	size=$(wc -c <$ix) &&
	printf "\377" | dd of=$ix bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null &&
	ldgrep --scope request.json dmg >out 2>err &&
	test_grep "dmg/2026-11-16/web-01.tar.zst: sidecar index not used, read in full: .*index damaged (checksum)" err &&
	sed "s|\"src\":\"dmg/|\"src\":\"a/|" out >cmp &&
	test_cmp plain.out cmp
'

test_expect_success 'ldsh: the sidecar is used, and a stale one is named once in a session' '
	ldsh --no-index -c "ns acme-corp" -c count -c "user alice" -c count s >plain.sh 2>&1 &&
	ldsh -c "ns acme-corp" -c count -c "user alice" -c count s >side.sh 2>&1 &&
	grep -v "^# " side.sh >side.answers &&
	test_cmp plain.sh side.answers &&
	grep "sidecar index does not match" side.sh >named &&
	test_line_count = 1 named
'

test_expect_success 'ldindex -j N: the same index bytes and messages whatever N' '
	ldindex -j 1 -o j1 --stats a 2>j1.err &&
	ldindex -j 3 -o j3 --stats a 2>j3.err &&
	ldindex -j 8 -o j8 --stats a 2>j8.err &&
	test_cmp j1.err j3.err && test_cmp j1.err j8.err &&
	(cd j1 && find . -type f | sort) >files &&
	test_line_count -gt 3 files &&
	while read -r f; do
		cmp j1/$f j3/$f && cmp j1/$f j8/$f || return 1
	done <files
'

test_expect_success 'ldindex -j N: damaged sources are named in order, the others indexed' '
	cp -R gen/archive/2026-11-16 jd &&
	test_status 2 ldindex -j 1 -o jd1 jd 2>jd1.err &&
	test_status 2 ldindex -j 4 -o jd4 jd 2>jd4.err &&
	test_grep "jd/web-03.tar.zst.*truncated zstd frame.*(not indexed)" jd4.err &&
	test_cmp jd1.err jd4.err &&
	diff -r jd1 jd4
'

test_expect_success 'correlation ids: indexed only with --cids, and the same bytes either way' '
	cid=$(sed -n "s/.*\"correlation_id\":\"\([^\"]*\)\".*/\1/p" plain.out | head -n 1) &&
	test -n "$cid" &&
	ldgrep --no-index --cid "$cid" a >cid.expect &&
	test -s cid.expect &&
	ldgrep --stats --cid "$cid" a >cid.out 2>cid.err &&
	test_cmp cid.expect cid.out &&
	n0=$(skipped cid.err) &&
	ldindex --cids -o cx a &&
	ldgrep --index cx --stats --cid "$cid" a >cid.out 2>cid.err &&
	test_cmp cid.expect cid.out &&
	n1=$(skipped cid.err) &&
	test "$n1" -gt "${n0:-0}" &&
	ldindex -o nocx a/2026-11-16/web-01.tar.zst &&
	test $(wc -c <nocx/a/2026-11-16/web-01.tar.zst.ldx) -lt \
	    $(wc -c <cx/a/2026-11-16/web-01.tar.zst.ldx)
'

test_done
