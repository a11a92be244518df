/*
 * result.c — the kept answer of an ldsh session's last search.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell/result.h"
#include "timeline/timeline.h"

/* The memory bound of sorting a result for show; past it, runs go to
 * temporary files. */
#define SORT_MEMORY ((size_t)64 << 20)

static void
strv_copy(struct ld_strv *d, char *const *v, size_t n, int sort)
{
	d->v = ld_xcalloc(n + 1, sizeof(char *));
	d->n = n;
	for (size_t i = 0; i < n; i++)
		d->v[i] = ld_xstrdup(v[i]);
	/* Lists are sets: their order does not matter. */
	for (size_t i = 1; sort && i < n; i++)
		for (size_t k = i; k > 0 && strcmp(d->v[k - 1], d->v[k]) > 0; k--) {
			char *t = d->v[k];

			d->v[k] = d->v[k - 1];
			d->v[k - 1] = t;
		}
}

void
sh_query_of(struct sh_query *q, const struct ld_scope *s, const char *pattern,
    int icase, char *const *preds, size_t npreds, char *const *src,
    size_t nsrc)
{
	const struct ld_strv *lists[6] = { &s->namespaces, &s->projects,
	    &s->users, &s->events, &s->ips_text, &s->cids };
	struct ld_buf o = { 0 };

	memset(q, 0, sizeof(*q));
	for (int i = 0; i < 6; i++)
		strv_copy(&q->f[i], lists[i]->v, lists[i]->n, 1);
	q->has_since = s->has_since;
	q->since = s->since;
	q->has_until = s->has_until;
	q->until = s->until;
	q->pattern = pattern ? ld_xstrdup(pattern) : NULL;
	q->icase = pattern ? icase : 0;
	strv_copy(&q->preds, preds, npreds, 1);
	strv_copy(&q->src, src, nsrc, 0);
	/* What else a scope holds must be equal: written out as one text. */
	ld_buf_addf(&o, "tenant=%s\nprofile=%s\nrequested=%d:%lld\n",
	    s->tenant ? s->tenant : "", s->profile ? s->profile : "",
	    s->has_requested, (long long)s->requested_at);
	for (size_t i = 0; i < s->accounts.n; i++)
		ld_buf_addf(&o, "own=%s\n", s->accounts.v[i]);
	ld_buf_add(&o, "", 0);
	q->other = ld_buf_detach(&o);
}

void
sh_query_free(struct sh_query *q)
{
	for (int i = 0; i < 6; i++)
		ld_strv_free(&q->f[i]);
	free(q->pattern);
	ld_strv_free(&q->preds);
	ld_strv_free(&q->src);
	free(q->other);
	memset(q, 0, sizeof(*q));
}

