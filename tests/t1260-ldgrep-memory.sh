#!/bin/sh
test_description='peak RSS within 32 MiB at any -j (ldgrep, ldhunt, ldindex, ldtimeline; the tools that take -j), on a machine with as many processors as threads'
. "$(dirname "$0")/test-lib.sh"

# The processors a process may use cap -j, so on a small machine -j 8 runs
# few threads.  A shim of sched_getaffinity() shows 8 or 16 of them, as a
# larger machine would.  Under AddressSanitizer the RSS says nothing (and
# its runtime must be loaded first): skipped there.
if ! command -v "${CC:-cc}" >/dev/null 2>&1 || ! command -v zstd >/dev/null ||
    ! test -x /usr/bin/time; then
	test_skip 'peak RSS at -j 8 and -j 16' 'needs cc, zstd and /usr/bin/time'
	test_done
fi
if ldd "$LD_BUILD/bin/ldgrep" 2>/dev/null | grep -q 'libasan'; then
	test_skip 'peak RSS at -j 8 and -j 16' 'a sanitizer build'
	test_done
fi

# rss COMMAND...: run COMMAND (stdout to out), print its peak RSS in KiB.
# Status 1 (nothing found) and 2 (the corpus has a truncated archive on
# purpose) are expected; a crash is not.
rss() {
	/usr/bin/time -f %M -o rss.txt "$@" >out 2>err
	test $? -le 2 || { cat err; return 1; }
	tail -1 rss.txt
}

test_expect_success 'the shim shows 8 processors' '
	"${CC:-cc}" -shared -fPIC -o cpus.so "$TEST_DIRECTORY/t1260/cpus.c" &&
	test "$(LD_PRELOAD=$PWD/cpus.so LD_TEST_CPUS=8 nproc)" = 8 &&
	test "$(LD_PRELOAD=$PWD/cpus.so LD_TEST_CPUS=8 getconf _NPROCESSORS_ONLN)" = 8
'

# Eight sources of 5 MiB of log text each, compressed with a 4 MiB window
# (zstd --long=22 from a pipe, so the window is not cut to the size):
# each decoder holds all of it.  Before the budget, -j 8 on 8 processors
# peaked at 50 MiB here, and -j 16 (a feed thread for each) at 78 MiB.
test_expect_success 'eight sources of a 4 MiB window each' '
	ldgen --size 40 -o corpus >/dev/null &&
	(cd corpus && ldgrep --raw archive >../all.txt 2>/dev/null; test $? = 2) &&
	mkdir big &&
	split -n l/8 -d all.txt big/part &&
	for f in big/part0?; do
		zstd -q -1 --long=22 -c <$f >$f.zst && rm $f || return 1
	done &&
	test $(ls big | wc -l) = 8 &&
	ldgrep -j 1 big >one &&
	test_line_count -gt 50000 one
'

# ldhunt over every event with the GitLab pack: the sorter's arena is paid
# from the budget of the sources read at once, and the first pass keys
# candidates without hashing them.  Before, a 100 MiB corpus (about 10,000
# events selected, 10 MB sorted) peaked at 34.8 to 35.5 MiB at -j 8 and -j 16.
test_expect_success 'ldhunt over every event of a 100 MiB corpus, -j 1' '
	ldgen --size 100 -o hcorpus >/dev/null &&
	(cd hcorpus && ldhunt -j 1 --stats archive >../hall1 2>../hall1.err
	 test $? = 2) &&
	test_grep "selected by a detection [0-9][0-9][0-9][0-9]" hall1.err &&
	test_line_count -gt 100 hall1
'

