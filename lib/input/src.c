/*
 * src.c — reading sources as lines: plain, zstd (libzstd), gzip (zlib),
 * and whatever libarchive reads (xz, bzip2, lz4, tar, zip, and tar inside
 * any of them).
 *
 * Layers, bottom up: the file descriptor; optionally a zstd or gzip
 * decoder over it (the "base"); optionally libarchive over the base, whose
 * entries are the units; and the line splitter, which decodes straight
 * into its own buffer so that a byte is copied as few times as possible.
 *
 * gzip is decoded with zlib rather than libarchive, because libarchive
 * does not check a gzip member's trailer: a corrupt file would come out as
 * garbled lines without a word.  zlib checks the CRC and the length of
 * every member.
 *
 * bzip2 is decoded with libbz2 rather than libarchive too, so that a
 * block's bytes are given out only once its CRC has been checked: libbz2
 * checks it after the block's last byte, and libarchive hands on what it
 * decodes as it comes, so that a corrupt block came out as garbled lines
 * before the damage was reported.  What bz_decode() holds back is one
 * block's decoded bytes at most.
 *
 * What a compressed file holds is decided from its decoded first bytes,
 * never by letting libarchive's tar reader try: that reader takes a block
 * of zeros (what a crash or copytruncate leaves at the start of a log) for
 * the end of an empty archive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
/* For ZSTD_estimateDStreamSize_fromFrame(): what a frame's decoder holds. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "input/src.h"

#define IN_SIZE   LD_SRC_BUF
#define LINE_INIT LD_SRC_BUF
#define ARC_SIZE  LD_SRC_BUF
#define PEEK_SIZE 1024
#define BZHOLD_INIT (4 * LD_SRC_BUF)
/* A bzip2 block holds at most 900 kB before its first run-length coding,
 * which gives at most 51 bytes for 5: what decodes to more is damage. */
#define BZHOLD_MAX ((size_t)48 << 20)
#define BZ_LIMIT 100	/* bz_step(): past ld_src_set_work_max() */

enum base { BASE_FD, BASE_ZSTD, BASE_GZIP, BASE_BZIP2 };
enum mode { MODE_PLAIN, MODE_ARCHIVE };
enum state { ST_START, ST_READ, ST_DONE };

struct ld_src {
	char *path;
	enum state state;
	int fd;
	enum base base;
	enum mode mode;
	/* the file */
	char *in;
	size_t inpos, inlen;
	int in_eof;
	uint64_t bytes_in;
	/* gzip */
	z_stream gz;
	int gz_init;		/* gz holds zlib state */
	int gz_end;		/* at the end of a member */
	int gz_bad;		/* damage found: s->pend says which */
	uint64_t gzmember;	/* members begun */
	/* bzip2 */
	bz_stream bz;
	int bz_init;		/* bz holds libbz2 state */
	int bz_bad;		/* damage found: s->pend says which */
	uint64_t bzstream;	/* streams begun */
	uint64_t bzgood;	/* decoded bytes whose block was checked */
	char *bzhold;		/* decoded bytes not given out yet */
	size_t bzcap, bzlen;	/* its size, and the bytes in it */
	size_t bzpos, bzver;	/* given out, and checked, of those */
	struct bzmem {		/* libbz2's blocks, kept for the next stream */
		void *p;
		size_t n;
		int used;
	} bzmem[4];
	/* zstd */
	ZSTD_DCtx *z;
	size_t zlast;		/* last ZSTD_decompressStream() hint: 0 = frame end */
	uint64_t zout;		/* bytes decoded */
	uint64_t zframe;	/* where the current zstd frame begins */
	uint64_t zframe_out;	/* zout when it began */
	char *peek;		/* decoded bytes looked at before reading */
	size_t peekpos, peeklen;
	/* libarchive */
	struct archive *a;
	char *abuf;
	int in_entry;
	int raw;		/* libarchive's raw format: no members */
	int probe;		/* deciding what a compressed file holds */
	int late_check;		/* the stream checks its data only after giving
				   it (xz, lz4 without block checksums): what
				   damage is found after was read already */
	int seekable;		/* a zip in a regular file: read by its
				   central directory, and read on past a
				   damaged member */
	int64_t apos;		/* offset of the next byte given to libarchive */
	uint64_t nhdr;		/* headers read from the archive */
	struct ld_buf replay;	/* file bytes libarchive saw while probing */
	size_t replaypos;
	char *upeek;		/* the unit's first bytes, read while probing */
	size_t upeekpos, upeeklen;
	const char *blk;	/* the member's current data block */
	size_t blkpos, blklen;
	la_int64_t blkoff;	/* offset just past it */
	/* the current unit and its lines */
	struct ld_buf unit;
	uint64_t unitno;	/* counts the units begun */
	uint64_t lineno;
	char *lb;
	size_t lstart, lend, lscan, lcap;
	int unit_eof;
	int discard;		/* skipping the rest of an over-long line */
	size_t linemax;		/* lines longer are skipped; 0: LD_LINE_MAX */
	uint64_t work, workmax;	/* bytes decoded, and the most (0: no limit) */
	int fatal;		/* nothing more can be read after this unit */
	int haspend;
	struct ld_err pend;
	/* the unit hook */
	ld_src_unit_fn unit_fn;
	void *unit_arg;
	uint64_t unit_ord;
	/* frames not to decode */
	const struct ld_src_skip *skip;
	size_t nskip, skipi;
	uint64_t skip_in, skip_lines;
	uint64_t fpos;		/* offset in the file of the next read */
};

static int unit_begin(struct ld_src *s, const char *member);

/* ---- source lists ---- */

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_add(struct ld_srclist *l, const char *path, const char *error)
{
	l->path = ld_xrealloc(l->path, (l->n + 1) * sizeof(char *));
	l->error = ld_xrealloc(l->error, (l->n + 1) * sizeof(char *));
	l->path[l->n] = ld_xstrdup(path);
	l->error[l->n] = error ? ld_xstrdup(error) : NULL;
	l->n++;
}

/* The directories a walk has read, by device and inode. */
struct dirset {
	struct { dev_t dev; ino_t ino; } *v;
	size_t n;
};

/* Add the directory of st; 0 when it was there already. */
static int
dirset_add(struct dirset *ds, const struct stat *st)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->v[i].dev == st->st_dev && ds->v[i].ino == st->st_ino)
			return 0;
	ds->v = ld_xrealloc(ds->v, (ds->n + 1) * sizeof(*ds->v));
	ds->v[ds->n].dev = st->st_dev;
	ds->v[ds->n].ino = st->st_ino;
	ds->n++;
	return 1;
}

static const char *
special_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	return "not a regular file";
}

/* Is path a sidecar index (lib/index): named P.ldx, and beginning with
 * the index's magic?  Only the name's few files are opened to see. */
