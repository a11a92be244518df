/*
 * src.h — inputs: files, directories, standard input, compressed files and
 * archives, read as lines.
 *
 * A source is opened by path ("-" is standard input) and read line by line.
 * What it holds is found from its first bytes, never its name: zstd (decoded
 * with libzstd) and gzip (zlib, every member's CRC and length checked),
 * xz, bzip2 and lz4 (libarchive), each holding a tar or a log; tar, zip,
 * 7-Zip and cpio (libarchive); or plain text.  A compressed file is taken
 * for a tar only when its decoded first bytes are a tar header, never
 * because a block of NULs looks like the end of an empty one.  Every
 * archive member is a unit of its own, named "path!member"; a compressed
 * single file is named by its path.  Nothing is extracted to disk and
 * memory does not grow with the input: only the longest line is held.
 *
 * Damage (a truncated archive, a corrupt frame, a checksum that does not
 * match, an unreadable member, any warning of libarchive, a line over the
 * limit) is reported through the return value of ld_src_next(); everything
 * before it has been returned as lines, and the caller may call again:
 * reading goes on wherever that is possible (in a zip read from a regular
 * file, at the member after a damaged one).
 */
#ifndef LD_SRC_H
#define LD_SRC_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"

/*
 * The size of the reader's buffers (the file's bytes, an archive's
 * blocks, a line to begin with).  The fuzz build makes them small, so
 * that refills, lines across buffers and long lines are reached by small
 * inputs (tests/fuzz/fuzz_src.c); the code is the same.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define LD_SRC_BUF ((size_t)4 << 10)
#else
#define LD_SRC_BUF ((size_t)256 << 10)
#endif

/* Lines longer than this are reported and skipped. */
#define LD_LINE_MAX ((size_t)64 << 20)

/* A list of input paths with directories expanded. */
struct ld_srclist {
	char **path;	/* files in order; "-" for standard input */
	char **error;	/* per entry: NULL, or why the path cannot be read */
	size_t n;
};

/*
 * Expand paths (n of them; none means standard input): directories are
 * recursed in byte order of their entry names, other paths kept as given.
 * A path that does not exist or cannot be listed stays in the list with its
 * error, so that it is reported in order.  A directory is read once, however
 * many links lead to it (the walk keeps a set of device and inode), so that
 * a link loop ends.  Met inside a directory, a FIFO, a socket or a device
 * is not read (it could block or never end) and stays in the list with an
 * error that says it was skipped; named itself, it is read.  So is a
 * sidecar index (below): skipped in a directory.  Free with
 * ld_srclist_free().
 */
void ld_srclist_expand(struct ld_srclist *l, char *const *paths, size_t n);

/* The sidecar index of source P is P.ldx (lib/index, ld-index(5)), a
 * file that begins with the magic below.  Met in a directory, such a
 * file is not a log: ld_srclist_expand() leaves it out. */
#define LD_SIDECAR_SUFFIX ".ldx"
#define LD_SIDECAR_MAGIC "LDINDEX\n"
void ld_srclist_free(struct ld_srclist *l);

/* Mark every entry that is the same file as the open descriptor fd (when
 * that is a regular file) with the error "input file is also the output":
 * reading it would never end.  "-" is compared by its descriptor, 0. */
void ld_srclist_exclude_fd(struct ld_srclist *l, int fd);
/* The same for the file at path, an output the tool will write (when it
 * exists and is a regular file; "-" and NULL are ignored). */
void ld_srclist_exclude_path(struct ld_srclist *l, const char *path);

struct ld_src;

struct ld_line {
	const char *p;		/* the line, without its newline or CR */
	size_t n;
	const char *unit;	/* "path" or "path!member" */
	uint64_t unitno;	/* changes when the unit does */
	uint64_t lineno;	/* 1-based, within the unit */
	size_t rawn;		/* bytes it took in the unit: with its CR
				   and newline when it had them */
};

/*
 * About how many bytes the decoder of the source path will hold while it
 * is read, as far as its first bytes tell: a zstd frame's window and
 * buffers (up to 128 MiB for zstd --long), bzip2's tables, an xz
 * dictionary, zlib's window; 0 for a plain file, standard input or a file
 * that cannot be read (reading it says why).  The reader's own buffers
 * (LD_SRC_BUF each) are not counted.  Reads the file's first bytes only;
 * later frames or members may need more.  Safe from any thread.
 */
uint64_t ld_src_decoder_memory(const char *path);

