/*
 * bagsummary.c — what a reviewer reads first: data/summary.md and
 * data/summary.html.
 *
 * While the records stream by, only counters are kept (by source, event
 * type, day and hour) and the first and last event.  At the end they are
 * rendered twice from the same tables: as Markdown for a terminal
 * ("ldbundle review") and as one self-contained HTML page with the
 * histogram as inline SVG.  The page loads nothing, runs nothing, and says
 * so in its Content-Security-Policy.  Every value that comes from a log is
 * escaped: log lines are written by whoever sent the requests.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bagint.h"

#define HIST_MAX 2000	/* buckets; a month of hours fits */

struct bag_summary {
	uint64_t total, untimed;
	json_t *by_src, *by_event, *by_day, *by_hour;
	int64_t first_ns, last_ns;
	json_t *first, *last;	/* the records' canonical fields, no "ev" */
};

/* A counter table, sorted for display. */
struct row {
	const char *key;
	json_int_t n;
};

struct table {
	struct row *v;
	size_t n;
};

struct hist {
	int hourly;
	size_t n;
	int64_t start;	/* seconds */
	json_int_t *count, max;
	int truncated;
};

struct bag_summary *
bag_summary_new(void)
{
	struct bag_summary *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->by_src = json_object();
	s->by_event = json_object();
	s->by_day = json_object();
	s->by_hour = json_object();
	if (!s->by_src || !s->by_event || !s->by_day || !s->by_hour) {
		bag_summary_free(s);
		return NULL;
	}
	return s;
}

void
bag_summary_free(struct bag_summary *s)
{
	if (s == NULL)
		return;
	json_decref(s->by_src);
	json_decref(s->by_event);
	json_decref(s->by_day);
	json_decref(s->by_hour);
	json_decref(s->first);
	json_decref(s->last);
	free(s);
}

uint64_t
bag_summary_count(const struct bag_summary *s)
{
	return s->total;
}

static int
inc(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return json_object_set_new(obj, key, json_integer(1));
	return json_integer_set(v, json_integer_value(v) + 1);
}

static json_t *
compact(json_t *rec)
{
	static const char *const keys[] = { "ts", "src", "line", "ns",
	    "project", "user", "ip", "event", "cid" };
	json_t *c = json_object(), *v;
	size_t i;

	for (i = 0; c && i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = json_object_get(rec, keys[i])) != NULL && !json_is_null(v))
			json_object_set(c, keys[i], v);
	return c;
}

/* bag_summary_add - count one record.  Returns 0 or -1 out of memory. */
int
bag_summary_add(struct bag_summary *s, json_t *rec)
{
	const char *ts = json_string_value(json_object_get(rec, "ts"));
	const char *ev = json_string_value(json_object_get(rec, "event"));
	char key[32];
	int64_t ns;
	time_t t;

	s->total++;
	if (inc(s->by_src, json_string_value(json_object_get(rec, "src"))) ||
	    inc(s->by_event, ev ? ev : "(unknown)"))
		return -1;
	if (ts == NULL || ld_bag_parse_time(ts, &ns) == -1) {
		s->untimed++;
		return 0;
	}
	t = (time_t)(ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000);
	bag_utc(t, "%Y-%m-%d", key, sizeof(key));
	if (inc(s->by_day, key))
		return -1;
	bag_utc(t, "%Y-%m-%dT%H", key, sizeof(key));
	if (inc(s->by_hour, key))
		return -1;
	if (s->first == NULL || ns < s->first_ns) {
		json_decref(s->first);
		if ((s->first = compact(rec)) == NULL)
			return -1;
		s->first_ns = ns;
	}
	if (s->last == NULL || ns >= s->last_ns) {
		json_decref(s->last);
		if ((s->last = compact(rec)) == NULL)
			return -1;
		s->last_ns = ns;
	}
	return 0;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->key, ((const struct row *)b)->key);
}

static int
by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int
table_of(json_t *obj, int (*cmp)(const void *, const void *), struct table *t)
{
	const char *k;
	json_t *v;

	t->n = 0;
	if ((t->v = calloc(json_object_size(obj) + 1, sizeof(*t->v))) == NULL)
		return -1;
	json_object_foreach(obj, k, v) {
		t->v[t->n].key = k;
		t->v[t->n].n = json_integer_value(v);
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), cmp);
	return 0;
}

/* Histogram: hourly buckets when the events span at most three days, else
 * daily, from the first event's bucket to the last's, empty ones included. */
