#!/bin/sh
test_description='ldbundle verify under a third attack: files a bag should not hold, manifests of weak algorithms, files it must hold, JSON two readers read two ways, approvals dated before the bag or filed under another name, bag-info.txt that says another scope than the request, and redaction reports of another request'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

resign() {
	openssl pkeyutl -sign -inkey "$2" -rawin -in "$1/approval.txt" \
		-out "$1/approval.sig"
}

# unapproved NAME — a copy of the bag without its approvals, as the one
# who made it holds it before review.
unapproved() {
	cp -R CASE.bag "$1" && rm -rf "$1/approvals"
}

SEC=approvals/security-sam-security

test_expect_success 'setup: an approved bag' '
	make_approved_bag
'

test_expect_success 'an md5 or sha1 manifest, beside the others or instead of them, is refused' '
	unapproved h1.bag &&
	(cd h1.bag && find data -type f | sort | xargs md5sum >manifest-md5.txt &&
	 for a in sha256 sha512; do
		${a}sum bag-info.txt bagit.txt manifest-md5.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-$a.txt || exit 1
	 done) &&
	$VALIDATE h1.bag >/dev/null &&
	test_must_fail --status=1 ldbundle verify h1.bag 2>err &&
	test_grep "^ldbundle: h1.bag/manifest-md5.txt: a md5 manifest: ldbundle writes and checks sha256 and sha512 manifests only" err &&
	test_line_count = 2 err &&
	unapproved h2.bag &&
	(cd h2.bag && find data -type f | sort | xargs sha1sum >manifest-sha1.txt &&
	 rm manifest-sha*.txt tagmanifest-* &&
	 find data -type f | sort | xargs sha1sum >manifest-sha1.txt &&
	 sha1sum bag-info.txt bagit.txt manifest-sha1.txt >tagmanifest-sha1.txt) &&
	test_must_fail --status=1 ldbundle verify h2.bag 2>err &&
	test_grep "^ldbundle: h2.bag/manifest-sha1.txt: a sha1 manifest" err &&
	test_grep "^ldbundle: h2.bag/tagmanifest-sha1.txt: a sha1 manifest" err &&
	test_grep "^ldbundle: h2.bag/manifest-sha256.txt: missing$" err &&
	test_grep "^ldbundle: h2.bag/tagmanifest-sha512.txt: missing$" err
'

test_expect_success 'a payload file the summary does not show, listed and hashed, is refused' '
	unapproved x1.bag &&
	echo "All clear: nothing else was found." >x1.bag/data/NOTE-for-legal.txt &&
	rehash x1.bag &&
	$VALIDATE x1.bag >/dev/null &&
	test_must_fail --status=1 ldbundle verify x1.bag 2>err &&
	test_grep "^ldbundle: x1.bag/data/NOTE-for-legal.txt: not a file ldbundle create writes: nothing in the summary the reviewers approve shows it$" err
'

test_expect_success 'a tag file the bag brings, listed in the tag manifests, is refused' '
	unapproved x2.bag &&
	cp approvers.txt x2.bag/approvers.txt &&
	(cd x2.bag && for a in sha256 sha512; do
		${a}sum approvers.txt bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-$a.txt || exit 1
	 done) &&
	test_must_fail --status=1 ldbundle verify x2.bag 2>err &&
	test_grep "^ldbundle: x2.bag/approvers.txt: not a file ldbundle create writes" err
'

test_expect_success 'names another file system changes (trailing dot, device name, colon) are refused' '
	for n in "events.jsonl." aux "events.jsonl:hidden" "q?"; do
		rm -rf x3.bag && unapproved x3.bag &&
		echo x >"x3.bag/data/$n" && rehash x3.bag &&
		test_must_fail --status=1 ldbundle verify x3.bag 2>err &&
		test_grep "^ldbundle: x3.bag/data/$n: not a file ldbundle create writes" err ||
		return 1
	done
'

test_expect_success 'a bag without its records, timeline or request, hashed again, is refused' '
	unapproved y1.bag &&
	rm y1.bag/data/events.jsonl y1.bag/data/timeline.csv && rehash y1.bag &&
	test_must_fail --status=1 ldbundle verify y1.bag 2>err &&
	test_grep "^ldbundle: y1.bag/data/events.jsonl: missing$" err &&
	test_grep "^ldbundle: y1.bag/data/timeline.csv: missing$" err &&
	unapproved y2.bag &&
	rm y2.bag/data/request.json && rehash y2.bag &&
	test_must_fail --status=1 ldbundle verify y2.bag 2>err &&
	test_grep "^ldbundle: y2.bag/data/request.json: missing$" err
