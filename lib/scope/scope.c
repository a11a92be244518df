/*
 * scope.c — request files, profiles and matching records against a scope.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/ldtime.h"
#include "scope/scope.h"

#define DAY_NS (INT64_C(86400) * LD_NS_PER_SEC)

static void
strv_add(struct ld_strv *v, const char *s)
{
	v->v = ld_xrealloc(v->v, (v->n + 2) * sizeof(char *));
	v->v[v->n++] = ld_xstrdup(s);
	v->v[v->n] = NULL;
}

void
ld_strv_free(struct ld_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

void
ld_scope_free(struct ld_scope *s)
{
	free(s->case_id);
	free(s->tenant);
	free(s->profile);
	ld_strv_free(&s->namespaces);
	ld_strv_free(&s->projects);
	ld_strv_free(&s->users);
	ld_strv_free(&s->events);
	ld_strv_free(&s->cids);
	ld_strv_free(&s->ips_text);
	ld_strv_free(&s->accounts);
	ld_strv_free(&s->lits);
	free(s->ips);
	memset(s, 0, sizeof(*s));
}

int
ld_cidr_parse(const char *text, struct ld_cidr *c)
{
	char buf[128], *slash, *p = buf, *q;
	size_t n = strlen(text);
	long bits = -1;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n + 1);
	if ((slash = strchr(buf, '/')) != NULL) {
		char *end;

		*slash = '\0';
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || bits < 0)
			return -1;
	}
	if (*p == '[') {
		p++;
		if ((q = strchr(p, ']')) == NULL)
			return -1;
		*q = '\0';
	}
	if ((q = strchr(p, '%')) != NULL)
		*q = '\0';	/* zone id */
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, p, c->addr) == 1) {
		c->family = 4;
		if (bits > 32)
			return -1;
		c->bits = bits < 0 ? 32 : (int)bits;
		return 0;
	}
	/* v4 with a port */
	if ((q = strchr(p, ':')) != NULL && strchr(q + 1, ':') == NULL &&
	    slash == NULL) {
		*q = '\0';
		if (inet_pton(AF_INET, p, c->addr) == 1) {
			c->family = 4;
			c->bits = 32;
			return 0;
		}
		return -1;
	}
	if (inet_pton(AF_INET6, p, c->addr) == 1) {
		c->family = 6;
		if (bits > 128)
			return -1;
		c->bits = bits < 0 ? 128 : (int)bits;
		/* ::ffff:a.b.c.d is an IPv4 address. */
		if (memcmp(c->addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0 &&
		    (bits < 0 || bits >= 96)) {
			memmove(c->addr, c->addr + 12, 4);
			memset(c->addr + 4, 0, 12);
			c->family = 4;
			c->bits = bits < 0 ? 32 : (int)bits - 96;
		}
		return 0;
	}
	return -1;
}

int
ld_cidr_contains(const struct ld_cidr *c, const char *addr, size_t n)
{
	struct ld_cidr a;
	char buf[128];
	int full, rest;

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, addr, n);
	buf[n] = '\0';
	if (ld_cidr_parse(buf, &a) < 0 || a.family != c->family)
		return 0;
	full = c->bits / 8;
	rest = c->bits % 8;
	if (memcmp(a.addr, c->addr, (size_t)full) != 0)
		return 0;
	if (rest) {
		unsigned char m = (unsigned char)(0xff << (8 - rest));

		return (a.addr[full] & m) == (c->addr[full] & m);
	}
	return 1;
}

/* Does the tenant part of the request (namespaces, projects, users)
 * constrain anything? */
static int
tenant_given(const struct ld_scope *s)
{
	return s->namespaces.n || s->projects.n || s->users.n;
}

/* The literals of the tenant part: its most selective list. */
static size_t
tenant_literals(const struct ld_scope *s, char *const **lits)
{
	/* Users are rarer in a corpus than tenants; prefer them. */
	if (s->users.n) {
		*lits = s->users.v;
		return s->users.n;
	}
	if (s->projects.n) {
		*lits = s->projects.v;
		return s->projects.n;
	}
	if (s->namespaces.n) {
		*lits = s->namespaces.v;
		return s->namespaces.n;
	}
	return 0;
}

