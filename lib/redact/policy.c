/*
 * policy.c — loading a redaction policy (ld-policy(5)) and compiling it.
 *
 * The text rules of a policy (built-in detectors and patterns) become a
 * list of scans in policy order, one compiled pattern each, so that every
 * detector runs only on strings that hold what it looks for (see
 * redact_detect.c).  Key globs become one anchored, caseless alternation
 * in which each branch starts with (*MARK:i), i the rule, so that a
 * member name is matched once and the mark says which rule took it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "redact/redact_impl.h"

const char *const rd_action_names[] = { "keep", "remove", "mask", "pseudonym",
	"drop" };

const char *const *
ld_policy_builtin_names(void)
{
	static const char *names[16];

	for (size_t i = 0; ld_policy_builtin[i][0] && i < 15; i++)
		names[i] = ld_policy_builtin[i][0];
	return names;
}

const char *
ld_policy_builtin_text(const char *name)
{
	for (size_t i = 0; ld_policy_builtin[i][0]; i++)
		if (strcmp(ld_policy_builtin[i][0], name) == 0)
			return ld_policy_builtin[i][1];
	return NULL;
}

void
ld_policy_free(struct ld_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->rules[i].name);
		free(p->rules[i].kind);
	}
	free(p->rules);
	for (size_t i = 0; i < p->nscans; i++) {
		pcre2_code_free(p->scans[i].re);
		for (size_t k = 0; k < p->scans[i].nlits; k++)
			free(p->scans[i].lits[k]);
		free(p->scans[i].lits);
		free(p->scans[i].litlen);
	}
	free(p->scans);
	pcre2_code_free(p->key_re);
	pcre2_code_free(p->path_re);
	free(p->name);
	free(p->source);
	free(p->text);
	free(p);
}

const char *ld_policy_name(const struct ld_policy *p) { return p->name; }
const char *ld_policy_source(const struct ld_policy *p) { return p->source; }
const char *ld_policy_sha256(const struct ld_policy *p) { return p->sha256; }
int ld_policy_needs_key(const struct ld_policy *p) { return p->needs_key; }
int ld_policy_needs_tenant(const struct ld_policy *p)
{
	return p->tenant_required;
}

int
ld_policy_requires_owned(const struct ld_policy *p)
{
	return p->require_owned;
}

/* "accounts": {"require_owned": bool} — what the policy asks of the
 * accounts a request names as the customer's own. */
static int
accounts_parse(struct ld_policy *p, json_t *a, struct ld_err *err)
{
	const char *key;
	json_t *v;

	if (a == NULL)
		return 0;
	if (!json_is_object(a))
		return ld_err_set(err, "\"accounts\" must be an object");
	json_object_foreach(a, key, v)
		if (strcmp(key, "require_owned") != 0)
			return ld_err_set(err, "accounts: unknown field \"%s\"", key);
	v = json_object_get(a, "require_owned");
	if (v && !json_is_boolean(v))
		return ld_err_set(err, "accounts: \"require_owned\" must be true "
		    "or false");
	p->require_owned = json_is_true(v);
	return 0;
}

static int
action_parse(const char *s)
{
	for (int i = 0; i <= A_DROP; i++)
		if (strcmp(s, rd_action_names[i]) == 0)
			return i;
	return -1;
}

/* Append glob g to b as a regex: * and ? are wildcards, the rest literal. */
static void
glob_to_re(struct ld_buf *b, const char *g)
{
	for (; *g; g++) {
		if (*g == '*')
			ld_buf_adds(b, ".*");
		else if (*g == '?')
			ld_buf_addc(b, '.');
		else if (strchr("\\^$.|()[]{}+", *g) != NULL) {
			ld_buf_addc(b, '\\');
			ld_buf_addc(b, *g);
		} else
			ld_buf_addc(b, *g);
	}
}

static pcre2_code *
compile(const char *re, uint32_t flags, const char *what, struct ld_err *err)
{
	pcre2_code *c;
	int ec;
	PCRE2_SIZE eo;

	c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, flags, &ec, &eo,
	    NULL);
	if (c == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof(msg));
		ld_err_set(err, "%s: pattern at offset %zu: %s", what, (size_t)eo,
		    (char *)msg);
		return NULL;
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

