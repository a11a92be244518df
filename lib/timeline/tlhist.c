/*
 * tlhist.c — events per hour or day, as a terminal chart or SVG.
 *
 * Counts are kept per (bucket, series) in a hash table, so memory grows
 * with the buckets and series that occur, not with the events.  Drawing
 * keeps the LD_HIST_SERIES - 1 largest series and sums the rest as
 * "other".
 */
#include <stdlib.h>
#include <string.h>

#include "timeline/timeline.h"
#include "timeline/tlout.h"

struct cell {
	int64_t bucket;
	uint32_t series;
	uint32_t used;
	uint64_t count;
};

struct ld_hist {
	enum ld_hist_unit unit;
	enum ld_hist_split split;
	struct ld_tz tz;
	struct ld_strtab *names;
	struct cell *cells;
	size_t cap, n;
	uint64_t untimed, total;
	int64_t min, max;
};

/* What drawing needs: the buckets in order, the series shown. */
struct view {
	int64_t *buckets;	/* distinct, ascending */
	size_t nb;
	uint64_t *m;		/* nb × (k + 1) counts */
	uint32_t *slot;		/* series id → column */
	uint64_t *stotal;	/* per column */
	uint32_t *sid;		/* column → series id (k of them) */
	size_t k;		/* named columns; column k is "other" */
	int other;		/* some series are summed in column k */
	uint64_t max;		/* largest bucket total */
};

static const char *const palette[LD_HIST_SERIES + 1] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
	"#b07aa1", "#ff9da7", "#9c9c9c"
};
static const char marks[] = "#=+*%@o&.";
static const int ansi[] = { 34, 33, 31, 36, 32, 93, 35, 95, 90 };

static int64_t
unit_ns(enum ld_hist_unit u)
{
	return (u == LD_HIST_DAY ? 86400 : 3600) * LD_NS_PER_SEC;
}

struct ld_hist *
ld_hist_new(enum ld_hist_unit u, enum ld_hist_split s, const struct ld_tz *tz)
{
	struct ld_hist *h = ld_xcalloc(1, sizeof(*h));

	h->unit = u;
	h->split = s;
	h->tz = *tz;
	h->names = ld_strtab_new();
	return h;
}

void
ld_hist_free(struct ld_hist *h)
{
	if (h == NULL)
		return;
	ld_strtab_free(h->names);
	free(h->cells);
	free(h);
}

static size_t
cell_slot(const struct ld_hist *h, int64_t bucket, uint32_t series)
{
	uint64_t x = (uint64_t)bucket * 0x9e3779b97f4a7c15u ^ series;
	size_t i;

	x ^= x >> 29;
	for (i = (size_t)x & (h->cap - 1); h->cells[i].used;
	    i = (i + 1) & (h->cap - 1))
		if (h->cells[i].bucket == bucket && h->cells[i].series == series)
			break;
	return i;
}

static void
grow(struct ld_hist *h)
{
	struct cell *old = h->cells;
	size_t oldcap = h->cap;

	h->cap = oldcap ? oldcap * 2 : 256;
	h->cells = ld_xcalloc(h->cap, sizeof(*h->cells));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			h->cells[cell_slot(h, old[i].bucket, old[i].series)] =
			    old[i];
	free(old);
}

void
ld_hist_add_at(struct ld_hist *h, int64_t ns, const char *name, size_t n)
{
	int64_t w = unit_ns(h->unit), local, bucket;
	uint32_t series = ld_strtab_id(h->names, name, n);
	struct cell *c;

	local = ns + (int64_t)ld_tz_offset(&h->tz, ns) * LD_NS_PER_SEC;
	bucket = local / w - (local % w < 0);
	if ((h->n + 1) * 4 > h->cap * 3)
		grow(h);
	c = &h->cells[cell_slot(h, bucket, series)];
	if (!c->used) {
		c->used = 1;
		c->bucket = bucket;
		c->series = series;
		h->n++;
	}
	c->count++;
	if (h->total == 0 || bucket < h->min)
		h->min = bucket;
	if (h->total == 0 || bucket > h->max)
		h->max = bucket;
	h->total++;
}

