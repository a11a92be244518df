#!/bin/sh
test_description='ldhunt --index, --shard and --partial: the findings of one full run'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/hunt-lib.sh"

# hunt OUT ARGS... — ldhunt with the shipped pack over the corpus's
# archive (run in corpus/); the exit status goes to OUT.st, the messages
# other than the notes about sources read in full to OUT.err.
hunt() {
	o=$1 && shift
	(cd corpus && ldhunt --pack "$@" archive) >$o 2>$o.err0
	echo $? >$o.st
	grep -v "read in full" $o.err0 >$o.err
	return 0
}

# skipped FILE — the lines the index skipped, from ldhunt --stats.
skipped() {
	sed -n 's/^ldhunt: stats: skipped by the index \([0-9]*\) of.*/\1/p' "$1"
}

test_expect_success 'generate a corpus and index it' '
	ldgen -o corpus >/dev/null &&
	(cd corpus && test_status 2 ldindex -o ../idx archive 2>/dev/null) &&
	hunt full &&
	test "$(cat full.st)" = 2 && test_line_count -gt 10 full &&
	fired full >full.ids && test_line_count -gt 3 full.ids
'

# The rules only ever see records in scope; the index skips a block only
# when no line of it is in scope, so no rule, correlations included, can
# tell the difference.
test_expect_success 'the request with and without the index: the same bytes, most lines skipped' '
	hunt plain --scope request.json &&
	hunt ix --index ../idx --scope request.json &&
	test_cmp plain ix && test_cmp plain.st ix.st && test_cmp plain.err ix.err &&
	test_line_count -gt 0 plain && cp plain request.out &&
	(cd corpus && ldhunt --pack --index ../idx --stats --scope request.json \
	    archive) >/dev/null 2>stats
	n=$(skipped stats) && test "$n" -gt 1000 &&
	test_grep "web-03.tar.zst: no index in ../idx, read in full" stats
'

test_expect_success 'a namespace and a user: the same bytes with the index' '
	for s in "--ns acme-corp" "--user alice" "--ns acme-corp --event project_fork_operation"; do
		hunt plain $s && hunt ix --index ../idx $s &&
		test_cmp plain ix && test_cmp plain.st ix.st &&
		test_cmp plain.err ix.err || return 1
	done
'

test_expect_success 'no scope: the index skips nothing, and changes nothing' '
	hunt ix --index ../idx --stats &&
	test "$(skipped ix.err)" = 0 &&
	grep -v "^ldhunt: stats: skipped" ix.err >ix.err2 &&
	hunt plain --stats && test_cmp plain.err ix.err2 &&
	test_cmp full ix
'

test_expect_success 'an index that does not match its archive is not used, and that is said' '
	cp -R corpus other &&
	f=$(cd other && find archive -name "*.tar.zst" | sort | head -n 1) &&
	printf x >>other/$f &&
	(cd other && ldhunt --pack --index ../idx --scope request.json archive) \
	    >/dev/null 2>err
	test_grep "$f: index does not match" err
'

# One shard sees only its sources: a correlation whose events lie in
# sources of different shards fires in none of them.  The parts
# (--partial) carry every record a detection selected, and one run over
# them counts them all.
test_expect_success 'three failed sign-ins in three files: a correlation across shards' '
	mkdir x &&
	audit 2026-11-14T02:00:00.000Z alice 203.0.113.9 login_failed_with_standard_authentication >x/a.log &&
	audit 2026-11-14T02:01:00.000Z alice 203.0.113.9 login_failed_with_standard_authentication >x/b.log &&
	audit 2026-11-14T02:02:00.000Z alice 203.0.113.9 login_failed_with_standard_authentication >x/c.log &&
	cat >r.yml <<-\EOT &&
	title: failed sign-in
	id: failed
	name: failed
	level: low
	logsource:
	  product: gitlab
	detection:
	  s:
	    event: login_failed_with_standard_authentication
	  condition: s
	---
	title: three failed sign-ins
	id: brute
	level: high
	correlation:
	  type: event_count
	  rules: [failed]
	  group-by: [user]
	  timespan: 10m
	  condition: {gte: 3}
	EOT
	ldhunt -r r.yml x >one &&
	fired one >ids && echo brute >expect && test_cmp expect ids &&
	for i in 1 2 3; do
		test_status 1 ldhunt -r r.yml --shard $i/3 x >naive.$i &&
		ldhunt -r r.yml --partial --shard $i/3 x >part.$i || return 1
	done &&
	cat naive.* >naive && test_line_count = 0 naive &&
	ldtimeline --merge --keep-duplicates part.* | ldhunt -r r.yml - >merged &&
	test_cmp one merged &&
	ldhunt -r r.yml part.1 part.2 part.3 >direct && test_cmp one direct
'

test_expect_success 'a part: every selected record as it came, no findings, time order' '
	test_line_count = 1 part.1 &&
	! grep "\"hunt\"" part.1 &&
	ldgrep --event login_failed_with_standard_authentication x/a.log >rec &&
	test_cmp rec part.1
'

for n in 2 3 7; do
	test_expect_success "$n shards, parts merged: the bytes of one run" '
		rm -f part.* &&
		i=1 && while [ $i -le '$n' ]; do
			(cd corpus && ldhunt --pack --partial --shard $i/'$n' \
			    archive >../part.$i 2>/dev/null)
			test $? -le 2 || return 1
			i=$((i + 1))
		done &&
		ldtimeline --merge --keep-duplicates part.* >merged.parts &&
		ldhunt --pack merged.parts >merged 2>/dev/null &&
		test_cmp full merged
	'
done

test_expect_success 'shards with the index, parts merged: the bytes of one run with the request' '
	rm -f part.* &&
	for i in 1 2 3; do
		(cd corpus && ldhunt --pack --partial --index ../idx --shard $i/3 \
		    --scope request.json archive >../part.$i 2>/dev/null)
		test $? -le 2 || return 1
	done &&
	ldtimeline --merge --keep-duplicates part.* | ldhunt --pack - >merged 2>/dev/null &&
	test_cmp request.out merged
'

test_expect_success '--partial with --summary is refused' '
	test_must_fail --status=2 ldhunt --partial --summary x 2>err &&
	test_grep "cannot be used together" err
'

# ldindex writes P.ldx beside each source by default, and ldhunt uses it
# without --index, as ldgrep does; --no-index reads every source in full.
test_expect_success 'sidecar indexes: used without --index, the same bytes; --no-index reads all' '
	cp -R corpus side &&
	(cd side && test_status 2 ldindex archive 2>/dev/null) &&
	test -n "$(find side/archive -name "*.ldx" | head -n 1)" &&
	(cd side && test_status 2 ldhunt --pack --stats --scope request.json \
	    archive >../side.out 2>../side.err) &&
	test_cmp request.out side.out &&
	n=$(skipped side.err) && test "$n" -gt 1000 &&
	(cd side && test_status 2 ldhunt --pack --no-index --stats \
	    --scope request.json archive >../none.out 2>../none.err) &&
	test_cmp request.out none.out &&
	test -z "$(skipped none.err)"
'

test_expect_success 'a stale sidecar is not used, and that is said once' '
	f=$(cd side && find archive -name "*.tar.zst" | sort | head -n 1) &&
	printf x >>side/$f &&
	(cd side && ldhunt --pack --scope request.json archive) >stale.out 2>stale.err
	test "$(grep -c "$f: sidecar index does not match" stale.err)" = 1 &&
	test_status 2 ldhunt --pack --index idx --no-index archive 2>both.err &&
	test_grep "no-index" both.err
'

test_done
