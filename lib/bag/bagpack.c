/*
 * bagpack.c — a bag packed for the hand-over, and checked in that form.
 *
 * ld_bag_export() writes a tar (zstd-compressed, or plain) or a zip with
 * libarchive.  ld_bag_verify_packed() reads one back into a private
 * temporary directory and runs ld_bag_verify() on it.  Extraction is done
 * here, not by archive_write_disk(), so that every refused entry (a link,
 * an absolute path, "..", a device, a duplicate) becomes a reported problem
 * rather than a silent skip, and nothing is ever written outside the
 * temporary directory: directories are created one component at a time and
 * files with O_EXCL | O_NOFOLLOW under a directory that only we populate.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include "bag/bagint.h"

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

/* bag_name - the bag's directory name, for the top of the archive. */
static char *
bag_name(const char *dir)
{
	char *d, *b, *s;
	size_t n;

	if ((d = strdup(dir)) == NULL)
		return NULL;
	for (n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
		d[n - 1] = '\0';
	b = (char *)bag_basename(d);
	s = strdup(*b == '\0' || strcmp(b, ".") == 0 || strcmp(b, "..") == 0 ?
	    "bag" : b);
	free(d);
	return s;
}

static int
set_format(struct archive *a, const char *out, struct ld_err *err)
{
	int r;

	if (has_suffix(out, ".tar.zst") || has_suffix(out, ".tzst"))
		r = archive_write_set_format_pax_restricted(a) ||
		    archive_write_add_filter_zstd(a);
	else if (has_suffix(out, ".tar.gz") || has_suffix(out, ".tgz"))
		r = archive_write_set_format_pax_restricted(a) ||
		    archive_write_add_filter_gzip(a);
	else if (has_suffix(out, ".tar"))
		r = archive_write_set_format_pax_restricted(a);
	else if (has_suffix(out, ".zip"))
		r = archive_write_set_format_zip(a);
	else {
		ld_err_set(err, "%s: unknown archive type (use .tar.zst, .tgz, "
		    ".tar or .zip)", out);
		return -1;
	}
	if (r != ARCHIVE_OK) {
		ld_err_set(err, "%s: %s", out, archive_error_string(a));
		return -1;
	}
	return 0;
}

static int
pack_file(struct archive *a, struct archive_entry *e, int bagfd,
    const char *top, const char *path, struct ld_err *err)
{
	char buf[65536], *name;
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	if ((fd = openat(bagfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((name = bag_printf("%s/%s", top, path)) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, st.st_size);
	archive_entry_set_mtime(e, st.st_mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		ld_err_set(err, "%s: %s", name, archive_error_string(a));
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (archive_write_data(a, buf, (size_t)n) != n) {
			ld_err_set(err, "%s: %s", name, archive_error_string(a));
			goto out;
		}
	if (n == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(name);
	close(fd);
	return rc;
}

/* pack_buf - one member of len bytes from memory. */
static int
pack_buf(struct archive *a, struct archive_entry *e, const char *top,
    const char *path, const char *buf, size_t len, time_t mtime,
    struct ld_err *err)
{
	char *name;
	int rc = -1;

	if ((name = bag_printf("%s/%s", top, path)) == NULL) {
		ld_err_set(err, "out of memory");
		return -1;
	}
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(a, buf, len) != (la_ssize_t)len))
		ld_err_set(err, "%s: %s", name, archive_error_string(a));
	else
		rc = 0;
	free(name);
	return rc;
}

#define DRAFT_MARK "DRAFT-NOT-APPROVED"

/* draft_name - out with ".DRAFT-NOT-APPROVED" before its archive suffix,
 * unless it says DRAFT already.  Returns a new string or NULL. */
static char *
draft_name(const char *out)
{
	static const char *const sufs[] = { ".tar.zst", ".tzst", ".tar.gz",
	    ".tgz", ".tar", ".zip" };
	size_t i, n = strlen(out);

	if (strcasestr(bag_basename(out), "draft") != NULL)
		return strdup(out);
	for (i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++)
		if (has_suffix(out, sufs[i]))
			return bag_printf("%.*s.%s%s",
			    (int)(n - strlen(sufs[i])), out, DRAFT_MARK,
			    sufs[i]);
	return bag_printf("%s.%s", out, DRAFT_MARK);
}

/*
 * draft_tags - the draft's bag-info.txt (the bag's, and the status line)
 * and its tag manifests, whose bag-info.txt line is made again.  Fills
 * txt[0] (bag-info) and txt[1 + alg]; returns 0 or -1 with err set.
 */
static int
draft_tags(int bagfd, char *txt[1 + BAG_NALG], size_t len[1 + BAG_NALG],
    struct ld_err *err)
{
	char hex[LD_DIGEST_HEXMAX], name[64], *old, *line, *next;
	struct ld_buf b = { 0 };
	struct ld_digest *d;
	size_t n;
	int a;

	if ((old = bag_read_file(bagfd, "bag-info.txt", 1 << 24, &n,
	    err)) == NULL)
		return -1;
	ld_buf_add(&b, old, n);
	if (n > 0 && old[n - 1] != '\n')
		ld_buf_addc(&b, '\n');
	ld_buf_adds(&b, BAG_DRAFT_STATUS);
	free(old);
	len[0] = b.len;
	txt[0] = ld_buf_detach(&b);
	for (a = 0; a < BAG_NALG; a++) {
		d = ld_digest_new(bag_algs[a]);
		ld_digest_update(d, txt[0], len[0]);
		ld_digest_hex(d, hex);
		ld_digest_free(d);
		snprintf(name, sizeof(name), "tagmanifest-%s.txt", bag_algs[a]);
		if ((old = bag_read_file(bagfd, name, 1 << 24, &n, err)) == NULL)
			return -1;
		ld_buf_reset(&b);
		for (line = old; line && *line; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			if (strcmp(line + strcspn(line, " "), "  bag-info.txt") == 0)
				ld_buf_addf(&b, "%s  bag-info.txt\n", hex);
			else
				ld_buf_addf(&b, "%s\n", line);
		}
		free(old);
		len[1 + a] = b.len;
		txt[1 + a] = ld_buf_detach(&b);
	}
	return 0;
}

int
ld_bag_export(const char *dir, const char *out, int force, struct ld_err *err)
{
	return ld_bag_pack(dir, out, force ? LD_BAG_PACK_FORCE : 0, NULL, err);
}

int
ld_bag_pack(const char *dir, const char *out, int flags, char **written,
    struct ld_err *err)
{
	struct bag_files f = { 0 };
	struct ld_atomic af = { 0 };
	struct archive *a = NULL;
	struct archive_entry *e = NULL;
	struct stat st;
	char *top = NULL, *name = NULL, *tags[1 + BAG_NALG] = { 0 };
	size_t tlen[1 + BAG_NALG] = { 0 };
	int draft = flags & LD_BAG_PACK_DRAFT, force = flags & LD_BAG_PACK_FORCE;
	size_t i;
	int bagfd, k, rc = -1;

	if ((name = draft ? draft_name(out) : strdup(out)) == NULL) {
		ld_err_set(err, "out of memory");
		return -1;
	}
	out = name;
	if (!force && lstat(out, &st) == 0) {
		ld_err_set(err, "%s: already exists (use --force to replace it)", out);
		free(name);
		return -1;
	}
	bagfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (bagfd == -1) {
		ld_err_set(err, "%s: %s", dir, strerror(errno));
		free(name);
		return -1;
	}
	if (bag_walk(bagfd, ".", &f, NULL, err) == -1)
		goto out;
	if (draft && draft_tags(bagfd, tags, tlen, err) == -1)
		goto out;
	if ((top = bag_name(dir)) == NULL ||
	    (a = archive_write_new()) == NULL ||
	    (e = archive_entry_new()) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	if (draft) {
		char *t = bag_printf("%s-%s", top, DRAFT_MARK);

		free(top);
		if ((top = t) == NULL) {
			ld_err_set(err, "out of memory");
			goto out;
		}
	}
	if (set_format(a, out, err) == -1)
		goto out;
	/* libarchive writes to the descriptor; the stream stays empty */
	if (ld_atomic_open(&af, out, err) == NULL)
		goto out;
	if (archive_write_open_fd(a, fileno(af.fp)) != ARCHIVE_OK) {
		ld_err_set(err, "%s: %s", out, archive_error_string(a));
		goto out;
	}
	for (i = 0; i < f.n; i++) {
		const char *p = f.v[i].path;

		if (!draft) {
			if (pack_file(a, e, bagfd, top, p, err) == -1)
				goto out;
			continue;
		}
		/* a draft carries no approval: they would not match */
		if (strncmp(p, BAG_DIR_APPROVALS "/",
		    sizeof(BAG_DIR_APPROVALS)) == 0)
			continue;
		k = strcmp(p, "bag-info.txt") == 0 ? 0 :
		    strcmp(p, "tagmanifest-sha256.txt") == 0 ? 1 :
		    strcmp(p, "tagmanifest-sha512.txt") == 0 ? 2 : -1;
		if (k < 0 ? pack_file(a, e, bagfd, top, p, err) :
		    pack_buf(a, e, top, p, tags[k], tlen[k], (time_t)0,
		    err))
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		ld_err_set(err, "%s: %s", out, archive_error_string(a));
		goto out;
	}
	if (ld_atomic_commit(&af, force, err) == -1)
		goto out;
	if (written) {
		*written = name;
		name = NULL;
	}
	rc = 0;
out:
	archive_entry_free(e);
	archive_write_free(a);	/* before the descriptor goes */
	ld_atomic_abort(&af);
	close(bagfd);
	bag_files_free(&f);
	for (k = 0; k < 1 + BAG_NALG; k++)
		free(tags[k]);
	free(top);
	free(name);
	return rc;
}

/* ------------------------------------------------------------ unpacking */

/* mkdirs - create every directory of path (all of it when whole, else all
 * but the last component) under rootfd.  Returns 0 or -1. */
static int
mkdirs(int rootfd, const char *path, int whole)
{
	char *p, *s;
	int rc = 0;

	if ((p = strdup(path)) == NULL)
		return -1;
	for (s = strchr(p, '/'); ; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if ((s || whole) && mkdirat(rootfd, p, 0700) == -1 &&
		    errno != EEXIST) {
			rc = -1;
			break;
		}
		if (s == NULL)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

/* What unpacking may still write: caps against an archive that expands
 * to fill the disk (a few KB of zstd can stand for gigabytes of zeros). */
struct caps {
	uint64_t limit;		/* bytes in all, the smaller cap */
	uint64_t used;		/* bytes written so far */
	uint64_t archive;	/* the archive's size */
	uint64_t max_size, max_ratio;
	int by_ratio;		/* the limit is the ratio's */
};

enum { XF_OK = 0, XF_EXISTS = -1, XF_IO = -2, XF_DAMAGED = -3, XF_CAP = -4 };

static int
extract_file(struct archive *a, int rootfd, const char *path, struct caps *c,
    struct archive *cw, int *canon)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	uint64_t extent = 0, end;
	int fd, r, rc = XF_IO;

	if (mkdirs(rootfd, path, 0) == -1)
		return XF_IO;
	fd = openat(rootfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		return errno == EEXIST ? XF_EXISTS : XF_IO;
	while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
		/* a sparse entry's holes count: they take room once filled */
		end = (uint64_t)off + len;
		if (off < 0 || end < (uint64_t)off || c->used + end > c->limit) {
			rc = XF_CAP;
			goto out;
		}
		/* the canonical tar has the data in one piece: a hole
		 * (a sparse entry) is not what export writes */
		if ((uint64_t)off != extent)
			*canon = 0;
		if (end > extent)
			extent = end;
		if (cw && *canon && len > 0 && archive_write_data(cw, buf, len) !=
		    (la_ssize_t)len)
			*canon = 0;
		if (pwrite(fd, buf, len, (off_t)off) != (ssize_t)len) {
			if (errno == 0)
				errno = ENOSPC;
			goto out;
		}
	}
	c->used += extent;
	rc = r == ARCHIVE_EOF ? XF_OK : XF_DAMAGED;
out:
	close(fd);
	return rc;
}

/* Zero bytes a tar may carry after its end-of-archive blocks: the rest
 * of its last record (tar and libarchive write 10240-byte records). */
#define TAR_PAD_MAX (64u << 10)

/*
 * tar_tail - after the end of the tar in archive, whose format reader used
 * the first used bytes of the (decompressed) stream, only zero padding may
 * follow.  Anything else is an archive after the archive: "tar -i" reads
 * it, and what one reader unpacks would not be what another does.
 * Returns NULL, or what is wrong.
 */
static const char *
tar_tail(const char *archive, uint64_t used, int canonfd)
{
	struct archive_entry *e;
	struct archive *a;
	const unsigned char *buf;
	const char *why = NULL;
	unsigned char cbuf[65536];
	uint64_t at = 0, i, cat = 0, clen = 0;
	la_int64_t off;
	size_t len;
	ssize_t got;
	int r;

	if ((a = archive_read_new()) == NULL)
		return "out of memory";
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		why = "cannot be read again to its end";
		goto out;
	}
	if (canonfd != -1 && lseek(canonfd, 0, SEEK_SET) == -1) {
		why = "cannot be read again to its end";
		goto out;
	}
	while ((r = archive_read_data_block(a, (const void **)&buf, &len,
	    &off)) == ARCHIVE_OK) {
		for (i = 0; i < len; i++, at++) {
			/* the tar up to its end is byte for byte the one
			 * export writes of these members */
			if (canonfd != -1 && at == cat + clen) {
				cat = at;
				if ((got = read(canonfd, cbuf, sizeof(cbuf))) < 0) {
					why = "cannot be read again to its end";
					goto out;
				}
				clen = (uint64_t)got;
				if (got == 0)
					canonfd = -1;
			}
			if (canonfd != -1 && buf[i] != cbuf[at - cat]) {
				why = "not the tar ldbundle export writes of its "
				    "members: bytes in a header, in padding or in "
				    "an entry that export does not write, which no "
				    "check of the bag reads";
				goto out;
			}
			if (at < used)
				continue;
			if (buf[i] != 0) {
				why = "data after the end of the tar (a second "
				    "archive would be read by tar -i)";
				goto out;
			}
			if (at - used >= TAR_PAD_MAX) {
				why = "more zero bytes after the end of the tar "
				    "than a last record holds";
				goto out;
			}
		}
	}
	if (r != ARCHIVE_EOF)
		why = "damaged after the end of the tar";
	else if (canonfd != -1 && (at < cat + clen || read(canonfd, cbuf, 1) !=
	    0))
		why = "shorter than the tar ldbundle export writes of its "
		    "members";
out:
	archive_read_free(a);
	return why;
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* zip_names - the names of the zip's entries in the order a reader with
 * the given libarchive format support sees them, one string of
 * NUL-terminated names, *n of them.  Returns 0, or -1. */
static int
zip_names(const char *archive, int (*support)(struct archive *),
    struct ld_buf *out, size_t *n)
{
	struct archive_entry *e;
	struct archive *a;
	const char *name;
	int r, rc = -1;

	*n = 0;
	if ((a = archive_read_new()) == NULL)
		return -1;
	support(a);
	if (archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK)
		goto out;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		name = archive_entry_pathname(e);
		ld_buf_add(out, name ? name : "", name ? strlen(name) + 1 : 1);
		(*n)++;
		if (archive_read_data_skip(a) != ARCHIVE_OK)
			goto out;
	}
	rc = r == ARCHIVE_EOF ? 0 : -1;
out:
	archive_read_free(a);
	return rc;
}

#define ZIP_CD_MAX (16u << 20)	/* a central directory larger is refused */

/*
 * zip_extra - the extra field x of xlen bytes is the one export's zip
 * writer puts in every header: an extended time stamp ("UT", 5 bytes:
 * flags 1 and the mtime) and the owner ("ux", version 1, a uid and a gid
 * of 4 bytes, both 0).  Anything else there is bytes no check reads.
 */
static int
zip_extra(const unsigned char *x, size_t xlen)
{
	static const unsigned char ux[15] = { 0x75, 0x78, 0x0b, 0x00, 0x01,
	    0x04, 0, 0, 0, 0, 0x04, 0, 0, 0, 0 };

	return xlen == 24 && memcmp(x, "UT\005\000\001", 5) == 0 &&
	    memcmp(x + 9, ux, sizeof(ux)) == 0;
}

/* zip_inflates - the n bytes at off of fd are one whole deflate stream,
 * to its last byte, of usize bytes: no bytes after its end that a reader
 * passes over.  1 or 0. */
static int
zip_inflates(int fd, uint64_t off, uint64_t n, uint64_t usize)
{
	unsigned char in[1 << 16], out[1 << 16];
	uint64_t got = 0;
	z_stream z;
	ssize_t r;
	int zr = Z_OK, ok = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return 0;
	while (zr != Z_STREAM_END) {
		if (z.avail_in == 0) {
			if (n == 0)
				goto out;
			r = pread(fd, in, n < sizeof(in) ? (size_t)n : sizeof(in),
			    (off_t)off);
			if (r <= 0)
				goto out;
			z.next_in = in;
			z.avail_in = (uInt)r;
			off += (uint64_t)r;
			n -= (uint64_t)r;
		}
		z.next_out = out;
		z.avail_out = sizeof(out);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			goto out;
		got += sizeof(out) - z.avail_out;
	}
	ok = z.avail_in == 0 && n == 0 && got == usize;
out:
	inflateEnd(&z);
	return ok;
}

/*
 * zip_tiled - the entries of the zip fd, whose central directory cd of
 * cdlen bytes at cdat lists n of them, lie one after the other from its
 * first byte to its central directory as export writes them: each local
 * header, name, the extra field export writes (zip_extra()), deflated or
 * stored data that ends where its size says, its data descriptor, and the
 * next entry; no comment, no gap.  Returns NULL, or what is wrong.
 */
static const char *
zip_tiled(int fd, const unsigned char *cd, uint64_t cdlen, uint64_t cdat,
    size_t n)
{
	unsigned char lh[30], lx[24], dd[16];
	const unsigned char *c = cd;
	uint64_t pos = 0, csize, usize, data;
	size_t i, nlen, xlen;
	unsigned flags, meth;

	for (i = 0; i < n; i++) {
		flags = le16(c + 8);
		meth = le16(c + 10);
		csize = le32(c + 20);
		usize = le32(c + 24);
		nlen = le16(c + 28);
		xlen = le16(c + 30);
		if (le32(c + 42) != pos)
			return "a gap or an overlap between its entries";
		if (le16(c + 32) != 0)
			return "a comment on an entry";
		if (le16(c + 34) != 0 || le16(c + 36) != 0 ||
		    le32(c + 38) != 0100644u << 16)
			return "an entry that is not a plain file as export "
			    "writes it";
		if (!zip_extra(c + 46 + nlen, xlen) || (uint64_t)(c + 46 + nlen +
		    xlen - cd) > cdlen)
			return "an extra field export does not write";
		if (pread(fd, lh, sizeof(lh), (off_t)pos) != (ssize_t)sizeof(lh) ||
		    le16(lh + 6) != flags || le16(lh + 8) != meth ||
		    le16(lh + 28) != xlen ||
		    pread(fd, lx, sizeof(lx), (off_t)(pos + 30 + nlen)) !=
		    (ssize_t)sizeof(lx) || !zip_extra(lx, sizeof(lx)))
			return "a local header that is not its central "
			    "directory's, or an extra field export does not "
			    "write";
		data = pos + 30 + nlen + xlen;
		if (meth == 8 ? !zip_inflates(fd, data, csize, usize) :
		    meth != 0 || csize != usize)
			return "an entry whose data does not end where its size "
			    "says: bytes after it that a reader passes over";
		pos = data + csize;
		if (flags & 8) {
			if (pread(fd, dd, sizeof(dd), (off_t)pos) !=
			    (ssize_t)sizeof(dd) || memcmp(dd, "PK\007\010", 4) !=
			    0 || le32(dd + 4) != le32(c + 16) ||
			    le32(dd + 8) != csize || le32(dd + 12) != usize)
				return "a data descriptor that is not its "
				    "central directory's";
			pos += sizeof(dd);
		}
		c += 46 + nlen + xlen;
	}
	if (pos != cdat)
		return "bytes between its last entry and its central directory";
	return NULL;
}

/*
 * zip_agrees - a zip has each name twice, in its central directory (what
 * unzip and most readers list and extract) and in the local header before
 * the data (what libarchive, and every reader that streams, takes).  Both
 * must name the same entries in the same order, or the bag verified here
 * would not be the bag someone else unpacks.  fd is the zip, of size len,
 * which ends in the end-of-central-directory record eocd (zip_ends()).
 * Returns NULL, or what is wrong.
 */
static const char *
zip_agrees(const char *archive, int fd, uint64_t len,
    const unsigned char eocd[22])
{
	struct ld_buf seek = { 0 }, stream = { 0 };
	unsigned char *cd = NULL, *c, lh[30];
	const char *why = NULL, *a;
	uint64_t cdat = le32(eocd + 16), cdlen = le32(eocd + 12), off;
	size_t nseek, nstream, i, at, nlen;
	char *name = NULL;

	if (zip_names(archive, archive_read_support_format_zip_seekable,
	    &seek, &nseek) == -1 ||
	    zip_names(archive, archive_read_support_format_zip_streamable,
	    &stream, &nstream) == -1) {
		why = "a reader of its local headers and one of its central "
		    "directory do not both read the zip";
		goto out;
	}
	if (nseek != nstream || nseek != le16(eocd + 10) ||
	    seek.len != stream.len || memcmp(seek.p, stream.p, seek.len) != 0) {
		why = "its local headers and its central directory list other "
		    "entries";
		goto out;
	}
	if (cdlen > ZIP_CD_MAX || cdat + cdlen != len - 22) {
		why = "a central directory that is not just before its end";
		goto out;
	}
	if ((cd = malloc(cdlen + 1)) == NULL || (name = malloc(1 << 16)) ==
	    NULL) {
		why = "out of memory";
		goto out;
	}
	if (pread(fd, cd, cdlen, (off_t)cdat) != (ssize_t)cdlen) {
		why = "a damaged central directory";
		goto out;
	}
	a = seek.p;
	for (at = 0, i = 0; i < nseek; i++, a += strlen(a) + 1) {
		c = cd + at;
		if (cdlen - at < 46 || memcmp(c, "PK\001\002", 4) != 0 ||
		    (nlen = le16(c + 28)) > cdlen - at - 46) {
			why = "a damaged central directory";
			goto out;
		}
		off = le32(c + 42);
		if (strlen(a) != nlen || memcmp(a, c + 46, nlen) != 0 ||
		    off + 30 + nlen > cdat ||
		    pread(fd, lh, sizeof(lh), (off_t)off) != (ssize_t)sizeof(lh) ||
		    memcmp(lh, "PK\003\004", 4) != 0 || le16(lh + 26) != nlen ||
		    pread(fd, name, nlen, (off_t)off + 30) != (ssize_t)nlen ||
		    memcmp(name, c + 46, nlen) != 0) {
			why = "a name in its central directory is not the name "
			    "in the entry's local header";
			goto out;
		}
		at += 46 + nlen + le16(c + 30) + le16(c + 32);
		if (at > cdlen) {
			why = "a damaged central directory";
			goto out;
		}
	}
	if (at != cdlen)
		why = "more in its central directory than its entries";
	else
		why = zip_tiled(fd, cd, cdlen, cdat, nseek);
out:
	ld_buf_free(&seek);
	ld_buf_free(&stream);
	free(cd);
	free(name);
	return why;
}

/*
 * zip_ends - a zip as ldbundle writes it starts with a local file header
 * and ends with its end-of-central-directory record, with no comment.
 * Bytes before (a polyglot) or after (a second zip, which readers that
 * look from the end would take instead) are refused.  Returns NULL, or
 * what is wrong.
 */
static const char *
zip_ends(const char *archive)
{
	unsigned char head[4], tail[22];
	struct stat st;
	const char *why = NULL;
	int fd;

	if ((fd = open(archive, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1)
		why = "cannot be read again";
	else if (st.st_size < (off_t)sizeof(tail) ||
	    pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    pread(fd, tail, sizeof(tail), st.st_size - (off_t)sizeof(tail)) !=
	    (ssize_t)sizeof(tail))
		why = "too short for a zip";
	else if (memcmp(head, "PK\003\004", 4) != 0)
		why = "data before the first entry of the zip";
	else if (memcmp(tail, "PK\005\006", 4) != 0 || tail[20] != 0 ||
	    tail[21] != 0)
		why = "data after the end of the zip, or a zip comment";
	else
		why = zip_agrees(archive, fd, (uint64_t)st.st_size, tail);
	if (fd != -1)
		close(fd);
	return why;
}

/*
 * zstd_frames - every frame of the zstd file fd is a frame of data that
 * needs no dictionary: a skippable frame is bytes every reader passes
 * over and no check reads, a dictionary id a frame export does not write.
 * Returns NULL, or what is wrong.
 */
static const char *
zstd_frames(int fd)
{
	enum { BUFSZ = 1 << 17, FRAMEHDR_MAX = 18 };	/* RFC 8878 3.1.1 */
	unsigned char *buf, sink[1 << 16];
	ZSTD_DStream *ds;
	ZSTD_inBuffer in = { NULL, 0, 0 };
	ZSTD_outBuffer out;
	const char *why = NULL;
	size_t r;
	ssize_t got;
	int eof = 0, boundary = 1;
	uint32_t magic;

	if ((buf = malloc(BUFSZ)) == NULL)
		return "out of memory";
	if ((ds = ZSTD_createDStream()) == NULL) {
		free(buf);
		return "out of memory";
	}
	in.src = buf;
	for (;;) {
		/* enough bytes for a frame header, or all there are */
		if (!eof && in.size - in.pos < FRAMEHDR_MAX) {
			memmove(buf, buf + in.pos, in.size - in.pos);
			in.size -= in.pos;
			in.pos = 0;
			while (!eof && in.size < BUFSZ) {
				if ((got = read(fd, buf + in.size, BUFSZ -
				    in.size)) < 0) {
					why = "cannot be read again";
					goto out;
				}
				eof = got == 0;
				in.size += (size_t)got;
			}
		}
		if (in.pos == in.size && eof && boundary)
			break;
		if (boundary) {
			if (in.size - in.pos < 4) {
				why = "a truncated zstd frame";
				goto out;
			}
			memcpy(&magic, buf + in.pos, 4);
			magic = le32toh(magic);
			if ((magic & ZSTD_MAGIC_SKIPPABLE_MASK) ==
			    ZSTD_MAGIC_SKIPPABLE_START) {
				why = "a skippable zstd frame: bytes every reader "
				    "passes over and no check reads";
				goto out;
			}
			if (ZSTD_getDictID_fromFrame(buf + in.pos, in.size -
			    in.pos) != 0) {
				why = "a zstd frame that needs a dictionary";
				goto out;
			}
			boundary = 0;
		}
		out.dst = sink;
		out.size = sizeof(sink);
		out.pos = 0;
		r = ZSTD_decompressStream(ds, &out, &in);
		if (ZSTD_isError(r)) {
			why = "a damaged zstd frame";
			goto out;
		}
		boundary = r == 0;
		if (!boundary && in.pos == in.size && eof && out.pos == 0) {
			why = "a truncated zstd frame";
			goto out;
		}
	}
out:
	ZSTD_freeDStream(ds);
	free(buf);
	return why;
}

/*
 * gzip_member - the gzip file fd is one member with no extra field, name
 * or comment (export writes none): nothing a reader passes over, and no
 * second member after the first.  Returns NULL, or what is wrong.
 */
static const char *
gzip_member(int fd)
{
	unsigned char buf[1 << 16], sink[1 << 16];
	z_stream z;
	const char *why = NULL;
	ssize_t got;
	int r = Z_OK, first = 1;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return "out of memory";
	while (r != Z_STREAM_END) {
		if (z.avail_in == 0) {
			if ((got = read(fd, buf, sizeof(buf))) <= 0) {
				why = got < 0 ? "cannot be read again" :
				    "a truncated gzip member";
				goto out;
			}
			z.next_in = buf;
			z.avail_in = (uInt)got;
			/* FLG: FEXTRA, FNAME, FCOMMENT (RFC 1952) */
			if (first && (got < 10 || (buf[3] & 0x1c) != 0)) {
				why = "a gzip header with an extra field, a name "
				    "or a comment export does not write";
				goto out;
			}
			first = 0;
		}
		z.next_out = sink;
		z.avail_out = sizeof(sink);
		r = inflate(&z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END) {
			why = "a damaged gzip member";
			goto out;
		}
	}
	if (z.avail_in > 0 || read(fd, buf, 1) != 0)
		why = "data after the gzip member (a second member, or bytes "
		    "a reader passes over)";
out:
	inflateEnd(&z);
	return why;
}

/* container - the compression around a packed bag is what export
 * writes: see zstd_frames() and gzip_member().  NULL, or what is wrong. */
static const char *
container(const char *archive)
{
	unsigned char m[4];
	const char *why = NULL;
	int fd;

	if ((fd = open(archive, O_RDONLY | O_CLOEXEC)) == -1)
		return "cannot be read again";
	if (read(fd, m, sizeof(m)) == (ssize_t)sizeof(m) &&
	    lseek(fd, 0, SEEK_SET) == 0) {
		uint32_t v = (uint32_t)m[0] | (uint32_t)m[1] << 8 |
		    (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;

		if (v == ZSTD_MAGICNUMBER || (v & ZSTD_MAGIC_SKIPPABLE_MASK) ==
		    ZSTD_MAGIC_SKIPPABLE_START)
			why = zstd_frames(fd);
		else if (m[0] == 0x1f && m[1] == 0x8b)
			why = gzip_member(fd);
	}
	close(fd);
	return why;
}

/* The tar written again in the private directory of the unpacking: a
 * name no member can have (a file at the top is refused). */
#define CANON_TAR ".ldbundle-canonical.tar"

/* canon_open - a tar writer as export's (pax, no padding after the end,
 * which tar_tail() checks) to a new file in rootfd.  Returns 0, or -1
 * with errno set. */
static int
canon_open(int rootfd, struct archive **cw, struct archive_entry **ce,
    int *fd)
{
	if ((*fd = openat(rootfd, CANON_TAR, O_RDWR | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
		return -1;
	if ((*cw = archive_write_new()) == NULL ||
	    (*ce = archive_entry_new()) == NULL ||
	    archive_write_set_format_pax_restricted(*cw) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(*cw, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(*cw, *fd) != ARCHIVE_OK) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* unpack - extract the archive into rootfd, recording refused entries in
 * pre; *top gets the one top-level name.  Returns 0, or -1 with err set
 * when the archive cannot be opened at all. */
static int
unpack(const char *archive, int rootfd, char **top, struct caps *c,
    struct ld_bag_result *pre, struct ld_err *err)
{
	struct archive_entry *e, *ce = NULL;
	struct archive *a, *cw = NULL;
	int canon = 1, canonfd = -1;
	const char *name;
	char *path = NULL, *slash;
	size_t n;
	int r = ARCHIVE_OK, x, rc = -1, oom = 0, stopped = 0;

	if ((a = archive_read_new()) == NULL) {
		ld_err_set(err, "out of memory");
		return -1;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK) {
		ld_err_set(err, "%s: %s", archive, archive_error_string(a));
		goto out;
	}
#define REFUSE(...) do { \
	if (bag_problem(pre, __VA_ARGS__) == -1) \
		oom = 1; \
} while (0)
	while (!oom && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *why;

		/* A tar is written again as export writes it, member by
		 * member, to be compared byte for byte: no header field,
		 * padding or entry export does not write can carry what no
		 * check reads. */
		if (cw == NULL && canonfd == -1 && (archive_format(a) &
		    ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR &&
		    canon_open(rootfd, &cw, &ce, &canonfd) == -1) {
			ld_err_set(err, "%s: cannot write a tar to compare: %s",
			    archive, strerror(errno));
			goto out;
		}
		name = archive_entry_pathname(e);
		if (name == NULL) {
			REFUSE(NULL, "archive entry without a name");
			continue;
		}
		free(path);
		if ((path = strdup(name)) == NULL) {
			oom = 1;
			break;
		}
		for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
			path[n - 1] = '\0';
		if ((why = ld_bag_path_check(path)) != NULL) {
			REFUSE(name, "%s, not extracted", why);
			continue;
		}
		if (archive_entry_hardlink(e) != NULL ||
		    archive_entry_symlink(e) != NULL ||
		    (archive_entry_filetype(e) != AE_IFREG &&
		    archive_entry_filetype(e) != AE_IFDIR)) {
			REFUSE(name, "link or special file in archive, not "
			    "extracted");
			continue;
		}
		slash = strchr(path, '/');
		if (slash == NULL && archive_entry_filetype(e) != AE_IFDIR) {
			REFUSE(name, "file at the top of the archive, not "
			    "extracted");
			continue;
		}
		n = slash ? (size_t)(slash - path) : strlen(path);
		if (*top == NULL && (*top = strndup(path, n)) == NULL) {
			oom = 1;
			break;
		}
		if (strlen(*top) != n || strncmp(*top, path, n) != 0) {
			REFUSE(name, "outside the bag's top-level directory %s, "
			    "not extracted", *top);
			continue;
		}
		if (archive_entry_filetype(e) == AE_IFDIR) {
			canon = 0;	/* export writes files only */
			if (mkdirs(rootfd, path, 1) == -1)
				REFUSE(name, "cannot extract: %s", strerror(errno));
			continue;
		}
		if (cw && canon) {
			archive_entry_clear(ce);
			archive_entry_set_pathname(ce, name);
			archive_entry_set_filetype(ce, AE_IFREG);
			archive_entry_set_perm(ce, 0644);
			archive_entry_set_size(ce, archive_entry_size(e));
			archive_entry_set_mtime(ce, archive_entry_mtime(e), 0);
			if (archive_write_header(cw, ce) != ARCHIVE_OK)
				canon = 0;
		}
		if ((x = extract_file(a, rootfd, path, c, canon ? cw : NULL,
		    &canon)) == XF_EXISTS)
			REFUSE(name, "duplicate entry, not extracted");
		else if (x == XF_IO) {
			/* a full disk is not the archive's fault: stop here */
			REFUSE(name, "cannot extract: %s; the archive is not "
			    "checked further", strerror(errno));
			r = ARCHIVE_EOF;
			stopped = 1;
			break;
		} else if (x == XF_DAMAGED) {
			REFUSE(name, "damaged: %s", archive_error_string(a));
			r = ARCHIVE_EOF;
			stopped = 1;
			break;
		} else if (x == XF_CAP) {
			if (c->by_ratio)
				REFUSE(name, "unpacking stopped: the archive "
				    "(%llu bytes) unpacks to more than %llu "
				    "times its size, the ratio cap (%llu bytes); "
				    "the archive is not checked further",
				    (unsigned long long)c->archive,
				    (unsigned long long)c->max_ratio,
				    (unsigned long long)c->limit);
			else
				REFUSE(name, "unpacking stopped: the archive "
				    "unpacks to more than %llu bytes, the size "
				    "cap; the archive is not checked further",
				    (unsigned long long)c->limit);
			r = ARCHIVE_EOF;
			stopped = 1;
			break;
		}
	}
	if (!oom && r != ARCHIVE_EOF && r != ARCHIVE_OK)
		REFUSE(NULL, "damaged archive: %s", archive_error_string(a));
	else if (!oom && !stopped) {
		const char *why = NULL;

		x = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
		if (x == ARCHIVE_FORMAT_TAR && cw && canon &&
		    archive_write_close(cw) != ARCHIVE_OK)
			canon = 0;
		if (x == ARCHIVE_FORMAT_TAR && !canon)
			why = "not the tar ldbundle export writes of its "
			    "members: a directory entry, a sparse member or a "
			    "header export does not write";
		else if (x == ARCHIVE_FORMAT_TAR)
			why = tar_tail(archive, (uint64_t)archive_filter_bytes(a,
			    0), canonfd);
		else if (x == ARCHIVE_FORMAT_ZIP)
			why = zip_ends(archive);
		if (why == NULL)
			why = container(archive);
		if (why && strcmp(why, "out of memory") == 0)
			oom = 1;
		else if (why)
			REFUSE(NULL, "%s", why);
	}
#undef REFUSE
	if (oom) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(path);
	archive_read_free(a);
	archive_entry_free(ce);
	archive_write_free(cw);
	if (canonfd != -1) {
		close(canonfd);
		unlinkat(rootfd, CANON_TAR, 0);
	}
	return rc;
}

static int
verify_packed(const char *archive, const struct ld_bag_check_opts *o,
    struct ld_bag_result **res, struct ld_err *err)
{
	struct ld_bag_result *pre, *r = NULL;
	struct ld_bag_problem *all;
	struct caps caps = { 0 };
	const char *tmpdir = o->tmpdir;
	char *tmp = NULL, *top = NULL, *bag = NULL;
	struct stat st;
	size_t i;
	int rootfd = -1, rc = -1;

	*res = NULL;
	if (stat(archive, &st) == -1) {
		ld_err_set(err, "%s: %s", archive, strerror(errno));
		return -1;
	}
	caps.archive = (uint64_t)st.st_size;
	caps.max_size = o->max_size ? o->max_size : LD_BAG_MAX_SIZE;
	caps.max_ratio = o->max_ratio ? o->max_ratio : LD_BAG_MAX_RATIO;
	caps.limit = caps.max_size;
	/* a tiny archive may still hold a bag of a few KB: at least 1 MiB */
	if (caps.archive < (1u << 20) / caps.max_ratio ||
	    caps.archive * caps.max_ratio < caps.limit) {
		uint64_t byratio = caps.archive * caps.max_ratio;

		if (byratio < (1u << 20))
			byratio = 1u << 20;
		if (byratio < caps.limit) {
			caps.limit = byratio;
			caps.by_ratio = 1;
		}
	}
	if ((pre = calloc(1, sizeof(*pre))) == NULL) {
		ld_err_set(err, "out of memory");
		return -1;
	}
	if (tmpdir == NULL && (tmpdir = getenv("TMPDIR")) == NULL)
		tmpdir = "/tmp";
	if ((tmp = bag_printf("%s/ldbundle.XXXXXX", tmpdir)) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	if (mkdtemp(tmp) == NULL) {
		ld_err_set(err, "%s: %s", tmpdir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		ld_err_set(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (unpack(archive, rootfd, &top, &caps, pre, err) == -1)
		goto out;
	if (top == NULL) {
		if (bag_problem(pre, NULL, "no bag in the archive") == -1)
			goto nomem;
		*res = pre;
		pre = NULL;
		rc = 0;
		goto out;
	}
	if ((bag = bag_printf("%s/%s", tmp, top)) == NULL)
		goto nomem;
	if (bag_verify_dir(bag, o->flags, o->trusted, o->keyring, &r,
	    err) == -1)
		goto out;
	/* name the bag's problems as the archive does: top/path */
	for (i = 0; i < r->nproblems; i++) {
		char *p = r->problems[i].path ? bag_printf("%s/%s", top,
		    r->problems[i].path) : strdup(top);

		if (p == NULL)
			goto nomem;
		free(r->problems[i].path);
		r->problems[i].path = p;
	}
	/* the archive's problems first, then the bag's */
	if (pre->nproblems > 0) {
		all = reallocarray(pre->problems, pre->nproblems + r->nproblems,
		    sizeof(*all));
		if (all == NULL)
			goto nomem;
		if (r->nproblems > 0)
			memcpy(all + pre->nproblems, r->problems,
			    r->nproblems * sizeof(*all));
		free(r->problems);
		r->problems = all;
		r->nproblems += pre->nproblems;
		pre->problems = NULL;
		pre->nproblems = 0;
		r->ready = 0;
	}
	*res = r;
	r = NULL;
	rc = 0;
	goto out;
nomem:
	ld_err_set(err, "out of memory");
out:
	if (rootfd != -1)
		close(rootfd);
	if (tmp)
		ld_rmtree(tmp);
	free(tmp);
	free(top);
	free(bag);
	ld_bag_result_free(pre);
	ld_bag_result_free(r);
	return rc;
}

int
ld_bag_verify_packed(const char *archive, int flags,
    const char *const *trusted, const char *tmpdir,
    struct ld_bag_result **res, struct ld_err *err)
{
	struct ld_bag_check_opts o = { 0 };

	o.flags = flags;
	o.trusted = trusted;
	o.tmpdir = tmpdir;
	return verify_packed(archive, &o, res, err);
}

int
ld_bag_check(const char *path, const struct ld_bag_check_opts *o,
    struct ld_bag_result **res, struct ld_err *err)
{
	struct stat st;

	*res = NULL;
	if (lstat(path, &st) == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return verify_packed(path, o, res, err);
	return bag_verify_dir(path, o->flags, o->trusted, o->keyring, res, err);
}
