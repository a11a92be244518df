/*
 * hunt.h — detection rules (Sigma) over the records of a dive.
 *
 *	struct ld_rules *rs = ld_rules_new();
 *	ld_rules_load_path(rs, "rules/", &err);	(or ld_rules_load_builtin)
 *	ld_rules_finish(rs, &err);
 *	struct ld_hunt *h = ld_hunt_new(rs, formats, LD_LEVEL_INFO);
 *	ld_hunt_run(h, grep, &sources, stdout, &sink);
 *	ld_hunt_free(h);
 *	ld_rules_free(rs);
 *
 * A rule is a Sigma rule: a detection (named selections and a condition)
 * over the records of the formats its logsource names, or a Sigma 2
 * correlation (event_count, value_count, temporal, temporal_ordered) over
 * other rules, grouped by fields, within a timespan.  The subset read is
 * listed in ldhunt(1); anything else is refused with the file, the line and
 * the construct, never ignored.
 *
 * A run has two passes.  The first goes through the records of the grep
 * engine (in source order, any number of threads) and keeps only those
 * some rule's detection selects, with the rules they matched.  These go
 * through the timeline's sorter (memory bounded, spilling to temporary
 * files), so the second pass sees them in time order whatever the order of
 * the inputs: there the correlations count, each group holding only the
 * events of its timespan, and groups whose timespan has passed are
 * dropped.  Memory is bounded by the open groups, not by the input, and
 * the open groups by a limit (ld_hunt_set_memory).
 * Records without a valid time sort last and take part in detections but
 * never in correlations (they have no place in time).  Of duplicates (the
 * same audit event streamed and logged, see timeline.h) only the first
 * counts toward correlations; every copy is annotated.
 *
 * A record on which rules fire is written as an ld-record with a member
 * "hunt" before "ev": [{"id","title","level","tags":[...]}, ...], one
 * entry per rule in rule order, in place of the findings of an earlier
 * run.  It holds nothing of the event (no group-by values), so that the
 * tools after it (ldredact, ldtimeline, ldbundle) may pass it on as it is.
 */
#ifndef LD_HUNT_H
#define LD_HUNT_H

#include <stdint.h>
#include <stdio.h>

#include "core/ld.h"
#include "format/format.h"
#include "grep/grep.h"
#include "input/src.h"

enum ld_level {
	LD_LEVEL_INFO, LD_LEVEL_LOW, LD_LEVEL_MEDIUM, LD_LEVEL_HIGH,
	LD_LEVEL_CRITICAL
};

/* The level of a Sigma name ("informational", "low", …), or -1. */
int ld_level_parse(const char *name);
const char *ld_level_name(enum ld_level l);

/* What a rule says of itself; strings owned by the rule set. */
struct ld_rule_info {
	char *id;		/* the rule's id, or its title when none */
	char *title;
	char *description;	/* may be NULL */
	char *type;		/* "detection" or the correlation type */
	char **tags;
	size_t ntags;
	enum ld_level level;
};

struct ld_rules;

struct ld_rules *ld_rules_new(void);
void ld_rules_free(struct ld_rules *rs);

/*
 * Give placeholder %name% (the Sigma "expand" modifier) the values of
 * file: one address, CIDR block or string a line; blank lines and lines
 * starting with '#' are skipped.  Returns 0, or -1 with a message naming
 * the file.  A rule whose placeholder is never given is not run, and
 * ld_rules_finish() leaves a note saying so.
 */
int ld_rules_set_placeholder(struct ld_rules *rs, const char *name,
    const char *file, struct ld_err *err);

/* Load a rule file (.yml/.yaml) or every such file under a directory (in
 * sorted order, recursively).  Returns 0, or -1 with "file:line: what". */
int ld_rules_load_path(struct ld_rules *rs, const char *path,
    struct ld_err *err);
/* Load rules from text (name is used in messages). */
int ld_rules_load_text(struct ld_rules *rs, const char *name,
    const char *text, size_t n, struct ld_err *err);
/* Load the shipped GitLab rule pack: from $LD_RULES when it is set (a
 * directory), else the copy compiled into the library. */
