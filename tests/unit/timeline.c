/*
 * Unit tests of lib/core/csv.c, lib/timeline/timeline.c, lib/timeline/tlout.c and lib/timeline/tlhist.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "format/format.h"
#include "timeline/timeline.h"
#include "timeline/tlout.h"
#include "tap.h"

static void
test_csv(void)
{
	struct ld_buf b = { 0 };

	ld_csv_fields(&b, LD_CSV, 1, "plain");
	ld_csv_fields(&b, LD_CSV, 0, "a,b");
	ld_csv_fields(&b, LD_CSV, 0, "say \"hi\"");
	ld_csv_fields(&b, LD_CSV, 0, "two\nlines");
	ld_csv_fields(&b, LD_CSV, 0, NULL);
	ld_csv_end(&b, LD_CSV);
	is_str(b.p, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n",
	    "csv quotes separators, quotes and newlines, never replaces");
	ld_buf_reset(&b);
	ld_csv_fields(&b, LD_TSV, 1, "a\tb\\c\nd");
	ld_csv_fields(&b, LD_TSV, 0, "e");
	ld_csv_end(&b, LD_TSV);
	is_str(b.p, "a\\tb\\\\c\\nd\te\n", "tsv escapes tab, backslash, newline");
	ld_buf_free(&b);
}

static void
test_tz(void)
{
	struct ld_tz tz;
	struct ld_time t = { .ns = INT64_C(1794795192250000000), .prec = 3 };
	char buf[LD_TIME_BUFSZ];

	ok(ld_tz_parse(&tz, "+02:00", NULL) == 0 && tz.off == 7200,
	    "fixed offset +02:00");
	ld_tz_format(&tz, &t, 1, buf);
	is_str(buf, "2026-11-16T04:13:12.250+02:00", "format in +02:00");
	ok(ld_tz_parse(&tz, "-0530", NULL) == 0 && tz.off == -19800,
	    "fixed offset -0530");
	ok(ld_tz_parse(&tz, "UTC", NULL) == 0 && tz.off == 0, "UTC");
	ld_tz_format(&tz, &t, 1, buf);
	is_str(buf, "2026-11-16T02:13:12.250+00:00", "UTC as +00:00 when asked");
	ld_tz_format(&tz, &t, 0, buf);
	is_str(buf, "2026-11-16T02:13:12.250Z", "UTC as Z otherwise");
	ok(ld_tz_parse(&tz, "+25:00", NULL) < 0, "offset out of range refused");
	ok(ld_tz_parse(&tz, "../etc/passwd", NULL) < 0, "path names refused");
	if (ld_tz_parse(&tz, "Europe/Berlin", NULL) == 0) {
		struct ld_time summer = { .ns = INT64_C(1658814233662000000), .prec = 3 };

		is_int(ld_tz_offset(&tz, t.ns), 3600, "Berlin in November: +01:00");
		is_int(ld_tz_offset(&tz, summer.ns), 7200, "Berlin in July: +02:00");
	} else {
		ok(1, "# skip no zone database");
		ok(1, "# skip no zone database");
	}
}

/* A record with only what the sorter looks at. */
static void
mkrec(struct ld_rec *r, const char *src, uint64_t line, int64_t ns,
    const char *ev)
{
	memset(r, 0, sizeof(*r));
	r->src = src;
	r->line = line;
	r->has_ts = ns >= 0;
	r->ts.ns = ns;
	r->evraw = ev;
	r->evrawlen = strlen(ev);
	r->fmtname = "json";
}

static void
test_sort(size_t memory, int n, const char *what)
{
	struct ld_tl *t = ld_tl_new(memory, NULL);
	struct ld_tl_key k, prev;
	struct ld_rec r;
	struct ld_err err;
	const char *text;
	char ev[64], src[16];
	size_t len;
	int i, got = 0, ordered = 1, rc;

	for (i = 0; i < n; i++) {
		/* A permutation of times, a few sources, some without time. */
		int64_t ns = i % 97 == 0 ? -1 : (int64_t)((i * 7919) % n) * 1000;

		snprintf(src, sizeof(src), "s%d", i % 3);
		snprintf(ev, sizeof(ev), "{\"i\":%d}", i);
		mkrec(&r, src, (uint64_t)i, ns, ev);
		ld_tl_key(t, &r, &k);
		if (ld_tl_add(t, &k, ev, strlen(ev), &err) < 0)
			break;
	}
	ok(i == n, "%s: all added", what);
	ok(ld_tl_sort(t, &err) == 0, "%s: sorted", what);
	while ((rc = ld_tl_next(t, &k, &text, &len, &err)) == 1) {
		if (got > 0 && ld_tl_key_cmp(t, &prev, &k) >= 0)
			ordered = 0;
		prev = k;
		got++;
	}
	ok(rc == 0, "%s: read back", what);
	is_int(got, n, "%s: count", what);
	ok(ordered, "%s: in order", what);
	ok(!prev.has_ts, "%s: untimed records last", what);
	if (memory < 2 << 20)
		ok(ld_tl_stats(t)->runs > 8 && ld_tl_stats(t)->passes > 0,
		    "%s: spilled %llu runs, merged in %llu extra passes", what,
		    (unsigned long long)ld_tl_stats(t)->runs,
		    (unsigned long long)ld_tl_stats(t)->passes);
	ld_tl_free(t);
}

