#!/bin/sh
test_description='ldgrep on a generated corpus: exactly the answer key'
. "$(dirname "$0")/test-lib.sh"

# "src line" of every record or answer-key line, sorted.
keys() {
	sed -n 's/.*"src":"\([^"]*\)","line":\([0-9]*\),.*/\1 \2/p' "$1" | sort
}

# Lines of truth.jsonl that a query must return, computed independently
# of the library from ldgen's own account of every line (Perl, JSON::PP).
truth_query() {
	perl -MJSON::PP -ne '
		BEGIN { ($ns, $user, $since, $until) = @ARGV; @ARGV = () }
		my $t = decode_json($_);
		next if $t->{malformed} || !defined $t->{ts};
		next if $t->{ts} lt $since || $t->{ts} ge $until;
		my $p = lc($t->{project} // ""); my $n = lc($t->{ns} // "");
		next unless $p eq $ns || index($p, "$ns/") == 0 || $n eq $ns;
		if ($user ne "") {
			next unless lc($t->{user} // "") eq $user ||
			    ($t->{user_id} // "") eq $user;
		}
		print "$t->{src} $t->{line}\n";
	' "$@" <corpus/truth.jsonl | sort
}

test_expect_success 'generate a corpus' '
	ldgen --truth -o corpus >/dev/null &&
	test -s corpus/answer-key.jsonl && test -s corpus/truth.jsonl
'

test_expect_success 'the request returns exactly the answer key' '
	(cd corpus && test_status 2 ldgrep --scope request.json archive >../out 2>../err) &&
	keys corpus/answer-key.jsonl >expect &&
	keys out >actual &&
	test_cmp expect actual
'

test_expect_success 'the answer covers every log family and container kind' '
	for f in gitlab.rails gitlab.api gitlab.audit gitlab.audit_stream gitlab.auth \
	    gitlab.sidekiq gitlab.shell gitlab.gitaly nginx.access; do
		grep -q "\"fmt\":\"$f\"" out || { echo "no $f"; return 1; }
	done &&
	grep -q "\"src\":\"archive/[^\"!]*\\.tar\\.zst!" out &&
	grep -q "\"src\":\"archive/[^\"!]*\\.jsonl\\.zst\"" out &&
	grep -q "\"src\":\"archive/[^\"!]*\\.log\\.gz\"" out &&
	grep -q "\"src\":\"archive/[^\"!]*\\.log\"" out
'

test_expect_success 'invalid UTF-8 does not hide an in-scope line' '
	grep -q "\"utf8\":\"repaired\"" out
'

test_expect_success 'the truncated archive is named; what came before it is searched' '
	grep -q "^ldgrep: archive/2026-11-16/web-03.tar.zst!.*: truncated zstd frame" err &&
	grep -q "\"src\":\"archive/2026-11-16/web-03.tar.zst!" out
'

test_expect_success 'a tenant-wide query agrees with the generator (no user)' '
	(cd corpus && test_status 2 ldgrep --ns acme-corp --since 2026-11-10 \
	    --until 2026-11-18 archive >../tenant 2>/dev/null) &&
	truth_query acme-corp "" 2026-11-10 2026-11-18 >expect &&
	keys tenant >actual &&
	test_line_count -gt 200 actual &&
	test_cmp expect actual
'

test_expect_success 'another user of another tenant, by name in another case' '
	(cd corpus && ldgrep --ns tyrell --user NIAJ --since 2026-11-08 \
	    --until 2026-11-22 archive >../niaj 2>/dev/null;
	    test $? -eq 2) &&
	truth_query tyrell niaj 2026-11-08 2026-11-22 >expect &&
	keys niaj >actual &&
	test_line_count -gt 0 actual &&
	test_cmp expect actual
'

test_expect_success '--stats accounts for every line of every source' '
	(cd corpus && test_status 2 ldgrep --scope request.json --stats archive \
	    >/dev/null 2>../stats) &&
	sed -n "s/^ldgrep: stats: //p" stats | sed 1d >table &&
	# read = skipped + parsed for every row
	awk -F "	" "\$2 != \$3 + \$4 { print; bad = 1 } END { exit bad }" table &&
	# each unit read as many lines as ldgen wrote, but the cut archive
	sed -n "s/.*\"src\":\"\\([^\"]*\\)\".*/\\1/p" corpus/truth.jsonl | uniq -c |
	    awk "{ print \$2, \$1 }" | sort >written &&
	grep -v "^total	" table | awk -F "	" "{ print \$1, \$2 }" | sort >read &&
	grep -v web-03 written >expect && grep -v web-03 read >actual &&
	test_cmp expect actual &&
	grep "web-03.*workhorse" table | awk -F "	" "\$8 < 1 { exit 1 }" &&
	test "$(grep "^total	" table | cut -f7)" = "$(wc -l <corpus/answer-key.jsonl | tr -d " ")"
'

test_expect_success 'the same bytes at -j 1, -j 2 and -j 8' '
	(cd corpus && for j in 1 2 8; do
		ldgrep --ns acme-corp -j $j archive >../j$j 2>../e$j; test $? -eq 2 || exit 1
	done) &&
	test_cmp j1 j2 && test_cmp j1 j8 && test_cmp e1 e2 && test_cmp e1 e8
'

test_done
