/*
 * ld.c — error messages, byte buffers, allocation and UTF-8 helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ld.h"

int
ld_err_set(struct ld_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void
oom(void)
{
	fputs("logdive: out of memory\n", stderr);
	abort();
}

void *
ld_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
ld_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
ld_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
ld_xstrdup(const char *s)
{
	return ld_xstrndup(s, strlen(s));
}

char *
ld_xstrndup(const char *s, size_t n)
{
	char *p = ld_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
ld_buf_grow_slow(struct ld_buf *b, size_t n)
{
	size_t want;

	if (b->len + n + 1 <= b->cap)
		return;
	want = b->cap ? b->cap : 64;
	while (want < b->len + n + 1) {
		if (want > SIZE_MAX / 2)
			oom();
		want *= 2;
	}
	b->p = ld_xrealloc(b->p, want);
	b->cap = want;
}

void
ld_buf_addf(struct ld_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	ld_buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		ld_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
ld_buf_reset(struct ld_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
ld_buf_free(struct ld_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
ld_buf_detach(struct ld_buf *b)
{
	char *p;

	if (b->p == NULL)
		return ld_xstrdup("");
	p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * bytes there do not start a valid sequence.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int
ld_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		/* Skip ASCII 32 bytes, then eight, at a time: the common
		 * case, and every line of every tool comes through here. */
		while (i + 32 <= n) {
			uint64_t a, b, c, d;

			memcpy(&a, p + i, 8);
			memcpy(&b, p + i + 8, 8);
			memcpy(&c, p + i + 16, 8);
			memcpy(&d, p + i + 24, 8);
			if ((a | b | c | d) & 0x8080808080808080ULL)
				break;
			i += 32;
		}
		while (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t
ld_utf8_repair(struct ld_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j, k, bad = 0;

	ld_buf_grow(b, n);
	while (i < n) {
		/* A run of valid sequences is copied at once. */
		for (j = i; j < n && (k = utf8_seq(p + j, n - j)) != 0; j += k)
			;
		ld_buf_add(b, p + i, j - i);
		if (j == n)
			break;
		ld_buf_add(b, "\xef\xbf\xbd", 3);
		bad++;
		i = j + 1;
	}
	return bad;
}

void
ld_buf_add_json_str(struct ld_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, run;

	ld_buf_addc(b, '"');
	while (i < n) {
		run = ld_json_run(s, i, n, 1);
		if (run > i) {
			ld_buf_add(b, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] >= 0x80) {
			if ((k = utf8_seq(p + i, n - i)) == 0) {
				ld_buf_add(b, "\xef\xbf\xbd", 3);
				i++;
			} else {
				ld_buf_add(b, p + i, k);
				i += k;
			}
			continue;
		}
		switch (p[i]) {
		case '"': ld_buf_add(b, "\\\"", 2); break;
		case '\\': ld_buf_add(b, "\\\\", 2); break;
		case '\n': ld_buf_add(b, "\\n", 2); break;
		case '\r': ld_buf_add(b, "\\r", 2); break;
		case '\t': ld_buf_add(b, "\\t", 2); break;
		default: ld_buf_addf(b, "\\u%04x", p[i]); break;
		}
		i++;
	}
	ld_buf_addc(b, '"');
}

void
ld_buf_add_utf8(struct ld_buf *b, unsigned long c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	ld_buf_add(b, u, n);
}

int
ld_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

const char *
ld_memcasemem(const char *h, size_t hn, const char *n, size_t nn)
{
	size_t i;
	int c0, c1;

	if (nn == 0)
		return h;
	if (nn > hn)
		return NULL;
	c0 = n[0] | 0x20;
	c1 = n[0] & ~0x20;
	if (!((n[0] | 0x20) >= 'a' && (n[0] | 0x20) <= 'z'))
		c0 = c1 = (unsigned char)n[0];
	for (i = 0; i + nn <= hn; i++) {
		const char *a = memchr(h + i, c0, hn - nn + 1 - i);
		const char *b = c0 == c1 ? NULL : memchr(h + i, c1, hn - nn + 1 - i);
		const char *c;

		if (a == NULL && b == NULL)
			return NULL;
		c = a == NULL ? b : (b == NULL ? a : (a < b ? a : b));
		if (strncasecmp(c, n, nn) == 0)
			return c;
		i = (size_t)(c - h);
	}
	return NULL;
}