int ld_rules_load_builtin(struct ld_rules *rs, struct ld_err *err);

/*
 * After loading: resolve correlation references (by name or id), order
 * correlations over correlations, check ids are unique.  Returns 0, or -1
 * with a message naming the rule's file and line.
 */
int ld_rules_finish(struct ld_rules *rs, struct ld_err *err);

/* Notes of ld_rules_finish() (rules that cannot fire and why): the i-th,
 * or NULL past the end. */
const char *ld_rules_note(const struct ld_rules *rs, size_t i);

size_t ld_rules_count(const struct ld_rules *rs);
const struct ld_rule_info *ld_rules_info(const struct ld_rules *rs, size_t i);

/* A finding of a run: one rule and what it fired on. */
struct ld_finding {
	const struct ld_rule_info *rule;
	uint64_t fired;		/* records annotated */
	int has_first;		/* first and last time, when records had one */
	struct ld_time first, last;
};

struct ld_hunt_stats {
	uint64_t records;	/* in scope, seen by the rules */
	uint64_t candidates;	/* selected by some detection, sorted */
	uint64_t written;	/* annotated and written */
	uint64_t groups_max;	/* most correlation groups open at once */
	uint64_t spilled;	/* bytes the sorter spilled */
	uint64_t corr_dropped;	/* correlations dropped at their limit */
};

struct ld_hunt;

/* A hunt with rule set rs (borrowed, finished) over formats fs (borrowed,
 * those of the grep engine), reporting rules of level min or above.
 * Never returns NULL. */
struct ld_hunt *ld_hunt_new(const struct ld_rules *rs,
    const struct ld_formats *fs, enum ld_level min);
void ld_hunt_free(struct ld_hunt *h);

/*
 * The hunt's own memory (bytes; default 4 MiB).  While the sources are
 * read, the sorter holds at most this much, and it is paid from the
 * budget of the sources read at once (LD_SRC_WORK_MEMORY, src.h): the
 * grep engine's pool gets the rest, so that pool and sorter together stay
 * within it at any -j.  Once the sources are closed, the correlation
 * groups of all rules may hold four times this much: past it, the
 * correlation holding the most is dropped with a problem to the sink
 * naming the rule, its file and line and the time (the run returns -1),
 * and the other rules go on.
 */
void ld_hunt_set_memory(struct ld_hunt *h, size_t bytes);
/* Write records (1, the default) or nothing (0: a summary only). */
void ld_hunt_set_output(struct ld_hunt *h, int records);

/*
 * Write a part of a sharded hunt (1) instead of findings (0, the
 * default): every record some detection selects, at any level, every
 * copy of a duplicate, in time order and as it came from g, with no
 * annotation and no correlation.  A later run with the same rules over
 * the parts of all the shards (as ld-records) finds exactly what one run
 * over all the sources finds: the second pass sees only these records,
 * and sees all of them.  The findings of a partial run are empty.
 */
void ld_hunt_set_partial(struct ld_hunt *h, int partial);

/*
 * Run: the records grep g finds in l go through the rules, and the
 * annotated ones are written to out in time order.  g's output mode is set
 * to records, its work memory to what the sorter leaves (see
 * ld_hunt_set_memory).  Returns 0 when everything was read and every
 * rule ran to the end, -1 when not (each problem went to the sink), -2 on
 * an output error.
 */
int ld_hunt_run(struct ld_hunt *h, struct ld_grep *g,
    const struct ld_srclist *l, FILE *out, const struct ld_grep_sink *sink);

/*
 * The findings after a run: by level (highest first), then time of the
 * first record, then rule order; only rules that fired.  The i-th, or NULL
 * past the end.
 */
const struct ld_finding *ld_hunt_finding(struct ld_hunt *h, size_t i);
const struct ld_hunt_stats *ld_hunt_stats(const struct ld_hunt *h);

/* Append the findings summary as text lines: level, fired, first, last,
 * id and title, tab-separated, after a header line. */
void ld_hunt_summary(struct ld_hunt *h, struct ld_buf *b);

#endif
