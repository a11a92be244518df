#!/bin/sh
test_description='make install puts tools, formats, pages and completions in place'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'install into a staging directory' '
	make -s -C "$SRC_DIRECTORY" install B="$LD_BUILD" PREFIX=/opt/ld \
	    DESTDIR="$PWD/stage" >log 2>&1 || { cat log; false; }
'

test_expect_success 'every tool is installed, and ldgen is not' '
	for t in ldgrep ldcut ldredact ldtimeline ldbundle; do
		test -x stage/opt/ld/bin/$t || { echo "no $t"; return 1; }
	done &&
	! test -e stage/opt/ld/bin/ldgen
'

test_expect_success 'formats, man pages and completions are installed' '
	test -f stage/opt/ld/share/logdive/formats/gitlab.rails.json &&
	test -f stage/opt/ld/share/man/man1/ldgrep.1 &&
	test -f stage/opt/ld/share/man/man5/ld-scope.5 &&
	test -f stage/opt/ld/share/man/man7/logdive.7 &&
	test -f stage/opt/ld/share/bash-completion/completions/ldgrep &&
	test -f stage/opt/ld/share/zsh/site-functions/_ldgrep &&
	test -f stage/opt/ld/share/fish/vendor_completions.d/ldgrep.fish
'

test_expect_success 'an installed format file replaces the built-in one' '
	mkdir fmts &&
	sed "s/GitLab Rails request log/patched rails/" \
	    stage/opt/ld/share/logdive/formats/gitlab.rails.json >fmts/gitlab.rails.json &&
	LD_FORMATS=$PWD/fmts ldgrep --list-formats >list &&
	grep -q "^gitlab.rails  *patched rails" list
'

test_done
