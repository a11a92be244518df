#!/bin/sh
test_description='ldindex and ldgrep --index: skip only what cannot match'
. "$(dirname "$0")/test-lib.sh"

# same ARGS... — ldgrep with and without the index must write the same
# bytes and exit with the same status; apart from the notes about sources
# without an index, the same messages too.
same() {
	(cd corpus && ldgrep "$@" archive) >plain.out 2>plain.err
	echo $? >plain.st
	(cd corpus && ldgrep --index ../idx "$@" archive) >ix.out 2>ix.err
	echo $? >ix.st
	grep -v "read in full" ix.err >ix.err2
	test_cmp plain.out ix.out && test_cmp plain.st ix.st &&
	test_cmp plain.err ix.err2
}

# skipped — how many lines the index skipped in the last `ldgrep --stats`.
skipped() {
	sed -n 's/^ldgrep: stats: skipped by the index	\([0-9]*\) of.*/\1/p' "$1"
}

test_expect_success 'generate a corpus and index it' '
	ldgen --truth -o corpus >/dev/null &&
	(cd corpus && test_status 2 ldindex -o ../idx --stats archive 2>../build.err) &&
	test_grep "web-03.tar.zst.*truncated zstd frame.*(not indexed)" build.err &&
	test -f idx/archive/2026-11-16/web-01.tar.zst.ldx &&
	test ! -e idx/archive/2026-11-16/web-03.tar.zst.ldx
'

test_expect_success 'the request: same bytes, and most lines skipped' '
	same --scope request.json &&
	(cd corpus && test_status 2 ldgrep --index ../idx --stats \
	    --scope request.json archive) >/dev/null 2>stats &&
	n=$(skipped stats) && test "$n" -gt 1000 &&
	test_grep "web-03.tar.zst: no index in ../idx, read in full" stats
'

test_expect_success 'every output mode is the same' '
	same -c --scope request.json &&
	same -l --ns acme-corp &&
	same --raw --user alice &&
	same -j 4 --scope request.json
'

# total — "read matched" of the total line of --stats output.
total() {
	sed -n "s/^ldgrep: stats: total	\([0-9]*\)	.*	\([0-9]*\)	[0-9]*\$/\1 \2/p" "$1"
}

test_expect_success '--stats accounts for every line either way' '
	(cd corpus && ldgrep --stats --user alice archive) >/dev/null 2>plain.err
	(cd corpus && ldgrep --index ../idx --stats --user alice archive) \
	    >/dev/null 2>ix.err
	total plain.err >expect && total ix.err >actual &&
	test -s expect && test_cmp expect actual
'

# Values of the generator'"'"'s own account of every line, a few of each.
test_expect_success 'many values of every field: the same bytes' '
	for f in ns project user user_id event cid ip; do
		perl -MJSON::PP -ne "my \$t = decode_json(\$_);
		    print \$t->{$f}, qq(\n) if defined \$t->{$f}" corpus/truth.jsonl |
		sort | uniq -c | sort -k1,1n -k2 | awk "NR % 7 == 1 { print \$2 }" |
		head -n 12 >values.$f || return 1
		test -s values.$f || { echo "no $f values"; return 1; }
	done &&
	while read -r v; do same --ns "$v" || return 1; done <values.ns &&
	while read -r v; do same --project "$v" || return 1; done <values.project &&
	while read -r v; do same --user "$v" || return 1; done <values.user &&
	while read -r v; do same --user "$v" || return 1; done <values.user_id &&
	while read -r v; do same --event "$v" || return 1; done <values.event &&
	while read -r v; do same --cid "$v" || return 1; done <values.cid &&
	while read -r v; do same --ip "$v" || return 1; done <values.ip
'

test_expect_success 'case, prefixes, networks and globs: the same bytes' '
	same --ns ACME-CORP &&
	same --user ALICE &&
	same --event "personal_access_token_*" &&
	same --ip 10.0.0.0/8 &&
	same --ip 0.0.0.0/0 &&
	same --ip 2001:db8::/32 &&
	same --since 2026-11-19T13:00:00Z --until 2026-11-19T14:00:00Z &&
	same --since 2030-01-01 &&
	same --ns acme-corp --cid nosuchcid
'

test_expect_success 'a value nowhere in the corpus: nearly all is skipped (all but the damaged archive and false positives)' '
	(cd corpus && test_status 2 ldgrep --index ../idx --stats --ns no-such-tenant \
	    archive) >out 2>stats &&
	test ! -s out &&
	sed -n "s/^ldgrep: stats: total	\([0-9]*\)	.*/\1/p" stats >total &&
	n=$(skipped stats) && t=$(cat total) &&
	test "$n" -gt $((t * 8 / 10))
