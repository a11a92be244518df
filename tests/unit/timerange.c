/* Unit tests of the supported time range (lib/format/ldtime.h) and of a
 * profile's window (lib/scope/scope.c): nothing outside the range is
 * accepted, nothing wraps round. */
#include <stdint.h>
#include <string.h>

#include "format/ldtime.h"
#include "scope/scope.h"
#include "tap.h"

static int
parses(const char *s, enum ld_time_kind k, int year)
{
	struct ld_time t;

	/* zone-less forms (syslog) read as UTC, as with --tz-assume UTC */
	return ld_time_parse_tz(s, strlen(s), k, year, 0, &t) == 0 &&
	    ld_time_in_range(t.ns);
}

static int
bound(const char *s, int64_t now, int64_t *ns, struct ld_err *err)
{
	return ld_time_parse_bound(s, now, ns, err);
}

int
main(void)
{
	struct ld_time t;
	struct ld_err err;
	struct ld_scope sc = { 0 };
	char buf[LD_TIME_BUFSZ];
	int64_t ns, span, now = INT64_C(1795000000) * LD_NS_PER_SEC;

	ok(parses("1678-01-01T00:00:00Z", LD_TIME_RFC3339, 0), "first instant");
	ok(parses("2261-12-31T23:59:59.999999999Z", LD_TIME_RFC3339, 0),
	    "last instant");
	ok(!parses("1677-12-31T23:59:59Z", LD_TIME_RFC3339, 0), "before");
	ok(!parses("2262-01-01T00:00:00Z", LD_TIME_RFC3339, 0), "after");
	ok(!parses("2261-12-31T23:30:00-01:00", LD_TIME_RFC3339, 0),
	    "an offset that carries past the end");
	ok(!parses("1678-01-01T00:30:00+01:00", LD_TIME_RFC3339, 0),
	    "an offset that carries before the start");
	ok(!parses("2300-01-01T00:00:00Z", LD_TIME_AUTO, 0), "2300 not wrapped");
	ok(!parses("1442-06-01T00:00:00Z", LD_TIME_AUTO, 0), "1442 not wrapped");
	ok(!parses("01/Jan/9999:00:00:00 +0000", LD_TIME_CLF, 0), "CLF 9999");
	ok(!parses("Jan  1 00:00:00", LD_TIME_SYSLOG, 9999), "syslog year 9999");
	ok(!parses("Jan  1 00:00:00", LD_TIME_SYSLOG, 2262), "syslog year 2262");
	ok(parses("Jan  1 00:00:00", LD_TIME_SYSLOG, 2261), "syslog year 2261");
	ok(!parses("9999999999999999999", LD_TIME_EPOCH, 0),
	    "19 digits of ns past 64 bits");
	ok(!parses("99999999999999", LD_TIME_EPOCH, 0), "ms past the range");
	ok(!parses("99999999999", LD_TIME_EPOCH, 0), "seconds past the range");
	ok(!parses("9223372036854775807", LD_TIME_EPOCH, 0),
	    "INT64_MAX ns, in 2262, is past the range");
	ok(parses("9214646399999999999", LD_TIME_EPOCH, 0),
	    "the last nanosecond as an epoch number");

	ld_time_parse("2261-12-31T23:59:59.5Z", 22, LD_TIME_RFC3339, 0, &t);
	ld_time_format_off(&t, 14 * 3600, buf);
	is_str(buf, "2262-01-01T13:59:59.5+14:00",
	    "an offset applied to the last second does not overflow");

	ok(bound("99999999999d", now, &ns, &err) < 0 &&
	    strstr(err.msg, "outside the supported time range") != NULL,
	    "a span past 64 bits: %s", err.msg);
	ok(bound("9223372036854775807s", now, &ns, &err) < 0, "INT64_MAX s");
	ok(bound("99999999999999999999d", now, &ns, &err) < 0, "past strtoll");
	ok(bound("2300-01-01", now, &ns, &err) < 0 &&
	    strstr(err.msg, "1678-01-01 to 2261-12-31") != NULL,
	    "a date past the range names the range: %s", err.msg);
	ok(bound("7d", now, &ns, &err) == 0 &&
	    ns == now - 7 * 86400 * LD_NS_PER_SEC, "7d");
	ok(bound("-7d", now, &ns, &err) < 0, "a negative span");

	ok(ld_time_span(LD_TIME_MIN_NS, LD_TIME_MAX_NS, &span) < 0 &&
	    span == INT64_MAX, "the widest span does not fit");
	ok(ld_time_span(0, 10, &span) == 0 && span == 10, "a span");

	/* 1700-01-01 .. 2027-01-01: 327 years, which wrapped negative. */
	sc.profile = (char *)"sirt";
	sc.has_since = sc.has_until = sc.has_requested = 1;
	sc.since = INT64_C(-8520336000) * LD_NS_PER_SEC;
	sc.until = INT64_C(1798761600) * LD_NS_PER_SEC;
	sc.requested_at = sc.until;
	ok(ld_scope_validate(&sc, &err) < 0 && strstr(err.msg, "31 days"),
	    "327 years refused under sirt: %s", err.msg);
	sc.since = LD_TIME_MIN_NS;
	sc.until = LD_TIME_MAX_NS;
	sc.requested_at = LD_TIME_MAX_NS;
	ok(ld_scope_validate(&sc, &err) < 0, "the whole range refused");
	sc.since = INT64_MIN;
	ok(ld_scope_validate(&sc, &err) < 0 && strstr(err.msg, "since is outside"),
	    "a since outside the range: %s", err.msg);
	sc.since = sc.until - 31 * 86400 * LD_NS_PER_SEC;
	ok(ld_scope_validate(&sc, &err) == 0, "31 days at the end of the range");
	return tap_done();
}
