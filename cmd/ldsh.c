/*
 * ldsh — an interactive log-dive: set a scope, look at what it finds,
 * narrow it, save it.
 */
#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format/format.h"
#include "shell/shell.h"

enum { OPT_SCOPE = 0x100, OPT_FORMAT_FILE, OPT_INDEX };

static const struct cli_opt opts[] = {
	{ "command", 'c', "LINE", "run LINE (may be repeated), then exit" },
	{ "scope", OPT_SCOPE, "FILE", "start from the request in FILE" },
	{ "format-file", OPT_FORMAT_FILE, "FILE", "add the format definition in FILE" },
	{ "index", OPT_INDEX, "DIR", "skip what the indexes in DIR (ldindex) prove out of scope" },
	{ NULL, 0, NULL, NULL }
};

/* Completion: commands for the first word, file names after it. */
static char *
command_gen(const char *text, int state)
{
	static size_t i, len;
	const char *const *names = ld_shell_commands();

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (names[i])
		if (strncmp(names[i++], text, len) == 0)
			return strdup(names[i - 1]);
	return NULL;
}

static char **
complete(const char *text, int start, int end)
{
	(void)end;
	if (start == 0)
		return rl_completion_matches(text, command_gen);
	return NULL;	/* readline completes file names */
}

/* Run one line; report a bad one.  Returns 1 to leave. */
static int
run(struct ld_shell *sh, const char *line, int *bad)
{
	struct ld_err err;
	int rc = ld_shell_exec(sh, line, stdout, &err);

	fflush(stdout);
	if (rc < 0) {
		cli_warn("%s", err.msg);
		*bad = 1;
	}
	return rc == 1;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct ld_err err;
	struct ld_formats *fs;
	struct ld_shell *sh;
	const char **cmds = NULL, **ffiles = NULL, *scope = NULL, *arg;
	const char *ixdir = NULL;
	struct ld_index_ctx cx = { 0 };
	size_t ncmds = 0, nff = 0;
	char *line = NULL, *hist = NULL;
	int k, bad = 0, tty;

	cli_init(&c, "ldsh", "[-c line] [--scope FILE] [source ...]", opts, argc,
	    argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		switch (k) {
		case 'c':
			cmds = ld_xrealloc(cmds, (ncmds + 1) * sizeof(*cmds));
			cmds[ncmds++] = arg;
			break;
		case OPT_SCOPE: scope = arg; break;
		case OPT_INDEX: ixdir = arg; break;
		case OPT_FORMAT_FILE:
			ffiles = ld_xrealloc(ffiles, (nff + 2) * sizeof(*ffiles));
			ffiles[nff++] = arg;
			ffiles[nff] = NULL;
			break;
		default: cli_usage_exit(&c);
		}
	}
	argc -= optind;
	argv += optind;
	if ((fs = ld_formats_load(ld_formats_default_dirs(), ffiles, &err)) == NULL)
		cli_die(2, "%s", err.msg);
	sh = ld_shell_new(fs);
	if (ixdir) {
		cx.dir = ixdir;
		cx.formats_id = ld_formats_id(fs);
		ld_shell_set_index(sh, &cx);
	}
	for (int i = 0; i < argc; i++)
		ld_shell_add_source(sh, argv[i]);
	if (scope) {
		struct ld_buf b = { 0 };

		ld_buf_adds(&b, "load \"");
		ld_buf_adds(&b, scope);
		ld_buf_adds(&b, "\"");
		if (ld_shell_exec(sh, b.p, stdout, &err) < 0)
			cli_die(2, "%s", err.msg);
		ld_buf_free(&b);
	}
	if (ncmds) {
		for (size_t i = 0; i < ncmds && !run(sh, cmds[i], &bad); i++)
			;
		goto out;
	}
	tty = isatty(0) && isatty(1);
	if (!tty) {
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) > 0)
			if (run(sh, line, &bad))
				break;
		goto out;
	}
	rl_readline_name = "ldsh";
	rl_attempted_completion_function = complete;
	if (getenv("HOME")) {
		struct ld_buf b = { 0 };

		ld_buf_addf(&b, "%s/.ldsh_history", getenv("HOME"));
		hist = ld_buf_detach(&b);
		read_history(hist);
	}
	printf("ldsh %s — \"help\" lists the commands, \"quit\" leaves\n",
	    LD_VERSION);
	while ((line = readline("ldsh> ")) != NULL) {
		if (*line)
			add_history(line);
		if (run(sh, line, &bad))
			break;
		free(line);
	}
	if (hist)
		write_history(hist);
out:
	free(line);
	free(hist);
	free(cmds);
	free(ffiles);
	ld_shell_free(sh);
	ld_formats_free(fs);
	cli_done(&c);
	return bad ? 2 : 0;
}
