/*
 * fuzz_cut.c — CSV, TSV and JSONL rows of ldcut.
 *
 * The first line of the input is a field list, the rest one log line.
 * Properties: a JSONL row is one JSON object with at most as many keys as
 * fields; a CSV row read back by RFC 4180 has exactly one value per
 * field; a TSV row has exactly one tab less than fields and no newline.
 */
#include <jansson.h>
#include <string.h>

#include "format/format.h"
#include "format/jsonx.h"
#include "fuzz.h"
#include "timeline/cut.h"

/* The values of one RFC 4180 row (with its CRLF or LF); -1 if malformed. */
static long
csv_count(const char *s, size_t n)
{
	size_t i = 0;
	long k = 1;
	int q = 0;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (; i < n; i++) {
		if (q) {
			if (s[i] == '"') {
				if (i + 1 < n && s[i + 1] == '"')
					i++;
				else
					q = 0;
			}
		} else if (s[i] == '"')
			q = 1;
		else if (s[i] == ',')
			k++;
		else if (s[i] == '\n' || s[i] == '\r')
			return -1;
	}
	return q ? -1 : k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_formats *fs;
	static struct ld_parser *p;
	const char *nl = memchr(data, '\n', size), *line;
	char fields[256];
	size_t fn, ln;
	struct ld_err err;
	/* Kept from one input to the next, as ldcut keeps them from line to
	 * line (ld_rec_clear keeps the memory). */
	static struct ld_rec r;
	static struct ld_buf b;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL)
			abort();
		p = ld_parser_new(fs, 2026);
	}
	if (nl == NULL || (fn = (size_t)(nl - (const char *)data)) >= sizeof(fields))
		return 0;
	memcpy(fields, data, fn);
	fields[fn] = '\0';
	if (strlen(fields) != fn)
		return 0;
	line = nl + 1;
	ln = size - fn - 1;
	if (memchr(line, '\n', ln) != NULL)
		return 0;
	ld_parse_line(p, NULL, "fuzz.log", 3, line, ln, &r);
	ld_rec_complete(p, &r);
	for (int k = LD_CUT_JSONL; k <= LD_CUT_TSV; k++) {
		struct ld_cut *c = ld_cut_new((enum ld_cut_out)k);
		size_t nf;

		ld_buf_reset(&b);

		if (ld_cut_add_fields(c, fields, &err) < 0) {
			FUZZ_CHECK(err.msg[0] != '\0', "no message");
			ld_cut_free(c);
			break;
		}
		nf = ld_cut_nfields(c);
		ld_cut_rec(c, &r, &b);
		FUZZ_CHECK(b.len > 0 && b.p[b.len - 1] == '\n', "row end");
		if (k == LD_CUT_JSONL) {
			json_error_t je;
			int rep = 0;
			/* Valid JSON by RFC 8259, numbers past jansson's range
			 * and all (an event keeps its text). */
			json_t *j = ld_json_loadb(b.p, b.len, JSON_ALLOW_NUL,
			    &rep, &je);

			FUZZ_CHECK(j && json_is_object(j) && json_object_size(j) <= nf,
			    "JSONL row %s: %s", b.p, je.text);
			FUZZ_CHECK(memchr(b.p, '\n', b.len) == b.p + b.len - 1,
			    "JSONL row on more than one line");
			json_decref(j);
		} else if (k == LD_CUT_CSV) {
			FUZZ_CHECK(csv_count(b.p, b.len) == (long)nf,
			    "CSV row of %ld values for %zu fields: %s",
			    csv_count(b.p, b.len), nf, b.p);
		} else {
			size_t tabs = 0;

			for (size_t i = 0; i < b.len; i++)
				tabs += b.p[i] == '\t';
			FUZZ_CHECK(tabs + 1 == nf, "TSV row of %zu tabs for %zu "
			    "fields", tabs, nf);
			FUZZ_CHECK(memchr(b.p, '\n', b.len) == b.p + b.len - 1,
			    "TSV row on more than one line");
		}
		ld_cut_free(c);
	}
	ld_rec_clear(&r);
	return 0;
}
