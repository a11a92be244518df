/*
 * ldtimeline — merge event streams into one UTC time order, drop
 * duplicates, write a timeline format or a histogram.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/atomic.h"
#include "cli.h"
#include "core/runlog.h"
#include "cliformat.h"
#include "format/format.h"
#include "input/reader.h"
#include "input/src.h"
#include "timeline/heap.h"
#include "timeline/timeline.h"
#include "timeline/tlout.h"

enum {
	OPT_TEXT = 0x100, OPT_TZ, OPT_MERGE, OPT_KEEP_DUPS, OPT_HISTOGRAM,
	OPT_SPLIT, OPT_SVG, OPT_SLICE, OPT_SLICE_SIZE, OPT_STATS, OPT_COLOR
};

static const struct cli_opt opts[] = {
	{ "color", OPT_COLOR, "WHEN", "colour the text view: auto (default), always, never" },
	{ "histogram", OPT_HISTOGRAM, "hour|day", "print events per hour or day instead of events" },
	{ "keep-duplicates", OPT_KEEP_DUPS, NULL, "do not drop duplicate events" },
	{ "memory", 'm', "SIZE", "sort within SIZE of memory, spilling to disk (default 16M)" },
	{ "merge", OPT_MERGE, NULL, "inputs are already in time order: merge them" },
	{ "output", 'o', "FORMAT", "records, timesketch, timesketch-csv, dynamic, l2tcsv or text" },
	{ "slice", OPT_SLICE, "TIME", "only the events around TIME" },
	{ "slice-size", OPT_SLICE_SIZE, "SPAN", "before and after TIME (default 5m)" },
	{ "split", OPT_SPLIT, "BY", "histogram series: event (default), format, source, none" },
	{ "stats", OPT_STATS, NULL, "print counts to standard error" },
	{ "svg", OPT_SVG, "FILE", "also write the histogram as SVG to FILE" },
	{ "text", OPT_TEXT, NULL, "write one line per event for people (-o text)" },
	{ "tmpdir", 'T', "DIR", "directory for temporary files (default $TMPDIR, /tmp)" },
	{ "tz", OPT_TZ, "ZONE", "write times in ZONE: UTC (default), +02:00, Europe/Berlin" },
	CLI_FORMAT_OPTS,
	{ NULL, 0, NULL, NULL }
};

/* One run of the tool: the output stage and its counters. */
struct run {
	struct ld_tl *tl;
	struct ld_dedup *dedup;		/* NULL with --keep-duplicates */
	struct ld_tlout *out;
	enum ld_tlfmt fmt;
	int raw_records;		/* write stored ld-records as they are */
	int events;			/* write events (not only a histogram) */
	struct ld_hist *hist;
	struct ld_parser *parser;	/* re-reads stored records */
	struct ld_rec rec;
	struct ld_buf buf, line;
	int has_slice;
	int64_t slice_from, slice_to;
	uint64_t outside, dups, notime, written, counted;
	int werr;
	/* --merge of ld-records: keys read from the lines' first bytes,
	 * the lines passed on as they are (see run_merge) */
	int quick;
	struct ld_buf last;		/* the line written last, unparsed */
	struct ld_tl_key lastk;
	int have_last, last_checked;
	struct ld_runlog *rl;		/* the run history, or NULL */
};

static int
flush(struct run *R, int force)
{
	if (R->buf.len == 0 || (!force && R->buf.len < (1 << 16)))
		return 0;
	if (fwrite(R->buf.p, 1, R->buf.len, stdout) != R->buf.len)
		R->werr = 1;
	ld_runlog_wrote(R->rl, R->buf.p, R->buf.len);
	ld_buf_reset(&R->buf);
	return R->werr ? -1 : 0;
}

static void full_key(struct run *, const char *, size_t, struct ld_tl_key *);

/*
 * Before the key k is checked for a duplicate: the line written last
 * without its hash (emit_quick) has k's time, so it must be remembered
 * first.  It was the first of its time, so it was no duplicate.
 */
static void
check_last(struct run *R, const struct ld_tl_key *k)
{
	if (!R->have_last || R->last_checked || !k->has_ts ||
	    R->lastk.ns != k->ns)
		return;
	full_key(R, R->last.p, R->last.len, &R->lastk);
	(void)ld_dedup_check(R->dedup, &R->lastk);
	R->last_checked = 1;
}

/* The output stage: one record in timeline order, as a parsed record or
 * as its stored ld-record text. */
