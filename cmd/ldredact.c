/*
 * ldredact — remove secrets, personal data and other tenants from records,
 * by a policy, fail-closed, with a report of what was done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/atomic.h"
#include "cli.h"
#include "cliformat.h"
#include "core/digest.h"
#include "core/recset.h"
#include "core/runlog.h"
#include "cliscope.h"
#include "format/format.h"
#include "format/jsonx.h"
#include "input/src.h"
#include "redact/redact.h"

enum {
	OPT_POLICY = 0x100, OPT_TENANT, OPT_OWN, OPT_REPORT, OPT_RAW,
	OPT_PRINT_POLICY, OPT_NEW_KEY
};

static const struct cli_opt opts[] = {
	{ "account", OPT_ACCOUNT, "NAME", "an account the request names as owned (repeatable)" },
	{ "key", 'k', "FILE", "pseudonym key (32 bytes or more, strong; per case)" },
	{ "new-key", OPT_NEW_KEY, "FILE", "write a new 256-bit key to FILE (mode 0600) and exit" },
	{ "output", 'o', "FILE", "write the records to FILE (atomically)" },
	{ "profile", 'p', "NAME", "built-in policy: support, customer, legal or sirt" },
	{ "own", OPT_OWN, "NAME", "an account of the customer's own (repeatable)" },
	{ "policy", OPT_POLICY, "FILE", "the policy (ld-policy(5)) in FILE" },
	{ "print-policy", OPT_PRINT_POLICY, "NAME", "print a built-in policy and exit" },
	{ "raw", OPT_RAW, NULL, "write the redacted events instead of ld-records" },
	{ "report", OPT_REPORT, "FILE", "write the redaction report (JSON) to FILE" },
	{ "scope", OPT_SCOPE, "FILE", "the request (ld-scope(5)): tenant, own accounts, profile" },
	{ "tenant", OPT_TENANT, "NS", "the tenant's top-level namespace (repeatable)" },
	CLI_FORMAT_OPTS,
	{ NULL, 0, NULL, NULL }
};

/* An output with its SHA-256: standard output, or a file written
 * atomically (lib/core/atomic.h) so that a failed run leaves nothing behind. */
struct out {
	const char *path;	/* NULL for standard output */
	struct ld_atomic a;
	FILE *fp;
	char *buf;		/* fp's buffer, freed once fp is closed */
	struct ld_digest *md;
	uint64_t bytes, records;
};

/* Records are written in chunks of OUTCHUNK: a buffer of a megabyte
 * makes that a write(2) every megabyte.  The buffer is given, as the C
 * library ignores the size asked for when it is to allocate one itself
 * and keeps to a block (4 KiB, or a write per eight records).  Standard
 * output keeps its buffer until exit. */
#define OUTBUF ((size_t)1 << 20)
#define OUTCHUNK ((size_t)64 << 10)
static char *stdout_buf;

static void
out_open(struct out *o, const char *path, int digest)
{
	struct ld_err err;

	o->path = path;
	if (digest && (o->md = ld_digest_new("sha256")) == NULL)
		cli_die(2, "cannot set up SHA-256");
	if (path == NULL) {
		o->fp = stdout;
		if (stdout_buf == NULL) {
			stdout_buf = ld_xmalloc(OUTBUF);
			setvbuf(stdout, stdout_buf, _IOFBF, OUTBUF);
		}
	} else if ((o->fp = ld_atomic_open(&o->a, path, &err)) == NULL)
		cli_die(2, "%s", err.msg);
	else {
		o->buf = ld_xmalloc(OUTBUF);
		setvbuf(o->fp, o->buf, _IOFBF, OUTBUF);
	}
}

static int
out_write(struct out *o, const void *p, size_t n)
{
	if (o->md)
		ld_digest_update(o->md, p, n);
	o->bytes += n;
	return fwrite(p, 1, n, o->fp) == n ? 0 : -1;
}

/* Finish: put the file in place when ok, else throw it away.  The digest
 * goes to sha.  Returns 0, or -1 with a message printed. */
