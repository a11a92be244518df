/*
 * cliformat.c — --format, --format-file and --year.
 */
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
	if (f->name && (f->forced = ld_formats_find(f->fs, f->name)) == NULL)
		cli_die(2, "--format: unknown format %s (see ldgrep --list-formats)",
		    f->name);
}

void
cli_formats_free(struct cli_formats *f)
{
	ld_formats_free(f->fs);
	free(f->files);
	f->fs = NULL;
	f->files = NULL;
	f->nfiles = 0;
}
