/*
 * build.c — making the index of a source: read it as ldgrep does, parse
 * every line with the same formats, and summarise each block; and
 * building many on threads, in order.
 *
 * The distinct keys of a block are gathered in a set of their 64-bit
 * hashes, so a key seen a million times costs one slot; when the block
 * ends its filter is sized for the keys it has (for LD_INDEX_FP_RATE
 * false positives) and the set is emptied.  What a value derives (the
 * prefixes of a path, the networks of an address) is derived only the
 * first time the block meets the value.
 *
 * Most lines are flat JSON (format.h, ld_flat_read()): for those the
 * parser is asked only once per shape, and each field's alternatives are
 * read straight from the line.  The text of an alternative already made
 * into a value in this block is remembered with its answer (the memo), so
 * a project or user met again costs a hash and a compare, not the
 * transforms and the hashes of its keys.  The keys added are exactly
 * those the parse would add; ld_index_build_opts.no_flat parses every
 * line instead, and the tests compare the two indexes byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/digest.h"
#include "index/index.h"
#include "index/index_impl.h"

/* Raw address text, a key of the block's set of seen values only (never
 * in a filter): an address met again is not parsed again. */
#define IXK_RAW_IP 'A'

/*
 * The table of a block's keys outgrows the first-level cache (thousands
 * of keys, 8 bytes each, in a table twice their number), and every line
 * probes it a few times at random places; but lines mostly repeat keys
 * met a little before (the same event, a tenant's burst).  A small
 * direct-mapped memory of keys found or added takes those without
 * touching the table: a key in it is in the table.
 */
#define KS_RECENT 256		/* a power of two */

struct keyset {
	uint64_t *v;		/* 0 is an empty slot */
	size_t cap, n;
	uint64_t recent[KS_RECENT];	/* by the hash's high bits, or 0 */
};

/* Add h; 1 when it was not there. */
static int
ks_add(struct keyset *s, uint64_t h)
{
	uint64_t *r;
	size_t i;

	if (h == 0)
		h = 1;
	/* The slot by high bits: the table's index uses the low ones. */
	r = &s->recent[h >> 56 & (KS_RECENT - 1)];
	if (*r == h)
		return 0;
	*r = h;
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
			return 0;
	s->v[i] = h;
	s->n++;
	return 1;
}

static void
ks_clear(struct keyset *s)
{
	if (s->cap)
		memset(s->v, 0, s->cap * sizeof(*s->v));
	memset(s->recent, 0, sizeof(s->recent));
	s->n = 0;
}

/*
 * A filter for n keys at false-positive rate p: m = n ln(1/p) / ln(2)^2
 * bits (a multiple of 64, at least 64) and k = (m / n) ln 2 probes, as
 * an optimal Bloom filter has.
 */
static void
bloom_size(size_t n, double p, uint64_t *m, uint32_t *k)
{
	double bpk = -log(p) / (M_LN2 * M_LN2);

	*m = ((uint64_t)ceil((double)n * bpk) + 63) / 64 * 64;
	if (*m == 0)
		*m = 64;
	*k = (uint32_t)lround(bpk * M_LN2);
	if (*k < 1)
		*k = 1;
}

static uint64_t *
bloom_fill(const struct keyset *s, uint64_t m, uint32_t k)
{
	uint64_t *bits = ld_xcalloc(m / 64, sizeof(uint64_t));

	for (size_t i = 0; i < s->cap; i++)
		if (s->v[i])
			ix_bloom_set(bits, m, k, s->v[i]);
	return bits;
}

/*
 * The memo of a block: by format, field, alternative and text (an
 * alternative's transforms are its format's: a block may hold lines of
 * several), whether the text made a value (whose keys are then in the
 * block's set).  The texts are
 * kept in an arena, so that a hit is checked byte for byte: a hash alone
 * could take one text for another and leave its keys out.  When the
 * arena or the table is full the memo starts again empty, which costs
 * only time.
 */
#define MEMO_BYTES (256 * 1024)
#define MEMO_SLOTS 8192		/* a power of two; half of them used */

struct mslot {
	uint64_t h;		/* 0: empty */
	const struct ld_format *f;
	uint32_t off, len;	/* the text in the arena */
	int field, alt;
	int val;		/* it made a value */
};

struct memo {
	struct mslot *v;
	size_t n;
	char *arena;
	size_t used;
};

