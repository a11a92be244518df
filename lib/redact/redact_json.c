/*
 * redact_json.c — rewriting an event's JSON text.
 *
 * The event is copied byte for byte except where something is replaced
 * (the untouched stretches between replacements in one copy each):
 * every member name and string value is decoded and scanned
 * (redact_text.c), members whose name a key rule selects are removed or
 * replaced whole, and a string that holds JSON itself is rewritten as JSON
 * (so that "{\"password\":…}" inside a message is seen as a member).  The
 * scanner is also the validator: what it cannot read is not passed on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/jsonx.h"

#include "redact/redact_impl.h"

#define MAXDEPTH 256	/* nesting of arrays and objects read */
#define MAXNEST 4	/* JSON inside a string inside … */

/*
 * What the members of a line's shape said the last time.  Lines of one
 * log come in a few shapes (format/jsonx.h: the same names in the same
 * order), and repeat at the same member the same name and often the same
 * value (a method, a controller, a user agent).  Per shape, by the
 * member's place in the parser's index, the name is kept with what it
 * selects and whether it was found clean, and the last string value
 * found clean there: when the bytes are the same, comparing them costs
 * less than the lookups by hash they spare.  Every answer is taken only
 * after its bytes are compared, so a shape that collides, or a place
 * whose name or value changed, only misses.  "Clean" holds while nothing
 * new is learned: it is kept as the learngen it was found at, plus one.
 */
#define SM_SHAPES 16	/* entries, by the shape's hash; a power of two */
#define SM_MEMBERS 64	/* places of a shape remembered */
#define SM_NAME 40	/* longest name remembered */
#define SM_VALUE 120	/* longest value remembered */

/* Per member: what its name says about its value. */
struct ctx {
	int rule;	/* a key rule, or -1 */
	int path;	/* a path key of the tenant section */
};

struct sm_member {
	uint64_t nclean;	/* the name was found clean (learngen + 1) */
	uint64_t vclean;	/* val was found clean (learngen + 1) */
	struct ctx c;		/* what the name selects */
	unsigned char nlen, vlen, vpath;
	char name[SM_NAME];
	char val[SM_VALUE];
};

struct sm_shape {
	uint64_t hash;
	int used;
	struct sm_member m[SM_MEMBERS];
};

/* Are the n bytes at a and b the same?  Names and the values kept are
 * short: overlapping loads compare up to sixteen bytes without a call. */
static inline int
same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	uint32_t x4, y4, u4, v4;

	if (n >= 8 && n <= 16) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4 && n < 8) {
		memcpy(&x4, a, 4);
		memcpy(&y4, b, 4);
		memcpy(&u4, a + n - 4, 4);
		memcpy(&v4, b + n - 4, 4);
		return ((x4 ^ y4) | (u4 ^ v4)) == 0;
	}
	return memcmp(a, b, n) == 0;
}

/* Scratch buffers per level of JSON-in-string. */
struct lvl {
	struct ld_buf dec, key, txt, inner;
	struct ld_buf stack;	/* skip()'s brackets open */
	uint32_t *snap;		/* the record's counts before an attempt */
};

struct rw {
	struct ld_redact *rd;
	const char *s;
	size_t n, i;
	size_t last;		/* s up to here is in out (or left out) */
	struct ld_buf *out;
	struct lvl *lv;
	int nest;
	const struct ld_jidx *x;	/* the parser's index of s, or NULL */
	int cur;		/* the member of x to be met next */
	struct sm_shape *sh;	/* what x's shape said, or NULL */
	struct sm_member *vm;	/* the place of the value to be read next,
				   or NULL */
};

static int value(struct rw *w, int depth, struct ctx c, int in_array,
    const struct ld_jmember *mm);

/*
 * The parser read the line already, and indexed the members of its
 * objects in the order they are written (not those inside arrays): the
 * member whose name starts at ka is the next one of the index, or none
 * of it.  Its name and value need not be read again.
 */
static const struct ld_jmember *
indexed(struct rw *w, size_t ka)
{
	const struct ld_jidx *x = w->x;
	const char *k = w->s + ka + 1;

	if (x == NULL)
		return NULL;
	while (w->cur < x->n && x->m[w->cur].k < k)
		w->cur++;
	if (w->cur < x->n && x->m[w->cur].k == k)
		return &x->m[w->cur++];
	return NULL;
}

/* Copy what is left of s before a to out. */
static void
flush(struct rw *w, size_t a)
{
	ld_buf_add(w->out, w->s + w->last, a - w->last);
	w->last = a;
}

