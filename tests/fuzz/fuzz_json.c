/*
 * fuzz_json.c — the JSON index against jansson.
 *
 * Whenever ld_jidx_build() accepts a text, jansson must read it as an
 * object too, and every path the index is asked about (each key of the
 * top object and of the objects in it) must give what ld_json_path()
 * gives over jansson's tree: present or absent alike, and the same text.
 * A key given twice counts the last time, in both.  The element of a
 * key/value array is found the same in the array's raw text as in the
 * tree.  The index is given valid UTF-8 only, as the parser gives it.
 *
 * An input with a newline is also two lines: the second indexed again
 * from the first's index (ld_jidx_again()) must give, whenever it is
 * taken, exactly what a build of the second gives.
 *
 * ld_json_loadb() reads every text jansson reads (with JSON_ALLOW_NUL),
 * into the same tree and without a repair; what it reads, jansson can
 * write and read back; and each top-level key of its tree is found by
 * ld_json_raw_member() in the text, escaped or not, the last of a key
 * given twice, with a string value that decodes to the tree's.
 *
 * Nesting past jansson's bound: the input inside LD_JSON_CUT_DEPTH arrays
 * is read exactly when it is inside one (the grammar is the same at every
 * depth), and an array or object in it that holds something is cut, and
 * said; scalars are not.
 *
 * A flat line (ld_jflat_scan()) is one ld_jidx_build() takes too, with the
 * same members in the same order: keys, values as written, and types.
 * Read as a line of the first line's shape, the second line is read
 * exactly as without the expectation, when it is taken as one.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "format/jsonx.h"
#include "fuzz.h"

static struct ld_jidx x, y;
static struct ld_jflat fl;

static struct ld_jflat fa, fb;
static char wkeys[LD_JFLAT_LEN];

/* The second line read as of the first's shape, and as it is. */
static void
check_flat_as(const char *a, size_t an, const char *b, size_t bn)
{
	struct ld_jflat_want w;
	size_t at = 0;
	int rc, rc2;

	if (ld_jflat_scan(a, an, &fa, NULL) == 0)
		return;
	for (int i = 0; i < fa.n; i++) {
		memcpy(wkeys + at, fa.k[i], fa.kn[i]);
		at += fa.kn[i];
	}
	w.n = fa.n;
	w.keys = wkeys;
	w.kn = fa.kn;
	w.type = fa.type;
	rc = ld_jflat_scan(b, bn, &fb, &w);
	rc2 = ld_jflat_scan(b, bn, &fl, NULL);
	FUZZ_CHECK((rc != 0) == (rc2 != 0), "flat as the line before: %d, "
	    "as it is: %d", rc, rc2);
	if (rc != 2)
		return;
	FUZZ_CHECK(fb.n == fl.n && fb.n == fa.n, "as the line before: %d "
	    "members, as it is %d", fb.n, fl.n);
	for (int i = 0; i < fb.n; i++)
		FUZZ_CHECK(fb.k[i] == fl.k[i] && fb.kn[i] == fl.kn[i] &&
		    fb.v[i] == fl.v[i] && fb.vn[i] == fl.vn[i] &&
		    fb.type[i] == fl.type[i] && fb.type[i] == fa.type[i] &&
		    fb.kn[i] == fa.kn[i] &&
		    memcmp(fb.k[i], fa.k[i], fa.kn[i]) == 0,
		    "member %d read otherwise as the line before's shape", i);
}

/* ld_jflat_scan() against ld_jidx_build() of the same text. */
static void
check_flat(const char *s, size_t n)
{
	if (!ld_jflat_scan(s, n, &fl, NULL))
		return;
	FUZZ_CHECK(ld_jidx_build(&y, s, n), "a flat line the index refuses");
	FUZZ_CHECK(y.n == fl.n && y.nobj == 1,
	    "flat: %d members, the index %d in %d objects", fl.n, y.n, y.nobj);
	for (int i = 0; i < fl.n; i++) {
		const struct ld_jmember *m = &y.m[i];

		FUZZ_CHECK(m->parent == 0 && m->kn == fl.kn[i] &&
		    m->k == fl.k[i] && m->v == fl.v[i] && m->vn == fl.vn[i] &&
		    m->type == fl.type[i],
		    "member %d: flat %.*s=%.*s (%c), the index %.*s=%.*s (%c)",
		    i, (int)fl.kn[i], fl.k[i], (int)fl.vn[i], fl.v[i], fl.type[i],
		    (int)m->kn, m->k, (int)m->vn, m->v, m->type);
	}
}

