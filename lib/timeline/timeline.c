/*
 * timeline.c — external sort of records by time, and duplicate keys.
 *
 * The arena is one allocation of the memory bound.  Each record is a
 * header (its key and length) followed by its text, 8-byte aligned.  When
 * the next record would not fit — counting the two pointers per record
 * that sorting needs (the index, and the scratch array glibc's qsort
 * allocates) — the index is sorted and the records are written in order
 * to a run file with the same layout.  At the end, runs are merged with a
 * binary heap; while there are more runs than the bound allows buffers
 * for, the first ones are merged into a new run.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/jsonx.h"
#include "timeline/timeline.h"

#define MIN_MEMORY ((size_t)1 << 20)
#define RUN_BUF ((size_t)64 << 10)	/* stdio buffer of an open run */
#define MAX_FANIN 512

struct hdr {
	struct ld_tl_key k;
	uint32_t len;
};

/* A run is an fd while it waits, so that idle runs cost no buffer; a
 * stream with its buffer while it is written or read. */
struct run {
	int fd;
	FILE *f;
	char *buf;		/* the stream's buffer */
	struct hdr h;		/* current record */
	struct ld_buf text;
	int live;		/* h and text hold a record */
};

struct ld_tl {
	size_t memory;
	char *tmpdir;
	struct ld_strtab *names;	/* source names */
	/* the arena */
	char *arena;
	size_t cap, used, nrec;
	struct hdr **idx;
	size_t pos;		/* next in idx when nothing spilled */
	/* runs */
	struct run *runs;
	size_t nruns;
	size_t *heap;		/* indices into runs */
	size_t nheap;
	size_t pending;		/* run to advance before the next pop, or -1 */
	int merging;
	EVP_MD_CTX *md;		/* made with sha256 on the first digest(): */
	struct ld_buf kb;		/* the text of an audit event's key */
	EVP_MD *sha256;		/* a merge of ld-records hashes nothing */
	uint64_t seq;
	struct ld_tl_stats st;
};

struct ld_tl *
ld_tl_new(size_t memory, const char *tmpdir)
{
	struct ld_tl *t = ld_xcalloc(1, sizeof(*t));

	if (memory < MIN_MEMORY)
		memory = MIN_MEMORY;
	if (tmpdir == NULL && (tmpdir = getenv("TMPDIR")) == NULL)
		tmpdir = "/tmp";
	t->memory = memory;
	t->tmpdir = ld_xstrdup(tmpdir);
	/* Most of the bound is the arena; the rest covers the spill buffer,
	 * source names and the reader's own buffers. */
	t->cap = memory - memory / 8;
	t->pending = (size_t)-1;
	t->names = ld_strtab_new();
	return t;
}

static void
run_close(struct run *r)
{
	if (r->f)
		fclose(r->f);
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	ld_buf_free(&r->text);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

void
ld_tl_free(struct ld_tl *t)
{
	if (t == NULL)
		return;
	ld_strtab_free(t->names);
	free(t->arena);
	free(t->idx);
	for (size_t i = 0; i < t->nruns; i++)
		run_close(&t->runs[i]);
	free(t->runs);
	free(t->heap);
	EVP_MD_CTX_free(t->md);
	EVP_MD_free(t->sha256);
	ld_buf_free(&t->kb);
	free(t->tmpdir);
	free(t);
}

/* ---- keys ---- */

struct ld_strtab {
	char **names;
	size_t *lens;
	uint32_t n, cap;
	uint32_t *slots;	/* open addressing: id + 1, 0 empty */
	uint32_t nslots;
};

struct ld_strtab *
ld_strtab_new(void)
{
	return ld_xcalloc(1, sizeof(struct ld_strtab));
}

void
ld_strtab_free(struct ld_strtab *st)
{
	if (st == NULL)
		return;
	for (uint32_t i = 0; i < st->n; i++)
		free(st->names[i]);
	free(st->names);
	free(st->lens);
	free(st->slots);
	free(st);
}

/* A hash of n bytes, eight at a time: every record of a merge looks its
 * source name up here. */
static uint32_t
strhash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	}
	h ^= h >> 29;
	return (uint32_t)h;
}

