/*
 * Unit tests of the CSV reader of lib/core/csv.c (ld_csv_rd_*): the
 * grammar of RFC 4180, rows cut anywhere between feeds, bad rows, long
 * rows, and what the writer writes read back byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "tap.h"

/* Read all of s (n bytes) in feeds of step bytes; the rows, each as
 * "line:bad:field|field|...\n", into out. */
static void
put_row(const struct ld_csv_rd *rd, struct ld_buf *out)
{
	const char *v;
	size_t f, len;

	ld_buf_addf(out, "%llu:%s", (unsigned long long)rd->line,
	    rd->toolong ? "long" : rd->bad ? "bad" : "ok");
	for (f = 0; (v = ld_csv_rd_field(rd, f, &len)) != NULL; f++) {
		ld_buf_addc(out, f ? '|' : ':');
		ld_buf_add(out, v, len);
	}
	ld_buf_addc(out, '\n');
}

static void
read_all(const char *s, size_t n, size_t step, size_t max, struct ld_buf *out)
{
	struct ld_csv_rd rd;
	size_t i = 0;

	ld_buf_reset(out);
	ld_csv_rd_init(&rd, max);
	while (i < n) {
		i += ld_csv_rd_feed(&rd, s + i, n - i < step ? n - i : step);
		if (ld_csv_rd_row(&rd))
			put_row(&rd, out);
	}
	if (ld_csv_rd_finish(&rd))
		put_row(&rd, out);
	ld_csv_rd_free(&rd);
}

/* A string literal and its length, NULs and all. */
#define W(lit) lit, sizeof(lit) - 1

/* Every step from 1 to the length gives the same rows. */
static void
same_at_every_step(const char *s, size_t n, size_t max, const char *want,
    size_t wn, const char *what)
{
	struct ld_buf out = { 0 };
	size_t step;

	for (step = 1; step <= n + 1; step++) {
		read_all(s, n, step, max, &out);
		if (out.len != wn || memcmp(out.p, want, wn) != 0)
			break;
	}
	if (!ok(step > n + 1, "%s", what))
		printf("#   step %zu got:\n%s#   want:\n%s", step,
		    out.p ? out.p : "", want);
	ld_buf_free(&out);
}

static void
test_grammar(void)
{
	static const char a[] = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n";
	static const char b[] = "h\n\"two\nlines\",z\nlast";
	static const char c[] = "a,b\"c,d\n\"e\"f,g\n\"open";
	static const char d[] = "\n,\n\"\"\n";
	static const char e[] = "x\0y,\"\0\"\n";

	same_at_every_step(a, sizeof(a) - 1, 1024,
	    W("1:ok:a|b|c\n2:ok:1|x,y|say \"hi\"\n"),
	    "quotes, commas in quotes, doubled quotes, CRLF");
	same_at_every_step(b, sizeof(b) - 1, 1024,
	    W("1:ok:h\n2:ok:two\nlines|z\n4:ok:last\n"),
	    "a newline in quotes counts as a line; a last row without newline");
	same_at_every_step(c, sizeof(c) - 1, 1024,
	    W("1:bad:a|b\"c|d\n2:bad:ef|g\n3:bad:open\n"),
	    "a quote in a plain field, text after a closing quote, a quote left open");
	same_at_every_step(d, sizeof(d) - 1, 1024,
	    W("1:ok:\n2:ok:|\n3:ok:\n"), "empty rows and fields");
	same_at_every_step(e, sizeof(e) - 1, 1024,
	    W("1:ok:x\0y|\0\n"), "NUL bytes are bytes");
}

static void
test_long(void)
{
	char s[300];

	memset(s, 'x', sizeof(s));
	s[100] = '\n';
	s[299] = '\n';
	memcpy(s + 101, "ok,ok\n", 6);
	same_at_every_step(s, sizeof(s), 64,
	    W("1:long\n2:ok:ok|ok\n3:long\n"), "rows past max are marked, not kept");
}

/* What ld_csv_field writes, ld_csv_rd reads back. */
static void
test_roundtrip(void)
{
	const char *v[] = { "", " lead", "trail ", "a,b", "q\"q", "cr\rlf\n",
	    "\"", ",", "plain" };
	size_t nv = sizeof(v) / sizeof(v[0]);
	struct ld_buf b = { 0 }, want = { 0 }, out = { 0 };

	for (int row = 0; row < 3; row++) {
		for (size_t i = 0; i < nv; i++)
			ld_csv_field(&b, LD_CSV, i == 0, v[(i + (size_t)row) % nv],
			    strlen(v[(i + (size_t)row) % nv]));
		ld_csv_end(&b, LD_CSV);
	}
	for (size_t step = 1; step <= b.len; step++) {
		struct ld_csv_rd rd;
		size_t i = 0, rows = 0, bad = 0;

		ld_csv_rd_init(&rd, 1 << 20);
		while (i < b.len) {
			size_t len;

			i += ld_csv_rd_feed(&rd, b.p + i, b.len - i < step ?
			    b.len - i : step);
			if (!ld_csv_rd_row(&rd))
				continue;
			if (rd.bad || rd.nf != nv)
				bad++;
			for (size_t f = 0; f < rd.nf && f < nv; f++) {
				const char *got = ld_csv_rd_field(&rd, f, &len);
				const char *w = v[(f + rows) % nv];

				if (len != strlen(w) || memcmp(got, w, len) != 0)
					bad++;
			}
			rows++;
		}
		if (ld_csv_rd_finish(&rd))
			bad++;
		ld_csv_rd_free(&rd);
		if (!ok(rows == 3 && bad == 0, "written and read back, feeds of %zu",
		    step))
			break;
		if (step > 40)
			step += 13;
	}
	ld_buf_free(&b);
	ld_buf_free(&want);
	ld_buf_free(&out);
}

int
main(void)
{
	test_grammar();
	test_long();
	test_roundtrip();
	return tap_done();
}
