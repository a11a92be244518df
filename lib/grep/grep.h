/*
 * grep.h — the search engine behind ldgrep (and ldsh): stream sources,
 * keep the lines in scope, write them in order.
 *
 *	struct ld_grep *g = ld_grep_new(formats, &scope);
 *	ld_grep_set_pattern(g, "glpat-", 0, &err);
 *	ld_grep_run(g, &srclist, stdout, &sink);
 *	ld_grep_free(g);
 *
 * Sources are searched by up to `threads` workers, one source each, and
 * their output is written in the order of the source list, so the bytes
 * are the same whatever the number of threads.  Each worker holds at most
 * a few MiB of output in memory; more goes to a temporary file.
 */
#ifndef LD_GREP_H
#define LD_GREP_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"
#include "format/format.h"
#include "index/index.h"
#include "input/src.h"
#include "scope/scope.h"

enum ld_grep_out {
	LD_GREP_RECORDS,	/* ld-record JSONL (default) */
	LD_GREP_RAW,		/* the original lines */
	LD_GREP_COUNT,		/* matches per unit */
	LD_GREP_LIST		/* units with matches */
};

/* Counters of one unit (a file or an archive member). */
struct ld_grep_stats {
	char *unit;		/* owned by the struct ld_grep */
	uint64_t read;		/* lines read */
	uint64_t skipped;	/* not parsed: cannot contain the scope's values */
	uint64_t parsed;	/* parsed by a format or found malformed */
	uint64_t malformed;	/* no format could parse it */
	uint64_t badtime;	/* parsed, but without a valid time */
	uint64_t matched;	/* written */
	uint64_t unreadable;	/* damage and over-long lines reported */
	uint64_t bytes_in;	/* compressed bytes read (per source) */
	uint64_t indexed;	/* of read: skipped because the index
				   proves they are out of scope */
	uint64_t bytes_skipped;	/* compressed bytes the index spared
				   reading (per source) */
	uint64_t bytes_out;	/* bytes zstd decoded (per source) */
};

/* What the run reports back, in source order, from the calling thread. */
struct ld_grep_sink {
	void *arg;
	/* A problem: "unit: what" or "unit:line: what". */
	void (*diag)(void *arg, const char *msg);
	/* A notice that is no problem (an index not used, so a source was
	 * read in full); may be NULL. */
	void (*note)(void *arg, const char *msg);
};

struct ld_grep;

/* A new engine over formats fs and scope sc (both borrowed; they must
 * outlive it).  Never returns NULL. */
struct ld_grep *ld_grep_new(const struct ld_formats *fs,
    const struct ld_scope *sc);
void ld_grep_free(struct ld_grep *g);

void ld_grep_set_output(struct ld_grep *g, enum ld_grep_out mode);
/* Search with up to n workers (1 to 64; default 1), and never more than
 * the processors the process may run on: a worker past them adds no
 * speed, only the memory of a decoder and its buffers. */
void ld_grep_set_threads(struct ld_grep *g, int n);
/* The memory the workers' sources may hold at once (default
 * LD_SRC_WORK_MEMORY, see grep.c): a caller that holds memory of its own
 * while the engine runs (ldhunt's sorter) gives the pool the rest of the
 * budget.  Below one source's cost, the sources are read one at a time. */
void ld_grep_set_work_memory(struct ld_grep *g, uint64_t bytes);
/* Parse every source with this format instead of recognising it. */
void ld_grep_set_format(struct ld_grep *g, const struct ld_format *f);
/* Year for syslog lines without one. */
void ld_grep_set_ref_year(struct ld_grep *g, int year);

/*
 * Skip what the sidecar indexes in cx->dir prove out of scope (index.h):
 * whole sources, archive members, blocks.  cx and its strings are
 * borrowed.  A source whose index is missing or does not match is read
 * in full, and a note says so.  The output is the same bytes as without.
 */
void ld_grep_set_index(struct ld_grep *g, const struct ld_index_ctx *cx);

/* A PCRE2 pattern over the raw line; caseless when icase.  -1 with the
 * compiler's message on a bad pattern.  It replaces every pattern added
 * before. */
int ld_grep_set_pattern(struct ld_grep *g, const char *re, int icase,
    struct ld_err *err);

