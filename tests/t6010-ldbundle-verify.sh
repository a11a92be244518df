#!/bin/sh
test_description='ldbundle verify: every change is found and named'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures && make_bag good.bag &&
	ldbundle verify -q good.bag
'

# fresh NAME — a copy of the good bag to break.
fresh() {
	rm -rf "$1" && cp -R good.bag "$1"
}

test_expect_success 'one changed byte in any payload file is found and named' '
	for f in events.jsonl provenance.json redaction-report.json request.json \
		 summary.html summary.md timeline.csv; do
		fresh b.bag && flip b.bag/data/$f &&
		test_must_fail --status=1 ldbundle verify b.bag 2>err &&
		test_grep "^ldbundle: b.bag/data/$f: sha256 checksum mismatch (manifest-sha256.txt says" err &&
		test_grep "^ldbundle: b.bag/data/$f: sha512 checksum mismatch (manifest-sha512.txt says" err &&
		test_grep "^ldbundle: b.bag: 2 problems$" err &&
		test_must_fail $VALIDATE b.bag >/dev/null || return 1
	done
'

test_expect_success 'one changed byte in any tag file is found' '
	for f in bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt; do
		fresh b.bag && flip b.bag/$f &&
		test_must_fail --status=1 ldbundle verify b.bag 2>err &&
		test_grep "^ldbundle: b.bag/$f: sha256 checksum mismatch (tagmanifest-sha256.txt" err &&
		test_grep "^ldbundle: b.bag/$f: sha512 checksum mismatch (tagmanifest-sha512.txt" err &&
		test_must_fail $VALIDATE b.bag >/dev/null || return 1
	done
'

test_expect_success 'a changed byte in a tag manifest is found' '
	for f in tagmanifest-sha256.txt tagmanifest-sha512.txt; do
		fresh b.bag && flip b.bag/$f 0 &&
		test_must_fail --status=1 ldbundle verify b.bag 2>err &&
		test_grep "^ldbundle: b.bag/bag-info.txt: sha.* checksum mismatch ($f says" err &&
		fresh b.bag && flip b.bag/$f &&
		test_must_fail --status=1 ldbundle verify b.bag 2>err &&
		test_grep "^ldbundle: b.bag" err || return 1
	done
'

test_expect_success 'a removed payload file is named' '
	fresh b.bag && rm b.bag/data/summary.md &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	cat >expect <<-\EOF &&
	ldbundle: b.bag/data/summary.md: listed in manifest-sha256.txt but missing
	ldbundle: b.bag/data/summary.md: listed in manifest-sha512.txt but missing
	EOF
	grep "summary.md" err >actual &&
	test_cmp expect actual &&
	test_grep "Payload-Oxum .*, but the payload has .* in 6 files" err
'

test_expect_success 'an added payload file is named' '
	fresh b.bag && echo extra >b.bag/data/extra.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "^ldbundle: b.bag/data/extra.txt: not listed in manifest-sha256.txt$" err &&
	test_grep "^ldbundle: b.bag/data/extra.txt: not listed in manifest-sha512.txt$" err &&
	test_grep "^ldbundle: b.bag/bag-info.txt: Payload-Oxum [0-9]*.7, but the payload has [0-9]* octets in 8 files$" err &&
	test_must_fail $VALIDATE b.bag >/dev/null
'

test_expect_success 'an added tag file is named' '
	fresh b.bag && echo note >b.bag/notes.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "^ldbundle: b.bag/notes.txt: not listed in tagmanifest-sha256.txt (an unlisted tag file)$" err
'

test_expect_success 'every problem is reported, not only the first' '
	fresh b.bag && flip b.bag/data/events.jsonl && rm b.bag/data/request.json &&
	echo x >b.bag/data/new.txt && flip b.bag/bagit.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "data/events.jsonl: sha256 checksum mismatch" err &&
	test_grep "data/request.json: listed in manifest-sha256.txt but missing" err &&
	test_grep "data/new.txt: not listed in manifest-sha256.txt" err &&
	test_grep "bagit.txt: sha256 checksum mismatch" err &&
	test_grep "bagit.txt: unexpected line" err
'

test_expect_success 'a tag manifest naming ../x is refused, and x is not read' '
	fresh b.bag && echo secret >x &&
	h=$(sha256sum <x | cut -d" " -f1) &&
	echo "$h  ../x" >>b.bag/tagmanifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	echo "ldbundle: b.bag/tagmanifest-sha256.txt: line 5: ../x: path leaves the bag, refused" >expect &&
	grep "line 5" err >actual &&
	test_cmp expect actual &&
	test_must_fail $VALIDATE b.bag >out &&
	test_grep "unsafe path" out
'

test_expect_success 'absolute and dotted paths in a payload manifest are refused' '
	fresh b.bag &&
	h=$(sha256sum </dev/null | cut -d" " -f1) &&
	{ echo "$h  /etc/passwd"; echo "$h  data/../../x"; echo "$h  data/./a"; } >>b.bag/manifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "line 8: /etc/passwd: absolute path, refused" err &&
	test_grep "line 9: data/../../x: path leaves the bag, refused" err &&
	test_grep "line 10: data/./a: .\.. path component, refused" err
'

test_expect_success 'links in the bag are problems and are not followed' '
	fresh b.bag && ln -s ../../records.jsonl b.bag/data/link.jsonl &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "^ldbundle: b.bag/data/link.jsonl: symbolic link, not followed$" err &&
	fresh b.bag && mv b.bag/data/events.jsonl outside.jsonl &&
	ln -s ../../outside.jsonl b.bag/data/events.jsonl &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "data/events.jsonl: symbolic link, not followed" err &&
	test_grep "data/events.jsonl: listed in manifest-sha256.txt but missing" err
'

test_expect_success 'a bag that is itself a link is refused' '
	ln -s good.bag link.bag &&
	test_must_fail --status=2 ldbundle verify link.bag 2>err &&
	test_grep "link.bag: not a bag directory (a symbolic link, not followed)" err
'

test_expect_success 'a missing bag is trouble' '
	test_must_fail --status=2 ldbundle verify nope.bag 2>err &&
	echo "ldbundle: nope.bag: No such file or directory" >expect &&
	test_cmp expect err
'

test_expect_success 'bagit.txt and manifests missing' '
	fresh b.bag && rm b.bag/bagit.txt b.bag/manifest-sha512.txt b.bag/manifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "b.bag/bagit.txt: missing" err &&
	test_grep "b.bag: no payload manifest" err
'

test_expect_success 'percent-encoded names are decoded (RFC 8493 2.1.3)' '
	fresh b.bag && printf "odd\n" >"b.bag/data/100%" &&
	h=$(sha256sum <"b.bag/data/100%" | cut -d" " -f1) &&
	echo "$h  data/100%25" >>b.bag/manifest-sha256.txt &&
	test_must_fail ldbundle verify b.bag 2>err &&
	test_grep -v "100%: not listed in manifest-sha256.txt" err &&
	test_grep "100%: not listed in manifest-sha512.txt" err
'

test_expect_success '--fast checks Payload-Oxum but not checksums' '
	fresh b.bag && flip b.bag/data/events.jsonl &&
	ldbundle verify --fast -q b.bag &&
	echo more >>b.bag/data/events.jsonl &&
	test_must_fail --status=1 ldbundle verify --fast b.bag 2>err &&
	test_grep "Payload-Oxum" err
'

test_done
