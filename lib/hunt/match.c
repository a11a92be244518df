/*
 * match.c — Sigma detections against one record.
 *
 * Values are compiled once: a plain value, with contains, startswith or
 * endswith, becomes a glob ('*' any run, '?' one character, '\\' quoting
 * the next) matched without regard to ASCII case unless the item is
 * |cased, as Sigma asks; re is PCRE2 (case-sensitive unless |i), cidr an
 * address block, gt/gte/lt/lte a number.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/jsonx.h"
#include "hunt/huntint.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Glob pattern p (NUL-terminated) against s (n bytes). */
static int
glob_match(const char *p, const char *s, size_t n, int cased)
{
	const char *star = NULL, *resume = NULL;
	size_t i = 0, si = 0;

	for (;;) {
		if (*p == '*') {
			star = ++p;
			si = i;
			resume = p;
			continue;
		}
		if (i == n && *p == '\0')
			return 1;
		if (i < n && *p != '\0') {
			const char *q = p;
			int lit = *q, any = 0;

			if (lit == '\\' && (q[1] == '*' || q[1] == '?' ||
			    q[1] == '\\'))
				lit = *++q;
			else if (lit == '?')
				any = 1;
			if (any || (cased ? lit == s[i] :
			    lower((unsigned char)lit) == lower((unsigned char)s[i]))) {
				p = q + 1;
				i++;
				continue;
			}
		}
		if (star == NULL || si >= n)
			return 0;
		p = resume;
		i = ++si;
	}
}

/* Append v to b with Sigma's escapes made plain for glob_match: "\\*",
 * "\\?" and "\\\\" stay; a lone backslash before anything else is a
 * backslash and is written "\\\\". */
static void
add_glob(struct ld_buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\') {
			if (v[1] == '*' || v[1] == '?' || v[1] == '\\') {
				ld_buf_addc(b, '\\');
				ld_buf_addc(b, *++v);
			} else
				ld_buf_adds(b, "\\\\");
		} else
			ld_buf_addc(b, *v);
	}
}

int
match_value(struct mval *mv, const char *v, int mods, struct ld_err *err)
{
	memset(mv, 0, sizeof(*mv));
	if (mods & M_RE) {
		int ec;
		PCRE2_SIZE eo;
		PCRE2_UCHAR msg[256];
		uint32_t fl = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

		fl |= mods & M_RE_I ? PCRE2_CASELESS : 0;
		fl |= mods & M_RE_M ? PCRE2_MULTILINE : 0;
		fl |= mods & M_RE_S ? PCRE2_DOTALL : 0;
		mv->re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, fl,
		    &ec, &eo, NULL);
		if (mv->re == NULL) {
			pcre2_get_error_message(ec, msg, sizeof(msg));
			return ld_err_set(err, "regular expression '%s' at offset "
			    "%zu: %s", v, (size_t)eo, (char *)msg);
		}
		pcre2_jit_compile(mv->re, PCRE2_JIT_COMPLETE);
		return 0;
	}
	if (mods & M_CIDR) {
		if (ld_cidr_parse(v, &mv->cidr) < 0)
			return ld_err_set(err, "'%s' is no address or CIDR block",
			    v);
		return 0;
	}
	if (mods & (M_GT | M_GTE | M_LT | M_LTE)) {
		char *e;

		mv->num = strtod(v, &e);
		if (e == v || *e != '\0' || !isfinite(mv->num))
			return ld_err_set(err, "'%s' is not a number", v);
		return 0;
	}
	{
		struct ld_buf b = { 0 };

		if (mods & (M_CONTAINS | M_ENDS))
			ld_buf_addc(&b, '*');
		add_glob(&b, v);
		if (mods & (M_CONTAINS | M_STARTS))
			ld_buf_addc(&b, '*');
		ld_buf_add(&b, "", 0);
		mv->glob = ld_buf_detach(&b);
	}
	return 0;
}

void
match_item_free(struct mitem *it)
{
	for (size_t i = 0; i < it->nv; i++) {
		free(it->v[i].glob);
		pcre2_code_free(it->v[i].re);
	}
	free(it->v);
	free(it->field);
}

void
match_sel_free(struct msel *s)
{
	for (size_t a = 0; a < s->nalt; a++) {
		for (size_t i = 0; i < s->nitem[a]; i++)
			match_item_free(&s->alt[a][i]);
		free(s->alt[a]);
	}
	free(s->alt);
	free(s->nitem);
	free(s->name);
}

void
match_cond_free(struct mcond *c)
{
	if (c == NULL)
		return;
	match_cond_free(c->a);
	match_cond_free(c->b);
	free(c->sels);
	free(c);
}

