/*
 * ldtime.c — parsing and printing times, exactly.
 *
 * Calendar arithmetic uses Howard Hinnant's days-from-civil algorithm, so no
 * call depends on the process time zone (timegm and friends are avoided on
 * purpose: they read TZ and are not all thread-safe).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/ldtime.h"

/* What the parsers return for a time outside the supported range; the
 * public calls tell it apart only to word a message. */
#define RANGE (-3)

int64_t
ld_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
ld_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
mdays(int64_t y, unsigned m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Read exactly k digits at s[*i]; -1 when they are not all digits. */
static long
digits(const char *s, size_t n, size_t *i, int k)
{
	long v = 0;
	int j;

	if (*i + (size_t)k > n)
		return -1;
	for (j = 0; j < k; j++) {
		char c = s[*i + (size_t)j];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)k;
	return v;
}

static int
civil_ok(int64_t y, long mo, long d, long h, long mi, long sec)
{
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, (unsigned)mo))
		return 0;
	/* A leap second (60) is accepted and folded into the next second. */
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60;
}

/*
 * Seconds since the epoch of a civil time (years of at most four digits,
 * so no overflow), less a zone offset, then nanoseconds with frac added:
 * 0, or RANGE when the instant is outside the supported range.  Callers
 * tell RANGE apart only to word a message.
 */
static int
to_ns(int64_t y, long mo, long d, long h, long mi, long sec, long off,
    int64_t frac, int64_t *ns)
{
	int64_t days = ld_days_from_civil(y, (unsigned)mo, (unsigned)d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - off;

	if (secs < LD_TIME_MIN_NS / LD_NS_PER_SEC ||
	    secs > LD_TIME_MAX_NS / LD_NS_PER_SEC)
		return RANGE;
	*ns = secs * LD_NS_PER_SEC + frac;
	return 0;
}

/* Check the fields of a zoned time and store it. */
static int
finish(struct ld_time *t, int64_t y, long mo, long d, long h, long mi,
    long sec, long off, int64_t frac, int prec)
{
	int64_t ns;

	if (!civil_ok(y, mo, d, h, mi, sec))
		return -1;
	if (to_ns(y, mo, d, h, mi, sec, off, frac, &ns) < 0)
		return RANGE;
	t->ns = ns;
	t->prec = prec;
	t->year_guessed = 0;
	t->zone_assumed = 0;
	return 0;
}

/* A fraction ".ddd…" at s[*i]: nanoseconds and digit count (extra digits
 * beyond nine are accepted and truncated; precision is capped at 9). */
static int
fraction(const char *s, size_t n, size_t *i, int64_t *ns, int *prec)
{
	int k = 0;
	int64_t v = 0;

	*ns = 0;
	*prec = 0;
	if (*i >= n || (s[*i] != '.' && s[*i] != ','))
		return 0;
	(*i)++;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		if (k < 9)
			v = v * 10 + (s[*i] - '0');
		k++;
		(*i)++;
	}
	if (k == 0)
		return -1;
	*prec = k > 9 ? 9 : k;
	for (int j = *prec; j < 9; j++)
		v *= 10;
	*ns = v;
	return 0;
}

