/*
 * ldhunt — run Sigma detection rules over the events of a dive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cliformat.h"
#include "cliindex.h"
#include "cliscope.h"
#include "format/format.h"
#include "grep/grep.h"
#include "hunt/hunt.h"
#include "input/src.h"

enum {
	OPT_STATS = 0x100, OPT_SUMMARY, OPT_LIST_RULES, OPT_PACK, OPT_IP_LIST,
	OPT_MEMORY, OPT_PARTIAL
};

static const struct cli_opt opts[] = {
	{ "regexp", 'e', "PATTERN", "PCRE2 pattern the raw line must match" },
	{ "field", 'p', "NAME=VALUE|NAME~RE", "field predicate (canonical name or JSON path)" },
	{ "ignore-case", 'i', NULL, "match PATTERN without regard to case" },
	{ "threads", 'j', "N", "search N sources at once (default 1)" },
	{ "level", 'L', "LEVEL", "report rules of LEVEL or above (informational, low, medium, high, critical)" },
	{ "placeholder", 'P', "NAME=FILE", "values of %NAME% (expand) from FILE, one a line" },
	{ "quiet", 'q', NULL, "print nothing, exit 0 when a rule fired" },
	{ "rules", 'r', "PATH", "load Sigma rules from a file or directory (repeatable)" },
	{ "ip-list", OPT_IP_LIST, "FILE", "addresses and CIDR blocks of the malicious-IP rule" },
	{ "list-rules", OPT_LIST_RULES, NULL, "list the loaded rules and exit" },
	{ "memory", OPT_MEMORY, "SIZE", "memory for sorting candidates, four times it for correlations (default 4M)" },
	{ "pack", OPT_PACK, NULL, "load the shipped GitLab pack as well as -r" },
	{ "partial", OPT_PARTIAL, NULL, "write the records a detection selects, for a run over all parts" },
	{ "stats", OPT_STATS, NULL, "print counts and the findings to standard error" },
	{ "summary", OPT_SUMMARY, NULL, "print the findings summary instead of records" },
	CLI_FORMAT_OPTS,
	CLI_SCOPE_OPTS,
	CLI_INDEX_OPT,
	CLI_NO_INDEX_OPT,
	CLI_SHARD_OPT,
	{ NULL, 0, NULL, NULL }
};

static void
diag(void *arg, const char *msg)
{
	int *trouble = arg;

	*trouble = 1;
	cli_warn("%s", msg);
}

/* A notice that is no trouble (an index not used): said, not counted. */
static void
note(void *arg, const char *msg)
{
	(void)arg;
	cli_warn("%s", msg);
}

static void
list_rules(const struct ld_rules *rs)
{
	const struct ld_rule_info *ri;

	for (size_t i = 0; (ri = ld_rules_info(rs, i)) != NULL; i++)
		printf("%-13s %-16s %s\t%s\n", ld_level_name(ri->level), ri->type,
		    ri->id, ri->title);
}

