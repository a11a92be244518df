#!/bin/sh
test_description='hostile but valid JSON: every line Python reads as an object is read by every tool'
. "$(dirname "$0")/test-lib.sh"

# tests/hostile-json.py writes seeded lines that RFC 8259's grammar accepts
# and jansson alone would refuse or read otherwise (lone surrogates, NUL in
# keys, numbers past int64 and double, escaped key names of canonical
# fields, duplicate keys, white space everywhere, deep arrays, a BOM before
# the first line), mixed with lines the grammar refuses; Python's json
# module is the oracle (issue 16).
oracle() {
	python3 "$TEST_DIRECTORY/hostile-json.py" "$@"
}

test_expect_success 'setup: seeded hostile lines and what Python reads in them' '
	oracle gen 1616 600 h.log h.oracle &&
	oracle gen 1617 300 i.log i.oracle &&
	test_line_count = 600 h.log
'

for s in user=alice user=bob ns=acme ns=globex project=acme/web project=initech/tps ip=10.0.0.1 ip=192.0.2.7; do
	k=${s%%=*} v=${s#*=}
	test_expect_success "ldgrep --$k $v finds exactly the lines in scope, ev byte for byte" "
		ldgrep --$k $v h.log >out &&
		oracle check grep h.oracle out $s h.log
	"
done

test_expect_success 'ldgrep -j 1 and -j 2 write the same bytes' '
	ldgrep -j 1 --ns acme h.log i.log >j1 &&
	ldgrep -j 2 --ns acme h.log i.log >j2 &&
	test_cmp j1 j2
'

test_expect_success 'ldgrep --stats: the lines Python refuses are malformed, and only they' '
	ldgrep --stats h.log >/dev/null 2>stats &&
	oracle check stats h.oracle stats
'

test_expect_success 'ldcut: every line, canonical fields as Python reads them' '
	ldcut -f line,fmt,user,user_id,ns,project,ip h.log >cut &&
	oracle check cut h.oracle cut
'

test_expect_success 'ldredact -p legal --tenant acme keeps every line of the tenant' '
	ldredact -p legal --tenant acme h.log >red 2>err &&
	oracle check redact h.oracle red acme
'

test_expect_success 'read back: ldgrep over its own records finds the same lines' '
	ldgrep --ns acme h.log >rec &&
	ldgrep --user alice rec >rec-alice &&
	ldgrep --ns acme --user alice h.log >alice &&
	test_cmp alice rec-alice
'

test_expect_success 'read back: ldcut of the records gives the rows of their lines' '
	ldcut -f line,fmt,user,user_id,ns,project,ip rec >cut-rec &&
	ldcut -f line,fmt,user,user_id,ns,project,ip h.log |
	    grep -F -f "$(sed "s/^{\"line\":\\([0-9]*\\),.*/{\"line\":\\1,/" cut-rec >pat && echo pat)" >cut-want &&
	test_cmp cut-want cut-rec
'

test_expect_success 'read back: ldtimeline keeps every record and its event' '
	ldtimeline rec >tl &&
	sort rec >a && sort tl >b &&
	test_cmp a b
'

test_expect_success 'read back: ldredact of the records keeps the same lines and events' '
	ldredact -p legal --tenant acme rec >red-rec &&
	test_cmp red red-rec
'

test_expect_success 'ldsh: count, show and detail read the same lines' '
	printf "ns acme\ncount\nshow 1000\ndetail 1\n" | ldsh h.log >sh-out 2>sh-err &&
	grep -q "^$(wc -l <rec | tr -d " ") matching events in 1 sources" sh-out &&
	sed -n "s/^ *[0-9]*  .* h\.log:\([0-9]*\)\$/\1/p" sh-out | sort -n >sh-lines &&
	sed "s/^{\"ts\":[^,]*,\"src\":\"h.log\",\"line\":\([0-9]*\),.*/\1/" rec | sort -n >rec-lines &&
	test_cmp rec-lines sh-lines &&
	grep -q "^event 1 of .*, from h.log line [0-9]" sh-out
'

test_expect_success 'a BOM before the first line of an archive member is skipped' '
	mkdir m &&
	cp h.log m/a.log &&
	printf "\357\273\277{\"time\":\"2026-11-16T02:13:12Z\",\"meta.user\":\"bommed\"}\n" >m/b.log &&
	tar -czf m.tgz m &&
	ldgrep --user bommed m.tgz >out &&
	test_line_count = 1 out &&
	grep -q "\"src\":\"m.tgz!m/b.log\",\"line\":1," out &&
	ldgrep --raw --ns acme m.tgz >raw &&
	ldgrep --raw --ns acme h.log >raw-want &&
	test_cmp raw-want raw
'

test_expect_success 'a BOM after the first line is not skipped: the line is malformed' '
	{ head -n 1 i.log | tail -c +4; printf "\357\273\277"; head -n 1 i.log | tail -c +4; } >late.log &&
	ldgrep --stats late.log >/dev/null 2>stats &&
	grep -q "stats: total	2	.*	1	" stats
'

# Nesting past what jansson reads (2048) is no hiding place: the line is
# JSON, its canonical fields are read, the deep part is checked by the
# grammar and read as "[nested too deep]" (ld-record(5): "nest":"cut").
test_expect_success 'setup: lines nested 2049, 5000 and 100000 deep' '
	oracle gen-deep 1618 d.log d.oracle &&
	test_line_count = 31 d.log
'

for s in user=alice user=bob user=carol user=dave ns=acme ns=globex ns=initech; do
	k=${s%%=*} v=${s#*=}
	test_expect_success "deep lines: ldgrep --$k $v finds them, ev byte for byte" "
		ldgrep --$k $v d.log >out &&
		oracle check grep d.oracle out $s d.log
	"
done

test_expect_success 'deep lines: marked "nest":"cut", and only they' '
	ldgrep d.log >all &&
	test_line_count = 31 all &&
	test $(grep -c "^{[^{]*\"fmt\":\"json\"" all) = 18 &&
	test $(grep -c "^{[^{]*\"fmt\":\"json\",[^{]*\"nest\":\"cut\"" all) = 18 &&
	ldgrep h.log >all-h &&
	! grep -q "\"nest\":" all-h
'

test_expect_success 'deep lines: a grammar error in the deep part is malformed' '
	ldgrep --stats d.log >/dev/null 2>stats &&
	oracle check stats d.oracle stats &&
	grep -q "stats: total	31	.*	13	" stats
'

test_expect_success 'deep lines: ldcut reads their canonical fields' '
	ldcut -f line,fmt,user,user_id,ns,project,ip d.log >cut &&
	oracle check cut d.oracle cut
'

test_expect_success 'deep lines: ldredact -p legal --tenant keeps them, deep part redacted' '
	for t in acme globex initech; do
		ldredact -p legal --tenant $t d.log >red 2>err &&
		oracle check redact d.oracle red $t || return 1
	done &&
	ldredact -p legal --tenant acme d.log >red &&
	! grep -q "nested too deep\|\"nest\":" red
'

test_expect_success 'deep lines: read back, the records give the same rows' '
	ldgrep d.log >rec &&
	ldcut -f line,fmt,user,user_id,ns,project,ip rec >cut-rec &&
	ldcut -f line,fmt,user,user_id,ns,project,ip d.log >cut-want &&
	test_cmp cut-want cut-rec &&
	ldgrep --user alice rec >rec-alice &&
	ldgrep --user alice d.log >alice &&
	test_cmp alice rec-alice
'

test_done
