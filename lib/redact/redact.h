/*
 * redact.h — removing secrets, personal data and other tenants from
 * records, by a policy, fail-closed.
 *
 * A policy (ld-policy(5)) is a JSON file, or one of the built-in profiles
 * "support", "customer" and "legal".  It is an ordered list of rules; each
 * rule selects values (by a built-in detector, a PCRE2 pattern, member key
 * names, or a canonical field) and says what to do with them: remove,
 * mask, replace by a keyed pseudonym, or drop the record.  A "tenant"
 * section says what happens to records and references of other tenants.
 *
 *	struct ld_policy *p = ld_policy_load("support", &err);
 *	struct ld_redact *rd = ld_redact_new(p, &conf, &err);
 *	while (…parse a line into rec…)
 *		if (ld_redact_rec(rd, &rec, &out) == LD_REDACT_KEEP)
 *			…write out…
 *	ld_redact_report(rd, report_json);
 *	ld_redact_free(rd);
 *	ld_policy_free(p);
 *
 * Matching works on decoded text: JSON string values and member names
 * (JSON escapes undone), with percent-encoding and \uXXXX escapes inside
 * them undone as well, and JSON held inside a string rewritten as JSON.
 * Each string is scanned once, left to right; replacements are made after
 * every rule has looked at it, so a replacement is never matched again.
 *
 * A struct ld_policy is read-only once loaded; a struct ld_redact is used
 * by one thread at a time.
 */
#ifndef LD_REDACT_H
#define LD_REDACT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"
#include "format/format.h"

struct ld_policy;
struct ld_redact;

/*
 * Load a policy: a built-in profile by name, or else a file by path.
 * Returns the policy (free with ld_policy_free), or NULL with a message
 * naming the file and what is wrong.
 */
struct ld_policy *ld_policy_load(const char *name_or_path, struct ld_err *err);
/* Load a policy from JSON text; what names it in messages. */
struct ld_policy *ld_policy_load_text(const char *text, size_t n,
    const char *what, struct ld_err *err);
void ld_policy_free(struct ld_policy *p);

/* The names of the built-in profiles (NULL-terminated, static), and the
 * JSON text of one (static), or NULL when there is no such profile. */
const char *const *ld_policy_builtin_names(void);
const char *ld_policy_builtin_text(const char *name);

/* The policy's name, where it came from ("built-in" or the path), the
 * SHA-256 of its text in hex, and whether it needs a key (some rule makes
 * pseudonyms) or a tenant.  Strings are owned by the policy. */
const char *ld_policy_name(const struct ld_policy *p);
const char *ld_policy_source(const struct ld_policy *p);
const char *ld_policy_sha256(const struct ld_policy *p);
int ld_policy_needs_key(const struct ld_policy *p);
int ld_policy_needs_tenant(const struct ld_policy *p);
/* Does the policy export an account's own events only for accounts
 * listed as owned ("accounts": {"require_owned": true})? */
int ld_policy_requires_owned(const struct ld_policy *p);

/* What a redactor needs besides the policy; all borrowed for its life. */
struct ld_redact_conf {
	const unsigned char *key;	/* pseudonym key (NULL: none) */
	size_t keylen;
	char *const *tenants;		/* the tenant's top-level namespaces */
	size_t ntenants;
	char *const *own;		/* the customer's own account names */
	size_t nown;
	char *const *asked;		/* the accounts the request names as
					   owned (its "accounts") */
	size_t nasked;
	char *const *users;		/* user names known in advance (learned
					   for recurrence before any record) */
	size_t nusers;
};

#define LD_REDACT_KEY_MIN 32	/* bytes */

/*
 * Keys (redact_key.c).  ld_redact_key_check: 0 when the n bytes at key
 * make a key strong enough for pseudonyms (at least LD_REDACT_KEY_MIN
 * bytes, and about 128 bits by the entropy of their bytes), else -1 with
 * a message.  ld_redact_key_bits: that estimate.  ld_redact_key_new:
 * write a new key of 256 random bits (64 hex digits and a newline) to
 * path, mode 0600, whole or not at all, never over an existing file;
 * 0, or -1 with a message.
 */
int ld_redact_key_check(const unsigned char *key, size_t n, struct ld_err *err);
double ld_redact_key_bits(const unsigned char *key, size_t n);
int ld_redact_key_new(const char *path, struct ld_err *err);

