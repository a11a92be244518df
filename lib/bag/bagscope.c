/*
 * bagscope.c — is what a bag holds of the request?  The records of
 * data/events.jsonl and the rows of a Timesketch timeline, checked against
 * the request's tenant and window, by ldbundle verify and, for a prepared
 * timeline, by ldbundle create.
 *
 * A record is of the request when its "ns" and "project", and those its
 * event gives when read again by the record's format, are inside the
 * request's tenant, namespaces, projects or accounts, or are names
 * ldredact wrote for ones it replaced; and its time is inside the
 * request's window, when it has one, as is the time its event gives
 * when read again.  A row of a timeline is read as the record it was
 * written from (its datetime, ns, project, fmt and ev columns).
 * Files are read a block at a time: memory does not grow with them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bag/bagint.h"
#include "core/csv.h"
#include "format/format.h"
#include "format/jsonx.h"
#include "scope/scope.h"

#define RECMAX (64u << 20)	/* a record or row longer than this is a problem */
#define CHUNK  65536

/* Is namespace path have (n bytes) inside one of the strings of the
 * request's member key (a string or an array)?  For "projects", the
 * project's namespace is what covers. */
static int
request_covers(json_t *req, const char *key, const char *have, size_t n)
{
	json_t *m = json_object_get(req, key), *x;
	size_t i;

	if (json_is_string(m))
		return ld_ns_covers(json_string_value(m), have, n);
	json_array_foreach(m, i, x)
		if (json_is_string(x) &&
		    ld_ns_covers(json_string_value(x), have, n))
			return 1;
	return 0;
}

/* Is h what ldredact writes for a name it replaced: a pseudonym
 * ("tenant-0123456789ab", "user-…") or a marker ("[REDACTED:tenant]")?
 * An owned account's events elsewhere are kept with such names.  Of a
 * project path, its first segment is looked at. */
static int
replaced_name(const char *h)
{
	size_t i = 0, n = strcspn(h, "/");	/* (a project: its namespace) */

	if (strncmp(h, "[REDACTED", 9) == 0)
		return 1;
	while (i < n && h[i] >= 'a' && h[i] <= 'z')
		i++;
	if (i == 0 || i + 13 != n || h[i] != '-')
		return 0;
	for (i++; i < n; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

/* Is namespace or project path h (n bytes) one the request covers, or a
 * name ldredact wrote for one it replaced? */
static int
in_tenant(json_t *rq, const char *h, size_t n)
{
	return replaced_name(h) ||
	    request_covers(rq, "tenant", h, n) ||
	    request_covers(rq, "namespaces", h, n) ||
	    request_covers(rq, "projects", h, n) ||
	    request_covers(rq, "own_accounts", h, n) ||
	    request_covers(rq, "accounts", h, n);
}

/* The namespace or project of r outside the request, or NULL; *what says
 * which. */
static const char *
outside(json_t *rq, const struct ld_rec *r, const char **what)
{
	static const int fields[] = { LD_F_NS, LD_F_PROJECT };

	for (size_t k = 0; k < 2; k++) {
		const char *h = r->f[fields[k]];

		if (h == NULL || in_tenant(rq, h, r->flen[fields[k]]))
			continue;
		*what = k == 0 ? "namespace" : "project";
		return h;
	}
	return NULL;
}

/* The request's time bound key of rq, if any, into *ns: 1 when set, 0
 * when absent, -1 when it is not a time. */
static int
request_time(json_t *rq, const char *key, int64_t *ns)
{
	json_t *v = json_object_get(rq, key);
	struct ld_err e;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) < 10 ||
	    json_string_value(v)[4] != '-' ||
	    ld_time_parse_bound(json_string_value(v), 0, ns, &e) < 0)
		return -1;
	return 1;
}

struct bag_scope {
	json_t *rq;
	struct ld_formats *fs;
	struct ld_parser *p;
	struct ld_rec r, ev;
	int has_since, has_until;
	int64_t since, until;
	struct ld_buf msg;
};

