/*
 * tlout.c — time zones and the record formats of a timeline.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/csv.h"
#include "format/jsonx.h"
#include "timeline/tlout.h"

#define TS_DESC "Event Time"

static const char *const fmtnames[] = {
	"records", "timesketch", "timesketch-csv", "dynamic", "l2tcsv", "text"
};

struct ld_tlout {
	enum ld_tlfmt f;
	struct ld_tz tz;
	int color;
	struct ld_buf msg, tmp, line;
};

/* ---- zones ---- */

static int
parse_offset(const char *s, long *off)
{
	long h = 0, m = 0;
	int sign, nd = 0;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && nd < 2) {
		h = h * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (*s == ':')
		s++;
	if (*s) {
		if (!(s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9') ||
		    s[2] || nd != 2)
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 23)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

int
ld_tz_parse(struct ld_tz *tz, const char *spec, struct ld_err *err)
{
	struct ld_buf path = { 0 };
	const char *dir;
	long off;
	int rc = -1;

	memset(tz, 0, sizeof(*tz));
	if (strcasecmp(spec, "UTC") == 0 || strcmp(spec, "Z") == 0) {
		strcpy(tz->name, "UTC");
		return 0;
	}
	if (parse_offset(spec, &off) == 0) {
		tz->off = off;
		if (off == 0)
			strcpy(tz->name, "UTC");
		else
			snprintf(tz->name, sizeof(tz->name), "%c%02ld:%02ld",
			    off < 0 ? '-' : '+', labs(off) / 3600,
			    labs(off) / 60 % 60);
		return 0;
	}
	if (strlen(spec) >= sizeof(tz->name) || spec[0] == '/' ||
	    strstr(spec, "..") || strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(spec))
		return ld_err_set(err, "%s: not a time zone (UTC, +02:00, or a "
		    "name like Europe/Berlin)", spec);
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	ld_buf_addf(&path, "%s/%s", dir, spec);
	if (access(path.p, R_OK) != 0) {
		ld_err_set(err, "%s: no such time zone in %s", spec, dir);
		goto out;
	}
	if (setenv("TZ", spec, 1) != 0) {
		ld_err_set(err, "%s: %s", spec, strerror(errno));
		goto out;
	}
	tzset();
	tz->zone = 1;
	strcpy(tz->name, spec);
	rc = 0;
out:
	ld_buf_free(&path);
	return rc;
}

long
ld_tz_offset(const struct ld_tz *tz, int64_t ns)
{
	time_t secs;
	struct tm tm;

	if (!tz->zone)
		return tz->off;
	secs = (time_t)(ns / LD_NS_PER_SEC - (ns % LD_NS_PER_SEC < 0));
	if (localtime_r(&secs, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

size_t
ld_tz_format(const struct ld_tz *tz, const struct ld_time *t, int plus00,
    char *buf)
{
	long off = ld_tz_offset(tz, t->ns);
	size_t n = ld_time_format_off(t, off, buf);

	if (off == 0 && plus00 && n > 0 && buf[n - 1] == 'Z') {
		memcpy(buf + n - 1, "+00:00", 7);
		n += 5;
	}
	return n;
}

/* ---- formats ---- */

int
ld_tlfmt_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(fmtnames) / sizeof(fmtnames[0]); i++)
		if (strcmp(name, fmtnames[i]) == 0)
			return (int)i;
	return -1;
}

const char *
ld_tlfmt_name(enum ld_tlfmt f)
{
	return fmtnames[f];
}

struct ld_tlout *
ld_tlout_new(enum ld_tlfmt f, const struct ld_tz *tz, int color)
{
	struct ld_tlout *o = ld_xcalloc(1, sizeof(*o));

	o->f = f;
	o->tz = *tz;
	o->color = color;
	return o;
}

void
ld_tlout_free(struct ld_tlout *o)
{
	if (o == NULL)
		return;
	ld_buf_free(&o->msg);
	ld_buf_free(&o->tmp);
	ld_buf_free(&o->line);
	free(o);
}

static const char *const ts_cols[] = {
	"message", "datetime", "timestamp", "timestamp_desc", "ns", "project",
	"user", "user_id", "ip", "event", "cid", "src", "line", "fmt", "utf8",
	"ts_year", "ev", NULL
};
static const char *const dyn_cols[] = {
	"datetime", "timestamp_desc", "source", "source_long", "message",
	"parser", "display_name", "tag", NULL
};
static const char *const l2t_cols[] = {
	"date", "time", "timezone", "MACB", "source", "sourcetype", "type",
	"user", "host", "short", "desc", "version", "filename", "inode",
	"notes", "format", "extra", NULL
};

void
ld_tlout_header(struct ld_tlout *o, struct ld_buf *b)
{
	const char *const *cols;

	switch (o->f) {
	case LD_TLF_TS_CSV: cols = ts_cols; break;
	case LD_TLF_DYNAMIC: cols = dyn_cols; break;
	case LD_TLF_L2TCSV: cols = l2t_cols; break;
	default: return;
	}
	for (size_t i = 0; cols[i]; i++)
		ld_csv_fields(b, LD_CSV, i == 0, cols[i]);
	ld_csv_end(b, LD_CSV);
}

/* A string member of the event, decoded, appended to b; 0 if none. */
static int
ev_string(struct ld_rec *r, const char *key, struct ld_buf *b)
{
	json_t *v = ld_json_path(ld_rec_tree(r), key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return 0;
	ld_buf_add(b, json_string_value(v), json_string_length(v));
	return 1;
}

static void
add_field(struct ld_buf *b, const char *label, const struct ld_rec *r, int i)
{
	if (r->f[i] == NULL)
		return;
	ld_buf_adds(b, label);
	ld_buf_add(b, r->f[i], r->flen[i]);
}

void
ld_tlout_message(struct ld_rec *r, struct ld_buf *b)
{
	size_t start = b->len;

	if (r->f[LD_F_EVENT])
		ld_buf_add(b, r->f[LD_F_EVENT], r->flen[LD_F_EVENT]);
	else if (!ev_string(r, "message", b) && !ev_string(r, "msg", b) &&
	    !ev_string(r, "raw", b)) {
		if (r->evraw && r->evrawlen > 0)
			ld_buf_add(b, r->evraw, r->evrawlen);
		else
			ld_buf_adds(b, r->fmtname ? r->fmtname : "event");
	}
	add_field(b, b->len > start ? " user=" : "user=", r, LD_F_USER);
	if (r->f[LD_F_PROJECT])
		add_field(b, " project=", r, LD_F_PROJECT);
	else
		add_field(b, " ns=", r, LD_F_NS);
	add_field(b, " ip=", r, LD_F_IP);
	ld_buf_add(b, "", 0);
}

static void
ts_jsonl(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    long long us, struct ld_buf *b)
{
	ld_buf_adds(b, "{\"message\":");
	ld_buf_add_json_str(b, o->msg.p, o->msg.len);
	ld_buf_adds(b, ",\"datetime\":");
	ld_buf_add_json_str(b, dt, strlen(dt));
	ld_buf_addf(b, ",\"timestamp\":%lld,\"timestamp_desc\":\"%s\"", us,
	    TS_DESC);
	for (int i = 0; i < LD_F_N; i++) {
		if (r->f[i] == NULL)
			continue;
		ld_buf_addf(b, ",\"%s\":", ld_field_names[i]);
		ld_buf_add_json_str(b, r->f[i], r->flen[i]);
	}
	ld_buf_adds(b, ",\"src\":");
	ld_buf_add_json_str(b, r->src, strlen(r->src));
	ld_buf_addf(b, ",\"line\":%llu,\"fmt\":", (unsigned long long)r->line);
	if (r->fmtname)
		ld_buf_add_json_str(b, r->fmtname, strlen(r->fmtname));
	else
		ld_buf_adds(b, "null");
	if (r->utf8_repaired)
		ld_buf_adds(b, ",\"utf8\":\"repaired\"");
	if (r->ts.year_guessed)
		ld_buf_adds(b, ",\"ts_year\":\"guessed\"");
	ld_buf_adds(b, ",\"ev\":");
	ld_buf_add_json_str(b, r->evraw ? r->evraw : "", r->evraw ?
	    r->evrawlen : 0);
	ld_buf_adds(b, "}\n");
}

static void
ts_csv(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    long long us, struct ld_buf *b)
{
	ld_csv_field(b, LD_CSV, 1, o->msg.p, o->msg.len);
	ld_csv_fields(b, LD_CSV, 0, dt);
	ld_buf_addf(b, ",%lld", us);
	ld_csv_fields(b, LD_CSV, 0, TS_DESC);
	for (int i = 0; i < LD_F_N; i++)
		ld_csv_field(b, LD_CSV, 0, r->f[i] ? r->f[i] : "", r->flen[i]);
	ld_csv_fields(b, LD_CSV, 0, r->src);
	ld_buf_addf(b, ",%llu", (unsigned long long)r->line);
	ld_csv_fields(b, LD_CSV, 0, r->fmtname);
	ld_csv_fields(b, LD_CSV, 0, r->utf8_repaired ? "repaired" : NULL);
	ld_csv_fields(b, LD_CSV, 0, r->ts.year_guessed ? "guessed" : NULL);
	ld_csv_field(b, LD_CSV, 0, r->evraw ? r->evraw : "", r->evraw ?
	    r->evrawlen : 0);
	ld_csv_end(b, LD_CSV);
}

static void
dynamic(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    struct ld_buf *b)
{
	ld_csv_fields(b, LD_CSV, 1, dt);
	ld_csv_fields(b, LD_CSV, 0, TS_DESC);
	ld_csv_fields(b, LD_CSV, 0, "LOG");
	ld_buf_reset(&o->tmp);
	ld_buf_addf(&o->tmp, "%s log", r->fmtname ? r->fmtname : "Unparsed");
	ld_csv_field(b, LD_CSV, 0, o->tmp.p, o->tmp.len);
	ld_csv_field(b, LD_CSV, 0, o->msg.p, o->msg.len);
	ld_csv_fields(b, LD_CSV, 0, r->fmtname ? r->fmtname : "-");
	ld_buf_reset(&o->tmp);
	ld_buf_addf(&o->tmp, "%s:%llu", r->src, (unsigned long long)r->line);
	ld_csv_field(b, LD_CSV, 0, o->tmp.p, o->tmp.len);
	ld_csv_fields(b, LD_CSV, 0, "-");
	ld_csv_end(b, LD_CSV);
}

static void
l2tcsv(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    struct ld_buf *b)
{
	const char *v;
	char date[16];

	/* dt is YYYY-MM-DDTHH:MM:SS…; l2tcsv wants MM/DD/YYYY and HH:MM:SS. */
	snprintf(date, sizeof(date), "%.2s/%.2s/%.4s", dt + 5, dt + 8, dt);
	ld_csv_fields(b, LD_CSV, 1, date);
	ld_csv_field(b, LD_CSV, 0, dt + 11, 8);
	ld_csv_fields(b, LD_CSV, 0, o->tz.name);
	ld_csv_fields(b, LD_CSV, 0, "....");
	ld_csv_fields(b, LD_CSV, 0, "LOG");
	ld_buf_reset(&o->tmp);
	ld_buf_addf(&o->tmp, "%s log", r->fmtname ? r->fmtname : "Unparsed");
	ld_csv_field(b, LD_CSV, 0, o->tmp.p, o->tmp.len);
	ld_csv_fields(b, LD_CSV, 0, TS_DESC);
	v = r->f[LD_F_USER];
	ld_csv_field(b, LD_CSV, 0, v ? v : "-", v ? r->flen[LD_F_USER] : 1);
	ld_csv_fields(b, LD_CSV, 0, "-");
	v = r->f[LD_F_EVENT];
	ld_csv_field(b, LD_CSV, 0, v ? v : "-", v ? r->flen[LD_F_EVENT] : 1);
	ld_csv_field(b, LD_CSV, 0, o->msg.p, o->msg.len);
	ld_csv_fields(b, LD_CSV, 0, "2");
	ld_csv_fields(b, LD_CSV, 0, r->src);
	ld_csv_fields(b, LD_CSV, 0, "-");
	ld_csv_fields(b, LD_CSV, 0, "-");
	ld_csv_fields(b, LD_CSV, 0, r->fmtname ? r->fmtname : "-");
	ld_buf_reset(&o->tmp);
	ld_buf_addf(&o->tmp, "datetime: %s; line: %llu", dt,
	    (unsigned long long)r->line);
	for (int i = 0; i < LD_F_N; i++) {
		if (r->f[i] == NULL || i == LD_F_USER || i == LD_F_EVENT)
			continue;
		ld_buf_addf(&o->tmp, "; %s: ", ld_field_names[i]);
		ld_buf_add(&o->tmp, r->f[i], r->flen[i]);
	}
	ld_csv_field(b, LD_CSV, 0, o->tmp.p, o->tmp.len);
	ld_csv_end(b, LD_CSV);
}

/* Append s with control characters escaped, so one event is one line. */
static void
add_printable(struct ld_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			ld_buf_add(b, "\\n", 2);
		else if (c == '\t')
			ld_buf_add(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f)
			ld_buf_addf(b, "\\x%02x", c);
		else
			ld_buf_addc(b, c);
	}
}

/*
 * The mark of a record that carries findings of ldhunt: "[level: title]"
 * of its highest-level finding.  The member is ldhunt's own text
 * ({"id":…,"title":…,"level":…} entries), read without a parse.
 */
static void
hunt_mark(struct ld_tlout *o, const struct ld_rec *r, struct ld_buf *b)
{
	static const char *const lv[] = { "\"level\":\"critical\"",
	    "\"level\":\"high\"", "\"level\":\"medium\"",
	    "\"level\":\"low\"", "\"level\":\"informational\"" };
	const char *at = NULL, *t, *e, *p;
	size_t i;

	for (i = 0; i < 5 && at == NULL; i++)
		at = memmem(r->hunt, r->huntlen, lv[i], strlen(lv[i]));
	if (at == NULL)
		return;
	ld_buf_addf(b, "%s[%.*s", o->color ? "\033[1;31m" : "",
	    (int)(strlen(lv[i - 1]) - 10), lv[i - 1] + 9);
	/* The title is the member before the level in the same entry. */
	for (t = NULL, p = r->hunt; (p = memmem(p, (size_t)(at - p),
	    "\"title\":\"", 9)) != NULL; p += 9)
		t = p + 9;
	if (t && (e = memchr(t, '"', (size_t)(at - t))) != NULL) {
		ld_buf_adds(b, ": ");
		add_printable(b, t, (size_t)(e - t));
	}
	ld_buf_addf(b, "]%s ", o->color ? "\033[0m" : "");
}

static void
text(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    struct ld_buf *b)
{
	const char *fmt = r->fmtname ? r->fmtname : "-";

	ld_buf_addf(b, "%s%-24s%s  %s%-18s%s  ", o->color ? "\033[2m" : "",
	    dt, o->color ? "\033[0m" : "", o->color ? "\033[36m" : "", fmt,
	    o->color ? "\033[0m" : "");
	if (r->hunt)
		hunt_mark(o, r, b);
	if (o->color && r->f[LD_F_EVENT])
		ld_buf_adds(b, "\033[1m");
	add_printable(b, o->msg.p, o->msg.len);
	if (o->color && r->f[LD_F_EVENT])
		ld_buf_adds(b, "\033[0m");
	ld_buf_addf(b, "  %s", o->color ? "\033[2m" : "");
	add_printable(b, r->src, strlen(r->src));
	ld_buf_addf(b, ":%llu%s\n", (unsigned long long)r->line,
	    o->color ? "\033[0m" : "");
}

/* An ld-record with its ts in the zone: the record as ld_rec_write() has
 * it, with the UTC time swapped for the zone's. */
static void
record(struct ld_tlout *o, struct ld_rec *r, const char *dt,
    struct ld_buf *b)
{
	size_t start = b->len, q;
	char utc[LD_TIME_BUFSZ];
	size_t ulen;

	ld_rec_write(r, b);
	if (!r->has_ts || strcmp(o->tz.name, "UTC") == 0)
		return;
	ulen = ld_time_format(&r->ts, utc);
	q = start + 7;		/* past {"ts":" */
	if (b->len < q + ulen || memcmp(b->p + q, utc, ulen) != 0)
		return;
	ld_buf_reset(&o->tmp);
	ld_buf_add(&o->tmp, b->p + q + ulen, b->len - q - ulen);
	b->len = q;
	ld_buf_adds(b, dt);
	ld_buf_add(b, o->tmp.p, o->tmp.len);
}

int
ld_tlout_rec(struct ld_tlout *o, struct ld_rec *r, struct ld_buf *b)
{
	char dt[LD_TIME_BUFSZ];
	long long us = 0;
	int plus00 = o->f != LD_TLF_RECORDS && o->f != LD_TLF_TEXT;

	if (r->has_ts) {
		ld_tz_format(&o->tz, &r->ts, plus00, dt);
		us = r->ts.ns >= 0 ? r->ts.ns / 1000 : -((-r->ts.ns + 999) / 1000);
	} else {
		if (plus00)
			return 0;
		strcpy(dt, "-");
	}
	if (o->f != LD_TLF_RECORDS) {
		ld_buf_reset(&o->msg);
		ld_tlout_message(r, &o->msg);
	}
	switch (o->f) {
	case LD_TLF_RECORDS: record(o, r, dt, b); break;
	case LD_TLF_TS_JSONL: ts_jsonl(o, r, dt, us, b); break;
	case LD_TLF_TS_CSV: ts_csv(o, r, dt, us, b); break;
	case LD_TLF_DYNAMIC: dynamic(o, r, dt, b); break;
	case LD_TLF_L2TCSV: l2tcsv(o, r, dt, b); break;
	case LD_TLF_TEXT: text(o, r, dt, b); break;
	}
	return 1;
}

int
ld_tlout_fwrite(struct ld_tlout *o, struct ld_rec *r, FILE *fp)
{
	int rc;

	ld_buf_reset(&o->line);
	rc = ld_tlout_rec(o, r, &o->line);
	if (rc == 1 && fwrite(o->line.p, 1, o->line.len, fp) != o->line.len)
		rc = -1;
	return rc;
}