/* Replace the bytes [a, b) of s by text t (n bytes) as a JSON string. */
static void
replace_str(struct rw *w, size_t a, size_t b, const char *t, size_t n)
{
	flush(w, a);
	ld_buf_add_json_str(w->out, t, n);
	w->last = b;
}

static void
ws(struct rw *w)
{
	while (w->i < w->n && (w->s[w->i] == ' ' || w->s[w->i] == '\t' ||
	    w->s[w->i] == '\n' || w->s[w->i] == '\r'))
		w->i++;
}

static int
hex4(const char *p, unsigned *u)
{
	*u = 0;
	for (int k = 0; k < 4; k++) {
		int c = p[k], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*u = *u << 4 | (unsigned)d;
	}
	return 0;
}

/*
 * The string at w->i (a quote): sets [*ts, *te) to its raw text between
 * the quotes and, when it has escapes, decodes it into dec (*d = dec->p);
 * without escapes *d points at the raw text.  Returns 0, or -1 when it is
 * not a valid JSON string.
 */
static int
string(struct rw *w, struct ld_buf *dec, const char **d, size_t *dn)
{
	const char *s = w->s;
	size_t i = w->i + 1, start = i;
	int esc = 0;

	for (;;) {
		i = ld_json_plain(s, i, w->n);
		if (i >= w->n || (unsigned char)s[i] < 0x20)
			return -1;
		if (s[i] == '"')
			break;
		esc = 1;
		if (i + 1 >= w->n)
			return -1;
		i += s[i + 1] == 'u' ? 6 : 2;
	}
	w->i = i + 1;
	if (!esc) {
		*d = s + start;
		*dn = i - start;
		return 0;
	}
	ld_buf_reset(dec);
	for (size_t k = start; k < i; k++) {
		unsigned u, u2;

		if (s[k] != '\\') {
			size_t r = k;

			while (r < i && s[r] != '\\')
				r++;
			ld_buf_add(dec, s + k, r - k);
			k = r - 1;
			continue;
		}
		switch (s[++k]) {
		case '"': ld_buf_addc(dec, '"'); break;
		case '\\': ld_buf_addc(dec, '\\'); break;
		case '/': ld_buf_addc(dec, '/'); break;
		case 'b': ld_buf_addc(dec, '\b'); break;
		case 'f': ld_buf_addc(dec, '\f'); break;
		case 'n': ld_buf_addc(dec, '\n'); break;
		case 'r': ld_buf_addc(dec, '\r'); break;
		case 't': ld_buf_addc(dec, '\t'); break;
		case 'u':
			if (k + 4 >= i || hex4(s + k + 1, &u) < 0)
				return -1;
			k += 4;
			/* A lone surrogate is U+FFFD, as every reader of a
			 * record decodes it (ld_json_loadb()). */
			if (u >= 0xd800 && u <= 0xdbff && k + 6 < i &&
			    s[k + 1] == '\\' && s[k + 2] == 'u' &&
			    hex4(s + k + 3, &u2) == 0 && u2 >= 0xdc00 &&
			    u2 <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
				k += 6;
			} else if (u >= 0xd800 && u <= 0xdfff)
				u = 0xfffd;
			ld_buf_add_utf8(dec, u);
			break;
		default:
			return -1;
		}
	}
	*d = dec->p ? dec->p : "";
	*dn = dec->len;
	return 0;
}