'

test_expect_success 'a request with a key twice, in the bag or given to create, is refused' '
	unapproved j1.bag &&
	sed -i "s/\"tenant\":\"acme-corp\",/\"tenant\":\"globex\",\"tenant\":\"acme-corp\",/" j1.bag/data/request.json &&
	rehash j1.bag &&
	test_must_fail --status=1 ldbundle verify j1.bag 2>err &&
	test_grep "^ldbundle: j1.bag/data/request.json: line 1: not one JSON object with each key once: duplicate object key" err &&
	sed "s/\"tenant\":\"acme-corp\",/\"tenant\":\"globex\",\"tenant\":\"acme-corp\",/" request.json >dup.json &&
	test_must_fail --status=2 ldbundle create -o j2.bag --scope dup.json --report redaction.json records.jsonl 2>err &&
	test_grep "^ldbundle: dup.json:1: malformed json: duplicate object key" err &&
	! test -e j2.bag
'

test_expect_success 'a provenance or report with a key twice, hashed again, is refused' '
	unapproved j3.bag &&
	sed -i "0,/\"tool\": \"ldbundle\"/s//\"tool\": \"ldbundle\", \"tool\": \"ldbundle\"/" j3.bag/data/provenance.json &&
	rehash j3.bag &&
	test_must_fail --status=1 ldbundle verify j3.bag 2>err &&
	test_grep "^ldbundle: j3.bag/data/summary.md: cannot be made again to be compared: data/provenance.json: not one json object with each key once" err &&
	unapproved j4.bag &&
	sed -i "0,/\"case\": \"SIRT-1234\"/s//\"case\": \"SIRT-9999\", \"case\": \"SIRT-1234\"/" j4.bag/data/redaction-report.json &&
	rehash j4.bag &&
	test_must_fail --status=1 ldbundle verify j4.bag 2>err &&
	test_grep "^ldbundle: j4.bag/data/redaction-report.json: not the complete redaction report of ldredact$" err
'

test_expect_success 'an approval dated before the bag was made, or not a time, is refused' '
	cp -R CASE.bag t1.bag &&
	sed -i "s/^Approved-At: .*/Approved-At: 2026-11-01T00:00:00Z/" t1.bag/$SEC/approval.txt &&
	resign t1.bag/$SEC sec.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt t1.bag 2>err &&
	test_grep "^ldbundle: t1.bag/$SEC/approval.txt: approved at 2026-11-01T00:00:00Z, before the bag was made (2026-11-22T10:00:00Z, data/provenance.json)" err &&
	test_grep "not ready: no valid security approval" err &&
	! grep "no valid legal approval" err &&
	for at in "2026-11-22 after the call" "2026-11-31T10:00:00Z" "2026-11-22T25:00:00Z" "2026-11-22T10:00:00+01:00"; do
		rm -rf t2.bag && cp -R CASE.bag t2.bag &&
		sed -i "s/^Approved-At: .*/Approved-At: $at/" t2.bag/$SEC/approval.txt &&
		resign t2.bag/$SEC sec.pem &&
		test_must_fail --status=1 ldbundle verify t2.bag 2>err &&
		test_grep "^ldbundle: t2.bag/$SEC/approval.txt: Approved-At is not a time in the form YYYY-MM-DDTHH:MM:SSZ" err ||
		return 1
	done
'

test_expect_success 'approve refuses when its clock is before the bag was made' '
	cp -R CASE.bag t3.bag &&
	test_must_fail --status=2 env SOURCE_DATE_EPOCH=1795300000 ldbundle approve t3.bag \
		--reviewer "Sam Security" --role security --key sec.pem --force 2>err &&
	test_grep "^ldbundle: t3.bag: the time is 2026-11-21T22:26:40Z, before the bag was made (2026-11-22T10:00:00Z)" err &&
	test_cmp CASE.bag/$SEC/approval.txt t3.bag/$SEC/approval.txt
