/*
 * lit.h — fast search for a literal, without regard to ASCII case.
 *
 * A struct ld_lit is a needle prepared once: its bytes folded to lower
 * case, and the two of its bytes that are rarest in log text.  A search
 * compares those two bytes at 32 or 16 positions at a time (AVX2 or
 * SSE2 where the processor has them, a plain loop elsewhere) and checks the whole needle
 * only where both agree, so that a line without the needle costs about as
 * much as memchr(3) over it.
 *
 *	struct ld_lit l;
 *	ld_lit_init(&l, "acme-corp");
 *	if (ld_lit_find(&l, line, len) != NULL) ...
 *	ld_lit_free(&l);
 */
#ifndef LD_LIT_H
#define LD_LIT_H

#include <stddef.h>

struct ld_lit {
	char *s;		/* the needle, ASCII lower case (owned) */
	size_t n;
	size_t i1, i2;		/* offsets of the two rare bytes */
	unsigned char c1, c2;	/* their folded values */
	unsigned char f1, f2;	/* 0x20 when the byte is a letter, else 0 */
	int avx2;		/* the processor can search 32 bytes a step */
};

/* Prepare l for needle s (copied; l owns the copy). */
void ld_lit_init(struct ld_lit *l, const char *s);
/* Release what l holds; l may be zeroed or freed already. */
void ld_lit_free(struct ld_lit *l);
/* The first occurrence of l in h[0..hn), ASCII case-insensitively, or
 * NULL.  An empty needle is found at h. */
const char *ld_lit_find(const struct ld_lit *l, const char *h, size_t hn);

#endif
