#!/bin/sh
test_description='every fuzz target over its committed corpus and regression inputs'
. "$(dirname "$0")/test-lib.sh"

# The targets are built with driver.c (tests/fuzz/driver.c) into
# $LD_BUILD/tests/fuzz-NAME; a property that fails aborts the program.
for src in "$SRC_DIRECTORY"/tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	n=${n#fuzz_}
	test_expect_success "fuzz target $n: corpus and regression inputs" "
		dirs=\$SRC_DIRECTORY/tests/fuzz/corpus/$n &&
		if test -d \$SRC_DIRECTORY/tests/fuzz/regress/$n
		then
			dirs=\"\$dirs \$SRC_DIRECTORY/tests/fuzz/regress/$n\"
		fi &&
		\$LD_BUILD/tests/fuzz-$n \$dirs >out 2>err &&
		want=\$(find \$dirs -type f ! -name '.*' | wc -l) &&
		test \$want -gt 0 &&
		test \$(grep -c '^ok ' out) -eq \$want &&
		grep '^1\\.\\.' out &&
		! grep '^not ok' out
	"
done

test_done
