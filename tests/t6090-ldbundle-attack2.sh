#!/bin/sh
test_description='ldbundle verify under a second attack: statements, keys and signatures that are not what ldbundle approve makes, keyrings that let one person approve twice, manifests, bagit.txt and bag-info.txt in other shapes, values that inject into the summary'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

# resign DIR KEY — sign DIR/approval.txt again with KEY, as the holder of a
# trusted key would who signed a statement of another shape.
resign() {
	openssl pkeyutl -sign -inkey "$2" -rawin -in "$1/approval.txt" \
		-out "$1/approval.sig"
}

# approved NAME — a copy of the approved bag.
approved() {
	cp -R CASE.bag "$1"
}

SEC=approvals/security-sam-security

test_expect_success 'setup: an approved bag' '
	make_approved_bag
'

test_expect_success 'a statement with a line more, signed by the trusted key, is refused' '
	approved a1.bag &&
	printf "Note: approved for globex too\n" >>a1.bag/$SEC/approval.txt &&
	resign a1.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt a1.bag 2>err &&
	test_grep "^ldbundle: a1.bag/$SEC/approval.txt: malformed approval statement: bytes after the last line" err
'

test_expect_success 'a statement with CRLF, a BOM, lines in another order or no Case is refused' '
	approved a2.bag &&
	sed -i "s/\$/\r/" a2.bag/$SEC/approval.txt && resign a2.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify a2.bag 2>err &&
	test_grep "^ldbundle: a2.bag/$SEC/approval.txt: malformed approval statement: a CR" err &&
	approved a3.bag &&
	{ printf "\357\273\277" && cat CASE.bag/$SEC/approval.txt; } >a3.bag/$SEC/approval.txt &&
	resign a3.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify a3.bag 2>err &&
	test_grep "a3.bag/$SEC/approval.txt: malformed approval statement" err &&
	approved a4.bag &&
	sed -i "/^Case: /d" a4.bag/$SEC/approval.txt && resign a4.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify a4.bag 2>err &&
	test_grep "a4.bag/$SEC/approval.txt: malformed approval statement" err &&
	approved a5.bag &&
	{ sed -n 2p CASE.bag/$SEC/approval.txt && sed 2d CASE.bag/$SEC/approval.txt; } >a5.bag/$SEC/approval.txt &&
	resign a5.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify a5.bag 2>err &&
	test_grep "a5.bag/$SEC/approval.txt: malformed approval statement: lines other than" err
'

test_expect_success 'a second signature after the first, or S + L for S, is refused' '
	approved g1.bag &&
	cat CASE.bag/$SEC/approval.sig >>g1.bag/$SEC/approval.sig &&
	test_must_fail --status=1 ldbundle verify g1.bag 2>err &&
	test_grep "^ldbundle: g1.bag/$SEC/approval.sig: bad signature$" err &&
	approved g2.bag &&
	python3 - g2.bag/$SEC/approval.sig <<-\PY &&
	import sys
	L = 2**252 + 27742317777372353535851937790883648493
	b = open(sys.argv[1], "rb").read()
	s = int.from_bytes(b[32:], "little") + L
	open(sys.argv[1], "wb").write(b[:32] + s.to_bytes(32, "little"))
	PY
	test_must_fail --status=1 ldbundle verify g2.bag 2>err &&
	test_grep "^ldbundle: g2.bag/$SEC/approval.sig: bad signature$" err
'

