/*
 * jsonx.h — small JSON helpers over jansson and over raw JSON text.
 */
#ifndef LD_JSONX_H
#define LD_JSONX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ld.h"

/*
 * Look up a path in a JSON object.  GitLab writes flattened keys that
 * contain dots ("meta.user") as well as nested objects ("details" →
 * "author_name"), so "a.b.c" is resolved by trying the whole remaining path
 * as one key first, then every split at a dot from the left.  Returns a
 * borrowed reference (owned by obj), or NULL when absent.
 */
json_t *ld_json_path(json_t *obj, const char *path);

/*
 * Parse JSON text s (n bytes) with jansson and flags (JSON_ALLOW_NUL is
 * always added), taking every text RFC 8259's grammar accepts, also what
 * jansson alone refuses:
 *  - an escape of a lone surrogate (\udc80, or \ud800 not followed by a
 *    low one) decodes to U+FFFD, as invalid UTF-8 bytes do, which are
 *    replaced too; so does \u0000 in a key (jansson holds no NUL there);
 *    LD_JSON_UTF8 is then set in *repaired;
 *  - a number past what an int64 (integers) or a double (others) holds
 *    becomes a string of its text exactly as written (1e999,
 *    123456789012345678901234567890), never inf nor a wrapped value;
 *  - nesting past what jansson holds (JSON_PARSER_MAX_DEPTH values, a
 *    scalar or an empty array in 2047 others being the deepest): every
 *    array or object inside LD_JSON_CUT_DEPTH others is checked by the
 *    grammar (without recursion: a text may nest millions deep) and read
 *    as the string LD_JSON_CUT_TEXT; LD_JSON_CUT is then set in *repaired.
 *    What is at most that deep, where a log line has its fields, is read.
 * *repaired (when not NULL) gets those bits or'ed in, else is left as it
 * was.  The text itself is not changed: only the tree says U+FFFD or
 * LD_JSON_CUT_TEXT.  jansson is tried first, so text it reads costs
 * nothing more.  Returns a new reference (json_decref() it), or NULL when
 * s is not JSON by the grammar; err, when not NULL, then holds jansson's
 * message.  Memory: the text once more, at most, and a bit per level of
 * nesting.
 */
#define LD_JSON_UTF8	1	/* Unicode repaired, as U+FFFD */
#define LD_JSON_CUT	2	/* nesting cut */
#define LD_JSON_CUT_DEPTH (JSON_PARSER_MAX_DEPTH - 1)
#define LD_JSON_CUT_TEXT "[nested too deep]"
json_t *ld_json_loadb(const char *s, size_t n, size_t flags, int *repaired,
    json_error_t *err);

/*
 * The "value" of an element of a key/value array, the shape in which
 * GitLab writes a request's params ([{"key":"project_path","value":"a/b"},
 * ...]): the first object element of arr whose "key" is the string key.
 * Returns a borrowed reference (owned by arr), or NULL when arr is not an
 * array or has no such element.  A format's field path names it
 * "params[project_path]" (see ld-formats(5)).
 */
json_t *ld_json_keyed(json_t *arr, const char *key);

/*
 * ld_json_keyed() over raw JSON text: in the array text s (n bytes), the
 * "value" of the first object element whose "key" is key, written exactly
 * (for a string, quotes included) into vs and vn.  Returns 1, 0 when there
 * is none, and -1 when s is not a well-formed array as far as it was read
 * or a key is escaped (only jansson can tell then).  Does not allocate.
 */
int ld_json_raw_keyed(const char *s, size_t n, const char *key,
    const char **vs, size_t *vn);

/*
 * The text of a scalar: strings as they are (decoded), integers and reals
 * in decimal, booleans as true/false.  Appends to b and returns 1; returns 0
 * (appending nothing) for null, objects, arrays and NULL.
 */
int ld_json_text(json_t *v, struct ld_buf *b);

