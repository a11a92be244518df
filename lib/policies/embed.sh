#!/bin/sh
# embed.sh — write lib/policy_builtin.c from the profiles in lib/policies/.
# Run from the top of the tree after changing a profile; the test
# t4003-ldredact-policy.sh checks that the two agree.
set -e
out=lib/policy_builtin.c
{
	echo '/*'
	echo ' * policy_builtin.c — the built-in redaction profiles, generated from'
	echo ' * lib/policies/NAME.json by lib/policies/embed.sh: edit those, not this.'
	echo ' */'
	echo '#include <stddef.h>'
	echo
	echo 'const char *const ld_policy_builtin[][2] = {'
	for f in lib/policies/*.json; do
		n=$(basename "$f" .json)
		printf '\t{ "%s",\n' "$n"
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
		printf '\t},\n'
	done
	echo '	{ NULL, NULL }'
	echo '};'
} >"$out"