/* Skip a scalar other than a string, checking its form. */
static int
scalar(struct rw *w)
{
	const char *s = w->s;
	size_t i = w->i;

	if (w->n - i >= 4 && (memcmp(s + i, "true", 4) == 0 ||
	    memcmp(s + i, "null", 4) == 0)) {
		w->i += 4;
		return 0;
	}
	if (w->n - i >= 5 && memcmp(s + i, "false", 5) == 0) {
		w->i += 5;
		return 0;
	}
	if (i < w->n && s[i] == '-')
		i++;
	if (i >= w->n || s[i] < '0' || s[i] > '9')
		return -1;
	if (s[i] == '0')
		i++;
	else
		while (i < w->n && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < w->n && s[i] == '.') {
		if (++i >= w->n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < w->n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < w->n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < w->n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= w->n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < w->n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	w->i = i;
	return 0;
}

/*
 * Skip any value, checking its form, without looking into it: what a
 * removed or masked member held is not scanned nor counted, and what is
 * nested too deep to be read is replaced whole.  No recursion: the
 * brackets open are kept in stack (one byte a level), so that no depth of
 * nesting makes a valid record unreadable.
 */
static int
skip(struct rw *w)
{
	struct ld_buf *dec = &w->lv[w->nest].dec;
	struct ld_buf *st = &w->lv[w->nest].stack;
	const char *s = w->s, *d;
	size_t dn;
	int key = 0;

	ld_buf_reset(st);
	for (;;) {
		if (key) {	/* a member's name and its colon */
			if (w->i >= w->n || s[w->i] != '"' ||
			    string(w, dec, &d, &dn) < 0)
				return -1;
			ws(w);
			if (w->i >= w->n || s[w->i] != ':')
				return -1;
			w->i++;
			ws(w);
		}
		if (w->i >= w->n)
			return -1;
		if (s[w->i] == '{' || s[w->i] == '[') {
			ld_buf_addc(st, s[w->i] == '{' ? '}' : ']');
			w->i++;
			ws(w);
			if (w->i >= w->n || s[w->i] != st->p[st->len - 1]) {
				key = st->p[st->len - 1] == '}';
				continue;
			}
			w->i++;		/* empty */
			st->len--;
		} else if (s[w->i] == '"') {
			if (string(w, dec, &d, &dn) < 0)
				return -1;
		} else if (scalar(w) < 0)
			return -1;
		/* After a value: close what it ends, then the next one. */
		for (;;) {
			if (st->len == 0)
				return 0;
			ws(w);
			if (w->i < w->n && s[w->i] == st->p[st->len - 1]) {
				w->i++;
				st->len--;
				continue;
			}
			if (w->i >= w->n || s[w->i] != ',')
				return -1;
			w->i++;
			ws(w);
			key = st->p[st->len - 1] == '}';
			break;
		}
	}
}

/* Can the n bytes at d, which start with no space, be a JSON object or
 * array?  The brackets match at both ends and what follows the opening
 * one can start a value: "[FILTERED]" is text, and costs no attempt. */
static int
json_like(const char *d, size_t n)
{
	size_t i = 1;

	while (n > 0 && (d[n - 1] == ' ' || d[n - 1] == '\t' ||
	    d[n - 1] == '\n' || d[n - 1] == '\r'))
		n--;
	/* A JSON string of JSON ("\"{\\\"password\\\":…}\"") is one
	 * level more of it. */
	if (n > 4 && d[0] == '"' && d[n - 1] == '"' && (d[1] == '{' ||
	    d[1] == '[' || d[1] == '\\') && memchr(d, '\\', n) != NULL)
		return 1;
	if (n < 2 || !((d[0] == '{' && d[n - 1] == '}') ||
	    (d[0] == '[' && d[n - 1] == ']')))
		return 0;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' ||
	    d[i] == '\r'))
		i++;
	if (d[0] == '{')
		return d[i] == '"' || d[i] == '}';
	return strchr("\"{[]-0123456789tfn", d[i]) != NULL && d[i] != '\0';
}

/*
 * Is the string d (dn bytes, a path when is_path) known to be clean with
 * what is learned now: the last value found clean at its place vm, or a
 * canonical field of the record (redact.c) that was?
 */
static int
known_clean(const struct ld_redact *rd, const struct sm_member *vm,
    const char *d, size_t dn, int is_path)
{
	if (vm != NULL && vm->vclean == rd->learngen + 1 && vm->vlen == dn &&
	    vm->vpath == is_path && same(vm->val, d, dn))
		return 1;
	for (int k = 0; k < rd->nfclean; k++) {
		const struct rd_fclean *fc = &rd->fclean[k];

		if (fc->n == dn && fc->is_path == is_path &&
		    fc->gen == rd->learngen && same(fc->s, d, dn))
			return 1;
	}
	return 0;
}

/* A decoded string value: JSON inside it, or text.  vm is its place in
 * the shape's memory, or NULL. */
static int
string_value(struct rw *w, size_t a, const char *d, size_t dn, struct ctx c,
    struct sm_member *vm)
{
	struct ld_redact *rd = w->rd;
	struct lvl *L = &w->lv[w->nest];
	size_t k = 0;
	int rc;

