/*
 * sigma.c — Sigma rules, from the YAML tree to compiled detections and
 * correlations.
 *
 * Every key of a rule is either understood or refused: metadata keys are
 * kept or passed over (they do not change what matches), and anything
 * that would change what matches but is not in the subset of ldhunt(1) is
 * an error naming the file, the line and the construct.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/huntint.h"

/* Keys that describe a rule without changing what it matches. */
static const char *const meta_keys[] = {
	"title", "id", "name", "status", "description", "references", "author",
	"date", "modified", "tags", "level", "falsepositives", "fields",
	"license", "related", "taxonomy", "scope", "logsource", "detection",
	"correlation", NULL
};

/* logsource service of product gitlab -> logdive formats (a name ending
 * in '*' takes every format of that family: the text and JSON shapes of
 * one log, say, and formats added later). */
static const struct {
	const char *service;
	const char *fmts[5];
} services[] = {
	{ "audit", { "gitlab.audit", "gitlab.audit_legacy", "gitlab.audit_stream", NULL } },
	{ "audit_events", { "gitlab.audit", "gitlab.audit_legacy", "gitlab.audit_stream", NULL } },
	{ "production", { "gitlab.rails", "gitlab.rails_text", NULL } },
	{ "rails", { "gitlab.rails", "gitlab.rails_text", NULL } },
	{ "api", { "gitlab.api", "gitlab.api_legacy", NULL } },
	{ "auth", { "gitlab.auth", NULL } },
	{ "application", { "gitlab.application", "gitlab.application_text", NULL } },
	{ "sidekiq", { "gitlab.sidekiq", "gitlab.sidekiq_text", NULL } },
	{ "shell", { "gitlab.shell", "gitlab.shell_text", NULL } },
	{ "gitlab-shell", { "gitlab.shell", "gitlab.shell_text", NULL } },
	{ "gitaly", { "gitlab.gitaly", NULL } },
	{ "workhorse", { "gitlab.workhorse", NULL } },
	{ "praefect", { "gitlab.praefect", NULL } },
	{ "kas", { "gitlab.kas", NULL } },
	{ "pages", { "gitlab.pages", NULL } },
	{ "registry", { "gitlab.registry", NULL } },
	{ "mail_room", { "gitlab.mail_room", NULL } },
	{ "puma", { "gitlab.puma", NULL } },
	{ "exceptions", { "gitlab.exceptions", NULL } },
	{ "graphql", { "gitlab.graphql", NULL } },
	{ "integrations", { "gitlab.integrations", NULL } },
	{ "web_hooks", { "gitlab.web_hooks", NULL } },
	{ "llm", { "gitlab.llm", NULL } },
	{ "nginx", { "nginx.*", NULL } },
	{ NULL, { NULL } }
};

static const char *const gitlab_all[] = { "gitlab.*", "nginx.*", "svlogd",
	"syslog", NULL };

static const char *const level_names[] = {
	"informational", "low", "medium", "high", "critical"
};

int
ld_level_parse(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(level_names[i], name) == 0)
			return i;
	return -1;
}

const char *
ld_level_name(enum ld_level l)
{
	return (unsigned)l < 5 ? level_names[l] : "?";
}

struct ctx {
	struct ld_rules *rs;
	const char *file;
	struct rule *r;
	struct ld_err *err;
};

static int
bad(struct ctx *c, const struct ynode *y, const char *fmt, const char *what)
{
	struct ld_err e;

	ld_err_set(&e, fmt, what);
	return ld_err_set(c->err, "%s:%zu: %s", c->file, y ? y->line :
	    c->r ? c->r->line : 0, e.msg);
}

static char *
scalar(struct ctx *c, const struct ynode *y, const char *key)
{
	if (y == NULL)
		return NULL;
	if (y->type != Y_SCALAR) {
		bad(c, y, "%s: a single value is expected", key);
		return NULL;
	}
	return y->s;
}

/* ---- logsource ---- */

static void
set_fmts(struct rule *r, const char *const *f)
{
	size_t n = 0;

	while (f[n])
		n++;
	r->fmts = ld_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		r->fmts[i] = ld_xstrdup(f[i]);
}

