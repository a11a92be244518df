/*
 * reader.c — sources read as records.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/digest.h"
#include "input/reader.h"

struct ld_reader {
	const struct ld_formats *fs;
	const struct ld_format *forced;
	struct ld_parser *p;
	struct ld_src *src;
	const char *experr;
	const char *path;
	const struct ld_format *hint;
	struct ld_buf unit;	/* the unit the hint is for */
	struct ld_rec rec;
	struct ld_line line;	/* the last line of ld_reader_line() */
	struct ld_reader_stats st;
	struct ld_digest *tap;	/* every line read, or NULL */
};

void
ld_reader_set_digest(struct ld_reader *rd, struct ld_digest *d)
{
	rd->tap = d;
}

struct ld_reader *
ld_reader_new(const struct ld_formats *fs, const struct ld_format *forced,
    int ref_year)
{
	struct ld_reader *rd = ld_xcalloc(1, sizeof(*rd));

	if (ref_year == 0) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		ref_year = tm.tm_year + 1900;
	}
	rd->fs = fs;
	rd->forced = forced;
	rd->p = ld_parser_new(fs, ref_year);
	/* Most records are sorted, counted or cut by their canonical fields:
	 * those who need the event as a tree ask ld_rec_tree(). */
	ld_parser_set_no_tree(rd->p, 1, LD_F_ALL);
	return rd;
}

void
ld_reader_free(struct ld_reader *rd)
{
	if (rd == NULL)
		return;
	ld_src_close(rd->src);
	ld_parser_free(rd->p);
	ld_rec_free(&rd->rec);
	ld_buf_free(&rd->unit);
	free(rd);
}

void
ld_reader_open(struct ld_reader *rd, const char *path, const char *experr)
{
	ld_src_close(rd->src);
	rd->src = experr ? NULL : ld_src_open(path);
	rd->experr = experr;
	rd->path = path;
	ld_buf_reset(&rd->unit);
	rd->hint = NULL;
}

int
ld_reader_line(struct ld_reader *rd, const char **p, size_t *n,
    struct ld_err *err)
{
	struct ld_line *l = &rd->line;
	int rc;

	if (rd->experr) {
		ld_err_set(err, "%s: %s", rd->path, rd->experr);
		rd->experr = NULL;
		rd->st.unreadable++;
		return -1;
	}
	if (rd->src == NULL)
		return 0;
	if ((rc = ld_src_next(rd->src, l, err)) <= 0) {
		if (rc < 0)
			rd->st.unreadable++;
		return rc;
	}
	rd->st.read++;
	if (rd->tap) {
		ld_digest_update(rd->tap, l->p, l->n);
		ld_digest_update(rd->tap, "\n", 1);
	}
	*p = l->p;
	*n = l->n;
	return 1;
}

struct ld_rec *
ld_reader_parse(struct ld_reader *rd, struct ld_err *err)
{
	struct ld_line *l = &rd->line;
	struct ld_err e;

	if (rd->unit.len == 0 || strcmp(rd->unit.p, l->unit) != 0) {
		ld_buf_reset(&rd->unit);
		ld_buf_adds(&rd->unit, l->unit);
		rd->hint = rd->forced ? rd->forced :
		    ld_formats_for_source(rd->fs, l->unit);
	}
	switch (ld_parse_line(rd->p, rd->hint, l->unit, l->lineno, l->p, l->n,
	    &rd->rec)) {
	case LD_PARSE_OK:
	case LD_PARSE_OUTSIDE:	/* no window is set here */
		break;
	case LD_PARSE_MALFORMED:
		rd->st.malformed++;
		break;
	case LD_PARSE_BADTIME:
		rd->st.badtime++;
		break;
	case LD_PARSE_RXERROR:
		/* Unknown rather than malformed: an error, not a record. */
		rd->st.unreadable++;
		ld_parser_error(rd->p, &e);
		ld_err_set(err, "%s:%llu: %s", l->unit,
		    (unsigned long long)l->lineno, e.msg);
		return NULL;
	}
	ld_rec_complete(rd->p, &rd->rec);
	return &rd->rec;
}

int
ld_reader_next(struct ld_reader *rd, struct ld_rec **r, struct ld_err *err)
{
	const char *p;
	size_t n;
	int rc;

	if ((rc = ld_reader_line(rd, &p, &n, err)) <= 0)
		return rc;
	if ((*r = ld_reader_parse(rd, err)) == NULL)
		return -1;
	return 1;
}

const struct ld_reader_stats *
ld_reader_stats(const struct ld_reader *rd)
{
	return &rd->st;
}
