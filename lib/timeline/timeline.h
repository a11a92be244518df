/*
 * timeline.h — putting records in time order within a memory bound, and
 * finding duplicates.
 *
 * The order of a timeline is: records with a time first, by UTC time;
 * records without a valid time last; ties by source name (bytes), then
 * line number, then input order — so the output is the same whatever the
 * order the inputs were given in, except for records identical in all of
 * these.
 *
 * A struct ld_tl sorts.  Records are added as a key (ld_tl_key()) and a
 * text (usually the ld-record line) that comes back unchanged.  Keys and
 * texts are kept in one arena of the memory bound; when it is full they
 * are sorted and written to a temporary file (a run), and at the end the
 * runs are merged, several passes if there are more than the bound allows
 * to be open at once.  Memory stays within the bound plus a few buffers;
 * temporary files are unlinked as soon as they are created, so nothing is
 * left behind even on a crash.
 *
 *	struct ld_tl *t = ld_tl_new(256 << 20, NULL);
 *	while (more) {
 *		ld_tl_key(t, rec, &k);
 *		ld_tl_add(t, &k, text, len, &err);
 *	}
 *	ld_tl_sort(t, &err);
 *	while ((rc = ld_tl_next(t, &k, &text, &len, &err)) == 1)
 *		write(text);
 *	ld_tl_free(t);
 *
 * De-duplication (struct ld_dedup) looks at keys in timeline order.  Two
 * records are duplicates only when they are the same occurrence: for GitLab
 * audit events (formats gitlab.audit*) that carry an "id", the same id
 * ("1" and 1 alike) with the same event type, entity (entity_type and
 * entity_id) and time — ids are unique only within one instance, and
 * GitLab's own streaming examples reuse "1" for different events — so the
 * same event streamed and written to audit_json.log is kept once; for every
 * other record, the same exact JSON text of the event (its SHA-256) at the
 * same time — the same line in two rotated files, or given twice.  The
 * first record in timeline order is kept.  Records without a time are never
 * duplicates: there is no time to anchor them.
 */
#ifndef LD_TIMELINE_H
#define LD_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"

struct ld_tl_key {
	int64_t ns;		/* UTC time, when has_ts */
	uint64_t line;		/* line number in the source */
	uint64_t seq;		/* input order, the last tie-break */
	uint32_t src;		/* source name: ld_tl_src_name() */
	uint8_t has_ts;
	uint8_t by_id;		/* hash is of an audit event's occurrence */
	uint8_t hash[16];	/* de-duplication key */
};

struct ld_tl_stats {
	uint64_t records;	/* added */
	uint64_t runs;		/* sorted runs written to disk */
	uint64_t spilled;	/* bytes written to temporary files */
	uint64_t passes;	/* merge passes before the final one */
};

struct ld_tl;

/*
 * A sorter holding at most memory bytes (at least 1 MiB is used).
 * Temporary files go to tmpdir, or $TMPDIR, or /tmp when NULL.  Never
 * returns NULL; free with ld_tl_free().
 */
struct ld_tl *ld_tl_new(size_t memory, const char *tmpdir);
void ld_tl_free(struct ld_tl *t);

/* The key of record r: time, provenance (the source name is interned in
 * t), the next input sequence number, and the de-duplication hash. */
void ld_tl_key(struct ld_tl *t, const struct ld_rec *r, struct ld_tl_key *k);

/*
 * The key of an ld-record line read from its first bytes, without parsing
 * it: {"ts":"<RFC 3339>","src":"<name>","line":<n>, as ld_rec_write()
 * writes them.  Returns 1 and fills *k as ld_tl_key() would, except the
 * de-duplication hash (zero: call ld_tl_key() on the parsed record when
 * it is needed); 0 when the line does not start so, does not end with
 * its closing brace, is not valid UTF-8, or its name has an escape or a
 * control byte: the line must then be parsed.
 */
int ld_tl_key_quick(struct ld_tl *t, const char *line, size_t n,
    struct ld_tl_key *k);

/* The name of an interned source; valid while t lives. */
const char *ld_tl_src_name(const struct ld_tl *t, uint32_t src);

/* Compare two keys in timeline order (<0, 0, >0). */
int ld_tl_key_cmp(const struct ld_tl *t, const struct ld_tl_key *a,
    const struct ld_tl_key *b);

/* Add a record: its key and n bytes of text (copied).  Returns 0, or -1
 * with a message when a temporary file cannot be written. */
int ld_tl_add(struct ld_tl *t, const struct ld_tl_key *k, const char *text,
    size_t n, struct ld_err *err);

/* The end of input: sort, merge runs down to what can be open at once.
 * Returns 0 or -1 with a message. */
int ld_tl_sort(struct ld_tl *t, struct ld_err *err);

/*
 * The next record in order: returns 1 and sets *k and *text, *n (valid
 * until the next call), 0 after the last, -1 with a message when a
 * temporary file cannot be read.
 */
int ld_tl_next(struct ld_tl *t, struct ld_tl_key *k, const char **text,
    size_t *n, struct ld_err *err);

const struct ld_tl_stats *ld_tl_stats(const struct ld_tl *t);

/*
 * A string table: strings to dense ids 0, 1, 2… in order of first sight.
 * Names stay valid while the table lives.
 */
struct ld_strtab;
struct ld_strtab *ld_strtab_new(void);
void ld_strtab_free(struct ld_strtab *st);
uint32_t ld_strtab_id(struct ld_strtab *st, const char *s, size_t n);
const char *ld_strtab_name(const struct ld_strtab *st, uint32_t id);
uint32_t ld_strtab_count(const struct ld_strtab *st);

struct ld_dedup;

/* A duplicate finder.  Every key holds its time, so only the keys of the
 * current time are remembered; max_ids is kept for the callers and no
 * longer bounds anything, and ld_dedup_full() is always 0. */
struct ld_dedup *ld_dedup_new(size_t max_ids);
void ld_dedup_free(struct ld_dedup *d);
/* Given keys in timeline order: 1 when k duplicates an earlier key, 0
 * when it is new (and is remembered). */
int ld_dedup_check(struct ld_dedup *d, const struct ld_tl_key *k);
int ld_dedup_full(const struct ld_dedup *d);

#endif
