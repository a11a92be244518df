/*
 * redact_detect.c — the built-in detectors of secrets and personal data.
 *
 * Each is a PCRE2 pattern in byte mode, matched against decoded text.
 * Where only part of a match is secret (the value after "password="), the
 * pattern sets the start of the match with \K so that the name stays for
 * the reviewer.  Boundaries are lookarounds, never consumed, so that two
 * neighbouring values are both found.
 *
 * Most strings of a log hold none of these, and a pattern that may start
 * at any byte (an email, an address) costs a JIT scan of every string.
 * So each detector also says what a string must hold for it to match at
 * all: classes of characters (an "@" for an email), a minimum length, and
 * literals of which one must occur (a token prefix), with how far before
 * the literal a match may start.  Emails and addresses have candidate
 * finders instead: a match can only start where a run of the characters
 * it is made of starts, so the pattern is tried there, anchored.  These
 * are exact, never heuristics: a string they pass over cannot match.
 * rd_plan asks all of them at once, in one pass over the string that
 * stops only at the bytes a question is about: most strings (times, ids,
 * paths) cost little more than reading them.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "redact/redact_impl.h"

/* Characters that may surround a token without being part of it. */
#define NB "(?<![A-Za-z0-9_])"
#define NA "(?![A-Za-z0-9_])"

/* IPv4 dotted quad, each part 0-255 without leading zeros. */
#define OCT "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
#define IPV4 OCT "\\." OCT "\\." OCT "\\." OCT

