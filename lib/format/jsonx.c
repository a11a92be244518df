/*
 * jsonx.c — JSON path lookup and a raw scanner for top-level members.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/jsonx.h"

json_t *
ld_json_path(json_t *obj, const char *path)
{
	json_t *v;
	const char *dot;
	char key[256];
	size_t k;

	if (obj == NULL || !json_is_object(obj))
		return NULL;
	if ((v = json_object_get(obj, path)) != NULL)
		return v;
	for (dot = strchr(path, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		k = (size_t)(dot - path);
		if (k >= sizeof(key))
			break;
		memcpy(key, path, k);
		key[k] = '\0';
		if ((v = json_object_get(obj, key)) != NULL && json_is_object(v) &&
		    (v = ld_json_path(v, dot + 1)) != NULL)
			return v;
	}
	return NULL;
}

json_t *
ld_json_keyed(json_t *arr, const char *key)
{
	size_t i;
	json_t *e, *k;

	if (arr == NULL || !json_is_array(arr))
		return NULL;
	json_array_foreach(arr, i, e) {
		if (json_is_object(e) && (k = json_object_get(e, "key")) != NULL &&
		    json_is_string(k) && strcmp(json_string_value(k), key) == 0)
			return json_object_get(e, "value");
	}
	return NULL;
}

int
ld_json_text(json_t *v, struct ld_buf *b)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		ld_buf_add(b, json_string_value(v), json_string_length(v));
		return 1;
	case JSON_INTEGER:
		ld_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 1;
	case JSON_REAL:
		ld_buf_addf(b, "%.17g", json_real_value(v));
		return 1;
	case JSON_TRUE:
		ld_buf_adds(b, "true");
		return 1;
	case JSON_FALSE:
		ld_buf_adds(b, "false");
		return 1;
	default:
		return 0;
	}
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* Index just past the string starting at s[i] == '"', or 0 on error. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* Index just past the value at s[i], or 0 on error. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	if (i >= n)
		return 0;
	if (s[i] == '"')
		return skip_string(s, n, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		    s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			i++;
		return i;
	}
	for (; i < n; i++) {
		switch (s[i]) {
		case '"':
			if ((i = skip_string(s, n, i)) == 0)
				return 0;
			i--;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return i + 1;
			break;
		}
	}
	return 0;
}

static int jhex4(const char *);

/* Code point c as UTF-8 into u: its length. */
static size_t
utf8_put(unsigned long c, char *u)
{
	if (c < 0x80) {
		u[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | c >> 18);
	u[1] = (char)(0x80 | (c >> 12 & 0x3f));
	u[2] = (char)(0x80 | (c >> 6 & 0x3f));
	u[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * Whether the key k (kn bytes as written, without its quotes) is key
 * (klen bytes) once its escapes are decoded, as ld_json_loadb() decodes
 * a key: "meta.\u0075ser" is "meta.user", so that a raw reader finds the
 * member jansson finds, the last of a key given twice.
 */
static int
key_is(const char *k, size_t kn, const char *key, size_t klen)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t i = 0, at = 0, un;
	const char *e;
	char u[4];
	long c, lo;

	if (memchr(k, '\\', kn) == NULL)
		return kn == klen && memcmp(k, key, klen) == 0;
	while (i < kn) {
		if (k[i] != '\\') {
			u[0] = k[i++];
			un = 1;
		} else if (kn - i < 2) {
			return 0;
		} else if (k[i + 1] != 'u') {
			if (k[i + 1] == '\0' || (e = strchr(from, k[i + 1])) == NULL)
				return 0;
			u[0] = to[e - from];
			un = 1;
			i += 2;
		} else {
			if (kn - i < 6 || (c = jhex4(k + i + 2)) < 0)
				return 0;
			i += 6;
			if (c >= 0xd800 && c < 0xdc00 && kn - i >= 6 &&
			    k[i] == '\\' && k[i + 1] == 'u' &&
			    (lo = jhex4(k + i + 2)) >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if ((c >= 0xd800 && c < 0xe000) || c == 0)
				c = 0xfffd;
			un = utf8_put((unsigned long)c, u);
		}
		if (klen - at < un || memcmp(key + at, u, un) != 0)
			return 0;
		at += un;
	}
	return at == klen;
}

int
ld_json_raw_member(const char *s, size_t n, const char *key, const char **vs,
    size_t *vn)
{
	size_t i, ks, ke, ve, klen = strlen(key);
	int found = 0;

	i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return 0;
	/* To the end of the object: a key given twice counts the last
	 * time, as jansson reads it, so every reader sees one value. */
	while (i < n) {
		if (s[i] != '"' || (ke = skip_string(s, n, i)) == 0)
			return -1;
		ks = i + 1;
		i = skip_ws(s, n, ke);
		if (i >= n || s[i] != ':')
			return -1;
		i = skip_ws(s, n, i + 1);
		if ((ve = skip_value(s, n, i)) == 0)
			return -1;
		if (key_is(s + ks, ke - 1 - ks, key, klen)) {
			*vs = s + i;
			*vn = ve - i;
			found = 1;
		}
		i = skip_ws(s, n, ve);
		if (i < n && s[i] == ',')
			i = skip_ws(s, n, i + 1);
		else
			break;
	}
	if (i >= n || s[i] != '}')
		return -1;
	return found;
}

int
ld_json_raw_keyed(const char *s, size_t n, const char *key, const char **vs,
    size_t *vn)
{
	size_t i, e, klen = strlen(key);
	const char *ks, *v;
	size_t kn, w;
	int t;

	i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '[')
		return -1;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == ']')
		return 0;
	while (i < n) {
		if ((e = skip_value(s, n, i)) == 0)
			return -1;
		if (s[i] == '{') {
			if ((t = ld_json_raw_member(s + i, e - i, "key", &ks,
			    &kn)) < 0)
				return -1;
			if (t > 0 && kn >= 2 && ks[0] == '"' &&
			    memchr(ks, '\\', kn) != NULL)
				return -1;
			if (t > 0 && kn == klen + 2 && ks[0] == '"' &&
			    memcmp(ks + 1, key, klen) == 0) {
				if ((t = ld_json_raw_member(s + i, e - i,
				    "value", &v, &w)) <= 0)
					return t;
				*vs = v;
				*vn = w;
				return 1;
			}
		}
		i = skip_ws(s, n, e);
		if (i < n && s[i] == ',')
			i = skip_ws(s, n, i + 1);
		else
			break;
	}
	if (i >= n || s[i] != ']')
		return -1;
	return 0;
}

/* ---- what RFC 8259 reads and jansson refuses ---- */

/*
 * ld_json_loadb() copies a text jansson refused into one it reads the
 * same but for what jansson cannot hold: a lone surrogate's escape (and
 * \u0000 in a key) is written \ufffd, a number out of range is written as
 * a string of its text.  Everything else is copied as it is, so that a
 * text that breaks the grammar is still refused, by the copy's check.
 */
struct jfix {
	const char *s;
	size_t n, i;
	struct ld_buf *o;	/* the copy */
	struct ld_buf num;	/* a number's text, to be read by strtod() */
	struct ld_buf scratch;	/* where fix_deep() checks a scalar */
	struct ld_buf stack;	/* fix_deep()'s open containers, a bit each */
	int repaired;		/* LD_JSON_UTF8 and LD_JSON_CUT */
};

static int fix_value(struct jfix *, int);

static void
fix_ws(struct jfix *f)
{
	size_t st = f->i;

	f->i = skip_ws(f->s, f->n, f->i);
	ld_buf_add(f->o, f->s + st, f->i - st);
}

/* The string at s[i] == '"': 1, or 0 when it is not a JSON string. */
static int
fix_string(struct jfix *f, int key)
{
	const char *s = f->s;
	int u, lo;

	ld_buf_addc(f->o, '"');
	for (f->i++;;) {
		size_t e = ld_json_plain(s, f->i, f->n);

		ld_buf_add(f->o, s + f->i, e - f->i);
		if ((f->i = e) >= f->n || (unsigned char)s[e] < 0x20)
			return 0;
		if (s[e] == '"') {
			ld_buf_addc(f->o, '"');
			f->i++;
			return 1;
		}
		if (f->n - e < 2)
			return 0;
		if (s[e + 1] != 'u') {
			if (s[e + 1] == '\0' || strchr("\"\\/bfnrt", s[e + 1]) == NULL)
				return 0;
			ld_buf_add(f->o, s + e, 2);
			f->i += 2;
			continue;
		}
		if (f->n - e < 6 || (u = jhex4(s + e + 2)) < 0)
			return 0;
		if (u >= 0xd800 && u < 0xdc00 && f->n - e >= 12 &&
		    s[e + 6] == '\\' && s[e + 7] == 'u' &&
		    (lo = jhex4(s + e + 8)) >= 0xdc00 && lo < 0xe000) {
			ld_buf_add(f->o, s + e, 12);	/* a pair */
			f->i += 12;
			continue;
		}
		if ((u >= 0xd800 && u < 0xe000) || (u == 0 && key)) {
			ld_buf_adds(f->o, "\\ufffd");
			f->repaired |= LD_JSON_UTF8;
		} else
			ld_buf_add(f->o, s + e, 6);
		f->i += 6;
	}
}

static size_t
fix_digits(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* Whether jansson holds the number d (dn bytes, grammar checked): an
 * integer in int64, another number below the double's overflow. */
static int
fix_fits(struct jfix *f, const char *d, size_t dn, int real)
{
	static const char max[] = "9223372036854775807";
	double v;

	if (!real) {
		int neg = d[0] == '-';
		size_t k = dn - (size_t)neg;

		/* No leading zeros: more digits is larger.  Of 19, compare
		 * with the bound, one more when negative. */
		if (k != sizeof(max) - 1)
			return k < sizeof(max) - 1;
		return memcmp(d + neg, max, k) <= 0 ||
		    (neg && memcmp(d + 1, "9223372036854775808", k) == 0);
	}
	ld_buf_reset(&f->num);
	ld_buf_add(&f->num, d, dn);
	ld_buf_add(&f->num, "", 1);
	errno = 0;
	v = strtod(f->num.p, NULL);
	return !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL));
}