	if (rd->pem_open && rd->p->pem_rule >= 0) {
		/* The lines of a private key split over the values of the
		 * record ("-----BEGIN…", "MIIE…", …, "-----END…"): each is
		 * masked, up to the end of the key. */
		if (rd_key_end(d, dn))
			rd->pem_open = 0;
		ld_buf_reset(&L->txt);
		if (rd_whole(rd, rd->p->pem_rule, d, dn, &L->txt) == 0)
			replace_str(w, a, w->i, L->txt.p, L->txt.len);
		return 0;
	}
	if (c.rule >= 0 && dn > 0 && !(dn == 10 && memcmp(d, "[FILTERED]", 10) == 0)) {
		ld_buf_reset(&L->txt);
		if (rd_whole(rd, c.rule, d, dn, &L->txt) == 0) {
			replace_str(w, a, w->i, L->txt.p, L->txt.len);
			return 0;
		}
	}
	while (k < dn && (d[k] == ' ' || d[k] == '\t' || d[k] == '\n'))
		k++;
	if (json_like(d + k, dn - k) && w->nest + 1 >= MAXNEST) {
		/* JSON nested in strings deeper than is read: what it holds
		 * cannot be told, so none of it passes. */
		replace_str(w, a, w->i, "[REDACTED:unanalysable]", 23);
		rd_count_hit(rd, RD_UNANALYSABLE);
		return 0;
	}
	if (json_like(d + k, dn - k)) {
		size_t nr = rd->p->n + 2;
		uint64_t h = rd->rec_hits;
		int nt = rd->ntouched;
		uint32_t *snap;

		if (L->snap == NULL)
			L->snap = ld_xmalloc(nr * sizeof(*L->snap));
		snap = L->snap;

		memcpy(snap, rd->rvals, nr * sizeof(*snap));
		ld_buf_reset(&w->lv[w->nest + 1].inner);
		rc = rd_json(rd, d, dn, &w->lv[w->nest + 1].inner, w->nest + 1,
		    NULL);
		if (rc == 0) {
			struct ld_buf *in = &w->lv[w->nest + 1].inner;

			if (in->len != dn || memcmp(in->p, d, dn) != 0)
				replace_str(w, a, w->i, in->p, in->len);
			return 0;
		}
		/* Not JSON after all: forget what was counted. */
		memcpy(rd->rvals, snap, nr * sizeof(*snap));
		rd->ntouched = nt;
		rd->rec_hits = h;
		if (rc == -2)
			return -2;
	}
	if (c.rule < 0 && known_clean(rd, vm, d, dn, c.path))
		return 0;
	ld_buf_reset(&L->txt);
	rc = rd_text(rd, d, dn, c.path, &L->txt);
	if (rc < 0)
		return -2;
	if (rc > 0)
		replace_str(w, a, w->i, L->txt.p, L->txt.len);
	else if (vm != NULL && c.rule < 0 && dn <= SM_VALUE) {
		memcpy(vm->val, d, dn);
		vm->vlen = (unsigned char)dn;
		vm->vpath = (unsigned char)c.path;
		vm->vclean = rd->learngen + 1;
	}
	return 0;
}

/*
 * What the member name k says.  Names repeat on every line, so what a
 * name selects is kept in a map, with whether the name itself was found
 * clean (the map is emptied whenever a value is learned, as a learned
 * value might now be found in it).
 */
static struct ctx
key_ctx(struct ld_redact *rd, const char *k, size_t kn, int *clean)
{
	const struct ld_policy *p = rd->p;
	struct ctx c = { -1, 0 };
	int v;

	if (rd->keygen != rd->learngen) {
		rd_map_clear(rd->keycache);
		rd->keygen = rd->learngen;
	}
	if ((v = rd_map_get(rd->keycache, k, kn)) >= 0) {
		c.rule = (v >> 2) - 1;
		c.path = v & 1;
		*clean = (v >> 1) & 1;
		return c;
	}
	*clean = 0;
	if (p->key_re && pcre2_match(p->key_re, (PCRE2_SPTR)k, kn, 0, 0, rd->md,
	    NULL) > 0)
		c.rule = atoi((const char *)pcre2_get_mark(rd->md));
	if (p->path_re && pcre2_match(p->path_re, (PCRE2_SPTR)k, kn, 0, 0, rd->md,
	    NULL) > 0)
		c.path = 1;
	if (kn < 128)
		rd_map_put(rd->keycache, k, kn, (c.rule + 1) << 2 | c.path);
	return c;
}

/* Remember that name k holds nothing to replace. */
static void
key_clean(struct ld_redact *rd, const char *k, size_t kn)
{
	int v;

	if (kn < 128 && (v = rd_map_get(rd->keycache, k, kn)) >= 0)
		rd_map_put(rd->keycache, k, kn, v | 2);
}

/* The context name k gives a value beside it (not inside a member of
 * that name): k's, when it replaces the value or checks it as a path,
 * else c. */
