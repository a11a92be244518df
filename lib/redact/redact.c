/*
 * redact.c — redacting a record: the fail-closed checks, the tenant, the
 * canonical fields and the event, and the counters of the report.
 *
 * A record is dropped, never passed on, when it was not parsed, has no
 * tenant where one is required, belongs to another tenant, made a pattern
 * hit a PCRE2 limit, or matched a rule whose action is "drop".  Two
 * exceptions keep evidence: an owned account's own event is kept without
 * a tenant or in another tenant's namespace (whose names in it are then
 * references, replaced as the policy says), and a line the parser
 * repaired to valid UTF-8 is analysable, so it is redacted and kept.
 *
 * The canonical fields are redacted by the same rules as the event and
 * before it, so that a user's name gets the same pseudonym in "user" as in
 * "ev", and is learned before the event is scanned.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact/redact_impl.h"
#include "scope/scope.h"

const char *const ld_drop_names[LD_DROP_N] = { "malformed", "utf8",
	"no-tenant", "other-tenant", "match-limit", "rule" };

/* Limits that keep a hostile line from costing minutes. */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 100000
#define DROPPED_LIST_MAX 10000

/* URLs in free text: one pattern for every redactor, compiled once for
 * the process (a compiled pattern is only read by matching, from any
 * thread), not for each redactor made. */
static pcre2_code *url_re;
static pthread_once_t url_once = PTHREAD_ONCE_INIT;

static void
url_compile(void)
{
	int ec;
	PCRE2_SIZE eo;

	url_re = pcre2_compile((PCRE2_SPTR)
	    "(?i)\\b(?:https?|ssh|git)://[^\\s\"'<>]+", PCRE2_ZERO_TERMINATED, 0,
	    &ec, &eo, NULL);
	if (url_re == NULL)
		abort();
	pcre2_jit_compile(url_re, PCRE2_JIT_COMPLETE);
}

/* The first rule on canonical field f, or -1. */
static int
field_rule(const struct ld_policy *p, int f)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->rules[i].field == f)
			return (int)i;
	return -1;
}

/* Names known in advance are found in text from the first record. */
static void
learn_known(struct ld_redact *rd)
{
	const struct ld_policy *p = rd->p;
	const struct ld_redact_conf *conf = &rd->conf;
	struct rd_learn *l;

	if (p->user_rule < 0 || !p->rules[p->user_rule].recur)
		return;
	l = &rd->learn[p->user_rule];
	for (size_t k = 0; k < conf->nusers; k++)
		rd_learn_add(rd, l, conf->users[k], strlen(conf->users[k]));
	for (size_t k = 0; k < conf->nown; k++)
		rd_learn_add(rd, l, conf->own[k], strlen(conf->own[k]));
}

struct ld_redact *
ld_redact_new(const struct ld_policy *p, const struct ld_redact_conf *conf,
    struct ld_err *err)
{
	struct ld_redact *rd;

