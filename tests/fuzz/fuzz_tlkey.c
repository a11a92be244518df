/*
 * fuzz_tlkey.c — the timeline key read from an ld-record's first bytes
 * (ld_tl_key_quick(), what ldtimeline --merge reads instead of parsing).
 *
 * Properties: on any bytes it reads only the line and, when it takes the
 * line, gives a time in range and the source name as the line spells it;
 * and on every record ld_rec_write() writes for a line with a time (the
 * line parsed as a log line first), it takes the record and agrees with
 * ld_tl_key() of the parsed record on time, source and line.
 */
#include <string.h>

#include "format/format.h"
#include "format/ldtime.h"
#include "fuzz.h"
#include "timeline/timeline.h"

static struct ld_formats *fs;
static struct ld_parser *p;
static struct ld_tl *t;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_err err;
	struct ld_rec r = { 0 };
	struct ld_buf a = { 0 };
	struct ld_tl_key k, q;
	const char *line = (const char *)data, *name, *s;
	char *copy;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
		p = ld_parser_new(fs, 2026);
		t = ld_tl_new(1 << 20, NULL);
	}
	/* A copy of exactly size bytes, so that a read past them is caught. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	if (ld_tl_key_quick(t, copy, size, &k)) {
		FUZZ_CHECK(k.has_ts && ld_time_in_range(k.ns), "time %lld",
		    (long long)k.ns);
		name = ld_tl_src_name(t, k.src);
		s = memmem(copy, size, "\",\"src\":\"", 9);
		FUZZ_CHECK(s != NULL && (size_t)(s - copy) + 9 + strlen(name) <
		    size && memcmp(s + 9, name, strlen(name)) == 0 &&
		    s[9 + strlen(name)] == '"', "name %s", name);
		FUZZ_CHECK(copy[size - 1] == '}', "the line ends its object");
	}
	free(copy);

	if (memchr(data, '\n', size) != NULL)
		return 0;	/* one line */
	if (ld_parse_line(p, NULL, "archive/x.tar.zst!var/log/a.log", 42, line,
	    size, &r) == LD_PARSE_OK && r.has_ts) {
		ld_rec_complete(p, &r);
		ld_rec_write(&r, &a);
		ld_tl_key(t, &r, &k);
		if (ld_tl_key_quick(t, a.p, a.len - 1, &q) == 0) {
			/* Only a name written with an escape is left to the
			 * full parse. */
			const char *b = strstr(a.p, "\",\"src\":\""),
			    *e = b ? strstr(b, "\",\"line\":") : NULL;

			FUZZ_CHECK(b && e && memchr(b + 9, '\\',
			    (size_t)(e - b - 9)) != NULL,
			    "a record with a time not taken: %s", a.p);
		} else
			FUZZ_CHECK(q.ns == k.ns && q.line == k.line &&
			    q.src == k.src && q.has_ts == k.has_ts,
			    "keys differ for %s", a.p);
	}
	ld_buf_free(&a);
	ld_rec_free(&r);
	return 0;
}
