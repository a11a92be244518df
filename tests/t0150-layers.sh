#!/bin/sh
test_description='lib/ is layered: includes point down, no call loops'
. "$(dirname "$0")/test-lib.sh"

L="python3 $SRC_DIRECTORY/tests/layers.py"

test_expect_success 'the layer order is written in lib/README.md' '
	$L order "$SRC_DIRECTORY/lib" >order &&
	test_grep "^core format input" order
'

test_expect_success 'every include of lib/ points to its own layer or one below' '
	$L includes "$SRC_DIRECTORY/lib" >out 2>&1
	st=$?
	cat out &&
	test $st -eq 0 && test ! -s out
'

test_expect_success 'an include of a layer above is caught' '
	mkdir -p fake/core fake/grep &&
	cp "$SRC_DIRECTORY/lib/README.md" fake/ &&
	printf "#include \"grep/grep.h\"\n" >fake/core/x.c &&
	printf "#include \"core/x.h\"\n" >fake/grep/y.c &&
	test_must_fail $L includes fake >out &&
	test_grep "core includes \"grep/grep.h\"" out &&
	test_line_count = 1 out
'

test_expect_success 'no two object files of lib/ call each other round a loop' '
	$L calls "$SRC_DIRECTORY/lib" "$LD_BUILD/lib" >out 2>&1
	st=$?
	cat out &&
	test $st -eq 0 && test ! -s out
'

test_expect_success 'a call loop is caught' '
	mkdir -p loop &&
	printf "void b(void); void a(void) { b(); }\n" >loop/a.c &&
	printf "void a(void); void b(void) { a(); }\n" >loop/b.c &&
	(cd loop && cc -c a.c b.c) &&
	test_must_fail $L calls "$SRC_DIRECTORY/lib" loop >out &&
	test_grep "call loop: a.o <-> b.o" out
'

test_done
