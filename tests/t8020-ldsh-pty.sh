#!/bin/sh
test_description='ldsh on a terminal: Ctrl-C, history, a kept answer, the pager'
. "$(dirname "$0")/test-lib.sh"

# ldsh runs in a tmux pane (a real pseudo-terminal, so readline and the
# terminal paths are the ones a person gets), on a server of its own.
# wait_for polls the pane for a pattern; its bound is generous and only
# says when to give up, nothing is asserted about how long anything takes.

HOME=$TRASH_DIRECTORY/home
export HOME
mkdir -p "$HOME"
. "$TEST_DIRECTORY/lib-tmux.sh"

# start ARGS... — ldsh ARGS in a new pane, waiting for its prompt.
start() { pty_start "ldsh $*" && wait_for '^ldsh>$'; }
screen() { pty_screen; }
wait_for() { pty_wait "$1"; }
type_line() { pty_type "$1"; }
sock() { pty_sock; }

# prompts — how many prompts the pane shows.
prompts() { screen | grep -c '^ldsh>'; }

PAGER=cat

test_expect_success 'set up a corpus and a source that never ends' '
	ldgen -o corpus >/dev/null &&
	mkfifo endless.log
'

test_expect_success 'Ctrl-C during a long count returns to the prompt, scope intact' '
	# yes writes events in scope for as long as someone reads: the
	# count can only end by being interrupted.
	{ yes "{\"time\":\"2026-11-16T02:13:12.250Z\",\"username\":\"alice\",\"meta.root_namespace\":\"acme-corp\",\"path\":\"/acme-corp/web\"}" >endless.log 2>/dev/null & } &&
	echo $! >feeder.pid &&
	start endless.log &&
	type_line "ns acme-corp" &&
	type_line "user alice" &&
	type_line "count" &&
	wait_for "^ldsh> count$" &&
	sleep 1 &&
	tmux -S "$(sock)" send-keys C-c &&
	wait_for "ldsh: interrupted$" &&
	wait_for "^ldsh>$" &&
	type_line "scope" &&
	wait_for "^source +endless.log$" &&
	screen >s &&
	grep -Eq "^ns +acme-corp$" s &&
	grep -Eq "^user +alice$" s &&
	! grep -q "matching events in" s
'

test_expect_success 'Ctrl-C at the prompt drops the line and keeps the shell' '
	n=$(prompts) &&
	tmux -S "$(sock)" send-keys -l "user bob" &&
	tmux -S "$(sock)" send-keys C-c &&
	wait_for "^ldsh> user bob" &&
	i=0 && while [ "$(prompts)" -le "$n" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done &&
	type_line "scope" &&
	wait_for "^ldsh> scope$" &&
	wait_for "^source +endless.log$" &&
	screen | awk "/^ldsh> scope\$/ { b = \"\" } { b = b \$0 \"\\n\" } END { printf \"%s\", b }" >s &&
	grep -q "^source" s &&
	grep -Eq "^user +alice$" s &&
	! grep -q "bob" s
'

test_expect_success 'history is written after each command and survives a kill' '
	type_line "event user_logged_in" &&
	wait_for "^ldsh> event user_logged_in$" &&
	wait_for "^ldsh>$" &&
	pid=$(tmux -S "$(sock)" list-panes -F "#{pane_pid}") &&
	ldsh_pid=$(pgrep -P "$pid" -x ldsh) &&
	test -n "$ldsh_pid" &&
	kill -KILL "$ldsh_pid" &&
	printf "%s\n" "ns acme-corp" "user alice" "count" "scope" "scope" \
	    "event user_logged_in" >expect &&
	test_cmp expect "$HOME/.ldsh_history"
'

test_expect_success 'the history of the last session is there in the next' '
	start corpus/archive &&
	tmux -S "$(sock)" send-keys Up &&
	wait_for "^ldsh> event user_logged_in$"
'

test_expect_success 'narrowing twice reads the archive once' '
	(cd corpus && ldgrep -c --ns acme-corp archive 2>/dev/null;
	 ldgrep -c --ns acme-corp --user alice archive >../c2 2>/dev/null;
	 ldgrep -c --ns acme-corp --user alice --event "personal_access_token_*" \
	    archive >../c3 2>/dev/null; true) >c1 &&
	for f in c1 c2 c3; do
		awk -F: "{ n += \$NF } END { print n }" $f >$f.n || return 1
	done &&
	start corpus/archive &&
	type_line "ns acme-corp" &&
	type_line "count" &&
	wait_for "^$(cat c1.n) matching events in [0-9]+ sources$" &&
	# Gone: from here on, reading the archive would be an error.
	mv corpus corpus.gone &&
	type_line "user alice" &&
	type_line "count" &&
	wait_for "^$(cat c2.n) matching events in [0-9]+ sources$" &&
	type_line "event personal_access_token_*" &&
	type_line "count" &&
	wait_for "^$(cat c3.n) matching events in [0-9]+ sources$" &&
	! screen | grep -q "No such file" &&
	type_line "clear" &&
	type_line "count" &&
	wait_for "corpus/archive: No such file or directory" &&
	mv corpus.gone corpus
'

test_expect_success 'show goes through the pager on a terminal' '
	PAGER="sed s/^/paged:/" &&
	start corpus/archive &&
	type_line "ns acme-corp" &&
	type_line "show 3" &&
	wait_for "^paged:3 of [0-9]+ matching events shown$" &&
	screen | grep -Eq "^paged: +1  2026-" &&
	type_line "count" &&
	wait_for "^[0-9]+ matching events in" &&
	! screen | grep -q "^paged:.*matching events in"
'

test_done
