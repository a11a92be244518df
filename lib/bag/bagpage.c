/*
 * bagpage.c — the reviewers' page written from the counts of
 * bagsummary.c: data/summary.md and data/summary.html by the same code
 * (struct out says which), "ldbundle review --html" (the page with its
 * approvals) and "ldbundle gap" (the draft issue of the audit gap).  The
 * order of the page and why is in bagsummary.c; the words are bagwords.c's.
 * Every value from a log or a file goes through text(), which escapes it
 * for the form and turns control characters into spaces.
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

/* A counter table, sorted for display. */
struct row {
	const char *key;
	json_int_t n;
};

struct table {
	struct row *v;
	size_t n;
};

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
		t->v[t->n].n = json_is_integer(v) ? json_integer_value(v) :
		    json_integer_value(json_object_get(v, "n"));
		t->n++;
	}
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp);
	return 0;
}

/* ------------------------------------------------------------- output */

/* The page is written once as Markdown and once as HTML by the same
 * code: an out holds the file and which of the two it is. */
struct out {
	FILE *fp;
	int html;
};

/* text - a value from a log or a file: escaped for the form, control
 * characters as spaces. */
static void
text(struct out *o, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			putc(' ', o->fp);
			continue;
		}
		if (o->html) {
			switch (c) {
			case '&': fputs("&amp;", o->fp); continue;
			case '<': fputs("&lt;", o->fp); continue;
			case '>': fputs("&gt;", o->fp); continue;
			case '"': fputs("&quot;", o->fp); continue;
			case '\'': fputs("&#39;", o->fp); continue;
			}
		} else if (strchr("\\`*_[]<>|#", c) != NULL)
			putc('\\', o->fp);
		putc(c, o->fp);
	}
}

/* say - our own words: a printf format whose "%s" arguments must be
 * safe already (numbers, fixed words).  Markup is given per form with
 * the h(), p() helpers below. */
static void __attribute__((format(printf, 2, 3)))
say(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

static void
h2(struct out *o, const char *title, const char *id)
{
	if (o->html)
		say(o, "<h2 id=\"%s\">%s</h2>\n", id, title);
	else
		say(o, "\n## %s\n\n", title);
}

static void
h3(struct out *o, const char *title)
{
	if (o->html)
		say(o, "<h3>%s</h3>\n", title);
	else
		say(o, "### %s\n\n", title);
}

static void
p_open(struct out *o)
{
	if (o->html)
		fputs("<p>", o->fp);
}

static void
p_close(struct out *o)
{
	fputs(o->html ? "</p>\n" : "\n\n", o->fp);
}

static void
ul_open(struct out *o)
{
	if (o->html)
		fputs("<ul>\n", o->fp);
}

static void
ul_close(struct out *o)
{
	fputs(o->html ? "</ul>\n" : "\n", o->fp);
}

static void
li_open(struct out *o)
{
	fputs(o->html ? "<li>" : "- ", o->fp);
}

static void
li_close(struct out *o)
{
	fputs(o->html ? "</li>\n" : "\n", o->fp);
}

static void
b_text(struct out *o, const char *s)
{
	fputs(o->html ? "<strong>" : "**", o->fp);
	text(o, s);
	fputs(o->html ? "</strong>" : "**", o->fp);
}

static void
code(struct out *o, const char *s)
{
	fputs(o->html ? "<code>" : "", o->fp);
	text(o, s);
	fputs(o->html ? "</code>" : "", o->fp);
}

/* A table: head cells, then rows of cells, then the end. */
static void
t_head(struct out *o, const char *const *cells, const char *align)
{
	size_t i;

	if (o->html) {
		fputs("<table><tr>", o->fp);
		for (i = 0; cells[i]; i++)
			say(o, "<th>%s</th>", cells[i]);
		fputs("</tr>\n", o->fp);
		return;
	}
	for (i = 0; cells[i]; i++)
		say(o, "| %s ", cells[i]);
	fputs("|\n", o->fp);
	for (i = 0; cells[i]; i++)
		fputs(align[i] == 'r' ? "|--:" : "|---", o->fp);
	fputs("|\n", o->fp);
}

static void
t_row_open(struct out *o)
{
	fputs(o->html ? "<tr>" : "", o->fp);
}

static void
t_cell(struct out *o, const char *s, int num)
{
	if (o->html) {
		fputs(num ? "<td class=\"n\">" : "<td>", o->fp);
		text(o, s);
		fputs("</td>", o->fp);
	} else {
		fputs("| ", o->fp);
		text(o, s);
		fputs(" ", o->fp);
	}
}

static void
t_num(struct out *o, long long n)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", n);
	t_cell(o, b, 1);
}

static void
t_row_close(struct out *o)
{
	fputs(o->html ? "</tr>\n" : "|\n", o->fp);
}

static void
t_end(struct out *o)
{
	fputs(o->html ? "</table>\n" : "\n", o->fp);
}

/* ------------------------------------------------------------- content */

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

/* list - a request field as words: "a, b and c"; NULL when absent or
 * empty.  Returns a new string. */
static char *
list(json_t *v)
{
	struct ld_buf b = { 0 };
	size_t i, n;
	json_t *e;

	if (json_is_string(v) && *json_string_value(v))
		return ld_xstrdup(json_string_value(v));
	if (!json_is_array(v) || (n = json_array_size(v)) == 0)
		return NULL;
	json_array_foreach(v, i, e) {
		if (i > 0)
			ld_buf_adds(&b, i + 1 == n ? " and " : ", ");
		if (json_is_string(e))
			ld_buf_adds(&b, json_string_value(e));
		else {
			char *s = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);

			ld_buf_adds(&b, s ? s : "?");
			free(s);
		}
	}
	return ld_buf_detach(&b);
}

