/*
 * hunt.c — running a rule set over the records of the grep engine: the
 * detections as the records come, then the correlations in time order
 * (see hunt.h for the two passes).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/corr.h"
#include "hunt/huntint.h"
#include "timeline/timeline.h"

/*
 * The hunt's own memory, besides the sources' (see hunt.h): the sorter's
 * arena while the sources are read, paid from the budget of the sources
 * read at once (LD_SRC_WORK_MEMORY), whose rest goes to the grep engine's
 * pool; and, once they are closed, CORR_SHARE times it for the
 * correlation groups of all rules together.
 */
#define DEFAULT_MEMORY ((size_t)4 << 20)
#define CORR_SHARE 4
#define SORTER_MIN ((size_t)1 << 20)	/* what ld_tl_new() takes at least */
#define OUT_CHUNK ((size_t)64 << 10)

struct ld_hunt {
	const struct ld_rules *rs;
	const struct ld_formats *fs;
	enum ld_level min;
	size_t memory;
	int records;
	int partial;		/* write the candidates, for a later run */
	struct corr **corr;	/* per rule; NULL for detections */
	/* scratch of the searching threads, taken and given back */
	pthread_mutex_t mu;
	struct mscratch **pool;
	size_t npool, cpool;
	struct ld_parser *p;
	struct ld_rec rec;
	struct ld_tl *tl;
	struct ld_buf part;	/* a line not yet complete */
	struct ld_buf tag;
	struct ld_buf ob;	/* output waiting to be written */
	struct ld_buf hj;	/* the hunt member of one record */
	struct ld_buf key, val;
	const struct ld_grep_sink *sink;	/* of the run */
	int err;		/* a sorter error (in errmsg) */
	struct ld_err errmsg;
	unsigned char *hit;	/* per rule: matched at this record */
	unsigned char *fired;
	struct ld_finding *fd;	/* per rule */
	struct ld_finding **sorted;
	size_t nsorted;
	struct ld_hunt_stats st;
};

struct ld_hunt *
ld_hunt_new(const struct ld_rules *rs, const struct ld_formats *fs,
    enum ld_level min)
{
	struct ld_hunt *h = ld_xcalloc(1, sizeof(*h));

	h->rs = rs;
	h->fs = fs;
	h->min = min;
	h->memory = DEFAULT_MEMORY;
	h->records = 1;
	h->corr = ld_xcalloc(rs->n + 1, sizeof(*h->corr));
	h->hit = ld_xcalloc(rs->n + 1, 1);
	h->fired = ld_xcalloc(rs->n + 1, 1);
	h->fd = ld_xcalloc(rs->n + 1, sizeof(*h->fd));
	h->sorted = ld_xcalloc(rs->n + 1, sizeof(*h->sorted));
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		h->fd[i].rule = &r->info;
		if (r->kind != R_DETECT)
			h->corr[i] = corr_new(r->kind == R_EVENT_COUNT ?
			    CORR_EVENT_COUNT : r->kind == R_VALUE_COUNT ?
			    CORR_VALUE_COUNT : r->kind == R_TEMPORAL ?
			    CORR_TEMPORAL : CORR_TEMPORAL_ORDERED, r->count,
			    r->span, r->nrefs);
	}
	pthread_mutex_init(&h->mu, NULL);
	return h;
}

void
ld_hunt_free(struct ld_hunt *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->rs->n; i++)
		corr_free(h->corr[i]);
	free(h->corr);
	free(h->hit);
	free(h->fired);
	free(h->fd);
	free(h->sorted);
	for (size_t i = 0; i < h->npool; i++) {
		free(h->pool[i]->fmt);
		free(h->pool[i]->ok);
		pcre2_match_data_free(h->pool[i]->md);
		ld_buf_free(&h->pool[i]->v);
		free(h->pool[i]);
	}
	free(h->pool);
	pthread_mutex_destroy(&h->mu);
	ld_parser_free(h->p);
	ld_rec_free(&h->rec);
	ld_tl_free(h->tl);
	ld_buf_free(&h->part);
	ld_buf_free(&h->tag);
	ld_buf_free(&h->ob);
	ld_buf_free(&h->hj);
	ld_buf_free(&h->key);
	ld_buf_free(&h->val);
	free(h);
}

void
ld_hunt_set_memory(struct ld_hunt *h, size_t bytes)
{
	h->memory = bytes;
}

void
ld_hunt_set_output(struct ld_hunt *h, int records)
{
	h->records = records;
}

void
ld_hunt_set_partial(struct ld_hunt *h, int partial)
{
	h->partial = partial;
}

