/*
 * fuzz_csv.c — the CSV reader (ld_csv_rd_*, lib/core/csv.c) and the check
 * of a bag's timeline rows that reads with it (bag_scope_file()).
 *
 * Properties: the rows do not depend on how the bytes are cut into feeds
 * (all at once, and in feeds of 1 to 8 bytes chosen by the first byte);
 * a row read without fault, written again by ld_csv_field(), reads back
 * as the same fields; and the check of the bytes as a timeline of a
 * request ends, with a count of problems no larger than its rows.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bag/bagint.h"
#include "core/csv.h"
#include "fuzz.h"

/* Every row of s (n bytes), read in feeds of step, as "bad/long flags,
 * field count, fields with lengths" into out; the number of rows. */
static size_t
rows(const char *s, size_t n, size_t step, struct ld_buf *out, int rewrite)
{
	struct ld_csv_rd rd;
	size_t i = 0, nrows = 0;
	int last = 0;

	ld_buf_reset(out);
	ld_csv_rd_init(&rd, 4096);
	while (i < n || !last) {
		int row;

		if (i < n) {
			i += ld_csv_rd_feed(&rd, s + i, n - i < step ? n - i : step);
			row = ld_csv_rd_row(&rd);
		} else {
			row = ld_csv_rd_finish(&rd);
			last = 1;
		}
		if (!row)
			continue;
		nrows++;
		ld_buf_addf(out, "%llu %d%d %zu:", (unsigned long long)rd.line,
		    rd.bad, rd.toolong, rd.nf);
		for (size_t f = 0; f < rd.nf; f++) {
			size_t len;
			const char *v = ld_csv_rd_field(&rd, f, &len);

			ld_buf_addf(out, "%zu=", len);
			ld_buf_add(out, v, len);
		}
		ld_buf_addc(out, '\n');
		if (rewrite && !rd.bad && !rd.toolong) {
			struct ld_buf w = { 0 }, again = { 0 }, one = { 0 };
			struct ld_csv_rd r2;
			size_t k = 0;

			for (size_t f = 0; f < rd.nf; f++) {
				size_t len;
				const char *v = ld_csv_rd_field(&rd, f, &len);

				ld_csv_field(&w, LD_CSV, f == 0, v, len);
			}
			ld_csv_end(&w, LD_CSV);
			ld_csv_rd_init(&r2, 1 << 20);
			k = ld_csv_rd_feed(&r2, w.p, w.len);
			FUZZ_CHECK(k == w.len && ld_csv_rd_row(&r2) && !r2.bad &&
			    r2.nf == rd.nf, "a row written again reads as %zu "
			    "fields (bad %d), not %zu: %.*s", r2.nf, r2.bad,
			    rd.nf, (int)w.len, w.p);
			for (size_t f = 0; f < rd.nf; f++) {
				size_t la, lb;
				const char *a = ld_csv_rd_field(&rd, f, &la);
				const char *b = ld_csv_rd_field(&r2, f, &lb);

				FUZZ_CHECK(la == lb && memcmp(a, b, la) == 0,
				    "field %zu written again reads otherwise", f);
			}
			ld_csv_rd_free(&r2);
			ld_buf_free(&w);
			ld_buf_free(&again);
			ld_buf_free(&one);
		}
	}
	ld_csv_rd_free(&rd);
	return nrows;
}

static void
count(void *arg, const char *name, uint64_t lno, const char *msg)
{
	(void)name;
	(void)msg;
	if (lno > 0)
		(*(long *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bag_scope *sc;
	static struct ld_buf a, b;
	const char *s = (const char *)data;
	size_t na, nb;
	struct ld_err err;
	long seen = 0, n;
	int fd;

	if (sc == NULL) {
		json_t *rq = json_pack("{s:s, s:[s], s:s, s:s}", "tenant",
		    "acme-corp", "namespaces", "acme-corp", "since",
		    "2026-11-14T00:00:00Z", "until", "2026-11-21T00:00:00Z");

		if ((sc = bag_scope_new(rq, &err)) == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
		json_decref(rq);
	}
	if (size < 1)
		return 0;
	na = rows(s + 1, size - 1, size, &a, 1);
	nb = rows(s + 1, size - 1, (size_t)(data[0] % 8) + 1, &b, 0);
	FUZZ_CHECK(na == nb && a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0),
	    "feeds of %d bytes read other rows than one feed:\n%s---\n%s",
	    data[0] % 8 + 1, a.p ? a.p : "", b.p ? b.p : "");

	/* The same bytes as a bag's timeline. */
	if ((fd = open(fuzz_memfile(s + 1, size - 1), O_RDONLY)) == -1)
		abort();
	n = bag_scope_file(sc, fd, "data/timeline.csv", 1, count, &seen, &err);
	close(fd);
	FUZZ_CHECK(n >= 0 && (size_t)n <= na, "%ld problems in %zu rows", n, na);
	return 0;
}
