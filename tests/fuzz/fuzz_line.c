/*
 * fuzz_line.c — one line through every format, and back.
 *
 * The line is parsed with no hint and with one format as the hint (each
 * format in turn, by the input's length), once with a tree and once
 * without (which is which, by the length too).  Whenever a format takes
 * it, the record written (ld_rec_write) is itself a line that parses as
 * an ld-record, and writing that again gives the same bytes.
 *
 * With no hint: a line jansson reads as an object (with JSON_ALLOW_NUL,
 * as every tool asks) is never refused, and a JSON line a format takes
 * keeps its bytes as the event, only the white space around it left off
 * (issue 16: valid JSON must not hide an event).
 *
 * A flat line (format.h, ld_flat_read()), once its shape is learnt from
 * the parser, is read by its shape as the parser reads it: no format when
 * the parser finds none; else each field's first alternative with a value
 * is the parser's field, byte for byte, and the time is the parser's.
 */
#include <jansson.h>
#include <string.h>

#include "format/format.h"
#include "fuzz.h"

static struct ld_formats *fs;
static struct ld_parser *p, *q;
/* Records and buffers kept from one input to the next, as the tools keep
 * theirs from line to line (ld_rec_clear keeps the memory): a parse
 * depends on no earlier one, and an input costs no allocations but its
 * own. */
static struct ld_rec r, r2;
static struct ld_buf a, b;
static struct ld_parser *pf, *pg;
static struct ld_flat *fl;
static struct ld_rec r3, r4;
static struct ld_buf val;

/* ld_flat_read() against ld_parse_line() (see above). */
static void
check_flat(const struct ld_format *hint, const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *t;
	enum ld_parse_result res;
	struct ld_time ts;
	size_t tn;
	int rc, has;

	rc = ld_flat_read(fl, hint, "fuzz.log", s, size);
	if (rc == LD_FLAT_NEW) {
		res = ld_parse_line(pf, hint, "fuzz.log", 2, s, size, &r3);
		ld_flat_learn(fl, res, &r3);
		rc = ld_flat_read(fl, hint, "fuzz.log", s, size);
		FUZZ_CHECK(rc != LD_FLAT_NEW, "a shape learnt is not known");
	}
	if (rc != LD_FLAT_FMT && rc != LD_FLAT_NONE)
		return;
	res = ld_parse_line(pg, hint, "fuzz.log", 2, s, size, &r4);
	if (rc == LD_FLAT_NONE) {
		FUZZ_CHECK(res == LD_PARSE_MALFORMED && r4.fmt == NULL,
		    "flat: no format; the parser: %s", r4.fmtname ?
		    r4.fmtname : "(none)");
		return;
	}
	FUZZ_CHECK(r4.fmt != NULL, "flat: a format; the parser: none");
	for (int i = 0; i < LD_F_N; i++) {
		int got = 0, k;

		for (size_t alt = 0; (k = ld_flat_alt(fl, i, alt, &t, &tn)) != -1;
		    alt++) {
			if (k == -2)
				break;	/* the caller parses the line */
			if (k == 1 && ld_flat_value(fl, i, alt, t, tn, &val)) {
				got = 1;
				break;
			}
		}
		if (k == -2)
			continue;
		FUZZ_CHECK(got == (r4.f[i] != NULL) && (!got ||
		    (val.len == r4.flen[i] && memcmp(val.p, r4.f[i],
		    val.len) == 0)), "field %s: flat %s%.*s, the parser %s%.*s",
		    ld_field_names[i], got ? "" : "(none)", got ? (int)val.len :
		    0, got ? val.p : "", r4.f[i] ? "" : "(none)",
		    r4.f[i] ? (int)r4.flen[i] : 0, r4.f[i] ? r4.f[i] : "");
	}
	has = ld_flat_time(fl, &ts);
	FUZZ_CHECK(has == r4.has_ts && (!has || ts.ns == r4.ts.ns),
	    "time: flat %d %lld, the parser %d %lld", has, (long long)ts.ns,
	    r4.has_ts, (long long)r4.ts.ns);
}

/* The properties of a line parsed with no hint (see above). */
static void
check_json(const uint8_t *data, size_t size, enum ld_parse_result res)
{
	const char *s = (const char *)data;
	size_t n = size;
	json_t *j;

	if (res == LD_PARSE_MALFORMED || res == LD_PARSE_RXERROR) {
		j = json_loadb(s, n, JSON_ALLOW_NUL, NULL);
		FUZZ_CHECK(j == NULL || !json_is_object(j),
		    "jansson reads an object the parser refused: %.*s",
		    (int)n, s);
		json_decref(j);
		return;
	}
	if (r.is_record || r.fmt == NULL || ld_format_is_text(r.fmt) ||
	    !ld_utf8_valid(s, n))
		return;
	while (n > 0 && strchr(" \t\r\n", *s) != NULL && *s != '\0')
		s++, n--;
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL && s[n - 1] != '\0')
		n--;
	FUZZ_CHECK(r.evraw != NULL && r.evrawlen == n &&
	    memcmp(r.evraw, s, n) == 0, "the event is not the line's bytes: "
	    "%.*s", (int)n, s);
}

static void
roundtrip(struct ld_parser *pp, const struct ld_format *hint,
    const uint8_t *data, size_t size)
{
	enum ld_parse_result res;

	ld_buf_reset(&a);
	ld_buf_reset(&b);
	res = ld_parse_line(pp, hint, "fuzz.log", 7, (const char *)data, size, &r);
	ld_rec_complete(pp, &r);
	if (hint == NULL)
		check_json(data, size, res);
	ld_rec_write(&r, &a);
	FUZZ_CHECK(a.len > 0 && a.p[a.len - 1] == '\n' &&
	    memchr(a.p, '\n', a.len) == a.p + a.len - 1,
	    "a record is one line: %s", a.p);
	if (res == LD_PARSE_OK) {
		ld_parse_line(q, NULL, "other", 1, a.p, a.len - 1, &r2);
		ld_rec_complete(q, &r2);
		FUZZ_CHECK(r2.is_record, "not read back as a record: %s", a.p);
		ld_rec_write(&r2, &b);
		FUZZ_CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
		    "written %s read back and written %s", a.p, b.p);
	}
	ld_rec_clear(&r);
	ld_rec_clear(&r2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_err err;
	const struct ld_format *f;
	size_t n;
	int tree;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
		p = ld_parser_new(fs, 2026);
		q = ld_parser_new(fs, 2026);
		pf = ld_parser_new(fs, 2026);
		pg = ld_parser_new(fs, 2026);
		ld_parser_set_no_tree(pf, 1, ~0u);
		ld_parser_set_no_tree(pg, 1, ~0u);
		fl = ld_flat_new(pf);
	}
	if (memchr(data, '\n', size) != NULL)
		return 0;	/* one line */
	/* Two parses per input, chosen by the input's length so that the
	 * line is left as it is: with no hint, then with one format as the
	 * hint (each format in turn), one with a tree and one without.
	 * Every combination for each input would cost forty parses. */
	for (n = 0; ld_formats_get(fs, n) != NULL; n++)
		;
	tree = size / n % 2;	/* independent of the hint, size % n */
	ld_parser_set_no_tree(p, tree, tree ? ~0u : 0);
	roundtrip(p, NULL, data, size);
	ld_parser_set_no_tree(p, !tree, !tree ? ~0u : 0);
	if ((f = ld_formats_get(fs, size % n)) != NULL)
		roundtrip(p, f, data, size);
	check_flat(NULL, data, size);
	if (f != NULL && !ld_format_is_text(f))
		check_flat(f, data, size);
	return 0;
}