const struct ld_hunt_stats *
ld_hunt_stats(const struct ld_hunt *h)
{
	return &h->st;
}

/* ---- pass one: detections, in source order ---- */

static int
applies(const struct rule *r, const struct ld_rec *rec)
{
	if (r->kind != R_DETECT || r->placeholder || r->nofmt)
		return 0;
	if (r->fmts == NULL)
		return 1;
	if (rec->fmtname == NULL)
		return 0;
	for (size_t i = 0; r->fmts[i]; i++) {
		const char *f = r->fmts[i];
		size_t n = strlen(f);

		/* "gitlab.*": every format of that family */
		if (n > 0 && f[n - 1] == '*' ?
		    strncmp(f, rec->fmtname, n - 1) == 0 :
		    strcmp(f, rec->fmtname) == 0)
			return 1;
	}
	return 0;
}

/* A scratch for one searching thread: from the pool, or a new one. */
static struct mscratch *
scratch_get(struct ld_hunt *h)
{
	struct mscratch *ms = NULL;

	pthread_mutex_lock(&h->mu);
	if (h->npool)
		ms = h->pool[--h->npool];
	pthread_mutex_unlock(&h->mu);
	if (ms == NULL) {
		ms = ld_xcalloc(1, sizeof(*ms));
		if ((ms->md = pcre2_match_data_create(16, NULL)) == NULL)
			abort();
	}
	return ms;
}

static void
scratch_put(struct ld_hunt *h, struct mscratch *ms)
{
	pthread_mutex_lock(&h->mu);
	if (h->npool == h->cpool) {
		h->cpool = h->cpool ? 2 * h->cpool : 8;
		h->pool = ld_xrealloc(h->pool, h->cpool * sizeof(*h->pool));
	}
	h->pool[h->npool++] = ms;
	pthread_mutex_unlock(&h->mu);
}

/*
 * The grep engine's filter, in its threads: keep a record some detection
 * selects, with the indices of those rules ("3,7\t") before it.  The
 * others are never written, so most records cost one parse and no copy.
 */
static int
detect(void *arg, struct ld_rec *r, struct ld_buf *pre)
{
	struct ld_hunt *h = arg;
	const struct ld_rules *rs = h->rs;
	struct mscratch *ms = scratch_get(h);
	size_t at = pre->len;

	/* Records of one format come in runs: which rules apply to it is
	 * worked out once a run. */
	if (ms->ok == NULL || (ms->fmt == NULL) != (r->fmtname == NULL) ||
	    (ms->fmt && strcmp(ms->fmt, r->fmtname) != 0)) {
		free(ms->fmt);
		ms->fmt = r->fmtname ? ld_xstrdup(r->fmtname) : NULL;
		if (ms->ok == NULL)
			ms->ok = ld_xcalloc(rs->n + 1, 1);
		for (size_t i = 0; i < rs->n; i++)
			ms->ok[i] = (unsigned char)applies(&rs->r[i], r);
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *x = &rs->r[i];

		if (ms->ok[i] && match_cond(x->cond, x->sels, r, ms))
			ld_buf_addf(pre, "%s%zu", pre->len > at ? "," : "", i);
	}
	scratch_put(h, ms);
	if (pre->len == at)
		return 0;
	ld_buf_addc(pre, '\t');
	return 1;
}

/*
 * A selected record from the grep engine: "rules\trecord", to the sorter.
 * Its key is read from the record's first bytes (the grep engine wrote
 * them); the de-duplication hash is made in the second pass, and only
 * when correlations need it.
 */
static void
candidate(struct ld_hunt *h, const char *line, size_t n)
{
	const char *tab = memchr(line, '\t', n);
	size_t rn;
	struct ld_tl_key k;

	if (tab == NULL || h->err)
		return;
	h->st.candidates++;
	rn = n - (size_t)(tab + 1 - line);
	if (!ld_tl_key_quick(h->tl, tab + 1, rn, &k)) {
		ld_parse_line(h->p, NULL, "-", 0, tab + 1, rn, &h->rec);
		ld_tl_key(h->tl, &h->rec, &k);
	}
	if (ld_tl_add(h->tl, &k, line, n, &h->errmsg) < 0)
		h->err = 1;
}

/* The grep engine writes the selected records into this stream. */
static ssize_t
sink_write(void *arg, const char *p, size_t n)
{
	struct ld_hunt *h = arg;
	size_t i = 0;
	const char *e;

	while (i < n) {
		if ((e = memchr(p + i, '\n', n - i)) == NULL) {
			ld_buf_add(&h->part, p + i, n - i);
			break;
		}
		if (h->part.len) {
			ld_buf_add(&h->part, p + i, (size_t)(e - p) - i);
			candidate(h, h->part.p, h->part.len);
			ld_buf_reset(&h->part);
		} else
			candidate(h, p + i, (size_t)(e - p) - i);
		i = (size_t)(e - p) + 1;
	}
	return (ssize_t)n;
}

