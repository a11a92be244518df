/*
 * index.c — unit tests of lib/index: an index built from a small file,
 * its encoding read back, damage of every kind refused without a crash,
 * the filter's answers (never a false "absent", few false "present"),
 * the shares of --shard, and the heap of ldtimeline --merge.
 *
 * With arguments, "index.t superset FILE...": the index of each file,
 * built with and without --cids, checked line by line against the exact
 * parse (a jansson tree, ld_format_extract()): every value a scope can
 * ask for that matches the line must leave the line's block readable
 * (tests/t1270-ldindex-superset.sh runs it over corpora).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "core/digest.h"
#include "index/index.h"
#include "tap.h"
#include "timeline/heap.h"

static const char *lines[] = {
	"{\"time\":\"2026-11-16T01:00:00.000Z\",\"controller\":\"P\",\"action\":\"show\",\"meta.project\":\"Big-Co/Sub/App\",\"meta.user\":\"Dana\",\"user_id\":77,\"remote_ip\":\"192.0.2.44\",\"correlation_id\":\"CID-one\"}",
	"{\"time\":\"2026-11-16T02:00:00.000Z\",\"controller\":\"P\",\"action\":\"index\",\"meta.project\":\"other/app\",\"meta.user\":\"erin\",\"user_id\":78,\"remote_ip\":\"2001:db8::9\",\"correlation_id\":\"CID-two\"}",
	"not json at all",
};

static struct ld_index *
build(const char *path, struct ld_formats *fs)
{
	struct ld_index_build_opts o = { fs, NULL, 2026, 1, 0 };
	struct ld_err err;
	FILE *fp = fopen(path, "w");

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		fprintf(fp, "%s\n", lines[i]);
	fclose(fp);
	return ld_index_build(path, &o, &err);
}

static int
may(const struct ld_index *ix, const char *field, const char *value)
{
	struct ld_scope sc = { 0 };
	int r;

	ld_scope_add(&sc, field, value, NULL);
	r = ld_index_source_may(ix, &sc);
	ld_scope_free(&sc);
	return r;
}

static void
test_filter(const struct ld_index *ix)
{
	struct ld_scope sc = { 0 };
	int fp = 0;
	char v[64];

	ok(ix->nunits == 1 && ix->units[0].lines == 3, "one unit of 3 lines");
	ok(ix->units[0].nblocks == 1 && ix->units[0].blocks[0].ntimed == 2,
	    "one block, 2 timed lines");
	ok(may(ix, "namespaces", "big-co"), "namespace, other case");
	ok(may(ix, "namespaces", "BIG-CO/sub"), "subgroup prefix");
	ok(may(ix, "projects", "big-co/sub/app"), "project");
	ok(may(ix, "users", "DANA") && may(ix, "users", "78"), "user by name and id");
	ok(may(ix, "cids", "CID-two"), "correlation id");
	ok(may(ix, "ips", "192.0.2.0/24") && may(ix, "ips", "2001:db8::/48"),
	    "networks v4 and v6");
	ok(may(ix, "events", "P#show") && may(ix, "events", "Q*"),
	    "event, and a glob is never ruled out");
	ok(may(ix, "ips", "10.0.0.0/8"), "a network shorter than /16 is not ruled out");
	ok(!may(ix, "namespaces", "big"), "a name prefix that is not a segment");
	for (int i = 0; i < 1000; i++) {
		snprintf(v, sizeof(v), "absent-%d", i);
		fp += may(ix, "namespaces", v);
	}
	ok(fp < 50, "false positives: %d of 1000", fp);
	sc.has_since = 1;
	ld_time_parse_bound("2026-11-17", 0, &sc.since, NULL);
	ok(!ld_index_source_may(ix, &sc), "a window after the block");
	sc.since = 0;
	sc.has_until = 1;
	ld_time_parse_bound("2026-11-16T01:00:00Z", 0, &sc.until, NULL);
	ok(!ld_index_source_may(ix, &sc), "a window ending at its first time");
	ld_scope_free(&sc);
}

/* Rewrite the encoded index a with the body's 8 bytes at off set to
 * byte v, recompressed and checksummed as ld_index_encode() would. */