void
ld_hist_add(struct ld_hist *h, const struct ld_rec *r)
{
	const char *name = NULL;
	size_t n = 0;

	if (!r->has_ts) {
		h->untimed++;
		return;
	}
	switch (h->split) {
	case LD_HIST_BY_EVENT:
		name = r->f[LD_F_EVENT];
		n = r->flen[LD_F_EVENT];
		break;
	case LD_HIST_BY_FORMAT:
		name = r->fmtname;
		n = name ? strlen(name) : 0;
		break;
	case LD_HIST_BY_SOURCE:
		name = r->src;
		n = strlen(name);
		break;
	case LD_HIST_BY_NONE:
		name = "events";
		n = 6;
		break;
	}
	if (name == NULL) {
		name = "(none)";
		n = 6;
	}
	ld_hist_add_at(h, r->ts.ns, name, n);
}

struct by_total {
	const struct ld_hist *h;
	const uint64_t *tot;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_series(const void *a, const void *b, void *arg)
{
	const struct by_total *bt = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (bt->tot[x] != bt->tot[y])
		return bt->tot[x] > bt->tot[y] ? -1 : 1;
	return strcmp(ld_strtab_name(bt->h->names, x),
	    ld_strtab_name(bt->h->names, y));
}

static size_t
bucket_index(const struct view *v, int64_t b)
{
	size_t lo = 0, hi = v->nb;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v->buckets[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
view_build(const struct ld_hist *h, struct view *v)
{
	uint32_t ns = ld_strtab_count(h->names), *order;
	struct by_total bt;
	uint64_t *tot;
	size_t i, j;

	memset(v, 0, sizeof(*v));
	tot = ld_xcalloc(ns + 1, sizeof(*tot));
	v->buckets = ld_xmalloc((h->n + 1) * sizeof(*v->buckets));
	for (i = 0; i < h->cap; i++) {
		if (!h->cells[i].used)
			continue;
		tot[h->cells[i].series] += h->cells[i].count;
		v->buckets[v->nb++] = h->cells[i].bucket;
	}
	qsort(v->buckets, v->nb, sizeof(*v->buckets), cmp_i64);
	for (i = j = 0; i < v->nb; i++)
		if (j == 0 || v->buckets[j - 1] != v->buckets[i])
			v->buckets[j++] = v->buckets[i];
	v->nb = j;
	order = ld_xmalloc((ns + 1) * sizeof(*order));
	for (i = 0; i < ns; i++)
		order[i] = (uint32_t)i;
	bt.h = h;
	bt.tot = tot;
	qsort_r(order, ns, sizeof(*order), cmp_series, &bt);
	v->k = ns > LD_HIST_SERIES ? LD_HIST_SERIES - 1 : ns;
	v->other = ns > LD_HIST_SERIES;
	v->slot = ld_xmalloc((ns + 1) * sizeof(*v->slot));
	v->sid = ld_xmalloc((v->k + 1) * sizeof(*v->sid));
	v->stotal = ld_xcalloc(v->k + 1, sizeof(*v->stotal));
	for (i = 0; i < ns; i++) {
		size_t col = i < v->k ? i : v->k;

		v->slot[order[i]] = (uint32_t)col;
		if (i < v->k)
			v->sid[i] = order[i];
		v->stotal[col] += tot[order[i]];
	}
	v->m = ld_xcalloc(v->nb * (v->k + 1) + 1, sizeof(*v->m));
	for (i = 0; i < h->cap; i++)
		if (h->cells[i].used)
			v->m[bucket_index(v, h->cells[i].bucket) * (v->k + 1) +
			    v->slot[h->cells[i].series]] += h->cells[i].count;
	for (i = 0; i < v->nb; i++) {
		uint64_t s = 0;

		for (j = 0; j <= v->k; j++)
			s += v->m[i * (v->k + 1) + j];
		if (s > v->max)
			v->max = s;
	}
	free(order);
	free(tot);
}

static void
view_free(struct view *v)
{
	free(v->buckets);
	free(v->m);
	free(v->slot);
	free(v->sid);
	free(v->stotal);
}

static const char *
col_name(const struct ld_hist *h, const struct view *v, size_t col)
{
	return col < v->k ? ld_strtab_name(h->names, v->sid[col]) : "other";
}

/* "2026-11-16 02:00" or "2026-11-16": the local start of a bucket. */
static void
bucket_label(const struct ld_hist *h, int64_t bucket, char *out)
{
	struct ld_time t = { .ns = bucket * unit_ns(h->unit) };
	char buf[LD_TIME_BUFSZ];

	ld_time_format_off(&t, 0, buf);
	if (h->unit == LD_HIST_DAY) {
		memcpy(out, buf, 10);
		out[10] = '\0';
	} else {
		memcpy(out, buf, 16);
		out[10] = ' ';
		out[16] = '\0';
	}
}

static const char *
unit_name(const struct ld_hist *h, int plural)
{
	if (h->unit == LD_HIST_DAY)
		return plural ? "days" : "day";
	return plural ? "hours" : "hour";
}

/* ", by event" and the like; nothing when the bars are not split. */
static const char *
split_name(const struct ld_hist *h)
{
	static const char *const n[] = { ", by event", ", by format",
	    ", by source", "" };

	return n[h->split];
}

void
ld_hist_text(const struct ld_hist *h, int width, int color, struct ld_buf *b)
{
	struct view v;
	char label[32];
	size_t i, c;

	view_build(h, &v);
	ld_buf_addf(b, "events per %s (%s)%s: %llu\n", unit_name(h, 0),
	    h->tz.name, split_name(h), (unsigned long long)h->total);
	for (c = 0; c <= v.k; c++) {
		if (c == v.k && !v.other)
			break;
		if (color)
			ld_buf_addf(b, "  \033[%dm%c\033[0m ", ansi[c], marks[c]);
		else
			ld_buf_addf(b, "  %c ", marks[c]);
		ld_buf_adds(b, col_name(h, &v, c));
		ld_buf_addf(b, " (%llu)\n", (unsigned long long)v.stotal[c]);
	}
	for (i = 0; i < v.nb; i++) {
		uint64_t cum = 0, sum = 0, *row = &v.m[i * (v.k + 1)];
		int drawn = 0, end;

		if (i > 0 && v.buckets[i] - v.buckets[i - 1] > 1)
			ld_buf_addf(b, "%16s   … %lld empty %s\n", "",
			    (long long)(v.buckets[i] - v.buckets[i - 1] - 1),
			    unit_name(h, 1));
		bucket_label(h, v.buckets[i], label);
		ld_buf_addf(b, "%-16s |", label);
		for (c = 0; c <= v.k; c++)
			sum += row[c];
		for (c = 0; c <= v.k; c++) {
			if (row[c] == 0)
				continue;
			cum += row[c];
			end = (int)((cum * (uint64_t)width + v.max / 2) / v.max);
			if (end <= drawn && cum == sum && drawn == 0)
				end = 1;	/* every non-empty bucket shows */
			if (end <= drawn)
				continue;
			if (color)
				ld_buf_addf(b, "\033[%dm", ansi[c]);
			for (; drawn < end; drawn++)
				ld_buf_addc(b, marks[c]);
			if (color)
				ld_buf_adds(b, "\033[0m");
		}
		ld_buf_addf(b, "%*s %llu\n", width - drawn, "",
		    (unsigned long long)sum);
	}
	if (h->untimed)
		ld_buf_addf(b, "(%llu events without a time are not shown)\n",
		    (unsigned long long)h->untimed);
	view_free(&v);
}

static void
xml_str(struct ld_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': ld_buf_adds(b, "&amp;"); break;
		case '<': ld_buf_adds(b, "&lt;"); break;
		case '>': ld_buf_adds(b, "&gt;"); break;
		case '"': ld_buf_adds(b, "&quot;"); break;
		case '\'': ld_buf_adds(b, "&apos;"); break;
		default:
			/* XML 1.0 allows no other C0 controls. */
			if ((unsigned char)*s < 0x20 && *s != '\t' &&
			    *s != '\n' && *s != '\r')
				ld_buf_addc(b, '?');
			else
				ld_buf_addc(b, *s);
		}
	}
}

void
ld_hist_svg(const struct ld_hist *h, const char *title, struct ld_buf *b)
{
	const double left = 60, top = 40, plotw = 820, ploth = 240;
	struct view v;
	char label[32];
	double bw, y;
	int64_t span;
	size_t i, c, nleg;
	int width = 900, height;

	view_build(h, &v);
	nleg = v.k + (v.other ? 1 : 0);
	height = (int)(top + ploth + 50 + 18 * (double)nleg) +
	    (h->untimed ? 18 : 0);
	span = v.nb ? v.buckets[v.nb - 1] - v.buckets[0] + 1 : 1;
	bw = plotw / (double)span;
	ld_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"11\">\n", width, height, width, height);
	ld_buf_adds(b, "<title>");
	ld_buf_addf(b, "events per %s (%s)%s", unit_name(h, 0), h->tz.name,
	    split_name(h));
	ld_buf_adds(b, "</title>\n<rect width=\"100%\" height=\"100%\" "
	    "fill=\"#ffffff\"/>\n");
	ld_buf_addf(b, "<text x=\"%g\" y=\"20\" font-size=\"14\">", left);
	if (title)
		xml_str(b, title);
	else
		ld_buf_addf(b, "Events per %s", unit_name(h, 0));
	ld_buf_addf(b, " (%s%s, %llu events)</text>\n", h->tz.name,
	    split_name(h), (unsigned long long)h->total);
	ld_buf_addf(b, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" "
	    "stroke=\"#333\"/>\n", left, top + ploth, left + plotw, top + ploth);
	ld_buf_addf(b, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" "
	    "stroke=\"#333\"/>\n", left, top, left, top + ploth);
	ld_buf_addf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%llu</text>\n",
	    left - 4, top + 4, (unsigned long long)v.max);
	ld_buf_addf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">0</text>\n",
	    left - 4, top + ploth);
	for (i = 0; i < v.nb; i++) {
		uint64_t *row = &v.m[i * (v.k + 1)];
		double x = left + bw * (double)(v.buckets[i] - v.buckets[0]);

		bucket_label(h, v.buckets[i], label);
		y = top + ploth;
		for (c = 0; c <= v.k; c++) {
			double hgt;

			if (row[c] == 0)
				continue;
			hgt = ploth * (double)row[c] / (double)v.max;
			y -= hgt;
			ld_buf_addf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			    "height=\"%.2f\" fill=\"%s\"><title>", x, y,
			    bw > 2 ? bw - 1 : bw, hgt, palette[c]);
			ld_buf_addf(b, "%s ", label);
			xml_str(b, col_name(h, &v, c));
			ld_buf_addf(b, ": %llu</title></rect>\n",
			    (unsigned long long)row[c]);
		}
	}
	for (i = 0; i < v.nb; i += v.nb > 1 ? v.nb - 1 : 1) {
		bucket_label(h, v.buckets[i], label);
		ld_buf_addf(b, "<text x=\"%.2f\" y=\"%g\" text-anchor=\"%s\">%s"
		    "</text>\n", left + bw * (double)(v.buckets[i] - v.buckets[0]),
		    top + ploth + 16, i == 0 ? "start" : "end", label);
	}
	for (c = 0; c < nleg; c++) {
		y = top + ploth + 40 + 18 * (double)c;
		ld_buf_addf(b, "<rect x=\"%g\" y=\"%g\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/><text x=\"%g\" y=\"%g\">", left, y - 10,
		    palette[c], left + 18, y);
		xml_str(b, col_name(h, &v, c));
		ld_buf_addf(b, " (%llu)</text>\n", (unsigned long long)v.stotal[c]);
	}
	if (h->untimed)
		ld_buf_addf(b, "<text x=\"%g\" y=\"%d\">%llu events without a "
		    "time are not shown</text>\n", left, height - 6,
		    (unsigned long long)h->untimed);
	ld_buf_adds(b, "</svg>\n");
	view_free(&v);
}
