/*
 * feed.h — the lines of a source, read ahead by a thread of their own.
 *
 * Reading a source (decompressing, splitting lines) and searching its
 * lines are about equal work.  When there are fewer sources than threads,
 * a feed lets one core decode while another searches: a reader thread
 * copies the source's lines, in order, into chunks of about a megabyte,
 * and ld_feed_next() hands them out exactly as ld_src_next() would.  At
 * most FEED_CHUNKS chunks exist, so memory stays bounded.
 */
#ifndef LD_FEED_H
#define LD_FEED_H

#include "input/src.h"

struct ld_feed;

/* About the most a feed holds besides its source: its chunks of lines
 * (4 of about a megabyte) and their line tables. */
#define LD_FEED_MEMORY ((size_t)5 << 20)

/* Start reading s on a new thread.  s belongs to the feed until
 * ld_feed_free(); it must not be used meanwhile. */
struct ld_feed *ld_feed_new(struct ld_src *s);

/* As ld_src_next(): 1 with l filled (valid until the next call), 0 at the
 * end, -1 with err filled for something that could not be read. */
int ld_feed_next(struct ld_feed *f, struct ld_line *l, struct ld_err *err);

/* Stop the reader (if it has not finished), wait for it and release the
 * feed; the source is the caller's again.  Accepts NULL. */
void ld_feed_free(struct ld_feed *f);

#endif
