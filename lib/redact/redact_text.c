/*
 * redact_text.c — finding what to replace in one decoded string.
 *
 * The string is first given a decoded view: percent-encoding, \uXXXX
 * and \xXX escapes of ASCII, HTML character references and the
 * full-width forms of "@" and "." are undone, and a shell's line
 * continuation and the characters that show nothing (zero width space,
 * soft hyphen, …) are taken out, repeatedly (so %2540 becomes @), with a
 * map from every byte of the view back to the bytes of the string it came
 * from.  All matching is done on the view, in passes: the patterns of the
 * policy's text rules in policy order (each only where its trigger is,
 * see redact_detect.c), values learned (redact_learn.c), and references
 * to other tenants.  A pass keeps a match only where no earlier match
 * lies; the string is rewritten once at the end, so replacement text is
 * never scanned.  Short strings found clean are remembered until the next
 * value is learned: logs repeat them on every line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact/redact_impl.h"
#include "scope/scope.h"

#define KEEP_ORIGINAL ((size_t)-1)
#define RD_CLEAN_MAX 96		/* longest string the clean cache keeps */

static int name_ok(const char *s, size_t n);

/* rd_is_tenant - 1 when ns lies inside one of the request's tenants. */
int
rd_is_tenant(const struct ld_redact *rd, const char *ns, size_t n)
{
	for (size_t i = 0; i < rd->ntenants; i++)
		if (ld_ns_covers(rd->tenants[i], ns, n))
			return 1;
	return 0;
}

/*
 * Escapes of the bytes that separate a value from the next one ("%26" in
 * "password=abc%26def&next=1", "%20" in a URL's password) stay as they
 * are: undone, they would end the value they are part of.
 */
static int
sep_escape(int c)
{
	return c == '&' || c == ';' || c == ' ' || c == '#';
}

/* An HTML character reference of a printable ASCII byte at s ("&#64;",
 * "&#x40;"): its length, with the byte in *c, or 0. */
static size_t
entity(const char *s, size_t n, int *c)
{
	size_t i = 2;
	int v = 0, hex = 0, d, digits = 0;

	if (i < n && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	for (; i < n && digits < 5; i++, digits++) {
		if ((d = hex ? ld_hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ?
		    s[i] - '0' : -1)) < 0)
			break;
		v = v * (hex ? 16 : 10) + d;
	}
	if (digits == 0 || i >= n || s[i] != ';' || v < 32 || v > 126)
		return 0;
	*c = v;
	return i + 1;
}

/* A named character reference of a byte that separates or builds what
 * the detectors look for ("&commat;", "&period;", "&sol;", …): its
 * length, with the byte in *c, or 0. */
static size_t
named(const char *s, size_t n, int *c)
{
	static const struct { const char *name; char c; } refs[] = {
		{ "commat;", '@' }, { "period;", '.' }, { "colon;", ':' },
		{ "sol;", '/' }, { "lowbar;", '_' }, { "equals;", '=' },
		{ "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
		{ "num;", '#' }, { "percnt;", '%' }, { "plus;", '+' },
		{ "quest;", '?' }, { "lt;", '<' }, { "gt;", '>' },
		{ "semi;", ';' }, { "comma;", ',' }, { "excl;", '!' },
	};

	for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]); k++) {
		size_t ln = strlen(refs[k].name);

		if (n - 1 >= ln && strncasecmp(s + 1, refs[k].name, ln) == 0) {
			*c = refs[k].c;
			return ln + 1;
		}
	}
	return 0;
}

/* The ASCII byte of the full-width form in the three bytes of UTF-8 at
 * s (U+FF01 to U+FF5E, "ｇｌｐａｔ－" and "＠" alike), of the small "@"
 * (U+FE6B) or of the ideographic full stop (U+FF61), or -1. */
static int
fullwidth(const unsigned char *s)
{
	if (s[1] == 0xbc && s[2] >= 0x81 && s[2] <= 0xbf)
		return s[2] - 0x81 + 0x21;
	if (s[1] == 0xbd && s[2] >= 0x80 && s[2] <= 0x9e)
		return s[2] - 0x80 + 0x60;
	if (s[1] == 0xb9 && s[2] == 0xab)
		return '@';
	if (s[1] == 0xbd && s[2] == 0xa1)
		return '.';
	return -1;
}

/* A character that shows nothing at s, in UTF-8 (a soft hyphen, a zero
 * width space, joiner or non-joiner, a word joiner, a byte order mark):
 * its length, or 0. */
static size_t
invisible(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xad)
		return 2;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x8b &&
	    s[2] <= 0x8d)
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0xa0)
		return 3;
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

/* A backslash, a newline (CR LF too) and the blanks after it at s: the
 * length, or 0. */
static size_t
continuation(const char *s, size_t n)
{
	size_t i = 1;

	if (i < n && s[i] == '\r')
		i++;
	if (i >= n || s[i] != '\n')
		return 0;
	for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i;
}

/* The bytes that may start what decode_round undoes. */
static const unsigned char esc_start[256] = {
	['%'] = 1, ['&'] = 1, ['\\'] = 1, [0xc2] = 1, [0xe2] = 1, [0xef] = 1,
};

/* The first byte of src[i, n) that may start an escape, or n. */
static size_t
next_esc(const char *src, size_t i, size_t n)
{
	while (i < n && !esc_start[(unsigned char)src[i]])
		i++;
	return i;
}

/*
 * One round of decoding of src (n bytes, with map m, or identity when m is
 * NULL) into dst and dmap.  Returns the number of escapes undone; dst is
 * left as it was when src holds no byte that starts one (the last round
 * of a view, most often).
 */
static size_t
decode_round(const char *src, size_t n, const size_t *m, size_t mn,
    struct ld_buf *dst, size_t **dmap, size_t *dcap)
{
	size_t i, j, k = 0, undone = 0;

