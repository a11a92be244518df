/*
 * redact_impl.h — what the parts of the redactor share inside liblogdive:
 * the compiled policy (policy.c), the built-in detectors
 * (redact_detect.c), pseudonyms (redact_pseudo.c), the text scanner
 * (redact_text.c), the JSON rewriter (redact_json.c) and the record level
 * (redact.c).  Not for tools: they use redact.h.
 */
#ifndef LD_REDACT_IMPL_H
#define LD_REDACT_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "format/jsonx.h"
#include "redact/redact.h"

enum rd_action { A_KEEP, A_REMOVE, A_MASK, A_PSEUDONYM, A_DROP };
enum rd_unless { U_NONE, U_OWN_ACCOUNT, U_OWN_ACTOR };
enum rd_check { C_NONE, C_IP };

extern const char *const rd_action_names[];

struct rd_rule {
	char *name;
	enum rd_action action;
	char *kind;		/* pseudonym prefix: "user", "ip", "email", … */
	int field;		/* canonical field, or -1 */
	int text;		/* takes part in the text scan */
	enum rd_check check;	/* a check of text matches (IP addresses) */
	int has_keys;
	int recur;		/* learn values, find them again in text */
	int email;		/* detects emails: their local parts are
				   learned as user names */
	enum rd_unless unless;
};

/* Classes of characters a string holds (rd_classes). */
enum {
	T_AT = 1 << 0, T_DIGIT = 1 << 1, T_DOT = 1 << 2, T_COLON = 1 << 3,
	T_EQ = 1 << 4, T_DASH = 1 << 5, T_UNDER = 1 << 6, T_SLASH = 1 << 7,
	T_UPPER = 1 << 8, T_SPACE = 1 << 9, T_LOWER = 1 << 10,
	T_LONG = 1 << 11,	/* a run of 16 letters and digits or more (only
				   from rd_classes: tokens have one) */
	T_ESC = 1 << 12,	/* "%", "\\" and "&": the string may need a view */
	T_LIT = 1 << 13,	/* a literal's first byte (only in ld_policy.ev) */
	T_NL = 1 << 14		/* CR, LF or TAB: a token may be split
				   (rd_text) */
};
#define T_GATES 0xfff		/* the classes detectors ask for */
#define RD_LONG_RUN 16
extern const unsigned short rd_cls[256];	/* the class of each byte */

/* How a detector finds where to try its pattern. */
enum rd_cand {
	CAND_LIT,	/* from near the first of its literals, or the start */
	CAND_EMAIL,	/* anchored, where an email's local part starts */
	CAND_IP,	/* anchored, where a run of address characters starts */
	CAND_PARAM,	/* from the start, when a sensitive name= is there */
	CAND_AUTH,	/* from the start, when authorization: or bearer is */
	CAND_HOST,	/* from the start, when an internal domain is there */
	CAND_N
};

struct ld_policy {
	char *name, *source, *text;
	char sha256[65];
	struct rd_rule *rules;
	size_t n;
	struct rd_scan *scans;	/* the text rules' patterns, in policy order */
	size_t nscans;
	/* What rd_plan knows of the first 64 scans, by bit (rd_plan_init) */
	uint64_t litmask[256];	/* with a literal starting with a byte */
	uint64_t lit2[256];	/* with one whose second byte it is */
	uint64_t gate[T_GATES + 1];	/* whose gate strings of classes pass */
	uint64_t lenok[64];	/* whose minimum length is at most the index */
	uint64_t lits;		/* CAND_LIT scans with literals */
	uint64_t always;	/* the others that run wherever they pass */
	uint64_t cand[CAND_N];	/* scans by candidate finder */
	unsigned short ev[256];	/* the events of rd_plan a byte can be */
	pcre2_code *key_re;	/* every key glob, marked with its rule index */
	pcre2_code *path_re;	/* the tenant's path keys (no mark) */
	int user_rule;		/* the first rule on the user field, or -1 */
	int uid_rule;		/* the rule for ids of users other than the
				   actor (target_id of a User), or -1 */
	int pem_rule;		/* the rule of the private-key detector, or -1 */
	int tenant_required;
	int require_owned;	/* "accounts": {"require_owned": true} */
	enum rd_action tenant_records;	/* A_DROP or A_KEEP */
	enum rd_action tenant_refs;	/* A_PSEUDONYM, A_MASK or A_KEEP */
	int needs_key;
};

/*
 * A built-in detector: its PCRE2 pattern (byte mode), the pseudonym kind
 * it gives by default, the check its matches must pass, and what a string
 * must hold for the pattern to match (see redact_detect.c): every class
 * of need, one of any (when not 0), minlen bytes, and one of the
 * '|'-separated literals lits (without case when caseless), the match
 * starting at most back bytes before it (-1: anywhere before it).
 */
