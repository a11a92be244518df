/*
 * cliindex.h — --index, --no-index and --shard, shared by the tools that
 * search sources (ldgrep, ldsh; ldindex takes --shard; ldhunt may take
 * them all): one table of options, one handler, one place that applies
 * them.
 *
 * Without --index and --no-index a tool uses the sidecar index P.ldx
 * beside each source P when there is one (ldindex writes it there by
 * default); a sidecar that does not match its source is not used, and
 * the tool says so once per source.
 */
#ifndef LD_CLIINDEX_H
#define LD_CLIINDEX_H

#include "cli.h"
#include "cliformat.h"
#include "index/index.h"
#include "input/src.h"

enum { OPT_INDEX = 0x6200, OPT_SHARD, OPT_NO_INDEX };

#define CLI_INDEX_OPT \
	{ "index", OPT_INDEX, "DIR", "skip what the indexes in DIR (ldindex -o DIR) prove out of scope" }
#define CLI_NO_INDEX_OPT \
	{ "no-index", OPT_NO_INDEX, NULL, "read every source in full: no sidecar index (P.ldx)" }
#define CLI_SHARD_OPT \
	{ "shard", OPT_SHARD, "I/N", "take only share I of N of the sources (deterministic)" }

struct cli_index {
	const char *dir;		/* --index, or NULL */
	int off;			/* --no-index */
	unsigned shard_i, shard_n;	/* --shard; 0 when not given */
	struct ld_index_ctx cx;		/* after cli_index_ctx() */
};

/* Handle one option: 1 when key was --index, --no-index or --shard (dies
 * with status 2 on a bad value or on --index with --no-index), 0
 * otherwise. */
int cli_index_opt(struct cli_index *x, int key, const char *arg);

/* Keep this run's shard of the expanded list l (nothing with no
 * --shard). */
void cli_index_shard(const struct cli_index *x, struct ld_srclist *l);

/*
 * The index context for the formats fs (forced: the forced format, or
 * NULL) and the expanded sources l: the directory of --index, else the
 * sidecars; NULL with --no-index, and NULL when no source of l has a
 * sidecar (a sidecar-less run makes no formats identity).  l NULL: the
 * sources are not known yet (ldsh), the context is always made.  Valid
 * until cli_index_free().
 */
const struct ld_index_ctx *cli_index_ctx_fs(struct cli_index *x,
    const struct ld_formats *fs, const struct ld_format *forced,
    const struct ld_srclist *l);
/* The same for the formats of a cli_formats. */
const struct ld_index_ctx *cli_index_ctx(struct cli_index *x,
    const struct cli_formats *F, const struct ld_srclist *l);

/* Release what cli_index_ctx() made. */
void cli_index_free(struct cli_index *x);

#endif
