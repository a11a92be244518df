/*
 * ldsh — an interactive log-dive: set a scope, look at what it finds,
 * narrow it, save it.
 */
#include <sys/wait.h>
#include <errno.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cliindex.h"
#include "format/format.h"
#include "shell/shell.h"

enum { OPT_SCOPE = 0x100 };

static const struct cli_opt opts[] = {
	{ "command", 'c', "LINE", "run LINE (may be repeated), then exit" },
	{ "scope", OPT_SCOPE, "FILE", "start from the request in FILE" },
	{ "format-file", OPT_FORMAT_FILE, "FILE", "add the format definition in FILE" },
	CLI_INDEX_OPT,
	CLI_NO_INDEX_OPT,
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

/* Set by Ctrl-C; the library watches it while a command runs. */
static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Ctrl-C at the prompt: readline calls this when a signal arrived while
 * it waited; the line typed so far is dropped and a fresh prompt drawn,
 * as in a login shell.
 */
static int
prompt_signal(void)
{
	if (interrupted) {
		interrupted = 0;
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
	}
	return 0;
}

/* A pager for long output on a terminal: $PAGER, or less that leaves a
 * short page on the screen.  NULL when there is none to start. */
static FILE *
pager(void)
{
	const char *p = getenv("PAGER");

	if (p == NULL || *p == '\0')
		p = "less -FRX";
	fflush(stdout);
	return popen(p, "w");
}

#define HISTORY_LINES 1000

/* $LDSH_HISTORY, else ~/.ldsh_history; NULL without a home. */
static char *
history_file(void)
{
	struct ld_buf b = { 0 };
	const char *e = getenv("LDSH_HISTORY"), *home = getenv("HOME");

	if (e && *e)
		return ld_xstrdup(e);
	if (home == NULL || *home == '\0')
		return NULL;
	ld_buf_addf(&b, "%s/.ldsh_history", home);
	return ld_buf_detach(&b);
}

/* Add the last line to the history file, creating it, and keep it to
 * HISTORY_LINES lines. */
static void
save_history(const char *path)
{
	static int warned;
	int e;

	if (access(path, F_OK) != 0)
		e = write_history(path);
	else
		e = append_history(1, path);
	if (e == 0)
		history_truncate_file(path, HISTORY_LINES);
	else if (!warned) {
		cli_warn("%s: cannot write the history: %s", path, strerror(e));
		warned = 1;
	}
}

/* Run one line; report a bad one.  Returns 1 to leave. */
static int
run(struct ld_shell *sh, const char *line, int tty, int *bad)
{
	struct ld_err err;
	FILE *out = stdout, *pg = NULL;
	int rc;

	interrupted = 0;
	if (tty && ld_shell_pages(line) && (pg = pager()) != NULL) {
		/* A pager quit early is not a problem of the session. */
		signal(SIGPIPE, SIG_IGN);
		out = pg;
	}
	rc = ld_shell_exec(sh, line, out, &err);
	if (pg) {
		pclose(pg);
		signal(SIGPIPE, SIG_DFL);
	}
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
	struct cli_index X = { 0 };
	const struct ld_index_ctx *cx;
	size_t ncmds = 0, nff = 0;
	char *line = NULL, *hist = NULL;
	int k, bad = 0, tty;
	struct sigaction sa;

	cli_init(&c, "ldsh", "[-c line] [--scope FILE] [source ...]", opts, argc,
	    argv);
	while ((k = cli_next(&c, &arg)) != -1) {
		switch (k) {
		case 'c':
			cmds = ld_xrealloc(cmds, (ncmds + 1) * sizeof(*cmds));
			cmds[ncmds++] = arg;
			break;
		case OPT_SCOPE: scope = arg; break;
		case OPT_INDEX:
		case OPT_NO_INDEX:
			cli_index_opt(&X, k, arg);
			break;
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
	if ((cx = cli_index_ctx_fs(&X, fs, NULL, NULL)) != NULL)
		ld_shell_set_index(sh, cx);
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
		for (size_t i = 0; i < ncmds && !run(sh, cmds[i], 0, &bad); i++)
			;
		goto out;
	}
	tty = isatty(0) && isatty(1);
	if (!tty) {
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) > 0)
			if (run(sh, line, 0, &bad))
				break;
		goto out;
	}
	/* Interactive, Ctrl-C stops the command, not the shell (a script is
	 * stopped as a whole, as a tool is).  No SA_RESTART, so that a read
	 * waiting on a source returns and the flag is seen. */
	ld_shell_set_cancel(sh, &interrupted);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	rl_readline_name = "ldsh";
	rl_attempted_completion_function = complete;
	/* Signals are ours (see on_sigint); readline only tells us. */
	rl_catch_signals = 0;
	rl_signal_event_hook = prompt_signal;
	hist = history_file();
	if (hist)
		read_history(hist);
	printf("ldsh %s — \"help\" lists the commands, \"quit\" leaves\n",
	    LD_VERSION);
	while ((line = readline("ldsh> ")) != NULL) {
		if (*line) {
			add_history(line);
			/* Written at once: a session killed keeps its history. */
			if (hist)
				save_history(hist);
		}
		if (run(sh, line, 1, &bad))
			break;
		free(line);
	}
	if (line == NULL)
		putchar('\n');
	/* Interactive: the status says whether a command failed. */
	free(hist);
	free(line);
	free(cmds);
	free(ffiles);
	ld_shell_free(sh);
	cli_index_free(&X);
	ld_formats_free(fs);
	cli_done(&c);
	return bad ? 2 : 0;
out:
	free(line);
	free(hist);
	free(cmds);
	free(ffiles);
	/* Scripts exit as the tools do: 2 for a bad command or a source
	 * that could not be read, else 1 when the last search found
	 * nothing, else 0. */
	k = bad ? 2 : ld_shell_status(sh);
	ld_shell_free(sh);
	cli_index_free(&X);
	ld_formats_free(fs);
	cli_done(&c);
	return k;
}