static int
hist_of(struct bag_summary *s, struct hist *h)
{
	int64_t width, first, last, t;
	json_t *obj, *v;
	const char *k;
	char buf[40];
	size_t i;

	memset(h, 0, sizeof(*h));
	if (s->first == NULL)
		return 0;
	first = s->first_ns / 1000000000;
	last = s->last_ns / 1000000000;
	h->hourly = last - first <= 3 * 86400;
	width = h->hourly ? 3600 : 86400;
	h->start = first - ((first % width) + width) % width;
	h->n = (size_t)((last - h->start) / width) + 1;
	if (h->n > HIST_MAX) {
		h->n = HIST_MAX;
		h->truncated = 1;
	}
	if ((h->count = calloc(h->n, sizeof(*h->count))) == NULL)
		return -1;
	obj = h->hourly ? s->by_hour : s->by_day;
	json_object_foreach(obj, k, v) {
		int64_t ns;

		snprintf(buf, sizeof(buf), "%s%s", k,
		    h->hourly ? ":00:00Z" : "T00:00:00Z");
		if (ld_bag_parse_time(buf, &ns) == -1)
			continue;
		t = ns / 1000000000;
		if (t < h->start)
			continue;
		i = (size_t)((t - h->start) / width);
		if (i >= h->n)
			continue;
		h->count[i] += json_integer_value(v);
		if (h->count[i] > h->max)
			h->max = h->count[i];
	}
	return 0;
}

static void
hist_label(const struct hist *h, size_t i, char *buf, size_t len)
{
	time_t t = (time_t)(h->start + (int64_t)i * (h->hourly ? 3600 : 86400));

	bag_utc(t, h->hourly ? "%Y-%m-%d %H:00" : "%Y-%m-%d", buf, len);
}

/* ------------------------------------------------------------- escaping */

static void
html(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			putc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
		}
	}
}

/* md - text for a Markdown table cell or line: markup characters are
 * backslash-escaped and control characters become spaces. */
static void
md(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("\\`*_[]<>|", *s) != NULL)
			putc('\\', fp);
		putc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
	}
}

/* text - a JSON value as display text: strings as they are, lists joined,
 * empty lists "(any)", anything else as compact JSON. */