static uint64_t
memo_hash(const struct ld_format *f, int field, size_t a, const char *s,
    size_t n)
{
	uint64_t h = (uint64_t)(uintptr_t)f * 0x9e3779b97f4a7c15ull ^
	    (uint64_t)field << 8 ^ a ^ (uint64_t)n << 32, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < n) {
		/* The rest: the last eight bytes (some hashed again) when
		 * there are eight, else byte by byte. */
		if (n >= 8)
			memcpy(&w, s + n - 8, 8);
		else
			for (w = 0; i < n; i++)
				w = w << 8 | (unsigned char)s[i];
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 31;
	return h ? h : 1;
}

static void
memo_clear(struct memo *M)
{
	if (M->n || M->used)
		memset(M->v, 0, MEMO_SLOTS * sizeof(*M->v));
	M->n = 0;
	M->used = 0;
}

/* The slot of (h, f, field, a, s, n): found (its h set) or empty where
 * it goes. */
static struct mslot *
memo_slot(struct memo *M, uint64_t h, const struct ld_format *f, int field,
    int a, const char *s, size_t n)
{
	size_t i = h & (MEMO_SLOTS - 1);

	for (; M->v[i].h; i = (i + 1) & (MEMO_SLOTS - 1))
		if (M->v[i].h == h && M->v[i].len == n && M->v[i].f == f &&
		    M->v[i].field == field && M->v[i].alt == a &&
		    memcmp(M->arena + M->v[i].off, s, n) == 0)
			break;
	return &M->v[i];
}

static void
memo_put(struct memo *M, struct mslot *e, uint64_t h,
    const struct ld_format *f, int field, int a, const char *s, size_t n,
    int val)
{
	if (n > MEMO_BYTES / 16)
		return;
	if (M->used + n > MEMO_BYTES || 2 * (M->n + 1) > MEMO_SLOTS) {
		memo_clear(M);
		e = memo_slot(M, h, f, field, a, s, n);
	}
	memcpy(M->arena + M->used, s, n);
	e->h = h;
	e->f = f;
	e->field = field;
	e->alt = a;
	e->off = (uint32_t)M->used;
	e->len = (uint32_t)n;
	e->val = val;
	M->used += n;
	M->n++;
}

/* What building keeps from one source to the next on a thread: the
 * parser, the reader's buffers and decoder, the sets, so that a source
 * costs no fresh megabytes to allocate and fault in. */
struct work {
	struct ld_parser *p;
	struct ld_flat *fl;	/* NULL with no_flat */
	struct ld_src *src;
	struct ld_rec rec;
	struct keyset keys, cids, raws;
	struct memo memo;
	struct ld_buf val;
};

static void
work_init(struct work *W, const struct ld_index_build_opts *o)
{
	memset(W, 0, sizeof(*W));
	W->p = ld_parser_new(o->fs, o->ref_year);
	ld_parser_set_no_tree(W->p, 1, o->cids ? LD_F_ALL :
	    LD_F_ALL & ~(1u << LD_F_CID));
	if (!o->no_flat && o->forced == NULL)
		W->fl = ld_flat_new(W->p);
	W->memo.v = ld_xcalloc(MEMO_SLOTS, sizeof(*W->memo.v));
	W->memo.arena = ld_xmalloc(MEMO_BYTES);
}

static void
work_free(struct work *W)
{
	ld_src_close(W->src);
	ld_rec_free(&W->rec);
	ld_flat_free(W->fl);
	ld_parser_free(W->p);
	free(W->keys.v);
	free(W->cids.v);
	free(W->raws.v);
	free(W->memo.v);
	free(W->memo.arena);
	ld_buf_free(&W->val);
}

struct builder {
	const struct ld_index_build_opts *o;
	struct ld_index *ix;
	struct work *w;
	struct ld_index_block cur;	/* the block being summarised */
	int open;			/* cur has begun */
	/* a seekable zstd source of one unit: blocks are runs of frames */
	struct ld_seek_frame *fr;
	size_t nfr, fi;		/* frames, and the first of the block */
	uint64_t dec;		/* decoded bytes of the lines so far */
};

/* A prefix of path at every '/' and the whole: the values a namespace
 * covers (ld_ns_covers()); a project is one of them.  Once the whole is
 * in the block's set, so are its prefixes. */
static void
add_prefixes(struct builder *B, const char *p, size_t n)
{
	if (n == 0 || !ks_add(&B->w->keys, ix_key(IXK_NS, p, n, 1)))
		return;
	for (size_t i = 1; i < n; i++)
		if (p[i] == '/')
			ks_add(&B->w->keys, ix_key(IXK_NS, p, i, 1));
}

