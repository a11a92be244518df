/*
 * bagsummary.c — what a reviewer reads first: data/summary.md and
 * data/summary.html, written for a lawyer rather than an engineer.
 *
 * The page says, in this order: what was asked (who, which tenant and
 * accounts, which window, which profile and why), what was found, the key
 * events (detection findings first, then account-level security events,
 * then data access), what was removed and why, what was dropped and where
 * to look, the approvals, the gap in GitLab's audit events, and where the
 * evidence came from.  Technical tables follow in an appendix.
 *
 * While the records stream by only counters are kept (by source, by format
 * and event type, by day and hour and kind of event) and, per kind, the
 * earliest few events; memory depends on the variety of the records, never
 * their number.  At the end the same tables are rendered twice: Markdown
 * for a terminal ("ldbundle review") and one self-contained HTML page that
 * loads nothing, runs nothing and says so in its Content-Security-Policy.
 * Every value that comes from a log is escaped: log lines are written by
 * whoever sent the requests.
 *
 * The approvals are made after the page (they sign it), so the page holds
 * a marked place for them that "ldbundle review --html" fills in.
 *
 * This file counts; bagpage.c writes the page, in bagwords.c's words.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "bag/bagint.h"
#include "format/jsonx.h"

struct bag_summary *
bag_summary_new(void)
{
	struct bag_summary *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->by_src = json_object();
	s->by_type = json_object();
	s->by_day = json_object();
	s->by_hour = json_object();
	s->hunts = json_object();
	if (!s->by_src || !s->by_type || !s->by_day || !s->by_hour ||
	    !s->hunts) {
		bag_summary_free(s);
		return NULL;
	}
	return s;
}

void
bag_summary_free(struct bag_summary *s)
{
	size_t k, i;

	if (s == NULL)
		return;
	json_decref(s->by_src);
	json_decref(s->by_type);
	json_decref(s->by_day);
	json_decref(s->by_hour);
	json_decref(s->hunts);
	for (k = 0; k < K_N; k++)
		for (i = 0; i < s->nkeep[k]; i++) {
			free(s->keep[k][i].text);
			free(s->keep[k][i].title);
		}
	ld_buf_free(&s->first);
	ld_buf_free(&s->last);
	ld_buf_free(&s->tmp);
	free(s);
}

uint64_t
bag_summary_count(const struct bag_summary *s)
{
	return s->total;
}

/* inc - count one more of the n bytes of key.  Running out of memory
 * aborts, as in ld_xmalloc(). */
static void
inc(json_t *obj, const char *key, size_t n)
{
	char *k = ld_xstrndup(key, n);
	json_t *v = json_object_get(obj, k);

	if (v == NULL) {
		if (json_object_set_new(obj, k, json_integer(1)) == -1)
			abort();
	} else
		json_integer_set(v, json_integer_value(v) + 1);
	free(k);
}

/* ------------------------------------------------------------ counting */