static char *
text(json_t *v)
{
	json_t *e;
	size_t i, n = 0;
	char *s, *p;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_array(v)) {
		if (json_array_size(v) == 0)
			return strdup("(any)");
		json_array_foreach(v, i, e)
			n += (json_is_string(e) ? strlen(json_string_value(e)) : 8) + 2;
		if ((s = p = malloc(n + 1)) == NULL)
			return NULL;
		*p = '\0';
		json_array_foreach(v, i, e)
			p += snprintf(p, n + 1 - (size_t)(p - s), "%s%s",
			    i ? ", " : "", json_is_string(e) ?
			    json_string_value(e) : "(not text)");
		return s;
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* ------------------------------------------------------------- content */

/* The rows of the redaction section, taken from whatever keys the report
 * has: rules[] with id/values/records, and dropped{reason: n}. */
struct redaction {
	json_t *rules;
	json_t *dropped;
	json_int_t values, records, ndropped;
};

static void
redaction_of(json_t *report, struct redaction *r)
{
	json_t *rule, *v;
	const char *k;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (report == NULL)
		return;
	r->rules = json_object_get(report, "rules");
	if (!json_is_array(r->rules))
		r->rules = NULL;
	r->dropped = json_object_get(report, "dropped");
	if (!json_is_object(r->dropped))
		r->dropped = NULL;
	json_array_foreach(r->rules, i, rule) {
		r->values += json_integer_value(json_object_get(rule, "values"));
		r->records += json_integer_value(json_object_get(rule, "records"));
	}
	json_object_foreach(r->dropped, k, v)
		r->ndropped += json_integer_value(v);
}

static const char *
str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_int_t
num(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* One line about an event: "ts src:line event user project". */
static char *
event_line(json_t *c)
{
	if (c == NULL)
		return strdup("(none)");
	return bag_printf("%s  %s:%" JSON_INTEGER_FORMAT "  %s%s%s%s%s",
	    str(c, "ts") ? str(c, "ts") : "-", str(c, "src"), num(c, "line"),
	    str(c, "event") ? str(c, "event") : "(unknown)",
	    str(c, "user") ? "  user " : "", str(c, "user") ? str(c, "user") : "",
	    str(c, "project") ? "  project " : "",
	    str(c, "project") ? str(c, "project") : "");
}

struct ctx {
	struct bag_summary *s;
	json_t *request, *report, *prov;
	struct table events, days, srcs;
	struct hist h;
	struct redaction red;
	const char *id;
};

/* ------------------------------------------------------------- markdown */

static void
md_table(FILE *fp, const char *head, const struct table *t)
{
	size_t i;

	fprintf(fp, "| %s | records |\n|---|--:|\n", head);
	for (i = 0; i < t->n; i++) {
		fputs("| ", fp);
		md(fp, t->v[i].key);
		fprintf(fp, " | %" JSON_INTEGER_FORMAT " |\n", t->v[i].n);
	}
	fputc('\n', fp);
}

static void
write_md(FILE *fp, struct ctx *c)
{
	const char *k;
	json_t *v, *e;
	char lab[40], *s;
	size_t i, w;

	fputs("# Case ", fp);
	md(fp, c->id);
	fputs(": log-dive bundle\n\n## Request\n\n| field | value |\n|---|---|\n", fp);
	json_object_foreach(c->request, k, v) {
		fputs("| ", fp);
		md(fp, k);
		fputs(" | ", fp);
		s = text(v);
		md(fp, s);
		free(s);
		fputs(" |\n", fp);
	}
	fprintf(fp, "\n## Overview\n\n- Records: %" PRIu64 "\n", c->s->total);
	if (c->s->untimed)
		fprintf(fp, "- Records without a time (not on the timeline): %"
		    PRIu64 "\n", c->s->untimed);
	fprintf(fp, "- Sources: %zu\n- Event types: %zu\n", c->srcs.n,
	    c->events.n);
	for (i = 0; i < 2; i++) {
		s = event_line(i ? c->s->last : c->s->first);
		fputs(i ? "- Last event: " : "- First event: ", fp);
		md(fp, s);
		fputc('\n', fp);
		free(s);
	}
	fprintf(fp, "\n## Records per %s (UTC)\n\n", c->h.hourly ? "hour" : "day");
	if (c->h.n == 0)
		fputs("No timed records.\n", fp);
	else
		fputs("```\n", fp);
	for (i = 0; i < c->h.n; i++) {
		hist_label(&c->h, i, lab, sizeof(lab));
		w = c->h.max ? (size_t)((c->h.count[i] * 50 + c->h.max - 1) /
		    c->h.max) : 0;
		fprintf(fp, "%-16s %8" JSON_INTEGER_FORMAT "%s%.*s\n", lab,
		    c->h.count[i], w ? " " : "", (int)w,
		    "##################################################");
	}
	if (c->h.n)
		fputs("```\n", fp);
	if (c->h.truncated)
		fprintf(fp, "\n(only the first %d buckets are shown)\n", HIST_MAX);
	fputs("\n## Event types\n\n", fp);
	md_table(fp, "event", &c->events);
	fputs("## Days (UTC)\n\n", fp);
	md_table(fp, "day", &c->days);
	fputs("## Sources\n\n", fp);
	md_table(fp, "source", &c->srcs);
	fputs("## Redaction\n\n", fp);
	if (c->report == NULL)
		fputs("No redaction report was supplied.\n\n", fp);
	else {
		if (str(c->report, "policy_sha256")) {
			fputs("Policy SHA-256: ", fp);
			md(fp, str(c->report, "policy_sha256"));
			fputs("\n\n", fp);
		}
		fputs("| rule | values | records |\n|---|--:|--:|\n", fp);
		json_array_foreach(c->red.rules, i, e) {
			fputs("| ", fp);
			md(fp, str(e, "id") ? str(e, "id") : "(no id)");
			fprintf(fp, " | %" JSON_INTEGER_FORMAT " | %"
			    JSON_INTEGER_FORMAT " |\n", num(e, "values"),
			    num(e, "records"));
		}
		fprintf(fp, "| **total** | %" JSON_INTEGER_FORMAT " | %"
		    JSON_INTEGER_FORMAT " |\n\n", c->red.values, c->red.records);
		fprintf(fp, "Records dropped: %" JSON_INTEGER_FORMAT "\n",
		    c->red.ndropped);
		json_object_foreach(c->red.dropped, k, v) {
			fputs("- ", fp);
			md(fp, k);
			fprintf(fp, ": %" JSON_INTEGER_FORMAT "\n",
			    json_integer_value(v));
		}
		fputc('\n', fp);
	}
	fputs("## Provenance\n\n", fp);
	fprintf(fp, "Made by ldbundle %s at %s.\n\n| source file | size | SHA-256 |\n|---|--:|---|\n",
	    str(c->prov, "version"), str(c->prov, "run_at"));
	json_array_foreach(json_object_get(c->prov, "sources"), i, e) {
		fputs("| ", fp);
		md(fp, str(e, "src"));
		if (json_is_true(json_object_get(e, "on_disk")))
			fprintf(fp, " | %" JSON_INTEGER_FORMAT " | %s |\n",
			    num(e, "size"), str(e, "sha256"));
		else
			fputs(" | - | not on disk |\n", fp);
	}
}

/* ------------------------------------------------------------- html */

static const char style[] =
    "body{font-family:sans-serif;max-width:980px;margin:1.5em auto;"
    "padding:0 1em;color:#1d1d1d;background:#fff}"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;"
    "border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.4em 0 1em}"
    "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;"
    "vertical-align:top}td.n{text-align:right}"
    "code{font-size:.9em;word-break:break-all}"
    "svg .bar{fill:#2f6db5}svg .axis{stroke:#444;stroke-width:1}"
    "svg text{font-size:11px;fill:#333}";

static void
html_table(FILE *fp, const char *head, const struct table *t)
{
	size_t i;

	fprintf(fp, "<table><tr><th>%s</th><th>records</th></tr>\n", head);
	for (i = 0; i < t->n; i++) {
		fputs("<tr><td><code>", fp);
		html(fp, t->v[i].key);
		fprintf(fp, "</code></td><td class=\"n\">%" JSON_INTEGER_FORMAT
		    "</td></tr>\n", t->v[i].n);
	}
	fputs("</table>\n", fp);
}

static void
html_svg(FILE *fp, const struct hist *h)
{
	const double W = 940, H = 300, L = 96, R = 12, T = 12, B = 64;
	double pw = W - L - R, ph = H - T - B, bw, x, y, bh;
	size_t i, every;
	char lab[40];

	if (h->n == 0) {
		fputs("<p>No timed records.</p>\n", fp);
		return;
	}
	bw = pw / (double)h->n;
	every = (h->n + 11) / 12;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	    "aria-label=\"records per %s\">\n", W, H, W, H,
	    h->hourly ? "hour" : "day");
	for (i = 0; i < h->n; i++) {
		if (h->count[i] == 0)
			continue;
		bh = ph * (double)h->count[i] / (double)h->max;
		x = L + bw * (double)i;
		y = T + ph - bh;
		hist_label(h, i, lab, sizeof(lab));
		fprintf(fp, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" "
		    "width=\"%.2f\" height=\"%.2f\"><title>%s: %"
		    JSON_INTEGER_FORMAT "</title></rect>\n", x + (bw > 4 ? 0.5 : 0),
		    y, bw > 4 ? bw - 1 : bw, bh, lab, h->count[i]);
	}
	fprintf(fp, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
	    "y2=\"%.0f\"/>\n", L, T + ph, L + pw, T + ph);
	fprintf(fp, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
	    "y2=\"%.0f\"/>\n", L, T, L, T + ph);
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%"
	    JSON_INTEGER_FORMAT "</text>\n", L - 6, T + 10, h->max);
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>\n",
	    L - 6, T + ph);
	for (i = 0; i < h->n; i += every) {
		hist_label(h, i, lab, sizeof(lab));
		x = L + bw * ((double)i + 0.5);
		fprintf(fp, "<text x=\"%.2f\" y=\"%.0f\" text-anchor=\"end\" "
		    "transform=\"rotate(-35 %.2f %.0f)\">%s</text>\n",
		    x, T + ph + 14, x, T + ph + 14, lab);
	}
	fputs("</svg>\n", fp);
}