static void
add_ip(struct builder *B, const char *a, size_t n)
{
	struct ld_cidr c;
	char buf[128];

	if (n >= sizeof(buf) || !ks_add(&B->w->raws, ix_key(IXK_RAW_IP, a, n, 0)))
		return;
	memcpy(buf, a, n);
	buf[n] = '\0';
	if (ld_cidr_parse(buf, &c) < 0)
		return;
	if (c.family == 4)
		for (size_t i = 0; i < ix_nlevels4; i++)
			ks_add(&B->w->keys, ix_key_net(4, c.addr, ix_levels4[i]));
	else
		for (size_t i = 0; i < ix_nlevels6; i++)
			ks_add(&B->w->keys, ix_key_net(6, c.addr, ix_levels6[i]));
}

/* The keys of value v (n bytes) of field i. */
static void
add_field(struct builder *B, int i, const char *v, size_t n)
{
	switch (i) {
	case LD_F_NS:
	case LD_F_PROJECT:
		add_prefixes(B, v, n);
		break;
	case LD_F_USER:
		ks_add(&B->w->keys, ix_key(IXK_USER, v, n, 1));
		break;
	case LD_F_USER_ID:
		ks_add(&B->w->keys, ix_key(IXK_USER_ID, v, n, 0));
		break;
	case LD_F_EVENT:
		ks_add(&B->w->keys, ix_key(IXK_EVENT, v, n, 0));
		break;
	case LD_F_CID:
		if (B->o->cids)
			ks_add(&B->w->cids, ix_key(IXK_CID, v, n, 0));
		break;
	case LD_F_IP:
		add_ip(B, v, n);
		break;
	}
}

static void
add_time(struct builder *B, const struct ld_time *t)
{
	struct ld_index_block *b = &B->cur;

	if (b->ntimed == 0 || t->ns < b->tmin)
		b->tmin = t->ns;
	if (b->ntimed == 0 || t->ns > b->tmax)
		b->tmax = t->ns;
	b->ntimed++;
	if (t->year_guessed)
		b->flags |= LD_IXB_YEAR_GUESSED;
}

static void
add_record(struct builder *B, const struct ld_rec *r)
{
	/* A line no format parsed is never in a scope (ldgrep drops it). */
	if (r->fmt == NULL && !r->is_record)
		return;
	if (r->has_ts)
		add_time(B, &r->ts);
	for (int i = 0; i < LD_F_N; i++)
		if (r->f[i])
			add_field(B, i, r->f[i], r->flen[i]);
}

/*
 * The line ld_flat_read() took, of a shape with a format: each field is
 * its first alternative with a value, as the parser makes it, the text
 * looked up in the memo first.  0, or -1 when only the parser can read
 * it (then nothing of the line was added but keys the parse adds too).
 */