static struct ctx
named_ctx(struct ld_redact *rd, const char *k, size_t kn, struct ctx c)
{
	struct ctx kc;
	int clean;

	if (kn == 0)
		return c;
	kc = key_ctx(rd, k, kn, &clean);
	if (kc.path || (kc.rule >= 0 &&
	    rd->p->rules[kc.rule].action != A_KEEP))
		return kc;
	return c;
}

/* GitLab logs parameters as [{"key":NAME,"value":V}]: NAME decides V,
 * as a member name would.  Headers come as [{"name":NAME,"value":V}]
 * too (HAR, webhook logs): the same, unless NAME is one whose value is
 * kept as it is. */
static struct ctx
param_ctx(struct rw *w)
{
	const char *vs;
	size_t vn;
	struct ctx c = { -1, 0 };
	int clean;

	if (ld_json_raw_member(w->s + w->i, w->n - w->i, "key", &vs, &vn) == 1) {
		if (vn < 2 || vs[0] != '"' || memchr(vs, '\\', vn) != NULL)
			return c;
		return key_ctx(w->rd, vs + 1, vn - 2, &clean);
	}
	if (ld_json_raw_member(w->s + w->i, w->n - w->i, "name", &vs, &vn) != 1 ||
	    vn < 2 || vs[0] != '"' || memchr(vs, '\\', vn) != NULL)
		return c;
	return named_ctx(w->rd, vs + 1, vn - 2, c);
}

/*
 * A name given as a value, [NAME, V] (a header as a pair: ["JOB-TOKEN",
 * "…"], ["Authorization", "Basic …"]): the context of V, which is NAME's
 * when NAME would replace or check the value of a member so named, else
 * c.  The array starts at w->i.
 */
static struct ctx
pair_ctx(struct rw *w, struct ctx c)
{
	const char *s = w->s + w->i + 1, *q;
	size_t n = w->n - w->i - 1;

	if (c.rule >= 0 || c.path)
		return c;
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	if (n < 2 || *s != '"' ||
	    (q = memchr(s + 1, '"', n - 1 < 64 ? n - 1 : 64)) == NULL ||
	    memchr(s + 1, '\\', (size_t)(q - s - 1)) != NULL)
		return c;
	return named_ctx(w->rd, s + 1, (size_t)(q - s - 1), c);
}

/*
 * An audit event's target_details names its target: a user name when
 * target_type is "User" (then the user rule takes it), else a path; and
 * its target_id is then a user's id (rule the policy's uid_rule), as is
 * entity_id when entity_type is "User".  type is the member that says
 * ("target_type", "entity_type").  GitLab writes target_type first: when
 * it was passed, tt says what it was (1: "User", 0: something else), and
 * the object is not read again; -1: not passed yet (entity_type comes
 * after entity_id), the object is read for it.
 */
static void
target_ctx(struct rw *w, size_t obj, const struct ld_jmember *mm, int tt,
    const char *type, struct ctx *c, int rule)
{
	const struct ld_policy *p = w->rd->p;
	const char *vs = NULL;
	size_t vn = 0;
	int j;

	if (rule < 0)
		return;
	if (tt < 0 && mm != NULL) {
		/* The parser's index has the object's members (the last of a
		 * name given twice, as below): no second read of it. */
		if ((j = ld_jidx_key(w->x, mm->parent, type, strlen(type))) >= 0) {
			vs = w->x->m[j].v;
			vn = w->x->m[j].vn;
		}
		tt = vn == 6 && memcmp(vs, "\"User\"", 6) == 0;
	} else if (tt < 0)
		tt = ld_json_raw_member(w->s + obj, w->n - obj, type, &vs,
		    &vn) == 1 && vn == 6 && memcmp(vs, "\"User\"", 6) == 0;
	if (!tt)
		return;
	if (c->rule < 0 || p->rules[c->rule].action == A_KEEP) {
		c->rule = rule;
		c->path = 0;
	}
}

/*
 * The place in the shape's memory of member mm of the index, whose name
 * is k (kn bytes): forgotten (nlen 0) when another name was there.  NULL
 * when the line has no index or the member is past what is kept.
 */
static struct sm_member *
place(struct rw *w, const struct ld_jmember *mm, const char *k, size_t kn)
{
	struct sm_member *sm;
	ptrdiff_t j;

	if (mm == NULL || w->sh == NULL || (j = mm - w->x->m) >= SM_MEMBERS ||
	    kn == 0 || kn > SM_NAME)
		return NULL;
	sm = &w->sh->m[j];
	if (sm->nlen != kn || !same(sm->name, k, kn))
		sm->nlen = 0;
	return sm;
}