uint32_t
ld_strtab_id(struct ld_strtab *st, const char *s, size_t n)
{
	uint32_t i, id, mask;

	if (st->n * 2 >= st->nslots) {
		uint32_t ns = st->nslots ? st->nslots * 2 : 64;

		free(st->slots);
		st->slots = ld_xcalloc(ns, sizeof(*st->slots));
		st->nslots = ns;
		for (id = 0; id < st->n; id++) {
			for (i = strhash(st->names[id], st->lens[id]) & (ns - 1);
			    st->slots[i]; i = (i + 1) & (ns - 1))
				;
			st->slots[i] = id + 1;
		}
	}
	mask = st->nslots - 1;
	for (i = strhash(s, n) & mask; st->slots[i]; i = (i + 1) & mask) {
		id = st->slots[i] - 1;
		if (st->lens[id] == n && memcmp(st->names[id], s, n) == 0)
			return id;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->names = ld_xrealloc(st->names, st->cap * sizeof(*st->names));
		st->lens = ld_xrealloc(st->lens, st->cap * sizeof(*st->lens));
	}
	st->names[st->n] = ld_xstrndup(s, n);
	st->lens[st->n] = n;
	st->slots[i] = st->n + 1;
	return st->n++;
}

const char *
ld_strtab_name(const struct ld_strtab *st, uint32_t id)
{
	return id < st->n ? st->names[id] : "";
}

uint32_t
ld_strtab_count(const struct ld_strtab *st)
{
	return st->n;
}

const char *
ld_tl_src_name(const struct ld_tl *t, uint32_t src)
{
	return ld_strtab_name(t->names, src);
}

static void
digest(struct ld_tl *t, const char *tag, const char *s, size_t n,
    uint8_t out[16])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	if (t->md == NULL && ((t->md = EVP_MD_CTX_new()) == NULL ||
	    (t->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL))
		abort();
	if (!EVP_DigestInit_ex2(t->md, t->sha256, NULL) ||
	    !EVP_DigestUpdate(t->md, tag, strlen(tag) + 1) ||
	    !EVP_DigestUpdate(t->md, s, n) ||
	    !EVP_DigestFinal_ex(t->md, md, &mdlen))
		abort();
	memcpy(out, md, 16);
}

/* A member's raw text as one part of a key: "1" and 1 are the same id. */
static void
key_part(struct ld_buf *b, const char *vs, size_t vn)
{
	if (vn >= 2 && vs[0] == '"') {
		vs++;
		vn -= 2;
	}
	ld_buf_add(b, vs, vn);
	ld_buf_addc(b, '\0');
}