/* "Z", "+hh:mm", "+hhmm", "+hh"; seconds east of UTC into *off. */
static int
zone(const char *s, size_t n, size_t *i, long *off)
{
	long h, m = 0;
	int sign;

	if (*i < n && (s[*i] == 'Z' || s[*i] == 'z')) {
		(*i)++;
		*off = 0;
		return 0;
	}
	if (*i >= n || (s[*i] != '+' && s[*i] != '-'))
		return -1;
	sign = s[*i] == '-' ? -1 : 1;
	(*i)++;
	if ((h = digits(s, n, i, 2)) < 0 || h > 23)
		return -1;
	if (*i < n && s[*i] == ':')
		(*i)++;
	if (*i < n && isdigit((unsigned char)s[*i]) &&
	    ((m = digits(s, n, i, 2)) < 0 || m > 59))
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/* A zone-less time: with the offset to assume, finished and marked;
 * without one, LD_TIME_ZONELESS when the fields are a valid time. */
static int
assumed(struct ld_time *t, int64_t y, long mo, long d, long h, long mi,
    long sec, long assume, int64_t frac, int prec)
{
	int rc;

	if (assume == LD_TIME_NOZONE)
		return civil_ok(y, mo, d, h, mi, sec) ? LD_TIME_ZONELESS : -1;
	if ((rc = finish(t, y, mo, d, h, mi, sec, assume, frac, prec)) < 0)
		return rc;
	t->zone_assumed = 1;
	return 0;
}

/* The value of the two digits at s, or -1. */
static inline long
two(const char *s)
{
	unsigned a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';

	return a <= 9 && b <= 9 ? (long)(a * 10 + b) : -1;
}

static int
parse_rfc3339(const char *s, size_t n, long assume, struct ld_time *t)
{
	size_t i = 0;
	long y, mo, d, h, mi, sec, off, c;
	int64_t frac;
	int prec;
	char sep;

	/* Nearly every time is written "2026-11-20T00:00:00" and more: its
	 * fixed places read at once, what follows as below. */
	if (n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
	    s[13] == ':' && s[16] == ':' && (c = two(s)) >= 0 &&
	    (y = two(s + 2)) >= 0 && (mo = two(s + 5)) >= 0 &&
	    (d = two(s + 8)) >= 0 && (h = two(s + 11)) >= 0 &&
	    (mi = two(s + 14)) >= 0 && (sec = two(s + 17)) >= 0) {
		y += c * 100;
		i = 19;
		goto seconds;
	}
	/* NGINX's error log writes 2024/05/16 14:53:09, with no zone. */
	if ((y = digits(s, n, &i, 4)) < 0 || i >= n ||
	    ((sep = s[i++]) != '-' && sep != '/') ||
	    (mo = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != sep ||
	    (d = digits(s, n, &i, 2)) < 0 || i >= n ||
	    (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
		return -1;
	i++;
	if ((h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (sec = digits(s, n, &i, 2)) < 0)
		return -1;
seconds:
	if (fraction(s, n, &i, &frac, &prec) < 0)
		return -1;
	/* A time without a zone is local to an unknown place: never guessed,
	 * only read with the zone the user said to assume. */
	if (i == n)
		return assumed(t, y, mo, d, h, mi, sec, assume, frac, prec);
	/* Ruby's Time#to_s (production.log) puts a space before the offset. */
	if (s[i] == ' ' && i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-'))
		i++;
	if (zone(s, n, &i, &off) < 0 || i != n)
		return -1;
	return finish(t, y, mo, d, h, mi, sec, off, frac, prec);
}

/* 2014-06-26_13:33:46.49866: svlogd -tt writes UTC (svlogd(8)). */
static int
parse_svlogd(const char *s, size_t n, struct ld_time *t)
{
	size_t i = 0;
	long y, mo, d, h, mi, sec;
	int64_t frac;
	int prec;

	if ((y = digits(s, n, &i, 4)) < 0 || i >= n || s[i++] != '-' ||
	    (mo = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != '-' ||
	    (d = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != '_' ||
	    (h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (sec = digits(s, n, &i, 2)) < 0 ||
	    fraction(s, n, &i, &frac, &prec) < 0 || i != n)
		return -1;
	return finish(t, y, mo, d, h, mi, sec, 0, frac, prec);
}

static int
month(const char *s)
{
	static const char *names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return -1;
}

/* 25/Oct/2024:14:48:00 +0000 */
static int
parse_clf(const char *s, size_t n, struct ld_time *t)
{
	size_t i = 0;
	long y, mo, d, h, mi, sec, off;
	int64_t frac;
	int prec;

	if ((d = digits(s, n, &i, 2)) < 0 || i + 5 > n || s[i] != '/' ||
	    (mo = month(s + i + 1)) < 0 || s[i + 4] != '/')
		return -1;
	i += 5;
	if ((y = digits(s, n, &i, 4)) < 0 || i >= n || s[i++] != ':' ||
	    (h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (sec = digits(s, n, &i, 2)) < 0)
		return -1;
	if (fraction(s, n, &i, &frac, &prec) < 0)
		return -1;
	if (i >= n || s[i++] != ' ' || zone(s, n, &i, &off) < 0 || i != n)
		return -1;
	return finish(t, y, mo, d, h, mi, sec, off, frac, prec);
}

/* "Oct 25 14:48:00" or "Oct  5 14:48:00", optionally with a fraction;
 * syslog has no zone (the caller says which to assume) and no year (the
 * caller gives it). */
static int
parse_syslog(const char *s, size_t n, int ref_year, long assume,
    struct ld_time *t)
{
	size_t i = 4;
	long mo, d, h, mi, sec;
	int64_t frac;
	int prec, rc;

	if (n < 15 || (mo = month(s)) < 0 || s[3] != ' ')
		return -1;
	if (s[i] == ' ')
		i++;
	if (s[i] < '0' || s[i] > '9')
		return -1;
	d = s[i++] - '0';
	if (i < n && s[i] >= '0' && s[i] <= '9')
		d = d * 10 + (s[i++] - '0');
	if (i >= n || s[i++] != ' ' ||
	    (h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (sec = digits(s, n, &i, 2)) < 0)
		return -1;
	if (fraction(s, n, &i, &frac, &prec) < 0 || i != n)
		return -1;
	if (ref_year <= 0 || ref_year > 9999)
		return -1;
	if ((rc = assumed(t, ref_year, mo, d, h, mi, sec, assume, frac,
	    prec)) != 0)
		return rc;
	t->year_guessed = 1;
	return 0;
}

/* "October 06, 2014 11:56" or "Oct 6, 2014 11:56:07" (application.log):
 * no zone. */
static int
parse_textdate(const char *s, size_t n, long assume, struct ld_time *t)
{
	static const char *names[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	size_t i = 0, k;
	long y, mo = -1, d, h, mi, sec = 0;
	int64_t frac = 0;
	int prec = 0;

	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	for (k = 0; k < 12; k++)
		if ((i == 3 && strncasecmp(s, names[k], 3) == 0) ||
		    (i == strlen(names[k]) && strncasecmp(s, names[k], i) == 0))
			mo = (long)k + 1;
	if (mo < 0 || i >= n || s[i++] != ' ' || i >= n || !isdigit((unsigned char)s[i]))
		return -1;
	d = s[i++] - '0';
	if (i < n && isdigit((unsigned char)s[i]))
		d = d * 10 + (s[i++] - '0');
	if (i + 2 > n || s[i] != ',' || s[i + 1] != ' ')
		return -1;
	i += 2;
	if ((y = digits(s, n, &i, 4)) < 0 || i >= n || s[i++] != ' ' ||
	    (h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0)
		return -1;
	if (i < n && s[i] == ':' && (i++, (sec = digits(s, n, &i, 2)) < 0))
		return -1;
	if (fraction(s, n, &i, &frac, &prec) < 0 || i != n)
		return -1;
	return assumed(t, y, mo, d, h, mi, sec, assume, frac, prec);
}

/*
 * Epoch numbers: the unit follows from the magnitude of the integer part
 * (seconds up to 11 digits, then ms, us, ns), which is unambiguous for any
 * date between 1973 and 5138.
 */
static int
parse_epoch(const char *s, size_t n, struct ld_time *t)
{
	size_t i = 0;
	int64_t ip = 0, frac = 0;
	int id = 0, prec = 0, unit_digits, ovf;

	if (n == 0)
		return -1;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (id >= 19 || __builtin_mul_overflow(ip, 10, &ip) ||
		    __builtin_add_overflow(ip, s[i] - '0', &ip))
			return -1;
		id++;
		i++;
	}
	if (id == 0)
		return -1;
	if (i < n && fraction(s, n, &i, &frac, &prec) < 0)
		return -1;
	if (i != n)
		return -1;
	/* Checked: 19 digits of nanoseconds, or 14 of milliseconds, can be
	 * past what 64 bits hold. */
	if (id <= 11) {
		unit_digits = 0;
		ovf = __builtin_mul_overflow(ip, LD_NS_PER_SEC, &t->ns);
		ovf |= __builtin_add_overflow(t->ns, frac, &t->ns);
	} else if (id <= 14) {
		unit_digits = 3;
		ovf = __builtin_mul_overflow(ip, INT64_C(1000000), &t->ns);
		ovf |= __builtin_add_overflow(t->ns, frac / 1000, &t->ns);
	} else if (id <= 17) {
		unit_digits = 6;
		ovf = __builtin_mul_overflow(ip, INT64_C(1000), &t->ns);
		ovf |= __builtin_add_overflow(t->ns, frac / 1000000, &t->ns);
	} else {
		unit_digits = 9;
		t->ns = ip;
		ovf = 0;
		prec = 0;
	}
	if (ovf || !ld_time_in_range(t->ns))
		return RANGE;
	prec += unit_digits;
	t->prec = prec > 9 ? 9 : prec;
	t->year_guessed = 0;
	t->zone_assumed = 0;
	return 0;
}

/* As ld_time_parse(), but RANGE for a time outside the supported range
 * (and LD_TIME_ZONELESS for one without a zone). */
static int
parse_any(const char *s, size_t n, enum ld_time_kind kind, int ref_year,
    struct ld_time *t)
{
	return ld_time_parse_tz(s, n, kind, ref_year, LD_TIME_NOZONE, t);
}

int
ld_time_offset_parse(const char *spec, long *off)
{
	size_t i = 0, n = strlen(spec);

	if (strcasecmp(spec, "UTC") == 0 || strcasecmp(spec, "GMT") == 0) {
		*off = 0;
		return 0;
	}
	if (zone(spec, n, &i, off) < 0 || i != n)
		return -1;
	return 0;
}

int
ld_time_parse_tz(const char *s, size_t n, enum ld_time_kind kind,
    int ref_year, long assume, struct ld_time *t)
{
	t->zone_assumed = 0;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	switch (kind) {
	case LD_TIME_RFC3339:
		return parse_rfc3339(s, n, assume, t);
	case LD_TIME_CLF:
		return parse_clf(s, n, t);
	case LD_TIME_SYSLOG:
		return parse_syslog(s, n, ref_year, assume, t);
	case LD_TIME_EPOCH:
		return parse_epoch(s, n, t);
	case LD_TIME_SVLOGD:
		return parse_svlogd(s, n, t);
	case LD_TIME_TEXTDATE:
		return parse_textdate(s, n, assume, t);
	case LD_TIME_AUTO:
		break;
	}
	if (n >= 11 && s[4] == '-' && s[10] == '_')
		return parse_svlogd(s, n, t);
	if (n >= 10 && s[4] == '-')
		return parse_rfc3339(s, n, assume, t);
	if (n >= 3 && s[2] == '/')
		return parse_clf(s, n, t);
	if (n > 0 && s[0] >= '0' && s[0] <= '9')
		return parse_epoch(s, n, t);
	if (n > 4 && s[3] != ' ')
		return parse_textdate(s, n, assume, t);
	return parse_syslog(s, n, ref_year, assume, t);
}

int
ld_time_parse(const char *s, size_t n, enum ld_time_kind kind, int ref_year,
    struct ld_time *t)
{
	return parse_any(s, n, kind, ref_year, t) < 0 ? -1 : 0;
}

int
ld_time_kind_parse(const char *name)
{
	static const char *names[] = { "auto", "rfc3339", "clf", "syslog",
	    "epoch", "svlogd", "textdate" };

	for (int i = 0; i < 7; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* Two decimal digits of v (below 100). */
static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

size_t
ld_time_format_off(const struct ld_time *t, long off, char *buf)
{
	/* In seconds first: the offset added to nanoseconds could pass
	 * what 64 bits hold. */
	int64_t secs = t->ns / LD_NS_PER_SEC + off, frac = t->ns % LD_NS_PER_SEC;
	int64_t days, y, sod;
	unsigned m, d;
	size_t len;

	if (frac < 0) {
		frac += LD_NS_PER_SEC;
		secs--;
	}
	days = secs / 86400;
	sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	ld_civil_from_days(days, &y, &m, &d);
	/* Every record's time is written: digits by hand, not by printf,
	 * for the years that have four of them. */
	if (y >= 0 && y <= 9999) {
		put2(buf, (unsigned)(y / 100));
		put2(buf + 2, (unsigned)(y % 100));
		buf[4] = '-';
		put2(buf + 5, m);
		buf[7] = '-';
		put2(buf + 8, d);
		buf[10] = 'T';
		put2(buf + 11, (unsigned)(sod / 3600));
		buf[13] = ':';
		put2(buf + 14, (unsigned)(sod / 60 % 60));
		buf[16] = ':';
		put2(buf + 17, (unsigned)(sod % 60));
		len = 19;
	} else
		len = (size_t)snprintf(buf, LD_TIME_BUFSZ,
		    "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
		    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
	if (t->prec > 0) {
		int p = t->prec > 9 ? 9 : t->prec;
		int64_t f = frac;

		buf[len++] = '.';
		for (int i = 8; i >= 0; i--, f /= 10)
			if (i < p)
				buf[len + (size_t)i] = (char)('0' + f % 10);
		len += (size_t)p;
	}
	if (off == 0) {
		buf[len++] = 'Z';
	} else {
		long a = off < 0 ? -off : off;

		len += (size_t)snprintf(buf + len, LD_TIME_BUFSZ - len,
		    "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	}
	buf[len] = '\0';
	return len;
}

size_t
ld_time_format(const struct ld_time *t, char *buf)
{
	return ld_time_format_off(t, 0, buf);
}

int
ld_time_parse_bound(const char *s, int64_t now_ns, int64_t *ns,
    struct ld_err *err)
{
	struct ld_time t;
	size_t n = strlen(s);
	char *end;
	long long v;
	int64_t unit, span;
	int r;

	if (n == 10 && s[4] == '-' && s[7] == '-') {
		char full[32];

		snprintf(full, sizeof(full), "%sT00:00:00Z", s);
		if ((r = parse_rfc3339(full, strlen(full), LD_TIME_NOZONE, &t)) == 0) {
			*ns = t.ns;
			return 0;
		}
		if (r == RANGE)
			goto range;
		return ld_err_set(err, "%s: not a valid date", s);
	}
	if (n > 10 && s[4] == '-') {
		if ((r = parse_rfc3339(s, n, LD_TIME_NOZONE, &t)) == 0) {
			*ns = t.ns;
			return 0;
		}
		if (r == RANGE)
			goto range;
		return ld_err_set(err, "%s: not an RFC 3339 time with a zone "
		    "(like 2026-11-14T00:00:00Z)", s);
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || v < 0 || end[0] == '\0' || end[1] != '\0' ||
	    !(*s >= '0' && *s <= '9'))
		return ld_err_set(err, "%s: not a time, a date or a span "
		    "like 7d, 36h, 90m", s);
	switch (*end) {
	case 'd': unit = 86400; break;
	case 'h': unit = 3600; break;
	case 'm': unit = 60; break;
	case 's': unit = 1; break;
	case 'w': unit = 7 * 86400; break;
	default:
		return ld_err_set(err, "%s: unknown span unit '%c' (use d, h, m, s or w)",
		    s, *end);
	}
	if (errno == ERANGE || __builtin_mul_overflow((int64_t)v, unit, &span) ||
	    __builtin_mul_overflow(span, LD_NS_PER_SEC, &span) ||
	    __builtin_sub_overflow(now_ns, span, ns) || !ld_time_in_range(*ns))
		goto range;
	return 0;
range:
	return ld_err_set(err, "%s: outside the supported time range "
	    LD_TIME_RANGE_TEXT, s);
}