static int
emit(struct run *R, const struct ld_tl_key *k, struct ld_rec *r,
    const char *text, size_t n)
{
	int rc;

	if (R->dedup) {
		check_last(R, k);
		if (ld_dedup_check(R->dedup, k)) {
			R->dups++;
			return 0;
		}
		R->lastk = *k;
		R->have_last = R->last_checked = 1;
	}
	R->counted++;
	if (r == NULL && (R->hist || !R->raw_records)) {
		ld_parse_line(R->parser, NULL, "", 0, text, n, &R->rec);
		ld_rec_complete(R->parser, &R->rec);
		r = &R->rec;
	}
	if (R->hist)
		ld_hist_add(R->hist, r);
	if (!R->events)
		return 0;
	if (R->raw_records && text) {
		ld_buf_add(&R->buf, text, n);
		rc = 1;
	} else
		rc = ld_tlout_rec(R->out, r, &R->buf);
	if (rc == 0)
		R->notime++;
	else
		R->written++;
	return flush(R, 0);
}

static int
in_slice(const struct run *R, const struct ld_rec *r)
{
	return !R->has_slice || (r->has_ts && r->ts.ns >= R->slice_from &&
	    r->ts.ns <= R->slice_to);
}

/* Sort mode: every record into the sorter, then out in order. */
static int
run_sort(struct run *R, struct ld_reader *rd, const struct ld_srclist *l,
    int *trouble)
{
	struct ld_tl_key k;
	struct ld_err err;
	struct ld_rec *r;
	const char *text;
	size_t n;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		ld_reader_open(rd, l->path[i], l->error[i]);
		while ((rc = ld_reader_next(rd, &r, &err)) != 0) {
			if (rc < 0) {
				cli_warn("%s", err.msg);
				*trouble = 1;
				continue;
			}
			if (!in_slice(R, r)) {
				R->outside++;
				continue;
			}
			ld_tl_key(R->tl, r, &k);
			ld_buf_reset(&R->line);
			ld_rec_write(r, &R->line);
			if (ld_tl_add(R->tl, &k, R->line.p, R->line.len, &err) < 0)
				goto fail;
		}
	}
	if (ld_tl_sort(R->tl, &err) < 0)
		goto fail;
	while ((rc = ld_tl_next(R->tl, &k, &text, &n, &err)) == 1)
		if (emit(R, &k, NULL, text, n) < 0)
			return -1;
	if (rc == 0)
		return 0;
fail:
	cli_warn("%s", err.msg);
	*trouble = 1;
	return -1;
}

/* Merge mode: one reader per input, each already in order. */
struct input {
	struct ld_reader *rd;
	int live;		/* has a current record: not at the end */
	struct ld_rec *r;	/* the current record, when parsed */
	const char *text;	/* or its line, when not */
	size_t n;
	struct ld_tl_key k, last;
	int have_last, warned;
};

/*
 * The de-duplication key of an ld-record line (the hash needs the
 * record); its order key stays that of the first bytes.
 */
static void
full_key(struct run *R, const char *text, size_t n, struct ld_tl_key *k)
{
	struct ld_tl_key fk;

	ld_parse_line(R->parser, NULL, "", 0, text, n, &R->rec);
	ld_rec_complete(R->parser, &R->rec);
	ld_tl_key(R->tl, &R->rec, &fk);
	k->by_id = fk.by_id;
	memcpy(k->hash, fk.hash, sizeof(k->hash));
}

/*
 * The output stage for a line whose key was read from its first bytes:
 * written as it is.  Duplicates have the same time, so a line is parsed
 * for its hash only when the line before it has its time; the line before
 * it, kept unparsed, is then checked first (it was the first of its time,
 * so it was no duplicate, and is remembered).
 */
static int
emit_quick(struct run *R, struct ld_tl_key *k, const char *text, size_t n)
{
	if (R->dedup) {
		if (R->have_last && R->lastk.ns == k->ns) {
			check_last(R, k);
			full_key(R, text, n, k);
			if (ld_dedup_check(R->dedup, k)) {
				R->dups++;
				return 0;
			}
			R->last_checked = 1;
		} else
			R->last_checked = 0;
		ld_buf_reset(&R->last);
		ld_buf_add(&R->last, text, n);
		R->lastk = *k;
		R->have_last = 1;
	}
	R->counted++;
	R->written++;
	ld_buf_add(&R->buf, text, n);
	ld_buf_addc(&R->buf, '\n');
	return flush(R, 0);
}

