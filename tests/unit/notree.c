/* Unit tests of reading fields without a jansson tree (lib/format/jsonx.c's
 * index, ld_parser_set_no_tree()): every line must give the very record
 * that the tree gives, and the index must step aside where it cannot be
 * sure. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format/format.h"
#include "format/jsonx.h"
#include "tap.h"

static struct ld_formats *fs;
static struct ld_parser *tree, *flat;

/* Parse line from src both ways; 1 when the records are the same. */
static int
same(const char *src, const char *line)
{
	struct ld_rec a = { 0 }, b = { 0 };
	struct ld_buf wa = { 0 }, wb = { 0 };
	const struct ld_format *hint = ld_formats_for_source(fs, src);
	int ra, rb, rc;

	ra = ld_parse_line(tree, hint, src, 3, line, strlen(line), &a);
	rb = ld_parse_line(flat, hint, src, 3, line, strlen(line), &b);
	ld_rec_complete(flat, &b);
	ld_rec_write(&a, &wa);
	ld_rec_write(&b, &wb);
	rc = ra == rb && a.has_ts == b.has_ts && wa.len == wb.len &&
	    memcmp(wa.p, wb.p, wa.len) == 0;
	if (!rc)
		printf("#   tree: %d %s#   flat: %d %s", ra, wa.p, rb, wb.p);
	ld_buf_free(&wa);
	ld_buf_free(&wb);
	ld_rec_free(&a);
	ld_rec_free(&b);
	return rc;
}

static int
indexed(const char *s)
{
	static struct ld_jidx x;

	return ld_jidx_build(&x, s, strlen(s));
}

/*
 * A window (ld_parser_set_window): a line outside it is OUTSIDE with its
 * format and time and no fields; inside, the very record without one; a
 * line without a readable time as without a window, its zone-less time
 * counted once; text lines alike.
 */
static void
test_window(void)
{
	static const char *const rails = "production_json.log";
	static const char in[] = "{\"time\":\"2026-11-14T01:02:03Z\","
	    "\"controller\":\"A\",\"action\":\"b\",\"meta.project\":"
	    "\"acme-corp/web\",\"meta.user\":\"alice\"}";
	static const char out[] = "{\"time\":\"2026-11-12T01:02:03Z\","
	    "\"controller\":\"A\",\"action\":\"b\",\"meta.project\":"
	    "\"acme-corp/web\",\"meta.user\":\"alice\"}";
	static const char nozone[] = "{\"time\":\"2026-11-12T01:02:03\","
	    "\"controller\":\"A\",\"action\":\"b\",\"meta.project\":"
	    "\"acme-corp/web\"}";
	static const char nginx_in[] = "203.0.113.7 - - [14/Nov/2026:01:02:03 "
	    "+0000] \"GET /acme-corp/web HTTP/1.1\" 200 612 \"-\" \"curl/8\"";
	static const char nginx_out[] = "203.0.113.7 - - [12/Nov/2026:01:02:03 "
	    "+0000] \"GET /acme-corp/web HTTP/1.1\" 200 612 \"-\" \"curl/8\"";
	struct ld_parser *w = ld_parser_new(fs, 2026), *p = ld_parser_new(fs, 2026);
	struct ld_rec a = { 0 }, b = { 0 };
	struct ld_buf wa = { 0 }, wb = { 0 };
	const struct ld_format *h = ld_formats_for_source(fs, rails);
	int64_t since = INT64_C(1794528000) * 1000000000;	/* 2026-11-13 */
	unsigned long z;

	ld_parser_set_no_tree(w, 1, 1u << LD_F_NS);
	ld_parser_set_no_tree(p, 1, 1u << LD_F_NS);
	ld_parser_set_window(w, 1, since, 0, 0);

	ok(ld_parse_line(w, h, rails, 1, out, strlen(out), &a) ==
	    LD_PARSE_OUTSIDE && a.fmt == h && a.has_ts && a.ts.ns < since &&
	    a.f[LD_F_NS] == NULL, "window: a JSON line before it is OUTSIDE, "
	    "with its format and time, without its fields");
	ld_rec_complete(w, &a);
	ok(ld_parse_line(w, h, rails, 2, in, strlen(in), &a) == LD_PARSE_OK &&
	    ld_parse_line(p, h, rails, 2, in, strlen(in), &b) == LD_PARSE_OK,
	    "window: a line inside it is OK");
	ld_rec_complete(w, &a);
	ld_rec_complete(p, &b);
	ld_rec_write(&a, &wa);
	ld_rec_write(&b, &wb);
	ok(wa.len == wb.len && memcmp(wa.p, wb.p, wa.len) == 0,
	    "and the very record read without a window");
	z = ld_formats_zoneless(fs);
	ok(ld_parse_line(w, h, rails, 3, nozone, strlen(nozone), &a) ==
	    LD_PARSE_BADTIME && ld_formats_zoneless(fs) == z + 1,
	    "a zone-less time: BADTIME, counted once");
	ok(ld_parse_line(w, NULL, "access.log", 4, nginx_out,
	    strlen(nginx_out), &a) == LD_PARSE_OUTSIDE && a.fmt != NULL &&
	    ld_format_is_text(a.fmt), "a text line before it is OUTSIDE");
	ld_rec_complete(w, &a);
	ok(ld_parse_line(w, NULL, "access.log", 5, nginx_in,
	    strlen(nginx_in), &a) == LD_PARSE_OK &&
	    ld_parse_line(p, NULL, "access.log", 5, nginx_in,
	    strlen(nginx_in), &b) == LD_PARSE_OK, "a text line inside it is OK");
	ld_rec_complete(w, &a);
	ld_rec_complete(p, &b);
	ld_buf_reset(&wa);
	ld_buf_reset(&wb);
	ld_rec_write(&a, &wa);
	ld_rec_write(&b, &wb);
	ok(wa.len == wb.len && memcmp(wa.p, wb.p, wa.len) == 0 &&
	    a.f[LD_F_NS] != NULL, "and the very record, its fields read");
	ld_parser_set_window(w, 0, 0, 0, 0);
	ok(ld_parse_line(w, h, rails, 6, out, strlen(out), &a) == LD_PARSE_OK,
	    "no window: the line before is OK again");
	ld_buf_free(&wa);
	ld_buf_free(&wb);
	ld_rec_free(&a);
	ld_rec_free(&b);
	ld_parser_free(w);
	ld_parser_free(p);
}