/* The number at s[i]: 1, or 0 when it is not a JSON number. */
static int
fix_number(struct jfix *f)
{
	const char *s = f->s;
	size_t st = f->i, i = f->i, n = f->n;
	int real = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		i = fix_digits(s, n, i);
	else
		return 0;
	if (i < n && s[i] == '.') {
		real = 1;
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		i = fix_digits(s, n, i);
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		i = fix_digits(s, n, i);
	}
	f->i = i;
	if (fix_fits(f, s + st, i - st, real)) {
		ld_buf_add(f->o, s + st, i - st);
		return 1;
	}
	ld_buf_addc(f->o, '"');
	ld_buf_add(f->o, s + st, i - st);
	ld_buf_addc(f->o, '"');
	return 1;
}

static int
fix_word(struct jfix *f, const char *w)
{
	size_t k = strlen(w);

	if (f->n - f->i < k || memcmp(f->s + f->i, w, k) != 0)
		return 0;
	ld_buf_add(f->o, w, k);
	f->i += k;
	return 1;
}

/*
 * The array or object at s[i], of any depth, checked by the grammar and
 * copied nowhere: 1, or 0 when it is not JSON.  A loop over an explicit
 * stack (a bit per open container: 1 for an object), never recursion, as
 * a line may nest millions deep.  A scalar is checked by fix_value() into
 * f->scratch, emptied after each, so memory is the stack's, an eighth of
 * a byte per level, and the longest scalar.
 */
