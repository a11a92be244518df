/*
 * rules.c — a set of Sigma rules: loading files, directories and the
 * shipped pack, placeholders, and resolving correlation references.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hunt/huntint.h"

/* The shipped pack, compiled in by the Makefile: pairs of name and text. */
extern const char *const ld_rules_builtin[][2];

struct ld_rules *
ld_rules_new(void)
{
	return ld_xcalloc(1, sizeof(struct ld_rules));
}

void
ld_rules_free(struct ld_rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++)
		sigma_rule_free(&rs->r[i]);
	free(rs->r);
	for (size_t i = 0; i < rs->nph; i++) {
		for (size_t k = 0; k < rs->nvals[i]; k++)
			free(rs->vals[i][k]);
		free(rs->vals[i]);
		free(rs->names[i]);
	}
	free(rs->names);
	free(rs->vals);
	free(rs->nvals);
	free(rs->corder);
	ld_buf_free(&rs->notes);
	free(rs);
}

static int
read_file(const char *path, struct ld_buf *b, struct ld_err *err)
{
	FILE *fp = fopen(path, "r");
	char buf[65536];
	size_t n;

	if (fp == NULL)
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		ld_buf_add(b, buf, n);
		if (b->len > (64u << 20)) {
			fclose(fp);
			return ld_err_set(err, "%s: larger than 64 MiB", path);
		}
	}
	if (ferror(fp)) {
		fclose(fp);
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	}
	fclose(fp);
	ld_buf_add(b, "", 0);
	return 0;
}

int
ld_rules_set_placeholder(struct ld_rules *rs, const char *name,
    const char *file, struct ld_err *err)
{
	struct ld_buf b = { 0 };
	char *p, *e;
	size_t i;

	if (*name == '\0' || strchr(name, '%'))
		return ld_err_set(err, "placeholder '%s': a name without %%",
		    name);
	if (read_file(file, &b, err) < 0) {
		ld_buf_free(&b);
		return -1;
	}
	for (i = 0; i < rs->nph && strcmp(rs->names[i], name); i++)
		;
	if (i == rs->nph) {
		rs->names = ld_xrealloc(rs->names, (i + 1) * sizeof(*rs->names));
		rs->vals = ld_xrealloc(rs->vals, (i + 1) * sizeof(*rs->vals));
		rs->nvals = ld_xrealloc(rs->nvals, (i + 1) * sizeof(*rs->nvals));
		rs->names[i] = ld_xstrdup(name);
		rs->vals[i] = NULL;
		rs->nvals[i] = 0;
		rs->nph++;
	}
	for (p = b.p; p && *p; p = e) {
		char *s, *t;

		if ((e = strchr(p, '\n')) != NULL)
			*e++ = '\0';
		for (s = p; *s == ' ' || *s == '\t' || *s == '\r'; s++)
			;
		t = s + strlen(s);
		while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
			*--t = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		rs->vals[i] = ld_xrealloc(rs->vals[i], (rs->nvals[i] + 1) *
		    sizeof(char *));
		rs->vals[i][rs->nvals[i]++] = ld_xstrdup(s);
	}
	ld_buf_free(&b);
	return 0;
}

int
ld_rules_load_text(struct ld_rules *rs, const char *name, const char *text,
    size_t n, struct ld_err *err)
{
	struct ynode **docs;
	size_t ndocs;
	int rc;

	if (yaml_load(name, text, n, &docs, &ndocs, err) < 0)
		return -1;
	rc = sigma_compile(rs, name, docs, ndocs, err);
	yaml_docs_free(docs, ndocs);
	return rc;
}

static int
is_rule_file(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(name + n - 5, ".yaml") == 0));
}