	if (p->needs_key && conf->key == NULL)
		return ld_err_set(err, "policy %s makes pseudonyms: it needs a key "
		    "(--key FILE)", p->name), NULL;
	if (conf->key && ld_redact_key_check(conf->key, conf->keylen, err) < 0)
		return NULL;
	if (p->tenant_required && conf->ntenants == 0)
		return ld_err_set(err, "policy %s needs the tenant (--tenant, or "
		    "\"tenant\" or \"namespaces\" in the request)", p->name), NULL;
	if (p->require_owned && conf->nown > 0)
		for (size_t i = 0; i < conf->nasked; i++) {
			size_t k;

			for (k = 0; k < conf->nown; k++)
				if (strcasecmp(conf->asked[i], conf->own[k]) == 0)
					break;
			if (k == conf->nown)
				return ld_err_set(err, "the request names account %s, "
				    "which is not listed as owned: policy %s exports "
				    "an account's own events only for the customer's "
				    "own accounts", conf->asked[i], p->name), NULL;
		}
	rd = ld_xcalloc(1, sizeof(*rd));
	rd->p = p;
	rd->ps = rd_pseudo_new(conf->key, conf->keylen);
	rd->tenants = conf->tenants;
	rd->ntenants = conf->ntenants;
	rd->own = rd_map_new(RD_MAP_SET);
	for (size_t i = 0; i < conf->nown; i++) {
		ld_buf_reset(&rd->norm);
		rd_lower(&rd->norm, conf->own[i], strlen(conf->own[i]));
		rd_map_put(rd->own, rd->norm.p, rd->norm.len, 1);
	}
	rd->learn = ld_xcalloc(p->n + 1, sizeof(*rd->learn));
	rd->recur = ld_xcalloc(p->n + 1, sizeof(*rd->recur));
	for (size_t i = 0; i < p->n; i++) {
		rd_learn_init(&rd->learn[i]);
		if (p->rules[i].recur)
			rd->recur[rd->nrecur++] = i;
	}
	rd_learn_init(&rd->others);
	rd->conf = *conf;
	learn_known(rd);
	for (int f = 0; f < LD_F_N; f++)
		rd->frule[f] = field_rule(p, f);
	rd->cnt = ld_xcalloc(p->n + 2, sizeof(*rd->cnt));
	rd->rvals = ld_xcalloc(p->n + 2, sizeof(*rd->rvals));
	rd->touched = ld_xcalloc(p->n + 2, sizeof(*rd->touched));
	rd->keycache = rd_map_new(RD_MAP_CACHE);
	rd->whole = rd_map_new(RD_MAP_CACHE);
	rd->clean[0] = rd_map_new(RD_MAP_CACHE);
	rd->clean[1] = rd_map_new(RD_MAP_CACHE);
	rd->dropped_list = json_array();
	rd->md = pcre2_match_data_create(64, NULL);
	rd->mc = pcre2_match_context_create(NULL);
	rd->js = pcre2_jit_stack_create(32 << 10, 1 << 20, NULL);
	if (rd->md == NULL || rd->mc == NULL || rd->js == NULL)
		abort();
	pcre2_set_match_limit(rd->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(rd->mc, DEPTH_LIMIT);
	pcre2_jit_stack_assign(rd->mc, NULL, rd->js);
	pthread_once(&url_once, url_compile);
	rd->url_re = url_re;
	return rd;
}

void
ld_redact_free(struct ld_redact *rd)
{
	if (rd == NULL)
		return;
	rd_pseudo_free(rd->ps);
	rd_map_free(rd->own);
	for (size_t i = 0; i < rd->p->n; i++)
		rd_learn_free(&rd->learn[i]);
	free(rd->learn);
	free(rd->recur);
	rd_learn_free(&rd->others);
	free(rd->cnt);
	free(rd->rvals);
	free(rd->touched);
	rd_map_free(rd->keycache);
	rd_map_free(rd->whole);
	ld_buf_free(&rd->wkey);
	ld_buf_free(&rd->wnames);
	rd_map_free(rd->clean[0]);
	rd_map_free(rd->clean[1]);
	rd_map_free(rd->dirty[0]);
	rd_map_free(rd->dirty[1]);
	ld_buf_free(&rd->dirtybuf);
	json_decref(rd->dropped_list);
	pcre2_match_data_free(rd->md);
	pcre2_match_context_free(rd->mc);
	pcre2_jit_stack_free(rd->js);
	ld_buf_free(&rd->view);
	ld_buf_free(&rd->view2);
	ld_buf_free(&rd->joined);
	ld_buf_free(&rd->jbreaks);
	free(rd->jmap);
	free(rd->map);
	free(rd->map2);
	free(rd->tp_pos);
	free(rd->hits);
	free(rd->pend);
	free(rd->merge);
	ld_buf_free(&rd->hitbuf);
	ld_buf_free(&rd->textout);
	ld_buf_free(&rd->norm);
	ld_buf_free(&rd->tmp);
	ld_buf_free(&rd->srcbuf);
	ld_buf_free(&rd->srclast);
	ld_buf_free(&rd->ev);
	for (int i = 0; i < LD_F_N; i++)
		ld_buf_free(&rd->fields[i]);
	rd_json_free(rd);
	free(rd);
}

void
ld_redact_reset(struct ld_redact *rd)
{
	size_t nc = rd->p->n + 2;

	/* What was learned, and every cache whose answers depend on it. */
	for (size_t i = 0; i < rd->p->n; i++)
		rd_learn_reset(&rd->learn[i]);
	rd_learn_reset(&rd->others);
	rd_pseudo_reset(rd->ps);
	rd_map_clear(rd->keycache);
	rd_map_clear(rd->whole);
	ld_buf_reset(&rd->wnames);
	rd_text_forget(rd);
	memset(rd->seen, 0, sizeof(rd->seen));
	rd_json_reset(rd);
	rd->learngen = rd->keygen = rd->cleangen = 0;
	rd->srcclean = 0;
	ld_buf_reset(&rd->srclast);
	rd->nfclean = 0;
	rd->learn_lost = 0;
	/* The counters of the report, and the current record's. */
	memset(rd->cnt, 0, nc * sizeof(*rd->cnt));
	memset(rd->rvals, 0, nc * sizeof(*rd->rvals));
	rd->ntouched = 0;
	rd->nrec = rd->kept = rd->replaced = rd->rec_redacted = 0;
	memset(rd->dropped, 0, sizeof(rd->dropped));
	json_array_clear(rd->dropped_list);
	rd->reason = 0;
	rd->limit_hit = rd->drop_rule = 0;
	rd->rec_hits = 0;
	rd->recording = rd->nrl = rd->rl_over = 0;
	rd->own_actor = rd->in_src = rd->learn_refs = rd->pem_open = 0;
	rd->actor_read = 0;
	rd->tp_budget = 0;
	rd->tp_over = 0;
	rd->unnested = 0;
	learn_known(rd);
}

uint64_t
ld_redact_lost(const struct ld_redact *rd)
{
	return rd->learn_lost;
}

enum ld_drop
ld_redact_last_reason(const struct ld_redact *rd)
{
	return rd->reason;
}

/* Forget what the current record made the rules count. */
static void
undo(struct ld_redact *rd)
{
	rd_count_discard(rd);
	rd->rec_hits = 0;
	rd->drop_rule = 0;
	rd->limit_hit = 0;
}

static enum ld_redact_result
drop(struct ld_redact *rd, const struct ld_rec *r, enum ld_drop why,
    int undo_counts)
{
	rd->reason = why;
	rd->dropped[why]++;
	/* What a dropped record made the rules do is not reported. */
	if (undo_counts)
		undo(rd);
	if (json_array_size(rd->dropped_list) < DROPPED_LIST_MAX)
		json_array_append_new(rd->dropped_list, json_pack("{s:s,s:I,s:s}",
		    "src", r->src ? r->src : "", "line", (json_int_t)r->line,
		    "reason", ld_drop_names[why]));
	return LD_REDACT_DROP;
}

/* Redact the canonical fields in place (they then point into rd). */
static int
fields(struct ld_redact *rd, struct ld_rec *r)
{
	const struct ld_policy *p = rd->p;

	rd->nfclean = 0;
	for (int f = 0; f < LD_F_N; f++) {
		struct ld_buf *b = &rd->fields[f];
		int ri, rc, is_path = f == LD_F_NS || f == LD_F_PROJECT;

		if (r->f[f] == NULL)
			continue;
		ld_buf_reset(b);
		if ((ri = rd->frule[f]) >= 0) {
			const struct rd_rule *ru = &p->rules[ri];

			if (ru->action == A_REMOVE && !(ru->unless == U_OWN_ACTOR &&
			    rd->own_actor)) {
				r->f[f] = NULL;
				r->flen[f] = 0;
				rd_count_hit(rd, ri);
				continue;
			}
			if (rd_whole(rd, ri, r->f[f], r->flen[f], b) == 1)
				continue;
		} else {
			rc = rd_text(rd, r->f[f], r->flen[f], is_path, b);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				/* (the parser's text: it stays for the record) */
				struct rd_fclean *fc = &rd->fclean[rd->nfclean++];

				fc->s = r->f[f];
				fc->n = r->flen[f];
				fc->is_path = is_path;
				fc->gen = rd->learngen;
				continue;
			}
		}
		r->f[f] = b->p ? b->p : "";
		r->flen[f] = b->len;
	}
	return 0;
}