static int
logsource(struct ctx *c, const struct ynode *ls)
{
	struct rule *r = c->r;
	const struct ynode *p, *s, *cat;
	static const char *const none[] = { NULL };
	static const char *const web[] = { "nginx.access", "gitlab.workhorse",
	    NULL };

	if (ls == NULL)
		return bad(c, NULL, "%s", "a rule needs a logsource");
	if (ls->type != Y_MAP)
		return bad(c, ls, "%s", "logsource must be a map");
	for (size_t i = 0; i + 1 < ls->n; i += 2) {
		const char *k = ls->kid[i]->s;

		if (strcmp(k, "product") && strcmp(k, "service") &&
		    strcmp(k, "category") && strcmp(k, "definition"))
			return bad(c, ls->kid[i], "logsource key '%s' is not "
			    "supported", k);
		if (ls->kid[i + 1]->type != Y_SCALAR)
			return bad(c, ls->kid[i + 1], "logsource %s: a single "
			    "value is expected", k);
	}
	p = yaml_get(ls, "product");
	s = yaml_get(ls, "service");
	cat = yaml_get(ls, "category");
	if (p && strcasecmp(p->s, "gitlab") == 0) {
		if (s == NULL) {
			set_fmts(r, gitlab_all);
			return 0;
		}
		for (size_t i = 0; services[i].service; i++)
			if (strcasecmp(services[i].service, s->s) == 0) {
				set_fmts(r, services[i].fmts);
				return 0;
			}
		return bad(c, s, "logsource service '%s' of product gitlab is "
		    "not known (see ldhunt(1))", s->s);
	}
	if (p == NULL && s == NULL && cat && strcmp(cat->s, "webserver") == 0) {
		set_fmts(r, web);
		return 0;
	}
	/* Another product's rule loads, and can never fire here. */
	set_fmts(r, none);
	r->nofmt = 1;
	return 0;
}

/* ---- selections ---- */

static const struct {
	const char *name;
	int bit;
} modnames[] = {
	{ "contains", M_CONTAINS }, { "startswith", M_STARTS },
	{ "endswith", M_ENDS }, { "all", M_ALL }, { "re", M_RE },
	{ "cidr", M_CIDR }, { "exists", M_EXISTS }, { "expand", M_EXPAND },
	{ "cased", M_CASED }, { "gt", M_GT }, { "gte", M_GTE }, { "lt", M_LT },
	{ "lte", M_LTE }, { "i", M_RE_I }, { "m", M_RE_M }, { "s", M_RE_S },
	{ NULL, 0 }
};

static int
popcount(int v)
{
	return __builtin_popcount((unsigned)v);
}

/* "field|mod|mod" -> it->field, it->mods. */
static int
parse_key(struct ctx *c, const struct ynode *k, struct mitem *it)
{
	const char *s = k->s, *bar = strchr(s, '|');
	char *mods, *tok, *save = NULL;
	int rc = 0;

	it->field = bar == s ? NULL : bar ? ld_xstrndup(s, (size_t)(bar - s)) :
	    ld_xstrdup(s);
	it->canon = it->field ? ld_field_index(it->field) : -1;
	if (bar == NULL)
		return 0;
	mods = ld_xstrdup(bar + 1);
	for (tok = strtok_r(mods, "|", &save); tok; tok = strtok_r(NULL, "|",
	    &save)) {
		size_t i;

		for (i = 0; modnames[i].name; i++)
			if (strcmp(modnames[i].name, tok) == 0)
				break;
		if (modnames[i].name == NULL) {
			rc = bad(c, k, "modifier '%s' is not supported", tok);
			goto out;
		}
		if ((modnames[i].bit & (M_RE_I | M_RE_M | M_RE_S)) &&
		    !(it->mods & M_RE)) {
			rc = bad(c, k, "modifier '%s' goes after 're'", tok);
			goto out;
		}
		it->mods |= modnames[i].bit;
	}
	if (it->field == NULL && !(it->mods & (M_STARTS | M_ENDS | M_RE | M_CIDR |
	    M_GT | M_GTE | M_LT | M_LTE)))
		it->mods |= M_CONTAINS;	/* a keyword is found anywhere */
	if (popcount(it->mods & (M_CONTAINS | M_STARTS | M_ENDS | M_RE | M_CIDR |
	    M_EXISTS | M_GT | M_GTE | M_LT | M_LTE)) > 1)
		rc = bad(c, k, "modifiers of '%s' do not combine", s);
	else if ((it->mods & M_EXISTS) && it->field == NULL)
		rc = bad(c, k, "'%s': exists needs a field", s);
out:
	free(mods);
	return rc;
}

