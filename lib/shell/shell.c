/*
 * shell.c — commands of the interactive log-dive.
 *
 * Each command is a word and its arguments, split on blanks (double
 * quotes keep blanks in an argument).  Scope commands change the session;
 * "count", "show", "sources", "detail", "hist" and "save" need the answer
 * to the session's query, found by the search engine of ldgrep over the
 * session's sources with the session's scope, so what a session finds is
 * exactly what ldgrep with the same flags finds.  The last answer is kept
 * (result.h): the same query again reads nothing, and a narrower one
 * searches the kept records instead of the sources.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/jsonx.h"
#include "format/ldtime.h"
#include "grep/grep.h"
#include "hunt/hunt.h"
#include "scope/scope.h"
#include "core/atomic.h"
#include "shell/result.h"
#include "shell/shell.h"
#include "timeline/tlout.h"

#define MAXARGS 16

struct ld_shell {
	const struct ld_formats *fs;
	const struct ld_index_ctx *ixcx;	/* NULL: no index */
	struct ld_scope scope;
	char *pattern;
	int icase;
	char **preds;
	size_t npreds;
	char **src;
	size_t nsrc;
	int threads;
	struct ld_rules *rules;	/* the GitLab pack, loaded by "hunt" */
	const volatile sig_atomic_t *cancel;
	struct sh_result *res;	/* the last answer, or NULL */
	struct ld_parser *rp;	/* reads the records of answers */
	uint64_t reads;		/* searches that read the sources */
	int trouble;		/* a source could not be read */
};

struct cmd {
	const char *name;
	int minargs, maxargs;
	const char *usage;
	const char *help;
	int (*run)(struct ld_shell *, int, char **, FILE *, struct ld_err *);
};

static const struct cmd cmds[];

struct ld_shell *
ld_shell_new(const struct ld_formats *fs)
{
	struct ld_shell *sh = ld_xcalloc(1, sizeof(*sh));

	sh->fs = fs;
	sh->rp = ld_parser_new(fs, 1970);
	sh->threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (sh->threads < 1)
		sh->threads = 1;
	return sh;
}

static void
strv_clear(char ***v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = ld_xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = ld_xstrdup(s);
}

void
ld_shell_free(struct ld_shell *sh)
{
	if (sh == NULL)
		return;
	ld_scope_free(&sh->scope);
	free(sh->pattern);
	strv_clear(&sh->preds, &sh->npreds);
	strv_clear(&sh->src, &sh->nsrc);
	ld_rules_free(sh->rules);
	sh_result_free(sh->res);
	ld_parser_free(sh->rp);
	free(sh);
}

void
ld_shell_set_cancel(struct ld_shell *sh, const volatile sig_atomic_t *flag)
{
	sh->cancel = flag;
}

int
ld_shell_status(const struct ld_shell *sh)
{
	if (sh->trouble)
		return 2;
	return sh->res && sh->res->matched == 0 ? 1 : 0;
}

uint64_t
ld_shell_reads(const struct ld_shell *sh)
{
	return sh->reads;
}

int
ld_shell_pages(const char *line)
{
	line += strspn(line, " \t");
	return strncmp(line, "show", 4) == 0 && (line[4] == '\0' ||
	    strchr(" \t\n", line[4]) != NULL);
}

void
ld_shell_add_source(struct ld_shell *sh, const char *path)
{
	strv_push(&sh->src, &sh->nsrc, path);
}

const char *const *
ld_shell_commands(void)
{
	static const char *names[64];

	if (names[0] == NULL)
		for (int i = 0; cmds[i].name && i < 63; i++)
			names[i] = cmds[i].name;
	return names;
}

/* ---- scope commands ---- */