/*
 * A redactor over policy p (borrowed; it must outlive the redactor).
 * Returns NULL with a message when the policy needs a key or a tenant and
 * conf has none, the key is refused by ld_redact_key_check() (a key longer
 * than 64 bytes is used by its SHA-256, as HMAC itself would, never cut
 * short), or the
 * policy requires ownership and an account of asked is not in own (when
 * own is empty, the accounts asked are the owned ones).
 *
 * The events of the owned accounts (by them, or in their personal
 * namespace) are kept even without a tenant or in another tenant's
 * namespace; the other tenants' names in them are treated as references.
 * A line whose invalid UTF-8 was repaired (U+FFFD, "utf8":"repaired") is
 * redacted and kept like any other.
 */
struct ld_redact *ld_redact_new(const struct ld_policy *p,
    const struct ld_redact_conf *conf, struct ld_err *err);
void ld_redact_free(struct ld_redact *rd);
/*
 * Make rd again what ld_redact_new() made (same policy and conf, which
 * must still be alive): every value learned, pseudonym remembered, cache
 * and counter of the report is forgotten, while its memory (sets, caches,
 * buffers, compiled patterns, the keyed HMAC) is kept for the next use.
 * For a caller that redacts unrelated inputs one after another (a fuzz
 * target, a test) at a fraction of the cost of a new redactor.  Cannot
 * fail.
 */
void ld_redact_reset(struct ld_redact *rd);

enum ld_redact_result {
	LD_REDACT_KEEP = 0,	/* out holds the redacted record */
	LD_REDACT_DROP		/* dropped; see ld_redact_last_reason() */
};

/* Why records are dropped. */
enum ld_drop {
	LD_DROP_MALFORMED,	/* no format parsed it, or bad JSON */
	LD_DROP_UTF8,		/* unused: repaired lines are kept (the
				   reason stays for the report's shape) */
	LD_DROP_NO_TENANT,	/* a tenant is required and it has none */
	LD_DROP_OTHER_TENANT,	/* it belongs to another tenant */
	LD_DROP_MATCH_LIMIT,	/* a pattern hit a PCRE2 limit */
	LD_DROP_RULE,		/* a rule with action "drop" matched */
	LD_DROP_N
};
extern const char *const ld_drop_names[LD_DROP_N];

/*
 * Redact the parsed record r (as ld_parse_line() left it, completed by
 * ld_rec_complete() after a no-tree parse; parse result res) and append
 * it to out as one ld-record line, or drop it.  Only the event's text is
 * read, never r->ev; text that is not JSON is dropped.  r is
 * changed (its canonical fields and event text point into the redactor
 * until the next call).  Every record is counted.
 */
enum ld_redact_result ld_redact_rec(struct ld_redact *rd,
    enum ld_parse_result res, struct ld_rec *r, struct ld_buf *out);
/*
 * A line nested too deep for the parser: copy the JSON text s (n bytes)
 * to out with every array and object nested deeper than the redactor reads
 * replaced by the string "[REDACTED:unanalysable]", so that the record
 * can be parsed and kept.  The replacements are counted in the next
 * ld_redact_rec() (whose record is then the line in out, parsed).
 * Returns 1 when out holds such a line, 0 when nothing is nested that
 * deep (out untouched: the line is malformed for another reason), -1 when
 * s is not JSON.
 */
int ld_redact_unnest(struct ld_redact *rd, const char *s, size_t n,
    struct ld_buf *out);
/* The reason of the last drop. */
enum ld_drop ld_redact_last_reason(const struct ld_redact *rd);
/* How many values a learned set could not keep (it was full): names that
 * may then have passed in free text.  Not 0 means the run is not to be
 * trusted; the tool fails it. */
uint64_t ld_redact_lost(const struct ld_redact *rd);

/*
 * Redact one string of text as a free-text value would be (for tests and
 * for tools that redact other text).  Returns 1 and sets *res to the
 * result (valid until the next call) when something was replaced, 0 when
 * nothing was, -1 when a pattern hit a limit.
 */
int ld_redact_text(struct ld_redact *rd, const char *s, size_t n,
    const char **res, size_t *rn);

/* The keyed pseudonym of a value of a kind ("user", "ip", "email", …)
 * as the redactor writes it; valid until the next call. */
const char *ld_redact_pseudonym(struct ld_redact *rd, const char *kind,
    const char *v, size_t n);

/*
 * The counters as a JSON object (a new reference): "records" (read,
 * kept, dropped, redacted), "dropped" by reason, "rules" (per rule its
 * action and the values and records it touched, then "tenant.reference"
 * and "unanalysable"), "limits" (values a bounded set could not learn),
 * and "key_id" (HMAC-SHA256 of a fixed label under the key: with a key
 * that ld_redact_key_check() takes, it tells nothing a guess could be
 * tested against).  Never a value from the input.
 */
json_t *ld_redact_report(const struct ld_redact *rd);

#endif