/* Is the first segment of namespace ns (n bytes) an owned account's
 * personal namespace? */
static int
own_ns(struct ld_redact *rd, const char *ns, size_t n)
{
	const char *sl;

	if (ns == NULL || n == 0 || rd_map_count(rd->own) == 0)
		return 0;
	if ((sl = memchr(ns, '/', n)) != NULL)
		n = (size_t)(sl - ns);
	ld_buf_reset(&rd->norm);
	rd_lower(&rd->norm, ns, n);
	return rd_map_get(rd->own, rd->norm.p, rd->norm.len) >= 0;
}

/*
 * The source's name is written with every record, and names can hold
 * what the record must not (an archive member named after a user or
 * another tenant): it is scanned as text is, but for the path checks
 * (it is a path of this machine, not of GitLab).
 */
static void
provenance(struct ld_redact *rd, struct ld_rec *r)
{
	size_t n;
	int rc;

	if (r->src == NULL)
		return;
	/* (every record of a source has its name: the last one found clean
	 * is remembered while nothing new is learned) */
	n = strlen(r->src);
	if (rd->srcclean == rd->learngen + 1 && rd->srclast.len == n &&
	    memcmp(rd->srclast.p, r->src, n) == 0)
		return;
	ld_buf_reset(&rd->srcbuf);
	rd->in_src = 1;
	rc = rd_text(rd, r->src, n, 0, &rd->srcbuf);
	rd->in_src = 0;
	if (rc > 0)
		r->src = rd->srcbuf.p;
	else if (rc == 0) {
		ld_buf_reset(&rd->srclast);
		ld_buf_add(&rd->srclast, r->src, n);
		rd->srcclean = rd->learngen + 1;
	}
}

