/*
 * heap.c — the binary min-heap of heap.h.
 */
#include <stdlib.h>

#include "core/ld.h"
#include "timeline/heap.h"

struct ld_heap {
	ld_heap_cmp cmp;
	void *arg;
	size_t *v;
	size_t n, cap;
};

struct ld_heap *
ld_heap_new(ld_heap_cmp cmp, void *arg)
{
	struct ld_heap *h = ld_xcalloc(1, sizeof(*h));

	h->cmp = cmp;
	h->arg = arg;
	return h;
}

void
ld_heap_free(struct ld_heap *h)
{
	if (h == NULL)
		return;
	free(h->v);
	free(h);
}

/* a before b: by the caller's order, then by input number. */
static int
less(const struct ld_heap *h, size_t a, size_t b)
{
	int c = h->cmp(h->arg, a, b);

	return c < 0 || (c == 0 && a < b);
}

static void
up(struct ld_heap *h, size_t i)
{
	size_t x = h->v[i];

	while (i > 0 && less(h, x, h->v[(i - 1) / 2])) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

static void
down(struct ld_heap *h, size_t i)
{
	size_t x = h->v[i], c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && less(h, h->v[c + 1], h->v[c]))
			c++;
		if (!less(h, h->v[c], x))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = x;
}

void
ld_heap_push(struct ld_heap *h, size_t id)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->v = ld_xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = id;
	up(h, h->n - 1);
}

size_t
ld_heap_top(const struct ld_heap *h)
{
	return h->v[0];
}

void
ld_heap_pop(struct ld_heap *h)
{
	if (h->n == 0)
		return;
	h->v[0] = h->v[--h->n];
	if (h->n)
		down(h, 0);
}

void
ld_heap_fix_top(struct ld_heap *h)
{
	if (h->n)
		down(h, 0);
}

size_t
ld_heap_count(const struct ld_heap *h)
{
	return h->n;
}