struct rd_detector {
	const char *name;
	const char *pattern;
	const char *kind;
	enum rd_check check;
	const char *help;
	unsigned any, need;
	size_t minlen;
	const char *lits;
	int caseless;
	int back;
	enum rd_cand cand;
};
extern const struct rd_detector rd_detectors[];
const struct rd_detector *rd_detector_find(const char *name);

/* One pattern of a text rule: a detector's, or the rule's own. */
struct rd_scan {
	pcre2_code *re;
	int rule;
	const struct rd_detector *d;	/* NULL for a rule's own pattern */
	enum rd_check check;
	char **lits;			/* d's literals, split, sorted by their
					   first byte */
	size_t *litlen, nlits;
	unsigned short litfrom[256], litcount[256];	/* by first byte */
};

/* 1 when the n bytes at s hold the end of a private key ("-----END" or
 * PuTTY's "Private-MAC:", in any case, as private-key takes them). */
int rd_key_end(const char *s, size_t n);

/* The T_* classes of the n bytes at v. */
unsigned rd_classes(const char *v, size_t n);
/* Fill in the tables of p that rd_plan uses, once its scans are made. */
void rd_plan_init(struct ld_policy *p);
/*
 * Which of the first 64 scans of p can match v (vn bytes holding
 * classes): their bits, and where each should start in start[i].  One
 * pass over v for the literals and triggers of all.  Scans past the 64
 * are not planned: they run on every string.  With *url set, also says
 * in *url whether "://" is in v.
 */
uint64_t rd_plan(const struct ld_policy *p, const char *v, size_t vn,
    unsigned classes, size_t *start, int *url);
/* For anchored scans, the next place at or after off where a match can
 * start (vn + 1: none); for the others off itself. */
size_t rd_scan_next(const struct rd_scan *sc, const char *v, size_t vn,
    size_t off);

/* Normalise an IP address text (v4, v6, [v6], zone, v4-mapped) into b;
 * 0, or -1 when it is not an address. */
int rd_ip_norm(const char *s, size_t n, struct ld_buf *b);

/* Built-in profiles: pairs of name and JSON text, generated by the
 * Makefile from lib/redact/policies/NAME.json. */
extern const char *const ld_policy_builtin[][2];

/* Pseudonyms: a cache over HMAC-SHA256(key, kind NUL value). */
struct rd_pseudo;
struct rd_pseudo *rd_pseudo_new(const unsigned char *key, size_t keylen);
void rd_pseudo_free(struct rd_pseudo *ps);
/* Append the pseudonym of value v (n bytes, normalised by kind) to b. */
void rd_pseudo_add(struct rd_pseudo *ps, const char *kind, const char *v,
    size_t n, struct ld_buf *b);
/* The same, without the cache: for callers that keep their own. */
void rd_pseudo_make(struct rd_pseudo *ps, const char *kind, const char *v,
    size_t n, struct ld_buf *b);
/* The key's public id: hex of HMAC(key, "logdive key id"), 16 digits. */
void rd_pseudo_key_id(struct rd_pseudo *ps, char out[17]);
int rd_pseudo_has_key(const struct rd_pseudo *ps);
/* Forget the pseudonyms made (the cache), keeping the keyed HMAC. */
void rd_pseudo_reset(struct rd_pseudo *ps);

/* Per-rule counters. */
struct rd_count {
	uint64_t values;	/* values replaced (or kept by "keep") */
	uint64_t records;	/* records with at least one */
};

/* A learned set of values, found again in text (redact_learn.c). */
struct rd_learn {
	struct rd_map *set;	/* every value, lower case */
	struct rd_map *words;	/* word values, and first words of others */
	char **other;		/* values with other characters */
	size_t nother;
	char **odd;		/* values that start with another character */
	size_t nodd;
	size_t n;		/* values in all */
	unsigned char lens[33], first[32], last[32];	/* bitmaps of words */
	pcre2_code *re;		/* finds the odd values; rebuilt when dirty */
	int dirty;
};

void rd_learn_init(struct rd_learn *l);
void rd_learn_free(struct rd_learn *l);
/* Forget every value of l, keeping its sets' memory (ld_redact_reset). */
void rd_learn_reset(struct rd_learn *l);
/* Learn v (n bytes) into l; values shorter than 3 bytes are not. */
void rd_learn_add(struct ld_redact *rd, struct rd_learn *l, const char *v,
    size_t n);
/* The next value of l in v at or after off: 1 with its bytes [*pa, *pb),
 * 0 when there is none, -1 on a PCRE2 limit. */
