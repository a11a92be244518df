/*
 * shape.h — what a parser remembers of the shapes of the lines it reads.
 *
 * Lines of one log mostly come in a few shapes: the same keys in the same
 * order (jsonx.h, ld_jidx_shape_hash()).  Which format takes a JSON line,
 * and where each path of the format is in its index, depend on the shape
 * alone (and on the hint the line came with), not on the values: a parser
 * works them out once per shape and reads them back for every later line
 * of that shape.
 *
 * The cache is a table of LD_SHAPES entries, the slot chosen by the hash;
 * an entry is taken only when its saved shape is exactly the line's (the
 * hash only picks the slot), so a collision costs time, never an answer.
 * A new shape replaces the one in its slot.  Shapes longer than
 * LD_SHAPE_MAX bytes are not remembered: every line of them is worked out
 * in full, which gives the same answers.  Memory is bounded by the table,
 * whatever the input.  One cache belongs to one parser (one thread).
 */
#ifndef LD_SHAPE_H
#define LD_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/jsonx.h"

#define LD_SHAPES 128		/* entries, a power of two */
#define LD_SHAPE_MAX 8192	/* bytes of a saved shape, at most */
#define LD_SHAPE_MEMO 64	/* lookup slots per entry, a power of two */

struct ld_shape_memo {
	const char *key;	/* the path looked up (by address), or NULL */
	int top;		/* 1: ld_jidx_top(), 0: ld_jidx_path() from 0 */
	int at;			/* the answer */
};

struct ld_shape {
	uint64_t hash;
	const void *hint;	/* what the answer was worked out for */
	int byname;
	int set;		/* the entry holds a shape */
	unsigned gen;		/* changes whenever the entry is emptied */
	int what;		/* the caller's answer for this shape */
	const void *fmt;
	struct ld_buf desc;	/* the shape, ld_jidx_shape_save() */
	int nmemo;
	struct ld_shape_memo memo[LD_SHAPE_MEMO];
};

struct ld_shapes {
	struct ld_shape e[LD_SHAPES];
	unsigned long hits, misses;	/* for tests and profiles */
};

/* A new empty cache (never NULL); free with ld_shapes_free(), which
 * accepts NULL. */
struct ld_shapes *ld_shapes_new(void);
void ld_shapes_free(struct ld_shapes *c);

/*
 * The entry for the shape of x and (hint, byname): *fresh = 0 when it was
 * known, and its what and fmt are the answers stored before; *fresh = 1
 * when it is new, emptied for the caller to fill what and fmt.  Returns
 * NULL when the shape is too long to remember.  The entry is valid until
 * the next call; a caller that keeps it longer also keeps its gen, and
 * may use it again while gen is the same (the entry still holds that
 * shape, with its answers).
 */
struct ld_shape *ld_shapes_get(struct ld_shapes *c, const struct ld_jidx *x,
    const void *hint, int byname, int *fresh);

/*
 * ld_jidx_path(x, 0, path) and ld_jidx_top(x, path) for an index x of
 * e's shape, remembered in e by the address of path: path must stay
 * unchanged while the cache lives (a format's own strings).  e may be
 * NULL (then the lookup is made).
 */
int ld_shape_path(struct ld_shape *e, const struct ld_jidx *x,
    const char *path);
int ld_shape_top(struct ld_shape *e, const struct ld_jidx *x,
    const char *key);

#endif
