/* Unit tests of lib/format/shape.c, the parser's cache of line shapes: a
 * remembered answer is only ever the one the full lookup gives, through
 * shapes that share keys but not structure, hash collisions, eviction,
 * hints, long and hostile key lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/format.h"
#include "format/jsonx.h"
#include "format/shape.h"
#include "tap.h"

static struct ld_jidx x;

static int
build(const char *s)
{
	return ld_jidx_build(&x, s, strlen(s));
}

/* Every path of paths through the cache entry e agrees with the index. */
static int
agree(struct ld_shape *e, const char *const *paths)
{
	for (int i = 0; paths[i]; i++)
		if (ld_shape_path(e, &x, paths[i]) != ld_jidx_path(&x, 0, paths[i]) ||
		    ld_shape_top(e, &x, paths[i]) != ld_jidx_top(&x, paths[i]))
			return 0;
	return 1;
}

/* The format of a line, through a no-tree parser and a tree parser. */
static const char *
fmt_of(struct ld_parser *p, const char *line, struct ld_rec *r)
{
	ld_parse_line(p, NULL, "t", 1, line, strlen(line), r);
	return r->fmtname ? r->fmtname : "-";
}

/* The index of b made again from one of a (ld_jidx_again()) is the one a
 * build of b makes, member for member; when the shapes differ it refuses,
 * and a build of b is then as it would be anyway.  Returns 1 when it
 * was indexed again, 0 when refused, -1 when the two differ. */
static struct ld_jidx y;

static int
same_again(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);
	int built_a = ld_jidx_build(&x, a, an), r, built_b;

	r = built_a ? ld_jidx_again(&x, b, bn) : 0;
	built_b = ld_jidx_build(&y, b, bn);
	if (!r)
		return built_a && ld_jidx_again(&x, b, bn) ? -1 : 0;
	if (!built_b || x.n != y.n || x.nobj != y.nobj || x.shape != y.shape ||
	    x.s != y.s || x.sn != y.sn ||
	    memcmp(x.hix, y.hix, sizeof(x.hix)) != 0 ||
	    memcmp(x.hnext, y.hnext, (size_t)x.n * sizeof(x.hnext[0])) != 0)
		return -1;
	for (int i = 0; i < x.n; i++) {
		const struct ld_jmember *m = &x.m[i], *w = &y.m[i];

		if (m->parent != w->parent || m->obj != w->obj ||
		    m->type != w->type || m->k != w->k || m->kn != w->kn ||
		    m->v != w->v || m->vn != w->vn)
			return -1;
	}
	return 1;
}