	if ((i = next_esc(src, 0, n)) == n)
		return 0;
	ld_buf_reset(dst);
	ld_buf_grow(dst, n);
	if (*dcap < n + 1) {
		*dcap = n + 1;
		*dmap = ld_xrealloc(*dmap, *dcap * sizeof(**dmap));
	}
	/* The bytes before the first escape, and between two, as runs. */
	for (j = i, i = 0; ; j = next_esc(src, i, n)) {
		int h, l, c = -1;
		size_t w = 1, ew;

		memcpy(dst->p + k, src + i, j - i);
		if (m != NULL)
			for (; i < j; i++)
				(*dmap)[k++] = m[i];
		else
			for (; i < j; i++)
				(*dmap)[k++] = i;
		if (i == n)
			break;
		if ((unsigned char)src[i] >= 0xc2 &&
		    (ew = invisible((const unsigned char *)src + i, n - i)) > 0) {
			/* a character that shows nothing splits nothing
			 * ("glpat-\u200b…") */
			i += ew;
			undone++;
			continue;
		}
		if (src[i] == '\\' && (ew = continuation(src + i, n - i)) > 0) {
			/* a shell's line continuation joins what it splits
			 * ("glpat-abc\\\n  def"): gone from the view */
			i += ew;
			undone++;
			continue;
		}
		if (src[i] == '%' && i + 3 <= n &&
		    (h = ld_hexval(src[i + 1])) >= 0 && (l = ld_hexval(src[i + 2])) >= 0 &&
		    !sep_escape(h * 16 + l)) {
			c = h * 16 + l;
			w = 3;
		} else if (src[i] == '&' && i + 4 <= n && src[i + 1] == '#' &&
		    (ew = entity(src + i, n - i, &c)) > 0) {
			/* &#64; and &#x40;, as HTML writes them */
			w = ew;
		} else if (src[i] == '&' && i + 4 <= n &&
		    (ew = named(src + i, n - i, &c)) > 0) {
			/* &commat; and the other names of HTML 5 */
			w = ew;
		} else if ((unsigned char)src[i] == 0xef && i + 3 <= n &&
		    (c = fullwidth((const unsigned char *)src + i)) >= 0) {
			/* "＠", "．" and "ｇｌｐａｔ－" as the full-width
			 * forms write them */
			w = 3;
		} else if (src[i] == '\\' && i + 6 <= n && src[i + 1] == 'u' &&
		    src[i + 2] == '0' && src[i + 3] == '0' &&
		    (h = ld_hexval(src[i + 4])) >= 0 && h < 8 &&
		    (l = ld_hexval(src[i + 5])) >= 0) {
			c = h * 16 + l;
			w = 6;
		} else if (src[i] == '\\' && i + 4 <= n && src[i + 1] == 'x' &&
		    (h = ld_hexval(src[i + 2])) >= 2 && h < 8 &&
		    (l = ld_hexval(src[i + 3])) >= 0 && h * 16 + l < 127) {
			/* "\x40", as Ruby's and Python's inspect write a
			 * byte: printable ASCII only */
			c = h * 16 + l;
			w = 4;
		} else if (src[i] == '\\' && i + 4 <= n &&
		    (src[i + 1] == '0' || src[i + 1] == '1') &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' &&
		    src[i + 3] >= '0' && src[i + 3] <= '7' &&
		    (h = (src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 +
		    (src[i + 3] - '0')) >= 0x20 && h < 127) {
			/* "\147", as C, git's quoted paths and printf %q
			 * write a byte: printable ASCII only */
			c = h;
			w = 4;
		}
		(*dmap)[k] = m ? m[i] : i;
		if (c >= 0) {
			dst->p[k++] = (char)c;
			undone++;
		} else
			dst->p[k++] = src[i];
		i += w;
	}
	(*dmap)[k] = m ? m[n] : mn;
	dst->len = k;
	dst->p[k] = '\0';
	return undone;
}

/*
 * Rounds of decoding a view takes: escapes are undone until none is
 * left ("%25252D" is three rounds), up to this many.  A value still
 * encoded after them is written to hide something, and rd_text replaces
 * it whole.
 */
#define RD_DECODE_ROUNDS 16

/* Set up the view of s, which holds a "%" or a "\\"; returns it and its
 * length in *vn, or NULL when nothing was decoded (the identity).  *deep
 * is set when escapes were left after RD_DECODE_ROUNDS rounds. */
static const char *
view(struct ld_redact *rd, const char *s, size_t n, size_t *vn, int *deep)
{
	struct ld_buf tb;
	size_t *tm, tc;
	int rounds;

	*deep = 0;
	if (decode_round(s, n, NULL, n, &rd->view, &rd->map, &rd->mapcap) == 0) {
		*vn = n;
		return NULL;
	}
	for (rounds = 1; ; rounds++) {
		if (decode_round(rd->view.p, rd->view.len, rd->map, n, &rd->view2,
		    &rd->map2, &rd->map2cap) == 0)
			break;
		if (rounds == RD_DECODE_ROUNDS) {
			*deep = 1;
			break;
		}
		tb = rd->view;
		tm = rd->map;
		tc = rd->mapcap;
		rd->view = rd->view2;
		rd->map = rd->map2;
		rd->mapcap = rd->map2cap;
		rd->view2 = tb;
		rd->map2 = tm;
		rd->map2cap = tc;
	}
	*vn = rd->view.len;
	return rd->view.p;
}

void
rd_count_hit(struct ld_redact *rd, int rule)
{
	int i = rule >= 0 ? rule : rule == RD_UNANALYSABLE ? (int)rd->p->n + 1 :
	    (int)rd->p->n;

	if (rd->rvals[i]++ == 0)
		rd->touched[rd->ntouched++] = i;
	rd->rec_hits++;
	if (rd->recording) {
		if (rd->nrl < (int)(sizeof(rd->rl) / sizeof(rd->rl[0])))
			rd->rl[rd->nrl++] = rule;
		else
			rd->rl_over = 1;
	}
}

void
rd_count_commit(struct ld_redact *rd)
{
	for (int k = 0; k < rd->ntouched; k++) {
		int i = rd->touched[k];

		rd->cnt[i].values += rd->rvals[i];
		rd->cnt[i].records++;
		rd->rvals[i] = 0;
	}
	rd->ntouched = 0;
	rd->replaced += rd->rec_hits;
}

void
rd_count_discard(struct ld_redact *rd)
{
	for (int k = 0; k < rd->ntouched; k++)
		rd->rvals[rd->touched[k]] = 0;
	rd->ntouched = 0;
}

static int
is_own(struct ld_redact *rd, const char *v, size_t n)
{
	if (rd_map_count(rd->own) == 0)
		return 0;
	ld_buf_reset(&rd->norm);
	rd_lower(&rd->norm, v, n);
	return rd_map_get(rd->own, rd->norm.p, rd->norm.len) >= 0;
}

/*
 * The local part of an email is most often a user name ("eve" of
 * eve@example.com), and free text names the user without the domain
 * ("Added eve as Developer"): it is learned as a user name, unless it is
 * one of the role addresses that are words of their own.
 */
static void
learn_local_part(struct ld_redact *rd, const char *v, size_t n)
{
	static const char *roles[] = { "admin", "administrator", "info", "noreply",
	    "no-reply", "no_reply", "donotreply", "support", "root", "postmaster",
	    "webmaster", "hostmaster", "abuse", "security", "notifications",
	    "notification", "gitlab", "git", "mail", "contact", "help", "sales",
	    "billing", "hello", "team", "test", "user", "users", "service", NULL };
	const struct ld_policy *p = rd->p;
	const char *at = memchr(v, '@', n);
	size_t ln;

	if (p->user_rule < 0 || !p->rules[p->user_rule].recur || at == NULL)
		return;
	ln = strcspn(v, "+@");
	if (ln > (size_t)(at - v))
		ln = (size_t)(at - v);
	for (int i = 0; roles[i]; i++)
		if (strlen(roles[i]) == ln && strncasecmp(v, roles[i], ln) == 0)
			return;
	if (name_ok(v, ln))
		rd_learn_add(rd, &rd->learn[p->user_rule], v, ln);
}

/*
 * What a pseudonym rule did with a value is remembered by the value as it
 * is written (the rule's number, then the bytes): the next time the same user
 * or address comes by, its pseudonym is copied, with no case folding, no
 * address parsing and no lookups in the learned sets (what was learned
 * stays learned).  Not for rules that keep the values of the record's
 * own actor: that changes with the record.
 */
#define WHOLE_NAMES ((size_t)1 << 20)	/* bytes of pseudonyms remembered */
#define WHOLE_KEPT (-1)			/* the value was kept */

static int
whole_memo(const struct rd_rule *r)
{
	return r->action == A_PSEUDONYM && r->unless != U_OWN_ACTOR;
}

static const char *
whole_key(struct ld_redact *rd, int rule, const char *v, size_t n,
    size_t *kn)
{
	ld_buf_reset(&rd->wkey);
	ld_buf_add(&rd->wkey, &rule, sizeof(rule));
	ld_buf_add(&rd->wkey, v, n);
	*kn = rd->wkey.len;
	return rd->wkey.p;
}

static void
whole_put(struct ld_redact *rd, const char *k, size_t kn, const char *t,
    size_t tn)
{
	if (rd->wnames.len + tn + 2 > WHOLE_NAMES) {
		rd_map_clear(rd->whole);
		ld_buf_reset(&rd->wnames);
	}
	if (t == NULL) {
		rd_map_put(rd->whole, k, kn, WHOLE_KEPT);
		return;
	}
	/* Each pseudonym after its length, in two bytes. */
	if (tn > 0xffff)
		return;
	rd_map_put(rd->whole, k, kn, (int)rd->wnames.len);
	ld_buf_addc(&rd->wnames, (int)(tn & 0xff));
	ld_buf_addc(&rd->wnames, (int)(tn >> 8));
	ld_buf_add(&rd->wnames, t, tn);
}

int
rd_whole(struct ld_redact *rd, int rule, const char *v, size_t n,
    struct ld_buf *out)
{
	const struct rd_rule *r = &rd->p->rules[rule];
	const char *k = NULL;
	size_t kn = 0, o = out->len;
	int off;

	/* "-" is how logs write no value (nginx's $remote_user): it names
	 * nobody, and a pseudonym would make it someone. */
	if (n == 1 && v[0] == '-')
		return 1;
	if (whole_memo(r) && n < 256) {
		k = whole_key(rd, rule, v, n, &kn);
		switch (off = rd_map_get(rd->whole, k, kn)) {
		case -2:
			break;
		case WHOLE_KEPT:
			return 1;
		default:
			ld_buf_add(out, rd->wnames.p + off + 2,
			    (unsigned char)rd->wnames.p[off] |
			    (size_t)(unsigned char)rd->wnames.p[off + 1] << 8);
			rd_count_hit(rd, rule);
			return 0;
		}
	}
	if (r->email)
		learn_local_part(rd, v, n);