static int
fix_deep(struct jfix *f)
{
	struct ld_buf *o = f->o;
	const char *s = f->s;
	size_t d = 0;		/* open containers */
	int obj = 0, ok = 0;	/* whether the innermost is an object */

	f->o = &f->scratch;
	ld_buf_reset(&f->stack);
	for (;;) {
		/* A value is next, white space skipped. */
		ld_buf_reset(&f->scratch);
		if (f->i >= f->n)
			break;
		if (s[f->i] == '{' || s[f->i] == '[') {
			obj = s[f->i++] == '{';
			if (d / 8 >= f->stack.len)
				ld_buf_addc(&f->stack, 0);
			if (obj)
				f->stack.p[d / 8] |= (char)(1 << d % 8);
			else
				f->stack.p[d / 8] &= (char)~(1 << d % 8);
			d++;
			fix_ws(f);
			if (f->i < f->n && s[f->i] == (obj ? '}' : ']')) {
				f->i++;
				goto closed;
			}
			goto member;
		}
		if (!fix_value(f, 0))
			break;
		for (;;) {
			/* After a value inside d containers. */
			fix_ws(f);
			if (f->i < f->n && s[f->i] == ',') {
				f->i++;
				fix_ws(f);
				goto member;
			}
			if (f->i >= f->n || s[f->i] != (obj ? '}' : ']'))
				goto out;
			f->i++;
closed:
			if (--d == 0) {
				ok = 1;
				goto out;
			}
			obj = (f->stack.p[(d - 1) / 8] >> (d - 1) % 8) & 1;
			ld_buf_reset(&f->scratch);
		}
member:
		if (obj) {
			ld_buf_reset(&f->scratch);
			if (f->i >= f->n || s[f->i] != '"' || !fix_string(f, 1))
				break;
			fix_ws(f);
			if (f->i >= f->n || s[f->i] != ':')
				break;
			f->i++;
			fix_ws(f);
		}
	}
out:
	f->o = o;
	ld_buf_reset(&f->scratch);
	return ok;
}

/* The value at s[i] (white space before it skipped): 1, or 0. */
static int
fix_value(struct jfix *f, int depth)
{
	char close;

	if (f->i >= f->n)
		return 0;
	switch (f->s[f->i]) {
	case '"':
		return fix_string(f, 0);
	case 't':
		return fix_word(f, "true");
	case 'f':
		return fix_word(f, "false");
	case 'n':
		return fix_word(f, "null");
	case '{':
	case '[':
		break;
	default:
		return fix_number(f);
	}
	if (depth >= LD_JSON_CUT_DEPTH) {
		/* Deeper than jansson holds: checked, then replaced. */
		if (!fix_deep(f))
			return 0;
		ld_buf_adds(f->o, "\"" LD_JSON_CUT_TEXT "\"");
		f->repaired |= LD_JSON_CUT;
		return 1;
	}
	close = f->s[f->i] == '{' ? '}' : ']';
	ld_buf_addc(f->o, f->s[f->i++]);
	fix_ws(f);
	if (f->i < f->n && f->s[f->i] == close) {
		ld_buf_addc(f->o, f->s[f->i++]);
		return 1;
	}
	for (;;) {
		if (close == '}') {
			if (f->i >= f->n || f->s[f->i] != '"' || !fix_string(f, 1))
				return 0;
			fix_ws(f);
			if (f->i >= f->n || f->s[f->i] != ':')
				return 0;
			ld_buf_addc(f->o, f->s[f->i++]);
			fix_ws(f);
		}
		if (!fix_value(f, depth + 1))
			return 0;
		fix_ws(f);
		if (f->i < f->n && f->s[f->i] == ',') {
			ld_buf_addc(f->o, f->s[f->i++]);
			fix_ws(f);
			continue;
		}
		if (f->i < f->n && f->s[f->i] == close) {
			ld_buf_addc(f->o, f->s[f->i++]);
			return 1;
		}
		return 0;
	}
}

