/*
 * index.c — the index file (encode, parse, read, write), finding the
 * index of a source and checking it against the source, and the test of
 * a block's summary against a scope.
 *
 * The encoding is little-endian and self-checking: a SHA-256 of the
 * bytes before it ends the file, so a damaged index is refused instead
 * of misleading a dive.  The parser bounds every length by what is left.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "core/atomic.h"
#include "core/digest.h"
#include "index/index_impl.h"

#define MAGIC LD_SIDECAR_MAGIC
#define VERSION 4u
#define ZLEVEL 9		/* of the body: an index is written once */
#define MAX_RATIO 512		/* of the body to its zstd frame */

const int ix_levels4[] = { 16, 24, 32 };
const int ix_levels6[] = { 32, 48, 64, 128 };
const size_t ix_nlevels4 = sizeof(ix_levels4) / sizeof(ix_levels4[0]);
const size_t ix_nlevels6 = sizeof(ix_levels6) / sizeof(ix_levels6[0]);

/* ---- keys and filters ---- */

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	return h ^ (h >> 31);
}

/*
 * The n (at most 8) bytes at s as a little-endian word, the rest zero,
 * in at most two loads: the builder hashes every value of every line, and
 * a memcpy() of a variable length is a call.  Two loads that overlap put
 * the same bytes at the same places, so the word is exactly the bytes.
 */
static inline uint64_t
load(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w;
	uint32_t a, b;

	if (n == 8) {
		memcpy(&w, s, 8);
		return le64toh(w);
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return le32toh(a) | (uint64_t)le32toh(b) << (8 * (n - 4));
	}
	if (n == 0)
		return 0;
	return u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) |
	    (uint64_t)u[n - 1] << (8 * (n - 1));
}

/* Eight bytes at a time, ASCII letters lowered eight at a time when
 * lower (bytes past ASCII are left as they are, as ld_ns_covers() and
 * eq_ci() compare them), then a finaliser: the filter needs well-spread
 * bits, and the builder hashes every value of every line. */
static inline uint64_t
word(uint64_t w, int lower)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t hept, ge_a, gt_z;

	if (lower) {
		hept = w & (ones * 0x7f);
		ge_a = hept + ones * (0x80 - 'A');
		gt_z = hept + ones * (0x80 - 'Z' - 1);
		w |= (ge_a & ~gt_z & ~w & ones * 0x80) >> 2;
	}
	return w;
}

uint64_t
ix_key(int tag, const char *s, size_t n, int lower)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^
	    ((uint64_t)(unsigned char)tag << 56) ^ n;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		h = (h ^ word(load(s + i, 8), lower)) *
		    UINT64_C(0x9fb21c651e98df25);
		h ^= h >> 29;
	}
	if (i < n) {
		/* The last bytes, loaded as the 8 that end the value when
		 * there are 8, shifted down. */
		uint64_t w = n >= 8 ? load(s + n - 8, 8) >> (8 * (8 - (n - i))) :
		    load(s + i, n - i);

		h = (h ^ word(w, lower)) * UINT64_C(0x9fb21c651e98df25);
		h ^= h >> 29;
	}
	return mix(h);
}

uint64_t
ix_key_net(int family, const unsigned char *addr, int bits)
{
	char b[18];
	int full = bits / 8, rest = bits % 8;

	memset(b, 0, sizeof(b));
	b[0] = (char)family;
	b[1] = (char)bits;
	memcpy(b + 2, addr, (size_t)full);
	if (rest)
		b[2 + full] = (char)(addr[full] & (0xff << (8 - rest)));
	return ix_key(IXK_IP, b, sizeof(b), 0);
}

/*
 * Kirsch and Mitzenmacher: probe i of a key is h1 + i * h2, the two
 * halves of its one 64-bit hash, brought into [0, m) by a multiply and a
 * shift instead of a division.
 */
static inline uint64_t
probe(uint32_t h1, uint32_t h2, uint32_t i, uint64_t m)
{
	uint32_t x = h1 + i * h2;

	return (uint64_t)(((unsigned __int128)x * m) >> 32);
}