void
ld_tl_key(struct ld_tl *t, const struct ld_rec *r, struct ld_tl_key *k)
{
	const char *vs;
	size_t vn;

	memset(k, 0, sizeof(*k));
	k->has_ts = r->has_ts != 0;
	k->ns = r->has_ts ? r->ts.ns : 0;
	k->line = r->line;
	k->seq = t->seq++;
	k->src = ld_strtab_id(t->names, r->src ? r->src : "",
	    r->src ? strlen(r->src) : 0);
	if (r->has_ts && r->fmtname &&
	    strncmp(r->fmtname, "gitlab.audit", 12) == 0 && r->evraw &&
	    ld_json_raw_member(r->evraw, r->evrawlen, "id", &vs, &vn) == 1 &&
	    !(vn == 4 && memcmp(vs, "null", 4) == 0)) {
		/* An audit event's id is unique only within one instance, and
		 * GitLab's own examples reuse "1": the occurrence is the id with
		 * the event type, the entity and the time. */
		ld_buf_reset(&t->kb);
		key_part(&t->kb, vs, vn);
		if (r->f[LD_F_EVENT])
			ld_buf_add(&t->kb, r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
		ld_buf_addc(&t->kb, '\0');
		if (ld_json_raw_member(r->evraw, r->evrawlen, "entity_type", &vs,
		    &vn) == 1)
			key_part(&t->kb, vs, vn);
		else
			ld_buf_addc(&t->kb, '\0');
		if (ld_json_raw_member(r->evraw, r->evrawlen, "entity_id", &vs,
		    &vn) == 1)
			key_part(&t->kb, vs, vn);
		else
			ld_buf_addc(&t->kb, '\0');
		ld_buf_add(&t->kb, &k->ns, sizeof(k->ns));
		k->by_id = 1;
		digest(t, "audit-occurrence", t->kb.p, t->kb.len, k->hash);
	} else
		digest(t, "event", r->evraw ? r->evraw : "", r->evraw ?
		    r->evrawlen : 0, k->hash);
}

int
ld_tl_key_quick(struct ld_tl *t, const char *line, size_t n,
    struct ld_tl_key *k)
{
	static const char ts[] = "{\"ts\":\"", src[] = "\",\"src\":\"",
	    ln[] = "\",\"line\":";
	const char *p = line, *e = line + n, *q, *name;
	struct ld_time tm;
	uint64_t no = 0;

	/* A line that does not end its object (white space after it, say)
	 * is not as ld_rec_write() writes it. */
	if ((size_t)(e - p) < sizeof(ts) - 1 || memcmp(p, ts, sizeof(ts) - 1) ||
	    e[-1] != '}')
		return 0;
	p += sizeof(ts) - 1;
	if ((q = memchr(p, '"', (size_t)(e - p))) == NULL ||
	    memchr(p, '\\', (size_t)(q - p)) ||
	    ld_time_parse(p, (size_t)(q - p), LD_TIME_RFC3339, 0, &tm) < 0)
		return 0;
	p = q;
	if ((size_t)(e - p) < sizeof(src) - 1 || memcmp(p, src, sizeof(src) - 1))
		return 0;
	p += sizeof(src) - 1;
	name = p;
	/* A name with an escape is compared decoded, and a control byte is
	 * no JSON: the full parse does both. */
	for (q = p; q < e && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return 0;
	if (q == e)
		return 0;
	p = q;
	if ((size_t)(e - p) < sizeof(ln) - 1 || memcmp(p, ln, sizeof(ln) - 1))
		return 0;
	p += sizeof(ln) - 1;
	if (p == e || *p < '0' || *p > '9')
		return 0;
	for (; p < e && *p >= '0' && *p <= '9'; p++) {
		if (no > (UINT64_MAX - 9) / 10)
			return 0;
		no = no * 10 + (uint64_t)(*p - '0');
	}
	if (p == e || *p != ',')
		return 0;
	/* The full parse would repair invalid UTF-8 (and mark the record):
	 * such a line is not passed on as it came. */
	if (!ld_utf8_valid(line, n))
		return 0;
	memset(k, 0, sizeof(*k));
	k->has_ts = 1;
	k->ns = tm.ns;
	k->line = no;
	k->seq = t->seq++;
	k->src = ld_strtab_id(t->names, name, (size_t)(q - name));
	return 1;
}

int
ld_tl_key_cmp(const struct ld_tl *t, const struct ld_tl_key *a,
    const struct ld_tl_key *b)
{
	int c;

	if (a->has_ts != b->has_ts)
		return a->has_ts ? -1 : 1;
	if (a->has_ts && a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	if (a->src != b->src &&
	    (c = strcmp(t->names->names[a->src], t->names->names[b->src])) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

/* ---- runs ---- */

/* Open fd as a buffered stream of r. */
static int
run_stream(struct run *r, const char *mode)
{
	int fd = dup(r->fd);

	if (fd < 0 || (r->f = fdopen(fd, mode)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	r->buf = ld_xmalloc(RUN_BUF);
	setvbuf(r->f, r->buf, _IOFBF, RUN_BUF);
	return 0;
}

/* Close r's stream (flushing it), keeping the fd. */
static int
run_park(struct run *r)
{
	int rc = fclose(r->f);

	r->f = NULL;
	free(r->buf);
	r->buf = NULL;
	return rc;
}

static int
write_rec(struct ld_tl *t, FILE *f, const struct hdr *h, const char *text)
{
	if (fwrite(h, sizeof(*h), 1, f) != 1 ||
	    fwrite(text, 1, h->len, f) != h->len)
		return -1;
	t->st.spilled += sizeof(*h) + h->len;
	return 0;
}

/* A new run in a temporary file (unlinked at once), open for writing. */
static struct run *
new_run(struct ld_tl *t, struct ld_err *err)
{
	struct ld_buf path = { 0 };
	struct run *r = NULL;
	int fd;

	ld_buf_addf(&path, "%s/ldtimeline.XXXXXX", t->tmpdir);
	if ((fd = mkstemp(path.p)) < 0) {
		ld_err_set(err, "%s: cannot create a temporary file: %s",
		    t->tmpdir, strerror(errno));
		goto out;
	}
	unlink(path.p);
	t->runs = ld_xrealloc(t->runs, (t->nruns + 1) * sizeof(*t->runs));
	r = &t->runs[t->nruns++];
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	t->st.runs++;
	if (run_stream(r, "w") < 0) {
		ld_err_set(err, "%s: temporary file: %s", t->tmpdir,
		    strerror(errno));
		r = NULL;
	}
out:
	ld_buf_free(&path);
	return r;
}

/* Finish writing r. */
static int
run_end(struct ld_tl *t, struct run *r, struct ld_err *err)
{
	if (run_park(r) != 0)
		return ld_err_set(err, "%s: temporary file: %s", t->tmpdir,
		    strerror(errno));
	return 0;
}

/* Open a written run for reading from its start. */
static int
run_rewind(struct run *r, struct ld_err *err)
{
	if (lseek(r->fd, 0, SEEK_SET) != 0 || run_stream(r, "r") < 0)
		return ld_err_set(err, "temporary file: %s", strerror(errno));
	return 0;
}

/* Read the next record of r into r->h and r->text; r->live says if any. */
static int
run_read(struct run *r, struct ld_err *err)
{
	size_t got = fread(&r->h, 1, sizeof(r->h), r->f);

	r->live = 0;
	if (got == 0 && feof(r->f))
		return 0;
	if (got != sizeof(r->h))
		goto bad;
	ld_buf_reset(&r->text);
	ld_buf_grow(&r->text, (size_t)r->h.len + 1);
	if (fread(r->text.p, 1, r->h.len, r->f) != r->h.len)
		goto bad;
	r->text.len = r->h.len;
	r->text.p[r->text.len] = '\0';
	r->live = 1;
	return 0;
bad:
	return ld_err_set(err, "temporary file: %s", ferror(r->f) ?
	    strerror(errno) : "truncated");
}

static int
cmp_idx(const void *a, const void *b, void *arg)
{
	const struct hdr *x = *(struct hdr *const *)a;
	const struct hdr *y = *(struct hdr *const *)b;

	return ld_tl_key_cmp(arg, &x->k, &y->k);
}

/* Sort what the arena holds into t->idx. */
static void
sort_arena(struct ld_tl *t)
{
	size_t off = 0, i = 0;

	free(t->idx);
	t->idx = ld_xmalloc((t->nrec ? t->nrec : 1) * sizeof(*t->idx));
	while (off < t->used) {
		struct hdr *h = (struct hdr *)(t->arena + off);

		t->idx[i++] = h;
		off += (sizeof(*h) + h->len + 7) & ~(size_t)7;
	}
	qsort_r(t->idx, t->nrec, sizeof(*t->idx), cmp_idx, t);
	t->pos = 0;
}

static int
spill(struct ld_tl *t, struct ld_err *err)
{
	struct run *r;
	int rc = -1;

	sort_arena(t);
	if ((r = new_run(t, err)) == NULL)
		goto out;
	for (size_t i = 0; i < t->nrec; i++)
		if (write_rec(t, r->f, t->idx[i], (char *)(t->idx[i] + 1)) < 0) {
			ld_err_set(err, "%s: temporary file: %s", t->tmpdir,
			    strerror(errno));
			goto out;
		}
	rc = run_end(t, r, err);
out:
	free(t->idx);
	t->idx = NULL;
	t->used = t->nrec = 0;
	return rc;
}

int
ld_tl_add(struct ld_tl *t, const struct ld_tl_key *k, const char *text,
    size_t n, struct ld_err *err)
{
	size_t need = ((sizeof(struct hdr) + n + 7) & ~(size_t)7) +
	    2 * sizeof(void *);
	struct hdr h;

	if (n > UINT32_MAX)
		return ld_err_set(err, "record of %zu bytes is too long", n);
	memset(&h, 0, sizeof(h));
	h.k = *k;
	h.len = (uint32_t)n;
	t->st.records++;
	if (t->used + t->nrec * 2 * sizeof(void *) + need > t->cap &&
	    t->nrec > 0 && spill(t, err) < 0)
		return -1;
	if (need > t->cap) {
		/* Longer than the whole arena: a run of its own. */
		struct run *r = new_run(t, err);

		if (r == NULL)
			return -1;
		if (write_rec(t, r->f, &h, text) < 0)
			return ld_err_set(err, "%s: temporary file: %s",
			    t->tmpdir, strerror(errno));
		return run_end(t, r, err);
	}
	if (t->arena == NULL)
		t->arena = ld_xmalloc(t->cap);
	memcpy(t->arena + t->used, &h, sizeof(h));
	memcpy(t->arena + t->used + sizeof(h), text, n);
	t->used += (sizeof(h) + n + 7) & ~(size_t)7;
	t->nrec++;
	return 0;
}

/* ---- merging ---- */

static int
heap_less(const struct ld_tl *t, size_t a, size_t b)
{
	return ld_tl_key_cmp(t, &t->runs[a].h.k, &t->runs[b].h.k) < 0;
}

static void
heap_push(struct ld_tl *t, size_t run)
{
	size_t i = t->nheap++, p;

	t->heap[i] = run;
	while (i > 0 && heap_less(t, t->heap[i], t->heap[p = (i - 1) / 2])) {
		size_t x = t->heap[i];

		t->heap[i] = t->heap[p];
		t->heap[p] = x;
		i = p;
	}
}

static size_t
heap_pop(struct ld_tl *t)
{
	size_t top = t->heap[0], i = 0;

	t->heap[0] = t->heap[--t->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, x;

		if (l < t->nheap && heap_less(t, t->heap[l], t->heap[m]))
			m = l;
		if (r < t->nheap && heap_less(t, t->heap[r], t->heap[m]))
			m = r;
		if (m == i)
			break;
		x = t->heap[i];
		t->heap[i] = t->heap[m];
		t->heap[m] = x;
		i = m;
	}
	return top;
}

/* Open runs [from, to) for merging: rewind, read the first records. */
static int
heap_fill(struct ld_tl *t, size_t from, size_t to, struct ld_err *err)
{
	free(t->heap);
	t->heap = ld_xmalloc((to - from + 1) * sizeof(*t->heap));
	t->nheap = 0;
	for (size_t i = from; i < to; i++) {
		if (run_rewind(&t->runs[i], err) < 0 ||
		    run_read(&t->runs[i], err) < 0)
			return -1;
		if (t->runs[i].live)
			heap_push(t, i);
	}
	return 0;
}

/* The next record of the merge, or -1 in *run at the end. */
static int
merge_next(struct ld_tl *t, size_t *run, struct ld_err *err)
{
	if (t->pending != (size_t)-1) {
		struct run *r = &t->runs[t->pending];

		if (run_read(r, err) < 0)
			return -1;
		if (r->live)
			heap_push(t, t->pending);
		else
			run_close(r);
		t->pending = (size_t)-1;
	}
	*run = t->nheap ? heap_pop(t) : (size_t)-1;
	t->pending = *run;
	return 0;
}

static size_t
fanin(const struct ld_tl *t)
{
	size_t n = t->memory / (2 * RUN_BUF);

	return n < 2 ? 2 : n > MAX_FANIN ? MAX_FANIN : n;
}

int
ld_tl_sort(struct ld_tl *t, struct ld_err *err)
{
	size_t first = 0, k = fanin(t), run;
	struct run *out;

	if (t->nruns == 0) {
		sort_arena(t);
		return 0;
	}
	if (t->nrec > 0 && spill(t, err) < 0)
		return -1;
	free(t->arena);
	t->arena = NULL;
	/* Merge the oldest runs into a new one until few enough remain. */
	while (t->nruns - first > k) {
		if (heap_fill(t, first, first + k, err) < 0 ||
		    (out = new_run(t, err)) == NULL)
			return -1;
		t->st.passes++;
		for (;;) {
			if (merge_next(t, &run, err) < 0)
				return -1;
			if (run == (size_t)-1)
				break;
			out = &t->runs[t->nruns - 1];
			if (write_rec(t, out->f, &t->runs[run].h,
			    t->runs[run].text.p) < 0)
				return ld_err_set(err, "%s: temporary file: %s",
				    t->tmpdir, strerror(errno));
		}
		t->pending = (size_t)-1;
		if (run_end(t, &t->runs[t->nruns - 1], err) < 0)
			return -1;
		first += k;
	}
	t->merging = 1;
	return heap_fill(t, first, t->nruns, err);
}

int
ld_tl_next(struct ld_tl *t, struct ld_tl_key *k, const char **text,
    size_t *n, struct ld_err *err)
{
	size_t run;

	if (!t->merging) {
		const struct hdr *h;

		if (t->idx == NULL || t->pos >= t->nrec)
			return 0;
		h = t->idx[t->pos++];
		*k = h->k;
		*text = (const char *)(h + 1);
		*n = h->len;
		return 1;
	}
	if (merge_next(t, &run, err) < 0)
		return -1;
	if (run == (size_t)-1)
		return 0;
	*k = t->runs[run].h.k;
	*text = t->runs[run].text.p;
	*n = t->runs[run].text.len;
	return 1;
}

const struct ld_tl_stats *
ld_tl_stats(const struct ld_tl *t)
{
	return &t->st;
}

/* ---- duplicates ---- */

/* A set of 16-byte keys; clearing is a new generation. */
struct kset {
	uint8_t (*key)[16];
	uint32_t *gen;
	size_t cap, n;
	uint32_t cur;
};

struct ld_dedup {
	struct kset group;	/* text keys of the current time */
	int have_last;
	int64_t last_ns;
};

static void
kset_free(struct kset *s)
{
	free(s->key);
	free(s->gen);
}

static void
kset_clear(struct kset *s)
{
	s->n = 0;
	if (++s->cur == 0) {
		memset(s->gen, 0, s->cap * sizeof(*s->gen));
		s->cur = 1;
	}
}

static int kset_add(struct kset *s, const uint8_t key[16]);

static void
kset_grow(struct kset *s)
{
	struct kset old = *s;

	s->cap = old.cap ? old.cap * 2 : 64;
	s->key = ld_xmalloc(s->cap * sizeof(*s->key));
	s->gen = ld_xcalloc(s->cap, sizeof(*s->gen));
	s->n = 0;
	s->cur = 1;
	for (size_t i = 0; i < old.cap; i++)
		if (old.gen[i] == old.cur && old.cur != 0)
			kset_add(s, old.key[i]);
	kset_free(&old);
}

/* 1 when key was there already; else adds it and returns 0. */
static int
kset_add(struct kset *s, const uint8_t key[16])
{
	size_t i;
	uint64_t h;

	if ((s->n + 1) * 4 > s->cap * 3)
		kset_grow(s);
	memcpy(&h, key, sizeof(h));
	for (i = h & (s->cap - 1); s->gen[i] == s->cur; i = (i + 1) & (s->cap - 1))
		if (memcmp(s->key[i], key, 16) == 0)
			return 1;
	memcpy(s->key[i], key, 16);
	s->gen[i] = s->cur;
	s->n++;
	return 0;
}

struct ld_dedup *
ld_dedup_new(size_t max_ids)
{
	struct ld_dedup *d = ld_xcalloc(1, sizeof(*d));

	(void)max_ids;
	d->group.cur = 1;
	return d;
}

void
ld_dedup_free(struct ld_dedup *d)
{
	if (d == NULL)
		return;
	kset_free(&d->group);
	free(d);
}

int
ld_dedup_check(struct ld_dedup *d, const struct ld_tl_key *k)
{
	if (!k->has_ts)
		return 0;
	if (!d->have_last || k->ns != d->last_ns) {
		kset_clear(&d->group);
		d->have_last = 1;
		d->last_ns = k->ns;
	}
	/* Every key is of one occurrence at one time, so only the keys of
	 * the current time need remembering. */
	return kset_add(&d->group, k->hash);
}

int
ld_dedup_full(const struct ld_dedup *d)
{
	(void)d;
	return 0;
}
