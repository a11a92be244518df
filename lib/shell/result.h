/*
 * result.h — the last search of an ldsh session, kept so that the next
 * commands need not read the sources again (inside lib/shell only).
 *
 * A result is the ld-records that answered a query, in source order (the
 * bytes ldgrep would write), in an unlinked temporary file: memory does
 * not grow with it.  A query that only narrows the one kept (more
 * constraints, fewer values, a shorter window) is answered by searching
 * those records instead of the sources.  For show and detail the records
 * are put in time order without duplicates by the timeline's sorter,
 * which spills to disk past its memory bound.
 */
#ifndef LD_SHELL_RESULT_H
#define LD_SHELL_RESULT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"
#include "format/format.h"
#include "scope/scope.h"

/* What a search asked: every input of the answer, in a comparable form. */
struct sh_query {
	struct ld_strv f[6];	/* ns, project, user, event, ip, cid */
	int has_since, has_until;
	int64_t since, until;
	char *pattern;
	int icase;
	struct ld_strv preds;
	struct ld_strv src;
	char *other;		/* tenant, profile, owned accounts, … */
};

/* The query of a session's state (everything is copied). */
void sh_query_of(struct sh_query *q, const struct ld_scope *s,
    const char *pattern, int icase, char *const *preds, size_t npreds,
    char *const *src, size_t nsrc);
void sh_query_free(struct sh_query *q);
/* 1 when every event that q finds is found by old too, as far as can be
 * told from the queries alone: then q can be answered from old's records.
 * Same sources, same pattern, and each constraint of old kept or
 * narrowed. */
int sh_query_within(const struct sh_query *q, const struct sh_query *old);

struct sh_result {
	struct sh_query q;	/* what this answers */
	FILE *fp;		/* the records, in source order */
	char path[32];		/* a name for fp that the engine can open */
	uint64_t matched;
	size_t nunits;		/* units the first search read */
	int trouble;		/* a source could not be read */
	char **units;		/* units with events, in order, and their */
	uint64_t *counts;	/* counts */
	size_t nc;
	FILE *sorted;		/* in time order without duplicates, or NULL */
	uint64_t nsorted;
};

/* A new empty result with its temporary file (in $TMPDIR), or NULL with
 * a message. */
struct sh_result *sh_result_new(struct ld_err *err);
/* Release r and its files; NULL is fine. */
void sh_result_free(struct sh_result *r);

/* Fill r->units and r->counts by reading its records (parser p). */
int sh_result_count(struct sh_result *r, struct ld_parser *p,
    const volatile sig_atomic_t *cancel, struct ld_err *err);

/* Make r->sorted (once): time order, duplicates left out.  -1 with a
 * message (or "interrupted"). */
int sh_result_sort(struct sh_result *r, struct ld_parser *p,
    const volatile sig_atomic_t *cancel, struct ld_err *err);

#endif