void
ix_bloom_set(uint64_t *bits, uint64_t m, uint32_t k, uint64_t h)
{
	uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1;

	for (uint32_t i = 0; i < k; i++) {
		uint64_t p = probe(h1, h2, i, m);

		bits[p / 64] |= UINT64_C(1) << (p % 64);
	}
}

int
ix_bloom_test(const uint64_t *bits, uint64_t m, uint32_t k, uint64_t h)
{
	uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1;

	if (m == 0)
		return 0;
	for (uint32_t i = 0; i < k; i++) {
		uint64_t p = probe(h1, h2, i, m);

		if (!(bits[p / 64] & UINT64_C(1) << (p % 64)))
			return 0;
	}
	return 1;
}

/* ---- the scope against a block ---- */

static int
has(const struct ld_index_block *b, uint64_t h)
{
	return ix_bloom_test(b->bits, b->m, b->k, h);
}

static int
any_key(const struct ld_index_block *b, const struct ld_strv *v, int tag,
    int lower)
{
	for (size_t i = 0; i < v->n; i++)
		if (has(b, ix_key(tag, v->v[i], strlen(v->v[i]), lower)))
			return 1;
	return 0;
}

/* Correlation ids are indexed only on request (ldindex --cids): a
 * block without their filter may hold any. */
static int
any_cid(const struct ld_index_block *b, const struct ld_strv *v)
{
	if (b->cm == 0)
		return 1;
	for (size_t i = 0; i < v->n; i++)
		if (ix_bloom_test(b->cbits, b->cm, b->ck,
		    ix_key(IXK_CID, v->v[i], strlen(v->v[i]), 0)))
			return 1;
	return 0;
}

/* Users match by name in any case or by id exactly. */
static int
any_user(const struct ld_index_block *b, const struct ld_strv *v)
{
	return any_key(b, v, IXK_USER, 1) || any_key(b, v, IXK_USER_ID, 0);
}

static int
is_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

static int
events_may(const struct ld_index_block *b, const struct ld_scope *sc)
{
	/* A glob cannot be looked up: any event may match it. */
	for (size_t i = 0; i < sc->events.n; i++)
		if (is_glob(sc->events.v[i]))
			return 1;
	return any_key(b, &sc->events, IXK_EVENT, 0);
}

static int
ips_may(const struct ld_index_block *b, const struct ld_scope *sc)
{
	for (size_t i = 0; i < sc->nips; i++) {
		const struct ld_cidr *c = &sc->ips[i];
		const int *lv = c->family == 4 ? ix_levels4 : ix_levels6;
		size_t n = c->family == 4 ? ix_nlevels4 : ix_nlevels6;
		int use = -1;

		/* The longest stored prefix no longer than the block's: every
		 * address inside c has c's first `use` bits. */
		for (size_t j = 0; j < n; j++)
			if (lv[j] <= c->bits)
				use = lv[j];
		if (use < 0 || has(b, ix_key_net(c->family, c->addr, use)))
			return 1;
	}
	return 0;
}

int
ld_index_block_may(const struct ld_index_block *b, const struct ld_scope *sc)
{
	int tenant = 1, owned = 0;

	if (ld_scope_empty(sc))
		return 1;
	if (b->nlines == 0)
		return 0;
	if (sc->has_since || sc->has_until) {
		if (b->ntimed == 0)
			return 0;
		if (!(b->flags & LD_IXB_YEAR_GUESSED) &&
		    ((sc->has_since && b->tmax < sc->since) ||
		    (sc->has_until && b->tmin >= sc->until)))
			return 0;
	}
	if (sc->namespaces.n && !any_key(b, &sc->namespaces, IXK_NS, 1))
		tenant = 0;
	/* A project is matched whole, in any case (eq_ci()), and its whole
	 * path is one of the prefixes stored: no key of its own is needed. */
	if (tenant && sc->projects.n && !any_key(b, &sc->projects, IXK_NS, 1))
		tenant = 0;
	if (tenant && sc->users.n && !any_user(b, &sc->users))
		tenant = 0;
	/* The customer's own accounts may widen a request (ld-scope(5)):
	 * whatever the rest says, a block that names one is read. */
	if (sc->accounts.n)
		owned = any_user(b, &sc->accounts) ||
		    any_key(b, &sc->accounts, IXK_NS, 1);
	if (!tenant && !owned)
		return 0;
	if (sc->events.n && !events_may(b, sc))
		return 0;
	if (sc->nips && !ips_may(b, sc))
		return 0;
	if (!owned && sc->cids.n && !any_cid(b, &sc->cids))
		return 0;
	return 1;
}

