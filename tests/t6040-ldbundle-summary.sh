#!/bin/sh
test_description='ldbundle: the summary for reviewers (markdown, html, review)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures && make_bag
'

test_expect_success 'summary.md: the request in words, what was found, by kind' '
	s=CASE.bag/data/summary.md &&
	test_grep "^# Case SIRT-1234: evidence for review$" $s &&
	test_grep "^Case \*\*SIRT-1234\*\*: a request made on 22 November 2026, 09:00 UTC, about the activity of \*\*alice\*\* in the tenant \*\*acme-corp\*\*, from 14 November 2026, 00:00 UTC up to 21 November 2026, 00:00 UTC.$" $s &&
	test_grep "^Profile \*\*support\*\*: a support request: at most 7 days back" $s &&
	test_grep "^5 events from 3 log files, of 3 kinds. The first is of 16 November 2026, 02:13 UTC, the last of 19 November 2026, 23:59 UTC. 1 event has no time" $s &&
	test_grep "^- \*\*Account security events\*\*: 3 " $s &&
	test_grep "^- \*\*Data access\*\*: 2 " $s &&
	test_grep "^- \*\*Everything else\*\*: 0 " $s
'

test_expect_success 'summary: key events first, in words, account before data access' '
	s=CASE.bag/data/summary.md &&
	sed -n "/^## Key events/,/^## What was removed/p" $s >key &&
	sed -n "s/^1\. //p" key >actual &&
	cat >expect <<-\EOF &&
	2026-11-17 09:30:00 UTC  signed in \[user\_logged\_in\], by alice, from 1.2.3.4, in acme-corp  (audit log, archive/audit.log line 7)
	2026-11-19 23:59:59 UTC  created a personal access token \[personal\_access\_token\_created\], by alice, in acme-corp  (audit log, archive/audit.log line 9)
	(no time)  signed in \[user\_logged\_in\], in acme-corp  (audit log, gone/old.log line 3)
	2026-11-16 02:13:12 UTC  viewed a file \[Projects::BlobController\#show\], by alice, from 1.2.3.4, in acme-corp/web  (web application log, archive/2026-11-16/web-01.tar.zst!var/log/gitlab/gitlab-rails/production\_json.log line 1234)
	2026-11-16 02:14:00 UTC  viewed a file \[Projects::BlobController\#show\], by alice, in acme-corp/web  (web application log, archive/2026-11-16/web-01.tar.zst!var/log/gitlab/gitlab-rails/production\_json.log line 1240)
	EOF
	test_cmp expect actual &&
	grep -n "^### " key >actual &&
	test_grep "Account security events" actual && test_grep "Data access" actual &&
	test $(grep -n "Account security" key | cut -d: -f1) -lt $(grep -n "^### Data access" key | cut -d: -f1)
'

test_expect_success 'summary: findings of detection rules are listed first, with titles' '
	sed "3s/\"ev\":/\"hunt\":[{\"id\":\"gl-2fa-off\",\"title\":\"Two-factor turned off after failed sign-ins\",\"level\":\"high\",\"tags\":[\"attack.persistence\"]}],\"ev\":/" records.jsonl >hunted.jsonl &&
	ldbundle create -o hunt.bag --scope request.json hunted.jsonl &&
	s=hunt.bag/data/summary.md &&
	sed -n "/^## Key events/,/^### Account/p" $s >key &&
	test_grep "^### What the detection rules found$" key &&
	test_grep "^| Two-factor turned off after failed sign-ins | high | 1 |$" key &&
	grep -F "1. **Two-factor turned off after failed sign-ins**: 2026-11-17 09:30:00 UTC  signed in \\[user\\_logged\\_in\\]" key
'

test_expect_success 'summary: what was removed, in words, rules without hits left out' '
	echo 00112233445566778899aabbccddeeff >case.key &&
	ldredact -p support --scope request.json -k case.key --report sup.json records.jsonl >sup.jsonl 2>/dev/null &&
	ldbundle create -o sup.bag --scope request.json --report sup.json sup.jsonl &&
	s=sup.bag/data/summary.md &&
	sed -n "/^## What was removed/,/^## What was dropped/p" $s >removed &&
	test_grep "^The events were redacted by ldredact with the policy \*\*support\*\* (built-in), whose SHA-256 is $(jq -r .policy.sha256 sup.json)\. " removed &&
	test_grep "^| user names | replaced by a pseudonym .* | [1-9][0-9]* | [1-9][0-9]* |$" removed &&
	test_grep "^| IP addresses | replaced by a pseudonym .* | 4 | 2 |$" removed &&
	test_grep -v "private keys" removed &&
	n=$(jq "[.rules[] | select(.values == 0 and .records == 0)] | length" sup.json) &&
	test_grep "^$n other rules of the policy found nothing to remove.$" removed &&
	sed -n "/^## What was dropped/,/^## Approvals/p" $s >dropped &&
	test_grep "^- The redaction dropped no event.$" dropped &&
	test_grep "^- 1 event has no time it could be placed at" dropped
'

test_expect_success 'summary: the chart has a bar a day with empty days, in words' '
	s=CASE.bag/data/summary.md &&
	sed -n "/^\`\`\`$/,/^\`\`\`$/p" $s | sed "1d;\$d" >actual &&
	cat >expect <<-\EOF &&
	Mon 16 Nov         2 |DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD
	Tue 17 Nov         1 |AAAAAAAAAAAAAAAAAAAAAAAAA
	Wed 18 Nov         0 |
	Thu 19 Nov         1 |AAAAAAAAAAAAAAAAAAAAAAAAA
	EOF
	test_cmp expect actual &&
	h=CASE.bag/data/summary.html &&
	test_grep "How many events each day (UTC)" $h &&
	test_grep ">number of events</text>" $h &&
	test_grep "rotate(-45)\" font-size=\"11\" text-anchor=\"end\">Wed 18 Nov</text>" $h &&
	test "$(grep -c "<rect x=.*<title>" $h)" = 3 &&
	test_grep "<title>Mon 16 Nov: 2 data access events</title>" $h
'

test_expect_success 'summary: the audit gap, and ldbundle gap writes a draft issue' '
	s=CASE.bag/data/summary.md &&
	sed -n "/^## The gap/,/^## Where/p" $s >gap &&
	test_grep "^| viewed a file | Projects::BlobController\\\\#show | web application log | 2 |$" gap &&
	ldbundle gap CASE.bag >issue &&
	test_grep "^Title: Audit events missing for 1 kind of act found in application logs$" issue &&
	test_grep "^| viewed a file | \`Projects::BlobController#show\` | web application log | 2 |$" issue
'

test_expect_success 'a report that is not ldredact'"'"'s is refused' '
	echo "{\"rules\":[{\"id\":\"x\"}]}" >thin.json &&
	test_must_fail --status=2 ldbundle create -o thin.bag --scope request.json --report thin.json records.jsonl 2>err &&
	echo "ldbundle: thin.json: not a redaction report of ldredact" >expect &&
	test_cmp expect err && ! test -e thin.bag
'

test_expect_success 'summary.html: self-contained, no script, structure for a reader' '
	h=CASE.bag/data/summary.html &&
	test_grep "<svg " $h &&
	test_grep -v "<script" $h &&
	test_grep -v "javascript:" $h &&
	! grep -E "(src|href)=\"[^#]" $h &&
	test_grep "Content-Security-Policy\" content=\"default-src .none.; style-src .unsafe-inline.\"" $h &&
	grep -o "<h2 id=\"[a-z]*\">" $h | sed "s/.*id=\"\(.*\)\">/\1/" | tr "\n" " " >actual &&
	printf "asked found chart key removed dropped approvals gap provenance request kinds " >expect &&
	test_cmp expect actual &&
	test_grep "<!-- ldbundle:approvals -->" $h &&
	python3 -c "import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())" $h
'

test_expect_success 'log values are escaped in html and markdown' '
	sed "s/\"event\":\"user_logged_in\"/\"event\":\"<script>alert(1)<\\/script> | *x*\"/" records.jsonl >evil.jsonl &&
	ldbundle create -o evil.bag --scope request.json evil.jsonl &&
	test_grep -v "<script>" evil.bag/data/summary.html &&
	test_grep "&lt;script&gt;alert(1)&lt;/script&gt; | \*x\*" evil.bag/data/summary.html &&
	test_grep "\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\| \\\\\*x\\\\\*" evil.bag/data/summary.md
'

test_expect_success 'a dive within three days gets an hourly chart' '
	head -n 2 records.jsonl >short.jsonl &&
	ldbundle create -o short.bag --scope request.json short.jsonl &&
	test_grep "^## Events per hour$" short.bag/data/summary.md &&
	test_grep "^16 Nov 02:00       2 |D*$" short.bag/data/summary.md &&
	test "$(grep -c "<rect x=.*<title>" short.bag/data/summary.html)" = 1
'

test_expect_success 'review prints status, approvals and the summary' '
	ldbundle review CASE.bag >out &&
	head -n 7 out >actual &&
	cat >expect <<-EOF &&
	Bag:        CASE.bag
	Case:       SIRT-1234
	Integrity:  valid (7 payload files, $(cat CASE.bag/data/* | wc -c | tr -d " ") octets)
	Keyring:    none given (--keyring): no approval is trusted
	Approvals:  none
	Ready:      no

	EOF
	test_cmp expect actual &&
	tail -n +8 out >actual &&
	test_cmp CASE.bag/data/summary.md actual
'

test_expect_success 'review of a changed bag says so and exits 1' '
	cp -R CASE.bag b.bag && flip b.bag/data/events.jsonl &&
	test_must_fail --status=1 ldbundle review b.bag >out 2>err &&
	test_grep "^Integrity:  NOT VALID, 2 problems" out &&
	test_grep "events.jsonl: sha256 checksum mismatch" err
'

test_expect_success 'review --html: the page with its approvals, names, roles, fingerprints' '
	make_keys && make_keyring &&
	cp -R CASE.bag ok.bag &&
	ldbundle approve ok.bag --reviewer "Sam Security" --role security --key sec.pem &&
	ldbundle approve ok.bag --reviewer "Lee Legal" --role legal --key legal.pem &&
	ldbundle review --keyring approvers.txt --html review.html ok.bag &&
	ldbundle verify -q ok.bag &&
	kl=$(openssl pkey -pubin -in legal.pub.pem -outform DER | sha256sum | cut -d" " -f1) &&
	test_grep "<strong>Ready to leave the company</strong>" review.html &&
	test_grep "Keyring of approvers: SHA-256 <code>$(sha256sum <approvers.txt | cut -d" " -f1)</code>" review.html &&
	test_grep "<tr><td>Lee Legal</td><td>legal</td><td>2026-11-22T10:00:00Z</td><td><code>$kl</code></td><td>valid, key trusted for this role</td></tr>" review.html &&
	ldbundle review --html untrusted.html ok.bag &&
	test_grep "<strong>Not ready</strong>" untrusted.html &&
	test_grep "valid signature, key not trusted" untrusted.html &&
	sed "/ldbundle:approvals -->/,/\/ldbundle:approvals -->/d" review.html >a &&
	sed "/ldbundle:approvals -->/,/\/ldbundle:approvals -->/d" ok.bag/data/summary.html >b &&
	test_cmp a b
'

# The page must render in a real browser: Debian's chromium, installed
# when missing and we are root; otherwise the test is skipped.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
   command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium >/dev/null 2>&1 ||
	{ apt-get update -qq >/dev/null 2>&1 &&
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends chromium >/dev/null 2>&1; }
fi
if command -v chromium >/dev/null 2>&1; then
test_expect_success 'the page with approvals renders in headless chromium, chart not blank' '
	prof=$(mktemp -d) &&
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$prof" \
		--screenshot="$PWD/shot.png" --window-size=1000,1400 \
		"file://$PWD/review.html" >/dev/null 2>&1;
	rm -rf "$prof" &&
	test -s shot.png &&
	python3 - shot.png <<-\PY
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a png"
	pos, idat, w = 8, b"", 0
	while pos < len(data):
	    n, typ = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if typ == b"IHDR":
	        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
	        assert depth == 8 and ctype in (2, 6), (depth, ctype)
	        bpp = 3 if ctype == 2 else 4
	    elif typ == b"IDAT":
	        idat += body
	    pos += 12 + n
	raw = zlib.decompress(idat)
	stride = w * bpp
	prev = bytearray(stride)
	dark = blue = 0
	for y in range(h):
	    f = raw[y * (stride + 1)]
	    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
	    for i in range(stride):
	        a = line[i - bpp] if i >= bpp else 0
	        b = prev[i]
	        c = prev[i - bpp] if i >= bpp else 0
	        if f == 1: line[i] = (line[i] + a) & 255
	        elif f == 2: line[i] = (line[i] + b) & 255
	        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
	        elif f == 4:
	            p = a + b - c
	            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    for x in range(0, stride, bpp):
	        r, g, bl = line[x], line[x + 1], line[x + 2]
	        if r + g + bl < 600:
	            dark += 1
	        if bl > 150 and r < 90 and 80 < g < 140:
	            blue += 1
	    prev = line
	print("non-white", dark, "bar-blue", blue)
	assert dark > 5000, "page looks blank"
	assert blue > 2000, "no histogram bars rendered"
	PY
'
else
	test_skip 'summary.html renders in headless chromium' 'chromium not available'
fi

test_done
