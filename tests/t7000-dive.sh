#!/bin/sh
test_description='the whole dive: ldgrep, ldredact, ldtimeline, ldbundle on a generated corpus'
. "$(dirname "$0")/test-lib.sh"

# The corpus of ldgen holds a planted incident, the answer key of its scope
# (answer-key.jsonl, found independently of the library) and the personal
# values a support redaction must remove (planted.json).  Every step runs
# inside the corpus, so that the records' sources name files there.

# planted KIND... — the planted values of those kinds, one a line, less
# the ones the request itself names (the customer's own words).
planted() {
	python3 - corpus/planted.json corpus/request.json "$@" <<-\PY
	import json, sys
	p = json.load(open(sys.argv[1]))
	req = json.dumps(json.load(open(sys.argv[2])))
	for kind in sys.argv[3:]:
	    for v in p.get(kind, []):
	        if v not in req:
	            print(v)
	PY
}

# in_bag FILE — the planted values of FILE that occur in some file of the
# bag (as whole words), as "value: file".
in_bag() {
	while read -r v; do
		grep -rlwF -e "$v" SIRT-4711.bag | sed "s|^|$v: |"
	done <"$1"
}

test_expect_success 'setup: a corpus, a case key and two reviewer keys' '
	ldgen -o corpus >/dev/null &&
	openssl rand -hex 32 >case.key &&
	openssl genpkey -algorithm ed25519 -out security.pem 2>/dev/null &&
	openssl genpkey -algorithm ed25519 -out legal.pem 2>/dev/null &&
	test -s corpus/answer-key.jsonl && test -s security.pem && test -s legal.pem
'

test_expect_success 'ldgrep finds the answer key; the damaged archive is trouble, said' '
	(cd corpus && test_must_fail --status=2 ldgrep --scope request.json \
		archive >../found.jsonl 2>../grep.err) &&
	test_grep "web-03.tar.zst.*truncated" grep.err &&
	ldcut -o tsv --no-header -f src,line found.jsonl | sort >actual &&
	python3 -c "import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l); print(\"%s\t%d\" % (r[\"src\"], r[\"line\"]))" \
		corpus/answer-key.jsonl | sort >expect &&
	test_cmp expect actual
'

test_expect_success 'ldredact (support) redacts and reports what it dropped' '
	(cd corpus && ldredact -p support --scope request.json -k ../case.key \
		--report ../redaction.json ../found.jsonl >../redacted.jsonl) &&
	python3 -c "import json, sys
