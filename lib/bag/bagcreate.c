/*
 * bagcreate.c — ld_bag_writer: ld-records in, a finished bag out.
 *
 * The bag is built in a temporary directory beside the output and renamed
 * into place only when every file is written, so a reader never sees half a
 * bag and a failure leaves nothing behind.  Records are streamed: each line
 * is parsed as every logdive tool parses it (ld_parse_line()), written to
 * data/events.jsonl (an ld-record byte for byte), counted for the summary
 * and written to the timeline by the timeline library's Timesketch CSV
 * writer; only the counts stay in memory.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <zstd.h>

#include "bag/bagint.h"
#include "core/recset.h"
#include "format/format.h"
#include "input/src.h"
#include "scope/scope.h"
#include "timeline/tlout.h"

#ifndef LD_VERSION
#define LD_VERSION "0.0.0"
#endif

#define EVENTS   "data/events.jsonl"
#define TIMELINE "data/timeline.csv"

struct ld_bag_writer {
	const struct ld_bag_create_opts *opt;
	char *tmp;                /* the bag being built */
	int fd;                   /* its directory */
	FILE *events;
	FILE *tlfp;               /* NULL with opt->timeline */
	struct ld_tlout *tl;
	struct ld_formats *own;   /* the built-in formats, without opt->formats */
	struct ld_parser *parser;
	struct ld_rec rec;
	struct ld_buf buf;
	struct bag_summary *sum;
	json_t *request;
	char *request_text;       /* its bytes, as read once and as bagged */
	size_t request_len;
	json_t *report;           /* read at commit, after all input */
	char *report_text;        /* its bytes, as read and as bagged */
	size_t report_len;
	json_t *binding;          /* how the events are bound to the report */
	struct ld_digest *stream; /* SHA-256 of every input line, "\n"-ended */
	char records_hex[LD_DIGEST_HEXMAX]; /* its hex, at commit */
	uint64_t nrecords;
	json_t *sources;          /* src -> {"records": n} */
	json_t *inputs;           /* [{"name", "records", "bytes", "sha256"}] */
};

/* load_json - read a JSON file that must hold one object, each key once
 * (a reader that keeps the first of two keys would read another request).
 * Returns it (the caller's reference) or NULL with err set as "path:line:
 * what"; with text not NULL, *text and *len get the bytes read (the
 * caller frees them), so that what is bagged is what was parsed. */
static json_t *
load_json(const char *path, char **text, size_t *len, struct ld_err *err)
{
	json_error_t je;
	json_t *j;
	size_t n;
	char *buf;

	if ((buf = bag_read_file(AT_FDCWD, path, 1u << 26, &n, err)) == NULL)
		return NULL;
	j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		ld_err_set(err, "%s:%d: malformed json: %s", path, je.line,
		    je.text);
	else if (!json_is_object(j)) {
		ld_err_set(err, "%s:1: not a json object", path);
		json_decref(j);
		j = NULL;
	}
	if (j && text) {
		*text = buf;
		*len = n;
	} else
		free(buf);
	return j;
}

/* check_request - the request (the n bytes at text, read from path once
 * and bagged as read) checked as ldgrep and ldredact check it
 * (ld-scope(5)): a key given twice, an unknown key, a window out of its
 * profile's bounds is refused, as it is there, with err set.  A bag never
 * holds a request its search refused. */
static int
check_request(const char *path, const char *text, size_t n,
    struct ld_err *err)
{
	struct ld_scope sc = { 0 };
	struct ld_err e2;
	int rc = 0;

	if (ld_scope_loadb(&sc, path, text, n, err) < 0)
		rc = -1;
	else if (ld_scope_finish(&sc, &e2) < 0)
		rc = ld_err_set(err, "%s: request refused: %s", path, e2.msg);
	ld_scope_free(&sc);
	return rc;
}

struct ld_bag_writer *
ld_bag_writer_new(const struct ld_bag_create_opts *opt, struct ld_err *err)
{
	struct ld_bag_writer *w;
	struct stat st;
	const char *id;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		ld_err_set(err, "out of memory");
		return NULL;
	}
	w->fd = -1;
	w->opt = opt;
	if (!opt->force && lstat(opt->out, &st) == 0) {
		ld_err_set(err, "%s: already exists (use --force to replace it)",
		    opt->out);
		goto fail;
	}
	if ((w->request = load_json(opt->scope, &w->request_text,
	    &w->request_len, err)) == NULL ||
	    check_request(opt->scope, w->request_text, w->request_len,
	    err) < 0)
		goto fail;
	id = json_string_value(json_object_get(w->request, "case"));
	if (id == NULL || *id == '\0' || strpbrk(id, "\r\n") != NULL) {
		ld_err_set(err, "%s: no \"case\" identifier", opt->scope);
		goto fail;
	}
	/* The report is read only when the input is complete: in a pipeline
	 * ldredact writes it while the records are still on their way. */
	if (opt->timeline && access(opt->timeline, R_OK) == -1) {
		ld_err_set(err, "%s: %s", opt->timeline, strerror(errno));
		goto fail;
	}
	w->sources = json_object();
	w->inputs = json_array();
	w->sum = bag_summary_new();
	w->stream = ld_digest_new("sha256");
	if (w->sources == NULL || w->inputs == NULL || w->sum == NULL ||
	    w->stream == NULL) {
		ld_err_set(err, "out of memory");
		goto fail;
	}
	if (ld_atomic_tempdir(opt->out, &w->tmp, err) == -1)
		goto fail;
	w->fd = open(w->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->fd == -1 || mkdirat(w->fd, "data", 0755) == -1) {
		ld_err_set(err, "%s: %s", w->tmp, strerror(errno));
		goto fail;
	}
	if (opt->formats == NULL &&
	    (w->own = ld_formats_load(NULL, NULL, err)) == NULL)
		goto fail;
	w->parser = ld_parser_new(opt->formats ? opt->formats : w->own, 0);
	/* The timeline's message asks ld_rec_tree() when it needs a tree. */
	ld_parser_set_no_tree(w->parser, 1, LD_F_ALL);
	if ((w->events = bag_fopen_new(w->fd, EVENTS, err)) == NULL)
		goto fail;
	if (opt->timeline == NULL) {
		struct ld_tz utc;

		if ((w->tlfp = bag_fopen_new(w->fd, TIMELINE, err)) == NULL ||
		    ld_tz_parse(&utc, "UTC", err) == -1)
			goto fail;
		w->tl = ld_tlout_new(LD_TLF_TS_CSV, &utc, 0);
		ld_tlout_header(w->tl, &w->buf);
		fwrite(w->buf.p, 1, w->buf.len, w->tlfp);
	}
	return w;
