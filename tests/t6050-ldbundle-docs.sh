#!/bin/sh
test_description='ldbundle: man pages and completions follow the option table'
. "$(dirname "$0")/test-lib.sh"

MAN1=$SRC_DIRECTORY/man/ldbundle.1
MAN5=$SRC_DIRECTORY/man/ld-bundle.5
COMP=$SRC_DIRECTORY/completions

if command -v mandoc >/dev/null 2>&1; then
test_expect_success 'man pages pass mandoc -Tlint -W warning' '
	mandoc -Tlint -W warning "$MAN1" "$MAN5" >out 2>&1 &&
	test_line_count = 0 out
'
else
	test_skip 'man pages pass mandoc -Tlint' 'mandoc not installed'
fi

# options SUBCOMMAND — the long options ldbundle --help lists for it.
options() {
	ldbundle --help | sed -n "s/^  .*--\([a-z-]*\).* (\(.*\))$/\1 \2/p" |
	while read -r name cmds; do
		case " $cmds " in *" $1 "*) echo "$name" ;; esac
	done | sort
}

test_expect_success 'SYNOPSIS of ldbundle(1) has exactly the options of each command' '
	for c in create verify review approve export; do
		options $c >expect &&
		python3 - "$MAN1" $c >actual <<-\PY &&
		import re, sys
		text = open(sys.argv[1]).read()
		syn = text.split(".Sh SYNOPSIS")[1].split(".Sh DESCRIPTION")[0]
		blocks = syn.split(".Nm\n")
		names = set()
		for b in blocks:
		    if b.startswith(".Cm " + sys.argv[2] + "\n"):
		        names |= set(re.findall(r"Fl -([a-z-]+)", b))
		short = {"o": "output", "q": "quiet"}
		for b in blocks:
		    if b.startswith(".Cm " + sys.argv[2] + "\n"):
		        names |= {short[s] for s in re.findall(r"Fl ([a-z])\b", b) if s in short}
		print("\n".join(sorted(names)))
		PY
		sed "/^$/d" actual >a && test_cmp expect a || return 1
	done
'

test_expect_success 'every option is described in ldbundle(1)' '
	for c in create verify approve export; do
		for o in $(options $c); do
			grep -q "^\.It Fl.*-$o" "$MAN1" || { echo "no .It for --$o"; return 1; }
		done
	done
'

test_expect_success 'completions offer every option' '
	for c in create verify approve export; do
		for o in $(options $c); do
			grep -q "^	$c)  *opts=.*--$o" "$COMP/ldbundle.bash" ||
				{ echo "bash: $c --$o"; return 1; }
			sed -n "/^$c)/,/;;/p" "$COMP/_ldbundle" | grep -q -- "--$o" ||
				{ echo "zsh: $c --$o"; return 1; }
			grep "subcommand_from $c\"" "$COMP/ldbundle.fish" | grep -q -- "-l $o " ||
				{ echo "fish: $c --$o"; return 1; }
		done
	done
'

test_expect_success 'completion files parse' '
	bash -n "$COMP/ldbundle.bash" &&
	if command -v zsh >/dev/null 2>&1; then zsh -n "$COMP/_ldbundle"; fi &&
	if command -v fish >/dev/null 2>&1; then fish -n "$COMP/ldbundle.fish"; fi
'

test_expect_success 'the documented stock-openssl check is the one the tests run' '
	grep -q "openssl pkeyutl -verify -pubin -inkey \$d/signer.pub.pem" "$MAN1" &&
	grep -q "rawin -in \$d/approval.txt -sigfile \$d/approval.sig" "$MAN1" &&
	grep -q "openssl pkeyutl -verify -pubin -inkey \$d/signer.pub.pem -rawin" \
		"$TEST_DIRECTORY/t6020-ldbundle-approve.sh"
'

test_done
