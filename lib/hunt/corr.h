/*
 * corr.h — one Sigma correlation's groups over a time-ordered stream
 * (private to lib/hunt; see corr.c for how memory stays bounded).
 */
#ifndef LD_CORR_H
#define LD_CORR_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"

enum { CORR_EVENT_COUNT = 1, CORR_VALUE_COUNT, CORR_TEMPORAL,
    CORR_TEMPORAL_ORDERED };

struct corr;

/* A correlation of kind firing at count (event_count, value_count)
 * within span nanoseconds, over nrefs referenced rules.  Never NULL. */
struct corr *corr_new(int kind, uint64_t count, int64_t span, size_t nrefs);
void corr_free(struct corr *c);

/*
 * An event of referenced rule k at time t (not before any earlier call's
 * t) in the group named by key (kn bytes), with value val (value_count).
 * Returns 1 when the correlation fires for the group (which starts over),
 * else 0.
 */
int corr_event(struct corr *c, size_t k, int64_t t, const char *key,
    size_t kn, const char *val, size_t vn);

/* Drop the groups that can no longer fire at time now (cheap: a pass
 * over the groups at most once a timespan, or when the table is full). */
void corr_expire(struct corr *c, int64_t now);

/* Groups held now. */
size_t corr_groups(const struct corr *c);
/* Bytes held now: the table and the groups (their keys, times, values). */
size_t corr_bytes(const struct corr *c);

#endif
