/*
 * ldindex — build the sidecar indexes that let ldgrep skip sources,
 * archive members and blocks that cannot hold an in-scope line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/atomic.h"
#include "cli.h"
#include "cliformat.h"
#include "cliindex.h"
#include "index/index.h"
#include "input/src.h"

enum { OPT_STATS = 0x100, OPT_BLOCK, OPT_REPACK, OPT_LEVEL, OPT_CIDS };

static const struct cli_opt opts[] = {
	{ "block-size", OPT_BLOCK, "SIZE", "with --repack: decoded bytes per zstd frame (default 1M)" },
	{ "cids", OPT_CIDS, NULL, "also index correlation ids (a larger index)" },
	{ "level", OPT_LEVEL, "N", "with --repack: zstd level (default 3)" },
	{ "output", 'o', "DIR", "write the index of each source P to DIR/P.ldx, not beside it" },
	{ "repack", OPT_REPACK, "DIR", "first rewrite each source P as DIR/P, zstd ones seekable, and index that" },
	{ "stats", OPT_STATS, NULL, "print per-source figures to standard error" },
	{ "threads", 'j', "N", "index N sources at once (default 1)" },
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

/* Copy path to out as it is (not zstd: nothing to gain). */
static int
copy_file(const char *path, const char *out, struct ld_err *err)
{
	struct ld_atomic a;
	char buf[65536];
	size_t n;
	FILE *in, *fp;
	int rc = -1;

	if ((in = fopen(path, "rb")) == NULL)
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	if ((fp = ld_atomic_open(&a, out, err)) == NULL)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	if (ferror(in) || ferror(fp)) {
		ld_err_set(err, "%s: copy error", out);
		ld_atomic_abort(&a);
		goto out;
	}
	rc = ld_atomic_commit(&a, 1, err);
out:
	fclose(in);
	return rc;
}

/* Rewrite path under dir: zstd sources as seekable zstd, others as
 * they are.  Returns the new path (caller frees) or NULL after saying
 * why. */
static char *
do_repack(const char *dir, const char *path, size_t frame, int level,
    int stats)
{
	struct ld_repack_stats st;
	struct ld_err err;
	struct ld_buf out = { 0 };
	unsigned char m[4] = { 0 };
	FILE *fp;
	int zst;

	ld_buf_addf(&out, "%s/%s", dir, path);
	if ((fp = fopen(path, "rb")) == NULL) {
		cli_warn("%s: %s", path, strerror(errno));
		goto bad;
	}
	zst = fread(m, 1, 4, fp) == 4 && (memcmp(m, "\x28\xb5\x2f\xfd", 4) == 0 ||
	    ((m[0] & 0xf0) == 0x50 && m[1] == 0x2a && m[2] == 0x4d && m[3] == 0x18));
	fclose(fp);
	if (!zst) {
		/* The directories exist once the index is written; the copy
		 * is made before, so make them here. */
		char *slash, *d = ld_xstrdup(out.p);

		for (slash = d + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
			*slash = '\0';
			mkdir(d, 0777);
			*slash = '/';
		}
		free(d);
		if (copy_file(path, out.p, &err) < 0) {
			cli_warn("%s", err.msg);
			goto bad;
		}
		return ld_buf_detach(&out);
	}
	if (ld_seekable_repack(path, out.p, frame, level, &st, &err) < 0) {
		cli_warn("%s (not repacked)", err.msg);
		goto bad;
	}
	if (stats)
		fprintf(stderr, "%s: stats: repack %s\t%llu bytes\t%llu bytes "
		    "seekable\t%llu frames\t%llu decoded bytes\n", cli_progname,
		    path, (unsigned long long)st.in_bytes,
		    (unsigned long long)st.out_bytes,
		    (unsigned long long)st.frames,
		    (unsigned long long)st.dec_bytes);
	return ld_buf_detach(&out);
bad:
	ld_buf_free(&out);
	return NULL;
}

/* What the build of every source shares with its writer. */
struct run {
	const char *dir;	/* -o, or NULL for sidecars */
	char **paths;		/* the sources indexed (repacked or not) */
	int stats, trouble;
};

/* The index of source i is built: write it (in source order). */
static void
done(void *arg, size_t i, struct ld_index *ix, const struct ld_err *err)
{
	struct run *R = arg;
	struct ld_err e;
	char *file;

	if (ix == NULL) {
		cli_warn("%s (not indexed)", err->msg);
		R->trouble = 1;
		return;
	}
	file = ld_index_path(R->dir, R->paths[i]);
	if (ld_index_write(ix, file, &e) < 0) {
		cli_warn("%s", e.msg);
		R->trouble = 1;
	} else if (R->stats)
		print_stats(R->paths[i], ix, file);
	free(file);
	ld_index_free(ix);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct cli_formats F = { 0 };
	struct cli_index X = { 0 };
	struct ld_index_build_opts o = { 0 };
	struct ld_srclist l = { 0 };
	struct run R = { 0 };
	const char *arg, *repack = NULL;
	size_t frame = (size_t)1 << 20, n = 0;
	int k, level = 3, threads = 1;

	cli_init(&c, "ldindex", "[-o DIR] [options] file | dir | archive ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_formats_opt(&F, k, arg) || cli_index_opt(&X, k, arg))
			continue;
		switch (k) {
		case 'o': R.dir = arg; break;
		case 'j': threads = (int)cli_long("--threads", arg, 1, 64); break;
		case OPT_CIDS: o.cids = 1; break;
		case OPT_STATS: R.stats = 1; break;
		case OPT_BLOCK:
			frame = cli_size("--block-size", arg);
			if (frame < 4096 || frame > ((size_t)1 << 30))
				cli_die(2, "--block-size: '%s' is not from 4K to 1G", arg);
			break;
		case OPT_LEVEL: level = (int)cli_long("--level", arg, 1, 22); break;
		case OPT_REPACK: repack = arg; break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		cli_misuse(&c, "no source to index");
	cli_formats_load(&F);
	o.fs = F.fs;
	/* To compare the two ways of reading lines (ldindex(1)). */
	o.no_flat = getenv("LD_INDEX_NO_FLAT") != NULL &&
	    *getenv("LD_INDEX_NO_FLAT") != '\0';
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
	R.paths = ld_xcalloc(l.n + 1, sizeof(*R.paths));
	for (size_t i = 0; i < l.n; i++) {
		char *path;

		if (l.error[i]) {
			cli_warn("%s: %s", l.path[i], l.error[i]);
			R.trouble = 1;
			continue;
		}
		if (repack) {
			if ((path = do_repack(repack, l.path[i], frame, level,
			    R.stats)) == NULL) {
				R.trouble = 1;
				continue;
			}
		} else
			path = ld_xstrdup(l.path[i]);
		R.paths[n++] = path;
	}
	ld_index_build_many((const char *const *)R.paths, n, &o, threads,
	    done, &R);
	for (size_t i = 0; i < n; i++)
		free(R.paths[i]);
	free(R.paths);
	ld_srclist_free(&l);
	cli_formats_free(&F);
	cli_done(&c);
	return R.trouble ? 2 : 0;
}