/* A string or an array of strings, as a NULL-terminated borrowed list. */
static int
strlist(json_t *v, const char **out, size_t max, const char *what,
    struct ld_err *err)
{
	size_t i, n = 0;
	json_t *x;

	if (json_is_string(v)) {
		out[0] = json_string_value(v);
		out[1] = NULL;
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) >= max)
		return ld_err_set(err, "%s must be a string or a non-empty array "
		    "of strings", what);
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || json_string_length(x) == 0)
			return ld_err_set(err, "%s must hold non-empty strings", what);
		out[n++] = json_string_value(x);
	}
	out[n] = NULL;
	return 0;
}

#define MAXLIST 256

/* Is literal s (n bytes) among the scan's already? */
static int
lit_known(const struct rd_scan *sc, const char *s, size_t n)
{
	for (size_t i = 0; i < sc->nlits; i++)
		if (sc->litlen[i] == n && memcmp(sc->lits[i], s, n) == 0)
			return 1;
	return 0;
}

/* Add a scan of rule idx by pattern re (compiled) of detector d (or NULL). */
static void
scan_add(struct ld_policy *p, size_t idx, pcre2_code *re,
    const struct rd_detector *d)
{
	struct rd_scan *sc;

	p->scans = ld_xrealloc(p->scans, (p->nscans + 1) * sizeof(*p->scans));
	sc = &p->scans[p->nscans++];
	memset(sc, 0, sizeof(*sc));
	sc->re = re;
	sc->rule = (int)idx;
	sc->d = d;
	sc->check = d ? d->check : C_NONE;
	/* A caseless detector's literals in every case of their first two
	 * bytes (the tables of rd_plan look at those; lits_at compares the
	 * rest without case). */
	for (const char *l = d ? d->lits : NULL; l && *l;) {
		size_t n = strcspn(l, "|");

		for (unsigned v = 0; v < (d->caseless ? 4u : 1u); v++) {
			char *s = ld_xstrndup(l, n);

			for (unsigned b = 0; d->caseless && b < 2 && b < n; b++)
				s[b] = (char)(v >> b & 1 ?
				    toupper((unsigned char)s[b]) :
				    tolower((unsigned char)s[b]));
			if (d->caseless && lit_known(sc, s, n)) {
				free(s);
				continue;
			}
			sc->lits = ld_xrealloc(sc->lits, (sc->nlits + 1) *
			    sizeof(*sc->lits));
			sc->litlen = ld_xrealloc(sc->litlen, (sc->nlits + 1) *
			    sizeof(*sc->litlen));
			sc->lits[sc->nlits] = s;
			sc->litlen[sc->nlits++] = n;
		}
		l += n + (l[n] == '|');
	}
	/* sorted by first byte (insertion: a few tens), indexed by it */
	for (size_t i = 1; i < sc->nlits; i++)
		for (size_t k = i; k > 0 && (unsigned char)sc->lits[k - 1][0] >
		    (unsigned char)sc->lits[k][0]; k--) {
			char *t = sc->lits[k];
			size_t tn = sc->litlen[k];

			sc->lits[k] = sc->lits[k - 1];
			sc->litlen[k] = sc->litlen[k - 1];
			sc->lits[k - 1] = t;
			sc->litlen[k - 1] = tn;
		}
	for (size_t i = sc->nlits; i-- > 0;) {
		unsigned char c = (unsigned char)sc->lits[i][0];

		sc->litfrom[c] = (unsigned short)i;
		sc->litcount[c]++;
	}
}

static int
rule_parse(struct ld_policy *p, size_t idx, json_t *j, struct ld_buf *kre,
    struct ld_err *err)
{
	static const char *known[] = { "name", "detect", "pattern", "keys",
	    "field", "action", "kind", "recur", "unless", "description", NULL };
	struct rd_rule *r = &p->rules[idx];
	const char *list[MAXLIST], *key, *kind = NULL;
	json_t *v;
	char what[160];
	int a;