const struct rd_detector rd_detectors[] = {
	{ "gitlab-token",
	  NB "(?:(?:glpat|gloas|gldt|glrt|glrtr|glcbt|glptt|glft|glimt|glagent"
	  "|glsoat|glffct|glwt|gltst|glcst|glimt)-[0-9A-Za-z_.-]{8,}"
	  "|GR1348941[0-9A-Za-z_-]{16,})",
	  "secret", C_NONE, "GitLab tokens of every prefix, runner registration",
	  T_DASH | T_DIGIT, 0, 13, "gl|GR1348941", 0, 0, CAND_LIT },
	{ "aws-key",
	  "(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])",
	  "secret", C_NONE, "AWS access key ids",
	  0, T_UPPER, 20, "AKIA|ASIA|ABIA|ACCA|A3T", 0, 0, CAND_LIT },
	{ "github-token",
	  NB "(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})" NA,
	  "secret", C_NONE, "GitHub tokens",
	  0, T_UNDER, 33, "ghp_|gho_|ghu_|ghs_|ghr_|github_pat_", 0, 0, CAND_LIT },
	{ "slack-token",
	  NB "(?:xox[abposre]-[A-Za-z0-9-]{10,}"
	  "|hooks\\.slack\\.com/services/\\K[A-Za-z0-9/_-]{16,})",
	  "secret", C_NONE, "Slack tokens and webhook paths",
	  T_DASH | T_DOT, 0, 14, "xox|hooks.slack.com/services/", 0, 0, CAND_LIT },
	{ "jwt",
	  "(?<![A-Za-z0-9_-])ey[A-Za-z0-9_-]{8,}\\.ey[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
	  "secret", C_NONE, "JSON web tokens",
	  0, T_DOT, 22, ".ey", 0, -1, CAND_LIT },
	{ "private-key",
	  "-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
	  "(?:-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----|$)",
	  "secret", C_NONE, "PEM private key blocks, whole or cut short",
	  0, T_DASH, 20, "-----BEGIN", 0, 0, CAND_LIT },
	{ "url-userinfo",
	  "[A-Za-z][A-Za-z0-9+.-]{0,20}://\\K[^/\\s@\"'<>?#]+(?=@)",
	  "secret", C_NONE, "user:password@ in URLs",
	  0, T_AT | T_COLON | T_SLASH, 6, "://", 0, 22, CAND_LIT },
	{ "authorization",
	  "(?i)(?:\\bauthorization[\"']?\\s*[:=]\\s*[\"']?\\K"
	  "(?:(?:bearer|basic|token|digest|negotiate)\\s+)?[^\\s\"',;]+"
	  "|\\b(?:bearer|basic)\\s+\\K[A-Za-z0-9._~+/-]{8,}=*)",
	  "secret", C_NONE, "Authorization headers, Bearer and Basic credentials",
	  T_SPACE | T_COLON | T_EQ, 0, 6, NULL, 0, 0, CAND_AUTH },
	{ "secret-param",
	  "(?i)(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,40}?(?:token|passw(?:or)?d|pwd|secret"
	  "|api[_-]?key|private[_-]?key|access[_-]?key|signing[_-]?key"
	  "|encrypted[_-]?key|credentials?|otp_attempt|sentry_dsn|samlresponse"
	  "|_gitlab_session)[\"']?\\s*[=:]\\s*[\"']?\\K"
	  "(?!\\[FILTERED\\])(?!\\[REDACTED)[^\\s&\"',;}\\]]+",
	  "secret", C_NONE, "name=value and name: value with a sensitive name",
	  T_EQ | T_COLON, 0, 4, NULL, 0, 0, CAND_PARAM },
	{ "repo-path",
	  "@hashed/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}(?:\\.wiki|\\.design)?(?:\\.git)?"
	  "|(?:/var)?/opt/gitlab/[^\\s\"']*",
	  "path", C_NONE, "repository storage and installation paths",
	  0, T_SLASH, 8, "@hashed/|/opt/gitlab/", 0, 4, CAND_LIT },
	{ "internal-host",
	  "(?i)(?<![A-Za-z0-9.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
	  "(?:internal|local|localdomain|lan|intranet|intra|corp|home\\.arpa)"
	  "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])",
	  "host", C_NONE, "host names in internal domains (.internal, .local, …)",
	  0, T_DOT, 5, NULL, 0, 0, CAND_HOST },
	{ "email",
	  "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.)+"
	  "[A-Za-z]{2,24}(?![A-Za-z0-9-])",
	  "email", C_NONE, "email addresses",
	  0, T_AT, 6, NULL, 0, 0, CAND_EMAIL },
	{ "ip",
	  "(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" IPV4
	  "|[0-9A-Fa-f]{1,4})?(?:%[A-Za-z0-9_.-]+)?(?![0-9A-Za-z_:]|\\.[0-9])"
	  "|(?<![0-9.])" IPV4 "(?![0-9]|\\.[0-9])",
	  "ip", C_IP, "IPv4 and IPv6 addresses in every form",
	  T_COLON | T_DOT, 0, 2, NULL, 0, 0, CAND_IP },
	{ "ipv4", "(?<![0-9.])" IPV4 "(?![0-9]|\\.[0-9])", "ip", C_IP,
	  "IPv4 addresses",
	  0, T_DOT | T_DIGIT, 7, NULL, 0, 0, CAND_IP },
	{ "ipv6",
	  "(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" IPV4
	  "|[0-9A-Fa-f]{1,4})?(?:%[A-Za-z0-9_.-]+)?(?![0-9A-Za-z_:]|\\.[0-9])",
	  "ip", C_IP, "IPv6 addresses",
	  0, T_COLON, 2, NULL, 0, 0, CAND_IP },
	{ NULL, NULL, NULL, C_NONE, NULL, 0, 0, 0, NULL, 0, 0, CAND_LIT }
};

const unsigned short rd_cls[256] = {
	['%'] = T_ESC, ['\\'] = T_ESC,
	['@'] = T_AT, ['.'] = T_DOT, [':'] = T_COLON, ['='] = T_EQ,
	['-'] = T_DASH, ['_'] = T_UNDER, ['/'] = T_SLASH,
	[' '] = T_SPACE, ['\t'] = T_SPACE, ['\n'] = T_SPACE, ['\r'] = T_SPACE,
	['\f'] = T_SPACE, ['\v'] = T_SPACE,
	['0'] = T_DIGIT, ['1'] = T_DIGIT, ['2'] = T_DIGIT, ['3'] = T_DIGIT, ['4'] = T_DIGIT,
	['5'] = T_DIGIT, ['6'] = T_DIGIT, ['7'] = T_DIGIT, ['8'] = T_DIGIT, ['9'] = T_DIGIT,
	['A'] = T_UPPER, ['B'] = T_UPPER, ['C'] = T_UPPER, ['D'] = T_UPPER,
	['E'] = T_UPPER, ['F'] = T_UPPER, ['G'] = T_UPPER, ['H'] = T_UPPER,
	['I'] = T_UPPER, ['J'] = T_UPPER, ['K'] = T_UPPER, ['L'] = T_UPPER,
	['M'] = T_UPPER, ['N'] = T_UPPER, ['O'] = T_UPPER, ['P'] = T_UPPER,
	['Q'] = T_UPPER, ['R'] = T_UPPER, ['S'] = T_UPPER, ['T'] = T_UPPER,
	['U'] = T_UPPER, ['V'] = T_UPPER, ['W'] = T_UPPER, ['X'] = T_UPPER,
	['Y'] = T_UPPER, ['Z'] = T_UPPER,
	['a'] = T_LOWER, ['b'] = T_LOWER, ['c'] = T_LOWER, ['d'] = T_LOWER,
	['e'] = T_LOWER, ['f'] = T_LOWER, ['g'] = T_LOWER, ['h'] = T_LOWER,
	['i'] = T_LOWER, ['j'] = T_LOWER, ['k'] = T_LOWER, ['l'] = T_LOWER,
	['m'] = T_LOWER, ['n'] = T_LOWER, ['o'] = T_LOWER, ['p'] = T_LOWER,
	['q'] = T_LOWER, ['r'] = T_LOWER, ['s'] = T_LOWER, ['t'] = T_LOWER,
	['u'] = T_LOWER, ['v'] = T_LOWER, ['w'] = T_LOWER, ['x'] = T_LOWER,
	['y'] = T_LOWER, ['z'] = T_LOWER,
};

