/*
 * format.h — log formats as data, and parsing a line into a record.
 *
 * A format definition is a JSON file (see ld-formats(5)):
 *
 *   {"name":"gitlab.rails", "type":"json",
 *    "files":["*production_json.log*"], "detect":{"keys":["controller"]},
 *    "time":{"fields":["time"], "parse":"rfc3339"},
 *    "fields":{"ns":["meta.root_namespace","meta.project|seg1"],
 *              "event":["{controller}#{action}"], ...}}
 *
 * Text formats have "type":"regex" and a PCRE2 "pattern" whose named
 * groups become the fields of the event.  The definitions shipped with
 * logdive are compiled into the library; files in the share directory,
 * in $LD_FORMATS and given with --format-file are read at run time, and a
 * later definition replaces an earlier one of the same name.
 *
 * A struct ld_formats is read-only once loaded and may be shared by
 * threads; each thread parses with its own struct ld_parser.
 */
#ifndef LD_FORMAT_H
#define LD_FORMAT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/ldtime.h"

/* The canonical fields, in record order. */
enum ld_field {
	LD_F_NS, LD_F_PROJECT, LD_F_USER, LD_F_USER_ID, LD_F_IP, LD_F_EVENT,
	LD_F_CID, LD_F_N
};
#define LD_F_ALL ((1u << LD_F_N) - 1)
extern const char *const ld_field_names[LD_F_N];
/* The index of a canonical name, or -1. */
int ld_field_index(const char *name);

struct ld_format;
struct ld_formats;
struct ld_parser;

/*
 * One parsed line.  Owned by the caller, filled by ld_parse_line() and
 * reused line after line (its buffers keep their memory; free with
 * ld_rec_free()).  Every pointer in it stays valid until the next parse
 * into the same record.
 */
struct ld_jidx;

struct ld_rec {
	const char *src;		/* source name (path or path!member) */
	uint64_t line;			/* 1-based line number in src */
	const struct ld_format *fmt;	/* NULL when no format parsed it */
	const char *fmtname;		/* name of fmt, or of the record's "fmt" */
	int has_ts;
	struct ld_time ts;
	int utf8_repaired;		/* invalid bytes were replaced by U+FFFD */
	int nest_cut;			/* arrays and objects nested past what
					   is read were (LD_JSON_CUT) */
	int is_record;			/* the input line was an ld-record */
	const char *f[LD_F_N];		/* canonical values, NULL when absent */
	size_t flen[LD_F_N];
	json_t *ev;			/* the event as parsed (owned), NULL
					   after a no-tree parse until
					   ld_rec_tree() */
	const char *evraw;		/* the event's JSON text, exactly */
	size_t evrawlen;
	const struct ld_jidx *jidx;	/* an index of the text evraw may
					   point into (jsonx.h), or NULL; the
					   parser's, valid until its next line */
	uint64_t redacted;		/* replacements made by ldredact; written
					   as "redacted" when not 0 */
	const char *hunt;		/* an ld-record's "hunt" member (the
					   findings of ldhunt) as written, or
					   NULL; written back before "ev" */
	size_t huntlen;
	/* storage */
	struct ld_buf fb[LD_F_N];
	struct ld_buf evbuf, srcbuf, tmp, huntbuf;
};

void ld_rec_clear(struct ld_rec *r);	/* drop the event, keep memory */
void ld_rec_free(struct ld_rec *r);	/* release everything */

/*
 * Load the built-in definitions, then every *.json in each directory of
 * dirs (NULL-terminated; missing directories are skipped), then each file
 * of files (NULL-terminated; a missing file is an error).  Returns the set
 * (free with ld_formats_free), or NULL with a message naming the file.
 */
struct ld_formats *ld_formats_load(const char *const *dirs,
    const char *const *files, struct ld_err *err);
void ld_formats_free(struct ld_formats *fs);

/*
 * The zone to assume for times that carry none (syslog, an RFC 3339 time
 * without an offset, application.log's dates), in seconds east of UTC, or
 * LD_TIME_NOZONE (the default) to assume none: such times are then bad
 * times, counted by ld_formats_zoneless().  A format's own "time.zone" is
 * used when this is not set.  Set it before parsing starts; records read
 * with an assumed zone are marked (ts_zone).
 */
void ld_formats_set_tz_assume(struct ld_formats *fs, long off);
/* How many times were left unread because they had no zone and none was
 * assumed, over every parser of fs (safe from any thread). */
unsigned long ld_formats_zoneless(const struct ld_formats *fs);

/* The default search directories: $LD_FORMATS if set, else the installed
 * share directory.  A static NULL-terminated array. */
const char *const *ld_formats_default_dirs(void);

