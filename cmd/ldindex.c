/*
 * ldindex — build the sidecar indexes that let ldgrep skip sources,
 * archive members and blocks that cannot hold an in-scope line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "cliformat.h"
#include "cliindex.h"
#include "index/index.h"
#include "input/src.h"

enum { OPT_STATS = 0x100, OPT_BLOCK };

static const struct cli_opt opts[] = {
	{ "block-size", OPT_BLOCK, "SIZE", "decoded bytes per block where a source can be entered midway (default 4M)" },
	{ "output", 'o', "DIR", "write the index of each source P to DIR/P.ldx" },
	{ "stats", OPT_STATS, NULL, "print per-source figures to standard error" },
	CLI_SHARD_OPT,
	CLI_FORMAT_OPTS,
	{ NULL, 0, NULL, NULL }
};

static void
print_stats(const char *path, const struct ld_index *ix, const char *file)
{
	uint64_t lines = 0, blocks = 0;
	struct stat st;

	for (size_t i = 0; i < ix->nunits; i++) {
		lines += ix->units[i].lines;
		blocks += ix->units[i].nblocks;
	}
	if (stat(file, &st) < 0)
		st.st_size = 0;
	fprintf(stderr, "%s: stats: %s\t%zu units\t%llu blocks\t%llu lines\t"
	    "%llu bytes\t%llu index bytes\n", cli_progname, path, ix->nunits,
	    (unsigned long long)blocks, (unsigned long long)lines,
	    (unsigned long long)ix->size, (unsigned long long)st.st_size);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_formats F = { 0 };
	struct cli_index X = { 0 };
	struct ld_index_build_opts o = { 0 };
	struct ld_srclist l = { 0 };
	struct ld_err err;
	const char *arg, *dir = NULL;
	int k, stats = 0, trouble = 0;

	cli_init(&c, "ldindex", "-o DIR [options] file | dir | archive ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_formats_opt(&F, k, arg) || cli_index_opt(&X, k, arg))
			continue;
		switch (k) {
		case 'o': dir = arg; break;
		case OPT_STATS: stats = 1; break;
		case OPT_BLOCK:
			o.block_size = cli_size("--block-size", arg);
			if (o.block_size < 4096)
				cli_die(2, "--block-size: '%s' is less than 4K", arg);
			break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if (dir == NULL || argc == 0)
		cli_usage_exit(&c);
	cli_formats_load(&F);
	o.fs = F.fs;
	o.forced = F.forced;
	o.ref_year = F.year;
	if (o.ref_year == 0) {
		/* As ldgrep: the current year.  A time whose year was guessed
		 * is marked in the index and never used to skip. */
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		o.ref_year = tm.tm_year + 1900;
	}
	ld_srclist_expand(&l, argv, (size_t)argc);
	cli_index_shard(&X, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct ld_index *ix;
		char *file;

		if (l.error[i]) {
			cli_warn("%s: %s", l.path[i], l.error[i]);
			trouble = 1;
			continue;
		}
		if ((ix = ld_index_build(l.path[i], &o, &err)) == NULL) {
			cli_warn("%s (not indexed)", err.msg);
			trouble = 1;
			continue;
		}
		file = ld_index_path(dir, l.path[i]);
		if (ld_index_write(ix, file, &err) < 0) {
			cli_warn("%s", err.msg);
			trouble = 1;
		} else if (stats)
			print_stats(l.path[i], ix, file);
		free(file);
		ld_index_free(ix);
	}
	ld_srclist_free(&l);
	cli_formats_free(&F);
	cli_done(&c);
	return trouble ? 2 : 0;
}
