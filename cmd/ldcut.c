/*
 * ldcut — project fields of events to JSONL, CSV or TSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cliformat.h"
#include "format/format.h"
#include "input/reader.h"
#include "input/src.h"
#include "timeline/cut.h"
#include "timeline/tlout.h"

enum {
	OPT_NO_HEADER = 0x100, OPT_MISSING, OPT_TZ, OPT_STATS
};

static const struct cli_opt opts[] = {
	{ "fields", 'f', "LIST", "fields to print: canonical names, src, line, fmt, ev, or JSON paths" },
	{ "output", 'o', "FORMAT", "jsonl (default), csv (RFC 4180) or tsv" },
	{ "no-header", OPT_NO_HEADER, NULL, "leave out the CSV/TSV header row" },
	{ "missing", OPT_MISSING, "VALUE", "write VALUE for absent fields (default: null or empty)" },
	{ "tz", OPT_TZ, "ZONE", "write ts in ZONE: UTC (default), +02:00, Europe/Berlin" },
	{ "stats", OPT_STATS, NULL, "print counts to standard error" },
	CLI_FORMAT_OPTS,
	{ NULL, 0, NULL, NULL }
};

int
main(int argc, char **argv)
{
	struct cli c;
	struct ld_err err;
	struct cli_formats F = { 0 };
	struct ld_reader *rd = NULL;
	struct ld_cut *cut = NULL;
	struct ld_srclist l = { 0 };
	struct ld_buf out = { 0 };
	struct ld_tz tz;
	struct ld_rec *r;
	const struct ld_reader_stats *st;
	const char *arg, *missing = NULL;
	const char **fields = NULL;
	size_t nfields = 0;
	uint64_t rows = 0;
	int k, header = 1, stats = 0, trouble = 0, rc;
	enum ld_cut_out kind = LD_CUT_JSONL;

	ld_tz_parse(&tz, "UTC", NULL);
	cli_init(&c, "ldcut", "-f LIST [-o jsonl|csv|tsv] [options] [file | dir | archive | -] ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_formats_opt(&F, k, arg))
			continue;
		switch (k) {
		case 'f':
			fields = ld_xrealloc(fields, (nfields + 1) * sizeof(*fields));
			fields[nfields++] = arg;
			break;
		case 'o':
			if (strcmp(arg, "jsonl") == 0)
				kind = LD_CUT_JSONL;
			else if (strcmp(arg, "csv") == 0)
				kind = LD_CUT_CSV;
			else if (strcmp(arg, "tsv") == 0)
				kind = LD_CUT_TSV;
			else
				cli_die(2, "--output: '%s' is not jsonl, csv or tsv",
				    arg);
			break;
		case OPT_NO_HEADER: header = 0; break;
		case OPT_MISSING: missing = arg; break;
		case OPT_TZ:
			if (ld_tz_parse(&tz, arg, &err) < 0)
				cli_die(2, "--tz: %s", err.msg);
			break;
		case OPT_STATS: stats = 1; break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if (nfields == 0) {
		cli_warn("no fields given (-f LIST)");
		cli_usage_exit(&c);
	}
	cut = ld_cut_new(kind);
	for (size_t i = 0; i < nfields; i++)
		if (ld_cut_add_fields(cut, fields[i], &err) < 0)
			cli_die(2, "--fields: %s", err.msg);
	ld_cut_set_missing(cut, missing);
	ld_cut_set_tz(cut, &tz);

	cli_formats_load(&F);
	rd = ld_reader_new(F.fs, F.forced, F.year);
	ld_srclist_expand(&l, argv, (size_t)argc);
	ld_srclist_exclude_fd(&l, 1);
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	if (header)
		ld_cut_header(cut, &out);
	for (size_t i = 0; i < l.n; i++) {
		ld_reader_open(rd, l.path[i], l.error[i]);
		while ((rc = ld_reader_next(rd, &r, &err)) != 0) {
			if (rc < 0) {
				cli_warn("%s", err.msg);
				trouble = 1;
				continue;
			}
			ld_cut_rec(cut, r, &out);
			rows++;
			if (out.len >= 1 << 16) {
				if (fwrite(out.p, 1, out.len, stdout) != out.len)
					goto werr;
				ld_buf_reset(&out);
			}
		}
	}
	if (fwrite(out.p ? out.p : "", 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		goto werr;
	rc = trouble ? 2 : rows ? 0 : 1;
	goto done;
werr:
	cli_warn("write error on standard output");
	rc = 2;
done:
	if (stats) {
		st = ld_reader_stats(rd);
		fprintf(stderr, "%s: stats: read %llu, malformed %llu, badtime %llu, "
		    "unreadable %llu, written %llu\n", cli_progname,
		    (unsigned long long)st->read,
		    (unsigned long long)st->malformed,
		    (unsigned long long)st->badtime,
		    (unsigned long long)st->unreadable, (unsigned long long)rows);
	}
	ld_buf_free(&out);
	ld_srclist_free(&l);
	ld_reader_free(rd);
	ld_cut_free(cut);
	cli_formats_free(&F);
	free(fields);
	cli_done(&c);
	return rc;
}