static void
relie(struct ld_buf *a, size_t off, int v)
{
	struct ld_buf o = { 0 };
	unsigned long long n = ZSTD_getFrameContentSize(a->p + 20, a->len - 52);
	char *body = malloc(n + 1), hex[65];
	size_t bound, z;

	ZSTD_decompress(body, n, a->p + 20, a->len - 52);
	memset(body + off, v, 8);
	ld_buf_add(&o, a->p, 20);
	bound = ZSTD_compressBound(n);
	ld_buf_grow(&o, bound + 32);
	z = ZSTD_compress(o.p + o.len, bound, body, n, 3);
	o.len += z;
	ld_sha256_hex(o.p, o.len, hex);
	for (int i = 0; i < 32; i++)
		ld_buf_addc(&o, (char)(ld_hexval(hex[2 * i]) << 4 |
		    ld_hexval(hex[2 * i + 1])));
	ld_buf_free(a);
	*a = o;
	free(body);
}

static void
test_encoding(const struct ld_index *ix)
{
	struct ld_buf a = { 0 }, b = { 0 };
	struct ld_index *r;
	struct ld_err err;
	size_t bad = 0;

	ld_index_encode(ix, &a);
	r = ld_index_parse(a.p, a.len, &err);
	ok(r != NULL, "read back");
	if (r)
		ld_index_encode(r, &b);
	ok(b.len == a.len && memcmp(a.p, b.p, a.len) == 0, "the same bytes again");
	ld_index_free(r);
	for (size_t n = 0; n < a.len; n++)
		if ((r = ld_index_parse(a.p, n, &err)) != NULL) {
			bad++;
			ld_index_free(r);
		}
	ok(bad == 0, "every truncation refused (%zu accepted)", bad);
	for (size_t i = 0; i < a.len; i++) {
		a.p[i] ^= 0x20;
		if ((r = ld_index_parse(a.p, a.len, &err)) != NULL) {
			bad++;
			ld_index_free(r);
		}
		a.p[i] ^= 0x20;
	}
	ok(bad == 0, "every flipped byte refused (%zu accepted)", bad);
	/* A count past what is there, in a body zstd reads and with the
	 * checksum made right: the structure is checked too. */
	relie(&a, 4 + 8 + 32 + 64 + 4 + 4 + strlen(ix->path) + 1, 0xff);
	r = ld_index_parse(a.p, a.len, &err);
	ok(r == NULL && strstr(err.msg, "bad structure"), "a lying count: %s",
	    r ? "accepted" : err.msg);
	ld_index_free(r);
	ld_buf_free(&a);
	ld_buf_free(&b);
}

static void
test_shard(void)
{
	struct ld_err err;
	unsigned i, n;
	char *paths[10];
	int seen[10] = { 0 }, order = 1;

	ok(ld_shard_parse("3/8", &i, &n, &err) == 0 && i == 3 && n == 8, "3/8");
	ok(ld_shard_parse("0/8", &i, &n, &err) < 0, "0/8 refused");
	ok(ld_shard_parse("9/8", &i, &n, &err) < 0, "9/8 refused");
	ok(ld_shard_parse("1/8x", &i, &n, &err) < 0, "1/8x refused");
	for (int k = 0; k < 10; k++) {
		char b[32];

		snprintf(b, sizeof(b), "no-such-file-%d", k);
		paths[k] = strdup(b);
	}
	for (unsigned s = 1; s <= 3; s++) {
		struct ld_srclist l;
		int last = -1;

		ld_srclist_expand(&l, paths, 10);
		ld_shard_select(&l, s, 3);
		for (size_t k = 0; k < l.n; k++) {
			int x = atoi(l.path[k] + strlen("no-such-file-"));

			seen[x]++;
			if (x <= last)
				order = 0;
			last = x;
		}
		ok(l.n >= 3 && l.n <= 4, "shard %u of 3 has %zu of 10", s, l.n);
		ld_srclist_free(&l);
	}
	for (int k = 0; k < 10; k++) {
		ok(seen[k] == 1, "source %d in exactly one shard", k);
		free(paths[k]);
	}
	ok(order, "shards keep the list's order");
}