/* ld_jidx_again() of b after a against a build of b. */
static void
check_again(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	if (!ld_utf8_valid(a, an) || !ld_utf8_valid(b, bn) ||
	    !ld_jidx_build(&y, a, an))
		return;
	r = ld_jidx_again(&y, b, bn);
	if (!r) {
		FUZZ_CHECK(!ld_jidx_again(&y, b, bn), "a refused index taken");
		return;
	}
	FUZZ_CHECK(ld_jidx_build(&x, b, bn), "indexed again, not built");
	FUZZ_CHECK(x.n == y.n && x.nobj == y.nobj && x.shape == y.shape &&
	    memcmp(x.hix, y.hix, sizeof(x.hix)) == 0 &&
	    memcmp(x.hnext, y.hnext, (size_t)x.n * sizeof(x.hnext[0])) == 0,
	    "indexed again: another index");
	for (int i = 0; i < x.n; i++)
		FUZZ_CHECK(x.m[i].parent == y.m[i].parent &&
		    x.m[i].obj == y.m[i].obj && x.m[i].type == y.m[i].type &&
		    x.m[i].k == y.m[i].k && x.m[i].kn == y.m[i].kn &&
		    x.m[i].v == y.m[i].v && x.m[i].vn == y.m[i].vn,
		    "indexed again: member %d differs", i);
}

static void
compare(json_t *top, const char *path)
{
	struct ld_buf a = { 0 }, b = { 0 };
	json_t *v = ld_json_path(top, path);
	int i = ld_jidx_path(&x, 0, path), ra, rb;

	FUZZ_CHECK((v == NULL) == (i < 0), "path %s: jansson %s, index %s",
	    path, v ? "has it" : "has not", i < 0 ? "has not" : "has it");
	if (v != NULL) {
		rb = ld_jidx_text(&x, i, &b);
		ra = ld_json_text(v, &a);
		if (rb >= 0) {
			FUZZ_CHECK(ra == rb, "path %s: %d and %d", path, ra, rb);
			FUZZ_CHECK(a.len == b.len && memcmp(a.p ? a.p : "",
			    b.p ? b.p : "", a.len) == 0, "path %s: <%s> and <%s>",
			    path, a.p ? a.p : "", b.p ? b.p : "");
		}
	}
	ld_buf_free(&a);
	ld_buf_free(&b);
}

/* Each key of a key/value array ("params":[{"key":…,"value":…}]) read
 * from the array's raw text must give what jansson gives. */
static void
compare_keyed(json_t *arr, const char *name)
{
	int i = ld_jidx_path(&x, 0, name), t;
	size_t k, vn;
	json_t *e, *key, *v;
	const char *vs;
	struct ld_buf a = { 0 }, b = { 0 };

	if (i < 0 || x.m[i].type != 'a')
		return;
	json_array_foreach(arr, k, e) {
		if (!json_is_object(e) || (key = json_object_get(e, "key")) == NULL ||
		    !json_is_string(key) ||
		    strlen(json_string_value(key)) != json_string_length(key))
			continue;
		v = ld_json_keyed(arr, json_string_value(key));
		t = ld_json_raw_keyed(x.m[i].v, x.m[i].vn, json_string_value(key),
		    &vs, &vn);
		if (t < 0)
			continue;	/* an escaped key: jansson decides */
		FUZZ_CHECK((v != NULL) == (t > 0), "keyed %s: jansson %s, raw %d",
		    json_string_value(key), v ? "has it" : "has not", t);
		if (v != NULL && json_is_string(v) && memchr(vs, '\\', vn) == NULL) {
			ld_json_text(v, &a);
			ld_buf_add(&b, vs + 1, vn - 2);
			FUZZ_CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
			    "keyed %s: <%s> and <%s>", json_string_value(key),
			    a.p, b.p);
			ld_buf_reset(&a);
			ld_buf_reset(&b);
		}
	}
	ld_buf_free(&a);
	ld_buf_free(&b);
}

/* The properties of ld_json_loadb() (see above). */
static void
check_loadb(const char *s, size_t n)
{
	json_t *j = json_loadb(s, n, JSON_ALLOW_NUL, NULL), *t, *v, *w;
	int repaired = 0;
	const char *k, *vs;
	size_t vn;
	char *text;

	t = ld_json_loadb(s, n, 0, &repaired, NULL);
	if (j != NULL) {
		FUZZ_CHECK(t != NULL && !repaired && json_equal(j, t),
		    "jansson reads it, ld_json_loadb() another way");
		json_decref(j);
	}
	if (t == NULL)
		return;
	text = json_dumps(t, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "a tree jansson cannot write");
	j = json_loads(text, JSON_ALLOW_NUL, NULL);
	FUZZ_CHECK(j != NULL && json_equal(j, t), "written, not read back");
	json_decref(j);
	free(text);
	if (!json_is_object(t) || !ld_utf8_valid(s, n)) {
		json_decref(t);
		return;
	}
	json_object_foreach(t, k, v) {
		FUZZ_CHECK(ld_json_raw_member(s, n, k, &vs, &vn) == 1,
		    "key <%s>: in the tree, not found in the text", k);
		if (!json_is_string(v))
			continue;
		w = ld_json_loadb(vs, vn, JSON_DECODE_ANY, NULL, NULL);
		FUZZ_CHECK(w != NULL && json_equal(v, w),
		    "key <%s>: the text's last value is not the tree's", k);
		json_decref(w);
	}
	json_decref(t);
}