int
ld_index_unit_may(const struct ld_index_unit *u, const struct ld_scope *sc)
{
	for (size_t i = 0; i < u->nblocks; i++)
		if (ld_index_block_may(&u->blocks[i], sc))
			return 1;
	return 0;
}

int
ld_index_source_may(const struct ld_index *ix, const struct ld_scope *sc)
{
	for (size_t i = 0; i < ix->nunits; i++)
		if (ld_index_unit_may(&ix->units[i], sc))
			return 1;
	return 0;
}

/* ---- memory ---- */

void
ld_index_free(struct ld_index *ix)
{
	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->nunits; i++) {
		for (size_t j = 0; j < ix->units[i].nblocks; j++) {
			free(ix->units[i].blocks[j].bits);
			free(ix->units[i].blocks[j].cbits);
		}
		free(ix->units[i].blocks);
		free(ix->units[i].member);
	}
	free(ix->units);
	free(ix->path);
	free(ix->forced);
	free(ix);
}

char *
ld_index_path(const char *dir, const char *path)
{
	struct ld_buf b = { 0 };

	if (strcmp(path, "-") == 0)
		return NULL;
	if (dir != NULL) {
		ld_buf_adds(&b, dir);
		ld_buf_addc(&b, '/');
	}
	ld_buf_adds(&b, path);
	ld_buf_adds(&b, LD_INDEX_SUFFIX);
	return ld_buf_detach(&b);
}

/* ---- notes given once per source ---- */

struct ld_index_said {
	pthread_mutex_t mu;
	char **v;
	size_t n;
};

struct ld_index_said *
ld_index_said_new(void)
{
	struct ld_index_said *s = ld_xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->mu, NULL);
	return s;
}

void
ld_index_said_free(struct ld_index_said *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* 1 the first time path is seen (the note is to be given), 0 after.  A
 * linear list: it holds only the sources whose index was not used. */
static int
said_first(struct ld_index_said *s, const char *path)
{
	int first = 1;

	if (s == NULL)
		return 1;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n && first; i++)
		if (strcmp(s->v[i], path) == 0)
			first = 0;
	if (first) {
		s->v = ld_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = ld_xstrdup(path);
	}
	pthread_mutex_unlock(&s->mu);
	return first;
}

/* ---- encoding ---- */

