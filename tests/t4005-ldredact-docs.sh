#!/bin/sh
test_description='ldredact: the man page, usage and completions know every option'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'every option is in the man page, usage and completions' '
	ldredact --list-options | sed "s/[= ].*//; s/\t.*//" >opts &&
	test_line_count -gt 10 opts &&
	ldredact --help >help &&
	while read o; do
		grep -Eq "Fl -${o#--}( |\$)" "$SRC_DIRECTORY/man/ldredact.1" ||
		{ echo "man: $o"; return 1; }
		grep -q -e "$o" help || { echo "help: $o"; return 1; }
		grep -q -e "$o" "$SRC_DIRECTORY/completions/ldredact.bash" || { echo "bash: $o"; return 1; }
		grep -q -e "$o" "$SRC_DIRECTORY/completions/_ldredact" || { echo "zsh: $o"; return 1; }
		grep -q -e "-l ${o#--}" "$SRC_DIRECTORY/completions/ldredact.fish" || { echo "fish: $o"; return 1; }
	done <opts
'

test_expect_success 'ld-policy(5) lists every detector' '
	sed -n "s/^	{ \"\([a-z0-9-]*\)\",\$/\1/p" \
	    "$SRC_DIRECTORY/lib/redact/redact_detect.c" >detectors &&
	test_line_count -gt 15 detectors &&
	while read d; do
		grep -Eq "^\.It Cm $d( |\$)|Cm $d ," "$SRC_DIRECTORY/man/ld-policy.5" ||
		{ echo "ld-policy.5: $d"; return 1; }
	done <detectors
'

if command -v mandoc >/dev/null 2>&1; then
test_expect_success 'the man pages are mandoc -Tlint clean' '
	mandoc -Tlint -W warning "$SRC_DIRECTORY/man/ldredact.1" \
	    "$SRC_DIRECTORY/man/ld-policy.5"
'
else
test_skip 'the man pages are mandoc -Tlint clean' 'no mandoc'
fi

test_expect_success 'the EXAMPLES of ldredact(1) run' '
	ldredact --print-policy customer >c.json &&
	test_grep "\"name\": \"customer\"" c.json &&
	ldredact --new-key case.key &&
	test $(wc -c <case.key) = 65 &&
	grep -Eq "^[0-9a-f]{64}\$" case.key
'

test_done
