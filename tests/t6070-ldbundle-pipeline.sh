#!/bin/sh
test_description='ldbundle create: the redaction report is bound to its records, and the documented pipeline gives the same bag every time'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup: a corpus, a request, a case key' '
	ldgen -s 15 -o corpus >/dev/null &&
	cp corpus/request.json request.json &&
	echo 0123456789abcdef0123456789abcdef >case.key
'

# dive OUT.bag — the pipeline of ldbundle(1), every step on a pipe.
dive() {
	ldgrep --scope request.json corpus/archive 2>/dev/null |
	ldredact -p support --scope request.json -k case.key --report r.json 2>/dev/null |
	ldtimeline |
	ldbundle create --scope request.json --report r.json -o "$1"
}

test_expect_success 'the pipeline makes a bag bound to the report through ldtimeline' '
	dive S.bag && mv S.bag first.bag &&
	ldbundle verify -q first.bag &&
	$VALIDATE first.bag &&
	cmp r.json first.bag/data/redaction-report.json &&
	jq -r .redaction.binding.method first.bag/data/provenance.json >actual &&
	test_grep "^record set: every record was written by this redaction" actual &&
	test $(jq .redaction.binding.records first.bag/data/provenance.json) -lt \
	     $(jq .output.records r.json)
'

test_expect_success '20 runs without an old report give the same bag bytes' '
	i=0 && while test $i -lt 20; do
		rm -f r.json && rm -rf S.bag &&
		dive S.bag && diff -r first.bag S.bag || return 1
		i=$((i + 1))
	done
'

test_expect_success '20 runs with an old report of another redaction lying around' '
	ldgrep --scope request.json corpus/archive 2>/dev/null | head -n 5 |
		ldredact -p legal --scope request.json --report old.json >/dev/null 2>&1 &&
	i=0 && while test $i -lt 20; do
		cp old.json r.json && rm -rf S.bag &&
		dive S.bag && diff -r first.bag S.bag || return 1
		i=$((i + 1))
	done
'

test_expect_success 'with LD_RUNLOG every step is in the bag, chained by digests' '
	rm -rf S.bag && LD_RUNLOG=$PWD/dive.runlog && export LD_RUNLOG &&
	echo "{\"tool\":\"ldgrep\",\"outputs\":[{\"sha256\":\"00\"}]}" >dive.runlog &&
	dive S.bag && mv S.bag logged.bag && dive S.bag &&
	unset LD_RUNLOG &&
	diff -r logged.bag S.bag && rm -rf S.bag &&
	test $(wc -l <dive.runlog) = 7 &&
	p=logged.bag/data/provenance.json &&
	jq -r ".steps[] | .argv | join(\" \")" $p >actual &&
	cat >expect <<-\EOF &&
	ldgrep --scope request.json corpus/archive
	ldredact -p support --scope request.json -k case.key --report r.json
	ldtimeline
	EOF
	test_cmp expect actual &&
	test "$(jq -r ".steps[0].outputs[0].sha256" $p)" = "$(jq -r ".steps[1].inputs[0].sha256" $p)" &&
	test "$(jq -r ".steps[1].outputs[0].sha256" $p)" = "$(jq -r ".steps[2].inputs[0].sha256" $p)" &&
	test "$(jq -r ".steps[1].outputs[0].sha256" $p)" = "$(jq -r .output.sha256 r.json)" &&
	test "$(jq -r ".steps[2].outputs[0].sha256" $p)" = "$(sha256sum <logged.bag/data/events.jsonl | cut -d" " -f1)" &&
	test_grep "^1\. \*\*ldtimeline\*\* " logged.bag/data/summary.md
'

