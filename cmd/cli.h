/*
 * cli.h — what the logdive tools share on the command line: one option
 * table per tool feeding getopt_long(3), --help, --version and
 * --list-options (read by the completion tests), and messages in the form
 * "tool: object: what went wrong".
 */
#ifndef LD_CLI_H
#define LD_CLI_H

#include <stdio.h>

struct cli_opt {
	const char *name;	/* long name, without dashes */
	int key;		/* short letter, or a code >= 256 */
	const char *arg;	/* argument name, or NULL for a flag */
	const char *help;	/* one line for --help */
};

struct cli {
	const char *prog;
	const char *synopsis;	/* after the program name, for usage */
	const struct cli_opt *opts;
	int argc;
	char **argv;
	void *priv;		/* getopt state */
};

/* Set up; opts ends with a zeroed entry.  --help, --version and
 * --list-options are added and handled by cli_next(). */
void cli_init(struct cli *c, const char *prog, const char *synopsis,
    const struct cli_opt *opts, int argc, char **argv);
/* The next option's key and its argument in *arg; -1 after the last
 * (then optind counts what was parsed).  Misuse prints usage, exits 2. */
int cli_next(struct cli *c, const char **arg);
void cli_done(struct cli *c);
/* Print usage to fp. */
void cli_usage(const struct cli *c, FILE *fp);
/* Misuse: "try 'prog --help'" on stderr, exit 2. */
__attribute__((noreturn)) void cli_usage_exit(const struct cli *c);
/* Misuse: "prog: what is wrong" and the hint above on stderr, exit 2.
 * The message names the option and the problem, in one line. */
__attribute__((noreturn)) void cli_misuse(const struct cli *c,
    const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "prog: message" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void cli_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern const char *cli_progname;

/* A bad option value: "prog: message" and the hint "try 'prog --help'"
 * on stderr, exit 2.  The message names the option. */
__attribute__((noreturn)) void cli_bad_value(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Parse a positive integer option value or die (cli_bad_value()). */
long cli_long(const char *opt, const char *v, long min, long max);
/* Parse a size like 256M, 1G, 4096 (bytes) or die. */
size_t cli_size(const char *opt, const char *v);

/* Whether to colour standard output for --color=when (NULL: auto):
 * "auto" colours a terminal unless NO_COLOR is set or TERM is dumb.  Dies
 * with status 2 naming opt on another value. */
int cli_color(const char *opt, const char *when);

/* Before any work: die with status 2, naming opt, when the file path
 * (NULL or "-": standard output) could not be written. */
void cli_check_output(const char *opt, const char *path);

#endif
