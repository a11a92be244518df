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
	return 0;
}