fail:
	ld_bag_writer_free(w);
	return NULL;
}

void
ld_bag_writer_free(struct ld_bag_writer *w)
{
	if (w == NULL)
		return;
	if (w->events)
		fclose(w->events);
	if (w->tlfp)
		fclose(w->tlfp);
	ld_tlout_free(w->tl);
	ld_parser_free(w->parser);
	ld_formats_free(w->own);
	ld_rec_free(&w->rec);
	ld_buf_free(&w->buf);
	if (w->fd != -1)
		close(w->fd);
	if (w->tmp)
		ld_rmtree(w->tmp);
	free(w->tmp);
	bag_summary_free(w->sum);
	json_decref(w->request);
	free(w->request_text);
	json_decref(w->report);
	free(w->report_text);
	json_decref(w->binding);
	ld_digest_free(w->stream);
	json_decref(w->sources);
	json_decref(w->inputs);
	free(w);
}

static int
count_source(struct ld_bag_writer *w, const char *src)
{
	json_t *s = json_object_get(w->sources, src);

	if (s == NULL) {
		s = json_pack("{s:I}", "records", (json_int_t)1);
		return s ? json_object_set_new(w->sources, src, s) : -1;
	}
	return json_object_set_new(s, "records", json_integer(
	    json_integer_value(json_object_get(s, "records")) + 1));
}

/* add_line - one line (without its newline) of input name.  Returns 0 or
 * -1 with err set. */
static int
add_line(struct ld_bag_writer *w, const char *name, uint64_t lineno,
    const char *line, size_t len, struct ld_err *err)
{
	const struct ld_formats *fs = w->opt->formats ? w->opt->formats : w->own;
	struct ld_rec *r = &w->rec;

	ld_digest_update(w->stream, line, len);
	ld_digest_update(w->stream, "\n", 1);
	w->nrecords++;
	ld_parse_line(w->parser, ld_formats_for_source(fs, name), name, lineno,
	    line, len, r);
	ld_rec_complete(w->parser, r);
	ld_buf_reset(&w->buf);
	if (r->is_record) {
		/* evidence stays byte for byte what the step before wrote */
		ld_buf_add(&w->buf, line, len);
		ld_buf_addc(&w->buf, '\n');
	} else
		ld_rec_write(r, &w->buf);
	if (fwrite(w->buf.p, 1, w->buf.len, w->events) != w->buf.len)
		return ld_err_set(err, "%s: %s", EVENTS, strerror(errno));
	if (count_source(w, r->src ? r->src : name) == -1)
		return ld_err_set(err, "out of memory");
	bag_summary_add(w->sum, r, line, len);
	if (w->tl) {
		ld_buf_reset(&w->buf);
		/* a record without a time has no place on a timeline: the
		 * summary counts it */
		if (ld_tlout_rec(w->tl, r, &w->buf) == 1 &&
		    fwrite(w->buf.p, 1, w->buf.len, w->tlfp) != w->buf.len)
			return ld_err_set(err, "%s: %s", TIMELINE,
			    strerror(errno));
	}
	return 0;
}

int
ld_bag_writer_add(struct ld_bag_writer *w, FILE *fp, const char *name,
    struct ld_err *err)
{
	char hex[1][LD_DIGEST_HEXMAX];
	struct ld_digest *d;
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;
	uint64_t lineno = 0, records = 0, bytes = 0;
	int rc = -1;

	d = ld_digest_new("sha256");
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		bytes += (uint64_t)n;
		ld_digest_update(d, line, (size_t)n);
		len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (add_line(w, name, lineno, line, len, err) == -1)
			goto out;
		records++;
	}
	if (ferror(fp)) {
		ld_err_set(err, "%s: %s", name, strerror(errno));
		goto out;
	}
	ld_digest_hex(d, hex[0]);
	if (json_array_append_new(w->inputs, json_pack("{s:s,s:I,s:I,s:s}",
	    "name", name, "records", (json_int_t)records,
	    "bytes", (json_int_t)bytes, "sha256", hex[0])) == -1) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(line);
	ld_digest_free(d);
	return rc;
}

int
ld_bag_writer_add_path(struct ld_bag_writer *w, const char *path,
    struct ld_err *err)
{
	char hex[1][LD_DIGEST_HEXMAX];
	struct ld_digest *d;
	struct ld_src *src;
	struct ld_line l;
	uint64_t records = 0, bytes = 0;
	int r, rc = -1;

	d = ld_digest_new("sha256");
	src = ld_src_open(path);
	while ((r = ld_src_next(src, &l, err)) != 0) {
		/* damaged input is not bagged in part: nothing may be lost
		 * without the bag saying so, and it cannot say so */
		if (r == -1)
			goto out;
		bytes += l.n + 1;
		ld_digest_update(d, l.p, l.n);
		ld_digest_update(d, "\n", 1);
		if (l.n == 0)
			continue;
		if (add_line(w, l.unit, l.lineno, l.p, l.n, err) == -1)
			goto out;
		records++;
	}
	ld_digest_hex(d, hex[0]);
	if (json_array_append_new(w->inputs, json_pack("{s:s,s:I,s:I,s:s,s:I}",
	    "name", path, "records", (json_int_t)records,
	    "bytes", (json_int_t)bytes, "sha256", hex[0],
	    "read", (json_int_t)ld_src_bytes_in(src))) == -1) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	ld_src_close(src);
	ld_digest_free(d);
	return rc;
}

/* resolve - where a source path is on disk: as is when absolute, else
 * under the source root.  Returns a new string or NULL. */
static char *
resolve(const char *root, const char *path)
{
	if (*path == '/')
		return strdup(path);
	return bag_printf("%s/%s", root ? root : ".", path);
}

