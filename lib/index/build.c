/*
 * build.c — making the index of a source: read it as ldgrep does, parse
 * every line with the same formats, and summarise each block.
 *
 * The distinct keys of a block are gathered in a set of their 64-bit
 * hashes, so a key seen a million times costs one slot; when the block
 * ends its filter is sized for the keys it has (BITS_PER_KEY bits each,
 * about 1% false positives with K probes) and the set is emptied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/digest.h"
#include "index/index.h"
#include "index/index_impl.h"

#define BITS_PER_KEY 8	/* about 2% false positives with K probes */
#define K 6
#define CID_BITS 6		/* about 6% with CID_K */
#define CID_K 4

struct keyset {
	uint64_t *v;		/* 0 is an empty slot */
	size_t cap, n;
};

static void
ks_add(struct keyset *s, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1;
	if (2 * (s->n + 1) > s->cap) {
		struct keyset t = { 0 };

		t.cap = s->cap ? 2 * s->cap : 1024;
		t.v = ld_xcalloc(t.cap, sizeof(*t.v));
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				ks_add(&t, s->v[i]);
		free(s->v);
		*s = t;
	}
	for (i = h & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return;
	s->v[i] = h;
	s->n++;
}

struct builder {
	const struct ld_index_build_opts *o;
	struct ld_index *ix;
	struct ld_parser *p;
	struct ld_rec rec;
	struct keyset keys, cids;
	struct ld_index_block cur;	/* the block being summarised */
	int open;			/* cur has begun */
	/* a seekable zstd source of one unit: blocks are runs of frames */
	struct ld_seek_frame *fr;
	size_t nfr, fi;		/* frames, and the first of the block */
	uint64_t dec;		/* decoded bytes of the lines so far */
};

/* A prefix of path at every '/' and the whole: the values a namespace
 * covers (ld_ns_covers()). */
static void
add_prefixes(struct builder *B, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '/' && i > 0)
			ks_add(&B->keys, ix_key(IXK_NS, p, i, 1));
	if (n)
		ks_add(&B->keys, ix_key(IXK_NS, p, n, 1));
}

static void
add_ip(struct builder *B, const char *a, size_t n)
{
	struct ld_cidr c;
	char buf[128];

	if (n >= sizeof(buf))
		return;
	memcpy(buf, a, n);
	buf[n] = '\0';
	if (ld_cidr_parse(buf, &c) < 0)
		return;
	if (c.family == 4)
		for (size_t i = 0; i < ix_nlevels4; i++)
			ks_add(&B->keys, ix_key_net(4, c.addr, ix_levels4[i]));
	else
		for (size_t i = 0; i < ix_nlevels6; i++)
			ks_add(&B->keys, ix_key_net(6, c.addr, ix_levels6[i]));
}

static void
add_record(struct builder *B, const struct ld_rec *r)
{
	struct ld_index_block *b = &B->cur;
	const char *const *f = r->f;
	const size_t *fl = r->flen;

	/* A line no format parsed is never in a scope (ldgrep drops it). */
	if (r->fmt == NULL && !r->is_record)
		return;
	if (r->has_ts) {
		if (b->ntimed == 0 || r->ts.ns < b->tmin)
			b->tmin = r->ts.ns;
		if (b->ntimed == 0 || r->ts.ns > b->tmax)
			b->tmax = r->ts.ns;
		b->ntimed++;
		if (r->ts.year_guessed)
			b->flags |= LD_IXB_YEAR_GUESSED;
	}
	if (f[LD_F_NS])
		add_prefixes(B, f[LD_F_NS], fl[LD_F_NS]);
	if (f[LD_F_PROJECT]) {
		add_prefixes(B, f[LD_F_PROJECT], fl[LD_F_PROJECT]);
		ks_add(&B->keys, ix_key(IXK_PROJECT, f[LD_F_PROJECT],
		    fl[LD_F_PROJECT], 1));
	}
	if (f[LD_F_USER])
		ks_add(&B->keys, ix_key(IXK_USER, f[LD_F_USER], fl[LD_F_USER], 1));
	if (f[LD_F_USER_ID])
		ks_add(&B->keys, ix_key(IXK_USER_ID, f[LD_F_USER_ID],
		    fl[LD_F_USER_ID], 0));
	if (f[LD_F_EVENT])
		ks_add(&B->keys, ix_key(IXK_EVENT, f[LD_F_EVENT],
		    fl[LD_F_EVENT], 0));
	if (f[LD_F_CID])
		ks_add(&B->cids, ix_key(IXK_CID, f[LD_F_CID], fl[LD_F_CID], 0));
	if (f[LD_F_IP])
		add_ip(B, f[LD_F_IP], fl[LD_F_IP]);
}