static int
c_add(struct ld_shell *sh, int argc, char **argv, FILE *out, struct ld_err *err)
{
	static const struct { const char *cmd, *field; } map[] = {
		{ "ns", "namespaces" }, { "project", "projects" },
		{ "user", "users" }, { "event", "events" }, { "ip", "ips" },
		{ "cid", "cids" }, { NULL, NULL }
	};
	struct ld_scope next = { 0 };
	int i, k;

	for (k = 0; map[k].cmd && strcmp(map[k].cmd, argv[0]) != 0; k++)
		;
	/* Check every value first: a bad one leaves the session unchanged. */
	for (i = 1; i < argc; i++)
		if (ld_scope_add(&next, map[k].field, argv[i], err) < 0) {
			ld_scope_free(&next);
			return -1;
		}
	ld_scope_free(&next);
	for (i = 1; i < argc; i++)
		ld_scope_add(&sh->scope, map[k].field, argv[i], err);
	return 0;
}

static int
c_window(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	struct timespec ts;
	int64_t now, v;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = sh->scope.has_requested ? sh->scope.requested_at :
	    (int64_t)ts.tv_sec * LD_NS_PER_SEC + ts.tv_nsec;
	if (ld_time_parse_bound(argv[1], now, &v, err) < 0)
		return -1;
	if (argv[0][0] == 's') {
		sh->scope.has_since = 1;
		sh->scope.since = v;
	} else {
		sh->scope.has_until = 1;
		sh->scope.until = v;
	}
	return 0;
}

static int
c_load(struct ld_shell *sh, int argc, char **argv, FILE *out, struct ld_err *err)
{
	struct ld_scope next = { 0 };
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ld_scope_load(&next, argv[1], err) < 0 ||
	    ld_scope_finish(&next, err) < 0 || ld_scope_check_clock(&next,
	    (int64_t)ts.tv_sec * LD_NS_PER_SEC + ts.tv_nsec, err) < 0) {
		ld_scope_free(&next);
		return -1;
	}
	ld_scope_free(&sh->scope);
	sh->scope = next;
	return 0;
}

static int
c_clear(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	ld_scope_free(&sh->scope);
	free(sh->pattern);
	sh->pattern = NULL;
	strv_clear(&sh->preds, &sh->npreds);
	return 0;
}

static int
c_grep(struct ld_shell *sh, int argc, char **argv, FILE *out, struct ld_err *err)
{
	int icase = strcmp(argv[0], "igrep") == 0;

	/* Judged now, not at the next search: a bad pattern never enters
	 * the session. */
	if (argc > 1) {
		struct ld_grep *g = ld_grep_new(sh->fs, &sh->scope);
		int rc = ld_grep_set_pattern(g, argv[1], icase, err);

		ld_grep_free(g);
		if (rc < 0)
			return -1;
	}
	free(sh->pattern);
	sh->pattern = argc > 1 ? ld_xstrdup(argv[1]) : NULL;
	sh->icase = strcmp(argv[0], "igrep") == 0;
	return 0;
}

static int
c_field(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	/* Let the engine judge it now (form and regex), not at the next
	 * search: a bad predicate never enters the session. */
	struct ld_grep *g = ld_grep_new(sh->fs, &sh->scope);
	int rc = ld_grep_add_field(g, argv[1], err);

	ld_grep_free(g);
	if (rc < 0)
		return -1;
	strv_push(&sh->preds, &sh->npreds, argv[1]);
	return 0;
}

static void
print_list(FILE *out, const char *name, const struct ld_strv *v)
{
	if (v->n == 0)
		return;
	fprintf(out, "%-9s", name);
	for (size_t i = 0; i < v->n; i++)
		fprintf(out, " %s", v->v[i]);
	fputc('\n', out);
}

static void
print_time(FILE *out, const char *name, int has, int64_t ns)
{
	struct ld_time t = { .ns = ns };
	char buf[LD_TIME_BUFSZ];

	if (!has)
		return;
	ld_time_format(&t, buf);
	fprintf(out, "%-9s %s\n", name, buf);
}