int rd_learn_find(struct ld_redact *rd, struct rd_learn *l, const char *v,
    size_t vn, size_t off, size_t *pa, size_t *pb);

/* Append the n bytes at s to b in ASCII lower case. */
void rd_lower(struct ld_buf *b, const char *s, size_t n);

/* A string→int map with a bounded size (see redact_pseudo.c). */
struct rd_map;
/*
 * A map of at most max slots (a power of two), kept at most half full
 * (linear probing stays short): past max / 2 values it is emptied, so
 * it serves as a cache.  Sets that must keep every
 * value are bounded by their callers below that (RD_MAP_SET).  Caches
 * stay small enough to live in the CPU's caches: a bigger one spends
 * more on memory than the lookups it saves.
 */
#define RD_MAP_SET ((size_t)1 << 18)
#define RD_MAP_CACHE ((size_t)1 << 12)
/* Strings found clean enter the clean cache the second time only: the
 * hashes of those seen once are kept in a table of this many. */
#define RD_SEEN 1024
struct rd_map *rd_map_new(size_t max);
void rd_map_free(struct rd_map *m);
/* The value stored for s, or -2 when absent. */
int rd_map_get(const struct rd_map *m, const char *s, size_t n);
void rd_map_put(struct rd_map *m, const char *s, size_t n, int v);
/* The same, given s's hash: the hash of the n bytes at s, for a caller
 * that also wants it for itself. */
uint64_t rd_map_hash(const char *s, size_t n);
int rd_map_get_h(const struct rd_map *m, const char *s, size_t n,
    uint64_t h);
void rd_map_put_h(struct rd_map *m, const char *s, size_t n, uint64_t h,
    int v);
void rd_map_clear(struct rd_map *m);
size_t rd_map_count(const struct rd_map *m);

/* A replacement found in a string, in the coordinates of the string. */
struct rd_hit {
	size_t a, b;		/* the bytes [a, b) are replaced */
	size_t roff, rlen;	/* by these bytes of the hit buffer */
	int rule;		/* the rule, or -1 for a tenant reference */
};

struct ld_redact {
	const struct ld_policy *p;
	struct rd_pseudo *ps;
	char *const *tenants;
	size_t ntenants;
	struct rd_map *own;	/* own accounts, lower case */
	int own_actor;		/* the current record's user is an own account */
	int in_src;		/* scanning the source's name (no path checks) */
	int learn_refs;		/* other tenants' names found are learned */
	uint64_t learn_lost;	/* values not learned: a set was full */
	struct ld_buf srcbuf;	/* the source's name, redacted */
	struct ld_buf srclast;	/* the last source's name found clean */
	uint64_t srcclean;	/* the learngen it was found clean at, + 1 */
	int pem_open;		/* a private key began in a value of this
				   record and has not ended yet */
	struct rd_learn *learn;	/* per rule */
	size_t *recur, nrecur;	/* the rules that learn, in order */
	struct rd_learn others;	/* other tenants' namespaces, learned */
	pcre2_code *url_re;	/* URLs in free text */
	/* Per rule, at p->n for the tenant references and at p->n + 1 for
	 * values replaced as unanalysable: the counts of
	 * the records kept, and this record's, which are added to them
	 * when it is kept (rd_count_commit) and forgotten when not. */
	struct rd_count *cnt;
	uint32_t *rvals;	/* values replaced in this record */
	int *touched, ntouched;	/* the rules with rvals not 0 */
	uint64_t nrec, kept, dropped[LD_DROP_N], replaced, rec_redacted;
	enum ld_drop reason;
	int limit_hit;		/* a PCRE2 limit was hit in this record */
	int drop_rule;		/* a rule with action drop matched */
	uint64_t rec_hits;	/* replacements in this record */
	struct rd_map *whole;	/* a pseudonym rule's value → its replacement */
	struct ld_buf wkey, wnames;
	struct rd_map *keycache;
	struct rd_map *clean[2];	/* short strings found clean: text, path */
	uint64_t cleangen;	/* the learngen clean is valid for */
	uint64_t seen[RD_SEEN];	/* hashes of strings found clean once, or
				   kept with their replacements */
	/* Short strings with replacements, as the clean ones (redact_text.c):
	 * their redacted text and the rules they counted, by the string. */
	struct rd_map *dirty[2];	/* text, path */
	struct ld_buf dirtybuf;
	int recording;		/* rd_count_hit keeps the rules in rl */
	int rl[16], nrl, rl_over;
	size_t tp_budget;	/* bytes tenant_path may still read in this value */
	int tp_over;		/* it ran out: the value is unanalysable */
	/* Where tenant_path's forward searches stopped in this value: the
	 * end of a path, the next "//" or "/.", the next "/-/", the next
	 * slash and colon (redact_text.c). */
	struct rd_seek { size_t a, b; int found; } tp_end, tp_dots, tp_dash,
	    tp_slash, tp_colon;
	/* What the tenant checks know of each byte of this value, from its
	 * second check on (redact_text.c); tp_vn bytes, tp_calls checks. */
	struct rd_tpos *tp_pos;
	size_t tp_poscap, tp_vn, tp_calls;
	/* The last query tenant_path read in this value, and what its
	 * checks cost the budget. */
	struct rd_tquery { size_t pe, e, cost; int depth; } tp_query;
	int actor_read;		/* rd_whole looked at own_actor */
	json_t *dropped_list;
	/* PCRE2 */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
	/* text scan scratch */
	struct ld_buf view;	/* decoded view of the string */
	size_t *map, mapcap;	/* view byte → string byte */
	struct ld_buf view2;
	size_t *map2, map2cap;
	struct ld_buf joined;	/* the view with line breaks inside tokens out */
	size_t *jmap, jmapcap;
	struct ld_buf jbreaks;	/* where breaks were taken out (size_t each) */
	size_t start[64];	/* where each scan starts (rd_plan) */
	struct rd_hit *hits;	/* sorted, not overlapping */
	size_t nhits, hitcap;
	struct rd_hit *pend;	/* the current pass's (redact_text.c) */
	size_t npend, pendcap;
	size_t plast_a, plast_b;	/* the last hit put in pend */
	struct rd_hit *merge;
	size_t mergecap;
	struct ld_buf hitbuf, textout, norm, tmp;
	/* JSON rewriting */
	struct ld_buf ev, sdec, fields[LD_F_N];
	void *nest;		/* scratch per level of JSON-in-string */
	void *shapes;		/* what members of a line's shape said
				   (redact_json.c) */
	/* The canonical fields rd_text found clean in this pass, each with
	 * the learngen it was found clean at: the event holds the same
	 * strings, which need not be scanned again while nothing new is
	 * learned. */
	struct rd_fclean {
		const char *s;
		size_t n;
		int is_path;
		uint64_t gen;
	} fclean[LD_F_N];
	int nfclean;
	int frule[LD_F_N];	/* the first rule on each canonical field, or
				   -1 */
	uint64_t learngen, keygen;	/* a value was learned / keycache age */
	size_t unnested;	/* values ld_redact_unnest() replaced in the
				   line of the next record */
	struct ld_redact_conf conf;	/* as given (ld_redact_reset) */
};

