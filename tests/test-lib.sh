# test-lib.sh — a small test library in the manner of git's t/test-lib.sh.
#
# A test script sets test_description, sources this file, runs
# test_expect_success blocks and ends with test_done.  Output is TAP.
# Each script runs in its own scratch directory with LC_ALL=C and TZ=UTC.
# The built tools are on PATH (LD_BUILD/bin); LD_FORMATS names the format
# definitions of the source tree.

LC_ALL=C
TZ=UTC
export LC_ALL TZ
unset NO_COLOR LD_SCOPE

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
SRC_DIRECTORY=$(cd "$TEST_DIRECTORY/.." && pwd)
: "${LD_BUILD:=$SRC_DIRECTORY/build}"
: "${LD_FORMATS:=$SRC_DIRECTORY/lib/format/formats}"
export LD_BUILD LD_FORMATS
PATH="$LD_BUILD/bin:$PATH"
export PATH

test_name=$(basename "$0" .sh)
TRASH_DIRECTORY="${TMPDIR:-/tmp}/logdive-test.$test_name.$$"
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || exit 1
cd "$TRASH_DIRECTORY" || exit 1
trap 'cd /; rm -rf "$TRASH_DIRECTORY"' EXIT

test_count=0
test_failed=0

say() { printf '%s\n' "$*"; }

# test_expect_success 'title' 'commands' — the commands are evaluated in a
# subshell-free eval; a non-zero status fails the test and its output is shown.
test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH_DIRECTORY/.out" 2>&1; then
		say "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		sed 's/^/#	/' "$TRASH_DIRECTORY/.out"
		printf '%s\n' "$2" | sed 's/^/#	> /'
	fi
}

# test_skip 'title' 'reason'
test_skip() {
	test_count=$((test_count + 1))
	say "ok $test_count # skip $1 ($2)"
}

test_done() {
	say "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}

# test_cmp expect actual — fails with a diff when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# test_must_fail [--status=N] cmd... — the command must fail (not crash);
# with --status, exactly with that status.
test_must_fail() {
	want=
	case "$1" in --status=*) want=${1#--status=}; shift ;; esac
	"$@"
	st=$?
	if [ "$st" -eq 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	fi
	if [ "$st" -gt 128 ]; then
		echo "test_must_fail: command died of signal $((st - 128)): $*" >&2
		return 1
	fi
	if [ -n "$want" ] && [ "$st" -ne "$want" ]; then
		echo "test_must_fail: exit $st, expected $want: $*" >&2
		return 1
	fi
	return 0
}

# test_status N cmd... — the command must exit with status N.
test_status() {
	want=$1; shift
	"$@"
	st=$?
	[ "$st" -eq "$want" ] && return 0
	echo "test_status: exit $st, expected $want: $*" >&2
	return 1
}

# test_line_count OP N file
test_line_count() {
	n=$(wc -l <"$3" | tr -d ' ')
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, expected $1 $2" >&2
		return 1
	fi
}

# test_grep [-v] pattern file — like grep -q, but prints the file on failure.
test_grep() {
	if [ "$1" = -v ]; then
		shift
		if grep -q -e "$1" "$2"; then
			echo "test_grep: '$1' found in $2:" >&2; cat "$2" >&2; return 1
		fi
		return 0
	fi
	grep -q -e "$1" "$2" && return 0
	echo "test_grep: '$1' not found in $2:" >&2; cat "$2" >&2
	return 1
}