	r->field = -1;
	if (!json_is_object(j))
		return ld_err_set(err, "rule %zu: must be an object", idx + 1);
	v = json_object_get(j, "name");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return ld_err_set(err, "rule %zu: missing \"name\"", idx + 1);
	/* The name is written into every marker ([REDACTED:name]) and the
	 * report: letters, digits, '.', '_' and '-' only, so that it needs
	 * no escaping anywhere and cannot break the record it marks. */
	if (strspn(json_string_value(v), "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    json_string_length(v))
		return ld_err_set(err, "rule %zu: \"name\" must be letters, "
		    "digits, '.', '_' and '-'", idx + 1);
	r->name = ld_xstrdup(json_string_value(v));
	snprintf(what, sizeof(what), "rule %s", r->name);
	json_object_foreach(j, key, v) {
		int ok = 0;

		for (int k = 0; known[k]; k++)
			ok |= strcmp(key, known[k]) == 0;
		if (!ok)
			return ld_err_set(err, "%s: unknown field \"%s\"", what, key);
	}
	v = json_object_get(j, "action");
	if (!json_is_string(v) || (a = action_parse(json_string_value(v))) < 0)
		return ld_err_set(err, "%s: \"action\" must be one of keep, remove, "
		    "mask, pseudonym, drop", what);
	r->action = (enum rd_action)a;
	if ((v = json_object_get(j, "field")) != NULL) {
		if (!json_is_string(v) ||
		    (r->field = ld_field_index(json_string_value(v))) < 0)
			return ld_err_set(err, "%s: \"field\" must be a canonical field "
			    "(ns project user user_id ip event cid)", what);
		if (r->field == LD_F_NS || r->field == LD_F_PROJECT)
			return ld_err_set(err, "%s: ns and project are the tenant "
			    "section's business", what);
	}
	if ((v = json_object_get(j, "detect")) != NULL) {
		if (strlist(v, list, MAXLIST, "\"detect\"", err) < 0)
			return -1;
		for (size_t i = 0; list[i]; i++) {
			const struct rd_detector *d = rd_detector_find(list[i]);
			pcre2_code *c;

			if (d == NULL)
				return ld_err_set(err, "%s: unknown detector \"%s\" (see "
				    "ld-policy(5))", what, list[i]);
			/* Anchored scans are compiled anchored: PCRE2_ANCHORED
			 * given to pcre2_match() would bypass the JIT. */
			if ((c = compile(d->pattern, (d->cand == CAND_EMAIL ||
			    d->cand == CAND_IP ? PCRE2_ANCHORED : 0) |
			    (d->caseless ? PCRE2_CASELESS : 0), what,
			    err)) == NULL)
				return -1;
			scan_add(p, idx, c, d);
			kind = kind ? kind : d->kind;
			r->email |= strcmp(d->name, "email") == 0;
			if (d->check != C_NONE)
				r->check = d->check;
		}
		r->text = 1;
	}
	if ((v = json_object_get(j, "pattern")) != NULL) {
		pcre2_code *c;

		if (!json_is_string(v))
			return ld_err_set(err, "%s: \"pattern\" must be a string", what);
		if ((c = compile(json_string_value(v), 0, what, err)) == NULL)
			return -1;
		scan_add(p, idx, c, NULL);
		r->text = 1;
	}
	if ((v = json_object_get(j, "keys")) != NULL) {
		if (strlist(v, list, MAXLIST, "\"keys\"", err) < 0)
			return -1;
		if (kre->len)
			ld_buf_addc(kre, '|');
		ld_buf_addf(kre, "(*MARK:%zu)(?:", idx);
		for (size_t i = 0; list[i]; i++) {
			if (i)
				ld_buf_addc(kre, '|');
			glob_to_re(kre, list[i]);
		}
		ld_buf_adds(kre, ")$");
		r->has_keys = 1;
	}
	if (!r->text && !r->has_keys && r->field < 0)
		return ld_err_set(err, "%s: select something: detect, pattern, keys "
		    "or field", what);
	if ((v = json_object_get(j, "kind")) != NULL) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    strspn(json_string_value(v), "abcdefghijklmnopqrstuvwxyz") !=
		    json_string_length(v))
			return ld_err_set(err, "%s: \"kind\" must be lower-case "
			    "letters", what);
		kind = json_string_value(v);
	}
	if (kind == NULL && r->field >= 0)
		kind = r->field == LD_F_IP ? "ip" : r->field == LD_F_USER_ID ? "uid"
		    : "user";
	r->kind = ld_xstrdup(kind ? kind : "value");
	if (r->action == A_PSEUDONYM)
		p->needs_key = 1;
	v = json_object_get(j, "recur");
	if (v && !json_is_boolean(v))
		return ld_err_set(err, "%s: \"recur\" must be true or false", what);
	r->recur = json_is_true(v);
	if ((v = json_object_get(j, "unless")) != NULL) {
		const char *u = json_is_string(v) ? json_string_value(v) : "";

		if (strcmp(u, "own_account") == 0)
			r->unless = U_OWN_ACCOUNT;
		else if (strcmp(u, "own_actor") == 0)
			r->unless = U_OWN_ACTOR;
		else
			return ld_err_set(err, "%s: \"unless\" must be own_account or "
			    "own_actor", what);
	}
	return 0;
}

