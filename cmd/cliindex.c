/*
 * cliindex.c — --index and --shard on the command line.
 */
#include "cliindex.h"

int
cli_index_opt(struct cli_index *x, int key, const char *arg)
{
	struct ld_err err;

	switch (key) {
	case OPT_INDEX:
		x->dir = arg;
		return 1;
	case OPT_SHARD:
		if (ld_shard_parse(arg, &x->shard_i, &x->shard_n, &err) < 0)
			cli_die(2, "--shard: %s", err.msg);
		return 1;
	}
	return 0;
}

void
cli_index_shard(const struct cli_index *x, struct ld_srclist *l)
{
	if (x->shard_n)
		ld_shard_select(l, x->shard_i, x->shard_n);
}

const struct ld_index_ctx *
cli_index_ctx(struct cli_index *x, const struct cli_formats *F)
{
	if (x->dir == NULL)
		return NULL;
	x->cx.dir = x->dir;
	x->cx.formats_id = ld_formats_id(F->fs);
	x->cx.forced = F->forced ? ld_format_name(F->forced) : NULL;
	return &x->cx;
}
