/*
 * grep.c — searching sources in parallel with ordered output.
 *
 * A job is one source of the list.  Workers take jobs in list order and
 * write each job's output into its own buffer (spilling to a temporary file
 * past its share of OUT_MEMORY); the calling thread hands the buffers to the
 * output in list order.  Workers run at most 2 jobs a thread in front of the
 * output, so memory stays bounded whatever the input and the thread count.
 *
 * What a source costs while it is read (its decoder's window, which the
 * compressor chose: 2 MiB for zstd -3, 8 MiB at -19, up to 128 MiB with
 * --long; the reader's buffers; a feed's chunks) is paid from one budget,
 * WORK_MEMORY.  No more threads run than the budget holds at the median
 * source's cost, and a worker holds a share of it while it keeps a
 * reader: one that needs more gives its share and reader back and waits
 * for a larger share (one source larger than the budget is read alone).
 * So the peak does not grow with -j, whatever the windows; the order of
 * the output does not depend on it.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/jsonx.h"
#include "format/lit.h"
#include "grep/grep.h"
#include "input/feed.h"

/* The output jobs may hold in memory, shared by the jobs that may wait to
 * be written at once (2 a thread): past its share (1 MiB at -j 2, 256 KiB
 * at -j 8), a job's output goes to a temporary file. */
#define OUT_MEMORY ((size_t)4 << 20)
#define SPILL_MIN ((size_t)64 << 10)
#define OUT_CHUNK ((size_t)64 << 10)
#define MAX_THREADS 64
/* The memory of the sources read at once by the threads (src.h). */
#define WORK_MEMORY LD_SRC_WORK_MEMORY

struct pred {
	int canon;		/* canonical field index, or -1 for a path */
	char *name;
	char *value;		/* '=' */
	pcre2_code *re;		/* '~' */
};

struct ld_grep {
	const struct ld_formats *fs;
	const struct ld_scope *sc;
	const struct ld_format *forced;
	enum ld_grep_out mode;
	int threads;
	int ref_year;
	pcre2_code **pats;	/* ORed */
	size_t npats;
	int invert;
	uint64_t max_count;
	unsigned before, after;
	unsigned print;		/* LD_GREP_P_* */
	const volatile sig_atomic_t *cancel;
	pcre2_match_context *mctx;
	struct pred *preds;
	size_t npreds;
	struct ld_lit *lits;	/* the scope's literals, prepared */
	size_t nlits;
	int lits_urlish;	/* literals may hide behind %-escapes in URLs */
	int lits_whole;		/* an occurrence followed by [A-Za-z0-9_]
				   does not count (ends_name()) */
	unsigned char litc[256];	/* the bytes of the literals, either
					   ASCII case: 1 */
	int readahead;		/* more threads than sources: read ahead */
	uint64_t work;		/* the pool's budget (WORK_MEMORY) */
	ld_grep_filter filter;	/* ld_grep_set_filter() */
	void *farg;
	const struct ld_index_ctx *ixcx;	/* NULL: no index */
	/* results */
	struct ld_grep_stats *st;
	size_t nst;
	uint64_t matched;
	/* progress, updated by the workers while they run */
	uint64_t pg_bytes, pg_sources, pg_matched;
};

/* A line kept for the context before a selected one. */
struct ctxline {
	struct ld_buf b;
	uint64_t lineno;
};

/* Per-thread working state. */
struct worker {
	struct ld_grep *g;
	struct ld_parser *p;
	struct ld_rec rec;
	pcre2_match_data *md;
	struct ld_src *src;	/* reused from source to source */
	struct ld_buf line;
	struct ld_buf dec, dec2;	/* the line with escapes decoded */
	struct ld_buf marks;	/* colour of each byte of a printed line */
	struct ld_buf tmp;
	unsigned after_left;	/* lines of context still to print */
	int have_last;		/* last_printed is of this unit */
	struct ctxline *ring;	/* the last lines not printed, g->before */
	size_t ringn, ringhead;
	uint64_t last_printed;	/* line number of the last line printed */
	int printed_any;	/* in this job, for the "--" separators */
	uint64_t held;		/* of the pool's WORK_MEMORY */
};

struct job {
	const char *path;
	const char *experr;	/* from the path expansion */
	FILE *direct;		/* write straight here (single thread) */
	struct ld_buf out;
	FILE *spill;
	size_t spill_at;	/* bytes of out past which it spills */
	int out_err;
	struct ld_buf msgs;	/* NUL-separated diagnostics */
	size_t nmsgs;
	struct ld_grep_stats *st;
	size_t nst;
	int trouble;
	int cancelled;
	int done;
	uint64_t need;		/* of WORK_MEMORY, while it is read */
};

static int
name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Whether the pre-filter may pass over an occurrence of a literal that a
 * byte of [A-Za-z0-9_] follows ("acme-corp" in "acme-corporation"): when
 * the literals are the scope's namespaces, each one segment ending in
 * such a byte.  A line is then in scope only when its namespace or
 * project is one of them or starts with one and a '/' (ld_ns_covers()),
 * and those fields are a JSON string, a group of a built-in pattern
 * (ld_formats_text_builtin()) or an ld-record's string, cut by the
 * transforms (lib/format/xform.c) only at '/', '?', '#', ':', '@', ' ',
 * quotes, ".git" and the like: their text ends where the line's does, or
 * before a byte that is not [A-Za-z0-9_].  Escapes do not change that:
 * the byte after the occurrence is the same in the decoded text.
 */
static int
ends_name(const struct ld_formats *fs, const struct ld_scope *sc)
{
	const struct ld_strv *ns = &sc->namespaces;

	if (ns->n == 0 || sc->projects.n || sc->users.n || sc->accounts.n ||
	    sc->cids.n || !ld_formats_text_builtin(fs))
		return 0;
	for (size_t i = 0; i < ns->n; i++) {
		size_t n = strlen(ns->v[i]);

		if (n == 0 || strchr(ns->v[i], '/') != NULL ||
		    !name_byte((unsigned char)ns->v[i][n - 1]))
			return 0;
	}
	return 1;
}

struct ld_grep *
ld_grep_new(const struct ld_formats *fs, const struct ld_scope *sc)
{
	struct ld_grep *g = ld_xcalloc(1, sizeof(*g));
	char *const *lits;
	time_t now = time(NULL);
	struct tm tm;

	g->fs = fs;
	g->sc = sc;
	g->threads = 1;
	g->work = WORK_MEMORY;
	gmtime_r(&now, &tm);
	g->ref_year = tm.tm_year + 1900;
	g->nlits = ld_scope_literals(sc, &lits);
	g->lits = ld_xcalloc(g->nlits + 1, sizeof(*g->lits));
	for (size_t i = 0; i < g->nlits; i++) {
		ld_lit_init(&g->lits[i], lits[i]);
		for (const unsigned char *c = (const unsigned char *)lits[i];
		    *c; c++) {
			g->litc[*c] = 1;
			if ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')
				g->litc[*c | 0x20] = g->litc[*c & ~0x20] = 1;
		}
	}
	g->lits_urlish = g->nlits && !sc->cids.n &&
	    (!sc->users.n || sc->accounts.n);
	g->lits_whole = ends_name(fs, sc);
	if ((g->mctx = pcre2_match_context_create(NULL)) == NULL)
		abort();
	pcre2_set_match_limit(g->mctx, 1000000);
	return g;
}

