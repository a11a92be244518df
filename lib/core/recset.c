/*
 * recset.c — the Bloom filter of recset.h.
 *
 * The hash is two 64-bit lanes over the line, eight bytes at a time,
 * mixed by multiplication (the finaliser of MurmurHash3); the k bit
 * positions are h1 + i*h2 (double hashing, Kirsch and Mitzenmacher), taken
 * modulo the size, a power of two.  Because of that modulo a filter folds:
 * OR-ing its upper half into the lower half gives exactly the filter that
 * a size of half would have built.  It is not a cryptographic hash, on
 * purpose: ldredact hashes every record it writes, at the speed of its
 * rules (see recset.h for what the set is, and is not, for).
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/recset.h"

struct ld_recset {
	unsigned char *bits;
	uint64_t nbits;		/* a power of two */
	uint64_t count;
};

static uint64_t
fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static void
hash2(const void *p, size_t n, uint64_t *h1, uint64_t *h2)
{
	const unsigned char *s = p;
	uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xc2b2ae3d27d4eb4fULL + n;
	uint64_t w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		w = le64toh(w);		/* the same set on every machine */
		a = (a ^ w) * 0x87c37b91114253d5ULL;
		a = (a << 31) | (a >> 33);
		b = (b ^ w) * 0x4cf5ad432745937fULL;
		b = (b << 29) | (b >> 35);
	}
	for (w = 0; i < n; i++)
		w = (w << 8) | s[i];
	a = fmix(a ^ w);
	b = fmix(b ^ (w * 0x9e3779b97f4a7c15ULL) ^ a);
	*h1 = a;
	*h2 = b | 1;	/* odd: every step visits a new bit */
}

struct ld_recset *
ld_recset_new(void)
{
	struct ld_recset *s = ld_xcalloc(1, sizeof(*s));

	s->bits = ld_xcalloc(1, LD_RECSET_BYTES);
	s->nbits = (uint64_t)LD_RECSET_BYTES * 8;
	return s;
}

void
ld_recset_free(struct ld_recset *s)
{
	if (s == NULL)
		return;
	free(s->bits);
	free(s);
}

uint64_t
ld_recset_count(const struct ld_recset *s)
{
	return s->count;
}

void
ld_recset_add(struct ld_recset *s, const void *line, size_t n)
{
	uint64_t h1, h2, b;
	int i;

	hash2(line, n, &h1, &h2);
	for (i = 0; i < LD_RECSET_K; i++) {
		b = (h1 + (uint64_t)i * h2) & (s->nbits - 1);
		s->bits[b >> 3] |= (unsigned char)(1u << (b & 7));
	}
	s->count++;
}

int
ld_recset_has(const struct ld_recset *s, const void *line, size_t n)
{
	uint64_t h1, h2, b;
	int i;

	hash2(line, n, &h1, &h2);
	for (i = 0; i < LD_RECSET_K; i++) {
		b = (h1 + (uint64_t)i * h2) & (s->nbits - 1);
		if (!(s->bits[b >> 3] & (1u << (b & 7))))
			return 0;
	}
	return 1;
}

char *
ld_recset_export(struct ld_recset *s)
{
	struct ld_buf b = { 0 };
	unsigned char *enc;
	uint64_t half, i, nbytes;

	/* fold while half the size still gives 16 bits a record */
	while (s->nbits > 512 && (half = s->nbits / 2) >= 16 * s->count) {
		for (i = 0; i < half / 8; i++)
			s->bits[i] |= s->bits[i + half / 8];
		s->nbits = half;
	}
	nbytes = s->nbits / 8;
	enc = ld_xmalloc(4 * ((nbytes + 2) / 3) + 1);
	EVP_EncodeBlock(enc, s->bits, (int)nbytes);
	ld_buf_addf(&b, "{\"type\":\"%s\",\"records\":%llu,\"bits\":%llu,"
	    "\"data\":\"%s\"}", LD_RECSET_TYPE, (unsigned long long)s->count,
	    (unsigned long long)s->nbits, enc);
	free(enc);
	return ld_buf_detach(&b);
}

struct ld_recset *
ld_recset_import(const char *type, uint64_t records, uint64_t bits,
    const char *data, struct ld_err *err)
{
	struct ld_recset *s;
	size_t len;
	int n;

	if (type == NULL || strcmp(type, LD_RECSET_TYPE) != 0) {
		ld_err_set(err, "record set: type is not %s", LD_RECSET_TYPE);
		return NULL;
	}
	if (bits < 512 || bits > (uint64_t)LD_RECSET_BYTES * 8 ||
	    (bits & (bits - 1)) != 0) {
		ld_err_set(err, "record set: size of %llu bits is not a power "
		    "of two from 512 to %llu", (unsigned long long)bits,
		    (unsigned long long)LD_RECSET_BYTES * 8);
		return NULL;
	}
	len = data ? strlen(data) : 0;
	if (len != 4 * ((bits / 8 + 2) / 3)) {
		ld_err_set(err, "record set: %zu bytes of base64 for %llu bits",
		    len, (unsigned long long)bits);
		return NULL;
	}
	s = ld_xcalloc(1, sizeof(*s));
	s->bits = ld_xcalloc(1, len / 4 * 3 + 3);
	s->nbits = bits;
	s->count = records;
	n = EVP_DecodeBlock(s->bits, (const unsigned char *)data, (int)len);
	if (n < 0 || (uint64_t)n < bits / 8) {
		ld_err_set(err, "record set: data is not base64");
		ld_recset_free(s);
		return NULL;
	}
	return s;
}