/* when - an RFC 3339 time of the request in words: "13 November 2026,
 * 06:00 UTC", or the text as it is when it is not one. */
static void
when(struct out *o, const char *t)
{
	static const char *const month[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	int y, m, d, hh = 0, mm = 0;

	if (t && sscanf(t, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 &&
	    m <= 12) {
		if (strlen(t) > 10)
			sscanf(t + 11, "%2d:%2d", &hh, &mm);
		say(o, "%d %s %d, %02d:%02d UTC", d, month[m - 1], y, hh, mm);
	} else
		text(o, t ? t : "(not given)");
}

static void
when_ns(struct out *o, int64_t ns)
{
	time_t t = (time_t)(ns / LD_NS_PER_SEC - (ns % LD_NS_PER_SEC < 0));
	char b[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	when(o, b);
}

struct ctx {
	struct bag_summary *s;
	json_t *request, *report, *prov;
	struct table types, srcs, hunts;
	json_t *buckets;
	int hourly;
	const char *id;
};

/* ---- what was asked */

static void
w_request(struct out *o, struct ctx *c)
{
	json_t *q = c->request;
	const char *who = str(q, "requested_by"), *prof = str(q, "profile");
	const char *why = str(q, "reason"), *pw;
	char *tenant = list(json_object_get(q, "tenant"));
	char *ns = list(json_object_get(q, "namespaces"));
	char *proj = list(json_object_get(q, "projects"));
	char *users = list(json_object_get(q, "users"));
	char *acc = list(json_object_get(q, "accounts"));
	char *evs = list(json_object_get(q, "events"));
	char *ips = list(json_object_get(q, "ips"));

	if (why == NULL)
		why = str(q, "description");
	if (who == NULL)
		who = str(q, "requester");
	h2(o, "What was asked", "asked");
	p_open(o);
	say(o, "Case ");
	b_text(o, c->id);
	if (who) {
		say(o, ": a request by ");
		b_text(o, who);
	} else
		say(o, ": a request");
	if (str(q, "requested_at")) {
		say(o, " made on ");
		when(o, str(q, "requested_at"));
	}
	say(o, ", about the activity ");
	if (users) {
		say(o, "of ");
		b_text(o, users);
		say(o, " ");
	}
	say(o, "in the tenant ");
	b_text(o, tenant ? tenant : "(not named)");
	if (ns && (tenant == NULL || strcmp(ns, tenant) != 0)) {
		say(o, " (groups ");
		text(o, ns);
		say(o, ")");
	}
	if (proj) {
		say(o, ", projects ");
		text(o, proj);
	}
	if (acc) {
		say(o, ", and of the tenant's own accounts ");
		b_text(o, acc);
		say(o, " wherever they acted");
	}
	say(o, ", from ");
	when(o, str(q, "since"));
	say(o, " up to ");
	when(o, str(q, "until"));
	say(o, ".");
	if (evs) {
		say(o, " Only these kinds of event: ");
		text(o, evs);
		say(o, ".");
	}
	if (ips) {
		say(o, " Only from these addresses: ");
		text(o, ips);
		say(o, ".");
	}
	p_close(o);
	p_open(o);
	say(o, "Profile ");
	b_text(o, prof ? prof : "(none)");
	if ((pw = bag_profile_words(prof)) != NULL)
		say(o, ": %s.", pw);
	else
		say(o, ".");
	if (why) {
		say(o, " Why: ");
		text(o, why);
	}
	p_close(o);
	free(tenant);
	free(ns);
	free(proj);
	free(users);
	free(acc);
	free(evs);
	free(ips);
}

/* ---- what was found */

static void
w_found(struct out *o, struct ctx *c)
{
	struct bag_summary *s = c->s;
	int k;

	h2(o, "What was found", "found");
	p_open(o);
	say(o, "%" PRIu64 " events from %zu log files, of %zu kinds.",
	    s->total, c->srcs.n, c->types.n);
	if (s->timed) {
		say(o, " The first is of ");
		when_ns(o, s->first_ns);
		say(o, ", the last of ");
		when_ns(o, s->last_ns);
		say(o, ".");
	}
	if (s->untimed)
		say(o, " %" PRIu64 " event%s no time and %s not on the "
		    "chart.", s->untimed, s->untimed == 1 ? " has" : "s have",
		    s->untimed == 1 ? "is" : "are");
	p_close(o);
	ul_open(o);
	for (k = K_ACCOUNT; k < K_N; k++) {
		li_open(o);
		b_text(o, bag_kind_title[k]);
		say(o, ": %" PRIu64 " (%s)", s->kinds[k], bag_kind_what[k]);
		li_close(o);
	}
	if (s->kinds[K_HUNT]) {
		li_open(o);
		b_text(o, bag_kind_title[K_HUNT]);
		say(o, ": %" PRIu64 " events marked", s->kinds[K_HUNT]);
		li_close(o);
	}
	ul_close(o);
}

/* ---- the chart, readable without a legend of codes */

/* nice - a round step for an axis up to max with about 4 ticks. */
static long long
axis_step(long long max)
{
	long long step = 1;

	while (max / step > 5) {
		if (max / (step * 2) <= 5)
			return step * 2;
		if (max / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
	return step;
}

/* next_bucket - the key after key ("YYYY-MM-DD" or "YYYY-MM-DDTHH"). */
static void
next_bucket(char *key, int hourly)
{
	struct tm tm = { 0 };
	time_t t;

	sscanf(key, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	if (hourly)
		sscanf(key + 11, "%2d", &tm.tm_hour);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) + (hourly ? 3600 : 86400);
	gmtime_r(&t, &tm);
	strftime(key, 16, hourly ? "%Y-%m-%dT%H" : "%Y-%m-%d", &tm);
}

static void
label(char *out, size_t len, const char *key, int hourly)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	struct tm tm = { 0 };
	time_t t;
	int h = 0;

	sscanf(key, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	if (hourly)
		sscanf(key + 11, "%2d", &h);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	if (hourly)
		snprintf(out, len, "%d %s %02d:00", tm.tm_mday, mon[tm.tm_mon], h);
	else
		snprintf(out, len, "%s %d %s", wday[tm.tm_wday], tm.tm_mday,
		    mon[tm.tm_mon]);
}

static const char *const kind_colour[3] = { "#b03a2e", "#1f5fa8", "#8a8a8a" };

/* The buckets from the first to the last, empty ones too: a gap in time
 * must show as a gap. */
static size_t
buckets(struct ctx *c, char (*keys)[16], long long (*n)[3], size_t max)
{
	const char *k;
	json_t *v;
	char first[16] = "", last[16] = "", cur[16];
	size_t i = 0;
	int j;

	json_object_foreach(c->buckets, k, v) {
		if (!*first || strcmp(k, first) < 0)
			snprintf(first, sizeof(first), "%s", k);
		if (!*last || strcmp(k, last) > 0)
			snprintf(last, sizeof(last), "%s", k);
	}
	if (!*first)
		return 0;
	for (snprintf(cur, sizeof(cur), "%s", first); i < max;
	    next_bucket(cur, c->hourly)) {
		memcpy(keys[i], cur, 16);
		v = json_object_get(c->buckets, cur);
		for (j = 0; j < 3; j++)
			n[i][j] = json_integer_value(json_array_get(v, (size_t)j));
		i++;
		if (strcmp(cur, last) >= 0)
			break;
	}
	return i;
}

#define MAXB 800

static void
w_chart(struct out *o, struct ctx *c)
{
	static char keys[MAXB][16];
	static long long n[MAXB][3];
	const char *unit = c->hourly ? "hour" : "day";
	size_t nb, i;
	long long max = 0, step, y, t;
	int j, W = 900, H = 320, L = 70, R = 20, T = 40, B = 80;
	double bw, x, h, top;
	char lab[32];

	h2(o, c->hourly ? "Events per hour" : "Events per day", "chart");
	nb = buckets(c, keys, n, MAXB);
	if (nb == 0) {
		p_open(o);
		say(o, "No event has a time: there is nothing to chart.");
		p_close(o);
		return;
	}
	for (i = 0; i < nb; i++)
		if (n[i][0] + n[i][1] + n[i][2] > max)
			max = n[i][0] + n[i][1] + n[i][2];
	step = axis_step(max);
	max = (max + step - 1) / step * step;
	if (!o->html) {
		/* a bar a line, with the same three kinds */
		say(o, "Each line is one %s (UTC): A account security, D data "
		    "access, o other events.\n\n```\n", unit);
		for (i = 0; i < nb; i++) {
			label(lab, sizeof(lab), keys[i], c->hourly);
			say(o, "%-14s %5lld |", lab, n[i][0] + n[i][1] + n[i][2]);
			for (j = 0; j < 3; j++)
				for (t = 0; t < n[i][j] * 50 / (max ? max : 1) ||
				    (t == 0 && n[i][j] > 0 && n[i][j] * 50 < max); t++)
					putc("ADo"[j], o->fp);
			putc('\n', o->fp);
		}
		say(o, "```\n\n");
		return;
	}
	bw = (double)(W - L - R) / (double)nb;
	say(o, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"events per %s\">\n", W, H, W, H, unit);
	say(o, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">"
	    "How many events each %s (UTC)</text>\n", L, unit);
	/* y axis: gridlines with their numbers */
	for (y = 0; y <= max; y += step) {
		top = T + (H - T - B) * (1.0 - (double)y / (double)max);
		say(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" font-size=\"12\" "
		    "text-anchor=\"end\">%lld</text>\n", L, top, W - R, top,
		    L - 6, top + 4, y);
	}
	say(o, "<text transform=\"translate(16 %d) rotate(-90)\" "
	    "font-size=\"13\" text-anchor=\"middle\">number of events</text>\n",
	    T + (H - T - B) / 2);
	for (i = 0; i < nb; i++) {
		x = L + bw * (double)i;
		top = H - B;
		for (j = 0; j < 3; j++) {
			if (n[i][j] == 0)
				continue;
			h = (double)(H - T - B) * (double)n[i][j] / (double)max;
			top -= h;
			label(lab, sizeof(lab), keys[i], c->hourly);
			say(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>%s: %lld %s"
			    "</title></rect>\n", x + bw * 0.1, top, bw * 0.8, h,
			    kind_colour[j], lab, n[i][j], j == 0 ?
			    "account security events" : j == 1 ?
			    "data access events" : "other events");
		}
		/* a label under every bar, or as many as fit */
		if (nb <= 31 || i % (nb / 24 + 1) == 0) {
			label(lab, sizeof(lab), keys[i], c->hourly);
			say(o, "<text transform=\"translate(%.1f %d) "
			    "rotate(-45)\" font-size=\"11\" text-anchor=\"end\">"
			    "%s</text>\n", x + bw / 2, H - B + 14, lab);
		}
	}
	say(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
	    L, H - B, W - R, H - B);
	for (j = 0; j < 3; j++)
		say(o, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s"
		    "</text>\n", W - R - 470 + 160 * j, 12, kind_colour[j],
		    W - R - 452 + 160 * j, 22, j == 0 ? "account security" :
		    j == 1 ? "data access" : "other");
	say(o, "</svg><figcaption>Bars are stacked by kind of event; days "
	    "and hours are in UTC. Point at a bar for its numbers.</figcaption>"
	    "</figure>\n");
}

/* ---- key events */

static void
w_samples(struct out *o, struct ctx *c, enum bag_kind k)
{
	struct bag_summary *s = c->s;
	size_t i;

	h3(o, bag_kind_title[k]);
	if (s->nkeep[k] == 0) {
		p_open(o);
		say(o, "None.");
		p_close(o);
		return;
	}
	p_open(o);
	if (s->kinds[k] > s->nkeep[k])
		say(o, "The first %zu of %" PRIu64 ", in time order; all are in "
		    "the timeline.", s->nkeep[k], s->kinds[k]);
	else
		say(o, "All %" PRIu64 ", in time order.", s->kinds[k]);
	p_close(o);
	if (o->html)
		fputs("<ol class=\"ev\">\n", o->fp);
	for (i = 0; i < s->nkeep[k]; i++) {
		fputs(o->html ? "<li>" : "1. ", o->fp);
		if (s->keep[k][i].title) {
			b_text(o, s->keep[k][i].title);
			fputs(": ", o->fp);
		}
		text(o, s->keep[k][i].text);
		li_close(o);
	}
	if (o->html)
		fputs("</ol>\n", o->fp);
	else
		fputc('\n', o->fp);
}

static void
w_key(struct out *o, struct ctx *c)
{
	size_t i;
	char nb[32];

	h2(o, "Key events", "key");
	if (c->hunts.n > 0) {
		h3(o, "What the detection rules found");
		t_head(o, (const char *const[]){ "finding", "level", "events",
		    NULL }, "llr");
		for (i = 0; i < c->hunts.n; i++) {
			t_row_open(o);
			t_cell(o, c->hunts.v[i].key, 0);
			t_cell(o, str(json_object_get(c->s->hunts,
			    c->hunts.v[i].key), "level"), 0);
			snprintf(nb, sizeof(nb), "%lld", (long long)c->hunts.v[i].n);
			t_cell(o, nb, 1);
			t_row_close(o);
		}
		t_end(o);
		w_samples(o, c, K_HUNT);
	}
	w_samples(o, c, K_ACCOUNT);
	w_samples(o, c, K_DATA);
	h3(o, bag_kind_title[K_OTHER]);
	p_open(o);
	say(o, "%" PRIu64 " events; the kinds are listed in the appendix.",
	    c->s->kinds[K_OTHER]);
	p_close(o);
}

/* ---- removed and dropped */

static void
w_redaction(struct out *o, struct ctx *c)
{
	json_t *rep = c->report, *pol, *rule, *v;
	const char *w, *k;
	size_t i, quiet = 0;
	json_int_t drops = 0;
	long long later;

	h2(o, "What was removed, and why", "removed");
	if (rep == NULL) {
		p_open(o);
		b_text(o, "No redaction report was given: nothing shows that "
		    "these events were redacted.");
		p_close(o);
		return;
	}
	pol = json_object_get(rep, "policy");
	p_open(o);
	say(o, "The events were redacted by ldredact with the policy ");
	b_text(o, str(pol, "name") ? str(pol, "name") : "(unnamed)");
	if (str(pol, "source")) {
		say(o, " (");
		text(o, str(pol, "source"));
		say(o, ")");
	}
	if (str(pol, "sha256")) {
		say(o, ", whose SHA-256 is ");
		code(o, str(pol, "sha256"));
	}
	say(o, ". %lld values were changed in %lld of %lld events.",
	    (long long)num(rep, "replacements"),
	    (long long)num(json_object_get(rep, "records"), "redacted"),
	    (long long)num(json_object_get(rep, "output"), "records"));
	if (json_is_string(json_object_get(rep, "key_id"))) {
		say(o, " Pseudonyms are keyed by the case key ");
		code(o, str(rep, "key_id"));
		say(o, ", which stays with the company.");
	}
	p_close(o);
	t_head(o, (const char *const[]){ "what", "how", "values", "events",
	    NULL }, "llrr");
	json_array_foreach(json_object_get(rep, "rules"), i, rule) {
		if (num(rule, "values") == 0 && num(rule, "records") == 0) {
			quiet++;
			continue;
		}
		t_row_open(o);
		w = bag_rule_words(str(rule, "name"));
		t_cell(o, w ? w : str(rule, "name") ? str(rule, "name") :
		    "(unnamed rule)", 0);
		t_cell(o, bag_action_words(str(rule, "action")), 0);
		t_num(o, (long long)num(rule, "values"));
		t_num(o, (long long)num(rule, "records"));
		t_row_close(o);
	}
	t_end(o);
	if (quiet) {
		p_open(o);
		say(o, "%zu other rules of the policy found nothing to remove.",
		    quiet);
		p_close(o);
	}

	h2(o, "What was dropped, and where to look", "dropped");
	ul_open(o);
	json_object_foreach(json_object_get(rep, "dropped"), k, v) {
		if (json_integer_value(v) == 0)
			continue;
		drops += json_integer_value(v);
		li_open(o);
		say(o, "%lld event%s dropped by the redaction because ",
		    (long long)json_integer_value(v),
		    json_integer_value(v) == 1 ? " was" : "s were");
		text(o, bag_drop_words(k));
		li_close(o);
	}
	if (drops == 0) {
		li_open(o);
		say(o, "The redaction dropped no event.");
		li_close(o);
	}
	later = (long long)num(json_object_get(rep, "output"), "records") -
	    (long long)c->s->total;
	if (later > 0) {
		li_open(o);
		say(o, "%lld events were removed after the redaction as "
		    "duplicates (the same event logged twice, as GitLab does "
		    "for streamed audit events); each kept its twin.", later);
		li_close(o);
	}
	if (c->s->untimed) {
		li_open(o);
		say(o, "%" PRIu64 " event%s no time %s could be placed at; "
		    "%s in the bag, not on the timeline.", c->s->untimed,
		    c->s->untimed == 1 ? " has" : "s have",
		    c->s->untimed == 1 ? "it" : "they",
		    c->s->untimed == 1 ? "it is" : "they are");
		li_close(o);
	}
	ul_close(o);
	if (drops > 0) {
		json_t *dr = json_object_get(rep, "dropped_records");
		size_t n = json_array_size(dr);

		p_open(o);
		say(o, "Where the dropped lines are (the first %zu of %zu; all "
		    "are listed in ", n < 10 ? n : 10, n);
		code(o, "redaction-report.json");
		say(o, "):");
		p_close(o);
		ul_open(o);
		json_array_foreach(dr, i, v) {
			char ln[32];

			if (i == 10)
				break;
			li_open(o);
			code(o, str(v, "src"));
			snprintf(ln, sizeof(ln), " line %lld: ",
			    (long long)num(v, "line"));
			say(o, "%s", ln);
			text(o, bag_drop_words(str(v, "reason")));
			li_close(o);
		}
		ul_close(o);
	}
}

/* ---- approvals, filled in by "ldbundle review --html" */

static void
w_approvals(struct out *o, struct ctx *c)
{
	h2(o, "Approvals", "approvals");
	say(o, "%s\n", o->html ? BAG_APPROVALS_BEGIN : "");
	p_open(o);
	say(o, "This bag may leave the company only when a security reviewer "
	    "and a legal reviewer, with two different keys that the keyring "
	    "of approvers trusts for those roles, have approved it. Approvals "
	    "are added after this page was written, so it cannot list them: ");
	code(o, "ldbundle review --keyring FILE");
	say(o, " shows them, with names, roles and key fingerprints, and ");
	code(o, "ldbundle review --html FILE");
	say(o, " writes this page with them.");
	p_close(o);
	say(o, "%s\n", o->html ? BAG_APPROVALS_END : "");
}

/* ---- the audit gap */

/* gap_rows - the application-log event types of the key kinds with no
 * audit counterpart in the bag: fills rows (fmt\tevent keys of types) and
 * returns how many. */
static size_t
gap_rows(struct ctx *c, const struct row **rows, size_t max)
{
	size_t i, j, n = 0;
	const char *fmtev, *ev, *audit;
	char *fmt;
	int seen;

	for (i = 0; i < c->types.n && n < max; i++) {
		fmtev = c->types.v[i].key;
		ev = strchr(fmtev, '\t') + 1;
		fmt = ld_xstrndup(fmtev, (size_t)(ev - fmtev - 1));
		if (bag_is_audit(fmt) || bag_kind_of(ev) == K_OTHER) {
			free(fmt);
			continue;
		}
		free(fmt);
		if (!bag_counterpart(ev, &audit))
			continue;	/* not known to be auditable */
		seen = 0;
		for (j = 0; audit && j < c->types.n; j++) {
			const char *t = c->types.v[j].key;

			if (bag_is_audit(t) && strcmp(strchr(t, '\t') + 1, audit) == 0)
				seen = 1;
		}
		if (!seen)
			rows[n++] = &c->types.v[i];
	}
	return n;
}

static void
w_gap(struct out *o, struct ctx *c)
{
	const struct row *rows[64];
	size_t n, i;
	char *fmt;

	h2(o, "The gap in GitLab's audit events", "gap");
	n = gap_rows(c, rows, 64);
	p_open(o);
	if (n == 0) {
		say(o, "Every act of these kinds that application logs show "
		    "also has an audit event here.");
		p_close(o);
		return;
	}
	say(o, "These acts were found only in application logs: GitLab wrote "
	    "no audit event for them in this bag, so the customer could not "
	    "have seen them in its own audit log. ");
	code(o, "ldbundle gap");
	say(o, " writes a draft issue for them.");
	p_close(o);
	t_head(o, (const char *const[]){ "what", "event", "seen in", "events",
	    NULL }, "lllr");
	for (i = 0; i < n; i++) {
		const char *ev = strchr(rows[i]->key, '\t') + 1;

		fmt = ld_xstrndup(rows[i]->key, (size_t)(ev - rows[i]->key - 1));
		t_row_open(o);
		t_cell(o, bag_words_of(ev) ? bag_words_of(ev) : "", 0);
		t_cell(o, ev, 0);
		t_cell(o, bag_family_of(fmt), 0);
		t_num(o, (long long)rows[i]->n);
		t_row_close(o);
		free(fmt);
	}
	t_end(o);
}

/* ---- where it came from */

/* w_step - one line of the run history: tool, command, what it read and
 * wrote. */
static void
w_step(struct out *o, json_t *st)
{
	const char *const dir[2] = { "inputs", "outputs" };
	json_t *e;
	size_t i;
	int d, shown;

	fputs(o->html ? "<li>" : "1. ", o->fp);
	if (str(st, "problem")) {
		say(o, "The run history could not be read: ");
		text(o, str(st, "problem"));
		li_close(o);
		return;
	}
	b_text(o, str(st, "tool"));
	say(o, " ");
	text(o, str(st, "version"));
	say(o, ": ");
	if (o->html)
		fputs("<code>", o->fp);
	json_array_foreach(json_object_get(st, "argv"), i, e) {
		if (i)
			putc(' ', o->fp);
		text(o, json_string_value(e));
	}
	if (o->html)
		fputs("</code>", o->fp);
	for (d = 0; d < 2; d++) {
		shown = 0;
		json_array_foreach(json_object_get(st, dir[d]), i, e) {
			if (str(e, "sha256") == NULL)
				continue;
			say(o, "%s", shown++ ? "; " : d ? "; wrote " : "; read ");
			text(o, str(e, "name"));
			if (num(e, "bytes") > 0)
				say(o, " (%lld bytes, SHA-256 ",
				    (long long)num(e, "bytes"));
			else
				say(o, " (SHA-256 ");
			code(o, str(e, "sha256"));
			say(o, ")");
		}
		if (d == 0 && !shown && json_array_size(json_object_get(st,
		    dir[d])) > 0)
			say(o, "; read %zu files", json_array_size(
			    json_object_get(st, dir[d])));
	}
	say(o, "; exit status %lld", (long long)num(st, "status"));
	li_close(o);
}

static void
w_provenance(struct out *o, struct ctx *c)
{
	json_t *e, *red = json_object_get(c->prov, "redaction"), *v;
	size_t i;

	h2(o, "Where the evidence came from", "provenance");
	if (json_array_size(json_object_get(c->prov, "steps")) > 0) {
		p_open(o);
		say(o, "The dive, step by step, as each tool recorded it in the "
		    "run history (LD_RUNLOG); each step read what the one "
		    "before wrote, by SHA-256:");
		p_close(o);
		if (o->html)
			fputs("<ol>\n", o->fp);
		json_array_foreach(json_object_get(c->prov, "steps"), i, e)
			w_step(o, e);
		if (o->html)
			fputs("</ol>\n", o->fp);
		else
			fputc('\n', o->fp);
	}
	ul_open(o);
	if (red) {
		li_open(o);
		say(o, "Redacted by ldredact ");
		text(o, str(red, "version"));
		say(o, " with the policy ");
		text(o, str(json_object_get(red, "policy"), "name"));
		say(o, ": %lld lines read (SHA-256 ",
		    (long long)num(json_object_get(red, "input"), "lines"));
		code(o, str(json_object_get(red, "input"), "sha256"));
		say(o, "), %lld events written (SHA-256 ",
		    (long long)num(json_object_get(red, "output"), "records"));
		code(o, str(json_object_get(red, "output"), "sha256"));
		say(o, ").");
		if ((v = json_object_get(red, "binding")) != NULL) {
			say(o, " Bound to the bag's events: ");
			text(o, str(v, "method"));
			say(o, ".");
		}
		li_close(o);
	}
	li_open(o);
	say(o, "Bundled by ldbundle ");
	text(o, str(c->prov, "version"));
	say(o, " at ");
	text(o, str(c->prov, "run_at"));
	say(o, " with ");
	if (o->html)
		fputs("<code>", o->fp);
	json_array_foreach(json_object_get(c->prov, "command"), i, e) {
		if (i)
			putc(' ', o->fp);
		text(o, json_string_value(e));
	}
	if (o->html)
		fputs("</code>", o->fp);
	say(o, ".");
	li_close(o);
	ul_close(o);
	p_open(o);
	say(o, "The logs the events came from. A log inside an archive is "
	    "named archive!log; size and SHA-256 are those of the log itself, "
	    "unpacked, and the last column is the SHA-256 of the file on disk "
	    "that holds it (the archive, or the compressed file):");
	p_close(o);
	t_head(o, (const char *const[]){ "log", "events", "size",
	    "SHA-256 of the log", "SHA-256 of the file on disk", NULL },
	    "lrrll");
	json_array_foreach(json_object_get(c->prov, "sources"), i, e) {
		int packed = json_object_get(e, "member_sha256") != NULL;

		t_row_open(o);
		t_cell(o, str(e, "src"), 0);
		t_num(o, (long long)num(e, "records"));
		if (!json_is_true(json_object_get(e, "on_disk"))) {
			t_cell(o, "-", 1);
			t_cell(o, "not found on disk when bundled", 0);
			t_cell(o, "-", 0);
		} else if (packed) {
			t_num(o, (long long)num(e, "member_size"));
			t_cell(o, str(e, "member_sha256"), 0);
			t_cell(o, str(e, "sha256"), 0);
		} else if (json_object_get(e, "member")) {
			t_cell(o, "-", 1);
			t_cell(o, "could not be read again from the archive", 0);
			t_cell(o, str(e, "sha256"), 0);
		} else {
			t_num(o, (long long)num(e, "size"));
			t_cell(o, str(e, "sha256"), 0);
			t_cell(o, "(the same file)", 0);
		}
		t_row_close(o);
	}
	t_end(o);
}

/* ---- appendix */

static void
w_appendix(struct out *o, struct ctx *c)
{
	const char *k;
	json_t *v;
	size_t i;
	char *s, *fmt;

	h2(o, "Appendix: the request file", "request");
	t_head(o, (const char *const[]){ "field", "value", NULL }, "ll");
	json_object_foreach(c->request, k, v) {
		s = json_is_array(v) && json_array_size(v) == 0 ?
		    ld_xstrdup("(any)") : list(v);
		if (s == NULL)
			s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		t_row_open(o);
		t_cell(o, k, 0);
		t_cell(o, s ? s : "", 0);
		t_row_close(o);
		free(s);
	}
	t_end(o);
	h2(o, "Appendix: every kind of event", "kinds");
	t_head(o, (const char *const[]){ "event", "in words", "kind",
	    "seen in", "events", NULL }, "llllr");
	for (i = 0; i < c->types.n; i++) {
		const char *key = c->types.v[i].key, *ev = strchr(key, '\t') + 1;

		fmt = ld_xstrndup(key, (size_t)(ev - key - 1));
		t_row_open(o);
		t_cell(o, ev, 0);
		t_cell(o, bag_words_of(ev) ? bag_words_of(ev) : "", 0);
		t_cell(o, bag_kind_title[bag_kind_of(ev)], 0);
		t_cell(o, bag_family_of(fmt), 0);
		t_num(o, (long long)c->types.v[i].n);
		t_row_close(o);
		free(fmt);
	}
	t_end(o);
}

static const char style[] =
    "body{font-family:Georgia,serif;font-size:17px;line-height:1.45;"
    "max-width:960px;margin:1.5em auto;padding:0 1em;color:#1d1d1d;"
    "background:#fff}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;"
    "border-bottom:1px solid #ccc}h3{font-size:1.05em}"
    "table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;"
    "vertical-align:top}td.n{text-align:right}"
    "code{font-size:.85em;word-break:break-all}td{overflow-wrap:anywhere}"
    "ol.ev li{margin:.2em 0}"
    "figure{margin:0}figcaption{font-size:.85em;color:#555}"
    "svg{max-width:100%;height:auto;font-family:sans-serif}"
    "nav{font-size:.9em}";

static void
write_page(struct out *o, struct ctx *c)
{
	if (o->html) {
		say(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n<meta http-equiv=\""
		    "Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n<title>Case ");
		text(o, c->id);
		say(o, ": evidence for review</title>\n<style>%s</style>\n"
		    "</head>\n<body>\n<h1>Case ", style);
		text(o, c->id);
		say(o, ": evidence for review</h1>\n<nav>");
		say(o, "<a href=\"#asked\">asked</a> · <a href=\"#found\">found"
		    "</a> · <a href=\"#key\">key events</a> · <a href=\"#removed"
		    "\">removed</a> · <a href=\"#dropped\">dropped</a> · "
		    "<a href=\"#approvals\">approvals</a> · <a href=\"#gap\">"
		    "audit gap</a> · <a href=\"#provenance\">provenance</a>"
		    "</nav>\n");
	} else {
		say(o, "# Case ");
		text(o, c->id);
		say(o, ": evidence for review\n");
	}
	w_request(o, c);
	w_found(o, c);
	w_chart(o, c);
	w_key(o, c);
	w_redaction(o, c);
	w_approvals(o, c);
	w_gap(o, c);
	w_provenance(o, c);
	w_appendix(o, c);
	if (o->html)
		say(o, "</body>\n</html>\n");
}

static int
ctx_init(struct ctx *c, struct bag_summary *s, json_t *request,
    json_t *report, json_t *provenance)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->request = request;
	c->report = report;
	c->prov = provenance;
	c->id = str(request, "case");
	c->hourly = s->timed && s->last_ns - s->first_ns <= BAG_HOURLY_SPAN;
	c->buckets = c->hourly ? s->by_hour : s->by_day;
	return table_of(s->by_type, by_count, &c->types) == -1 ||
	    table_of(s->by_src, by_key, &c->srcs) == -1 ||
	    table_of(s->hunts, by_count, &c->hunts) == -1 ? -1 : 0;
}

static void
ctx_free(struct ctx *c)
{
	free(c->types.v);
	free(c->srcs.v);
	free(c->hunts.v);
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
	struct ctx c;
	struct out o;
	int rc = -1;

	if (ctx_init(&c, s, request, report, provenance) == -1) {
		ld_err_set(err, "summary: out of memory");
		goto out;
	}
	o.html = 0;
	if ((o.fp = bag_fopen_new(dirfd, "data/summary.md", err)) == NULL)
		goto out;
	write_page(&o, &c);
	if (bag_fclose(o.fp, "data/summary.md", err) == -1)
		goto out;
	o.html = 1;
	if ((o.fp = bag_fopen_new(dirfd, "data/summary.html", err)) == NULL)
		goto out;
	write_page(&o, &c);
	if (bag_fclose(o.fp, "data/summary.html", err) == -1)
		goto out;
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}

/*
 * bag_summary_gap - the draft issue text of the audit gap (see w_gap())
 * to fp, for "ldbundle gap".  Returns how many event types have no audit
 * counterpart, or -1 out of memory.
 */
int
bag_summary_gap(struct bag_summary *s, json_t *request, FILE *fp)
{
	const struct row *rows[64];
	struct ctx c;
	struct out o = { fp, 0 };
	size_t n, i;
	char *fmt;

	if (ctx_init(&c, s, request, NULL, NULL) == -1) {
		ctx_free(&c);
		return -1;
	}
	n = gap_rows(&c, rows, 64);
	if (n == 0) {
		say(&o, "No gap: every act of these kinds that application "
		    "logs show in case ");
		text(&o, c.id);
		say(&o, " also has an audit event.\n");
		ctx_free(&c);
		return 0;
	}
	say(&o, "Title: Audit events missing for %zu kind%s of act found in "
	    "application logs\n\n", n, n == 1 ? "" : "s");
	say(&o, "## Summary\n\nDuring the log-dive of case ");
	text(&o, c.id);
	say(&o, " the following acts were found only in application logs. "
	    "GitLab wrote no audit event for them, so the customer could not "
	    "see them in its audit log or audit event streams, and a request "
	    "to the logs of GitLab itself was needed.\n\n");
	say(&o, "| act | application log event | log | seen |\n"
	    "|---|---|---|--:|\n");
	for (i = 0; i < n; i++) {
		const char *ev = strchr(rows[i]->key, '\t') + 1;

		fmt = ld_xstrndup(rows[i]->key, (size_t)(ev - rows[i]->key - 1));
		say(&o, "| ");
		text(&o, bag_words_of(ev) ? bag_words_of(ev) : "(see event)");
		say(&o, " | `");
		/* inside a code span only a backtick matters */
		for (const char *p = ev; *p; p++)
			putc(*p == '`' || (unsigned char)*p < 0x20 ? '\'' : *p, fp);
		say(&o, "` | %s | %lld |\n", bag_family_of(fmt),
		    (long long)rows[i]->n);
		free(fmt);
	}
	say(&o, "\n## Proposal\n\nRecord an audit event for each of these "
	    "acts (actor, IP address, target project, the act), so that it "
	    "appears in the group's and instance's audit events and in audit "
	    "event streaming.\n\n## Evidence\n\nThe events are in the bag of "
	    "case ");
	text(&o, c.id);
	say(&o, " (data/events.jsonl); counts above are of that bag.\n");
	ctx_free(&c);
	return (int)n;
}

/* html_out - s escaped for HTML into fp. */
static void
html_out(FILE *fp, const char *s)
{
	struct out o = { fp, 1 };

	text(&o, s ? s : "?");
}

int
ld_bag_review_html(const char *dir, const struct ld_bag_result *res,
    FILE *out, struct ld_err *err)
{
	char *path, *page, *b, *e;
	size_t len, i;
	int fd;

	if ((path = bag_printf("%s/data", dir)) == NULL) {
		ld_err_set(err, "out of memory");
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	page = fd == -1 ? NULL : bag_read_file(fd, "summary.html", 64u << 20,
	    &len, err);
	if (fd == -1)
		ld_err_set(err, "%s: %s", path, strerror(errno));
	else
		close(fd);
	free(path);
	if (page == NULL)
		return -1;
	if ((b = strstr(page, BAG_APPROVALS_BEGIN)) == NULL ||
	    (e = strstr(b, BAG_APPROVALS_END)) == NULL) {
		free(page);
		return ld_err_set(err, "%s/data/summary.html: no place for the "
		    "approvals", dir);
	}
	fwrite(page, 1, (size_t)(b - page), out);
	fputs(BAG_APPROVALS_BEGIN "\n<p>", out);
	if (res->ready)
		fputs("<strong>Ready to leave the company</strong>: a security "
		    "and a legal reviewer approved this bag as it is, with two "
		    "keys the keyring trusts for those roles.", out);
	else
		fputs("<strong>Not ready</strong>: this bag lacks a valid "
		    "security and legal approval by keys the keyring trusts.",
		    out);
	if (res->keyring_sha256) {
		fputs(" Keyring of approvers: SHA-256 <code>", out);
		html_out(out, res->keyring_sha256);
		fputs("</code>.", out);
	} else
		fputs(" No keyring of approvers was given, so no approval is "
		    "trusted.", out);
	fputs("</p>\n", out);
	if (res->napprovals == 0)
		fputs("<p>No approval has been made.</p>\n", out);
	else {
		fputs("<table><tr><th>reviewer</th><th>role</th><th>approved at"
		    "</th><th>key SHA-256</th><th>state</th></tr>\n", out);
		for (i = 0; i < res->napprovals; i++) {
			const struct ld_bag_approval_info *a = &res->approvals[i];

			fputs("<tr><td>", out);
			html_out(out, a->reviewer);
			fputs("</td><td>", out);
			html_out(out, a->role);
			fputs("</td><td>", out);
			html_out(out, a->approved_at);
			fputs("</td><td><code>", out);
			html_out(out, a->key_sha256);
			fprintf(out, "</code></td><td>%s</td></tr>\n", !a->valid ?
			    "not valid" : a->trusted ? "valid, key trusted for "
			    "this role" : "valid signature, key not trusted");
		}
		fputs("</table>\n", out);
	}
	fputs(e, out);
	free(page);
	if (ferror(out))
		return ld_err_set(err, "write error: %s", strerror(errno));
	return 0;
}