unsigned
rd_classes(const char *v, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n; i++)
		c |= rd_cls[(unsigned char)v[i]];
	return c;
}

#define ALNUM (T_UPPER | T_LOWER | T_DIGIT)
#define BIT(k) ((unsigned)1 << (k))

static int
lower(int c)
{
	return (unsigned)c - 'A' < 26 ? c | 0x20 : c;
}

static int
is_hex(int c)
{
	return (rd_cls[c] & T_DIGIT) || (unsigned)(c | 0x20) - 'a' < 6;
}

/* Characters an email's local part, and an address, are made of. */
static int
in_local(int c)
{
	return (rd_cls[c] & (ALNUM | T_DOT | T_UNDER | T_DASH)) || c == '%' ||
	    c == '+';
}

static int
in_v6run(int c)
{
	return rd_cls[c] & (ALNUM | T_UNDER | T_COLON | T_DOT);
}

static int
in_v4run(int c)
{
	return rd_cls[c] & (T_DIGIT | T_DOT);
}

/* A word of a trigger, with its length. */
struct word {
	const char *s;
	size_t n;
};
#define W(s) { s, sizeof(s) - 1 }
#define NW(a) (sizeof(a) / sizeof((a)[0]))

/* Are the n bytes at v word w, without case?  (strncasecmp in the C
 * locale, which ldredact runs in, without the call.) */
static int
word_at(const unsigned char *v, const struct word *w)
{
	for (size_t k = 0; k < w->n; k++)
		if (lower(v[k]) != w->s[k])
			return 0;
	return 1;
}

/* Does one of the n words end at v[e], without case?  (All end in a
 * letter: anything else before e is no match.) */
static int
ends_with(const unsigned char *v, size_t e, const struct word *w, size_t n)
{
	int c;

	if (e == 0 || !(rd_cls[v[e - 1]] & (T_UPPER | T_LOWER)))
		return 0;
	c = lower(v[e - 1]);
	for (size_t k = 0; k < n; k++)
		if (w[k].n <= e && c == w[k].s[w[k].n - 1] &&
		    word_at(v + e - w[k].n, &w[k]))
			return 1;
	return 0;
}

/* Where a name would end before the "=" or ":" at v[q]: ["']? \s*
 * between them, as in secret-param and authorization. */
static size_t
name_end(const unsigned char *v, size_t q)
{
	while (q > 0 && (rd_cls[v[q - 1]] & T_SPACE))
		q--;
	if (q > 0 && (v[q - 1] == '"' || v[q - 1] == '\''))
		q--;
	return q;
}

static const struct word params[] = { W("token"), W("passwd"),
    W("password"), W("pwd"), W("secret"), W("key"), W("credential"),
    W("credentials"), W("otp_attempt"), W("sentry_dsn"), W("samlresponse"),
    W("_gitlab_session") };
static const struct word header[] = { W("authorization") };
static const struct word schemes[] = { W("bearer"), W("basic") };

/* Does an internal domain's last label start right after the dot at
 * v[d]?  (internal-host: the pattern ends in one of them.) */