/* The identity of the loaded definitions: 64 hex digits, the same for
 * the same definition texts loaded in the same order.  Valid while fs
 * lives. */
const char *ld_formats_id(const struct ld_formats *fs);
/* Find a format by name; NULL if none. */
const struct ld_format *ld_formats_find(const struct ld_formats *fs,
    const char *name);
/* The first format (by priority) one of whose "files" globs matches the
 * whole source name, "path" or "path!member" (fnmatch(3) without flags:
 * '*' matches '/' and '!' too); NULL when none does. */
const struct ld_format *ld_formats_for_source(const struct ld_formats *fs,
    const char *src);
/* Iterate: the i-th format, NULL past the end. */
const struct ld_format *ld_formats_get(const struct ld_formats *fs, size_t i);
const char *ld_format_name(const struct ld_format *f);
const char *ld_format_description(const struct ld_format *f);
int ld_format_is_text(const struct ld_format *f);
/*
 * Whether every text format of fs is a built-in definition (a file with
 * the text of one counts as it).  Each group of a built-in pattern that
 * a field is read from ends before a delimiter ([^"]+", \S+, [\w.-]+/)
 * or at a word boundary (\b): never between two of [A-Za-z0-9_],
 * whereas a pattern read from a file may end anywhere.  ldgrep's
 * pre-filter relies on it (lib/grep/grep.c, ends_name()); a new
 * built-in pattern must keep it.
 */
int ld_formats_text_builtin(const struct ld_formats *fs);

/* Per-thread parsing state.  ref_year is the year assumed for syslog
 * times that carry none. */
struct ld_parser *ld_parser_new(const struct ld_formats *fs, int ref_year);
void ld_parser_free(struct ld_parser *p);

/*
 * With on, ld_parse_line() reads the format, time and canonical fields of
 * a JSON or text line, or the provenance and fields of an ld-record,
 * straight from its text when it safely can, and leaves r->ev NULL (see
 * ld_rec_tree() for a reader that needs it); of the canonical fields it fills only those in need
 * (bits 1 << LD_F_..., LD_F_ALL for all).  ld_rec_complete() then fills
 * the other fields and a text line's r->evraw, which until then is NULL:
 * a caller that writes a record (ld_rec_write) completes it first.  For a
 * caller that needs only those (ldgrep without JSON-path predicates): it
 * saves building a tree, and most of the work for lines it drops.
 */
void ld_parser_set_no_tree(struct ld_parser *p, int on, unsigned need);

/*
 * With no_tree on, a window [since, until) (each bound only when has_*):
 * ld_parse_line() reads a line's format and time first, and a line whose
 * time is valid and outside the window is returned as LD_PARSE_OUTSIDE
 * without reading its fields, for a caller that drops such lines anyway
 * (ldgrep --since/--until).  A line whose time is missing or bad, an
 * ld-record and a line parsed with a tree are parsed as without a window.
 * has_since and has_until both 0 remove it.
 */
void ld_parser_set_window(struct ld_parser *p, int has_since, int64_t since,
    int has_until, int64_t until);

/* Finish the record of the last ld_parse_line() (see above), before the
 * next parse.  Does nothing when nothing was left. */
void ld_rec_complete(struct ld_parser *p, struct ld_rec *r);

/*
 * The event of r as a jansson tree, for a reader that needs one (JSON
 * paths, a member to decode) after a no-tree parse: r->ev when it is
 * there, else r->evraw parsed now and kept in r->ev, so a record is parsed
 * at most once.  The tree is owned by r and lives until the next parse
 * into r or ld_rec_clear(); borrow it, do not json_decref() it.  Returns
 * NULL when r has no event text (a text line not yet completed) or the
 * text is not JSON.
 *
 *	json_t *v = ld_json_path(ld_rec_tree(r), "meta.user");
 */
json_t *ld_rec_tree(struct ld_rec *r);

enum ld_parse_result {
	LD_PARSE_OK = 0,	/* a format parsed the line; r is filled */
	LD_PARSE_MALFORMED,	/* no format could parse it; r->evraw holds
				   {"raw":"…"} and r->fmt is NULL */
	LD_PARSE_BADTIME,	/* parsed, but the time is missing or invalid */
	LD_PARSE_RXERROR,	/* a text format's pattern could not be run to
				   its end (PCRE2 match, depth, heap or JIT
				   stack limit): the line's format is unknown.
				   r is as for MALFORMED; ld_parser_error()
				   says which format and why */
	LD_PARSE_OUTSIDE	/* only with a window (ld_parser_set_window):
				   the line's time is valid and outside it.
				   r has its format and time; its fields and
				   event are not read */
};

