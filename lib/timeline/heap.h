/*
 * heap.h — a binary min-heap of small integers (input numbers) ordered by
 * the caller's comparison: the k-way merge of ldtimeline --merge takes
 * the smallest of k inputs in O(log k) instead of looking at all k.
 *
 *	struct ld_heap *h = ld_heap_new(cmp, inputs);
 *	for (i = 0; i < k; i++) if (has(i)) ld_heap_push(h, i);
 *	while (ld_heap_count(h)) {
 *		i = ld_heap_top(h);
 *		use(i);
 *		if (advance(i)) ld_heap_fix_top(h); else ld_heap_pop(h);
 *	}
 *	ld_heap_free(h);
 *
 * cmp(arg, a, b) returns <0, 0 or >0 as input a's current item orders
 * before, with or after b's; equal items come out lowest input first.
 */
#ifndef LD_HEAP_H
#define LD_HEAP_H

#include <stddef.h>

struct ld_heap;

typedef int (*ld_heap_cmp)(void *arg, size_t a, size_t b);

/* A new empty heap; never returns NULL.  Free with ld_heap_free(). */
struct ld_heap *ld_heap_new(ld_heap_cmp cmp, void *arg);
void ld_heap_free(struct ld_heap *h);

void ld_heap_push(struct ld_heap *h, size_t id);
/* The smallest input; the heap must not be empty. */
size_t ld_heap_top(const struct ld_heap *h);
/* Remove the top. */
void ld_heap_pop(struct ld_heap *h);
/* The top's item changed (it moved on): restore the order. */
void ld_heap_fix_top(struct ld_heap *h);
size_t ld_heap_count(const struct ld_heap *h);

#endif