	if (r->unless == U_OWN_ACTOR)
		rd->actor_read = 1;
	if ((r->unless == U_OWN_ACCOUNT && is_own(rd, v, n)) ||
	    (r->unless == U_OWN_ACTOR && rd->own_actor) || r->action == A_KEEP) {
		if (r->recur && r->action != A_KEEP)
			rd_learn_add(rd, &rd->learn[rule], v, n);
		if (k)
			whole_put(rd, k, kn, NULL, 0);
		return 1;
	}
	switch (r->action) {
	case A_PSEUDONYM:
		if (k)	/* remembered below */
			rd_pseudo_make(rd->ps, r->kind, v, n, out);
		else
			rd_pseudo_add(rd->ps, r->kind, v, n, out);
		break;
	case A_DROP:
		rd->drop_rule = 1;
		/* FALLTHROUGH */
	default:
		ld_buf_add(out, "[REDACTED:", 10);
		ld_buf_adds(out, r->name);
		ld_buf_addc(out, ']');
		break;
	}
	if (r->recur)
		rd_learn_add(rd, &rd->learn[rule], v, n);
	if (k)
		whole_put(rd, k, kn, out->p + o, out->len - o);
	rd_count_hit(rd, rule);
	return 0;
}

/*
 * Hits are kept in rd->hits sorted by position and not overlapping.  A
 * pass (one pattern, one learned set, one kind of tenant reference)
 * finds its hits left to right, most often: they gather in rd->pend,
 * sorted too, are checked against both by a binary search, and are
 * merged into rd->hits when the pass ends (hits_flush).  So a string
 * with a million hits costs a million times a logarithm, not a million
 * times a million.  (A hit found left of the pass's last is put in its
 * place in rd->pend: the tenant checks of many paths find them so.)
 */

/* The first of the n sorted hits h that ends after offset a, or n. */
static size_t
first_after(const struct rd_hit *h, size_t n, size_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid].b <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does [a, b) overlap a hit of the n sorted hits at h? */
static int
overlaps(const struct rd_hit *h, size_t n, size_t a, size_t b)
{
	size_t i = first_after(h, n, a);

	return i < n && h[i].a < b;
}

/*
 * Is view bytes [va, vb) (map m, or identity) inside one hit already made,
 * merged or the last made in this pass?  Then what starts there is
 * replaced.
 */
static int
covered(const struct ld_redact *rd, size_t va, size_t vb, const size_t *m)
{
	size_t a = m ? m[va] : va, b = m ? m[vb] : vb, i;

	if (rd->npend > 0 && rd->plast_a <= a && b <= rd->plast_b)
		return 1;
	i = first_after(rd->hits, rd->nhits, a);
	return i < rd->nhits && rd->hits[i].a <= a && b <= rd->hits[i].b;
}

/* End a pass: merge its hits into rd->hits. */
static void
hits_merge(struct ld_redact *rd)
{
	size_t i = 0, j = 0, k = 0, n;

	n = rd->nhits + rd->npend;
	if (rd->mergecap < n) {
		rd->mergecap = n * 2;
		rd->merge = ld_xrealloc(rd->merge, rd->mergecap * sizeof(*rd->merge));
	}
	while (i < rd->nhits || j < rd->npend)
		if (j == rd->npend || (i < rd->nhits &&
		    rd->hits[i].a < rd->pend[j].a))
			rd->merge[k++] = rd->hits[i++];
		else
			rd->merge[k++] = rd->pend[j++];
	{
		struct rd_hit *t = rd->hits;
		size_t c = rd->hitcap;

		rd->hits = rd->merge;
		rd->hitcap = rd->mergecap;
		rd->merge = t;
		rd->mergecap = c;
	}
	rd->nhits = n;
	rd->npend = 0;
}

static inline void
hits_flush(struct ld_redact *rd)
{
	if (rd->npend != 0)
		hits_merge(rd);
}

/*
 * Record a hit over view bytes [va, vb) (map m, or identity), replacing
 * it by the rule, or for a tenant reference (rule -1) by the pseudonym of
 * kind tkind of the view bytes [pa, vb).  Returns the hit, or NULL when it
 * overlaps an earlier one.
 */
static struct rd_hit *
hit(struct ld_redact *rd, const char *v, size_t va, size_t vb, size_t pa,
    const size_t *m, int rule, const char *tkind)
{
	size_t a = m ? m[va] : va, b = m ? m[vb] : vb, k = rd->npend;
	struct rd_hit *h;

	if (overlaps(rd->hits, rd->nhits, a, b))
		return NULL;
	/* (after the last, as a pass goes; or in its place) */
	if (k > 0 && rd->pend[k - 1].b > a) {
		k = first_after(rd->pend, rd->npend, a);
		if (k < rd->npend && rd->pend[k].a < b)
			return NULL;
	}
	if (rd->npend == rd->pendcap) {
		rd->pendcap = rd->pendcap ? rd->pendcap * 2 : 16;
		rd->pend = ld_xrealloc(rd->pend, rd->pendcap * sizeof(*rd->pend));
	}
	if (k < rd->npend)
		memmove(&rd->pend[k + 1], &rd->pend[k],
		    (rd->npend - k) * sizeof(*rd->pend));
	rd->npend++;
	rd->plast_a = a;
	rd->plast_b = b;
	h = &rd->pend[k];
	h->a = a;
	h->b = b;
	h->rule = rule;
	h->roff = rd->hitbuf.len;
	if (rule >= 0) {
		if (rd_whole(rd, rule, v + va, vb - va, &rd->hitbuf))
			h->roff = KEEP_ORIGINAL;
	} else {
		if (rd->p->tenant_refs == A_PSEUDONYM)
			rd_pseudo_add(rd->ps, tkind, v + pa, vb - pa, &rd->hitbuf);
		else
			ld_buf_adds(&rd->hitbuf, "[REDACTED:tenant]");
		rd_count_hit(rd, -1);
	}
	h->rlen = h->roff == KEEP_ORIGINAL ? 0 : rd->hitbuf.len - h->roff;
	return h;
}

/*
 * Is the dotted quad at view bytes [ms, me) a version, not an address?
 * User agents and tools write their version after their name and a slash
 * ("Chrome/126.0.0.0 Safari/537.36", "git/2.45.1.1") or after a "v"
 * ("v1.2.3.4").  A name is a product when it is capitalised or one of the
 * tools that write their name in lower case; "ip/10.1.2.3" (GitLab's
 * client ids) and a path's "/10.1.2.3" are addresses.
 */
static int
tool(const char *s, size_t n)
{
	static const char *tools[] = { "git", "curl", "wget", "python-requests",
	    "go-http-client", "gitlab-runner", "gitlab-workhorse", "gitlab-shell",
	    "gitaly", "node", "ruby", "java", "okhttp", "axios", "docker",
	    "containerd", "helm", "kubectl", "terraform", "libcurl", "jgit",
	    "faraday", "httpclient", "glab", "lfs", "git-lfs", "dart", "rest-client",
	    "aws-sdk", "aws-cli", "botocore", "boto3", "urllib3", "undici",
	    "gitlab-agent", "gitlab-kas", "rv", "renovate", NULL };

	for (int i = 0; tools[i]; i++) {
		size_t k = strlen(tools[i]);

		/* the tool, or a name that starts with it and a dash
		 * ("terraform-provider-gitlab") */
		if (k <= n && strncasecmp(s, tools[i], k) == 0 &&
		    (k == n || s[k] == '-'))
			return 1;
	}
	return 0;
}

static int
version(const char *v, size_t vn, size_t ms, size_t me)
{
	size_t t, w;
	int next = me < vn ? (unsigned char)v[me] : ' ';

	if (memchr(v + ms, ':', me - ms) != NULL || memchr(v + ms, '.', me - ms) ==
	    NULL || ms == 0)
		return 0;
	if ((v[ms - 1] == 'v' || v[ms - 1] == 'V') &&
	    (ms == 1 || !isalnum((unsigned char)v[ms - 2])))
		return 1;
	if (!(next == ' ' || next == ';' || next == ')' || next == '(' ||
	    next == ',' || next == '"' || next == '\t' || next == '-' ||
	    next == '+'))
		return 0;
	if (v[ms - 1] == ' ' && ms >= 2) {
		/* "gitlab-runner 16.11.1.2 (…)": a known tool only */
		for (w = ms - 1; w > 0 && v[w - 1] != ' ' && v[w - 1] != '('; w--)
			;
		return w < ms - 1 && tool(v + w, ms - 1 - w);
	}
	if (v[ms - 1] != '/' || ms < 2)
		return 0;
	for (t = ms - 1; t > 0 && (isalnum((unsigned char)v[t - 1]) ||
	    strchr("_.+-", v[t - 1]) != NULL); t--)
		;
	if (t == ms - 1 || !isalpha((unsigned char)v[t]))
		return 0;
	return isupper((unsigned char)v[t]) || tool(v + t, ms - 1 - t);
}

/* Run scan sc over the view from off on; every match is a hit of the
 * scan's rule.  Returns 0, or -1 on a PCRE2 limit. */
static int
scan(struct ld_redact *rd, const struct rd_scan *sc, const char *v, size_t vn,
    const size_t *m, size_t off)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
	int anchored = sc->d != NULL &&
	    (sc->d->cand == CAND_EMAIL || sc->d->cand == CAND_IP);

	while (off <= vn) {
		size_t at = off, ms, me;
		int rc;

		if (anchored && (at = rd_scan_next(sc, v, vn, off)) > vn)
			return 0;
		/* (anchored scans are compiled anchored) */
		rc = pcre2_match(sc->re, (PCRE2_SPTR)v, vn, at, 0, rd->md, rd->mc);
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (!anchored)
				return 0;
			off = at + 1;
			continue;
		}
		if (rc < 0)
			return -1;
		ms = ov[0];
		me = ov[1];
		if (me < ms)	/* \K in a lookahead: nothing sensible */
			me = ms;
		if (me == ms) {
			off = (anchored ? at : me) + 1;
			continue;
		}
		if (sc->check == C_IP) {
			ld_buf_reset(&rd->tmp);
			if (rd_ip_norm(v + ms, me - ms, &rd->tmp) < 0 ||
			    version(v, vn, ms, me)) {
				off = (anchored ? at : ms) + 1;
				continue;
			}
		}
		hit(rd, v, ms, me, ms, m, sc->rule, NULL);
		/* A key whose end is not in this value goes on in the next
		 * ones of the record (redact_json.c masks them). */
		if (me == vn && sc->rule == rd->p->pem_rule &&
		    !rd_key_end(v + ms, me - ms))
			rd->pem_open = 1;
		off = me;
	}
	return 0;
}

/* A byte of a token's body, on either side of a line break that splits
 * it. */