struct bag_scope *
bag_scope_new(json_t *rq, struct ld_err *err)
{
	struct bag_scope *sc;
	int ts, tu;

	if (!json_is_object(rq) || !json_is_string(json_object_get(rq,
	    "tenant"))) {
		ld_err_set(err, "not a request with a tenant");
		return NULL;
	}
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		ld_err_set(err, "out of memory");
		return NULL;
	}
	ts = request_time(rq, "since", &sc->since);
	tu = request_time(rq, "until", &sc->until);
	if (ts < 0 || tu < 0) {
		ld_err_set(err, "\"%s\" is not a time",
		    ts < 0 ? "since" : "until");
		free(sc);
		return NULL;
	}
	sc->has_since = ts == 1;
	sc->has_until = tu == 1;
	/* The formats the tools read with (a user's own too), else the
	 * built-in ones. */
	if ((sc->fs = ld_formats_load(ld_formats_default_dirs(), NULL,
	    err)) == NULL && (sc->fs = ld_formats_load(NULL, NULL, err)) == NULL) {
		free(sc);
		return NULL;
	}
	if ((sc->p = ld_parser_new(sc->fs, 1970)) == NULL) {
		ld_formats_free(sc->fs);
		free(sc);
		ld_err_set(err, "out of memory");
		return NULL;
	}
	json_incref(rq);
	sc->rq = rq;
	return sc;
}

void
bag_scope_free(struct bag_scope *sc)
{
	if (sc == NULL)
		return;
	ld_rec_free(&sc->r);
	ld_rec_free(&sc->ev);
	ld_parser_free(sc->p);
	ld_formats_free(sc->fs);
	json_decref(sc->rq);
	ld_buf_free(&sc->msg);
	free(sc);
}

/* Set the message of a problem; returns 1. */
static int
why(struct bag_scope *sc, const char *what, const char *h)
{
	char *pr = h ? ld_bag_printable(h) : NULL;

	ld_buf_reset(&sc->msg);
	if (h != NULL)
		ld_buf_addf(&sc->msg, "%s %s is outside the request's tenant",
		    what, pr ? pr : "?");
	else
		ld_buf_adds(&sc->msg, what);
	free(pr);
	return 1;
}

/* Is time ns inside the request's window? */
static int
in_window(const struct bag_scope *sc, int64_t ns)
{
	return !(sc->has_since && ns < sc->since) &&
	    !(sc->has_until && ns >= sc->until);
}

/* Read the event text (n bytes) again by format f (NULL: by content):
 * 1 with the message when it is outside, else 0. */
static int
check_event(struct bag_scope *sc, const struct ld_format *f, const char *text,
    size_t n, uint64_t lno)
{
	json_t *ev = NULL, *raw;
	const char *h, *what = NULL;
	int bad = 0;

	if (f != NULL && ld_format_is_text(f)) {
		/* a text line's event is {"raw":…} and the fields */
		ev = ld_json_loadb(text, n, JSON_ALLOW_NUL, NULL, NULL);
		raw = json_object_get(ev, "raw");
		text = json_string_value(raw);
		n = json_string_length(raw);
	}
	if (text != NULL) {
		ld_parse_line(sc->p, f, "event", lno, text, n, &sc->ev);
		ld_rec_complete(sc->p, &sc->ev);
		if (sc->ev.is_record)
			bad = why(sc, "the event is itself an ld-record", NULL);
		else if ((h = outside(sc->rq, &sc->ev, &what)) != NULL)
			bad = why(sc, what, h);
		/* The event's own time, read again, is in the window too: a
		 * record's "ts" that says otherwise does not place it.  (A
		 * year or a zone the reader guessed is not read again.) */
		else if (sc->ev.has_ts && !sc->ev.ts.year_guessed &&
		    !sc->ev.ts.zone_assumed && !in_window(sc, sc->ev.ts.ns))
			bad = why(sc, "the event's own time is outside the "
			    "request's window", NULL);
		ld_rec_clear(&sc->ev);
	}
	json_decref(ev);
	return bad;
}