/* The counter of values replaced whole because they could not be
 * analysed (a PCRE2 limit, JSON nested too deep): after the tenant's. */
#define RD_UNANALYSABLE (-2)

/* Count a replacement by rule i (or the tenant counter for -1, or
 * RD_UNANALYSABLE) in the current record. */
void rd_count_hit(struct ld_redact *rd, int rule);
/* Add the current record's counts to the report's (commit), or forget
 * them (discard). */
void rd_count_commit(struct ld_redact *rd);
void rd_count_discard(struct ld_redact *rd);

/*
 * Scan the decoded string s (n bytes) found under member key (NULL for a
 * value without one, or for a member name) and write the redacted string
 * to out.  Returns 1 when something was replaced, 0 when not (out is then
 * untouched).  A string on which a pattern hits a PCRE2 limit is replaced
 * whole by "[REDACTED:unanalysable]" (and counted so).  is_path says the string is a path or
 * URL to check for other tenants.
 */
int rd_text(struct ld_redact *rd, const char *s, size_t n, int is_path,
    struct ld_buf *out);

/* Replace the whole value v (n bytes of text) by rule i: appends the
 * replacement (decoded text, not JSON) to out.  Returns 0, or 1 when the
 * rule keeps the value as it is. */
int rd_whole(struct ld_redact *rd, int rule, const char *v, size_t n,
    struct ld_buf *out);


/*
 * Rewrite the JSON text s (n bytes) into out.  x, when not NULL, is an
 * index of a text s lies in (the parser's), which spares reading the
 * names and values it holds again.  Returns 0, or -1 when it is not valid
 * JSON (or nests too deep), or -2 on a PCRE2 limit.
 */
int rd_json(struct ld_redact *rd, const char *s, size_t n, struct ld_buf *out,
    int nest, const struct ld_jidx *x);
void rd_json_free(struct ld_redact *rd);
/* Forget what the shapes of lines said (ld_redact_reset); memory kept. */
void rd_json_reset(struct ld_redact *rd);
/* Forget the strings found clean or dirty (redact_text.c). */
void rd_text_forget(struct ld_redact *rd);

/* Is a namespace (n bytes) the tenant's? */
int rd_is_tenant(const struct ld_redact *rd, const char *ns, size_t n);

#endif
