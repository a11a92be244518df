/*
 * bagsummary.c — what a reviewer reads first: data/summary.md and
 * data/summary.html.
 *
 * While the records stream by, only counters are kept (by source, event
 * type, day and hour) and the first and last event.  At the end they are
 * rendered twice from the same tables: as Markdown for a terminal
 * ("ldbundle review") and as one self-contained HTML page.  The histogram
 * is the timeline library's (lib/timeline/tlout.h), the same chart ldtimeline
 * draws: as text in the Markdown, as inline SVG in the page.  The page loads nothing, runs nothing, and says
 * so in its Content-Security-Policy.  Every value that comes from a log is
 * escaped: log lines are written by whoever sent the requests.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bag/bagint.h"
#include "timeline/tlout.h"

/* A dive that spans at most this long gets an hourly histogram. */
#define HOURLY_SPAN (3 * 86400 * LD_NS_PER_SEC)

struct bag_summary {
	uint64_t total, untimed;
	json_t *by_src, *by_event, *by_day;
	struct ld_hist *hours, *days;	/* split by event type */
	int64_t first_ns, last_ns;
	int timed;			/* first and last are set */
	struct ld_buf first, last;	/* one line about each event */
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

struct bag_summary *
bag_summary_new(void)
{
	struct bag_summary *s;
	struct ld_tz utc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->by_src = json_object();
	s->by_event = json_object();
	s->by_day = json_object();
	if (!s->by_src || !s->by_event || !s->by_day ||
	    ld_tz_parse(&utc, "UTC", NULL) == -1) {
		bag_summary_free(s);
		return NULL;
	}
	s->hours = ld_hist_new(LD_HIST_HOUR, LD_HIST_BY_EVENT, &utc);
	s->days = ld_hist_new(LD_HIST_DAY, LD_HIST_BY_EVENT, &utc);
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
	ld_hist_free(s->hours);
	ld_hist_free(s->days);
	ld_buf_free(&s->first);
	ld_buf_free(&s->last);
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

/* event_line - "ts  src:line  event  user U  project P" about r. */
static void
event_line(const struct ld_rec *r, struct ld_buf *b)
{
	char ts[LD_TIME_BUFSZ];

	ld_time_format(&r->ts, ts);
	ld_buf_reset(b);
	ld_buf_addf(b, "%s  %s:%llu  ", ts, r->src ? r->src : "-",
	    (unsigned long long)r->line);
	if (r->f[LD_F_EVENT])
		ld_buf_add(b, r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
	else
		ld_buf_adds(b, "(unknown)");
	if (r->f[LD_F_USER]) {
		ld_buf_adds(b, "  user ");
		ld_buf_add(b, r->f[LD_F_USER], r->flen[LD_F_USER]);
	}
	if (r->f[LD_F_PROJECT]) {
		ld_buf_adds(b, "  project ");
		ld_buf_add(b, r->f[LD_F_PROJECT], r->flen[LD_F_PROJECT]);
	}
}

/* bag_summary_add - count one record. */
void
bag_summary_add(struct bag_summary *s, const struct ld_rec *r)
{
	static const char unknown[] = "(unknown)";
	char day[LD_TIME_BUFSZ];

	s->total++;
	inc(s->by_src, r->src ? r->src : "-", r->src ? strlen(r->src) : 1);
	if (r->f[LD_F_EVENT])
		inc(s->by_event, r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
	else
		inc(s->by_event, unknown, sizeof(unknown) - 1);
	ld_hist_add(s->hours, r);
	ld_hist_add(s->days, r);
	if (!r->has_ts) {
		s->untimed++;
		return;
	}
	ld_time_format(&r->ts, day);
	inc(s->by_day, day, 10);
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

/* The report of ldredact names rules by "name" and nests the policy's
 * digest; "id" and "policy_sha256" are read too. */
static const char *
rule_name(json_t *rule)
{
	if (str(rule, "name"))
		return str(rule, "name");
	return str(rule, "id") ? str(rule, "id") : "(no name)";
}

static const char *
policy_sha256(json_t *report)
{
	const char *s = str(json_object_get(report, "policy"), "sha256");

	return s ? s : str(report, "policy_sha256");
}

struct ctx {
	struct bag_summary *s;
	json_t *request, *report, *prov;
	struct table events, days, srcs;
	const struct ld_hist *h;	/* hourly or daily */
	int hourly;
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
	char *s;
	size_t i;

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
	fputs("- First event: ", fp);
	md(fp, c->s->timed ? c->s->first.p : "(none)");
	fputs("\n- Last event: ", fp);
	md(fp, c->s->timed ? c->s->last.p : "(none)");
	fprintf(fp, "\n\n## Records per %s (UTC)\n\n", c->hourly ? "hour" :
	    "day");
	if (!c->s->timed)
		fputs("No timed records.\n", fp);
	else {
		struct ld_buf b = { 0 };

		ld_hist_text(c->h, 50, 0, &b);
		/* Event names are log values: none may close the fence. */
		for (i = 0; i < b.len; i++)
			if (b.p[i] == '`')
				b.p[i] = '\'';
			else if ((unsigned char)b.p[i] < 0x20 && b.p[i] != '\n')
				b.p[i] = ' ';
		fprintf(fp, "```\n%s```\n", b.p);
		ld_buf_free(&b);
	}
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
		if (policy_sha256(c->report)) {
			fputs("Policy SHA-256: ", fp);
			md(fp, policy_sha256(c->report));
			fputs("\n\n", fp);
		}
		fputs("| rule | values | records |\n|---|--:|--:|\n", fp);
		json_array_foreach(c->red.rules, i, e) {
			fputs("| ", fp);
			md(fp, rule_name(e));
			fprintf(fp, " | %" JSON_INTEGER_FORMAT " | %"
			    JSON_INTEGER_FORMAT " |\n", num(e, "values"),
			    num(e, "records"));
		}
		fprintf(fp, "| **total** | %" JSON_INTEGER_FORMAT " | %"
		    JSON_INTEGER_FORMAT " |\n\n", c->red.values, c->red.records);
		fprintf(fp, "Records dropped: %" JSON_INTEGER_FORMAT "\n",
		    c->red.ndropped);
		json_object_foreach(c->red.dropped, k, v) {
			if (json_integer_value(v) == 0)
				continue;
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
    "svg{max-width:100%;height:auto}";

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

/* The chart as inline SVG: the library escapes every log value in it. */
static void
html_svg(FILE *fp, const struct ctx *c)
{
	struct ld_buf b = { 0 };

	if (!c->s->timed) {
		fputs("<p>No timed records.</p>\n", fp);
		return;
	}
	ld_hist_svg(c->h, "Records", &b);
	fwrite(b.p, 1, b.len, fp);
	ld_buf_free(&b);
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
	fputs("<li>First event: <code>", fp);
	html(fp, c->s->timed ? c->s->first.p : "(none)");
	fputs("</code></li>\n<li>Last event: <code>", fp);
	html(fp, c->s->timed ? c->s->last.p : "(none)");
	fprintf(fp, "</code></li>\n</ul>\n<h2>Records per %s (UTC)</h2>\n",
	    c->hourly ? "hour" : "day");
	html_svg(fp, c);
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
		if (policy_sha256(c->report)) {
			fputs("<p>Policy SHA-256: <code>", fp);
			html(fp, policy_sha256(c->report));
			fputs("</code></p>\n", fp);
		}
		fputs("<table><tr><th>rule</th><th>values</th><th>records</th></tr>\n", fp);
		json_array_foreach(c->red.rules, i, e) {
			fputs("<tr><td><code>", fp);
			html(fp, rule_name(e));
			fprintf(fp, "</code></td><td class=\"n\">%" JSON_INTEGER_FORMAT
			    "</td><td class=\"n\">%" JSON_INTEGER_FORMAT
			    "</td></tr>\n", num(e, "values"), num(e, "records"));
		}
		fprintf(fp, "<tr><th>total</th><td class=\"n\">%" JSON_INTEGER_FORMAT
		    "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n"
		    "</table>\n<p>Records dropped: %" JSON_INTEGER_FORMAT "</p>\n<ul>\n",
		    c->red.values, c->red.records, c->red.ndropped);
		json_object_foreach(c->red.dropped, k, v) {
			if (json_integer_value(v) == 0)
				continue;
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
	c.hourly = s->timed && s->last_ns - s->first_ns <= HOURLY_SPAN;
	c.h = c.hourly ? s->hours : s->days;
	redaction_of(report, &c.red);
	if (table_of(s->by_event, by_count, &c.events) == -1 ||
	    table_of(s->by_day, by_key, &c.days) == -1 ||
	    table_of(s->by_src, by_key, &c.srcs) == -1) {
		ld_err_set(err, "summary: out of memory");
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
	return rc;
}