static int
tld_after(const unsigned char *v, size_t vn, size_t d)
{
	static const struct word tlds[] = { W("internal"), W("local"),
	    W("lan"), W("intra"), W("corp"), W("home.arpa") };
	size_t left = vn - d - 1;

	if (left < 3)
		return 0;
	switch (lower(v[d + 1])) {
	case 'i': case 'l': case 'c': case 'h':
		break;
	default:
		return 0;
	}
	for (size_t k = 0; k < NW(tlds); k++)
		if (left >= tlds[k].n && word_at(v + d + 1, &tlds[k]))
			return 1;
	return 0;
}

/*
 * Is the colon at v[q] where an IPv6 candidate of rd_scan_next opens: at
 * most five hex digits before it that start a run of address characters,
 * and a second colon in the run?  Every v6 candidate has such a colon:
 * its digits end at one.
 */
static int
v6_colon(const unsigned char *v, size_t vn, size_t q)
{
	size_t i = q, colons = 0;

	while (i > 0 && q - i < 6 && is_hex(v[i - 1]))
		i--;
	if (q - i > 5 || (i > 0 && in_v6run(v[i - 1])))
		return 0;
	for (; q < vn && in_v6run(v[q]) && colons < 2; q++)
		colons += v[q] == ':';
	return colons == 2;
}

/*
 * Is the dot at v[q] the third of a run of [0-9.]?  pd is the dot before
 * it (or vn), *dots the dots of its run.  Every v4 candidate's run has
 * one.
 */
static int
v4_dot(const unsigned char *v, size_t vn, size_t q, size_t pd, size_t *dots)
{
	size_t i = q;

	while (i > 0 && i - 1 != pd && (rd_cls[v[i - 1]] & T_DIGIT))
		i--;
	*dots = pd != vn && i == pd + 1 ? *dots + 1 : 1;
	return *dots >= 3;
}

/* Where scan sc starts when the first of its literals is at v[a]. */
static size_t
lit_start(const struct rd_scan *sc, size_t a)
{
	int back = sc->d->back;

	return back < 0 || a < (size_t)back ? 0 : a - (size_t)back;
}

/* The scans in m (a literal's first byte is at v[q]) whose literal is
 * there: their bits, and q in at[]. */
static uint64_t
lits_at(const struct ld_policy *p, uint64_t m, const char *v, size_t vn,
    size_t q, size_t *at)
{
	uint64_t found = 0;

	while (m != 0) {
		int k = __builtin_ctzll(m);
		const struct rd_scan *sc = &p->scans[k];

		m &= m - 1;
		for (size_t j = 0; j < sc->nlits; j++) {
			size_t n = sc->litlen[j];

			if (n <= vn - q && memcmp(v + q, sc->lits[j], n) == 0) {
				found |= (uint64_t)1 << k;
				at[k] = q;
				break;
			}
		}
	}
	return found;
}

/*
 * The bytes the open questions of rd_plan look at: "=" and ":" end a
 * sensitive name, a space a scheme (Bearer), a dot comes before an
 * internal domain and inside an IPv4 address, an IPv6 address and "://"
 * have a colon.
 */
static unsigned
events(unsigned need, int url)
{
	unsigned ev = 0;

	if (need & (BIT(CAND_PARAM) | BIT(CAND_AUTH)))
		ev |= T_EQ | T_COLON;
	if (need & BIT(CAND_AUTH))
		ev |= T_SPACE;
	if (need & BIT(CAND_HOST))
		ev |= T_DOT;
	if (need & BIT(CAND_IP))
		ev |= T_COLON | T_DOT;
	if (url)
		ev |= T_COLON;
	return ev;
}

/* Can detector d match a string of vn bytes holding classes at all? */
static int
gate(const struct rd_detector *d, size_t vn, unsigned classes)
{
	return d == NULL || (vn >= d->minlen && (classes & d->need) == d->need &&
	    (d->any == 0 || (classes & d->any) != 0));
}

/*
 * The gates of the scans as tables, so that a string's cost does not grow
 * with the number of scans that cannot match it: by the classes it holds
 * and by its length.
 */