static int
c_scope(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	const struct ld_scope *s = &sh->scope;

	if (s->case_id)
		fprintf(out, "%-9s %s\n", "case", s->case_id);
	if (s->profile)
		fprintf(out, "%-9s %s\n", "profile", s->profile);
	print_list(out, "ns", &s->namespaces);
	print_list(out, "project", &s->projects);
	print_list(out, "user", &s->users);
	print_list(out, "account", &s->accounts);
	print_list(out, "event", &s->events);
	print_list(out, "ip", &s->ips_text);
	print_list(out, "cid", &s->cids);
	print_time(out, "since", s->has_since, s->since);
	print_time(out, "until", s->has_until, s->until);
	if (sh->pattern)
		fprintf(out, "%-9s %s%s\n", "grep", sh->pattern,
		    sh->icase ? " (any case)" : "");
	for (size_t i = 0; i < sh->npreds; i++)
		fprintf(out, "%-9s %s\n", "field", sh->preds[i]);
	if (ld_scope_empty(s) && !sh->pattern && !sh->npreds)
		fprintf(out, "(no scope: every event matches)\n");
	for (size_t i = 0; i < sh->nsrc; i++)
		fprintf(out, "%-9s %s\n", "source", sh->src[i]);
	return 0;
}

/* ---- searching ---- */

static void
diag(void *arg, const char *msg)
{
	fprintf(arg, "! %s\n", msg);
}

static void
note(void *arg, const char *msg)
{
	fprintf(arg, "# %s\n", msg);
}

void
ld_shell_set_index(struct ld_shell *sh, const struct ld_index_ctx *cx)
{
	sh->ixcx = cx;
}

/*
 * Make sh->res the answer to the session's query: kept when the query is
 * the same, searched in the kept records when it only narrows them, else
 * searched in the sources.  Messages about the sources go to msgs.  An
 * interrupted search leaves the kept answer as it was.
 */
static int
answer(struct ld_shell *sh, FILE *msgs, struct ld_err *err)
{
	struct sh_query q;
	struct sh_result *from = NULL, *nr;
	struct ld_grep *g;
	struct ld_srclist l;
	struct ld_grep_sink sink = { .arg = msgs, .diag = diag, .note = note };
	char *one[1];
	int rc;

	if (sh->nsrc == 0)
		return ld_err_set(err, "no sources: add some with \"source PATH\"");
	if (ld_scope_validate(&sh->scope, err) < 0)
		return -1;
	sh_query_of(&q, &sh->scope, sh->pattern, sh->icase, sh->preds,
	    sh->npreds, sh->src, sh->nsrc);
	if (sh->res && sh_query_within(&q, &sh->res->q)) {
		if (sh_query_within(&sh->res->q, &q)) {
			sh_query_free(&q);
			return 0;
		}
		from = sh->res;
	}
	if ((nr = sh_result_new(err)) == NULL) {
		sh_query_free(&q);
		return -1;
	}
	g = ld_grep_new(sh->fs, &sh->scope);
	/* The kept records passed the pattern already (and hold the line
	 * escaped, where it would not be found again). */
	if (sh->pattern && from == NULL &&
	    ld_grep_set_pattern(g, sh->pattern, sh->icase, err) < 0)
		goto bad;
	for (size_t i = 0; i < sh->npreds; i++)
		if (ld_grep_add_field(g, sh->preds[i], err) < 0)
			goto bad;
	ld_grep_set_threads(g, from ? 1 : sh->threads);
	ld_grep_set_output(g, LD_GREP_RECORDS);
	ld_grep_set_cancel(g, sh->cancel);
	/* the index skips in the sources, not in a kept answer */
	ld_grep_set_index(g, from ? NULL : sh->ixcx);
	if (from) {
		fflush(from->fp);
		one[0] = from->path;
		ld_srclist_expand(&l, one, 1);
	} else
		ld_srclist_expand(&l, sh->src, sh->nsrc);
	rc = ld_grep_run(g, &l, nr->fp, &sink);
	ld_srclist_free(&l);
	if (rc == -3) {
		ld_err_set(err, "interrupted");
		goto bad;
	}
	if (rc == -2) {
		ld_err_set(err, "temporary file: write error: %s", strerror(errno));
		goto bad;
	}
	nr->matched = ld_grep_matched(g);
	if (from) {
		nr->nunits = from->nunits;
		nr->trouble = from->trouble;
		if (sh_result_count(nr, sh->rp, sh->cancel, err) < 0)
			goto bad;
	} else {
		const struct ld_grep_stats *st;

		sh->reads++;
		nr->nunits = ld_grep_nstats(g);
		nr->trouble = rc == -1;
		nr->units = ld_xcalloc(nr->nunits + 1, sizeof(char *));
		nr->counts = ld_xcalloc(nr->nunits + 1, sizeof(uint64_t));
		for (size_t i = 0; (st = ld_grep_stats(g, i)) != NULL; i++)
			if (st->matched) {
				nr->units[nr->nc] = ld_xstrdup(st->unit);
				nr->counts[nr->nc++] = st->matched;
			}
	}
	ld_grep_free(g);
	sh->trouble |= nr->trouble;
	nr->q = q;
	sh_result_free(sh->res);
	sh->res = nr;
	return 0;
bad:
	ld_grep_free(g);
	sh_result_free(nr);
	sh_query_free(&q);
	return -1;
}