/* file_facts - size and SHA-256 of a file on disk, or "on_disk": false. */
static json_t *
file_facts(const char *full)
{
	char hex[1][LD_DIGEST_HEXMAX];
	struct stat st;
	uint64_t size;

	if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
	    ld_digest_file(AT_FDCWD, full, 1, bag_algs, hex, &size) == 0)
		return json_pack("{s:b,s:I,s:s}", "on_disk", 1,
		    "size", (json_int_t)size, "sha256", hex[0]);
	return json_pack("{s:b}", "on_disk", 0);
}

/*
 * unpacked_facts - size and SHA-256 of what a source holds once decoded:
 * for each member of the archive at full that want names (member -> list
 * of provenance entries), or, when want is NULL, of a compressed single
 * file (nothing when it is not compressed).  Sets "member_size" and
 * "member_sha256" on the entries (want) or on one (NULL).  Damage leaves
 * the facts out; the sources were read by the step before, which said so.
 */
static void
unpacked_facts(const char *full, json_t *want, json_t *one)
{
	struct archive *a;
	struct archive_entry *ae;
	struct ld_digest *d = NULL;
	char hex[LD_DIGEST_HEXMAX], buf[65536];
	la_ssize_t n;
	uint64_t size;
	json_t *list, *e;
	size_t i;

	if ((a = archive_read_new()) == NULL)
		return;
	archive_read_support_filter_all(a);
	if (want) {
		archive_read_support_format_tar(a);
		archive_read_support_format_zip(a);
	} else
		archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, full, 65536) != ARCHIVE_OK)
		goto out;
	if (want == NULL && archive_filter_count(a) <= 1)
		goto out;	/* plain: the file's own facts say it all */
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ae);

		list = want ? json_object_get(want, name ? name : "") : NULL;
		if (want && list == NULL)
			continue;
		if ((d = ld_digest_new("sha256")) == NULL)
			goto out;
		size = 0;
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
			ld_digest_update(d, buf, (size_t)n);
			size += (uint64_t)n;
		}
		if (n < 0)
			goto out;
		ld_digest_hex(d, hex);
		ld_digest_free(d);
		d = NULL;
		if (want == NULL) {
			json_object_set_new(one, "member_size", json_integer(
			    (json_int_t)size));
			json_object_set_new(one, "member_sha256", json_string(hex));
			break;
		}
		json_array_foreach(list, i, e) {
			json_object_set_new(e, "member_size", json_integer(
			    (json_int_t)size));
			json_object_set_new(e, "member_sha256", json_string(hex));
		}
	}
out:
	ld_digest_free(d);
	archive_read_free(a);
}

/*
 * source_files - for every source named in the records, where it is: a file
 * ("path") or a member of an archive ("path!member", split at the first '!'
 * unless the whole name is a file), and for files that exist, their size
 * and SHA-256.  An archive that holds many sources is hashed once.
 */
static json_t *
source_files(struct ld_bag_writer *w)
{
	const char *root = w->opt->source_root;
	const char *src;
	json_t *out, *hashed, *v, *e, *h, *members, *m, *list;
	char *path = NULL, *full = NULL, *bang;
	struct stat st;

	out = json_array();
	hashed = json_object();
	members = json_object();	/* archive path -> member -> [entries] */
	if (out == NULL || hashed == NULL || members == NULL)
		goto fail;
	json_object_foreach(w->sources, src, v) {
		if ((path = strdup(src)) == NULL ||
		    (full = resolve(root, path)) == NULL)
			goto fail;
		e = json_pack("{s:s}", "src", src);
		if (e == NULL || json_array_append_new(out, e) == -1)
			goto fail;
		if (stat(full, &st) == -1 && (bang = strchr(path, '!'))) {
			*bang = '\0';
			free(full);
			if ((full = resolve(root, path)) == NULL)
				goto fail;
			json_object_set_new(e, "path", json_string(path));
			json_object_set_new(e, "member", json_string(bang + 1));
			if ((m = json_object_get(members, path)) == NULL) {
				m = json_object();
				json_object_set_new(members, path, m);
			}
			if ((list = json_object_get(m, bang + 1)) == NULL) {
				list = json_array();
				json_object_set_new(m, bang + 1, list);
			}
			json_array_append(list, e);
		} else {
			json_object_set_new(e, "path", json_string(path));
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
				unpacked_facts(full, NULL, e);
		}
		json_object_set(e, "records", json_object_get(v, "records"));
		if ((h = json_object_get(hashed, path)) == NULL) {
			if ((h = file_facts(full)) == NULL ||
			    json_object_set_new(hashed, path, h) == -1)
				goto fail;
		}
		json_object_update(e, h);
		free(path);
		free(full);
		path = full = NULL;
	}
	/* each archive read once more, for its members' own facts */
	json_object_foreach(members, src, m) {
		if ((full = resolve(root, src)) == NULL)
			goto fail;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			unpacked_facts(full, m, NULL);
		free(full);
		full = NULL;
	}
	json_decref(members);
	json_decref(hashed);
	return out;
fail:
	free(path);
	free(full);
	json_decref(members);
	json_decref(hashed);
	json_decref(out);
	return NULL;
}

/* has_output - does the run history line j name an output of SHA-256 hex? */
static int
has_output(json_t *j, const char *hex)
{
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(j, "outputs"), i, o)
		if (json_is_string(json_object_get(o, "sha256")) &&
		    strcmp(json_string_value(json_object_get(o, "sha256")),
		    hex) == 0)
			return 1;
	return 0;
}

/*
 * steps - the steps of this dive from the run history opt->runlog: the
 * step whose output is the records bagged, the step whose output was its
 * input, and so on back, in the order they ran.  The history may hold
 * other dives; only the chain of digests says which lines are ours, so
 * the same dive gives the same steps however often it ran.  Returns a new
 * array (empty without a history) or NULL out of memory.
 */
