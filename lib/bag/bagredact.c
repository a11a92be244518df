/*
 * bagredact.c — the records of a bag hold no secret the redaction said it
 * removed.
 *
 * A redaction report is bound to the records by the SHA-256 it gives of
 * them, but the report is a file like any other: one written by hand, or
 * a real one with its "output.sha256" set to records that were never
 * redacted, binds them just as well.  So verify runs the secret detectors
 * of the report's policy over the records again: a value the policy masks
 * that is still in a record was not redacted by it, whatever the report
 * says.
 *
 * Only the detectors of secrets are run (the policy's "secret.*" rules
 * that detect values): tenants are checked by bagscope.c, pseudonyms
 * cannot be made again without the case's key, and a rule on member names
 * would match its own mask.  A policy from a file is not known to the
 * verifier, and is not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bag/bagint.h"
#include "format/format.h"
#include "redact/redact.h"

/*
 * check_policy - the policy with only the secret detectors of the
 * built-in policy name, whose text must have the SHA-256 sha.  Returns it
 * (ld_policy_free()), or NULL with err set.
 */
static struct ld_policy *
check_policy(const char *name, const char *sha, struct ld_err *err)
{
	struct ld_policy *p, *full;
	const char *text, *rn;
	json_t *j, *rules, *keep, *r;
	size_t i;
	char *out;

	if ((text = ld_policy_builtin_text(name)) == NULL)
		return ld_err_set(err, "names the built-in policy %s, which "
		    "ldredact does not have", name), NULL;
	if ((full = ld_policy_load(name, err)) == NULL)
		return NULL;
	if (sha == NULL || strcmp(ld_policy_sha256(full), sha) != 0) {
		ld_err_set(err, "names the built-in policy %s with the SHA-256 "
		    "%.16s..., but it is %.16s...: not the policy it says",
		    name, sha ? sha : "(none)", ld_policy_sha256(full));
		ld_policy_free(full);
		return NULL;
	}
	ld_policy_free(full);
	if ((j = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
	    (keep = json_array()) == NULL) {
		json_decref(j);
		return ld_err_set(err, "out of memory"), NULL;
	}
	rules = json_object_get(j, "rules");
	json_array_foreach(rules, i, r) {
		rn = json_string_value(json_object_get(r, "name"));
		if (rn && strncmp(rn, "secret.", 7) == 0 &&
		    json_object_get(r, "detect") != NULL)
			json_array_append(keep, r);
	}
	json_object_set_new(j, "rules", keep);
	json_object_del(j, "tenant");
	json_object_del(j, "accounts");
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (out == NULL)
		return ld_err_set(err, "out of memory"), NULL;
	p = ld_policy_load_text(out, strlen(out), name, err);
	free(out);
	return p;
}

/* add_norm - append the n bytes at s to b, each mask "[REDACTED:rule]"
 * written "[REDACTED]": a mask that a second detector masks again under
 * its own name is no secret. */
static void
add_norm(struct ld_buf *b, const char *s, size_t n)
{
	static const char mask[] = "[REDACTED:";
	const char *e = s + n, *m, *close;

	while (s < e) {
		m = memmem(s, (size_t)(e - s), mask, sizeof(mask) - 1);
		if (m == NULL || (close = memchr(m, ']', (size_t)(e - m))) ==
		    NULL) {
			ld_buf_add(b, s, (size_t)(e - s));
			break;
		}
		ld_buf_add(b, s, (size_t)(m - s));
		ld_buf_adds(b, "[REDACTED]");
		s = close + 1;
	}
	ld_buf_addc(b, '\n');
}

/* rec_text - the canonical values and the event of r, masks normalised
 * (add_norm()), into b. */
static void
rec_text(struct ld_buf *b, const struct ld_rec *r)
{
	ld_buf_reset(b);
	for (int i = 0; i < LD_F_N; i++)
		add_norm(b, r->f[i] ? r->f[i] : "", r->f[i] ? r->flen[i] : 0);
	add_norm(b, r->evraw ? r->evraw : "", r->evraw ? r->evrawlen : 0);
}

/* hit_rules - the names of the rules of the report c that touched a
 * value, "a, b", into b. */
static void
hit_rules(json_t *c, struct ld_buf *b)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(c, "rules"), i, r)
		if (json_integer_value(json_object_get(r, "values")) > 0)
			ld_buf_addf(b, "%s%s", b->len ? ", " : "",
			    json_string_value(json_object_get(r, "name")));
	ld_buf_addc(b, '\0');
}