# smallkey HEX FILE — the Ed25519 public key whose 32 bytes are HEX, PEM.
smallkey() {
	python3 - "$1" "$2" <<-\PY
	import base64, sys
	der = bytes.fromhex("302a300506032b6570032100" + sys.argv[1])
	open(sys.argv[2], "w").write("-----BEGIN PUBLIC KEY-----\n" +
	    base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n")
	PY
}

test_expect_success 'the neutral point as key, with a signature that fits every statement, is refused' '
	approved k1.bag && rm -rf k1.bag/approvals/legal-lee-legal &&
	d=k1.bag/$SEC &&
	smallkey 0100000000000000000000000000000000000000000000000000000000000000 $d/signer.pub.pem &&
	fp=$(openssl pkey -pubin -in $d/signer.pub.pem -outform DER | sha256sum | cut -d" " -f1) &&
	sed -i "s/^Signer-Key-SHA256: .*/Signer-Key-SHA256: $fp/" $d/approval.txt &&
	python3 -c "import sys; sys.stdout.buffer.write(b\"\\x01\" + bytes(63))" >$d/approval.sig &&
	test_must_fail --status=1 ldbundle verify k1.bag 2>err &&
	test_grep "^ldbundle: $d/signer.pub.pem: not an Ed25519 public key, or one of small order or not canonical$" err
'

test_expect_success 'keys of small order or not canonical in a keyring are refused' '
	for h in 0100000000000000000000000000000000000000000000000000000000000000 \
		c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa \
		eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
	do
		smallkey $h weak.pem &&
		{ cat approvers.txt && keyline legal weak.pem "Mallory"; } >weak.txt &&
		test_must_fail --status=2 ldbundle verify --ready --keyring weak.txt CASE.bag 2>err &&
		test_grep "^ldbundle: weak.txt:4: key is a point of small order or not canonical" err || return 1
	done
'

test_expect_success 'a keyring that lists one key twice, for one role or two, is refused' '
	{ cat approvers.txt && keyline legal sec.pub.pem "Sam Security"; } >dup.txt &&
	test_must_fail --status=2 ldbundle verify --ready --keyring dup.txt CASE.bag 2>err &&
	test_grep "^ldbundle: dup.txt:4: key listed again (for security, Sam Security): a key is one approver.s, for one role$" err &&
	test_line_count = 1 err &&
	{ cat approvers.txt && keyline security sec.pub.pem "Sam  Security"; } >dup2.txt &&
	test_must_fail --status=2 ldbundle verify --ready --keyring dup2.txt CASE.bag 2>err &&
	test_grep "dup2.txt:4: key listed again" err
'

test_expect_success 'a keyring is read past a blank line' '
	{ keyline security sec.pub.pem "Sam Security" && echo &&
	  keyline security sec.pub.pem "Sam Security"; } >blank.txt &&
	test_must_fail --status=2 ldbundle verify --ready --keyring blank.txt CASE.bag 2>err &&
	test_grep "^ldbundle: blank.txt:3: key listed again" err &&
	{ keyline security sec.pub.pem "Sam Security" && echo &&
	  keyline legal legal.pub.pem "Lee Legal"; } >blank2.txt &&
	ldbundle verify --ready --keyring blank2.txt -q CASE.bag
'

test_expect_success 'one approver with a key for each role is one pair of eyes: not ready' '
	{ keyline security sec.pub.pem "Sam Security" &&
	  keyline legal other.pub.pem "sam security"; } >one.txt &&
	cp -R CASE.bag one.bag && rm -rf one.bag/approvals &&
	ldbundle approve one.bag --reviewer "Sam Security" --role security --key sec.pem &&
	ldbundle approve one.bag --reviewer "sam security" --role legal --key other.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring one.txt one.bag 2>err &&
	test_grep "^ldbundle: one.bag: not ready: security and legal approvals by the same key or the same approver$" err
'

test_expect_success 'manifest lines of another shape are refused' '
	cp -R CASE.bag m.bag && rm -rf m.bag/approvals &&
	for shape in "s/^\([0-9a-f]*\)  /\U\1\E  /" "s/  / /" "s/  /\t/" "s/  /   /" "s/\$/\r/"
	do
		rm -rf m1.bag && cp -R m.bag m1.bag &&
		sed -i "1$shape" m1.bag/manifest-sha256.txt && retag m1.bag &&
		test_must_fail --status=1 ldbundle verify m1.bag 2>err &&
		test_grep "^ldbundle: m1.bag/manifest-sha256.txt: line 1: " err || return 1
	done &&
	rm -rf m1.bag && cp -R m.bag m1.bag &&
	{ echo && cat m.bag/manifest-sha256.txt; } >m1.bag/manifest-sha256.txt && retag m1.bag &&
	test_must_fail --status=1 ldbundle verify m1.bag 2>err &&
	test_grep "^ldbundle: m1.bag/manifest-sha256.txt: line 1: malformed line" err &&
	test_line_count = 2 err &&
	rm -rf m1.bag && cp -R m.bag m1.bag &&
	printf %s "$(cat m.bag/tagmanifest-sha256.txt)" >m1.bag/tagmanifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify m1.bag 2>err &&
	test_grep "^ldbundle: m1.bag/tagmanifest-sha256.txt: no LF at the end of the last line$" err
'

test_expect_success 'tag manifest paths with ./, .., absolute or backslash are refused' '
	for p in ./bagit.txt ../bagit.txt /bagit.txt "data\\\\..\\\\bagit.txt"
	do
		rm -rf p1.bag && cp -R CASE.bag p1.bag && rm -rf p1.bag/approvals &&
		echo "$(sha256sum <p1.bag/bagit.txt | cut -d" " -f1)  $p" >>p1.bag/tagmanifest-sha256.txt &&
		test_must_fail --status=1 ldbundle verify p1.bag 2>err &&
		test_grep "^ldbundle: p1.bag/tagmanifest-sha256.txt: line 5: .*, refused$" err || return 1
	done
'

test_expect_success 'bagit.txt with CRLF or a blank line is refused' '
	for t in "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n" \
		"BagIt-Version: 1.0\n\nTag-File-Character-Encoding: UTF-8\n"
	do
		rm -rf b1.bag && cp -R CASE.bag b1.bag && rm -rf b1.bag/approvals &&
		printf "$t" >b1.bag/bagit.txt && retag b1.bag &&
		test_must_fail --status=1 ldbundle verify b1.bag 2>err &&
		test_grep "^ldbundle: b1.bag/bagit.txt: not exactly the two lines" err || return 1
	done
'

test_expect_success 'bag-info.txt: a label twice, a continuation line, a CR are refused' '
	cp -R CASE.bag i.bag && rm -rf i.bag/approvals &&
	cp -R i.bag i1.bag && echo "Scope-Tenant: globex" >>i1.bag/bag-info.txt && retag i1.bag &&
	test_must_fail --status=1 ldbundle verify i1.bag 2>err &&
	test_grep "^ldbundle: i1.bag/bag-info.txt: line [0-9]*: Scope-Tenant again: a label is given once$" err &&
	cp -R i.bag i2.bag && sed -i "/^Scope-Tenant:/a\\  and globex" i2.bag/bag-info.txt && retag i2.bag &&
	test_must_fail --status=1 ldbundle verify i2.bag 2>err &&
	test_grep "^ldbundle: i2.bag/bag-info.txt: line [0-9]*: a continuation line" err &&
	cp -R i.bag i6.bag && printf "\nExternal-Identifier: SIRT-9999\n" >>i6.bag/bag-info.txt && retag i6.bag &&
	test_must_fail --status=1 ldbundle verify i6.bag 2>err &&
	test_grep "^ldbundle: i6.bag/bag-info.txt: line [0-9]*: not a label$" err &&
	test_grep "^ldbundle: i6.bag/bag-info.txt: line [0-9]*: External-Identifier again" err &&
	cp -R i.bag i3.bag && sed -i "1s/\$/\r/" i3.bag/bag-info.txt && retag i3.bag &&
	test_must_fail --status=1 ldbundle verify i3.bag 2>err &&
	test_grep "^ldbundle: i3.bag/bag-info.txt: line 1: a CR$" err
'

test_expect_success 'bag-info.txt: another case than the request, or the same label in another case, is refused' '
	cp -R i.bag i4.bag && sed -i "s/^External-Identifier: .*/External-Identifier: SIRT-9999/" i4.bag/bag-info.txt && retag i4.bag &&
	test_must_fail --status=1 ldbundle verify i4.bag 2>err &&
	test_grep "^ldbundle: i4.bag/bag-info.txt: External-Identifier SIRT-9999, but the request.s case is SIRT-1234$" err &&
	cp -R i.bag i5.bag && echo "external-identifier: SIRT-9999" >>i5.bag/bag-info.txt && retag i5.bag &&
	test_must_fail --status=1 ldbundle verify i5.bag 2>err &&
	test_grep "external-identifier again" err
'

test_expect_success 'Payload-Oxum with a leading zero, a sign or past 64 bits is refused' '
	o=$(sed -n "s/^Payload-Oxum: //p" i.bag/bag-info.txt) &&
	for bad in "0$o" "+$o" "18446744073709551616$o" "${o}0" "${o%.*}.0${o#*.}" " $o"
	do
		rm -rf o1.bag && cp -R i.bag o1.bag &&
		sed -i "s/^Payload-Oxum: .*/Payload-Oxum: $bad/" o1.bag/bag-info.txt && retag o1.bag &&
		test_must_fail --status=1 ldbundle verify o1.bag 2>err &&
		test_grep "^ldbundle: o1.bag/bag-info.txt: .*Payload-Oxum" err || return 1
	done
'

test_expect_success 'fetch.txt is refused, not fetched' '
	cp -R i.bag f1.bag &&
	echo "http://127.0.0.1:9/x 5 data/x" >f1.bag/fetch.txt &&
	test_must_fail --status=1 ldbundle verify f1.bag 2>err &&
	test_grep "^ldbundle: f1.bag/fetch.txt: not supported" err
'

test_expect_success 'record values cannot inject markup into the summary' '
	cat >inj.jsonl <<-\EOF &&
	{"ts":"2026-11-16T02:13:12Z","src":"x.log","line":1,"fmt":"gitlab.audit","ns":"acme-corp","project":"acme-corp","user":"alice","event":"<script>alert(1)</script>","ev":{"time":"2026-11-16T02:13:12Z","event_name":"<script>alert(1)</script>","author_name":"alice","entity_path":"acme-corp","note":"[x](javascript:alert(1))"}}
	{"ts":"2026-11-16T02:13:13Z","src":"x.log","line":2,"fmt":"gitlab.audit","ns":"acme-corp","project":"acme-corp","user":"alice","event":"[click](javascript:alert(1))","ev":{"time":"2026-11-16T02:13:13Z","event_name":"[click](javascript:alert(1))","author_name":"alice","entity_path":"acme-corp"}}
	EOF
	ldbundle create -o inj.bag --scope request.json inj.jsonl &&
	ldbundle verify -q inj.bag &&
	test_grep "alert" inj.bag/data/summary.html &&
	! grep "<script" inj.bag/data/summary.html &&
	! grep -i "href=.javascript" inj.bag/data/summary.html &&
	test_grep "\\\\<script\\\\>" inj.bag/data/summary.md &&
	! grep "[^\\\\]<script" inj.bag/data/summary.md &&
	! grep "[^\\\\]](javascript:" inj.bag/data/summary.md
'

test_expect_success 'a summary edited after creation, and the bag hashed again, is refused' '
	cp -R i.bag e1.bag &&
	printf "Nothing else was found.\n" >>e1.bag/data/summary.md &&
	rehash e1.bag &&
	$VALIDATE e1.bag >/dev/null &&
	test_must_fail --status=1 ldbundle verify e1.bag 2>err &&
	test_grep "^ldbundle: e1.bag/data/summary.md: not the page ldbundle create makes of the bag.s records, request, redaction report and provenance: changed after the bag was made$" err &&
	test_line_count = 2 err &&
	cp -R i.bag e2.bag &&
	sed -i "s/alice/bob/g" e2.bag/data/summary.html && rehash e2.bag &&
	test_must_fail --status=1 ldbundle verify e2.bag 2>err &&
	test_grep "^ldbundle: e2.bag/data/summary.html: not the page ldbundle create makes" err &&
	cp -R i.bag e3.bag &&
	rm e3.bag/data/summary.html && rehash e3.bag &&
	test_must_fail --status=1 ldbundle verify e3.bag 2>err &&
	test_grep "^ldbundle: e3.bag/data/summary.html: missing$" err
'

test_expect_success 'a redaction report swapped for another run.s, and the bag hashed again, is refused' '
	cp -R i.bag r1.bag &&
	head -n 2 records.jsonl >two.jsonl &&
	ldredact -p legal --scope request.json --report two.rep two.jsonl >/dev/null &&
	cp two.rep r1.bag/data/redaction-report.json &&
	rehash r1.bag &&
	test_must_fail --status=1 ldbundle verify r1.bag 2>err &&
	test_grep "^ldbundle: r1.bag/data/redaction-report.json: 3 of 5 records were not written by the redaction this report describes" err &&
	test_line_count = 2 err &&
	cp -R i.bag r2.bag &&
	sed -i "s/\"complete\": *true/\"complete\":false/" r2.bag/data/redaction-report.json &&
	rehash r2.bag &&
	test_must_fail --status=1 ldbundle verify r2.bag 2>err &&
	test_grep "^ldbundle: r2.bag/data/redaction-report.json: not the complete redaction report of ldredact$" err
'

test_expect_success 'setup: the approved bag packed' '
	ldbundle export --keyring approvers.txt -o CASE.tar CASE.bag &&
	ldbundle export --keyring approvers.txt -o CASE.tar.zst CASE.bag &&
	ldbundle export --keyring approvers.txt -o CASE.zip CASE.bag &&
	ldbundle verify -q CASE.tar && ldbundle verify -q CASE.zip &&
	mkdir -p x/CASE.bag/data && echo "{}" >x/CASE.bag/data/events.jsonl &&
	tar -cf second.tar -C x CASE.bag/data/events.jsonl
'

test_expect_success 'a second tar after the first, in a tar or a tar.zst, is refused' '
	cat CASE.tar second.tar >two.tar &&
	tar -tif two.tar >list && test_grep "CASE.bag/data/events.jsonl" list &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt two.tar 2>err &&
	test_grep "^ldbundle: two.tar: data after the end of the tar" err &&
	{ cat CASE.tar.zst && zstd -q -c second.tar; } >two.tar.zst &&
	test_must_fail --status=1 ldbundle verify two.tar.zst 2>err &&
	test_grep "^ldbundle: two.tar.zst: data after the end of the tar" err &&
	{ cat CASE.tar && echo garbage; } >tail.tar &&
	test_must_fail --status=1 ldbundle verify tail.tar 2>err &&
	test_grep "^ldbundle: tail.tar: data after the end of the tar" err
'

test_expect_success 'bytes before or after a zip, or a zip comment, are refused' '
	{ cat CASE.zip && echo garbage; } >tail.zip &&
	test_must_fail --status=1 ldbundle verify tail.zip 2>err &&
	test_grep "^ldbundle: tail.zip: data after the end of the zip, or a zip comment$" err &&
	{ head -c 100 second.tar && cat CASE.zip; } >head.zip &&
	test_must_fail --status=1 ldbundle verify head.zip 2>err &&
	test_grep "^ldbundle: head.zip: " err &&
	python3 - CASE.zip comment.zip <<-\PY &&
	import sys
	b = bytearray(open(sys.argv[1], "rb").read())
	b[-2:] = (4).to_bytes(2, "little")
	open(sys.argv[2], "wb").write(bytes(b) + b"note")
	PY
	test_must_fail --status=1 ldbundle verify comment.zip 2>err &&
	test_grep "^ldbundle: comment.zip: data after the end of the zip, or a zip comment$" err
'

# rename ZIP OUT WHICH — OUT is ZIP with data/events.jsonl renamed
# data/eventX.jsonl in its central directory (WHICH=central) or in its
# local header (WHICH=local) only.
rename() {
	python3 - "$@" <<-\PY
	import sys
	b = bytearray(open(sys.argv[1], "rb").read())
	name = b"CASE.bag/data/events.jsonl"
	i = b.rfind(name) if sys.argv[3] == "central" else b.find(name)
	b[i:i + len(name)] = b"CASE.bag/data/eventX.jsonl"
	open(sys.argv[2], "wb").write(b)
	PY
}

test_expect_success 'a zip whose central directory and local headers disagree is refused' '
	rename CASE.zip central.zip central &&
	python3 -c "import zipfile, sys; print(*zipfile.ZipFile(sys.argv[1]).namelist(), sep=\"\\n\")" central.zip >names &&
	test_grep "CASE.bag/data/eventX.jsonl" names &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt central.zip 2>err &&
	test_grep "^ldbundle: central.zip: a name in its central directory is not the name in the entry.s local header$" err &&
	rename CASE.zip local.zip local &&
	test_must_fail --status=1 ldbundle verify local.zip 2>err &&
	test_grep "^ldbundle: local.zip: a name in its central directory is not the name in the entry.s local header$" err
'

test_expect_success 'a PAX header renaming a member, a device, a FIFO and a name with a newline' '
	python3 - CASE.tar pax.tar <<-\PY &&
	import io, sys, tarfile
	src = tarfile.open(sys.argv[1])
	out = tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT)
	for m in src.getmembers():
	    if m.name == "CASE.bag/data/request.json":
	        m.pax_headers = {"path": "CASE.bag/data/other.json"}
	    out.addfile(m, src.extractfile(m) if m.isfile() else None)
	for name, kind in (("CASE.bag/data/dev", tarfile.CHRTYPE),
	                   ("CASE.bag/data/fifo", tarfile.FIFOTYPE)):
	    ti = tarfile.TarInfo(name); ti.type = kind; out.addfile(ti)
	ti = tarfile.TarInfo("CASE.bag/data/a\nb"); ti.size = 2
	out.addfile(ti, io.BytesIO(b"x\n"))
	out.close()
	PY
	test_must_fail --status=1 ldbundle verify pax.tar 2>err &&
	test_grep "pax.tar!CASE.bag/data/request.json: listed in manifest-sha256.txt but missing" err &&
	test_grep "pax.tar!CASE.bag/data/dev: link or special file in archive, not extracted" err &&
	test_grep "pax.tar!CASE.bag/data/fifo: link or special file in archive, not extracted" err &&
	test_grep "pax.tar!CASE.bag/data/a" err
'

test_expect_success 'links and extra files in approvals/ are refused' '
	approved l1.bag &&
	ln -s ../../bagit.txt l1.bag/$SEC/extra &&
	echo note >l1.bag/approvals/README &&
	rm l1.bag/approvals/legal-lee-legal/signer.pub.pem &&
	ln -s ../security-sam-security/signer.pub.pem l1.bag/approvals/legal-lee-legal/signer.pub.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt l1.bag 2>err &&
	test_grep "^ldbundle: l1.bag/$SEC/extra: symbolic link, not followed$" err &&
	test_grep "^ldbundle: l1.bag/approvals/README: unexpected file in approvals$" err &&
	test_grep "^ldbundle: l1.bag/approvals/legal-lee-legal/signer.pub.pem: symbolic link, not followed$" err
'

test_done