'

test_expect_success 'a changed archive: its index is not used, and the run says so' '
	cp -R corpus changed && cp -R idx idx2 &&
	f=archive/2026-11-17/web-01.tar.zst &&
	printf "\050\265\057\375\040\000\001\000\000" >>changed/$f &&
	(cd changed && test_status 0 ldgrep --index ../idx2 --ns acme-corp \
	    archive/2026-11-17) >out 2>err &&
	test_grep "$f: index does not match the archive (size), read in full" err &&
	(cd corpus && ldgrep --ns acme-corp archive/2026-11-17) >expect &&
	test_cmp expect out
'

test_expect_success 'same size, other bytes: the digest catches it' '
	mkdir -p same/archive same-idx &&
	printf "%s\n" "{\"time\":\"2026-11-16T02:13:12.250Z\",\"controller\":\"C\",\"action\":\"a\",\"meta.root_namespace\":\"zeta\",\"meta.user\":\"u1\"}" \
	    >same/archive/production_json.log &&
	(cd same && ldindex -o ../same-idx archive) &&
	sed -i "s/zeta/acme/" same/archive/production_json.log &&
	(cd same && test_status 0 ldgrep --index ../same-idx --ns acme archive) \
	    >out 2>err &&
	test_grep "index does not match the archive (digest)" err &&
	test_grep "\"ns\":\"acme\"" out
'

test_expect_success 'a damaged index is refused, not trusted' '
	mkdir -p dmg && cp -R corpus/archive dmg/ &&
	(cd dmg && ldindex -o ../dmg-idx archive/2026-11-18/web-01.tar.zst) &&
	ix=dmg-idx/archive/2026-11-18/web-01.tar.zst.ldx &&
	size=$(wc -c <$ix) &&
	printf "\377" | dd of=$ix bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null &&
	(cd dmg && ldgrep --index ../dmg-idx --ns acme-corp \
	    archive/2026-11-18/web-01.tar.zst) >out 2>err &&
	test_grep "index not used, read in full: .*index damaged (checksum)" err &&
	(cd corpus && ldgrep --ns acme-corp archive/2026-11-18/web-01.tar.zst) >expect &&
	test_cmp expect out
'

test_expect_success 'other format definitions: the index is not used' '
	cat >extra.json <<-\EOF &&
	{"name":"test.extra","type":"json","detect":{"keys":["zzz_extra"]},
	 "time":{"fields":["time"],"parse":"rfc3339"},"fields":{"ns":["zzz_extra"]}}
	EOF
	(cd corpus && ldgrep --index ../idx --format-file ../extra.json \
	    --ns acme-corp archive/2026-11-18) >out 2>err &&
	test_grep "index was built with other formats, read in full" err &&
	(cd corpus && ldgrep --ns acme-corp archive/2026-11-18) >expect &&
	test_cmp expect out
'

test_expect_success 'crafted: every way a value is found, with members skipped' '
	mkdir -p craft/src/log craft/archive &&
	cat >craft/src/log/production_json.log <<-\EOF &&
	{"time":"2026-11-16T01:00:00.000Z","controller":"P","action":"show","meta.project":"Big-Co/Sub/App","meta.user":"Dana","user_id":77,"remote_ip":"2001:db8:aa::9","correlation_id":"CID-one"}
	{"time":"2026-11-16T02:00:00.000Z","controller":"P","action":"show","meta.project":"other/app","meta.user":"erin","user_id":78,"remote_ip":"192.0.2.44","correlation_id":"CID-two"}
	EOF
	cat >craft/src/log/audit_json.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-17T05:00:00.000Z","author_id":77,"entity_type":"User","entity_path":"dana","author_name":"Dana","event_name":"user_logged_in","ip_address":"198.51.100.3"}
	EOF
	tar -C craft/src -cf - log/production_json.log log/audit_json.log |
	    zstd -q -o craft/archive/a.tar.zst &&
	(cd craft && ldindex -o ../craft-idx archive) &&
	for q in "--ns big-co" "--ns BIG-CO/sub" "--ns big-co/sub/app" \
	    "--project big-co/SUB/app" "--user dana" "--user 77" "--ip 2001:db8:aa::/48" \
	    "--ip 2001:db8:aa::9" "--ip 192.0.2.0/24" "--cid CID-two" \
	    "--event user_logged_in" "--event P#show" "--since 2026-11-17" \
	    "--until 2026-11-16T01:30:00Z"; do
		(cd craft && ldgrep $q archive) >expect &&
		(cd craft && ldgrep --index ../craft-idx $q archive) >actual &&
		test -s expect && test_cmp expect actual || { echo "query $q"; return 1; }
	done &&
	(cd craft && ldgrep --index ../craft-idx --stats --event user_logged_in archive) \
	    >out 2>stats &&
	test_grep "production_json.log	2	2	0	0	0	0	0" stats &&
	test "$(skipped stats)" = 2