int
match_field_text(struct ld_rec *r, int canon, const char *field,
    struct ld_buf *b)
{
	if (canon >= 0) {
		if (r->f[canon] == NULL)
			return 0;
		ld_buf_add(b, r->f[canon], r->flen[canon]);
		return 1;
	}
	return ld_json_text(ld_json_path(ld_rec_tree(r), field), b);
}

static int
value_match(const struct mitem *it, const struct mval *mv, const char *s,
    size_t n, struct mscratch *ms)
{
	if (mv->isnull)
		return 0;
	if (it->mods & M_RE)
		return pcre2_match(mv->re, (PCRE2_SPTR)s, n, 0, 0, ms->md,
		    NULL) >= 0;
	if (it->mods & M_CIDR)
		return ld_cidr_contains(&mv->cidr, s, n);
	if (it->mods & (M_GT | M_GTE | M_LT | M_LTE)) {
		char tmp[64], *e;
		double d;

		if (n == 0 || n >= sizeof(tmp))
			return 0;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		d = strtod(tmp, &e);
		if (*e != '\0')
			return 0;
		return it->mods & M_GT ? d > mv->num : it->mods & M_GTE ?
		    d >= mv->num : it->mods & M_LT ? d < mv->num : d <= mv->num;
	}
	return glob_match(mv->glob, s, n, it->mods & M_CASED);
}

/* One scalar text against the item's values (OR, or AND with |all). */
static int
text_match(const struct mitem *it, const char *s, size_t n,
    struct mscratch *ms)
{
	for (size_t i = 0; i < it->nv; i++) {
		int m = value_match(it, &it->v[i], s, n, ms);

		if (it->mods & M_ALL) {
			if (!m)
				return 0;
		} else if (m)
			return 1;
	}
	return (it->mods & M_ALL) && it->nv > 0;
}

static int
has_null_value(const struct mitem *it)
{
	for (size_t i = 0; i < it->nv; i++)
		if (it->v[i].isnull)
			return 1;
	return 0;
}

static int
item_match(const struct mitem *it, struct ld_rec *r, struct mscratch *ms)
{
	json_t *v;

	if (it->field == NULL) {
		/* A keyword: anywhere in the event's text. */
		if (r->evraw == NULL)
			return 0;
		return text_match(it, r->evraw, r->evrawlen, ms);
	}
	if (it->canon >= 0) {
		if (it->mods & M_EXISTS)
			return (r->f[it->canon] != NULL) == it->exists;
		if (r->f[it->canon] == NULL)
			return has_null_value(it);
		return text_match(it, r->f[it->canon], r->flen[it->canon], ms);
	}
	v = ld_json_path(ld_rec_tree(r), it->field);
	if (it->mods & M_EXISTS)
		return (v != NULL && !json_is_null(v)) == it->exists;
	if (v == NULL || json_is_null(v))
		return has_null_value(it);
	if (json_is_array(v)) {
		/* A list matches when one of its elements does. */
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e) {
			ld_buf_reset(&ms->v);
			if (ld_json_text(e, &ms->v) &&
			    text_match(it, ms->v.p, ms->v.len, ms))
				return 1;
		}
		return 0;
	}
	ld_buf_reset(&ms->v);
	if (!ld_json_text(v, &ms->v))
		return 0;
	return text_match(it, ms->v.p, ms->v.len, ms);
}

static int
sel_match(const struct msel *s, struct ld_rec *r, struct mscratch *ms)
{
	for (size_t a = 0; a < s->nalt; a++) {
		size_t i;

		for (i = 0; i < s->nitem[a]; i++)
			if (!item_match(&s->alt[a][i], r, ms))
				break;
		if (i == s->nitem[a])
			return 1;
	}
	return 0;
}

int
match_cond(const struct mcond *c, const struct msel *sels, struct ld_rec *r,
    struct mscratch *ms)
{
	switch (c->op) {
	case C_SEL:
		return sel_match(&sels[c->sel], r, ms);
	case C_AND:
		return match_cond(c->a, sels, r, ms) &&
		    match_cond(c->b, sels, r, ms);
	case C_OR:
		return match_cond(c->a, sels, r, ms) ||
		    match_cond(c->b, sels, r, ms);
	case C_NOT:
		return !match_cond(c->a, sels, r, ms);
	case C_ONE_OF:
		for (size_t i = 0; i < c->nsels; i++)
			if (sel_match(&sels[c->sels[i]], r, ms))
				return 1;
		return 0;
	case C_ALL_OF:
		for (size_t i = 0; i < c->nsels; i++)
			if (!sel_match(&sels[c->sels[i]], r, ms))
				return 0;
		return c->nsels > 0;
	}
	return 0;
}
