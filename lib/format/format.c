/*
 * format.c — format definitions: loading, recognition, field extraction,
 * and parsing a line into a struct ld_rec.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/digest.h"
#include "format/format.h"
#include "format/jsonx.h"
#include "format/shape.h"
#include "format/xform.h"

const char *const ld_field_names[LD_F_N] = {
	"ns", "project", "user", "user_id", "ip", "event", "cid"
};

/* Built in: the shipped definitions, generated from lib/format/formats/ at build
 * time (see the Makefile); a NULL-terminated array of JSON texts. */
extern const char *const ld_builtin_formats[];

struct part {
	char *lit;		/* literal text, or */
	char *path;		/* a JSON path to look up */
	int keyed;		/* path has the form of keyed_path()'s: known
				   at load, not searched for at every line */
	int opt;		/* "{path?}": no value gives "", not nothing */
};

struct spec {
	struct part *parts;
	size_t nparts;
	enum ld_xform x[4];	/* transforms, applied in order */
	int nx;
};

struct fspec {
	struct spec *alts;
	size_t n;
};

enum ftype { FT_JSON, FT_REGEX };

struct ld_format {
	const char *text;	/* the definition's text: a built-in's */
	size_t textlen;		/* (static) or owntext */
	char *owntext;		/* the text of one read from a file */
	int builtin;
	char *name;
	char *desc;
	enum ftype type;
	int prio;
	char **files;
	size_t nfiles;
	char **keys;		/* detect: all must be present */
	size_t nkeys;
	size_t *keylen;		/* their lengths, 0 for a path with a dot */
	pcre2_code *re;		/* compiled at load: a bad pattern is
				   reported then */
	_Atomic(pcre2_code *) jre;	/* re JIT-compiled on first use, or
				   NULL (format_re()) */
	char **groups;		/* regex: group names by number (NULL = unnamed) */
	uint32_t ngroups;
	char **tfields;
	size_t ntfields;
	enum ld_time_kind tkind;
	long tzone;		/* time.zone: the offset to assume, or
				   LD_TIME_NOZONE */
	size_t order;		/* its index in the sorted set */
	struct fspec fields[LD_F_N];
};

struct ld_formats {
	struct ld_format **v;	/* by priority, then detect keys, then name */
	size_t n;
	long tz_assume;		/* --tz-assume, or LD_TIME_NOZONE */
	atomic_ulong zoneless;	/* times left unread for want of a zone */
	pthread_mutex_t idlock;	/* idhex is made on first use */
	char idhex[LD_DIGEST_HEXMAX];	/* see ld_formats_id(), "" until then */
};

enum pend { PEND_NONE, PEND_JSON, PEND_TEXT };

#define JWAYS_BITS 3
#define JWAYS (1 << JWAYS_BITS)	/* ways of the line index */

struct ld_parser {
	const struct ld_formats *fs;
	pcre2_match_data *md;
	int ref_year;
	struct ld_buf line;	/* UTF-8 repaired copy */
	struct ld_buf val;
	int no_tree;		/* read fields from the text when possible */
	int win;		/* a window is set (ld_parser_set_window()) */
	int has_since, has_until;
	int64_t since, until;
	int quiet;		/* parse_time() counts no zone-less time */
	unsigned need;		/* the fields to fill at once (no_tree) */
	int pend;		/* what ld_rec_complete() has left to do */
	const char *pline;	/* the text line of PEND_TEXT */
	size_t plen;
	int rxrc;		/* what the last successful regex_try() matched */
	int rxerr;		/* a PCRE2 error of this line's regex_try() */
	const struct ld_format *rxerr_f;	/* and whose pattern it was */
	struct ld_jidx *x;	/* the index of the line's text: a way's */
	struct ld_shapes *shapes;	/* what is known of its shape */
	struct ld_shape *sh;	/* the entry of x's shape, or NULL */
	/*
	 * Logs interleave a few kinds of lines (a request, an API call, an
	 * audit event), each mostly of one shape.  A line goes to a way by
	 * its first key, and each way keeps the index of its last line, the
	 * entry of that line's shape and what it was got for: a line of the
	 * same shape is indexed again (ld_jidx_again()) and takes it without
	 * a lookup.  That is tried only while a way's lines come in runs of
	 * one shape (run: its last two had it), so that shapes that take
	 * turns in it do not pay for a try that fails.
	 */
	struct jway {
		struct ld_jidx *x;	/* allocated at its first line */
		struct ld_shape *last_sh;
		unsigned last_gen;	/* last_sh's gen then */
		const struct ld_format *last_hint;
		int last_byname;
		int run;
	} way[JWAYS];
	struct ld_buf csrc;	/* the last source seen, and its format by */
	const struct ld_format *cfmt;	/* name (ld_formats_for_source) */
	int cset;
};

int
ld_field_index(const char *name)
{
	for (int i = 0; i < LD_F_N; i++)
		if (strcmp(name, ld_field_names[i]) == 0)
			return i;
	return -1;
}

static void
spec_free(struct spec *s)
{
	for (size_t i = 0; i < s->nparts; i++) {
		free(s->parts[i].lit);
		free(s->parts[i].path);
	}
	free(s->parts);
}

static void
strv_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static void
format_free(struct ld_format *f)
{
	if (f == NULL)
		return;
	free(f->owntext);
	free(f->name);
	free(f->desc);
	strv_free(f->files, f->nfiles);
	strv_free(f->keys, f->nkeys);
	free(f->keylen);
	if (atomic_load(&f->jre) != f->re)
		pcre2_code_free(atomic_load(&f->jre));
	pcre2_code_free(f->re);
	strv_free(f->groups, f->ngroups + 1);
	strv_free(f->tfields, f->ntfields);
	for (int i = 0; i < LD_F_N; i++) {
		for (size_t j = 0; j < f->fields[i].n; j++)
			spec_free(&f->fields[i].alts[j]);
		free(f->fields[i].alts);
	}
	free(f);
}

void
ld_formats_free(struct ld_formats *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++)
		format_free(fs->v[i]);
	free(fs->v);
	pthread_mutex_destroy(&fs->idlock);
	free(fs);
}

/* An array of strings from a JSON array of strings. */
static int
strv_from(json_t *a, char ***out, size_t *n, const char *what,
    struct ld_err *err)
{
	size_t i;
	json_t *v;

	*out = NULL;
	*n = 0;
	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return ld_err_set(err, "\"%s\" must be an array of strings", what);
	*out = ld_xcalloc(json_array_size(a) + 1, sizeof(char *));
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return ld_err_set(err, "\"%s\" must be an array of strings", what);
		(*out)[(*n)++] = ld_xstrdup(json_string_value(v));
	}
	return 0;
}

/* "path", "path|xform", "{a}#{b}", "{a}:{b}|xform" */
static int
spec_parse(const char *text, struct spec *s, struct ld_err *err)
{
	char *t = ld_xstrdup(text), *bar, *p;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if ((bar = strchr(t, '|')) != NULL) {
		*bar++ = '\0';
		while (bar != NULL) {
			char *next = strchr(bar, '|');
			int k;

			if (next != NULL)
				*next++ = '\0';
			if ((k = ld_xform_parse(bar)) < 0) {
				ld_err_set(err, "field \"%s\": unknown transform "
				    "\"%s\" (seg1, urlns, urlproject, host, ip, id, "
				    "nodash, msguser, ifproject)", text, bar);
				goto out;
			}
			if (s->nx == 4) {
				ld_err_set(err, "field \"%s\": more than 4 transforms",
				    text);
				goto out;
			}
			s->x[s->nx++] = (enum ld_xform)k;
			bar = next;
		}
	}
	if (strchr(t, '{') == NULL) {
		if (*t == '\0') {
			ld_err_set(err, "empty field path");
			goto out;
		}
		s->parts = ld_xcalloc(1, sizeof(*s->parts));
		s->parts[0].path = ld_xstrdup(t);
		s->parts[0].keyed = strchr(t, '[') != NULL;
		s->nparts = 1;
		rc = 0;
		goto out;
	}
	p = t;
	while (*p) {
		char *open = strchr(p, '{'), *close;

		s->parts = ld_xrealloc(s->parts, (s->nparts + 2) * sizeof(*s->parts));
		if (open == NULL) {
			s->parts[s->nparts++] = (struct part){ ld_xstrdup(p), NULL, 0, 0 };
			break;
		}
		if (open > p)
			s->parts[s->nparts++] = (struct part){
			    ld_xstrndup(p, (size_t)(open - p)), NULL, 0, 0 };
		if ((close = strchr(open, '}')) == NULL || close == open + 1) {
			ld_err_set(err, "field template \"%s\": unbalanced braces", text);
			goto out;
		}
		s->parts[s->nparts++] = (struct part){ NULL,
		    ld_xstrndup(open + 1, (size_t)(close - open - 1)), 0, 0 };
		if (close[-1] == '?') {
			if (close - open == 2) {
				ld_err_set(err, "field template \"%s\": an "
				    "empty optional path", text);
				goto out;
			}
			s->parts[s->nparts - 1].opt = 1;
			s->parts[s->nparts - 1].path[close - open - 2] = '\0';
		}
		s->parts[s->nparts - 1].keyed =
		    strchr(s->parts[s->nparts - 1].path, '[') != NULL;
		p = close + 1;
	}
	rc = 0;
out:
	free(t);
	return rc;
}