/*
 * With owned accounts, a line in scope holds a literal of the tenant part
 * or an account's name (its user, or its personal namespace): s->lits is
 * the union, kept up to date as lists grow.
 */
static void
set_lits(struct ld_scope *s)
{
	char *const *t;
	size_t nt, i;

	ld_strv_free(&s->lits);
	if (s->accounts.n == 0)
		return;
	nt = tenant_given(s) ? tenant_literals(s, &t) : 0;
	for (i = 0; i < nt; i++)
		strv_add(&s->lits, t[i]);
	for (i = 0; i < s->accounts.n; i++)
		strv_add(&s->lits, s->accounts.v[i]);
}

int
ld_scope_add(struct ld_scope *s, const char *field, const char *value,
    struct ld_err *err)
{
	if (strcmp(field, "ips") == 0) {
		struct ld_cidr c;

		if (ld_cidr_parse(value, &c) < 0)
			return ld_err_set(err, "%s: not an IP address or CIDR block",
			    value);
		s->ips = ld_xrealloc(s->ips, (s->nips + 1) * sizeof(*s->ips));
		s->ips[s->nips++] = c;
		strv_add(&s->ips_text, value);
		return 0;
	}
	if (*value == '\0')
		return ld_err_set(err, "empty value for %s", field);
	if (strcmp(field, "namespaces") == 0) {
		/* "/acme-corp/" and "acme-corp" are the same namespace. */
		while (*value == '/')
			value++;
		if (*value == '\0')
			return ld_err_set(err, "namespace \"/\": a namespace is "
			    "a path with a name");
		strv_add(&s->namespaces, value);
		while (s->namespaces.v[s->namespaces.n - 1][0] != '\0') {
			char *last = s->namespaces.v[s->namespaces.n - 1];
			size_t l = strlen(last);

			if (last[l - 1] != '/')
				break;
			last[l - 1] = '\0';
		}
	} else if (strcmp(field, "projects") == 0)
		strv_add(&s->projects, value);
	else if (strcmp(field, "users") == 0)
		strv_add(&s->users, value);
	else if (strcmp(field, "events") == 0)
		strv_add(&s->events, value);
	else if (strcmp(field, "cids") == 0)
		strv_add(&s->cids, value);
	else if (strcmp(field, "accounts") == 0 ||
	    strcmp(field, "own_accounts") == 0) {
		if (strchr(value, '/') != NULL)
			return ld_err_set(err, "account %s: an account is a user "
			    "name, not a path", value);
		strv_add(&s->accounts, value);
	} else
		return ld_err_set(err, "unknown scope field %s", field);
	set_lits(s);
	return 0;
}

