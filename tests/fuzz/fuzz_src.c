/*
 * fuzz_src.c — sources from bytes: plain text, zstd, gzip, xz, bzip2, lz4,
 * tar, zip, tar inside any of them.
 *
 * Properties: reading ends; every message names the source; every line is
 * within the limit, named by a unit of the source, and numbered 1, 2, 3…
 * within its unit; after the end, the end again.  What a bomb unpacks is
 * read up to a budget only, so that one input costs bounded time.
 */
#include <string.h>

#include "fuzz.h"
#include "input/src.h"

/*
 * The bounds, in the reader's buffers (LD_SRC_BUF: 256 KiB, 4 KiB in the
 * fuzz build, so that an input reaches the same paths at a 64th of the
 * cost).  Lines: four buffers a run, so that refills, lines across them
 * and the bombs are reached.  A line without end is given up at two
 * buffers, not 64 MiB: the same path (the line buffer grown once, then
 * the line skipped).  A bomb is read up to sixteen buffers (lines skipped
 * as too long are decoded all the same): past the line limit, the work
 * limit and its message are reached.
 */
#define BUDGET ((uint64_t)4 * LD_SRC_BUF)
#define LINE_MAX_FUZZ (2 * LD_SRC_BUF)
#define WORK_MAX_FUZZ ((uint64_t)16 * LD_SRC_BUF)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_src *s;
	const char *path = fuzz_memfile(data, size);
	size_t plen = strlen(path);
	struct ld_line l;
	struct ld_err err;
	uint64_t unitno = 0, lineno = 0, bytes = 0;
	int r, errors = 0;

	/* One source reopened for each input, as ldgrep's workers do: its
	 * buffers are kept, which is one more thing to get right. */
	if (s == NULL) {
		s = ld_src_open(path);
		ld_src_set_line_max(s, LINE_MAX_FUZZ);
		ld_src_set_work_max(s, WORK_MAX_FUZZ);
	} else
		ld_src_reopen(s, path);
	while ((r = ld_src_next(s, &l, &err)) != 0) {
		if (r < 0) {
			FUZZ_CHECK(strncmp(err.msg, path, plen) == 0,
			    "message without the source: %s", err.msg);
			FUZZ_CHECK(++errors < 100000, "errors without end");
			continue;
		}
		FUZZ_CHECK(l.n < LINE_MAX_FUZZ, "line of %zu bytes", l.n);
		FUZZ_CHECK(strncmp(l.unit, path, plen) == 0 &&
		    (l.unit[plen] == '\0' || l.unit[plen] == '!'),
		    "unit %s", l.unit);
		if (l.unitno != unitno) {
			unitno = l.unitno;
			lineno = 0;
		}
		/* Numbers may jump over a line reported as too long. */
		FUZZ_CHECK(l.lineno > lineno, "line %llu after %llu",
		    (unsigned long long)l.lineno, (unsigned long long)lineno);
		lineno = l.lineno;
		if ((bytes += l.n + 1) > BUDGET)
			break;
	}
	if (r == 0)
		FUZZ_CHECK(ld_src_next(s, &l, &err) == 0, "more after the end");
	return 0;
}