static int
object(struct rw *w, int depth, int in_array)
{
	struct ld_redact *rd = w->rd;
	struct lvl *L = &w->lv[w->nest];
	struct ctx pc = { -1, 0 };
	size_t obj = w->i;
	int removed, rc, tt = -1, et = -1;

	if (in_array)
		pc = param_ctx(w);
	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == '}') {
		w->i++;
		return 0;
	}
	for (;;) {
		const struct ld_jmember *mm;
		struct sm_member *sm;
		const char *k;
		size_t kn, ka, kb;
		struct ctx c;
		int clean;

		if (w->i >= w->n || w->s[w->i] != '"')
			return -1;
		ka = w->i;
		if ((mm = indexed(w, ka)) != NULL) {
			k = mm->k;
			kn = mm->kn;
			w->i = ka + kn + 2;
		} else if (string(w, &L->key, &k, &kn) < 0)
			return -1;
		kb = w->i;
		if ((sm = place(w, mm, k, kn)) != NULL && sm->nlen == kn) {
			c = sm->c;
			clean = sm->nclean == rd->learngen + 1;
		} else {
			c = key_ctx(rd, k, kn, &clean);
			if (sm != NULL) {
				memcpy(sm->name, k, kn);
				sm->nlen = (unsigned char)kn;
				sm->c = c;
				sm->nclean = clean ? rd->learngen + 1 : 0;
				sm->vclean = 0;
			}
		}
		if ((pc.rule >= 0 || pc.path) && kn == 5 &&
		    memcmp(k, "value", 5) == 0)
			c = pc;
		else if (kn == 14 && memcmp(k, "target_details", 14) == 0)
			target_ctx(w, obj, mm, tt, "target_type", &c,
			    rd->p->user_rule);
		else if (kn == 9 && memcmp(k, "target_id", 9) == 0)
			target_ctx(w, obj, mm, tt, "target_type", &c,
			    rd->p->uid_rule);
		else if (kn == 9 && memcmp(k, "entity_id", 9) == 0)
			target_ctx(w, obj, mm, et, "entity_type", &c,
			    rd->p->uid_rule);
		ws(w);
		if (w->i >= w->n || w->s[w->i] != ':')
			return -1;
		w->i++;
		ws(w);
		if (kn == 11 && memcmp(k, "target_type", 11) == 0)
			tt = w->n - w->i >= 6 && memcmp(w->s + w->i, "\"User\"", 6) == 0;
		else if (kn == 11 && memcmp(k, "entity_type", 11) == 0)
			et = w->n - w->i >= 6 && memcmp(w->s + w->i, "\"User\"", 6) == 0;
		removed = c.rule >= 0 && rd->p->rules[c.rule].action == A_REMOVE &&
		    !(rd->p->rules[c.rule].unless == U_OWN_ACTOR && rd->own_actor);
		if (removed) {
			if ((rc = skip(w)) < 0)
				return rc;
			rd_count_hit(rd, c.rule);
			/* The member goes, with its comma: the one after it, or,
			 * for the last member, the one before it. */
			flush(w, ka);
		} else {
			/* Names can hold personal data too ({"alice@x.org":1}). */
			if (!clean) {
				ld_buf_reset(&L->txt);
				if ((rc = rd_text(rd, k, kn, 0, &L->txt)) < 0)
					return -2;
				if (rc > 0)
					replace_str(w, ka, kb, L->txt.p, L->txt.len);
				else {
					key_clean(rd, k, kn);
					if (sm != NULL)
						sm->nclean = rd->learngen + 1;
				}
			}
			/* (the value of a name that other members change is
			 * not remembered by its place) */
			w->vm = sm != NULL && c.rule == sm->c.rule &&
			    c.path == sm->c.path ? sm : NULL;
			if ((rc = value(w, depth + 1, c, 0, mm)) < 0)
				return rc;
		}
		ws(w);
		if (w->i < w->n && w->s[w->i] == ',') {
			w->i++;
			ws(w);
			if (removed)
				w->last = w->i;
			continue;
		}
		if (w->i < w->n && w->s[w->i] == '}') {
			if (removed) {
				struct ld_buf *o = w->out;

				while (o->len > 0 && strchr(" \t\r\n", o->p[o->len - 1]))
					o->len--;
				if (o->len > 0 && o->p[o->len - 1] == ',')
					o->len--;
				o->p[o->len] = '\0';
				w->last = w->i;
			}
			w->i++;
			return 0;
		}
		return -1;
	}
}

