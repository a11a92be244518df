/*
 * lit.c — fast case-insensitive literal search (see lit.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

#include "core/ld.h"
#include "format/lit.h"

/* Bytes of log text from the most to the least frequent (letters by their
 * lower case); a byte not listed is rarer than all of them. */
static const char freq[] = " e\"ta:,o0i1rn2s-l5c3.d4u6p7m89/_hgfbkvwyxjzq{}=";

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
is_alpha(int c)
{
	c = fold(c);
	return c >= 'a' && c <= 'z';
}

static size_t
rank(int c)
{
	const char *p = c ? strchr(freq, fold(c)) : NULL;

	return p ? (size_t)(p - freq) : sizeof(freq);
}

void
ld_lit_init(struct ld_lit *l, const char *s)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	l->n = strlen(s);
	l->s = ld_xstrdup(s);
	for (i = 0; i < l->n; i++)
		l->s[i] = (char)fold((unsigned char)s[i]);
	/* The rarest byte, then the rarest other one (a different value
	 * when there is one, so that runs of one byte do not both match). */
	for (i = 1; i < l->n; i++)
		if (rank((unsigned char)l->s[i]) > rank((unsigned char)l->s[l->i1]))
			l->i1 = i;
	l->i2 = l->i1;
	for (i = 0; i < l->n; i++) {
		int other = l->s[i] != l->s[l->i1];
		int had = l->s[l->i2] != l->s[l->i1];

		if (i != l->i1 && (l->i2 == l->i1 || other > had || (other == had &&
		    rank((unsigned char)l->s[i]) > rank((unsigned char)l->s[l->i2]))))
			l->i2 = i;
	}
	l->c1 = (unsigned char)l->s[l->i1];
	l->c2 = (unsigned char)l->s[l->i2];
	l->f1 = is_alpha(l->c1) ? 0x20 : 0;
	l->f2 = is_alpha(l->c2) ? 0x20 : 0;
#ifdef HAVE_AVX2_PATH
	l->avx2 = __builtin_cpu_supports("avx2");
#endif
}

void
ld_lit_free(struct ld_lit *l)
{
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

static int
same(const char *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fold((unsigned char)h[i]) != (unsigned char)s[i])
			return 0;
	return 1;
}

#ifdef HAVE_AVX2_PATH
/* 32 candidate starts a step, where the processor has AVX2, for a
 * haystack of at least 31 + m bytes: sets *found on a match. */
__attribute__((target("avx2"))) static void
find_avx2(const struct ld_lit *l, const char *h, size_t hn, const char **found)
{
	const __m256i v1 = _mm256_set1_epi8((char)l->c1);
	const __m256i v2 = _mm256_set1_epi8((char)l->c2);
	const __m256i k1 = _mm256_set1_epi8((char)l->f1);
	const __m256i k2 = _mm256_set1_epi8((char)l->f2);
	size_t i = 0, m = l->n, last = hn - m - 31;
	uint32_t skip = 0;

#define CANDS(at) ((uint32_t)_mm256_movemask_epi8(_mm256_and_si256( \
	_mm256_cmpeq_epi8(_mm256_or_si256(_mm256_loadu_si256( \
	(const __m256i *)(const void *)(h + (at) + l->i1)), k1), v1), \
	_mm256_cmpeq_epi8(_mm256_or_si256(_mm256_loadu_si256( \
	(const __m256i *)(const void *)(h + (at) + l->i2)), k2), v2))))
	/* Two windows a step while both lie before the last: one test of
	 * both masks, in order when either has a candidate. */
	for (; i + 32 <= last; i += 64) {
		uint32_t m0 = CANDS(i), m1 = CANDS(i + 32);

		if ((m0 | m1) == 0)
			continue;
		for (; m0; m0 &= m0 - 1) {
			size_t k = i + (size_t)__builtin_ctz(m0);

			if (same(h + k, l->s, m)) {
				*found = h + k;
				return;
			}
		}
		for (; m1; m1 &= m1 - 1) {
			size_t k = i + 32 + (size_t)__builtin_ctz(m1);

			if (same(h + k, l->s, m)) {
				*found = h + k;
				return;
			}
		}
	}
	/* The rest a window a step.  The last window is moved back to end
	 * at hn, the starts it shares with the one before masked off: no
	 * byte-by-byte tail. */
	if (i > last) {
		skip = (uint32_t)(((uint64_t)1 << (i - last)) - 1);
		i = last;
	}
	for (;;) {
		uint32_t mask = CANDS(i);

		mask &= ~skip;
		while (mask) {
			size_t k = i + (size_t)__builtin_ctz(mask);

			if (same(h + k, l->s, m)) {
				*found = h + k;
				return;
			}
			mask &= mask - 1;
		}
		if (i == last)
			return;
		if (i + 32 > last) {
			skip = (uint32_t)(((uint64_t)1 << (i + 32 - last)) - 1);
			i = last;
		} else
			i += 32;
	}
#undef CANDS
}
#endif

const char *
ld_lit_find(const struct ld_lit *l, const char *h, size_t hn)
{
	size_t i = 0, m = l->n;

	if (m == 0)
		return h;
	if (m > hn)
		return NULL;
#ifdef HAVE_AVX2_PATH
	if (hn >= 31 + m && l->avx2) {
		const char *f = NULL;

		find_avx2(l, h, hn, &f);
		return f;
	}
#endif
#ifdef __SSE2__
	{
		const __m128i v1 = _mm_set1_epi8((char)l->c1);
		const __m128i v2 = _mm_set1_epi8((char)l->c2);
		const __m128i k1 = _mm_set1_epi8((char)l->f1);
		const __m128i k2 = _mm_set1_epi8((char)l->f2);

		/* 16 candidate starts i..i+15; the loads end at i+15+m. */
		for (; i + 15 + m <= hn; i += 16) {
			__m128i a = _mm_or_si128(_mm_loadu_si128(
			    (const __m128i *)(const void *)(h + i + l->i1)), k1);
			__m128i b = _mm_or_si128(_mm_loadu_si128(
			    (const __m128i *)(const void *)(h + i + l->i2)), k2);
			unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpeq_epi8(a, v1), _mm_cmpeq_epi8(b, v2)));

			while (mask) {
				size_t k = i + (size_t)__builtin_ctz(mask);

				if (same(h + k, l->s, m))
					return h + k;
				mask &= mask - 1;
			}
		}
	}
#endif
	for (; i + m <= hn; i++)
		if (((unsigned char)h[i + l->i1] | l->f1) == l->c1 &&
		    ((unsigned char)h[i + l->i2] | l->f2) == l->c2 &&
		    same(h + i, l->s, m))
			return h + i;
	return NULL;
}
