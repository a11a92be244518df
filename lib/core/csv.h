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

#endif