static void
advance(struct run *R, struct input *in, int *trouble)
{
	struct ld_err err;
	const char *p;
	size_t n;
	int rc;

	for (;;) {
		rc = ld_reader_line(in->rd, &p, &n, &err);
		if (rc == 0) {
			in->r = NULL;
			in->live = 0;
			return;
		}
		if (rc < 0) {
			cli_warn("%s", err.msg);
			*trouble = 1;
			continue;
		}
		if (R->quick && ld_tl_key_quick(R->tl, p, n, &in->k)) {
			in->r = NULL;
			in->text = p;
			in->n = n;
		} else if ((in->r = ld_reader_parse(in->rd, &err)) == NULL) {
			cli_warn("%s", err.msg);
			*trouble = 1;
			continue;
		} else if (!in_slice(R, in->r)) {
			R->outside++;
			continue;
		} else {
			ld_tl_key(R->tl, in->r, &in->k);
			in->text = NULL;
		}
		if (in->r && !in->r->has_ts) {
			/* Untimed records go last: hold them in the sorter. */
			ld_buf_reset(&R->line);
			ld_rec_write(in->r, &R->line);
			if (ld_tl_add(R->tl, &in->k, R->line.p, R->line.len,
			    &err) < 0) {
				cli_warn("%s", err.msg);
				*trouble = 1;
			}
			continue;
		}
		if (in->have_last && ld_tl_key_cmp(R->tl, &in->k, &in->last) < 0 &&
		    !in->warned) {
			cli_warn("%s:%llu: not in time order (--merge needs sorted "
			    "inputs)", ld_tl_src_name(R->tl, in->k.src),
			    (unsigned long long)in->k.line);
			in->warned = 1;
			*trouble = 1;
		}
		in->last = in->k;
		in->have_last = 1;
		in->live = 1;
		return;
	}
}

/* The heap's order: the inputs' current records in timeline order. */
struct merge_cmp {
	struct run *R;
	struct input *in;
};

static int
merge_cmp(void *arg, size_t a, size_t b)
{
	struct merge_cmp *m = arg;

	return ld_tl_key_cmp(m->R->tl, &m->in[a].k, &m->in[b].k);
}

static int
run_merge(struct run *R, const struct ld_formats *fs,
    const struct ld_format *forced, int year, const struct ld_srclist *l,
    struct ld_reader_stats *rs, int *trouble)
{
	struct input *in = ld_xcalloc(l->n + 1, sizeof(*in));
	struct merge_cmp mc = { R, in };
	struct ld_heap *h = ld_heap_new(merge_cmp, &mc);
	struct ld_tl_key k;
	struct ld_err err;
	const char *text;
	size_t i, n;
	int rc = 0;

	for (i = 0; i < l->n; i++) {
		in[i].rd = ld_reader_new(fs, forced, year);
		ld_reader_open(in[i].rd, l->path[i], l->error[i]);
		advance(R, &in[i], trouble);
		if (in[i].live)
			ld_heap_push(h, i);
	}
	while (ld_heap_count(h)) {
		i = ld_heap_top(h);
		if ((rc = in[i].r ? emit(R, &in[i].k, in[i].r, NULL, 0) :
		    emit_quick(R, &in[i].k, in[i].text, in[i].n)) < 0)
			goto out;
		advance(R, &in[i], trouble);
		if (in[i].live)
			ld_heap_fix_top(h);
		else
			ld_heap_pop(h);
	}
	if ((rc = ld_tl_sort(R->tl, &err)) < 0)
		goto fail;
	while ((rc = ld_tl_next(R->tl, &k, &text, &n, &err)) == 1)
		if ((rc = emit(R, &k, NULL, text, n)) < 0)
			goto out;
	if (rc == 0)
		goto out;
fail:
	cli_warn("%s", err.msg);
	*trouble = 1;
	rc = -1;
out:
	for (i = 0; i < l->n; i++) {
		const struct ld_reader_stats *s = ld_reader_stats(in[i].rd);

		rs->read += s->read;
		rs->malformed += s->malformed;
		rs->badtime += s->badtime;
		rs->unreadable += s->unreadable;
		ld_reader_free(in[i].rd);
	}
	ld_heap_free(h);
	free(in);
	return rc;
}

/* Write the SVG to path through a temporary file and a rename; the user
 * named the file, so an old one is replaced. */
static int
write_svg(const struct ld_hist *h, const char *path)
{
	struct ld_buf svg = { 0 };
	struct ld_atomic a;
	struct ld_err err;
	FILE *fp;
	int rc = -1;

	ld_hist_svg(h, NULL, &svg);
	if ((fp = ld_atomic_open(&a, path, &err)) == NULL) {
		cli_warn("%s", err.msg);
		goto out;
	}
	if (fwrite(svg.p, 1, svg.len, fp) != svg.len) {
		cli_warn("%s: %s", path, strerror(errno));
		ld_atomic_abort(&a);
		goto out;
	}
	if (ld_atomic_commit(&a, 1, &err) == -1) {
		cli_warn("%s", err.msg);
		goto out;
	}
	rc = 0;
out:
	ld_buf_free(&svg);
	return rc;
}