r = json.load(open(sys.argv[1]))[\"records\"]
assert r[\"read\"] == r[\"kept\"] + r[\"dropped\"], r
print(r[\"dropped\"])" redaction.json >dropped &&
	test "$(wc -l <redacted.jsonl)" -eq $(( $(wc -l <found.jsonl) - $(cat dropped) ))
'

test_expect_success 'ldtimeline orders the redacted records and reports duplicates' '
	ldtimeline --stats redacted.jsonl >timeline.jsonl 2>tl.err &&
	sed -n "s/^ldtimeline: stats: duplicates //p" tl.err >dups &&
	test -s dups
'

test_expect_success 'ldbundle create makes a bag of the dive' '
	(cd corpus && SOURCE_DATE_EPOCH=1795341600 ldbundle create \
		-o ../SIRT-4711.bag --scope request.json --report ../redaction.json \
		--source-root . ../timeline.jsonl) &&
	ldbundle verify SIRT-4711.bag >out &&
	test_grep "^SIRT-4711.bag: valid bag, 7 payload files" out
'

test_expect_success 'security and legal approve it; verify --ready' '
	for r in security legal; do
		openssl pkey -in $r.pem -pubout >$r.pub.pem || return 1
	done &&
	{ printf "security %s Sam Security\n" "$(grep -v -- ----- security.pub.pem)" &&
	  printf "legal %s Lee Legal\n" "$(grep -v -- ----- legal.pub.pem)"; } >approvers.txt &&
	ldbundle approve SIRT-4711.bag --reviewer "Sam Security" --role security \
		--key security.pem >out &&
	test_grep "approved for security by Sam Security" out &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt SIRT-4711.bag 2>err &&
	ldbundle approve SIRT-4711.bag --reviewer "Lee Legal" --role legal \
		--key legal.pem &&
	ldbundle verify --ready --keyring approvers.txt SIRT-4711.bag >out &&
	test_grep "^approved for security by Sam Security .*: valid, trusted$" out &&
	test_grep "^approved for legal by Lee Legal .*: valid, trusted$" out
'

test_expect_success 'an approval checks with the stock openssl command' '
	d=SIRT-4711.bag/approvals/security-sam-security &&
	openssl pkeyutl -verify -pubin -inkey $d/signer.pub.pem \
		-rawin -in $d/approval.txt -sigfile $d/approval.sig >out &&
	test_grep "Signature Verified Successfully" out &&
	tm=$(sha256sum <SIRT-4711.bag/tagmanifest-sha256.txt | cut -d" " -f1) &&
	test_grep "$tm" $d/approval.txt
'

test_expect_success 'events: time-ordered, count = answer key - dropped - duplicates' '
	e=SIRT-4711.bag/data/events.jsonl &&
	ldcut -o tsv --no-header -f ts,src,line $e >tsl &&
	awk -f "$TEST_DIRECTORY/timeline-order.awk" tsl &&
	! grep -q "^	" tsl &&
	keys=$(wc -l <corpus/answer-key.jsonl) &&
	test "$(wc -l <$e)" -eq $((keys - $(cat dropped) - $(cat dups))) &&
	test_grep "^Record-Count: $((keys - $(cat dropped) - $(cat dups)))$" \
		SIRT-4711.bag/bag-info.txt &&
	test_cmp timeline.jsonl $e
'

test_expect_success 'the timeline in the bag is valid Timesketch CSV, one row an event' '
	python3 "$TEST_DIRECTORY/timesketch-check.py" csv \
		SIRT-4711.bag/data/timeline.csv >n &&
	test "$(cat n)" -eq "$(wc -l <SIRT-4711.bag/data/events.jsonl)"
'

test_expect_success 'no planted secret, email or address is in any file of the bag' '
	planted secrets emails ips >personal &&
	test_line_count -ge 5 personal &&
	in_bag personal >leaks &&
	test_line_count = 0 leaks
'

test_expect_success 'the requested user is named only where the request is restated' '
	grep -rlwF alice SIRT-4711.bag | sort >actual &&
	printf "%s\n" SIRT-4711.bag/bag-info.txt SIRT-4711.bag/data/request.json \
		SIRT-4711.bag/data/summary.html SIRT-4711.bag/data/summary.md >expect &&
	test_cmp expect actual
'

# ldredact leaves a planted user name in free text ("Added eve as
# Developer" in an audit event's custom_message), an other tenant's name
# in a fork's params and an internal host name: reported to its authors.
test_expect_success 'no other planted user, tenant or internal name is in the bag' '
	planted users other_tenants internal >others &&
	in_bag others >leaks && cat leaks &&
	test_line_count = 0 leaks
'

test_expect_success 'the summary names the case and the request' '
	for s in SIRT-4711.bag/data/summary.md SIRT-4711.bag/data/summary.html; do
		test_grep "Case SIRT-4711: evidence for review" $s &&
		test_grep "acme-corp" $s &&
		test_grep "from 13 November 2026, 06:00 UTC up to 20 November 2026, 06:00 UTC" $s &&
		test_grep "2026-11-13T06:00:00Z" $s &&
		test_grep "2026-11-20T06:00:00Z" $s || return 1
	done &&
	test_grep "^| profile | sirt |$" SIRT-4711.bag/data/summary.md &&
	if test "$(cat dropped)" = 0; then
		test_grep "^- The redaction dropped no event\.$" SIRT-4711.bag/data/summary.md
	else
		test_grep "^- $(cat dropped) events* w[ae][sr]e* dropped by the redaction because" SIRT-4711.bag/data/summary.md
	fi &&
	test_grep "^| cloud and chat service keys (AWS, GitHub, Slack...) | masked (replaced by a mark) | 1 | 1 |$" SIRT-4711.bag/data/summary.md &&
	test_grep "^External-Identifier: SIRT-4711$" SIRT-4711.bag/bag-info.txt
'

test_expect_success 'provenance: every source of the events, hashed on disk' '
	python3 - SIRT-4711.bag/data/provenance.json corpus <<-\PY
	import hashlib, json, os, sys
	p = json.load(open(sys.argv[1]))
	assert p["redaction"]["tool"] == "ldredact", p["redaction"]
	for s in p["sources"]:
	    assert s["on_disk"], s
	    h = hashlib.sha256(open(os.path.join(sys.argv[2], s["path"]), "rb").read())
	    assert h.hexdigest() == s["sha256"], s
	PY
'

test_expect_success 'the independent BagIt validator accepts the bag' '
	python3 "$TEST_DIRECTORY/bagit-validate.py" SIRT-4711.bag >out &&
	test_grep "SIRT-4711.bag is valid" out
'

test_expect_success 'the exported bag verifies, ready, in its packed form' '
	ldbundle export --keyring approvers.txt SIRT-4711.bag -o SIRT-4711.tar.zst &&
	ldbundle verify --ready --keyring approvers.txt SIRT-4711.tar.zst >out &&
	test_grep "^approved for legal by Lee Legal .*: valid, trusted$" out &&
	zstd -dc SIRT-4711.tar.zst | tar -tf - >members &&
	test_grep "^SIRT-4711.bag/data/events.jsonl$" members
'

test_done
