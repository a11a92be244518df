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
 * error that says it was skipped; named itself, it is read.  Free with
 * ld_srclist_free().
 */
void ld_srclist_expand(struct ld_srclist *l, char *const *paths, size_t n);
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
};

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

/* Bytes read from the underlying file so far (compressed size). */
uint64_t ld_src_bytes_in(const struct ld_src *s);

void ld_src_close(struct ld_src *s);

#endif