static int
tok_byte(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* The line break at view byte i: CR, LF and TAB, and their escapes
 * written as text ("\\r\\n", "\\t", as Ruby's inspect writes them),
 * after a quoted-printable "=" or not; its length, or 0.  A tab is taken out too: a token split by one
 * ("glpat-abc\tdef", a column of a pasted table) is found whole, and
 * tab-separated words that a token pattern runs across are masked with
 * it, the side a redaction errs on. */
static size_t
line_break(const char *v, size_t vn, size_t i)
{
	size_t k = i;

	/* a soft line break of quoted-printable ("glpat-abc=\r\ndef", a
	 * mail's body): the "=" goes with the break */
	if (k + 1 < vn && v[k] == '=' && (v[k + 1] == '\r' ||
	    v[k + 1] == '\n' || (v[k + 1] == '\\' && k + 2 < vn &&
	    (v[k + 2] == 'r' || v[k + 2] == 'n'))))
		k++;
	while (k < vn && k - i < 9) {
		if (v[k] == '\r' || v[k] == '\n' || v[k] == '\t')
			k++;
		else if (v[k] == '\\' && k + 1 < vn &&
		    (v[k + 1] == 'r' || v[k + 1] == 'n' || v[k + 1] == 't'))
			k += 2;
		else
			break;
	}
	return k - i;
}

/* Detectors of tokens: a line break inside one ("glpat-abc%0d%0adef")
 * does not end it. */
static int
joinable(const struct rd_detector *d)
{
	static const char *names[] = { "gitlab-token", "aws-key",
	    "github-token", "slack-token", "jwt", "cloud-key",
	    "base64-secret", "hex-secret", NULL };

	if (d == NULL)
		return 0;
	for (int i = 0; names[i]; i++)
		if (strcmp(d->name, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * Widen the hits that overlap string bytes [a, b) to one hit over all of
 * them and [a, b), of rule: what was replaced in part is replaced whole.
 * Nothing is done when one hit holds [a, b) already (a private key's
 * block holds the body found in it).  The replacement of the first hit
 * is kept when it is of the same rule (the part of a token found before
 * the break): the value is counted once.  v + va, vn bytes, is the text
 * of [a, b) for a new replacement.
 */
static void
widen(struct ld_redact *rd, size_t a, size_t b, int rule, const char *v,
    size_t n)
{
	size_t i = first_after(rd->hits, rd->nhits, a), j, k;
	struct rd_hit nh;

	for (j = i; j < rd->nhits && rd->hits[j].a < b; j++)
		;
	if (j == i + 1 && rd->hits[i].a <= a && b <= rd->hits[i].b)
		return;
	nh.a = rd->hits[i].a < a ? rd->hits[i].a : a;
	nh.b = rd->hits[j - 1].b > b ? rd->hits[j - 1].b : b;
	nh.rule = rule;
	if (rd->hits[i].rule == rule && rd->hits[i].roff != KEEP_ORIGINAL) {
		nh.roff = rd->hits[i].roff;
		nh.rlen = rd->hits[i].rlen;
	} else {
		nh.roff = rd->hitbuf.len;
		if (rd_whole(rd, rule, v, n, &rd->hitbuf))
			return;	/* (kept: then so are the others) */
		nh.rlen = rd->hitbuf.len - nh.roff;
	}
	rd->hits[i] = nh;
	for (k = j; k < rd->nhits; k++)
		rd->hits[i + 1 + k - j] = rd->hits[k];
	rd->nhits -= j - i - 1;
}

/*
 * A token split by a line break, written as it is or encoded ("%0d%0a",
 * "\\r\\n"; the view has undone the percent): the token detectors run
 * again over the view with every break between two bytes of a token
 * taken out, and a match that spans such a break is a hit over the
 * whole, break included, widening what the other passes found of it
 * (the part before the break).  Only strings with a break between two
 * token bytes pay for it.  Returns 0, or -1 on a PCRE2 limit.
 */
static int
joined(struct ld_redact *rd, const char *v, size_t vn, const size_t *m)
{
	const struct ld_policy *p = rd->p;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
	const size_t *br;
	size_t i, k = 0, w, nb;

	if (memchr(v, '\n', vn) == NULL && memchr(v, '\r', vn) == NULL &&
	    memchr(v, '\\', vn) == NULL && memchr(v, '\t', vn) == NULL)
		return 0;
	ld_buf_reset(&rd->joined);
	ld_buf_grow(&rd->joined, vn);
	ld_buf_reset(&rd->jbreaks);
	if (rd->jmapcap < vn + 1) {
		rd->jmapcap = vn + 1;
		rd->jmap = ld_xrealloc(rd->jmap, rd->jmapcap * sizeof(*rd->jmap));
	}
	for (i = 0; i < vn;) {
		if (i > 0 && tok_byte((unsigned char)v[i - 1]) &&
		    (w = line_break(v, vn, i)) > 0 && i + w < vn &&
		    tok_byte((unsigned char)v[i + w])) {
			ld_buf_add(&rd->jbreaks, (const char *)&k, sizeof(k));
			i += w;
			continue;
		}
		rd->jmap[k] = m ? m[i] : i;
		rd->joined.p[k++] = v[i++];
	}
	if ((nb = rd->jbreaks.len / sizeof(size_t)) == 0)
		return 0;
	br = (const size_t *)(const void *)rd->jbreaks.p;
	rd->jmap[k] = m ? m[vn] : vn;
	rd->joined.len = k;
	rd->joined.p[k] = '\0';
	for (i = 0; i < p->nscans; i++) {
		const struct rd_scan *sc = &p->scans[i];
		size_t off = 0, ms, me, lo, hi;
		int rc = PCRE2_ERROR_NOMATCH;

		if (!joinable(sc->d))
			continue;
		while (off <= k && (rc = pcre2_match(sc->re,
		    (PCRE2_SPTR)rd->joined.p, k, off, 0, rd->md, rd->mc)) >= 0) {
			ms = ov[0];
			me = ov[1] > ms ? ov[1] : ms;
			if (me == ms) {
				off = me + 1;
				continue;
			}
			/* the first break after ms: is it before me? */
			for (lo = 0, hi = nb; lo < hi;) {
				size_t mid = lo + (hi - lo) / 2;

				if (br[mid] <= ms)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < nb && br[lo] < me) {
				size_t a = rd->jmap[ms], b = rd->jmap[me];

				if (!overlaps(rd->hits, rd->nhits, a, b))
					hit(rd, rd->joined.p, ms, me, ms,
					    rd->jmap, sc->rule, NULL);
				else
					widen(rd, a, b, sc->rule,
					    rd->joined.p + ms, me - ms);
				hits_flush(rd);
			}
			off = me;
		}
		if (rc != PCRE2_ERROR_NOMATCH)
			return -1;
		hits_flush(rd);
	}
	return 0;
}

/* Is a first path segment one of GitLab's own routes, not a namespace? */
static int
reserved(const char *s, size_t n)
{
	static const struct { const char *s; size_t n; } words[] = {
#define R(w) { w, sizeof(w) - 1 }
	    R("-"), R("api"), R("users"), R("admin"), R("help"), R("assets"),
	    R("oauth"), R("dashboard"), R("explore"), R("search"), R("uploads"),
	    R("import"), R("profile"), R("groups"), R("projects"), R("jwt"),
	    R("v2"), R("v4"), R("favicon.ico"), R("robots.txt"),
	    R("health_check"), R("readiness"), R("liveness"), R("metrics"),
	    R("-/health"), R("s"), R("public"), R(".well-known")
#undef R
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].n == n && (s[0] | 0x20) == words[i].s[0] &&
		    strncasecmp(s, words[i].s, n) == 0)
			return 1;
	return 0;
}

/* Where a path in text ends, and a reference to a tenant's path: the
 * bytes strchr() found in "?# \t\n\"'<>" and " \t\n\"'<>,;()[]{}" (NUL
 * among them), as tables, for they are tried on every byte. */
static const unsigned char stop_path[256] = {
	[0] = 1, ['?'] = 1, ['#'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1,
	['"'] = 1, ['\''] = 1, ['<'] = 1, ['>'] = 1,
};
static const unsigned char stop_ref[256] = {
	[0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['"'] = 1, ['\''] = 1,
	['<'] = 1, ['>'] = 1, [','] = 1, [';'] = 1, ['('] = 1, [')'] = 1,
	['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
};

static int
name_ok(const char *s, size_t n)
{
	size_t i, digits = 0;

	if (n == 0 || !(isalnum((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 0; i < n; i++) {
		if (!(isalnum((unsigned char)s[i]) || strchr("_.-", s[i])))
			return 0;
		digits += isdigit((unsigned char)s[i]) != 0;
	}
	return digits < n;	/* an id is not a name */
}

/*
 * Is the value of a path key a path?  Audit events write text under
 * target_details too ("token for eve@example.com"): a first word with no
 * slash, followed by more words, is not a namespace.  A bare name is one
 * ("globex"), and so is a path with text after it ("globex/web moved").
 */
static int
path_like(const char *v, size_t vn)
{
	size_t i;

	for (i = 0; i < vn && !(rd_cls[(unsigned char)v[i]] & T_SPACE); i++)
		if (v[i] == '/')
			return 1;
	return i == vn;
}

/* Is the view byte at q a "/" that was written as one (not %2F)? */
static int
plain_slash(const char *v, const size_t *m, size_t q)
{
	return v[q] == '/' && (m == NULL || m[q + 1] - m[q] == 1);
}

static void tenant_path(struct ld_redact *, const char *, size_t, size_t,
    const size_t *, int);

/*
 * The forward searches of tenant_path, remembered for the value: a
 * string that makes many calls over one stretch (a learned name written
 * a thousand times, a path of many "/./") would have each read the
 * stretch again to the same end.  sk says that no position of [a, b)
 * starts a match, and when found, that b does; a search from inside
 * [a, b] goes on from b, and one from before a reads up to a only.  What
 * is sought (kind) is w bytes at q, which must end by lim.  Returns its
 * position, or lim.
 */
enum { SK_END, SK_DOTS, SK_DASH };

/* The first q in [q, end) where kind starts, or end; reads up to
 * end + w - 1. */
static inline size_t
seek_run(const char *v, size_t q, size_t end, int kind)
{
	const char *c;

	if (kind == SK_END) {
		while (q < end && !stop_path[(unsigned char)v[q]])
			q++;
		return q;
	}
	/* (from slash to slash: memchr reads faster than a loop) */
	for (; q < end && (c = memchr(v + q, '/', end - q)) != NULL; q++) {
		q = (size_t)(c - v);
		if (kind == SK_DOTS ? v[q + 1] == '/' || v[q + 1] == '.' :
		    v[q + 1] == '-' && v[q + 2] == '/')
			return q;
	}
	return end;
}

static size_t
seek(struct rd_seek *sk, const char *v, size_t from, size_t lim, int kind)
{
	size_t q, w = kind == SK_END ? 1 : kind == SK_DOTS ? 2 : 3;

	if (from + w > lim)
		return lim;
	if (from < sk->a && sk->a <= sk->b && sk->a + w <= lim) {
		/* before what was read: up to it, then as from it */
		if ((q = seek_run(v, from, sk->a, kind)) < sk->a) {
			sk->b = q;
			sk->found = 1;
		}
		sk->a = from;
	}
	if (sk->a <= from && from <= sk->b) {
		if (sk->found || sk->b + w > lim)
			return sk->found && sk->b + w <= lim ? sk->b : lim;
		q = sk->b;
	} else
		sk->a = q = from;
	q = seek_run(v, q, lim - w + 1, kind);
	sk->b = q;
	sk->found = q + w <= lim;
	return sk->found ? q : lim;
}

/* seek for the byte c, by memchr. */
static size_t
seek_chr(struct rd_seek *sk, const char *v, size_t from, size_t lim, int c)
{
	const char *f;

	if (from >= lim)
		return lim;
	if (from < sk->a && sk->a <= sk->b && sk->a <= lim) {
		if ((f = memchr(v + from, c, sk->a - from)) != NULL) {
			sk->b = (size_t)(f - v);
			sk->found = 1;
		}
		sk->a = from;
	}
	if (sk->a <= from && from <= sk->b) {
		if (sk->found || sk->b >= lim)
			return sk->found && sk->b < lim ? sk->b : lim;
	} else
		sk->a = sk->b = from;
	f = memchr(v + sk->b, c, lim - sk->b);
	sk->b = f ? (size_t)(f - v) : lim;
	sk->found = f != NULL;
	return sk->b;
}

/*
 * What the tenant checks know of each byte of a value, made when the
 * value makes its second check (most make one, or none): where the
 * segment that holds the byte ends (the next "/"), where the run of dots
 * just before it starts, and which checks were made from it, by the end
 * of their path.  A check made a second time from one byte to one end
 * does nothing (its hits are there, and what it learned is learned:
 * tenant_segs learns only after a hit, which can be made once), so it
 * is not made again; and a value of many paths, or of one path written
 * many times, costs each of its bytes a few reads, not one per check.
 */
struct rd_tpos {
	size_t slash;	/* the first "/" at or after the byte, or the end */
	size_t end;	/* the first byte that ends a path (stop_path) at
			   or after it, or the end */
	size_t dots;	/* the first of the dots that end at the byte */
	size_t segs;	/* tenant_segs was called from it up to this end, + 1 */
	size_t loop;	/* tenant_path's search of "//", "/./" and "/../"
			   passed it for a path up to this end, + 1 */
};

/* Count a tenant check of view v (rd->tp_vn bytes); on the second of the
 * value, fill in rd->tp_pos.  Returns rd->tp_pos from then on, or NULL. */
static struct rd_tpos *
tp_count(struct ld_redact *rd, const char *v)
{
	size_t n = rd->tp_vn, i;
	struct rd_tpos *t;

	if (++rd->tp_calls < 2)
		return NULL;
	if (rd->tp_calls > 2)
		return rd->tp_pos;
	if (rd->tp_poscap < n + 1) {
		rd->tp_poscap = n + 1;
		rd->tp_pos = ld_xrealloc(rd->tp_pos,
		    rd->tp_poscap * sizeof(*rd->tp_pos));
	}
	t = rd->tp_pos;
	for (i = 0; i <= n; i++) {
		t[i].dots = i > 0 && v[i - 1] == '.' ? t[i - 1].dots : i;
		t[i].segs = t[i].loop = 0;
	}
	t[n].slash = t[n].end = n;
	for (i = n; i-- > 0;) {
		t[i].slash = v[i] == '/' ? i : t[i + 1].slash;
		t[i].end = stop_path[(unsigned char)v[i]] ? i : t[i + 1].end;
	}
	return t;
}

/* The first "/" of view bytes [s, pe), or pe. */
static inline size_t
seg_end(const struct ld_redact *rd, const char *v, size_t s, size_t pe)
{
	size_t e;

	if (rd->tp_calls >= 2)
		return rd->tp_pos[s].slash < pe ? rd->tp_pos[s].slash : pe;
	for (e = s; e < pe && v[e] != '/'; e++)
		;
	return e;
}

/* Forget the searches of the last value (rd_text, before a new one). */
static void
seek_reset(struct ld_redact *rd)
{
	struct rd_seek *sk[] = { &rd->tp_end, &rd->tp_dots, &rd->tp_dash,
	    &rd->tp_slash, &rd->tp_colon };

	for (size_t i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
		sk[i]->a = 1;
		sk[i]->b = 0;
		sk[i]->found = 0;
	}
	rd->tp_query.e = 0;	/* (no query ends at 0) */
}

/*
 * The query of a path or URL, view bytes [q, e) after its "?": every
 * value that holds a path (from=ns/proj, redirect_to=/ns/proj, a whole
 * URL) is a path of its own.  GitLab's routes take a namespace in a query
 * value in many places; which names they use does not matter.
 */
static void
tenant_query(struct ld_redact *rd, const char *v, size_t q, size_t e,
    const size_t *m, int depth)
{
	while (q < e && v[q] != '#') {
		size_t ke = q, ve;

		while (ke < e && v[ke] != '=' && v[ke] != '&' && v[ke] != ';' &&
		    v[ke] != '#')
			ke++;
		if (ke >= e || v[ke] != '=') {
			q = ke + 1;
			continue;
		}
		/* (a "&" written %26 is part of the value, not its end) */
		for (ve = ke + 1; ve < e && v[ve] != '#' &&
		    !((v[ve] == '&' || v[ve] == ';') &&
		    (m == NULL || m[ve + 1] - m[ve] == 1)); ve++)
			;
		if (memchr(v + ke + 1, '/', ve - ke - 1) != NULL)
			tenant_path(rd, v, ke + 1, ve, m, depth + 1);
		q = ve + 1;
	}
}

/*
 * The namespace and project of a path in view bytes [p, pe), which starts
 * at its first segment: when the namespace is another tenant's, both are
 * references.
 */
static void
tenant_segs(struct ld_redact *rd, const char *v, size_t p, size_t pe,
    const size_t *m)
{
	int learn = rd->learn_refs;
	size_t s1 = p, e1, ne, q;
	const char *c;

	if (rd->tp_calls >= 2) {	/* (made before: nothing to do) */
		if (rd->tp_pos[p].segs == pe + 1)
			return;
		rd->tp_pos[p].segs = pe + 1;
	}
	e1 = seg_end(rd, v, s1, pe);
	if (e1 - s1 == 3 && strncasecmp(v + s1, "api", 3) == 0) {
		/* /api/v4/projects/<ns%2Fproj> and /api/v4/groups/<ns> */
		size_t x = e1 + 1;

		if (x >= pe || (c = memchr(v + x, '/', pe - x)) == NULL)
			return;
		x = (size_t)(c - v) + 1;
		if (pe - x > 9 && strncasecmp(v + x, "projects/", 9) == 0)
			s1 = x + 9;
		else if (pe - x > 7 && strncasecmp(v + x, "groups/", 7) == 0)
			s1 = x + 7;
		else if (pe - x > 11 && strncasecmp(v + x, "namespaces/", 11) == 0)
			s1 = x + 11;
		else
			return;
		/* The id is one segment of the URL: it ends at the first slash
		 * that was not written %2F. */
		for (q = s1; q < pe && !plain_slash(v, m, q); q++)
			;
		pe = q;
		e1 = seg_end(rd, v, s1, pe);
	} else if ((e1 - s1 == 6 && strncasecmp(v + s1, "groups", 6) == 0) ||
	    (e1 - s1 == 8 && strncasecmp(v + s1, "projects", 8) == 0) ||
	    (e1 - s1 == 2 && strncasecmp(v + s1, "v2", 2) == 0)) {
		/* /groups/<ns>/-/edit, /projects/<ns>/<proj>, and the
		 * container registry's /v2/<ns>/<proj>/manifests/… */
		if (e1 + 1 >= pe)
			return;
		s1 = e1 + 1;
		e1 = seg_end(rd, v, s1, pe);
	} else if (e1 - s1 == 1 && v[s1] == '-' && pe - e1 > 13 &&
	    strncasecmp(v + e1, "/ide/project/", 13) == 0) {
		/* the Web IDE's /-/ide/project/<ns>/<proj>/edit/… */
		s1 = e1 + 13;
		e1 = seg_end(rd, v, s1, pe);
	} else if (reserved(v + s1, e1 - s1))
		return;
	/* (a name ends in no dot: "globex./web" is globex's) */
	if (rd->tp_calls >= 2 && e1 > s1 + 1)
		ne = rd->tp_pos[e1].dots > s1 + 1 ? rd->tp_pos[e1].dots : s1 + 1;
	else
		for (ne = e1; ne > s1 + 1 && v[ne - 1] == '.'; ne--)
			;
	if (!name_ok(v + s1, ne - s1) || rd_is_tenant(rd, v + s1, ne - s1) ||
	    is_own(rd, v + s1, ne - s1))
		return;
	if (hit(rd, v, s1, ne, s1, m, -1, "tenant") == NULL)
		return;
	/* Names of paths and URLs are learned, to be found again in text; a
	 * word of free text is only replaced where it is (learning "linux"
	 * of "linux/amd64" would replace that word in every record after). */
	if (learn)
		rd_learn_add(rd, &rd->others, v + s1, ne - s1);
	/* The project path: every segment up to "/-/" or the end. */
	if ((q = seek(&rd->tp_dash, v, e1, pe, SK_DASH)) == pe &&
	    pe >= e1 + 2 && v[pe - 2] == '/' && v[pe - 1] == '-')
		q = pe - 2;	/* (or "/-" at the end) */
	/* The pseudonym of a project is of its whole path, without ".git". */
	if (q - e1 > 5 && strncasecmp(v + q - 4, ".git", 4) == 0)
		q -= 4;
	if (q > e1 + 1)
		hit(rd, v, e1 + 1, q, s1, m, -1, "project");
}

/*
 * A path or URL in view bytes [a, e): if its namespace is another
 * tenant's, the namespace and the project path after it are references;
 * so are those after a ".." segment (which climbs out of the first) and
 * those in query values.
 */
static void
tenant_path(struct ld_redact *rd, const char *v, size_t a, size_t e,
    const size_t *m, int depth)
{
	size_t p = a, pe, q, s;
	size_t c;
	struct rd_tpos *tp;

	if (depth > 4 || rd->tp_over)
		return;
	/* Every call reads from a towards e: a string that makes many calls
	 * over a long stretch (a name learned, then written a thousand
	 * times) would cost its length squared.  The bytes read are
	 * counted; past the budget rd_text replaces the value whole. */
	if (rd->tp_budget < e - a) {
		rd->tp_over = 1;
		return;
	}
	rd->tp_budget -= e - a;
	tp = tp_count(rd, v);
	/* "scheme://" before the first slash, or "host:" before it: found
	 * from the first slash, not by reading the whole of [a, e) */
	s = seek_chr(&rd->tp_slash, v, a, e, '/');
	if (s < e && s > a && v[s - 1] == ':' && s + 1 < e && v[s + 1] == '/') {
		p = s + 2;
		while (p < e && v[p] != '/' && v[p] != '?' && v[p] != '#')
			p++;
	} else if (s < e && (c = seek_chr(&rd->tp_colon, v, a, s, ':')) < s) {
		/* "host:ns/proj", "host:2222/ns/proj", a registry's
		 * "repository:ns/proj:pull": the path after the colon */
		p = c + 1;
		while (p < e && (rd_cls[(unsigned char)v[p]] & T_DIGIT))
			p++;
	}
	while (p < e && v[p] == '/')
		p++;
	if (tp != NULL)
		pe = tp[p].end < e ? tp[p].end : e;
	else
		pe = seek(&rd->tp_end, v, p, e, SK_END);
	tenant_segs(rd, v, p, pe, m);
	/* "ns/../other/proj", "./x" and "//x": what follows is a path too
	 * (the slashes followed by neither are passed by seek) */
	for (q = p; (q = seek(&rd->tp_dots, v, q, pe, SK_DOTS)) + 1 < pe;
	    q++) {
		size_t r;

		if (q > p && tp != NULL) {
			/* From here on, the search goes as one did before
			 * (with this end): every check it made is made. */
			if (tp[q].loop == pe + 1)
				break;
			tp[q].loop = pe + 1;
		}
		if (q > p && v[q - 1] == '/')
			continue;
		r = q + 1;
		if (r < pe && v[r] == '/') {
			while (r < pe && v[r] == '/')
				r++;
		} else if (pe - r >= 2 && v[r] == '.' && v[r + 1] == '.' &&
		    (r + 2 == pe || v[r + 2] == '/'))
			r += 2;
		else if (v[r] == '.' && (r + 1 == pe || v[r + 1] == '/'))
			r += 1;
		else
			continue;
		while (r < pe && (v[r] == '/' || (v[r] == '.' && (r + 1 == pe ||
		    v[r + 1] == '/' || v[r + 1] == '.'))))
			r++;
		if (r >= pe)
			break;
		tenant_segs(rd, v, r, pe, m);
		/* a '/' inside the run just skipped would end it at r too */
		q = r - 1;
	}
	if (pe < e && v[pe] == '?') {
		struct rd_tquery *tq = &rd->tp_query;
		size_t left = rd->tp_budget;

		/* The query read last, again (many paths of a value end in
		 * one query): its checks are made; what they cost the
		 * budget is charged as they would charge it. */
		if (tq->pe == pe && tq->e == e && tq->depth == depth) {
			if (rd->tp_budget < tq->cost)
				rd->tp_over = 1;
			else
				rd->tp_budget -= tq->cost;
			return;
		}
		tenant_query(rd, v, pe + 1, e, m, depth);
		if (!rd->tp_over) {
			tq->pe = pe;
			tq->e = e;
			tq->depth = depth;
			tq->cost = left - rd->tp_budget;
		}
	}
}

/* Bytes of a path in free text. */
static int
path_byte(int c)
{
	return (rd_cls[c] & (T_UPPER | T_LOWER | T_DIGIT | T_DOT | T_DASH |
	    T_UNDER | T_SLASH)) || c == '%' || c == '~' || c == '+';
}

/*
 * Words of free text that name a thing of their own before a slash: media
 * types, user agents' products, source trees.  "acme/web" is a project;
 * "text/html", "Mozilla/5.0" and "app/models/user.rb" are not.
 */
static int
not_ns(const char *s, size_t n)
{
	static const char *words[] = { "application", "text", "image", "audio",
	    "video", "multipart", "font", "model", "message", "app", "lib", "ee",
	    "config", "vendor", "spec", "bin", "usr", "var", "etc", "opt", "tmp",
	    "home", "gems", "ruby", "src", "cmd", "pkg", "internal", "node_modules",
	    "refs", "heads", "tags", "origin", "and", "or", "linux", "windows",
	    "darwin", "macos", "android", "ios", "freebsd", "x86_64", "amd64",
	    "arm64", "aarch64", "i386", "mobile", NULL };

	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return 1;
	return 0;
}

/*
 * Namespace-shaped words in free text: "/ns/proj…" and "ns/proj…" (not a
 * URL, whose pass is its own, and not a product and its version such as
 * "Chrome/126.0").  What names another tenant is replaced, as in a path.
 */
static void
tenant_words(struct ld_redact *rd, const char *v, size_t vn, const size_t *m)
{
	const char *sl;
	size_t off = 0;

	while (off < vn && (sl = memchr(v + off, '/', vn - off)) != NULL) {
		size_t q = (size_t)(sl - v), a = q, e = q, f;

		while (a > 0 && path_byte((unsigned char)v[a - 1]))
			a--;
		while (e < vn && (path_byte((unsigned char)v[e]) ||
		    (v[e] == '?' && e + 1 < vn && v[e + 1] != ' ')))
			e++;
		while (e < vn && !stop_ref[(unsigned char)v[e]] && v[e] != ' ')
			e++;
		off = e + 1;
		/* a URL's path, or a scp remote's: their own passes */
		if (a > 0 && v[a - 1] == ':')
			continue;
		if (a > 0 && (v[a - 1] == '@' || v[a - 1] == '<'))
			continue;	/* (and a closing tag's name) */
		if (v[a] == '/') {
			if (e - a > 1 && v[a + 1] == '/')
				continue;
			tenant_path(rd, v, a, e, m, 0);
			continue;
		}
		/* a second segment that starts with a digit is a version
		 * ("Mobile/15E148", "git/2.43.0.windows.1") */
		f = q + 1;
		if (f < e && (v[f] == 'v' || v[f] == 'V'))
			f++;
		if (q - a < 2 || not_ns(v + a, q - a) || f >= e ||
		    (rd_cls[(unsigned char)v[f]] & T_DIGIT))
			continue;
		tenant_path(rd, v, a, e, m, 0);
	}
}

/*
 * scp-style remotes, "user@host:ns/proj.git": the path after the colon.
 */
static void
tenant_scp(struct ld_redact *rd, const char *v, size_t vn, const size_t *m)
{
	const char *at;
	size_t off = 0;

	while (off < vn && (at = memchr(v + off, '@', vn - off)) != NULL) {
		size_t h = (size_t)(at - v) + 1, e;

		off = h;
		while (h < vn && (rd_cls[(unsigned char)v[h]] & (T_UPPER | T_LOWER |
		    T_DIGIT | T_DOT | T_DASH)))
			h++;
		if (h + 1 >= vn || v[h] != ':' || v[h + 1] == '/' ||
		    h == (size_t)(at - v) + 1)
			continue;
		for (e = h + 1; e < vn && path_byte((unsigned char)v[e]); e++)
			;
		if (memchr(v + h + 1, '/', e - h - 1) != NULL)
			tenant_path(rd, v, h + 1, e, m, 0);
		off = e;
	}
}

/*
 * name=value, name: value and "name"=>"value" in free text whose name is
 * one of the policy's path keys ("namespace_path=globex", "group: globex",
 * "project=globex/web"): the value is a path, as in a member of that name.
 * A name with no letter at its end ("02:13"), and "::" of a class name,
 * are not names.
 */
static void
tenant_params(struct ld_redact *rd, const char *v, size_t vn, const size_t *m)
{
	for (size_t q = 0; q < vn; q++) {
		size_t ne, na, a, e;
		int quote = 0;

		if (v[q] != '=' && v[q] != ':')
			continue;
		if ((q + 1 < vn && v[q + 1] == ':') || (q > 0 && v[q - 1] == ':'))
			continue;
		ne = q;
		while (ne > 0 && (rd_cls[(unsigned char)v[ne - 1]] & T_SPACE))
			ne--;
		while (ne > 0 && (v[ne - 1] == '"' || v[ne - 1] == '\'' ||
		    v[ne - 1] == '\\' || v[ne - 1] == ']'))
			ne--;
		for (na = ne; na > 0 && ne - na < 64 &&
		    (rd_cls[(unsigned char)v[na - 1]] & (T_UPPER | T_LOWER |
		    T_DIGIT | T_UNDER | T_DASH | T_DOT)); na--)
			;
		if (ne - na < 2 ||
		    !(rd_cls[(unsigned char)v[ne - 1]] & (T_UPPER | T_LOWER)) ||
		    pcre2_match(rd->p->path_re, (PCRE2_SPTR)v + na, ne - na, 0, 0,
		    rd->md, rd->mc) < 0)
			continue;
		a = q + 1 + (q + 1 < vn && v[q] == '=' && v[q + 1] == '>');
		while (a < vn && ((rd_cls[(unsigned char)v[a]] & T_SPACE) ||
		    v[a] == '\\'))
			a++;
		if (a < vn && (v[a] == '"' || v[a] == '\'')) {
			quote = v[a];
			a++;
		}
		for (e = a; e < vn && (quote ? v[e] != quote && v[e] != '\\' :
		    !stop_ref[(unsigned char)v[e]] && v[e] != '&'); e++)
			;
		if (e > a && path_like(v + a, e - a))
			tenant_path(rd, v, a, e, m, 0);
		q = e > q ? e - 1 : q;
	}
}

/* Forget the strings found clean and the dirty ones with their
 * replacements: what is learned has changed, or the redactor is reset. */
void
rd_text_forget(struct ld_redact *rd)
{
	rd_map_clear(rd->clean[0]);
	rd_map_clear(rd->clean[1]);
	if (rd->dirty[0] != NULL) {
		rd_map_clear(rd->dirty[0]);
		rd_map_clear(rd->dirty[1]);
	}
	ld_buf_reset(&rd->dirtybuf);
}

/* Is s (n bytes, at most RD_CLEAN_MAX) known clean as a path (is_path)
 * or as text?  Leaves its hash in *h, for clean_put. */
static int
clean_get(struct ld_redact *rd, const char *s, size_t n, int is_path,
    uint64_t *h)
{
	if (rd->cleangen != rd->learngen) {
		rd_text_forget(rd);
		rd->cleangen = rd->learngen;
	}
	*h = rd_map_hash(s, n);
	return rd_map_get_h(rd->clean[is_path], s, n, *h) >= 0;
}

/*
 * Remember that the string of clean_get was found clean, the second time
 * it is: logs repeat their methods, actions and user agents, but not
 * their paths and ids, and a cache filled with those would be emptied
 * every few thousand lines and no longer fit the CPU's cache.  A string
 * seen once leaves its hash in a small table; the cache takes the ones
 * whose hash is found there.  (A hash that collides only lets a clean
 * string in early: what enters is always clean.)
 */
static void
clean_put(struct ld_redact *rd, const char *s, size_t n, int is_path,
    uint64_t h)
{
	uint64_t *seen = &rd->seen[(h >> 40) % RD_SEEN];

	if (*seen == (h ^ (uint64_t)is_path))
		rd_map_put_h(rd->clean[is_path], s, n, h, 1);
	else
		*seen = h ^ (uint64_t)is_path;
}

/*
 * Strings with replacements repeat too (an address, a user's email in an
 * audit event's details): the second time such a string is scanned with
 * nothing learned since, its redacted text is kept with the rules it
 * counted, and later ones copy the text and count the same (and drop
 * the record for a rule that drops), as a scan would.  Kept only when
 * the scan depended on nothing but the string and what is learned: not
 * when it learned something (a later scan could find it), read the
 * record's actor, opened a private key, or lost a value to a full set.
 * Emptied with the clean cache whenever a value is learned.
 */
#define DIRTY_BYTES ((size_t)1 << 20)

static int
dirty_get(struct ld_redact *rd, const char *s, size_t n, int is_path,
    uint64_t h, struct ld_buf *out)
{
	const unsigned char *e;
	int off, nr;
	uint32_t len;

	if (rd->dirty[0] == NULL ||
	    (off = rd_map_get_h(rd->dirty[is_path], s, n, h)) < 0)
		return 0;
	e = (const unsigned char *)rd->dirtybuf.p + off;
	nr = e[0];
	for (int k = 0; k < nr; k++) {
		int16_t r;

		memcpy(&r, e + 1 + 2 * k, 2);
		rd_count_hit(rd, r);
		if (r >= 0 && rd->p->rules[r].action == A_DROP)
			rd->drop_rule = 1;	/* (as rd_whole does) */
	}
	memcpy(&len, e + 1 + 2 * nr, 4);
	ld_buf_add(out, e + 5 + 2 * nr, len);
	return 1;
}

static void
dirty_put(struct ld_redact *rd, const char *s, size_t n, int is_path,
    uint64_t h, const char *t, size_t tn)
{
	/* (the table of the clean strings seen once: the two marks differ
	 * by their second bit) */
	uint64_t *seen = &rd->seen[(h >> 40) % RD_SEEN];
	uint32_t len = (uint32_t)tn;
	unsigned char nr = (unsigned char)rd->nrl;

	if (*seen != (h ^ (uint64_t)is_path ^ 2)) {
		*seen = h ^ (uint64_t)is_path ^ 2;
		return;
	}
	if (rd->dirty[0] == NULL) {	/* (made when first needed) */
		rd->dirty[0] = rd_map_new(RD_MAP_CACHE);
		rd->dirty[1] = rd_map_new(RD_MAP_CACHE);
	}
	if (rd->dirtybuf.len + tn + 64 > DIRTY_BYTES) {
		rd_map_clear(rd->dirty[0]);
		rd_map_clear(rd->dirty[1]);
		ld_buf_reset(&rd->dirtybuf);
	}
	rd_map_put_h(rd->dirty[is_path], s, n, h, (int)rd->dirtybuf.len);
	ld_buf_addc(&rd->dirtybuf, nr);
	for (int k = 0; k < rd->nrl; k++) {
		int16_t r = (int16_t)rd->rl[k];

		ld_buf_add(&rd->dirtybuf, &r, 2);
	}
	ld_buf_add(&rd->dirtybuf, &len, 4);
	ld_buf_add(&rd->dirtybuf, t, tn);
}

/* Does s look like a number, a time or an id: two digits or more in its
 * first eight bytes, or nothing else? */
static int
numeric(const char *s, size_t n)
{
	size_t d = 0, k = n < 8 ? n : 8;

	if (k == 8) {
		/* (the eight bytes at once: a byte of y + 0x50 has its high
		 * bit set from '0' up, of y + 0x46 from ':' up, and neither
		 * sum carries into the next byte) */
		const uint64_t lo = 0x7f7f7f7f7f7f7f7fULL, hi = ~lo;
		uint64_t x, y;

		memcpy(&x, s, 8);
		y = x & lo;
		d = (size_t)__builtin_popcountll((y + 0x5050505050505050ULL) &
		    ~(y + 0x4646464646464646ULL) & ~x & hi);
	} else
		for (size_t i = 0; i < k; i++)
			d += (unsigned)s[i] - '0' < 10;
	return d >= 2 || (d == k && k > 0);
}

/*
 * Find what to replace in the view v (vn bytes, map m): the planned scans
 * (run), then references to other tenants, then learned values; each a
 * pass of hits.  Returns 0, or -1 when a pattern hit a PCRE2 limit (or
 * the tenant checks their budget, rd_text).
 */
static int
find(struct ld_redact *rd, const char *v, size_t vn, const size_t *m,
    int is_path, int url, uint64_t run)
{
	const struct ld_policy *p = rd->p;
	size_t i;

	for (; run != 0; run &= run - 1) {
		i = (size_t)__builtin_ctzll(run);
		if (scan(rd, &p->scans[i], v, vn, m, rd->start[i]) < 0)
			return -1;
		hits_flush(rd);
	}
	for (i = 64; i < p->nscans; i++) {
		if (scan(rd, &p->scans[i], v, vn, m, 0) < 0)
			return -1;
		hits_flush(rd);
	}
	/*
	 * Tenants before learned names: a user's name that is also the
	 * namespace of a path ("/mallory/secret") must not hide the project
	 * after it from the check.
	 */
	if (p->tenant_refs != A_KEEP && rd->ntenants != 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
		size_t a, b, off = 0, rb, re;
		int rc;

		if (is_path && path_like(v, vn)) {
			rd->learn_refs = 1;
			tenant_path(rd, v, 0, vn, m, 0);
			rd->learn_refs = 0;
		}
		hits_flush(rd);
		while (url && !rd->in_src && off < vn &&
		    memmem(v + off, vn - off, "://", 3) != NULL) {
			rc = pcre2_match(rd->url_re, (PCRE2_SPTR)v, vn, off, 0, rd->md,
			    rd->mc);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0)
				return -1;
			a = ov[0];
			b = ov[1];
			rd->learn_refs = 1;	/* (URLs: GitLab's, most often) */
			tenant_path(rd, v, a, b, m, 0);
			rd->learn_refs = 0;
			off = b > a ? b : a + 1;
		}
		hits_flush(rd);
		if (!rd->in_src && memchr(v, '@', vn) != NULL) {
			rd->learn_refs = 1;	/* (a remote is GitLab's) */
			tenant_scp(rd, v, vn, m);
			rd->learn_refs = 0;
			hits_flush(rd);
		}
		if (!is_path && !rd->in_src && memchr(v, '/', vn) != NULL) {
			tenant_words(rd, v, vn, m);
			hits_flush(rd);
		}
		if (!is_path && !rd->in_src && p->path_re != NULL &&
		    (memchr(v, '=', vn) != NULL || memchr(v, ':', vn) != NULL)) {
			rd->learn_refs = 1;	/* (a path key's value) */
			tenant_params(rd, v, vn, m);
			rd->learn_refs = 0;
			hits_flush(rd);
		}
		/* Other tenants' names seen before, with the path after them. */
		off = 0;
		rb = re = 0;
		while (rd->others.n && (rc = rd_learn_find(rd, &rd->others, v, vn,
		    off, &a, &b)) != 0) {
			size_t e;

			if (rc < 0)
				return -1;
			/* a name inside what an earlier one replaced (the
			 * project path after it) adds nothing: passing it keeps
			 * a string of many such names linear */
			if (covered(rd, a, b, m)) {
				off = b;
				continue;
			}
			if (b > re || b < rb) {
				for (e = b; e < vn &&
				    !stop_ref[(unsigned char)v[e]]; e++)
					;
				rb = b;
				re = e;
			} else
				e = re;	/* (inside the run read from rb) */
			tenant_path(rd, v, a, e, m, 0);
			/* the name itself, whatever follows it
			 * ("globex\\core"): no-op when the path had it */
			hit(rd, v, a, b, a, m, -1, "tenant");
			off = b;
		}
		hits_flush(rd);
	}
	for (size_t r = 0; r < rd->nrecur; r++) {
		size_t a, b, off = 0;
		int rc;

		i = rd->recur[r];
		if (rd->learn[i].n == 0)
			continue;
		while ((rc = rd_learn_find(rd, &rd->learn[i], v, vn, off, &a,
		    &b)) > 0) {
			hit(rd, v, a, b, a, m, (int)i, NULL);
			off = b;
		}
		if (rc < 0)
			return -1;
		hits_flush(rd);
	}
	return 0;
}

/* Does hit h leave a marker ([REDACTED:name]) in the text? */
static int
marker(const struct ld_redact *rd, const struct rd_hit *h)
{
	if (h->roff == KEEP_ORIGINAL)
		return 0;
	if (h->rule < 0)
		return rd->p->tenant_refs != A_PSEUDONYM;
	return rd->p->rules[h->rule].action != A_PSEUDONYM &&
	    rd->p->rules[h->rule].action != A_KEEP;
}

/*
 * The userinfo of a URL ("scheme://user:password@host") is one
 * credential: when a marker lands in it, the whole userinfo is replaced
 * by one marker written as a userinfo of its own, "REDACTED(name)", with
 * no colon.  "[REDACTED:name]@host" would still read as user:password@
 * ("[REDACTED" and "name]"), and so would a user kept before a masked
 * password ("oauth2:[REDACTED:name]@"): secret scanners, and anyone, take
 * them for credentials.  The name says which rule fired.  Works on the
 * view v (vn bytes, map m); the hits are rewritten in place.
 */
static void
userinfo(struct ld_redact *rd, const char *v, size_t vn, const size_t *m)
{
	static const unsigned char stop[256] = { ['/'] = 1, ['?'] = 1,
	    ['#'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
	    ['"'] = 1, ['\''] = 1, ['<'] = 1, ['>'] = 1, [0] = 1 };
	const char *c;
	size_t off = 0;

	while (off < vn && (c = memmem(v + off, vn - off, "://", 3)) != NULL) {
		size_t u = (size_t)(c - v) + 3, e, at = 0, a, b, i, j, k;
		const struct rd_hit *mk = NULL;
		struct rd_hit nh;

		off = u;
		if (c == v || !isalpha((unsigned char)c[-1]))
			continue;	/* (a scheme ends in a letter) */
		for (e = u; e < vn && !stop[(unsigned char)v[e]]; e++)
			if (v[e] == '@')
				at = e;
		if (at <= u && e < vn && (v[e] == ' ' || v[e] == '\t' ||
		    v[e] == '/' || v[e] == '?' || v[e] == '#')) {
			/* a password with blanks, slashes, ? or # in it
			 * ("deploy:walrus tusk@", "app:s3/cr#t@"): only where
			 * one hit with a marker runs from u to the "@"
			 * (url-userinfo's), not across words of text */
			size_t a0 = m ? m[u] : u;

			i = first_after(rd->hits, rd->nhits, a0);
			if (i < rd->nhits && rd->hits[i].a == a0 &&
			    marker(rd, &rd->hits[i])) {
				for (e = u; e < vn && v[e] != '@' &&
				    v[e] != '\n' && v[e] != '\r'; e++)
					;
				if (e < vn && v[e] == '@' &&
				    (m ? m[e] : e) == rd->hits[i].b)
					at = e;
			}
		}
		if (at <= u)
			continue;
		a = m ? m[u] : u;
		b = m ? m[at] : at;
		/* the hits that overlap [a, b), and a marker among them */
		for (i = 0; i < rd->nhits && rd->hits[i].b <= a; i++)
			;
		for (j = i; j < rd->nhits && rd->hits[j].a < b; j++)
			if (mk == NULL && marker(rd, &rd->hits[j]))
				mk = &rd->hits[j];
		if (mk == NULL)
			continue;
		nh.a = rd->hits[i].a < a ? rd->hits[i].a : a;
		nh.b = rd->hits[j - 1].b > b ? rd->hits[j - 1].b : b;
		nh.rule = mk->rule;
		nh.roff = rd->hitbuf.len;
		ld_buf_adds(&rd->hitbuf, "REDACTED(");
		ld_buf_adds(&rd->hitbuf, mk->rule >= 0 ?
		    rd->p->rules[mk->rule].name : "tenant");
		ld_buf_addc(&rd->hitbuf, ')');
		nh.rlen = rd->hitbuf.len - nh.roff;
		/* hits i … j-1 become nh */
		rd->hits[i] = nh;
		for (k = j; k < rd->nhits; k++)
			rd->hits[i + 1 + k - j] = rd->hits[k];
		rd->nhits -= j - i - 1;
		off = e;
	}
}

int
rd_text(struct ld_redact *rd, const char *s, size_t n, int is_path,
    struct ld_buf *out)
{
	const struct ld_policy *p = rd->p;
	const size_t *m = NULL;
	const char *v;
	size_t vn = n, i, pos;
	uint64_t run, gen, lost;
	uint64_t h = 0;
	unsigned classes;
	int url = p->tenant_refs != A_KEEP && rd->ntenants != 0, cached;
	int deep = 0;
	int rc;
	size_t o;

	/*
	 * Logs repeat their short values (methods, controllers, user
	 * agents): what was found clean is remembered until a value is
	 * learned, as no rule has anything to do with the string before.
	 * Numbers, times and ids seldom repeat: they are looked up only
	 * when the plan says a pattern is to run on them, or a path check,
	 * which cost more than the lookup.  The others would only fill the
	 * cache.
	 */
	cached = n <= RD_CLEAN_MAX && !numeric(s, n);
	if (cached && clean_get(rd, s, n, is_path, &h))
		return 0;
	classes = rd_classes(s, n);
	if ((classes & T_ESC) && (v = view(rd, s, n, &vn, &deep)) != NULL) {
		m = rd->map;
		classes = rd_classes(v, vn);
	} else
		v = s;
	/* Each pattern runs only where what it looks for is. */
	run = rd_plan(p, v, vn, classes, rd->start, &url);
	if (!cached && n <= RD_CLEAN_MAX &&
	    (run || p->nscans > 64 || url || is_path)) {
		cached = 1;
		if (clean_get(rd, s, n, is_path, &h))
			return 0;
	}
	if (cached && !rd->in_src && dirty_get(rd, s, n, is_path, h, out))
		return 1;
	rd->nhits = 0;
	rd->npend = 0;
	ld_buf_reset(&rd->hitbuf);
	gen = rd->learngen;
	lost = rd->learn_lost;
	rd->actor_read = 0;
	rd->recording = 1;
	rd->nrl = 0;
	rd->rl_over = 0;
	rd->tp_budget = 64 * (vn + 16384);
	rd->tp_vn = vn;
	rd->tp_calls = 0;
	rd->tp_over = 0;
	seek_reset(rd);
	rc = deep ? -1 : find(rd, v, vn, m, is_path, url, run);
	if (rc == 0 && ((classes & T_NL) ||
	    ((classes & T_ESC) && memchr(v, '\\', vn) != NULL)))
		rc = joined(rd, v, vn, m);
	if (rc == 0 && rd->tp_over)
		rc = -1;
	rd->recording = 0;
	if (rc < 0) {
		/* A value a pattern could not finish with is replaced whole:
		 * the record is kept, and nothing of the value passes. */
		rd->npend = 0;
		ld_buf_adds(out, "[REDACTED:unanalysable]");
		rd_count_hit(rd, RD_UNANALYSABLE);
		return 1;
	}
	if (rd->nhits == 0) {
		if (cached)
			clean_put(rd, s, n, is_path, h);
		return 0;
	}
	if (memchr(v, '@', vn) != NULL)
		userinfo(rd, v, vn, m);
	o = out->len;
	for (pos = 0, i = 0; i < rd->nhits; i++) {
		const struct rd_hit *ht = &rd->hits[i];

		ld_buf_add(out, s + pos, ht->a - pos);
		if (ht->roff == KEEP_ORIGINAL)
			ld_buf_add(out, s + ht->a, ht->b - ht->a);
		else
			ld_buf_add(out, rd->hitbuf.p + ht->roff, ht->rlen);
		pos = ht->b;
	}
	ld_buf_add(out, s + pos, n - pos);
	if (cached && !rd->in_src && gen == rd->learngen &&
	    lost == rd->learn_lost && !rd->pem_open &&
	    !rd->actor_read && !rd->rl_over)
		dirty_put(rd, s, n, is_path, h, out->p + o, out->len - o);
	return 1;
}