json_t *
ld_json_loadb(const char *s, size_t n, size_t flags, int *repaired,
    json_error_t *err)
{
	struct ld_buf u = { 0 }, o = { 0 };
	struct jfix f = { 0 };
	json_error_t je;
	json_t *j;

	flags |= JSON_ALLOW_NUL;
	if ((j = json_loadb(s, n, flags, err ? err : &je)) != NULL)
		return j;
	/* Only now, for the few texts jansson refused. */
	if (!ld_utf8_valid(s, n)) {
		ld_utf8_repair(&u, s, n);
		s = u.p;
		n = u.len;
		f.repaired = LD_JSON_UTF8;
	}
	f.s = s;
	f.n = n;
	f.o = &o;
	fix_ws(&f);
	if (fix_value(&f, 0)) {
		fix_ws(&f);
		if (f.i == f.n && (j = json_loadb(o.p, o.len, flags, &je)) != NULL &&
		    repaired)
			*repaired |= f.repaired;
	}
	ld_buf_free(&f.num);
	ld_buf_free(&f.scratch);
	ld_buf_free(&f.stack);
	ld_buf_free(&o);
	ld_buf_free(&u);
	return j;
}

/* ---- the raw index ---- */

#define JIDX_DEPTH 64

struct jscan {
	struct ld_jidx *x;
	const char *s;
	size_t n, i;
	int again;		/* ld_jidx_again(): check members, do not add */
	int k;			/* the member to check next */
	size_t ko;		/* and where its key is in x->keys */
};

/* The slot of key k (kn bytes) of object obj in the index: its length,
 * first, middle and last bytes and the object, mixed. */
static inline unsigned
jhash(int obj, const char *k, size_t kn)
{
	uint32_t h = (uint32_t)kn * 0x9e3779b1u ^ (uint32_t)obj * 0xc2b2ae3du;

	if (kn > 0)
		h ^= ((uint32_t)(unsigned char)k[0] |
		    (uint32_t)(unsigned char)k[kn / 2] << 8 |
		    (uint32_t)(unsigned char)k[kn - 1] << 16) * 0x85ebca77u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h & (LD_JIDX_HASH - 1);
}

/* White space; every byte above ' ' ends it at once (the common case:
 * most members have none around them). */
