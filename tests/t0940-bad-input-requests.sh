#!/bin/sh
test_description='bad input: requests and times at the edges of the supported range'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-bad-input.sh"

# request NAME PROFILE SINCE UNTIL REQUESTED — a request file NAME.json.
request() {
	printf '{"case":"C-9","tenant":"acme-corp","profile":"%s","since":"%s","until":"%s","requested_at":"%s"}\n' \
	    "$2" "$3" "$4" "$5" >"$1.json"
}

# refused TOOL PATTERN ARGS... — the tool refuses before reading: exit
# 2, the message, nothing written.
refused() {
	t=$1 pat=$2
	shift 2
	test_must_fail --status=2 "$t" "$@" good.log >out 2>err &&
	test_grep "^$t: $pat" err &&
	test ! -s out
}

test_expect_success 'setup' '
	make_good
'

test_expect_success 'a window of 327 years is refused under sirt, not wrapped round' '
	request r327 sirt 1700-01-01T00:00:00Z 2026-11-01T00:00:00Z 2026-11-02T00:00:00Z &&
	refused ldgrep "request refused: profile sirt allows a window of at most 31 days" --scope r327.json
'

test_expect_success 'the widest window in range is refused under support' '
	request wide support 1678-01-01T00:00:00Z 2261-12-31T00:00:00Z 2261-12-31T00:00:00Z &&
	refused ldredact "request refused: profile support allows a window of at most 7 days" -p legal -k case.key --scope wide.json
'

test_expect_success 'exactly 7 days is accepted under support, one second more is not' '
	cat >ok.json <<-\EOF &&
	{"case":"C-9","tenant":"acme-corp","profile":"support","since":"2026-11-09T02:13:12Z","until":"2026-11-16T02:13:12Z","requested_at":"2026-11-17T00:00:00Z"}
	EOF
	ldgrep --raw --scope ok.json good.log >out &&
	head -n 1 good.log | test_cmp - out &&
	request long support 2026-11-09T02:13:11Z 2026-11-16T02:13:12Z 2026-11-17T00:00:00Z &&
	refused ldgrep "request refused: profile support allows a window of at most 7 days" --scope long.json
'

test_expect_success 'a date before the range in a request is named with the field' '
	request old sirt 1442-01-01T00:00:00Z 2026-11-01T00:00:00Z 2026-11-02T00:00:00Z &&
	refused ldgrep "old\\.json: \"since\": 1442-01-01T00:00:00Z: outside the supported time range" --scope old.json
'

test_expect_success 'a date after the range in a request is named with the field' '
	request late sirt 2026-11-01T00:00:00Z 2300-01-01T00:00:00Z 2300-01-02T00:00:00Z &&
	refused ldredact "late\\.json: \"until\": 2300-01-01T00:00:00Z: outside the supported time range" -p legal -k case.key --scope late.json
'

test_expect_success '--since 2300-01-01 is outside the range' '
	refused ldgrep "--since: 2300-01-01: outside the supported time range 1678-01-01 to 2261-12-31" --since 2300-01-01
'

test_expect_success '--since 99999999999d does not wrap into the future' '
	refused ldgrep "--since: 99999999999d: outside the supported time range" --since 99999999999d
'

test_expect_success '--until with a span past what 64 bits hold' '
	refused ldgrep "--until: 9223372036854775807s: outside the supported time range" --until 9223372036854775807s
'

test_expect_success '--year 9999 is refused' '
	refused ldgrep "--year: .9999. is not a number from 1678 to 2261" --year 9999
'

test_expect_success 'a missing request file says why, without a line number' '
	refused ldgrep "nope\\.json: No such file or directory\$" --scope nope.json
'

test_expect_success 'a request that is not JSON names its line' '
	printf "{\"case\":\"x\",\n\"since\": }\n" >bad.json &&
	refused ldgrep "bad\\.json:2: " --scope bad.json
'

test_expect_success 'a request with a key given twice is refused' '
	printf "{\"case\":\"x\",\"tenant\":\"acme-corp\",\"tenant\":\"other\"}\n" >dup.json &&
	refused ldgrep "dup\\.json:1: duplicate object key" --scope dup.json
'

test_expect_success 'an empty file counts 0 with -c --count-all, the good input counts' '
	: >empty.log &&
	ldgrep -c --count-all empty.log good.log >out &&
	printf "empty.log:0\ngood.log:3\n" | test_cmp - out
'

test_done