static void
test_dedup(void)
{
	struct ld_tl *t = ld_tl_new(1 << 20, NULL);
	struct ld_dedup *d = ld_dedup_new(100);
	struct ld_tl_key a, b, c, e, f;
	struct ld_rec r;
	const char *ev = "{\"x\":1}";

	mkrec(&r, "a.log", 1, 1000, ev);
	ld_tl_key(t, &r, &a);
	mkrec(&r, "b.log", 9, 1000, ev);
	ld_tl_key(t, &r, &b);
	mkrec(&r, "b.log", 10, 2000, ev);
	ld_tl_key(t, &r, &c);
	ok(!ld_dedup_check(d, &a), "first copy kept");
	ok(ld_dedup_check(d, &b), "same text, same time: duplicate");
	ok(!ld_dedup_check(d, &c), "same text, other time: not a duplicate");
	mkrec(&r, "audit_events.log", 1, 3000, "{\"id\":\"5\",\"a\":1}");
	r.fmtname = "gitlab.audit_stream";
	ld_tl_key(t, &r, &e);
	mkrec(&r, "audit_json.log", 1, 3000, "{\"id\":5,\"b\":2}");
	r.fmtname = "gitlab.audit";
	ld_tl_key(t, &r, &f);
	ok(!ld_dedup_check(d, &e), "audit event kept");
	ok(ld_dedup_check(d, &f), "same audit id, other shape, same time: "
	    "duplicate");
	mkrec(&r, "audit_json.log", 2, 3000, "{\"id\":5,\"entity_id\":7}");
	r.fmtname = "gitlab.audit";
	ld_tl_key(t, &r, &f);
	ok(!ld_dedup_check(d, &f), "same audit id, other entity: kept");
	mkrec(&r, "audit_json.log", 3, 3004, "{\"id\":5,\"b\":2}");
	r.fmtname = "gitlab.audit";
	ld_tl_key(t, &r, &f);
	ok(!ld_dedup_check(d, &f), "same audit id at another time: kept");
	mkrec(&r, "x", 1, -1, ev);
	ld_tl_key(t, &r, &a);
	ok(!ld_dedup_check(d, &a) && !ld_dedup_check(d, &a),
	    "untimed records are never duplicates");
	ld_dedup_free(d);
	ld_tl_free(t);
}

static void
test_tlout(void)
{
	struct ld_tz tz;
	struct ld_tlout *o;
	struct ld_rec r;
	struct ld_buf b = { 0 };
	const char *ev = "{\"a\":1}";

	ld_tz_parse(&tz, "UTC", NULL);
	mkrec(&r, "x.log", 3, INT64_C(-1500), ev);
	r.has_ts = 1;
	r.ts.prec = 9;
	o = ld_tlout_new(LD_TLF_TS_JSONL, &tz, 0);
	ok(ld_tlout_rec(o, &r, &b) == 1, "timesketch record written");
	ok(strstr(b.p, "\"datetime\":\"1969-12-31T23:59:59.999998500+00:00\"") &&
	    strstr(b.p, "\"timestamp\":-2,"),
	    "before 1970: timestamp is the floor of datetime in µs");
	ld_buf_reset(&b);
	r.has_ts = 0;
	ok(ld_tlout_rec(o, &r, &b) == 0 && b.len == 0,
	    "timesketch cannot hold a record without a time");
	ld_tlout_free(o);
	is_int(ld_tlfmt_parse("l2tcsv"), LD_TLF_L2TCSV, "format names");
	ok(ld_tlfmt_parse("nope") < 0, "unknown format name");
	ld_buf_free(&b);
	ld_rec_free(&r);	/* the message parsed the event into r */
}

static void
test_hist(void)
{
	struct ld_tz tz;
	struct ld_hist *h;
	struct ld_buf b = { 0 };
	int64_t hour = INT64_C(3600) * LD_NS_PER_SEC;

	ld_tz_parse(&tz, "UTC", NULL);
	h = ld_hist_new(LD_HIST_HOUR, LD_HIST_BY_EVENT, &tz);
	ld_hist_add_at(h, 10 * hour + 5, "login", 5);
	ld_hist_add_at(h, 10 * hour + 9, "login", 5);
	ld_hist_add_at(h, 10 * hour + 9, "a<b&c", 5);
	ld_hist_add_at(h, 13 * hour, "login", 5);
	ld_hist_text(h, 10, 0, &b);
	ok(strstr(b.p, "1970-01-01 10:00 |#######=== 3") != NULL,
	    "text bars scale to the largest bucket");
	ok(strstr(b.p, "2 empty hours") != NULL, "gaps are summarised");
	ld_buf_reset(&b);
	ld_hist_svg(h, "t & t", &b);
	ok(strncmp(b.p, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
	    "svg element with its namespace");
	ok(strstr(b.p, "a&lt;b&amp;c") && !strstr(b.p, "a<b"),
	    "svg text is escaped");
	ld_hist_free(h);
	ld_buf_free(&b);
}

int
main(void)
{
	test_csv();
	test_tz();
	test_sort(256 << 20, 5000, "in memory");
	test_sort(1 << 20, 150000, "spilled");
	test_dedup();
	test_tlout();
	test_hist();
	return tap_done();
}
