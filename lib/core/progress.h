/*
 * progress.h — a one-line progress display for long runs on a terminal.
 *
 *	struct ld_progress *p = ld_progress_start(stderr, "ldgrep", poll, g,
 *	    total_bytes, nsources);
 *	... the work, in any thread ...
 *	ld_progress_stop(p);
 *
 * A thread of its own asks poll() for the figures a few times a second
 * and redraws one line on fp: bytes read of the total, sources done,
 * matches so far, the rate and the time left.  Nothing is drawn in the
 * first half second, so that short runs never flash a line, and the line
 * is erased when the display stops.  Whether to show it at all (a
 * terminal, --no-progress, the environment) is the caller's decision:
 * see ld_progress_wanted().
 */
#ifndef LD_PROGRESS_H
#define LD_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct ld_progress_state {
	uint64_t bytes;		/* read so far (compressed, as on disk) */
	uint64_t sources;	/* sources done */
	uint64_t matched;	/* matches so far */
};

/* Fill st; called from the display's thread, so it must only read what is
 * safe to read while the work goes on (atomics). */
typedef void (*ld_progress_poll)(void *arg, struct ld_progress_state *st);

struct ld_progress;

/*
 * Whether a display belongs on fd: it is a terminal, TERM is not "dumb",
 * and neither LD_NO_PROGRESS nor NO_PROGRESS is set to a non-empty value.
 */
int ld_progress_wanted(int fd);

/*
 * Start a display on fp, each line starting with name; total is the
 * number of bytes to read (0 when unknown: no share, no time left) and
 * nsources the number of sources.  Never returns NULL (without a thread,
 * it shows nothing).
 */
struct ld_progress *ld_progress_start(FILE *fp, const char *name,
    ld_progress_poll poll, void *arg, uint64_t total, uint64_t nsources);

/* Hold the display while the caller writes to fp (a message): the line
 * is erased now and drawn again after ld_progress_unlock().  NULL is
 * fine. */
void ld_progress_lock(struct ld_progress *p);
void ld_progress_unlock(struct ld_progress *p);

/* Stop the thread, erase the line, free p.  NULL is fine. */
void ld_progress_stop(struct ld_progress *p);

#endif
