#!/bin/sh
test_description='ldhunt: man pages, completions and the EXAMPLES, run'
. "$(dirname "$0")/test-lib.sh"

MAN=$SRC_DIRECTORY/man

test_expect_code() {
	want=$1; shift
	"$@"; got=$?
	[ "$got" = "$want" ] || { echo "exit $got, not $want" >&2; return 1; }
}

test_expect_success 'every option is described, and in the completions' '
	ldhunt --list-options | sed "s/[= 	].*//; s/^--//" >opts &&
	test -s opts &&
	while read o; do
		grep -q -e "^\.It .*Fl -$o\( \|\$\|,\)" -e "^\.It .*Fl -$o Ns" -e "^\.It .*Fl -$o Ar" \
			"$MAN/ldhunt.1" || { echo "$o: not described"; exit 1; }
		for c in ldhunt.bash _ldhunt ldhunt.fish; do
			grep -q -e "--$o\\b" -e "-l $o\\b" -e "{-.,--$o" \
				"$SRC_DIRECTORY/completions/$c" || { echo "$o: not in $c"; exit 1; }
		done
	done <opts
'
test_expect_success 'the pages pass mandoc -Tlint' '
	command -v mandoc >/dev/null || { echo "# no mandoc"; exit 0; }
	mandoc -Tlint -W warning "$MAN/ldhunt.1" "$MAN/ld-rules.5"
'

test_expect_success 'make install puts the pack in the share directory; LD_RULES reads it' '
	make -s -C "$SRC_DIRECTORY" install B="$LD_BUILD" PREFIX=/opt/ld \
	    DESTDIR="$PWD/stage" >log 2>&1 || { cat log; false; } &&
	ls "$SRC_DIRECTORY"/lib/hunt/rules/gitlab >src.list &&
	ls stage/opt/ld/share/logdive/rules/gitlab >inst.list &&
	test_cmp src.list inst.list &&
	test -f stage/opt/ld/share/man/man5/ld-rules.5 &&
	test -x stage/opt/ld/bin/ldhunt &&
	ldhunt --list-rules >builtin &&
	LD_RULES=$PWD/stage/opt/ld/share/logdive/rules/gitlab ldhunt --list-rules >installed &&
	test_cmp builtin installed &&
	rm -rf stage
'

# The examples run against the ldgen corpus (its planted take-over).
ldgen -o corpus >/dev/null || exit 1
ln -s corpus/archive archive
cp corpus/request.json request.json
sed -n "/^\.Sh EXAMPLES/,/^\.Sh /p" "$MAN/ldhunt.1" "$MAN/ld-rules.5" |
	sed -n "s/^\.Dl \\$ //p" | sed -e 's/\\-/-/g' -e 's/\\&//g' >examples

test_expect_success 'the examples are those run here' '
	cat >expect <<-\EOT &&
	ldhunt --level medium --scope request.json archive/
	ldhunt --summary --ip-list bad-ips.txt archive/
	ldgrep --scope request.json archive/ | ldhunt --pack -r my-rules/
	ldhunt archive/ | ldtimeline --text
	ldhunt --index idx --scope request.json archive/
	ldhunt -r brute.yml --list-rules
	ldhunt --pack -r brute.yml archive/
	EOT
	test_cmp expect examples
'
test_expect_success 'ldhunt(1): the request week at medium or above' '
	test_expect_code 2 ldhunt --level medium --scope request.json archive/ >out 2>err &&
	test_grep "truncated zstd frame" err &&
	test_grep "\"level\":\"high\"" out &&
	! grep "\"hunt\":\[{[^]]*\"level\":\"low\"[^]]*\]}\]" out
'
test_expect_success 'ldhunt(1): the summary with a list of bad addresses' '
	printf "# from the feed\n203.0.113.0/24\n" >bad-ips.txt &&
	test_expect_code 2 ldhunt --summary --ip-list bad-ips.txt archive/ >sum 2>err &&
	test_grep "^high	[0-9]*	.*ae6bb413-5f52-4867-9567-47487e592d85	GitLab connection from a listed malicious address" sum
'
test_expect_success 'ldhunt(1): own rules and the pack over records' '
	mkdir my-rules &&
	printf "title: Export worker\nid: my-1\nlevel: low\nlogsource: {product: gitlab, service: sidekiq}\ndetection:\n  s: {event: ProjectExportWorker}\n  condition: s\n" >my-rules/export.yml &&
	{ ldgrep --scope request.json archive/ 2>/dev/null | ldhunt --pack -r my-rules/ >out; } &&
	test_grep "\"id\":\"my-1\"" out && test_grep "93bd24d8-2e51-4c5d-9a4a-5b7437d4b48f" out
'
test_expect_success 'ldhunt(1): the findings in the timeline' '
	{ ldhunt archive/ 2>/dev/null | ldtimeline --text >tl; } &&
	test_grep "\[high: GitLab failed sign-ins then a sign-in from a new address\] user_signed_in_from_unseen_ip user=alice" tl
'
test_expect_success 'ldhunt(1): with the indexes, the same events as without' '
	test_expect_code 2 ldindex -o idx archive/ 2>/dev/null &&
	test_expect_code 2 ldhunt --scope request.json archive/ >plain 2>/dev/null &&
	test_expect_code 2 ldhunt --index idx --scope request.json archive/ >out 2>err &&
	test_grep "no index in idx, read in full" err &&
	test_line_count -gt 0 out && test_cmp plain out
'
test_expect_success 'ldhunt(1): three shards, the parts joined and hunted once' '
	sed -n "/^\.Bd -literal/,/^\.Ed/p" "$MAN/ldhunt.1" |
	    sed -n "/--partial/,/^\.Ed/p" | sed "\$d" |
	    sed -e "s/^\\$ //" -e "s/\\\\e\$/\\\\/" -e "s/\\\\-/-/g" >shards.sh &&
	test_grep "ldtimeline --merge --keep-duplicates part" shards.sh &&
	sh shards.sh >merged 2>/dev/null &&
	test_cmp plain merged
'
test_expect_success 'ld-rules(5): the example rule, listed and run' '
	sed -n "/^\.Bd -literal/,/^\.Ed/p" "$MAN/ld-rules.5" | sed "1d;\$d" >brute.yml &&
	ldhunt -r brute.yml --list-rules >list &&
	test_line_count = 2 list && test_grep "^medium  *event_count .*Brute-force sign-in" list &&
	test_expect_code 2 ldhunt --pack -r brute.yml archive/ >out 2>/dev/null &&
	test_grep "\"title\":\"Brute-force sign-in\"" out
'

test_done