static json_t *
steps(struct ld_bag_writer *w)
{
	json_t *lines, *chain, *j, *in;
	char hex[LD_DIGEST_HEXMAX], *buf, *line, *next;
	const char *want;
	size_t len, i, k, n;
	struct ld_err err;

	if ((chain = json_array()) == NULL)
		return NULL;
	if (w->opt->runlog == NULL)
		return chain;
	if ((buf = bag_read_file(AT_FDCWD, w->opt->runlog, 64u << 20, &len,
	    &err)) == NULL) {
		/* said in the bag, not skipped: the steps are not known */
		json_array_append_new(chain, json_pack("{s:s}", "problem",
		    err.msg));
		return chain;
	}
	lines = json_array();
	for (line = buf; lines && line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((j = json_loads(line, 0, NULL)) != NULL && json_is_object(j))
			json_array_append_new(lines, j);
		else
			json_decref(j);
	}
	free(buf);
	snprintf(hex, sizeof(hex), "%s", w->records_hex);
	want = hex;
	/* at most as many steps as lines: a history cannot make us loop */
	for (n = json_array_size(lines), k = 0; want && k < n; k++) {
		for (i = n; i > 0 && !has_output(json_array_get(lines, i - 1),
		    want); i--)
			;
		if (i == 0)
			break;
		j = json_array_get(lines, i - 1);
		json_array_insert(chain, 0, j);
		want = NULL;
		json_array_foreach(json_object_get(j, "inputs"), i, in)
			if ((want = json_string_value(json_object_get(in,
			    "sha256"))) != NULL)
				break;
	}
	json_decref(lines);
	return chain;
}

static json_t *
provenance(struct ld_bag_writer *w)
{
	const struct ld_bag_create_opts *o = w->opt;
	json_t *p, *argv, *up, *v, *sources;
	char when[32];
	int i;

	bag_utc(o->now, "%Y-%m-%dT%H:%M:%SZ", when, sizeof(when));
	if ((argv = json_array()) == NULL)
		return NULL;
	/* the program's own name without the directory it was run from */
	for (i = 0; i < o->argc; i++)
		json_array_append_new(argv, json_string(i == 0 ?
		    bag_basename(o->argv[i]) : o->argv[i]));
	if ((sources = source_files(w)) == NULL) {
		json_decref(argv);
		return NULL;
	}
	p = json_pack("{s:s,s:s,s:s,s:o,s:{s:s,s:s,s:s,s:s},s:O,s:o,s:o*}",
	    "tool", "ldbundle", "version", LD_VERSION, "run_at", when,
	    "command", argv,
	    "libraries", "jansson", JANSSON_VERSION,
	    "libarchive", archive_version_string(),
	    "openssl", OpenSSL_version(OPENSSL_VERSION),
	    "zstd", ZSTD_versionString(),
	    "inputs", w->inputs, "sources", sources, "steps", steps(w));
	if (p == NULL)
		return NULL;
	/* What the redaction report says about the step before us. */
	if (w->report) {
		static const char *const keys[] = { "tool", "version",
		    "case", "command", "argv", "policy", "policy_sha256",
		    "key_id", "input", "input_sha256", "output",
		    "output_sha256", "records" };
		size_t k;

		up = json_object();
		for (k = 0; up && k < sizeof(keys) / sizeof(keys[0]); k++)
			if ((v = json_object_get(w->report, keys[k])) != NULL)
				json_object_set(up, keys[k], v);
		json_object_set(up, "binding", w->binding);
		json_object_set_new(p, "redaction", up);
	}
	return p;
}

static int
write_json(int fd, const char *path, json_t *j, struct ld_err *err)
{
	char *s;
	int rc;

	s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (s == NULL) {
		ld_err_set(err, "%s: out of memory", path);
		return -1;
	}
	rc = bag_write_file(fd, path, s, strlen(s), err);
	if (rc == 0) {
		/* json_dumps() leaves off the final newline */
		int f = openat(fd, path, O_WRONLY | O_APPEND | O_NOFOLLOW);

		if (f == -1 || write(f, "\n", 1) != 1) {
			ld_err_set(err, "%s: %s", path, strerror(errno));
			rc = -1;
		}
		if (f != -1)
			close(f);
	}
	free(s);
	return rc;
}

/*
 * bag_write_manifests - hash every file under data/ and write
 * manifest-sha256.txt and manifest-sha512.txt ("hex  path", two spaces, so
 * that "sha256sum -c" works inside the bag too).  *octets and *files get the
 * Payload-Oxum.  Returns 0 or -1 with err set.
 */
int
bag_write_manifests(int bagfd, uint64_t *octets, uint64_t *files,
    struct ld_err *err)
{
	struct bag_files f = { 0 };
	FILE *fp[BAG_NALG] = { 0 };
	char name[BAG_NALG][64];
	char hex[BAG_NALG][LD_DIGEST_HEXMAX];
	char *enc = NULL;
	uint64_t size;
	size_t i;
	int a, rc = -1;

	*octets = *files = 0;
	if (bag_walk(bagfd, "data", &f, NULL, err) == -1)
		goto out;
	for (a = 0; a < BAG_NALG; a++) {
		snprintf(name[a], sizeof(name[a]), "manifest-%s.txt", bag_algs[a]);
		if ((fp[a] = bag_fopen_new(bagfd, name[a], err)) == NULL)
			goto out;
	}
	for (i = 0; i < f.n; i++) {
		if (ld_digest_file(bagfd, f.v[i].path, BAG_NALG, bag_algs, hex,
		    &size) == -1) {
			ld_err_set(err, "%s: %s", f.v[i].path, strerror(errno));
			goto out;
		}
		if ((enc = ld_bag_path_encode(f.v[i].path)) == NULL) {
			ld_err_set(err, "out of memory");
			goto out;
		}
		for (a = 0; a < BAG_NALG; a++)
			fprintf(fp[a], "%s  %s\n", hex[a], enc);
		free(enc);
		enc = NULL;
		*octets += size;
		(*files)++;
	}
	rc = 0;
out:
	for (a = 0; a < BAG_NALG; a++)
		if (fp[a] && bag_fclose(fp[a], name[a], err) == -1)
			rc = -1;
	free(enc);
	bag_files_free(&f);
	return rc;
}

/*
 * bag_write_tagmanifests - write tagmanifest-sha256.txt and
 * tagmanifest-sha512.txt over every file at the top of the bag except the
 * tag manifests themselves (approvals/ is left out on purpose: see bag.h).
 * Returns 0 or -1 with err set.
 */