/* s (n bytes) inside LD_JSON_CUT_DEPTH arrays against s inside one: the
 * same text by the grammar ("1,2" is not JSON, "[1,2]" is). */
static void
check_deep(const char *s, size_t n)
{
	struct ld_buf b = { 0 }, one = { 0 };
	json_t *a, *t, *v;
	size_t i;
	int rep = 0, deep = 0, flat = 1;

	for (int d = 0; d < LD_JSON_CUT_DEPTH; d++)
		ld_buf_addc(&b, '[');
	ld_buf_add(&b, s, n);
	for (int d = 0; d < LD_JSON_CUT_DEPTH; d++)
		ld_buf_addc(&b, ']');
	ld_buf_addc(&one, '[');
	ld_buf_add(&one, s, n);
	ld_buf_addc(&one, ']');
	a = ld_json_loadb(one.p, one.len, 0, NULL, NULL);
	t = ld_json_loadb(b.p, b.len, 0, &rep, NULL);
	FUZZ_CHECK((a != NULL) == (t != NULL), "in one array %s, deep %s",
	    a ? "read" : "refused", t ? "read" : "refused");
	/* What holds something is cut, and said; scalars are not.  An
	 * empty array or object is as deep as jansson reads: no cut needed
	 * (but one may be made, when a repair is). */
	json_array_foreach(a, i, v) {
		if ((json_is_array(v) && json_array_size(v) > 0) ||
		    (json_is_object(v) && json_object_size(v) > 0))
			deep = 1;
		if (json_is_array(v) || json_is_object(v))
			flat = 0;
	}
	if (a != NULL && t != NULL && deep)
		FUZZ_CHECK(rep & LD_JSON_CUT, "deep: a cut is not said");
	if (a != NULL && t != NULL && flat)
		FUZZ_CHECK(!(rep & LD_JSON_CUT), "deep: a cut of scalars");
	json_decref(a);
	json_decref(t);
	ld_buf_free(&b);
	ld_buf_free(&one);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *top, *v, *w;
	const char *k, *k2;
	struct ld_buf path = { 0 };
	const char *nl = memchr(data, '\n', size);

	if (nl != NULL) {
		check_again((const char *)data, (size_t)(nl - (const char *)data),
		    nl + 1, size - (size_t)(nl + 1 - (const char *)data));
		check_flat_as((const char *)data, (size_t)(nl -
		    (const char *)data), nl + 1,
		    size - (size_t)(nl + 1 - (const char *)data));
	}
	check_loadb((const char *)data, size);
	check_flat((const char *)data, size);
	/* Dear (4 KB of brackets, two parses past jansson's depth): every
	 * input under make check, one in sixteen, by its last byte, in a
	 * campaign. */
	if (fuzz_thorough || (size > 0 && data[size - 1] % 16 == 0))
		check_deep((const char *)data, size);
	/* The parser repairs invalid UTF-8 before it indexes a line. */
	if (!ld_utf8_valid((const char *)data, size) ||
	    !ld_jidx_build(&x, (const char *)data, size))
		return 0;
	top = json_loadb((const char *)data, size, 0, &je);
	FUZZ_CHECK(top != NULL && json_is_object(top),
	    "the index took a text jansson refuses: %s", je.text);
	json_object_foreach(top, k, v) {
		if (strchr(k, '.') != NULL)
			continue;	/* a dot makes more than one path */
		compare(top, k);
		if (json_is_array(v))
			compare_keyed(v, k);
		if (!json_is_object(v))
			continue;
		json_object_foreach(v, k2, w) {
			if (strchr(k2, '.') != NULL)
				continue;
			ld_buf_reset(&path);
			ld_buf_adds(&path, k);
			ld_buf_addc(&path, '.');
			ld_buf_adds(&path, k2);
			/* "a.b" might also be a top-level key of its own */
			if (json_object_get(top, path.p) == NULL)
				compare(top, path.p);
		}
	}
	ld_buf_free(&path);
	json_decref(top);
	return 0;
}
