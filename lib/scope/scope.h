/*
 * scope.h — what a request asks for, and whether a record is in it.
 *
 * A scope is built from a request file (ld-scope(5)) and from command-line
 * flags; everything given is combined with AND, and the values of one field
 * with OR, with one exception: owned accounts.  The events of the owned
 * accounts (by them, or about them: their personal namespace) are in
 * scope wherever they happened, so the in-scope set is
 *
 *	window AND events AND ips AND cids AND
 *	    ((namespaces AND projects AND users) OR owned accounts)
 *
 * where the tenant part in the middle counts only when one of its lists
 * is given.  Namespaces match by whole path segments, case-insensitively;
 * users by name (case-insensitive) or by id; events by glob; IPs by address
 * or CIDR block (IPv4 and IPv6); the time window is half-open
 * [since, until).  A profile bounds the request: "support" allows a window
 * of at most 7 days, "sirt" at most 31, ending no later than requested_at;
 * a support request stays in one top-level namespace.  A record whose
 * namespace and project name two tenants is in neither tenant's part.
 */
#ifndef LD_SCOPE_H
#define LD_SCOPE_H

#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"

struct ld_cidr {
	int family;		/* 4 or 6 */
	unsigned char addr[16];
	int bits;
};

struct ld_strv {
	char **v;
	size_t n;
};

/* Free the strings of v and the array; v is left empty. */
void ld_strv_free(struct ld_strv *v);

struct ld_scope {
	char *case_id;
	char *tenant;
	char *profile;		/* NULL, "support" or "sirt" */
	struct ld_strv namespaces, projects, users, events, cids, ips_text;
	struct ld_strv accounts;	/* owned accounts ("accounts", or
					   "own_accounts"): their own events are
					   in scope wherever they happened */
	struct ld_strv lits;		/* the pre-filter's literals when there
					   are accounts (see ld_scope_literals) */
	struct ld_cidr *ips;
	size_t nips;
	int has_since, has_until, has_requested;
	int64_t since, until, requested_at;	/* ns since the epoch */
};

/* Release what s holds (not s itself); the struct is zeroed. */
void ld_scope_free(struct ld_scope *s);

/*
 * Read a request file into s, adding to what is already there (lists are
 * appended; case, tenant, profile and times are set when present).  Unknown
 * keys are an error (a typo must not silently widen a request).  Returns 0,
 * or -1 with "path: …" in err.
 */
int ld_scope_load(struct ld_scope *s, const char *path, struct ld_err *err);

/* As ld_scope_load(), from the len bytes at buf (a file read once, whose
 * bytes are kept as read: ldbundle create), name naming them in err. */
int ld_scope_loadb(struct ld_scope *s, const char *name, const char *buf,
    size_t len, struct ld_err *err);

/* Add one value to a list field by its name ("namespaces", "projects",
 * "users", "events", "cids", "ips", "accounts"; "own_accounts" is a
 * synonym of "accounts").  IPs are parsed here: -1 with a
 * message when the value is not an address or CIDR block. */
int ld_scope_add(struct ld_scope *s, const char *field, const char *value,
    struct ld_err *err);

/* Parse an address or CIDR block (v4 or v6, [brackets], %zone and :port
 * accepted for addresses). */
int ld_cidr_parse(const char *text, struct ld_cidr *c);
/* Does the address text fall in c? */
int ld_cidr_contains(const struct ld_cidr *c, const char *addr, size_t n);

/*
 * Check the request against its profile and itself: since < until, and for
 * a profile, requested_at and a window within its bounds.  Returns 0, or -1
 * with a message that says what is wrong and why.
 */
int ld_scope_validate(const struct ld_scope *s, struct ld_err *err);

/*
 * Set the profile; when one is set already, the stricter of the two stays
 * ("support" is stricter than "sirt"), since everything given combines
 * with AND.  An unknown name is kept and refused by ld_scope_validate().
 */
void ld_scope_set_profile(struct ld_scope *s, const char *name);

/*
 * Complete and check a request once everything is read: the tenant
 * becomes the namespace when none is given, every namespace and project
 * must lie inside the tenant, then ld_scope_validate().  Returns 0 or -1
 * with the reason in err.
 */
int ld_scope_finish(struct ld_scope *s, struct ld_err *err);

/* Is anything constrained at all? */
int ld_scope_empty(const struct ld_scope *s);

/*
 * Literals one of which any in-scope line must contain (ASCII
 * case-insensitively), for a pre-filter before parsing: the values of the
 * most selective list field.  Sets *lits (borrowed from s) and returns
 * their count, or 0 when no such literal exists.
 */
size_t ld_scope_literals(const struct ld_scope *s, char *const **lits);

/* Is the parsed record in scope? */
int ld_scope_match(const struct ld_scope *s, const struct ld_rec *r);

/*
 * Is the parsed record an event of one of the owned accounts: by it (its
 * user is the account, by name in any case or by id) or about it (its
 * namespace or project lies in the account's personal namespace, as
 * GitLab's audit events of a User have entity_path = the user name)?
 * Window, events and IPs are not looked at.  0 when s has no accounts.
 */
int ld_scope_owned(const struct ld_scope *s, const struct ld_rec *r);

/*
 * Append to b the scope as a readable predicate, one condition a line,
 * ending in a newline: what ldgrep --explain prints.  Never fails.
 */
void ld_scope_explain(const struct ld_scope *s, struct ld_buf *b);

/* Does namespace path `want` cover path `have` (n bytes) segment-wise? */
int ld_ns_covers(const char *want, const char *have, size_t n);

#endif