static void
print_stats(const struct run *R, const struct ld_reader_stats *rs,
    size_t memory)
{
	const struct ld_tl_stats *ts = ld_tl_stats(R->tl);
	const char *p = cli_progname;

	fprintf(stderr, "%s: stats: read %llu\n", p, (unsigned long long)rs->read);
	fprintf(stderr, "%s: stats: malformed %llu\n", p,
	    (unsigned long long)rs->malformed);
	fprintf(stderr, "%s: stats: badtime %llu\n", p,
	    (unsigned long long)rs->badtime);
	fprintf(stderr, "%s: stats: unreadable %llu\n", p,
	    (unsigned long long)rs->unreadable);
	fprintf(stderr, "%s: stats: outside-slice %llu\n", p,
	    (unsigned long long)R->outside);
	fprintf(stderr, "%s: stats: duplicates %llu\n", p,
	    (unsigned long long)R->dups);
	fprintf(stderr, "%s: stats: no-time-left-out %llu\n", p,
	    (unsigned long long)R->notime);
	fprintf(stderr, "%s: stats: written %llu\n", p,
	    (unsigned long long)R->written);
	fprintf(stderr, "%s: stats: runs %llu\n", p, (unsigned long long)ts->runs);
	fprintf(stderr, "%s: stats: spilled-bytes %llu\n", p,
	    (unsigned long long)ts->spilled);
	fprintf(stderr, "%s: stats: merge-passes %llu\n", p,
	    (unsigned long long)ts->passes);
	fprintf(stderr, "%s: stats: memory-bound %zu\n", p, memory);
}

