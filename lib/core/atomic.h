/*
 * atomic.h — output that appears whole or not at all.
 *
 * A file is written to a temporary name in the same directory and renamed
 * over its real name only when every byte is written and synced, so a
 * reader never sees half a file and a failure leaves nothing behind.  A
 * directory (a bag) is built the same way: in a temporary directory
 * beside it, then renamed into place.
 *
 *	struct ld_atomic a;
 *	FILE *fp = ld_atomic_open(&a, "out.svg", &err);
 *	fputs(..., fp);
 *	if (ld_atomic_commit(&a, 1, &err) == -1) warn(err.msg);
 *
 * An existing output is replaced only when the caller says so (force):
 * logdive never overwrites a file the user did not name for replacing.
 */
#ifndef LD_ATOMIC_H
#define LD_ATOMIC_H

#include <stdio.h>

#include "core/ld.h"

struct ld_atomic {
	FILE *fp;	/* write here */
	char *path;	/* the real name */
	char *tmp;	/* the temporary name */
	int nosync;	/* set after ld_atomic_open(): commit without
			   fsync(2), for a file that is checked before it
			   is trusted and can be made again (an index) */
};

/*
 * Could a file (or, with dir, a directory) be written at path?  Checks,
 * before any work is done, that the directory it goes in exists and is
 * writable, and that path is not a directory when a file is wanted.
 * Returns 0, or -1 with err naming path and the reason.
 */
int ld_atomic_check(const char *path, int dir, struct ld_err *err);

/*
 * Create a temporary file beside path and return a stream on it (also in
 * a->fp).  Returns NULL with err set when the file cannot be made; a is
 * then empty and needs no abort.
 */
FILE *ld_atomic_open(struct ld_atomic *a, const char *path,
    struct ld_err *err);

/*
 * Flush, sync (unless a->nosync) and close the stream, give the file mode 0644, and rename
 * it to its real name.  An existing file there is replaced only with
 * force.  Returns 0, or -1 with err set and the temporary file removed.
 * Either way a is empty afterwards.
 */
int ld_atomic_commit(struct ld_atomic *a, int force, struct ld_err *err);

/* Throw the temporary file away; a zeroed or committed a is fine. */
void ld_atomic_abort(struct ld_atomic *a);

/*
 * Make a new private directory beside path, named after it (so that the
 * rename into place stays on one file system).  *tmp gets its name, which
 * the caller frees.  Returns 0 or -1 with err set.
 */
int ld_atomic_tempdir(const char *path, char **tmp, struct ld_err *err);

/*
 * Rename tmp (a file or directory) to out.  An existing out is an error
 * unless force; a directory is then swapped aside, the new one renamed in
 * and the old one removed, so that out always names a whole one.
 * Returns 0 or -1 with err set.
 */
int ld_atomic_place(const char *tmp, const char *out, int force,
    struct ld_err *err);

/* Remove path and everything under it, following no link.  Returns 0 or
 * -1 with errno set. */
int ld_rmtree(const char *path);

#endif
