/*
 * feed.c — a source's lines read ahead on a thread (see feed.h).
 *
 * A chunk holds entries in order: a line (its bytes, number and unit), or
 * an error (its message).  The unit's name is copied once per chunk and
 * again when it changes, so that a line's unit stays valid as long as its
 * chunk.  Chunks go round between the reader and the consumer through two
 * queues, full and free; the reader waits when no chunk is free.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "input/feed.h"

#define FEED_CHUNKS 4
#define CHUNK_BYTES ((size_t)1 << 20)
_Static_assert(FEED_CHUNKS * CHUNK_BYTES / 4 * 5 <= LD_FEED_MEMORY,
    "LD_FEED_MEMORY must cover the chunks and a quarter more for tables");

struct entry {
	size_t off, n;		/* the line or message in data */
	size_t rawn;		/* as struct ld_line */
	size_t unit;		/* offset of the unit's name in data */
	uint64_t unitno, lineno;
	int err;		/* an error message, not a line */
};

struct chunk {
	struct ld_buf data;
	struct entry *e;
	size_t n, cap;
	int last;		/* the source ends after it */
};

struct ld_feed {
	struct ld_src *src;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk chunks[FEED_CHUNKS];
	struct chunk *full[FEED_CHUNKS], *spare[FEED_CHUNKS];
	size_t nfull, nspare;	/* full is a FIFO: full[0] is the oldest */
	int stop;
	/* the consumer's side */
	struct chunk *cur;
	size_t pos;
	int done;
};

static struct entry *
add_entry(struct chunk *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->e = ld_xrealloc(c->e, c->cap * sizeof(*c->e));
	}
	return &c->e[c->n++];
}

/* Take a spare chunk (waiting for one), or NULL when told to stop. */
static struct chunk *
get_spare(struct ld_feed *f)
{
	struct chunk *c = NULL;

	pthread_mutex_lock(&f->mu);
	while (!f->stop && f->nspare == 0)
		pthread_cond_wait(&f->cv, &f->mu);
	if (!f->stop)
		c = f->spare[--f->nspare];
	pthread_mutex_unlock(&f->mu);
	if (c) {
		ld_buf_reset(&c->data);
		c->n = 0;
		c->last = 0;
	}
	return c;
}

static void
put_full(struct ld_feed *f, struct chunk *c)
{
	pthread_mutex_lock(&f->mu);
	f->full[f->nfull++] = c;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static void *
reader(void *arg)
{
	struct ld_feed *f = arg;
	struct chunk *c = NULL;
	struct ld_line l;
	struct ld_err err;
	const char *unit = NULL;
	uint64_t unitno = 0;
	size_t unitoff = 0;
	int r;

	for (;;) {
		if (c == NULL) {
			if ((c = get_spare(f)) == NULL)
				return NULL;
			unit = NULL;
		}
		r = ld_src_next(f->src, &l, &err);
		if (r == 0) {
			c->last = 1;
			put_full(f, c);
			return NULL;
		}
		if (r > 0 && (unit == NULL || l.unitno != unitno)) {
			unitoff = c->data.len;
			ld_buf_add(&c->data, l.unit, strlen(l.unit) + 1);
			unit = l.unit;
			unitno = l.unitno;
		}
		{
			struct entry *e = add_entry(c);

			e->err = r < 0;
			e->off = c->data.len;
			e->unit = unitoff;
			if (r > 0) {
				e->n = l.n;
				e->rawn = l.rawn;
				e->unitno = l.unitno;
				e->lineno = l.lineno;
				ld_buf_add(&c->data, l.p, l.n);
			} else {
				e->n = strlen(err.msg);
				ld_buf_add(&c->data, err.msg, e->n + 1);
			}
		}
		if (c->data.len >= CHUNK_BYTES) {
			put_full(f, c);
			c = NULL;
		}
	}
}

struct ld_feed *
ld_feed_new(struct ld_src *s)
{
	struct ld_feed *f = ld_xcalloc(1, sizeof(*f));

	f->src = s;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	for (size_t i = 0; i < FEED_CHUNKS; i++)
		f->spare[f->nspare++] = &f->chunks[i];
	if (pthread_create(&f->tid, NULL, reader, f) != 0)
		abort();
	return f;
}

int
ld_feed_next(struct ld_feed *f, struct ld_line *l, struct ld_err *err)
{
	const struct entry *e;

	for (;;) {
		if (f->done)
			return 0;
		if (f->cur != NULL && f->pos < f->cur->n)
			break;
		pthread_mutex_lock(&f->mu);
		if (f->cur != NULL) {
			if (f->cur->last)
				f->done = 1;
			f->spare[f->nspare++] = f->cur;
			f->cur = NULL;
			pthread_cond_broadcast(&f->cv);
		}
		while (!f->done && f->nfull == 0)
			pthread_cond_wait(&f->cv, &f->mu);
		if (!f->done) {
			f->cur = f->full[0];
			memmove(f->full, f->full + 1, --f->nfull * sizeof(*f->full));
			f->pos = 0;
		}
		pthread_mutex_unlock(&f->mu);
	}
	e = &f->cur->e[f->pos++];
	if (e->err) {
		ld_err_set(err, "%s", f->cur->data.p + e->off);
		return -1;
	}
	l->p = f->cur->data.p + e->off;
	l->n = e->n;
	l->rawn = e->rawn;
	l->unit = f->cur->data.p + e->unit;
	l->unitno = e->unitno;
	l->lineno = e->lineno;
	return 1;
}

void
ld_feed_free(struct ld_feed *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->tid, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	for (size_t i = 0; i < FEED_CHUNKS; i++) {
		ld_buf_free(&f->chunks[i].data);
		free(f->chunks[i].e);
	}
	free(f);
}