static int
tenant_parse(struct ld_policy *p, json_t *t, struct ld_err *err)
{
	static const char *known[] = { "required", "records", "references",
	    "path_keys", NULL };
	const char *list[MAXLIST], *key;
	struct ld_buf re = { 0 };
	json_t *v;
	int a;

	p->tenant_records = A_KEEP;
	p->tenant_refs = A_KEEP;
	if (t == NULL)
		return 0;
	if (!json_is_object(t))
		return ld_err_set(err, "\"tenant\" must be an object");
	json_object_foreach(t, key, v) {
		int ok = 0;

		for (int k = 0; known[k]; k++)
			ok |= strcmp(key, known[k]) == 0;
		if (!ok)
			return ld_err_set(err, "tenant: unknown field \"%s\"", key);
	}
	v = json_object_get(t, "required");
	if (v && !json_is_boolean(v))
		return ld_err_set(err, "tenant: \"required\" must be true or false");
	p->tenant_required = json_is_true(v);
	if ((v = json_object_get(t, "records")) != NULL) {
		a = json_is_string(v) ? action_parse(json_string_value(v)) : -1;
		if (a != A_DROP && a != A_KEEP)
			return ld_err_set(err, "tenant: \"records\" must be drop or keep");
		p->tenant_records = (enum rd_action)a;
	}
	if ((v = json_object_get(t, "references")) != NULL) {
		a = json_is_string(v) ? action_parse(json_string_value(v)) : -1;
		if (a != A_PSEUDONYM && a != A_MASK && a != A_KEEP)
			return ld_err_set(err, "tenant: \"references\" must be "
			    "pseudonym, mask or keep");
		p->tenant_refs = (enum rd_action)a;
		if (a == A_PSEUDONYM)
			p->needs_key = 1;
	}
	if ((v = json_object_get(t, "path_keys")) != NULL) {
		if (strlist(v, list, MAXLIST, "tenant: \"path_keys\"", err) < 0)
			return -1;
		ld_buf_adds(&re, "(?:");
		for (size_t i = 0; list[i]; i++) {
			if (i)
				ld_buf_addc(&re, '|');
			glob_to_re(&re, list[i]);
		}
		ld_buf_adds(&re, ")$");
		p->path_re = compile(re.p, PCRE2_ANCHORED | PCRE2_CASELESS,
		    "tenant: path_keys", err);
		ld_buf_free(&re);
		if (p->path_re == NULL)
			return -1;
	}
	return 0;
}

struct ld_policy *
ld_policy_load_text(const char *text, size_t n, const char *what,
    struct ld_err *err)
{
	static const char *known[] = { "name", "description", "tenant", "rules",
	    "accounts", NULL };
	struct ld_policy *p = ld_xcalloc(1, sizeof(*p));
	struct ld_buf kre = { 0 };
	struct ld_err e2;
	json_error_t je;
	json_t *j = NULL, *v;
	const char *key;
	size_t i;

