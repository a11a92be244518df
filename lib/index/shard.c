/*
 * shard.c — a deterministic, balanced share of a source list.
 *
 * Shards are consecutive runs of the list, cut where the running total of
 * sizes crosses a multiple of total/n: every machine that sees the same
 * list and sizes computes the same cut, each source lands in exactly one
 * shard, and the shards' outputs concatenated in shard order are the
 * output of one run over the whole list.  A source is placed by the
 * middle of its bytes, so a big source goes to the shard holding most of
 * it and no shard is more than one source's size off its share.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "index/index.h"

int
ld_shard_parse(const char *text, unsigned *i, unsigned *n, struct ld_err *err)
{
	const char *orig = text;
	char *end;
	unsigned long a, b;

	a = strtoul(text, &end, 10);
	if (end == text || *end != '/' || text[0] == '-')
		goto bad;
	text = end + 1;
	b = strtoul(text, &end, 10);
	if (end == text || *end != '\0' || text[0] == '-')
		goto bad;
	if (b < 1 || b > 65536 || a < 1 || a > b)
		goto bad;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return 0;
bad:
	return ld_err_set(err, "'%s' is not a shard I/N with 1 <= I <= N <= "
	    "65536", orig);
}

static uint64_t
weight(const struct ld_srclist *l, size_t k)
{
	struct stat st;

	if (l->error[k] || strcmp(l->path[k], "-") == 0 ||
	    stat(l->path[k], &st) < 0 || st.st_size < 1)
		return 1;
	return (uint64_t)st.st_size;
}

void
ld_shard_select(struct ld_srclist *l, unsigned i, unsigned n)
{
	uint64_t *w = ld_xcalloc(l->n + 1, sizeof(*w));
	uint64_t total = 0, run = 0;
	size_t k, out = 0;

	for (k = 0; k < l->n; k++)
		total += w[k] = weight(l, k);
	for (k = 0; k < l->n; k++) {
		/* The shard of the source's middle byte, 1-based; computed
		 * in 128 bits so that no total overflows. */
		unsigned __int128 mid = (unsigned __int128)(run + w[k] / 2) * n;
		unsigned s = (unsigned)(mid / (total ? total : 1)) + 1;

		run += w[k];
		if (s == i) {
			l->path[out] = l->path[k];
			l->error[out] = l->error[k];
			out++;
		} else {
			free(l->path[k]);
			free(l->error[k]);
		}
	}
	l->n = out;
	free(w);
}