static struct ld_format *
format_parse(json_t *j, struct ld_err *err)
{
	struct ld_format *f = ld_xcalloc(1, sizeof(*f));
	json_t *v, *tm, *flds, *det;
	const char *type, *key;
	int kind;

	f->tzone = LD_TIME_NOZONE;

	if (!json_is_object(j)) {
		ld_err_set(err, "a format definition must be a JSON object");
		goto bad;
	}
	if ((v = json_object_get(j, "name")) == NULL || !json_is_string(v) ||
	    json_string_length(v) == 0) {
		ld_err_set(err, "missing \"name\"");
		goto bad;
	}
	f->name = ld_xstrdup(json_string_value(v));
	v = json_object_get(j, "description");
	f->desc = ld_xstrdup(json_is_string(v) ? json_string_value(v) : "");
	v = json_object_get(j, "type");
	type = json_is_string(v) ? json_string_value(v) : "json";
	if (strcmp(type, "json") == 0)
		f->type = FT_JSON;
	else if (strcmp(type, "regex") == 0)
		f->type = FT_REGEX;
	else {
		ld_err_set(err, "format %s: unknown type \"%s\" (json, regex)",
		    f->name, type);
		goto bad;
	}
	v = json_object_get(j, "priority");
	f->prio = json_is_integer(v) ? (int)json_integer_value(v) : 0;
	if (strv_from(json_object_get(j, "files"), &f->files, &f->nfiles,
	    "files", err) < 0)
		goto bad;
	det = json_object_get(j, "detect");
	if (strv_from(det ? json_object_get(det, "keys") : NULL, &f->keys,
	    &f->nkeys, "detect.keys", err) < 0)
		goto bad;
	f->keylen = ld_xcalloc(f->nkeys + 1, sizeof(*f->keylen));
	for (size_t i = 0; i < f->nkeys; i++)
		if (strchr(f->keys[i], '.') == NULL)
			f->keylen[i] = strlen(f->keys[i]);
	if (f->type == FT_REGEX) {
		int ec;
		PCRE2_SIZE eo;
		uint32_t count, esize;
		PCRE2_SPTR table;

		v = json_object_get(j, "pattern");
		if (!json_is_string(v)) {
			ld_err_set(err, "format %s: a regex format needs \"pattern\"",
			    f->name);
			goto bad;
		}
		f->re = pcre2_compile((PCRE2_SPTR)json_string_value(v),
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &eo, NULL);
		if (f->re == NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof(msg));
			ld_err_set(err, "format %s: pattern at offset %zu: %s",
			    f->name, (size_t)eo, (char *)msg);
			goto bad;
		}
		/* JIT compiling is left to the first line the pattern is
		 * tried on (format_re()): most runs never try most text
		 * formats, and compiling them all was most of every tool's
		 * start. */
		pcre2_pattern_info(f->re, PCRE2_INFO_CAPTURECOUNT, &f->ngroups);
		f->groups = ld_xcalloc(f->ngroups + 1, sizeof(char *));
		pcre2_pattern_info(f->re, PCRE2_INFO_NAMECOUNT, &count);
		pcre2_pattern_info(f->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
		pcre2_pattern_info(f->re, PCRE2_INFO_NAMETABLE, &table);
		for (uint32_t i = 0; i < count; i++) {
			const unsigned char *e = table + i * esize;
			uint32_t g = (uint32_t)(e[0] << 8 | e[1]);

			if (g <= f->ngroups && f->groups[g] == NULL)
				f->groups[g] = ld_xstrdup((const char *)e + 2);
		}
	}
	if ((tm = json_object_get(j, "time")) != NULL) {
		if (strv_from(json_object_get(tm, "fields"), &f->tfields,
		    &f->ntfields, "time.fields", err) < 0)
			goto bad;
		v = json_object_get(tm, "parse");
		kind = ld_time_kind_parse(json_is_string(v) ? json_string_value(v)
		    : "auto");
		if (kind < 0) {
			ld_err_set(err, "format %s: unknown time parser \"%s\"",
			    f->name, json_string_value(v));
			goto bad;
		}
		f->tkind = (enum ld_time_kind)kind;
		v = json_object_get(tm, "zone");
		if (v != NULL && (!json_is_string(v) ||
		    ld_time_offset_parse(json_string_value(v), &f->tzone) < 0)) {
			ld_err_set(err, "format %s: time.zone must be UTC or an "
			    "offset like +02:00", f->name);
			goto bad;
		}
	}
	if ((flds = json_object_get(j, "fields")) != NULL) {
		json_object_foreach(flds, key, v) {
			int fi = ld_field_index(key);
			size_t i;
			json_t *a;

			if (fi < 0) {
				ld_err_set(err, "format %s: \"%s\" is not a canonical "
				    "field (ns project user user_id ip event cid)",
				    f->name, key);
				goto bad;
			}
			if (!json_is_array(v)) {
				ld_err_set(err, "format %s: field %s must be an array",
				    f->name, key);
				goto bad;
			}
			f->fields[fi].alts = ld_xcalloc(json_array_size(v) + 1,
			    sizeof(struct spec));
			json_array_foreach(v, i, a) {
				struct ld_err e2;

				if (!json_is_string(a) || spec_parse(json_string_value(a),
				    &f->fields[fi].alts[f->fields[fi].n], &e2) < 0) {
					if (json_is_string(a))
						spec_free(&f->fields[fi].alts[f->fields[fi].n]);
					ld_err_set(err, "format %s: %s", f->name,
					    json_is_string(a) ? e2.msg : "field specs are strings");
					goto bad;
				}
				f->fields[fi].n++;
			}
		}
	}
	return f;
bad:
	format_free(f);
	return NULL;
}

static int
cmp_format(const void *a, const void *b)
{
	const struct ld_format *x = *(struct ld_format *const *)a;
	const struct ld_format *y = *(struct ld_format *const *)b;

	if (x->prio != y->prio)
		return y->prio - x->prio;
	/* The more keys a JSON format's detection asks for, the more specific
	 * it is: tried first, it wins over a looser one. */
	if (x->nkeys != y->nkeys)
		return x->nkeys < y->nkeys ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void
formats_put(struct ld_formats *fs, struct ld_format *f)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i]->name, f->name) == 0) {
			format_free(fs->v[i]);
			fs->v[i] = f;
			return;
		}
	fs->v = ld_xrealloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
	fs->v[fs->n++] = f;
}

/* The identity of the definitions in effect: the SHA-256 of their
 * texts' digests in the order they are tried.  A definition loaded twice
 * (built in and installed) or replaced counts once, so the same
 * definitions give the same identity however they were found; an index
 * built with others (ld-index(5)) is not used.  The zone assumed for
 * zone-less times (--tz-assume) is part of it: it decides which lines
 * have a time at all.  Made when first asked for: a tool that uses no
 * index does not hash the definitions. */
static void
formats_id(struct ld_formats *fs)
{
	struct ld_digest *d = ld_digest_new("sha256");
	char z[32], textid[65];

	if (d == NULL)
		abort();
	for (size_t i = 0; i < fs->n; i++) {
		ld_sha256_hex(fs->v[i]->text, fs->v[i]->textlen, textid);
		ld_digest_update(d, textid, 64);
	}
	if (fs->tz_assume != LD_TIME_NOZONE) {
		snprintf(z, sizeof(z), "tz-assume %ld", fs->tz_assume);
		ld_digest_update(d, z, strlen(z));
	}
	ld_digest_hex(d, fs->idhex);
	ld_digest_free(d);
}

const char *
ld_formats_id(const struct ld_formats *cfs)
{
	struct ld_formats *fs = (struct ld_formats *)cfs;

	pthread_mutex_lock(&fs->idlock);
	if (fs->idhex[0] == '\0')
		formats_id(fs);
	pthread_mutex_unlock(&fs->idlock);
	return fs->idhex;
}

/*
 * Load one definition: the static text of a built-in one (own NULL), or
 * the text own read from a file, which the format keeps (freed here on
 * error).  A file whose text is that of a built-in definition still in
 * effect, as the installed copies of the shipped formats are, would
 * replace it by the same definition: it is not parsed again.
 */
static int
load_text(struct ld_formats *fs, const char *text, size_t len, char *own,
    const char *what, struct ld_err *err)
{
	json_error_t je;
	json_t *j;
	struct ld_format *f;
	struct ld_err e2;

	for (size_t i = 0; own != NULL && i < fs->n; i++)
		if (fs->v[i]->builtin && fs->v[i]->textlen == len &&
		    memcmp(fs->v[i]->text, text, len) == 0) {
			free(own);
			return 0;
		}
	if ((j = json_loadb(text, len, 0, &je)) == NULL) {
		free(own);
		return ld_err_set(err, "%s:%d: %s", what, je.line, je.text);
	}
	f = format_parse(j, &e2);
	json_decref(j);
	if (f == NULL) {
		free(own);
		return ld_err_set(err, "%s: %s", what, e2.msg);
	}
	f->text = text;
	f->textlen = len;
	f->owntext = own;
	f->builtin = own == NULL;
	formats_put(fs, f);
	return 0;
}

static int
load_file(struct ld_formats *fs, const char *path, struct ld_err *err)
{
	FILE *fp;
	struct ld_buf b = { 0 };
	char chunk[8192];
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		ld_buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		ld_buf_free(&b);
		return ld_err_set(err, "%s: read error", path);
	}
	fclose(fp);
	if (b.p == NULL)
		ld_buf_add(&b, "", 0);
	return load_text(fs, b.p, b.len, b.p, path, err);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_dir(struct ld_formats *fs, const char *dir, struct ld_err *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;	/* a missing directory has no formats */
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			names = ld_xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = ld_xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		struct ld_buf p = { 0 };

		ld_buf_addf(&p, "%s/%s", dir, names[i]);
		rc = load_file(fs, p.p, err);
		ld_buf_free(&p);
	}
	strv_free(names, n);
	return rc;
}