static int
want_color(const char *when)
{
	const char *nc = getenv("NO_COLOR");

	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return isatty(1) && (nc == NULL || *nc == '\0');
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct run R;
	struct ld_err err;
	struct cli_formats F = { 0 };
	struct ld_reader *rd = NULL;
	struct ld_srclist l = { 0 };
	struct ld_reader_stats rs = { 0 };
	struct ld_tz tz;
	const char *arg, *svg = NULL;
	const char *tmpdir = NULL, *color = "auto", *slice = NULL;
	const char *slice_size = "5m";
	size_t memory = (size_t)16 << 20;
	int k, merge = 0, keep = 0, stats = 0, trouble = 0, rc;
	int hist = -1, fmt = LD_TLF_RECORDS;
	enum ld_hist_split split = LD_HIST_BY_EVENT;

	memset(&R, 0, sizeof(R));
	R.rl = ld_runlog_start("ldtimeline", argc, argv);
	ld_tz_parse(&tz, "UTC", NULL);
	cli_init(&c, "ldtimeline", "[-o FORMAT | --text | --histogram hour|day] [options] [file | dir | archive | -] ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_formats_opt(&F, k, arg))
			continue;
		switch (k) {
		case 'm': memory = cli_size("--memory", arg); break;
		case 'o':
			if ((fmt = ld_tlfmt_parse(arg)) < 0)
				cli_die(2, "--output: unknown format '%s' (records, "
				    "timesketch, timesketch-csv, dynamic, l2tcsv, "
				    "text)", arg);
			break;
		case 'T': tmpdir = arg; break;
		case OPT_TEXT: fmt = LD_TLF_TEXT; break;
		case OPT_TZ:
			if (ld_tz_parse(&tz, arg, &err) < 0)
				cli_die(2, "--tz: %s", err.msg);
			break;
		case OPT_MERGE: merge = 1; break;
		case OPT_KEEP_DUPS: keep = 1; break;
		case OPT_HISTOGRAM:
			if (strcmp(arg, "hour") == 0)
				hist = LD_HIST_HOUR;
			else if (strcmp(arg, "day") == 0)
				hist = LD_HIST_DAY;
			else
				cli_die(2, "--histogram: '%s' is not hour or day", arg);
			break;
		case OPT_SPLIT:
			if (strcmp(arg, "event") == 0)
				split = LD_HIST_BY_EVENT;
			else if (strcmp(arg, "format") == 0)
				split = LD_HIST_BY_FORMAT;
			else if (strcmp(arg, "source") == 0)
				split = LD_HIST_BY_SOURCE;
			else if (strcmp(arg, "none") == 0)
				split = LD_HIST_BY_NONE;
			else
				cli_die(2, "--split: '%s' is not event, format, "
				    "source or none", arg);
			break;
		case OPT_SVG: svg = arg; break;
		case OPT_SLICE: slice = arg; break;
		case OPT_SLICE_SIZE: slice_size = arg; break;
		case OPT_STATS: stats = 1; break;
		case OPT_COLOR:
			if (strcmp(arg, "auto") && strcmp(arg, "always") &&
			    strcmp(arg, "never"))
				cli_die(2, "--color: '%s' is not auto, always or "
				    "never", arg);
			color = arg;
			break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	cli_check_output("--svg", svg);

	if (slice) {
		int64_t now = (int64_t)time(NULL) * LD_NS_PER_SEC, t, back;

		if (ld_time_parse_bound(slice, now, &t, &err) < 0)
			cli_die(2, "--slice: %s", err.msg);
		if (strchr("dhmsw", slice_size[strlen(slice_size) ?
		    strlen(slice_size) - 1 : 0]) == NULL ||
		    ld_time_parse_bound(slice_size, 0, &back, &err) < 0)
			cli_die(2, "--slice-size: '%s' is not a span like 5m, 2h",
			    slice_size);
		R.has_slice = 1;
		R.slice_from = t + back;
		R.slice_to = t - back;
	}
	cli_formats_load(&F);

	R.tl = ld_tl_new(memory, tmpdir);
	R.dedup = keep ? NULL : ld_dedup_new(memory / 4 / 16);
	R.fmt = (enum ld_tlfmt)fmt;
	R.out = ld_tlout_new(R.fmt, &tz, R.fmt == LD_TLF_TEXT && want_color(color));
	R.raw_records = R.fmt == LD_TLF_RECORDS && strcmp(tz.name, "UTC") == 0;
	R.events = hist < 0;
	/* Sorted ld-records, written as records, none left out: the key of
	 * each is in its first bytes and the line goes out as it came. */
	R.quick = merge && R.raw_records && R.events && hist < 0 && !svg &&
	    !slice;
	if (hist >= 0 || svg)
		R.hist = ld_hist_new(hist == LD_HIST_DAY ? LD_HIST_DAY : LD_HIST_HOUR,
		    split, &tz);
	R.parser = ld_parser_new(F.fs, 1970);
	ld_parser_set_no_tree(R.parser, 1, LD_F_ALL);
	if (R.events)
		ld_tlout_header(R.out, &R.buf);

	ld_srclist_expand(&l, argv, (size_t)argc);
	ld_srclist_exclude_fd(&l, 1);
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	if (merge) {
		rc = run_merge(&R, F.fs, F.forced, F.year, &l, &rs, &trouble);
	} else {
		rd = ld_reader_new(F.fs, F.forced, F.year);
		ld_reader_set_digest(rd, ld_runlog_in(R.rl, l.n == 1 ?
		    l.path[0] : "(the inputs in order)"));
		rc = run_sort(&R, rd, &l, &trouble);
		rs = *ld_reader_stats(rd);
	}
	(void)rc;
	if (hist >= 0)
		ld_hist_text(R.hist, 60, want_color(color), &R.buf);
	flush(&R, 1);
	if (fflush(stdout) != 0)
		R.werr = 1;
	if (R.werr) {
		cli_warn("write error on standard output");
		trouble = 1;
	}
	if (svg && write_svg(R.hist, svg) < 0)
		trouble = 1;
	if (R.notime)
		cli_warn("%llu events without a time left out: %s needs a time",
		    (unsigned long long)R.notime, ld_tlfmt_name(R.fmt));
	if (R.dedup && ld_dedup_full(R.dedup))
		cli_warn("too many audit event ids to remember within --memory; "
		    "later ones were compared only with events of equal time");
	if (stats)
		print_stats(&R, &rs, memory);
	rc = trouble ? 2 : R.counted ? 0 : 1;
	if (ld_runlog_finish(R.rl, rc, &err) < 0)
		cli_warn("%s", err.msg);

	ld_srclist_free(&l);
	ld_reader_free(rd);
	ld_rec_free(&R.rec);
	ld_parser_free(R.parser);
	ld_hist_free(R.hist);
	ld_tlout_free(R.out);
	ld_dedup_free(R.dedup);
	ld_tl_free(R.tl);
	ld_buf_free(&R.buf);
	ld_buf_free(&R.line);
	ld_buf_free(&R.last);
	cli_formats_free(&F);
	cli_done(&c);
	return rc;
}