static inline void
jws(struct jscan *j)
{
	while (j->i < j->n && (unsigned char)j->s[j->i] <= ' ' &&
	    (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static int
jhex4(const char *p)
{
	int v = 0;

	for (int k = 0; k < 4; k++) {
		int c = (unsigned char)p[k];

		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | c;
	}
	return v;
}

/* A string at s[i] == '"': 's' or 'e' (escapes), 0 when not for us. */
static int
jstring(struct jscan *j)
{
	int esc = 0, u, lo;

	for (j->i++; j->i < j->n; j->i++) {
		unsigned char c;

		j->i = ld_json_plain(j->s, j->i, j->n);
		if (j->i >= j->n)
			break;
		c = (unsigned char)j->s[j->i];
		if (c == '"') {
			j->i++;
			return esc ? 'e' : 's';
		}
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		esc = 1;
		if (++j->i >= j->n)
			return 0;
		if (j->s[j->i] != 'u') {
			if (strchr("\"\\/bfnrt", j->s[j->i]) == NULL || j->s[j->i] == 0)
				return 0;
			continue;
		}
		if (j->i + 4 >= j->n || (u = jhex4(j->s + j->i + 1)) <= 0)
			return 0;	/* bad, or \u0000 */
		j->i += 4;
		if (u >= 0xdc00 && u < 0xe000)
			return 0;	/* a lone low surrogate */
		if (u >= 0xd800 && u < 0xdc00) {
			if (j->i + 6 >= j->n || j->s[j->i + 1] != '\\' ||
			    j->s[j->i + 2] != 'u' ||
			    (lo = jhex4(j->s + j->i + 3)) < 0xdc00 || lo >= 0xe000)
				return 0;
			j->i += 6;
		}
	}
	return 0;
}

/* A number: 'i' or 'r', 0 when jansson might refuse it (overflow) or it
 * is not a JSON number. */
static int
jnumber(struct jscan *j)
{
	size_t st = j->i, d;
	int real = 0;

	if (j->s[j->i] == '-')
		j->i++;
	d = j->i;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (j->i < j->n && j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		return 0;
	if (j->i - d > 18)
		return 0;
	if (j->i < j->n && j->s[j->i] == '.') {
		real = 1;
		if (++j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
			return 0;
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E'))
		return 0;
	if (j->i - st > 300)
		return 0;
	/* "-0" is the integer 0 to jansson: its text is not as written. */
	if (!real && j->i - st == 2 && j->s[st] == '-' && j->s[st + 1] == '0')
		return 'r';
	return real ? 'r' : 'i';
}

static int jvalue(struct jscan *, int, int, int *);

/* An object at s[i] == '{' with id obj; members stored when store (or,
 * again, checked against those stored: see ld_jidx_again()). */
static int
jobject(struct jscan *j, int obj, int store, int depth)
{
	j->i++;
	jws(j);
	if (j->i < j->n && j->s[j->i] == '}') {
		j->i++;
		return 1;
	}
	for (;;) {
		size_t ks, ke;
		struct ld_jmember *m = NULL;
		int type, child = -1, was = -1;
		int again = store && j->again;

		if (j->i >= j->n || j->s[j->i] != '"')
			return 0;
		ks = j->i;
		if (again) {
			/* The key of the member this one must be: the same
			 * bytes, which had neither '"' nor '\\' nor a control
			 * byte, so the string ends right after them. */
			if (j->k >= j->x->n)
				return 0;
			m = &j->x->m[j->k];
			if (m->parent != obj || j->n - j->i < m->kn + 2 ||
			    !ld_same_bytes(j->s + j->i + 1, j->x->keys + j->ko,
			    m->kn) || j->s[j->i + 1 + m->kn] != '"')
				return 0;
			j->i += m->kn + 2;
			j->ko += m->kn;
			j->k++;
			was = m->obj;
		} else if (jstring(j) != 's')
			return 0;	/* escaped keys are left to jansson */
		ke = j->i - 1;
		jws(j);
		if (j->i >= j->n || j->s[j->i] != ':')
			return 0;
		j->i++;
		jws(j);
		if (again) {
			m->k = j->s + ks + 1;
			m->v = j->s + j->i;
		} else if (store) {
			if (j->x->n >= LD_JIDX_MAX)
				return 0;
			m = &j->x->m[j->x->n++];
			m->parent = obj;
			m->k = j->s + ks + 1;
			m->kn = ke - ks - 1;
			m->v = j->s + j->i;
		}
		/* A string, the most common value, without the detour. */
		if (j->i < j->n && j->s[j->i] == '"' && depth + 1 <= JIDX_DEPTH)
			type = jstring(j);
		else
			type = jvalue(j, store, depth + 1, &child);
		if (type == 0)
			return 0;
		if (again) {
			/* Whether it is an object is part of the shape. */
			if (child != was)
				return 0;
			m->type = (char)type;
			m->vn = (size_t)(j->s + j->i - m->v);
		} else if (m) {
			uint32_t h = jhash(obj, m->k, m->kn);

			m->type = (char)type;
			m->obj = child;
			m->vn = (size_t)(j->s + j->i - m->v);
			j->x->hnext[m - j->x->m] = j->x->hix[h];
			j->x->hix[h] = (short)(m - j->x->m);
			/* The shape's hash, from what the slot is made of. */
			j->x->shape = (j->x->shape << 5 | j->x->shape >> 59) ^
			    (h | (uint64_t)(child >= 0) << 16 |
			    (uint64_t)m->kn << 17);
		}
		jws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			jws(j);
			continue;
		}
		if (j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			return 1;
		}
		return 0;
	}
}

static int
jarray(struct jscan *j, int depth)
{
	int child;

	j->i++;
	jws(j);
	if (j->i < j->n && j->s[j->i] == ']') {
		j->i++;
		return 1;
	}
	for (;;) {
		if (jvalue(j, 0, depth + 1, &child) == 0)
			return 0;
		jws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			jws(j);
			continue;
		}
		if (j->i < j->n && j->s[j->i] == ']') {
			j->i++;
			return 1;
		}
		return 0;
	}
}

static int
jword(struct jscan *j, const char *w, int type)
{
	size_t k = strlen(w);

	if (j->n - j->i < k || memcmp(j->s + j->i, w, k) != 0)
		return 0;
	j->i += k;
	return type;
}

/* A value at s[i]: its type letter, or 0; *obj is the object's id. */
static int
jvalue(struct jscan *j, int store, int depth, int *obj)
{
	*obj = -1;
	if (j->i >= j->n || depth > JIDX_DEPTH)
		return 0;
	switch (j->s[j->i]) {
	case '{':
		*obj = store ? j->x->nobj++ : -1;
		return jobject(j, *obj, store, depth) ? 'o' : 0;
	case '[':
		return jarray(j, depth) ? 'a' : 0;
	case '"':
		return jstring(j);
	case 't':
		return jword(j, "true", 't');
	case 'f':
		return jword(j, "false", 'f');
	case 'n':
		return jword(j, "null", 'n');
	default:
		return jnumber(j);
	}
}

int
ld_jidx_build(struct ld_jidx *x, const char *s, size_t n)
{
	struct jscan j = { x, s, n, 0, 0, 0, 0 };
	size_t at = 0;
	int obj;

	x->n = 0;
	x->nobj = 0;
	x->shape = 0;
	x->s = s;
	x->sn = n;
	x->keys_ok = 0;
	memset(x->hix, 0xff, sizeof(x->hix));
	jws(&j);
	if (j.i >= n || s[j.i] != '{' || jvalue(&j, 1, 0, &obj) != 'o')
		return 0;
	jws(&j);
	if (j.i != n)
		return 0;
	/* The keys, for the next line of the same shape. */
	for (int i = 0; i < x->n; i++) {
		if (x->m[i].kn > sizeof(x->keys) - at)
			return 1;
		memcpy(x->keys + at, x->m[i].k, x->m[i].kn);
		at += x->m[i].kn;
	}
	x->keys_ok = 1;
	return 1;
}

/* ---- flat lines ---- */

/*
 * The quotes of s (n bytes, at most LD_JFLAT_LEN) as bits of q, one word
 * per 64 bytes; 0 when a byte is below ' ', at or above 0x80, or a
 * backslash.  Sixteen bytes at a time where SSE2 is (every x86-64): a
 * signed compare with ' ' finds the control bytes and those at or above
 * 0x80 at once.
 */
static int
jflat_quotes(const char *s, size_t n, uint64_t *q)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), qu = _mm_set1_epi8('"'),
	    bs = _mm_set1_epi8('\\');
	char last[64];

	/* Sixty-four bytes a word; the last ones from a copy padded with
	 * a byte that is none of those looked for. */
	for (; i < n; i += 64) {
		const char *p = s + i;
		uint64_t qw = 0;
		unsigned bad = 0;

		if (n - i < 64) {
			memset(last, 'a', sizeof(last));
			memcpy(last, p, n - i);
			p = last;
		}
		for (int k = 0; k < 4; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));

			bad |= (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_cmplt_epi8(v, sp), _mm_cmpeq_epi8(v, bs)));
			qw |= (uint64_t)(unsigned)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(v, qu)) << (16 * k);
		}
		if (bad)
			return 0;
		q[i / 64] = qw;
	}
