/*
 * reader.h — records from a list of sources, one after the other: the
 * loop every record-consuming tool (ldcut, ldtimeline) shares.
 *
 *	struct ld_reader *rd = ld_reader_new(fs, NULL, 0);
 *	ld_reader_open(rd, path, NULL);
 *	while ((rc = ld_reader_next(rd, &r, &err)) != 0)
 *		if (rc < 0) warn(err.msg); else use(r);
 *	ld_reader_free(rd);
 *
 * Every line becomes a record: a line no format parses is returned too,
 * with its event {"raw":"…"} and no format, and counted as malformed; a
 * record without a valid time has has_ts 0 and is counted as badtime.
 * Records are read without a jansson tree (r->ev is NULL): a consumer
 * that needs one calls ld_rec_tree(r).
 */
#ifndef LD_READER_H
#define LD_READER_H

#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"
#include "input/src.h"

struct ld_reader_stats {
	uint64_t read;		/* lines read */
	uint64_t malformed;	/* no format parsed them */
	uint64_t badtime;	/* parsed, without a valid time */
	uint64_t unreadable;	/* damage reported, and lines whose format
				   could not be told (a PCRE2 limit) */
};

struct ld_reader;

/* A reader over formats fs (borrowed).  forced, when not NULL, parses
 * every line; ref_year is the year of syslog times without one (0: this
 * year).  Never returns NULL. */
struct ld_reader *ld_reader_new(const struct ld_formats *fs,
    const struct ld_format *forced, int ref_year);
void ld_reader_free(struct ld_reader *rd);

/* Start reading path ("-" is standard input; borrowed until the next
 * open), closing the previous source.  experr, when not NULL, is why the path cannot be read (from
 * ld_srclist_expand): it is reported by the first ld_reader_next(). */
void ld_reader_open(struct ld_reader *rd, const char *path,
    const char *experr);

/*
 * The next record of the open source.  Returns 1 and points *r at it
 * (valid until the next call), 0 at the end of the source, or -1 when
 * something could not be read: err holds "unit: what happened" (or
 * "unit:line: format F: its pattern could not be run: …" for a line no
 * format could be tried on to the end) and the next call goes on.
 */
int ld_reader_next(struct ld_reader *rd, struct ld_rec **r,
    struct ld_err *err);

/*
 * ld_reader_next() in two steps, for a consumer that can do without the
 * record of some lines (ldtimeline --merge reads the key of its own
 * ld-records from their first bytes).  ld_reader_line() reads the next
 * line and counts it: returns 1 and points *p, *n at its bytes (valid
 * until the next call), 0 at the end of the source, -1 as
 * ld_reader_next().  ld_reader_parse() makes the line just read a record
 * (valid until the next call), counting it as ld_reader_next() does; NULL
 * with err set when a format's pattern could not be run on it (a PCRE2
 * limit: the line is counted unreadable, and is no record).
 */
int ld_reader_line(struct ld_reader *rd, const char **p, size_t *n,
    struct ld_err *err);
struct ld_rec *ld_reader_parse(struct ld_reader *rd, struct ld_err *err);

/* Feed every line read from now on, with a newline, to d (borrowed; NULL
 * to stop): the input's SHA-256 for a run history (core/runlog.h). */
struct ld_digest;
void ld_reader_set_digest(struct ld_reader *rd, struct ld_digest *d);

/* Counters over everything read so far. */
const struct ld_reader_stats *ld_reader_stats(const struct ld_reader *rd);

#endif