'

test_expect_success 'an approval filed under another reviewer.s name is refused' '
	cp -R CASE.bag t4.bag &&
	mv t4.bag/approvals/legal-lee-legal t4.bag/approvals/legal-the-general-counsel &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt t4.bag 2>err &&
	test_grep "^ldbundle: t4.bag/approvals/legal-the-general-counsel/approval.txt: the directory is not named for the statement.s reviewer" err
'

test_expect_success 'bag-info.txt that says another scope, count or date than the bag, tag manifests hashed again, is refused' '
	unapproved i1.bag &&
	sed -i "s/^Scope-Tenant: .*/Scope-Tenant: globex/" i1.bag/bag-info.txt && retag i1.bag &&
	$VALIDATE i1.bag >/dev/null &&
	test_must_fail --status=1 ldbundle verify i1.bag 2>err &&
	test_grep "^ldbundle: i1.bag/bag-info.txt: line 8: Scope-Tenant: globex, but the bag.s request, records and provenance say Scope-Tenant: acme-corp$" err &&
	unapproved i2.bag &&
	sed -i "s/^Record-Count: .*/Record-Count: 2/; s/^Scope-Users: .*/Scope-Users: (any)/" i2.bag/bag-info.txt && retag i2.bag &&
	test_must_fail --status=1 ldbundle verify i2.bag 2>err &&
	test_grep "^ldbundle: i2.bag/bag-info.txt: line 12: Scope-Users: (any), but .* say Scope-Users: alice$" err &&
	unapproved i3.bag &&
	sed -i "s/^Bagging-Date: .*/Bagging-Date: 2026-11-01/" i3.bag/bag-info.txt && retag i3.bag &&
	test_must_fail --status=1 ldbundle verify i3.bag 2>err &&
	test_grep "^ldbundle: i3.bag/bag-info.txt: line 4: Bagging-Date: 2026-11-01, but .* say Bagging-Date: 2026-11-22$" err &&
	unapproved i4.bag &&
	sed -i "s/^Source-Organization: .*/Source-Organization: ACME Legal/" i4.bag/bag-info.txt && retag i4.bag &&
	ldbundle verify -q i4.bag
'

test_expect_success 'a draft keeps its bag-info.txt and its status line, and verifies' '
	ldbundle export --draft CASE.bag -o draft.tar &&
	ldbundle verify -q draft.tar
'

test_expect_success 'a report of no case, or that kept another tenant too, is refused by create and verify' '
	python3 - <<-\PY &&
	import json
	r = json.load(open("redaction.json"))
	del r["case"]
	json.dump(r, open("nocase.json", "w"), indent=2)
	r = json.load(open("redaction.json"))
	r["tenant"] = ["acme-corp", "globex"]
	json.dump(r, open("twoten.json", "w"), indent=2)
	PY
	test_must_fail --status=2 ldbundle create -o r1.bag --scope request.json --report nocase.json records.jsonl 2>err &&
	test_grep "^ldbundle: nocase.json: the report names no case: the redaction was not run with --scope on the request of case SIRT-1234$" err &&
	test_must_fail --status=2 ldbundle create -o r1.bag --scope request.json --report twoten.json records.jsonl 2>err &&
	test_grep "^ldbundle: twoten.json: the redaction kept the tenants acme-corp, globex, but the request.s tenant is acme-corp" err &&
	! test -e r1.bag &&
	unapproved r2.bag &&
	cp twoten.json r2.bag/data/redaction-report.json && rehash r2.bag &&
	test_must_fail --status=1 ldbundle verify r2.bag 2>err &&
	test_grep "^ldbundle: r2.bag/data/redaction-report.json: the redaction kept the tenants acme-corp, globex" err &&
	unapproved r3.bag &&
	cp nocase.json r3.bag/data/redaction-report.json && rehash r3.bag &&
	test_must_fail --status=1 ldbundle verify r3.bag 2>err &&
	test_grep "^ldbundle: r3.bag/data/redaction-report.json: the report names no case" err
'