test_expect_success 'provenance: each archive member with its own size and SHA-256' '
	p=first.bag/data/provenance.json &&
	jq -r ".sources[] | select(.member) | [.path, .member, .member_size, .member_sha256] | @tsv" $p >members &&
	test -s members &&
	while IFS="	" read -r a m size sha; do
		# the damaged archive of the corpus is checked below
		zstd -tq "$a" 2>/dev/null || continue
		zstd -dc "$a" | tar -xOf - "$m" >member &&
		test "$(wc -c <member | tr -d " ")" = "$size" &&
		test "$(sha256sum <member | cut -d" " -f1)" = "$sha" || return 1
	done <members &&
	jq -r ".sources[] | select(.path | endswith(\".gz\")) | [.path, .member_sha256] | @tsv" $p | head -n 1 >gz &&
	read -r g sha <gz &&
	test "$(gzip -dc "$g" | sha256sum | cut -d" " -f1)" = "$sha"
'

test_expect_success 'a report of another run is refused' '
	ldgrep --scope request.json corpus/archive 2>/dev/null >found.jsonl;
	ldredact -p support --scope request.json -k case.key --report r.json \
		found.jsonl >red.jsonl 2>/dev/null &&
	sed 1d found.jsonl | ldredact -p legal --scope request.json --report other.json \
		>/dev/null 2>&1 &&
	test_must_fail --status=2 ldbundle create --scope request.json --report other.json -o x.bag red.jsonl 2>err &&
	test_grep "^ldbundle: other.json: [0-9]* of [0-9]* records were not written by the redaction this report describes (the first is record 1 of the input)" err &&
	! test -e x.bag
'

test_expect_success 'unredacted records with a report are refused' '
	test_must_fail --status=2 ldbundle create --scope request.json --report r.json -o x.bag found.jsonl 2>err &&
	test_grep "^ldbundle: r.json: [0-9]* of [0-9]* records were not written by the redaction this report describes" err &&
	! test -e x.bag
'

test_expect_success 'a record changed after redaction is refused' '
	sed "5s/\"line\":/\"line\":1/" red.jsonl >changed.jsonl &&
	test_must_fail --status=2 ldbundle create --scope request.json --report r.json -o x.bag changed.jsonl 2>err &&
	test_grep "^ldbundle: r.json: 1 of [0-9]* records were not written .* (the first is record 5 of the input)" err
'

test_expect_success 'the redaction'"'"'s own output binds exactly' '
	ldbundle create --scope request.json --report r.json -o exact.bag red.jsonl &&
	jq -r .redaction.binding.method exact.bag/data/provenance.json >actual &&
	echo "exact: the records are the bytes ldredact wrote" >expect &&
	test_cmp expect actual
'

test_expect_success 'an incomplete report, or one of another case, is refused' '
	jq -c ".complete = false" r.json >inc.json &&
	test_must_fail --status=2 ldbundle create --scope request.json --report inc.json -o x.bag red.jsonl 2>err &&
	test_grep "inc.json: the redaction did not complete" err &&
	jq -c ".case = \"SIRT-0001\"" r.json >case.json &&
	test_must_fail --status=2 ldbundle create --scope request.json --report case.json -o x.bag red.jsonl 2>err &&
	test_grep "case.json: report of case SIRT-0001, but the request is case SIRT-4711" err &&
	! test -e x.bag
'

test_expect_success 'a missing report is trouble, after the input is read' '
	test_must_fail --status=2 ldbundle create --scope request.json --report nope.json -o x.bag red.jsonl 2>err &&
	test_grep "nope.json" err && ! test -e x.bag
'

test_expect_success 'compressed input is decoded, not bagged as bytes' '
	zstd -q -c red.jsonl >red.jsonl.zst &&
	ldbundle create --scope request.json --report r.json -o z.bag red.jsonl.zst &&
	cmp red.jsonl z.bag/data/events.jsonl &&
	head -c 300 red.jsonl.zst >cut.zst &&
	test_must_fail --status=2 ldbundle create --scope request.json -o y.bag cut.zst 2>err &&
	test_grep "^ldbundle: cut.zst: " err && ! test -e y.bag
'

test_done