static void
put64(struct ld_buf *b, uint64_t v)
{
	unsigned char c[8];

	for (int i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	ld_buf_add(b, c, 8);
}

static void
put32(struct ld_buf *b, uint32_t v)
{
	unsigned char c[4];

	for (int i = 0; i < 4; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	ld_buf_add(b, c, 4);
}

/* A string: its length plus one (0 for NULL), then its bytes. */
static void
putstr(struct ld_buf *b, const char *s)
{
	put32(b, s ? (uint32_t)strlen(s) + 1 : 0);
	if (s)
		ld_buf_adds(b, s);
}

/* The body: everything after the version, before compression. */
static void
encode_body(const struct ld_index *ix, struct ld_buf *out)
{
	put32(out, ix->flags);
	put64(out, ix->size);
	ld_buf_add(out, ix->digest, 32);
	ld_buf_add(out, ix->formats_id, 64);
	putstr(out, ix->forced);
	putstr(out, ix->path);
	put64(out, ix->nunits);
	for (size_t i = 0; i < ix->nunits; i++) {
		const struct ld_index_unit *u = &ix->units[i];

		putstr(out, u->member);
		put64(out, u->lines);
		put64(out, u->nblocks);
		for (size_t j = 0; j < u->nblocks; j++) {
			const struct ld_index_block *b = &u->blocks[j];

			put64(out, b->comp_off);
			put64(out, b->comp_len);
			put64(out, b->dec_off);
			put64(out, b->dec_len);
			put64(out, b->first_line);
			put64(out, b->nlines);
			put64(out, b->ntimed);
			put64(out, (uint64_t)b->tmin);
			put64(out, (uint64_t)b->tmax);
			put32(out, b->flags);
			put32(out, b->k);
			put64(out, b->m);
			for (uint64_t w = 0; w < b->m / 64; w++)
				put64(out, b->bits[w]);
			put32(out, b->ck);
			put64(out, b->cm);
			for (uint64_t w = 0; w < b->cm / 64; w++)
				put64(out, b->cbits[w]);
		}
	}
}

/*
 * The file: the magic, the version, the body's length, the body as one
 * zstd frame, and the SHA-256 of all that.  The filters are nearly
 * incompressible (a filter at its best has half its bits set), but the
 * numbers around them are small and alike from block to block.
 */
void
ld_index_encode(const struct ld_index *ix, struct ld_buf *out)
{
	struct ld_buf body = { 0 };
	size_t start = out->len, bound;
	unsigned char d[32];
	char hex[65];

	encode_body(ix, &body);
	ld_buf_add(out, MAGIC, 8);
	put32(out, VERSION);
	put64(out, body.len);
	bound = ZSTD_compressBound(body.len);
	ld_buf_grow(out, bound + 32);
	{
		size_t z = ZSTD_compress(out->p + out->len, bound,
		    body.p ? body.p : "", body.len, ZLEVEL);

		/* Only a bound too small can fail, and it is zstd's own. */
		if (ZSTD_isError(z))
			abort();
		out->len += z;
	}
	ld_sha256_hex(out->p + start, out->len - start, hex);
	for (int i = 0; i < 32; i++)
		d[i] = (unsigned char)(ld_hexval(hex[2 * i]) << 4 |
		    ld_hexval(hex[2 * i + 1]));
	ld_buf_add(out, d, 32);
	ld_buf_free(&body);
}

struct rd {
	const unsigned char *p;
	size_t n, i;
	int bad;
};

static uint64_t
get64(struct rd *r)
{
	uint64_t v = 0;

	if (r->bad || r->n - r->i < 8) {
		r->bad = 1;
		return 0;
	}
	for (int k = 0; k < 8; k++)
		v |= (uint64_t)r->p[r->i + k] << (8 * k);
	r->i += 8;
	return v;
}

static uint32_t
get32(struct rd *r)
{
	uint32_t v = 0;

	if (r->bad || r->n - r->i < 4) {
		r->bad = 1;
		return 0;
	}
	for (int k = 0; k < 4; k++)
		v |= (uint32_t)r->p[r->i + k] << (8 * k);
	r->i += 4;
	return v;
}

static int
getbytes(struct rd *r, void *dst, size_t n)
{
	if (r->bad || r->n - r->i < n) {
		r->bad = 1;
		return -1;
	}
	memcpy(dst, r->p + r->i, n);
	r->i += n;
	return 0;
}

/* A string as putstr() wrote it; NULL for none or when damaged (then
 * r->bad).  A string holding a NUL is damage. */
static char *
getstr(struct rd *r)
{
	uint32_t n = get32(r);
	char *s;

	if (r->bad || n == 0)
		return NULL;
	if ((size_t)n - 1 > r->n - r->i) {
		r->bad = 1;
		return NULL;
	}
	s = ld_xstrndup((const char *)r->p + r->i, n - 1);
	if (strlen(s) != n - 1) {
		free(s);
		r->bad = 1;
		return NULL;
	}
	r->i += n - 1;
	return s;
}

/* The body (see encode_body()); NULL when damaged. */
static struct ld_index *
parse_body(struct rd *r)
{
	struct ld_index *ix = ld_xcalloc(1, sizeof(*ix));
	uint64_t nu;

	ix->flags = get32(r);
	ix->size = get64(r);
	if (getbytes(r, ix->digest, 32) == 0)
		ix->digest[32] = '\0';
	if (getbytes(r, ix->formats_id, 64) == 0)
		ix->formats_id[64] = '\0';
	ix->forced = getstr(r);
	ix->path = getstr(r);
	nu = get64(r);
	/* Every unit takes at least 20 bytes: a count cannot exceed that. */
	if (r->bad || nu > (r->n - r->i) / 20)
		goto bad;
	/* Each unit and block is counted before it is read, so that what a
	 * damaged one already holds is freed by ld_index_free(). */
	ix->units = ld_xcalloc(nu + 1, sizeof(*ix->units));
	while (ix->nunits < nu) {
		struct ld_index_unit *u = &ix->units[ix->nunits++];
		uint64_t nb;

		u->member = getstr(r);
		u->lines = get64(r);
		nb = get64(r);
		if (r->bad || nb > (r->n - r->i) / 108)
			goto bad;
		u->blocks = ld_xcalloc(nb + 1, sizeof(*u->blocks));
		while (u->nblocks < nb) {
			struct ld_index_block *b = &u->blocks[u->nblocks++];

			b->comp_off = get64(r);
			b->comp_len = get64(r);
			b->dec_off = get64(r);
			b->dec_len = get64(r);
			b->first_line = get64(r);
			b->nlines = get64(r);
			b->ntimed = get64(r);
			b->tmin = (int64_t)get64(r);
			b->tmax = (int64_t)get64(r);
			b->flags = get32(r);
			b->k = get32(r);
			b->m = get64(r);
			if (r->bad || b->m % 64 != 0 || b->k > 64 ||
			    b->m / 8 > r->n - r->i || b->ntimed > b->nlines)
				goto bad;
			b->bits = ld_xmalloc(b->m / 8 + 8);
			for (uint64_t w = 0; w < b->m / 64; w++)
				b->bits[w] = get64(r);
			b->ck = get32(r);
			b->cm = get64(r);
			if (r->bad || b->cm % 64 != 0 || b->ck > 64 ||
			    b->cm / 8 > r->n - r->i)
				goto bad;
			b->cbits = ld_xmalloc(b->cm / 8 + 8);
			for (uint64_t w = 0; w < b->cm / 64; w++)
				b->cbits[w] = get64(r);
		}
	}
	if (r->bad || r->i != r->n)
		goto bad;
	return ix;
bad:
	ld_index_free(ix);
	return NULL;
}

struct ld_index *
ld_index_parse(const void *p, size_t n, struct ld_err *err)
{
	struct rd r = { p, n, 0, 0 };
	struct ld_index *ix = NULL;
	char hex[65], want[65];
	unsigned long long fsz;
	uint64_t blen;
	void *body = NULL;
	size_t z;

	if (n < 8 + 32 || memcmp(p, MAGIC, 8) != 0) {
		ld_err_set(err, "not a logdive index");
		return NULL;
	}
	ld_sha256_hex(p, n - 32, hex);
	ld_hex((const unsigned char *)p + n - 32, 32, want);
	if (strcmp(hex, want) != 0) {
		ld_err_set(err, "index damaged (checksum)");
		return NULL;
	}
	r.n = n - 32;
	r.i = 8;
	if (get32(&r) != VERSION) {
		ld_err_set(err, "index of another version");
		return NULL;
	}
	blen = get64(&r);
	/* The body is bounded before it is allocated: by what zstd's frame
	 * says it holds, and by a ratio no index reaches (its filters do
	 * not compress), so that a crafted length cannot take the memory. */
	fsz = r.bad ? ZSTD_CONTENTSIZE_ERROR :
	    ZSTD_getFrameContentSize(r.p + r.i, r.n - r.i);
	if (r.bad || fsz != blen || blen > MAX_RATIO * (uint64_t)(r.n - r.i) +
	    65536)
		goto bad;
	body = ld_xmalloc(blen ? blen : 1);
	z = ZSTD_decompress(body, blen, r.p + r.i, r.n - r.i);
	if (ZSTD_isError(z) || z != blen)
		goto bad;
	r = (struct rd){ body, blen, 0, 0 };
	if ((ix = parse_body(&r)) != NULL)
		goto out;
bad:
	ld_err_set(err, "index damaged (bad structure)");
out:
	free(body);
	return ix;
}

struct ld_index *
ld_index_read(const char *file, struct ld_err *err)
{
	struct ld_buf b = { 0 };
	struct ld_index *ix = NULL;
	struct ld_err e;
	char chunk[65536];
	FILE *fp;
	size_t n;

	if ((fp = fopen(file, "rb")) == NULL) {
		ld_err_set(err, "%s: %s", file, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		ld_buf_add(&b, chunk, n);
	if (ferror(fp))
		ld_err_set(err, "%s: read error", file);
	else if ((ix = ld_index_parse(b.p ? b.p : "", b.len, &e)) == NULL)
		ld_err_set(err, "%s: %s", file, e.msg);
	fclose(fp);
	ld_buf_free(&b);
	return ix;
}

/* mkdir -p of the directories above file. */
int
ix_make_parents(const char *file, struct ld_err *err)
{
	char *d = ld_xstrdup(file);
	int rc = 0;

	for (char *s = d + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(d, 0777) < 0 && errno != EEXIST) {
			rc = ld_err_set(err, "%s: %s", d, strerror(errno));
			break;
		}
		*s = '/';
	}
	free(d);
	return rc;
}

int
ld_index_write(const struct ld_index *ix, const char *file, struct ld_err *err)
{
	struct ld_buf b = { 0 };
	struct ld_atomic a;
	FILE *fp;
	int rc = -1;

	if (ix_make_parents(file, err) < 0)
		return -1;
	ld_index_encode(ix, &b);
	if ((fp = ld_atomic_open(&a, file, err)) == NULL)
		goto out;
	/* Not synced: an index torn by a crash fails its own checksum and
	 * is refused, and the source is then read in full (ld-index(5)).
	 * A month of sources is thousands of files, and a sync each was
	 * most of the wall time of a build. */
	a.nosync = 1;
	if (fwrite(b.p, 1, b.len, fp) != b.len) {
		ld_err_set(err, "%s: %s", file, strerror(errno));
		ld_atomic_abort(&a);
		goto out;
	}
	rc = ld_atomic_commit(&a, 1, err);
out:
	ld_buf_free(&b);
	return rc;
}

/* ---- finding and checking ---- */

/*
 * Why the index of path is not used, in why; with sidecars (cx->dir
 * NULL) a missing index is no news, and nothing is said twice of a source
 * when cx->said is set.
 */
static void
why_not(const struct ld_index_ctx *cx, const char *path, struct ld_err *why,
    int missing)
{
	if ((missing && cx->dir == NULL) || !said_first(cx->said, path))
		why->msg[0] = '\0';
}

struct ld_index *
ld_index_find(const struct ld_index_ctx *cx, const char *path,
    struct ld_err *why)
{
	char hex[IX_DIGEST_HEX];
	struct ld_index *ix = NULL;
	struct ld_err e;
	struct stat st;
	char *file = ld_index_path(cx->dir, path);
	const char *what = cx->dir ? "index" : "sidecar index";
	uint64_t size;
	const char *forced = cx->forced;
	int fd = -1, missing = 0;

	if (file == NULL) {
		ld_err_set(why, "%s: standard input has no index", path);
		missing = 1;
		goto bad;
	}
	if (stat(file, &st) < 0 && errno == ENOENT) {
		ld_err_set(why, "%s: no index in %s, read in full", path,
		    cx->dir ? cx->dir : ".");
		missing = 1;
		goto bad;
	}
	if ((ix = ld_index_read(file, &e)) == NULL) {
		ld_err_set(why, "%s: %s not used, read in full: %s", path, what,
		    e.msg);
		goto bad;
	}
	if (stat(path, &st) < 0 || (uint64_t)st.st_size != ix->size) {
		ld_err_set(why, "%s: %s does not match the archive (size), "
		    "read in full", path, what);
		goto bad;
	}
	if (strcmp(ix->formats_id, cx->formats_id) != 0 ||
	    (forced == NULL) != (ix->forced == NULL) ||
	    (forced && strcmp(forced, ix->forced) != 0)) {
		ld_err_set(why, "%s: %s was built with other formats, read "
		    "in full", path, what);
		goto bad;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    ix_digest_fd(fd, hex, &size) < 0 ||
	    size != ix->size || strcmp(hex, ix->digest) != 0) {
		if (fd >= 0)
			close(fd);
		ld_err_set(why, "%s: %s does not match the archive "
		    "(digest), read in full", path, what);
		goto bad;
	}
	close(fd);
	goto out;
bad:
	ld_index_free(ix);
	ix = NULL;
	why_not(cx, path, why, missing);
out:
	free(file);
	return ix;
}