/* Are the n bytes at s digits? */
static int
digits_at(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Is s written as RFC 3339 says, a date ("2026-11-14") or a date-time
 * with a zone ("2026-11-14T00:00:00.5+02:00"), 'T' or a space between,
 * a fraction after '.', a zone "Z" or "+hh:mm"?  The time parser reads
 * more shapes, as logs write them ("+0200", "+02", ",5"); a request is
 * written for review, in one shape that no reader can take two ways.
 * The values (a month 13, an hour 24) are the parser's to check.
 */
static int
rfc3339_shape(const char *s, size_t n)
{
	size_t i = 19;

	if (n < 10 || !digits_at(s, 4) || s[4] != '-' || !digits_at(s + 5, 2) ||
	    s[7] != '-' || !digits_at(s + 8, 2))
		return 0;
	if (n == 10)
		return 1;
	if (n < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits_at(s + 11, 2) || s[13] != ':' || !digits_at(s + 14, 2) ||
	    s[16] != ':' || !digits_at(s + 17, 2))
		return 0;
	if (s[i] == '.') {
		size_t d = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
		return 1;
	return i + 6 == n && (s[i] == '+' || s[i] == '-') &&
	    digits_at(s + i + 1, 2) && s[i + 3] == ':' && digits_at(s + i + 4, 2);
}

static int
set_time(json_t *v, const char *key, int *has, int64_t *ns,
    const char *path, struct ld_err *err)
{
	struct ld_err e2;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ld_err_set(err, "%s: \"%s\" must be a string", path, key);
	if (!rfc3339_shape(json_string_value(v), json_string_length(v)))
		return ld_err_set(err, "%s: \"%s\": %s: %s", path, key,
		    json_string_value(v), "not an RFC 3339 time with a zone "
		    "(2026-11-14T00:00:00Z, 2026-11-14T01:00:00+01:00) or a date "
		    "(2026-11-14)");
	if (ld_time_parse_bound(json_string_value(v), 0, ns, &e2) < 0)
		return ld_err_set(err, "%s: \"%s\": %s", path, key, e2.msg);
	*has = 1;
	return 0;
}

static int
set_str(json_t *v, const char *key, char **dst, const char *path,
    struct ld_err *err)
{
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ld_err_set(err, "%s: \"%s\" must be a string", path, key);
	free(*dst);
	*dst = ld_xstrdup(json_string_value(v));
	return 0;
}

static int from_json(struct ld_scope *, const char *, json_t *,
    struct ld_err *);

int
ld_scope_load(struct ld_scope *s, const char *path, struct ld_err *err)
{
	json_error_t je;
	json_t *j;
	FILE *fp;

	/* Opened here, so that a missing file is said as such, not as a
	 * JSON error on line -1. */
	if ((fp = fopen(path, "r")) == NULL)
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	j = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (j == NULL)
		return je.line > 0 ? ld_err_set(err, "%s:%d: %s", path, je.line,
		    je.text) : ld_err_set(err, "%s: %s", path, je.text);
	return from_json(s, path, j, err);
}

int
ld_scope_loadb(struct ld_scope *s, const char *name, const char *buf,
    size_t len, struct ld_err *err)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);

	if (j == NULL)
		return je.line > 0 ? ld_err_set(err, "%s:%d: %s", name, je.line,
		    je.text) : ld_err_set(err, "%s: %s", name, je.text);
	return from_json(s, name, j, err);
}