enum ld_redact_result
ld_redact_rec(struct ld_redact *rd, enum ld_parse_result res,
    struct ld_rec *r, struct ld_buf *out)
{
	const char *ns, *f[LD_F_N];
	size_t nsn, fn[LD_F_N];
	int rc;

	size_t unnested = rd->unnested;

	rd->unnested = 0;
	rd->nfclean = 0;
	rd->nrec++;
	rd->rec_hits = 0;
	rd->drop_rule = 0;
	rd->limit_hit = 0;
	rd_count_discard(rd);
	if (res == LD_PARSE_MALFORMED || r->fmtname == NULL || r->evraw == NULL)
		return drop(rd, r, LD_DROP_MALFORMED, 0);
	/* A repaired line (U+FFFD for the bad bytes) is valid UTF-8 now, and
	 * is redacted like any other: dropping it would lose evidence. */
	ns = r->f[LD_F_NS];
	nsn = r->flen[LD_F_NS];
	if (ns == NULL && r->f[LD_F_PROJECT] != NULL) {
		const char *sl = memchr(r->f[LD_F_PROJECT], '/',
		    r->flen[LD_F_PROJECT]);

		ns = r->f[LD_F_PROJECT];
		nsn = sl ? (size_t)(sl - ns) : r->flen[LD_F_PROJECT];
	} else if (ns != NULL && r->f[LD_F_PROJECT] != NULL) {
		/* A namespace of the tenant (or an owned account's) and a
		 * project of another, or the reverse: the record is another
		 * tenant's when either field says so, as ld_scope_match()
		 * takes it. */
		const char *p = r->f[LD_F_PROJECT];
		const char *sl = memchr(p, '/', r->flen[LD_F_PROJECT]);
		size_t pn = sl ? (size_t)(sl - p) : r->flen[LD_F_PROJECT];

		if (rd->ntenants && (rd_is_tenant(rd, ns, nsn) ||
		    own_ns(rd, ns, nsn)) && !rd_is_tenant(rd, p, pn) &&
		    !own_ns(rd, p, pn)) {
			ns = p;
			nsn = pn;
		}
	}
	rd->own_actor = 0;
	if (r->f[LD_F_USER] != NULL && rd_map_count(rd->own) > 0) {
		ld_buf_reset(&rd->norm);
		rd_lower(&rd->norm, r->f[LD_F_USER], r->flen[LD_F_USER]);
		rd->own_actor = rd_map_get(rd->own, rd->norm.p, rd->norm.len) >= 0;
	}
	/* An owned account's own event is the customer's wherever it
	 * happened: by the account, or in its personal namespace. */
	if (rd->ntenants && !rd->own_actor && !own_ns(rd, ns, nsn)) {
		if (ns == NULL || nsn == 0) {
			if (rd->p->tenant_required)
				return drop(rd, r, LD_DROP_NO_TENANT, 0);
		} else if (!rd_is_tenant(rd, ns, nsn) &&
		    rd->p->tenant_records == A_DROP) {
			/* Its name is learned: it will not leak from the others. */
			const char *sl = memchr(ns, '/', nsn);

			rd_learn_add(rd, &rd->others, ns, sl ? (size_t)(sl - ns) : nsn);
			return drop(rd, r, LD_DROP_OTHER_TENANT, 0);
		}
	}
	memcpy(f, r->f, sizeof(f));
	memcpy(fn, r->flen, sizeof(fn));
	for (int pass = 0;; pass++) {
		uint64_t gen;

		/* what ld_redact_unnest() replaced in the line */
		for (size_t k = 0; k < unnested; k++)
			rd_count_hit(rd, RD_UNANALYSABLE);
		if (fields(rd, r) < 0)
			return drop(rd, r, LD_DROP_MATCH_LIMIT, 1);
		gen = rd->learngen;
		rd->pem_open = 0;
		ld_buf_reset(&rd->ev);
		rc = rd_json(rd, r->evraw, r->evrawlen, &rd->ev, 0, r->jidx);
		if (rc == -2 || rd->limit_hit)
			return drop(rd, r, LD_DROP_MATCH_LIMIT, 1);
		if (rc < 0)
			return drop(rd, r, LD_DROP_MALFORMED, 1);
		if (gen == rd->learngen || pass == 1)
			break;
		/*
		 * The event taught a name (a user in an email, another
		 * tenant in a path) that may have passed by earlier in its
		 * own text: do the record again, knowing it.  Only what the
		 * second pass does is counted.
		 */
		undo(rd);
		memcpy(r->f, f, sizeof(f));
		memcpy(r->flen, fn, sizeof(fn));
	}
	if (rd->drop_rule)
		return drop(rd, r, LD_DROP_RULE, 1);
	provenance(rd, r);
	/* Untouched events keep their bytes, spaces and all. */
	if (rd->rec_hits) {
		r->evraw = rd->ev.p;
		r->evrawlen = rd->ev.len;
		rd->rec_redacted++;
	}
	r->redacted = rd->rec_hits;
	rd_count_commit(rd);
	ld_rec_write(r, out);
	rd->kept++;
	return LD_REDACT_KEEP;
}