/* ---- pass two: correlations, in time order ---- */

/*
 * The correlation groups of all rules past their limit: the rule that
 * holds the most is dropped, said to the sink (a problem: the run's
 * status says so) with its file, line and the time, and does not run
 * after it.  Its findings until then stay.  Never a silent skip.
 */
static void
corr_limit(struct ld_hunt *h, const struct ld_rec *r)
{
	const struct ld_rules *rs = h->rs;
	size_t total = 0, big = 0, most = 0;
	char ts[LD_TIME_BUFSZ];
	struct ld_buf m = { 0 };
	const struct rule *c;

	for (size_t o = 0; o < rs->ncorder; o++) {
		size_t ci = rs->corder[o], b;

		if (h->corr[ci] == NULL)
			continue;
		b = corr_bytes(h->corr[ci]);
		total += b;
		if (b > most) {
			most = b;
			big = ci;
		}
	}
	if (total <= h->memory * CORR_SHARE || most == 0)
		return;
	c = &rs->r[big];
	ld_time_format(&r->ts, ts);
	ld_buf_addf(&m, "%s:%zu: rule %s: correlation groups past the limit "
	    "of %zu KiB (--memory %zu KiB, times %d) at %s, %zu groups open "
	    "within its timespan; the rule is not run from then on",
	    c->file, c->line, c->info.id, h->memory * CORR_SHARE >> 10,
	    h->memory >> 10, CORR_SHARE, ts, corr_groups(h->corr[big]));
	ld_buf_add(&m, "", 0);
	if (h->sink && h->sink->diag)
		h->sink->diag(h->sink->arg, m.p);
	ld_buf_free(&m);
	corr_free(h->corr[big]);
	h->corr[big] = NULL;
	h->st.corr_dropped++;
}

/* The group key of r for correlation c: its group-by values, without ASCII
 * case, separated by 0x1f; 0 when one is missing. */
static int
group_key(struct ld_hunt *h, const struct rule *c, struct ld_rec *r)
{
	ld_buf_reset(&h->key);
	for (size_t g = 0; g < c->ngroup; g++) {
		size_t at = h->key.len;

		if (g)
			ld_buf_addc(&h->key, 0x1f);
		at = h->key.len;
		if (!match_field_text(r, c->gcanon[g], c->group[g], &h->key))
			return 0;
		for (size_t i = at; i < h->key.len; i++)
			if (h->key.p[i] >= 'A' && h->key.p[i] <= 'Z')
				h->key.p[i] += 32;
	}
	ld_buf_add(&h->key, "", 0);
	return 1;
}

static void
correlate(struct ld_hunt *h, struct ld_rec *r)
{
	const struct ld_rules *rs = h->rs;
	int64_t t = r->ts.ns;

	for (size_t o = 0; o < rs->ncorder; o++) {
		size_t ci = rs->corder[o];
		const struct rule *c = &rs->r[ci];
		int any = 0;

		if (h->corr[ci] == NULL)
			continue;	/* dropped at the limit */
		for (size_t k = 0; k < c->nrefs && !any; k++)
			any = h->hit[c->ref[k]];
		corr_expire(h->corr[ci], t);
		if (!any || !group_key(h, c, r))
			continue;
		if (c->kind == R_VALUE_COUNT) {
			ld_buf_reset(&h->val);
			if (!match_field_text(r, c->vcanon, c->vfield, &h->val))
				continue;
			for (size_t i = 0; i < h->val.len; i++)
				if (h->val.p[i] >= 'A' && h->val.p[i] <= 'Z')
					h->val.p[i] += 32;
		}
		/* Later steps first, so one record is not two steps. */
		for (size_t k = c->nrefs; k-- > 0;)
			if (h->hit[c->ref[k]] && corr_event(h->corr[ci], k, t,
			    h->key.p, h->key.len, h->val.p ? h->val.p : "",
			    h->val.len))
				h->hit[ci] = h->fired[ci] = 1;
		if (corr_groups(h->corr[ci]) > h->st.groups_max)
			h->st.groups_max = corr_groups(h->corr[ci]);
	}
	corr_limit(h, r);
}

