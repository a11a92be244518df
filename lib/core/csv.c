/*
 * csv.c — RFC 4180 CSV and escaped TSV fields.
 */
#include <string.h>

#include "core/csv.h"

static int
needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

void
ld_csv_field(struct ld_buf *b, enum ld_csv_kind k, int first, const char *s,
    size_t n)
{
	const char *p, *end = s + n;

	if (!first)
		ld_buf_addc(b, k == LD_TSV ? '\t' : ',');
	if (k == LD_TSV) {
		for (p = s; p < end; p++) {
			switch (*p) {
			case '\t': ld_buf_add(b, "\\t", 2); break;
			case '\n': ld_buf_add(b, "\\n", 2); break;
			case '\r': ld_buf_add(b, "\\r", 2); break;
			case '\\': ld_buf_add(b, "\\\\", 2); break;
			default: ld_buf_addc(b, *p); break;
			}
		}
		return;
	}
	if (!needs_quotes(s, n)) {
		ld_buf_add(b, s, n);
		return;
	}
	ld_buf_addc(b, '"');
	while (s < end && (p = memchr(s, '"', (size_t)(end - s))) != NULL) {
		ld_buf_add(b, s, (size_t)(p - s) + 1);
		ld_buf_addc(b, '"');
		s = p + 1;
	}
	ld_buf_add(b, s, (size_t)(end - s));
	ld_buf_addc(b, '"');
}

void
ld_csv_fields(struct ld_buf *b, enum ld_csv_kind k, int first, const char *s)
{
	ld_csv_field(b, k, first, s ? s : "", s ? strlen(s) : 0);
}

void
ld_csv_end(struct ld_buf *b, enum ld_csv_kind k)
{
	ld_buf_adds(b, k == LD_TSV ? "\n" : "\r\n");
}