	p->text = ld_xstrndup(text, n);
	ld_sha256_hex(text, n, p->sha256);
	if ((j = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		ld_err_set(err, "%s:%d: %s", what, je.line, je.text);
		goto bad;
	}
	if (!json_is_object(j)) {
		ld_err_set(err, "%s: a policy must be a JSON object", what);
		goto bad;
	}
	json_object_foreach(j, key, v) {
		int ok = 0;

		for (int k = 0; known[k]; k++)
			ok |= strcmp(key, known[k]) == 0;
		if (!ok) {
			ld_err_set(err, "%s: unknown field \"%s\"", what, key);
			goto bad;
		}
	}
	v = json_object_get(j, "name");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		ld_err_set(err, "%s: missing \"name\"", what);
		goto bad;
	}
	p->name = ld_xstrdup(json_string_value(v));
	if (tenant_parse(p, json_object_get(j, "tenant"), &e2) < 0 ||
	    accounts_parse(p, json_object_get(j, "accounts"), &e2) < 0) {
		ld_err_set(err, "%s: %s", what, e2.msg);
		goto bad;
	}
	v = json_object_get(j, "rules");
	if (!json_is_array(v)) {
		ld_err_set(err, "%s: \"rules\" must be an array", what);
		goto bad;
	}
	p->rules = ld_xcalloc(json_array_size(v) + 1, sizeof(*p->rules));
	for (i = 0; i < json_array_size(v); i++) {
		p->n++;
		if (rule_parse(p, i, json_array_get(v, i), &kre, &e2) < 0) {
			ld_err_set(err, "%s: %s", what, e2.msg);
			goto bad;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(p->rules[k].name, p->rules[i].name) == 0) {
				ld_err_set(err, "%s: two rules named %s", what,
				    p->rules[i].name);
				goto bad;
			}
	}
	rd_plan_init(p);
	p->user_rule = -1;
	p->uid_rule = -1;
	p->pem_rule = -1;
	for (i = p->n; i-- > 0;) {
		if (p->rules[i].field == LD_F_USER)
			p->user_rule = (int)i;
		/* a user's id that is not the actor's: the first rule of kind
		 * uid that makes no exception for the actor */
		if (p->rules[i].kind && strcmp(p->rules[i].kind, "uid") == 0 &&
		    p->rules[i].unless == U_NONE && p->rules[i].action != A_KEEP)
			p->uid_rule = (int)i;
		else if (p->uid_rule < 0 && p->rules[i].field == LD_F_USER_ID)
			p->uid_rule = (int)i;
	}
	for (i = p->nscans; i-- > 0;)
		if (p->scans[i].d && strcmp(p->scans[i].d->name, "private-key") == 0)
			p->pem_rule = p->scans[i].rule;
	if (kre.len && (p->key_re = compile(kre.p, PCRE2_ANCHORED |
	    PCRE2_CASELESS, what, err)) == NULL)
		goto bad;
	ld_buf_free(&kre);
	json_decref(j);
	return p;
bad:
	ld_buf_free(&kre);
	json_decref(j);
	ld_policy_free(p);
	return NULL;
}

struct ld_policy *
ld_policy_load(const char *name_or_path, struct ld_err *err)
{
	const char *t = ld_policy_builtin_text(name_or_path);
	struct ld_policy *p;
	struct ld_buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *fp;

	if (t != NULL) {
		if ((p = ld_policy_load_text(t, strlen(t), name_or_path, err)))
			p->source = ld_xstrdup("built-in");
		return p;
	}
	if ((fp = fopen(name_or_path, "r")) == NULL) {
		if (errno == ENOENT && strchr(name_or_path, '/') == NULL &&
		    strchr(name_or_path, '.') == NULL)
			return ld_err_set(err, "%s: no such profile (support, "
			    "customer, legal, sirt) or file", name_or_path), NULL;
		return ld_err_set(err, "%s: %s", name_or_path, strerror(errno)),
		    NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		ld_buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		ld_buf_free(&b);
		return ld_err_set(err, "%s: read error", name_or_path), NULL;
	}
	fclose(fp);
	if ((p = ld_policy_load_text(b.p ? b.p : "", b.len, name_or_path, err)))
		p->source = ld_xstrdup(name_or_path);
	ld_buf_free(&b);
	return p;
}