static int
is_sidecar(const char *path)
{
	size_t n = strlen(path), k = strlen(LD_SIDECAR_SUFFIX);
	char m[sizeof(LD_SIDECAR_MAGIC) - 1];
	int fd, yes;

	if (n <= k || strcmp(path + n - k, LD_SIDECAR_SUFFIX) != 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	yes = read(fd, m, sizeof(m)) == (ssize_t)sizeof(m) &&
	    memcmp(m, LD_SIDECAR_MAGIC, sizeof(m)) == 0;
	close(fd);
	return yes;
}

static void
expand(struct ld_srclist *l, struct dirset *ds, const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (strcmp(path, "-") == 0) {
		list_add(l, path, NULL);
		return;
	}
	if (stat(path, &st) < 0) {
		list_add(l, path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		/* Named on the command line, anything is read (a pipe from
		 * a process substitution, say); met in a directory, a FIFO
		 * would block the walk and a device never end. */
		if (depth > 0 && !S_ISREG(st.st_mode)) {
			char why[96];

			snprintf(why, sizeof(why), "skipped: %s, not a regular "
			    "file", special_kind(st.st_mode));
			list_add(l, path, why);
			return;
		}
		/* Met in a directory, the sidecar index of a source is
		 * not a log (named itself, it is read as anything is). */
		if (depth > 0 && is_sidecar(path))
			return;
		list_add(l, path, NULL);
		return;
	}
	/* A directory reached again (through a link to . or to a parent,
	 * or two links to one place) was read already: its files are in
	 * the list once. */
	if (!dirset_add(ds, &st))
		return;
	if (depth > 64) {
		list_add(l, path, "directories nested too deep");
		return;
	}
	if ((d = opendir(path)) == NULL) {
		list_add(l, path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = ld_xrealloc(names, (n + 1) * sizeof(char *));
		names[n++] = ld_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(char *), cmp_name);
	for (size_t i = 0; i < n; i++) {
		struct ld_buf p = { 0 };
		size_t pl = strlen(path);

		ld_buf_add(&p, path, pl);
		if (pl == 0 || path[pl - 1] != '/')
			ld_buf_addc(&p, '/');
		ld_buf_adds(&p, names[i]);
		expand(l, ds, p.p, depth + 1);
		ld_buf_free(&p);
		free(names[i]);
	}
	free(names);
}

void
ld_srclist_expand(struct ld_srclist *l, char *const *paths, size_t n)
{
	struct dirset ds = { 0 };

	memset(l, 0, sizeof(*l));
	if (n == 0)
		expand(l, &ds, "-", 0);
	for (size_t i = 0; i < n; i++)
		expand(l, &ds, paths[i], 0);
	free(ds.v);
}

/* Mark every readable entry that is the file of out. */
static void
exclude(struct ld_srclist *l, const struct stat *out)
{
	struct stat st;
	int r;

	for (size_t i = 0; i < l->n; i++) {
		if (l->error[i] != NULL)
			continue;
		if (strcmp(l->path[i], "-") == 0)
			r = fstat(0, &st);
		else
			r = stat(l->path[i], &st);
		if (r == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino)
			l->error[i] = ld_xstrdup("input file is also the output");
	}
}

void
ld_srclist_exclude_fd(struct ld_srclist *l, int fd)
{
	struct stat out;

	if (fstat(fd, &out) < 0 || !S_ISREG(out.st_mode))
		return;
	exclude(l, &out);
}

void
ld_srclist_exclude_path(struct ld_srclist *l, const char *path)
{
	struct stat out;

	if (path == NULL || strcmp(path, "-") == 0 || stat(path, &out) < 0 ||
	    !S_ISREG(out.st_mode))
		return;
	exclude(l, &out);
}

void
ld_srclist_free(struct ld_srclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->path[i]);
		free(l->error[i]);
	}
	free(l->path);
	free(l->error);
	memset(l, 0, sizeof(*l));
}

/* ---- the file and the base ---- */

/* Say that the compressed stream ended in the middle of what (a gzip
 * member, a zstd frame, bzip2 data), after the input read so far and the
 * decoded bytes given out (decoded: "decoded", or "decoded and checked");
 * returns -1. */
static int
truncated(struct ld_src *s, const char *what, uint64_t out, const char *decoded)
{
	return ld_err_set(&s->pend, "%s: truncated %s after %llu bytes (%llu "
	    "%s)", s->path, what, (unsigned long long)s->bytes_in,
	    (unsigned long long)out, decoded);
}

/* Refill the input buffer when it is empty; returns bytes available, 0 at
 * end of file, -1 on a read error (message in s->pend). */
static ssize_t
in_fill(struct ld_src *s)
{
	ssize_t n;

	if (s->inpos < s->inlen)
		return (ssize_t)(s->inlen - s->inpos);
	if (s->in_eof)
		return 0;
	do
		n = read(s->fd, s->in, IN_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		ld_err_set(&s->pend, "%s: read error: %s", s->path, strerror(errno));
		return -1;
	}
	if (n == 0)
		s->in_eof = 1;
	s->inpos = 0;
	s->inlen = (size_t)n;
	s->bytes_in += (uint64_t)n;
	s->fpos += (uint64_t)n;
	return n;
}

/*
 * gzip: every member decoded and checked (CRC-32 and length, by zlib);
 * members follow each other as gzip(1) reads them.  >0, 0 at the end, -1
 * on damage or truncation (message in s->pend).
 */
static ssize_t
gz_decode(struct ld_src *s, char *dst, size_t cap)
{
	ssize_t n;
	int r;

	if (s->gz_bad)
		return -1;
	if (!s->gz_init) {
		memset(&s->gz, 0, sizeof(s->gz));
		if (inflateInit2(&s->gz, 15 + 16) != Z_OK)
			abort();
		s->gz_init = 1;
		s->gz_end = 1;
	}
	s->gz.next_out = (Bytef *)dst;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	s->gz.avail_out = (uInt)cap;
	while (s->gz.avail_out == cap) {
		if ((n = in_fill(s)) < 0)
			return -1;
		if (n == 0) {
			if (!s->gz_end)
				return truncated(s, "gzip data", s->zout,
				    "decoded");
			return 0;
		}
		if (s->gz_end) {
			/* After a member, only another member may follow: NUL
			 * padding (from tape blocks) ends the file. */
			if (s->in[s->inpos] == '\0') {
				for (size_t i = s->inpos; i < s->inlen; i++)
					if (s->in[i] != '\0')
						goto junk;
				s->inpos = s->inlen;
				continue;
			}
			if (s->gzmember > 0 && (unsigned char)s->in[s->inpos] != 0x1f)
				goto junk;
			inflateReset(&s->gz);
			s->gz_end = 0;
			s->gzmember++;
		}
		s->gz.next_in = (Bytef *)s->in + s->inpos;
		s->gz.avail_in = (uInt)(s->inlen - s->inpos);
		r = inflate(&s->gz, Z_NO_FLUSH);
		s->inpos = s->inlen - s->gz.avail_in;
		if (r == Z_STREAM_END)
			s->gz_end = 1;
		else if (r != Z_OK && r != Z_BUF_ERROR) {
			ld_err_set(&s->pend, "%s: corrupt gzip data in member %llu "
			    "near byte %llu: %s", s->path,
			    (unsigned long long)s->gzmember,
			    (unsigned long long)(s->bytes_in - s->inlen + s->inpos),
			    s->gz.msg ? s->gz.msg : "inflate failed");
			goto bad;
		}
	}
	n = (ssize_t)(cap - s->gz.avail_out);
	s->zout += (uint64_t)n;
	return n;
junk:
	ld_err_set(&s->pend, "%s: data that is not gzip after member %llu, at "
	    "byte %llu", s->path, (unsigned long long)s->gzmember,
	    (unsigned long long)(s->bytes_in - s->inlen + s->inpos));
bad:
	/* What this call decoded before the damage is returned first: the
	 * lines before it are read, then the damage is reported. */
	s->gz_bad = 1;
	n = (ssize_t)(cap - s->gz.avail_out);
	s->zout += (uint64_t)n;
	return n > 0 ? n : -1;
}

/* Count n bytes of work; -1 with a message past ld_src_set_work_max(). */
static int
work(struct ld_src *s, size_t n)
{
	s->work += n;
	if (s->workmax == 0 || s->work <= s->workmax)
		return 0;
	return ld_err_set(&s->pend, "%s: more than %llu bytes decoded, the rest "
	    "is not read (the reader's limit)", s->path,
	    (unsigned long long)s->workmax);
}

static const char *
bz_what(int r)
{
	switch (r) {
	case BZ_DATA_ERROR:
		return "a block's CRC or coding is wrong";
	case BZ_DATA_ERROR_MAGIC:
		return "not bzip2 data";
	case BZ_MEM_ERROR:
		return "out of memory";
	default:
		return "decoding failed";
	}
}

/* One call of libbz2 over what it holds and n bytes of s->in into the
 * free part of the hold buffer (grown when full), out bytes of it at
 * most.  Returns libbz2's result; *filled says whether the output space
 * ran out. */
static int
bz_step(struct ld_src *s, size_t n, size_t out, int *filled)
{
	int r;

	if (s->bzlen == s->bzcap) {
		s->bzcap = s->bzcap ? s->bzcap * 2 : BZHOLD_INIT;
		s->bzhold = ld_xrealloc(s->bzhold, s->bzcap);
	}
	s->bz.next_in = s->in + s->inpos;
	s->bz.avail_in = (unsigned)n;
	s->bz.next_out = s->bzhold + s->bzlen;
	if (out > s->bzcap - s->bzlen)
		out = s->bzcap - s->bzlen;
	s->bz.avail_out = (unsigned)out;
	r = BZ2_bzDecompress(&s->bz);
	s->inpos += n - s->bz.avail_in;
	*filled = s->bz.avail_out == 0;
	s->bzlen += out - s->bz.avail_out;
	if (work(s, out - s->bz.avail_out) < 0)
		return BZ_LIMIT;
	return r;
}

/*
 * libbz2's memory.  A stream allocates its state and tables for its block
 * size (3.6 MB for 900k blocks) and frees them at its end: they are kept
 * here instead, for the next stream of this source or of the next file it
 * is reopened on, so that a run of bzip2 files or streams does not map,
 * fault in and unmap megabytes for each.  At most four blocks are kept (a
 * stream holds two or three at once); ld_src_close() frees them.
 */
static void *
bz_alloc(void *opaque, int items, int size)
{
	struct ld_src *s = opaque;
	struct bzmem *m, *spare = NULL;
	size_t n;

	if (items < 0 || size < 0)
		return NULL;
	n = (size_t)items * (size_t)size;
	for (m = s->bzmem; m < s->bzmem + 4; m++) {
		if (m->used)
			continue;
		if (m->p != NULL && m->n == n) {
			m->used = 1;
			return m->p;
		}
		if (spare == NULL || spare->p != NULL)
			spare = m;
	}
	if (spare == NULL)
		return malloc(n);
	free(spare->p);
	spare->n = n;
	spare->used = (spare->p = malloc(n)) != NULL;
	return spare->p;
}

static void
bz_free(void *opaque, void *p)
{
	struct ld_src *s = opaque;

	for (struct bzmem *m = s->bzmem; m < s->bzmem + 4; m++)
		if (m->used && m->p == p) {
			m->used = 0;
			return;
		}
	free(p);
}

/*
 * bzip2: streams one after the other, as bzip2(1) reads them, and the
 * bytes of a block given out only once libbz2 has checked its CRC.  libbz2
 * checks a block's CRC as it writes the block's last byte, and reads no
 * input for the next block before that: so the decoder is first run dry
 * (no input), which writes what is left of the current block and checks
 * it, and only then given input, with room for one byte of output: it
 * reads the next block whole, and stops at its first byte (were there
 * room, it would write the block, check it and go on to the next ones,
 * and which bytes were checked could not be told).  >0, 0 at the end, -1 on damage or
 * truncation (message in s->pend; the block that holds the damage is not
 * given out).
 */
static ssize_t
bz_decode(struct ld_src *s, char *dst, size_t cap)
{
	ssize_t n;
	int r, filled;

	for (;;) {
		if (s->bzpos < s->bzver) {
			size_t k = s->bzver - s->bzpos;

			if (k > cap)
				k = cap;
			memcpy(dst, s->bzhold + s->bzpos, k);
			s->bzpos += k;
			if (s->bzpos == s->bzlen)
				s->bzpos = s->bzver = s->bzlen = 0;
			s->zout += k;
			return (ssize_t)k;
		}
		if (s->bz_bad)
			return -1;
		if (s->bzpos > 0) {
			/* Make room: what was given out goes. */
			memmove(s->bzhold, s->bzhold + s->bzpos, s->bzlen - s->bzpos);
			s->bzlen -= s->bzpos;
			s->bzver -= s->bzpos;
			s->bzpos = 0;
		}
		if (!s->bz_init) {
			/* Between streams: another one, NUL padding, or junk. */
			if ((n = in_fill(s)) < 0)
				return -1;
			if (n == 0)
				return 0;
			if (s->in[s->inpos] == '\0') {
				for (size_t i = s->inpos; i < s->inlen; i++)
					if (s->in[i] != '\0')
						goto junk;
				s->inpos = s->inlen;
				continue;
			}
			if (s->bzstream > 0 && s->in[s->inpos] != 'B')
				goto junk;
			memset(&s->bz, 0, sizeof(s->bz));
			s->bz.bzalloc = bz_alloc;
			s->bz.bzfree = bz_free;
			s->bz.opaque = s;
			if (BZ2_bzDecompressInit(&s->bz, 0, 0) != BZ_OK)
				abort();
			s->bz_init = 1;
			s->bzstream++;
		}
		/* Run dry: the rest of the current block, then its check. */
		r = bz_step(s, 0, SIZE_MAX, &filled);
		if (r == BZ_LIMIT)
			goto limit;
		if (r != BZ_OK && r != BZ_STREAM_END)
			goto bad;
		if (r == BZ_STREAM_END || !filled) {
			/* Every byte written so far is of checked blocks. */
			s->bzgood += s->bzlen - s->bzver;
			s->bzver = s->bzlen;
		} else if (s->bzlen >= BZHOLD_MAX) {
			r = BZ_DATA_ERROR;
			goto bad;
		}
		if (r == BZ_STREAM_END) {
			BZ2_bzDecompressEnd(&s->bz);
			s->bz_init = 0;
			continue;
		}
		if (filled || s->bzver > s->bzpos)
			continue;
		/* Dry and checked: input for the next block. */
		if ((n = in_fill(s)) < 0)
			return -1;
		if (n == 0) {
			s->bz_bad = 1;
			return truncated(s, "bzip2 data", s->bzgood,
			    "decoded and checked");
		}
		r = bz_step(s, (size_t)n, 1, &filled);
		if (r == BZ_LIMIT)
			goto limit;
		if (r == BZ_STREAM_END) {
			s->bzgood += s->bzlen - s->bzver;
			s->bzver = s->bzlen;
			BZ2_bzDecompressEnd(&s->bz);
			s->bz_init = 0;
		} else if (r != BZ_OK)
			goto bad;
	}
limit:
	s->bz_bad = 1;	/* work() said why */
	return -1;
junk:
	ld_err_set(&s->pend, "%s: data that is not bzip2 after stream %llu, at "
	    "byte %llu", s->path, (unsigned long long)s->bzstream,
	    (unsigned long long)(s->bytes_in - s->inlen + s->inpos));
	s->bz_bad = 1;
	return -1;
bad:
	ld_err_set(&s->pend, "%s: corrupt bzip2 data in stream %llu, after "
	    "%llu bytes decoded and checked: %s; the block is not read",
	    s->path, (unsigned long long)s->bzstream,
	    (unsigned long long)s->bzgood, bz_what(r));
	s->bz_bad = 1;
	return -1;
}

/* The offset in the file of the next byte to decode. */
static uint64_t
file_pos(const struct ld_src *s)
{
	return s->fpos - (s->inlen - s->inpos);
}

/* At a frame boundary: when a skip range starts here, move past it.
 * Returns 0, or -1 on a seek error (message in s->pend). */
static int
skip_frame(struct ld_src *s)
{
	const struct ld_src_skip *k;
	uint64_t pos = file_pos(s);

	while (s->skipi < s->nskip && s->skip[s->skipi].comp_off < pos)
		s->skipi++;	/* behind us: never reached at a boundary */
	if (s->skipi == s->nskip || s->skip[s->skipi].comp_off != pos)
		return 0;
	k = &s->skip[s->skipi++];
	if (lseek(s->fd, (off_t)(k->comp_off + k->comp_len), SEEK_SET) < 0)
		return ld_err_set(&s->pend, "%s: seek error: %s", s->path,
		    strerror(errno));
	s->fpos = k->comp_off + k->comp_len;
	s->skip_in += k->comp_len;
	s->inpos = s->inlen = 0;
	s->in_eof = 0;
	s->lineno += k->nlines;
	s->skip_lines += k->nlines;
	return 0;
}

/* When the first skip range starts the file: what detect() decoded of it
 * is dropped, the decoder starts afresh, and the range is skipped. */
static int
skip_first(struct ld_src *s)
{
	if (s->base != BASE_ZSTD || s->haspend || s->nskip == 0 ||
	    s->skip[0].comp_off != 0)
		return 0;
	s->peekpos = s->peeklen;
	ZSTD_DCtx_reset(s->z, ZSTD_reset_session_only);
	s->zlast = 0;
	s->fpos = 0;
	s->inpos = s->inlen = 0;
	return skip_frame(s);
}

static ssize_t decode1(struct ld_src *, char *, size_t);

/* Decoded bytes from the file into dst: >0, 0 at end, -1 on damage. */
static ssize_t
decode(struct ld_src *s, char *dst, size_t cap)
{
	ssize_t n = decode1(s, dst, cap);

	/* bzip2 counts what it decodes as it holds it (bz_step). */
	if (n > 0 && s->base != BASE_BZIP2 && work(s, (size_t)n) < 0)
		return -1;
	return n;
}

static ssize_t
decode1(struct ld_src *s, char *dst, size_t cap)
{
	ZSTD_outBuffer out;
	ZSTD_inBuffer zin;
	ssize_t n;

	if (s->base == BASE_FD) {
		if ((n = in_fill(s)) <= 0)
			return n;
		if ((size_t)n > cap)
			n = (ssize_t)cap;
		memcpy(dst, s->in + s->inpos, (size_t)n);
		s->inpos += (size_t)n;
		return n;
	}
	if (s->base == BASE_GZIP)
		return gz_decode(s, dst, cap);
	if (s->base == BASE_BZIP2)
		return bz_decode(s, dst, cap);
	out = (ZSTD_outBuffer){ dst, cap, 0 };
	while (out.pos == 0) {
		/* Only once lines are being read and what detect() looked
		 * at is handed out, so that every line before is numbered. */
		if (s->zlast == 0 && s->skipi < s->nskip && s->in_entry &&
		    s->peekpos >= s->peeklen && skip_frame(s) < 0)
			return -1;
		if ((n = in_fill(s)) < 0)
			return -1;
		if (n == 0) {
			if (s->zlast != 0)
				return truncated(s, "zstd frame", s->zout,
				    "decoded");
			return 0;
		}
		zin = (ZSTD_inBuffer){ s->in, s->inlen, s->inpos };
		if (s->zlast == 0) {
			/* A new frame begins here. */
			s->zframe = s->bytes_in - s->inlen + s->inpos;
			s->zframe_out = s->zout + out.pos;
		}
		s->zlast = ZSTD_decompressStream(s->z, &out, &zin);
		s->inpos = zin.pos;
		if (ZSTD_isError(s->zlast)) {
			/* Where the decoder stopped is where it noticed (the
			 * frame's checksum, often), not where the damage is:
			 * name the frame and how much of it was decoded. */
			ld_err_set(&s->pend, "%s: corrupt zstd frame at byte %llu, "
			    "after %llu bytes decoded from it: %s", s->path,
			    (unsigned long long)s->zframe,
			    (unsigned long long)(s->zout + out.pos - s->zframe_out),
			    ZSTD_getErrorName(s->zlast));
			return -1;
		}
		/* With frames to skip, stop where a frame ends: the lines
		 * before are handed out before the numbering moves on. */
		if (s->zlast == 0 && s->skipi < s->nskip && out.pos > 0)
			break;
	}
	s->zout += out.pos;
	return (ssize_t)out.pos;
}

/* The base: what detect() looked at first, then the rest of the file. */
static ssize_t
base_fill(struct ld_src *s, char *dst, size_t cap)
{
	if (s->peekpos < s->peeklen) {
		size_t k = s->peeklen - s->peekpos;

		if (k > cap)
			k = cap;
		memcpy(dst, s->peek + s->peekpos, k);
		s->peekpos += k;
		return (ssize_t)k;
	}
	return decode(s, dst, cap);
}

static la_ssize_t
arc_read(struct archive *a, void *ud, const void **buf)
{
	struct ld_src *s = ud;
	ssize_t n;

	/* What libarchive read while probing, again, for its second open. */
	if (!s->probe && s->replaypos < s->replay.len) {
		n = (ssize_t)(s->replay.len - s->replaypos);
		*buf = s->replay.p + s->replaypos;
		s->replaypos = s->replay.len;
		return n;
	}
	n = base_fill(s, s->abuf, ARC_SIZE);
	if (n < 0) {
		/* decode() wrote "path: what"; libarchive's message is shown
		 * after the member's name, so give it just "what". */
		size_t pl = strlen(s->path) + 2;

		archive_set_error(a, EIO, "%s", strlen(s->pend.msg) > pl ?
		    s->pend.msg + pl : s->pend.msg);
		return -1;
	}
	if (s->probe && n > 0)
		ld_buf_add(&s->replay, s->abuf, (size_t)n);
	s->apos += n;
	*buf = s->abuf;
	return n;
}

/* Seeking, for the zip reader of a regular file: the buffered bytes are
 * dropped and the file read again from the offset. */
static la_int64_t
arc_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct ld_src *s = ud;
	off_t r;

	if (whence == SEEK_CUR) {
		off += s->apos;
		whence = SEEK_SET;
	}
	if ((r = lseek(s->fd, (off_t)off, whence)) < 0) {
		archive_set_error(a, errno, "seek: %s", strerror(errno));
		return ARCHIVE_FATAL;
	}
	s->inpos = s->inlen = 0;
	s->in_eof = 0;
	s->apos = (int64_t)r;
	return (la_int64_t)r;
}