int
bag_write_tagmanifests(int bagfd, struct ld_err *err)
{
	static const char *const tags[] = { "bag-info.txt", "bagit.txt",
	    "manifest-sha256.txt", "manifest-sha512.txt" };
	FILE *fp[BAG_NALG] = { 0 };
	char name[BAG_NALG][64];
	char hex[BAG_NALG][LD_DIGEST_HEXMAX];
	size_t i;
	int a, rc = -1;

	for (a = 0; a < BAG_NALG; a++) {
		snprintf(name[a], sizeof(name[a]), "tagmanifest-%s.txt",
		    bag_algs[a]);
		if ((fp[a] = bag_fopen_new(bagfd, name[a], err)) == NULL)
			goto out;
	}
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (ld_digest_file(bagfd, tags[i], BAG_NALG, bag_algs, hex,
		    NULL) == -1) {
			ld_err_set(err, "%s: %s", tags[i], strerror(errno));
			goto out;
		}
		for (a = 0; a < BAG_NALG; a++)
			fprintf(fp[a], "%s  %s\n", hex[a], tags[i]);
	}
	rc = 0;
out:
	for (a = 0; a < BAG_NALG; a++)
		if (fp[a] && bag_fclose(fp[a], name[a], err) == -1)
			rc = -1;
	return rc;
}

/* The first problem check_timeline() was told of. */
struct tlfirst {
	const char *file;
	struct ld_err *err;
	int found;
};

static void
tl_problem(void *arg, const char *name, uint64_t lno, const char *msg)
{
	struct tlfirst *t = arg;

	(void)name;
	if (t->found++)
		return;
	if (lno > 0)
		ld_err_set(t->err, "%s: line %llu: %s", t->file,
		    (unsigned long long)lno, msg);
	else
		ld_err_set(t->err, "%s: %s", t->file, msg);
}

/*
 * check_timeline - a prepared timeline, as copied into the bag, must be of
 * the request as the records are (bag_scope_file()): a row of another
 * tenant or outside the window, or a CSV whose rows cannot be read as
 * records, is refused.  The copy is what is read, so the file cannot
 * change between the check and the bag.
 */
static int
check_timeline(struct ld_bag_writer *w, struct ld_err *err)
{
	struct tlfirst t = { w->opt->timeline, err, 0 };
	struct bag_scope *sc;
	struct ld_err e;
	long n;
	int fd;

	if ((sc = bag_scope_new(w->request, &e)) == NULL)
		return ld_err_set(err, "%s: cannot be checked against %s: %s",
		    w->opt->timeline, w->opt->scope, e.msg);
	if ((fd = openat(w->fd, TIMELINE, O_RDONLY | O_CLOEXEC)) == -1) {
		bag_scope_free(sc);
		return ld_err_set(err, "%s: %s", TIMELINE, strerror(errno));
	}
	n = bag_scope_file(sc, fd, TIMELINE, 1, tl_problem, &t, &e);
	close(fd);
	bag_scope_free(sc);
	if (n == -1)
		return ld_err_set(err, "%s: %s", TIMELINE, e.msg);
	return n > 0 ? -1 : 0;
}

/* info_list - a request field for bag-info.txt: "a, b", or "(any)". */
static char *
info_list(json_t *req, const char *key)
{
	json_t *v = json_object_get(req, key), *e;
	size_t i, n = 0;
	char *s, *p;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (!json_is_array(v) || json_array_size(v) == 0)
		return strdup("(any)");
	json_array_foreach(v, i, e)
		n += (json_is_string(e) ? strlen(json_string_value(e)) : 1) + 2;
	if ((s = p = malloc(n + 1)) == NULL)
		return NULL;
	*p = '\0';
	json_array_foreach(v, i, e) {
		p += sprintf(p, "%s%s", i ? ", " : "",
		    json_is_string(e) ? json_string_value(e) : "?");
	}
	return s;
}

static void
human_size(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = 0;

	if (n < 1024) {
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, unit[u]);
}

/* bag-info.txt: one "Label: value" a line; control characters, which could
 * start a new label, become spaces. */
static void
info(FILE *fp, const char *label, const char *value)
{
	const char *p;

	fprintf(fp, "%s: ", label);
	for (p = value ? value : ""; *p; p++)
		putc((unsigned char)*p < 0x20 ? ' ' : *p, fp);
	putc('\n', fp);
}

/*
 * bag_info_write - bag-info.txt as ldbundle create writes it, to fp: the
 * request's case and scope, org as Source-Organization, date (YYYY-MM-DD)
 * as Bagging-Date, count records, the payload's octets in files.  Verify
 * writes it again from the bag and compares, so that what bag-info.txt
 * says of the request is the request's.  Returns 0, or -1 out of memory.
 */
int
bag_info_write(FILE *fp, json_t *request, const char *org, const char *date,
    uint64_t count, uint64_t octets, uint64_t files)
{
	static const struct { const char *label, *key; } scope[] = {
		{ "Scope-Tenant", "tenant" }, { "Scope-Profile", "profile" },
		{ "Scope-Namespaces", "namespaces" },
		{ "Scope-Projects", "projects" }, { "Scope-Users", "users" },
		{ "Scope-Events", "events" }, { "Scope-IPs", "ips" },
		{ "Scope-Since", "since" }, { "Scope-Until", "until" },
		{ "Scope-Requested-At", "requested_at" },
	};
	const char *id = json_string_value(json_object_get(request, "case"));
	const char *tenant = json_string_value(json_object_get(request,
	    "tenant"));
	char buf[128], *s;
	size_t i;

	info(fp, "Source-Organization", org);
	info(fp, "External-Identifier", id);
	fprintf(fp, "External-Description: Log-dive evidence for case %s",
	    id ? id : "(null)");
	if (tenant)
		fprintf(fp, ", tenant %s", tenant);
	fprintf(fp, ": %llu records\n", (unsigned long long)count);
	info(fp, "Bagging-Date", date);
	info(fp, "Bag-Software-Agent", "ldbundle " LD_VERSION " (logdive)");
	fprintf(fp, "Payload-Oxum: %llu.%llu\n", (unsigned long long)octets,
	    (unsigned long long)files);
	human_size(octets, buf, sizeof(buf));
	info(fp, "Bag-Size", buf);
	for (i = 0; i < sizeof(scope) / sizeof(scope[0]); i++) {
		if (json_object_get(request, scope[i].key) == NULL)
			continue;
		if ((s = info_list(request, scope[i].key)) == NULL)
			return -1;
		info(fp, scope[i].label, s);
		free(s);
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)count);
	info(fp, "Record-Count", buf);
	return 0;
}