static int
out_close(struct out *o, int ok, char sha[LD_DIGEST_HEXMAX])
{
	struct ld_err err;
	int rc;

	sha[0] = '\0';
	if (o->md) {
		ld_digest_hex(o->md, sha);
		ld_digest_free(o->md);
	}
	if (o->path == NULL) {
		if (fflush(o->fp) == 0 && !ferror(o->fp))
			return 0;
		cli_warn("standard output: write error: %s", strerror(errno));
		return -1;
	}
	if (!ok) {
		ld_atomic_abort(&o->a);
		free(o->buf);
		return 0;
	}
	/* The user named this file to be written: replacing it is asked. */
	rc = ld_atomic_commit(&o->a, 1, &err);
	free(o->buf);
	if (rc < 0) {
		cli_warn("%s", err.msg);
		return -1;
	}
	return 0;
}

static void
read_key(const char *path, unsigned char *key, size_t *n)
{
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		cli_die(2, "%s: %s", path, strerror(errno));
	*n = fread(key, 1, 1024, fp);
	if (ferror(fp) || !feof(fp))
		cli_die(2, "%s: not a key file of at most 1023 bytes", path);
	fclose(fp);
	/* A key written by echo or an editor ends in a newline. */
	if (*n && key[*n - 1] == '\n')
		(*n)--;
	if (*n && key[*n - 1] == '\r')
		(*n)--;
}

static void
strv_push(char ***v, size_t *n, const char *s, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && strncasecmp((*v)[i], s, len) == 0)
			return;
	*v = ld_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = ld_xstrndup(s, len);
}

/* The tenant's top-level namespaces: --tenant, and the request's tenant,
 * namespaces and (failing those) projects. */
static void
tenants(const struct ld_scope *sc, char ***v, size_t *n)
{
	const struct ld_strv *lists[2] = { &sc->namespaces, &sc->projects };

	if (sc->tenant)
		strv_push(v, n, sc->tenant, strcspn(sc->tenant, "/"));
	for (int k = 0; k < 2; k++) {
		if (k == 1 && *n)
			break;
		for (size_t i = 0; i < lists[k]->n; i++)
			strv_push(v, n, lists[k]->v[i], strcspn(lists[k]->v[i], "/"));
	}
}

/* --raw: a text line's redacted original is its "raw" member. */
static int
write_raw(struct out *o, const struct ld_rec *r)
{
	const char *vs;
	size_t vn;
	json_t *j;
	int rc;

	if (r->fmt && ld_format_is_text(r->fmt) &&
	    ld_json_raw_member(r->evraw, r->evrawlen, "raw", &vs, &vn) == 1 &&
	    (j = json_loadb(vs, vn, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL))) {
		rc = out_write(o, json_string_value(j), json_string_length(j));
		json_decref(j);
	} else
		rc = out_write(o, r->evraw, r->evrawlen);
	return rc < 0 ? rc : out_write(o, "\n", 1);
}

/*
 * An ld-record given as input says its own tenant, user and format; none
 * of that is taken on trust.  The fields are read again from its event by
 * its format, and a record whose format is not known is not read.
 */
static int
rederive(struct ld_parser *parser, struct ld_rec *r, int rc)
{
	if (r->fmt == NULL || ld_rec_tree(r) == NULL)
		return LD_PARSE_MALFORMED;
	ld_format_extract(parser, r->fmt, r);
	r->fmtname = ld_format_name(r->fmt);
	return rc;
}

