/*
 * huntint.h — private to lib/hunt: the YAML tree, compiled detections and
 * rules.  Calls go one way: hunt.c -> corr.c, sigma.c -> yaml.c, match.c.
 */
#ifndef LD_HUNTINT_H
#define LD_HUNTINT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"
#include "hunt/hunt.h"
#include "scope/scope.h"

/* ---- yaml.c: a YAML document as a tree with line numbers ---- */

enum { Y_SCALAR, Y_MAP, Y_SEQ };

struct ynode {
	int type;
	char *s;		/* scalar text */
	int plain;		/* an unquoted scalar (null, numbers, ~) */
	size_t line;		/* 1-based */
	struct ynode **kid;	/* a map: key, value, key, value... */
	size_t n;
};

/*
 * Parse every document of text (n bytes) into *docs (an array of *ndocs
 * trees; free with yaml_docs_free).  Anchors, aliases and tags other than
 * the standard ones are refused.  Returns 0, or -1 with "name:line: what".
 */
int yaml_load(const char *name, const char *text, size_t n,
    struct ynode ***docs, size_t *ndocs, struct ld_err *err);
void yaml_docs_free(struct ynode **docs, size_t n);
/* The value of key k in map m, or NULL. */
struct ynode *yaml_get(const struct ynode *m, const char *k);
/* Is a null value (~, null, empty plain scalar)? */
int yaml_is_null(const struct ynode *v);

/* ---- match.c: detections ---- */

enum {
	M_CONTAINS = 1 << 0, M_STARTS = 1 << 1, M_ENDS = 1 << 2,
	M_ALL = 1 << 3, M_RE = 1 << 4, M_CIDR = 1 << 5, M_EXISTS = 1 << 6,
	M_EXPAND = 1 << 7, M_CASED = 1 << 8, M_GT = 1 << 9, M_GTE = 1 << 10,
	M_LT = 1 << 11, M_LTE = 1 << 12, M_RE_I = 1 << 13, M_RE_M = 1 << 14,
	M_RE_S = 1 << 15
};

struct mval {
	char *glob;		/* a pattern: '*' '?' wild, '\\' escapes */
	pcre2_code *re;
	struct ld_cidr cidr;
	double num;
	int isnull;		/* field: null (absent or null) */
};

/* One field test: field|mods: values (OR, or AND with |all). */
struct mitem {
	char *field;		/* NULL for keywords (the whole event) */
	int canon;		/* canonical index or -1 for a JSON path */
	int mods;
	int exists;		/* with M_EXISTS */
	struct mval *v;
	size_t nv;
};

/* A selection: OR of alternatives, each an AND of items. */
struct msel {
	char *name;
	struct mitem **alt;	/* alt[i] has nitem[i] items */
	size_t *nitem;
	size_t nalt;
};

enum { C_SEL, C_AND, C_OR, C_NOT, C_ONE_OF, C_ALL_OF };

struct mcond {
	int op;
	int sel;		/* C_SEL */
	struct mcond *a, *b;	/* C_AND, C_OR (a, b); C_NOT (a) */
	int *sels;		/* C_ONE_OF, C_ALL_OF */
	size_t nsels;
};

/* Scratch for one thread of matching. */
struct mscratch {
	struct ld_buf v;
	pcre2_match_data *md;
	/* which rules apply to the format of the last record (hunt.c) */
	char *fmt;
	unsigned char *ok;
};

/* Compile value v of an item with mods into *mv: -1 with a message. */
int match_value(struct mval *mv, const char *v, int mods, struct ld_err *err);
void match_item_free(struct mitem *it);
void match_sel_free(struct msel *s);
void match_cond_free(struct mcond *c);
/* Does record r satisfy condition c over selections sels? */
int match_cond(const struct mcond *c, const struct msel *sels,
    struct ld_rec *r, struct mscratch *ms);
/* The text of field (canon index or JSON path) in r, appended to b: 1
 * when present and a scalar, 0 otherwise. */
int match_field_text(struct ld_rec *r, int canon, const char *field,
    struct ld_buf *b);

/* ---- sigma.c: rules ---- */

enum { R_DETECT, R_EVENT_COUNT, R_VALUE_COUNT, R_TEMPORAL,
    R_TEMPORAL_ORDERED };

struct rule {
	struct ld_rule_info info;
	char *name;		/* Sigma 2 "name", or NULL */
	char *file;		/* where it was read */
	size_t line;
	int kind;
	/* where it applies: format names, NULL-terminated; NULL for all,
	 * an empty list for none */
	char **fmts;
	int nofmt;		/* the logsource maps to no logdive format */
	/* R_DETECT */
	struct msel *sels;
	size_t nsels;
	struct mcond *cond;
	int suppressed;		/* referenced by a correlation without
				   generate: it fires only through it */
	/* correlations */
	char **refs;		/* rule names or ids, as written */
	int *ref;		/* indices of the rules */
	size_t nrefs;
	char **group;		/* group-by fields */
	int *gcanon;
	size_t ngroup;
	int64_t span;		/* ns */
	char *vfield;		/* value_count's field */
	int vcanon;
	uint64_t count;		/* the threshold: fires at count or more */
	int generate;
	char *placeholder;	/* an unresolved %name% (rule disabled) */
};

struct ld_rules {
	struct rule *r;
	size_t n;
	char **names;		/* placeholder names and their values */
	char ***vals;
	size_t *nvals;
	size_t nph;
	int finished;
	size_t *corder;		/* correlations, each after those it uses */
	size_t ncorder;
	struct ld_buf notes;	/* NUL-separated */
	size_t nnotes;
};

/* Compile the Sigma documents of one file into rs. */
int sigma_compile(struct ld_rules *rs, const char *name, struct ynode **docs,
    size_t ndocs, struct ld_err *err);
void sigma_rule_free(struct rule *r);

#endif
