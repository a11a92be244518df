/*
 * cliformat.h — the format options shared by every tool that parses log
 * lines (--format, --format-file, --year, --tz-assume): one table, one handler, one
 * place that loads the definitions.
 */
#ifndef LD_CLIFORMAT_H
#define LD_CLIFORMAT_H

#include <stddef.h>

#include "cli.h"
#include "format/format.h"

enum { OPT_FORMAT = 0x6100, OPT_FORMAT_FILE, OPT_YEAR, OPT_TZ_ASSUME };

#define CLI_FORMAT_OPTS \
	{ "format", OPT_FORMAT, "NAME", "try format NAME first on every line" }, \
	{ "format-file", OPT_FORMAT_FILE, "FILE", "add the format definition in FILE" }, \
	{ "year", OPT_YEAR, "YYYY", "year for syslog times without one" }, \
	{ "tz-assume", OPT_TZ_ASSUME, "ZONE", "zone for times without one: UTC, +02:00" }

struct cli_formats {
	const char **files;		/* --format-file, NULL-terminated */
	size_t nfiles;
	const char *name;		/* --format */
	int year;			/* --year, 0 when not given */
	const char *tz_assume;		/* --tz-assume, or NULL */
	struct ld_formats *fs;		/* after cli_formats_load() */
	const struct ld_format *forced;	/* the --format one, or NULL */
};

/* Handle one option: 1 when key was a format option, 0 otherwise. */
int cli_formats_opt(struct cli_formats *f, int key, const char *arg);
/* Load the built-in, installed and --format-file definitions and find the
 * --format one; dies with status 2 and the reason on failure. */
void cli_formats_load(struct cli_formats *f);
/* Say once, on standard error, how many times had no zone to read them
 * by (see --tz-assume), then free the definitions. */
void cli_formats_free(struct cli_formats *f);

#endif