static int
c_count(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	const struct sh_result *r;
	int list = strcmp(argv[0], "sources") == 0;

	if (answer(sh, out, err) < 0)
		return -1;
	r = sh->res;
	/* Only the sources that matched: a dive reads hundreds. */
	for (size_t i = 0; i < r->nc; i++)
		if (list)
			fprintf(out, "%s\n", r->units[i]);
		else
			fprintf(out, "%8llu  %s\n", (unsigned long long)r->counts[i],
			    r->units[i]);
	fprintf(out, "%llu matching events in %zu sources\n",
	    (unsigned long long)r->matched, r->nunits);
	return 0;
}

/* One line for a person: time, user, ip, event, provenance. */
static void
brief(const struct ld_rec *r, FILE *out)
{
	char tb[LD_TIME_BUFSZ];

	if (r->has_ts)
		ld_time_format(&r->ts, tb);
	else
		strcpy(tb, "-");
	fprintf(out, "%-24s %-12s %-15s %-36s %s:%llu\n", tb,
	    r->f[LD_F_USER] ? r->f[LD_F_USER] : "-",
	    r->f[LD_F_IP] ? r->f[LD_F_IP] : "-",
	    r->f[LD_F_EVENT] ? r->f[LD_F_EVENT] : "-", r->src,
	    (unsigned long long)r->line);
}

static int
positive(const char *s, long *v, struct ld_err *err)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	if (errno || end == s || *end || *v <= 0)
		return ld_err_set(err, "%s: not a positive number", s);
	return 0;
}

/* The answer in time order, without duplicates. */
static int
sorted(struct ld_shell *sh, FILE *out, struct ld_err *err)
{
	if (answer(sh, out, err) < 0)
		return -1;
	return sh_result_sort(sh->res, sh->rp, sh->cancel, err);
}

static int
c_show(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	struct ld_rec r = { 0 };
	char *line = NULL;
	size_t cap = 0, shown = 0;
	ssize_t n;
	long max = 20;
	FILE *fp;

	if (argc > 1 && positive(argv[1], &max, err) < 0)
		return -1;
	if (sorted(sh, out, err) < 0)
		return -1;
	fp = sh->res->sorted;
	rewind(fp);
	while ((long)shown < max && (n = getline(&line, &cap, fp)) > 0) {
		if (sh->cancel && *sh->cancel)
			break;
		ld_parse_line(sh->rp, NULL, "-", 0, line, (size_t)n - 1, &r);
		fprintf(out, "%5zu  ", shown + 1);
		brief(&r, out);
		shown++;
	}
	fprintf(out, "%zu of %llu matching events shown\n", shown,
	    (unsigned long long)sh->res->nsorted);
	if (sh->res->nsorted < sh->res->matched)
		fprintf(out, "(%llu duplicates left out)\n",
		    (unsigned long long)(sh->res->matched - sh->res->nsorted));
	free(line);
	ld_rec_free(&r);
	return 0;
}

