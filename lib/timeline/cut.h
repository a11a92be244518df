/*
 * cut.h — projecting fields of records to JSONL, CSV or TSV rows.
 *
 * A field is named by:
 *   ts src line fmt        the record's time (in a chosen zone) and provenance
 *   ns project user user_id ip event cid
 *                          the canonical fields
 *   ev                     the whole event, as JSON
 *   anything else          a path into the event: "meta.user" (a key with a
 *                          dot), "details.custom_message" (nested), "status";
 *                          "ev.user" reaches the event's own "user" key
 *
 * JSONL rows are objects keyed by the names as given, in order; values
 * keep their JSON type, and numbers, objects and arrays at the top of the
 * event are copied byte for byte.  CSV (RFC 4180) and TSV rows hold
 * strings decoded, other scalars as written, objects and arrays as compact
 * JSON.  A field the record lacks is null in JSONL and empty in CSV and
 * TSV, unless a missing value is set.
 */
#ifndef LD_CUT_H
#define LD_CUT_H

#include "core/csv.h"
#include "core/ld.h"
#include "format/format.h"
#include "timeline/tlout.h"

enum ld_cut_out {
	LD_CUT_JSONL,
	LD_CUT_CSV,
	LD_CUT_TSV
};

struct ld_cut;

/* A projection writing rows of kind out.  Never returns NULL. */
struct ld_cut *ld_cut_new(enum ld_cut_out out);
void ld_cut_free(struct ld_cut *c);

/* Add the fields of a comma-separated list, in order.  Returns 0, or -1
 * with a message for an empty name. */
int ld_cut_add_fields(struct ld_cut *c, const char *list, struct ld_err *err);
size_t ld_cut_nfields(const struct ld_cut *c);

/* The text written for an absent field (copied), instead of null/empty. */
void ld_cut_set_missing(struct ld_cut *c, const char *v);
/* The zone of the ts field (copied; UTC by default). */
void ld_cut_set_tz(struct ld_cut *c, const struct ld_tz *tz);

/* Append the header row (CSV and TSV; nothing for JSONL). */
void ld_cut_header(struct ld_cut *c, struct ld_buf *b);
/* Append the row of r. */
void ld_cut_rec(struct ld_cut *c, struct ld_rec *r, struct ld_buf *b);

#endif