test_expect_success 'records with a secret, and a report whose output digest was set to them, are refused' '
	python3 - <<-\PY &&
	import hashlib, json
	lines = open("records.jsonl").read().splitlines(True)
	r = json.loads(lines[1])
	r["ev"]["path"] += "?private_token=glpat-abcdefghijklmnopqrst"
	lines[1] = json.dumps(r, separators=(",", ":")) + "\n"
	out = "".join(lines)
	open("secret.jsonl", "w").write(out)
	rep = json.load(open("redaction.json"))
	rep["output"]["sha256"] = hashlib.sha256(out.encode()).hexdigest()
	json.dump(rep, open("forged.json", "w"), indent=2)
	rep["output"]["sha256"] = json.load(open("redaction.json"))["output"]["sha256"]
	rep["policy"]["sha256"] = "0" * 64
	json.dump(rep, open("otherpol.json", "w"), indent=2)
	PY
	test_must_fail --status=2 ldbundle create -o s1.bag --scope request.json --report forged.json secret.jsonl 2>err &&
	test_grep "^ldbundle: forged.json: line 2: a secret the report.s policy legal masks (secret.gitlab-token) is still in 1 record" err &&
	! test -e s1.bag &&
	unapproved s2.bag &&
	cp secret.jsonl s2.bag/data/events.jsonl &&
	cp forged.json s2.bag/data/redaction-report.json && rehash s2.bag &&
	test_must_fail --status=1 ldbundle verify s2.bag 2>err &&
	test_grep "^ldbundle: s2.bag/data/events.jsonl: line 2: a secret the report.s policy legal masks (secret.gitlab-token) is still in 1 record: the report says they were redacted by it, and they were not$" err &&
	test_must_fail --status=2 ldbundle create -o s3.bag --scope request.json --report otherpol.json records.jsonl 2>err &&
	test_grep "^ldbundle: otherpol.json: names the built-in policy legal with the SHA-256 0000000000000000..., but it is" err
'

test_expect_success 'a mask masked again by a second detector is no secret' '
	printf "%s\n" "{\"ts\":\"2026-11-16T02:14:00Z\",\"src\":\"api.log\",\"line\":1,\"fmt\":\"gitlab.api\",\"ns\":\"acme-corp\",\"project\":\"acme-corp/web\",\"event\":\"/api/:version/projects/:id/repository/archive\",\"ev\":{\"method\":\"GET\",\"path\":\"/api/v4/projects/acme-corp%2Fweb/repository/archive.zip?private_token=[REDACTED:secret.gitlab-token]&sha=main\",\"status\":200,\"time\":\"2026-11-16T02:14:00Z\",\"meta.project\":\"acme-corp/web\"}}" >masked.jsonl &&
	ldredact -p legal --scope request.json --report masked.rep masked.jsonl >masked.out &&
	ldbundle create -o m1.bag --scope request.json --report masked.rep masked.out &&
	ldbundle verify -q m1.bag
'

test_expect_success 'setup: the approved bag packed, as tar, tar.zst and tar.gz' '
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.tar &&
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.tar.zst &&
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.tar.gz &&
	for f in CASE.tar CASE.tar.zst CASE.tar.gz; do
		ldbundle verify --ready --keyring approvers.txt -q $f || return 1
	done
'

test_expect_success 'a secret in the padding of a tar member, or in a PAX keyword, is refused' '
	python3 - <<-\PY &&
	import io, tarfile
	secret = b"unredacted: glpat-abcdefghijklmnopqrst\n"
	t = bytearray(open("CASE.tar", "rb").read())
	off = 0
	while t[off] != 0:
	    size = int(t[off + 124:off + 136].rstrip(b"\0 ") or b"0", 8)
	    end = off + 512 + size
	    pad = -size % 512
	    if t[off + 156:off + 157] in (b"0", b"\0") and pad >= len(secret):
	        t[end:end + len(secret)] = secret
	        break
	    off = end + pad
	open("pad.tar", "wb").write(t)
	src = tarfile.open("CASE.tar")
	out = tarfile.open("pax.tar", "w", format=tarfile.PAX_FORMAT)
	for m in src.getmembers():
	    m.pax_headers = {"comment": "alice@acme.example glpat-abcdefghijklmnopqrst"}
	    out.addfile(m, src.extractfile(m))
	out.close()
	PY
	test_must_fail --status=1 ldbundle verify pad.tar 2>err &&
	test_grep "^ldbundle: pad.tar: not the tar ldbundle export writes of its members" err &&
	test_must_fail --status=1 ldbundle verify pax.tar 2>err &&
	test_grep "^ldbundle: pax.tar: not the tar ldbundle export writes of its members" err