static int
c_detail(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	char *line = NULL, *text;
	size_t cap = 0;
	ssize_t n = 0;
	long want, i;
	json_t *j;
	json_error_t je;
	int rc = -1;

	if (positive(argv[1], &want, err) < 0 || sorted(sh, out, err) < 0)
		return -1;
	if ((uint64_t)want > sh->res->nsorted)
		return ld_err_set(err, "detail %ld: there are %llu events (see "
		    "\"show\")", want, (unsigned long long)sh->res->nsorted);
	rewind(sh->res->sorted);
	for (i = 0; i < want && (n = getline(&line, &cap, sh->res->sorted)) > 0;
	    i++)
		;
	if (i < want || n <= 0) {
		ld_err_set(err, "temporary file: cannot read event %ld", want);
		goto out;
	}
	if ((j = ld_json_loadb(line, (size_t)n, 0, NULL, &je)) == NULL) {
		ld_err_set(err, "event %ld: %s", want, je.text);
		goto out;
	}
	fprintf(out, "event %ld of %llu, from %s line %lld\n", want,
	    (unsigned long long)sh->res->nsorted,
	    json_string_value(json_object_get(j, "src")) ?
	    json_string_value(json_object_get(j, "src")) : "-",
	    (long long)json_integer_value(json_object_get(j, "line")));
	text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fprintf(out, "%s\n", text ? text : "");
	free(text);
	json_decref(j);
	rc = 0;
out:
	free(line);
	return rc;
}

static int
c_hist(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	struct ld_hist *h;
	struct ld_tz tz;
	struct ld_rec r = { 0 };
	struct ld_buf b = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	enum ld_hist_unit u = LD_HIST_HOUR;

	if (argc > 1 && strcmp(argv[1], "day") == 0)
		u = LD_HIST_DAY;
	else if (argc > 1 && strcmp(argv[1], "hour") != 0)
		return ld_err_set(err, "hist %s: the unit is hour or day", argv[1]);
	if (sorted(sh, out, err) < 0)
		return -1;
	ld_tz_parse(&tz, "UTC", NULL);
	h = ld_hist_new(u, LD_HIST_BY_EVENT, &tz);
	rewind(sh->res->sorted);
	while ((n = getline(&line, &cap, sh->res->sorted)) > 0) {
		ld_parse_line(sh->rp, NULL, "-", 0, line, (size_t)n - 1, &r);
		ld_hist_add(h, &r);
	}
	ld_hist_text(h, 60, 0, &b);
	if (b.len)
		fwrite(b.p, 1, b.len, out);
	ld_buf_free(&b);
	free(line);
	ld_rec_free(&r);
	ld_hist_free(h);
	return 0;
}