static int
write_report(const char *path, json_t *rep)
{
	struct out o = { 0 };
	char sha[LD_DIGEST_HEXMAX];
	char *text = json_dumps(rep, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int rc;

	out_open(&o, path, 0);
	rc = out_write(&o, text, strlen(text));
	if (rc == 0)
		rc = out_write(&o, "\n", 1);
	free(text);
	return out_close(&o, rc == 0, sha) < 0 || rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ld_scope scope = { 0 };
	struct ld_err err;
	struct cli_formats F = { 0 };
	struct ld_parser *parser = NULL;
	struct ld_policy *pol = NULL;
	struct ld_redact *rd = NULL;
	struct ld_redact_conf conf = { 0 };
	struct ld_srclist l = { 0 };
	struct ld_rec rec = { 0 };
	struct ld_buf buf = { 0 }, prev = { 0 }, deep = { 0 };
	struct out o = { 0 };
	const struct ld_format *hint = NULL;
	const char *policy = NULL, *keyfile = NULL, *arg;
	const char *output = NULL, *report = NULL;
	char **tn = NULL, **own = NULL, outsha[LD_DIGEST_HEXMAX];
	char insha[LD_DIGEST_HEXMAX];
	unsigned char key[1024];
	size_t ntn = 0, nown = 0, keylen = 0;
	int k, raw = 0, year, trouble = 0, werr = 0, rc;
	uint64_t inbytes = 0, inlines = 0;
	struct ld_digest *inmd = NULL;
	struct ld_recset *set = NULL;	/* the records written, for ldbundle */
	struct ld_runlog *rl = ld_runlog_start("ldredact", argc, argv);
	size_t at;
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	cli_init(&c, "ldredact", "[-k keyfile] [-o file] [-p profile | --policy file] "
	    "[--scope file] [--report file] [file | dir | archive | -] ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_formats_opt(&F, k, arg))
			continue;
		switch (k) {
		case 'k': keyfile = arg; break;
		case 'o': output = arg; break;
		case 'p':
		case OPT_POLICY: policy = arg; break;
		case OPT_SCOPE:
		case OPT_ACCOUNT: cli_scope_opt(&scope, k, arg); break;
		case OPT_TENANT:
			while (*arg == '/')
				arg++;
			if (*arg == '\0')
				cli_die(2, "--tenant: empty namespace");
			strv_push(&tn, &ntn, arg, strcspn(arg, "/"));
			break;
		case OPT_OWN: strv_push(&own, &nown, arg, strlen(arg)); break;
		case OPT_REPORT: report = arg; break;
		case OPT_RAW: raw = 1; break;
		case OPT_NEW_KEY:
			if (ld_redact_key_new(arg, &err) < 0)
				cli_die(2, "%s", err.msg);
			exit(0);
		case OPT_PRINT_POLICY:
			if (ld_policy_builtin_text(arg) == NULL)
				cli_die(2, "--print-policy: no built-in policy %s "
				    "(support, customer, legal, sirt)", arg);
			fputs(ld_policy_builtin_text(arg), stdout);
			exit(0);
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	/* The request is checked as ldgrep checks it: a request its profile
	 * does not allow is refused here too. */
	cli_scope_finish(&scope);
	cli_check_output("--output", output);
	cli_check_output("--report", report);

	if (policy == NULL && scope.profile &&
	    ld_policy_builtin_text(scope.profile) != NULL)
		policy = scope.profile;
	if (policy == NULL)
		cli_die(2, "no policy: give --profile (support, customer, legal, sirt) "
		    "or --policy FILE");
	if ((pol = ld_policy_load(policy, &err)) == NULL)
		cli_die(2, "%s", err.msg);
	if (keyfile)
		read_key(keyfile, key, &keylen);
	tenants(&scope, &tn, &ntn);
	/* --own lists the accounts known to be the customer's; without it,
	 * the accounts the request names are taken as owned. */
	if (nown == 0)
		for (size_t i = 0; i < scope.accounts.n; i++)
			strv_push(&own, &nown, scope.accounts.v[i],
			    strlen(scope.accounts.v[i]));
	conf.key = keyfile ? key : NULL;
	conf.keylen = keylen;
	conf.tenants = tn;
	conf.ntenants = ntn;
	conf.own = own;
	conf.nown = nown;
	conf.asked = scope.accounts.v;
	conf.nasked = scope.accounts.n;
	conf.users = scope.users.v;
	conf.nusers = scope.users.n;
	if ((rd = ld_redact_new(pol, &conf, &err)) == NULL)
		cli_die(2, "%s", err.msg);
	memset(key, 0, sizeof(key));
	cli_formats_load(&F);
	parser = ld_parser_new(F.fs, F.year ? F.year : year);
	/* Redaction rewrites the event's text and never reads a tree. */
	ld_parser_set_no_tree(parser, 1, LD_F_ALL);

	ld_srclist_expand(&l, argv, (size_t)argc);
	if (output == NULL || strcmp(output, "-") == 0)
		ld_srclist_exclude_fd(&l, 1);
	ld_srclist_exclude_path(&l, output);
	ld_srclist_exclude_path(&l, report);
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	/* The digests are only said in the report: without one, SHA-256
	 * over every byte in and out would be work for nobody. */
	if (report && (inmd = ld_digest_new("sha256")) == NULL)
		cli_die(2, "cannot set up SHA-256");
	out_open(&o, output, report != NULL);
	for (size_t i = 0; i < l.n && !werr; i++) {
		struct ld_src *s;
		struct ld_line line;

		if (l.error[i]) {
			cli_warn("%s: %s", l.path[i], l.error[i]);
			trouble = 1;
			continue;
		}
		s = ld_src_open(l.path[i]);
		ld_buf_reset(&prev);
		while ((rc = ld_src_next(s, &line, &err)) != 0) {
			if (rc < 0) {
				cli_warn("%s", err.msg);
				trouble = 1;
				continue;
			}
			if (prev.p == NULL || strcmp(prev.p, line.unit) != 0) {
				ld_buf_reset(&prev);
				ld_buf_adds(&prev, line.unit);
				hint = F.forced ? F.forced :
				    ld_formats_for_source(F.fs, line.unit);
			}
			if (inmd) {
				ld_digest_update(inmd, line.p, line.n);
				ld_digest_update(inmd, "\n", 1);
			}
			inbytes += line.n + 1;
			inlines++;
			rc = ld_parse_line(parser, hint, line.unit, line.lineno, line.p,
			    line.n, &rec);
			if (rc == LD_PARSE_RXERROR) {
				/* Its format is unknown: not kept, and said. */
				ld_parser_error(parser, &err);
				cli_warn("%s:%llu: %s", line.unit,
				    (unsigned long long)line.lineno, err.msg);
				trouble = 1;
				continue;
			}
			ld_rec_complete(parser, &rec);
			/* Nested past what a parser reads (or reads only cut,
			 * LD_JSON_CUT): the deep part goes (counted as
			 * unanalysable), the record stays. */
			ld_buf_reset(&deep);
			if ((rc == LD_PARSE_MALFORMED || rec.nest_cut) &&
			    ld_redact_unnest(rd, line.p, line.n, &deep) == 1) {
				rc = ld_parse_line(parser, hint, line.unit,
				    line.lineno, deep.p, deep.len, &rec);
				ld_rec_complete(parser, &rec);
			}
			if (rec.is_record && rc != LD_PARSE_MALFORMED)
				rc = rederive(parser, &rec, rc);
			/* Records gather in buf and go out 64 KiB at a time:
			 * an fwrite per record cost as much as a rule. */
			if (raw)
				ld_buf_reset(&buf);
			else if (buf.len >= OUTCHUNK) {
				if (out_write(&o, buf.p, buf.len) < 0) {
					werr = 1;
					break;
				}
				ld_buf_reset(&buf);
			}
			at = buf.len;
			if (ld_redact_rec(rd, (enum ld_parse_result)rc, &rec, &buf) !=
			    LD_REDACT_KEEP) {
				enum ld_drop why = ld_redact_last_reason(rd);

				/* Policy decisions are only counted; what could not
				 * be read is said. */
				if (why == LD_DROP_MALFORMED || why == LD_DROP_UTF8 ||
				    why == LD_DROP_MATCH_LIMIT)
					cli_warn("%s:%llu: dropped: %s", line.unit,
					    (unsigned long long)line.lineno,
					    why == LD_DROP_UTF8 ? "not valid UTF-8" :
					    why == LD_DROP_MALFORMED ? "no format could parse it" :
					    "a pattern hit the PCRE2 match limit");
				continue;
			}
			o.records++;
			if (report && !raw && buf.len > at) {
				if (set == NULL)
					set = ld_recset_new();
				ld_recset_add(set, buf.p + at, buf.len - at - 1);
			}
			if (raw && write_raw(&o, &rec) < 0) {
				werr = 1;
				break;
			}
		}
		ld_src_close(s);
	}
	if (!raw && !werr && buf.len && out_write(&o, buf.p, buf.len) < 0)
		werr = 1;
	insha[0] = '\0';
	if (inmd) {
		ld_digest_hex(inmd, insha);
		ld_digest_free(inmd);
	}
	if (werr)
		cli_warn("%s: write error: %s", output ? output : "standard output",
		    strerror(errno));
	if (ld_redact_lost(rd) > 0) {
		cli_warn("%llu names were not learned (a set of learned names is "
		    "full): they may have passed in free text",
		    (unsigned long long)ld_redact_lost(rd));
		trouble = 1;
	}
	if (out_close(&o, !werr, outsha) < 0 || werr)
		trouble = 1;
	if (report) {
		json_t *rep = json_object(), *counts = ld_redact_report(rd);
		json_t *pj, *srcs = json_array();

		for (size_t i = 0; i < l.n; i++)
			json_array_append_new(srcs, json_string(l.path[i]));
		json_object_set_new(rep, "tool", json_string("ldredact"));
		json_object_set_new(rep, "version", json_string(LD_VERSION));
		json_object_set_new(rep, "case", scope.case_id ?
		    json_string(scope.case_id) : json_null());
		pj = json_array();
		for (size_t i = 0; i < ntn; i++)
			json_array_append_new(pj, json_string(tn[i]));
		json_object_set_new(rep, "tenant", pj);
		json_object_set_new(rep, "own_accounts", json_integer((json_int_t)nown));
		json_object_set_new(rep, "policy", json_pack("{s:s,s:s,s:s}",
		    "name", ld_policy_name(pol), "source", ld_policy_source(pol),
		    "sha256", ld_policy_sha256(pol)));
		json_object_set(rep, "key_id", json_object_get(counts, "key_id") ?
		    json_object_get(counts, "key_id") : json_null());
		json_object_del(counts, "key_id");
		json_object_set_new(rep, "input", json_pack("{s:o,s:s,s:I,s:I}",
		    "sources", srcs, "sha256", insha, "bytes", (json_int_t)inbytes,
		    "lines", (json_int_t)inlines));
		json_object_set_new(rep, "output", json_pack("{s:s,s:s,s:s,s:I,s:I}",
		    "path", output ? output : "-", "form", raw ? "raw" : "ld-record",
		    "sha256", outsha, "bytes", (json_int_t)o.bytes,
		    "records", (json_int_t)o.records));
		if (!raw) {
			char *js = ld_recset_export(set ? set : (set = ld_recset_new()));

			json_object_set_new(json_object_get(rep, "output"), "set",
			    json_loads(js, 0, NULL));
			free(js);
		}
		json_object_update(rep, counts);
		json_object_set_new(rep, "complete", json_boolean(!trouble));
		json_decref(counts);
		if (write_report(report, rep) < 0) {
			cli_warn("%s: cannot write the report: %s", report,
			    strerror(errno));
			trouble = 1;
		}
		json_decref(rep);
	}
	rc = trouble ? 2 : o.records ? 0 : 1;
	ld_runlog_input(rl, l.n == 1 ? l.path[0] : "-", insha, inbytes);
	ld_runlog_output(rl, output ? output : "-", outsha, o.bytes);
	if (report)
		ld_runlog_output(rl, report, NULL, 0);
	if (ld_runlog_finish(rl, rc, &err) < 0)
		cli_warn("%s", err.msg);

	ld_recset_free(set);
	ld_rec_free(&rec);
	ld_buf_free(&buf);
	ld_buf_free(&prev);
	ld_buf_free(&deep);
	ld_srclist_free(&l);
	ld_parser_free(parser);
	cli_formats_free(&F);
	ld_redact_free(rd);
	ld_policy_free(pol);
	ld_scope_free(&scope);
	for (size_t i = 0; i < ntn; i++)
		free(tn[i]);
	free(tn);
	for (size_t i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	cli_done(&c);
	return rc;
}