/*
 * Parse one line (without its newline) from source src.  hint is the
 * source's format from its name (ld_formats_for_source(), may be NULL) or
 * one the user forced.  A forced hint is tried first; otherwise content
 * decides: a JSON line goes to the first JSON format (by priority, then
 * the most detect keys) all of whose "detect" keys it has, a text line to
 * the first text format whose pattern matches, and the hint by name only
 * breaks a tie between formats as specific as each other.  A line that is itself an ld-record keeps its
 * provenance (src, line) and its canonical fields.  Invalid UTF-8 is
 * replaced by U+FFFD so the event can still be matched, and marked.
 */
enum ld_parse_result ld_parse_line(struct ld_parser *p,
    const struct ld_format *hint, const char *src, uint64_t lineno,
    const char *line, size_t len, struct ld_rec *r);

/*
 * Flat lines, for a summariser that reads every line of a log and needs
 * only its time and the values its fields are made of (ldindex).  A flat
 * line (jsonx.h, ld_jflat_scan()) is read without ld_parse_line() once a
 * line of its shape has been: what the parser made of that line tells
 * which format takes every line of the shape and where each part of each
 * field's alternatives lies.  The answers are exactly ld_parse_line()'s
 * for a parser without a window (ld_parser_set_window()).
 *
 * ld_flat_new() makes a reader over p (the caller's, which must outlive
 * it); ld_flat_free() releases it (NULL is accepted).  Memory is bounded
 * by a fixed table of shapes, whatever the input.  One reader belongs to
 * one thread.
 *
 * ld_flat_read() reads the line (len bytes, as ld_parse_line() would get
 * it, with the same hint and source name) and returns:
 *   LD_FLAT_NO    not flat, or of a shape whose lines must be parsed:
 *                 the caller parses it with ld_parse_line();
 *   LD_FLAT_NEW   flat, of a shape not known yet: the caller parses it
 *                 with ld_parse_line() and then calls ld_flat_learn()
 *                 with the result and the record;
 *   LD_FLAT_NONE  of a known shape that no format takes (ld_parse_line()
 *                 gives LD_PARSE_MALFORMED);
 *   LD_FLAT_FMT   of a known shape with a format: ld_flat_time(),
 *                 ld_flat_alt() and ld_flat_value() answer for it, until
 *                 the next ld_flat_read().
 * ld_flat_time() gives the line's time as the parser would (1, t filled)
 * or says it has none (0).  A field (LD_F_...) is its first alternative
 * with a value: ld_flat_alt() gives the text alternative a is made of (s
 * and n point into the line or the reader, valid until the next call):
 * 1; 0 when a part is absent or null (the alternative gives nothing); -1
 * when there is no alternative a; -2 when only jansson can read a part
 * (a real number): the caller then parses the line.  ld_flat_value()
 * makes the alternative's value of that text in out: 1 when it has one,
 * 0 when it is empty (the next alternative is tried).  Because a value
 * depends only on the format (ld_flat_format()), the field, the
 * alternative and the text, a caller may remember it by those four.
 */
enum { LD_FLAT_NO, LD_FLAT_NEW, LD_FLAT_NONE, LD_FLAT_FMT };

struct ld_flat;
struct ld_flat *ld_flat_new(struct ld_parser *p);
void ld_flat_free(struct ld_flat *fl);
int ld_flat_read(struct ld_flat *fl, const struct ld_format *hint,
    const char *src, const char *line, size_t len);
void ld_flat_learn(struct ld_flat *fl, enum ld_parse_result res,
    const struct ld_rec *r);
const struct ld_format *ld_flat_format(const struct ld_flat *fl);
int ld_flat_time(struct ld_flat *fl, struct ld_time *t);
int ld_flat_alt(struct ld_flat *fl, int field, size_t a, const char **s,
    size_t *n);
int ld_flat_value(struct ld_flat *fl, int field, size_t a, const char *s,
    size_t n, struct ld_buf *out);

/* After LD_PARSE_RXERROR: "format NAME: its pattern could not be run:
 * WHY, line not parsed" in err (the caller adds tool, source and line). */
void ld_parser_error(const struct ld_parser *p, struct ld_err *err);

/* Fill the canonical fields of r from r->ev by format f (used by
 * ld_parse_line; exposed for tools that change events). */
void ld_format_extract(struct ld_parser *p, const struct ld_format *f,
    struct ld_rec *r);

/*
 * Append r as one ld-record JSONL line (with the newline):
 * {"ts":…,"src":…,"line":…,"fmt":…,["utf8":"repaired",]["ts_year":"guessed",]
 *  ["ts_zone":"assumed",]canonical fields…,["redacted":N,]["hunt":[…],]"ev":…}
 */
void ld_rec_write(const struct ld_rec *r, struct ld_buf *out);

#endif
