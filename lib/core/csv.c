/*
 * csv.c — RFC 4180 CSV and escaped TSV fields.
 */
#include <stdlib.h>
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

/* The reader's states: at the start of a field, inside an unquoted one,
 * inside quotes, just after a quote inside quotes. */
enum { RD_START, RD_PLAIN, RD_QUOTED, RD_QUOTE };

void
ld_csv_rd_init(struct ld_csv_rd *rd, size_t max)
{
	memset(rd, 0, sizeof(*rd));
	rd->max = max;
	rd->nextline = 1;
}

void
ld_csv_rd_free(struct ld_csv_rd *rd)
{
	ld_buf_free(&rd->text);
	free(rd->off);
	memset(rd, 0, sizeof(*rd));
}

static void
rd_newfield(struct ld_csv_rd *rd)
{
	if (rd->nf == rd->cap) {
		size_t nc = rd->cap ? rd->cap * 2 : 32;
		size_t *no = realloc(rd->off, nc * sizeof(*no));

		if (no == NULL)
			abort();	/* as ld_buf does */
		rd->off = no;
		rd->cap = nc;
	}
	if (rd->nf > 0)
		ld_buf_addc(&rd->text, '\0');
	rd->off[rd->nf++] = rd->text.len;
}

static void
rd_add(struct ld_csv_rd *rd, const char *p, size_t n)
{
	if (!rd->toolong)
		ld_buf_add(&rd->text, p, n);
}

/* A new row begins: forget the last one. */
static void
rd_begin(struct ld_csv_rd *rd)
{
	ld_buf_reset(&rd->text);
	rd->nf = 0;
	rd->rowlen = 0;
	rd->bad = rd->toolong = rd->done = 0;
	rd->state = RD_START;
	rd->line = rd->nextline;
	rd->any = 1;
	rd_newfield(rd);
}

/* The row ends: close its last field (dropping a CR before the LF when
 * the field was not quoted). */
static void
rd_end(struct ld_csv_rd *rd)
{
	if (rd->state == RD_PLAIN && !rd->toolong && rd->text.len >
	    rd->off[rd->nf - 1] && rd->text.p[rd->text.len - 1] == '\r')
		rd->text.len--;
	if (rd->state == RD_QUOTED)
		rd->bad = 1;
	if (!rd->toolong) {
		ld_buf_addc(&rd->text, '\0');
		rd->text.len--;
	}
	rd->done = 1;
	rd->any = 0;
}

size_t
ld_csv_rd_feed(struct ld_csv_rd *rd, const char *p, size_t n)
{
	size_t i = 0;

	if (rd->done || !rd->any)
		rd_begin(rd);
	while (i < n) {
		const char *s = p + i, *q;
		size_t run;
		char c;

		switch (rd->state) {
		case RD_START:
			if (p[i] == '"') {
				rd->state = RD_QUOTED;
				i++;
				continue;
			}
			rd->state = RD_PLAIN;
			/* FALLTHROUGH */
		case RD_PLAIN:
			/* up to the next byte that means something */
			for (q = s; q < p + n && *q != ',' && *q != '\n' &&
			    *q != '"'; q++)
				;
			run = (size_t)(q - s);
			rd_add(rd, s, run);
			i += run;
			if (i == n)
				break;
			c = p[i++];
			if (c == '"') {	/* a quote in an unquoted field */
				rd->bad = 1;
				rd_add(rd, &c, 1);
			} else if (c == ',') {
				rd_newfield(rd);
				rd->state = RD_START;
			} else {
				rd->nextline++;
				rd_end(rd);
				goto out;
			}
			break;
		case RD_QUOTED:
			q = memchr(s, '"', n - i);
			run = q ? (size_t)(q - s) : n - i;
			rd_add(rd, s, run);
			for (size_t k = 0; k < run; k++)
				if (s[k] == '\n')
					rd->nextline++;
			i += run;
			if (q != NULL) {
				rd->state = RD_QUOTE;
				i++;
			}
			break;
		case RD_QUOTE:
			c = p[i++];
			if (c == '"') {		/* a doubled quote */
				rd_add(rd, &c, 1);
				rd->state = RD_QUOTED;
			} else if (c == ',') {
				rd_newfield(rd);
				rd->state = RD_START;
			} else if (c == '\n') {
				rd->nextline++;
				rd_end(rd);
				goto out;
			} else if (c != '\r') {
				rd->bad = 1;	/* text after the closing quote */
				rd_add(rd, &c, 1);
				rd->state = RD_PLAIN;
			}
			break;
		}
	}
out:
	/* (at most one feed's bytes past max are ever kept) */
	if ((rd->rowlen += i) > rd->max)
		rd->toolong = 1;
	if (rd->toolong) {
		ld_buf_reset(&rd->text);
		rd->nf = 0;
	}
	return i;
}

int
ld_csv_rd_row(const struct ld_csv_rd *rd)
{
	return rd->done;
}

int
ld_csv_rd_finish(struct ld_csv_rd *rd)
{
	if (rd->done || !rd->any)
		return 0;
	if (rd->state == RD_START && rd->nf == 1 && rd->rowlen == 0)
		return 0;	/* nothing after the last newline */
	rd_end(rd);
	return 1;
}

const char *
ld_csv_rd_field(const struct ld_csv_rd *rd, size_t i, size_t *len)
{
	size_t end;

	if (i >= rd->nf)
		return NULL;
	end = i + 1 < rd->nf ? rd->off[i + 1] - 1 : rd->text.len;
	if (len != NULL)
		*len = end - rd->off[i];
	return rd->text.p + rd->off[i];
}
