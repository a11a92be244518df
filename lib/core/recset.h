/*
 * recset.h — a compact, order-free summary of the records a tool wrote,
 * so that a later step can ask "did this record come out of that run?".
 *
 * ldredact writes its records in input order; ldtimeline sorts them and
 * drops duplicates; ldbundle then receives a subset in another order, and
 * the SHA-256 of the stream no longer matches the redaction report's.  The
 * report therefore also carries this set: a Bloom filter of the records'
 * lines (without their newline).  A record that is not in the set was
 * certainly not written by that run (a filter has no false negatives); a
 * record that is in it was, up to a small false-positive rate (about 0.06%
 * when the filter has its 16 bits per record, which it has up to 512 Ki
 * records; past that it saturates slowly: 1% at 1.5 Mi records).
 *
 * It guards against mistakes (a report of another run, an unredacted
 * stream, records changed after redaction), not against forgery: anyone
 * can make a record that a Bloom filter accepts.  Integrity of the handed-
 * over bag is the job of its SHA-256 manifests and signed approvals.
 *
 * Memory is fixed (LD_RECSET_BYTES) whatever the number of records; the
 * filter is folded in half on export until it is no larger than its
 * records need, so a small dive gets a small report.
 *
 *	struct ld_recset *s = ld_recset_new();
 *	for each record: ld_recset_add(s, line, len);
 *	json_t *j = ld_recset_export(s);         into the report
 *	...
 *	struct ld_recset *t = ld_recset_import(j, &err);
 *	if (!ld_recset_has(t, line, len)) not from that run
 */
#ifndef LD_RECSET_H
#define LD_RECSET_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"

#define LD_RECSET_BYTES ((size_t)1 << 20)	/* 8 Mi bits */
#define LD_RECSET_K 8				/* bits set per record */
#define LD_RECSET_TYPE "bloom-lh64x2-k8"	/* the "type" in the export */

struct ld_recset;

/* ld_recset_new - an empty set of LD_RECSET_BYTES.  Never NULL (aborts
 * when out of memory, like ld_xmalloc()).  Free with ld_recset_free(). */
struct ld_recset *ld_recset_new(void);

/* ld_recset_add - add the n bytes of line (a record, no newline). */
void ld_recset_add(struct ld_recset *s, const void *line, size_t n);

/* ld_recset_count - how many records were added (or, imported, the
 * count the export gave). */
uint64_t ld_recset_count(const struct ld_recset *s);

/*
 * ld_recset_export - the set as a JSON text, a new string the caller
 * frees: {"type":"bloom-lh64x2-k8","records":N,"bits":M,"data":"<base64>"}.
 * Folds s in place first (s stays usable for ld_recset_has()).
 */
char *ld_recset_export(struct ld_recset *s);

/*
 * ld_recset_import - a set from the fields of an export: type, records,
 * bits (a power of two, 512 to 8 Mi) and base64 data.  Returns the set or
 * NULL with err set ("record set: what").
 */
struct ld_recset *ld_recset_import(const char *type, uint64_t records,
    uint64_t bits, const char *data, struct ld_err *err);

/* ld_recset_has - 1 when line may have been added, 0 when it was not. */
int ld_recset_has(const struct ld_recset *s, const void *line, size_t n);

/* ld_recset_free - NULL is fine. */
void ld_recset_free(struct ld_recset *s);

#endif