'

test_expect_success 'the bag tarred again by another tar (directories, owners) is refused' '
	mkdir re && tar -xf CASE.tar -C re &&
	tar -cf re.tar -C re CASE.bag &&
	test_must_fail --status=1 ldbundle verify re.tar 2>err &&
	test_grep "^ldbundle: re.tar: not the tar ldbundle export writes of its members: a directory entry" err
'

test_expect_success 'a skippable zstd frame before or after the archive is refused' '
	python3 - <<-\PY &&
	import struct
	secret = b"unredacted: glpat-abcdefghijklmnopqrst\n"
	sk = struct.pack("<II", 0x184D2A5E, len(secret)) + secret
	d = open("CASE.tar.zst", "rb").read()
	open("sk1.tar.zst", "wb").write(d + sk)
	open("sk2.tar.zst", "wb").write(sk + d)
	PY
	for f in sk1 sk2; do
		test_must_fail --status=1 ldbundle verify $f.tar.zst 2>err &&
		test_grep "^ldbundle: $f.tar.zst: a skippable zstd frame: bytes every reader passes over and no check reads$" err ||
		return 1
	done
'

test_expect_success 'a gzip header with a name, or a second gzip member, is refused' '
	python3 - <<-\PY &&
	import gzip, io
	d = open("CASE.tar", "rb").read()
	b = io.BytesIO()
	with gzip.GzipFile(filename="alice-secret.txt", mode="wb", fileobj=b, mtime=0) as g:
	    g.write(d)
	open("fname.tar.gz", "wb").write(b.getvalue())
	open("two.tar.gz", "wb").write(open("CASE.tar.gz", "rb").read() + gzip.compress(b"secret\n"))
	PY
	test_must_fail --status=1 ldbundle verify fname.tar.gz 2>err &&
	test_grep "^ldbundle: fname.tar.gz: a gzip header with an extra field, a name or a comment export does not write$" err &&
	test_must_fail --status=1 ldbundle verify two.tar.gz 2>err &&
	test_grep "^ldbundle: two.tar.gz: " err
'

test_expect_success 'a zip with bytes between entries, or a comment on an entry, is refused' '
	ldbundle export --keyring approvers.txt CASE.bag -o CASE.zip &&
	ldbundle verify --ready --keyring approvers.txt -q CASE.zip &&
	python3 - <<-\PY &&
	import struct, zipfile
	d = bytearray(open("CASE.zip", "rb").read())
	secret = b"unredacted: glpat-abcdefghijklmnopqrst\n"
	eocd = len(d) - 22
	n = struct.unpack_from("<H", d, eocd + 10)[0]
	cdlen, cdat = struct.unpack_from("<II", d, eocd + 12)
	offs, c = [], cdat
	for i in range(n):
	    nl, xl, cl = struct.unpack_from("<HHH", d, c + 28)
	    offs.append((c, struct.unpack_from("<I", d, c + 42)[0]))
	    c += 46 + nl + xl + cl
	at = offs[1][1]
	for c, o in offs[1:]:
	    struct.pack_into("<I", d, c + 42, o + len(secret))
	struct.pack_into("<I", d, eocd + 16, cdat + len(secret))
	d[at:at] = secret
	open("gap.zip", "wb").write(d)
	src = zipfile.ZipFile("CASE.zip")
	out = zipfile.ZipFile("cmt.zip", "w", zipfile.ZIP_DEFLATED)
	for i in src.infolist():
	    z = zipfile.ZipInfo(i.filename, i.date_time)
	    z.external_attr, z.compress_type, z.extra = i.external_attr, 8, i.extra
	    if i.filename.endswith("bagit.txt"):
	        z.comment = b"glpat-abcdefghijklmnopqrst"
	    out.writestr(z, src.read(i))
	out.close()
	PY
	test_must_fail --status=1 ldbundle verify gap.zip 2>err &&
	test_grep "^ldbundle: gap.zip: a gap or an overlap between its entries$" err &&
	test_must_fail --status=1 ldbundle verify cmt.zip 2>err &&
	test_grep "^ldbundle: cmt.zip: a comment on an entry$" err
'

test_done