static int
write_bag_info(struct ld_bag_writer *w, uint64_t octets, uint64_t files,
    struct ld_err *err)
{
	const char *org = w->opt->organization;
	char date[32];
	FILE *fp;

	if (org == NULL)
		org = json_string_value(json_object_get(w->request,
		    "organization"));
	if ((fp = bag_fopen_new(w->fd, "bag-info.txt", err)) == NULL)
		return -1;
	bag_utc(w->opt->now, "%Y-%m-%d", date, sizeof(date));
	if (bag_info_write(fp, w->request, org ? org : "unspecified", date,
	    bag_summary_count(w->sum), octets, files) == -1) {
		fclose(fp);
		return ld_err_set(err, "out of memory");
	}
	return bag_fclose(fp, "bag-info.txt", err);
}

/*
 * check_set - is every record of data/events.jsonl in the report's record
 * set?  The file is read back, so that memory does not grow with the
 * records.  Returns 0, or -1 with err set naming the first stranger.
 */
static int
check_set(int bagfd, const char *report, json_t *set, struct ld_err *err)
{
	struct ld_recset *rs;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0, miss = 0, first = 0;
	FILE *fp = NULL;
	int fd, rc = -1;

	rs = ld_recset_import(json_string_value(json_object_get(set, "type")),
	    (uint64_t)json_integer_value(json_object_get(set, "records")),
	    (uint64_t)json_integer_value(json_object_get(set, "bits")),
	    json_string_value(json_object_get(set, "data")), err);
	if (rs == NULL) {
		char m[sizeof(err->msg)];

		snprintf(m, sizeof(m), "%s", err->msg);
		return ld_err_set(err, "%s: %s", report, m);
	}
	if ((fd = openat(bagfd, EVENTS, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    (fp = fdopen(fd, "r")) == NULL) {
		ld_err_set(err, "%s: %s", EVENTS, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			n--;
		if (!ld_recset_has(rs, line, (size_t)n) && miss++ == 0)
			first = lineno;
	}
	if (ferror(fp)) {
		ld_err_set(err, "%s: %s", EVENTS, strerror(errno));
		goto out;
	}
	if (miss > 0) {
		ld_err_set(err, "%s: %llu of %llu records were not written by "
		    "the redaction this report describes (the first is record "
		    "%llu of the input): a report of another run, records not "
		    "redacted, or records changed after redaction",
		    report, (unsigned long long)miss,
		    (unsigned long long)lineno, (unsigned long long)first);
		goto out;
	}
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(line);
	ld_recset_free(rs);
	return rc;
}

/* tenants_of - the tenants of a report's "tenant" array as "a, b", cut to
 * len bytes, in buf, for a message.  Returns buf, or "(none)". */
static const char *
tenants_of(json_t *a, char *buf, size_t len)
{
	size_t i, n = 0;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		if (n >= len)
			break;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
		    json_is_string(v) ? json_string_value(v) : "?");
	}
	return buf[0] ? buf : "(none)";
}

const char *
bag_report_binding(int bagfd, const char *name, json_t *report,
    json_t *request, const char *hex, uint64_t nrecords, struct ld_err *err)
{
	const char *rcase, *qcase, *qten, *osha;
	json_t *out, *set, *rten;
	char tbuf[256];
	json_int_t orecs;

	rcase = json_string_value(json_object_get(report, "case"));
	qcase = json_string_value(json_object_get(request, "case"));
	if (rcase && qcase && strcmp(rcase, qcase) != 0) {
		ld_err_set(err, "%s: report of case %s, but the request is case "
		    "%s", name, rcase, qcase);
		return NULL;
	}
	/* a report says which case and tenant the redaction kept: one
	 * without a case (ldredact run without --scope), or that kept
	 * another tenant too, is not the redaction of this request */
	if (rcase == NULL) {
		ld_err_set(err, "%s: the report names no case: the redaction "
		    "was not run with --scope on the request of case %s", name,
		    qcase ? qcase : "(none)");
		return NULL;
	}
	qten = json_string_value(json_object_get(request, "tenant"));
	rten = json_object_get(report, "tenant");
	if (qten == NULL || !json_is_array(rten) || json_array_size(rten) != 1 ||
	    !json_is_string(json_array_get(rten, 0)) || strcmp(qten,
	    json_string_value(json_array_get(rten, 0))) != 0) {
		ld_err_set(err, "%s: the redaction kept the tenant%s %s, but the "
		    "request's tenant is %s: namespaces of another tenant may "
		    "have been kept", name, json_array_size(rten) == 1 ? "" :
		    "s", tenants_of(rten, tbuf, sizeof(tbuf)), qten ? qten : "(none)");
		return NULL;
	}
	out = json_object_get(report, "output");
	osha = json_string_value(json_object_get(out, "sha256"));
	orecs = json_integer_value(json_object_get(out, "records"));
	set = json_object_get(out, "set");
	if (osha && strcmp(osha, hex) == 0)
		return "exact: the records are the bytes ldredact wrote";
	if (!json_is_object(set)) {
		ld_err_set(err, "%s: the records' SHA-256 %.16s... is not the "
		    "output the report gives (%.16s...), and the report has no "
		    "record set to check them one by one", name, hex,
		    osha ? osha : "none");
		return NULL;
	}
	if (check_set(bagfd, name, set, err) == -1)
		return NULL;
	if ((json_int_t)nrecords > orecs) {
		ld_err_set(err, "%s: %llu records, but the redaction wrote %lld",
		    name, (unsigned long long)nrecords, (long long)orecs);
		return NULL;
	}
	return "record set: every record was written by this redaction, in "
	    "another order or with duplicates removed by a later step";
}

/*
 * bind_report - read the redaction report now that the input is complete,
 * and refuse it unless it is bound to the records (see bag.h).  Sets
 * w->report, w->report_text and w->binding.  Returns 0 or -1 with err set.
 */
static int
bind_report(struct ld_bag_writer *w, struct ld_err *err)
{
	const char *path = w->opt->report, *osha, *how;
	struct ld_buf msg = { 0 };
	char hex[LD_DIGEST_HEXMAX];
	json_error_t je;
	json_t *out;
	json_int_t orecs;

	snprintf(hex, sizeof(hex), "%s", w->records_hex);
	if ((w->report_text = bag_read_file(AT_FDCWD, path, 64u << 20,
	    &w->report_len, err)) == NULL)
		return -1;
	w->report = json_loadb(w->report_text, w->report_len,
	    JSON_REJECT_DUPLICATES, &je);
	if (w->report == NULL)
		return ld_err_set(err, "%s:%d: malformed json: %s", path, je.line,
		    je.text);
	if (!json_is_object(w->report) || json_object_get(w->report,
	    "tool") == NULL || !json_is_string(json_object_get(w->report,
	    "tool")) || strcmp(json_string_value(json_object_get(w->report,
	    "tool")), "ldredact") != 0)
		return ld_err_set(err, "%s: not a redaction report of ldredact",
		    path);
	if (!json_is_true(json_object_get(w->report, "complete")))
		return ld_err_set(err, "%s: the redaction did not complete (the "
		    "report says \"complete\": false); not bagging its records",
		    path);
	if ((how = bag_report_binding(w->fd, path, w->report, w->request, hex,
	    w->nrecords, err)) == NULL)
		return -1;
	/* verify looks for the secrets the report says were removed: a bag
	 * it would refuse is not made */
	switch (bag_secrets_check(w->fd, w->report, &msg, err)) {
	case 1:
		ld_err_set(err, "%s: %s", path, msg.p);
		ld_buf_free(&msg);
		return -1;
	case -1:
		return -1;
	}
	out = json_object_get(w->report, "output");
	osha = json_string_value(json_object_get(out, "sha256"));
	orecs = json_integer_value(json_object_get(out, "records"));
	w->binding = json_pack("{s:s,s:s,s:s?,s:I,s:I}", "method", how,
	    "records_sha256", hex, "report_output_sha256", osha,
	    "records", (json_int_t)w->nrecords,
	    "report_output_records", orecs);
	return w->binding ? 0 : ld_err_set(err, "out of memory");
}

int
ld_bag_writer_commit(struct ld_bag_writer *w, struct ld_err *err)
{
	static const char bagit[] =
	    "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	json_t *prov = NULL;
	uint64_t octets, files;
	FILE *ev = w->events;
	int rc = -1;

	w->events = NULL;
	ld_digest_hex(w->stream, w->records_hex);
	if (bag_fclose(ev, EVENTS, err) == -1)
		goto out;
	if (w->tlfp) {
		FILE *tl = w->tlfp;

		w->tlfp = NULL;
		if (bag_fclose(tl, TIMELINE, err) == -1)
			goto out;
	} else if (bag_copy_file(w->opt->timeline, w->fd, TIMELINE, err) == -1 ||
	    check_timeline(w, err) == -1)
		goto out;
	if (bag_write_file(w->fd, "data/request.json", w->request_text,
	    w->request_len, err) == -1)
		goto out;
	if (w->opt->report && (bind_report(w, err) == -1 ||
	    bag_write_file(w->fd, "data/redaction-report.json", w->report_text,
	    w->report_len, err) == -1))
		goto out;
	if ((prov = provenance(w)) == NULL) {
		ld_err_set(err, "provenance: out of memory");
		goto out;
	}
	if (write_json(w->fd, "data/provenance.json", prov, err) == -1)
		goto out;
	if (bag_summary_write(w->sum, w->fd, w->request, w->report, prov,
	    err) == -1)
		goto out;
	if (bag_write_manifests(w->fd, &octets, &files, err) == -1 ||
	    bag_write_file(w->fd, "bagit.txt", bagit, sizeof(bagit) - 1,
	    err) == -1 ||
	    write_bag_info(w, octets, files, err) == -1 ||
	    bag_write_tagmanifests(w->fd, err) == -1)
		goto out;
	if (ld_atomic_place(w->tmp, w->opt->out, w->opt->force, err) == -1)
		goto out;
	free(w->tmp);
	w->tmp = NULL;
	rc = 0;
out:
	json_decref(prov);
	return rc;
}

/*
 * summary_of - the counts of the records of the bag at dir, read as
 * create counted them; NULL with err set.
 */
static struct bag_summary *
summary_of(const char *dir, struct ld_err *err)
{
	struct bag_summary *sum = NULL;
	struct ld_formats *fs = NULL;
	struct ld_parser *parser = NULL;
	struct ld_src *src = NULL;
	struct ld_rec rec = { 0 };
	struct ld_line l;
	char *path;
	int r, ok = 0;

	if ((path = bag_printf("%s/%s", dir, EVENTS)) == NULL ||
	    (sum = bag_summary_new()) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	if ((fs = ld_formats_load(NULL, NULL, err)) == NULL)
		goto out;
	parser = ld_parser_new(fs, 0);
	src = ld_src_open(path);
	while ((r = ld_src_next(src, &l, err)) != 0) {
		if (r == -1)
			goto out;
		if (l.n == 0)
			continue;
		ld_parse_line(parser, NULL, l.unit, l.lineno, l.p, l.n, &rec);
		ld_rec_complete(parser, &rec);
		bag_summary_add(sum, &rec, l.p, l.n);
	}
	ok = 1;
out:
	ld_src_close(src);
	ld_rec_free(&rec);
	ld_parser_free(parser);
	ld_formats_free(fs);
	free(path);
	if (!ok) {
		bag_summary_free(sum);
		sum = NULL;
	}
	return sum;
}

int
ld_bag_gap(const char *dir, FILE *out, struct ld_err *err)
{
	struct bag_summary *sum = NULL;
	json_t *request = NULL;
	char *path = NULL;
	int rc = -1;

	if ((path = bag_printf("%s/data/request.json", dir)) == NULL ||
	    (request = load_json(path, NULL, NULL, err)) == NULL)
		goto out;
	if ((sum = summary_of(dir, err)) == NULL)
		goto out;
	if ((rc = bag_summary_gap(sum, request, out)) == -1)
		ld_err_set(err, "out of memory");
out:
	bag_summary_free(sum);
	json_decref(request);
	free(path);
	return rc;
}

/* bag_json - the JSON object in the bag file path, or NULL with err set. */
static json_t *
bag_json(int bagfd, const char *path, struct ld_err *err)
{
	json_error_t je;
	json_t *j;
	size_t len;
	char *buf;

	if ((buf = bag_read_file(bagfd, path, 1u << 26, &len, err)) == NULL)
		return NULL;
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (j == NULL || !json_is_object(j)) {
		ld_err_set(err, "%s: not one json object with each key once",
		    path);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* label_value - the value of the first "label: " line of the bag-info
 * text t, as a new string, or NULL. */
static char *
label_value(const char *t, const char *label)
{
	size_t n = strlen(label);
	const char *p, *e;

	for (p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, label, n) == 0 && p[n] == ':' && p[n + 1] == ' ') {
			p += n + 2;
			e = p + strcspn(p, "\n");
			return strndup(p, (size_t)(e - p));
		}
	return NULL;
}

/*
 * info_check - is the bag's bag-info.txt what create writes of its
 * request, records (count) and payload (octets in files), with its own
 * Source-Organization and the Bagging-Date of its provenance's run_at,
 * and maybe the draft's status line?  Returns 0, 1 with err saying the
 * first line that is not, or -1 with err set.
 */
static int
info_check(int bagfd, json_t *request, json_t *prov, uint64_t count,
    uint64_t octets, uint64_t files, struct ld_err *err)
{
	const char *run = json_string_value(json_object_get(prov, "run_at"));
	char *have = NULL, *want = NULL, *org = NULL, date[11];
	size_t hlen, wlen = 0, line = 1, i;
	FILE *fp;
	int rc = -1;

	if ((have = bag_read_file(bagfd, "bag-info.txt", 1u << 24, &hlen,
	    err)) == NULL)
		return -1;
	if (bag_parse_utc(run, NULL) == -1) {
		ld_err_set(err, "data/provenance.json: run_at is not the time "
		    "of the run in the form YYYY-MM-DDTHH:MM:SSZ");
		rc = 1;
		goto out;
	}
	snprintf(date, sizeof(date), "%.10s", run);
	org = label_value(have, "Source-Organization");
	if ((fp = open_memstream(&want, &wlen)) == NULL ||
	    bag_info_write(fp, request, org ? org : "", date, count, octets,
	    files) == -1) {
		if (fp)
			fclose(fp);
		ld_err_set(err, "out of memory");
		goto out;
	}
	if (fclose(fp) == EOF) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
	if (hlen == wlen && memcmp(have, want, wlen) == 0)
		goto out;
	if (hlen == wlen + sizeof(BAG_DRAFT_STATUS) - 1 && memcmp(have, want,
	    wlen) == 0 && strcmp(have + wlen, BAG_DRAFT_STATUS) == 0)
		goto out;
	for (i = 0; i < hlen && i < wlen && have[i] == want[i]; i++)
		line += have[i] == '\n';
	for (; i > 0 && want[i - 1] != '\n'; i--)
		;
	ld_err_set(err, "line %zu: %.*s, but the bag's request, records and "
	    "provenance say %.*s", line, (int)strcspn(have + i, "\n"),
	    have + i, (int)strcspn(want + i, "\n"), want + i);
	rc = 1;
out:
	free(have);
	free(want);
	free(org);
	return rc;
}

int
bag_summary_check(const char *dir, int bagfd, uint64_t octets,
    uint64_t files, const char **which, struct ld_err *err)
{
	static const char *const pages[] = { "data/summary.md",
	    "data/summary.html" };
	struct bag_summary *sum = NULL;
	json_t *request = NULL, *report = NULL, *prov = NULL;
	const char *tmpdir = getenv("TMPDIR");
	char *tmp = NULL, *a = NULL, *b = NULL;
	size_t alen, blen, i;
	int tmpfd = -1, made = 0, rc = -1;

	if ((request = bag_json(bagfd, "data/request.json", err)) == NULL ||
	    (prov = bag_json(bagfd, "data/provenance.json", err)) == NULL)
		goto out;
	if (faccessat(bagfd, "data/redaction-report.json", F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0 && (report = bag_json(bagfd,
	    "data/redaction-report.json", err)) == NULL)
		goto out;
	if ((sum = summary_of(dir, err)) == NULL)
		goto out;
	if ((rc = info_check(bagfd, request, prov, bag_summary_count(sum),
	    octets, files, err)) != 0) {
		*which = "bag-info.txt";
		goto out;
	}
	rc = -1;
	if ((tmp = bag_printf("%s/ldbundle.XXXXXX", tmpdir && *tmpdir ?
	    tmpdir : "/tmp")) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	if (mkdtemp(tmp) == NULL) {
		ld_err_set(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	made = 1;
	if ((tmpfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    mkdirat(tmpfd, "data", 0700) == -1) {
		ld_err_set(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (bag_summary_write(sum, tmpfd, request, report, prov, err) == -1)
		goto out;
	*which = NULL;
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]) && !*which; i++) {
		free(a);
		free(b);
		b = NULL;
		if ((a = bag_read_file(tmpfd, pages[i], 1u << 26, &alen,
		    err)) == NULL)
			goto out;
		if ((b = bag_read_file(bagfd, pages[i], 1u << 26, &blen,
		    err)) == NULL || alen != blen || memcmp(a, b, alen) != 0)
			*which = pages[i];
	}
	rc = *which != NULL;
out:
	if (tmpfd != -1) {
		for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
			unlinkat(tmpfd, pages[i], 0);
		unlinkat(tmpfd, "data", AT_REMOVEDIR);
		close(tmpfd);
	}
	if (made)
		rmdir(tmp);
	free(tmp);
	free(a);
	free(b);
	bag_summary_free(sum);
	json_decref(request);
	json_decref(report);
	json_decref(prov);
	return rc;
}
