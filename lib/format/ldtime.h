/*
 * ldtime.h — event times.
 *
 * Every time is a signed 64-bit count of nanoseconds since the epoch, UTC,
 * with the number of fraction digits the source gave (its precision), so
 * that output keeps exactly what the log held.  Nothing is ever guessed: a
 * text that is not a complete time in one of the accepted forms fails.
 */
#ifndef LD_TIME_H
#define LD_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"

#define LD_NS_PER_SEC INT64_C(1000000000)

/*
 * The supported range: from 1678-01-01T00:00:00Z up to, not including,
 * 2262-01-01T00:00:00Z, whole years inside what 64 bits of nanoseconds
 * hold.  A time outside it is refused (ld_time_parse() fails, a bound
 * gets a message naming the range), never wrapped round; arithmetic on
 * times in range does not overflow except for the difference of two
 * times, which callers compute with ld_time_span().
 */
#define LD_TIME_MIN_YEAR 1678
#define LD_TIME_MAX_YEAR 2261
#define LD_TIME_MIN_NS (INT64_C(-106650) * 86400 * LD_NS_PER_SEC)
#define LD_TIME_MAX_NS (INT64_C(106651) * 86400 * LD_NS_PER_SEC - 1)
#define LD_TIME_RANGE_TEXT "1678-01-01 to 2261-12-31"

/* Is ns inside the supported range? */
static inline int
ld_time_in_range(int64_t ns)
{
	return ns >= LD_TIME_MIN_NS && ns <= LD_TIME_MAX_NS;
}

/*
 * until - since, in *span: 0, or -1 when the difference does not fit in
 * 64 bits (two times in range can be 584 years apart), in which case
 * *span is INT64_MAX or INT64_MIN by the sign of the difference.
 */
static inline int
ld_time_span(int64_t since, int64_t until, int64_t *span)
{
	if (__builtin_sub_overflow(until, since, span)) {
		*span = until > since ? INT64_MAX : INT64_MIN;
		return -1;
	}
	return 0;
}

struct ld_time {
	int64_t ns;		/* nanoseconds since 1970-01-01T00:00:00Z */
	int prec;		/* fraction digits to print, 0..9 */
	int year_guessed;	/* syslog: the year was inferred */
	int zone_assumed;	/* the source gave no zone: one was assumed */
};

enum ld_time_kind {
	LD_TIME_AUTO,		/* any of the below, by shape */
	LD_TIME_RFC3339,	/* 2026-11-16T02:13:12.250Z, +01:00, space for T */
	LD_TIME_CLF,		/* 25/Oct/2024:14:48:00 +0000 */
	LD_TIME_SYSLOG,		/* Oct 25 14:48:00 (year inferred) */
	LD_TIME_EPOCH,		/* 1661399872, 1661399872.1377518, ms or us */
	LD_TIME_SVLOGD,		/* 2014-06-26_13:33:46.49866, UTC (svlogd -tt) */
	LD_TIME_TEXTDATE	/* October 06, 2014 11:56 (no zone) */
};

/*
 * Parse n bytes of s as a time of the given kind into *t.  For syslog
 * times, ref_year is the year to assume (the record is marked).
 * Returns 0, or -1 when s is not such a time or the time is outside the
 * supported range (no message; the caller counts the record as
 * malformed-time).
 */
int ld_time_parse(const char *s, size_t n, enum ld_time_kind kind,
    int ref_year, struct ld_time *t);

/*
 * The same, for a source whose times may carry no zone (syslog, an RFC 3339
 * time without an offset, a text date): assume is the offset in seconds
 * east of UTC to take for them, or LD_TIME_NOZONE for none.  A time read
 * with the assumed offset has t->zone_assumed set.  Returns 0, -1 when s
 * is not such a time, or LD_TIME_ZONELESS when it is one but has no zone
 * and none was given to assume (the caller counts it as a bad time and
 * may say once that --tz-assume is wanted).  ld_time_parse() is this with
 * LD_TIME_NOZONE, and returns -1 for LD_TIME_ZONELESS.
 */
#define LD_TIME_NOZONE	(-86401L)
#define LD_TIME_ZONELESS (-2)
int ld_time_parse_tz(const char *s, size_t n, enum ld_time_kind kind,
    int ref_year, long assume, struct ld_time *t);

/*
 * Parse a zone to assume ("UTC", "Z", "+02:00", "-0700", "+05"): 0 and the
 * offset in seconds east of UTC in *off, or -1.
 */
int ld_time_offset_parse(const char *spec, long *off);

/* Parse a kind name ("auto", "rfc3339", "clf", "syslog", "epoch",
 * "svlogd", "textdate"); -1 if unknown. */
int ld_time_kind_parse(const char *name);

/*
 * Format t as RFC 3339 UTC ("2026-11-16T02:13:12.250Z") with t->prec
 * fraction digits into buf (at least LD_TIME_BUFSZ bytes).  Returns the
 * length written.
 */
#define LD_TIME_BUFSZ 48
size_t ld_time_format(const struct ld_time *t, char *buf);

/*
 * Format with a fixed UTC offset in seconds (+01:00 style, "Z" for 0) —
 * for outputs in a chosen time zone.
 */
size_t ld_time_format_off(const struct ld_time *t, long off, char *buf);

/*
 * Parse a command-line time bound: an RFC 3339 time, a date (YYYY-MM-DD,
 * midnight UTC), or a span back from now_ns ("7d", "36h", "90m", "30s").
 * Returns 0 and sets *ns, or -1 with a message in err (also for a time
 * or a span that reaches outside the supported range).
 */
int ld_time_parse_bound(const char *s, int64_t now_ns, int64_t *ns,
    struct ld_err *err);

/* Days since the epoch of a proleptic Gregorian date. */
int64_t ld_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The inverse: the date of a day number. */
void ld_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
