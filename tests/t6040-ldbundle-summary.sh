#!/bin/sh
test_description='ldbundle: the summary for reviewers (markdown, html, review)'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures && make_bag
'

test_expect_success 'summary.md: request, counts, histogram, redaction, first and last' '
	s=CASE.bag/data/summary.md &&
	test_grep "^# Case SIRT-1234: log-dive bundle$" $s &&
	test_grep "^| tenant | acme-corp |$" $s &&
	test_grep "^| users | alice |$" $s &&
	test_grep "^| projects | (any) |$" $s &&
	test_grep "^- Records: 5$" $s &&
	test_grep "^- Records without a time (not on the timeline): 1$" $s &&
	test_grep "^- Sources: 3$" $s &&
	test_grep "^- First event: 2026-11-16T02:13:12.250Z  archive/2026-11-16/web-01.tar.zst!var/log/gitlab/gitlab-rails/production\\\\_json.log:1234  Projects::BlobController#show  user alice  project acme-corp/web$" $s &&
	test_grep "^- Last event: 2026-11-19T23:59:59.999999Z  archive/audit.log:9  personal\\\\_access\\\\_token\\\\_created  user alice$" $s &&
	sed -n "/^## Event types/,/^## Days/p" $s >actual &&
	cat >expect <<-\EOF &&
	## Event types

	| event | records |
	|---|--:|
	| Projects::BlobController#show | 2 |
	| (unknown) | 1 |
	| personal\_access\_token\_created | 1 |
	| user\_logged\_in | 1 |

	## Days (UTC)
	EOF
	test_cmp expect actual &&
	sed -n "/^## Days/,/^## Sources/p" $s >actual &&
	cat >expect <<-\EOF &&
	## Days (UTC)

	| day | records |
	|---|--:|
	| 2026-11-16 | 2 |
	| 2026-11-17 | 1 |
	| 2026-11-19 | 1 |

	## Sources
	EOF
	test_cmp expect actual
'

test_expect_success 'summary.md: histogram per day with empty days, redaction per rule' '
	s=CASE.bag/data/summary.md &&
	sed -n "/^## Records per day/,/^## Event/p" $s | sed -n "/^2026/,/^2026-11-19/p" >actual &&
	cat >expect <<-\EOF &&
	2026-11-16       |################################################## 2
	2026-11-17       |+++++++++++++++++++++++++                          1
	                   … 1 empty days
	2026-11-19       |=========================                          1
	EOF
	test_cmp expect actual &&
	test_grep "^  = personal_access_token_created (1)$" $s &&
	test_grep "^| email | 3 | 2 |$" $s &&
	test_grep "^| ipv4 | 5 | 4 |$" $s &&
	test_grep "^| \*\*total\*\* | 8 | 6 |$" $s &&
	test_grep "^Records dropped: 3$" $s &&
	test_grep "^- no\\\\_tenant: 2$" $s
'

test_expect_success 'a report that is not ldredact'"'"'s is refused' '
	echo "{\"rules\":[{\"id\":\"x\"}]}" >thin.json &&
	test_must_fail --status=2 ldbundle create -o thin.bag --scope request.json --report thin.json records.jsonl 2>err &&
	echo "ldbundle: thin.json: not a redaction report of ldredact" >expect &&
	test_cmp expect err && ! test -e thin.bag
'

test_expect_success 'summary.html: self-contained, no script, histogram as svg bars' '
	h=CASE.bag/data/summary.html &&
	test_grep "<svg " $h &&
	test "$(grep -c "<rect x=.*<title>" $h)" = 3 &&
	test_grep "<title>2026-11-16 Projects::BlobController#show: 2</title>" $h &&
	ldtimeline --histogram day --keep-duplicates --svg tl.svg records.jsonl >/dev/null 2>&1 &&
	grep "<rect x=.*<title>" tl.svg >expect &&
	grep "<rect x=.*<title>" $h >actual &&
	test_cmp expect actual &&
	test_grep -v "<script" $h &&
	test_grep -v "javascript:" $h &&
	! grep -E "(src|href)=" $h &&
	test_grep "Content-Security-Policy\" content=\"default-src .none.; style-src .unsafe-inline.\"" $h &&
	test_grep "<td><code>personal_access_token_created</code></td><td class=\"n\">1</td>" $h &&
	python3 -c "import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())" $h
'

test_expect_success 'log values are escaped in html and markdown' '
	sed "s/\"event\":\"user_logged_in\"/\"event\":\"<script>alert(1)<\\/script> | *x*\"/" records.jsonl >evil.jsonl &&
	ldbundle create -o evil.bag --scope request.json evil.jsonl &&
	test_grep -v "<script>" evil.bag/data/summary.html &&
	test_grep "&lt;script&gt;alert(1)&lt;/script&gt; | \*x\*" evil.bag/data/summary.html &&
	test_grep "\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\| \\\\\*x\\\\\*" evil.bag/data/summary.md
'

test_expect_success 'a dive within three days gets an hourly histogram' '
	head -n 2 records.jsonl >short.jsonl &&
	ldbundle create -o short.bag --scope request.json short.jsonl &&
	test_grep "^## Records per hour (UTC)$" short.bag/data/summary.md &&
	test_grep "^2026-11-16 02:00 |#* 2$" short.bag/data/summary.md &&
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
test_expect_success 'summary.html renders in headless chromium, chart not blank' '
	prof=$(mktemp -d) &&
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$prof" \
		--screenshot="$PWD/shot.png" --window-size=1000,1400 \
		"file://$PWD/CASE.bag/data/summary.html" >/dev/null 2>&1;
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