int
bag_secrets_check(int bagfd, json_t *report, struct ld_buf *msg,
    struct ld_err *err)
{
	struct ld_redact_conf conf = { 0 };
	struct ld_policy *pol = NULL;
	struct ld_redact *rd = NULL;
	struct ld_formats *fs = NULL;
	struct ld_parser *ps = NULL;
	struct ld_rec rec = { 0 };
	struct ld_buf out = { 0 }, rules = { 0 }, before = { 0 }, after = { 0 };
	enum ld_parse_result res;
	json_t *pj = json_object_get(report, "policy"), *c;
	const char *src = json_string_value(json_object_get(pj, "source"));
	const char *name = json_string_value(json_object_get(pj, "name"));
	uint64_t lno = 0, nbad = 0, first = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp = NULL;
	int fd, rc = -1;

	/* a policy from a file: the verifier does not have it */
	if (src == NULL || strcmp(src, "built-in") != 0 || name == NULL)
		return 0;
	if ((pol = check_policy(name, json_string_value(json_object_get(pj,
	    "sha256")), err)) == NULL) {
		rc = strcmp(err->msg, "out of memory") == 0 ? -1 : 1;
		if (rc == 1)
			ld_buf_adds(msg, err->msg);
		goto out;
	}
	if ((rd = ld_redact_new(pol, &conf, err)) == NULL)
		goto out;
	if ((fs = ld_formats_load(ld_formats_default_dirs(), NULL,
	    err)) == NULL && (fs = ld_formats_load(NULL, NULL, err)) == NULL)
		goto out;
	if ((ps = ld_parser_new(fs, 1970)) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	ld_parser_set_no_tree(ps, 1, LD_F_ALL);
	if ((fd = openat(bagfd, "data/events.jsonl", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || (fp = fdopen(fd, "r")) == NULL) {
		ld_err_set(err, "data/events.jsonl: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		lno++;
		if (line[n - 1] == '\n')
			n--;
		res = ld_parse_line(ps, NULL, "record", lno, line, (size_t)n,
		    &rec);
		ld_rec_complete(ps, &rec);
		ld_buf_reset(&out);
		if (rec.is_record) {
			rec_text(&before, &rec);
			if (ld_redact_rec(rd, res, &rec, &out) ==
			    LD_REDACT_KEEP && rec.redacted > 0) {
				rec_text(&after, &rec);
				if ((before.len != after.len || memcmp(before.p,
				    after.p, after.len) != 0) && nbad++ == 0)
					first = lno;
			}
		}
		ld_rec_clear(&rec);
	}
	if (ferror(fp)) {
		ld_err_set(err, "data/events.jsonl: %s", strerror(errno));
		goto out;
	}
	rc = 0;
	if (nbad > 0) {
		if ((c = ld_redact_report(rd)) == NULL) {
			ld_err_set(err, "out of memory");
			rc = -1;
			goto out;
		}
		hit_rules(c, &rules);
		json_decref(c);
		ld_buf_addf(msg, "line %llu: a secret the report's policy %s "
		    "masks (%s) is still in %llu record%s: the report says "
		    "they were redacted by it, and they were not",
		    (unsigned long long)first, name, rules.p,
		    (unsigned long long)nbad, nbad == 1 ? "" : "s");
		rc = 1;
	}
out:
	if (fp)
		fclose(fp);
	free(line);
	ld_buf_free(&out);
	ld_buf_free(&rules);
	ld_buf_free(&before);
	ld_buf_free(&after);
	ld_rec_free(&rec);
	ld_parser_free(ps);
	ld_formats_free(fs);
	ld_redact_free(rd);
	ld_policy_free(pol);
	return rc;
}