/* One ld-record line: 0 when it is of the request, else 1 with the
 * message in sc->msg. */
static int
check_record(struct bag_scope *sc, const char *line, size_t len, uint64_t lno)
{
	enum ld_parse_result res;
	const char *h, *what = NULL;
	int bad = 0;

	res = ld_parse_line(sc->p, NULL, "record", lno, line, len, &sc->r);
	if (!sc->r.is_record) {
		ld_rec_clear(&sc->r);
		return why(sc, "not an ld-record", NULL);
	}
	ld_rec_complete(sc->p, &sc->r);
	if ((h = outside(sc->rq, &sc->r, &what)) != NULL)
		bad = why(sc, what, h);
	else if (sc->r.has_ts && !in_window(sc, sc->r.ts.ns))
		bad = why(sc, "time outside the request's window", NULL);
	else if (res != LD_PARSE_MALFORMED && sc->r.evraw != NULL &&
	    check_event(sc, sc->r.fmt, sc->r.evraw, sc->r.evrawlen, lno))
		bad = 1;
	ld_rec_clear(&sc->r);
	return bad;
}

/* The columns of a Timesketch timeline of ld-records that are read. */
enum { C_DATETIME, C_NS, C_PROJECT, C_FMT, C_EV, C_N };
static const char *const colnames[C_N] = { "datetime", "ns", "project",
    "fmt", "ev" };

struct tlstate {
	size_t col[C_N];
	size_t ncols;
	int header;		/* the header was read */
	int usable;		/* it has every column above */
};

/* One row of a timeline: 0 when it is of the request, else 1 with the
 * message. */
static int
check_row(struct bag_scope *sc, struct tlstate *t, const struct ld_csv_rd *rd)
{
	const char *v[C_N];
	size_t n[C_N];
	const struct ld_format *f = NULL;
	struct ld_time tm;

	if (rd->toolong) {
		ld_buf_reset(&sc->msg);
		ld_buf_addf(&sc->msg, "a row longer than %u MiB", RECMAX >> 20);
		return 1;
	}
	if (rd->bad)
		return why(sc, "not RFC 4180 CSV", NULL);
	if (!t->header) {
		t->header = 1;
		t->ncols = rd->nf;
		for (int c = 0; c < C_N; c++) {
			t->col[c] = (size_t)-1;
			for (size_t i = 0; i < rd->nf; i++)
				if (strcmp(ld_csv_rd_field(rd, i, NULL),
				    colnames[c]) == 0)
					t->col[c] = i;
			if (t->col[c] == (size_t)-1) {
				ld_buf_reset(&sc->msg);
				ld_buf_addf(&sc->msg, "no column \"%s\": not a "
				    "timeline of ld-records (ldtimeline --format "
				    "timesketch-csv), so its rows cannot be "
				    "checked against the request", colnames[c]);
				return 1;
			}
		}
		t->usable = 1;
		return 0;
	}
	if (!t->usable)
		return 0;	/* (said once, at the header) */
	if (rd->nf == 1 && ld_csv_rd_field(rd, 0, n) != NULL && n[0] == 0)
		return 0;	/* an empty line */
	if (rd->nf != t->ncols) {
		ld_buf_reset(&sc->msg);
		ld_buf_addf(&sc->msg, "%zu fields where the header has %zu",
		    rd->nf, t->ncols);
		return 1;
	}
	for (int c = 0; c < C_N; c++)
		v[c] = ld_csv_rd_field(rd, t->col[c], &n[c]);
	if (ld_time_parse(v[C_DATETIME], n[C_DATETIME], LD_TIME_RFC3339, 1970,
	    &tm) < 0)
		return why(sc, "its datetime is not a time", NULL);
	for (int c = C_NS; c <= C_PROJECT; c++) {
		if (n[c] == 0)
			continue;
		if (memchr(v[c], '\0', n[c]) != NULL)
			return why(sc, "a NUL byte in its namespace or project",
			    NULL);
		if (!in_tenant(sc->rq, v[c], n[c]))
			return why(sc, c == C_NS ? "namespace" : "project", v[c]);
	}
	if (n[C_FMT] > 0 && (f = ld_formats_find(sc->fs, v[C_FMT])) == NULL)
		return why(sc, "its format is unknown: its event cannot be "
		    "read again", NULL);
	if (!in_window(sc, tm.ns))
		return why(sc, "time outside the request's window", NULL);
	if (n[C_EV] > 0 && check_event(sc, f, v[C_EV], n[C_EV], rd->line))
		return 1;
	return 0;
}