struct ld_formats *
ld_formats_load(const char *const *dirs, const char *const *files,
    struct ld_err *err)
{
	struct ld_formats *fs = ld_xcalloc(1, sizeof(*fs));

	fs->tz_assume = LD_TIME_NOZONE;
	atomic_init(&fs->zoneless, 0);
	pthread_mutex_init(&fs->idlock, NULL);
	for (size_t i = 0; ld_builtin_formats[i] != NULL; i++)
		if (load_text(fs, ld_builtin_formats[i],
		    strlen(ld_builtin_formats[i]), NULL, "built-in format",
		    err) < 0)
			goto bad;
	for (; dirs && *dirs; dirs++)
		if (load_dir(fs, *dirs, err) < 0)
			goto bad;
	for (; files && *files; files++)
		if (load_file(fs, *files, err) < 0)
			goto bad;
	qsort(fs->v, fs->n, sizeof(*fs->v), cmp_format);
	for (size_t i = 0; i < fs->n; i++)
		fs->v[i]->order = i;
	return fs;
bad:
	ld_formats_free(fs);
	return NULL;
}

void
ld_formats_set_tz_assume(struct ld_formats *fs, long off)
{
	fs->tz_assume = off;
	fs->idhex[0] = '\0';	/* made again when asked for */
}

unsigned long
ld_formats_zoneless(const struct ld_formats *fs)
{
	return atomic_load(&((struct ld_formats *)fs)->zoneless);
}

/* Read a time of format f: the zone to assume for a time without one is
 * the user's, else the format's; a zone-less time with neither is counted
 * (and is a bad time).  0 or -1. */
static int
parse_time(struct ld_parser *p, const struct ld_format *f, const char *s,
    size_t n, struct ld_time *t)
{
	long assume = p->fs->tz_assume != LD_TIME_NOZONE ? p->fs->tz_assume :
	    f->tzone;
	int rc = ld_time_parse_tz(s, n, f->tkind, p->ref_year, assume, t);

	if (rc == LD_TIME_ZONELESS && !p->quiet)
		atomic_fetch_add_explicit(&((struct ld_formats *)p->fs)->zoneless,
		    1, memory_order_relaxed);
	return rc == 0 ? 0 : -1;
}

const char *const *
ld_formats_default_dirs(void)
{
	static const char *dirs[2];
	const char *e = getenv("LD_FORMATS");

	dirs[0] = e && *e ? e : LD_SHAREDIR "/formats";
	dirs[1] = NULL;
	return dirs;
}

const struct ld_format *
ld_formats_find(const struct ld_formats *fs, const char *name)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i]->name, name) == 0)
			return fs->v[i];
	return NULL;
}

/*
 * fnmatch(glob, s, 0) == 0, for the file globs of formats, which are
 * tried on every archive member: a glob of literal parts between stars
 * ("*production.log*", "*nginx*access*") is matched with strchr(3) and
 * compares; with '?', '[' or '\\' in it, fnmatch(3) decides.  Without
 * flags a star matches any bytes, '/' and a leading '.' too, so the
 * leftmost occurrence of each part in turn is as good as any.
 */
static int
glob_match(const char *glob, const char *s)
{
	const char *g = glob, *star;
	size_t n, sn;

	if (strpbrk(glob, "?[\\") != NULL)
		return fnmatch(glob, s, 0) == 0;
	/* The part before the first star is a prefix of s. */
	n = strcspn(g, "*");
	if (strncmp(g, s, n) != 0)
		return 0;
	if (g[n] == '\0')
		return s[n] == '\0';
	g += n;
	s += n;
	for (;;) {
		while (*g == '*')
			g++;
		if (*g == '\0')
			return 1;
		n = strcspn(g, "*");
		if (g[n] == '\0') {
			/* The part after the last star ends s. */
			sn = strlen(s);
			return sn >= n && memcmp(s + sn - n, g, n) == 0;
		}
		star = g + n;
		/* A middle part: its leftmost occurrence in what is left. */
		for (;; s++) {
			if ((s = strchr(s, *g)) == NULL)
				return 0;
			if (strncmp(s, g, n) == 0)
				break;
		}
		s += n;
		g = star;
	}
}

const struct ld_format *
ld_formats_for_source(const struct ld_formats *fs, const char *src)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < fs->v[i]->nfiles; j++)
			if (glob_match(fs->v[i]->files[j], src))
				return fs->v[i];
	return NULL;
}

const struct ld_format *
ld_formats_get(const struct ld_formats *fs, size_t i)
{
	return i < fs->n ? fs->v[i] : NULL;
}

const char *
ld_format_name(const struct ld_format *f)
{
	return f->name;
}

const char *
ld_format_description(const struct ld_format *f)
{
	return f->desc;
}

int
ld_format_is_text(const struct ld_format *f)
{
	return f->type == FT_REGEX;
}

int
ld_formats_text_builtin(const struct ld_formats *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i]->type == FT_REGEX && !fs->v[i]->builtin)
			return 0;
	return 1;
}

struct ld_parser *
ld_parser_new(const struct ld_formats *fs, int ref_year)
{
	struct ld_parser *p = ld_xcalloc(1, sizeof(*p));

	p->fs = fs;
	p->ref_year = ref_year;
	p->md = pcre2_match_data_create(128, NULL);
	if (p->md == NULL)
		abort();
	return p;
}

void
ld_parser_free(struct ld_parser *p)
{
	if (p == NULL)
		return;
	pcre2_match_data_free(p->md);
	ld_buf_free(&p->line);
	ld_buf_free(&p->val);
	ld_buf_free(&p->csrc);
	for (int k = 0; k < JWAYS; k++)
		free(p->way[k].x);
	ld_shapes_free(p->shapes);
	free(p);
}

void
ld_parser_set_no_tree(struct ld_parser *p, int on, unsigned need)
{
	p->no_tree = on;
	p->need = need & LD_F_ALL;
	if (on && p->shapes == NULL)
		p->shapes = ld_shapes_new();
}

void
ld_parser_set_window(struct ld_parser *p, int has_since, int64_t since,
    int has_until, int64_t until)
{
	p->has_since = has_since;
	p->since = since;
	p->has_until = has_until;
	p->until = until;
	p->win = has_since || has_until;
}

/* A time outside the window set (never without one). */
static int
outside(const struct ld_parser *p, int64_t ns)
{
	return p->win && ((p->has_since && ns < p->since) ||
	    (p->has_until && ns >= p->until));
}

void
ld_rec_clear(struct ld_rec *r)
{
	json_decref(r->ev);
	r->ev = NULL;
	r->fmt = NULL;
	r->fmtname = NULL;
	r->has_ts = 0;
	r->utf8_repaired = 0;
	r->nest_cut = 0;
	r->is_record = 0;
	r->evraw = NULL;
	r->evrawlen = 0;
	r->jidx = NULL;
	r->redacted = 0;
	r->hunt = NULL;
	r->huntlen = 0;
	for (int i = 0; i < LD_F_N; i++) {
		r->f[i] = NULL;
		r->flen[i] = 0;
	}
}

void
ld_rec_free(struct ld_rec *r)
{
	ld_rec_clear(r);
	for (int i = 0; i < LD_F_N; i++)
		ld_buf_free(&r->fb[i]);
	ld_buf_free(&r->evbuf);
	ld_buf_free(&r->srcbuf);
	ld_buf_free(&r->tmp);
	ld_buf_free(&r->huntbuf);
}

/* A reader of the event's values: appends the text at path to b and
 * returns 1, 0 when absent, -1 when only jansson can tell.  keyed says
 * whether path may name an element of a key/value array (keyed_path()),
 * which a format's definition tells once. */
typedef int (*getter)(void *ctx, const char *path, int keyed,
    struct ld_buf *b);
static int extract_get(const struct ld_format *, getter, void *,
    struct ld_rec *, unsigned);

/*
 * A path that names an element of a key/value array, "params[project_path]":
 * its array's path into name (size ns) and the key; 0 when path is a plain
 * one.
 */
static int
keyed_path(const char *path, char *name, size_t ns, const char **key,
    size_t *kn)
{
	const char *o = strchr(path, '[');
	size_t n;

	if (o == NULL)
		return 0;
	n = strlen(path);
	if (o == path || path[n - 1] != ']' ||
	    (size_t)(o - path) >= ns)
		return 0;
	memcpy(name, path, (size_t)(o - path));
	name[o - path] = '\0';
	*key = o + 1;
	*kn = (size_t)(path + n - 1 - *key);
	return 1;
}

/* The reader of a jansson tree, which can always tell. */
static int
tree_get(void *ctx, const char *path, int keyed, struct ld_buf *b)
{
	char name[256], key[256];
	const char *k;
	size_t kn;

	if (keyed && keyed_path(path, name, sizeof(name), &k, &kn)) {
		if (kn >= sizeof(key))
			return 0;
		memcpy(key, k, kn);
		key[kn] = '\0';
		return ld_json_text(ld_json_keyed(ld_json_path(ctx, name), key),
		    b);
	}
	return ld_json_text(ld_json_path(ctx, path), b);
}