static int
c_save(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	struct ld_atomic a;
	FILE *fp;
	char buf[65536];
	size_t n;
	int force = strcmp(argv[0], "save!") == 0;

	/* Before any search: where it goes, and whether it may replace. */
	if (!force && access(argv[1], F_OK) == 0)
		return ld_err_set(err, "%s: exists; \"save! %s\" replaces it",
		    argv[1], argv[1]);
	if (ld_atomic_check(argv[1], 0, err) < 0 || answer(sh, out, err) < 0)
		return -1;
	/* Atomically: a half-written file never carries the final name. */
	if ((fp = ld_atomic_open(&a, argv[1], err)) == NULL)
		return -1;
	fflush(sh->res->fp);
	rewind(sh->res->fp);
	while ((n = fread(buf, 1, sizeof(buf), sh->res->fp)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	if (ferror(sh->res->fp) || ferror(fp)) {
		ld_atomic_abort(&a);
		return ld_err_set(err, "%s: write error", argv[1]);
	}
	if (ld_atomic_commit(&a, force, err) < 0)
		return -1;
	fprintf(out, "%llu events written to %s\n",
	    (unsigned long long)sh->res->matched, argv[1]);
	return 0;
}

/* "hunt [LEVEL]": the GitLab rule pack over the matching events; the
 * findings at LEVEL or above (low when not given), highest first. */
static int
c_hunt(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	struct ld_grep *g = NULL;
	struct ld_hunt *h = NULL;
	struct ld_srclist l;
	struct ld_grep_sink sink = { .arg = out, .diag = diag };
	const struct ld_finding *f;
	char t1[LD_TIME_BUFSZ];
	FILE *null;
	int level = argc > 1 ? ld_level_parse(argv[1]) : LD_LEVEL_LOW, rc;
	size_t i;

	if (level < 0)
		return ld_err_set(err, "%s: not informational, low, medium, high "
		    "or critical", argv[1]);
	if (sh->nsrc == 0)
		return ld_err_set(err, "no sources: add some with \"source PATH\"");
	if (ld_scope_validate(&sh->scope, err) < 0)
		return -1;
	if (sh->rules == NULL) {
		sh->rules = ld_rules_new();
		if (ld_rules_load_builtin(sh->rules, err) < 0 ||
		    ld_rules_finish(sh->rules, err) < 0) {
			ld_rules_free(sh->rules);
			sh->rules = NULL;
			return -1;
		}
	}
	g = ld_grep_new(sh->fs, &sh->scope);
	if ((sh->pattern && ld_grep_set_pattern(g, sh->pattern, sh->icase,
	    err) < 0)) {
		ld_grep_free(g);
		return -1;
	}
	for (i = 0; i < sh->npreds; i++)
		if (ld_grep_add_field(g, sh->preds[i], err) < 0) {
			ld_grep_free(g);
			return -1;
		}
	ld_grep_set_threads(g, sh->threads);
	if ((null = fopen("/dev/null", "w")) == NULL) {
		ld_grep_free(g);
		return ld_err_set(err, "/dev/null: %s", strerror(errno));
	}
	h = ld_hunt_new(sh->rules, sh->fs, (enum ld_level)level);
	ld_hunt_set_output(h, 0);
	ld_srclist_expand(&l, sh->src, sh->nsrc);
	rc = ld_hunt_run(h, g, &l, null, &sink);
	ld_srclist_free(&l);
	fclose(null);
	for (i = 0; (f = ld_hunt_finding(h, i)) != NULL; i++) {
		if (f->has_first)
			ld_time_format(&f->first, t1);
		else
			strcpy(t1, "-");
		fprintf(out, "%-13s %5llu  %-24s %s\n", ld_level_name(f->rule->level),
		    (unsigned long long)f->fired, t1, f->rule->title);
	}
	fprintf(out, "%zu rules fired at %s or above\n", i,
	    ld_level_name((enum ld_level)level));
	ld_hunt_free(h);
	ld_grep_free(g);
	if (rc == -2)
		return ld_err_set(err, "write error: %s", strerror(errno));
	return 0;
}

static int
c_source(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	if (argc == 1) {
		for (size_t i = 0; i < sh->nsrc; i++)
			fprintf(out, "%s\n", sh->src[i]);
		return 0;
	}
	if (strcmp(argv[0], "unsource") == 0) {
		strv_clear(&sh->src, &sh->nsrc);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		ld_shell_add_source(sh, argv[i]);
	return 0;
}

static int
c_help(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	for (int i = 0; cmds[i].name; i++)
		fprintf(out, "  %-30s %s\n", cmds[i].usage, cmds[i].help);
	return 0;
}

static int
c_quit(struct ld_shell *sh, int argc, char **argv, FILE *out,
    struct ld_err *err)
{
	return 1;
}

static const struct cmd cmds[] = {
	{ "ns", 2, MAXARGS, "ns PATH...", "add tenant namespaces", c_add },
	{ "project", 2, MAXARGS, "project PATH...", "add projects", c_add },
	{ "user", 2, MAXARGS, "user NAME|ID...", "add users", c_add },
	{ "event", 2, MAXARGS, "event GLOB...", "add event types", c_add },
	{ "ip", 2, MAXARGS, "ip ADDR[/BITS]...", "add client addresses", c_add },
	{ "cid", 2, MAXARGS, "cid ID...", "add correlation ids", c_add },
	{ "since", 2, 2, "since TIME", "window start (RFC 3339, date, 7d)", c_window },
	{ "until", 2, 2, "until TIME", "window end, exclusive", c_window },
	{ "grep", 1, 2, "grep [PATTERN]", "PCRE2 pattern on the raw line (none: off)", c_grep },
	{ "igrep", 1, 2, "igrep [PATTERN]", "the same, in any case", c_grep },
	{ "field", 2, 2, "field NAME=V|NAME~RE", "add a field predicate", c_field },
	{ "load", 2, 2, "load FILE", "replace the scope by a request file", c_load },
	{ "clear", 1, 1, "clear", "forget the scope, pattern and predicates", c_clear },
	{ "scope", 1, 1, "scope", "show the scope and the sources", c_scope },
	{ "source", 1, MAXARGS, "source [PATH...]", "add sources (none: list them)", c_source },
	{ "unsource", 1, 1, "unsource", "forget every source", c_source },
	{ "count", 1, 1, "count", "matching events per source", c_count },
	{ "sources", 1, 1, "sources", "the sources with matching events", c_count },
	{ "show", 1, 2, "show [N]", "the first N events in time order (20)", c_show },
	{ "detail", 2, 2, "detail N", "event N of show, as indented JSON", c_detail },
	{ "hist", 1, 2, "hist [hour|day]", "a histogram of the events by event type", c_hist },
	{ "save", 2, 2, "save FILE", "write the matching events as ld-records", c_save },
	{ "hunt", 1, 2, "hunt [LEVEL]", "the GitLab rules over the matching events (low)", c_hunt },
	{ "save!", 2, 2, "save! FILE", "the same, replacing FILE", c_save },
	{ "help", 1, 1, "help", "this list", c_help },
	{ "quit", 1, 1, "quit", "leave (also end of input)", c_quit },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

/* Split line into words in place; double quotes group, backslash escapes
 * inside them.  Returns the count, or -1 when the quotes are unbalanced. */
static int
split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			return argc;
		if (argc == max)
			return -2;
		argv[argc++] = w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && p[1])
						p++;
					*w++ = *p++;
				}
				if (*p != '"')
					return -1;
				p++;
			} else
				*w++ = *p++;
		}
		if (*p)
			p++;
		*w = '\0';
	}
}

