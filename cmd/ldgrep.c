/*
 * ldgrep — find the events of a request in logs and archives.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "cli.h"
#include "core/runlog.h"
#include "cliformat.h"
#include "cliindex.h"
#include "cliscope.h"
#include "core/progress.h"
#include "format/format.h"
#include "grep/grep.h"
#include "input/src.h"

enum {
	OPT_RAW = 0x100, OPT_STATS, OPT_LIST_FORMATS, OPT_COUNT_ALL, OPT_COLOR,
	OPT_NO_PROGRESS, OPT_EXPLAIN
};

static const struct cli_opt opts[] = {
	{ "after-context", 'A', "NUM", "print NUM lines of the source after each match" },
	{ "before-context", 'B', "NUM", "print NUM lines of the source before each match" },
	{ "context", 'C', "NUM", "print NUM lines before and after each match" },
	{ "count", 'c', NULL, "print the number of matching lines per source" },
	{ "count-all", OPT_COUNT_ALL, NULL, "with -c, list the sources without matches too" },
	{ "color", OPT_COLOR, "[=WHEN]", "highlight matches and scope values: auto, always, never" },
	{ "regexp", 'e', "PATTERN", "PCRE2 pattern the raw line must match (repeatable, ORed)" },
	{ "fixed-strings", 'F', NULL, "take the patterns as strings, not regular expressions" },
	{ "field", 'p', "NAME=VALUE|NAME~RE", "field predicate (canonical name or JSON path)" },
	{ "with-filename", 'H', NULL, "with --raw, print the source name before each line" },
	{ "no-filename", 'h', NULL, "with --raw, no source names (the default)" },
	{ "ignore-case", 'i', NULL, "match PATTERN without regard to case" },
	{ "threads", 'j', "N", "search N sources at once (default 1)" },
	{ "files-with-matches", 'l', NULL, "print only the sources with matches" },
	{ "max-count", 'm', "NUM", "stop reading a source after NUM matching lines" },
	{ "line-number", 'n', NULL, "with --raw, print the line number before each line" },
	{ "only-matching", 'o', NULL, "print only the matched parts of the lines, one a line" },
	{ "quiet", 'q', NULL, "print nothing, exit 0 on a match" },
	{ "invert-match", 'v', NULL, "keep the lines of the scope that the patterns do not match" },
	{ "word-regexp", 'w', NULL, "match the patterns only as whole words" },
	{ "raw", OPT_RAW, NULL, "print the original lines instead of ld-records" },
	{ "no-progress", OPT_NO_PROGRESS, NULL, "no progress line on a terminal" },
	{ "stats", OPT_STATS, NULL, "print per-source counts to standard error" },
	{ "list-formats", OPT_LIST_FORMATS, NULL, "list the known formats and exit" },
	{ "explain", OPT_EXPLAIN, NULL, "print the scope as a readable predicate and exit" },
	CLI_FORMAT_OPTS,
	CLI_SCOPE_OPTS,
	CLI_INDEX_OPT,
	CLI_NO_INDEX_OPT,
	CLI_SHARD_OPT,
	{ NULL, 0, NULL, NULL }
};

struct diagctx {
	int trouble;
	struct ld_progress *pg;
};

static void
diag(void *arg, const char *msg)
{
	struct diagctx *d = arg;

	d->trouble = 1;
	/* The progress line makes way for the message. */
	ld_progress_lock(d->pg);
	cli_warn("%s", msg);
	ld_progress_unlock(d->pg);
}

static void
poll_grep(void *arg, struct ld_progress_state *st)
{
	struct ld_grep_progress gp;

	ld_grep_progress(arg, &gp);
	st->bytes = gp.bytes_in;
	st->sources = gp.sources_done;
	st->matched = gp.matched;
}