static int
add_flat(struct builder *B)
{
	struct work *W = B->w;
	const struct ld_format *f = ld_flat_format(W->fl);
	struct ld_time t;
	const char *s;
	size_t n;
	int rc;

	for (int i = 0; i < LD_F_N; i++) {
		if (i == LD_F_CID && !B->o->cids)
			continue;
		for (size_t a = 0; (rc = ld_flat_alt(W->fl, i, a, &s, &n)) != -1;
		    a++) {
			struct mslot *e = NULL;
			uint64_t h = 0;
			int val;

			if (rc == 0)
				continue;
			if (rc < 0)
				return -1;
			/* A correlation id is new at every line. */
			if (i != LD_F_CID) {
				h = memo_hash(f, i, a, s, n);
				e = memo_slot(&W->memo, h, f, i, (int)a, s, n);
				if (e->h) {
					if (e->val)
						break;
					continue;
				}
			}
			val = ld_flat_value(W->fl, i, a, s, n, &W->val);
			if (e)
				memo_put(&W->memo, e, h, f, i, (int)a, s, n, val);
			if (val) {
				add_field(B, i, W->val.p, W->val.len);
				break;
			}
		}
	}
	if (ld_flat_time(W->fl, &t))
		add_time(B, &t);
	return 0;
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
	bloom_size(B->w->keys.n, LD_INDEX_FP_RATE, &b->m, &b->k);
	b->bits = bloom_fill(&B->w->keys, b->m, b->k);
	if (B->o->cids) {
		bloom_size(B->w->cids.n, LD_INDEX_CID_FP_RATE, &b->cm, &b->ck);
		b->cbits = bloom_fill(&B->w->cids, b->cm, b->ck);
	}
	ks_clear(&B->w->keys);
	ks_clear(&B->w->cids);
	ks_clear(&B->w->raws);
	memo_clear(&B->w->memo);
	u->blocks = ld_xrealloc(u->blocks, (u->nblocks + 1) * sizeof(*b));
	u->blocks[u->nblocks++] = *b;
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

/* Build the index of path with the workspace W (see ld_index_build()). */
static struct ld_index *
build(struct work *W, const char *path, const struct ld_index_build_opts *o,
    struct ld_err *err)
{
	char hex[IX_DIGEST_HEX];
	struct builder B;
	struct ld_src *src;
	struct ld_line l;
	struct ld_err e;
	const struct ld_format *hint = NULL;
	uint64_t unitno = 0, size;
	enum ld_parse_result res;
	int fd, r, fr;

	memset(&B, 0, sizeof(B));
	if (strcmp(path, "-") == 0) {
		ld_err_set(err, "-: standard input cannot be indexed");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	r = ix_digest_fd(fd, hex, &size);
	if (r == 0)
		read_frames(&B, fd, size);
	close(fd);
	if (r < 0) {
		ld_err_set(err, "%s: read error: %s", path, strerror(errno));
		return NULL;
	}
	B.o = o;
	B.w = W;
	B.ix = ld_xcalloc(1, sizeof(*B.ix));
	B.ix->path = ld_xstrdup(path);
	B.ix->size = size;
	memcpy(B.ix->digest, hex, IX_DIGEST_HEX);
	memcpy(B.ix->formats_id, ld_formats_id(o->fs), 65);
	B.ix->forced = o->forced ? ld_xstrdup(ld_format_name(o->forced)) : NULL;
	if (W->src == NULL)
		W->src = ld_src_open(path);
	else
		ld_src_reopen(W->src, path);
	src = W->src;
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
		fr = W->fl ? ld_flat_read(W->fl, hint, l.unit, l.p, l.n) :
		    LD_FLAT_NO;
		if (fr == LD_FLAT_NONE || (fr == LD_FLAT_FMT && add_flat(&B) == 0))
			goto next;
		if ((res = ld_parse_line(W->p, hint, l.unit, l.lineno, l.p, l.n,
		    &W->rec)) == LD_PARSE_RXERROR) {
			/* A line of unknown format cannot be summarised: an
			 * index would let a dive skip it without a word. */
			ld_parser_error(W->p, &e);
			ld_err_set(err, "%s:%llu: %s", l.unit,
			    (unsigned long long)l.lineno, e.msg);
			ld_index_free(B.ix);
			B.ix = NULL;
			goto out;
		}
		if (fr == LD_FLAT_NEW)
			ld_flat_learn(W->fl, res, &W->rec);
		add_record(&B, &W->rec);
next:
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
	ld_src_set_unit_hook(src, NULL, NULL);
	ld_rec_clear(&W->rec);
	/* A source that broke off leaves a block half made. */
	ks_clear(&W->keys);
	ks_clear(&W->cids);
	ks_clear(&W->raws);
	memo_clear(&W->memo);
	free(B.cur.bits);
	free(B.cur.cbits);
	free(B.fr);
	return B.ix;
}

struct ld_index *
ld_index_build(const char *path, const struct ld_index_build_opts *o,
    struct ld_err *err)
{
	struct work W;
	struct ld_index *ix;

	work_init(&W, o);
	ix = build(&W, path, o, err);
	work_free(&W);
	return ix;
}

/* ---- many sources on threads ---- */

/*
 * The threads share the budget of the sources read at once
 * (LD_SRC_WORK_MEMORY, src.h) as lib/grep's do: no more threads than it
 * holds at the median source's cost, and a thread holds a share while it
 * keeps its reader (the decoder's window is what the share paid for);
 * one that needs more gives its share and reader back and waits for a
 * larger one (a source larger than the budget is built alone).  The
 * indexes do not depend on it: each is built by one thread, from the
 * source's bytes.
 */
struct many {
	const char *const *paths;
	size_t n;
	const struct ld_index_build_opts *o;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;		/* the next source to take */
	size_t given;		/* the sources handed to done() */
	size_t ahead;		/* how far past given a thread may take */
	uint64_t *need;		/* by source: ld_src_memory() */
	uint64_t typical;	/* the median need */
	uint64_t work;		/* of the budget, held by the threads */
	struct ld_index **ix;	/* by source: the result, when done[] */
	struct ld_err *err;
	char *ready;
};

/* Give back the thread's share, and with it its reader.  Locked. */
static void
many_release(struct many *M, struct work *W, uint64_t *held)
{
	if (*held == 0)
		return;
	M->work -= *held;
	*held = 0;
	ld_src_close(W->src);
	W->src = NULL;
	pthread_cond_broadcast(&M->cv);
}

static void *
many_worker(void *arg)
{
	struct many *M = arg;
	struct work W;
	uint64_t held = 0, need;
	size_t i;

	work_init(&W, M->o);
	pthread_mutex_lock(&M->mu);
	for (;;) {
		/* Wait while the results not yet handed over are many:
		 * memory stays bounded whatever the sources' sizes.  Waiting,
		 * hold nothing another thread may need to get there. */
		if (M->next < M->n && M->next >= M->given + M->ahead)
			many_release(M, &W, &held);
		while (M->next < M->n && M->next >= M->given + M->ahead)
			pthread_cond_wait(&M->cv, &M->mu);
		if (M->next >= M->n)
			break;
		i = M->next++;
		/* At least the typical share, so that a thread does not give
		 * back and take again at each source larger than the last. */
		need = M->need[i] > M->typical ? M->need[i] : M->typical;
		if (need > held) {
			many_release(M, &W, &held);
			while (M->work > 0 && M->work + need > LD_SRC_WORK_MEMORY)
				pthread_cond_wait(&M->cv, &M->mu);
			M->work += need;
			held = need;
		}
		pthread_mutex_unlock(&M->mu);
		M->ix[i] = build(&W, M->paths[i], M->o, &M->err[i]);
		pthread_mutex_lock(&M->mu);
		M->ready[i] = 1;
		pthread_cond_broadcast(&M->cv);
	}
	many_release(M, &W, &held);
	pthread_mutex_unlock(&M->mu);
	work_free(&W);
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The threads the budget holds at the median source's need (at least
 * one); sets M->need[] and M->typical. */
static int
many_threads(struct many *M, int threads)
{
	uint64_t *v = ld_xcalloc(M->n + 1, sizeof(*v)), fit;

	for (size_t i = 0; i < M->n; i++)
		v[i] = M->need[i] = ld_src_memory(M->paths[i]);
	qsort(v, M->n, sizeof(*v), cmp_u64);
	M->typical = M->n ? v[M->n / 2] : 0;
	free(v);
	fit = M->typical ? LD_SRC_WORK_MEMORY / M->typical : 0;
	if (M->typical && (uint64_t)threads > fit)
		threads = fit > 0 ? (int)fit : 1;
	return threads;
}

void
ld_index_build_many(const char *const *paths, size_t n,
    const struct ld_index_build_opts *o, int threads,
    void (*done)(void *arg, size_t i, struct ld_index *ix,
    const struct ld_err *err), void *arg)
{
	struct many M = { 0 };
	struct work W;
	pthread_t *t;
	int nt = 0;

	M.paths = paths;
	M.n = n;
	M.o = o;
	M.need = ld_xcalloc(n + 1, sizeof(*M.need));
	/* Threads past the processors add no speed, only memory. */
	if (threads > ld_processors())
		threads = ld_processors();
	if ((size_t)threads > n)
		threads = n ? (int)n : 1;
	if (threads > 1)
		threads = many_threads(&M, threads);
	if (threads < 1)
		threads = 1;
	M.ahead = 2 * (size_t)threads;
	M.ix = ld_xcalloc(n + 1, sizeof(*M.ix));
	M.err = ld_xcalloc(n + 1, sizeof(*M.err));
	M.ready = ld_xcalloc(n + 1, 1);
	pthread_mutex_init(&M.mu, NULL);
	pthread_cond_init(&M.cv, NULL);
	t = ld_xcalloc((size_t)threads, sizeof(*t));
	/* One thread: this one builds, in order, and no other is made. */
	if (threads > 1)
		for (; nt < threads; nt++)
			if (pthread_create(&t[nt], NULL, many_worker, &M) != 0)
				break;
	if (nt == 0)
		work_init(&W, o);
	for (size_t i = 0; i < n; i++) {
		if (nt == 0) {
			M.ix[i] = build(&W, paths[i], o, &M.err[i]);
		} else {
			pthread_mutex_lock(&M.mu);
			while (!M.ready[i])
				pthread_cond_wait(&M.cv, &M.mu);
			pthread_mutex_unlock(&M.mu);
		}
		done(arg, i, M.ix[i], &M.err[i]);
		M.ix[i] = NULL;
		pthread_mutex_lock(&M.mu);
		M.given = i + 1;
		pthread_cond_broadcast(&M.cv);
		pthread_mutex_unlock(&M.mu);
	}
	if (nt == 0)
		work_free(&W);
	for (int i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&M.cv);
	pthread_mutex_destroy(&M.mu);
	free(t);
	free(M.ready);
	free(M.err);
	free(M.ix);
	free(M.need);
}
