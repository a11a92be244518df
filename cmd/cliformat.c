/*
 * cliformat.c — --format, --format-file, --year and --tz-assume.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cliformat.h"
#include "format/ldtime.h"

int
cli_formats_opt(struct cli_formats *f, int key, const char *arg)
{
	switch (key) {
	case OPT_FORMAT:
		f->name = arg;
		return 1;
	case OPT_FORMAT_FILE:
		f->files = ld_xrealloc(f->files, (f->nfiles + 2) * sizeof(char *));
		f->files[f->nfiles++] = arg;
		f->files[f->nfiles] = NULL;
		return 1;
	case OPT_YEAR:
		/* A year outside the supported range of times would give
		 * every syslog line a time that cannot be held. */
		f->year = (int)cli_long("--year", arg, LD_TIME_MIN_YEAR,
		    LD_TIME_MAX_YEAR);
		return 1;
	case OPT_TZ_ASSUME: {
		long off;

		if (ld_time_offset_parse(arg, &off) < 0)
			cli_die(2, "--tz-assume: '%s' is not a zone (UTC, or an "
			    "offset like +02:00 or -0700)", arg);
		f->tz_assume = arg;
		return 1;
	}
	}
	return 0;
}

void
cli_formats_load(struct cli_formats *f)
{
	struct ld_err err;

	f->fs = ld_formats_load(ld_formats_default_dirs(), f->files, &err);
	if (f->fs == NULL)
		cli_die(2, "%s", err.msg);
	if (f->tz_assume) {
		long off;

		(void)ld_time_offset_parse(f->tz_assume, &off);
		ld_formats_set_tz_assume(f->fs, off);
	}
	if (f->name && (f->forced = ld_formats_find(f->fs, f->name)) == NULL)
		cli_die(2, "--format: unknown format %s (see ldgrep --list-formats)",
		    f->name);
}

void
cli_formats_free(struct cli_formats *f)
{
	unsigned long n = f->fs ? ld_formats_zoneless(f->fs) : 0;

	if (n > 0)
		fprintf(stderr, "%s: %lu time%s without a zone not read: give the "
		    "zone they were written in with --tz-assume ZONE\n",
		    cli_progname, n, n == 1 ? "" : "s");
	ld_formats_free(f->fs);
	free(f->files);
	f->fs = NULL;
	f->files = NULL;
	f->nfiles = 0;
}