void
rd_plan_init(struct ld_policy *p)
{
	size_t n = p->nscans < 64 ? p->nscans : 64;

	for (size_t i = 0; i < n; i++) {
		const struct rd_scan *sc = &p->scans[i];
		const struct rd_detector *d = sc->d;
		enum rd_cand cand = d ? d->cand : CAND_LIT;
		uint64_t bit = (uint64_t)1 << i;

		for (size_t k = 0; k < sc->nlits; k++) {
			const unsigned char *l = (unsigned char *)sc->lits[k];

			p->litmask[l[0]] |= bit;
			/* (a literal of one byte is at any second byte, and
			 * at the end, where rd_plan takes it to be NUL) */
			for (unsigned c = 0; c < 256; c++)
				if (l[1] == '\0' || l[1] == c)
					p->lit2[c] |= bit;
		}
		for (unsigned c = 0; c <= T_GATES; c++)
			if (d == NULL || gate(d, d->minlen, c))
				p->gate[c] |= bit;
		/* (a minimum length past the table: every long string) */
		for (size_t k = 0; k < 64; k++)
			if (d == NULL || d->minlen <= k || k == 63)
				p->lenok[k] |= bit;
		if (cand == CAND_LIT && sc->nlits)
			p->lits |= bit;
		else if (cand == CAND_LIT || cand == CAND_EMAIL)
			p->always |= bit;
		else
			p->cand[cand] |= bit;
	}
	for (unsigned c = 0; c < 256; c++)
		p->ev[c] = (rd_cls[c] & (T_EQ | T_COLON | T_SPACE | T_DOT)) |
		    (p->litmask[c] ? T_LIT : 0);
}

uint64_t
rd_plan(const struct ld_policy *p, const char *v, size_t vn, unsigned classes,
    size_t *start, int *url)
{
	const unsigned char *u = (const unsigned char *)v;
	uint64_t gated, want, found = 0, run, m;
	unsigned need = 0, got = 0, ev;
	size_t at[64], q, pd = vn, dots = 0;
	int wurl = *url && (classes & T_COLON), k;

	gated = p->gate[classes & T_GATES] & p->lenok[vn < 64 ? vn : 63];
	want = gated & p->lits;
	run = gated & p->always;
	for (k = 0; k < CAND_N; k++)
		if (gated & p->cand[k])
			need |= BIT(k);

	/*
	 * One pass over the string answers what the scans wait for, stopping
	 * only at the bytes that may answer: a literal's first byte, or one
	 * of events().  A question is settled by the same test as the
	 * pattern's trigger, so a string passed over is one the pattern
	 * cannot match.
	 */
	*url = 0;
	ev = events(need, wurl) | (want ? T_LIT : 0);
	for (q = 0; q < vn && ev != 0; q++) {
		unsigned e = p->ev[u[q]] & ev, had = got;
		uint64_t fh = found;

		if (e == 0)
			continue;
		/* Scans with a literal of these first two bytes: at the last
		 * byte, NUL stands for the byte after. */
		if ((e & T_LIT) && (m = p->litmask[u[q]] &
		    p->lit2[q + 1 < vn ? u[q + 1] : 0] & want & ~found) != 0)
			found |= lits_at(p, m, v, vn, q, at);
		if ((e & (T_EQ | T_COLON)) &&
		    (need & (BIT(CAND_PARAM) | BIT(CAND_AUTH)))) {
			size_t ne = name_end(u, q);

			if ((need & BIT(CAND_PARAM)) &&
			    ends_with(u, ne, params, NW(params)))
				got |= BIT(CAND_PARAM);
			if ((need & BIT(CAND_AUTH)) &&
			    ends_with(u, ne, header, NW(header)))
				got |= BIT(CAND_AUTH);
		}
		if ((e & T_SPACE) && ends_with(u, q, schemes, NW(schemes)))
			got |= BIT(CAND_AUTH);
		if ((e & T_DOT) && (need & BIT(CAND_HOST)) && tld_after(u, vn, q))
			got |= BIT(CAND_HOST);
		if ((e & T_DOT) && (need & BIT(CAND_IP))) {
			if (v4_dot(u, vn, q, pd, &dots))
				got |= BIT(CAND_IP);
			pd = q;
		}
		if ((e & T_COLON) && (need & BIT(CAND_IP)) && v6_colon(u, vn, q))
			got |= BIT(CAND_IP);
		if ((e & T_COLON) && wurl && vn - q >= 3 && u[q + 1] == '/' &&
		    u[q + 2] == '/')
			*url = 1;
		if (got != had || found != fh || *url) {
			need &= ~got;
			ev = events(need, wurl && !*url) |
			    (want != found ? T_LIT : 0);
		}
	}

	for (m = found; m != 0; m &= m - 1) {
		k = __builtin_ctzll(m);
		start[k] = lit_start(&p->scans[k], at[k]);
	}
	for (k = 0; k < CAND_N; k++)
		if (got & BIT(k))
			run |= gated & p->cand[k];
	for (m = run; m != 0; m &= m - 1)
		start[__builtin_ctzll(m)] = 0;
	return run | found;
}