void
ld_format_extract(struct ld_parser *p, const struct ld_format *f,
    struct ld_rec *r)
{
	(void)p;
	(void)extract_get(f, tree_get, r->ev, r, LD_F_ALL);
}

/* The time in a member's raw text vs (quotes included for a string):
 * 1 parsed, 0 not a time, -1 null (try the next field). */
static int
raw_time_to(struct ld_parser *p, const struct ld_format *f, const char *vs,
    size_t vn, struct ld_time *t)
{
	if (vn >= 2 && vs[0] == '"') {
		vs++;
		vn -= 2;
	}
	if (vn == 4 && memcmp(vs, "null", 4) == 0)
		return -1;
	return parse_time(p, f, vs, vn, t) == 0;
}

static int
raw_time(struct ld_parser *p, const struct ld_format *f, const char *vs,
    size_t vn, struct ld_rec *r)
{
	return raw_time_to(p, f, vs, vn, &r->ts);
}

/* The time of r by f's time fields: the raw text of a top-level member
 * when there is one (exact digits of numbers), else the decoded value. */
static int
extract_time(struct ld_parser *p, const struct ld_format *f, struct ld_rec *r)
{
	for (size_t i = 0; i < f->ntfields; i++) {
		const char *vs;
		size_t vn;
		json_t *v;

		if (f->type == FT_JSON &&
		    ld_json_raw_member(r->evraw, r->evrawlen, f->tfields[i], &vs,
		    &vn) == 1 && memchr(vs, '\\', vn) == NULL) {
			int rc = raw_time(p, f, vs, vn, r);

			if (rc < 0)
				continue;
			return rc;
		}
		if ((v = ld_json_path(r->ev, f->tfields[i])) == NULL ||
		    json_is_null(v))
			continue;
		ld_buf_reset(&p->val);
		if (!ld_json_text(v, &p->val))
			return 0;
		return parse_time(p, f, p->val.p, p->val.len, &r->ts) == 0;
	}
	return 0;
}

static int
json_detect(const struct ld_format *f, json_t *ev)
{
	if (f->type != FT_JSON)
		return 0;
	for (size_t i = 0; i < f->nkeys; i++)
		if (ld_json_path(ev, f->keys[i]) == NULL)
			return 0;
	return 1;
}

static int regex_text(struct ld_parser *, const struct ld_format *,
    const char *, size_t, struct ld_rec *);

/*
 * The pattern of text format f, JIT-compiled the first time a line is
 * tried on it.  Threads share f: one that finds no compiled pattern
 * compiles a copy of f->re and offers it; the first offer is kept and the
 * others are freed.  Where the JIT cannot compile it, f->re itself serves
 * (interpreted), as when it was compiled at load.
 */
static const pcre2_code *
format_re(const struct ld_format *cf)
{
	struct ld_format *f = (struct ld_format *)cf;
	pcre2_code *c, *none = NULL;

	if ((c = atomic_load_explicit(&f->jre, memory_order_acquire)) != NULL)
		return c;
	if ((c = pcre2_code_copy(f->re)) == NULL)
		abort();	/* out of memory, as ld_xmalloc */
	if (pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0) {
		pcre2_code_free(c);
		c = f->re;
	}
	if (!atomic_compare_exchange_strong_explicit(&f->jre, &none, c,
	    memory_order_acq_rel, memory_order_acquire)) {
		if (c != f->re)
			pcre2_code_free(c);
		c = none;
	}
	return c;
}

/* Try a regex format on the line; on a match, build the event. */
static int
regex_try(struct ld_parser *p, const struct ld_format *f, const char *line,
    size_t len, struct ld_rec *r)
{
	const pcre2_code *re = format_re(f);
	int rc;

	/* A JIT-compiled pattern is run by its own entry, without the checks
	 * pcre2_match() makes before calling it (a line is valid UTF-8 here:
	 * ld_parse_line() repaired it); lines of text formats try several. */
	if (re != f->re)
		rc = pcre2_jit_match(re, (PCRE2_SPTR)line, len, 0, 0, p->md,
		    NULL);
	else
		rc = pcre2_match(re, (PCRE2_SPTR)line, len, 0,
		    PCRE2_NO_UTF_CHECK, p->md, NULL);
	if (rc < 0) {
		/* Not a non-match: a limit (match, depth, heap, JIT stack)
		 * left the question open.  ld_parse_line() says so. */
		if (rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL &&
		    p->rxerr == 0) {
			p->rxerr = rc;
			p->rxerr_f = f;
		}
		return 0;
	}
	p->rxrc = rc;
	if (p->no_tree) {
		/* The event's text waits for ld_rec_complete(). */
		p->pend = PEND_TEXT;
		p->pline = line;
		p->plen = len;
		return 1;
	}
	return regex_text(p, f, line, len, r);
}

/* The event of a text line f matched last: its JSON text and, without
 * no_tree, its tree. */