/* The bytes of the sources, as far as stat(2) knows them. */
static uint64_t
total_bytes(const struct ld_srclist *l)
{
	struct stat sb;
	uint64_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->error[i] == NULL && stat(l->path[i], &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			n += (uint64_t)sb.st_size;
	return n;
}

/* A notice that is no trouble (an index not used): said, not counted. */
static void
note(void *arg, const char *msg)
{
	struct diagctx *d = arg;

	ld_progress_lock(d->pg);
	cli_warn("%s", msg);
	ld_progress_unlock(d->pg);
}

static void
print_stats(const struct ld_grep *g, int indexed)
{
	struct ld_grep_stats t = { 0 };
	const struct ld_grep_stats *s;

	fprintf(stderr, "%s: stats: source\tread\tskipped\tparsed\tmalformed"
	    "\tbadtime\tmatched\tunreadable\n", cli_progname);
	for (size_t i = 0; (s = ld_grep_stats(g, i)) != NULL; i++) {
		fprintf(stderr, "%s: stats: %s\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu"
		    "\t%llu\n", cli_progname, s->unit,
		    (unsigned long long)s->read, (unsigned long long)s->skipped,
		    (unsigned long long)s->parsed,
		    (unsigned long long)s->malformed,
		    (unsigned long long)s->badtime,
		    (unsigned long long)s->matched,
		    (unsigned long long)s->unreadable);
		t.read += s->read;
		t.skipped += s->skipped;
		t.parsed += s->parsed;
		t.malformed += s->malformed;
		t.badtime += s->badtime;
		t.matched += s->matched;
		t.unreadable += s->unreadable;
		t.indexed += s->indexed;
		t.bytes_in += s->bytes_in;
		t.bytes_skipped += s->bytes_skipped;
		t.bytes_out += s->bytes_out;
	}
	fprintf(stderr, "%s: stats: total\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu"
	    "\t%llu\n", cli_progname, (unsigned long long)t.read,
	    (unsigned long long)t.skipped, (unsigned long long)t.parsed,
	    (unsigned long long)t.malformed, (unsigned long long)t.badtime,
	    (unsigned long long)t.matched, (unsigned long long)t.unreadable);
	/* With --index always; with sidecars when one was of use. */
	if (indexed || t.indexed) {
		fprintf(stderr, "%s: stats: skipped by the index\t%llu of %llu "
		    "lines\n", cli_progname, (unsigned long long)t.indexed,
		    (unsigned long long)t.read);
		fprintf(stderr, "%s: stats: compressed bytes not read\t%llu of "
		    "%llu\n", cli_progname, (unsigned long long)t.bytes_skipped,
		    (unsigned long long)(t.bytes_in + t.bytes_skipped));
		fprintf(stderr, "%s: stats: bytes decoded by zstd\t%llu\n",
		    cli_progname, (unsigned long long)t.bytes_out);
	}
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ld_scope scope = { 0 };
	struct ld_err err;
	struct cli_formats F = { 0 };
	struct ld_grep *g = NULL;
	struct ld_srclist l = { 0 };
	struct ld_grep_sink sink = { 0 };
	struct cli_index X = { 0 };
	const char *arg, *color = "never";
	const char **preds = NULL, **pats = NULL;
	size_t npreds = 0, npats = 0;
	int k, threads = 1, stats = 0, list = 0, quiet = 0, pflags = 0;
	int rc, invert = 0, progress = 1, explain = 0;
	struct diagctx dc = { 0 };
	long maxcount = 0, before = 0, after = 0;
	unsigned print = 0;
	enum ld_grep_out mode = LD_GREP_RECORDS;
	FILE *out = stdout;
	struct ld_runlog *rl = ld_runlog_start("ldgrep", argc, argv);

	cli_init(&c, "ldgrep", "[options] [--scope FILE] [file | dir | archive | -] ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_scope_opt(&scope, k, arg) || cli_formats_opt(&F, k, arg) ||
		    cli_index_opt(&X, k, arg))
			continue;
		switch (k) {
		case 'A': after = cli_long("--after-context", arg, 0, 1000000); break;
		case 'B': before = cli_long("--before-context", arg, 0, 100000); break;
		case 'C':
			before = after = cli_long("--context", arg, 0, 100000);
			break;
		case 'c': mode = LD_GREP_COUNT; break;
		case OPT_COUNT_ALL: print |= LD_GREP_P_COUNT_ALL; break;
		case OPT_COLOR: color = arg ? arg : "auto"; break;
		case 'e':
			pats = ld_xrealloc(pats, (npats + 1) * sizeof(*pats));
			pats[npats++] = arg;
			break;
		case 'F': pflags |= LD_GREP_FIXED; break;
		case 'p':
			preds = ld_xrealloc(preds, (npreds + 1) * sizeof(*preds));
			preds[npreds++] = arg;
			break;
		case 'H': print |= LD_GREP_P_NAME; break;
		case 'h': print &= ~(unsigned)LD_GREP_P_NAME; break;
		case 'i': pflags |= LD_GREP_ICASE; break;
		case 'm': maxcount = cli_long("--max-count", arg, 1, LONG_MAX); break;
		case 'n': print |= LD_GREP_P_LINENO; break;
		case 'o': print |= LD_GREP_P_ONLY; break;
		case 'v': invert = 1; break;
		case 'w': pflags |= LD_GREP_WORD; break;
		case 'j': threads = (int)cli_long("--threads", arg, 1, 64); break;
		case 'l': mode = LD_GREP_LIST; break;
		case 'q': quiet = 1; break;
		case OPT_RAW: mode = LD_GREP_RAW; break;
		case OPT_STATS: stats = 1; break;
		case OPT_NO_PROGRESS: progress = 0; break;
		case OPT_LIST_FORMATS: list = 1; break;
		case OPT_EXPLAIN: explain = 1; break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if (invert && npats == 0)
		cli_misuse(&c, "option '-v' needs a pattern to invert (-e PATTERN)");
	if ((print & LD_GREP_P_ONLY) && npats == 0)
		cli_misuse(&c, "option '-o' needs a pattern (-e PATTERN)");
	if (cli_color("--color", color))
		print |= LD_GREP_P_COLOR;
	/* -o prints parts of the original lines: it is raw output. */
	if ((print & LD_GREP_P_ONLY) && mode == LD_GREP_RECORDS)
		mode = LD_GREP_RAW;
	cli_scope_finish(&scope);
	if (explain) {
		struct ld_buf b = { 0 };

		ld_scope_explain(&scope, &b);
		fwrite(b.p, 1, b.len, stdout);
		ld_buf_free(&b);
		ld_scope_free(&scope);
		cli_done(&c);
		free(preds);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
	}

	cli_formats_load(&F);
	if (list) {
		const struct ld_format *f;

		for (size_t i = 0; (f = ld_formats_get(F.fs, i)) != NULL; i++)
			printf("%-22s %s\n", ld_format_name(f), ld_format_description(f));
		rc = 0;
		goto out;
	}
	g = ld_grep_new(F.fs, &scope);
	if (F.forced)
		ld_grep_set_format(g, F.forced);
	for (size_t i = 0; i < npats; i++)
		if (ld_grep_add_pattern(g, pats[i], pflags, &err) < 0)
			cli_bad_value("--regexp: %s", err.msg);
	ld_grep_set_invert(g, invert);
	ld_grep_set_max_count(g, (uint64_t)maxcount);
	ld_grep_set_context(g, (unsigned)before, (unsigned)after);
	ld_grep_set_print(g, print);
	for (size_t i = 0; i < npreds; i++)
		if (ld_grep_add_field(g, preds[i], &err) < 0)
			cli_bad_value("--field: %s", err.msg);
	if (F.year)
		ld_grep_set_ref_year(g, F.year);
	ld_grep_set_threads(g, threads);
	if (quiet) {
		mode = LD_GREP_COUNT;
		if ((out = fopen("/dev/null", "w")) == NULL)
			cli_die(2, "/dev/null: cannot open");
	}
	ld_grep_set_output(g, mode);
	ld_srclist_expand(&l, argv, (size_t)argc);
	cli_index_shard(&X, &l);
	ld_grep_set_index(g, cli_index_ctx(&X, &F, &l));
	ld_srclist_exclude_fd(&l, fileno(out));
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	sink.arg = &dc;
	sink.diag = diag;
	for (size_t i = 0; i < l.n; i++)
		ld_runlog_input(rl, l.path[i], NULL, 0);
	sink.note = note;
	if (progress && ld_progress_wanted(2))
		dc.pg = ld_progress_start(stderr, "ldgrep", poll_grep, g,
		    total_bytes(&l), l.n);
	rc = ld_grep_run(g, &l, ld_runlog_out(rl, out, "-"), &sink);
	ld_progress_stop(dc.pg);
	if (rc == -2)
		cli_warn("write error on standard output");
	if (stats)
		print_stats(g, X.dir != NULL);
	if (rc != 0 || dc.trouble)
		rc = 2;
	else
		rc = ld_grep_matched(g) ? 0 : 1;
out:
	if (ld_runlog_finish(rl, rc, &err) < 0)
		cli_warn("%s", err.msg);
	if (out != stdout)
		fclose(out);
	ld_srclist_free(&l);
	ld_grep_free(g);
	cli_index_free(&X);
	cli_formats_free(&F);
	ld_scope_free(&scope);
	free(preds);
	free(pats);
	cli_done(&c);
	return rc;
}
