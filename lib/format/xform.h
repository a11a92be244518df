/*
 * xform.h — the transforms of a format's field alternatives
 * ("path|urlproject|seg1", see ld-formats(5)): what turns a value as a log
 * wrote it into a canonical one.
 */
#ifndef LD_XFORM_H
#define LD_XFORM_H

#include "core/ld.h"

enum ld_xform {
	LD_X_NONE, LD_X_SEG1, LD_X_URLNS, LD_X_HOST, LD_X_NODASH, LD_X_IP,
	LD_X_ID, LD_X_URLPROJECT, LD_X_MSGUSER, LD_X_IFPROJECT
};

/* The transform named name ("seg1", "urlns", "urlproject", "host", "ip",
 * "id", "nodash", "msguser", "ifproject"), or -1 when there is none of that name. */
int ld_xform_parse(const char *name);

/*
 * Apply x to the text in b (NUL-terminated, as ld_buf keeps it), in place:
 * b is rewritten to the result, or emptied when the value gives nothing.
 * May reallocate b->p (only ever to make it shorter than it was plus a
 * byte, so a buffer with room for its text and a NUL is never grown).
 */
void ld_xform_apply(enum ld_xform x, struct ld_buf *b);

#endif
