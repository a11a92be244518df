#!/bin/sh
test_description='ldcut and ldtimeline: man pages and completions match the option tables'
. "$(dirname "$0")/test-lib.sh"

for tool in ldcut ldtimeline; do
	test_expect_success "$tool: every option is in the man page SYNOPSIS and completions" '
		$tool --list-options | sed "s/[=	].*//; s/^--//" >opts &&
		test -s opts &&
		while read o; do
			sed -n "/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p" "$SRC_DIRECTORY/man/$tool.1" |
			grep -q -e "^\.Op Fl -$o\( \|\$\)" -e "^\.Op Fl . Ar" || { echo "$o: not in $tool.1"; exit 1; }
			grep -q -e "^\.It Fl -$o\( \|\$\)" -e "Fl -$o Ar [a-z]*\$" -e "Fl -$o\$" \
				"$SRC_DIRECTORY/man/$tool.1" || { echo "$o: not described in $tool.1"; exit 1; }
			for c in $tool.bash _$tool $tool.fish; do
				grep -q -e "--$o\\b" -e "-l $o\\b" -e "{-.,--$o}" \
					"$SRC_DIRECTORY/completions/$c" || { echo "$o: not in $c"; exit 1; }
			done
		done <opts
	'
	test_expect_success "$tool: the man page passes mandoc -Tlint" '
		command -v mandoc >/dev/null || { echo "# no mandoc"; exit 0; }
		mandoc -Tlint -W warning "$SRC_DIRECTORY/man/$tool.1"
	'
	test_expect_success "$tool: the man page EXAMPLES use real options" '
		grep "^\.Dl" "$SRC_DIRECTORY/man/$tool.1" | grep -o -e "--[a-z-]*" | sort -u >used &&
		$tool --list-options | sed "s/[=	].*//" >known &&
		ldgrep --list-options | sed "s/[=	].*//" >>known &&
		while read o; do grep -qx -e "$o" known || { echo "$o unknown"; exit 1; }; done <used
	'
done

test_done