static int
add_value(struct ctx *c, const struct ynode *y, struct mitem *it,
    const char *v)
{
	struct ld_err e;
	struct mval mv;

	if (match_value(&mv, v, it->mods, &e) < 0)
		return bad(c, y, "%s", e.msg);
	it->v = ld_xrealloc(it->v, (it->nv + 1) * sizeof(*it->v));
	it->v[it->nv++] = mv;
	return 0;
}

static int
expand(struct ctx *c, const struct ynode *y, struct mitem *it)
{
	struct ld_rules *rs = c->rs;
	size_t n = strlen(y->s);

	if (n < 3 || y->s[0] != '%' || y->s[n - 1] != '%')
		return bad(c, y, "expand: '%s' is no %%placeholder%%", y->s);
	for (size_t i = 0; i < rs->nph; i++)
		if (strlen(rs->names[i]) == n - 2 &&
		    memcmp(rs->names[i], y->s + 1, n - 2) == 0) {
			for (size_t k = 0; k < rs->nvals[i]; k++)
				if (add_value(c, y, it, rs->vals[i][k]) < 0)
					return -1;
			return 0;
		}
	if (c->r->placeholder == NULL)
		c->r->placeholder = ld_xstrdup(y->s);
	return 0;
}

static int
item_values(struct ctx *c, const struct ynode *v, struct mitem *it)
{
	const struct ynode *one = v;
	size_t n = 1;

	if (v->type == Y_MAP)
		return bad(c, v, "%s", "a field's value cannot be a map");
	if (v->type == Y_SEQ)
		n = v->n;
	if ((it->mods & M_ALL) && v->type != Y_SEQ)
		return bad(c, v, "%s", "modifier 'all' needs a list of values");
	for (size_t i = 0; i < n; i++) {
		if (v->type == Y_SEQ)
			one = v->kid[i];
		if (one->type != Y_SCALAR)
			return bad(c, one, "%s", "a list of values holds "
			    "single values only");
		if (it->mods & M_EXISTS) {
			if (strcmp(one->s, "true") && strcmp(one->s, "false"))
				return bad(c, one, "%s", "exists takes true or "
				    "false");
			it->exists = strcmp(one->s, "true") == 0;
			continue;
		}
		if (yaml_is_null(one)) {
			it->v = ld_xrealloc(it->v, (it->nv + 1) * sizeof(*it->v));
			memset(&it->v[it->nv], 0, sizeof(*it->v));
			it->v[it->nv++].isnull = 1;
			continue;
		}
		if (it->mods & M_EXPAND) {
			if (expand(c, one, it) < 0)
				return -1;
			continue;
		}
		if (add_value(c, one, it, one->s) < 0)
			return -1;
	}
	return 0;
}

static void
sel_add_alt(struct msel *s)
{
	s->alt = ld_xrealloc(s->alt, (s->nalt + 1) * sizeof(*s->alt));
	s->nitem = ld_xrealloc(s->nitem, (s->nalt + 1) * sizeof(*s->nitem));
	s->alt[s->nalt] = NULL;
	s->nitem[s->nalt++] = 0;
}

