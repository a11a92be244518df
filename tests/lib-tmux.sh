# lib-tmux.sh — run a tool on a pseudo-terminal (a tmux pane) and read
# its screen.  Sourced after test-lib.sh; skips the script without tmux.
#
#	pty_start 'ldsh corpus'		# a new session on a server of its own
#	pty_type 'count'		# a line and Enter
#	pty_wait '^ldsh>$'		# until a line of the screen matches
#	pty_screen >s			# the screen, trailing blanks removed
#
# The socket of the current session is kept in a file, since each test
# runs in a subshell.  pty_wait polls; its bound (a minute) only says when
# to give up, nothing is asserted about how long anything takes.

if ! command -v tmux >/dev/null 2>&1; then
	test_skip "$test_description" 'tmux is not installed'
	test_done
fi

echo "$TRASH_DIRECTORY/tmux.0" >"$TRASH_DIRECTORY/cur.sock"
pty_sock() { cat "$TRASH_DIRECTORY/cur.sock"; }

# pty_start COMMAND — COMMAND (shell syntax) in a new pane, in the scratch
# directory, with the test's environment; the pane stays after it ends.
pty_start() {
	tmux -S "$(pty_sock)" kill-server 2>/dev/null
	n=$(sed "s/.*tmux\\.//" "$TRASH_DIRECTORY/cur.sock")
	echo "$TRASH_DIRECTORY/tmux.$((n + 1))" >"$TRASH_DIRECTORY/cur.sock"
	tmux -S "$(pty_sock)" new-session -d -x 220 -y 50 -c "$TRASH_DIRECTORY" \
	    "env PATH='$PATH' HOME='${HOME:-}' LD_FORMATS='$LD_FORMATS' PAGER='${PAGER:-cat}' TERM=xterm $1; echo '[pane done]'; sleep 600"
}

pty_screen() {
	tmux -S "$(pty_sock)" capture-pane -p -J -S -200 | sed 's/ *$//'
}

# pty_wait ERE — until a line of the screen matches (at most a minute).
pty_wait() {
	i=0
	while [ $i -lt 600 ]; do
		pty_screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "never saw /$1/ on the screen:" >&2
	pty_screen >&2
	return 1
}

pty_type() {
	tmux -S "$(pty_sock)" send-keys -l -- "$1" &&
	tmux -S "$(pty_sock)" send-keys Enter
}

pty_keys() { tmux -S "$(pty_sock)" send-keys "$@"; }

# pty_pid NAME — the process NAME started by the pane's shell.
pty_pid() {
	pgrep -P "$(tmux -S "$(pty_sock)" list-panes -F '#{pane_pid}')" -x "$1"
}

# Every server started, and the background processes whose ids are in
# $TRASH_DIRECTORY/*.pid, are ended with the script.
pty_cleanup() {
	for s in "$TRASH_DIRECTORY"/tmux.*; do
		[ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null
	done
	for f in "$TRASH_DIRECTORY"/*.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	cd /
	rm -rf "$TRASH_DIRECTORY"
}
trap pty_cleanup EXIT