static void
write_html(FILE *fp, struct ctx *c)
{
	const char *k;
	json_t *v, *e;
	char *s;
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'\">\n<title>Case ", fp);
	html(fp, c->id);
	fprintf(fp, ": log-dive bundle</title>\n<style>%s</style>\n</head>\n"
	    "<body>\n<h1>Case ", style);
	html(fp, c->id);
	fputs(": log-dive bundle</h1>\n<h2>Request</h2>\n<table>\n", fp);
	json_object_foreach(c->request, k, v) {
		fputs("<tr><th>", fp);
		html(fp, k);
		fputs("</th><td><code>", fp);
		s = text(v);
		html(fp, s);
		free(s);
		fputs("</code></td></tr>\n", fp);
	}
	fprintf(fp, "</table>\n<h2>Overview</h2>\n<ul>\n<li>Records: %" PRIu64
	    "</li>\n", c->s->total);
	if (c->s->untimed)
		fprintf(fp, "<li>Records without a time (not on the timeline): %"
		    PRIu64 "</li>\n", c->s->untimed);
	fprintf(fp, "<li>Sources: %zu</li>\n<li>Event types: %zu</li>\n",
	    c->srcs.n, c->events.n);
	for (i = 0; i < 2; i++) {
		s = event_line(i ? c->s->last : c->s->first);
		fputs(i ? "<li>Last event: <code>" : "<li>First event: <code>", fp);
		html(fp, s);
		fputs("</code></li>\n", fp);
		free(s);
	}
	fprintf(fp, "</ul>\n<h2>Records per %s (UTC)</h2>\n",
	    c->h.hourly ? "hour" : "day");
	html_svg(fp, &c->h);
	fputs("<h2>Event types</h2>\n", fp);
	html_table(fp, "event", &c->events);
	fputs("<h2>Days (UTC)</h2>\n", fp);
	html_table(fp, "day", &c->days);
	fputs("<h2>Sources</h2>\n", fp);
	html_table(fp, "source", &c->srcs);
	fputs("<h2>Redaction</h2>\n", fp);
	if (c->report == NULL)
		fputs("<p>No redaction report was supplied.</p>\n", fp);
	else {
		if (str(c->report, "policy_sha256")) {
			fputs("<p>Policy SHA-256: <code>", fp);
			html(fp, str(c->report, "policy_sha256"));
			fputs("</code></p>\n", fp);
		}
		fputs("<table><tr><th>rule</th><th>values</th><th>records</th></tr>\n", fp);
		json_array_foreach(c->red.rules, i, e) {
			fputs("<tr><td><code>", fp);
			html(fp, str(e, "id") ? str(e, "id") : "(no id)");
			fprintf(fp, "</code></td><td class=\"n\">%" JSON_INTEGER_FORMAT
			    "</td><td class=\"n\">%" JSON_INTEGER_FORMAT
			    "</td></tr>\n", num(e, "values"), num(e, "records"));
		}
		fprintf(fp, "<tr><th>total</th><td class=\"n\">%" JSON_INTEGER_FORMAT
		    "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n"
		    "</table>\n<p>Records dropped: %" JSON_INTEGER_FORMAT "</p>\n<ul>\n",
		    c->red.values, c->red.records, c->red.ndropped);
		json_object_foreach(c->red.dropped, k, v) {
			fputs("<li>", fp);
			html(fp, k);
			fprintf(fp, ": %" JSON_INTEGER_FORMAT "</li>\n",
			    json_integer_value(v));
		}
		fputs("</ul>\n", fp);
	}
	fputs("<h2>Provenance</h2>\n<p>Made by ldbundle ", fp);
	html(fp, str(c->prov, "version"));
	fputs(" at ", fp);
	html(fp, str(c->prov, "run_at"));
	fputs(".</p>\n<table><tr><th>source</th><th>size</th><th>SHA-256</th></tr>\n", fp);
	json_array_foreach(json_object_get(c->prov, "sources"), i, e) {
		fputs("<tr><td><code>", fp);
		html(fp, str(e, "src"));
		if (json_is_true(json_object_get(e, "on_disk")))
			fprintf(fp, "</code></td><td class=\"n\">%" JSON_INTEGER_FORMAT
			    "</td><td><code>%s</code></td></tr>\n", num(e, "size"),
			    str(e, "sha256"));
		else
			fputs("</code></td><td>-</td><td>not on disk</td></tr>\n", fp);
	}
	fputs("</table>\n</body>\n</html>\n", fp);
}