int
main(void)
{
	static const char *const rails = "h!var/log/gitlab/gitlab-rails/"
	    "production_json.log";
	static const char *const lines[] = {
		"{\"time\":\"2026-11-14T01:02:03.456Z\",\"controller\":\"A\","
		    "\"action\":\"b\",\"meta.project\":\"acme-corp/web\","
		    "\"meta.user\":\"alice\",\"remote_ip\":\"10.0.0.1\"}",
		/* escapes in values, a surrogate pair, a duplicate key */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\\u00e9\","
		    "\"action\":\"\\ud83d\\ude00\",\"meta.project\":\"acme\\u002dcorp"
		    "\\/web\",\"meta.user\":\"x\",\"meta.user\":\"bob\"}",
		/* nested instead of flattened, numbers as values */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"meta\":{\"project\":\"acme-corp/x\",\"user_id\":-42},"
		    "\"user_id\":7,\"meta.root_namespace\":true}",
		/* a real and -0 where a field is read: jansson decides */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"user_id\":1.50,\"meta.user_id\":-0}",
		/* an escaped time, a time as a number, a null time */
		"{\"time\":\"2026-11-14T01:02:03\\u005a\",\"controller\":\"A\","
		    "\"action\":\"b\"}",
		"{\"time\":1763082123.5,\"controller\":\"A\",\"action\":\"b\"}",
		"{\"time\":null,\"controller\":\"A\",\"action\":\"b\"}",
		/* arrays holding objects are not members */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"params\":[{\"meta.user\":\"eve\"}],\"meta.user\":\"al\"}",
		/* what the index leaves to jansson */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"n\":1e999}",
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"n\":123456789012345678901234567890}",
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"meta.user\":\"a\\u0000b\"}",
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"meta\\u002euser\":\"esc\"}",
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\",\"action\":"
		    "\"b\",\"meta.user\":\"\\udc00\"}",
		/* not JSON at all, or not quite */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"controller\":\"A\"",
		"{\"time\":\"2026-11-14T01:02:03Z\"} trailing",
		"{\"a\":\"tab\there\"}",
		"Nov 14 01:02:03 host sshd[12]: accepted for alice",
		/* ld-records: plain, escaped, marked, and what only jansson
		 * reads (a real field, a second "ev") or not quite a record */
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\",\"line\":2,\"fmt\":"
		    "\"gitlab.rails\",\"user\":\"alice\",\"ev\":{\"a\":1}}",
		"{\"ts\":\"2026-11-14T01:02:03\\u005a\",\"src\":\"a\\/b!c\",\"line\":"
		    "-3,\"fmt\":\"no.such\\u0020fmt\",\"utf8\":\"repaired\",\"ts_year\":"
		    "\"guessed\",\"ns\":\"acme\\u00e9\",\"user_id\":42,\"ip\":null,"
		    "\"ev\":{\"raw\":\"x\\ty\"},\"redacted\":3}",
		"{\"ts\":null,\"src\":\"x\",\"line\":\"2\",\"fmt\":null,\"cid\":true,"
		    "\"ev\":{}}",
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\",\"line\":2,\"fmt\":"
		    "\"gitlab.rails\",\"user_id\":1.5,\"ev\":{\"a\":1}}",
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\",\"line\":2,\"fmt\":"
		    "\"gitlab.rails\",\"ev\":{\"a\":1},\"ev\":{\"b\":2}}",
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\",\"line\":2,"
		    "\"ev\":{\"a\":1}}",
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\",\"line\":2,\"fmt\":"
		    "\"gitlab.rails\",\"ev\":[1]}",
		"{\"ts\":\"2026-11-14T01:02:03Z\",\"src\":\"x\xff\",\"line\":2,"
		    "\"fmt\":\"gitlab.rails\",\"ev\":{\"a\":\"\xfe\"}}",
		/* detection without a hint and invalid UTF-8 */
		"{\"time\":\"2026-11-14T01:02:03Z\",\"route\":\"/api\",\"path\":"
		    "\"/api/v4/projects/acme-corp%2Fweb\",\"x\":\"\xff\"}",
		"{\"created_at\":\"2026-11-14T01:02:03Z\",\"event_type\":\"e\","
		    "\"entity_type\":\"Project\",\"details\":{\"entity_path\":"
		    "\"Acme-Corp/web\",\"author_name\":\"al\"}}",
		NULL
	};
	struct ld_err err;

	fs = ld_formats_load(NULL, NULL, &err);
	if (!ok(fs != NULL, "built-in formats load"))
		return tap_done();
	tree = ld_parser_new(fs, 2026);
	flat = ld_parser_new(fs, 2026);
	for (unsigned need = 0; need <= LD_F_ALL; need += LD_F_ALL) {
		ld_parser_set_no_tree(flat, 1, need);
		for (int i = 0; lines[i]; i++) {
			ok(same(rails, lines[i]), "line %d: the same record, "
			    "hinted, fields %#x first", i, need);
			ok(same("some.log", lines[i]), "line %d: the same record, "
			    "detected, fields %#x first", i, need);
		}
	}
	ld_parser_set_no_tree(flat, 1, 1u << LD_F_NS);
	ok(same("h!var/log/gitlab/nginx/gitlab_access.log",
	    "10.0.0.1 - alice [14/Nov/2026:01:02:03 +0000] \"GET "
	    "/acme-corp/web HTTP/1.1\" 200 12 \"-\" \"curl\""),
	    "an nginx line: the same record");

	ok(indexed("{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":\"e\"} "), "index: nested");
	ok(!indexed("{\"a\":1e5}"), "index: an exponent is left to jansson");
	ok(!indexed("{\"a\":\"\\u0000\"}"), "index: \\u0000 is left to jansson");
	ok(!indexed("{\"a\":1,}"), "index: a trailing comma is not JSON");
	ok(!indexed("[1]"), "index: only objects");
	{
		struct ld_jidx x;
		struct ld_buf b = { 0 };
		const char *s = "{\"a\":-3,\"b\":-0}";

		ld_jidx_build(&x, s, strlen(s));
		ok(ld_jidx_text(&x, ld_jidx_path(&x, 0, "a"), &b) == 1 &&
		    strcmp(b.p, "-3") == 0, "index: -3 is an integer as written");
		ok(ld_jidx_text(&x, ld_jidx_path(&x, 0, "b"), &b) == -1,
		    "index: -0 is left to jansson");
		ld_buf_free(&b);
	}

	{
		/*
		 * More keys than the index has slots, some twice, some in a
		 * nested object: every path finds what jansson finds, the
		 * last of a key twice, and nothing for a key not there.
		 */
		struct ld_jidx *x = malloc(sizeof(*x));
		struct ld_buf s = { 0 }, b = { 0 };
		json_t *j, *v;
		char path[32];
		int bad = 0, found = 0;

		ld_buf_adds(&s, "{\"in\":{\"k7\":\"inner\",\"k7\":\"inner2\"}");
		for (int i = 0; i < 400; i++)
			ld_buf_addf(&s, ",\"k%d\":\"v%d\"", i % 300, i);
		ld_buf_addc(&s, '}');
		j = json_loadb(s.p, s.len, 0, NULL);
		ok(j != NULL && ld_jidx_build(x, s.p, s.len) == 1,
		    "index: 400 members, 100 keys twice");
		for (int i = 0; i < 320; i++) {
			for (int nested = 0; nested < 2; nested++) {
				snprintf(path, sizeof(path), "%sk%d", nested ? "in." : "", i);
				v = ld_json_path(j, path);
				ld_buf_reset(&b);
				if (ld_jidx_text(x, ld_jidx_path(x, 0, path), &b) !=
				    (v != NULL) || (v != NULL &&
				    strcmp(b.p, json_string_value(v)) != 0))
					bad++;
				found += v != NULL;
			}
		}
		ok(bad == 0 && found == 301, "index: every key as jansson reads "
		    "it (%d of 640 differ, %d found)", bad, found);
		json_decref(j);
		ld_buf_free(&s);
		ld_buf_free(&b);
		free(x);
	}

	test_window();
	ld_parser_free(tree);
	ld_parser_free(flat);
	ld_formats_free(fs);
	return tap_done();
}
