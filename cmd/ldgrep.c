/*
 * ldgrep — find the events of a request in logs and archives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "core/runlog.h"
#include "cliformat.h"
#include "cliindex.h"
#include "cliscope.h"
#include "format/format.h"
#include "grep/grep.h"
#include "input/src.h"

enum {
	OPT_RAW = 0x100, OPT_STATS, OPT_LIST_FORMATS, OPT_EXPLAIN
};

static const struct cli_opt opts[] = {
	{ "count", 'c', NULL, "print the number of matching lines per source" },
	{ "regexp", 'e', "PATTERN", "PCRE2 pattern the raw line must match" },
	{ "field", 'F', "NAME=VALUE|NAME~RE", "field predicate (canonical name or JSON path)" },
	{ "ignore-case", 'i', NULL, "match PATTERN without regard to case" },
	{ "threads", 'j', "N", "search N sources at once (default 1)" },
	{ "files-with-matches", 'l', NULL, "print only the sources with matches" },
	{ "quiet", 'q', NULL, "print nothing, exit 0 on a match" },
	{ "raw", OPT_RAW, NULL, "print the original lines instead of ld-records" },
	{ "stats", OPT_STATS, NULL, "print per-source counts to standard error" },
	{ "list-formats", OPT_LIST_FORMATS, NULL, "list the known formats and exit" },
	{ "explain", OPT_EXPLAIN, NULL, "print the scope as a readable predicate and exit" },
	CLI_FORMAT_OPTS,
	CLI_SCOPE_OPTS,
	CLI_INDEX_OPT,
	CLI_SHARD_OPT,
	{ NULL, 0, NULL, NULL }
};

static void
diag(void *arg, const char *msg)
{
	int *trouble = arg;

	*trouble = 1;
	cli_warn("%s", msg);
}

static void
note(void *arg, const char *msg)
{
	cli_warn("%s", msg);
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
	if (indexed) {
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
	const char *pattern = NULL, *arg;
	const char **preds = NULL;
	size_t npreds = 0;
	int k, icase = 0, threads = 1, stats = 0, list = 0, quiet = 0;
	int explain = 0;
	int trouble = 0, rc;
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
		case 'c': mode = LD_GREP_COUNT; break;
		case 'e': pattern = arg; break;
		case 'F':
			preds = ld_xrealloc(preds, (npreds + 1) * sizeof(*preds));
			preds[npreds++] = arg;
			break;
		case 'i': icase = 1; break;
		case 'j': threads = (int)cli_long("--threads", arg, 1, 64); break;
		case 'l': mode = LD_GREP_LIST; break;
		case 'q': quiet = 1; break;
		case OPT_RAW: mode = LD_GREP_RAW; break;
		case OPT_STATS: stats = 1; break;
		case OPT_LIST_FORMATS: list = 1; break;
		case OPT_EXPLAIN: explain = 1; break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
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
	if (pattern && ld_grep_set_pattern(g, pattern, icase, &err) < 0)
		cli_die(2, "%s", err.msg);
	for (size_t i = 0; i < npreds; i++)
		if (ld_grep_add_field(g, preds[i], &err) < 0)
			cli_die(2, "--field: %s", err.msg);
	if (F.year)
		ld_grep_set_ref_year(g, F.year);
	ld_grep_set_threads(g, threads);
	if (quiet) {
		mode = LD_GREP_COUNT;
		if ((out = fopen("/dev/null", "w")) == NULL)
			cli_die(2, "/dev/null: cannot open");
	}
	ld_grep_set_output(g, mode);
	ld_grep_set_index(g, cli_index_ctx(&X, &F));
	ld_srclist_expand(&l, argv, (size_t)argc);
	cli_index_shard(&X, &l);
	ld_srclist_exclude_fd(&l, fileno(out));
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	sink.arg = &trouble;
	sink.diag = diag;
	for (size_t i = 0; i < l.n; i++)
		ld_runlog_input(rl, l.path[i], NULL, 0);
	sink.note = note;
	rc = ld_grep_run(g, &l, ld_runlog_out(rl, out, "-"), &sink);
	if (rc == -2)
		cli_warn("write error on standard output");
	if (stats)
		print_stats(g, X.dir != NULL);
	if (rc != 0 || trouble)
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
	cli_formats_free(&F);
	ld_scope_free(&scope);
	free(preds);
	cli_done(&c);
	return rc;
}