#else
	memset(q, 0, (n + 63) / 64 * sizeof(*q));
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < ' ' || c >= 0x80 || c == '\\')
			return 0;
		if (c == '"')
			q[i / 64] |= (uint64_t)1 << (i % 64);
	}
#endif
	return 1;
}

/* The first quote at or after i, or n. */
static inline size_t
jflat_next(const uint64_t *q, size_t i, size_t n)
{
	size_t w = i / 64;
	uint64_t b;

	if (i >= n)
		return n;
	b = q[w] >> (i % 64);
	if (b)
		return i + (size_t)__builtin_ctzll(b);
	for (w++; w * 64 < n; w++)
		if (q[w])
			return w * 64 + (size_t)__builtin_ctzll(q[w]);
	return n;
}

/* Past the spaces at i. */
static size_t
jflat_sp(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* The shape hash of a line with one member more: its key's length,
 * first and last bytes, and its value's type (the table of shapes is
 * picked by it; format.c). */
static inline uint64_t
jflat_mix(uint64_t h, const char *k, size_t kn, int t)
{
	uint64_t v = (uint64_t)kn << 24 ^ (uint64_t)(unsigned char)t;

	if (kn > 0)
		v ^= (uint64_t)(unsigned char)k[0] << 16 ^
		    (uint64_t)(unsigned char)k[kn - 1] << 8;
	return (h << 5 | h >> 59) + v;
}

/* The word (true, false, null) at s[i]: its type letter with *e past
 * it, or 0. */
static int
jflat_word(const char *s, size_t n, size_t i, size_t *e)
{
	struct jscan j = { 0 };
	int t;

	j.s = s;
	j.n = n;
	j.i = i;
	t = s[i] == 't' ? jword(&j, "true", 't') :
	    s[i] == 'f' ? jword(&j, "false", 'f') : jword(&j, "null", 'n');
	*e = j.i;
	return t;
}

/*
 * A flat line without a space between tokens, the way loggers write
 * them: with no backslash the strings are the quotes taken two by two,
 * and what lies between two strings is one of a few exact bytes ("{",
 * ":", ",", ":" scalar ",", "}"), so a member costs a few bit scans and
 * compares.  1, or 0 when the line is not of that kind (it may still be
 * flat: jflat_loose() reads it).
 */
static int
jflat_tight(const char *s, size_t n, const uint64_t *q, struct ld_jflat *f)
{
	size_t nw = (n + 63) / 64, w = 0, i = 1, a, b, v, e;
	uint64_t cur = q[0], h = 0;
	struct jscan j = { 0 };
	int m = 0, t;

#define NEXTQ(pos) do {							\
	while (cur == 0) {						\
		if (++w >= nw)						\
			return 0;					\
		cur = q[w];						\
	}								\
	(pos) = w * 64 + (size_t)__builtin_ctzll(cur);			\
	cur &= cur - 1;							\
} while (0)

	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return 0;
	if (n == 2)
		goto end;
	for (;;) {
		/* The key opens where the member begins; s[n - 1] is '}',
		 * so its closing quote b is before n - 1, and b + 1 and, past
		 * a ':' there, b + 2 are in the line. */
		NEXTQ(a);
		if (a != i || m >= LD_JFLAT_MAX)
			return 0;
		NEXTQ(b);
		if (s[b + 1] != ':')
			return 0;
		f->k[m] = s + a + 1;
		f->kn[m] = (unsigned short)(b - a - 1);
		v = b + 2;
		f->v[m] = s + v;
		if (s[v] == '"') {
			NEXTQ(a);
			NEXTQ(e);
			e++;
			t = 's';
		} else if ((unsigned)(s[v] - '1') <= 8) {
			/* Digits end before the final '}'. */
			for (e = v + 1; (unsigned)(s[e] - '0') <= 9; e++)
				;
			t = 'i';
			if (e - v > 18 || s[e] == '.' || s[e] == 'e' ||
			    s[e] == 'E') {
				j.s = s;
				j.n = n;
				j.i = v;
				t = jnumber(&j);
				e = j.i;
			}
		} else if (s[v] == 't' || s[v] == 'f' || s[v] == 'n') {
			t = jflat_word(s, n, v, &e);
		} else {
			j.s = s;
			j.n = n;
			j.i = v;
			t = jnumber(&j);
			e = j.i;
		}
		if (t == 0 || e >= n)
			return 0;
		f->vn[m] = (unsigned short)(e - v);
		f->type[m] = (char)t;
		h = jflat_mix(h, f->k[m], f->kn[m], t);
		m++;
		if (s[e] == ',') {
			i = e + 1;
			continue;
		}
		if (e == n - 1)
			break;
		return 0;
	}
#undef NEXTQ
end:
	f->n = m;
	f->hash = h ^ (uint64_t)m * 0x9e3779b97f4a7c15ull;
	return 1;
}

