#!/bin/sh
test_description='ldbundle export, and verify of the packed form'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures && make_keys && make_bag &&
	{ keyline security sec.pub.pem Sam && keyline legal legal.pub.pem Lee; } >approvers.txt &&
	ldbundle approve CASE.bag --reviewer Sam --role security --key sec.pem &&
	ldbundle approve CASE.bag --reviewer Lee --role legal --key legal.pem
'

test_expect_success 'export to tar.zst holds the bag under its name' '
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.tar.zst &&
	zstd -dc CASE.tar.zst | tar -tf - | sort >actual &&
	(find CASE.bag -type f | sort) >expect &&
	test_cmp expect actual
'

test_expect_success 'verify --ready accepts the packed form' '
	ldbundle verify --ready --keyring approvers.txt CASE.tar.zst >out &&
	test_grep "^CASE.tar.zst: valid bag, 7 payload files, .*, ready$" out &&
	test_grep "^approved for legal by Lee at .*: valid, trusted$" out &&
	test_grep "^approved for security by Sam at .*: valid, trusted$" out
'

test_expect_success 'the unpacked tar is the same bag, valid for the RFC validator' '
	mkdir un && zstd -dc CASE.tar.zst | tar -xf - -C un &&
	diff -r CASE.bag un/CASE.bag &&
	$VALIDATE un/CASE.bag
'

test_expect_success 'export to zip, verify it' '
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.zip &&
	ldbundle verify --ready --keyring approvers.txt -q CASE.zip &&
	python3 -c "import zipfile,sys; print(\"\n\".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))" CASE.zip >actual &&
	(find CASE.bag -type f | sort) >expect &&
	test_cmp expect actual
'

test_expect_success 'the same bag packs to the same bytes' '
	ldbundle export --keyring approvers.txt CASE.bag -o again.tar.zst &&
	cmp CASE.tar.zst again.tar.zst
'

test_expect_success 'an existing archive is not overwritten without --force' '
	cp CASE.zip saved.zip &&
	test_must_fail --status=2 ldbundle export --keyring approvers.txt CASE.bag -o CASE.zip 2>err &&
	echo "ldbundle: CASE.zip: already exists (use --force to replace it)" >expect &&
	test_cmp expect err &&
	cmp saved.zip CASE.zip &&
	ldbundle export --keyring approvers.txt --force CASE.bag -o CASE.zip &&
	ldbundle verify -q CASE.zip
'

test_expect_success 'an unknown archive type is refused' '
	test_must_fail --status=2 ldbundle export --keyring approvers.txt CASE.bag -o CASE.rar 2>err &&
	test_grep "CASE.rar: unknown archive type" err && ! test -e CASE.rar
'

test_expect_success 'a bag with problems is not exported' '
	cp -R CASE.bag b.bag && flip b.bag/data/summary.md &&
	test_must_fail --status=1 ldbundle export --keyring approvers.txt b.bag -o b.tar.zst 2>err &&
	test_grep "b.bag/data/summary.md: sha256 checksum mismatch" err &&
	! test -e b.tar.zst
'

test_expect_success 'a change inside the archive is found and named' '
	mkdir t && zstd -dc CASE.tar.zst | tar -xf - -C t &&
	flip t/CASE.bag/data/events.jsonl &&
	tar -cf - -C t CASE.bag | zstd -q >changed.tar.zst &&
	test_must_fail --status=1 ldbundle verify changed.tar.zst 2>err &&
	test_grep "^ldbundle: changed.tar.zst!CASE.bag/data/events.jsonl: sha256 checksum mismatch" err
'

test_expect_success 'escaping entries and links in an archive are refused, never written' '
	mkdir -p evil && cd evil &&
	python3 - ../CASE.tar.zst <<-\PY &&
	import io, subprocess, sys, tarfile
	raw = subprocess.run(["zstd", "-dc", sys.argv[1]], capture_output=True, check=True).stdout
	src = tarfile.open(fileobj=io.BytesIO(raw))
	out = tarfile.open("evil.tar", "w", format=tarfile.PAX_FORMAT)
	for m in src.getmembers():
	    out.addfile(m, src.extractfile(m))
	def add(name, data=b"pwned\n", **kw):
	    ti = tarfile.TarInfo(name)
	    for k, v in kw.items():
	        setattr(ti, k, v)
	    ti.size = len(data) if ti.type == tarfile.REGTYPE else 0
	    out.addfile(ti, io.BytesIO(data) if ti.type == tarfile.REGTYPE else None)
	add("CASE.bag/../../escaped.txt")
	add("/tmp/ldbundle-absolute-test.txt")
	add("CASE.bag/data/link", type=tarfile.SYMTYPE, linkname="/etc/passwd")
	add("CASE.bag/data/hard", type=tarfile.LNKTYPE, linkname="CASE.bag/bagit.txt")
	out.close()
	PY
	cd .. &&
	test_must_fail --status=1 env TMPDIR="$PWD/evil" ldbundle verify evil/evil.tar 2>err &&
	test_grep "evil.tar!CASE.bag/../../escaped.txt: path leaves the bag, not extracted" err &&
	test_grep "evil.tar!/tmp/ldbundle-absolute-test.txt: absolute path, not extracted" err &&
	test_grep "evil.tar!CASE.bag/data/link: link or special file in archive, not extracted" err &&
	test_grep "evil.tar!CASE.bag/data/hard: link or special file in archive, not extracted" err &&
	! test -e escaped.txt && ! test -e evil/escaped.txt &&
	! test -e /tmp/ldbundle-absolute-test.txt &&
	ls evil >listing && echo evil.tar >expect && test_cmp expect listing
'

test_expect_success 'a truncated archive is a problem, not a crash' '
	head -c 3000 CASE.tar.zst >short.tar.zst &&
	test_must_fail ldbundle verify short.tar.zst 2>err &&
	test_grep "^ldbundle: short.tar.zst: .*[Tt]runcated" err &&
	head -c $(($(wc -c <CASE.tar.zst) - 100)) CASE.tar.zst >short.tar.zst &&
	test_must_fail ldbundle verify short.tar.zst 2>err &&
	test_grep "^ldbundle: short.tar.zst: .*[Tt]runcated" err
'

test_expect_success 'an archive that is not a bag' '
	echo hi >hi.txt && tar -cf notbag.tar hi.txt &&
	test_must_fail --status=1 ldbundle verify notbag.tar 2>err &&
	test_grep "notbag.tar!hi.txt: file at the top of the archive, not extracted" err &&
	echo garbage >garbage.tar &&
	test_must_fail --status=2 ldbundle verify garbage.tar 2>err &&
	test_grep "^ldbundle: garbage.tar: " err
'

test_done