/*
 * bag_summary_write - write data/summary.md and data/summary.html under
 * dirfd.  request, report (may be NULL) and provenance are only read.
 * Returns 0 or -1 with err set.
 */
int
bag_summary_write(struct bag_summary *s, int dirfd, json_t *request,
    json_t *report, json_t *provenance, struct ld_err *err)
{
	struct ctx c = { 0 };
	FILE *fp;
	int rc = -1;

	c.s = s;
	c.request = request;
	c.report = report;
	c.prov = provenance;
	c.id = str(request, "case");
	redaction_of(report, &c.red);
	if (table_of(s->by_event, by_count, &c.events) == -1 ||
	    table_of(s->by_day, by_key, &c.days) == -1 ||
	    table_of(s->by_src, by_key, &c.srcs) == -1 ||
	    hist_of(s, &c.h) == -1) {
		bag_err(err, "summary: out of memory");
		goto out;
	}
	if ((fp = bag_fopen_new(dirfd, "data/summary.md", err)) == NULL)
		goto out;
	write_md(fp, &c);
	if (bag_fclose(fp, "data/summary.md", err) == -1)
		goto out;
	if ((fp = bag_fopen_new(dirfd, "data/summary.html", err)) == NULL)
		goto out;
	write_html(fp, &c);
	if (bag_fclose(fp, "data/summary.html", err) == -1)
		goto out;
	rc = 0;
out:
	free(c.events.v);
	free(c.days.v);
	free(c.srcs.v);
	free(c.h.count);
	return rc;
}
