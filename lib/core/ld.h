/*
 * ld.h — what every part of liblogdive shares: error reports and the
 * growable byte buffer.
 *
 * Errors: a function that can fail takes a struct ld_err * (which may be
 * NULL when the caller does not care) and, on failure, writes one line of
 * text into it — lowercase, no period, naming the object, in the form the
 * tools print after "tool: ".  The library never prints and never exits.
 *
 * Buffers: struct ld_buf is a byte string that grows; p is always
 * NUL-terminated once anything was appended.  The buffer owns p; release
 * it with ld_buf_free().  A zeroed struct is an empty buffer.
 */
#ifndef LD_H
#define LD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct ld_err {
	char msg[512];
};

/* Write a message into err (when err is not NULL).  Always returns -1, so a
 * failing function may end with "return ld_err_set(err, ...)". */
int ld_err_set(struct ld_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct ld_buf {
	char *p;
	size_t len;
	size_t cap;
};

/* Make room for n more bytes.  Aborts the process on allocation failure:
 * like git's strbuf, running out of memory is not an error we recover from. */
void ld_buf_grow_slow(struct ld_buf *b, size_t n);

/* The common cases inline: every record appends thousands of times. */
static inline void
ld_buf_grow(struct ld_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ld_buf_grow_slow(b, n);
}

/* Copy n bytes, at most 16, with overlapping loads and stores: most
 * appends are a name or a few words, and a call into the C library's
 * memcpy, whose branches see every length of every caller, costs more
 * than the copy. */
static inline void
ld_copy16(char *d, const char *s, size_t n)
{
	uint64_t a, z;
	uint32_t x, y;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&z, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &z, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

static inline void
ld_buf_add(struct ld_buf *b, const void *p, size_t n)
{
	ld_buf_grow(b, n);
	if (!__builtin_constant_p(n) && n <= 16)
		ld_copy16(b->p + b->len, p, n);
	else if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Inline, so that the length of a literal is known when compiling. */
static inline void
ld_buf_adds(struct ld_buf *b, const char *s)
{
	ld_buf_add(b, s, strlen(s));
}

static inline void
ld_buf_addc(struct ld_buf *b, int c)
{
	ld_buf_grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}
/*
 * Where the bytes of a JSON string that are written as they are end: the
 * first byte of s[i, n) that is '"', '\\' or a control character (or,
 * with ascii, past ASCII), or n.  Sixteen bytes at a time where SSE2 is
 * there: strings are most of a log line.
 */
static inline size_t
ld_json_run(const char *s, size_t i, size_t n, int ascii)
{
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, q),
		    _mm_cmpeq_epi8(v, bs));
		unsigned mask;

		/* as signed bytes, ASCII past 0x1f is what is above 0x1f */
		m = _mm_or_si128(m, ascii ?
		    _mm_xor_si128(_mm_cmpgt_epi8(v, ctl), _mm_set1_epi8(-1)) :
		    _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
		if ((mask = (unsigned)_mm_movemask_epi8(m)) != 0)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c < 0x20 || (ascii && c >= 0x80))
			break;
	}
	return i;
}

void ld_buf_addf(struct ld_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s (n bytes) as a JSON string literal, quotes included.  Invalid
 * UTF-8 bytes are replaced by U+FFFD so that the result is always valid. */
void ld_buf_add_json_str(struct ld_buf *b, const char *s, size_t n);
/* Empty the buffer but keep its memory. */
void ld_buf_reset(struct ld_buf *b);
/* Release the memory; the buffer is empty and reusable afterwards. */
void ld_buf_free(struct ld_buf *b);
/* Take the string out: the caller owns the result (free(3)); the buffer is
 * left empty.  Never returns NULL. */
char *ld_buf_detach(struct ld_buf *b);

/* Allocation helpers that abort on failure (see ld_buf_grow). */
void *ld_xmalloc(size_t n);
void *ld_xcalloc(size_t n, size_t m);
void *ld_xrealloc(void *p, size_t n);
char *ld_xstrdup(const char *s);
char *ld_xstrndup(const char *s, size_t n);

/* UTF-8.  ld_utf8_valid() returns 1 when the n bytes are valid UTF-8 (no
 * overlongs, no surrogates).  ld_utf8_repair() appends s to b with every
 * invalid sequence replaced by U+FFFD and returns how many were replaced. */
int ld_utf8_valid(const char *s, size_t n);
size_t ld_utf8_repair(struct ld_buf *b, const char *s, size_t n);

/* Append code point cp (at most 0x10FFFF) encoded as UTF-8. */
void ld_buf_add_utf8(struct ld_buf *b, unsigned long cp);

/* The value of hex digit c (either case), or -1. */
int ld_hexval(int c);

/* ASCII case-insensitive search of needle in haystack (memmem-like). */
const char *ld_memcasemem(const char *h, size_t hn, const char *n, size_t nn);

#endif