long
bag_scope_file(struct bag_scope *sc, int fd, const char *name, int timeline,
    void (*report)(void *, const char *, uint64_t, const char *), void *arg,
    struct ld_err *err)
{
	char *chunk;
	struct ld_csv_rd rd;
	struct tlstate t = { .header = 0 };
	struct ld_buf rec = { 0 };
	uint64_t lno = 0;
	long bad = 0, rc = 0;
	int toolong = 0;
	ssize_t got;

#define FOUND(l) do { \
	if (bad++ < 20) \
		report(arg, name, (l), sc->msg.p); \
} while (0)
	if ((chunk = malloc(CHUNK)) == NULL)
		return ld_err_set(err, "out of memory");
	ld_csv_rd_init(&rd, RECMAX);
	for (;;) {
		const char *q = chunk, *nl, *end;

		if ((got = read(fd, chunk, CHUNK)) == -1 &&
		    errno == EINTR)
			continue;
		if (got == -1) {
			ld_err_set(err, "%s", strerror(errno));
			rc = -1;
			break;
		}
		end = chunk + got;
		if (timeline) {
			while (q < end) {
				q += ld_csv_rd_feed(&rd, q, (size_t)(end - q));
				if (ld_csv_rd_row(&rd) && check_row(sc, &t, &rd))
					FOUND(rd.line);
			}
			if (got == 0 && ld_csv_rd_finish(&rd) &&
			    check_row(sc, &t, &rd))
				FOUND(rd.line);
			if (got == 0)
				break;
			continue;
		}
		/* ld-records: a line at a time, at most RECMAX bytes kept */
		for (; q < end || (got == 0 && (rec.len > 0 || toolong));
		    q = nl + 1) {
			nl = got == 0 ? end : memchr(q, '\n', (size_t)(end - q));
			if (nl == NULL) {	/* the line goes on */
				if (rec.len + (size_t)(end - q) <= RECMAX)
					ld_buf_add(&rec, q, (size_t)(end - q));
				else
					toolong = 1;
				break;
			}
			if (rec.len + (size_t)(nl - q) <= RECMAX)
				ld_buf_add(&rec, q, (size_t)(nl - q));
			else
				toolong = 1;
			lno++;
			if (toolong) {
				ld_buf_reset(&sc->msg);
				ld_buf_addf(&sc->msg, "a record longer than %u "
				    "MiB", RECMAX >> 20);
				FOUND(lno);
			} else if (rec.len > 0 &&
			    check_record(sc, rec.p, rec.len, lno))
				FOUND(lno);
			ld_buf_reset(&rec);
			toolong = 0;
			if (got == 0)
				break;
		}
		if (got == 0)
			break;
	}
#undef FOUND
	if (bad > 20) {
		char m[128];

		snprintf(m, sizeof(m), "%ld %s outside the request's tenant or "
		    "window, or unreadable, in all", bad,
		    timeline ? "rows" : "records");
		report(arg, name, 0, m);
	}
	ld_csv_rd_free(&rd);
	ld_buf_free(&rec);
	free(chunk);
	return rc == -1 ? -1 : bad;
}
