/*
 * cliindex.h — --index and --shard, shared by the tools that search
 * sources (ldgrep; ldindex takes --shard; ldhunt may take both): one
 * table of options, one handler, one place that applies them.
 */
#ifndef LD_CLIINDEX_H
#define LD_CLIINDEX_H

#include "cli.h"
#include "cliformat.h"
#include "index/index.h"
#include "input/src.h"

enum { OPT_INDEX = 0x6200, OPT_SHARD };

#define CLI_INDEX_OPT \
	{ "index", OPT_INDEX, "DIR", "skip what the indexes in DIR (ldindex) prove out of scope" }
#define CLI_SHARD_OPT \
	{ "shard", OPT_SHARD, "I/N", "take only share I of N of the sources (deterministic)" }

struct cli_index {
	const char *dir;		/* --index, or NULL */
	unsigned shard_i, shard_n;	/* --shard; 0 when not given */
	struct ld_index_ctx cx;		/* after cli_index_ctx() */
};

/* Handle one option: 1 when key was --index or --shard (dies with
 * status 2 on a bad value), 0 otherwise. */
int cli_index_opt(struct cli_index *x, int key, const char *arg);

/* Keep this run's shard of the expanded list l (nothing with no
 * --shard). */
void cli_index_shard(const struct cli_index *x, struct ld_srclist *l);

/* The index context for the loaded formats F, or NULL without --index. */
const struct ld_index_ctx *cli_index_ctx(struct cli_index *x,
    const struct cli_formats *F);

#endif
