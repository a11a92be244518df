/*
 * cut.c — fields of records as rows.
 */
#include <stdlib.h>
#include <string.h>

#include "format/jsonx.h"
#include "timeline/cut.h"

enum kind { K_TS, K_SRC, K_LINE, K_FMT, K_CANON, K_EV, K_PATH, K_TSYEAR,
	K_TSZONE };

struct col {
	char *name;		/* as given: the JSONL key, the header */
	const char *path;	/* K_PATH: into name */
	enum kind kind;
	int canon;
};

struct ld_cut {
	enum ld_cut_out out;
	struct col *cols;
	size_t n;
	char *missing;
	struct ld_tz tz;
	struct ld_buf val;
};

struct ld_cut *
ld_cut_new(enum ld_cut_out out)
{
	struct ld_cut *c = ld_xcalloc(1, sizeof(*c));

	c->out = out;
	strcpy(c->tz.name, "UTC");
	return c;
}

void
ld_cut_free(struct ld_cut *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->cols[i].name);
	free(c->cols);
	free(c->missing);
	ld_buf_free(&c->val);
	free(c);
}

static void
add_col(struct ld_cut *c, const char *s, size_t n)
{
	struct col *k;

	c->cols = ld_xrealloc(c->cols, (c->n + 1) * sizeof(*c->cols));
	k = &c->cols[c->n++];
	memset(k, 0, sizeof(*k));
	k->name = ld_xstrndup(s, n);
	k->path = k->name;
	if (strcmp(k->name, "ts") == 0)
		k->kind = K_TS;
	else if (strcmp(k->name, "src") == 0)
		k->kind = K_SRC;
	else if (strcmp(k->name, "line") == 0)
		k->kind = K_LINE;
	else if (strcmp(k->name, "fmt") == 0)
		k->kind = K_FMT;
	else if (strcmp(k->name, "ev") == 0)
		k->kind = K_EV;
	else if (strcmp(k->name, "ts_year") == 0)
		k->kind = K_TSYEAR;	/* the record's marks, as ld-record(5) */
	else if (strcmp(k->name, "ts_zone") == 0)
		k->kind = K_TSZONE;
	else if ((k->canon = ld_field_index(k->name)) >= 0)
		k->kind = K_CANON;
	else {
		k->kind = K_PATH;
		if (strncmp(k->name, "ev.", 3) == 0)
			k->path = k->name + 3;
	}
}

