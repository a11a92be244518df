#!/bin/sh
test_description='the bash completions work on a bare bash'
. "$(dirname "$0")/test-lib.sh"

# A bash without the bash-completion package has neither _init_completion
# nor _filedir: every completion must still offer its options, and a file
# name where one is wanted, without a "command not found" on the way.

COMP_DIRECTORY=$SRC_DIRECTORY/completions

if ! command -v bash >/dev/null 2>&1; then
	test_skip 'bare bash completions' 'bash is not installed'
	test_done
fi

# complete_on FILE WORD... — what the completion of FILE offers for the
# command line WORD... (the last word is the one completed), one a line.
complete_on() {
	f=$1
	shift
	bash --norc --noprofile -c '
		f=$1; shift
		. "$f" || exit 1
		fn=$(complete -p "$1" | sed "s/.* -F \([^ ]*\) .*/\1/")
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' complete_on "$f" "$@"
}

: >somefile.json
for tool in ldgrep ldcut ldredact ldtimeline ldsh; do
	test_expect_success "$tool: options and file names on a bare bash" "
		complete_on '$COMP_DIRECTORY/$tool.bash' $tool --h >out 2>err &&
		test_must_fail grep . err &&
		grep -qx -- --help out &&
		complete_on '$COMP_DIRECTORY/$tool.bash' $tool some >out 2>err &&
		test_must_fail grep . err &&
		grep -qx somefile.json out
	"
done

test_expect_success 'ldbundle: subcommands, options and files on a bare bash' '
	complete_on "$COMP_DIRECTORY/ldbundle.bash" ldbundle cr >out 2>err &&
	test_must_fail grep . err &&
	echo create >expect && test_cmp expect out &&
	complete_on "$COMP_DIRECTORY/ldbundle.bash" ldbundle verify --r >out 2>err &&
	test_must_fail grep . err &&
	echo --ready >expect && test_cmp expect out &&
	complete_on "$COMP_DIRECTORY/ldbundle.bash" ldbundle create --scope some >out 2>err &&
	test_must_fail grep . err &&
	echo somefile.json >expect && test_cmp expect out
'

test_done