/* Any flat line, spaces between tokens and all. */
static int
jflat_loose(const char *s, size_t n, const uint64_t *q, struct ld_jflat *f)
{
	uint64_t h = 0;
	size_t i = 0, e;
	struct jscan j = { 0 };
	int m = 0, t;

	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '{')
		return 0;
	for (i++; i < n && s[i] == ' '; i++)
		;
	if (i < n && s[i] == '}')
		goto end;
	for (;;) {
		if (i >= n || s[i] != '"' || m >= LD_JFLAT_MAX)
			return 0;
		if ((e = jflat_next(q, i + 1, n)) >= n)
			return 0;
		f->k[m] = s + i + 1;
		f->kn[m] = (unsigned short)(e - i - 1);
		i = e + 1;
		if (i < n && s[i] == ' ')
			i = jflat_sp(s, i, n);
		if (i >= n || s[i] != ':')
			return 0;
		i++;
		if (i < n && s[i] == ' ')
			i = jflat_sp(s, i, n);
		if (i >= n)
			return 0;
		f->v[m] = s + i;
		switch (s[i]) {
		case '"':
			if ((e = jflat_next(q, i + 1, n)) >= n)
				return 0;
			i = e + 1;
			t = 's';
			break;
		case 't':
		case 'f':
		case 'n':
			t = jflat_word(s, n, i, &i);
			break;
		default:
			/* An integer of digits only, the common case, here;
			 * anything else as jnumber() reads it. */
			e = i;
			while (e < n && (unsigned)(s[e] - '0') <= 9)
				e++;
			if (e > i && e - i <= 18 && (s[i] != '0' || e - i == 1) &&
			    e < n && (s[e] == ',' || s[e] == '}' || s[e] == ' ')) {
				i = e;
				t = 'i';
				break;
			}
			j.s = s;
			j.n = n;
			j.i = i;
			t = jnumber(&j);
			i = j.i;
			break;
		}
		if (t == 0)
			return 0;
		f->vn[m] = (unsigned short)(s + i - f->v[m]);
		f->type[m] = (char)t;
		h = jflat_mix(h, f->k[m], f->kn[m], t);
		m++;
		if (i < n && s[i] == ' ')
			i = jflat_sp(s, i, n);
		if (i < n && s[i] == ',') {
			i++;
			if (i < n && s[i] == ' ')
				i = jflat_sp(s, i, n);
			continue;
		}
		if (i < n && s[i] == '}')
			break;
		return 0;
	}
end:
	for (i++; i < n && s[i] == ' '; i++)
		;
	if (i != n)
		return 0;
	f->n = m;
	f->hash = h ^ (uint64_t)m * 0x9e3779b97f4a7c15ull;
	return 1;
}

/* A flat line of exactly the shape w, written tight (see jflat_tight()):
 * each key compared in place, each value read by the type it must have.
 * 1, or 0 when s is not one. */
static int
jflat_as(const char *s, size_t n, const uint64_t *q, struct ld_jflat *f,
    const struct ld_jflat_want *w)
{
	size_t i = 1, at = 0, v, e, kn;
	struct jscan j = { 0 };
	int t;

	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return 0;
	if (w->n == 0)
		return n == 2 ? (f->n = 0, 1) : 0;
	j.s = s;
	j.n = n;
	for (int m = 0; m < w->n; m++) {
		kn = w->kn[m];
		/* A quote, the key, a quote, ':' and a value before the
		 * final '}'.  The key is the shape's, which holds no quote. */
		if (n - 1 - i < kn + 4 || s[i] != '"' || s[i + kn + 1] != '"' ||
		    s[i + kn + 2] != ':' || !ld_same_bytes(s + i + 1, w->keys + at,
		    kn))
			return 0;
		f->k[m] = s + i + 1;
		f->kn[m] = (unsigned short)kn;
		at += kn;
		v = i + kn + 3;
		f->v[m] = s + v;
		switch (t = w->type[m]) {
		case 's':
			if (s[v] != '"' || (e = jflat_next(q, v + 1, n)) >= n)
				return 0;
			e++;
			break;
		case 'i':
			if ((unsigned)(s[v] - '1') <= 8) {
				for (e = v + 1; (unsigned)(s[e] - '0') <= 9; e++)
					;
				if (e - v <= 18 && s[e] != '.' && s[e] != 'e' &&
				    s[e] != 'E')
					break;
			}
			/* FALLTHROUGH */
		default:
			if (s[v] == 't' || s[v] == 'f' || s[v] == 'n') {
				if (jflat_word(s, n, v, &e) != t)
					return 0;
				break;
			}
			j.i = v;
			if (jnumber(&j) != t)
				return 0;
			e = j.i;
			break;
		}
		if (e >= n)
			return 0;
		f->vn[m] = (unsigned short)(e - v);
		f->type[m] = (char)t;
		if (m + 1 < w->n) {
			if (s[e] != ',')
				return 0;
			i = e + 1;
		} else if (e != n - 1)
			return 0;
	}
	f->n = w->n;
	return 1;
}

int
ld_jflat_scan(const char *s, size_t n, struct ld_jflat *f,
    const struct ld_jflat_want *want)
{
	uint64_t q[LD_JFLAT_LEN / 64];

	f->n = 0;
	if (n > LD_JFLAT_LEN || !jflat_quotes(s, n, q))
		return 0;
	if (want != NULL && jflat_as(s, n, q, f, want))
		return 2;
	return jflat_tight(s, n, q, f) || jflat_loose(s, n, q, f);
}

