/*
 * redact_pseudo.c — keyed pseudonyms, and the small string map that
 * caches them (and key decisions, and learned values).
 *
 * A pseudonym is "<kind>-<12 hex digits>", the digits the first 48 bits of
 * HMAC-SHA256(key, kind NUL value) over the value normalised for its kind
 * (names and emails in lower case, addresses in their canonical text), so
 * that the same person or address gets the same pseudonym everywhere in a
 * case, and nobody without the key can test a guess against it (an
 * unkeyed hash of a user name is reversed by a dictionary).  48 bits keep
 * collisions unlikely among the hundred thousand addresses of a large
 * case; 32 would not.  Emails keep the form of an address:
 * "email-<hex>@redacted.invalid".
 */
#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "redact/redact_impl.h"

/* The map: open addressing over a power of two, cleared when full (it is
 * a cache; learned sets keep their own copy of every value). */
struct rd_ent {
	uint32_t tag;	/* TAG(hash), never 0; 0 for a free slot */
	uint32_t off, len;
	int v;
};

/* The low bits of a hash pick the slot, the high ones are kept to tell
 * keys apart without reading them: 16 bytes a slot keep a cache's slots
 * in the CPU's. */
#define TAG(h) ((uint32_t)((h) >> 32) | 1)

struct rd_map {
	struct rd_ent *e;
	size_t cap, n, max;
	struct ld_buf keys;
};


/*
 * The hash: a 64×64→128-bit multiply whose halves are folded together
 * mixes sixteen bytes at once.  The keys are short and looked up for
 * every member name and short value of every line, and a lookup waits
 * for its hash: one multiply for a key of up to sixteen bytes, one more
 * for every sixteen after, where a multiply per eight bytes, each waiting
 * for the one before, cost more than the rest of the lookup.  The tail is
 * read as overlapping loads, not copied byte by byte.
 */