static struct mitem *
sel_add_item(struct msel *s)
{
	size_t a = s->nalt - 1;
	struct mitem *it;

	s->alt[a] = ld_xrealloc(s->alt[a], (s->nitem[a] + 1) * sizeof(**s->alt));
	it = &s->alt[a][s->nitem[a]++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* How dear an item is to test: a canonical field is at hand, a JSON path
 * may need the event parsed, a keyword searches all of it. */
static int
item_cost(const struct mitem *it)
{
	return it->field == NULL ? 2 : it->canon >= 0 ? 0 : 1;
}

static int
sel_map(struct ctx *c, const struct ynode *m, struct msel *s)
{
	struct mitem *v;
	size_t n;

	sel_add_alt(s);
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		struct mitem *it = sel_add_item(s);

		if (m->kid[i]->type != Y_SCALAR)
			return bad(c, m->kid[i], "%s", "a field name must be "
			    "text");
		if (parse_key(c, m->kid[i], it) < 0 ||
		    item_values(c, m->kid[i + 1], it) < 0)
			return -1;
	}
	/* An AND in any order is the same AND: the cheap tests first, so
	 * that most events are refused before their JSON is parsed. */
	v = s->alt[s->nalt - 1];
	n = s->nitem[s->nalt - 1];
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && item_cost(&v[k - 1]) >
		    item_cost(&v[k]); k--) {
			struct mitem t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	return 0;
}

static int
selection(struct ctx *c, const struct ynode *name, const struct ynode *v,
    struct msel *s)
{
	s->name = ld_xstrdup(name->s);
	if (v->type == Y_MAP)
		return sel_map(c, v, s);
	if (v->type == Y_SCALAR) {
		struct mitem *it;

		sel_add_alt(s);
		it = sel_add_item(s);
		it->canon = -1;
		it->mods = M_CONTAINS;	/* a keyword is found anywhere */
		return item_values(c, v, it);
	}
	/* A list: of maps (OR), or of keywords. */
	if (v->n == 0 || v->kid[0]->type != Y_MAP) {
		struct mitem *it;

		sel_add_alt(s);
		it = sel_add_item(s);
		it->canon = -1;
		it->mods = M_CONTAINS;	/* a keyword is found anywhere */
		return item_values(c, v, it);
	}
	for (size_t i = 0; i < v->n; i++) {
		if (v->kid[i]->type != Y_MAP)
			return bad(c, v->kid[i], "%s", "a list of maps and values "
			    "mixed");
		if (sel_map(c, v->kid[i], s) < 0)
			return -1;
	}
	return 0;
}

/* ---- conditions ---- */

struct lex {
	struct ctx *c;
	const struct ynode *y;
	const char *p;
	char tok[256];
	int eof;
};

static void
next_tok(struct lex *lx)
{
	size_t n = 0;

	while (isspace((unsigned char)*lx->p))
		lx->p++;
	if (*lx->p == '\0') {
		lx->tok[0] = '\0';
		lx->eof = 1;
		return;
	}
	if (*lx->p == '(' || *lx->p == ')' || *lx->p == '|') {
		lx->tok[0] = *lx->p++;
		lx->tok[1] = '\0';
		return;
	}
	while (*lx->p && !isspace((unsigned char)*lx->p) && *lx->p != '(' &&
	    *lx->p != ')' && *lx->p != '|' && n + 1 < sizeof(lx->tok))
		lx->tok[n++] = *lx->p++;
	lx->tok[n] = '\0';
}

static int
is(const struct lex *lx, const char *w)
{
	return !lx->eof && strcmp(lx->tok, w) == 0;
}

static struct mcond *cond_or(struct lex *lx);

static struct mcond *
cnode(int op)
{
	struct mcond *n = ld_xcalloc(1, sizeof(*n));

	n->op = op;
	return n;
}

static int
find_sel(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->nsels; i++)
		if (strcmp(r->sels[i].name, name) == 0)
			return (int)i;
	return -1;
}

