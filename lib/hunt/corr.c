/*
 * corr.c — the state of one Sigma correlation over a time-ordered stream.
 *
 * Groups live in a hash table keyed by their group-by values.  A group
 * holds only what its timespan still needs: for event_count the times of
 * at most `count` events, for value_count at most `count` distinct values
 * with the time each was last seen, for the temporal types one time per
 * referenced rule.  A group whose last event is older than the timespan
 * can never fire again and is dropped by corr_expire(), so memory follows
 * the groups open within a timespan, not the input; corr_bytes() says how
 * much that is, for the caller's limit.  After firing, a
 * count starts over (one burst is one finding); a sequence stays armed,
 * so each later last step within the timespan is marked as well.
 */
#include <stdlib.h>
#include <string.h>

#include "hunt/corr.h"

struct group {
	struct group *next;	/* hash chain */
	char *key;
	size_t keyn;
	int64_t last;		/* newest event */
	/* event_count: a ring of times */
	int64_t *t;
	size_t head, len, cap;
	/* value_count */
	char **val;
	int64_t *vt;
	size_t nval, vcap;
	/* temporal: per referenced rule, the time (or chain start) */
	int64_t *step;
	size_t bytes;		/* held by the group, as group_bytes() */
};

struct corr {
	int kind;
	uint64_t count;
	int64_t span;
	size_t nrefs;
	struct group **tab;
	size_t nslots, ngroups;
	size_t bytes;		/* the table and the groups */
	int64_t swept;		/* time of the last expiry pass */
};

#define NONE INT64_MIN

struct corr *
corr_new(int kind, uint64_t count, int64_t span, size_t nrefs)
{
	struct corr *c = ld_xcalloc(1, sizeof(*c));

	c->kind = kind;
	c->count = count;
	c->span = span;
	c->nrefs = nrefs;
	c->nslots = 64;
	c->tab = ld_xcalloc(c->nslots, sizeof(*c->tab));
	c->bytes = c->nslots * sizeof(*c->tab);
	c->swept = NONE;
	return c;
}

/* What g holds: itself, its key, its ring, its values, its steps. */
static size_t
group_bytes(const struct corr *c, const struct group *g)
{
	size_t n = sizeof(*g) + g->keyn + 1 + g->cap * sizeof(*g->t) +
	    g->vcap * (sizeof(*g->val) + sizeof(*g->vt));

	for (size_t i = 0; i < g->nval; i++)
		n += strlen(g->val[i]) + 1;
	if (g->step)
		n += c->nrefs * sizeof(*g->step);
	return n;
}

static void
group_free(struct group *g)
{
	for (size_t i = 0; i < g->nval; i++)
		free(g->val[i]);
	free(g->val);
	free(g->vt);
	free(g->t);
	free(g->step);
	free(g->key);
	free(g);
}

void
corr_free(struct corr *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nslots; i++)
		while (c->tab[i]) {
			struct group *g = c->tab[i];

			c->tab[i] = g->next;
			group_free(g);
		}
	free(c->tab);
	free(c);
}

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void
grow(struct corr *c)
{
	size_t n = c->nslots * 2;
	struct group **t = ld_xcalloc(n, sizeof(*t));

	for (size_t i = 0; i < c->nslots; i++)
		while (c->tab[i]) {
			struct group *g = c->tab[i];
			size_t s = hash(g->key, g->keyn) & (n - 1);

			c->tab[i] = g->next;
			g->next = t[s];
			t[s] = g;
		}
	free(c->tab);
	c->tab = t;
	c->bytes += (n - c->nslots) * sizeof(*t);
	c->nslots = n;
}

static struct group *
lookup(struct corr *c, const char *key, size_t n)
{
	size_t s = hash(key, n) & (c->nslots - 1);
	struct group *g;

	for (g = c->tab[s]; g; g = g->next)
		if (g->keyn == n && memcmp(g->key, key, n) == 0)
			return g;
	if (c->ngroups >= c->nslots) {
		grow(c);
		s = hash(key, n) & (c->nslots - 1);
	}
	g = ld_xcalloc(1, sizeof(*g));
	g->key = ld_xstrndup(key, n);
	g->keyn = n;
	g->last = NONE;
	if (c->kind == CORR_TEMPORAL || c->kind == CORR_TEMPORAL_ORDERED) {
		g->step = ld_xcalloc(c->nrefs, sizeof(*g->step));
		for (size_t i = 0; i < c->nrefs; i++)
			g->step[i] = NONE;
	}
	g->next = c->tab[s];
	c->tab[s] = g;
	c->ngroups++;
	g->bytes = group_bytes(c, g);
	c->bytes += g->bytes;
	return g;
}

