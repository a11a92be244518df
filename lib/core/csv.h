/*
 * csv.h — writing CSV (RFC 4180) and TSV rows into a buffer.
 *
 * CSV fields are quoted when they hold the separator, a double quote, CR or
 * LF, or begin or end with a space; a quote inside is doubled.  Nothing is
 * ever replaced or dropped: a value read back by any RFC 4180 reader is
 * byte for byte the value written.  Rows end with CRLF, as the RFC says.
 *
 * TSV (IANA text/tab-separated-values) cannot quote, so a tab, newline,
 * carriage return or backslash inside a value is written as \t, \n, \r or
 * \\ (the escaping of PostgreSQL's and ClickHouse's TSV); rows end with LF.
 *
 *	ld_csv_field(&b, LD_CSV, 1, "a,b", 3);	-> "a,b"
 *	ld_csv_field(&b, LD_CSV, 0, "x", 1);	-> ,x
 *	ld_csv_end(&b, LD_CSV);			-> \r\n
 */
#ifndef LD_CSV_H
#define LD_CSV_H

#include <stddef.h>

#include "core/ld.h"

enum ld_csv_kind {
	LD_CSV,
	LD_TSV
};

/* Append one field of n bytes, preceded by the separator unless first. */
void ld_csv_field(struct ld_buf *b, enum ld_csv_kind k, int first,
    const char *s, size_t n);
/* The same for a NUL-terminated string; NULL is an empty field. */
void ld_csv_fields(struct ld_buf *b, enum ld_csv_kind k, int first,
    const char *s);
/* End the row. */
void ld_csv_end(struct ld_buf *b, enum ld_csv_kind k);

/*
 * Reading RFC 4180 CSV, a byte stream at a time: fields may be quoted, a
 * doubled quote is one quote, a quoted field may hold commas, CR and LF;
 * a row ends at LF, a CR just before it (outside quotes) is dropped.  Bytes
 * are bytes: NUL, invalid UTF-8 and a missing final newline are read as
 * they are.
 *
 *	struct ld_csv_rd rd;
 *	ld_csv_rd_init(&rd, 64 << 20);
 *	while (there are bytes p, n) {
 *		while (n > 0) {
 *			size_t k = ld_csv_rd_feed(&rd, p, n);
 *			p += k, n -= k;
 *			if (ld_csv_rd_row(&rd)) { use the row; }
 *		}
 *	}
 *	if (ld_csv_rd_finish(&rd)) { use the last row; }
 *	ld_csv_rd_free(&rd);
 *
 * A row that breaks the grammar (a quote inside an unquoted field,
 * anything but a comma or the end of the row after a closing quote, a
 * quote left open at the end) is still returned, marked bad (rd.bad) and
 * its fields as far as they could be read; a row longer than max bytes is
 * marked toolong and its fields are not kept.  rd.line is the number of
 * the row's first line (1-based, counting the newlines inside quotes).
 */
struct ld_csv_rd {
	struct ld_buf text;	/* the fields, each NUL-terminated */
	size_t *off;		/* where field i starts in text */
	size_t nf, cap;
	size_t max, rowlen;
	uint64_t line, nextline;
	int state, bad, toolong, done, any;
};

void ld_csv_rd_init(struct ld_csv_rd *rd, size_t max);
void ld_csv_rd_free(struct ld_csv_rd *rd);
/* Read from n bytes of p up to the end of one row; returns the bytes
 * taken (all n unless a row ended, then up to and including its LF). */
size_t ld_csv_rd_feed(struct ld_csv_rd *rd, const char *p, size_t n);
/* Did the last feed end a row?  Then its fields are there until the
 * next feed. */
int ld_csv_rd_row(const struct ld_csv_rd *rd);
/* At the end of the input: 1 when a last row without a newline is there
 * (a quote left open marks it bad), else 0. */
int ld_csv_rd_finish(struct ld_csv_rd *rd);
/* Field i of the row (NUL-terminated, *len its length, which may hold
 * NULs), or NULL past the last one. */
const char *ld_csv_rd_field(const struct ld_csv_rd *rd, size_t i,
    size_t *len);

#endif
