#!/bin/sh
test_description='ldgrep shows progress on a terminal, and only there'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-tmux.sh"

# The source is a named pipe fed by a script of ours, so a run lasts
# exactly as long as the test wants: lines come until the file "go"
# appears, then a few more, then the end.
EV='{"time":"2026-11-16T02:13:12.250Z","username":"alice","meta.root_namespace":"acme-corp","path":"/acme-corp/web"}'

# feed NAME — a pipe NAME written until "go.NAME" exists.
feed() {
	rm -f "$1" "go.$1" &&
	mkfifo "$1" &&
	{ sh -c 'while [ ! -e "go.$1" ]; do printf "%s\n" "$2" "$2" "$2" "$2" "$2" "$2" "$2" "$2" || exit; done
		printf "%s\n" "$2"' feed "$1" "$EV" >"$1" 2>/dev/null & } &&
	echo $! >"feed.$1.pid"
}

# feed_few NAME — a pipe NAME that gets a few lines, then nothing until
# "go.NAME" exists, then the end.
feed_few() {
	rm -f "$1" "go.$1" &&
	mkfifo "$1" &&
	{ sh -c 'printf "%s\n" "$2" "$2" "$2"
		while [ ! -e "go.$1" ]; do sleep 0.1; done' feed "$1" "$EV" >"$1" 2>/dev/null & } &&
	echo $! >"feed.$1.pid"
}

# ran_a_while FILE — the run wrote to FILE, and kept going well past the
# half second before which nothing is drawn.
ran_a_while() {
	i=0
	while ! test -s "$1" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	test -s "$1" && sleep 2
}

test_expect_success 'on a terminal: a progress line, erased at the end' '
	feed p1 &&
	pty_start "ldgrep --ns acme-corp p1 >out1; echo rc=\$?" &&
	pty_wait "^ldgrep: [0-9.]+ (B|KiB|MiB|GiB), 0/1 sources, [0-9]+ matches, [0-9.]+ (B|KiB|MiB|GiB)/s$" &&
	touch go.p1 &&
	pty_wait "^rc=0$" &&
	! pty_screen | grep -q "sources, " &&
	test -s out1
'

test_expect_success 'the share of the total when the size is known' '
	yes "$EV" | head -n 20000 >big.log &&
	feed_few p2 &&
	pty_start "ldgrep --ns acme-corp p2 big.log >out2; echo rc=\$?" &&
	size=$(wc -c <big.log) &&
	test "$size" -gt 2097152 && test "$size" -lt 2306867 &&
	pty_wait "^ldgrep: [0-9.]+ (B|KiB) of 2\\.[0-9][0-9] MiB \\(0%\\), 0/2 sources, [0-9]+ matches, [0-9.]+ (B|KiB)/s" &&
	touch go.p2 &&
	pty_wait "^rc=0$"
'

test_expect_success 'messages make way for the line and are whole' '
	feed p3 &&
	pty_start "ldgrep --ns acme-corp p3 missing.log >out3; echo rc=\$?" &&
	pty_wait "sources, [0-9]+ matches" &&
	touch go.p3 &&
	pty_wait "^rc=2$" &&
	pty_screen | grep -q "^ldgrep: missing.log: No such file or directory$"
'

test_expect_success 'no progress when standard error is a file' '
	feed p4 &&
	pty_start "ldgrep --ns acme-corp p4 >out4 2>err4; echo rc=\$?" &&
	ran_a_while out4 &&
	touch go.p4 &&
	pty_wait "^rc=0$" &&
	test_must_fail test -s err4 &&
	! pty_screen | grep -q "^ldgrep"
'

test_expect_success 'none with --no-progress, nor with LD_NO_PROGRESS set' '
	feed p5 &&
	pty_start "ldgrep --no-progress --ns acme-corp p5 >out5; echo rc=\$?" &&
	ran_a_while out5 &&
	touch go.p5 &&
	pty_wait "^rc=0$" &&
	! pty_screen | grep -q "^ldgrep" &&
	feed p6 &&
	pty_start "LD_NO_PROGRESS=1 ldgrep --ns acme-corp p6 >out6; echo rc=\$?" &&
	ran_a_while out6 &&
	touch go.p6 &&
	pty_wait "^rc=0$" &&
	! pty_screen | grep -q "^ldgrep"
'

test_done