static struct mcond *
cond_prim(struct lex *lx)
{
	struct ctx *c = lx->c;
	struct mcond *n;
	int k;

	if (lx->eof) {
		bad(c, lx->y, "%s", "condition ends too early");
		return NULL;
	}
	if (is(lx, "|")) {
		bad(c, lx->y, "%s", "condition: aggregations after '|' (Sigma 1) "
		    "are not supported; write a correlation rule");
		return NULL;
	}
	if (is(lx, "(")) {
		next_tok(lx);
		if ((n = cond_or(lx)) == NULL)
			return NULL;
		if (!is(lx, ")")) {
			bad(c, lx->y, "%s", "condition: ')' expected");
			match_cond_free(n);
			return NULL;
		}
		next_tok(lx);
		return n;
	}
	if (is(lx, "1") || is(lx, "all") || is(lx, "any")) {
		int all = is(lx, "all");
		const char *pat;

		if (is(lx, "any")) {
			bad(c, lx->y, "condition: '%s of' is not Sigma; write "
			    "'1 of'", "any");
			return NULL;
		}
		next_tok(lx);
		if (!is(lx, "of")) {
			bad(c, lx->y, "condition: 'of' expected after '%s'",
			    all ? "all" : "1");
			return NULL;
		}
		next_tok(lx);
		if (lx->eof) {
			bad(c, lx->y, "%s", "condition: a name or 'them' expected "
			    "after 'of'");
			return NULL;
		}
		n = cnode(all ? C_ALL_OF : C_ONE_OF);
		n->sels = ld_xcalloc(c->r->nsels + 1, sizeof(int));
		pat = lx->tok;
		for (size_t i = 0; i < c->r->nsels; i++) {
			const char *sn = c->r->sels[i].name;

			if (strcmp(pat, "them") == 0 ? sn[0] != '_' :
			    fnmatch(pat, sn, 0) == 0)
				n->sels[n->nsels++] = (int)i;
		}
		if (n->nsels == 0) {
			bad(c, lx->y, "condition: no selection is named '%s'",
			    pat);
			match_cond_free(n);
			return NULL;
		}
		next_tok(lx);
		return n;
	}
	if (is(lx, "and") || is(lx, "or") || is(lx, "of") || is(lx, ")") ||
	    is(lx, "them")) {
		bad(c, lx->y, "condition: unexpected '%s'", lx->tok);
		return NULL;
	}
	if (strpbrk(lx->tok, "*?") != NULL) {
		bad(c, lx->y, "condition: a wildcard name '%s' goes after '1 of' "
		    "or 'all of'", lx->tok);
		return NULL;
	}
	if ((k = find_sel(c->r, lx->tok)) < 0) {
		bad(c, lx->y, "condition: no selection is named '%s'", lx->tok);
		return NULL;
	}
	n = cnode(C_SEL);
	n->sel = k;
	next_tok(lx);
	return n;
}

static struct mcond *
cond_not(struct lex *lx)
{
	struct mcond *n, *a;

	if (!is(lx, "not"))
		return cond_prim(lx);
	next_tok(lx);
	if ((a = cond_not(lx)) == NULL)
		return NULL;
	n = cnode(C_NOT);
	n->a = a;
	return n;
}

static struct mcond *
cond_bin(struct lex *lx, const char *op, int code,
    struct mcond *(*sub)(struct lex *))
{
	struct mcond *a, *b, *n;

