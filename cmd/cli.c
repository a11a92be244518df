/*
 * cli.c — option tables, usage and messages for the logdive tools.
 */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "core/atomic.h"
#include "core/ld.h"

#define K_HELP 0x7f00
#define K_VERSION 0x7f01
#define K_LIST 0x7f02

const char *cli_progname = "logdive";

struct state {
	struct option *lo;
	char *so;
};

void
cli_init(struct cli *c, const char *prog, const char *synopsis,
    const struct cli_opt *opts, int argc, char **argv)
{
	struct state *st = ld_xcalloc(1, sizeof(*st));
	struct ld_buf so = { 0 };
	size_t n = 0, i;

	/* One heap for every thread, kept.  glibc gives each thread a
	 * heap of its own, and what a thread frees (a decoder's window, a
	 * job's output) stays in its heap: the peak RSS grew with -j
	 * although what is in use at once does not (lib/grep's
	 * WORK_MEMORY).  Blocks of 4 MiB and more (a large window) are
	 * mapped and unmapped on their own; below 8 MiB free at its top the
	 * heap is not given back, so that the next source's buffers do not
	 * fault their pages in again.  Measured on the make bench corpus:
	 * ldgrep -j 8 with 8 processors 42 MiB before, 24 to 26 after, and
	 * fewer page faults than before at -j 2. */
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
	cli_progname = prog;
	c->prog = prog;
	c->synopsis = synopsis;
	c->opts = opts;
	c->argc = argc;
	c->argv = argv;
	while (opts[n].name)
		n++;
	st->lo = ld_xcalloc(n + 4, sizeof(struct option));
	ld_buf_addc(&so, ':');	/* report a missing argument as such */
	for (i = 0; i < n; i++) {
		st->lo[i].name = opts[i].name;
		/* An argument named "[WHEN]" may be left out (--color). */
		st->lo[i].has_arg = opts[i].arg == NULL ? no_argument :
		    opts[i].arg[0] == '[' ? optional_argument : required_argument;
		st->lo[i].val = opts[i].key;
		if (opts[i].key < 256) {
			ld_buf_addc(&so, opts[i].key);
			if (opts[i].arg)
				ld_buf_adds(&so, opts[i].arg[0] == '[' ? "::" : ":");
		}
	}
	st->lo[i++] = (struct option){ "help", no_argument, NULL, K_HELP };
	st->lo[i++] = (struct option){ "version", no_argument, NULL, K_VERSION };
	st->lo[i++] = (struct option){ "list-options", no_argument, NULL, K_LIST };
	st->so = ld_buf_detach(&so);
	c->priv = st;
	optind = 1;
	opterr = 0;	/* cli_next() says what is wrong, in one line */
}

void
cli_done(struct cli *c)
{
	struct state *st = c->priv;

	if (st) {
		free(st->lo);
		free(st->so);
		free(st);
	}
	c->priv = NULL;
}

void
cli_usage(const struct cli *c, FILE *fp)
{
	const struct cli_opt *o;

	fprintf(fp, "usage: %s %s\n", c->prog, c->synopsis);
	for (o = c->opts; o->name; o++) {
		char left[80];

		/* "--color[=WHEN]" for an argument that may be left out */
		const char *sep = o->arg && o->arg[0] != '[' ? " " : "";

		if (o->key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key, o->name,
			    sep, o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
			    sep, o->arg ? o->arg : "");
		if (strlen(left) > 30)
			fprintf(fp, "  %s\n  %-30s %s\n", left, "", o->help);
		else
			fprintf(fp, "  %-30s %s\n", left, o->help);
	}
	fprintf(fp, "  %-30s %s\n", "    --help", "show this help and exit");
	fprintf(fp, "  %-30s %s\n", "    --version", "show the version and exit");
}

void
cli_usage_exit(const struct cli *c)
{
	fprintf(stderr, "try '%s --help'\n", c->prog);
	exit(2);
}

void
cli_misuse(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_usage_exit(c);
}

/* The option of key k, or NULL. */
static const struct cli_opt *
by_key(const struct cli *c, int k)
{
	for (const struct cli_opt *o = c->opts; o->name; o++)
		if (o->key == k)
			return o;
	return NULL;
}

/*
 * Say what getopt_long() found wrong (ret '?' or ':') in one line and
 * exit 2.  An unknown long option leaves optopt 0; a long option given
 * an argument it does not take, or missing one, leaves its key there.
 */
__attribute__((noreturn)) static void
misuse(const struct cli *c, int ret)
{
	const char *a = optind > 0 && optind <= c->argc ? c->argv[optind - 1] :
	    "";
	const struct cli_opt *o = optopt ? by_key(c, optopt) : NULL;
	int islong = strncmp(a, "--", 2) == 0;
	int n = islong ? (int)strcspn(a, "=") : 0;

	if (ret == ':') {
		if (islong)
			cli_misuse(c, "option '%.*s' needs an argument%s%s", n, a,
			    o ? " " : "", o ? o->arg : "");
		cli_misuse(c, "option '-%c' needs an argument%s%s", optopt,
		    o ? " " : "", o ? o->arg : "");
	}
	if (optopt == 0 && islong)
		cli_misuse(c, "unknown option '%.*s'", n, a);
	if (islong && o && a[n] == '=')
		cli_misuse(c, "option '%.*s' takes no argument", n, a);
	if (optopt > 0 && optopt < 256)
		cli_misuse(c, "unknown option '-%c'", optopt);
	cli_misuse(c, "unknown option '%s'", a);
}

int
cli_next(struct cli *c, const char **arg)
{
	struct state *st = c->priv;
	const struct cli_opt *o;
	int k;

	k = getopt_long(c->argc, c->argv, st->so, st->lo, NULL);
	*arg = optarg;
	switch (k) {
	case -1:
		return -1;
	case K_HELP:
		cli_usage(c, stdout);
		exit(0);
	case K_VERSION:
		printf("%s (logdive) %s\n", c->prog, LD_VERSION);
		exit(0);
	case K_LIST:
		for (o = c->opts; o->name; o++) {
			printf("--%s%s", o->name, o->arg ? "=" : "");
			if (o->key < 256)
				printf(" -%c", o->key);
			printf("\t%s\n", o->help);
		}
		exit(0);
	case '?':
	case ':':
		misuse(c, k);
	}
	return k;
}

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void
cli_bad_value(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "try '%s --help'\n", cli_progname);
	exit(2);
}

long
cli_long(const char *opt, const char *v, long min, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		cli_bad_value("%s: '%s' is not a number from %ld to %ld", opt, v,
		    min, max);
	return n;
}

size_t
cli_size(const char *opt, const char *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || v[0] == '-')
		cli_bad_value("%s: '%s' is not a size like 256M", opt, v);
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	default:
		cli_bad_value("%s: '%s' is not a size like 256M", opt, v);
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end)
		cli_bad_value("%s: '%s' is not a size like 256M", opt, v);
	return (size_t)n;
}

int
cli_color(const char *opt, const char *when)
{
	const char *nc = getenv("NO_COLOR");

	if (when == NULL || strcmp(when, "auto") == 0)
		return isatty(1) && (nc == NULL || *nc == '\0') &&
		    (getenv("TERM") == NULL || strcmp(getenv("TERM"), "dumb") != 0);
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	cli_bad_value("%s: '%s' is not auto, always or never", opt, when);
}

void
cli_check_output(const char *opt, const char *path)
{
	struct ld_err err;

	if (path && strcmp(path, "-") != 0 && ld_atomic_check(path, 0, &err) < 0)
		cli_die(2, "%s: %s", opt, err.msg);
}