for j in 8 16; do
	test_expect_success "ldhunt -j $j with $j processors over every event of the corpus: within 32 MiB, the same bytes" '
		r=$(cd hcorpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' rss \
		    ldhunt -j '$j' archive) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test_cmp hall1 hcorpus/out
	'
	# ldsh runs as many threads as processors online (the shim shows
	# them too): its hunt and its count, as ldhunt and ldgrep.
	test_expect_success "ldsh -c hunt and -c count with $j processors over every event of the corpus: within 32 MiB, the same findings" '
		(cd hcorpus && ldsh -c hunt -c count archive >../sh1 2>/dev/null
		 test $? -le 2) &&
		test_grep "rules fired at" sh1 &&
		r=$(cd hcorpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' rss \
		    ldsh -c hunt archive) &&
		echo "hunt: peak $r KiB" &&
		test "$r" -le 32768 &&
		r2=$(cd hcorpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' \
		    rss ldsh -c count archive) &&
		echo "count: peak $r2 KiB" &&
		test "$r2" -le 32768 &&
		(cd hcorpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' \
		 ldsh -c hunt -c count archive >../sh$j 2>/dev/null
		 test $? -le 2) &&
		test_cmp sh1 sh$j
	'
	test_expect_success "ldgrep -j $j with $j processors: within 32 MiB, the same bytes" '
		r=$(LD_PRELOAD=$PWD/cpus.so LD_TEST_CPUS='$j' rss ldgrep -j '$j' big) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test_cmp one out
	'
	test_expect_success "ldgrep --ns -j $j with $j processors over the corpus: within 32 MiB" '
		(cd corpus &&
		 ldgrep -j 1 --ns acme-corp archive >../ns1 2>/dev/null; test $? = 2) &&
		r=$(cd corpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' rss \
		    ldgrep -j '$j' --ns acme-corp archive) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test_cmp ns1 corpus/out
	'
	test_expect_success "ldhunt -j $j with $j processors: within 32 MiB, the same bytes" '
		ldhunt -j 1 big >hunt1 &&
		r=$(LD_PRELOAD=$PWD/cpus.so LD_TEST_CPUS='$j' rss ldhunt -j '$j' big) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test_cmp hunt1 out
	'
	# ldindex has a pool of its own, on the same budget (lib/index/build.c):
	# before it, -j 8 and -j 16 peaked at 49 MiB on these sources and 38 MiB
	# at -j 16 over the corpus.  The indexes are the same bytes at any -j.
	test_expect_success "ldindex -j $j with $j processors: within 32 MiB, the same indexes" '
		rm -rf ix1 ix &&
		ldindex -j 1 -o ix1 big &&
		r=$(LD_PRELOAD=$PWD/cpus.so LD_TEST_CPUS='$j' rss ldindex -j '$j' -o ix big) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test $(find ix1 -name "*.ldx" | wc -l) = 8 &&
		diff -r ix1 ix
	'
	test_expect_success "ldindex -j $j with $j processors over the corpus: within 32 MiB" '
		rm -rf cx1 cx &&
		(cd corpus && ldindex -j 1 -o ../cx1 archive 2>/dev/null; test $? = 2) &&
		r=$(cd corpus && LD_PRELOAD=$PWD/../cpus.so LD_TEST_CPUS='$j' rss \
		    ldindex -j '$j' -o ../cx archive) &&
		echo "peak $r KiB" &&
		test "$r" -le 32768 &&
		test $(find cx1 -name "*.ldx" | wc -l) -gt 8 &&
		diff -r cx1 cx
	'
done

# ldtimeline sorts within --memory (16M by default) and spills the rest to
# sorted runs: the same bytes as a sort held all in memory, within 32 MiB.
# With the old default of 256M, 77 MB of records peaked at 90 MiB.
test_expect_success 'ldtimeline over the records: within 32 MiB, the same bytes as one sort in memory' '
	ldtimeline -m 1G one >tl-mem &&
	test_line_count -gt 50000 tl-mem &&
	r=$(rss ldtimeline one) &&
	echo "peak $r KiB" &&
	test "$r" -le 32768 &&
	test_cmp tl-mem out
'

test_done