int
ld_redact_text(struct ld_redact *rd, const char *s, size_t n, const char **res,
    size_t *rn)
{
	int rc;

	ld_buf_reset(&rd->textout);
	rd->rec_hits = 0;
	rc = rd_text(rd, s, n, 0, &rd->textout);
	/* (each call counts as a record of its own) */
	if (rc < 0)
		rd_count_discard(rd);
	else
		rd_count_commit(rd);
	if (rc <= 0) {
		*res = s;
		*rn = n;
		return rc;
	}
	*res = rd->textout.p;
	*rn = rd->textout.len;
	return 1;
}

const char *
ld_redact_pseudonym(struct ld_redact *rd, const char *kind, const char *v,
    size_t n)
{
	ld_buf_reset(&rd->tmp);
	rd_pseudo_add(rd->ps, kind, v, n, &rd->tmp);
	return rd->tmp.p;
}

json_t *
ld_redact_report(const struct ld_redact *rd)
{
	json_t *o = json_object(), *rules = json_array(), *dr = json_object();
	uint64_t ndrop = 0;
	char kid[17];

	for (int i = 0; i < LD_DROP_N; i++) {
		ndrop += rd->dropped[i];
		json_object_set_new(dr, ld_drop_names[i],
		    json_integer((json_int_t)rd->dropped[i]));
	}
	json_object_set_new(o, "records", json_pack("{s:I,s:I,s:I,s:I}",
	    "read", (json_int_t)rd->nrec, "kept", (json_int_t)rd->kept,
	    "dropped", (json_int_t)ndrop, "redacted",
	    (json_int_t)rd->rec_redacted));
	json_object_set_new(o, "replacements", json_integer((json_int_t)rd->replaced));
	json_object_set_new(o, "dropped", dr);
	json_object_set_new(o, "dropped_records", json_deep_copy(rd->dropped_list));
	if (json_array_size(rd->dropped_list) >= DROPPED_LIST_MAX)
		json_object_set_new(o, "dropped_records_truncated", json_true());
	for (size_t i = 0; i < rd->p->n; i++)
		json_array_append_new(rules, json_pack("{s:s,s:s,s:I,s:I}",
		    "name", rd->p->rules[i].name,
		    "action", rd_action_names[rd->p->rules[i].action],
		    "values", (json_int_t)rd->cnt[i].values,
		    "records", (json_int_t)rd->cnt[i].records));
	json_array_append_new(rules, json_pack("{s:s,s:s,s:I,s:I}",
	    "name", "tenant.reference",
	    "action", rd_action_names[rd->p->tenant_refs],
	    "values", (json_int_t)rd->cnt[rd->p->n].values,
	    "records", (json_int_t)rd->cnt[rd->p->n].records));
	json_array_append_new(rules, json_pack("{s:s,s:s,s:I,s:I}",
	    "name", "unanalysable", "action", "mask",
	    "values", (json_int_t)rd->cnt[rd->p->n + 1].values,
	    "records", (json_int_t)rd->cnt[rd->p->n + 1].records));
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "limits", json_pack("{s:I}", "learned_not_kept",
	    (json_int_t)rd->learn_lost));
	if (rd->p->needs_key || rd->ps) {
		rd_pseudo_key_id(rd->ps, kid);
		json_object_set_new(o, "key_id", rd_pseudo_has_key(rd->ps) ?
		    json_string(kid) : json_null());
	}
	return o;
}