static int
is_tar(const unsigned char *p, size_t n)
{
	return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

static int
is_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static int
is_bzip2(const unsigned char *p, size_t n)
{
	return n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9';
}

/* Compressed by a filter libarchive decodes: what it holds is probed. */
static int
is_compressed(const unsigned char *p, size_t n)
{
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return 1;	/* xz */
	if (n >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0)
		return 1;	/* lz4 */
	return 0;
}

/* An archive format, uncompressed. */
static int
is_archive(const unsigned char *p, size_t n)
{
	if (n >= 4 && (memcmp(p, "PK\x03\x04", 4) == 0 ||
	    memcmp(p, "PK\x05\x06", 4) == 0))
		return 1;	/* zip */
	if (n >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return 1;	/* 7-zip */
	if (n >= 6 && (memcmp(p, "070707", 6) == 0 ||
	    memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0))
		return 1;	/* cpio */
	return is_tar(p, n);
}

static int
is_zstd(const unsigned char *p, size_t n)
{
	if (n < 4)
		return 0;
	if (memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return 1;
	/* a skippable frame: 0x184D2A5? little-endian */
	return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

enum arc_kind {
	ARC_TAR,	/* a tar stream (decoded by the base) */
	ARC_ANY,	/* an uncompressed archive: zip, 7-zip, cpio, tar */
	ARC_ZIP,	/* a zip in a regular file, read with seeks */
	ARC_PROBE,	/* compressed by a filter: no format but raw yet */
	ARC_FILTERED	/* compressed, and found to hold an archive */
};

static int
open_archive(struct ld_src *s, enum arc_kind kind)
{
	s->a = archive_read_new();
	/* Only real archive formats: libarchive's mtree reader, for one,
	 * would take a text log for a file list and yield nothing; and
	 * the tar reader is only ever given what was seen to be a tar. */
	switch (kind) {
	case ARC_TAR:
		archive_read_support_format_tar(s->a);
		break;
	case ARC_ANY:
		archive_read_support_format_tar(s->a);
		archive_read_support_format_zip(s->a);
		archive_read_support_format_7zip(s->a);
		archive_read_support_format_cpio(s->a);
		break;
	case ARC_ZIP:
		archive_read_support_format_zip_seekable(s->a);
		break;
	case ARC_PROBE:
		archive_read_support_filter_all(s->a);
		archive_read_support_format_raw(s->a);
		break;
	case ARC_FILTERED:
		archive_read_support_filter_all(s->a);
		archive_read_support_format_tar(s->a);
		archive_read_support_format_cpio(s->a);
		break;
	}
	if (s->abuf == NULL)
		s->abuf = ld_xmalloc(ARC_SIZE);
	s->probe = kind == ARC_PROBE;
	s->seekable = kind == ARC_ZIP;
	s->nhdr = 0;
	archive_read_set_callback_data(s->a, s);
	archive_read_set_read_callback(s->a, arc_read);
	if (s->seekable)
		archive_read_set_seek_callback(s->a, arc_seek);
	if (archive_read_open1(s->a) != ARCHIVE_OK) {
		ld_err_set(&s->pend, "%s: %s", s->path, archive_error_string(s->a)
		    ? archive_error_string(s->a) : "not a readable archive");
		return -1;
	}
	s->mode = MODE_ARCHIVE;
	return 0;
}

/*
 * A file compressed by xz, bzip2 or lz4: decode its first bytes through
 * libarchive's raw format and look at them.  An archive inside is read
 * by a second libarchive, fed first what the probe read; anything else is
 * the one unit, read on from the probe (its first bytes from s->upeek).
 */
static int
probe_filtered(struct ld_src *s)
{
	struct archive_entry *e;
	const void *blk;
	size_t size, k;
	la_int64_t off;
	int r;

	/* lz4 frames with block checksums are checked block by block by
	 * libarchive before a block is given; xz blocks and other lz4
	 * frames only after. */
	s->late_check = !(s->inlen >= 5 &&
	    memcmp(s->in, "\x04\x22\x4d\x18", 4) == 0 && (s->in[4] & 0x10));
	if (open_archive(s, ARC_PROBE) < 0)
		return -1;
	if (s->upeek == NULL)
		s->upeek = ld_xmalloc(PEEK_SIZE);
	r = archive_read_next_header(s->a, &e);
	if (r == ARCHIVE_EOF)
		goto plain;
	if (r != ARCHIVE_OK)
		return ld_err_set(&s->pend, "%s: %s", s->path,
		    archive_error_string(s->a) ? archive_error_string(s->a) :
		    "damaged data");
	while (s->upeeklen < PEEK_SIZE) {
		r = archive_read_data_block(s->a, &blk, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			/* Report it after the lines before it. */
			ld_err_set(&s->pend, "%s: %s", s->path,
			    archive_error_string(s->a) ? archive_error_string(s->a)
			    : "damaged data");
			s->haspend = 1;
			s->fatal = 1;
			break;
		}
		k = PEEK_SIZE - s->upeeklen < size ? PEEK_SIZE - s->upeeklen : size;
		memcpy(s->upeek + s->upeeklen, blk, k);
		s->upeeklen += k;
		if (k < size) {
			/* The rest of the block is read from where it is. */
			s->blk = (const char *)blk + k;
			s->blklen = size - k;
			s->blkoff = off + (la_int64_t)size;
			break;
		}
		s->blkoff = off + (la_int64_t)size;
	}
	if (!s->haspend && (is_archive((unsigned char *)s->upeek, s->upeeklen) &&
	    !is_gzip((unsigned char *)s->upeek, s->upeeklen))) {
		archive_read_free(s->a);
		s->a = NULL;
		s->upeeklen = 0;
		s->blk = NULL;
		s->blklen = s->blkpos = 0;
		s->blkoff = 0;
		s->replaypos = 0;
		return open_archive(s, ARC_FILTERED);
	}
plain:
	s->probe = 0;
	ld_buf_free(&s->replay);
	s->raw = 1;
	if (unit_begin(s, NULL)) {
		/* the unit hook (an index) proves the stream out of scope */
		s->state = ST_DONE;
		return 0;
	}
	s->in_entry = 1;
	return 0;
}

static int zip_has_directory(struct ld_src *s);

/* Open the file and find out what it holds. */
static int
detect(struct ld_src *s)
{
	ssize_t n;

	if (strcmp(s->path, "-") == 0)
		s->fd = 0;
	else if ((s->fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0)
		return ld_err_set(&s->pend, "%s: %s", s->path, strerror(errno));
	if (s->in == NULL)
		s->in = ld_xmalloc(IN_SIZE);
	/* Read until the magic numbers can be seen (a tar header is 512). */
	while (s->inlen < 512 && !s->in_eof) {
		do
			n = read(s->fd, s->in + s->inlen, IN_SIZE - s->inlen);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return ld_err_set(&s->pend, "%s: read error: %s", s->path,
			    strerror(errno));
		if (n == 0)
			s->in_eof = 1;
		s->inlen += (size_t)n;
		s->bytes_in += (uint64_t)n;
		s->fpos += (uint64_t)n;
	}
	if (is_zstd((unsigned char *)s->in, s->inlen) ||
	    is_gzip((unsigned char *)s->in, s->inlen) ||
	    is_bzip2((unsigned char *)s->in, s->inlen)) {
		if (is_gzip((unsigned char *)s->in, s->inlen))
			s->base = BASE_GZIP;
		else if (is_bzip2((unsigned char *)s->in, s->inlen))
			s->base = BASE_BZIP2;
		else {
			s->base = BASE_ZSTD;
			if (s->z == NULL && (s->z = ZSTD_createDCtx()) == NULL)
				abort();
			s->zlast = 1;
		}
		if (s->peek == NULL)
			s->peek = ld_xmalloc(PEEK_SIZE);
		while (s->peeklen < PEEK_SIZE) {
			n = decode(s, s->peek + s->peeklen, PEEK_SIZE - s->peeklen);
			if (n < 0) {
				s->haspend = 1;	/* report after the lines before it */
				break;
			}
			if (n == 0)
				break;
			s->peeklen += (size_t)n;
		}
		if (is_tar((unsigned char *)s->peek, s->peeklen) && !s->haspend)
			return open_archive(s, ARC_TAR);
		return 0;
	}
	if (is_compressed((unsigned char *)s->in, s->inlen))
		return probe_filtered(s);
	if (is_archive((unsigned char *)s->in, s->inlen)) {
		struct stat st;

		if (s->inlen >= 4 && memcmp(s->in, "PK", 2) == 0 &&
		    fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    zip_has_directory(s))
			return open_archive(s, ARC_ZIP);
		return open_archive(s, ARC_ANY);
	}
	return 0;
}

/* Rewind a regular file to its start, dropping what was buffered. */
static int
rewind_fd(struct ld_src *s)
{
	if (lseek(s->fd, 0, SEEK_SET) != 0)
		return -1;
	s->inpos = s->inlen = 0;
	s->in_eof = 0;
	s->apos = 0;
	return 0;
}

/*
 * Can the zip in this regular file be read by its central directory?  A
 * zip cut short has none, and is better read member by member from the
 * start: the members before the cut are whole.  The file is left rewound.
 */
static int
zip_has_directory(struct ld_src *s)
{
	struct archive_entry *e;
	int ok;

	if (rewind_fd(s) < 0)
		return 0;
	if (open_archive(s, ARC_ZIP) < 0)
		ok = 0;
	else
		ok = archive_read_next_header(s->a, &e) >= ARCHIVE_WARN;
	archive_read_free(s->a);
	s->a = NULL;
	s->mode = MODE_PLAIN;
	return rewind_fd(s) == 0 && ok;
}

/*
 * After a damaged member of a zip whose central directory says where
 * every member is: open the zip again and go on at the member after the
 * damaged one.  Returns 0, or -1 when that cannot be done (the damage was
 * reported already; err says why nothing more is read).
 */
static int
zip_resume(struct ld_src *s, struct ld_err *err)
{
	struct archive_entry *e;
	uint64_t skip = s->nhdr;

	archive_read_free(s->a);
	s->a = NULL;
	s->blk = NULL;
	s->blkpos = s->blklen = 0;
	if (rewind_fd(s) < 0 || open_archive(s, ARC_ZIP) < 0)
		return ld_err_set(err, "%s: cannot read the members after the "
		    "damage: %s", s->path, s->pend.msg);
	for (uint64_t i = 0; i < skip; i++)
		if (archive_read_next_header(s->a, &e) != ARCHIVE_OK)
			return ld_err_set(err, "%s: cannot read the members after "
			    "the damage", s->path);
	s->nhdr = skip;
	return 0;
}

/*
 * The memory a decoder holds for a stream beginning with p[0..n): zstd
 * says it for its frame (the window and its buffers); libbz2 takes 400 kB
 * of tables per 100 kB of block size and we hold a block's output until
 * its CRC is checked; xz's LZMA2 holds its dictionary (its size is in the
 * first block's header, read here; when it cannot be, xz -6's 8 MiB);
 * zlib 32 KiB of window and its state.
 */
static uint64_t
stream_memory(const unsigned char *p, size_t n)
{
	size_t z;

	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) {
		z = ZSTD_estimateDStreamSize_fromFrame(p, n);
		return ZSTD_isError(z) ? 0 : z;
	}
	if (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return (uint64_t)(p[3] - '0') * 100000 * 4 + (64 << 10) +
		    BZHOLD_INIT;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) {
		/* The stream header (12 bytes), then the first block's: its
		 * size, flags (the filter count; compressed and
		 * uncompressed sizes present), the sizes (varints), and the
		 * filters: LZMA2 (0x21) has one byte of properties, the
		 * dictionary size. */
		size_t i = 12, k;

		if (n > i + 2 && p[i] != 0) {
			unsigned flags = p[i + 1];

			i += 2;
			for (k = 0; k < 2; k++)
				if (flags & (0x40u << k))
					while (i < n && (p[i++] & 0x80))
						;
			if (i + 2 < n && p[i] == 0x21 && p[i + 1] == 1 &&
			    p[i + 2] <= 40)
				return (p[i + 2] == 40 ? (uint64_t)1 << 32 :
				    (uint64_t)(2 | (p[i + 2] & 1)) <<
				    (p[i + 2] / 2 + 11)) + (64 << 10);
		}
		return (uint64_t)8 << 20;
	}
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return (uint64_t)48 << 10;
	return 0;
}

uint64_t
ld_src_decoder_memory(const char *path)
{
	unsigned char head[64];
	struct stat st;
	ssize_t n = 0;
	int fd;

	/* Not a FIFO or a device: their bytes are for the reader, and even
	 * opening a FIFO would let its writer start. */
	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 ||
	    !S_ISREG(st.st_mode) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, head, sizeof(head));
	close(fd);
	return n > 0 ? stream_memory(head, (size_t)n) : 0;
}

uint64_t
ld_src_memory(const char *path)
{
	return LD_SRC_MEMORY + ld_src_decoder_memory(path);
}

int
ld_processors(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

struct ld_src *
ld_src_open(const char *path)
{
	struct ld_src *s = ld_xcalloc(1, sizeof(*s));

	s->path = ld_xstrdup(path);
	s->fd = -1;
	return s;
}

uint64_t
ld_src_bytes_in(const struct ld_src *s)
{
	return s->bytes_in;
}

void
ld_src_reopen(struct ld_src *s, const char *path)
{
	struct ld_src keep;

	/* zlib knows its stream by address: ended here, not in the copy. */
	if (s->gz_init)
		inflateEnd(&s->gz);
	if (s->bz_init)
		BZ2_bzDecompressEnd(&s->bz);
	keep = *s;
	if (s->a)
		archive_read_free(s->a);
	if (s->fd > 0)
		close(s->fd);
	free(s->path);
	if (keep.z)
		ZSTD_DCtx_reset(keep.z, ZSTD_reset_session_only);
	ld_buf_free(&keep.replay);
	memset(s, 0, sizeof(*s));
	s->path = ld_xstrdup(path);
	s->fd = -1;
	s->in = keep.in;
	s->z = keep.z;
	s->peek = keep.peek;
	s->abuf = keep.abuf;
	s->upeek = keep.upeek;
	s->lb = keep.lb;
	s->lcap = keep.lcap;
	s->linemax = keep.linemax;
	s->bzhold = keep.bzhold;
	s->bzcap = keep.bzcap;
	memcpy(s->bzmem, keep.bzmem, sizeof(s->bzmem));
	s->workmax = keep.workmax;
	s->unit = keep.unit;
	s->unitno = keep.unitno;
}

void
ld_src_close(struct ld_src *s)
{
	if (s == NULL)
		return;
	if (s->a)
		archive_read_free(s->a);
	if (s->fd > 0)
		close(s->fd);
	ZSTD_freeDCtx(s->z);
	if (s->bz_init)
		BZ2_bzDecompressEnd(&s->bz);
	free(s->bzhold);
	for (size_t i = 0; i < 4; i++)
		free(s->bzmem[i].p);
	if (s->gz_init)
		inflateEnd(&s->gz);
	ld_buf_free(&s->replay);
	free(s->upeek);
	free(s->in);
	free(s->peek);
	free(s->abuf);
	free(s->lb);
	free(s->path);
	ld_buf_free(&s->unit);
	free(s);
}

/* ---- units and lines ---- */

void
ld_src_set_work_max(struct ld_src *s, uint64_t max)
{
	s->workmax = max;
}

void
ld_src_set_line_max(struct ld_src *s, size_t max)
{
	size_t m = LINE_INIT;

	while (m < max && m < LD_LINE_MAX)
		m *= 2;
	s->linemax = m;
}

void
ld_src_set_skips(struct ld_src *s, const struct ld_src_skip *v, size_t n)
{
	s->skip = v;
	s->nskip = n;
	s->skipi = 0;
}

uint64_t
ld_src_skipped_lines(const struct ld_src *s)
{
	return s->skip_lines;
}

uint64_t
ld_src_skipped_bytes(const struct ld_src *s)
{
	return s->skip_in;
}

uint64_t
ld_src_bytes_out(const struct ld_src *s)
{
	return s->zout;
}

void
ld_src_set_unit_hook(struct ld_src *s, ld_src_unit_fn fn, void *arg)
{
	s->unit_fn = fn;
	s->unit_arg = arg;
}

/* Begin a unit; returns 1 when the hook says to skip it. */
static int
unit_begin(struct ld_src *s, const char *member)
{
	ld_buf_reset(&s->unit);
	ld_buf_adds(&s->unit, s->path);
	if (member) {
		ld_buf_addc(&s->unit, '!');
		ld_buf_adds(&s->unit, member);
	}
	s->lineno = 0;
	s->unitno++;
	s->lstart = s->lend = s->lscan = 0;
	s->unit_eof = 0;
	s->discard = 0;
	if (s->lb == NULL) {
		s->lcap = LINE_INIT;
		s->lb = ld_xmalloc(s->lcap);
	}
	return s->unit_fn && s->unit_fn(s->unit_arg, s->unit.p, member,
	    s->unit_ord++);
}

/* Move to the next regular-file entry of the archive: 1, 0 at the end,
 * -1 on damage (fatal), 2 when the entry is there but libarchive warned
 * of damage in its header (err says what; the entry is read). */
static int
next_entry(struct ld_src *s, struct ld_err *err)
{
	struct archive_entry *e;
	int r;

	for (;;) {
		r = archive_read_next_header(s->a, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		s->nhdr++;
		if (r < ARCHIVE_WARN) {
			ld_err_set(err, "%s: %s", s->path, archive_error_string(s->a)
			    ? archive_error_string(s->a) : "damaged archive");
			return -1;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		s->raw = archive_format(s->a) == ARCHIVE_FORMAT_RAW;
		if (unit_begin(s, s->raw ? NULL : archive_entry_pathname(e))) {
			/* Skipped by the hook: move past its data. */
			if (archive_read_data_skip(s->a) < ARCHIVE_WARN) {
				ld_err_set(err, "%s: %s", s->unit.p,
				    archive_error_string(s->a) ?
				    archive_error_string(s->a) : "damaged member");
				return -1;
			}
			continue;
		}
		s->blk = NULL;
		s->blkpos = s->blklen = 0;
		s->blkoff = 0;
		s->in_entry = 1;
		if (r == ARCHIVE_WARN) {
			ld_err_set(err, "%s: %s", s->unit.p,
			    archive_error_string(s->a) ? archive_error_string(s->a)
			    : "damaged header");
			return 2;
		}
		return 1;
	}
}

/*
 * Bytes of the current unit into dst.  Archive data is taken block by
 * block: archive_read_data() would fill the whole request and drop what it
 * had copied when the stream breaks halfway, losing the lines before the
 * damage.
 */
static ssize_t
unit_fill(struct ld_src *s, char *dst, size_t cap)
{
	const void *blk;
	const char *nl;
	size_t size, k;
	la_int64_t off;
	int r;

	if (s->mode == MODE_PLAIN)
		return base_fill(s, dst, cap);
	if (s->upeekpos < s->upeeklen) {
		k = s->upeeklen - s->upeekpos;
		if (k > cap)
			k = cap;
		memcpy(dst, s->upeek + s->upeekpos, k);
		s->upeekpos += k;
		return (ssize_t)k;
	}
	while (s->blkpos >= s->blklen) {
		r = archive_read_data_block(s->a, &blk, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			/* Every warning is damage: libarchive warns of a zip
			 * member whose CRC does not match, for one. */
			ld_err_set(&s->pend, "%s: %s", s->unit.p,
			    archive_error_string(s->a) ? archive_error_string(s->a)
			    : "damaged member");
			/* A bad member of an intact archive (a zip CRC error)
			 * leaves the next members readable; a broken stream not. */
			return r == ARCHIVE_FATAL ? -1 : -2;
		}
		if (work(s, size) < 0)
			return -1;
		if (off > s->blkoff) {
			/* A sparse hole: it reads as zero bytes, which no log has;
			 * report it rather than invent lines. */
			ld_err_set(&s->pend, "%s: sparse member not supported",
			    s->unit.p);
			return -2;
		}
		s->blk = blk;
		s->blklen = size;
		s->blkpos = 0;
		s->blkoff = off + (la_int64_t)size;
	}
	k = s->blklen - s->blkpos;
	if (k > cap)
		k = cap;
	/* Only through the end of the line: the lines after it are read in
	 * place from the block (see ld_src_next). */
	if ((nl = memchr(s->blk + s->blkpos, '\n', k)) != NULL)
		k = (size_t)(nl - (s->blk + s->blkpos)) + 1;
	memcpy(dst, s->blk + s->blkpos, k);
	s->blkpos += k;
	return (ssize_t)k;
}

/*
 * At the end of a tar read through our own decoder: libarchive stops at
 * the tar's end marker, but the compressed stream goes on (the rest of
 * the tar's last record, the gzip trailer, more frames).  It is decoded
 * to its end, so that a truncated or corrupt stream is reported even when
 * every member was whole.  -1 with s->pend on damage.
 */
static int
drain(struct ld_src *s)
{
	ssize_t n;

	if (s->base == BASE_FD || s->abuf == NULL)
		return 0;
	while ((n = decode(s, s->abuf, ARC_SIZE)) > 0)
		;
	return n < 0 ? -1 : 0;
}

static void
emit_at(struct ld_src *s, struct ld_line *l, const char *p, size_t n, int nl)
{
	l->rawn = n + (nl != 0);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	l->p = p;
	l->n = n;
	l->unit = s->unit.p;
	l->unitno = s->unitno;
	l->lineno = ++s->lineno;
}

static void
emit(struct ld_src *s, struct ld_line *l, size_t start, size_t end, int nl)
{
	emit_at(s, l, s->lb + start, end - start, nl);
}

int
ld_src_next(struct ld_src *s, struct ld_line *l, struct ld_err *err)
{
	char *nl;
	ssize_t n;

	if (s->state == ST_START) {
		s->state = ST_READ;
		if (detect(s) < 0) {
			s->state = ST_DONE;
			*err = s->pend;
			return -1;
		}
		if (s->mode == MODE_PLAIN) {
			if (unit_begin(s, NULL)) {
				s->state = ST_DONE;
				return 0;
			}
			s->in_entry = 1;
			if (skip_first(s) < 0) {
				s->state = ST_DONE;
				*err = s->pend;
				return -1;
			}
		}
	}
	for (;;) {
		if (s->state == ST_DONE)
			return 0;
		if (!s->in_entry) {
			int r;

			if (s->fatal && s->seekable) {
				/* Each damaged member is passed once: nhdr grows. */
				s->fatal = 0;
				if (zip_resume(s, err) < 0) {
					s->state = ST_DONE;
					return -1;
				}
			}
			if (s->fatal) {
				s->state = ST_DONE;
				continue;
			}
			if (s->mode == MODE_PLAIN) {
				s->state = ST_DONE;
				continue;
			}
			if ((r = next_entry(s, err)) <= 0) {
				s->state = ST_DONE;
				if (r < 0)
					return -1;
				if (drain(s) < 0) {
					*err = s->pend;
					return -1;
				}
				continue;
			}
			if (r == 2)
				return -1;
		}
		if (s->lscan < s->lend &&
		    (nl = memchr(s->lb + s->lscan, '\n', s->lend - s->lscan)) != NULL) {
			size_t start = s->lstart, end = (size_t)(nl - s->lb);

			s->lstart = s->lscan = end + 1;
			if (s->discard) {
				s->discard = 0;
				continue;
			}
			emit(s, l, start, end, 1);
			return 1;
		}
		s->lscan = s->lend;
		/* No partial line held: take whole lines straight from the
		 * archive's block, without copying them. */
		if (s->lstart == s->lend && !s->discard && s->blkpos < s->blklen &&
		    s->upeekpos >= s->upeeklen &&
		    (nl = memchr(s->blk + s->blkpos, '\n', s->blklen -
		    s->blkpos)) != NULL && (size_t)(nl - (s->blk + s->blkpos)) <
		    (s->linemax ? s->linemax : LD_LINE_MAX)) {
			const char *p = s->blk + s->blkpos;

			s->blkpos += (size_t)(nl - p) + 1;
			emit_at(s, l, p, (size_t)(nl - p), 1);
			return 1;
		}
		if (s->unit_eof) {
			if (s->lend > s->lstart && !s->discard) {
				size_t start = s->lstart;

				s->lstart = s->lscan = s->lend;
				emit(s, l, start, s->lend, 0);
				return 1;
			}
			s->in_entry = 0;
			if (s->haspend) {
				s->haspend = 0;
				if (s->late_check && s->lineno > 0)
					ld_err_set(err, "%s; lines 1 to %llu of %s were "
					    "read before it was found and may hold the "
					    "damage (the format checks its data after "
					    "giving it)", s->pend.msg,
					    (unsigned long long)s->lineno, s->unit.p);
				else
					*err = s->pend;
				return -1;
			}
			continue;
		}
		/* Need more bytes: compact, grow, or give up on the line. */
		if (s->lstart > 0) {
			memmove(s->lb, s->lb + s->lstart, s->lend - s->lstart);
			s->lend -= s->lstart;
			s->lscan -= s->lstart;
			s->lstart = 0;
		}
		if (s->lend == s->lcap) {
			size_t max = s->linemax ? s->linemax : LD_LINE_MAX;

			if (s->discard || s->lcap >= max) {
				int first = !s->discard;

				s->lstart = s->lscan = s->lend = 0;
				if (first) {
					s->discard = 1;
					s->lineno++;
					ld_err_set(err, "%s:%llu: line longer than %zu %s, "
					    "skipped", s->unit.p,
					    (unsigned long long)s->lineno,
					    max >= (1 << 20) ? max >> 20 : max >> 10,
					    max >= (1 << 20) ? "MiB" : "KiB");
					return -1;
				}
			} else {
				s->lcap *= 2;
				s->lb = ld_xrealloc(s->lb, s->lcap);
			}
		}
		if (s->haspend && s->peekpos >= s->peeklen &&
		    s->upeekpos >= s->upeeklen)
			n = 0;	/* damage was found while looking at the magic,
				   after the bytes looked at */
		else
			n = unit_fill(s, s->lb + s->lend, s->lcap - s->lend);
		if (n < 0) {
			s->haspend = 1;
			s->fatal = n == -1;
			s->unit_eof = 1;
		} else if (n == 0)
			s->unit_eof = 1;
		else
			s->lend += (size_t)n;
	}
}