static int
regex_text(struct ld_parser *p, const struct ld_format *f, const char *line,
    size_t len, struct ld_rec *r)
{
	PCRE2_SIZE *ov;
	int rc = p->rxrc;

	ov = pcre2_get_ovector_pointer(p->md);
	ld_buf_reset(&r->evbuf);
	ld_buf_adds(&r->evbuf, "{\"raw\":");
	ld_buf_add_json_str(&r->evbuf, line, len);
	if (!p->no_tree) {
		r->ev = json_object();
		json_object_set_new(r->ev, "raw", json_stringn(line, len));
	}
	for (uint32_t g = 1; g <= f->ngroups && (int)g < rc; g++) {
		if (f->groups[g] == NULL || ov[2 * g] == PCRE2_UNSET)
			continue;
		ld_buf_addc(&r->evbuf, ',');
		ld_buf_add_json_str(&r->evbuf, f->groups[g], strlen(f->groups[g]));
		ld_buf_addc(&r->evbuf, ':');
		ld_buf_add_json_str(&r->evbuf, line + ov[2 * g],
		    ov[2 * g + 1] - ov[2 * g]);
		if (!p->no_tree)
			json_object_set_new(r->ev, f->groups[g], json_stringn(line +
			    ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
	}
	ld_buf_addc(&r->evbuf, '}');
	r->evraw = r->evbuf.p;
	r->evrawlen = r->evbuf.len;
	return 1;
}


/* The findings an ld-record carries ("hunt", an array), kept as written
 * so that every tool passes them on. */
static void
record_hunt(const char *line, size_t len, struct ld_rec *r)
{
	const char *vs;
	size_t vn;

	if (ld_json_raw_member(line, len, "hunt", &vs, &vn) == 1 && vn > 0 &&
	    vs[0] == '[') {
		ld_buf_reset(&r->huntbuf);
		ld_buf_add(&r->huntbuf, vs, vn);
		r->hunt = r->huntbuf.p;
		r->huntlen = r->huntbuf.len;
	}
}

/* A line that is an ld-record: take provenance and fields from it. */
static enum ld_parse_result
from_record(struct ld_parser *p, json_t *j, const char *line, size_t len,
    struct ld_rec *r)
{
	json_t *v;
	const char *vs;
	size_t vn;

	r->is_record = 1;
	ld_buf_reset(&r->srcbuf);
	ld_buf_adds(&r->srcbuf, json_string_value(json_object_get(j, "src")));
	r->src = r->srcbuf.p;
	v = json_object_get(j, "line");
	r->line = json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
	v = json_object_get(j, "fmt");
	r->fmt = json_is_string(v) ? ld_formats_find(p->fs, json_string_value(v))
	    : NULL;
	ld_buf_reset(&r->tmp);
	if (json_is_string(v))
		ld_buf_adds(&r->tmp, json_string_value(v));
	r->fmtname = json_is_string(v) ? r->tmp.p : NULL;
	/* Repaired by the record's word, or now, reading its line. */
	v = json_object_get(j, "utf8");
	r->utf8_repaired |= json_is_string(v);
	r->nest_cut |= json_is_string(json_object_get(j, "nest"));
	/* ldredact's mark stays with the record through every later step */
	v = json_object_get(j, "redacted");
	r->redacted = json_is_integer(v) && json_integer_value(v) > 0 ?
	    (uint64_t)json_integer_value(v) : 0;
	for (int i = 0; i < LD_F_N; i++) {
		v = json_object_get(j, ld_field_names[i]);
		ld_buf_reset(&r->fb[i]);
		if (ld_json_text(v, &r->fb[i])) {
			r->f[i] = r->fb[i].p;
			r->flen[i] = r->fb[i].len;
		}
	}
	r->ev = json_incref(json_object_get(j, "ev"));
	record_hunt(line, len, r);
	if (ld_json_raw_member(line, len, "ev", &vs, &vn) == 1) {
		ld_buf_reset(&r->evbuf);
		ld_buf_add(&r->evbuf, vs, vn);
		r->evraw = r->evbuf.p;
		r->evrawlen = r->evbuf.len;
	}
	v = json_object_get(j, "ts");
	if (json_is_string(v) && ld_time_parse(json_string_value(v),
	    json_string_length(v), LD_TIME_RFC3339, 0, &r->ts) == 0) {
		r->has_ts = 1;
		r->ts.year_guessed = json_object_get(j, "ts_year") != NULL;
		r->ts.zone_assumed = json_object_get(j, "ts_zone") != NULL;
	}
	return r->has_ts ? LD_PARSE_OK : LD_PARSE_BADTIME;
}

/* ---- fields from the raw text, without a jansson tree ---- */

/* The text of a raw scalar vs (vn bytes) as ld_json_text() gives it: 1,
 * 0 for null, objects and arrays, -1 when only jansson can tell (escapes,
 * reals). */
static int
raw_text(const char *vs, size_t vn, struct ld_buf *b)
{
	if (vn >= 2 && vs[0] == '"') {
		if (memchr(vs, '\\', vn) != NULL)
			return -1;
		ld_buf_add(b, vs + 1, vn - 2);
		return 1;
	}
	if (vn > 0 && (vs[0] == '-' || (vs[0] >= '0' && vs[0] <= '9'))) {
		for (size_t i = 0; i < vn; i++)
			if (vs[i] == '.' || vs[i] == 'e' || vs[i] == 'E')
				return -1;
		ld_buf_add(b, vs, vn);
		return 1;
	}
	if ((vn == 4 && memcmp(vs, "true", 4) == 0) ||
	    (vn == 5 && memcmp(vs, "false", 5) == 0)) {
		ld_buf_add(b, vs, vn);
		return 1;
	}
	return 0;
}

/* A path of a format in the parser's index, through its shape. */
static int
jidx_get(void *ctx, const char *path, int keyed, struct ld_buf *b)
{
	struct ld_parser *p = ctx;
	const struct ld_jidx *x = p->x;
	char name[256], key[256];
	const char *k, *vs;
	size_t kn, vn;
	int i, t;

	if (keyed && keyed_path(path, name, sizeof(name), &k, &kn)) {
		/* The index keeps no member inside an array: the array's
		 * text is read for the element.  (name is a copy, not to
		 * be remembered by its address as ld_shape_path() does.) */
		if (kn >= sizeof(key) || (i = ld_jidx_path(x, 0, name)) < 0 ||
		    x->m[i].type != 'a')
			return 0;
		memcpy(key, k, kn);
		key[kn] = '\0';
		if ((t = ld_json_raw_keyed(x->m[i].v, x->m[i].vn, key, &vs,
		    &vn)) <= 0)
			return t;
		return raw_text(vs, vn, b);
	}
	return ld_jidx_text(x, ld_shape_path(p->sh, x, path), b);
}

/* A text line's event is {"raw": line, group: value...}, a later group
 * of a name replacing an earlier one, as regex_try() builds it. */
struct rxev {
	const struct ld_format *f;
	const char *line;
	size_t len;
	PCRE2_SIZE *ov;
	int rc;
};

static int
rx_get(void *ctx, const char *path, int keyed, struct ld_buf *b)
{
	const struct rxev *e = ctx;

	for (uint32_t g = e->f->ngroups; g >= 1; g--) {
		if ((int)g >= e->rc || e->f->groups[g] == NULL ||
		    e->ov[2 * g] == PCRE2_UNSET || strcmp(e->f->groups[g], path))
			continue;
		ld_buf_add(b, e->line + e->ov[2 * g], e->ov[2 * g + 1] - e->ov[2 * g]);
		return 1;
	}
	if (strcmp(path, "raw") == 0) {
		ld_buf_add(b, e->line, e->len);
		return 1;
	}
	return 0;
}

/* A field's spec through a getter: 1, 0, or -1 when only jansson can tell. */
static int
spec_eval_get(const struct spec *s, getter get, void *ctx, struct ld_buf *b)
{
	int t;

	ld_buf_reset(b);
	ld_buf_add(b, "", 0);
	for (size_t i = 0; i < s->nparts; i++) {
		if (s->parts[i].lit) {
			ld_buf_adds(b, s->parts[i].lit);
			continue;
		}
		if ((t = get(ctx, s->parts[i].path, s->parts[i].keyed, b)) < 0 ||
		    (t == 0 && !s->parts[i].opt))
			return t;
	}
	for (int i = 0; i < s->nx && b->len > 0; i++)
		ld_xform_apply(s->x[i], b);
	return b->len > 0;
}

/* The fields in mask through a getter: 0, or -1 when only jansson can
 * tell. */
static int
extract_get(const struct ld_format *f, getter get, void *ctx,
    struct ld_rec *r, unsigned mask)
{
	int t;

	for (int i = 0; i < LD_F_N; i++) {
		if (!(mask & 1u << i))
			continue;
		r->f[i] = NULL;
		r->flen[i] = 0;
		for (size_t j = 0; j < f->fields[i].n; j++) {
			if ((t = spec_eval_get(&f->fields[i].alts[j], get, ctx,
			    &r->fb[i])) < 0)
				return -1;
			if (t > 0) {
				r->f[i] = r->fb[i].p;
				r->flen[i] = r->fb[i].len;
				break;
			}
		}
	}
	return 0;
}

/* The fields in mask and, with_time, the time of a text line that f
 * matched last (its groups are in p->md), without a tree: what
 * ld_format_extract() and extract_time() read from regex_text()'s event. */
static void
extract_rx(struct ld_parser *p, const struct ld_format *f, const char *line,
    size_t len, struct ld_rec *r, unsigned mask, int with_time)
{
	struct rxev e = { f, line, len, pcre2_get_ovector_pointer(p->md),
	    p->rxrc };

	if (mask)
		(void)extract_get(f, rx_get, &e, r, mask);
	if (!with_time)
		return;
	r->has_ts = 0;
	for (size_t i = 0; i < f->ntfields; i++) {
		ld_buf_reset(&p->val);
		if (rx_get(&e, f->tfields[i], 0, &p->val) == 0)
			continue;
		r->has_ts = parse_time(p, f, p->val.p, p->val.len, &r->ts) == 0;
		break;
	}
}

/* extract_time() over the index: 1, 0, or -1. */
static int
extract_time_raw(struct ld_parser *p, const struct ld_format *f,
    struct ld_rec *r)
{
	for (size_t i = 0; i < f->ntfields; i++) {
		const char *vs;
		size_t vn;
		int k, t;

		/* As extract_time(): the member's text as written. */
		if ((k = ld_shape_top(p->sh, p->x, f->tfields[i])) >= 0 &&
		    memchr(p->x->m[k].v, '\\', p->x->m[k].vn) == NULL) {
			vs = p->x->m[k].v;
			vn = p->x->m[k].vn;
			int rc = raw_time(p, f, vs, vn, r);

			if (rc < 0)
				continue;
			return rc;
		}
		if ((k = ld_shape_path(p->sh, p->x, f->tfields[i])) < 0 ||
		    p->x->m[k].type == 'n')
			continue;
		ld_buf_reset(&p->val);
		if ((t = ld_jidx_text(p->x, k, &p->val)) <= 0)
			return t;
		return parse_time(p, f, p->val.p, p->val.len, &r->ts) == 0;
	}
	return 0;
}

/* The decoded text of top-level member key of a string, into b: 1, or 0
 * when there is none or it is not a string. */
static int
jidx_string(const struct ld_jidx *x, const char *key, struct ld_buf *b)
{
	int k = ld_jidx_path(x, 0, key);

	if (k < 0 || (x->m[k].type != 's' && x->m[k].type != 'e'))
		return 0;
	ld_buf_reset(b);
	return ld_jidx_text(x, k, b);
}

/*
 * An ld-record read through the index, as from_record() reads it from a
 * tree (its keys have no dots, so a path is the key itself), with r->ev
 * NULL; or -1 (r to be filled again) when the index cannot tell or the
 * line is not quite a record.
 */
static int
record_raw(struct ld_parser *p, struct ld_rec *r)
{
	const struct ld_jidx *x = p->x;
	int ev = ld_jidx_path(x, 0, "ev"), k, t;
	int repaired = r->utf8_repaired;	/* the line is p->line */

	if (ev < 0 || x->m[ev].type != 'o' ||
	    (k = ld_jidx_path(x, 0, "src")) < 0 ||
	    (x->m[k].type != 's' && x->m[k].type != 'e') ||
	    ld_jidx_path(x, 0, "fmt") < 0)
		return -1;
	for (int i = 0; i < LD_F_N; i++) {
		ld_buf_reset(&r->fb[i]);
		t = ld_jidx_text(x, ld_jidx_path(x, 0, ld_field_names[i]),
		    &r->fb[i]);
		if (t < 0) {
			/* A real: only jansson knows its text. */
			for (int j = 0; j < i; j++) {
				r->f[j] = NULL;
				r->flen[j] = 0;
			}
			return -1;
		}
		if (t > 0) {
			r->f[i] = r->fb[i].p;
			r->flen[i] = r->fb[i].len;
		}
	}
	r->is_record = 1;
	jidx_string(x, "src", &r->srcbuf);
	r->src = r->srcbuf.p;
	k = ld_jidx_path(x, 0, "line");
	r->line = k >= 0 && x->m[k].type == 'i' ?
	    (uint64_t)strtoll(x->m[k].v, NULL, 10) : 0;
	k = ld_jidx_path(x, 0, "redacted");
	r->redacted = k >= 0 && x->m[k].type == 'i' && x->m[k].v[0] != '-' ?
	    strtoull(x->m[k].v, NULL, 10) : 0;
	if (jidx_string(x, "fmt", &r->tmp)) {
		r->fmt = ld_formats_find(p->fs, r->tmp.p);
		r->fmtname = r->tmp.p;
	}
	k = ld_jidx_path(x, 0, "utf8");
	r->utf8_repaired = repaired ||
	    (k >= 0 && (x->m[k].type == 's' || x->m[k].type == 'e'));
	k = ld_jidx_path(x, 0, "nest");
	r->nest_cut = k >= 0 && (x->m[k].type == 's' || x->m[k].type == 'e');
	r->evraw = x->m[ev].v;
	r->evrawlen = x->m[ev].vn;
	if (ld_jidx_path(x, 0, "hunt") >= 0)
		record_hunt(x->s, x->sn, r);
	if (repaired) {
		/* The line is the parser's repaired copy: keep our own. */
		ld_buf_reset(&r->evbuf);
		ld_buf_add(&r->evbuf, r->evraw, r->evrawlen);
		r->evraw = r->evbuf.p;
	}
	if (jidx_string(x, "ts", &p->val) && ld_time_parse(p->val.p,
	    p->val.len, LD_TIME_RFC3339, 0, &r->ts) == 0) {
		r->has_ts = 1;
		r->ts.year_guessed = ld_jidx_path(x, 0, "ts_year") >= 0;
		r->ts.zone_assumed = ld_jidx_path(x, 0, "ts_zone") >= 0;
	}
	return r->has_ts ? LD_PARSE_OK : LD_PARSE_BADTIME;
}

/* The event's text is the line without the white space around it (not
 * part of the JSON value: a record written with it would not read back
 * as the same bytes), which points into the parser when it was repaired:
 * the record then keeps its own copy. */
static void
set_evraw(struct ld_rec *r, const char *line, size_t len)
{
	while (len > 0 && (*line == ' ' || *line == '\t' || *line == '\r' ||
	    *line == '\n'))
		line++, len--;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	r->evraw = line;
	r->evrawlen = len;
	if (r->utf8_repaired) {
		ld_buf_reset(&r->evbuf);
		ld_buf_add(&r->evbuf, line, len);
		r->evraw = r->evbuf.p;
	}
}

/* Whether the indexed line has all of f's detect keys. */
static int
jidx_detect(const struct ld_jidx *x, const struct ld_format *f)
{
	/* Every line asks this of many formats: a key without a dot is one
	 * probe of the index. */
	for (size_t i = 0; i < f->nkeys; i++)
		if ((f->keylen[i] ? ld_jidx_key(x, 0, f->keys[i], f->keylen[i]) :
		    ld_jidx_path(x, 0, f->keys[i])) < 0)
			return 0;
	return 1;
}

/*
 * Whether hint is only the format of src by its name, which content
 * overrides (and which breaks a tie between equally specific formats),
 * rather than one the user forced (--format), which is tried first.
 */
static int
name_hint(struct ld_parser *p, const char *src, const struct ld_format *hint)
{
	if (hint == NULL || src == NULL)
		return 0;
	if (!p->cset || strcmp(p->csrc.p, src) != 0) {
		ld_buf_reset(&p->csrc);
		ld_buf_adds(&p->csrc, src);
		p->cfmt = ld_formats_for_source(p->fs, src);
		p->cset = 1;
	}
	return hint == p->cfmt;
}

/* Of two formats that both take a line, whether the name's hint is as
 * specific as the format content chose, so that the name decides. */
static int
hint_ties(const struct ld_format *hint, const struct ld_format *f)
{
	return hint != f && hint->type == f->type && hint->prio == f->prio &&
	    hint->nkeys == f->nkeys;
}

/* What a shape of line is to parse_raw(). */
enum { SHAPE_NONE = 1, SHAPE_RECORD, SHAPE_FORMAT };

/*
 * The format content gives the indexed line from hint (see
 * ld_parse_line()), or NULL when no JSON format takes it.  Reads only the
 * shape of the line.
 */
static const struct ld_format *
jidx_format(struct ld_parser *p, const struct ld_format *hint, int byname)
{
	const struct ld_jidx *x = p->x;
	const struct ld_format *f = NULL;

	if (hint && hint->type == FT_JSON && !byname)
		f = hint;
	else if (hint && hint->type == FT_JSON && jidx_detect(x, hint)) {
		/* The name's format takes the line: only a format tried before
		 * it can take it instead, unless it is no more specific. */
		f = hint;
		for (size_t k = 0; k < hint->order; k++) {
			const struct ld_format *c = p->fs->v[k];

			if (c->type == FT_JSON && jidx_detect(x, c)) {
				if (!hint_ties(hint, c))
					f = c;
				break;
			}
		}
	}
	for (size_t k = 0; f == NULL && k < p->fs->n; k++) {
		const struct ld_format *c = p->fs->v[k];

		if (c->type == FT_JSON && jidx_detect(x, c))
			f = c;
	}
	return f;
}

/* The way of a JSON object line: by the bytes of its first key (at most
 * 32), where kinds of lines differ from the start. */
static struct jway *
way_of(struct ld_parser *p, const char *line, size_t len)
{
	size_t i = 0, e;
	unsigned h = 0;

	while (i < len && line[i] != '"')
		i++;
	for (e = i + 1; e < len && e < i + 33 && line[e] != '"'; e++)
		h = h * 31 + (unsigned char)line[e];
	/* (the top bits of a multiplicative hash: every byte counts) */
	return &p->way[(uint32_t)(h * 0x9e3779b9u) >> (32 - JWAYS_BITS)];
}

/*
 * A JSON line read through the index instead of a jansson tree: what
 * ld_parse_line() would make of it, with r->ev NULL; or -1 (r to be
 * filled again) when the index cannot tell.
 */
static int
parse_raw(struct ld_parser *p, const struct ld_format *hint, int byname,
    const char *line, size_t len, struct ld_rec *r)
{
	const struct ld_format *f = NULL;
	struct jway *w = way_of(p, line, len);
	struct ld_jidx *x;
	int t, fresh;

	if (w->x == NULL)
		w->x = ld_xmalloc(sizeof(*w->x));
	x = p->x = w->x;
	p->sh = NULL;
	if (w->run && w->last_sh != NULL && w->last_sh->gen == w->last_gen &&
	    hint == w->last_hint && byname == w->last_byname &&
	    ld_jidx_again(x, line, len)) {
		/* The shape of the way's line before, whose entry still
		 * holds it (its gen did not change). */
		p->sh = w->last_sh;
		fresh = 0;
	} else {
		struct ld_shape *before = w->last_sh;
		unsigned bgen = w->last_gen;

		w->last_sh = NULL;
		w->run = 0;
		if (!ld_jidx_build(x, line, len))
			return -1;
		/* What detection makes of a shape is known after its first
		 * line: an ld-record, a format, or none. */
		p->sh = ld_shapes_get(p->shapes, x, hint, byname, &fresh);
		w->run = p->sh != NULL && p->sh == before && !fresh &&
		    p->sh->gen == bgen && hint == w->last_hint &&
		    byname == w->last_byname;
		w->last_sh = p->sh;
		w->last_gen = p->sh != NULL ? p->sh->gen : 0;
		w->last_hint = hint;
		w->last_byname = byname;
	}
	if (p->sh == NULL || fresh) {
		t = ld_jidx_path(x, 0, "ev") >= 0 ? SHAPE_RECORD :
		    (f = jidx_format(p, hint, byname)) != NULL ? SHAPE_FORMAT :
		    SHAPE_NONE;
		if (p->sh) {
			p->sh->what = t;
			p->sh->fmt = f;
		}
	} else {
		t = p->sh->what;
		f = p->sh->fmt;
	}
	if (t == SHAPE_RECORD)
		return record_raw(p, r);
	if (t == SHAPE_NONE)
		return -1;
	set_evraw(r, line, len);
	t = -1;
	if (p->win) {
		/* The time first: a line outside the window is done with.
		 * Quietly: a time that is not read (zone-less, say) is read
		 * again below, and counted once. */
		p->quiet = 1;
		t = extract_time_raw(p, f, r);
		p->quiet = 0;
		if (t == 1 && outside(p, r->ts.ns)) {
			r->evraw = NULL;
			r->evrawlen = 0;
			r->fmt = f;
			r->fmtname = f->name;
			r->has_ts = 1;
			return LD_PARSE_OUTSIDE;
		}
		if (t != 1)
			t = -1;
	}
	if (extract_get(f, jidx_get, p, r, p->need) < 0 ||
	    (t < 0 && (t = extract_time_raw(p, f, r)) < 0)) {
		r->evraw = NULL;
		r->evrawlen = 0;
		for (int i = 0; i < LD_F_N; i++) {
			r->f[i] = NULL;
			r->flen[i] = 0;
		}
		return -1;
	}
	r->fmt = f;
	r->fmtname = f->name;
	r->has_ts = t;
	if (p->need != LD_F_ALL)
		p->pend = PEND_JSON;
	return r->has_ts ? LD_PARSE_OK : LD_PARSE_BADTIME;
}

/* ld_json_loadb() of a record's text, its repairs marked in r. */
static json_t *
rec_loadb(struct ld_rec *r, const char *s, size_t n)
{
	int rep = 0;
	json_t *j = ld_json_loadb(s, n, 0, &rep, NULL);

	if (rep & LD_JSON_UTF8)
		r->utf8_repaired = 1;
	if (rep & LD_JSON_CUT)
		r->nest_cut = 1;
	return j;
}

void
ld_rec_complete(struct ld_parser *p, struct ld_rec *r)
{
	enum pend pend = p->pend;

	p->pend = PEND_NONE;
	if (pend == PEND_TEXT) {
		regex_text(p, r->fmt, p->pline, p->plen, r);
		if (p->need != LD_F_ALL)
			extract_rx(p, r->fmt, p->pline, p->plen, r,
			    ~p->need & LD_F_ALL, 0);
	} else if (pend == PEND_JSON && extract_get(r->fmt, jidx_get, p, r,
	    ~p->need & LD_F_ALL) < 0) {
		/* A field only jansson can read: read them all with it. */
		r->ev = rec_loadb(r, r->evraw, r->evrawlen);
		ld_format_extract(p, r->fmt, r);
	}
}

json_t *
ld_rec_tree(struct ld_rec *r)
{
	if (r->ev == NULL && r->evraw != NULL)
		r->ev = rec_loadb(r, r->evraw, r->evrawlen);
	return r->ev;
}

enum ld_parse_result
ld_parse_line(struct ld_parser *p, const struct ld_format *hint,
    const char *src, uint64_t lineno, const char *line, size_t len,
    struct ld_rec *r)
{
	const struct ld_format *f = NULL;
	json_t *j = NULL;
	size_t i = 0;
	int byname;

	ld_rec_clear(r);
	p->pend = PEND_NONE;
	p->rxerr = 0;
	r->src = src;
	r->line = lineno;
	/* A byte order mark is no part of the text: at the start of a
	 * source (its first line) it is skipped, and the event is the text
	 * after it.  Anywhere else it is not JSON, as RFC 8259 says. */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (!ld_utf8_valid(line, len)) {
		ld_buf_reset(&p->line);
		ld_utf8_repair(&p->line, line, len);
		line = p->line.p;
		len = p->line.len;
		r->utf8_repaired = 1;
	}
	/* JSON's white space: a CR before the object too (a line of a file
	 * with bare CRs, or cut after one). */
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
	    line[i] == '\n'))
		i++;
	byname = name_hint(p, src, hint);
	if (p->no_tree && i < len && line[i] == '{') {
		int res = parse_raw(p, hint, byname, line, len, r);

		if (res >= 0) {
			r->jidx = p->x;
			return (enum ld_parse_result)res;
		}
	}
	/* Every object the grammar accepts, also one with what jansson
	 * alone refuses (a lone surrogate, a number out of range). */
	if (i < len && line[i] == '{' &&
	    (j = rec_loadb(r, line, len)) != NULL &&
	    json_is_object(j)) {
		json_t *ev = json_object_get(j, "ev");

		if (json_is_object(ev) && json_is_string(json_object_get(j, "src")) &&
		    json_object_get(j, "fmt") != NULL) {
			enum ld_parse_result res = from_record(p, j, line, len, r);

			json_decref(j);
			return res;
		}
		r->ev = j;
		set_evraw(r, line, len);
		if (hint && hint->type == FT_JSON && !byname)
			f = hint;
		else if (hint && hint->type == FT_JSON && json_detect(hint, j)) {
			f = hint;	/* as parse_raw() */
			for (size_t k = 0; k < hint->order; k++)
				if (json_detect(p->fs->v[k], j)) {
					if (!hint_ties(hint, p->fs->v[k]))
						f = p->fs->v[k];
					break;
				}
		}
		for (size_t k = 0; f == NULL && k < p->fs->n; k++)
			if (json_detect(p->fs->v[k], j))
				f = p->fs->v[k];
	} else {
		if (j != NULL)
			json_decref(j);	/* valid JSON but not an object */
		r->nest_cut = 0;
		if (hint && hint->type == FT_REGEX && !byname &&
		    regex_try(p, hint, line, len, r))
			f = hint;
		for (size_t k = 0; f == NULL && k < p->fs->n; k++)
			if (p->fs->v[k]->type == FT_REGEX && (byname ||
			    p->fs->v[k] != hint) &&
			    regex_try(p, p->fs->v[k], line, len, r))
				f = p->fs->v[k];
		if (f && byname && hint->type == FT_REGEX && hint_ties(hint, f)) {
			/* The match data must be of the format taken. */
			if (regex_try(p, hint, line, len, r))
				f = hint;
			else
				(void)regex_try(p, f, line, len, r);
		}
	}
	/* A pattern that could not be run leaves the line's format unknown:
	 * even a later format that matched may not be the one to take. */
	if (f == NULL || p->rxerr) {
		json_decref(r->ev);
		r->ev = NULL;
		p->pend = PEND_NONE;
		ld_buf_reset(&r->evbuf);
		ld_buf_adds(&r->evbuf, "{\"raw\":");
		ld_buf_add_json_str(&r->evbuf, line, len);
		ld_buf_addc(&r->evbuf, '}');
		r->evraw = r->evbuf.p;
		r->evrawlen = r->evbuf.len;
		return p->rxerr ? LD_PARSE_RXERROR : LD_PARSE_MALFORMED;
	}
	r->fmt = f;
	r->fmtname = f->name;
	if (p->no_tree && f->type == FT_REGEX) {
		/* The time first: a line outside the window is done with. */
		extract_rx(p, f, line, len, r, 0, 1);
		if (r->has_ts && outside(p, r->ts.ns)) {
			p->pend = PEND_NONE;
			return LD_PARSE_OUTSIDE;
		}
		extract_rx(p, f, line, len, r, p->need, 0);
		return r->has_ts ? LD_PARSE_OK : LD_PARSE_BADTIME;
	}
	ld_format_extract(p, f, r);
	r->has_ts = extract_time(p, f, r);
	return r->has_ts ? LD_PARSE_OK : LD_PARSE_BADTIME;
}

