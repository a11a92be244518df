/*
 * seekable.c — zstd's seekable format: reading the seek table, and
 * rewriting any zstd file as independent frames cut at line ends.
 *
 * The format (facebook/zstd, contrib/seekable_format): ordinary zstd
 * frames, then one skippable frame (magic 0x184D2A5E, its size) holding
 * an entry per frame (compressed size, decoded size, optionally a
 * checksum: 4 bytes each) and a footer: the number of frames, a
 * descriptor byte (bit 7: entries carry checksums; bits 2-6 must be 0)
 * and the magic 0x8F92EAB1 as the file's last four bytes.  Decoders that
 * do not know it skip the table like any skippable frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "core/atomic.h"
#include "index/index_impl.h"

#define SKIPPABLE_MAGIC 0x184D2A5Eu
#define SEEKABLE_MAGIC 0x8F92EAB1u
#define FOOTER 9
#define MAX_FRAMES 0x8000000u
#define MAX_FRAME ((size_t)1 << 30)

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int
pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int
ld_seekable_table(int fd, uint64_t size, struct ld_seek_frame **v,
    size_t *n, struct ld_err *err)
{
	unsigned char foot[FOOTER], *tab = NULL;
	uint32_t nf, esz, fsz;
	uint64_t tsize, off = 0, dec = 0;
	struct ld_seek_frame *f = NULL;
	int rc = 0;

	*v = NULL;
	*n = 0;
	if (size < 8 + FOOTER)
		return 0;
	if (pread_all(fd, foot, FOOTER, size - FOOTER) < 0)
		return ld_err_set(err, "read error: %s", strerror(errno));
	if (le32(foot + 5) != SEEKABLE_MAGIC || (foot[4] & 0x7c) != 0)
		return 0;
	nf = le32(foot);
	esz = foot[4] & 0x80 ? 12 : 8;
	if (nf > MAX_FRAMES)
		return 0;
	tsize = (uint64_t)nf * esz + FOOTER;
	if (tsize + 8 > size)
		return 0;
	tab = ld_xmalloc((size_t)tsize + 8);
	if (pread_all(fd, tab, (size_t)tsize + 8, size - tsize - 8) < 0) {
		rc = ld_err_set(err, "read error: %s", strerror(errno));
		goto out;
	}
	fsz = le32(tab + 4);
	if (le32(tab) != SKIPPABLE_MAGIC || fsz != tsize)
		goto out;
	f = ld_xcalloc((size_t)nf + 1, sizeof(*f));
	for (uint32_t i = 0; i < nf; i++) {
		f[i].comp_off = off;
		f[i].comp_len = le32(tab + 8 + (size_t)i * esz);
		f[i].dec_off = dec;
		f[i].dec_len = le32(tab + 8 + (size_t)i * esz + 4);
		off += f[i].comp_len;
		dec += f[i].dec_len;
	}
	/* The frames and the table must be the whole file. */
	if (off + tsize + 8 != size) {
		free(f);
		goto out;
	}
	*v = f;
	*n = nf;
	rc = 1;
out:
	free(tab);
	return rc;
}

struct packer {
	ZSTD_CCtx *c;
	FILE *out;
	struct ld_buf table;	/* the entries so far */
	struct ld_buf z;	/* one compressed frame */
	uint64_t frames, out_bytes;
	const char *path;
};

static int
pack_frame(struct packer *P, const char *p, size_t n, struct ld_err *err)
{
	size_t r;
	unsigned char e[8];

	if (n == 0)
		return 0;
	ld_buf_reset(&P->z);
	ld_buf_grow(&P->z, ZSTD_compressBound(n));
	r = ZSTD_compress2(P->c, P->z.p, P->z.cap - 1, p, n);
	if (ZSTD_isError(r))
		return ld_err_set(err, "%s: %s", P->path, ZSTD_getErrorName(r));
	if (fwrite(P->z.p, 1, r, P->out) != r)
		return ld_err_set(err, "%s: %s", P->path, strerror(errno));
	put32(e, (uint32_t)r);
	put32(e + 4, (uint32_t)n);
	ld_buf_add(&P->table, e, 8);
	P->frames++;
	P->out_bytes += r;
	return 0;
}

static int
pack_table(struct packer *P, struct ld_err *err)
{
	unsigned char h[8], f[FOOTER];

	if (P->frames > MAX_FRAMES)
		return ld_err_set(err, "%s: too many frames", P->path);
	put32(h, SKIPPABLE_MAGIC);
	put32(h + 4, (uint32_t)(P->table.len + FOOTER));
	put32(f, (uint32_t)P->frames);
	f[4] = 0;
	put32(f + 5, SEEKABLE_MAGIC);
	if (fwrite(h, 1, 8, P->out) != 8 ||
	    (P->table.len && fwrite(P->table.p, 1, P->table.len, P->out) !=
	    P->table.len) || fwrite(f, 1, FOOTER, P->out) != FOOTER)
		return ld_err_set(err, "%s: %s", P->path, strerror(errno));
	P->out_bytes += 8 + P->table.len + FOOTER;
	return 0;
}

