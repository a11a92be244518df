# lib-bad-input.sh — what the tests/t09[1-4]0-bad-input-*.sh scripts share.
# Source it after test-lib.sh.
#
# Every case puts a bad input before good.log, a small log of three lines
# (users good1 to good3), and checks that the tool says what went
# wrong (tool, source, line where there is one), exits 2, and still
# writes every record of good.log.

# make_good — good.log, a key and a request, in the current directory.
make_good() {
	for i in 1 2 3; do
		printf '{"time":"2026-11-16T02:13:1%dZ","meta.user":"good%d","meta.project":"acme-corp/web","status":200}\n' $i $i
	done >good.log &&
	printf '0123456789abcdef0123456789abcdef' >case.key &&
	cat >request.json <<-\EOF
	{"case":"C-1","tenant":"acme-corp","namespaces":["acme-corp"]}
	EOF
}

# A log of n lines (default 3) named by a word, for archives.
make_log() {
	for i in $(seq 1 "${2:-3}"); do
		printf '{"time":"2026-11-16T03:00:%02dZ","meta.user":"%s%d","meta.project":"acme-corp/web"}\n' \
		    $((i % 60)) "$1" $i
	done
}

# run_tool TOOL ARGS... — the tool in its usual shape for these cases,
# output in out and messages in err; returns the tool's status.
run_tool() {
	t=$1
	shift
	case $t in
	ldgrep) ldgrep "$@" >out 2>err ;;
	ldcut) ldcut -f src,line,user "$@" >out 2>err ;;
	ldtimeline) ldtimeline "$@" >out 2>err ;;
	ldredact) ldredact -p legal -k case.key --scope request.json "$@" >out 2>err ;;
	esac
}

# good_all — every line of good.log is in out, once (as a line, a record
# or a row: each names its user, good1 to good3).
good_all() {
	n=$(grep -c '"good[123]"' out)
	if [ "$n" -ne 3 ]; then
		echo "good.log: $n lines of 3 in the output:" >&2
		tail -n 5 out >&2
		return 1
	fi
}

# expect_bad TOOL PATTERN ARGS... — TOOL over ARGS then good.log: exit
# status 2, a message "TOOL: " matching PATTERN (a grep regex; include the
# source, and the line where there is one), and all of good.log written.
expect_bad() {
	t=$1 pat=$2
	shift 2
	run_tool "$t" "$@" good.log
	st=$?
	if [ "$st" -ne 2 ]; then
		echo "$t: exit $st, expected 2" >&2
		cat err >&2
		return 1
	fi
	test_grep "^$t: $pat" err && good_all
}