static inline uint64_t
fold(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
load8(const unsigned char *u)
{
	uint64_t w;

	memcpy(&w, u, 8);
	return w;
}

static inline uint64_t
load4(const unsigned char *u)
{
	uint32_t w;

	memcpy(&w, u, 4);
	return w;
}

#define K0 0xa0761d6478bd642fULL
#define K1 0xe7037ed1a0b428dbULL
#define K2 0x8ebc6af09c88c6e3ULL

static uint64_t
hash(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t seed = K0 ^ n, a, b;

	if (n <= 16) {
		if (n >= 8) {
			a = load8(u);
			b = load8(u + n - 8);
		} else if (n >= 4) {
			a = load4(u);
			b = load4(u + n - 4);
		} else if (n > 0) {
			a = (uint64_t)u[0] << 16 | (uint64_t)u[n / 2] << 8 | u[n - 1];
			b = 0;
		} else
			a = b = 0;
	} else {
		for (; n > 16; u += 16, n -= 16)
			seed = fold(load8(u) ^ K1, load8(u + 8) ^ seed);
		a = load8(u + n - 16);
		b = load8(u + n - 8);
	}
	return fold(K2 ^ n, fold(a ^ K1, b ^ seed));
}

void
rd_lower(struct ld_buf *b, const char *s, size_t n)
{
	ld_buf_grow(b, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		b->p[b->len + i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	b->len += n;
	b->p[b->len] = '\0';
}

struct rd_map *
rd_map_new(size_t max)
{
	struct rd_map *m = ld_xcalloc(1, sizeof(*m));

	m->max = max;
	m->cap = max < 64 ? max : 64;	/* small sets stay in the L1 cache */
	m->e = ld_xcalloc(m->cap, sizeof(*m->e));
	return m;
}

void
rd_map_free(struct rd_map *m)
{
	if (m == NULL)
		return;
	free(m->e);
	ld_buf_free(&m->keys);
	free(m);
}

void
rd_map_clear(struct rd_map *m)
{
	if (m->n == 0)
		return;
	memset(m->e, 0, m->cap * sizeof(*m->e));
	m->n = 0;
	ld_buf_reset(&m->keys);
}

size_t
rd_map_count(const struct rd_map *m)
{
	return m->n;
}

/* Are the n bytes at a and b the same?  Keys are mostly names of a few
 * words: two overlapping loads compare up to sixteen bytes without a
 * call into the C library. */
static inline int
same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;

	if (n < 8 || n > 16)
		return memcmp(a, b, n) == 0;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	memcpy(&u, a + n - 8, 8);
	memcpy(&v, b + n - 8, 8);
	return ((x ^ y) | (u ^ v)) == 0;
}

static struct rd_ent *
slot(const struct rd_map *m, const char *s, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	uint32_t tag = TAG(h);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct rd_ent *e = &m->e[i];

		if (e->tag == 0 || (e->tag == tag && e->len == n &&
		    same(m->keys.p + e->off, s, n)))
			return e;
	}
}

uint64_t
rd_map_hash(const char *s, size_t n)
{
	return hash(s, n);
}

int
rd_map_get_h(const struct rd_map *m, const char *s, size_t n, uint64_t h)
{
	struct rd_ent *e = slot(m, s, n, h);

	return e->tag ? e->v : -2;
}

int
rd_map_get(const struct rd_map *m, const char *s, size_t n)
{
	return rd_map_get_h(m, s, n, hash(s, n));
}

void
rd_map_put(struct rd_map *m, const char *s, size_t n, int v)
{
	rd_map_put_h(m, s, n, hash(s, n), v);
}

void
rd_map_put_h(struct rd_map *m, const char *s, size_t n, uint64_t h, int v)
{
	struct rd_ent *e;

	if (n > UINT32_MAX / 2)
		return;
	if ((m->n + 1) * 2 > m->cap) {
		struct rd_ent *old = m->e;
		size_t oldcap = m->cap;

		if (m->cap >= m->max) {
			/* Full: start over rather than grow without bound. */
			memset(m->e, 0, m->cap * sizeof(*m->e));
			m->n = 0;
			ld_buf_reset(&m->keys);
		} else {
			m->cap *= 2;
			m->e = ld_xcalloc(m->cap, sizeof(*m->e));
			for (size_t i = 0; i < oldcap; i++) {
				const char *k = m->keys.p + old[i].off;

				if (old[i].tag)
					*slot(m, k, old[i].len,
					    hash(k, old[i].len)) = old[i];
			}
			free(old);
		}
	}
	e = slot(m, s, n, h);
	if (!e->tag) {
		e->tag = TAG(h);
		e->off = (uint32_t)m->keys.len;
		e->len = (uint32_t)n;
		ld_buf_add(&m->keys, s, n);
		m->n++;
	}
	e->v = v;
}

#define RAW_N 16
#define RAW_KIND 16
#define RAW_VALUE 64
#define RAW_NAME 64

struct rd_pseudo {
	unsigned char key[64];		/* SHA-256's block */
	size_t keylen;
	/* HMAC-SHA256 (RFC 2104) from SHA-256 states keyed once: the inner
	 * one has hashed the key XOR ipad, the outer one the key XOR opad.
	 * A value copies them into work, where OpenSSL's EVP_MAC would copy
	 * the same states behind two more layers of calls. */
	EVP_MD *sha256;
	EVP_MD_CTX *inner, *outer, *work;
	struct rd_map *cache;	/* kind NUL value → offset in names */
	/* The last values by a few bits of them, as they came, with their
	 * pseudonyms: a record says the same address or name in its fields
	 * and in its event, and the second time costs neither normalising
	 * nor hashing (a pseudonym depends on the kind and the value only). */
	struct rd_raw {
		unsigned char kn, vn, pn;
		char kind[RAW_KIND], v[RAW_VALUE], p[RAW_NAME];
	} raw[RAW_N];
	struct ld_buf names;	/* NUL-separated pseudonyms */
	struct ld_buf in;
};

static void
hmac_init(struct rd_pseudo *ps)
{
	unsigned char ipad[64], opad[64];

	/* Without a key no pseudonym is ever made (ld_redact_new refuses);
	 * the key of no bytes keeps the states valid for the key id. */
	for (size_t i = 0; i < sizeof(ipad); i++) {
		unsigned char k = i < ps->keylen ? ps->key[i] : 0;

		ipad[i] = k ^ 0x36;
		opad[i] = k ^ 0x5c;
	}
	if ((ps->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (ps->inner = EVP_MD_CTX_new()) == NULL ||
	    (ps->outer = EVP_MD_CTX_new()) == NULL ||
	    (ps->work = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex2(ps->inner, ps->sha256, NULL) ||
	    !EVP_DigestUpdate(ps->inner, ipad, sizeof(ipad)) ||
	    !EVP_DigestInit_ex2(ps->outer, ps->sha256, NULL) ||
	    !EVP_DigestUpdate(ps->outer, opad, sizeof(opad)))
		abort();
	OPENSSL_cleanse(ipad, sizeof(ipad));
	OPENSSL_cleanse(opad, sizeof(opad));
}

/* HMAC-SHA256 of the n bytes at p under the key into md (32 bytes). */
static void
hmac(struct rd_pseudo *ps, const void *p, size_t n, unsigned char *md)
{
	unsigned char ih[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_MD_CTX_copy_ex(ps->work, ps->inner) ||
	    !EVP_DigestUpdate(ps->work, p, n) ||
	    !EVP_DigestFinal_ex(ps->work, ih, &len) ||
	    !EVP_MD_CTX_copy_ex(ps->work, ps->outer) ||
	    !EVP_DigestUpdate(ps->work, ih, len) ||
	    !EVP_DigestFinal_ex(ps->work, md, &len))
		abort();
}

struct rd_pseudo *
rd_pseudo_new(const unsigned char *key, size_t keylen)
{
	struct rd_pseudo *ps = ld_xcalloc(1, sizeof(*ps));
	unsigned int dn = 0;

	/* A key longer than SHA-256's block is used by its digest, as HMAC
	 * does itself: every byte of it counts, none is cut off. */
	if (key && keylen > sizeof(ps->key)) {
		if (!EVP_Digest(key, keylen, ps->key, &dn, EVP_sha256(), NULL))
			abort();
		keylen = dn;
	} else if (key)
		memcpy(ps->key, key, keylen);
	ps->keylen = key ? keylen : 0;
	ps->cache = rd_map_new(RD_MAP_CACHE);
	hmac_init(ps);
	return ps;
}

void
rd_pseudo_free(struct rd_pseudo *ps)
{
	if (ps == NULL)
		return;
	OPENSSL_cleanse(ps->key, sizeof(ps->key));
	EVP_MD_CTX_free(ps->work);
	EVP_MD_CTX_free(ps->outer);
	EVP_MD_CTX_free(ps->inner);
	EVP_MD_free(ps->sha256);
	rd_map_free(ps->cache);
	ld_buf_free(&ps->names);
	ld_buf_free(&ps->in);
	free(ps);
}

void
rd_pseudo_reset(struct rd_pseudo *ps)
{
	rd_map_clear(ps->cache);
	ld_buf_reset(&ps->names);
	memset(ps->raw, 0, sizeof(ps->raw));
}

int
rd_pseudo_has_key(const struct rd_pseudo *ps)
{
	return ps->keylen > 0;
}

void
rd_pseudo_key_id(struct rd_pseudo *ps, char out[17])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	/* (keys are strong: ld_redact_key_check) */
	static const char label[] = "logdive key id";

	hmac(ps, label, sizeof(label) - 1, md);
	ld_hex(md, 8, out);
}

/* The value as it is compared: lower case for names, addresses in their
 * canonical form. */
static void
normalise(const char *kind, const char *v, size_t n, struct ld_buf *b)
{
	const char *c;

	/* Spaces around a value do not make it another ("bob " is bob). */
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	while (n > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		n--;
	}
	if (strcmp(kind, "ip") == 0) {
		if (rd_ip_norm(v, n, b) == 0)
			return;
		/* an address with its port ("1.2.3.4:0", "[::1]:443") is the
		 * address */
		if (n > 2 && v[0] == '[' && (c = memchr(v, ']', n)) != NULL &&
		    rd_ip_norm(v + 1, (size_t)(c - v) - 1, b) == 0)
			return;
		if ((c = memchr(v, ':', n)) != NULL && memchr(c + 1, ':',
		    n - (size_t)(c - v) - 1) == NULL &&
		    rd_ip_norm(v, (size_t)(c - v), b) == 0)
			return;
	}
	rd_lower(b, v, n);
}

/* Append the pseudonym of the normalised value in ps->in to b. */
static void
make(struct rd_pseudo *ps, const char *kind, size_t klen, struct ld_buf *b)
{
	unsigned char md[EVP_MAX_MD_SIZE];

	hmac(ps, ps->in.p, ps->in.len, md);
	ld_buf_add(b, kind, klen);
	ld_buf_addc(b, '-');
	for (int i = 0; i < 6; i++) {
		ld_buf_addc(b, "0123456789abcdef"[md[i] >> 4]);
		ld_buf_addc(b, "0123456789abcdef"[md[i] & 15]);
	}
	if (strcmp(kind, "email") == 0)
		ld_buf_adds(b, "@redacted.invalid");
}

void
rd_pseudo_add(struct rd_pseudo *ps, const char *kind, const char *v, size_t n,
    struct ld_buf *b)
{
	size_t klen = strlen(kind), pn;
	struct rd_raw *r = NULL;
	uint64_t h;
	int off;

	if (klen < RAW_KIND && n > 0 && n <= RAW_VALUE) {
		r = &ps->raw[(n + (unsigned char)v[0] * 3 +
		    (unsigned char)v[n - 1] * 5 + (unsigned char)v[n / 2] * 7 +
		    (unsigned char)kind[0]) & (RAW_N - 1)];
		if (r->vn == n && r->kn == klen && memcmp(r->v, v, n) == 0 &&
		    memcmp(r->kind, kind, klen) == 0) {
			ld_buf_add(b, r->p, r->pn);
			return;
		}
	}
	ld_buf_reset(&ps->in);
	ld_buf_add(&ps->in, kind, klen + 1);
	normalise(kind, v, n, &ps->in);
	/* (one hash for the look-up and the insertion after a miss) */
	h = hash(ps->in.p, ps->in.len);
	if ((off = rd_map_get_h(ps->cache, ps->in.p, ps->in.len, h)) < 0) {
		if (ps->names.len > ((size_t)1 << 24)) {
			/* The cache is a cache: forget it all now and then. */
			rd_map_clear(ps->cache);
			ld_buf_reset(&ps->names);
		}
		off = (int)ps->names.len;
		make(ps, kind, klen, &ps->names);
		ld_buf_addc(&ps->names, '\0');
		rd_map_put_h(ps->cache, ps->in.p, ps->in.len, h, off);
	}
	ld_buf_adds(b, ps->names.p + off);
	if (r != NULL && (pn = strlen(ps->names.p + off)) <= RAW_NAME) {
		memcpy(r->kind, kind, klen);
		r->kn = (unsigned char)klen;
		memcpy(r->v, v, n);
		r->vn = (unsigned char)n;
		memcpy(r->p, ps->names.p + off, pn);
		r->pn = (unsigned char)pn;
	}
}

void
rd_pseudo_make(struct rd_pseudo *ps, const char *kind, const char *v,
    size_t n, struct ld_buf *b)
{
	size_t klen = strlen(kind);

	ld_buf_reset(&ps->in);
	ld_buf_add(&ps->in, kind, klen + 1);
	normalise(kind, v, n, &ps->in);
	make(ps, kind, klen, b);
}
