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

/* The command names, NULL-terminated, for completion. */
const char *const *ld_shell_commands(void);

#endif
