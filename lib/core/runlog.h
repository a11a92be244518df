/*
 * runlog.h — the run history of a dive: every step says what it ran.
 *
 * When the environment variable LD_RUNLOG names a file, ldgrep, ldredact,
 * ldtimeline and ldbundle each append one line of JSON to it when they are
 * done, before their standard output is closed (so the next step of a
 * pipeline, which reads until that close, finds the line):
 *
 *	{"tool":"ldredact","version":"0.1.0","argv":["ldredact","-p",...],
 *	 "inputs":[{"name":"-","bytes":185762,"sha256":"b5df..."}],
 *	 "outputs":[{"name":"-","bytes":74390,"sha256":"42a2..."}],
 *	 "status":0}
 *
 * No time and no process id: the same dive appends the same lines.  The
 * SHA-256 of one step's output is the SHA-256 of the next step's input,
 * which is how ldbundle finds the steps of its own records among the lines
 * of earlier dives (ld-bundle(5)).  Without LD_RUNLOG nothing is written
 * and every function here does nothing.
 *
 *	struct ld_runlog *rl = ld_runlog_start("ldgrep", argc, argv);
 *	out = ld_runlog_out(rl, stdout, "-");    digested on the way
 *	ld_runlog_input(rl, path, NULL, 0);      a file: its size is taken
 *	...write to out...
 *	ld_runlog_finish(rl, status, &err);      flushes out, appends, frees
 */
#ifndef LD_RUNLOG_H
#define LD_RUNLOG_H

#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"

#define LD_RUNLOG_ENV "LD_RUNLOG"

struct ld_runlog;

/* ld_runlog_start - a run of tool with its command line, or NULL when
 * LD_RUNLOG is not set (every other function accepts NULL).  argv is
 * copied; its first word is kept without its directory. */
struct ld_runlog *ld_runlog_start(const char *tool, int argc, char **argv);

/* ld_runlog_out - a stream that writes to fp and digests what passes,
 * recorded as the output name; fp itself when rl is NULL or the stream
 * cannot be made.  The stream is rl's: ld_runlog_finish() flushes and
 * closes it (never fp). */
FILE *ld_runlog_out(struct ld_runlog *rl, FILE *fp, const char *name);

/* ld_runlog_wrote - n bytes of p were written to the standard output
 * (named "-" in the line): for a tool that writes there itself. */
void ld_runlog_wrote(struct ld_runlog *rl, const void *p, size_t n);

/* ld_runlog_in - a digest for the caller to feed with every byte of its
 * input, recorded as name; owned by rl.  NULL when rl is NULL. */
struct ld_digest *ld_runlog_in(struct ld_runlog *rl, const char *name);

/* ld_runlog_input, ld_runlog_output - an input or output read or written
 * otherwise: sha256 as hex (or NULL when not known) and its size in bytes
 * (0 with a NULL sha256: the size of the file name, if it is one). */
void ld_runlog_input(struct ld_runlog *rl, const char *name,
    const char *sha256, uint64_t bytes);
void ld_runlog_output(struct ld_runlog *rl, const char *name,
    const char *sha256, uint64_t bytes);

/* ld_runlog_finish - flush the streams of ld_runlog_out(), append the
 * line with the exit status to the run log and free rl.  Returns 0 (also
 * for a NULL rl) or -1 with err set when the line cannot be written. */
int ld_runlog_finish(struct ld_runlog *rl, int status, struct ld_err *err);

#endif