int
ld_jidx_again(struct ld_jidx *x, const char *s, size_t n)
{
	struct jscan j = { x, s, n, 0, 1, 0, 0 };
	int nobj = x->nobj, obj;

	if (!x->keys_ok)
		return 0;
	x->nobj = 0;
	x->s = s;
	x->sn = n;
	jws(&j);
	if (j.i < n && s[j.i] == '{' && jvalue(&j, 1, 0, &obj) == 'o') {
		jws(&j);
		if (j.i == n && j.k == x->n && x->nobj == nobj)
			return 1;
	}
	/* Members were changed on the way: only a build makes x right. */
	x->n = 0;
	x->nobj = 0;
	x->keys_ok = 0;
	return 0;
}

/* The last member of obj with key k (kn bytes), or -1.  The index holds
 * the last member of each hash: when that is not the key, another key of
 * the same hash came later, and the members are read one by one. */
static int
jget(const struct ld_jidx *x, int obj, const char *k, size_t kn)
{
	for (int i = x->hix[jhash(obj, k, kn)]; i >= 0; i = x->hnext[i])
		if (x->m[i].parent == obj && x->m[i].kn == kn &&
		    memcmp(x->m[i].k, k, kn) == 0)
			return i;
	return -1;
}

int
ld_jidx_top(const struct ld_jidx *x, const char *key)
{
	size_t kn = strlen(key);

	for (int i = x->n - 1; i >= 0; i--)
		if (x->m[i].parent == 0 && x->m[i].kn == kn &&
		    memcmp(x->m[i].k, key, kn) == 0)
			return i;
	return -1;
}

int
ld_jidx_key(const struct ld_jidx *x, int obj, const char *key, size_t kn)
{
	return jget(x, obj, key, kn);
}

int
ld_jidx_path(const struct ld_jidx *x, int obj, const char *path)
{
	const char *dot;
	size_t len = strlen(path);
	int i;

	if ((i = jget(x, obj, path, len)) >= 0)
		return i;
	for (dot = strchr(path, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		/* ld_json_path() skips prefixes of 256 bytes or more. */
		if ((size_t)(dot - path) >= 256)
			break;
		if ((i = jget(x, obj, path, (size_t)(dot - path))) >= 0 &&
		    x->m[i].type == 'o' &&
		    (i = ld_jidx_path(x, x->m[i].obj, dot + 1)) >= 0)
			return i;
	}
	return -1;
}

int
ld_jidx_text(const struct ld_jidx *x, int i, struct ld_buf *b)
{
	const struct ld_jmember *m;
	const char *p, *e;
	size_t k;

	if (i < 0)
		return 0;
	m = &x->m[i];
	switch (m->type) {
	case 's':
		ld_buf_add(b, m->v + 1, m->vn - 2);
		return 1;
	case 'i':
	case 't':
	case 'f':
		ld_buf_add(b, m->v, m->vn);
		return 1;
	case 'e':
		break;
	case 'r':
		return -1;
	default:
		return 0;
	}
	/* Decode the escapes, as jansson does (checked by ld_jidx_build). */
	ld_buf_add(b, "", 0);
	p = m->v + 1;
	e = m->v + m->vn - 1;
	while (p < e) {
		const char *bs = memchr(p, '\\', (size_t)(e - p));
		long c, lo;
		if (bs == NULL) {
			ld_buf_add(b, p, (size_t)(e - p));
			break;
		}
		ld_buf_add(b, p, (size_t)(bs - p));
		p = bs + 1;
		if (*p != 'u') {
			k = (size_t)(strchr("\"\\/bfnrt", *p) - "\"\\/bfnrt");
			ld_buf_addc(b, "\"\\/\b\f\n\r\t"[k]);
			p++;
			continue;
		}
		c = jhex4(p + 1);
		p += 5;
		if (c >= 0xd800 && c < 0xdc00) {
			lo = jhex4(p + 2);
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			p += 6;
		}
		ld_buf_add_utf8(b, (unsigned long)c);
	}
	return 1;
}

/* ---- shapes ---- */

/* A member's place in a shape: its object, and whether it is one. */
static inline uint64_t
shape_head(const struct ld_jmember *m)
{
	return (uint64_t)(uint32_t)m->parent | (uint64_t)(m->obj >= 0) << 31 |
	    (uint64_t)m->kn << 32;
}

uint64_t
ld_jidx_shape_hash(const struct ld_jidx *x)
{
	/* Kept by ld_jidx_build() from each member's slot (its object,
	 * length and three of its bytes), whether it is an object and its
	 * length: cheap, and exact enough to spread shapes over a table. */
	uint64_t h = x->shape ^ (uint64_t)x->n * 0x9e3779b97f4a7c15ULL;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void
ld_jidx_shape_save(const struct ld_jidx *x, struct ld_buf *b)
{
	ld_buf_reset(b);
	for (int i = 0; i < x->n; i++) {
		uint64_t head = shape_head(&x->m[i]);

		ld_buf_add(b, &head, sizeof(head));
		ld_buf_add(b, x->m[i].k, x->m[i].kn);
	}
}

int
ld_jidx_shape_is(const struct ld_jidx *x, const char *d, size_t dn)
{
	size_t at = 0;
	int i;

	for (i = 0; i < x->n; i++) {
		const struct ld_jmember *m = &x->m[i];
		uint64_t head;

		if (dn - at < sizeof(head))
			return 0;
		memcpy(&head, d + at, sizeof(head));
		at += sizeof(head);
		if (head != shape_head(m) || dn - at < m->kn ||
		    memcmp(d + at, m->k, m->kn) != 0)
			return 0;
		at += m->kn;
	}
	return at == dn;
}