static int
has(const struct ld_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

int
sh_query_within(const struct sh_query *q, const struct sh_query *old)
{
	if (q->src.n != old->src.n || strcmp(q->other, old->other) != 0)
		return 0;
	for (size_t i = 0; i < q->src.n; i++)
		if (strcmp(q->src.v[i], old->src.v[i]) != 0)
			return 0;
	/* The pattern is searched in the raw line: the records hold it
	 * escaped, so it must be the one already applied. */
	if ((q->pattern == NULL) != (old->pattern == NULL) ||
	    (q->pattern && (strcmp(q->pattern, old->pattern) != 0 ||
	    q->icase != old->icase)))
		return 0;
	/* Values of one list are ORed: fewer values narrow, and a list that
	 * was empty (anything) may get some. */
	for (int i = 0; i < 6; i++) {
		if (old->f[i].n == 0)
			continue;
		if (q->f[i].n == 0)
			return 0;
		for (size_t k = 0; k < q->f[i].n; k++)
			if (!has(&old->f[i], q->f[i].v[k]))
				return 0;
	}
	if (old->has_since && (!q->has_since || q->since < old->since))
		return 0;
	if (old->has_until && (!q->has_until || q->until > old->until))
		return 0;
	/* Predicates are ANDed: more of them narrow. */
	for (size_t k = 0; k < old->preds.n; k++)
		if (!has(&q->preds, old->preds.v[k]))
			return 0;
	return 1;
}

/* An unlinked temporary file: nothing is left behind, even on a kill. */
static FILE *
temp_file(struct ld_err *err)
{
	const char *dir = getenv("TMPDIR");
	struct ld_buf path = { 0 };
	FILE *fp = NULL;
	int fd;

	ld_buf_addf(&path, "%s/ldsh.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path.p)) < 0)
		ld_err_set(err, "temporary file in %s: %s", dir && *dir ? dir :
		    "/tmp", strerror(errno));
	else {
		unlink(path.p);
		if ((fp = fdopen(fd, "w+")) == NULL) {
			ld_err_set(err, "temporary file: %s", strerror(errno));
			close(fd);
		}
	}
	ld_buf_free(&path);
	return fp;
}

struct sh_result *
sh_result_new(struct ld_err *err)
{
	struct sh_result *r = ld_xcalloc(1, sizeof(*r));

	if ((r->fp = temp_file(err)) == NULL) {
		free(r);
		return NULL;
	}
	/* The file has no name left; the engine opens it through its
	 * descriptor. */
	snprintf(r->path, sizeof(r->path), "/dev/fd/%d", fileno(r->fp));
	return r;
}

static void
counts_free(struct sh_result *r)
{
	for (size_t i = 0; i < r->nc; i++)
		free(r->units[i]);
	free(r->units);
	free(r->counts);
	r->units = NULL;
	r->counts = NULL;
	r->nc = 0;
}

void
sh_result_free(struct sh_result *r)
{
	if (r == NULL)
		return;
	sh_query_free(&r->q);
	if (r->fp)
		fclose(r->fp);
	if (r->sorted)
		fclose(r->sorted);
	counts_free(r);
	free(r);
}

int
sh_result_count(struct sh_result *r, struct ld_parser *p,
    const volatile sig_atomic_t *cancel, struct ld_err *err)
{
	struct ld_strtab *names = ld_strtab_new();
	struct ld_rec rec = { 0 };
	uint64_t *counts = NULL;
	size_t cap = 0, nl;
	char *line = NULL;
	ssize_t n;
	int rc = 0;

	counts_free(r);
	rewind(r->fp);
	while ((n = getline(&line, &cap, r->fp)) > 0) {
		uint32_t id;

		if (cancel && *cancel) {
			rc = ld_err_set(err, "interrupted");
			break;
		}
		nl = (size_t)n - (line[n - 1] == '\n');
		ld_parse_line(p, NULL, "-", 0, line, nl, &rec);
		id = ld_strtab_id(names, rec.src ? rec.src : "-",
		    rec.src ? strlen(rec.src) : 1);
		if (id >= r->nc) {
			counts = ld_xrealloc(counts, (id + 1) * sizeof(*counts));
			counts[id] = 0;
			r->nc = id + 1;
		}
		counts[id]++;
	}
	if (rc == 0) {
		r->counts = counts;
		r->units = ld_xcalloc(r->nc + 1, sizeof(char *));
		for (size_t i = 0; i < r->nc; i++)
			r->units[i] = ld_xstrdup(ld_strtab_name(names, (uint32_t)i));
	} else {
		free(counts);
		r->nc = 0;
	}
	free(line);
	ld_rec_free(&rec);
	ld_strtab_free(names);
	return rc;
}

int
sh_result_sort(struct sh_result *r, struct ld_parser *p,
    const volatile sig_atomic_t *cancel, struct ld_err *err)
{
	struct ld_tl *t;
	struct ld_dedup *d;
	struct ld_tl_key k;
	struct ld_rec rec = { 0 };
	const char *text;
	char *line = NULL;
	size_t cap = 0, tn;
	ssize_t n;
	FILE *out;
	int rc = -1, more;

	if (r->sorted)
		return 0;
	if ((out = temp_file(err)) == NULL)
		return -1;
	t = ld_tl_new(SORT_MEMORY, NULL);
	d = ld_dedup_new(SORT_MEMORY / 4 / 16);
	r->nsorted = 0;
	rewind(r->fp);
	while ((n = getline(&line, &cap, r->fp)) > 0) {
		if (cancel && *cancel) {
			ld_err_set(err, "interrupted");
			goto out;
		}
		if (line[n - 1] == '\n')
			n--;
		ld_parse_line(p, NULL, "-", 0, line, (size_t)n, &rec);
		ld_tl_key(t, &rec, &k);
		if (ld_tl_add(t, &k, line, (size_t)n, err) < 0)
			goto out;
	}
	if (ld_tl_sort(t, err) < 0)
		goto out;
	while ((more = ld_tl_next(t, &k, &text, &tn, err)) == 1) {
		if (cancel && *cancel) {
			ld_err_set(err, "interrupted");
			goto out;
		}
		if (ld_dedup_check(d, &k))
			continue;
		if (fwrite(text, 1, tn, out) != tn || putc('\n', out) == EOF) {
			ld_err_set(err, "temporary file: %s", strerror(errno));
			goto out;
		}
		r->nsorted++;
	}
	if (more < 0)
		goto out;
	if (fflush(out) != 0) {
		ld_err_set(err, "temporary file: %s", strerror(errno));
		goto out;
	}
	r->sorted = out;
	out = NULL;
	rc = 0;
out:
	if (out)
		fclose(out);
	free(line);
	ld_rec_free(&rec);
	ld_dedup_free(d);
	ld_tl_free(t);
	return rc;
}