static void
print_stats(struct ld_grep *g, struct ld_hunt *h, int indexed)
{
	const struct ld_grep_stats *s;
	const struct ld_hunt_stats *hs = ld_hunt_stats(h);
	uint64_t read = 0, parsed = 0, bad = 0, unread = 0, skipped = 0;
	uint64_t bytes_in = 0, bytes_skipped = 0;
	struct ld_buf b = { 0 };
	char *line, *save = NULL;

	for (size_t i = 0; (s = ld_grep_stats(g, i)) != NULL; i++) {
		read += s->read;
		parsed += s->parsed;
		bad += s->malformed;
		unread += s->unreadable;
		skipped += s->indexed;
		bytes_in += s->bytes_in;
		bytes_skipped += s->bytes_skipped;
	}
	fprintf(stderr, "%s: stats: lines read %llu, parsed %llu, malformed "
	    "%llu, unreadable %llu\n", cli_progname, (unsigned long long)read,
	    (unsigned long long)parsed, (unsigned long long)bad,
	    (unsigned long long)unread);
	if (indexed || skipped)
		fprintf(stderr, "%s: stats: skipped by the index %llu of %llu "
		    "lines, %llu of %llu compressed bytes\n", cli_progname,
		    (unsigned long long)skipped, (unsigned long long)read,
		    (unsigned long long)bytes_skipped,
		    (unsigned long long)(bytes_in + bytes_skipped));
	fprintf(stderr, "%s: stats: records in scope %llu, selected by a "
	    "detection %llu, annotated %llu, correlation groups at most %llu, "
	    "spilled %llu bytes\n", cli_progname,
	    (unsigned long long)hs->records, (unsigned long long)hs->candidates,
	    (unsigned long long)hs->written,
	    (unsigned long long)hs->groups_max,
	    (unsigned long long)hs->spilled);
	ld_hunt_summary(h, &b);
	for (line = strtok_r(b.p, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "%s: finding: %s\n", cli_progname, line);
	ld_buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ld_scope scope = { 0 };
	struct ld_err err;
	struct cli_formats F = { 0 };
	struct ld_rules *rs = ld_rules_new();
	struct ld_grep *g = NULL;
	struct ld_hunt *h = NULL;
	struct ld_srclist l = { 0 };
	struct ld_grep_sink sink = { 0 };
	struct cli_index X = { 0 };
	const char *pattern = NULL, *arg;
	const char **preds = NULL, **paths = NULL, **phs = NULL;
	size_t npreds = 0, npaths = 0, nphs = 0, memory = 0;
	int k, icase = 0, threads = 1, stats = 0, summary = 0, listr = 0;
	int quiet = 0, pack = 0, partial = 0, level = LD_LEVEL_INFO, trouble = 0, rc;
	FILE *out = stdout;

	cli_init(&c, "ldhunt", "[options] [-r rules] [--scope FILE] [file | dir | archive | -] ...",
	    opts, argc, argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		if (cli_scope_opt(&scope, k, arg) || cli_formats_opt(&F, k, arg) ||
		    cli_index_opt(&X, k, arg))
			continue;
		switch (k) {
		case 'e': pattern = arg; break;
		case 'p':
			preds = ld_xrealloc(preds, (npreds + 1) * sizeof(*preds));
			preds[npreds++] = arg;
			break;
		case 'i': icase = 1; break;
		case 'j': threads = (int)cli_long("--threads", arg, 1, 64); break;
		case 'L':
			if ((level = ld_level_parse(arg)) < 0)
				cli_die(2, "--level: '%s' is not informational, low, "
				    "medium, high or critical", arg);
			break;
		case 'P':
		case OPT_IP_LIST:
			phs = ld_xrealloc(phs, (nphs + 2) * sizeof(*phs));
			phs[nphs++] = k == 'P' ? NULL : "malicious_ips";
			phs[nphs++] = arg;
			break;
		case 'q': quiet = 1; break;
		case 'r':
			paths = ld_xrealloc(paths, (npaths + 1) * sizeof(*paths));
			paths[npaths++] = arg;
			break;
		case OPT_LIST_RULES: listr = 1; break;
		case OPT_MEMORY: memory = cli_size("--memory", arg); break;
		case OPT_PACK: pack = 1; break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_STATS: stats = 1; break;
		case OPT_SUMMARY: summary = 1; break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if (partial && summary)
		cli_misuse(&c, "options '--partial' and '--summary' cannot be "
		    "used together (a part has no findings)");
	cli_scope_finish(&scope);

	/* Placeholders first: rules take their values as they are read. */
	for (size_t i = 0; i < nphs; i += 2) {
		char *name = NULL;
		const char *file = phs[i + 1];

		if (phs[i] == NULL) {
			const char *eq = strchr(phs[i + 1], '=');

			if (eq == NULL || eq == phs[i + 1] || eq[1] == '\0')
				cli_die(2, "--placeholder: '%s' is not NAME=FILE",
				    phs[i + 1]);
			name = ld_xstrndup(phs[i + 1], (size_t)(eq - phs[i + 1]));
			file = eq + 1;
		}
		if (ld_rules_set_placeholder(rs, name ? name : phs[i], file,
		    &err) < 0)
			cli_die(2, "%s", err.msg);
		free(name);
	}
	if ((npaths == 0 || pack) && ld_rules_load_builtin(rs, &err) < 0)
		cli_die(2, "%s", err.msg);
	for (size_t i = 0; i < npaths; i++)
		if (ld_rules_load_path(rs, paths[i], &err) < 0)
			cli_die(2, "%s", err.msg);
	if (ld_rules_finish(rs, &err) < 0)
		cli_die(2, "%s", err.msg);
	for (size_t i = 0; ld_rules_note(rs, i) != NULL; i++)
		if (!listr)
			cli_warn("%s", ld_rules_note(rs, i));
	if (listr) {
		list_rules(rs);
		rc = 0;
		goto out;
	}

	cli_formats_load(&F);
	g = ld_grep_new(F.fs, &scope);
	if (F.forced)
		ld_grep_set_format(g, F.forced);
	if (pattern && ld_grep_set_pattern(g, pattern, icase, &err) < 0)
		cli_die(2, "%s", err.msg);
	for (size_t i = 0; i < npreds; i++)
		if (ld_grep_add_field(g, preds[i], &err) < 0)
			cli_die(2, "--field: %s", err.msg);
	if (F.year)
		ld_grep_set_ref_year(g, F.year);
	ld_grep_set_threads(g, threads);
	h = ld_hunt_new(rs, F.fs, (enum ld_level)level);
	if (memory)
		ld_hunt_set_memory(h, memory);
	ld_hunt_set_output(h, !quiet && !summary);
	ld_hunt_set_partial(h, partial);
	ld_srclist_expand(&l, argv, (size_t)argc);
	cli_index_shard(&X, &l);
	ld_grep_set_index(g, cli_index_ctx(&X, &F, &l));
	ld_srclist_exclude_fd(&l, fileno(out));
	if (l.n == 1 && strcmp(l.path[0], "-") == 0 && isatty(0))
		cli_warn("reading from standard input (a terminal)");
	sink.arg = &trouble;
	sink.diag = diag;
	sink.note = note;
	rc = ld_hunt_run(h, g, &l, out, &sink);
	if (rc == -2)
		cli_warn("write error on standard output");
	if (summary && !quiet) {
		struct ld_buf b = { 0 };

		ld_hunt_summary(h, &b);
		if (fwrite(b.p, 1, b.len, out) != b.len || fflush(out) != 0) {
			cli_warn("write error on standard output");
			rc = -2;
		}
		ld_buf_free(&b);
	}
	if (stats)
		print_stats(g, h, X.dir != NULL);
	if (rc != 0 || trouble)
		rc = 2;
	else if (partial)
		rc = ld_hunt_stats(h)->written ? 0 : 1;
	else
		rc = ld_hunt_finding(h, 0) ? 0 : 1;
out:
	ld_srclist_free(&l);
	ld_hunt_free(h);
	ld_grep_free(g);
	cli_index_free(&X);
	ld_rules_free(rs);
	cli_formats_free(&F);
	ld_scope_free(&scope);
	free(preds);
	free(paths);
	free(phs);
	cli_done(&c);
	return rc;
}
