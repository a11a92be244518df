/*
 * shell.h — the interactive log-dive of ldsh: a session holds a scope, a
 * pattern and a list of sources, and runs one command line at a time over
 * the same engine as ldgrep.
 *
 *	struct ld_shell *sh = ld_shell_new(formats);
 *	ld_shell_exec(sh, "ns acme-corp", stdout, &err);
 *	ld_shell_exec(sh, "count", stdout, &err);
 *	ld_shell_free(sh);
 *
 * Output goes to the FILE the caller gives; the library prints nothing
 * else.  Problems met while reading sources are written to that FILE as
 * "! source: what" lines, so a session never stops on a damaged input.
 */
#ifndef LD_SHELL_H
#define LD_SHELL_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"
#include "format/format.h"
#include "index/index.h"

struct ld_shell;

/* A new session over formats fs (borrowed; it must outlive the session). */
struct ld_shell *ld_shell_new(const struct ld_formats *fs);
void ld_shell_free(struct ld_shell *sh);

/* Search with the sidecar indexes of cx (borrowed; see ldgrep --index):
 * skip what they prove out of scope.  A source read in full for want of
 * a matching index gets a "# source: why" line. */
void ld_shell_set_index(struct ld_shell *sh, const struct ld_index_ctx *cx);

/* Add a source path (file, directory, archive) to the session. */
void ld_shell_add_source(struct ld_shell *sh, const char *path);

/*
 * Run one command line.  Returns 0 when it ran, 1 for "quit", or -1 with
 * a message in err when the line is not a valid command (the session is
 * unchanged then).  "help" lists the commands.
 */
int ld_shell_exec(struct ld_shell *sh, const char *line, FILE *out,
    struct ld_err *err);

/* Watch *flag while a command runs (set by a SIGINT handler): once it is
 * non-zero the command stops and fails with "interrupted", the session
 * as it was.  NULL: never. */
void ld_shell_set_cancel(struct ld_shell *sh, const volatile sig_atomic_t *flag);

/* What a tool would exit with after the searches so far: 2 when a source
 * could not be read, else 1 when the last answer holds no event, else 0
 * (also when nothing was searched). */
int ld_shell_status(const struct ld_shell *sh);

/* How many times the sources were read (an answer from the kept records
 * or a repeated query reads none). */
uint64_t ld_shell_reads(const struct ld_shell *sh);

/* Whether the output of the command line may be long enough to deserve
 * a pager on a terminal ("show"). */
int ld_shell_pages(const char *line);

/* The command names, NULL-terminated, for completion. */
const char *const *ld_shell_commands(void);

#endif
