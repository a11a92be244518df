/*
 * redact_learn.c — sets of learned values (user names, other tenants'
 * namespaces) and finding them again in text.
 *
 * A learned value is found as a whole word, without case: not preceded by
 * [A-Za-z0-9_.-] and not followed by [A-Za-z0-9_-].  So a match starts
 * where a run of those "word" characters starts, and ends at the end of
 * the run or before one of its dots: each run of a string is looked up in
 * a hash set, longest candidate first, and no regex runs over the text.
 * Values with other characters ("John Doe") are found by their first
 * word, then compared whole; the rare value that starts with another
 * character ("@x") goes into a pattern, as every value once did.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact/redact_impl.h"

#define LEARN_MAX 65536	/* values per set; beyond, rely on the fields */
#define WORD_MAX 256	/* longest value learned */

/* Flags of an entry of l->words. */
#define W_VALUE 1	/* a value made of word characters */
#define W_FIRST 2	/* the first word of a value with other characters */

static int
is_word(int c)
{
	return rd_cls[c] & (T_UPPER | T_LOWER | T_DIGIT | T_UNDER | T_DOT | T_DASH);
}

static int
ends_word(int c)
{
	return rd_cls[c] & (T_UPPER | T_LOWER | T_DIGIT | T_UNDER | T_DASH);
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

static void
bit_set(unsigned char *b, size_t i)
{
	b[i >> 3] |= (unsigned char)(1u << (i & 7));
}

static int
bit_get(const unsigned char *b, size_t i)
{
	return b[i >> 3] >> (i & 7) & 1;
}

void
rd_learn_init(struct rd_learn *l)
{
	/* The sets are made by the first value learned: most rules of a
	 * policy never learn one, and a redactor is made for each worker
	 * (and, in the fuzz target, for each input). */
	memset(l, 0, sizeof(*l));
}

void
rd_learn_free(struct rd_learn *l)
{
	for (size_t i = 0; i < l->nother; i++)
		free(l->other[i]);
	free(l->other);
	for (size_t i = 0; i < l->nodd; i++)
		free(l->odd[i]);
	free(l->odd);
	rd_map_free(l->set);
	rd_map_free(l->words);
	pcre2_code_free(l->re);
}

void
rd_learn_reset(struct rd_learn *l)
{
	for (size_t i = 0; i < l->nother; i++)
		free(l->other[i]);
	l->nother = 0;
	for (size_t i = 0; i < l->nodd; i++)
		free(l->odd[i]);
	l->nodd = 0;
	if (l->set != NULL)
		rd_map_clear(l->set);
	if (l->words != NULL)
		rd_map_clear(l->words);
	pcre2_code_free(l->re);
	l->re = NULL;
	l->n = 0;
	memset(l->lens, 0, sizeof(l->lens));
	memset(l->first, 0, sizeof(l->first));
	memset(l->last, 0, sizeof(l->last));
	l->dirty = 0;
}

static void
strv_add(char ***v, size_t *n, const char *s, size_t len)
{
	*v = ld_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = ld_xstrndup(s, len);
}

static void
word_put(struct rd_learn *l, const char *w, size_t n, int flag)
{
	int f;

	if (l->words == NULL)
		l->words = rd_map_new(RD_MAP_SET);
	f = rd_map_get(l->words, w, n);
	rd_map_put(l->words, w, n, (f < 0 ? 0 : f) | flag);
	bit_set(l->lens, n);
	bit_set(l->first, (unsigned char)w[0]);
	bit_set(l->last, (unsigned char)w[n - 1]);
}

void rd_learn_add(struct ld_redact *, struct rd_learn *, const char *, size_t);

/*
 * The later words of a name of several ("Victor Vonnegut"): a surname
 * is found alone in text too.  Words shorter than four letters and words
 * that name roles or things rather than people are not learned alone.
 */
static void
surnames(struct ld_redact *rd, struct rd_learn *l, const char *v, size_t n,
    size_t w)
{
	static const char *common[] = { "bot", "key", "deploy", "token", "project",
	    "group", "user", "admin", "administrator", "support", "system",
	    "gitlab", "runner", "ghost", "service", "account", "team", "the",
	    "and", "for", "from", "with", "access", "internal", "external",
	    "security", "alert", "alerts", "migration", "import", "export",
	    "automation", "pipeline", NULL };
	char copy[WORD_MAX + 1];

	if (n > WORD_MAX)
		return;
	memcpy(copy, v, n);	/* rd->norm, which v may be, is reused */
	for (size_t a = w; a < n;) {
		size_t e;
		int skip = 0;

		while (a < n && !is_word((unsigned char)copy[a]))
			a++;
		for (e = a; e < n && is_word((unsigned char)copy[e]); e++)
			;
		if (e - a >= 4) {
			for (int i = 0; common[i] && !skip; i++)
				skip = strlen(common[i]) == e - a &&
				    strncasecmp(copy + a, common[i], e - a) == 0;
			for (size_t k = a; k < e && !skip; k++)
				skip = !isalpha((unsigned char)copy[k]);
			if (!skip)
				rd_learn_add(rd, l, copy + a, e - a);
		}
		a = e;
	}
}

void
rd_learn_add(struct ld_redact *rd, struct rd_learn *l, const char *v, size_t n)
{
	const char *s;
	size_t w;

	/* Very short values would be found inside every other word. */
	if (n < 3 || n > WORD_MAX || memchr(v, '\0', n) != NULL)
		return;
	ld_buf_reset(&rd->norm);
	rd_lower(&rd->norm, v, n);
	s = rd->norm.p;
	if (l->set == NULL)
		l->set = rd_map_new(RD_MAP_SET);
	else if (rd_map_get(l->set, s, n) >= 0)
		return;
	if (l->n >= LEARN_MAX) {
		/* Not learned: said in the report, which then fails the run
		 * (ld_redact_report's "limits"), never passed over in silence. */
		rd->learn_lost++;
		return;
	}
	rd_map_put(l->set, s, n, 1);
	l->n++;
	for (w = 0; w < n && is_word((unsigned char)s[w]); w++)
		;
	if (w == n)
		word_put(l, s, n, W_VALUE);
	else if (w > 0) {
		word_put(l, s, w, W_FIRST);
		strv_add(&l->other, &l->nother, s, n);
		surnames(rd, l, v, n, w);
	} else {
		strv_add(&l->odd, &l->nodd, s, n);
		l->dirty = 1;
	}
	rd->learngen++;
}

/* The longest learned value at v[a..] whose first word, or itself, is the
 * word v[a, x): its length, or 0. */
static size_t
at_word(const struct rd_learn *l, const char *v, size_t vn, size_t a,
    size_t x)
{
	size_t len = x - a, best = 0;
	char low[WORD_MAX];
	int f;

	if (l->words == NULL || len > WORD_MAX || !bit_get(l->lens, len) ||
	    !bit_get(l->last, (unsigned char)lower((unsigned char)v[x - 1])))
		return 0;
	for (size_t k = 0; k < len; k++)
		low[k] = (char)lower((unsigned char)v[a + k]);
	if ((f = rd_map_get(l->words, low, len)) < 0)
		return 0;
	if (f & W_VALUE)
		best = len;
	if (f & W_FIRST)
		for (size_t i = 0; i < l->nother; i++) {
			size_t on = strlen(l->other[i]);

			if (on > best && a + on <= vn &&
			    strncasecmp(v + a, l->other[i], on) == 0 &&
			    (a + on == vn || !ends_word((unsigned char)v[a + on])))
				best = on;
		}
	return best;
}

/* The next word match at or after off: 1 with [*pa, *pb), or 0. */
static int
find_word(const struct rd_learn *l, const char *v, size_t vn, size_t off,
    size_t *pa, size_t *pb)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t i = off;

	/* A match starts where a run starts, never inside one. */
	if (i > 0)
		while (i < vn && is_word(u[i]) && is_word(u[i - 1]))
			i++;
	while (i < vn) {
		size_t a, e, x, best = 0;

		while (i < vn && !is_word(u[i]))
			i++;
		if (i >= vn)
			break;
		a = i;
		while (i < vn && is_word(u[i]))
			i++;
		e = i;
		if (!bit_get(l->first, (unsigned char)lower(u[a])))
			continue;
		/* The run itself, then the run up to each of its dots. */
		for (x = e; x > a && best == 0;) {
			best = at_word(l, v, vn, a, x);
			do
				x--;
			while (x > a && u[x] != '.');
		}
		if (best) {
			*pa = a;
			*pb = a + best;
			return 1;
		}
	}
	return 0;
}