/*
 * Where the plain bytes of a JSON string's text end: the first byte of
 * s[i, n) that is '"', '\\' or a control character, or n (ld_json_run()
 * with bytes past ASCII taken as plain).
 */
static inline size_t
ld_json_plain(const char *s, size_t i, size_t n)
{
	return ld_json_run(s, i, n, 0);
}

/*
 * Scan raw JSON text: find the value of top-level key `key` in the object
 * text s (n bytes).  On success returns 1 and sets vs and vn to the value's
 * bytes exactly as written (for a string, quotes included).  Keys are
 * compared decoded ("meta.\u0075ser" is "meta.user"), and a key given
 * more than once counts the last time, as jansson reads it: every reader
 * of a record sees the same value.  Returns 0 when the key is absent and
 * -1 when s is not a well-formed object as far as it was read.  Does not
 * allocate.
 */
int ld_json_raw_member(const char *s, size_t n, const char *key,
    const char **vs, size_t *vn);

/* Whether the n bytes at a and b are the same: keys are short, and a
 * call to memcmp() costs more than comparing them eight at a time
 * (jsonx.c, and format.c's flat lines). */
static inline int
ld_same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t m = n;

	for (; n >= 8; n -= 8, a += 8, b += 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	/* The rest with loads that end where the bytes end: over eight
	 * in all, the last eight (some compared again); else two of four
	 * that may overlap. */
	if (n == 0)
		return 1;
	if (m >= 8) {
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return 0;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	for (; n > 0; n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/*
 * An index of raw JSON object text, to read a few members of a line
 * without building a jansson tree.  ld_jidx_build() reads the whole text
 * once, checks it, and records every member of every object that is not
 * inside an array: its key and value exactly as written.  It gives up
 * (returns 0) on anything jansson might read otherwise or refuse: escaped
 * keys, \u0000, numbers with exponents or too many digits, nesting past
 * 64, more than LD_JIDX_MAX members; the caller then parses with jansson.
 * The index points into the text, which must outlive it.
 */
#define LD_JIDX_MAX 512
#define LD_JIDX_HASH 256	/* slots of the key index, a power of two */
#define LD_JIDX_KEYS 4096	/* bytes of keys ld_jidx_again() keeps */

struct ld_jmember {
	int parent;		/* the object holding it: 0 is the top */
	int obj;		/* the object the value is, or -1 */
	char type;		/* s (string), e (string with escapes), i
				   (integer), r (real), t, f, n (null), o, a */
	const char *k, *v;	/* the key without quotes, the value as written */
	size_t kn, vn;
};

struct ld_jidx {
	struct ld_jmember m[LD_JIDX_MAX];
	int n;			/* members */
	int nobj;		/* objects */
	const char *s;		/* the text indexed, and its length */
	size_t sn;
	/* By a hash of object and key, the last member that had it, or -1,
	 * and from each member the one before it with the same hash: a lookup
	 * reads the few members of its hash, also for a key that is absent. */
	short hix[LD_JIDX_HASH];
	short hnext[LD_JIDX_MAX];
	uint64_t shape;		/* for ld_jidx_shape_hash() */
	/* The keys of the members in order, copied, for ld_jidx_again();
	 * keys_ok is 0 when they did not fit or the last build failed. */
	char keys[LD_JIDX_KEYS];
	int keys_ok;
};

/*
 * A flat line: a JSON object whose members are strings without escapes,
 * integers of at most 18 digits, reals, true, false or null; no byte
 * below 0x20 or at or above 0x80, no backslash, and only spaces between
 * tokens.
 * Most lines of GitLab's JSON logs without params are flat, and reading
 * one needs neither escapes nor a stack.  ld_jflat_scan() reads s (n
 * bytes) as one into f: 1 (or 2, below), or 0 when it is not flat (or longer than
 * LD_JFLAT_LEN bytes, or of more than LD_JFLAT_MAX members), and the
 * caller reads it another way.  A text it takes is valid JSON, read as
 * ld_jidx_build() reads it: the same members in the same order, the same
 * types (a member of type 'r' is one only jansson can put in text).
 * f points into s.  Fixed memory; no allocation.
 */
#define LD_JFLAT_MAX 128
#define LD_JFLAT_LEN 16384

struct ld_jflat {
	int n;				/* members */
	const char *k[LD_JFLAT_MAX];	/* key, without its quotes */
	const char *v[LD_JFLAT_MAX];	/* value as written */
	unsigned short kn[LD_JFLAT_MAX], vn[LD_JFLAT_MAX];
	char type[LD_JFLAT_MAX];	/* s, i, r, t, f, n as ld_jmember's */
	uint64_t hash;			/* of the key lengths, first and last
					   bytes, and types: picks a shape */
};

/*
 * The shape a line is expected to have (the line before's, say): its n
 * members' keys one after another in keys, their lengths and types.
 * With want, ld_jflat_scan() first reads s as a line of that shape,
 * checking each key and value in place, which costs less than finding
 * them: 2 when it is one (f filled but for f->hash), else it reads s as
 * without want.
 */
struct ld_jflat_want {
	int n;
	const char *keys;
	const unsigned short *kn;
	const char *type;
};

int ld_jflat_scan(const char *s, size_t n, struct ld_jflat *f,
    const struct ld_jflat_want *want);

/* Index s (n bytes, an object with only whitespace around it): 1, or 0
 * when the text is not for the index (see above). */
int ld_jidx_build(struct ld_jidx *x, const char *s, size_t n);

/*
 * Index s again in x when s has exactly the shape of the text x indexed
 * last (the same objects and keys in the same order, the same members
 * objects; see ld_jidx_shape_save()): the values are read, checked as
 * ld_jidx_build() checks them, and stored, while what depends only on the
 * shape (the key index, the shape's hash) is kept.  Lines of a log mostly
 * have the shape of the line before, and this is about half the work of a
 * build.  Returns 1 when x now indexes s exactly as ld_jidx_build(x, s, n)
 * would; 0 when s has another shape, or is not for the index, or x held
 * no successful build: x is then unusable until ld_jidx_build().
 */
int ld_jidx_again(struct ld_jidx *x, const char *s, size_t n);

/* ld_json_path() over the index: the member at path in object obj (0 for
 * the top), or -1 when absent.  When a key occurs twice the last one
 * counts, as in jansson. */
int ld_jidx_path(const struct ld_jidx *x, int obj, const char *path);

/* ld_jidx_path() for a key of kn bytes without a dot: the member of
 * object obj with that key, the last one when it occurs twice, or -1. */
int ld_jidx_key(const struct ld_jidx *x, int obj, const char *key, size_t kn);

/* The top-level member with key, or -1; of a key given twice, the last,
 * as ld_json_raw_member() and jansson take it. */
int ld_jidx_top(const struct ld_jidx *x, const char *key);

/* ld_json_text() of member i: appends and returns 1; 0 for null, objects
 * and arrays; -1 when only jansson would know the text (a real). */
int ld_jidx_text(const struct ld_jidx *x, int i, struct ld_buf *b);

/*
 * The shape of an index: its members' objects, keys, and whether each
 * value is an object, in order -- everything ld_jidx_path(), ld_jidx_key()
 * and ld_jidx_top() look at.  Two indexes of the same shape answer every
 * lookup alike, whatever their values.  ld_jidx_shape_hash() is a hash
 * of the shape made while building (equal shapes, equal hashes; not the
 * converse: it reads only a few bytes of each key).
 * ld_jidx_shape_save() writes the shape itself to b (replacing its
 * content) and ld_jidx_shape_is() tells whether x has the shape saved in
 * d (dn bytes): 1 or 0.
 */
uint64_t ld_jidx_shape_hash(const struct ld_jidx *x);
void ld_jidx_shape_save(const struct ld_jidx *x, struct ld_buf *b);
int ld_jidx_shape_is(const struct ld_jidx *x, const char *d, size_t dn);

#endif