static int
array(struct rw *w, int depth, struct ctx c)
{
	struct ctx pc = c;
	int rc, k = 0;

	/* (most arrays hold objects, GitLab's params: no pair) */
	if (w->i + 1 < w->n && w->s[w->i + 1] != '{')
		pc = pair_ctx(w, c);
	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == ']') {
		w->i++;
		return 0;
	}
	for (;;) {
		if ((rc = value(w, depth + 1, k++ == 1 ? pc : c, 1, NULL)) < 0)
			return rc;
		ws(w);
		if (w->i < w->n && w->s[w->i] == ',') {
			w->i++;
			ws(w);
			continue;
		}
		if (w->i < w->n && w->s[w->i] == ']') {
			w->i++;
			return 0;
		}
		return -1;
	}
}

/* The value at w->i, of member mm of the index when it is known. */
static int
value(struct rw *w, int depth, struct ctx c, int in_array,
    const struct ld_jmember *mm)
{
	struct ld_redact *rd = w->rd;
	struct lvl *L = &w->lv[w->nest];
	struct sm_member *vm = w->vm;
	const char *d;
	size_t dn, start = w->i;

	w->vm = NULL;	/* (for this value only, not those inside it) */
	if (w->i >= w->n)
		return -1;
	if (depth > MAXDEPTH && (w->s[w->i] == '{' || w->s[w->i] == '[')) {
		/* Nested deeper than is read: what it holds cannot be told,
		 * so it goes whole, and the record stays. */
		if (skip(w) < 0)
			return -1;
		flush(w, start);
		ld_buf_adds(w->out, "\"[REDACTED:unanalysable]\"");
		w->last = w->i;
		rd_count_hit(rd, RD_UNANALYSABLE);
		return 0;
	}
	if (mm != NULL && mm->v != w->s + w->i)
		mm = NULL;
	switch (w->s[w->i]) {
	case '"':
		if (mm != NULL && mm->type == 's') {
			/* a string without escapes: its text as it is */
			d = mm->v + 1;
			dn = mm->vn - 2;
			w->i += mm->vn;
		} else if (string(w, &L->dec, &d, &dn) < 0)
			return -1;
		return string_value(w, start, d, dn, c, mm != NULL ? vm : NULL);
	case '{':
		if (c.rule >= 0 && rd->p->rules[c.rule].action != A_KEEP)
			goto whole;
		return object(w, depth, in_array);
	case '[':
		if (c.rule >= 0 && rd->p->rules[c.rule].action != A_KEEP &&
		    rd->p->rules[c.rule].action != A_PSEUDONYM)
			goto whole;
		/* A list of names is pseudonymised name by name. */
		return array(w, depth, c);
	default:
		if (mm != NULL && (mm->type == 'i' || mm->type == 'r' ||
		    mm->type == 't' || mm->type == 'f' || mm->type == 'n'))
			w->i += mm->vn;
		else if (scalar(w) < 0)
			return -1;
		if (c.rule >= 0 && !(w->i - start == 4 &&
		    memcmp(w->s + start, "null", 4) == 0)) {
			ld_buf_reset(&L->txt);
			if (rd_whole(rd, c.rule, w->s + start, w->i - start,
			    &L->txt) == 0)
				replace_str(w, start, w->i, L->txt.p, L->txt.len);
		}
		return 0;
	}
whole:
	/* A structure under a masked name is masked whole. */
	{
		int rc = skip(w);

		if (rc < 0)
			return rc;
		flush(w, start);
		ld_buf_addf(w->out, "\"[REDACTED:%s]\"", rd->p->rules[c.rule].name);
		w->last = w->i;
		rd_count_hit(rd, c.rule);
		if (rd->p->rules[c.rule].action == A_DROP)
			rd->drop_rule = 1;
		return 0;
	}
}