/* Build (when dirty) the pattern that finds the odd values of l. */
static pcre2_code *
odd_re(struct rd_learn *l)
{
	struct ld_buf b = { 0 };
	int ec;
	PCRE2_SIZE eo;

	if (!l->dirty)
		return l->re;
	pcre2_code_free(l->re);
	l->dirty = 0;
	ld_buf_adds(&b, "(?<![A-Za-z0-9_.-])(?:");
	for (size_t i = 0; i < l->nodd; i++) {
		if (i)
			ld_buf_addc(&b, '|');
		for (const char *c = l->odd[i]; *c; c++) {
			if (!isalnum((unsigned char)*c))
				ld_buf_addc(&b, '\\');
			ld_buf_addc(&b, *c);
		}
	}
	ld_buf_adds(&b, ")(?![A-Za-z0-9_-])");
	l->re = pcre2_compile((PCRE2_SPTR)b.p, b.len, PCRE2_CASELESS, &ec, &eo,
	    NULL);
	if (l->re)
		pcre2_jit_compile(l->re, PCRE2_JIT_COMPLETE);
	ld_buf_free(&b);
	return l->re;
}

int
rd_learn_find(struct ld_redact *rd, struct rd_learn *l, const char *v,
    size_t vn, size_t off, size_t *pa, size_t *pb)
{
	int found = l->n > l->nodd && find_word(l, v, vn, off, pa, pb);
	pcre2_code *re;

	if (l->nodd && (re = odd_re(l)) != NULL) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
		int rc = pcre2_match(re, (PCRE2_SPTR)v, vn, off, 0, rd->md, rd->mc);

		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
			return -1;
		if (rc > 0 && ov[1] > ov[0] && (!found || ov[0] < *pa)) {
			*pa = ov[0];
			*pb = ov[1];
			found = 1;
		}
	}
	return found;
}