/* Edit distance between a and b (short words), with transpositions. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[24][24];

	if (la > 22 || lb > 22)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t k = 0; k <= lb; k++)
		d[0][k] = k;
	for (size_t i = 1; i <= la; i++)
		for (size_t k = 1; k <= lb; k++) {
			size_t v = d[i - 1][k - 1] + (a[i - 1] != b[k - 1]);

			if (d[i - 1][k] + 1 < v)
				v = d[i - 1][k] + 1;
			if (d[i][k - 1] + 1 < v)
				v = d[i][k - 1] + 1;
			if (i > 1 && k > 1 && a[i - 1] == b[k - 2] &&
			    a[i - 2] == b[k - 1] && d[i - 2][k - 2] + 1 < v)
				v = d[i - 2][k - 2] + 1;
			d[i][k] = v;
		}
	return d[la][lb];
}

/* The command closest to a mistyped word, or NULL when none is close. */
static const char *
nearest(const char *word)
{
	const char *best = NULL;
	size_t bd = 3, len = strlen(word);

	for (int i = 0; cmds[i].name; i++) {
		size_t dd = distance(word, cmds[i].name);

		/* One edit for short words, two for longer ones. */
		if (dd < bd && dd <= (len > 4 ? 2u : 1u)) {
			bd = dd;
			best = cmds[i].name;
		}
	}
	return best;
}

int
ld_shell_exec(struct ld_shell *sh, const char *text, FILE *out,
    struct ld_err *err)
{
	char *line = ld_xstrdup(text), *argv[MAXARGS + 1];
	int argc, rc = -1;
	const struct cmd *c;

	argc = split(line, argv, MAXARGS);
	if (argc == -1) {
		ld_err_set(err, "unbalanced quotes");
		goto out;
	}
	if (argc == -2) {
		ld_err_set(err, "too many words (at most %d)", MAXARGS);
		goto out;
	}
	if (argc == 0) {
		rc = 0;
		goto out;
	}
	for (c = cmds; c->name && strcmp(c->name, argv[0]) != 0; c++)
		;
	if (c->name == NULL) {
		const char *near = nearest(argv[0]);

		if (near)
			ld_err_set(err, "%s: unknown command; did you mean \"%s\"?",
			    argv[0], near);
		else
			ld_err_set(err, "%s: unknown command (try \"help\")",
			    argv[0]);
		goto out;
	}
	if (argc < c->minargs || argc > c->maxargs) {
		ld_err_set(err, "usage: %s", c->usage);
		goto out;
	}
	rc = c->run(sh, argc, argv, out, err);
out:
	free(line);
	return rc;
}
