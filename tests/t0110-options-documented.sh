#!/bin/sh
test_description='every option of every tool is in its man page and completions'
. "$(dirname "$0")/test-lib.sh"

# For each tool build/bin/ld* with a page man/TOOL.1, every option that
# `TOOL --list-options` prints (lines "--name[=] [-x]<TAB>help") must appear
# in the page as "Fl -name" or "Fl x", and in completions/TOOL.bash,
# completions/_TOOL and completions/TOOL.fish; and the page's SYNOPSIS must
# not name an option the tool does not have.  Tools without a page yet are
# skipped, so each tool is checked from the day its page exists.

MAN_DIRECTORY=$SRC_DIRECTORY/man
COMP_DIRECTORY=$SRC_DIRECTORY/completions

# options TOOL >file — "long short" per option ("-" when no short letter).
options() {
	"$1" --list-options >list || return 1
	test -s list || { echo "$1 --list-options printed nothing" >&2; return 1; }
	sed -e 's/	.*//' -e 's/=//' list |
	awk '{ l = $1; sub(/^--/, "", l); s = $2; sub(/^-/, "", s);
		if (s == "") s = "-"; print l, s }'
}

# in_page PAGE OPTIONS — each option as "Fl -long" or "Fl x" in the page.
in_page() {
	st=0
	while read -r long short; do
		# mdoc writes --long as "Fl -long" or as "Fl Fl long"
		grep -Eq "Fl (-|\\\\-|Fl )$long([^A-Za-z0-9_-]|\$)" "$1" && continue
		[ "$short" != - ] && grep -Eq "Fl $short([^A-Za-z0-9_-]|\$)" "$1" &&
			continue
		echo "--$long is not documented in $(basename "$1")" >&2
		st=1
	done <"$2"
	return $st
}

# in_completion KIND FILE OPTIONS — KIND is bash, zsh or fish.
in_completion() {
	test -f "$2" || { echo "missing $(basename "$2")" >&2; return 1; }
	st=0
	while read -r long short; do
		case $1 in
		fish)	lre="-l $long([^A-Za-z0-9_-]|\$)"
			sre="-s $short([^A-Za-z0-9_-]|\$)" ;;
		*)	lre="(^|[^A-Za-z0-9_-])--$long([^A-Za-z0-9_-]|\$)"
			sre="(^|[^A-Za-z0-9_-])-$short([^A-Za-z0-9_-]|\$)" ;;
		esac
		if ! grep -Eq -- "$lre" "$2"; then
			echo "--$long is not in $(basename "$2")" >&2
			st=1
		fi
		if [ "$short" != - ] && ! grep -Eq -- "$sre" "$2"; then
			echo "-$short is not in $(basename "$2")" >&2
			st=1
		fi
	done <"$3"
	return $st
}

# synopsis_ok PAGE OPTIONS — every "Fl" in the SYNOPSIS is an option of
# the tool (or one that every tool has: --help, --version, --list-options).
synopsis_ok() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1" | sed '1d;$d' |
	awk '{ for (i = 1; i < NF; i++)
		if ($i == "Fl" || $i == ".Fl") {
			if ($(i + 1) == "Fl") { print "-" $(i + 2); i += 2 }
			else print $(i + 1)
		} }' |
	sed -e 's/\\-/-/g' -e 's/\\&//g' >flags
	st=0
	while read -r f; do
		case $f in
		-*)	long=${f#-}
			case $long in help|version|list-options) continue ;; esac
			if ! awk -v l="$long" '$1 == l { found = 1 } END { exit !found }' "$2"; then
				echo "SYNOPSIS names --$long, which the tool does not have" >&2
				st=1
			fi ;;
		*)	letters=$(printf '%s\n' "$f" | sed 's/./& /g')
			for c in $letters; do
				if ! awk -v s="$c" '$2 == s { found = 1 } END { exit !found }' "$2"; then
					echo "SYNOPSIS names -$c, which the tool does not have" >&2
					st=1
				fi
			done ;;
		esac
	done <flags
	return $st
}

# The checks must be able to fail: a fake tool with an option documented
# nowhere, and a page whose SYNOPSIS names options the tool lacks.
test_expect_success 'the checks catch an undocumented option' '
	mkdir -p fake &&
	printf "#!/bin/sh\nprintf \"%%s\\\\t%%s\\\\n\" \"--count -c\" \"count\" \"--secret=\" \"hidden\"\n" >fake/ldfake &&
	chmod +x fake/ldfake &&
	options fake/ldfake >fake.opts &&
	printf "%s\n" "count c" "secret -" >expect &&
	test_cmp expect fake.opts &&
	printf ".Sh SYNOPSIS\n.Nm ldfake\n.Op Fl cx\n.Op Fl -bogus\n.Sh DESCRIPTION\n.It Fl c , Fl -count\n" >fake.1 &&
	printf "opts=\"--count -c\"\n" >fake.bash &&
	printf "complete -c ldfake -s c -l count\n" >fake.fish &&
	test_must_fail in_page fake.1 fake.opts 2>err &&
	test_grep "secret is not documented" err &&
	test_must_fail in_completion bash fake.bash fake.opts 2>err &&
	test_grep "secret is not in" err &&
	test_must_fail in_completion fish fake.fish fake.opts 2>err &&
	test_grep "secret is not in" err &&
	test_must_fail synopsis_ok fake.1 fake.opts 2>err &&
	test_grep "names -x" err &&
	test_grep "names --bogus" err
'

for tool in "$LD_BUILD"/bin/ld*; do
	[ -x "$tool" ] || continue
	name=$(basename "$tool")
	page=$MAN_DIRECTORY/$name.1
	if [ ! -f "$page" ]; then
		test_skip "$name: options documented" "no man/$name.1 yet"
		continue
	fi
	test_expect_success "$name: --list-options works" "
		options \"$tool\" >\"$TRASH_DIRECTORY/$name.opts\" &&
		test_line_count -ge 1 \"$TRASH_DIRECTORY/$name.opts\"
	"
	test_expect_success "$name: every option is in $name(1)" "
		in_page \"$page\" \"$TRASH_DIRECTORY/$name.opts\"
	"
	test_expect_success "$name: the SYNOPSIS names only real options" "
		synopsis_ok \"$page\" \"$TRASH_DIRECTORY/$name.opts\"
	"
	test_expect_success "$name: every option is in the bash completion" "
		in_completion bash \"$COMP_DIRECTORY/$name.bash\" \"$TRASH_DIRECTORY/$name.opts\"
	"
	test_expect_success "$name: every option is in the zsh completion" "
		in_completion zsh \"$COMP_DIRECTORY/_$name\" \"$TRASH_DIRECTORY/$name.opts\"
	"
	test_expect_success "$name: every option is in the fish completion" "
		in_completion fish \"$COMP_DIRECTORY/$name.fish\" \"$TRASH_DIRECTORY/$name.opts\"
	"
done

test_done
