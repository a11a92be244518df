/*
 * cliindex.c — --index, --no-index and --shard on the command line.
 */
#include <sys/stat.h>

#include <stdlib.h>

#include "cliindex.h"

int
cli_index_opt(struct cli_index *x, int key, const char *arg)
{
	struct ld_err err;

	switch (key) {
	case OPT_INDEX:
		x->dir = arg;
		break;
	case OPT_NO_INDEX:
		x->off = 1;
		break;
	case OPT_SHARD:
		if (ld_shard_parse(arg, &x->shard_i, &x->shard_n, &err) < 0)
			cli_die(2, "--shard: %s", err.msg);
		return 1;
	default:
		return 0;
	}
	if (x->dir && x->off)
		cli_die(2, "--index and --no-index exclude each other");
	return 1;
}

void
cli_index_shard(const struct cli_index *x, struct ld_srclist *l)
{
	if (x->shard_n)
		ld_shard_select(l, x->shard_i, x->shard_n);
}

/*
 * Is there a sidecar index beside any source of l?  Without one there is
 * nothing to use, and the identity of the formats (a SHA-256 of every
 * definition, and OpenSSL's start with it: about a third of an empty
 * run's instructions) is not made.
 */
static int
any_sidecar(const struct ld_srclist *l)
{
	struct stat st;
	int found = 0;

	for (size_t i = 0; i < l->n && !found; i++) {
		char *f = l->error[i] ? NULL : ld_index_path(NULL, l->path[i]);

		found = f != NULL && stat(f, &st) == 0;
		free(f);
	}
	return found;
}

const struct ld_index_ctx *
cli_index_ctx_fs(struct cli_index *x, const struct ld_formats *fs,
    const struct ld_format *forced, const struct ld_srclist *l)
{
	if (x->off || (x->dir == NULL && l != NULL && !any_sidecar(l)))
		return NULL;
	x->cx.dir = x->dir;
	x->cx.formats_id = ld_formats_id(fs);
	x->cx.forced = forced ? ld_format_name(forced) : NULL;
	if (x->cx.said == NULL)
		x->cx.said = ld_index_said_new();
	return &x->cx;
}

const struct ld_index_ctx *
cli_index_ctx(struct cli_index *x, const struct cli_formats *F,
    const struct ld_srclist *l)
{
	return cli_index_ctx_fs(x, F->fs, F->forced, l);
}

void
cli_index_free(struct cli_index *x)
{
	ld_index_said_free(x->cx.said);
	x->cx.said = NULL;
}
