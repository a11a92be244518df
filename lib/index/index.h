/*
 * index.h — the sidecar index of a source, so that a dive skips what
 * cannot hold an in-scope line, and the shares of a sharded run.
 *
 * An index describes one source (a file or an archive, as ld_src reads
 * it): its size and digest (a GMAC of every byte, index_impl.h), the formats it was parsed with, and for
 * every unit (the source, or each archive member) its line count and one
 * or more blocks.  A block is a run of whole lines: the unit itself, or,
 * where the container can be entered in the middle (a plain file, a
 * seekable zstd file), a few MiB of it with the byte offsets to get
 * there.  A block holds its line count, the range of its times, and a
 * Bloom filter of the canonical values a scope can ask for (namespaces
 * and every segment prefix of projects, projects, users, user ids,
 * events, correlation ids, and IP networks at a few prefix lengths).
 *
 * The index never makes a dive miss a line: a block is skipped only when
 * its summary proves no line of it can pass ld_scope_match(), and an
 * index is used only when the source's size and digest, the format
 * definitions and the forced format are exactly those it was built with
 * (ld_index_find() says why not otherwise).
 *
 *	struct ld_index_ctx cx = { "idx", ld_formats_id(fs), NULL, NULL };
 *	struct ld_index *ix = ld_index_find(&cx, path, &why);
 *	if (ix == NULL) note(why.msg);
 *	else if (!ld_index_source_may(ix, sc)) skip the whole source;
 *	ld_index_free(ix);
 *
 * On disk the index of source P lives beside it, at P.ldx (the sidecar,
 * found without being named), or in an index directory DIR at DIR/P.ldx
 * ("." segments kept; a leading "/" of an absolute P is kept too, so
 * DIR//abs/path.ldx).  The file format is described in ld-index(5).
 */
#ifndef LD_INDEX_H
#define LD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"
#include "input/src.h"
#include "scope/scope.h"

#define LD_INDEX_SUFFIX LD_SIDECAR_SUFFIX

/* Notes already given, so that a source is spoken of once however many
 * dives a tool runs (ldsh); shared by threads. */
struct ld_index_said;
struct ld_index_said *ld_index_said_new(void);
void ld_index_said_free(struct ld_index_said *s);	/* NULL is fine */

/* What an index must agree with to be used, and where indexes live. */
struct ld_index_ctx {
	const char *dir;	/* the index directory, or NULL for the
				   sidecar P.ldx beside each source P */
	const char *formats_id;	/* ld_formats_id() of the formats in use */
	const char *forced;	/* the forced format's name, or NULL */
	struct ld_index_said *said;	/* NULL, or notes given (borrowed) */
};

struct ld_index_block {
	uint64_t comp_off, comp_len;	/* bytes of the file (seekable only) */
	uint64_t dec_off, dec_len;	/* bytes of the decoded unit */
	uint64_t first_line, nlines;	/* first line is 1-based */
	uint64_t ntimed;		/* lines with a valid time */
	int64_t tmin, tmax;		/* their range, when ntimed */
	uint32_t flags;			/* LD_IXB_* */
	uint32_t k;			/* probes per key */
	uint64_t m;			/* bits of the filter, a multiple of 64 */
	uint64_t *bits;
	/* Correlation ids, nearly one per line, in a filter of their own,
	 * only with ldindex --cids (cm is 0 otherwise: any id may be in
	 * the block). */
	uint32_t ck;
	uint64_t cm;
	uint64_t *cbits;
};

#define LD_IXB_YEAR_GUESSED 1u	/* a time had its year inferred: the
				   range is not used */

struct ld_index_unit {
	char *member;		/* NULL for the source itself */
	uint64_t lines;
	size_t nblocks;
	struct ld_index_block *blocks;
};

#define LD_IX_SEEKABLE 1u	/* blocks carry file offsets to seek to */

struct ld_index {
	char *path;		/* the source as it was named when built */
	uint64_t size;
	char digest[33];	/* GMAC of every byte (check.c), hex */
	char formats_id[65];
	char *forced;		/* NULL when no format was forced */
	uint32_t flags;		/* LD_IX_* */
	size_t nunits;
	struct ld_index_unit *units;
};

void ld_index_free(struct ld_index *ix);

/*
 * The path of the index of source path under dir, or beside it when dir
 * is NULL (the sidecar path.ldx); caller frees.  NULL for standard
 * input, which has no index.
 */
char *ld_index_path(const char *dir, const char *path);

/*
 * Read an index file.  Returns it (free with ld_index_free()), or NULL
 * with "file: what is wrong" in err: missing, damaged (its own checksum
 * fails), or of another version.
 */
struct ld_index *ld_index_read(const char *file, struct ld_err *err);

/* Write ix to file atomically (temporary file and rename), making the
 * directories it needs.  Returns 0 or -1 with a message. */
int ld_index_write(const struct ld_index *ix, const char *file,
    struct ld_err *err);

/* The serialised bytes (what ld_index_write() writes), appended to out;
 * and their reverse.  ld_index_parse() never reads outside p[0, n). */
void ld_index_encode(const struct ld_index *ix, struct ld_buf *out);
struct ld_index *ld_index_parse(const void *p, size_t n, struct ld_err *err);