static void
reset(struct corr *c, struct group *g)
{
	g->head = g->len = 0;
	for (size_t i = 0; i < g->nval; i++)
		free(g->val[i]);
	g->nval = 0;
	for (size_t i = 0; g->step && i < c->nrefs; i++)
		g->step[i] = NONE;
}

static int
event_count(struct corr *c, struct group *g, int64_t t)
{
	while (g->len && g->t[g->head] < t - c->span) {
		g->head = (g->head + 1) % g->cap;
		g->len--;
	}
	if (g->len == g->cap) {
		/* Grow the ring, at most to count entries. */
		size_t n = g->cap ? g->cap * 2 : 4;
		int64_t *nt;

		if (n > c->count)
			n = (size_t)c->count;
		nt = ld_xcalloc(n, sizeof(*nt));
		for (size_t i = 0; i < g->len; i++)
			nt[i] = g->t[(g->head + i) % g->cap];
		free(g->t);
		g->t = nt;
		g->cap = n;
		g->head = 0;
	}
	g->t[(g->head + g->len) % g->cap] = t;
	g->len++;
	return g->len >= c->count;
}

static int
value_count(struct corr *c, struct group *g, int64_t t, const char *v,
    size_t vn)
{
	size_t i, k = 0;

	for (i = 0; i < g->nval; i++) {
		if (g->vt[i] < t - c->span) {
			free(g->val[i]);
			continue;
		}
		g->val[k] = g->val[i];
		g->vt[k++] = g->vt[i];
	}
	g->nval = k;
	for (i = 0; i < g->nval; i++)
		if (strlen(g->val[i]) == vn && memcmp(g->val[i], v, vn) == 0) {
			g->vt[i] = t;
			return 0;
		}
	if (g->nval == g->vcap) {
		/* At most count values are held: the count fires then. */
		g->vcap = g->vcap ? 2 * g->vcap : 4;
		if (g->vcap > c->count)
			g->vcap = c->count > 0 ? (size_t)c->count : 1;
		g->val = ld_xrealloc(g->val, g->vcap * sizeof(*g->val));
		g->vt = ld_xrealloc(g->vt, g->vcap * sizeof(*g->vt));
	}
	g->val[g->nval] = ld_xstrndup(v, vn);
	g->vt[g->nval++] = t;
	return g->nval >= c->count;
}

static int
temporal(struct corr *c, struct group *g, size_t k, int64_t t)
{
	g->step[k] = t;
	for (size_t i = 0; i < c->nrefs; i++)
		if (g->step[i] == NONE || g->step[i] < t - c->span)
			return 0;
	return 1;
}

/* step[i]: the start time of the latest-starting chain of steps 0..i. */
static int
ordered(struct corr *c, struct group *g, size_t k, int64_t t)
{
	int64_t start;

	if (k == 0)
		start = t;
	else if (g->step[k - 1] != NONE && g->step[k - 1] >= t - c->span)
		start = g->step[k - 1];
	else
		return 0;
	if (g->step[k] == NONE || start > g->step[k])
		g->step[k] = start;
	return k == c->nrefs - 1;
}

int
corr_event(struct corr *c, size_t k, int64_t t, const char *key, size_t kn,
    const char *val, size_t vn)
{
	struct group *g = lookup(c, key, kn);
	int fire = 0;

	if (g->last == NONE || t > g->last)
		g->last = t;
	switch (c->kind) {
	case CORR_EVENT_COUNT:
		fire = event_count(c, g, t);
		break;
	case CORR_VALUE_COUNT:
		fire = value_count(c, g, t, val, vn);
		break;
	case CORR_TEMPORAL:
		fire = temporal(c, g, k, t);
		break;
	case CORR_TEMPORAL_ORDERED:
		fire = ordered(c, g, k, t);
		break;
	}
	/* A count starts over after it fires; a sequence stays armed, so
	 * that each later last step within the timespan is marked too. */
	if (fire && (c->kind == CORR_EVENT_COUNT || c->kind == CORR_VALUE_COUNT))
		reset(c, g);
	c->bytes -= g->bytes;
	g->bytes = group_bytes(c, g);
	c->bytes += g->bytes;
	return fire;
}

void
corr_expire(struct corr *c, int64_t now)
{
	if (c->swept != NONE && now - c->swept < c->span &&
	    c->ngroups < c->nslots)
		return;
	c->swept = now;
	for (size_t i = 0; i < c->nslots; i++) {
		struct group **pp = &c->tab[i];

		while (*pp) {
			struct group *g = *pp;

			if (g->last < now - c->span) {
				*pp = g->next;
				c->bytes -= g->bytes;
				group_free(g);
				c->ngroups--;
			} else
				pp = &g->next;
		}
	}
}

size_t
corr_groups(const struct corr *c)
{
	return c->ngroups;
}

size_t
corr_bytes(const struct corr *c)
{
	return c->bytes;
}
