#!/bin/sh
test_description='bad input: link loops, FIFOs, devices, missing files, full disks, outputs that are inputs'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-bad-input.sh"

# Each walk must end: a hang is the defect under test, so a run that
# does not end in a minute fails instead of blocking the suite.
run_bounded() {
	timeout 60 "$@"
}

# repeat N — good.log N times over.
repeat() {
	awk -v n="$1" "{ l[NR] = \$0 } END { for (i = 0; i < n; i++) for (j = 1; j <= NR; j++) print l[j] }" good.log
}

test_expect_success 'setup' '
	make_good &&
	mkdir d &&
	cp good.log d/good.log
'

test_expect_success 'a link to . in a directory: the walk ends, each file once' '
	ln -s . d/self &&
	run_bounded ldgrep --raw d >out 2>err &&
	test ! -s err &&
	good_all
'

test_expect_success 'two links to . and one to a parent: still each file once' '
	ln -s . d/again &&
	mkdir d/sub &&
	ln -s .. d/sub/up &&
	run_bounded ldgrep --raw d >out &&
	good_all
'

test_expect_success 'a FIFO met in a directory is skipped with a message' '
	mkfifo d/fifo &&
	run_bounded ldgrep --raw d >out 2>err
	test $? = 2 &&
	test_grep "^ldgrep: d/fifo: skipped: a FIFO, not a regular file" err &&
	good_all
'

test_expect_success 'a link to /dev/zero met in a directory is skipped' '
	rm d/fifo &&
	ln -s /dev/zero d/zero &&
	run_bounded ldcut -f src,user d >out 2>err
	test $? = 2 &&
	test_grep "^ldcut: d/zero: skipped: a character device" err &&
	good_all &&
	rm d/zero
'

test_expect_success 'a socket met in a directory is skipped' '
	python3 -c "import socket; socket.socket(socket.AF_UNIX).bind(\"d/sock\")" &&
	run_bounded ldtimeline d >out 2>err
	test $? = 2 &&
	test_grep "^ldtimeline: d/sock: skipped: a socket" err &&
	good_all &&
	rm d/sock
'

test_expect_success 'a FIFO named on the command line is read' '
	mkfifo p &&
	{ cat good.log >p & } &&
	run_bounded ldgrep --raw p >out &&
	good_all
'

test_expect_success 'a dangling link is reported and the next file read' '
	ln -s nowhere gone.log &&
	expect_bad ldgrep "gone\\.log: No such file or directory" --raw gone.log
'

if [ "$(id -u)" = 0 ]; then
	test_skip 'an unreadable file is reported' 'root reads every file'
else
	test_expect_success 'an unreadable file is reported' '
		cp good.log secret.log &&
		chmod 000 secret.log &&
		expect_bad ldcut "secret\\.log: Permission denied" secret.log
	'
fi

for t in ldgrep "ldcut -f user" ldtimeline \
    "ldredact -p legal -k case.key --scope request.json"; do
	test_expect_success "${t%% *}: a full disk on standard output is trouble" "
		$t good.log >/dev/full 2>err
		test \$? = 2 &&
		test_grep '^${t%% *}: .*\\(write error\\|No space left\\)' err
	"
done

test_expect_success 'ldredact: an output that cannot be created is named' '
	test_must_fail --status=2 ldredact -p legal -k case.key --scope request.json \
	    -o nodir/out.jsonl good.log 2>err &&
	test_grep "^ldredact: --output: nodir/out\\.jsonl: .*No such file or directory" err
'

test_expect_success 'SIGPIPE: a reader that stops early gets no error message' '
	repeat 200 >many.log &&
	{ ldgrep --raw many.log 2>err; } | head -n 1 >out &&
	test ! -s err &&
	test_line_count = 1 out
'

test_expect_success 'ldcut: an input that is its own output is refused' '
	ldgrep good.log >r.jsonl &&
	cp r.jsonl r0.jsonl &&
	run_bounded ldcut -f src,user r.jsonl good.log >>r.jsonl 2>err
	test $? = 2 &&
	test_grep "^ldcut: r\\.jsonl: input file is also the output" err &&
	test_line_count = 6 r.jsonl
'

test_expect_success 'ldcut: standard input that is its own output is refused' '
	cp r0.jsonl r.jsonl &&
	run_bounded ldcut -f src,user <r.jsonl >>r.jsonl 2>err
	test $? = 2 &&
	test_grep "^ldcut: -: input file is also the output" err &&
	test_line_count = 3 r.jsonl
'

test_expect_success 'ldtimeline --merge: an input that is its own output is refused' '
	cp r0.jsonl r.jsonl &&
	run_bounded ldtimeline --merge r.jsonl >>r.jsonl 2>err
	test $? = 2 &&
	test_grep "^ldtimeline: r\\.jsonl: input file is also the output" err &&
	test_line_count = 3 r.jsonl
'

test_expect_success 'ldredact: -o naming an input is refused for that input' '
	cp r0.jsonl r.jsonl &&
	ldredact -p legal -k case.key --scope request.json -o r.jsonl r.jsonl good.log 2>err
	test $? = 2 &&
	test_grep "^ldredact: r\\.jsonl: input file is also the output" err &&
	test_line_count = 3 r.jsonl &&
	test $(grep -c "\"src\":\"good.log\"" r.jsonl) = 3
'

test_expect_success 'ldtimeline: spill files that cannot be written are trouble' '
	repeat 3000 >lots.log &&
	TMPDIR=$PWD/no-such-dir ldtimeline -m 64K lots.log >out 2>err
	test $? = 2 &&
	test_grep "^ldtimeline: .*no-such-dir.*temporary file" err
'

if mkdir tmpfs && mount -t tmpfs -o size=64k tmpfs tmpfs 2>/dev/null; then
	test_expect_success 'ldtimeline: a full disk under the spill files is trouble' '
		TMPDIR=$PWD/tmpfs ldtimeline -m 64K lots.log >out 2>err
		st=$?
		umount tmpfs
		test $st = 2 &&
		test_grep "^ldtimeline: .*tmpfs.*No space left on device" err
	'
else
	test_skip 'ldtimeline: a full disk under the spill files is trouble' \
	    'cannot mount a small tmpfs here'
fi

test_done