static int
load_dir(struct ld_rules *rs, const char *dir, int depth, struct ld_err *err)
{
	struct dirent **ents;
	int n, rc = 0;

	if (depth > 16)
		return ld_err_set(err, "%s: directories nested too deep", dir);
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return ld_err_set(err, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		struct ld_buf p = { 0 };
		struct stat st;

		if (rc == 0 && ents[i]->d_name[0] != '.') {
			ld_buf_addf(&p, "%s/%s", dir, ents[i]->d_name);
			if (stat(p.p, &st) < 0)
				rc = ld_err_set(err, "%s: %s", p.p, strerror(errno));
			else if (S_ISDIR(st.st_mode))
				rc = load_dir(rs, p.p, depth + 1, err);
			else if (is_rule_file(ents[i]->d_name))
				rc = ld_rules_load_path(rs, p.p, err);
		}
		ld_buf_free(&p);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
ld_rules_load_path(struct ld_rules *rs, const char *path, struct ld_err *err)
{
	struct stat st;
	struct ld_buf b = { 0 };
	int rc;

	if (stat(path, &st) < 0)
		return ld_err_set(err, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_dir(rs, path, 0, err);
	if ((rc = read_file(path, &b, err)) == 0)
		rc = ld_rules_load_text(rs, path, b.p, b.len, err);
	ld_buf_free(&b);
	return rc;
}

int
ld_rules_load_builtin(struct ld_rules *rs, struct ld_err *err)
{
	const char *dir = getenv("LD_RULES");

	if (dir && *dir)
		return ld_rules_load_path(rs, dir, err);
	for (size_t i = 0; ld_rules_builtin[i][0]; i++)
		if (ld_rules_load_text(rs, ld_rules_builtin[i][0],
		    ld_rules_builtin[i][1], strlen(ld_rules_builtin[i][1]),
		    err) < 0)
			return -1;
	return 0;
}

static void
note(struct ld_rules *rs, const char *fmt, const char *a, const char *b)
{
	struct ld_buf m = { 0 };

	ld_buf_addf(&m, fmt, a, b);
	ld_buf_add(&rs->notes, m.p, m.len + 1);
	rs->nnotes++;
	ld_buf_free(&m);
}

const char *
ld_rules_note(const struct ld_rules *rs, size_t i)
{
	const char *p = rs->notes.p;

	if (i >= rs->nnotes)
		return NULL;
	while (i--)
		p += strlen(p) + 1;
	return p;
}

static int
find_rule(const struct ld_rules *rs, const char *ref)
{
	for (size_t i = 0; i < rs->n; i++)
		if ((rs->r[i].name && strcmp(rs->r[i].name, ref) == 0) ||
		    strcmp(rs->r[i].info.id, ref) == 0)
			return (int)i;
	return -1;
}

/* Put correlation i into rs->corder after the ones it uses. */
static int
order(struct ld_rules *rs, size_t i, char *mark, struct ld_err *err)
{
	struct rule *r = &rs->r[i];

	if (mark[i] == 2 || r->kind == R_DETECT)
		return 0;
	if (mark[i] == 1)
		return ld_err_set(err, "%s:%zu: correlation '%s' refers to "
		    "itself through other rules", r->file, r->line, r->info.id);
	mark[i] = 1;
	for (size_t k = 0; k < r->nrefs; k++)
		if (order(rs, (size_t)r->ref[k], mark, err) < 0)
			return -1;
	mark[i] = 2;
	rs->corder[rs->ncorder++] = i;
	return 0;
}

int
ld_rules_finish(struct ld_rules *rs, struct ld_err *err)
{
	char *mark;
	int rc = 0;

	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = i + 1; k < rs->n; k++)
			if (strcmp(rs->r[i].info.id, rs->r[k].info.id) == 0)
				return ld_err_set(err, "%s:%zu: rule id '%s' "
				    "already used by %s:%zu", rs->r[k].file,
				    rs->r[k].line, rs->r[k].info.id,
				    rs->r[i].file, rs->r[i].line);
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->r[i];

		if (r->kind == R_DETECT)
			continue;
		r->ref = ld_xcalloc(r->nrefs + 1, sizeof(int));
		for (size_t k = 0; k < r->nrefs; k++) {
			int j = find_rule(rs, r->refs[k]);

			if (j < 0)
				return ld_err_set(err, "%s:%zu: correlation '%s' "
				    "refers to rule '%s', which is not loaded",
				    r->file, r->line, r->info.id, r->refs[k]);
			r->ref[k] = j;
		}
	}
	/* A rule a correlation refers to fires only through it, unless
	 * one of those correlations says generate: true. */
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->r[i];

		for (size_t k = 0; r->kind != R_DETECT && k < r->nrefs; k++)
			if (!r->generate)
				rs->r[r->ref[k]].suppressed = 1;
	}
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->r[i];

		for (size_t k = 0; r->kind != R_DETECT && k < r->nrefs; k++)
			if (r->generate)
				rs->r[r->ref[k]].suppressed = 0;
	}
	free(rs->corder);
	rs->corder = ld_xcalloc(rs->n + 1, sizeof(size_t));
	rs->ncorder = 0;
	mark = ld_xcalloc(rs->n + 1, 1);
	for (size_t i = 0; i < rs->n && rc == 0; i++)
		rc = order(rs, i, mark, err);
	free(mark);
	if (rc < 0)
		return -1;
	rs->nnotes = 0;
	ld_buf_reset(&rs->notes);
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->r[i];

		if (r->placeholder)
			note(rs, "rule %s: placeholder %s not given "
			    "(--placeholder); the rule is not run",
			    r->info.id, r->placeholder);
		else if (r->nofmt)
			note(rs, "rule %s: its logsource is no logdive format; "
			    "it cannot fire%s", r->info.id, "");
	}
	rs->finished = 1;
	return 0;
}

size_t
ld_rules_count(const struct ld_rules *rs)
{
	return rs->n;
}

const struct ld_rule_info *
ld_rules_info(const struct ld_rules *rs, size_t i)
{
	return i < rs->n ? &rs->r[i].info : NULL;
}