/* The request j (taken: released here) into s; path names it in err. */
static int
from_json(struct ld_scope *s, const char *path, json_t *j, struct ld_err *err)
{
	static const char *lists[] = { "namespaces", "projects", "users",
	    "events", "cids", "ips", "accounts", "own_accounts", NULL };
	json_t *v, *x;
	const char *key;
	size_t i;
	int rc = -1;

	if (!json_is_object(j)) {
		ld_err_set(err, "%s: a request must be a JSON object", path);
		goto out;
	}
	/* One key under two names would be a key given twice. */
	if (json_object_get(j, "accounts") && json_object_get(j, "own_accounts")) {
		ld_err_set(err, "%s: \"accounts\" and \"own_accounts\" are one "
		    "key under two names: give it once", path);
		goto out;
	}
	json_object_foreach(j, key, v) {
		int k, known = 0;

		for (k = 0; lists[k]; k++) {
			if (strcmp(key, lists[k]) != 0)
				continue;
			known = 1;
			if (!json_is_array(v)) {
				ld_err_set(err, "%s: \"%s\" must be an array of strings",
				    path, key);
				goto out;
			}
			json_array_foreach(v, i, x) {
				struct ld_err e2;

				if (!json_is_string(x)) {
					ld_err_set(err, "%s: \"%s\" must be an array of "
					    "strings", path, key);
					goto out;
				}
				if (ld_scope_add(s, key, json_string_value(x), &e2) < 0) {
					ld_err_set(err, "%s: %s", path, e2.msg);
					goto out;
				}
			}
		}
		if (known)
			continue;
		if (strcmp(key, "case") == 0) {
			if (set_str(v, key, &s->case_id, path, err) < 0)
				goto out;
		} else if (strcmp(key, "tenant") == 0) {
			if (set_str(v, key, &s->tenant, path, err) < 0)
				goto out;
		} else if (strcmp(key, "profile") == 0) {
			if (!json_is_string(v)) {
				ld_err_set(err, "%s: \"profile\" must be a string", path);
				goto out;
			}
			ld_scope_set_profile(s, json_string_value(v));
		} else if (strcmp(key, "since") == 0) {
			if (set_time(v, key, &s->has_since, &s->since, path, err) < 0)
				goto out;
		} else if (strcmp(key, "until") == 0) {
			if (set_time(v, key, &s->has_until, &s->until, path, err) < 0)
				goto out;
		} else if (strcmp(key, "requested_at") == 0) {
			if (set_time(v, key, &s->has_requested, &s->requested_at,
			    path, err) < 0)
				goto out;
		} else if (key[0] == '_' || strcmp(key, "description") == 0 ||
		    strcmp(key, "requester") == 0 || strcmp(key, "notes") == 0) {
			/* reviewer-facing text and fields for other tools */
		} else {
			ld_err_set(err, "%s: unknown field \"%s\"", path, key);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

/* Is the time of a field, when set, inside the supported range?  Times
 * from a request file are checked as they are read; these may come from
 * flags or callers of the API. */
static int
check_range(int has, int64_t ns, const char *name, struct ld_err *err)
{
	if (has && !ld_time_in_range(ns))
		return ld_err_set(err, "%s is outside the supported time range "
		    LD_TIME_RANGE_TEXT, name);
	return 0;
}

/* The length of the top-level namespace of path p. */
static size_t
top_len(const char *p)
{
	return strcspn(p, "/");
}

/* The first namespace, or else the first project, of s; NULL if none. */
static const char *
first_path(const struct ld_scope *s)
{
	return s->namespaces.n ? s->namespaces.v[0] :
	    s->projects.n ? s->projects.v[0] : NULL;
}

/* A namespace or project of s in another top-level namespace than the
 * first one's, or NULL: the tenant, when the request does not name it. */
static const char *
across(const struct ld_scope *s)
{
	const char *t = first_path(s);
	size_t tn = t ? top_len(t) : 0, i;

	for (i = 0; t && i < s->namespaces.n; i++)
		if (top_len(s->namespaces.v[i]) != tn ||
		    strncasecmp(s->namespaces.v[i], t, tn) != 0)
			return s->namespaces.v[i];
	for (i = 0; t && i < s->projects.n; i++)
		if (top_len(s->projects.v[i]) != tn ||
		    strncasecmp(s->projects.v[i], t, tn) != 0)
			return s->projects.v[i];
	return NULL;
}

int
ld_scope_validate(const struct ld_scope *s, struct ld_err *err)
{
	const char *what;
	int64_t maxback, span;

	if (check_range(s->has_since, s->since, "since", err) < 0 ||
	    check_range(s->has_until, s->until, "until", err) < 0 ||
	    check_range(s->has_requested, s->requested_at, "requested_at",
	    err) < 0)
		return -1;
	if (s->has_since && s->has_until && s->since >= s->until)
		return ld_err_set(err, "the window is empty: since must be "
		    "before until");
	if (s->profile == NULL)
		return 0;
	if (strcmp(s->profile, "support") == 0)
		maxback = 7 * DAY_NS;
	else if (strcmp(s->profile, "sirt") == 0)
		maxback = 31 * DAY_NS;
	else
		return ld_err_set(err, "unknown profile \"%s\" (support, sirt)",
		    s->profile);
	if (!s->has_requested)
		return ld_err_set(err, "profile %s needs requested_at, the time "
		    "the request was made, to bound the window", s->profile);
	if (!s->has_since)
		return ld_err_set(err, "profile %s needs a window: since is "
		    "missing", s->profile);
	if (!s->has_until)
		return ld_err_set(err, "profile %s needs a window: until is "
		    "missing", s->profile);
	/* The window is the data asked for: at most maxback of it, and none
	 * after the request was made.  Two times in range can be further
	 * apart than 64 bits of nanoseconds hold: the difference is checked,
	 * and one that does not fit is wider than any bound. */
	if (ld_time_span(s->since, s->until, &span) < 0 || span > maxback) {
		double days = ((double)s->until - (double)s->since) /
		    (double)DAY_NS;

		/* "7.0 days" for a window a second too long says nothing */
		if (days < (double)(maxback / DAY_NS) + 0.05) {
			long long sec = (span - maxback) / LD_NS_PER_SEC;
			long long ns = (span - maxback) % LD_NS_PER_SEC;

			if (sec == 0)
				return ld_err_set(err, "profile %s allows a window "
				    "of at most %d days before requested_at; this "
				    "one covers %lld ns more", s->profile,
				    (int)(maxback / DAY_NS), ns);
			if (ns == 0)
				return ld_err_set(err, "profile %s allows a window "
				    "of at most %d days before requested_at; this "
				    "one covers %lld s more", s->profile,
				    (int)(maxback / DAY_NS), sec);
			return ld_err_set(err, "profile %s allows a window of "
			    "at most %d days before requested_at; this one "
			    "covers %lld.%09lld s more", s->profile,
			    (int)(maxback / DAY_NS), sec, ns);
		}
		return ld_err_set(err, "profile %s allows a window of at most %d "
		    "days before requested_at; this one covers %.1f days",
		    s->profile, (int)(maxback / DAY_NS), days);
	}
	if (s->until > s->requested_at)
		return ld_err_set(err, "profile %s: until is after requested_at; "
		    "a request cannot cover time after it was made", s->profile);
	if (strcmp(s->profile, "support") == 0 && s->namespaces.n == 0 &&
	    s->projects.n == 0)
		return ld_err_set(err, "profile support needs the customer's "
		    "namespace or project: a request is never across tenants");
	if (strcmp(s->profile, "support") == 0 && (what = across(s)) != NULL)
		return ld_err_set(err, "profile support: %s is not in the "
		    "top-level namespace %.*s of the request's first: a request "
		    "is never across tenants", what, (int)top_len(first_path(s)),
		    first_path(s));
	return 0;
}

static int
profile_rank(const char *p)
{
	if (p == NULL)
		return 0;
	if (strcmp(p, "sirt") == 0)
		return 1;
	return 2;	/* support, and unknown names, which are refused later */
}

void
ld_scope_set_profile(struct ld_scope *s, const char *name)
{
	if (s->profile && profile_rank(s->profile) >= profile_rank(name))
		return;
	free(s->profile);
	s->profile = ld_xstrdup(name);
}

int
ld_scope_finish(struct ld_scope *s, struct ld_err *err)
{
	size_t i;

	if (s->tenant) {
		if (strchr(s->tenant, '/') != NULL || *s->tenant == '\0')
			return ld_err_set(err, "tenant \"%s\" must be a top-level "
			    "namespace", s->tenant);
		if (s->namespaces.n == 0 && s->projects.n == 0) {
			strv_add(&s->namespaces, s->tenant);
			set_lits(s);
		}
		for (i = 0; i < s->namespaces.n; i++)
			if (!ld_ns_covers(s->tenant, s->namespaces.v[i],
			    strlen(s->namespaces.v[i])))
				return ld_err_set(err, "namespace %s is outside the "
				    "tenant %s", s->namespaces.v[i], s->tenant);
		for (i = 0; i < s->projects.n; i++)
			if (!ld_ns_covers(s->tenant, s->projects.v[i],
			    strlen(s->projects.v[i])))
				return ld_err_set(err, "project %s is outside the "
				    "tenant %s", s->projects.v[i], s->tenant);
	}
	return ld_scope_validate(s, err);
}

int
ld_scope_empty(const struct ld_scope *s)
{
	return s->namespaces.n == 0 && s->projects.n == 0 && s->users.n == 0 &&
	    s->accounts.n == 0 && s->events.n == 0 && s->cids.n == 0 &&
	    s->nips == 0 && !s->has_since && !s->has_until;
}

size_t
ld_scope_literals(const struct ld_scope *s, char *const **lits)
{
	/* Correlation ids are rarer than anything else; they bind every
	 * event in scope, owned or not. */
	if (s->cids.n) {
		*lits = s->cids.v;
		return s->cids.n;
	}
	if (s->accounts.n) {
		*lits = s->lits.v;
		return s->lits.n;
	}
	return tenant_literals(s, lits);
}

int
ld_ns_covers(const char *want, const char *have, size_t n)
{
	size_t w = strlen(want);

	if (w > n || strncasecmp(want, have, w) != 0)
		return 0;
	return w == n || have[w] == '/';
}

static int
eq_ci(const char *a, const char *b, size_t bn)
{
	return strlen(a) == bn && strncasecmp(a, b, bn) == 0;
}

/* Window, event types, correlation ids and IPs: what binds every event
 * in scope, of the tenant or of an owned account. */
static int
common_match(const struct ld_scope *s, const struct ld_rec *r)
{
	size_t i;
	int ok;

	if (s->has_since || s->has_until) {
		if (!r->has_ts)
			return 0;
		if (s->has_since && r->ts.ns < s->since)
			return 0;
		if (s->has_until && r->ts.ns >= s->until)
			return 0;
	}
	if (s->events.n) {
		const char *e = r->f[LD_F_EVENT];

		for (ok = 0, i = 0; e && i < s->events.n && !ok; i++)
			ok = fnmatch(s->events.v[i], e, 0) == 0;
		if (!ok)
			return 0;
	}
	if (s->cids.n) {
		const char *c = r->f[LD_F_CID];

		for (ok = 0, i = 0; c && i < s->cids.n && !ok; i++)
			ok = strlen(s->cids.v[i]) == r->flen[LD_F_CID] &&
			    memcmp(s->cids.v[i], c, r->flen[LD_F_CID]) == 0;
		if (!ok)
			return 0;
	}
	if (s->nips) {
		const char *a = r->f[LD_F_IP];

		for (ok = 0, i = 0; a && i < s->nips && !ok; i++)
			ok = ld_cidr_contains(&s->ips[i], a, r->flen[LD_F_IP]);
		if (!ok)
			return 0;
	}
	return 1;
}

/* Is user name or id v one of list l? */
static int
user_in(const struct ld_strv *l, const struct ld_rec *r)
{
	const char *u = r->f[LD_F_USER], *id = r->f[LD_F_USER_ID];

	for (size_t i = 0; i < l->n; i++)
		if ((u && eq_ci(l->v[i], u, r->flen[LD_F_USER])) ||
		    (id && strlen(l->v[i]) == r->flen[LD_F_USER_ID] &&
		    memcmp(l->v[i], id, r->flen[LD_F_USER_ID]) == 0))
			return 1;
	return 0;
}

/*
 * Do the record's namespace and its project's first segment name the same
 * tenant (without regard to case), or is one of them absent?  A record
 * that says two tenants (a root namespace of one, a project of another)
 * belongs to neither: it cannot be placed, and placing it by the one that
 * matches would let another tenant's event out.
 */
static int
rec_tenant_one(const struct ld_rec *r)
{
	const char *p = r->f[LD_F_PROJECT], *ns = r->f[LD_F_NS], *sl;
	size_t pn, nsn = r->flen[LD_F_NS];

	if (p == NULL || ns == NULL)
		return 1;
	sl = memchr(p, '/', r->flen[LD_F_PROJECT]);
	pn = sl ? (size_t)(sl - p) : r->flen[LD_F_PROJECT];
	/* a namespace field may hold a path: its first segment counts */
	if ((sl = memchr(ns, '/', nsn)) != NULL)
		nsn = (size_t)(sl - ns);
	return pn == nsn && strncasecmp(p, ns, pn) == 0;
}

/* Namespaces, projects and users: the tenant's part of the request. */
static int
tenant_match(const struct ld_scope *s, const struct ld_rec *r)
{
	size_t i;
	int ok;

	if ((s->namespaces.n || s->projects.n) && !rec_tenant_one(r))
		return 0;
	if (s->namespaces.n) {
		const char *p = r->f[LD_F_PROJECT], *ns = r->f[LD_F_NS];

		for (ok = 0, i = 0; i < s->namespaces.n && !ok; i++)
			ok = (p && ld_ns_covers(s->namespaces.v[i], p,
			    r->flen[LD_F_PROJECT])) || (ns &&
			    ld_ns_covers(s->namespaces.v[i], ns, r->flen[LD_F_NS]));
		if (!ok)
			return 0;
	}
	if (s->projects.n) {
		const char *p = r->f[LD_F_PROJECT];

		for (ok = 0, i = 0; p && i < s->projects.n && !ok; i++)
			ok = eq_ci(s->projects.v[i], p, r->flen[LD_F_PROJECT]);
		if (!ok)
			return 0;
	}
	if (s->users.n && !user_in(&s->users, r))
		return 0;
	return 1;
}

int
ld_scope_owned(const struct ld_scope *s, const struct ld_rec *r)
{
	const char *p = r->f[LD_F_PROJECT], *ns = r->f[LD_F_NS];

	if (user_in(&s->accounts, r))
		return 1;
	/* A user's personal namespace is its name: the audit events of a
	 * User (entity_path = the name) and its own projects; a record that
	 * names another tenant as well is not about the account. */
	if (!rec_tenant_one(r))
		return 0;
	for (size_t i = 0; i < s->accounts.n; i++)
		if ((ns && ld_ns_covers(s->accounts.v[i], ns, r->flen[LD_F_NS])) ||
		    (p && ld_ns_covers(s->accounts.v[i], p, r->flen[LD_F_PROJECT])))
			return 1;
	return 0;
}

int
ld_scope_match(const struct ld_scope *s, const struct ld_rec *r)
{
	if (!common_match(s, r))
		return 0;
	if (s->accounts.n == 0)
		return tenant_match(s, r);
	return (tenant_given(s) && tenant_match(s, r)) || ld_scope_owned(s, r);
}

/* "label v1 or v2 …" on a line of its own, when the list has values. */
static void
explain_list(struct ld_buf *b, const char *pre, const char *label,
    const struct ld_strv *l, const char *sep)
{
	if (l->n == 0)
		return;
	ld_buf_addf(b, "%s%s ", pre, label);
	for (size_t i = 0; i < l->n; i++)
		ld_buf_addf(b, "%s%s", i ? sep : "", l->v[i]);
	ld_buf_addc(b, '\n');
}

static void
explain_time(struct ld_buf *b, int64_t ns)
{
	struct ld_time t = { .ns = ns };
	char tb[LD_TIME_BUFSZ];

	t.prec = ns % LD_NS_PER_SEC ? 9 : 0;
	ld_time_format(&t, tb);
	ld_buf_adds(b, tb);
}

void
ld_scope_explain(const struct ld_scope *s, struct ld_buf *b)
{
	const char *and = "    ";

	ld_buf_addf(b, "request: case %s, tenant %s, profile %s\n",
	    s->case_id ? s->case_id : "(none)", s->tenant ? s->tenant : "(none)",
	    s->profile ? s->profile : "(none)");
	if (ld_scope_empty(s)) {
		ld_buf_adds(b, "in scope: every event (nothing is constrained)\n");
		return;
	}
	ld_buf_adds(b, "in scope: an event when\n");
	if (s->has_since || s->has_until) {
		ld_buf_adds(b, and);
		if (s->has_since) {
			ld_buf_adds(b, "time >= ");
			explain_time(b, s->since);
		}
		if (s->has_since && s->has_until)
			ld_buf_adds(b, " and ");
		if (s->has_until) {
			ld_buf_adds(b, "time < ");
			explain_time(b, s->until);
		}
		ld_buf_adds(b, "  (a valid time is needed)\n");
		and = "and ";
	}
	if (s->events.n) {
		explain_list(b, and, "event matches", &s->events, " or ");
		and = "and ";
	}
	if (s->ips_text.n) {
		explain_list(b, and, "ip in", &s->ips_text, " or ");
		and = "and ";
	}
	if (s->cids.n) {
		explain_list(b, and, "cid is", &s->cids, " or ");
		and = "and ";
	}
	if (s->accounts.n == 0) {
		if (s->namespaces.n) {
			explain_list(b, and, "ns or project within", &s->namespaces,
			    " or ");
			and = "and ";
		}
		if (s->projects.n) {
			explain_list(b, and, "project is", &s->projects, " or ");
			and = "and ";
		}
		if (s->users.n)
			explain_list(b, and, "user (name, any case, or id) is",
			    &s->users, " or ");
		return;
	}
	ld_buf_addf(b, "%s(\n", and);
	if (tenant_given(s)) {
		const char *a2 = "          ";

		ld_buf_adds(b, "      the tenant's events:\n");
		if (s->namespaces.n) {
			explain_list(b, a2, "ns or project within", &s->namespaces,
			    " or ");
			a2 = "      and ";
		}
		if (s->projects.n) {
			explain_list(b, a2, "project is", &s->projects, " or ");
			a2 = "      and ";
		}
		if (s->users.n)
			explain_list(b, a2, "user (name, any case, or id) is",
			    &s->users, " or ");
		ld_buf_adds(b, "   or\n");
	}
	ld_buf_adds(b, "      the owned accounts' own events, wherever they "
	    "happened:\n");
	explain_list(b, "          ", "by: user (name, any case, or id) is",
	    &s->accounts, " or ");
	explain_list(b, "      or  ", "about: ns or project within", &s->accounts,
	    " or ");
	ld_buf_adds(b, "    )\n");
}