void
ld_parser_error(const struct ld_parser *p, struct ld_err *err)
{
	PCRE2_UCHAR msg[256];

	if (p->rxerr == 0) {
		ld_err_set(err, "no error");
		return;
	}
	if (pcre2_get_error_message(p->rxerr, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", p->rxerr);
	ld_err_set(err, "format %s: its pattern could not be run: %s, line not "
	    "parsed", p->rxerr_f->name, (const char *)msg);
}

/* Append v in decimal (printf is a good part of a record's cost). */
static void
add_u64(struct ld_buf *b, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	ld_buf_add(b, d + sizeof(d) - n, n);
}

void
ld_rec_write(const struct ld_rec *r, struct ld_buf *out)
{
	char tb[LD_TIME_BUFSZ];

	ld_buf_adds(out, "{\"ts\":");
	if (r->has_ts) {
		ld_buf_addc(out, '"');
		ld_buf_add(out, tb, ld_time_format(&r->ts, tb));
		ld_buf_addc(out, '"');
	} else
		ld_buf_adds(out, "null");
	ld_buf_adds(out, ",\"src\":");
	ld_buf_add_json_str(out, r->src, strlen(r->src));
	ld_buf_adds(out, ",\"line\":");
	add_u64(out, r->line);
	ld_buf_adds(out, ",\"fmt\":");
	if (r->fmtname)
		ld_buf_add_json_str(out, r->fmtname, strlen(r->fmtname));
	else
		ld_buf_adds(out, "null");
	if (r->utf8_repaired)
		ld_buf_adds(out, ",\"utf8\":\"repaired\"");
	if (r->nest_cut)
		ld_buf_adds(out, ",\"nest\":\"cut\"");
	if (r->has_ts && r->ts.year_guessed)
		ld_buf_adds(out, ",\"ts_year\":\"guessed\"");
	if (r->has_ts && r->ts.zone_assumed)
		ld_buf_adds(out, ",\"ts_zone\":\"assumed\"");
	for (int i = 0; i < LD_F_N; i++) {
		if (r->f[i] == NULL)
			continue;
		ld_buf_adds(out, ",\"");
		ld_buf_adds(out, ld_field_names[i]);
		ld_buf_adds(out, "\":");
		ld_buf_add_json_str(out, r->f[i], r->flen[i]);
	}
	if (r->redacted) {
		ld_buf_adds(out, ",\"redacted\":");
		add_u64(out, r->redacted);
	}
	if (r->hunt) {
		ld_buf_adds(out, ",\"hunt\":");
		ld_buf_add(out, r->hunt, r->huntlen);
	}
	ld_buf_adds(out, ",\"ev\":");
	if (r->evraw)
		ld_buf_add(out, r->evraw, r->evrawlen);
	else
		ld_buf_adds(out, "null");
	ld_buf_adds(out, "}\n");
}

/* ---- flat lines, for a summariser ---- */

/*
 * What ld_parse_line() makes of a flat line (jsonx.h) depends on its
 * shape alone: its keys in order and the types of its values (with the
 * hint it came with): which format takes it, and where each part of each
 * alternative of each field and each time field lies.  A shape is worked
 * out from the parser's own answer for its first line (ld_flat_learn())
 * and kept in a slot of a small table chosen by the scan's hash; a line
 * takes a slot only when its keys and types are exactly the slot's.
 */
#define FLAT_SHAPES_BITS 6
#define FLAT_SHAPES (1 << FLAT_SHAPES_BITS)	/* slots */
#define FLAT_KEYS 4096		/* bytes of a shape's keys, at most */

enum { FA_TEXT, FA_ABSENT, FA_REAL };	/* what an alternative is */

struct fpart {
	const char *lit;	/* literal text, or NULL and */
	int m;			/* the member, or -1: an optional part without
				   a value ("{path?}"), which gives "" */
};

struct falt {
	int what;
	struct fpart *parts;
	size_t nparts;
	const struct spec *sp;
};

struct fshape {
	int n;			/* members; -1: the slot is empty */
	uint64_t hash;
	const struct ld_format *hint;
	int byname;
	char keys[FLAT_KEYS];	/* the keys, one after another */
	unsigned short kn[LD_JFLAT_MAX];
	char type[LD_JFLAT_MAX];
	int what;		/* LD_FLAT_NEW until learnt */
	const struct ld_format *f;
	struct falt *alts[LD_F_N];
	size_t nalts[LD_F_N];
	int *tm;		/* by time field: the member, or -1 */
};

struct ld_flat {
	struct ld_parser *p;
	struct ld_jflat j;
	struct fshape *cur;	/* the shape of the line read last, or NULL */
	struct fshape *last;	/* the slot of the last flat line: the shape
				   the next line is expected to have */
	struct ld_buf in;	/* the text of an alternative of parts */
	struct fshape sh[FLAT_SHAPES];
};

static void
fshape_clear(struct fshape *sh)
{
	for (int i = 0; i < LD_F_N; i++) {
		for (size_t j = 0; j < sh->nalts[i]; j++)
			free(sh->alts[i][j].parts);
		free(sh->alts[i]);
		sh->alts[i] = NULL;
		sh->nalts[i] = 0;
	}
	free(sh->tm);
	sh->tm = NULL;
	sh->f = NULL;
	sh->n = -1;
}

struct ld_flat *
ld_flat_new(struct ld_parser *p)
{
	struct ld_flat *fl = ld_xcalloc(1, sizeof(*fl));

	fl->p = p;
	for (int i = 0; i < FLAT_SHAPES; i++)
		fl->sh[i].n = -1;
	return fl;
}

void
ld_flat_free(struct ld_flat *fl)
{
	if (fl == NULL)
		return;
	for (int i = 0; i < FLAT_SHAPES; i++)
		fshape_clear(&fl->sh[i]);
	ld_buf_free(&fl->in);
	free(fl);
}

/* Whether the line in fl->j has exactly the shape sh. */
static int
flat_is(const struct ld_flat *fl, const struct fshape *sh,
    const struct ld_format *hint, int byname)
{
	const struct ld_jflat *j = &fl->j;
	size_t at = 0;

	if (sh->n != j->n || sh->hash != j->hash || sh->hint != hint ||
	    sh->byname != byname ||
	    memcmp(sh->kn, j->kn, (size_t)j->n * sizeof(*j->kn)) != 0 ||
	    memcmp(sh->type, j->type, (size_t)j->n) != 0)
		return 0;
	for (int i = 0; i < j->n; i++) {
		if (!ld_same_bytes(sh->keys + at, j->k[i], j->kn[i]))
			return 0;
		at += j->kn[i];
	}
	return 1;
}

int
ld_flat_read(struct ld_flat *fl, const struct ld_format *hint,
    const char *src, const char *line, size_t len)
{
	struct ld_jflat *j = &fl->j;
	struct fshape *sh;
	size_t at = 0;
	int byname, rc;

	fl->cur = NULL;
	byname = name_hint(fl->p, src, hint);
	sh = fl->last;
	if (sh != NULL && sh->n >= 0 && sh->hint == hint &&
	    sh->byname == byname) {
		struct ld_jflat_want w = { sh->n, sh->keys, sh->kn, sh->type };

		rc = ld_jflat_scan(line, len, j, &w);
	} else
		rc = ld_jflat_scan(line, len, j, NULL);
	if (rc == 0)
		return LD_FLAT_NO;
	if (rc == 2) {
		fl->cur = sh;
		return sh->what;
	}
	/* The slot by the top bits of a multiplicative hash, which every
	 * key length and type moves. */
	sh = &fl->sh[(j->hash * 0x9e3779b97f4a7c15ull) >> (64 - FLAT_SHAPES_BITS)];
	fl->last = sh;
	if (flat_is(fl, sh, hint, byname)) {
		fl->cur = sh;
		return sh->what;
	}
	/* A new shape, to be learnt from the parser's answer. */
	for (int i = 0; i < j->n; i++)
		at += j->kn[i];
	if (at > FLAT_KEYS)
		return LD_FLAT_NO;
	fshape_clear(sh);
	at = 0;
	for (int i = 0; i < j->n; i++) {
		memcpy(sh->keys + at, j->k[i], j->kn[i]);
		at += j->kn[i];
		sh->kn[i] = j->kn[i];
		sh->type[i] = j->type[i];
	}
	sh->n = j->n;
	sh->hash = j->hash;
	sh->hint = hint;
	sh->byname = byname;
	sh->what = LD_FLAT_NEW;
	fl->cur = sh;
	return LD_FLAT_NEW;
}

/* The last member of the line in fl->j whose key is path, or -1: what
 * ld_jidx_path() finds in a line without objects. */
static int
flat_member(const struct ld_jflat *j, const char *path)
{
	size_t n = strlen(path);

	for (int i = j->n - 1; i >= 0; i--)
		if (j->kn[i] == n && memcmp(j->k[i], path, n) == 0)
			return i;
	return -1;
}

void
ld_flat_learn(struct ld_flat *fl, enum ld_parse_result res,
    const struct ld_rec *r)
{
	struct fshape *sh = fl->cur;
	const struct ld_jflat *j = &fl->j;
	const struct ld_format *f = r->fmt;
	char name[256];
	const char *k;
	size_t kn;

	if (sh == NULL || sh->what != LD_FLAT_NEW)
		return;
	if (res == LD_PARSE_RXERROR || res == LD_PARSE_OUTSIDE ||
	    r->is_record || (f != NULL && f->type != FT_JSON)) {
		sh->what = LD_FLAT_NO;	/* every line of it parsed */
		return;
	}
	if (f == NULL) {
		sh->what = LD_FLAT_NONE;
		return;
	}
	sh->f = f;
	for (int i = 0; i < LD_F_N; i++) {
		sh->nalts[i] = f->fields[i].n;
		sh->alts[i] = ld_xcalloc(f->fields[i].n + 1, sizeof(struct falt));
		for (size_t a = 0; a < f->fields[i].n; a++) {
			const struct spec *sp = &f->fields[i].alts[a];
			struct falt *fa = &sh->alts[i][a];

			fa->sp = sp;
			fa->what = FA_TEXT;
			fa->nparts = sp->nparts;
			fa->parts = ld_xcalloc(sp->nparts + 1, sizeof(*fa->parts));
			for (size_t q = 0; q < sp->nparts; q++) {
				const struct part *pt = &sp->parts[q];
				int m;

				if (pt->lit) {
					fa->parts[q].lit = pt->lit;
					continue;
				}
				/* A key/value array's element: no array here. */
				if (pt->keyed && keyed_path(pt->path, name,
				    sizeof(name), &k, &kn))
					m = -1;
				else
					m = flat_member(j, pt->path);
				if (m >= 0 && j->type[m] == 'n')
					m = -1;	/* null is no value */
				fa->parts[q].m = m;
				if (m < 0) {
					if (!pt->opt && fa->what == FA_TEXT)
						fa->what = FA_ABSENT;
				} else if (j->type[m] == 'r')
					fa->what = FA_REAL;
			}
		}
	}
	sh->tm = ld_xcalloc(f->ntfields + 1, sizeof(int));
	for (size_t i = 0; i < f->ntfields; i++)
		sh->tm[i] = flat_member(j, f->tfields[i]);
	sh->what = LD_FLAT_FMT;
}

const struct ld_format *
ld_flat_format(const struct ld_flat *fl)
{
	return fl->cur ? fl->cur->f : NULL;
}

int
ld_flat_time(struct ld_flat *fl, struct ld_time *t)
{
	const struct fshape *sh = fl->cur;
	const struct ld_jflat *j = &fl->j;
	int rc;

	for (size_t i = 0; i < sh->f->ntfields; i++) {
		int m = sh->tm[i];

		if (m < 0)
			continue;
		if ((rc = raw_time_to(fl->p, sh->f, j->v[m], j->vn[m], t)) < 0)
			continue;
		return rc;
	}
	return 0;
}

int
ld_flat_alt(struct ld_flat *fl, int field, size_t a, const char **s,
    size_t *n)
{
	const struct fshape *sh = fl->cur;
	const struct ld_jflat *j = &fl->j;
	const struct falt *fa;

	if (a >= sh->nalts[field])
		return -1;
	fa = &sh->alts[field][a];
	if (fa->what != FA_TEXT)
		return fa->what == FA_ABSENT ? 0 : -2;
	if (fa->nparts == 1 && fa->parts[0].lit == NULL && fa->parts[0].m >= 0) {
		int m = fa->parts[0].m;

		*s = j->v[m];
		*n = j->vn[m];
		if (j->type[m] == 's') {
			(*s)++;
			*n -= 2;
		}
		return 1;
	}
	ld_buf_reset(&fl->in);
	ld_buf_add(&fl->in, "", 0);
	for (size_t q = 0; q < fa->nparts; q++) {
		int m = fa->parts[q].m;

		if (fa->parts[q].lit)
			ld_buf_adds(&fl->in, fa->parts[q].lit);
		else if (m < 0)
			;	/* optional, without a value: "" */
		else if (j->type[m] == 's')
			ld_buf_add(&fl->in, j->v[m] + 1, j->vn[m] - 2);
		else
			ld_buf_add(&fl->in, j->v[m], j->vn[m]);
	}
	*s = fl->in.p;
	*n = fl->in.len;
	return 1;
}

int
ld_flat_value(struct ld_flat *fl, int field, size_t a, const char *s,
    size_t n, struct ld_buf *out)
{
	const struct spec *sp = fl->cur->alts[field][a].sp;

	ld_buf_reset(out);
	ld_buf_add(out, "", 0);
	ld_buf_add(out, s, n);
	for (int i = 0; i < sp->nx && out->len > 0; i++)
		ld_xform_apply(sp->x[i], out);
	return out->len > 0;
}