/*
 * The index of source path, checked against it: read from the directory
 * of cx (or the sidecar), then the source's size and digest are computed
 * and compared, and so are the formats and the forced format.  Returns
 * the index, or NULL with the reason in why ("path: no index in DIR,
 * read in full", "path: sidecar index does not match the archive (size),
 * read in full", …): the source must then be read in full.  why->msg is
 * empty when there is nothing to say: a source without a sidecar (the
 * common case, not news), or one already spoken of in cx->said.
 */
struct ld_index *ld_index_find(const struct ld_index_ctx *cx,
    const char *path, struct ld_err *why);

/*
 * Could a line of block b be in scope sc?  0 only when the block's
 * summary proves that no line of it passes ld_scope_match(); 1 otherwise
 * (an empty scope always gives 1).
 */
int ld_index_block_may(const struct ld_index_block *b,
    const struct ld_scope *sc);
/* Could any block of unit u, or of any unit of ix, be in scope? */
int ld_index_unit_may(const struct ld_index_unit *u, const struct ld_scope *sc);
int ld_index_source_may(const struct ld_index *ix, const struct ld_scope *sc);

/* ---- building (build.c) ---- */

struct ld_index_build_opts {
	const struct ld_formats *fs;	/* borrowed */
	const struct ld_format *forced;	/* NULL: recognise formats */
	int ref_year;			/* year for syslog times without one */
	int cids;			/* also index correlation ids */
	int no_flat;			/* parse every line (build.c says why
					   one would: to compare) */
};

/*
 * Build the index of source path (a file; not standard input) by reading
 * it once, parsing every line as ldgrep would.  Returns the index, or NULL
 * with a message when the source cannot be read whole: an index of a
 * damaged source would not describe what a dive reads.
 *
 * The filters are sized for the distinct keys each block holds, for
 * LD_INDEX_FP_RATE false positives (and LD_INDEX_CID_FP_RATE for the
 * correlation ids): a key seen a thousand times in a block costs what
 * one costs.
 */
#define LD_INDEX_FP_RATE 0.01
#define LD_INDEX_CID_FP_RATE 0.05
struct ld_index *ld_index_build(const char *path,
    const struct ld_index_build_opts *o, struct ld_err *err);

/*
 * Build the indexes of the n sources paths[] on threads threads (1 or
 * more), and hand each to done(arg, i, ix, err) in the order of paths,
 * from the calling thread, one at a time: ix is the index (done takes
 * it, and frees it with ld_index_free()) or NULL with err saying why.
 * The indexes are those ld_index_build() gives, whatever the number of
 * threads; at most a few per thread wait for their turn, so memory does
 * not grow with n.
 */
void ld_index_build_many(const char *const *paths, size_t n,
    const struct ld_index_build_opts *o, int threads,
    void (*done)(void *arg, size_t i, struct ld_index *ix,
    const struct ld_err *err), void *arg);

/* ---- seekable zstd (seekable.c) ---- */

/* One frame of a seekable zstd file. */
struct ld_seek_frame {
	uint64_t comp_off, comp_len;	/* in the file */
	uint64_t dec_off, dec_len;	/* in the decoded stream */
};

/*
 * The seek table of the zstd file open on fd (size bytes): zstd's
 * seekable format (contrib/seekable_format), a skippable frame at the end
 * that lists every frame's compressed and decoded size.  Returns 1 and
 * *v (caller frees), *n; 0 when the file has no valid seek table (its
 * sizes must add up to the file); -1 with a message on a read error.
 */
int ld_seekable_table(int fd, uint64_t size, struct ld_seek_frame **v,
    size_t *n, struct ld_err *err);

struct ld_repack_stats {
	uint64_t in_bytes, out_bytes, dec_bytes, frames;
};

/*
 * Rewrite the zstd file in (any zstd file: one frame or many, a tar or
 * not) as the seekable file out: independent frames of frame_size
 * decoded bytes or a little less, each cut at the end of a line where a
 * line ends within 1 GiB, compressed at level with zstd's content
 * checksum, and the seek table after them.  Stock zstd and tar read the
 * result as before.  out is written atomically (replaced when it
 * exists).  Returns 0 and fills st (may be NULL), or -1 with a message
 * (not zstd, damaged, cannot write).
 */
int ld_seekable_repack(const char *in, const char *out, size_t frame_size,
    int level, struct ld_repack_stats *st, struct ld_err *err);

/* ---- sharding (shard.c) ---- */

/*
 * Parse "I/N" (1 <= I <= N <= 65536) into *i and *n.  Returns 0, or -1
 * with a message.
 */
int ld_shard_parse(const char *text, unsigned *i, unsigned *n,
    struct ld_err *err);

/*
 * Keep only shard i of n of the list l, in place: the list is cut into n
 * consecutive runs of about equal total size (file sizes by stat(2);
 * standard input and unreadable entries count as one byte), so that
 * every source lands in exactly one shard whatever machine computes it,
 * and the shards' outputs, concatenated in order, are the bytes a single
 * run writes.  Entries dropped are freed.
 */
void ld_shard_select(struct ld_srclist *l, unsigned i, unsigned n);

#endif