/* Flags of a pattern, as grep's -i, -F and -w. */
enum {
	LD_GREP_ICASE = 1,	/* without regard to case */
	LD_GREP_FIXED = 2,	/* a string, not a regular expression */
	LD_GREP_WORD = 4	/* matches only as a whole word */
};

/* Add a pattern; a line is selected when any pattern matches it (they are
 * ORed, as grep's repeated -e).  -1 with the compiler's message naming the
 * pattern when it does not compile; the engine is unchanged then. */
int ld_grep_add_pattern(struct ld_grep *g, const char *re, int flags,
    struct ld_err *err);

/* Select the lines that the patterns do NOT match (grep -v); the scope and
 * the field predicates still apply.  Without a pattern, nothing changes. */
void ld_grep_set_invert(struct ld_grep *g, int on);

/* Stop reading a unit after max selected lines (0, the default: never). */
void ld_grep_set_max_count(struct ld_grep *g, uint64_t max);

/* Lines of context around each selected line, from the same unit: before
 * and after (grep -B and -A).  In ld-records a context line carries
 * "context":"before" or "context":"after"; in raw output it is written as
 * grep does (a '-' after its name and number, "--" between groups). */
void ld_grep_set_context(struct ld_grep *g, unsigned before, unsigned after);

/* How LD_GREP_RAW lines are written (bits, 0 by default). */
enum {
	LD_GREP_P_NAME = 1,	/* "unit:" before each line (grep -H) */
	LD_GREP_P_LINENO = 2,	/* "lineno:" before each line (grep -n) */
	LD_GREP_P_ONLY = 4,	/* only the matched parts, one a line (grep
				 * -o); implies raw output */
	LD_GREP_P_COLOR = 8,	/* SGR colours: matches, scope values */
	LD_GREP_P_COUNT_ALL = 16	/* LD_GREP_COUNT: zero counts too */
};
void ld_grep_set_print(struct ld_grep *g, unsigned flags);

/* Progress of a run, safe to read from another thread while it runs. */
struct ld_grep_progress {
	uint64_t bytes_in;	/* compressed bytes read so far */
	uint64_t sources_done;	/* sources finished */
	uint64_t matched;	/* lines selected so far */
};
void ld_grep_progress(const struct ld_grep *g, struct ld_grep_progress *p);

/*
 * A field predicate "NAME=VALUE" (equal) or "NAME~REGEX" (PCRE2 search):
 * NAME is a canonical field or a JSON path into the event.  -1 with a
 * message when it is not of that form or the regex does not compile.
 */
int ld_grep_add_field(struct ld_grep *g, const char *pred, struct ld_err *err);

/* Watch *flag (set by a signal handler, say) while running: once it is
 * non-zero, the run stops within a line and returns -3.  NULL: never. */
void ld_grep_set_cancel(struct ld_grep *g, const volatile sig_atomic_t *flag);

/*
 * A filter of the records in scope (ldhunt's detections), run in the
 * searching threads, on records completed (ld_rec_complete()):
 * returns 1 to write r, after appending to pre what goes before it on its
 * line, or 0 to drop it.  It is called from several threads at once when
 * threads > 1, so it must be safe for that.  Only in LD_GREP_RECORDS mode.
 */
typedef int (*ld_grep_filter)(void *arg, struct ld_rec *r, struct ld_buf *pre);
void ld_grep_set_filter(struct ld_grep *g, ld_grep_filter fn, void *arg);

/*
 * Search every source of l, writing to out.  Returns 0 when everything
 * was read, or -1 when something was not (each problem went to the sink).
 * An output error (a closed pipe) ends the run and returns -2; a cancel
 * (ld_grep_set_cancel()) returns -3, with part of the output written.
 */
int ld_grep_run(struct ld_grep *g, const struct ld_srclist *l, FILE *out,
    const struct ld_grep_sink *sink);

/* After a run: total lines written, and the per-unit counters. */
uint64_t ld_grep_matched(const struct ld_grep *g);
size_t ld_grep_nstats(const struct ld_grep *g);
const struct ld_grep_stats *ld_grep_stats(const struct ld_grep *g, size_t i);

#endif