static void
found(struct ld_finding *f, const struct ld_rec *r)
{
	f->fired++;
	if (!r->has_ts)
		return;
	if (!f->has_first) {
		f->has_first = 1;
		f->first = r->ts;
	}
	f->last = r->ts;
}

/* The hunt member of r into h->hj; 0 when no rule fired at level. */
static int
annotate(struct ld_hunt *h, struct ld_rec *r)
{
	const struct ld_rules *rs = h->rs;
	int n = 0;

	ld_buf_reset(&h->hj);
	ld_buf_adds(&h->hj, ",\"hunt\":[");
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *x = &rs->r[i];

		if (!h->fired[i] || x->info.level < h->min)
			continue;
		found(&h->fd[i], r);
		if (n++)
			ld_buf_addc(&h->hj, ',');
		ld_buf_adds(&h->hj, "{\"id\":");
		ld_buf_add_json_str(&h->hj, x->info.id, strlen(x->info.id));
		ld_buf_adds(&h->hj, ",\"title\":");
		ld_buf_add_json_str(&h->hj, x->info.title, strlen(x->info.title));
		ld_buf_adds(&h->hj, ",\"level\":\"");
		ld_buf_adds(&h->hj, ld_level_name(x->info.level));
		ld_buf_adds(&h->hj, "\",\"tags\":[");
		for (size_t t = 0; t < x->info.ntags; t++) {
			if (t)
				ld_buf_addc(&h->hj, ',');
			ld_buf_add_json_str(&h->hj, x->info.tags[t],
			    strlen(x->info.tags[t]));
		}
		ld_buf_adds(&h->hj, "]}");
	}
	ld_buf_addc(&h->hj, ']');
	return n;
}

/* The record line with h->hj put before its "ev" member, in place of
 * the findings of an earlier run.  The line is ld_rec_write()'s, whose
 * members before "ev" are strings without a raw quote, so the first
 * ,"hunt":[ and ,"ev": are the members themselves. */
static void
emit(struct ld_hunt *h, const char *line, size_t n)
{
	const char *ev = memmem(line, n, ",\"ev\":", 6);
	const char *old = memmem(line, ev ? (size_t)(ev - line) : n,
	    ",\"hunt\":[", 9);
	size_t at = ev ? (size_t)(ev - line) : n - 1;

	ld_buf_add(&h->ob, line, old ? (size_t)(old - line) : at);
	ld_buf_add(&h->ob, h->hj.p, h->hj.len);
	ld_buf_add(&h->ob, line + at, n - at);
	ld_buf_addc(&h->ob, '\n');
}

static int
flush_out(struct ld_hunt *h, FILE *out)
{
	if (h->ob.len && fwrite(h->ob.p, 1, h->ob.len, out) != h->ob.len)
		return -1;
	ld_buf_reset(&h->ob);
	return 0;
}

static int
second_pass(struct ld_hunt *h, FILE *out)
{
	const struct ld_rules *rs = h->rs;
	struct ld_dedup *dd = ld_dedup_new(1u << 20);
	struct ld_tl_key k, full;
	const char *text, *line;
	size_t n;
	int rc;

	while ((rc = ld_tl_next(h->tl, &k, &text, &n, &h->errmsg)) == 1) {
		const char *tab = memchr(text, '\t', n), *p = text;

		if (tab == NULL)
			continue;
		if (h->partial) {
			/* Every candidate, every copy, as it came: the run over
			 * all the parts does the rest. */
			h->st.written++;
			if (!h->records)
				continue;
			ld_buf_add(&h->ob, tab + 1, n - (size_t)(tab + 1 - text));
			ld_buf_addc(&h->ob, '\n');
			if (h->ob.len >= OUT_CHUNK && flush_out(h, out) < 0) {
				ld_dedup_free(dd);
				return -2;
			}
			continue;
		}
		memset(h->hit, 0, rs->n);
		memset(h->fired, 0, rs->n);
		while (p < tab) {
			size_t i = (size_t)strtoul(p, (char **)&p, 10);

			if (i < rs->n) {
				h->hit[i] = 1;
				h->fired[i] = !rs->r[i].suppressed;
			}
			if (*p == ',')
				p++;
			else
				break;
		}
		line = tab + 1;
		n -= (size_t)(line - text);
		ld_parse_line(h->p, NULL, "-", 0, line, n, &h->rec);
		if (h->rec.has_ts && rs->ncorder) {
			/* The first pass kept no hash: it is made here, for
			 * every record with a time, so no duplicate is missed. */
			ld_tl_key(h->tl, &h->rec, &full);
			k.by_id = full.by_id;
			memcpy(k.hash, full.hash, sizeof(k.hash));
			if (!ld_dedup_check(dd, &k))
				correlate(h, &h->rec);
		}
		if (annotate(h, &h->rec) == 0)
			continue;
		h->st.written++;
		if (!h->records)
			continue;
		emit(h, line, n);
		if (h->ob.len >= OUT_CHUNK && flush_out(h, out) < 0) {
			ld_dedup_free(dd);
			return -2;
		}
	}
	ld_dedup_free(dd);
	if (rc < 0)
		return -1;
	return flush_out(h, out) < 0 || fflush(out) != 0 ? -2 : 0;
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct ld_finding *x = *(const struct ld_finding *const *)a;
	const struct ld_finding *y = *(const struct ld_finding *const *)b;

	if (x->rule->level != y->rule->level)
		return x->rule->level > y->rule->level ? -1 : 1;
	if (x->has_first != y->has_first)
		return x->has_first ? -1 : 1;
	if (x->has_first && x->first.ns != y->first.ns)
		return x->first.ns < y->first.ns ? -1 : 1;
	return x < y ? -1 : x > y;
}