/* Copy the value at w->i, replacing what is nested past MAXDEPTH. */
static int
unnest(struct rw *w, int depth, size_t *count)
{
	const char *d;
	size_t dn, start = w->i;
	char close;

	if (w->i >= w->n)
		return -1;
	if (w->s[w->i] == '"')
		return string(w, &w->lv[0].dec, &d, &dn);
	if (w->s[w->i] != '{' && w->s[w->i] != '[')
		return scalar(w);
	if (depth >= MAXDEPTH) {
		if (skip(w) < 0)
			return -1;
		flush(w, start);
		ld_buf_adds(w->out, "\"[REDACTED:unanalysable]\"");
		w->last = w->i;
		(*count)++;
		return 0;
	}
	close = w->s[w->i] == '{' ? '}' : ']';
	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == close) {
		w->i++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (w->i >= w->n || w->s[w->i] != '"' ||
			    string(w, &w->lv[0].dec, &d, &dn) < 0)
				return -1;
			ws(w);
			if (w->i >= w->n || w->s[w->i] != ':')
				return -1;
			w->i++;
			ws(w);
		}
		if (unnest(w, depth + 1, count) < 0)
			return -1;
		ws(w);
		if (w->i < w->n && w->s[w->i] == ',') {
			w->i++;
			ws(w);
			continue;
		}
		if (w->i < w->n && w->s[w->i] == close) {
			w->i++;
			return 0;
		}
		return -1;
	}
}

int
ld_redact_unnest(struct ld_redact *rd, const char *s, size_t n,
    struct ld_buf *out)
{
	struct rw w = { 0 };
	size_t count = 0;

	if (rd->nest == NULL)
		rd->nest = ld_xcalloc(MAXNEST + 1, sizeof(struct lvl));
	w.rd = rd;
	w.s = s;
	w.n = n;
	w.out = out;
	w.lv = rd->nest;
	ws(&w);
	if (unnest(&w, 0, &count) < 0)
		return -1;
	ws(&w);
	if (w.i != w.n)
		return -1;
	if (count == 0)
		return 0;
	flush(&w, w.n);
	rd->unnested = count;
	return 1;
}

void
rd_json_free(struct ld_redact *rd)
{
	struct lvl *lv = rd->nest;

	for (int i = 0; lv && i <= MAXNEST; i++) {
		ld_buf_free(&lv[i].dec);
		ld_buf_free(&lv[i].key);
		ld_buf_free(&lv[i].txt);
		ld_buf_free(&lv[i].inner);
		ld_buf_free(&lv[i].stack);
		free(lv[i].snap);
	}
	free(lv);
	rd->nest = NULL;
	for (int i = 0; rd->shapes != NULL && i < SM_SHAPES; i++)
		free(((struct sm_shape **)rd->shapes)[i]);
	free(rd->shapes);
	rd->shapes = NULL;
}

void
rd_json_reset(struct ld_redact *rd)
{
	for (int i = 0; rd->shapes != NULL && i < SM_SHAPES; i++)
		if (((struct sm_shape **)rd->shapes)[i] != NULL)
			((struct sm_shape **)rd->shapes)[i]->used = 0;
}

int
rd_json(struct ld_redact *rd, const char *s, size_t n, struct ld_buf *out,
    int nest, const struct ld_jidx *x)
{
	struct rw w;
	struct ctx c = { -1, 0 };
	int rc;

	if (rd->nest == NULL)
		rd->nest = ld_xcalloc(MAXNEST + 1, sizeof(struct lvl));
	w.rd = rd;
	w.s = s;
	w.n = n;
	w.i = 0;
	w.last = 0;
	w.out = out;
	w.lv = rd->nest;
	w.nest = nest;
	/* The index serves when s is (in) the text it indexes. */
	w.x = x != NULL && (uintptr_t)s >= (uintptr_t)x->s &&
	    (uintptr_t)(s + n) <= (uintptr_t)(x->s + x->sn) ? x : NULL;
	w.cur = 0;
	w.sh = NULL;
	w.vm = NULL;
	if (w.x != NULL) {
		uint64_t h = ld_jidx_shape_hash(w.x);
		struct sm_shape **shp, *sh;

		/* (an entry is made when a shape first needs it, and not
		 * cleared: a place is written whole before it is read, once
		 * the shape is taken below) */
		if (rd->shapes == NULL)
			rd->shapes = ld_xcalloc(SM_SHAPES, sizeof(*shp));
		shp = &((struct sm_shape **)rd->shapes)[h & (SM_SHAPES - 1)];
		if (*shp == NULL) {
			*shp = ld_xmalloc(sizeof(**shp));
			(*shp)->used = 0;
		}
		sh = *shp;
		if (!sh->used || sh->hash != h) {
			/* another shape: its places are forgotten */
			for (int j = 0; j < SM_MEMBERS; j++)
				sh->m[j].nlen = 0;
			sh->used = 1;
			sh->hash = h;
		}
		w.sh = sh;
	}
	ws(&w);
	rc = value(&w, 0, c, 0, NULL);
	if (rc < 0)
		return rc;
	ws(&w);
	if (w.i != w.n)
		return -1;
	flush(&w, w.n);
	return 0;
}