static int keys[1000];

static int
cmp(void *arg, size_t a, size_t b)
{
	return (keys[a] > keys[b]) - (keys[a] < keys[b]);
}

static void
test_heap(void)
{
	struct ld_heap *h = ld_heap_new(cmp, NULL);
	int last = -1, sorted = 1, ties = 1;
	size_t prev = 0, n = 0;

	srand(7);
	for (size_t i = 0; i < 1000; i++) {
		keys[i] = rand() % 100;
		ld_heap_push(h, i);
	}
	while (ld_heap_count(h)) {
		size_t t = ld_heap_top(h);

		if (keys[t] < last)
			sorted = 0;
		if (keys[t] == last && t < prev)
			ties = 0;
		last = keys[t];
		prev = t;
		n++;
		ld_heap_pop(h);
	}
	ok(n == 1000 && sorted, "1000 keys come out in order");
	ok(ties, "equal keys come out lowest input first");
	ld_heap_free(h);
}

/* ---- the index as a superset of what the exact parse derives ---- */

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

struct sup {
	const struct ld_index *ix;
	size_t unit;		/* units seen so far */
	unsigned long checks, misses, lines;
};

static int
sup_unit(void *arg, const char *unit, const char *member, uint64_t ordinal)
{
	struct sup *S = arg;

	(void)unit;
	(void)member;
	(void)ordinal;
	S->unit++;
	return 0;
}

/* The block of line lineno of the current unit, or NULL. */
static const struct ld_index_block *
sup_block(const struct sup *S, uint64_t lineno)
{
	const struct ld_index_unit *u;

	if (S->unit == 0 || S->unit > S->ix->nunits)
		return NULL;
	u = &S->ix->units[S->unit - 1];
	for (size_t i = 0; i < u->nblocks; i++)
		if (lineno >= u->blocks[i].first_line &&
		    lineno < u->blocks[i].first_line + u->blocks[i].nlines)
			return &u->blocks[i];
	return NULL;
}

/* A scope of one value of field that r matches must find b readable.
 * Values the scope refuses (not an address, say) are not asked. */
static void
sup_ask(struct sup *S, const struct ld_index_block *b, const struct ld_rec *r,
    const char *field, const char *v, size_t n, const char *where)
{
	struct ld_scope sc = { 0 };
	char *t = strndup(v, n);

	if (ld_scope_add(&sc, field, t, NULL) == 0 && ld_scope_match(&sc, r)) {
		S->checks++;
		if (!ld_index_block_may(b, &sc)) {
			if (S->misses++ < 5)
				diag("%s: %s %s not in its block", where, field,
				    t);
		}
	}
	ld_scope_free(&sc);
	free(t);
}

/* Every prefix of a path at a '/', and the whole, as namespaces. */
static void
sup_prefixes(struct sup *S, const struct ld_index_block *b,
    const struct ld_rec *r, const char *v, size_t n, const char *where)
{
	for (size_t i = 1; i <= n; i++)
		if (i == n || v[i] == '/')
			sup_ask(S, b, r, "namespaces", v, i, where);
}

static void
sup_check(struct sup *S, const struct ld_index_block *b, const struct ld_rec *r,
    const char *where, int cids)
{
	static const struct {
		int f;
		const char *scope;
	} asks[] = {
		{ LD_F_PROJECT, "projects" }, { LD_F_USER, "users" },
		{ LD_F_USER_ID, "users" }, { LD_F_EVENT, "events" },
		{ LD_F_IP, "ips" }, { LD_F_CID, "cids" },
	};

	if (r->has_ts && !r->ts.year_guessed) {
		S->checks++;
		if (b->ntimed == 0 || r->ts.ns < b->tmin || r->ts.ns > b->tmax) {
			if (S->misses++ < 5)
				diag("%s: time %" PRId64 " outside its block",
				    where, r->ts.ns);
		}
	}
	if (r->f[LD_F_NS])
		sup_prefixes(S, b, r, r->f[LD_F_NS], r->flen[LD_F_NS], where);
	if (r->f[LD_F_PROJECT])
		sup_prefixes(S, b, r, r->f[LD_F_PROJECT],
		    r->flen[LD_F_PROJECT], where);
	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++)
		if (r->f[asks[i].f] && (asks[i].f != LD_F_CID || cids))
			sup_ask(S, b, r, asks[i].scope, r->f[asks[i].f],
			    r->flen[asks[i].f], where);
}