'

test_expect_success 'ldsh --index: the same answers, and the source without one named' '
	(cd corpus && test_status 2 ldsh -c "ns acme-corp" -c "user alice" -c count -c show \
	    archive) >plain 2>&1 &&
	(cd corpus && test_status 2 ldsh --index ../idx -c "ns acme-corp" -c "user alice" \
	    -c count -c show archive) >ix 2>&1 &&
	grep -v "^# " ix >ix.answers &&
	test_cmp plain ix.answers &&
	test_grep "^# archive/2026-11-16/web-03.tar.zst: no index in ../idx, read in full" ix
'

test_expect_success 'the examples of ldindex(1)' '
	mkdir -p ex && cp -R corpus/archive ex/ && rm -f ex/archive/*/web-03.tar.zst &&
	cp corpus/request.json ex/ &&
	(cd ex && ldgrep --no-index --scope request.json archive/ >../ex.expect) &&
	test -s ex.expect &&
	(cd ex && ldindex -j 2 archive/ && ldgrep --scope request.json archive/ \
	    >../ex.side) && test_cmp ex.expect ex.side &&
	test -f ex/archive/2026-11-20/web-01.tar.zst.ldx &&
	(cd ex && ldindex -o idx archive/ &&
	 ldgrep --index idx --scope request.json archive/ >../ex.out) &&
	test_cmp ex.expect ex.out &&
	(cd ex && ldindex --repack seek --block-size 1M archive/ &&
	 ldgrep --stats --scope request.json seek/archive/ >../ex.seek 2>../ex.stats) &&
	sed "s|\"src\":\"seek/archive/|\"src\":\"archive/|" ex.seek >ex.seek2 &&
	test_cmp ex.expect ex.seek2 &&
	test_grep "skipped by the index" ex.stats &&
	(cd ex && ldindex -o idx --stats archive/) 2>ex.err &&
	test_grep "^ldindex: stats: archive/2026-11-20/web-01.tar.zst	7 units	7 blocks	[0-9]* lines	[0-9]* bytes	[0-9]* index bytes" ex.err
'

test_expect_success 'bad use: no source, standard input' '
	test_must_fail --status=2 ldindex -o i 2>err &&
	test_grep "^ldindex: no source to index" err &&
	test_grep "^try .ldindex --help.$" err &&
	echo x | test_must_fail --status=2 ldindex -o i - 2>err &&
	test_grep "standard input cannot be indexed" err
'

# Context lines can lie in a block the index would skip: with -A/-B/-C
# the output must still be that of a full read.
test_expect_success 'context around an event in a skipped block is kept' '
	mkdir -p ctx &&
	awk "BEGIN { for (i = 0; i < 3000; i++) printf \"{\\\"time\\\":\\\"2026-11-16T02:%02d:%02d.%03dZ\\\",\\\"event_name\\\":\\\"x%d\\\",\\\"author_name\\\":\\\"%s\\\",\\\"entity_path\\\":\\\"g%d\\\"}\\n\", (i / 60) % 60, i % 60, i % 1000, i, i == 1500 ? \"alice\" : \"bob\", i % 7 }" >ctx/a.jsonl &&
	zstd -q ctx/a.jsonl &&
	ldindex --repack ctxr --block-size 4K -o ctxi0 ctx/a.jsonl.zst &&
	ldindex -o ctxi ctxr/ctx/a.jsonl.zst &&
	ldgrep -B 40 -A 40 --user alice ctxr/ctx/a.jsonl.zst >plain.out &&
	ldgrep --index ctxi -B 40 -A 40 --user alice ctxr/ctx/a.jsonl.zst >ix.out &&
	test_line_count = 81 plain.out &&
	test_cmp plain.out ix.out &&
	ldgrep --index ctxi --user alice ctxr/ctx/a.jsonl.zst >one.out &&
	test_line_count = 1 one.out
'

test_done