/* End the current block: size its filter, fill it, add it to the last
 * unit. */
static void
block_end(struct builder *B)
{
	struct ld_index_block *b = &B->cur;
	struct ld_index_unit *u;

	if (!B->open || B->ix->nunits == 0)
		return;
	u = &B->ix->units[B->ix->nunits - 1];
	b->k = K;
	b->m = ((uint64_t)B->keys.n * BITS_PER_KEY + 63) / 64 * 64;
	if (b->m == 0)
		b->m = 64;
	b->bits = ld_xcalloc(b->m / 64, sizeof(uint64_t));
	for (size_t i = 0; i < B->keys.cap; i++)
		if (B->keys.v[i])
			ix_bloom_set(b->bits, b->m, b->k, B->keys.v[i]);
	b->ck = CID_K;
	b->cm = ((uint64_t)B->cids.n * CID_BITS + 63) / 64 * 64;
	if (b->cm == 0)
		b->cm = 64;
	b->cbits = ld_xcalloc(b->cm / 64, sizeof(uint64_t));
	for (size_t i = 0; i < B->cids.cap; i++)
		if (B->cids.v[i])
			ix_bloom_set(b->cbits, b->cm, b->ck, B->cids.v[i]);
	if (B->cids.cap)
		memset(B->cids.v, 0, B->cids.cap * sizeof(*B->cids.v));
	B->cids.n = 0;
	u->blocks = ld_xrealloc(u->blocks, (u->nblocks + 1) * sizeof(*b));
	u->blocks[u->nblocks++] = *b;
	if (B->keys.cap)
		memset(B->keys.v, 0, B->keys.cap * sizeof(*B->keys.v));
	B->keys.n = 0;
	memset(b, 0, sizeof(*b));
	B->open = 0;
}

static void
block_begin(struct builder *B, uint64_t first_line)
{
	memset(&B->cur, 0, sizeof(B->cur));
	B->cur.first_line = first_line;
	B->open = 1;
}

/* The unit hook of the source: every unit, even one without a line. */
static int
on_unit(void *arg, const char *unit, const char *member, uint64_t ordinal)
{
	struct builder *B = arg;
	struct ld_index *ix = B->ix;

	/* An archive's members cannot be entered midway: one block each. */
	if (member != NULL) {
		free(B->fr);
		B->fr = NULL;
		B->nfr = 0;
	}
	block_end(B);
	ix->units = ld_xrealloc(ix->units, (ix->nunits + 1) *
	    sizeof(*ix->units));
	memset(&ix->units[ix->nunits], 0, sizeof(*ix->units));
	ix->units[ix->nunits].member = member ? ld_xstrdup(member) : NULL;
	ix->nunits++;
	return 0;
}

/* In a seekable source, a block ends where a line ends at the end of a
 * frame; a line that runs on into the next frame takes the block on. */
static void
frame_cut(struct builder *B)
{
	size_t j = B->fi;
	struct ld_index_block *b = &B->cur;

	while (j < B->nfr && B->dec > B->fr[j].dec_off + B->fr[j].dec_len)
		j++;
	if (j == B->nfr || B->dec != B->fr[j].dec_off + B->fr[j].dec_len)
		return;
	b->comp_off = B->fr[B->fi].comp_off;
	b->comp_len = B->fr[j].comp_off + B->fr[j].comp_len - b->comp_off;
	b->dec_off = B->fr[B->fi].dec_off;
	block_end(B);
	B->fi = j + 1;
}

