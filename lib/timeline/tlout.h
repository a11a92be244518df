/*
 * tlout.h — writing a timeline: output time zones, the record formats of
 * forensic timelines, and the histogram (as text or SVG).
 *
 * Formats (ld_tlfmt_parse names them):
 *
 *   records         ld-record JSONL (the stream between logdive tools)
 *   timesketch      Timesketch JSONL: message, datetime, timestamp,
 *                   timestamp_desc, the canonical fields, src, line, fmt, ev
 *   timesketch-csv  the same columns as RFC 4180 CSV, with a header
 *   dynamic         plaso's dynamic CSV: datetime, timestamp_desc, source,
 *                   source_long, message, parser, display_name, tag
 *   l2tcsv          plaso's legacy l2tcsv (17 columns, version 2)
 *   text            one line per event for people
 *
 * Times keep every fraction digit the source had, in every format: where
 * a format's own time columns cannot (l2tcsv's HH:MM:SS), the full time is
 * in another column too (l2tcsv's extra).  datetime columns carry the
 * offset of the chosen zone ("+00:00" for UTC); Timesketch's timestamp is
 * microseconds since the epoch, the datetime truncated (floor), so the
 * two always agree.  A record without a valid time cannot be written in
 * the Timesketch and plaso formats (their time is required); the write
 * functions say so and the caller counts it.
 *
 * Writing a Timesketch CSV file:
 *
 *	struct ld_tz tz;
 *	ld_tz_parse(&tz, "UTC", &err);
 *	struct ld_tlout *o = ld_tlout_new(LD_TLF_TS_CSV, &tz, 0);
 *	ld_tlout_header(o, &buf);
 *	for each record r: ld_tlout_rec(o, r, &buf);
 *	ld_tlout_free(o);
 */
#ifndef LD_TLOUT_H
#define LD_TLOUT_H

#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"
#include "format/format.h"

/* ---- time zones ---- */

struct ld_tz {
	long off;		/* fixed offset, seconds east of UTC */
	int zone;		/* 1: a named zone, the offset is per event */
	char name[64];		/* "UTC", "+02:00", "Europe/Berlin" */
};

/*
 * Parse a zone: "UTC" or "Z", a fixed offset ("+02:00", "-0530", "+2"),
 * or an IANA name ("Europe/Berlin") from the zone database ($TZDIR or
 * /usr/share/zoneinfo).  For a name this sets the process's TZ and calls
 * tzset(3): the C library keeps one zone per process, and its rules give
 * each event the offset in force at that event's time.  Returns 0, or -1
 * with a message when spec is no zone.
 */
int ld_tz_parse(struct ld_tz *tz, const char *spec, struct ld_err *err);

/* The offset (seconds east of UTC) at time ns. */
long ld_tz_offset(const struct ld_tz *tz, int64_t ns);

/* Format t in zone tz, RFC 3339 with all of t's fraction digits; the
 * offset is written "+00:00" for UTC when plus00 is set, "Z" otherwise.
 * buf holds at least LD_TIME_BUFSZ bytes.  Returns the length. */
size_t ld_tz_format(const struct ld_tz *tz, const struct ld_time *t,
    int plus00, char *buf);

/* ---- formats ---- */

enum ld_tlfmt {
	LD_TLF_RECORDS,
	LD_TLF_TS_JSONL,
	LD_TLF_TS_CSV,
	LD_TLF_DYNAMIC,
	LD_TLF_L2TCSV,
	LD_TLF_TEXT
};

/* The format of a name above, or -1.  ld_tlfmt_name() is the inverse. */
int ld_tlfmt_parse(const char *name);
const char *ld_tlfmt_name(enum ld_tlfmt f);

struct ld_tlout;

/* A writer of format f in zone tz (copied); color adds ANSI colours to
 * the text format.  Never returns NULL; free with ld_tlout_free(). */
struct ld_tlout *ld_tlout_new(enum ld_tlfmt f, const struct ld_tz *tz,
    int color);
void ld_tlout_free(struct ld_tlout *o);

/* Append the header row of a CSV format to b (nothing for the others). */
void ld_tlout_header(struct ld_tlout *o, struct ld_buf *b);

/*
 * Append record r as one row/line of the format to b.  Returns 1, or 0
 * (appending nothing) when the format cannot hold r: it has no time and
 * the format requires one.
 */
int ld_tlout_rec(struct ld_tlout *o, struct ld_rec *r,
    struct ld_buf *b);

/* The same, written to fp.  Returns 1, 0 as above, or -1 on a write
 * error (errno is set). */
int ld_tlout_fwrite(struct ld_tlout *o, struct ld_rec *r, FILE *fp);

/* The one-line description of r used as Timesketch's message, plaso's
 * message and desc, and the text view: the event type (or the log's own
 * message, or the raw line) then user, project and ip as present. */
void ld_tlout_message(struct ld_rec *r, struct ld_buf *b);

/* ---- histogram ---- */

enum ld_hist_unit {
	LD_HIST_HOUR,
	LD_HIST_DAY
};

enum ld_hist_split {
	LD_HIST_BY_EVENT,	/* the canonical event field */
	LD_HIST_BY_FORMAT,	/* the log format (gitlab.rails, …) */
	LD_HIST_BY_SOURCE,	/* the source name */
	LD_HIST_BY_NONE
};

/* At most this many series are drawn; the rest are summed as "other". */
#define LD_HIST_SERIES 8

struct ld_hist;

/* Counts per bucket of unit (in zone tz, copied), split into series.
 * Never returns NULL; free with ld_hist_free(). */
struct ld_hist *ld_hist_new(enum ld_hist_unit u, enum ld_hist_split s,
    const struct ld_tz *tz);
void ld_hist_free(struct ld_hist *h);

/* Count r (records without a time are counted apart, and shown so). */
void ld_hist_add(struct ld_hist *h, const struct ld_rec *r);
/* Count one event of series name at time ns. */
void ld_hist_add_at(struct ld_hist *h, int64_t ns, const char *name,
    size_t n);

/* Append a terminal bar chart, bars at most width columns, stacked by
 * series with a legend; ANSI colours when color is set. */
void ld_hist_text(const struct ld_hist *h, int width, int color,
    struct ld_buf *b);

/* Append the same chart as one <svg> element with its namespace, which
 * is both a valid SVG file and embeddable as is in HTML; title is drawn
 * above it (may be NULL).  All text is XML-escaped.  Bars have <title>
 * tooltips with their counts. */
void ld_hist_svg(const struct ld_hist *h, const char *title,
    struct ld_buf *b);

#endif