int
ld_cut_add_fields(struct ld_cut *c, const char *list, struct ld_err *err)
{
	const char *p = list, *e;

	for (;;) {
		e = strchr(p, ',');
		if ((e ? (size_t)(e - p) : strlen(p)) == 0)
			return ld_err_set(err, "'%s': empty field name", list);
		add_col(c, p, e ? (size_t)(e - p) : strlen(p));
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

size_t
ld_cut_nfields(const struct ld_cut *c)
{
	return c->n;
}

void
ld_cut_set_missing(struct ld_cut *c, const char *v)
{
	free(c->missing);
	c->missing = v ? ld_xstrdup(v) : NULL;
}

void
ld_cut_set_tz(struct ld_cut *c, const struct ld_tz *tz)
{
	c->tz = *tz;
}

void
ld_cut_header(struct ld_cut *c, struct ld_buf *b)
{
	enum ld_csv_kind k = c->out == LD_CUT_TSV ? LD_TSV : LD_CSV;

	if (c->out == LD_CUT_JSONL)
		return;
	for (size_t i = 0; i < c->n; i++)
		ld_csv_fields(b, k, i == 0, c->cols[i].name);
	ld_csv_end(b, k);
}

static int
dump_cb(const char *s, size_t n, void *arg)
{
	ld_buf_add(arg, s, n);
	return 0;
}

/*
 * The value of column k of r into c->val.  Returns 0 when absent, 1 for
 * text (a string value, decoded), 2 for JSON text to copy as it is.
 */
static int
value(struct ld_cut *c, const struct col *k, struct ld_rec *r)
{
	struct ld_buf *b = &c->val;
	const char *vs;
	size_t vn;
	json_t *v;
	char tb[LD_TIME_BUFSZ];

	ld_buf_reset(b);
	ld_buf_add(b, "", 0);
	switch (k->kind) {
	case K_TS:
		if (!r->has_ts)
			return 0;
		ld_buf_add(b, tb, ld_tz_format(&c->tz, &r->ts, 0, tb));
		return 1;
	case K_SRC:
		ld_buf_adds(b, r->src ? r->src : "");
		return 1;
	case K_LINE:
		ld_buf_addf(b, "%llu", (unsigned long long)r->line);
		return 2;
	case K_FMT:
		if (r->fmtname == NULL)
			return 0;
		ld_buf_adds(b, r->fmtname);
		return 1;
	case K_CANON:
		if (r->f[k->canon] == NULL)
			return 0;
		ld_buf_add(b, r->f[k->canon], r->flen[k->canon]);
		return 1;
	case K_EV:
		if (r->evraw == NULL)
			return 0;
		ld_buf_add(b, r->evraw, r->evrawlen);
		return 2;
	case K_TSYEAR:
		if (!r->has_ts || !r->ts.year_guessed)
			return 0;
		ld_buf_adds(b, "guessed");
		return 1;
	case K_TSZONE:
		if (!r->has_ts || !r->ts.zone_assumed)
			return 0;
		ld_buf_adds(b, "assumed");
		return 1;
	case K_PATH:
		break;
	}
	/* A top-level member is copied exactly (numbers keep their digits,
	 * also those past what the tree holds, which it has as strings); a
	 * string is decoded. */
	v = ld_json_path(ld_rec_tree(r), k->path);
	if (v != NULL && json_is_null(v))
		return 0;
	if (r->evraw && ld_json_raw_member(r->evraw, r->evrawlen, k->path, &vs,
	    &vn) == 1 && (vs[0] != '"' || v == NULL)) {
		if (vn == 4 && memcmp(vs, "null", 4) == 0)
			return 0;
		if (vs[0] == '"') {
			/* No parsed event (an unparsed line): decode it. */
			json_t *s = ld_json_loadb(vs, vn, JSON_DECODE_ANY, NULL,
			    NULL);
			int ok = ld_json_text(s, b);

			json_decref(s);
			return ok;
		}
		ld_buf_add(b, vs, vn);
		return 2;
	}
	if (v != NULL && json_is_string(v)) {
		ld_buf_add(b, json_string_value(v), json_string_length(v));
		return 1;
	}
	if (v == NULL)
		return 0;
	json_dump_callback(v, dump_cb, b, JSON_ENCODE_ANY | JSON_COMPACT |
	    JSON_REAL_PRECISION(17));
	return 2;
}

void
ld_cut_rec(struct ld_cut *c, struct ld_rec *r, struct ld_buf *b)
{
	enum ld_csv_kind ck = c->out == LD_CUT_TSV ? LD_TSV : LD_CSV;

	if (c->out == LD_CUT_JSONL)
		ld_buf_addc(b, '{');
	for (size_t i = 0; i < c->n; i++) {
		int t = value(c, &c->cols[i], r);

		if (c->out != LD_CUT_JSONL) {
			if (t == 0 && c->missing)
				ld_csv_fields(b, ck, i == 0, c->missing);
			else
				ld_csv_field(b, ck, i == 0, c->val.p, c->val.len);
			continue;
		}
		if (i > 0)
			ld_buf_addc(b, ',');
		ld_buf_add_json_str(b, c->cols[i].name, strlen(c->cols[i].name));
		ld_buf_addc(b, ':');
		if (t == 0 && c->missing)
			ld_buf_add_json_str(b, c->missing, strlen(c->missing));
		else if (t == 0)
			ld_buf_adds(b, "null");
		else if (t == 1)
			ld_buf_add_json_str(b, c->val.p, c->val.len);
		else
			ld_buf_add(b, c->val.p, c->val.len);
	}
	if (c->out == LD_CUT_JSONL)
		ld_buf_adds(b, "}\n");
	else
		ld_csv_end(b, ck);
}
