/* Unit tests of lib/format/ldtime.c: every accepted form, precision kept,
 * nothing guessed. */
#include <string.h>

#include "format/ldtime.h"
#include "tap.h"

static void
roundtrip(const char *in, enum ld_time_kind k, const char *want)
{
	struct ld_time t;
	char buf[LD_TIME_BUFSZ];

	if (!ok(ld_time_parse(in, strlen(in), k, 2026, &t) == 0, "parse %s", in))
		return;
	ld_time_format(&t, buf);
	is_str(buf, want, "%s prints as %s", in, want);
}

static void
refuse(const char *in, enum ld_time_kind k)
{
	struct ld_time t;

	ok(ld_time_parse(in, strlen(in), k, 2026, &t) < 0, "refuse '%s'", in);
}

int
main(void)
{
	struct ld_time t;
	struct ld_err err;
	int64_t ns;

	roundtrip("2019-03-13T06:09:18.036Z", LD_TIME_RFC3339,
	    "2019-03-13T06:09:18.036Z");
	roundtrip("2019-09-17T22:17:19Z", LD_TIME_AUTO, "2019-09-17T22:17:19Z");
	roundtrip("2023-04-19T22:14:25.893+00:00", LD_TIME_AUTO,
	    "2023-04-19T22:14:25.893Z");
	roundtrip("2026-11-16T03:13:12.250123456+01:00", LD_TIME_AUTO,
	    "2026-11-16T02:13:12.250123456Z");
	roundtrip("2026-11-16T02:13:12.1234567891234Z", LD_TIME_AUTO,
	    "2026-11-16T02:13:12.123456789Z");
	roundtrip("2026-01-01 00:30:00-05:30", LD_TIME_AUTO,
	    "2026-01-01T06:00:00Z");
	roundtrip("25/Oct/2024:14:48:00 +0000", LD_TIME_CLF,
	    "2024-10-25T14:48:00Z");
	roundtrip("25/Oct/2024:16:48:00 +0200", LD_TIME_AUTO,
	    "2024-10-25T14:48:00Z");
	roundtrip("1661399872.1377518", LD_TIME_EPOCH,
	    "2022-08-25T03:57:52.1377518Z");
	roundtrip("1661399872", LD_TIME_AUTO, "2022-08-25T03:57:52Z");
	roundtrip("1661399872137", LD_TIME_EPOCH, "2022-08-25T03:57:52.137Z");
	roundtrip("1661399872137751", LD_TIME_EPOCH,
	    "2022-08-25T03:57:52.137751Z");
	/* Syslog has no zone: read only with one to assume (--tz-assume). */
	refuse("Oct  5 14:48:00", LD_TIME_SYSLOG);
	ok(ld_time_parse_tz("Oct  5 14:48:00", 15, LD_TIME_SYSLOG, 2026,
	    LD_TIME_NOZONE, &t) == LD_TIME_ZONELESS, "syslog without a zone: "
	    "ZONELESS");
	ok(ld_time_parse_tz("Oct  5 14:48:00", 15, LD_TIME_SYSLOG, 2026, 7200,
	    &t) == 0 && t.ns == INT64_C(1791204480) * LD_NS_PER_SEC &&
	    t.zone_assumed && t.year_guessed, "syslog at an assumed +02:00");
	ok(ld_time_parse_tz("2019-03-13T06:09:18", 19, LD_TIME_AUTO, 0, 0, &t) == 0
	    && t.zone_assumed, "RFC 3339 without an offset, UTC assumed");
	ok(ld_time_parse_tz("October 06, 2014 11:56", 22, LD_TIME_AUTO, 0, 0,
	    &t) == 0 && t.ns == INT64_C(1412596560) * LD_NS_PER_SEC,
	    "text date, UTC assumed");
	ok(ld_time_parse("2014-06-26_13:33:46.49866", 25, LD_TIME_AUTO, 0, &t) == 0
	    && t.ns == INT64_C(1403789626498660000) && !t.zone_assumed,
	    "svlogd time is UTC");
	ok(ld_time_parse("2015-02-12 19:34:53 +0200", 25, LD_TIME_AUTO, 0, &t) == 0
	    && t.ns == INT64_C(1423762493) * LD_NS_PER_SEC,
	    "Ruby time with a space before the offset");
	roundtrip("1969-12-31T23:59:59.5Z", LD_TIME_AUTO,
	    "1969-12-31T23:59:59.5Z");
	roundtrip("2024-02-29T12:00:00Z", LD_TIME_AUTO, "2024-02-29T12:00:00Z");

	ok(ld_time_parse_tz("Oct  5 14:48:00", 15, LD_TIME_SYSLOG, 2026, 0,
	    &t) == 0 && t.year_guessed, "syslog year is marked as guessed");
	ok(ld_time_parse("2019-03-13T06:09:18.036Z", 24, LD_TIME_AUTO, 0, &t) == 0
	    && t.prec == 3 && !t.year_guessed, "precision of 3 digits kept");

	refuse("2019-03-13T06:09:18", LD_TIME_AUTO);	/* no zone: never guessed */
	refuse("2019-02-29T06:09:18Z", LD_TIME_AUTO);	/* not a leap year */
	refuse("2019-13-01T00:00:00Z", LD_TIME_AUTO);
	refuse("2019-03-13T24:00:00Z", LD_TIME_AUTO);
	refuse("2019-03-13T06:09:18.Z", LD_TIME_AUTO);
	refuse("2019-03-13T06:09:18Zjunk", LD_TIME_AUTO);
	/* The fixed places of the usual form are read at once: a byte just
	 * outside the digits ('/' and ':') is not one, and the other forms
	 * still read as before. */
	refuse("2019-03-1/T06:09:18Z", LD_TIME_RFC3339);
	refuse("20a9-03-13T06:09:18Z", LD_TIME_RFC3339);
	refuse("2019-03-13T06:09:1:Z", LD_TIME_RFC3339);
	refuse("2019-03-13T06:09:18+2", LD_TIME_RFC3339);
	roundtrip("2019-03-13t06:09:18Z", LD_TIME_RFC3339,
	    "2019-03-13T06:09:18Z");
	roundtrip("2019/03/13 06:09:18+01:00", LD_TIME_RFC3339,
	    "2019-03-13T05:09:18Z");
	roundtrip("2019-03-13T06:09:18,5-0230", LD_TIME_RFC3339,
	    "2019-03-13T08:39:18.5Z");
	refuse("", LD_TIME_AUTO);
	refuse("yesterday", LD_TIME_AUTO);
	refuse("25/Foo/2024:14:48:00 +0000", LD_TIME_CLF);
	refuse("1661399872.", LD_TIME_EPOCH);
	refuse("Oct 32 14:48:00", LD_TIME_SYSLOG);

	ok(ld_time_parse_bound("2026-11-14", 0, &ns, &err) == 0 &&
	    ns == INT64_C(1794614400) * LD_NS_PER_SEC, "a date is midnight UTC");
	ok(ld_time_parse_bound("7d", INT64_C(1000000) * LD_NS_PER_SEC, &ns, &err)
	    == 0 && ns == INT64_C(395200) * LD_NS_PER_SEC, "7d is 604800 s back");
	ok(ld_time_parse_bound("36h", INT64_C(200000) * LD_NS_PER_SEC, &ns, &err)
	    == 0 && ns == INT64_C(70400) * LD_NS_PER_SEC, "36h back");
	ok(ld_time_parse_bound("7x", 0, &ns, &err) < 0 &&
	    strstr(err.msg, "unknown span unit") != NULL, "bad unit refused: %s",
	    err.msg);
	ok(ld_time_parse_bound("2026-11-14T00:00:00", 0, &ns, &err) < 0,
	    "a bound without a zone is refused");

	t.ns = 0;
	t.prec = 0;
	{
		char buf[LD_TIME_BUFSZ];

		ld_time_format_off(&t, 2 * 3600, buf);
		is_str(buf, "1970-01-01T02:00:00+02:00", "format with an offset");
		ld_time_format_off(&t, -(5 * 3600 + 1800), buf);
		is_str(buf, "1969-12-31T18:30:00-05:30", "negative offset");
	}
	return tap_done();
}