/*
 * The memory budget of the sources a tool reads at once on its threads
 * (lib/grep's pool, ldindex's), and what one source costs besides its
 * decoder: the reader's buffers (file, archive blocks, line: LD_SRC_BUF
 * each), libarchive's, the parser's.  ld_src_memory() is the whole cost
 * of reading path: LD_SRC_MEMORY + ld_src_decoder_memory(path).  A pool
 * runs no more threads than LD_SRC_WORK_MEMORY holds at the median
 * source's cost, and a source larger than the budget is read alone, so
 * that the peak does not grow with -j.
 */
#define LD_SRC_WORK_MEMORY ((uint64_t)16 << 20)
#define LD_SRC_MEMORY ((uint64_t)5 * LD_SRC_BUF)
uint64_t ld_src_memory(const char *path);

/* The processors this process may run on (its affinity mask), at least
 * 1: more threads than these only wait. */
int ld_processors(void);

/* Open a source.  Never fails here: a source that cannot be opened reports
 * its error on the first ld_src_next(). */
struct ld_src *ld_src_open(const char *path);

/*
 * The next line.  Returns 1 and fills l (valid until the next call), 0 at
 * the end of the source, or -1 when something could not be read: err then
 * holds "unit: what happened" and the next call goes on with whatever can
 * still be read.  A source that ends in damage returns -1 once, then 0.
 */
int ld_src_next(struct ld_src *s, struct ld_line *l, struct ld_err *err);

/*
 * Close what s reads and make it a fresh source for path, as
 * ld_src_open(path) would, but keeping its buffers and decoder: a caller
 * that reads many sources one after the other saves allocating and
 * faulting in a few megabytes per source.  Lines of s are invalid after.
 */
void ld_src_reopen(struct ld_src *s, const char *path);

/*
 * Lines longer than max bytes are reported and skipped, as those longer
 * than LD_LINE_MAX are (the default, and the most max can be; it is
 * rounded up to a power of two of at least 256 KiB).  For tests and fuzz
 * targets, which reach the long-line path with less data.  Kept by
 * ld_src_reopen().
 */
void ld_src_set_line_max(struct ld_src *s, size_t max);

/*
 * Stop reading the source, with a message, once more than max bytes have
 * been decoded from it (file bytes and the bytes each decoder gives; 0,
 * the default: no limit).  For fuzz targets, where an input of a few
 * bytes may decode to gigabytes.  Kept by ld_src_reopen().
 */
void ld_src_set_work_max(struct ld_src *s, uint64_t max);

/*
 * A hook called as each unit begins, before its first line is read:
 * unit is its name ("path" or "path!member"), member the member's name
 * (NULL for the source itself), ordinal its place among the source's
 * units from 0.  When it returns 1 the unit is skipped: its data is not
 * read into lines (an archive still decodes past it) and none of its
 * lines is returned.  Set after ld_src_open() or ld_src_reopen(), which
 * clears it; fn NULL removes it.
 */
typedef int (*ld_src_unit_fn)(void *arg, const char *unit,
    const char *member, uint64_t ordinal);
void ld_src_set_unit_hook(struct ld_src *s, ld_src_unit_fn fn, void *arg);

/*
 * Frames of a zstd source not to decode: ranges of the file that each
 * hold whole frames of whole lines (a seekable zstd file, zstd's
 * contrib/seekable_format, cut at line ends; see ld-index(5)).  When the
 * decoder reaches comp_off at the start of a frame, it moves to comp_off
 * + comp_len instead and the line numbers move on by nlines.  Ranges are
 * in file order; the array is borrowed until the source is reopened or
 * closed.  A range that does not begin where a frame does is never
 * reached and so never skipped.
 */
struct ld_src_skip {
	uint64_t comp_off, comp_len, nlines;
};
void ld_src_set_skips(struct ld_src *s, const struct ld_src_skip *v, size_t n);
/* Lines passed over by the skips so far, and compressed bytes not read. */
uint64_t ld_src_skipped_lines(const struct ld_src *s);
uint64_t ld_src_skipped_bytes(const struct ld_src *s);
/* Bytes the zstd decoder has produced so far (0 for other sources). */
uint64_t ld_src_bytes_out(const struct ld_src *s);

/* Bytes read from the underlying file so far (compressed size). */
uint64_t ld_src_bytes_in(const struct ld_src *s);

void ld_src_close(struct ld_src *s);

#endif
