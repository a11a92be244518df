#!/bin/sh
test_description='ldsh: an interactive dive finds what ldgrep finds'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set up a corpus' '
	ldgen -o corpus >/dev/null
'

# The corpus has a damaged archive: like ldgrep, ldsh -c then exits 2.
test_expect_success 'count with a request file equals ldgrep -c' '
	(cd corpus && test_status 2 ldsh --scope request.json -c count archive >../out 2>../err) &&
	grep -q "^$(wc -l <corpus/answer-key.jsonl | tr -d " ") matching events in [0-9]* sources\$" out &&
	(cd corpus && ldgrep --scope request.json -c archive 2>/dev/null) |
	    grep -v ":0\$" | sed "s/^\\(.*\\):\\([0-9]*\\)\$/\\2 \\1/" >expect &&
	grep "^ *[0-9]*  archive" out | sed "s/^ *//; s/  / /" >actual &&
	test_cmp expect actual
'

test_expect_success 'damage is shown, the session goes on' '
	grep -q "^! archive/2026-11-16/web-03.tar.zst!.*truncated zstd frame" out
'

test_expect_success 'commands from standard input, save writes ld-records' '
	cat >dive.ldsh <<-\EOF &&
	# the planted incident
	ns acme-corp
	user alice
	since 2026-11-13T06:00:00Z
	until 2026-11-20T06:00:00Z
	event project_*
	scope
	save pat.jsonl
	EOF
	(cd corpus && test_status 2 ldsh archive <../dive.ldsh >../out 2>/dev/null) &&
	grep -q "^event     project_\\*\$" out &&
	(cd corpus && ldgrep --ns acme-corp --user alice --since 2026-11-13T06:00:00Z \
	    --until 2026-11-20T06:00:00Z --event "project_*" archive \
	    >../expect 2>/dev/null; test $? -eq 2) &&
	test -s expect && test_cmp expect corpus/pat.jsonl
'

test_expect_success 'show prints one line per event with provenance' '
	(cd corpus && test_status 2 ldsh -c "ns acme-corp" -c "user alice" -c "event member_created" \
	    -c "show 3" archive >../out 2>/dev/null) &&
	grep -q "member_created .*archive/.*:[0-9]*\$" out &&
	grep -q "^[0-9]* of [0-9]* matching events shown\$" out
'

test_expect_success 'a bad command is named, the session goes on, exit 2' '
	printf "bogus\\nip 300.1.1.1\\nuser\\nfield ua~[\\nscope\\n" >bad.ldsh &&
	test_status 2 ldsh corpus/archive <bad.ldsh >out 2>err &&
	grep -q "^ldsh: bogus: unknown command" err &&
	grep -q "^ldsh: 300.1.1.1: not an IP address" err &&
	grep -q "^ldsh: usage: user NAME|ID" err &&
	grep -q "^ldsh: pattern .* missing terminating ]" err &&
	! grep -q "^field" out &&
	grep -q "^source    corpus/archive\$" out &&
	! grep -q "^ip" out
'

test_expect_success 'a request out of its profile is refused by load' '
	sed "s/2026-11-13T06/2026-10-01T06/" corpus/request.json >wide.json &&
	test_status 2 ldsh -c "load wide.json" 2>err &&
	grep -q "at most 31 days" err
'

test_done