/* The seek table of path when it is a seekable zstd file. */
static void
read_frames(struct builder *B, int fd, uint64_t size)
{
	unsigned char m[4];
	struct ld_err e;

	if (pread(fd, m, 4, 0) != 4 || memcmp(m, "\x28\xb5\x2f\xfd", 4) != 0)
		return;
	if (ld_seekable_table(fd, size, &B->fr, &B->nfr, &e) != 1) {
		B->fr = NULL;
		B->nfr = 0;
	}
}

struct ld_index *
ld_index_build(const char *path, const struct ld_index_build_opts *o,
    struct ld_err *err)
{
	const char *algs[] = { "sha256" };
	char hex[1][LD_DIGEST_HEXMAX];
	struct builder B;
	struct ld_src *src = NULL;
	struct ld_line l;
	struct ld_err e;
	const struct ld_format *hint = NULL;
	uint64_t unitno = 0, size;
	int fd, r;

	memset(&B, 0, sizeof(B));
	if (strcmp(path, "-") == 0) {
		ld_err_set(err, "-: standard input cannot be indexed");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	r = ld_digest_fd(fd, 1, algs, hex, &size);
	if (r == 0)
		read_frames(&B, fd, size);
	close(fd);
	if (r < 0) {
		ld_err_set(err, "%s: read error: %s", path, strerror(errno));
		return NULL;
	}
	B.o = o;
	B.ix = ld_xcalloc(1, sizeof(*B.ix));
	B.ix->path = ld_xstrdup(path);
	B.ix->size = size;
	memcpy(B.ix->sha256, hex[0], 65);
	memcpy(B.ix->formats_id, ld_formats_id(o->fs), 65);
	B.ix->forced = o->forced ? ld_xstrdup(ld_format_name(o->forced)) : NULL;
	B.p = ld_parser_new(o->fs, o->ref_year);
	ld_parser_set_no_tree(B.p, 1, LD_F_ALL);
	src = ld_src_open(path);
	ld_src_set_unit_hook(src, on_unit, &B);
	while ((r = ld_src_next(src, &l, &e)) != 0) {
		if (r < 0) {
			ld_err_set(err, "%s", e.msg);
			ld_index_free(B.ix);
			B.ix = NULL;
			goto out;
		}
		if (l.unitno != unitno) {
			unitno = l.unitno;
			hint = o->forced ? o->forced :
			    ld_formats_for_source(o->fs, l.unit);
		}
		if (!B.open)
			block_begin(&B, l.lineno);
		B.ix->units[B.ix->nunits - 1].lines++;
		B.cur.nlines++;
		B.cur.dec_len += l.rawn;
		B.dec += l.rawn;
		if (ld_parse_line(B.p, hint, l.unit, l.lineno, l.p, l.n,
		    &B.rec) == LD_PARSE_RXERROR) {
			/* A line of unknown format cannot be summarised: an
			 * index would let a dive skip it without a word. */
			ld_parser_error(B.p, &e);
			ld_err_set(err, "%s:%llu: %s", l.unit,
			    (unsigned long long)l.lineno, e.msg);
			ld_index_free(B.ix);
			B.ix = NULL;
			goto out;
		}
		add_record(&B, &B.rec);
		if (B.nfr)
			frame_cut(&B);
	}
	if (B.ix->nunits)
		block_end(&B);
	/* Blocks with file offsets only when every one of them got them:
	 * the source was one unit and its frames ended with lines. */
	if (B.nfr && B.ix->nunits == 1 && B.ix->units[0].member == NULL &&
	    B.fi == B.nfr)
		B.ix->flags |= LD_IX_SEEKABLE;
out:
	ld_src_close(src);
	ld_rec_free(&B.rec);
	ld_parser_free(B.p);
	free(B.keys.v);
	free(B.cids.v);
	free(B.cur.bits);
	free(B.cur.cbits);
	free(B.fr);
	return B.ix;
}
