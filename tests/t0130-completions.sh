#!/bin/sh
test_description='the shell completions load and complete'
. "$(dirname "$0")/test-lib.sh"

# Every completion file must load without a syntax error in its shell
# (skipped when that shell is not installed).  For ldgrep, bash and fish
# are also asked for real completions: --format offers what
# `ldgrep --list-formats` lists, --profile the two profiles, and options
# complete from their prefix.

COMP_DIRECTORY=$SRC_DIRECTORY/completions

have() { command -v "$1" >/dev/null 2>&1; }

for f in "$COMP_DIRECTORY"/*.bash; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if have bash; then
		test_expect_success "bash -n $name" "bash -n \"$f\""
	else
		test_skip "bash -n $name" 'bash is not installed'
	fi
done
for f in "$COMP_DIRECTORY"/_*; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if have zsh; then
		test_expect_success "zsh -n $name" "zsh -n \"$f\" &&
			head -n 1 \"$f\" | grep -q '^#compdef '"
	else
		test_skip "zsh -n $name" 'zsh is not installed'
	fi
done
for f in "$COMP_DIRECTORY"/*.fish; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if have fish; then
		test_expect_success "fish -n $name" "fish -n \"$f\""
	else
		test_skip "fish -n $name" 'fish is not installed'
	fi
done

test_expect_success 'the formats ldgrep lists' '
	ldgrep --list-formats | awk "{ print \$1 }" | sort >formats &&
	test_grep "^gitlab.rails\$" formats
'

# bash_complete WORD... — what the bash completion offers for the last
# word, one a line, sorted.
bash_complete() {
	bash -c '
		. "$1" && shift &&
		COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) && COMPREPLY=() &&
		_ldgrep && printf "%s\n" "${COMPREPLY[@]}"
	' bash "$COMP_DIRECTORY/ldgrep.bash" "$@" | sort
}

if have bash; then
	test_expect_success 'bash: --format offers the formats of ldgrep' '
		bash_complete ldgrep --format "" >actual &&
		test_cmp formats actual
	'
	test_expect_success 'bash: --format=gitlab.a' '
		bash_complete ldgrep --format = gitlab.a >actual &&
		grep "^gitlab\.a" formats >expect &&
		test_cmp expect actual
	'
	test_expect_success 'bash: --format knows --format-file formats' '
		printf "{\"name\":\"zzmine\",\"type\":\"json\"}\n" >mine.json &&
		bash_complete ldgrep --format-file mine.json --format zz >actual &&
		echo zzmine >expect &&
		test_cmp expect actual
	'
	test_expect_success 'bash: --profile offers the profiles' '
		bash_complete ldgrep --profile "" >actual &&
		printf "%s\n" sirt support >expect &&
		test_cmp expect actual
	'
	test_expect_success 'bash: options from a prefix' '
		bash_complete ldgrep --fo >actual &&
		printf "%s\n" --format --format-file >expect &&
		test_cmp expect actual
	'
	test_expect_success 'bash: --scope completes files' '
		: >request.json &&
		bash_complete ldgrep --scope req >actual &&
		echo request.json >expect &&
		test_cmp expect actual
	'
else
	test_skip 'bash: completions' 'bash is not installed'
fi

# fish_complete LINE — what fish offers (the candidates only), sorted.
fish_complete() {
	fish -c "source '$COMP_DIRECTORY/ldgrep.fish'; complete -C '$1'" |
	sed 's/	.*//' | sort
}

if have fish; then
	test_expect_success 'fish: --format offers the formats of ldgrep' '
		fish_complete "ldgrep --format " >actual &&
		test_cmp formats actual
	'
	test_expect_success 'fish: --profile offers the profiles' '
		fish_complete "ldgrep --profile " >actual &&
		printf "%s\n" sirt support >expect &&
		test_cmp expect actual
	'
	test_expect_success 'fish: options from a prefix, with descriptions' '
		fish -c "source \"$COMP_DIRECTORY/ldgrep.fish\"; complete -C \"ldgrep --sta\"" >actual &&
		printf "%s\t%s\n" --stats "Print per-source counts to standard error" >expect &&
		test_cmp expect actual
	'
else
	test_skip 'fish: completions' 'fish is not installed'
fi

test_done
