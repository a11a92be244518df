/*
 * ldbundle — build, review, approve, verify and export the artefact bundle
 * of a log-dive (a BagIt bag; see ldbundle(1) and ld-bundle(5)).
 *
 * This file parses the command line, calls lib/bag/bag.h and turns the results
 * into messages and an exit status: 0 all well, 1 problems found (verify,
 * review, approve or export of a bag that does not verify), 2 trouble.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bag/bag.h"
#include "core/atomic.h"
#include "core/runlog.h"
#include "format/format.h"

#ifndef LD_VERSION
#define LD_VERSION "0.0.0"
#endif

enum {
	O_FAST = 256, O_FORCE, O_HELP, O_KEY, O_ORG, O_READY, O_REPORT,
	O_REVIEWER, O_ROLE, O_SCOPE, O_SOURCES, O_TIMELINE, O_TRUST, O_VERSION,
	O_KEYRING, O_DRAFT, O_MAXSIZE, O_MAXRATIO, O_HTML,
};

/* The one option table: getopt, usage() and --help are made from it (and
 * the completions and the man page follow it; a test compares). */
static const struct opt {
	const char *cmds;	/* subcommands that take it, space-separated */
	const char *name;
	int val;		/* short option letter or O_* */
	const char *arg;	/* NULL: takes no argument */
	const char *help;
	int required;		/* in every subcommand that takes it */
} opts[] = {
	{ "create", "force", O_FORCE, NULL, "replace an existing output", 0 },
	{ "approve", "force", O_FORCE, NULL, "replace this reviewer's approval", 0 },
	{ "export", "force", O_FORCE, NULL, "replace an existing output", 0 },
	{ "export", "draft", O_DRAFT, NULL, "pack a bag that is not approved, marked as a draft", 0 },
	{ "verify", "fast", O_FAST, NULL, "structure and Payload-Oxum only; all checksums when ready is asked", 0 },
	{ "approve", "key", O_KEY, "KEY.pem", "Ed25519 private key to sign with", 1 },
	{ "review", "html", O_HTML, "FILE", "write the page with its approvals to FILE", 0 },
	{ "verify review export", "keyring", O_KEYRING, "FILE", "trusted approvers: role, key and name", 0 },
	{ "verify", "max-ratio", O_MAXRATIO, "N", "unpack at most N bytes per archive byte", 0 },
	{ "verify", "max-size", O_MAXSIZE, "SIZE", "unpack at most SIZE bytes (K, M, G)", 0 },
	{ "create export", "output", 'o', "PATH", "bag directory or archive to write", 1 },
	{ "create", "organization", O_ORG, "NAME", "Source-Organization of the bag", 0 },
	{ "verify", "quiet", 'q', NULL, "print problems only", 0 },
	{ "verify", "ready", O_READY, NULL, "also require trusted security and legal approval", 0 },
	{ "create", "report", O_REPORT, "FILE", "redaction report made by ldredact", 0 },
	{ "approve", "reviewer", O_REVIEWER, "NAME", "who approves", 1 },
	{ "approve", "role", O_ROLE, "ROLE", "security or legal", 1 },
	{ "create", "scope", O_SCOPE, "FILE", "the request file", 1 },
	{ "create", "source-root", O_SOURCES, "DIR", "where the records' sources are", 0 },
	{ "create", "timeline", O_TIMELINE, "FILE", "prepared Timesketch CSV to include", 0 },
	{ "verify", "trust", O_TRUST, "PUB.pem", "count only approvals by this key (repeatable)", 0 },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const struct cmd {
	const char *name;
	const char *operands;
	int (*run)(int, char **, char **, int);
} *cmd;

static void
usage_of(FILE *fp, const char *name, const char *operands)
{
	size_t i;

	fprintf(fp, "       ldbundle %s", name);
	for (i = 0; i < NOPTS; i++) {
		if (!strstr(opts[i].cmds, name))
			continue;
		fputs(opts[i].required ? " " : " [", fp);
		if (opts[i].val < 256)
			fprintf(fp, "-%c", opts[i].val);
		else
			fprintf(fp, "--%s", opts[i].name);
		if (opts[i].arg)
			fprintf(fp, " %s", opts[i].arg);
		if (!opts[i].required)
			fputc(']', fp);
	}
	fprintf(fp, " %s\n", operands);
}

static int cmd_create(int, char **, char **, int);
static int cmd_verify(int, char **, char **, int);
static int cmd_review(int, char **, char **, int);
static int cmd_approve(int, char **, char **, int);
static int cmd_export(int, char **, char **, int);
static int cmd_gap(int, char **, char **, int);

static const struct cmd cmds[] = {
	{ "create", "[INPUT ...]", cmd_create },
	{ "verify", "BAG | ARCHIVE", cmd_verify },
	{ "review", "BAG", cmd_review },
	{ "approve", "BAG", cmd_approve },
	{ "export", "BAG", cmd_export },
	{ "gap", "BAG", cmd_gap },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
usage(int help)
{
	FILE *fp = help ? stdout : stderr;
	size_t i;

	/* Misuse is said in one line before this; the usage is one
	 * --help away, as with the other tools. */
	if (!help) {
		fprintf(stderr, "try 'ldbundle%s%s --help'\n", cmd ? " " : "",
		    cmd ? cmd->name : "");
		exit(2);
	}
	fputs("usage: ldbundle --help | --version\n", fp);
	for (i = 0; i < NCMDS; i++)
		if (cmd == NULL || cmd == &cmds[i])
			usage_of(fp, cmds[i].name, cmds[i].operands);
	if (help) {
		fputs("\n", fp);
		for (i = 0; i < NOPTS; i++) {
			char lhs[48];

			if (cmd && !strstr(opts[i].cmds, cmd->name))
				continue;
			snprintf(lhs, sizeof(lhs), "%s%c%s--%s%s%s",
			    opts[i].val < 256 ? "-" : "",
			    opts[i].val < 256 ? opts[i].val : ' ',
			    opts[i].val < 256 ? ", " : "  ", opts[i].name,
			    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
			fprintf(fp, "  %-28s %s (%s)\n", opts[i].val < 256 ? lhs :
			    lhs + 1, opts[i].help, opts[i].cmds);
		}
	}
	exit(help ? 0 : 2);
}

/* bad_option - say in one line what getopt_long() (returning c) found
 * wrong, naming the tool, the subcommand and the option, and exit 2. */
static void
bad_option(int argc, char **argv, int c)
{
	const char *a = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	int n = (int)strcspn(a, "=");

	if (c == ':' && strncmp(a, "--", 2) == 0)
		warnx("%s: option '%.*s' needs an argument", cmd->name, n, a);
	else if (c == ':')
		warnx("%s: option '-%c' needs an argument", cmd->name, optopt);
	else if (strncmp(a, "--", 2) == 0 && optopt && a[n] == '=')
		warnx("%s: option '%.*s' takes no argument", cmd->name, n, a);
	else if (strncmp(a, "--", 2) == 0 && optopt == 0)
		warnx("%s: unknown option '%.*s'", cmd->name, n, a);
	else
		warnx("%s: unknown option '-%c'", cmd->name, optopt);
	usage(0);
}

/* getopts - getopt_long over the options of the current subcommand and
 * the common ones; returns the option value as getopt_long() does. */
static int
getopts(int argc, char **argv)
{
	static struct option lo[NOPTS + 3];
	static char so[2 * NOPTS + 4];
	static int built;
	size_t i, n = 0, s = 0;
	int c;

	if (!built) {
		so[s++] = ':';	/* a missing argument is told apart */
		for (i = 0; i < NOPTS; i++) {
			if (!strstr(opts[i].cmds, cmd->name))
				continue;
			lo[n].name = opts[i].name;
			lo[n].has_arg = opts[i].arg ? required_argument : no_argument;
			lo[n].val = opts[i].val;
			n++;
			if (opts[i].val < 256) {
				so[s++] = (char)opts[i].val;
				if (opts[i].arg)
					so[s++] = ':';
			}
		}
		lo[n++] = (struct option){ "help", no_argument, NULL, O_HELP };
		lo[n++] = (struct option){ "version", no_argument, NULL, O_VERSION };
		so[s] = '\0';
		built = 1;
	}
	opterr = 0;	/* said below, with the tool's name first */
	c = getopt_long(argc, argv, so, lo, NULL);
	if (c == '?' || c == ':')
		bad_option(argc, argv, c);
	if (c == O_HELP)
		usage(1);
	if (c == O_VERSION) {
		printf("ldbundle (logdive) %s\n", LD_VERSION);
		exit(0);
	}
	if (c == '?')
		usage(0);
	return c;
}

/* safe - s fit for a terminal (see ld_bag_printable()); never NULL. */
static char *
safe(const char *s)
{
	char *p = ld_bag_printable(s ? s : "?");

	if (p == NULL)
		err(2, NULL);
	return p;
}

/* print_safe - printf's "%s" of s, made safe. */
static void
print_safe(const char *s)
{
	char *p = safe(s);

	fputs(p, stdout);
	free(p);
}

/* print_problems - every problem, one a line on stderr, with the bag's
 * display name in front; returns how many. */
static size_t
print_problems(const char *shown, const struct ld_bag_result *res, int packed)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		const struct ld_bag_problem *p = &res->problems[i];
		char *path = p->path ? safe(p->path) : NULL, *what = safe(p->what);

		if (p->path == NULL)
			warnx("%s: %s", shown, what);
		else
			warnx("%s%s%s: %s", shown, packed ? "!" : "/", path, what);
		free(path);
		free(what);
	}
	return res->nproblems;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
verify(const char *bag, const struct ld_bag_check_opts *o,
    struct ld_bag_result **res)
{
	struct ld_err e = { "" };
	struct stat st;
	int packed, rc;

	if (lstat(bag, &st) == -1) {
		warn("%s", bag);
		return 2;
	}
	packed = S_ISREG(st.st_mode);
	rc = ld_bag_check(bag, o, res, &e);
	if (rc == -1) {
		warnx("%s", e.msg);
		return 2;
	}
	if (print_problems(bag, *res, packed) > 0) {
		warnx("%s: %zu problem%s", bag, (*res)->nproblems,
		    (*res)->nproblems == 1 ? "" : "s");
		return 1;
	}
	return 0;
}

/* keyring - load the keyring named by --keyring, or NULL for none. */
static struct ld_bag_keyring *
keyring(const char *path)
{
	struct ld_bag_keyring *k;
	struct ld_err e = { "" };

	if (path == NULL)
		return NULL;
	if ((k = ld_bag_keyring_load(path, &e)) == NULL) {
		warnx("%s", e.msg);
		exit(2);
	}
	return k;
}

/* size_arg - "123", "64K", "1M", "4G" as bytes; exits 2 on nonsense. */
static uint64_t
size_arg(const char *name, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		goto bad;
	switch (*end) {
	case 'G': case 'g': v <<= 10; /* FALLTHROUGH */
	case 'M': case 'm': v <<= 10; /* FALLTHROUGH */
	case 'K': case 'k': v <<= 10; end++; break;
	case '\0': break;
	default: goto bad;
	}
	if (*end == '\0' && v > 0)
		return v;
bad:
	warnx("--%s %s: not a positive number (K, M, G allowed)", name, s);
	usage(0);
	return 0;
}

static int
cmd_create(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_create_opts o = { 0 };
	struct ld_bag_writer *w = NULL;
	struct ld_formats *fs = NULL;
	struct ld_err e = { "" };
	int c, i, rc = 2;

	while ((c = getopts(argc, argv)) != -1) {
		switch (c) {
		case 'o': o.out = optarg; break;
		case O_FORCE: o.force = 1; break;
		case O_ORG: o.organization = optarg; break;
		case O_REPORT: o.report = optarg; break;
		case O_SCOPE: o.scope = optarg; break;
		case O_SOURCES: o.source_root = optarg; break;
		case O_TIMELINE: o.timeline = optarg; break;
		default: usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.out == NULL || o.scope == NULL) {
		warnx("create needs -o BAG and --scope FILE");
		usage(0);
	}
	/* Before any work: the bag must be able to go where it is asked. */
	if (ld_atomic_check(o.out, 1, &e) < 0) {
		warnx("create: -o: %s", e.msg);
		return 2;
	}
	o.argc = nall;
	o.argv = all;
	o.runlog = getenv(LD_RUNLOG_ENV);
	if ((o.now = ld_bag_now(&e)) == (time_t)-1) {
		warnx("%s", e.msg);
		return 2;
	}
	if ((fs = ld_formats_load(ld_formats_default_dirs(), NULL, &e)) == NULL) {
		warnx("%s", e.msg);
		return 2;
	}
	o.formats = fs;
	if ((w = ld_bag_writer_new(&o, &e)) == NULL) {
		warnx("%s", e.msg);
		goto out;
	}
	for (i = 0; i < argc || (i == 0 && argc == 0); i++) {
		if (ld_bag_writer_add_path(w, argc ? argv[i] : "-", &e) == -1) {
			warnx("%s", e.msg);
			goto out;
		}
	}
	if (ld_bag_writer_commit(w, &e) == -1) {
		warnx("%s", e.msg);
		goto out;
	}
	rc = 0;
out:
	ld_bag_writer_free(w);
	ld_formats_free(fs);
	return rc;
}

/* print_approvals - who approved, in which role, with which key. */
static void
print_approvals(const struct ld_bag_result *res, const char *indent)
{
	size_t i;

	for (i = 0; i < res->napprovals; i++) {
		const struct ld_bag_approval_info *a = &res->approvals[i];

		fputs(indent, stdout);
		print_safe(a->role);
		fputs(" by ", stdout);
		print_safe(a->reviewer);
		fputs(" at ", stdout);
		print_safe(a->approved_at);
		printf(", key SHA-256 %s: %s\n", a->key_sha256 ? a->key_sha256 :
		    "?", !a->valid ? "INVALID" : a->trusted ? "valid, trusted" :
		    "valid, not trusted");
	}
}

static int
cmd_verify(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_check_opts o = { 0 };
	struct ld_bag_keyring *kr = NULL;
	struct ld_bag_result *res = NULL;
	const char **trusted = NULL, **t, *krpath = NULL;
	size_t ntrusted = 0;
	int c, quiet = 0, rc;

	while ((c = getopts(argc, argv)) != -1) {
		switch (c) {
		case O_FAST: o.flags |= LD_BAG_FAST; break;
		case O_KEYRING: krpath = optarg; break;
		case O_MAXRATIO: o.max_ratio = size_arg("max-ratio", optarg); break;
		case O_MAXSIZE: o.max_size = size_arg("max-size", optarg); break;
		case 'q': quiet = 1; break;
		case O_READY: o.flags |= LD_BAG_READY; break;
		case O_TRUST:
			t = reallocarray(trusted, ntrusted + 2, sizeof(*t));
			if (t == NULL)
				err(2, NULL);
			trusted = t;
			trusted[ntrusted++] = optarg;
			trusted[ntrusted] = NULL;
			break;
		default: usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(0);
	if ((o.flags & LD_BAG_READY) && krpath == NULL) {
		warnx("%s: --ready needs --keyring FILE, the approvers trusted "
		    "for each role", argv[0]);
		free(trusted);
		return 2;
	}
	kr = keyring(krpath);
	o.keyring = kr;
	o.trusted = trusted;
	rc = verify(argv[0], &o, &res);
	if (rc == 0 && !quiet) {
		printf("%s: valid bag, %llu payload files, %llu octets", argv[0],
		    (unsigned long long)res->files,
		    (unsigned long long)res->octets);
		/* What the line says of approval, which a reader of "valid"
		 * might take for granted (ldbundle(1), verify). */
		if ((o.flags & LD_BAG_READY) || (kr && res->ready))
			printf(", ready");
		else if (kr)
			printf(", not ready (verify --ready says why)");
		else
			printf(", approvals not checked (no --keyring)");
		putchar('\n');
		if (kr)
			printf("keyring %s: SHA-256 %s\n", krpath,
			    ld_bag_keyring_sha256(kr));
		print_approvals(res, "approved for ");
	}
	ld_bag_result_free(res);
	ld_bag_keyring_free(kr);
	free(trusted);
	return rc;
}

static int
cmd_review(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_check_opts o = { 0 };
	struct ld_bag_keyring *kr = NULL;
	struct ld_bag_result *res = NULL;
	const char *krpath = NULL, *html = NULL;
	char buf[65536];
	ssize_t n;
	int c, fd, rc;

	while ((c = getopts(argc, argv)) != -1) {
		switch (c) {
		case O_HTML: html = optarg; break;
		case O_KEYRING: krpath = optarg; break;
		default: usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(0);
	if (!is_dir(argv[0])) {
		warnx("%s: not a bag directory", argv[0]);
		return 2;
	}
	kr = keyring(krpath);
	o.keyring = kr;
	if ((rc = verify(argv[0], &o, &res)) == 2) {
		ld_bag_keyring_free(kr);
		return 2;
	}
	if (html) {
		struct ld_atomic af = { 0 };
		struct ld_err e = { "" };
		FILE *fp;

		if ((fp = ld_atomic_open(&af, html, &e)) == NULL ||
		    ld_bag_review_html(argv[0], res, fp, &e) == -1 ||
		    ld_atomic_commit(&af, 1, &e) == -1) {
			warnx("%s", e.msg);
			ld_atomic_abort(&af);
			rc = 2;
		}
		ld_bag_result_free(res);
		ld_bag_keyring_free(kr);
		return rc;
	}
	fputs("Bag:        ", stdout);
	print_safe(argv[0]);
	fputs("\nCase:       ", stdout);
	print_safe(res->case_id ? res->case_id : "(unknown)");
	putchar('\n');
	if (rc == 0)
		printf("Integrity:  valid (%llu payload files, %llu octets)\n",
		    (unsigned long long)res->files,
		    (unsigned long long)res->octets);
	else
		printf("Integrity:  NOT VALID, %zu problems (listed above)\n",
		    res->nproblems);
	if (kr)
		printf("Keyring:    SHA-256 %s\n", ld_bag_keyring_sha256(kr));
	else
		printf("Keyring:    none given (--keyring): no approval is "
		    "trusted\n");
	printf("Approvals:%s\n", res->napprovals ? "" : "  none");
	print_approvals(res, "  ");
	printf("Ready:      %s\n\n", res->ready ? "yes" : "no");
	fflush(stdout);
	{
		char *p = malloc(strlen(argv[0]) + sizeof("/data/summary.md"));

		if (p == NULL)
			err(2, NULL);
		sprintf(p, "%s/data/summary.md", argv[0]);
		fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1) {
			warn("%s", p);
			rc = rc ? rc : 1;
		}
		/* the summary escapes what came from logs; a forged one
		 * must not reach the terminal raw either */
		while (fd != -1 && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			ssize_t i;

			for (i = 0; i < n; i++)
				if (((unsigned char)buf[i] < 0x20 &&
				    buf[i] != '\n' && buf[i] != '\t') ||
				    buf[i] == 0x7f)
					buf[i] = '?';
			fwrite(buf, 1, (size_t)n, stdout);
		}
		if (fd != -1)
			close(fd);
		free(p);
	}
	ld_bag_result_free(res);
	ld_bag_keyring_free(kr);
	if (fflush(stdout) == EOF) {
		warn("standard output");
		return 2;
	}
	return rc;
}

static int
cmd_approve(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_approval a = { 0 };
	struct ld_bag_result *res = NULL;
	struct ld_err e = { "" };
	char *dir = NULL;
	int c, rc;

	while ((c = getopts(argc, argv)) != -1) {
		switch (c) {
		case O_FORCE: a.force = 1; break;
		case O_KEY: a.key = optarg; break;
		case O_REVIEWER: a.reviewer = optarg; break;
		case O_ROLE: a.role = optarg; break;
		default: usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || a.key == NULL || a.reviewer == NULL || a.role == NULL) {
		warnx("approve needs BAG, --reviewer, --role and --key");
		usage(0);
	}
	if (strcmp(a.role, "security") != 0 && strcmp(a.role, "legal") != 0) {
		warnx("%s: role must be security or legal", a.role);
		usage(0);
	}
	if (!is_dir(argv[0])) {
		warnx("%s: not a bag directory", argv[0]);
		return 2;
	}
	if ((a.now = ld_bag_now(&e)) == (time_t)-1) {
		warnx("%s", e.msg);
		return 2;
	}
	if ((rc = verify(argv[0], &(struct ld_bag_check_opts){ 0 }, &res)) != 0) {
		ld_bag_result_free(res);
		if (rc == 1)
			warnx("%s: not approving a bag with problems", argv[0]);
		return rc;
	}
	ld_bag_result_free(res);
	if (ld_bag_approve(argv[0], &a, &dir, &e) == -1) {
		warnx("%s", e.msg);
		return 2;
	}
	printf("%s: approved for %s by %s (%s)\n", argv[0], a.role, a.reviewer,
	    dir);
	free(dir);
	return 0;
}

static int
cmd_export(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_check_opts o = { 0 };
	struct ld_bag_keyring *kr = NULL;
	struct ld_bag_result *res = NULL;
	struct ld_err e = { "" };
	const char *out = NULL, *krpath = NULL;
	char *written = NULL;
	int c, flags = 0, rc;

	while ((c = getopts(argc, argv)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case O_DRAFT: flags |= LD_BAG_PACK_DRAFT; break;
		case O_FORCE: flags |= LD_BAG_PACK_FORCE; break;
		case O_KEYRING: krpath = optarg; break;
		default: usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || out == NULL)
		usage(0);
	if (strcmp(out, "-") != 0 && ld_atomic_check(out, 0, &e) < 0) {
		warnx("export: -o: %s", e.msg);
		return 2;
	}
	if (!is_dir(argv[0])) {
		warnx("%s: not a bag directory", argv[0]);
		return 2;
	}
	if (krpath == NULL && !(flags & LD_BAG_PACK_DRAFT)) {
		warnx("%s: not exporting: an approved bag is checked against "
		    "--keyring FILE; without one, export only a --draft", argv[0]);
		return 2;
	}
	kr = keyring(krpath);
	o.keyring = kr;
	if (!(flags & LD_BAG_PACK_DRAFT))
		o.flags = LD_BAG_READY;
	rc = verify(argv[0], &o, &res);
	ld_bag_result_free(res);
	ld_bag_keyring_free(kr);
	if (rc != 0) {
		if (rc == 1 && (flags & LD_BAG_PACK_DRAFT))
			warnx("%s: not exporting a bag with problems", argv[0]);
		else if (rc == 1)
			warnx("%s: not exporting a bag that is not approved "
			    "(--draft packs it marked as not approved)", argv[0]);
		return rc;
	}
	if (ld_bag_pack(argv[0], out, flags, &written, &e) == -1) {
		warnx("%s", e.msg);
		return 2;
	}
	if (strcmp(written, out) != 0 || (flags & LD_BAG_PACK_DRAFT))
		printf("%s: draft, not approved, written to %s\n", argv[0],
		    written);
	free(written);
	return 0;
}

static int
cmd_gap(int argc, char **argv, char **all, int nall)
{
	struct ld_bag_result *res = NULL;
	struct ld_err e = { "" };
	int c, rc;

	while ((c = getopts(argc, argv)) != -1)
		usage(0);
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(0);
	if (!is_dir(argv[0])) {
		warnx("%s: not a bag directory", argv[0]);
		return 2;
	}
	/* a draft issue must not rest on a bag that changed */
	rc = verify(argv[0], &(struct ld_bag_check_opts){ 0 }, &res);
	ld_bag_result_free(res);
	if (rc != 0)
		return rc;
	if (ld_bag_gap(argv[0], stdout, &e) == -1) {
		warnx("%s", e.msg);
		return 2;
	}
	if (fflush(stdout) == EOF) {
		warn("standard output");
		return 2;
	}
	return 0;
}

/* list_options - every option of every subcommand once, in the form of
 * the other tools' --list-options ("--name[=] [-x]<TAB>help"), for the
 * completions and the documentation tests. */
static void
list_options(void)
{
	size_t i, j;

	for (i = 0; i < NOPTS; i++) {
		for (j = 0; j < i && strcmp(opts[j].name, opts[i].name); j++)
			;
		if (j < i)
			continue;
		printf("--%s%s", opts[i].name, opts[i].arg ? "=" : "");
		if (opts[i].val < 256)
			printf(" -%c", opts[i].val);
		printf("\t%s\n", opts[i].help);
	}
}

int
main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2)
		usage(0);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(1);
	if (strcmp(argv[1], "--version") == 0) {
		printf("ldbundle (logdive) %s\n", LD_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--list-options") == 0) {
		list_options();
		return 0;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			cmd = &cmds[i];
	if (cmd == NULL) {
		warnx("%s: unknown command", argv[1]);
		usage(0);
	}
	return cmd->run(argc - 1, argv + 1, argv, argc);
}