void
ld_grep_free(struct ld_grep *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->npats; i++)
		pcre2_code_free(g->pats[i]);
	free(g->pats);
	pcre2_match_context_free(g->mctx);
	for (size_t i = 0; i < g->npreds; i++) {
		free(g->preds[i].name);
		free(g->preds[i].value);
		pcre2_code_free(g->preds[i].re);
	}
	free(g->preds);
	for (size_t i = 0; i < g->nlits; i++)
		ld_lit_free(&g->lits[i]);
	free(g->lits);
	for (size_t i = 0; i < g->nst; i++)
		free(g->st[i].unit);
	free(g->st);
	free(g);
}

void
ld_grep_set_output(struct ld_grep *g, enum ld_grep_out mode)
{
	g->mode = mode;
}

void
ld_grep_set_threads(struct ld_grep *g, int n)
{
	g->threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

void
ld_grep_set_work_memory(struct ld_grep *g, uint64_t bytes)
{
	g->work = bytes;
}

void
ld_grep_set_format(struct ld_grep *g, const struct ld_format *f)
{
	g->forced = f;
}

void
ld_grep_set_index(struct ld_grep *g, const struct ld_index_ctx *cx)
{
	g->ixcx = cx;
}

void
ld_grep_set_ref_year(struct ld_grep *g, int year)
{
	g->ref_year = year;
}

void
ld_grep_set_filter(struct ld_grep *g, ld_grep_filter fn, void *arg)
{
	g->filter = fn;
	g->farg = arg;
}

static pcre2_code *
compile(const char *re, int flags, struct ld_err *err)
{
	pcre2_code *c;
	pcre2_compile_context *cc = NULL;
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR msg[256];
	uint32_t opt = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

	/* MATCH_INVALID_UTF: a line with a bad byte can still match elsewhere. */
	if (flags & LD_GREP_ICASE)
		opt |= PCRE2_CASELESS;
	if (flags & LD_GREP_FIXED)
		opt |= PCRE2_LITERAL;
	if (flags & LD_GREP_WORD) {
		if ((cc = pcre2_compile_context_create(NULL)) == NULL)
			abort();
		pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_MATCH_WORD);
	}
	c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opt, &ec, &eo,
	    cc);
	pcre2_compile_context_free(cc);
	if (c == NULL) {
		pcre2_get_error_message(ec, msg, sizeof(msg));
		ld_err_set(err, "pattern '%s' at offset %zu: %s", re, (size_t)eo,
		    (char *)msg);
		return NULL;
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

int
ld_grep_set_pattern(struct ld_grep *g, const char *re, int icase,
    struct ld_err *err)
{
	pcre2_code *c = compile(re, icase ? LD_GREP_ICASE : 0, err);

	if (c == NULL)
		return -1;
	for (size_t i = 0; i < g->npats; i++)
		pcre2_code_free(g->pats[i]);
	g->pats = ld_xrealloc(g->pats, sizeof(*g->pats));
	g->pats[0] = c;
	g->npats = 1;
	return 0;
}

int
ld_grep_add_pattern(struct ld_grep *g, const char *re, int flags,
    struct ld_err *err)
{
	pcre2_code *c = compile(re, flags, err);

	if (c == NULL)
		return -1;
	g->pats = ld_xrealloc(g->pats, (g->npats + 1) * sizeof(*g->pats));
	g->pats[g->npats++] = c;
	return 0;
}

void
ld_grep_set_invert(struct ld_grep *g, int on)
{
	g->invert = on;
}

void
ld_grep_set_max_count(struct ld_grep *g, uint64_t max)
{
	g->max_count = max;
}

void
ld_grep_set_context(struct ld_grep *g, unsigned before, unsigned after)
{
	g->before = before;
	g->after = after;
}

void
ld_grep_set_print(struct ld_grep *g, unsigned flags)
{
	g->print = flags;
}

void
ld_grep_set_cancel(struct ld_grep *g, const volatile sig_atomic_t *flag)
{
	g->cancel = flag;
}

void
ld_grep_progress(const struct ld_grep *g, struct ld_grep_progress *p)
{
	p->bytes_in = __atomic_load_n(&g->pg_bytes, __ATOMIC_RELAXED);
	p->sources_done = __atomic_load_n(&g->pg_sources, __ATOMIC_RELAXED);
	p->matched = __atomic_load_n(&g->pg_matched, __ATOMIC_RELAXED);
}

int
ld_grep_add_field(struct ld_grep *g, const char *pred, struct ld_err *err)
{
	const char *op = strpbrk(pred, "=~");
	struct pred p = { 0 };

	if (op == NULL || op == pred)
		return ld_err_set(err, "%s: a field predicate is NAME=VALUE or "
		    "NAME~REGEX", pred);
	p.name = ld_xstrndup(pred, (size_t)(op - pred));
	p.canon = ld_field_index(p.name);
	if (*op == '=')
		p.value = ld_xstrdup(op + 1);
	else if ((p.re = compile(op + 1, 0, err)) == NULL) {
		free(p.name);
		return -1;
	}
	g->preds = ld_xrealloc(g->preds, (g->npreds + 1) * sizeof(p));
	g->preds[g->npreds++] = p;
	return 0;
}

uint64_t
ld_grep_matched(const struct ld_grep *g)
{
	return g->matched;
}

size_t
ld_grep_nstats(const struct ld_grep *g)
{
	return g->nst;
}

const struct ld_grep_stats *
ld_grep_stats(const struct ld_grep *g, size_t i)
{
	return i < g->nst ? &g->st[i] : NULL;
}

/* ---- one job ---- */

static void
job_msg(struct job *j, const char *msg)
{
	ld_buf_add(&j->msgs, msg, strlen(msg) + 1);
	j->nmsgs++;
}

/* A note goes with the messages, marked by a leading \1. */
static void
job_note(struct job *j, const char *msg)
{
	ld_buf_addc(&j->msgs, '\1');
	job_msg(j, msg);
}

/* An anonymous temporary file in $TMPDIR (tmpfile(3) ignores it). */
static FILE *
spill_file(void)
{
	const char *dir = getenv("TMPDIR");
	struct ld_buf path = { 0 };
	FILE *fp = NULL;
	int fd;

	ld_buf_addf(&path, "%s/ldgrep.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path.p)) >= 0) {
		unlink(path.p);
		if ((fp = fdopen(fd, "w+")) == NULL)
			close(fd);
	}
	ld_buf_free(&path);
	return fp;
}

static void
job_write(struct job *j, const char *p, size_t n)
{
	FILE *fp = j->spill;

	if (j->out_err)
		return;
	if (j->direct) {
		/* Gather small records into large writes. */
		ld_buf_add(&j->out, p, n);
		if (j->out.len >= OUT_CHUNK) {
			if (fwrite(j->out.p, 1, j->out.len, j->direct) != j->out.len)
				j->out_err = errno ? errno : EIO;
			ld_buf_reset(&j->out);
		}
		return;
	}
	if (fp == NULL && j->out.len + n > j->spill_at) {
		if ((j->spill = spill_file()) == NULL) {
			j->out_err = errno;
			return;
		}
		fp = j->spill;
		if (fwrite(j->out.p, 1, j->out.len, fp) != j->out.len)
			j->out_err = errno ? errno : EIO;
		ld_buf_free(&j->out);
	}
	if (fp == NULL) {
		ld_buf_add(&j->out, p, n);
		return;
	}
	if (fwrite(p, 1, n, fp) != n)
		j->out_err = errno ? errno : EIO;
}

static struct ld_grep_stats *
unit_stats(struct job *j, const char *unit)
{
	if (j->nst == 0 || strcmp(j->st[j->nst - 1].unit, unit) != 0) {
		j->st = ld_xrealloc(j->st, (j->nst + 1) * sizeof(*j->st));
		memset(&j->st[j->nst], 0, sizeof(*j->st));
		j->st[j->nst].unit = ld_xstrdup(unit);
		j->nst++;
	}
	return &j->st[j->nst - 1];
}

static int
has_literal(const struct ld_grep *g, const char *p, size_t n)
{
	for (size_t i = 0; i < g->nlits; i++) {
		const struct ld_lit *l = &g->lits[i];
		const char *f, *h = p;

		while ((f = ld_lit_find(l, h, n - (size_t)(h - p))) != NULL) {
			size_t end = (size_t)(f - p) + l->n;

			/* See ends_name(). */
			if (!g->lits_whole || end == n ||
			    !name_byte((unsigned char)p[end]))
				return 1;
			h = f + 1;
		}
	}
	return 0;
}

/* Four hex digits at p (n bytes left), or -1. */
static long
hex4(const char *p, size_t n)
{
	long v = 0;

	if (n < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = ld_hexval((unsigned char)p[i]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* b = p with JSON's backslash escapes decoded, wherever they are (a value
 * is a substring of this); what is not a valid escape is kept. */
static void
json_unescape(struct ld_buf *b, const char *p, size_t n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	size_t i = 0;
	long c, lo;

	ld_buf_reset(b);
	while (i < n) {
		if ((e = memchr(p + i, '\\', n - i)) == NULL) {
			ld_buf_add(b, p + i, n - i);
			break;
		}
		ld_buf_add(b, p + i, (size_t)(e - p) - i);
		i = (size_t)(e - p);
		if (i + 1 < n && p[i + 1] != 'u' && p[i + 1] != '\0' &&
		    strchr(from, p[i + 1]) != NULL) {
			ld_buf_addc(b, to[strchr(from, p[i + 1]) - from]);
			i += 2;
		} else if (i + 1 < n && p[i + 1] == 'u' &&
		    (c = hex4(p + i + 2, n - i - 2)) >= 0) {
			i += 6;
			if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && p[i] == '\\' &&
			    p[i + 1] == 'u' && (lo = hex4(p + i + 2, n - i - 2)) >=
			    0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			ld_buf_add_utf8(b, (unsigned long)c);
		} else {
			ld_buf_addc(b, '\\');
			i++;
		}
	}
	ld_buf_add(b, "", 0);
}

/* b = p with %XX escapes decoded. */
static void
pct_decode(struct ld_buf *b, const char *p, size_t n)
{
	const char *e;
	char *o;
	size_t i = 0;
	int h, l;

	ld_buf_reset(b);
	ld_buf_grow(b, n);
	o = b->p;
	while (i < n) {
		if ((e = memchr(p + i, '%', n - i)) == NULL) {
			memcpy(o, p + i, n - i);
			o += n - i;
			break;
		}
		memcpy(o, p + i, (size_t)(e - p) - i);
		o += (size_t)(e - p) - i;
		i = (size_t)(e - p);
		if (i + 2 < n && (h = ld_hexval((unsigned char)p[i + 1])) >= 0 &&
		    (l = ld_hexval((unsigned char)p[i + 2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			i += 3;
		} else
			*o++ = p[i++];
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

/*
 * Could the line hold one of the scope's literals?  Every value a scope
 * matches is a substring of the line, of the line with its JSON escapes
 * decoded, or (a namespace taken from a URL) of that with its %-escapes
 * decoded too; ASCII case does not count.  So a line none of these
 * contains cannot be in scope, and is not parsed.
 */
/*
 * Whether decoding the escapes of p may make a literal appear that p does
 * not hold.  Escapes decode one by one to one character each, so an
 * occurrence in the decoded text that p lacks holds a character an escape
 * made: a literal's byte (g->litc).  A JSON escape other than \uXXXX
 * makes one of " \ / \b \f \n \r \t (and none of them is '%' or a hex
 * digit, so the %XX of the decoded text are those of p); a %XX makes the
 * byte XX.  What this says no to is decoded in vain: the answer of
 * prefilter() does not change, only its cost.
 */
static int
json_may(const struct ld_grep *g, const char *e, const char *end)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	for (; e != NULL; e = memchr(e + 1, '\\', (size_t)(end - e - 1))) {
		if (e + 1 == end)
			break;
		if (e[1] == 'u')
			return 1;
		if (e[1] != '\0' && (k = strchr(from, e[1])) != NULL &&
		    g->litc[(unsigned char)to[k - from]])
			return 1;
	}
	return 0;
}

static int
pct_may(const struct ld_grep *g, const char *p, size_t n)
{
	const char *e = memchr(p, '%', n), *end = p + n;
	int h, l;

	for (; e != NULL; e = memchr(e + 1, '%', (size_t)(end - e - 1))) {
		if (end - e < 3)
			break;
		if ((h = ld_hexval((unsigned char)e[1])) >= 0 &&
		    (l = ld_hexval((unsigned char)e[2])) >= 0 &&
		    g->litc[h * 16 + l])
			return 1;
	}
	return 0;
}

static int
prefilter(struct worker *w, const char *p, size_t n)
{
	const struct ld_grep *g = w->g;
	const char *e;

	if (has_literal(g, p, n))
		return 1;
	if ((e = memchr(p, '\\', n)) != NULL && json_may(g, e, p + n)) {
		json_unescape(&w->dec, p, n);
		if (has_literal(g, w->dec.p, w->dec.len))
			return 1;
		p = w->dec.p;
		n = w->dec.len;
	}
	if (g->lits_urlish && pct_may(g, p, n)) {
		pct_decode(&w->dec2, p, n);
		if (has_literal(g, w->dec2.p, w->dec2.len))
			return 1;
	}
	return 0;
}

/* Say what a PCRE2 error code means, after "what: ". */
static void
re_error(struct ld_buf *b, const char *unit, uint64_t line, const char *what,
    int rc)
{
	PCRE2_UCHAR msg[256];

	if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", rc);
	ld_buf_reset(b);
	ld_buf_addf(b, "%s:%llu: %s: %s, line not searched", unit,
	    (unsigned long long)line, what, (const char *)msg);
}

/*
 * Do the field predicates hold for r?  1 or 0; -1 when a regex could not
 * be run to its end (a match or JIT stack limit, say): *msg then says so,
 * and the line is neither a match nor a non-match.
 */
static int
preds_match(struct worker *w, const struct ld_rec *r, struct ld_buf *msg)
{
	struct ld_grep *g = w->g;

	for (size_t i = 0; i < g->npreds; i++) {
		const struct pred *p = &g->preds[i];
		const char *v;
		size_t vn;

		if (p->canon >= 0) {
			v = r->f[p->canon];
			vn = r->flen[p->canon];
		} else {
			ld_buf_reset(&w->line);
			if (!ld_json_text(ld_json_path(r->ev, p->name), &w->line))
				return 0;
			v = w->line.p;
			vn = w->line.len;
		}
		if (v == NULL)
			return 0;
		if (p->value) {
			if (strlen(p->value) != vn || memcmp(p->value, v, vn) != 0)
				return 0;
		} else {
			int rc = pcre2_match(p->re, (PCRE2_SPTR)v, vn, 0, 0, w->md,
			    g->mctx);

			if (rc == PCRE2_ERROR_NOMATCH)
				return 0;
			if (rc < 0) {
				char what[96];

				snprintf(what, sizeof(what), "--field %.64s", p->name);
				re_error(msg, r->src, r->line, what, rc);
				return -1;
			}
		}
	}
	return 1;
}

/* The original log line of what was read: the line itself, or for an
 * ld-record the event it carries (a text line's "raw"). */
static void
raw_line(struct worker *w, const char *p, size_t n, struct ld_buf *ob)
{
	struct ld_rec *r = &w->rec;
	json_t *raw;

	ld_buf_reset(ob);
	if (!r->is_record)
		ld_buf_add(ob, p, n);
	else if ((raw = json_object_get(ld_rec_tree(r), "raw")) != NULL &&
	    json_is_string(raw) && (r->fmt == NULL || ld_format_is_text(r->fmt)))
		ld_buf_add(ob, json_string_value(raw), json_string_length(raw));
	else if (r->evraw)
		ld_buf_add(ob, r->evraw, r->evrawlen);
}

/* Does any pattern match p[0..n)?  1 yes, 0 no, or PCRE2's (negative)
 * error code when one failed (a match, depth or JIT stack limit) and none
 * matched: the line was not searched. */
static int
pats_match(struct worker *w, const char *p, size_t n)
{
	const struct ld_grep *g = w->g;
	int error = 0;

	for (size_t i = 0; i < g->npats; i++) {
		int m = pcre2_match(g->pats[i], (PCRE2_SPTR)p, n, 0, 0, w->md,
		    g->mctx);

		if (m >= 0)
			return 1;
		if (m != PCRE2_ERROR_NOMATCH && error == 0)
			error = m;
	}
	return error;
}

/*
 * The next match of any pattern in p[0..n) starting at or after off: the
 * leftmost, and the longest of those starting there.  1 with [*s, *e), or
 * 0 when there is none.
 */
static int
next_match(struct worker *w, const char *p, size_t n, size_t off, size_t *s,
    size_t *e)
{
	const struct ld_grep *g = w->g;
	int found = 0;

	for (size_t i = 0; i < g->npats; i++) {
		PCRE2_SIZE *ov;

		if (pcre2_match(g->pats[i], (PCRE2_SPTR)p, n, off, 0, w->md,
		    g->mctx) < 0)
			continue;
		ov = pcre2_get_ovector_pointer(w->md);
		if (ov[1] < ov[0])	/* \K past the end */
			continue;
		if (!found || ov[0] < *s || (ov[0] == *s && ov[1] > *e)) {
			*s = ov[0];
			*e = ov[1];
			found = 1;
		}
	}
	return found;
}

/* Past the character at p[i] (UTF-8; a bad byte counts as one). */
static size_t
next_char(const char *p, size_t n, size_t i)
{
	for (i++; i < n && ((unsigned char)p[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

#define SGR_MATCH "\033[01;31m"
#define SGR_SCOPE "\033[01;33m"
#define SGR_NAME "\033[35m"
#define SGR_LINENO "\033[32m"
#define SGR_SEP "\033[36m"
#define SGR_END "\033[m"

enum { MARK_NONE, MARK_SCOPE, MARK_MATCH };

/* p with its scope values and (when hl) its matches coloured. */
static void
add_colored(struct worker *w, const char *p, size_t n, int hl,
    struct ld_buf *ob)
{
	const struct ld_grep *g = w->g;
	char *mk;
	size_t i, s, e, off;
	int cur = MARK_NONE;

	ld_buf_reset(&w->marks);
	ld_buf_grow(&w->marks, n + 1);
	mk = w->marks.p;
	memset(mk, MARK_NONE, n);
	for (i = 0; i < g->nlits; i++) {
		const char *h = p, *f;

		if (g->lits[i].n == 0)
			continue;
		while ((f = ld_lit_find(&g->lits[i], h, n - (size_t)(h - p))) != NULL) {
			memset(mk + (f - p), MARK_SCOPE, g->lits[i].n);
			h = f + g->lits[i].n;
		}
	}
	for (off = 0; hl && off <= n && next_match(w, p, n, off, &s, &e); ) {
		memset(mk + s, MARK_MATCH, e - s);
		off = e > s ? e : next_char(p, n, s);
	}
	for (i = 0; i < n; i++) {
		if (mk[i] != cur) {
			if (cur != MARK_NONE)
				ld_buf_adds(ob, SGR_END);
			if (mk[i] != MARK_NONE)
				ld_buf_adds(ob, mk[i] == MARK_MATCH ? SGR_MATCH :
				    SGR_SCOPE);
			cur = mk[i];
		}
		ld_buf_addc(ob, p[i]);
	}
	if (cur != MARK_NONE)
		ld_buf_adds(ob, SGR_END);
}

/* grep's "name:lineno:" (sep ':' for a match, '-' for context). */
static void
add_prefix(const struct ld_grep *g, const char *unit, uint64_t lineno,
    char sep, struct ld_buf *ob)
{
	int c = (g->print & LD_GREP_P_COLOR) != 0;

	if (g->print & LD_GREP_P_NAME) {
		ld_buf_addf(ob, "%s%s%s%s%c%s", c ? SGR_NAME : "", unit,
		    c ? SGR_END : "", c ? SGR_SEP : "", sep, c ? SGR_END : "");
	}
	if (g->print & LD_GREP_P_LINENO)
		ld_buf_addf(ob, "%s%llu%s%s%c%s", c ? SGR_LINENO : "",
		    (unsigned long long)lineno, c ? SGR_END : "",
		    c ? SGR_SEP : "", sep, c ? SGR_END : "");
}

/*
 * Write the line p[0..n) of unit, whose parse is in w->rec: a selected
 * line when kind is NULL, else context ("before" or "after").
 */
static void
emit(struct worker *w, struct job *j, const char *unit, uint64_t lineno,
    const char *p, size_t n, const char *kind, struct ld_buf *ob)
{
	const struct ld_grep *g = w->g;
	struct ld_rec *r = &w->rec;
	const char *name = r->is_record && r->src ? r->src : unit;
	uint64_t no = r->is_record ? r->line : lineno;
	int color = (g->print & LD_GREP_P_COLOR) != 0;

	if (g->print & LD_GREP_P_ONLY) {
		size_t s, e, off = 0;

		if (kind || g->invert)
			return;
		raw_line(w, p, n, &w->tmp);
		while (off <= w->tmp.len &&
		    next_match(w, w->tmp.p, w->tmp.len, off, &s, &e)) {
			if (e > s) {
				ld_buf_reset(ob);
				add_prefix(g, name, no, ':', ob);
				ld_buf_addf(ob, "%s%.*s%s\n", color ? SGR_MATCH : "",
				    (int)(e - s), w->tmp.p + s, color ? SGR_END : "");
				job_write(j, ob->p, ob->len);
			}
			off = e > s ? e : next_char(w->tmp.p, w->tmp.len, s);
		}
		return;
	}
	ld_buf_reset(ob);
	if ((g->before || g->after) && w->printed_any &&
	    (!w->have_last || lineno != w->last_printed + 1) &&
	    g->mode == LD_GREP_RAW)
		ld_buf_addf(ob, "%s--%s\n", color ? SGR_SEP : "",
		    color ? SGR_END : "");
	w->printed_any = 1;
	w->have_last = 1;
	w->last_printed = lineno;
	if (g->mode == LD_GREP_RECORDS) {
		const char *ev;

		ld_rec_complete(w->p, r);
		/* ldhunt's filter: drops the record, or puts its findings
		 * before it (context lines are not filtered) */
		if (kind == NULL && g->filter && !g->filter(g->farg, r, ob))
			return;
		ld_rec_write(r, ob);
		/* The marker goes before "ev", which stays last.  No string
		 * value holds an unescaped quote, so the first ,"ev": is it. */
		if (kind && (ev = memmem(ob->p, ob->len, ",\"ev\":", 6)) != NULL) {
			size_t at = (size_t)(ev - ob->p);

			ld_buf_reset(&w->tmp);
			ld_buf_add(&w->tmp, ob->p, at);
			ld_buf_addf(&w->tmp, ",\"context\":\"%s\"", kind);
			ld_buf_add(&w->tmp, ob->p + at, ob->len - at);
			job_write(j, w->tmp.p, w->tmp.len);
			return;
		}
		job_write(j, ob->p, ob->len);
		return;
	}
	add_prefix(g, name, no, kind ? '-' : ':', ob);
	raw_line(w, p, n, &w->tmp);
	if (color)
		add_colored(w, w->tmp.p, w->tmp.len, !kind && !g->invert, ob);
	else
		ld_buf_add(ob, w->tmp.p, w->tmp.len);
	ld_buf_addc(ob, '\n');
	job_write(j, ob->p, ob->len);
}

static void
ring_reset(struct worker *w)
{
	w->ringn = 0;
	w->ringhead = 0;
}

/* Print the lines kept for the context before a selected line; they are
 * parsed again, so w->rec no longer holds the selected line's parse. */
static void
ring_flush(struct worker *w, struct job *j, const char *unit,
    const struct ld_format *hint, struct ld_buf *ob)
{
	const struct ld_grep *g = w->g;

	for (size_t k = 0; k < w->ringn; k++) {
		struct ctxline *c = &w->ring[(w->ringhead + k) % g->before];

		ld_parse_line(w->p, hint, unit, c->lineno, c->b.p, c->b.len,
		    &w->rec);
		emit(w, j, unit, c->lineno, c->b.p, c->b.len, "before", ob);
	}
	ring_reset(w);
}

/* A line that is not selected: context after the last selected line, or
 * kept in case one follows. */
static void
not_selected(struct worker *w, struct job *j, const struct ld_line *l,
    const struct ld_format *hint, struct ld_buf *ob)
{
	const struct ld_grep *g = w->g;
	struct ctxline *c;

	if (w->after_left) {
		w->after_left--;
		ld_parse_line(w->p, hint, l->unit, l->lineno, l->p, l->n, &w->rec);
		emit(w, j, l->unit, l->lineno, l->p, l->n, "after", ob);
		return;
	}
	if (g->before == 0)
		return;
	if (w->ringn < g->before)
		c = &w->ring[(w->ringhead + w->ringn++) % g->before];
	else {
		c = &w->ring[w->ringhead];
		w->ringhead = (w->ringhead + 1) % g->before;
	}
	ld_buf_reset(&c->b);
	ld_buf_add(&c->b, l->p, l->n);
	c->lineno = l->lineno;
}

/* ---- skipping by the index ---- */

struct ixjob {
	struct job *j;
	const struct ld_index *ix;
	const struct ld_scope *sc;
	int lost;		/* the units no longer agree: stop skipping */
};

/* Account for a unit the index skipped: its lines were not read, but
 * --stats and -c still list it as ldgrep without an index would. */
static void
skipped_unit(struct job *j, const char *unit, const struct ld_index_unit *u)
{
	struct ld_grep_stats *st;

	if (u->lines == 0)
		return;
	st = unit_stats(j, unit);
	st->read += u->lines;
	st->skipped += u->lines;
	st->indexed += u->lines;
}

/* The source's unit hook: skip a unit the index proves out of scope.
 * Units are compared in order and by name; should they ever disagree
 * (they cannot while the archive's digest matches), nothing more is
 * skipped. */
static int
ix_unit(void *arg, const char *unit, const char *member, uint64_t ordinal)
{
	struct ixjob *x = arg;
	const struct ld_index_unit *u;

	if (x->lost || ordinal >= x->ix->nunits) {
		x->lost = 1;
		return 0;
	}
	u = &x->ix->units[ordinal];
	if ((member == NULL) != (u->member == NULL) ||
	    (member && strcmp(member, u->member) != 0)) {
		x->lost = 1;
		return 0;
	}
	if (ld_index_unit_may(u, x->sc))
		return 0;
	skipped_unit(x->j, unit, u);
	return 1;
}

/* The index of the job's source, or NULL (with a note saying why). */
static struct ld_index *
job_index(struct ld_grep *g, struct job *j)
{
	struct ld_index *ix;
	struct ld_err why;

	if (g->ixcx == NULL || ld_scope_empty(g->sc))
		return NULL;
	/* A source without a sidecar is no news: why is empty then. */
	if ((ix = ld_index_find(g->ixcx, j->path, &why)) == NULL &&
	    why.msg[0] != '\0')
		job_note(j, why.msg);
	return ix;
}

/* The whole source out of scope: account for its units, read nothing. */
static void
skip_source(struct job *j, const struct ld_index *ix)
{
	struct ld_buf name = { 0 };

	for (size_t i = 0; i < ix->nunits; i++) {
		ld_buf_reset(&name);
		ld_buf_adds(&name, j->path);
		if (ix->units[i].member) {
			ld_buf_addc(&name, '!');
			ld_buf_adds(&name, ix->units[i].member);
		}
		skipped_unit(j, name.p, &ix->units[i]);
	}
	ld_buf_free(&name);
}

/*
 * The frames of a seekable source that the index proves out of scope, as
 * ranges of the file (adjacent ones joined).
 */
static size_t
block_skips(const struct ld_index *ix, const struct ld_scope *sc,
    struct ld_src_skip **out)
{
	const struct ld_index_unit *u;
	struct ld_src_skip *v;
	size_t n = 0;

	if (!(ix->flags & LD_IX_SEEKABLE) || ix->nunits != 1 ||
	    ix->units[0].member != NULL)
		return 0;
	u = &ix->units[0];
	v = ld_xcalloc(u->nblocks + 1, sizeof(*v));
	for (size_t i = 0; i < u->nblocks; i++) {
		const struct ld_index_block *b = &u->blocks[i];

		if (ld_index_block_may(b, sc))
			continue;
		if (n && v[n - 1].comp_off + v[n - 1].comp_len == b->comp_off) {
			v[n - 1].comp_len += b->comp_len;
			v[n - 1].nlines += b->nlines;
			continue;
		}
		v[n].comp_off = b->comp_off;
		v[n].comp_len = b->comp_len;
		v[n].nlines = b->nlines;
		n++;
	}
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	return n;
}

static void
run_job(struct worker *w, struct job *j)
{
	struct ld_grep *g = w->g;
	struct ld_src *src;
	struct ld_feed *feed;
	struct ld_line l;
	struct ld_err err, perr;
	struct ld_grep_stats *st = NULL;
	const struct ld_format *hint = NULL;
	uint64_t unitno = 0, bytes = 0, now, nread = 0;
	struct ld_buf ob = { 0 };
	int r, sel, pm, unit_done = 0;
	int scoped = !ld_scope_empty(g->sc) || g->npreds > 0;
	int printing = (g->mode == LD_GREP_RECORDS || g->mode == LD_GREP_RAW) &&
	    !(g->print & LD_GREP_P_ONLY);
	int ctx = printing && (g->before || g->after);
	struct ld_index *ix = NULL;
	struct ixjob x;
	struct ld_src_skip *skips = NULL;
	size_t nskips = 0;

	w->printed_any = 0;
	if (j->experr) {
		ld_buf_addf(&ob, "%s: %s", j->path, j->experr);
		job_msg(j, ob.p);
		ld_buf_free(&ob);
		j->trouble = 1;
		__atomic_add_fetch(&g->pg_sources, 1, __ATOMIC_RELAXED);
		return;
	}
	if ((ix = job_index(g, j)) != NULL && !ld_index_source_may(ix, g->sc)) {
		skip_source(j, ix);
		if (j->nst)
			j->st[0].bytes_skipped = ix->size;
		ld_index_free(ix);
		__atomic_add_fetch(&g->pg_sources, 1, __ATOMIC_RELAXED);
		return;
	}
	if (w->src == NULL)
		w->src = ld_src_open(j->path);
	else
		ld_src_reopen(w->src, j->path);
	src = w->src;
	if (ix) {
		x = (struct ixjob){ j, ix, g->sc, 0 };
		ld_src_set_unit_hook(src, ix_unit, &x);
		/* Context lines (-A/-B/-C) may lie in a block that holds no
		 * event in scope: with context only whole units are skipped
		 * (context never crosses a unit). */
		if (!ctx && (nskips = block_skips(ix, g->sc, &skips)) > 0)
			ld_src_set_skips(src, skips, nskips);
	}
	/* With threads to spare, one reads the source while this one
	 * searches it (not with an index: its hook writes the job's
	 * counters, which are this thread's). */
	feed = g->readahead && ix == NULL ? ld_feed_new(src) : NULL;
	for (;;) {
		size_t nst = j->nst;

		r = feed ? ld_feed_next(feed, &l, &err) : ld_src_next(src, &l, &err);
		if (j->nst != nst)
			st = NULL;	/* the hook added units: look again */
		if (r == 0)
			break;
		if (g->cancel && *g->cancel) {
			j->cancelled = 1;
			break;
		}
		if (r < 0) {
			job_msg(j, err.msg);
			j->trouble = 1;
			/* Count it against the unit it happened in, or the source
			 * when it broke before its first line. */
			if (st == NULL)
				st = j->nst ? &j->st[j->nst - 1] :
				    unit_stats(j, j->path);
			st->unreadable++;
			continue;
		}
		/* The reader's counter belongs to the feed's thread. */
		if (feed == NULL && (++nread & 4095) == 0) {
			now = ld_src_bytes_in(src);
			__atomic_add_fetch(&g->pg_bytes, now - bytes,
			    __ATOMIC_RELAXED);
			bytes = now;
		}
		if (st == NULL || l.unitno != unitno) {
			st = unit_stats(j, l.unit);
			hint = g->forced ? g->forced : ld_formats_for_source(g->fs, l.unit);
			unitno = l.unitno;
			unit_done = 0;
			w->after_left = 0;
			w->have_last = 0;
			ring_reset(w);
		}
		st->read++;
		sel = 1;
		if (unit_done || (g->nlits && !prefilter(w, l.p, l.n))) {
			st->skipped++;
			sel = 0;
		} else if (g->npats) {
			int m = pats_match(w, l.p, l.n);

			/* Any error (a match limit, the JIT stack, a depth
			 * limit) leaves the line unsearched: trouble. */
			if (m < 0) {
				re_error(&ob, l.unit, l.lineno, "pattern", m);
				job_msg(j, ob.p);
				j->trouble = 1;
				st->unreadable++;
				continue;
			}
			if ((m > 0) == g->invert) {
				st->skipped++;
				sel = 0;
			}
		}
		if (sel) {
			st->parsed++;
			switch (ld_parse_line(w->p, hint, l.unit, l.lineno, l.p,
			    l.n, &w->rec)) {
			case LD_PARSE_OK:
				break;
			case LD_PARSE_OUTSIDE:
				/* Valid time, outside the window: as
				 * ld_scope_match() would say. */
				sel = 0;
				break;
			case LD_PARSE_MALFORMED:
				st->malformed++;
				break;
			case LD_PARSE_BADTIME:
				st->badtime++;
				break;
			case LD_PARSE_RXERROR:
				/* Not malformed: unknown, and said. */
				ld_parser_error(w->p, &perr);
				ld_buf_reset(&ob);
				ld_buf_addf(&ob, "%s:%llu: %s", l.unit,
				    (unsigned long long)l.lineno, perr.msg);
				job_msg(j, ob.p);
				j->trouble = 1;
				st->unreadable++;
				continue;
			}
			if (!sel)
				;
			else if (scoped && (w->rec.fmt == NULL && !w->rec.is_record))
				sel = 0;
			else if (!ld_scope_match(g->sc, &w->rec))
				sel = 0;
			else if ((pm = preds_match(w, &w->rec, &ob)) <= 0) {
				if (pm < 0) {
					job_msg(j, ob.p);
					j->trouble = 1;
					st->unreadable++;
					continue;
				}
				sel = 0;
			}
		}
		if (!sel) {
			if (ctx && (!unit_done || w->after_left))
				not_selected(w, j, &l, hint, &ob);
			continue;
		}
		st->matched++;
		__atomic_add_fetch(&g->pg_matched, 1, __ATOMIC_RELAXED);
		if (g->max_count && st->matched >= g->max_count)
			unit_done = 1;
		if (ctx && w->ringn) {
			ring_flush(w, j, l.unit, hint, &ob);
			ld_parse_line(w->p, hint, l.unit, l.lineno, l.p, l.n,
			    &w->rec);
		}
		if (g->mode == LD_GREP_RECORDS || g->mode == LD_GREP_RAW)
			emit(w, j, l.unit, l.lineno, l.p, l.n, NULL, &ob);
		w->after_left = ctx ? g->after : 0;
	}
	ld_feed_free(feed);
	now = ld_src_bytes_in(src);
	__atomic_add_fetch(&g->pg_bytes, now - bytes, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->pg_sources, 1, __ATOMIC_RELAXED);
	/* A source without a line (an empty file, an archive without
	 * members) is still counted: -c says 0 for it, --stats lists it. */
	if (j->nst == 0)
		unit_stats(j, j->path);
	if (j->nst) {
		j->st[0].bytes_in = now;
		j->st[0].bytes_out = ld_src_bytes_out(src);
		j->st[0].bytes_skipped = ld_src_skipped_bytes(src);
	}
	if (nskips && j->nst) {
		uint64_t n = ld_src_skipped_lines(src);

		j->st[j->nst - 1].read += n;
		j->st[j->nst - 1].skipped += n;
		j->st[j->nst - 1].indexed += n;
	}
	ld_src_set_unit_hook(src, NULL, NULL);
	ld_src_set_skips(src, NULL, 0);
	free(skips);
	ld_index_free(ix);
	ld_rec_clear(&w->rec);
	ld_buf_free(&ob);
}

/* ---- the pool ---- */

struct pool {
	struct ld_grep *g;
	struct job *jobs;
	size_t njobs;
	size_t next;		/* next job to hand out */
	size_t flushed;		/* jobs written so far */
	size_t ahead;
	uint64_t work;		/* of WORK_MEMORY, reserved by the workers */
	uint64_t typical;	/* the median job's need */
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* The canonical fields ld_scope_match() reads. */
static unsigned
scope_fields(const struct ld_scope *sc)
{
	unsigned m = 0;

	if (sc->namespaces.n)
		m |= 1u << LD_F_NS | 1u << LD_F_PROJECT;
	if (sc->projects.n)	/* the namespace must agree with it */
		m |= 1u << LD_F_NS | 1u << LD_F_PROJECT;
	if (sc->users.n)
		m |= 1u << LD_F_USER | 1u << LD_F_USER_ID;
	if (sc->events.n)
		m |= 1u << LD_F_EVENT;
	if (sc->cids.n)
		m |= 1u << LD_F_CID;
	if (sc->nips)
		m |= 1u << LD_F_IP;
	if (sc->accounts.n)
		m |= 1u << LD_F_USER | 1u << LD_F_USER_ID | 1u << LD_F_NS |
		    1u << LD_F_PROJECT;
	return m;
}

static void
worker_init(struct worker *w, struct ld_grep *g)
{
	unsigned need = 0;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->g = g;
	w->p = ld_parser_new(g->fs, g->ref_year);
	/* Without a JSON-path predicate nothing reads the event's tree, and
	 * a line is written only once it is in scope: the parser reads the
	 * fields the scope looks at, and the others only for a match. */
	for (i = 0; i < g->npreds && g->preds[i].canon >= 0; i++)
		need |= 1u << g->preds[i].canon;
	ld_parser_set_no_tree(w->p, i == g->npreds, need | scope_fields(g->sc));
	/* A line outside the scope's window is dropped once its time is
	 * read, before its fields are.  Not with context lines: they are
	 * written whatever their time. */
	if (g->before == 0 && g->after == 0)
		ld_parser_set_window(w->p, g->sc->has_since, g->sc->since,
		    g->sc->has_until, g->sc->until);
	if ((w->md = pcre2_match_data_create(32, NULL)) == NULL)
		abort();
	if (g->before)
		w->ring = ld_xcalloc(g->before, sizeof(*w->ring));
}

static void
worker_fini(struct worker *w)
{
	ld_parser_free(w->p);
	ld_src_close(w->src);
	ld_rec_free(&w->rec);
	pcre2_match_data_free(w->md);
	ld_buf_free(&w->line);
	ld_buf_free(&w->dec);
	ld_buf_free(&w->dec2);
	ld_buf_free(&w->marks);
	ld_buf_free(&w->tmp);
	for (size_t i = 0; w->ring && i < w->g->before; i++)
		ld_buf_free(&w->ring[i].b);
	free(w->ring);
}

/* What reading the job's source will hold: see WORK_MEMORY. */
static uint64_t
job_memory(const struct ld_grep *g, const struct job *j)
{
	if (j->experr)
		return 0;
	return ld_src_memory(j->path) + (g->readahead ? LD_FEED_MEMORY : 0);
}

/* Give back the worker's share of the budget, and with it its reader
 * (the decoder's window is what the share paid for).  Locked. */
static void
work_release(struct pool *pl, struct worker *w)
{
	if (w->held == 0)
		return;
	pl->work -= w->held;
	w->held = 0;
	ld_src_close(w->src);
	w->src = NULL;
	pthread_cond_broadcast(&pl->cv);
}

static void *
pool_main(void *arg)
{
	struct pool *pl = arg;
	struct worker w;
	uint64_t need;
	size_t i;

	worker_init(&w, pl->g);
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		/* Too far in front of the output: wait, holding nothing
		 * another worker may need to get there. */
		if (!pl->stop && pl->next < pl->njobs &&
		    pl->next >= pl->flushed + pl->ahead)
			work_release(pl, &w);
		while (!pl->stop && pl->next < pl->njobs &&
		    pl->next >= pl->flushed + pl->ahead)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->stop || pl->next >= pl->njobs)
			break;
		i = pl->next++;
		/* The share kept from the last source covers this one, or is
		 * given back and a larger one waited for; a source larger
		 * than the whole budget is read alone.  A share is at least
		 * the typical source's, so that a worker does not give back
		 * and take again at each source larger than the last. */
		need = pl->jobs[i].need > pl->typical ? pl->jobs[i].need :
		    pl->typical;
		if (need > w.held) {
			work_release(pl, &w);
			while (pl->work > 0 && pl->work + need > pl->g->work)
				pthread_cond_wait(&pl->cv, &pl->mu);
			pl->work += need;
			w.held = need;
		}
		pthread_mutex_unlock(&pl->mu);
		run_job(&w, &pl->jobs[i]);
		pthread_mutex_lock(&pl->mu);
		pl->jobs[i].done = 1;
		pthread_cond_broadcast(&pl->cv);
	}
	work_release(pl, &w);
	pthread_mutex_unlock(&pl->mu);
	worker_fini(&w);
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The threads the budget holds when each reads a source of the median
 * cost (at least one): more would only wait for it.  Sets each job's
 * need, and *typical to the median.
 */
static int
budget_threads(struct ld_grep *g, struct job *jobs, size_t n, int nthr,
    uint64_t *typical)
{
	uint64_t *v = ld_xcalloc(n + 1, sizeof(*v)), med;

	for (size_t i = 0; i < n; i++)
		v[i] = jobs[i].need = job_memory(g, &jobs[i]);
	qsort(v, n, sizeof(*v), cmp_u64);
	*typical = med = n ? v[n / 2] : 0;
	free(v);
	if (med > 0 && (uint64_t)nthr > g->work / med)
		nthr = g->work / med > 0 ? (int)(g->work / med) : 1;
	return nthr;
}

/* Hand a finished job to the output and the sink; frees its buffers. */
static int
flush_job(struct ld_grep *g, struct job *j, FILE *out,
    const struct ld_grep_sink *sink)
{
	int rc = 0;
	const char *m = j->msgs.p;

	if (j->spill) {
		char buf[65536];
		size_t n;

		rewind(j->spill);
		while ((n = fread(buf, 1, sizeof(buf), j->spill)) > 0)
			if (fwrite(buf, 1, n, out) != n) {
				rc = -2;
				break;
			}
		fclose(j->spill);
		j->spill = NULL;
	} else if (j->out.len && fwrite(j->out.p, 1, j->out.len, out) != j->out.len)
		rc = -2;
	if (j->out_err || (j->direct && ferror(out)))
		rc = -2;
	ld_buf_free(&j->out);
	for (size_t i = 0; i < j->nmsgs; i++) {
		if (*m == '\1') {
			if (sink && sink->note)
				sink->note(sink->arg, m + 1);
		} else if (sink && sink->diag)
			sink->diag(sink->arg, m);
		m += strlen(m) + 1;
	}
	ld_buf_free(&j->msgs);
	g->st = ld_xrealloc(g->st, (g->nst + j->nst + 1) * sizeof(*g->st));
	for (size_t i = 0; i < j->nst; i++) {
		g->st[g->nst++] = j->st[i];
		g->matched += j->st[i].matched;
	}
	free(j->st);
	j->st = NULL;
	j->nst = 0;
	return rc;
}

static int
write_summary(struct ld_grep *g, const struct ld_srclist *l, FILE *out)
{
	for (size_t i = 0; i < g->nst; i++) {
		const struct ld_grep_stats *s = &g->st[i];

		if (g->mode == LD_GREP_LIST && s->matched)
			fprintf(out, "%s\n", s->unit);
		else if (g->mode == LD_GREP_COUNT) {
			if (g->nst == 1 && l->n == 1 && strcmp(s->unit, l->path[0]) == 0)
				fprintf(out, "%llu\n", (unsigned long long)s->matched);
			else if (s->matched || (g->print & LD_GREP_P_COUNT_ALL))
				fprintf(out, "%s:%llu\n", s->unit,
				    (unsigned long long)s->matched);
		}
	}
	return ferror(out) ? -2 : 0;
}

int
ld_grep_run(struct ld_grep *g, const struct ld_srclist *l, FILE *out,
    const struct ld_grep_sink *sink)
{
	struct pool pl;
	pthread_t tid[MAX_THREADS];
	int nthr = g->threads, ncpu = ld_processors(), trouble = 0, rc = 0;
	size_t i;

	/* Workers past the processors add no speed, only memory. */
	if (nthr > ncpu)
		nthr = ncpu;

	memset(&pl, 0, sizeof(pl));
	pl.g = g;
	pl.njobs = l->n;
	pl.jobs = ld_xcalloc(l->n + 1, sizeof(struct job));
	for (i = 0; i < l->n; i++) {
		pl.jobs[i].path = l->path[i];
		pl.jobs[i].experr = l->error[i];
	}
	g->readahead = (size_t)nthr > l->n;
	if ((size_t)nthr > l->n)
		nthr = l->n ? (int)l->n : 1;
	if (nthr <= 1) {
		struct worker w;

		worker_init(&w, g);
		for (i = 0; i < l->n && rc == 0; i++) {
			pl.jobs[i].direct = out;
			run_job(&w, &pl.jobs[i]);
			trouble |= pl.jobs[i].trouble;
			rc = flush_job(g, &pl.jobs[i], out, sink);
			if (rc == 0 && pl.jobs[i].cancelled)
				rc = -3;
		}
		worker_fini(&w);
	} else {
		nthr = budget_threads(g, pl.jobs, l->n, nthr, &pl.typical);
		pl.ahead = (size_t)nthr * 2;
		for (i = 0; i < l->n; i++)
			pl.jobs[i].spill_at = OUT_MEMORY / pl.ahead > SPILL_MIN ?
			    OUT_MEMORY / pl.ahead : SPILL_MIN;
		pthread_mutex_init(&pl.mu, NULL);
		pthread_cond_init(&pl.cv, NULL);
		for (int t = 0; t < nthr; t++)
			if (pthread_create(&tid[t], NULL, pool_main, &pl) != 0)
				abort();
		for (i = 0; i < l->n; i++) {
			pthread_mutex_lock(&pl.mu);
			while (!pl.jobs[i].done)
				pthread_cond_wait(&pl.cv, &pl.mu);
			pthread_mutex_unlock(&pl.mu);
			trouble |= pl.jobs[i].trouble;
			rc = flush_job(g, &pl.jobs[i], out, sink);
			if (rc == 0 && pl.jobs[i].cancelled)
				rc = -3;
			pthread_mutex_lock(&pl.mu);
			pl.flushed = i + 1;
			if (rc != 0)
				pl.stop = 1;
			pthread_cond_broadcast(&pl.cv);
			pthread_mutex_unlock(&pl.mu);
			if (rc != 0)
				break;
		}
		for (int t = 0; t < nthr; t++)
			pthread_join(tid[t], NULL);
		/* Jobs started but not flushed after an output error. */
		for (; i < l->n; i++) {
			ld_buf_free(&pl.jobs[i].out);
			ld_buf_free(&pl.jobs[i].msgs);
			if (pl.jobs[i].spill)
				fclose(pl.jobs[i].spill);
			for (size_t k = 0; k < pl.jobs[i].nst; k++)
				free(pl.jobs[i].st[k].unit);
			free(pl.jobs[i].st);
		}
		pthread_mutex_destroy(&pl.mu);
		pthread_cond_destroy(&pl.cv);
	}
	free(pl.jobs);
	if (rc == 0 && (g->mode == LD_GREP_COUNT || g->mode == LD_GREP_LIST))
		rc = write_summary(g, l, out);
	if (rc == 0 && fflush(out) != 0)
		rc = -2;
	if (rc != 0)
		return rc;
	return trouble ? -1 : 0;
}