size_t
rd_scan_next(const struct rd_scan *sc, const char *v, size_t vn, size_t off)
{
	const unsigned char *u = (const unsigned char *)v;

	switch (sc->d ? sc->d->cand : CAND_LIT) {
	case CAND_EMAIL:
		/* The local part is the whole run before an "@": 1..64. */
		for (const char *at; off < vn &&
		    (at = memchr(v + off, '@', vn - off)) != NULL;
		    off = (size_t)(at - v) + 1) {
			size_t a = (size_t)(at - v);

			while (a > 0 && in_local(u[a - 1]))
				a--;
			if (a < off || a == (size_t)(at - v) ||
			    (size_t)(at - v) - a > 64)
				continue;
			return a;
		}
		return vn + 1;
	case CAND_IP:
		/* The start of a run of [0-9A-Za-z_:.] that opens with at most
		 * four hex digits and a colon and holds two colons (v6), or of
		 * [0-9.] with three dots (v4). */
		for (size_t i = off; i < vn; i++) {
			size_t e, colons = 0, dots = 0;

			if (in_v6run(u[i]) && (i == 0 || !in_v6run(u[i - 1]))) {
				for (e = i; e < vn && e - i < 5 && is_hex(u[e]); e++)
					;
				if (e < vn && u[e] == ':') {
					for (; e < vn && in_v6run(u[e]); e++)
						colons += u[e] == ':';
					if (colons >= 2)
						return i;
				}
			}
			if (in_v4run(u[i]) && (i == 0 || !in_v4run(u[i - 1]))) {
				for (e = i; e < vn && in_v4run(u[e]); e++)
					dots += u[e] == '.';
				if (dots >= 3)
					return i;
			}
		}
		return vn + 1;
	default:
		return off;
	}
}

const struct rd_detector *
rd_detector_find(const char *name)
{
	for (const struct rd_detector *d = rd_detectors; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/*
 * A dotted quad of digits and dots only: 1 when it is one as inet_pton()
 * takes it (four numbers of at most 255, each without leading zeros), 0
 * when it is not, -1 when it has other bytes (a zone, a colon) and
 * inet_pton() is to tell.  Every address of a log passes here: this
 * spares it a copy and a library call.
 */
static int
quad(const char *s, size_t n)
{
	unsigned v = 0, parts = 0, digits = 0, bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];

		if (c - '0' < 10) {
			bad |= digits == 1 && v == 0;	/* a leading zero */
			v = v * 10 + (c - '0');
			bad |= ++digits > 3 || v > 255;
		} else if (c == '.') {
			bad |= digits == 0 || ++parts > 3;
			v = digits = 0;
		} else
			return -1;
	}
	return !bad && parts == 3 && digits > 0;
}

int
rd_ip_norm(const char *s, size_t n, struct ld_buf *b)
{
	char buf[INET6_ADDRSTRLEN + 64], out[INET6_ADDRSTRLEN];
	unsigned char a[16];
	char *z;
	int q;

	if (n >= sizeof(buf) || n < 2)
		return -1;
	if ((q = quad(s, n)) >= 0) {
		/* Its own normal form. */
		if (q)
			ld_buf_add(b, s, n);
		return q ? 0 : -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((z = strchr(buf, '%')) != NULL)
		*z = '\0';	/* the zone id names an interface, not a host */
	if (inet_pton(AF_INET, buf, a) == 1) {
		/* inet_pton takes only the canonical dotted quad (no leading
		 * zeros): it is its own normal form. */
		ld_buf_adds(b, buf);
		return 0;
	}
	if (strchr(buf, ':') == NULL || inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	/* "::" alone and "::1"-like loopbacks are addresses too, but a lone
	 * "::" is more often a separator than a host. */
	if (strcmp(buf, "::") == 0)
		return -1;
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		inet_ntop(AF_INET, a + 12, out, sizeof(out));
	else
		inet_ntop(AF_INET6, a, out, sizeof(out));
	ld_buf_adds(b, out);
	return 0;
}