/* Check the index of path built with cids (or not) line by line. */
static void
superset(const char *path, struct ld_formats *fs, int cids,
    unsigned long *checks)
{
	struct ld_index_build_opts o = { fs, NULL, 2026, cids, 0 };
	struct ld_parser *p = ld_parser_new(fs, 2026);
	struct ld_rec r = { 0 };
	struct sup S = { 0 };
	struct ld_err err;
	struct ld_line l;
	struct ld_src *src;
	const struct ld_format *hint = NULL;
	uint64_t unitno = 0;
	char where[512];
	int rc;

	/* A damaged source has no index (ldindex refuses it, t1200): there
	 * is nothing to check. */
	if ((S.ix = ld_index_build(path, &o, &err)) == NULL) {
		ok(1, "# skip %s: not indexed: %s", path, err.msg);
		goto out;
	}
	/* Flat lines read by their shape give the index that parsing every
	 * line gives, byte for byte (build.c). */
	{
		struct ld_index_build_opts slow = o;
		struct ld_buf a = { 0 }, b = { 0 };
		struct ld_index *ix2;

		slow.no_flat = 1;
		ix2 = ld_index_build(path, &slow, &err);
		ld_index_encode(S.ix, &a);
		if (ix2 != NULL)
			ld_index_encode(ix2, &b);
		ok(ix2 != NULL && a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
		    "%s (cids %d): the same index with every line parsed",
		    path, cids);
		ld_index_free(ix2);
		ld_buf_free(&a);
		ld_buf_free(&b);
	}
	src = ld_src_open(path);
	ld_src_set_unit_hook(src, sup_unit, &S);
	while ((rc = ld_src_next(src, &l, &err)) > 0) {
		const struct ld_index_block *b;

		if (l.unitno != unitno) {
			unitno = l.unitno;
			hint = ld_formats_for_source(fs, l.unit);
		}
		S.lines++;
		snprintf(where, sizeof(where), "%s:%" PRIu64, l.unit, l.lineno);
		(void)ld_parse_line(p, hint, l.unit, l.lineno, l.p, l.n, &r);
		if (r.fmt == NULL && !r.is_record)
			continue;
		if ((b = sup_block(&S, l.lineno)) == NULL) {
			if (S.misses++ < 5)
				diag("%s: no block holds the line", where);
			continue;
		}
		sup_check(&S, b, &r, where, cids);
	}
	ld_src_close(src);
	*checks += S.checks;
	ok(rc == 0 && S.misses == 0,
	    "%s (cids %d): %lu lines, %lu values and times, each in its block"
	    " (%lu not)", path, cids, S.lines, S.checks, S.misses);
out:
	ld_index_free((struct ld_index *)S.ix);
	ld_rec_free(&r);
	ld_parser_free(p);
}

int
main(int argc, char **argv)
{
	struct ld_err err;
	struct ld_formats *fs = ld_formats_load(NULL, NULL, &err);
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	struct ld_index *ix;
	int fd;

	if (argc > 1 && strcmp(argv[1], "superset") == 0) {
		unsigned long checks = 0;

		for (int i = 2; i < argc; i++) {
			superset(argv[i], fs, 0, &checks);
			superset(argv[i], fs, 1, &checks);
		}
		/* Not a test that passes for want of anything to ask. */
		ok(checks > 0, "%lu values and times asked in all", checks);
		ld_formats_free(fs);
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/ldindex-unit.XXXXXX",
	    tmp && *tmp ? tmp : P_tmpdir);
	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);
	ix = build(path, fs);
	ok(ix != NULL, "build");
	if (ix) {
		test_filter(ix);
		test_encoding(ix);
	}
	ld_index_free(ix);
	unlink(path);
	test_shard();
	test_heap();
	ld_formats_free(fs);
	return tap_done();
}
