/*
 * shape.c — the parser's cache of line shapes (shape.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "format/shape.h"

struct ld_shapes *
ld_shapes_new(void)
{
	return ld_xcalloc(1, sizeof(struct ld_shapes));
}

void
ld_shapes_free(struct ld_shapes *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < LD_SHAPES; i++)
		ld_buf_free(&c->e[i].desc);
	free(c);
}

/* Whether the saved shape would be longer than LD_SHAPE_MAX. */
static int
too_long(const struct ld_jidx *x)
{
	size_t n = 0;

	for (int i = 0; i < x->n; i++) {
		n += 8 + x->m[i].kn;
		if (n > LD_SHAPE_MAX)
			return 1;
	}
	return 0;
}

struct ld_shape *
ld_shapes_get(struct ld_shapes *c, const struct ld_jidx *x, const void *hint,
    int byname, int *fresh)
{
	uint64_t h = ld_jidx_shape_hash(x);
	uint64_t s = h ^ (uint64_t)(uintptr_t)hint * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)(byname != 0);
	struct ld_shape *e;

	s ^= s >> 31;
	e = &c->e[s & (LD_SHAPES - 1)];
	if (e->set && e->hash == h && e->hint == hint &&
	    e->byname == (byname != 0) &&
	    ld_jidx_shape_is(x, e->desc.p, e->desc.len)) {
		*fresh = 0;
		c->hits++;
		return e;
	}
	c->misses++;
	*fresh = 1;
	e->set = 0;
	e->gen++;
	if (too_long(x))
		return NULL;
	ld_jidx_shape_save(x, &e->desc);
	e->hash = h;
	e->hint = hint;
	e->byname = byname != 0;
	e->what = 0;
	e->fmt = NULL;
	e->nmemo = 0;
	for (size_t i = 0; i < LD_SHAPE_MEMO; i++)
		e->memo[i].key = NULL;
	e->set = 1;
	return e;
}

static int
memo(struct ld_shape *e, const struct ld_jidx *x, const char *key, int top)
{
	uintptr_t a = (uintptr_t)key;
	size_t i = (size_t)((a >> 3 ^ a >> 11) * 2 + (unsigned)top);
	int at;

	if (e == NULL)
		return top ? ld_jidx_top(x, key) : ld_jidx_path(x, 0, key);
	for (size_t k = 0; k < LD_SHAPE_MEMO; k++, i++) {
		struct ld_shape_memo *m = &e->memo[i & (LD_SHAPE_MEMO - 1)];

		if (m->key == key && m->top == top)
			return m->at;
		if (m->key != NULL)
			continue;
		/* Not known: look it up, and keep it while there is room
		 * (three slots in four, so that a miss ends soon). */
		at = top ? ld_jidx_top(x, key) : ld_jidx_path(x, 0, key);
		if (e->nmemo < LD_SHAPE_MEMO / 4 * 3) {
			m->key = key;
			m->top = top;
			m->at = at;
			e->nmemo++;
		}
		return at;
	}
	return top ? ld_jidx_top(x, key) : ld_jidx_path(x, 0, key);
}

int
ld_shape_path(struct ld_shape *e, const struct ld_jidx *x, const char *path)
{
	return memo(e, x, path, 0);
}

int
ld_shape_top(struct ld_shape *e, const struct ld_jidx *x, const char *key)
{
	return memo(e, x, key, 1);
}