/* Where to cut a frame of about size bytes from buf[0, n), n >= size:
 * after the last newline before size, or else the first one after;
 * 0 when there is none yet, n past the largest frame. */
static size_t
cut_at(const char *buf, size_t n, size_t size)
{
	const char *nl = memrchr(buf, '\n', size);

	if (nl == NULL)
		nl = memchr(buf + size, '\n', n - size);
	if (nl)
		return (size_t)(nl - buf) + 1;
	return n >= MAX_FRAME ? n : 0;
}

int
ld_seekable_repack(const char *in, const char *out, size_t frame_size,
    int level, struct ld_repack_stats *st, struct ld_err *err)
{
	struct packer P = { 0 };
	struct ld_atomic a = { 0 };
	struct ld_buf dec = { 0 };
	ZSTD_DCtx *d = NULL;
	unsigned char *ib = NULL;
	size_t ilen, last = 1, k;
	uint64_t in_bytes = 0, dec_bytes = 0;
	ssize_t r;
	int fd = -1, rc = -1;

	if (frame_size < 4096)
		frame_size = 4096;
	if (frame_size > MAX_FRAME)
		frame_size = MAX_FRAME;
	if ((fd = open(in, O_RDONLY | O_CLOEXEC)) < 0)
		return ld_err_set(err, "%s: %s", in, strerror(errno));
	ib = ld_xmalloc(ZSTD_DStreamInSize());
	ilen = ZSTD_DStreamInSize();
	if ((d = ZSTD_createDCtx()) == NULL || (P.c = ZSTD_createCCtx()) == NULL)
		abort();
	ZSTD_CCtx_setParameter(P.c, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(P.c, ZSTD_c_checksumFlag, 1);
	P.path = out;
	if (ix_make_parents(out, err) < 0 ||
	    (P.out = ld_atomic_open(&a, out, err)) == NULL)
		goto out;
	for (;;) {
		ZSTD_inBuffer zi;

		do
			r = read(fd, ib, ilen);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			ld_err_set(err, "%s: read error: %s", in, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (in_bytes == 0 && (r < 4 || (memcmp(ib, "\x28\xb5\x2f\xfd", 4)
		    != 0 && (ib[0] & 0xf0) != 0x50))) {
			ld_err_set(err, "%s: not a zstd file", in);
			goto fail;
		}
		in_bytes += (uint64_t)r;
		zi = (ZSTD_inBuffer){ ib, (size_t)r, 0 };
		while (zi.pos < zi.size) {
			ZSTD_outBuffer zo;

			ld_buf_grow(&dec, frame_size + (1 << 17));
			zo = (ZSTD_outBuffer){ dec.p + dec.len, dec.cap - 1 - dec.len,
			    0 };
			last = ZSTD_decompressStream(d, &zo, &zi);
			if (ZSTD_isError(last)) {
				ld_err_set(err, "%s: corrupt zstd data: %s", in,
				    ZSTD_getErrorName(last));
				goto fail;
			}
			dec.len += zo.pos;
			dec_bytes += zo.pos;
			while (dec.len >= frame_size &&
			    (k = cut_at(dec.p, dec.len, frame_size)) > 0) {
				if (pack_frame(&P, dec.p, k, err) < 0)
					goto fail;
				memmove(dec.p, dec.p + k, dec.len - k);
				dec.len -= k;
			}
		}
	}
	if (last != 0) {
		ld_err_set(err, "%s: truncated zstd frame", in);
		goto fail;
	}
	if (pack_frame(&P, dec.p, dec.len, err) < 0 || pack_table(&P, err) < 0)
		goto fail;
	if (ld_atomic_commit(&a, 1, err) < 0)
		goto out;
	if (st) {
		st->in_bytes = in_bytes;
		st->out_bytes = P.out_bytes;
		st->dec_bytes = dec_bytes;
		st->frames = P.frames;
	}
	rc = 0;
	goto out;
fail:
	ld_atomic_abort(&a);
out:
	if (fd >= 0)
		close(fd);
	free(ib);
	ZSTD_freeDCtx(d);
	ZSTD_freeCCtx(P.c);
	ld_buf_free(&P.table);
	ld_buf_free(&P.z);
	ld_buf_free(&dec);
	return rc;
}