	if ((a = sub(lx)) == NULL)
		return NULL;
	while (is(lx, op)) {
		next_tok(lx);
		if ((b = sub(lx)) == NULL) {
			match_cond_free(a);
			return NULL;
		}
		n = cnode(code);
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static struct mcond *
cond_and(struct lex *lx)
{
	return cond_bin(lx, "and", C_AND, cond_not);
}

static struct mcond *
cond_or(struct lex *lx)
{
	return cond_bin(lx, "or", C_OR, cond_and);
}

static struct mcond *
condition(struct ctx *c, const struct ynode *y)
{
	struct lex lx = { c, y, y->s, { 0 }, 0 };
	struct mcond *n;

	next_tok(&lx);
	if ((n = cond_or(&lx)) == NULL)
		return NULL;
	if (!lx.eof) {
		if (is(&lx, "|"))
			bad(c, y, "%s", "condition: aggregations after '|' "
			    "(Sigma 1) are not supported; write a correlation "
			    "rule");
		else
			bad(c, y, "condition: unexpected '%s'", lx.tok);
		match_cond_free(n);
		return NULL;
	}
	return n;
}

static int
detection(struct ctx *c, const struct ynode *d)
{
	struct rule *r = c->r;
	const struct ynode *cy = NULL;

	if (d->type != Y_MAP)
		return bad(c, d, "%s", "detection must be a map");
	r->sels = ld_xcalloc(d->n / 2 + 1, sizeof(*r->sels));
	for (size_t i = 0; i + 1 < d->n; i += 2) {
		const struct ynode *k = d->kid[i];

		if (k->type != Y_SCALAR)
			return bad(c, k, "%s", "a selection name must be text");
		if (strcmp(k->s, "condition") == 0) {
			cy = d->kid[i + 1];
			continue;
		}
		if (strcmp(k->s, "timeframe") == 0)
			return bad(c, k, "%s", "detection timeframe (Sigma 1 "
			    "aggregation) is not supported; write a correlation "
			    "rule");
		if (find_sel(r, k->s) >= 0)
			return bad(c, k, "selection '%s' given twice", k->s);
		if (selection(c, k, d->kid[i + 1], &r->sels[r->nsels++]) < 0)
			return -1;
	}
	if (cy == NULL)
		return bad(c, d, "%s", "detection has no condition");
	if (cy->type == Y_SCALAR)
		r->cond = condition(c, cy);
	else if (cy->type == Y_SEQ && cy->n > 0) {
		/* A list of conditions: any of them. */
		for (size_t i = 0; i < cy->n; i++) {
			struct mcond *n, *o;

			if (cy->kid[i]->type != Y_SCALAR)
				return bad(c, cy->kid[i], "%s", "a condition "
				    "must be text");
			if ((n = condition(c, cy->kid[i])) == NULL)
				return -1;
			if (r->cond == NULL)
				r->cond = n;
			else {
				o = cnode(C_OR);
				o->a = r->cond;
				o->b = n;
				r->cond = o;
			}
		}
	} else
		return bad(c, cy, "%s", "condition must be text or a list");
	return r->cond ? 0 : -1;
}

/* ---- correlations ---- */

static int
timespan(struct ctx *c, const struct ynode *y, int64_t *ns)
{
	char *e;
	long long v;
	int64_t unit;

	if (y == NULL || y->type != Y_SCALAR)
		return bad(c, y, "%s", "correlation needs a timespan like 10m");
	v = strtoll(y->s, &e, 10);
	unit = strcmp(e, "s") == 0 ? 1 : strcmp(e, "m") == 0 ? 60 :
	    strcmp(e, "h") == 0 ? 3600 : strcmp(e, "d") == 0 ? 86400 : 0;
	if (e == y->s || unit == 0 || v <= 0 || v > 366LL * 86400 / unit)
		return bad(c, y, "timespan '%s': a number and s, m, h or d",
		    y->s);
	*ns = (int64_t)v * unit * LD_NS_PER_SEC;
	return 0;
}

static char **
strlist(struct ctx *c, const struct ynode *y, size_t *n, const char *what)
{
	char **v;

	*n = 0;
	if (y == NULL)
		return NULL;
	if (y->type == Y_SCALAR) {
		v = ld_xcalloc(2, sizeof(char *));
		v[0] = ld_xstrdup(y->s);
		*n = 1;
		return v;
	}
	if (y->type != Y_SEQ) {
		bad(c, y, "%s must be a list", what);
		return NULL;
	}
	v = ld_xcalloc(y->n + 1, sizeof(char *));
	for (size_t i = 0; i < y->n; i++) {
		if (y->kid[i]->type != Y_SCALAR) {
			bad(c, y->kid[i], "%s holds single values only", what);
			for (size_t k = 0; k < *n; k++)
				free(v[k]);
			free(v);
			*n = 0;
			return NULL;
		}
		v[(*n)++] = ld_xstrdup(y->kid[i]->s);
	}
	return v;
}

static int
threshold(struct ctx *c, const struct ynode *cond, struct rule *r)
{
	for (size_t i = 0; i + 1 < cond->n; i += 2) {
		const char *k = cond->kid[i]->s;
		const struct ynode *v = cond->kid[i + 1];
		char *e;
		long long n;

		if (strcmp(k, "field") == 0) {
			if (r->kind != R_VALUE_COUNT || v->type != Y_SCALAR)
				return bad(c, v, "%s", "condition field: only "
				    "value_count counts a field's values");
			r->vfield = ld_xstrdup(v->s);
			r->vcanon = ld_field_index(v->s);
			continue;
		}
		if (strcmp(k, "gt") && strcmp(k, "gte"))
			return bad(c, cond->kid[i], "correlation condition '%s' "
			    "cannot be decided while streaming; use gt or gte",
			    k);
		if (v->type != Y_SCALAR || (n = strtoll(v->s, &e, 10)) < 0 ||
		    *e != '\0' || e == v->s || n > 1000000)
			return bad(c, v, "%s", "condition: a count from 0 to "
			    "1000000 expected");
		if (r->count)
			return bad(c, v, "%s", "condition: one bound only");
		r->count = strcmp(k, "gt") == 0 ? (uint64_t)n + 1 : (uint64_t)n;
		if (r->count == 0)
			r->count = 1;
	}
	if (r->count == 0)
		return bad(c, cond, "%s", "correlation condition needs gte or gt");
	if (r->kind == R_VALUE_COUNT && r->vfield == NULL)
		return bad(c, cond, "%s", "value_count needs condition field");
	return 0;
}

static int
correlation(struct ctx *c, const struct ynode *y)
{
	struct rule *r = c->r;
	const struct ynode *t, *cond, *g;
	static const char *const keys[] = { "type", "rules", "group-by",
	    "timespan", "condition", "generate", NULL };

	if (y->type != Y_MAP)
		return bad(c, y, "%s", "correlation must be a map");
	for (size_t i = 0; i + 1 < y->n; i += 2) {
		size_t k;

		for (k = 0; keys[k] && strcmp(keys[k], y->kid[i]->s); k++)
			;
		if (keys[k] == NULL)
			return bad(c, y->kid[i], "correlation key '%s' is not "
			    "supported", y->kid[i]->s);
	}
	t = yaml_get(y, "type");
	if (t == NULL || t->type != Y_SCALAR)
		return bad(c, y, "%s", "correlation needs a type");
	if (strcmp(t->s, "event_count") == 0)
		r->kind = R_EVENT_COUNT;
	else if (strcmp(t->s, "value_count") == 0)
		r->kind = R_VALUE_COUNT;
	else if (strcmp(t->s, "temporal") == 0)
		r->kind = R_TEMPORAL;
	else if (strcmp(t->s, "temporal_ordered") == 0)
		r->kind = R_TEMPORAL_ORDERED;
	else
		return bad(c, t, "correlation type '%s' is not supported", t->s);
	free(r->info.type);
	r->info.type = ld_xstrdup(t->s);
	if ((r->refs = strlist(c, yaml_get(y, "rules"), &r->nrefs,
	    "rules")) == NULL && yaml_get(y, "rules") != NULL)
		return -1;
	if (r->nrefs == 0)
		return bad(c, y, "%s", "correlation needs rules");
	if (r->kind >= R_TEMPORAL && r->nrefs > 32)
		return bad(c, y, "%s", "a temporal correlation of more than 32 "
		    "rules");
	g = yaml_get(y, "group-by");
	if ((r->group = strlist(c, g, &r->ngroup, "group-by")) == NULL &&
	    g != NULL)
		return -1;
	r->gcanon = ld_xcalloc(r->ngroup + 1, sizeof(int));
	for (size_t i = 0; i < r->ngroup; i++)
		r->gcanon[i] = ld_field_index(r->group[i]);
	if (timespan(c, yaml_get(y, "timespan"), &r->span) < 0)
		return -1;
	if ((g = yaml_get(y, "generate")) != NULL) {
		if (g->type != Y_SCALAR || (strcmp(g->s, "true") &&
		    strcmp(g->s, "false")))
			return bad(c, g, "%s", "generate takes true or false");
		r->generate = strcmp(g->s, "true") == 0;
	}
	cond = yaml_get(y, "condition");
	if (r->kind >= R_TEMPORAL) {
		if (cond != NULL)
			return bad(c, cond, "%s", "a temporal correlation takes "
			    "no condition");
		r->count = 1;
		return 0;
	}
	if (cond == NULL || cond->type != Y_MAP)
		return bad(c, cond ? cond : y, "%s", "correlation condition "
		    "must be a map like {gte: 10}");
	return threshold(c, cond, r);
}

/* ---- a rule ---- */

static int
tags(struct ctx *c, const struct ynode *y)
{
	struct rule *r = c->r;

	if (y == NULL)
		return 0;
	r->info.tags = strlist(c, y, &r->info.ntags, "tags");
	return r->info.tags ? 0 : -1;
}

static int
rule(struct ctx *c, const struct ynode *d)
{
	struct rule *r = c->r;
	const struct ynode *y;
	const char *s;

	if (d->type != Y_MAP)
		return bad(c, d, "%s", "a rule must be a map");
	for (size_t i = 0; i + 1 < d->n; i += 2) {
		const struct ynode *k = d->kid[i];
		size_t m;

		if (k->type != Y_SCALAR)
			return bad(c, k, "%s", "a key must be text");
		for (m = 0; meta_keys[m] && strcmp(meta_keys[m], k->s); m++)
			;
		if (meta_keys[m] == NULL)
			return bad(c, k, "rule key '%s' is not supported", k->s);
	}
	if ((s = scalar(c, yaml_get(d, "title"), "title")) == NULL)
		return yaml_get(d, "title") ? -1 : bad(c, d, "%s",
		    "a rule needs a title");
	/* Findings are named by them: never empty. */
	if (*s == '\0')
		return bad(c, yaml_get(d, "title"), "%s", "a rule's title is empty");
	r->info.title = ld_xstrdup(s);
	if ((y = yaml_get(d, "id")) != NULL) {
		if ((s = scalar(c, y, "id")) == NULL)
			return -1;
		if (*s == '\0')
			return bad(c, y, "%s", "a rule's id is empty");
		r->info.id = ld_xstrdup(s);
	} else
		r->info.id = ld_xstrdup(r->info.title);
	if ((y = yaml_get(d, "name")) != NULL) {
		if ((s = scalar(c, y, "name")) == NULL)
			return -1;
		r->name = ld_xstrdup(s);
	}
	if ((y = yaml_get(d, "description")) != NULL) {
		if ((s = scalar(c, y, "description")) == NULL)
			return -1;
		r->info.description = ld_xstrdup(s);
	}
	r->info.level = LD_LEVEL_INFO;
	if ((y = yaml_get(d, "level")) != NULL) {
		int l;

		if ((s = scalar(c, y, "level")) == NULL)
			return -1;
		if ((l = ld_level_parse(s)) < 0)
			return bad(c, y, "level '%s' is not a Sigma level", s);
		r->info.level = (enum ld_level)l;
	}
	if (tags(c, yaml_get(d, "tags")) < 0)
		return -1;
	if ((y = yaml_get(d, "correlation")) != NULL) {
		if (yaml_get(d, "detection"))
			return bad(c, y, "%s", "a rule has a detection or a "
			    "correlation, not both");
		return correlation(c, y);
	}
	r->kind = R_DETECT;
	r->info.type = ld_xstrdup("detection");
	if (logsource(c, yaml_get(d, "logsource")) < 0)
		return -1;
	if ((y = yaml_get(d, "detection")) == NULL)
		return bad(c, d, "%s", "a rule needs a detection or a "
		    "correlation");
	return detection(c, y);
}

void
sigma_rule_free(struct rule *r)
{
	free(r->info.id);
	free(r->info.title);
	free(r->info.description);
	free(r->info.type);
	for (size_t i = 0; i < r->info.ntags; i++)
		free(r->info.tags[i]);
	free(r->info.tags);
	free(r->name);
	free(r->file);
	for (size_t i = 0; r->fmts && r->fmts[i]; i++)
		free(r->fmts[i]);
	free(r->fmts);
	for (size_t i = 0; i < r->nsels; i++)
		match_sel_free(&r->sels[i]);
	free(r->sels);
	match_cond_free(r->cond);
	for (size_t i = 0; i < r->nrefs; i++)
		free(r->refs[i]);
	free(r->refs);
	free(r->ref);
	for (size_t i = 0; i < r->ngroup; i++)
		free(r->group[i]);
	free(r->group);
	free(r->gcanon);
	free(r->vfield);
	free(r->placeholder);
}

int
sigma_compile(struct ld_rules *rs, const char *name, struct ynode **docs,
    size_t ndocs, struct ld_err *err)
{
	struct ctx c = { rs, name, NULL, err };

	for (size_t i = 0; i < ndocs; i++) {
		struct rule *r;

		if (docs[i]->type == Y_MAP && yaml_get(docs[i], "action")) {
			c.r = NULL;
			return bad(&c, yaml_get(docs[i], "action"), "%s",
			    "rule collections (action: global, reset, repeat) "
			    "are not supported");
		}
		if (docs[i]->type == Y_MAP && yaml_get(docs[i], "filter")) {
			c.r = NULL;
			return bad(&c, yaml_get(docs[i], "filter"), "%s",
			    "meta filters (filter:) are not supported");
		}
		rs->r = ld_xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
		r = &rs->r[rs->n++];
		memset(r, 0, sizeof(*r));
		r->file = ld_xstrdup(name);
		r->line = docs[i]->line;
		r->vcanon = -1;
		c.r = r;
		if (rule(&c, docs[i]) < 0) {
			sigma_rule_free(r);
			rs->n--;
			return -1;
		}
	}
	return 0;
}