int
main(void)
{
	static const char *const paths[] = { "a", "b", "a.b", "exception.class",
	    "exception", "time", "abcde", "abcxe", "k0", "k7", "x.y.z", NULL };
	struct ld_shapes *c = ld_shapes_new();
	struct ld_shape *e;
	int fresh, hint = 0, bad;
	unsigned seed = 7;

	/* Same keys, one value an object or not: not the same shape. */
	ok(build("{\"exception\":{\"class\":\"E\"},\"time\":\"t\"}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && fresh, "a new shape is fresh");
	e->what = 1;
	ok(agree(e, paths), "lookups of a fresh entry");
	ok(ld_shape_path(e, &x, "exception.class") >= 0, "nested key found");
	ok(build("{\"exception\":\"E\",\"time\":\"u\"}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && fresh, "same keys, a string instead of an object: another shape");
	ok(agree(e, paths) && ld_shape_path(e, &x, "exception.class") < 0,
	    "nested key absent");
	ok(build("{\"exception\":{\"class\":\"F\"},\"time\":\"v\"}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && !fresh && e->what == 1, "the first shape again, other values: known");
	ok(agree(e, paths), "remembered lookups agree");

	/* The same keys in another order: the last of a key differs. */
	ok(build("{\"a\":1,\"a\":{\"b\":2}}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && agree(e, paths), "duplicate key, object last");
	ok(build("{\"a\":{\"b\":2},\"a\":1}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && fresh && agree(e, paths) && ld_shape_path(e, &x, "a.b") < 0,
	    "duplicate key, object first: another shape");

	/* Keys of one hash (same length, first, middle and last bytes). */
	ok(build("{\"abcde\":1}"), "built");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && agree(e, paths), "abcde");
	ok(build("{\"abcxe\":1}"), "built");
	ok(ld_jidx_shape_hash(&x) != 0, "hashed");
	e = ld_shapes_get(c, &x, NULL, 0, &fresh);
	ok(e && fresh && agree(e, paths) && ld_shape_path(e, &x, "abcde") < 0,
	    "a colliding shape is not taken for the other");

	/* A hint and byname are part of the key. */
	ok(build("{\"abcxe\":1}"), "built");
	e = ld_shapes_get(c, &x, &hint, 0, &fresh);
	ok(e && fresh, "the same shape with a hint is another entry");
	e = ld_shapes_get(c, &x, &hint, 1, &fresh);
	ok(e && fresh, "and by name another again");
	e = ld_shapes_get(c, &x, &hint, 1, &fresh);
	ok(e && !fresh, "then known");

	/* Eviction: many more shapes than entries, random keys, revisited. */
	bad = 0;
	for (int t = 0; t < 20000; t++) {
		char line[256];
		size_t n = 0;
		int k = rand_r(&seed) % 6;

		n += (size_t)snprintf(line + n, sizeof(line) - n, "{");
		for (int i = 0; i < k; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    "%s\"k%d\":%s", i ? "," : "", rand_r(&seed) % 9,
			    rand_r(&seed) % 3 ? "1" : "{\"y\":{\"z\":0}}");
		snprintf(line + n, sizeof(line) - n, "}");
		if (!build(line))
			continue;
		e = ld_shapes_get(c, &x, NULL, 0, &fresh);
		if (e == NULL || !agree(e, paths))
			bad++;
	}
	ok(bad == 0, "20000 random shapes: %d lookups differ", bad);
	ok(c->hits > 0 && c->misses > LD_SHAPES, "hits %lu, misses %lu",
	    c->hits, c->misses);

	/* A shape too long to keep: NULL, and the lookups still work. */
	{
		struct ld_buf b = { 0 };

		ld_buf_adds(&b, "{");
		for (int i = 0; i < 400; i++)
			ld_buf_addf(&b, "%s\"%040d\":%d", i ? "," : "", i, i);
		ld_buf_adds(&b, ",\"a\":{\"b\":1}}");
		ok(ld_jidx_build(&x, b.p, b.len), "400 long keys built");
		e = ld_shapes_get(c, &x, NULL, 0, &fresh);
		ok(e == NULL && fresh, "a shape past LD_SHAPE_MAX is not kept");
		ok(agree(NULL, paths) && ld_shape_path(NULL, &x, "a.b") >= 0,
		    "lookups without an entry");
		ld_buf_free(&b);
	}

	/* More paths than an entry remembers. */
	{
		static char names[200][16];
		int wrong = 0;

		ok(build("{\"p1\":1,\"p150\":2,\"p199\":3}"), "built");
		e = ld_shapes_get(c, &x, NULL, 0, &fresh);
		for (int round = 0; round < 2; round++)
			for (int i = 0; i < 200; i++) {
				snprintf(names[i], sizeof(names[i]), "p%d", i);
				if (ld_shape_path(e, &x, names[i]) !=
				    ld_jidx_path(&x, 0, names[i]))
					wrong++;
			}
		ok(wrong == 0 && e->nmemo <= LD_SHAPE_MEMO, "200 paths: %d wrong, %d kept",
		    wrong, e->nmemo);
	}
	ld_shapes_free(c);
	ld_shapes_free(NULL);

	/* Through the parser: lines of one key list whose format differs. */
	{
		struct ld_err err = { 0 };
		struct ld_formats *fs = ld_formats_load(NULL, NULL, &err);
		struct ld_parser *flat, *tree;
		struct ld_rec r1 = { 0 }, r2 = { 0 };
		static const char *const lines[] = {
			"{\"exception\":{\"class\":\"E\"},\"time\":\"2026-01-01T00:00:00Z\"}",
			"{\"exception\":\"E\",\"time\":\"2026-01-01T00:00:00Z\"}",
			"{\"exception\":{\"class\":\"E\"},\"time\":\"2026-01-01T00:00:01Z\"}",
			"{\"exception\":\"E\",\"time\":\"2026-01-01T00:00:01Z\"}",
			"{\"exception.class\":\"E\",\"time\":\"2026-01-01T00:00:01Z\"}",
			"{\"ev\":{},\"src\":\"s\",\"fmt\":\"x\",\"ts\":\"2026-01-01T00:00:01Z\"}",
			"{\"q\":1}",
			NULL };

		ok(fs != NULL, "formats loaded");
		flat = ld_parser_new(fs, 2026);
		tree = ld_parser_new(fs, 2026);
		ld_parser_set_no_tree(flat, 1, LD_F_ALL);
		for (int round = 0; round < 3; round++)
			for (int i = 0; lines[i]; i++) {
				const char *a = fmt_of(tree, lines[i], &r1);
				const char *b = fmt_of(flat, lines[i], &r2);

				if (round == 2)
					is_str(b, a, "line %d: format as full detection", i);
			}
		ok(strcmp(fmt_of(flat, lines[0], &r2), fmt_of(flat, lines[1], &r1)) != 0,
		    "same keys, different formats");
		ld_rec_free(&r1);
		ld_rec_free(&r2);
		ld_parser_free(flat);
		ld_parser_free(tree);
		ld_formats_free(fs);
	}
	/* A line indexed again from the line before: exactly a build when
	 * the shape is the same, refused otherwise. */
	{
		static const char *const again[][3] = {
			/* a, b, 1: indexed again, 0: refused */
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"yy\",\"b\":22}", "1" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"y\\\"z\",\"b\":null}", "1" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"\\u00e9\",\"b\":-1.5}", "1" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"\\u0062\":1}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"c\":1}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"bb\":1}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\"}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":1,\"c\":2}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"b\":1,\"a\":\"x\"}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", " { \"a\" : \"x\" , \"b\" : [1,{\"c\":2}] } ", "1" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":1", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":1}x", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":1e5}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":{}}", "0" },
			{ "{\"a\":\"x\",\"a\":1}", "{\"a\":true,\"a\":\"z\"}", "1" },
			{ "{\"m\":{\"p\":\"g/p\",\"u\":\"al\"},\"t\":1}",
			  "{\"m\":{\"p\":\"h/q\",\"u\":\"bo\"},\"t\":2}", "1" },
			{ "{\"m\":{\"p\":\"g/p\",\"u\":\"al\"},\"t\":1}",
			  "{\"m\":{\"p\":\"g/p\"},\"u\":\"al\",\"t\":1}", "0" },
			{ "{\"m\":{\"p\":\"g/p\"},\"t\":1}",
			  "{\"m\":\"g/p\",\"t\":1}", "0" },
			{ "{\"m\":{},\"t\":1}", "{\"m\":{\"t\":1}}", "0" },
			{ "{\"m\":{\"t\":1}}", "{\"m\":{},\"t\":1}", "0" },
			{ "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\n\",\"b\":1}", "0" },
			{ "{}", "{}", "1" },
		};
		for (size_t i = 0; i < sizeof(again) / sizeof(again[0]); i++)
			is_int(same_again(again[i][0], again[i][1]),
			    again[i][2][0] - '0', "again %zu: %s after %s", i,
			    again[i][1], again[i][0]);
		/* A refused try leaves no index to try from again. */
		ok(build("{\"a\":1}") && !ld_jidx_again(&x, "{\"b\":1}", 7) &&
		    !ld_jidx_again(&x, "{\"a\":1}", 7), "refused, then none");
	}
	return tap_done();
}