int
ld_hunt_run(struct ld_hunt *h, struct ld_grep *g, const struct ld_srclist *l,
    FILE *out, const struct ld_grep_sink *sink)
{
	cookie_io_functions_t io = { NULL, sink_write, NULL, NULL };
	size_t arena;
	FILE *fp;
	int rc, rc2;

	ld_parser_free(h->p);
	h->p = ld_parser_new(h->fs, 0);
	ld_parser_set_no_tree(h->p, 1, LD_F_ALL);
	ld_tl_free(h->tl);
	h->tl = ld_tl_new(h->memory, NULL);
	ld_grep_set_output(g, LD_GREP_RECORDS);
	ld_grep_set_filter(g, detect, h);
	/* The sorter's arena is paid from the budget of the sources read
	 * at once: the pool has the rest (with none left, it reads one
	 * source at a time). */
	arena = h->memory > SORTER_MIN ? h->memory : SORTER_MIN;
	ld_grep_set_work_memory(g, arena < LD_SRC_WORK_MEMORY ?
	    LD_SRC_WORK_MEMORY - arena : 0);
	h->sink = sink;
	if ((fp = fopencookie(h, "w", io)) == NULL)
		abort();
	setvbuf(fp, NULL, _IOFBF, OUT_CHUNK);
	rc = ld_grep_run(g, l, fp, sink);
	fclose(fp);
	ld_grep_set_filter(g, NULL, NULL);
	h->st.records = ld_grep_matched(g);
	if (h->part.len) {
		candidate(h, h->part.p, h->part.len);
		ld_buf_reset(&h->part);
	}
	if (h->err || ld_tl_sort(h->tl, &h->errmsg) < 0) {
		if (sink && sink->diag)
			sink->diag(sink->arg, h->errmsg.msg);
		h->sink = NULL;
		return -1;
	}
	rc2 = second_pass(h, out);
	if (rc2 == -1 && sink && sink->diag)
		sink->diag(sink->arg, h->errmsg.msg);
	h->st.spilled = ld_tl_stats(h->tl)->spilled;
	h->sink = NULL;
	h->nsorted = 0;
	for (size_t i = 0; i < h->rs->n; i++)
		if (h->fd[i].fired)
			h->sorted[h->nsorted++] = &h->fd[i];
	qsort(h->sorted, h->nsorted, sizeof(*h->sorted), finding_cmp);
	if (rc2 == 0 && h->st.corr_dropped)
		rc2 = -1;
	return rc2 ? rc2 : rc;
}

const struct ld_finding *
ld_hunt_finding(struct ld_hunt *h, size_t i)
{
	return i < h->nsorted ? h->sorted[i] : NULL;
}

void
ld_hunt_summary(struct ld_hunt *h, struct ld_buf *b)
{
	char t1[LD_TIME_BUFSZ], t2[LD_TIME_BUFSZ];
	const struct ld_finding *f;

	ld_buf_adds(b, "level\tfired\tfirst\tlast\tid\ttitle\n");
	for (size_t i = 0; (f = ld_hunt_finding(h, i)) != NULL; i++) {
		if (f->has_first) {
			ld_time_format(&f->first, t1);
			ld_time_format(&f->last, t2);
		} else
			strcpy(t1, "-"), strcpy(t2, "-");
		ld_buf_addf(b, "%s\t%llu\t%s\t%s\t%s\t%s\n",
		    ld_level_name(f->rule->level),
		    (unsigned long long)f->fired, t1, t2, f->rule->id,
		    f->rule->title);
	}
}
