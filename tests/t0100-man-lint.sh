#!/bin/sh
test_description='every manual page passes mandoc -Tlint -W warning'
. "$(dirname "$0")/test-lib.sh"

MAN_DIRECTORY=$SRC_DIRECTORY/man

if ! command -v mandoc >/dev/null 2>&1; then
	test_skip 'man pages are lint-clean' 'mandoc is not installed'
	test_done
fi

test_expect_success 'there are man pages' '
	ls "$MAN_DIRECTORY"/*.[1-9] >pages &&
	test_line_count -ge 1 pages
'

for page in "$MAN_DIRECTORY"/*.[1-9]; do
	[ -e "$page" ] || continue
	name=$(basename "$page")
	test_expect_success "mandoc -Tlint -W warning $name" "
		mandoc -Tlint -W warning \"$page\" >out 2>&1
		st=\$?
		cat out &&
		test \$st -eq 0 &&
		test ! -s out
	"
done

# A page with a real warning must fail the check, so the check can fail.
test_expect_success 'mandoc -Tlint reports a broken page' '
	printf ".Dd November 24, 2026\n.Dt BROKEN 1\n.Os\n.Sh NAME\n.Nm broken\n.Nd a page\n.Sh DESCRIPTION\n.Bl -tag\n.It x\n" >broken.1 &&
	mandoc -Tlint -W warning broken.1 >out 2>&1
	test -s out
'

test_done