/* event_line - "ts  what  by USER from IP in PROJECT  (src:line)". */
static void
event_line(const struct ld_rec *r, struct ld_buf *b)
{
	char ts[LD_TIME_BUFSZ], *ev = NULL;
	const char *w;

	ld_time_format(&r->ts, ts);
	ld_buf_reset(b);
	if (r->has_ts) {
		/* to the second: a reader needs no more on this page */
		ld_buf_add(b, ts, 10);
		ld_buf_adds(b, " ");
		ld_buf_add(b, ts + 11, 8);
		ld_buf_adds(b, " UTC  ");
	} else
		ld_buf_adds(b, "(no time)  ");
	if (r->f[LD_F_EVENT])
		ev = ld_xstrndup(r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
	if ((w = bag_words_of(ev)) != NULL) {
		ld_buf_adds(b, w);
		ld_buf_adds(b, " [");
		ld_buf_adds(b, ev);
		ld_buf_adds(b, "]");
	} else
		ld_buf_adds(b, ev ? ev : "(unknown event)");
	free(ev);
	if (r->f[LD_F_USER]) {
		ld_buf_adds(b, ", by ");
		ld_buf_add(b, r->f[LD_F_USER], r->flen[LD_F_USER]);
	}
	if (r->f[LD_F_IP]) {
		ld_buf_adds(b, ", from ");
		ld_buf_add(b, r->f[LD_F_IP], r->flen[LD_F_IP]);
	}
	if (r->f[LD_F_PROJECT]) {
		ld_buf_adds(b, ", in ");
		ld_buf_add(b, r->f[LD_F_PROJECT], r->flen[LD_F_PROJECT]);
	}
	ld_buf_addf(b, "  (%s, %s line %llu)", bag_family_of(r->fmtname),
	    r->src ? r->src : "-", (unsigned long long)r->line);
}

/* keep - remember the event among the BAG_KEEP earliest of its kind. */
static void
keep(struct bag_summary *s, enum bag_kind k, const struct ld_rec *r,
    const char *title)
{
	struct sample *v = s->keep[k];
	size_t n = s->nkeep[k], i;
	int64_t ns = r->has_ts ? r->ts.ns : INT64_MAX;

	if (n == BAG_KEEP && ns >= v[n - 1].ns)
		return;
	if (n == BAG_KEEP) {
		free(v[n - 1].text);
		free(v[n - 1].title);
		n--;
	}
	/* after its equals: the input order breaks ties */
	for (i = n; i > 0 && v[i - 1].ns > ns; i--)
		v[i] = v[i - 1];
	event_line(r, &s->tmp);
	v[i].ns = ns;
	v[i].text = ld_xstrdup(s->tmp.p);
	v[i].title = title ? ld_xstrdup(title) : NULL;
	s->nkeep[k] = n + 1;
}

/* bucket - count one event of kind k in the bucket key of obj. */
static void
bucket(json_t *obj, const char *key, enum bag_kind k)
{
	json_t *a = json_object_get(obj, key);
	size_t i = k == K_ACCOUNT ? 0 : k == K_DATA ? 1 : 2;

	if (a == NULL) {
		a = json_pack("[iii]", 0, 0, 0);
		if (a == NULL || json_object_set_new(obj, key, a) == -1)
			abort();
	}
	json_integer_set(json_array_get(a, i),
	    json_integer_value(json_array_get(a, i)) + 1);
}

/* hunt_titles - the findings of ldhunt in the record's "hunt" member, as
 * "title; title".  Returns a new string or NULL when there are none. */
static char *
hunt_titles(struct bag_summary *s, const char *line, size_t len)
{
	const char *vs;
	size_t vn, i;
	json_t *h, *e;
	struct ld_buf b = { 0 };

	if (line == NULL || ld_json_raw_member(line, len, "hunt", &vs, &vn) != 1 ||
	    (h = json_loadb(vs, vn, 0, NULL)) == NULL)
		return NULL;
	json_array_foreach(h, i, e) {
		const char *t = json_string_value(json_object_get(e, "title"));
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *lv = json_string_value(json_object_get(e, "level"));
		json_t *c;

		if (t == NULL)
			t = id ? id : "(untitled finding)";
		if (b.len)
			ld_buf_adds(&b, "; ");
		ld_buf_adds(&b, t);
		if ((c = json_object_get(s->hunts, t)) == NULL) {
			c = json_pack("{s:s,s:I}", "level", lv ? lv : "",
			    "n", (json_int_t)0);
			if (c == NULL || json_object_set_new(s->hunts, t, c))
				abort();
		}
		json_object_set_new(c, "n", json_integer(
		    json_integer_value(json_object_get(c, "n")) + 1));
	}
	json_decref(h);
	if (b.len == 0)
		return NULL;
	return ld_buf_detach(&b);
}

/* bag_summary_add - count one record; line (len bytes) is its text as
 * read, or NULL. */
void
bag_summary_add(struct bag_summary *s, const struct ld_rec *r,
    const char *line, size_t len)
{
	char ts[LD_TIME_BUFSZ], *ev, *titles;
	enum bag_kind k;

	s->total++;
	inc(s->by_src, r->src ? r->src : "-", r->src ? strlen(r->src) : 1);
	ld_buf_reset(&s->tmp);
	ld_buf_adds(&s->tmp, r->fmtname ? r->fmtname : "-");
	ld_buf_addc(&s->tmp, '\t');
	if (r->f[LD_F_EVENT])
		ld_buf_add(&s->tmp, r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
	else
		ld_buf_adds(&s->tmp, "(unknown)");
	inc(s->by_type, s->tmp.p, s->tmp.len);
	ev = r->f[LD_F_EVENT] ? ld_xstrndup(r->f[LD_F_EVENT],
	    r->flen[LD_F_EVENT]) : NULL;
	k = bag_kind_of(ev);
	free(ev);
	s->kinds[k]++;
	if ((titles = hunt_titles(s, line, len)) != NULL) {
		s->kinds[K_HUNT]++;
		keep(s, K_HUNT, r, titles);
		free(titles);
	}
	if (k != K_OTHER)
		keep(s, k, r, NULL);
	if (!r->has_ts) {
		s->untimed++;
		return;
	}
	ld_time_format(&r->ts, ts);
	ts[10] = '\0';
	bucket(s->by_day, ts, k);
	ts[10] = 'T';
	ts[13] = '\0';
	bucket(s->by_hour, ts, k);
	if (!s->timed || r->ts.ns < s->first_ns) {
		event_line(r, &s->first);
		s->first_ns = r->ts.ns;
	}
	if (!s->timed || r->ts.ns >= s->last_ns) {
		event_line(r, &s->last);
		s->last_ns = r->ts.ns;
	}
	s->timed = 1;
}

