/*
 * fuzz_time.c — times: parse, format, parse again.
 *
 * The first byte picks the kind (and, for syslog, the year assumed); the
 * rest is the text.  Properties: a time accepted lies in the supported
 * range; formatting it and parsing the result gives the same instant (to
 * the precision kept) and the same text again; a command-line bound is
 * in range or refused with a message.
 */
#include <string.h>

#include "format/ldtime.h"
#include "fuzz.h"

static int64_t
trunc_prec(int64_t ns, int prec)
{
	int64_t q = 1;

	for (int i = prec; i < 9; i++)
		q *= 10;
	/* toward the past, as the formatter writes negative times */
	return ns / q * q - (ns % q < 0 ? q : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_time t, u;
	struct ld_err err;
	char buf[LD_TIME_BUFSZ], buf2[LD_TIME_BUFSZ], s[256];
	const char *text;
	size_t n, m;
	int64_t ns;
	int kind, year;

	if (size < 1)
		return 0;
	kind = data[0] % 5;
	year = 1600 + data[0] * 3;	/* some outside the range */
	text = (const char *)data + 1;
	n = size - 1;
	if (ld_time_parse(text, n, (enum ld_time_kind)kind, year, &t) == 0) {
		FUZZ_CHECK(ld_time_in_range(t.ns), "%.*s -> %lld", (int)n, text,
		    (long long)t.ns);
		FUZZ_CHECK(t.prec >= 0 && t.prec <= 9, "prec %d", t.prec);
		m = ld_time_format(&t, buf);
		FUZZ_CHECK(m == strlen(buf) && m < LD_TIME_BUFSZ, "length");
		FUZZ_CHECK(ld_time_parse(buf, m, LD_TIME_RFC3339, 0, &u) == 0,
		    "%.*s formatted as %s does not parse", (int)n, text, buf);
		FUZZ_CHECK(u.ns == trunc_prec(t.ns, t.prec) && u.prec == t.prec,
		    "%.*s -> %s -> %lld", (int)n, text, buf, (long long)u.ns);
		ld_time_format(&u, buf2);
		FUZZ_CHECK(strcmp(buf, buf2) == 0, "%s then %s", buf, buf2);
		/* Any zone offset may be applied to a time in range. */
		ld_time_format_off(&t, (long)(data[0] % 48 - 24) * 3600, buf2);
	}
	if (n < sizeof(s)) {
		memcpy(s, text, n);
		s[n] = '\0';
		if (ld_time_parse_bound(s, INT64_C(1795000000) * LD_NS_PER_SEC,
		    &ns, &err) == 0)
			FUZZ_CHECK(ld_time_in_range(ns), "bound %s -> %lld", s,
			    (long long)ns);
		else
			FUZZ_CHECK(strlen(err.msg) > 0, "no message for %s", s);
	}
	return 0;
}
