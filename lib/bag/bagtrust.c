/*
 * bagtrust.c — approvals checked: the part of verify that reads approvals/.
 *
 * An approval is a directory approvals/<role>-<reviewer>/ with three files:
 *
 *	approval.txt     the statement, "Label: value" lines (ld-bundle(5))
 *	approval.sig     the raw 64-byte Ed25519 signature of approval.txt
 *	signer.pub.pem   the signer's public key (SubjectPublicKeyInfo, PEM)
 *
 * The statement names the SHA-256 of tagmanifest-sha256.txt, which pins
 * the whole bag.  Everything here can be checked with stock tools:
 * "openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin
 * -in approval.txt -sigfile approval.sig" and "sha256sum".  The included
 * public key only says who claims to have signed; whether that key is
 * trusted is for the keyring of approvers to say (ld_bag_keyring_load()):
 * an approval counts toward "ready" only when the keyring holds its key,
 * for its role, under the reviewer's name.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bag/bagint.h"

static const char *const roles[] = { "security", "legal" };

struct keyring_entry {
	char role[16];
	char fp[LD_DIGEST_HEXMAX];
	char *name;
};

struct ld_bag_keyring {
	struct keyring_entry *v;
	size_t n;
	char sha256[LD_DIGEST_HEXMAX];
};

int
bag_valid_role(const char *r)
{
	return r && (strcmp(r, roles[0]) == 0 || strcmp(r, roles[1]) == 0);
}

/* bag_key_fingerprint - hex SHA-256 of the DER SubjectPublicKeyInfo of pkey,
 * the same as "openssl pkey -pubin -outform DER | sha256sum".  Returns 0
 * or -1. */
int
bag_key_fingerprint(EVP_PKEY *pkey, char hex[LD_DIGEST_HEXMAX])
{
	unsigned char *der = NULL;
	int n;

	if ((n = i2d_PUBKEY(pkey, &der)) <= 0)
		return -1;
	ld_sha256_hex(der, (size_t)n, hex);
	OPENSSL_free(der);
	return 0;
}

/* lt_le - 1 when the 32-byte little-endian number a is below b. */
static int
lt_le(const unsigned char *a, const unsigned char *b)
{
	int i;

	for (i = 31; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i];
	return 0;
}

/*
 * weak_key - 1 when the Ed25519 public key k is one no honest signer has:
 * a point of small order (the neutral point, for one, with a signature of
 * a neutral R and s = 0, "verifies" every statement) or a y coordinate
 * that is not below p (a second spelling of a point).  RFC 8032 leaves
 * these to the verifier; OpenSSL accepts them.  The eight points of small
 * order have five y coordinates, whatever the sign bit of x.
 */
static int
weak_key(EVP_PKEY *k)
{
	static const unsigned char p[32] = { 0xed, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0x7f };
	static const unsigned char small[5][32] = {
	    { 0x01 },		/* 1: the neutral point */
	    { 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	      0xff, 0x7f },	/* p - 1: order 2 */
	    { 0x00 },		/* 0: order 4 */
	    { 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3,
	      0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05,
	      0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
	      0xfc, 0x05 },	/* order 8 */
	    { 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c,
	      0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa,
	      0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
	      0x03, 0x7a },	/* order 8 */
	};
	unsigned char y[32];
	size_t len = sizeof(y), i;

	if (EVP_PKEY_get_raw_public_key(k, y, &len) != 1 || len != sizeof(y))
		return 1;
	y[31] &= 0x7f;		/* the sign of x */
	if (!lt_le(y, p))
		return 1;
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		if (memcmp(y, small[i], sizeof(y)) == 0)
			return 1;
	return 0;
}

/* canonical_sig - 1 when the S half of the Ed25519 signature sig is below
 * the group order L (RFC 8032 5.1.7): otherwise S and S + L would both
 * verify, two signatures for one statement. */
static int
canonical_sig(const unsigned char sig[64])
{
	static const unsigned char l[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a,
	    0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x10 };

	return lt_le(sig + 32, l);
}

/* read_pubkey - an Ed25519 public key from PEM bytes.  Returns it (the
 * caller frees it with EVP_PKEY_free()) or NULL. */
static EVP_PKEY *
read_pubkey(const char *pem, size_t len)
{
	EVP_PKEY *k;
	BIO *b;

	if ((b = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return NULL;
	k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	if (k && (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519 || weak_key(k))) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

/*
 * bag_key_fingerprint_file - the fingerprint (see bag_key_fingerprint()) of the
 * Ed25519 public key in the PEM file path.  Returns 0 or -1 with err set.
 */
int
bag_key_fingerprint_file(const char *path, char hex[LD_DIGEST_HEXMAX],
    struct ld_err *err)
{
	EVP_PKEY *k;
	char *pem;
	size_t len;
	int rc = -1;

	if ((pem = bag_read_file(AT_FDCWD, path, 1 << 16, &len, err)) == NULL)
		return -1;
	if ((k = read_pubkey(pem, len)) == NULL)
		ld_err_set(err, "%s: not an Ed25519 public key in PEM form", path);
	else if (bag_key_fingerprint(k, hex) == -1)
		ld_err_set(err, "%s: cannot encode key", path);
	else
		rc = 0;
	EVP_PKEY_free(k);
	free(pem);
	return rc;
}

void
ld_bag_keyring_free(struct ld_bag_keyring *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
	free(k);
}

const char *
ld_bag_keyring_sha256(const struct ld_bag_keyring *k)
{
	return k->sha256;
}

/* keyring_line - one "ROLE KEY NAME" line into e.  Returns NULL, or what
 * is wrong with the line. */
static const char *
keyring_line(char *line, struct keyring_entry *e)
{
	unsigned char der[512];
	const unsigned char *dp = der;
	char *role, *key, *name, *end;
	EVP_PKEY *k;
	size_t klen;
	int n;

	role = line + strspn(line, " \t");
	key = role + strcspn(role, " \t");
	if (*key == '\0')
		return "expected ROLE KEY NAME";
	*key++ = '\0';
	key += strspn(key, " \t");
	name = key + strcspn(key, " \t");
	if (*name != '\0')
		*name++ = '\0';
	name += strspn(name, " \t");
	for (end = name + strlen(name); end > name && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		end[-1] = '\0';
	if (!bag_valid_role(role))
		return "role must be security or legal";
	if (*name == '\0')
		return "no approver name after the key";
	for (end = name; *end; end++)
		if ((unsigned char)*end < 0x20 || *end == 0x7f)
			return "control character in the approver's name";
	klen = strlen(key);
	if (klen == 0 || klen % 4 != 0 || klen / 4 * 3 > sizeof(der))
		return "key is not base64 of a DER public key";
	n = EVP_DecodeBlock(der, (unsigned char *)key, (int)klen);
	if (n < 0)
		return "key is not base64 of a DER public key";
	/* EVP_DecodeBlock() counts the padding as bytes */
	n -= (klen > 0 && key[klen - 1] == '=') + (klen > 1 &&
	    key[klen - 2] == '=');
	if ((k = d2i_PUBKEY(NULL, &dp, n)) == NULL || dp != der + n ||
	    EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		return "key is not an Ed25519 public key";
	}
	if (weak_key(k)) {
		EVP_PKEY_free(k);
		return "key is a point of small order or not canonical: no "
		    "honest signer has it";
	}
	n = bag_key_fingerprint(k, e->fp);
	EVP_PKEY_free(k);
	if (n == -1)
		return "key cannot be encoded";
	snprintf(e->role, sizeof(e->role), "%s", role);
	if ((e->name = strdup(name)) == NULL)
		return "out of memory";
	return NULL;
}

struct ld_bag_keyring *
ld_bag_keyring_load(const char *path, struct ld_err *err)
{
	struct ld_bag_keyring *k;
	struct keyring_entry *v;
	char *buf, *line, *next;
	const char *why;
	size_t len, lineno = 0;

	if ((buf = bag_read_file(AT_FDCWD, path, 1 << 20, &len, err)) == NULL)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		free(buf);
		ld_err_set(err, "out of memory");
		return NULL;
	}
	ld_sha256_hex(buf, len, k->sha256);
	if (strlen(buf) != len) {
		ld_err_set(err, "%s: NUL byte in keyring", path);
		goto fail;
	}
	for (line = buf; line && line < buf + len; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (line[strspn(line, " \t")] == '\0' ||
		    line[strspn(line, " \t")] == '#')
			continue;
		if ((v = reallocarray(k->v, k->n + 1, sizeof(*v))) == NULL) {
			ld_err_set(err, "out of memory");
			goto fail;
		}
		k->v = v;
		memset(&v[k->n], 0, sizeof(*v));
		if ((why = keyring_line(line, &v[k->n])) != NULL) {
			ld_err_set(err, "%s:%zu: %s", path, lineno, why);
			goto fail;
		}
		k->n++;
		/* one key, one approver, one role: a key listed twice would
		 * let one person approve as both roles */
		for (size_t j = 0; j + 1 < k->n; j++)
			if (strcmp(v[j].fp, v[k->n - 1].fp) == 0) {
				ld_err_set(err, "%s:%zu: key listed again (for "
				    "%s, %s): a key is one approver's, for one "
				    "role", path, lineno, v[j].role, v[j].name);
				goto fail;
			}
	}
	if (k->n == 0) {
		ld_err_set(err, "%s: no approvers in the keyring", path);
		goto fail;
	}
	free(buf);
	return k;
fail:
	free(buf);
	ld_bag_keyring_free(k);
	return NULL;
}

/* has_control - 1 when s holds a control character (C0, DEL, or C1 as
 * UTF-8), which no name shown to a reviewer may carry. */
static int
has_control(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; s && *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return 1;
	return 0;
}

/* trust - what the keyring says of the valid approval ai: sets
 * ai->trusted and ai->key_name, or adds the problem.  Returns 0 or -1. */
static int
trust(const struct ld_bag_keyring *k, struct ld_bag_approval_info *ai,
    struct ld_bag_result *res)
{
	const struct keyring_entry *other = NULL;
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->v[i].fp, ai->key_sha256) != 0)
			continue;
		if (strcmp(k->v[i].role, ai->role) != 0) {
			other = &k->v[i];
			continue;
		}
		if ((ai->key_name = strdup(k->v[i].name)) == NULL)
			return -1;
		if (strcmp(k->v[i].name, ai->reviewer) != 0)
			return bag_problem(res, ai->dir, "signed with the key of "
			    "%s, but names %s as the reviewer", k->v[i].name,
			    ai->reviewer);
		ai->trusted = 1;
		return 0;
	}
	if (other)
		return bag_problem(res, ai->dir, "signed as %s with the key of "
		    "%s, whom the keyring trusts for %s only", ai->role,
		    other->name, other->role);
	return bag_problem(res, ai->dir, "signed by a key that is not in the "
	    "keyring of trusted approvers (key SHA-256 %.16s...)",
	    ai->key_sha256);
}

/* The labels of a statement, in the one order ldbundle approve writes
 * them (ld-bundle(5)). */
static const char *const labels[] = { "Approval-Version", "Case", "Role",
    "Reviewer", "Approved-At", "Tag-Manifest", "Tag-Manifest-SHA256",
    "Signer-Key-SHA256" };
#define NLABELS (sizeof(labels) / sizeof(labels[0]))

/*
 * statement - split the statement txt of len bytes into the values of its
 * labels, v[i] for labels[i] (new strings the caller frees).  A statement
 * is exactly these lines, in this order, each "Label: value" ended by LF,
 * and nothing else: no byte order mark, no CR, no blank, repeated, unknown
 * or trailing line, no empty value (but Case's, when the bag has no case
 * id).  Anything else is not what ldbundle approve signs, and a signature
 * over it would let two readers see two statements.  Returns NULL, or what
 * is wrong with it ("out of memory" too).
 */
static const char *
statement(const char *txt, size_t len, char *v[NLABELS])
{
	const char *p = txt, *end = txt + len, *nl;
	size_t i, n;

	if (strlen(txt) != len)
		return "a NUL byte";
	for (i = 0; i < NLABELS; i++, p = nl + 1) {
		n = strlen(labels[i]);
		if (p == end)
			return "a line is missing";
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return "no LF at the end";
		if ((size_t)(nl - p) < n + 2 || memcmp(p, labels[i], n) != 0 ||
		    p[n] != ':' || p[n + 1] != ' ')
			return "lines other than ldbundle approve writes, or in "
			    "another order";
		if (nl == p + n + 2 && i != 1)
			return "an empty value";
		if (memchr(p, '\r', (size_t)(nl - p)) != NULL)
			return "a CR";
		if ((v[i] = strndup(p + n + 2, (size_t)(nl - p - n - 2))) ==
		    NULL)
			return "out of memory";
	}
	if (p != end)
		return "bytes after the last line";
	return NULL;
}

static int
fail(struct ld_bag_result *res, const char *dir, const char *file,
    const char *what)
{
	char *p = bag_printf("%s/%s", dir, file);
	int rc;

	if (p == NULL)
		return -1;
	rc = bag_problem(res, p, "%s", what);
	free(p);
	return rc;
}

/*
 * check_one - check the approval in dir (relative to the bag), adding what
 * was found to res->approvals and every fault to res->problems.
 * Returns 0, or -1 out of memory.
 */
static int
check_one(int bagfd, const char *dir, const char *tm_hex, const char *made,
    const char *const *trusted, const struct ld_bag_keyring *kr,
    struct ld_bag_result *res)
{
	struct ld_bag_approval_info *ai;
	struct ld_err err;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	char fp[LD_DIGEST_HEXMAX], *txt = NULL, *sig = NULL, *pem = NULL, *path;
	char *v[NLABELS] = { 0 }, *ver, *cas, *tm, *tmh, *kh;
	const char *why;
	size_t txtlen, siglen, pemlen, i;
	int ok = 1, rc = -1;

	ai = reallocarray(res->approvals, res->napprovals + 1, sizeof(*ai));
	if (ai == NULL)
		return -1;
	res->approvals = ai;
	ai += res->napprovals++;
	memset(ai, 0, sizeof(*ai));
	if ((ai->dir = strdup(dir)) == NULL)
		return -1;

#define READ(var, len, name, max) do { \
	if ((path = bag_printf("%s/%s", dir, name)) == NULL) \
		goto out; \
	var = bag_read_file(bagfd, path, max, &len, &err); \
	free(path); \
	if (var == NULL) { \
		ok = 0; \
		if (fail(res, dir, name, "missing or unreadable")) \
			goto out; \
	} \
} while (0)
	READ(txt, txtlen, APPROVAL_TXT, 1 << 16);
	READ(sig, siglen, APPROVAL_SIG, 1 << 10);
	READ(pem, pemlen, SIGNER_PEM, 1 << 16);
#undef READ
	if (txt == NULL || sig == NULL || pem == NULL)
		goto done;

	if ((why = statement(txt, txtlen, v)) != NULL) {
		ok = 0;
		if (strcmp(why, "out of memory") == 0 ||
		    (path = bag_printf("%s/%s", dir, APPROVAL_TXT)) == NULL)
			goto out;
		rc = bag_problem(res, path, "malformed approval statement: %s "
		    "(ldbundle approve signs exactly its eight lines)", why);
		free(path);
		if (rc == -1)
			goto out;
		rc = -1;
		goto done;
	}
	ver = v[0], cas = v[1], tm = v[5], tmh = v[6], kh = v[7];
	if ((ai->role = strdup(v[2])) == NULL ||
	    (ai->reviewer = strdup(v[3])) == NULL ||
	    (ai->approved_at = strdup(v[4])) == NULL)
		goto out;
	if (strcmp(ver, "1") != 0) {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "unsupported Approval-Version"))
			goto out;
		goto done;
	}
	if (has_control(ai->reviewer) || has_control(ai->approved_at) ||
	    has_control(cas)) {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "control characters in the "
		    "statement"))
			goto out;
	}
	if (!bag_valid_role(ai->role) || strncmp(bag_basename(dir), ai->role,
	    strlen(ai->role)) != 0 || bag_basename(dir)[strlen(ai->role)] != '-') {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "role is not security or legal, "
		    "or does not match the directory name"))
			goto out;
	}
	if (bag_valid_role(ai->role)) {
		char want[64];

		bag_slug(ai->reviewer, want, sizeof(want));
		if (strcmp(bag_basename(dir) + strlen(ai->role) + 1, want) != 0) {
			ok = 0;
			if (fail(res, dir, APPROVAL_TXT, "the directory is not "
			    "named for the statement's reviewer, as ldbundle "
			    "approve names it: two readers would name two "
			    "reviewers"))
				goto out;
		}
	}
	/* when: a time in the one form approve writes, and not before the
	 * bag was made, whose tag manifest it names */
	if (bag_parse_utc(ai->approved_at, NULL) == -1) {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "Approved-At is not a time "
		    "in the form YYYY-MM-DDTHH:MM:SSZ that ldbundle approve "
		    "writes"))
			goto out;
	} else if (made && strcmp(ai->approved_at, made) < 0) {
		char *w = bag_printf("approved at %s, before the bag was made "
		    "(%s, data/provenance.json): no one approves a bag that "
		    "does not exist yet; the approver's clock was wrong or the "
		    "statement was written by hand", ai->approved_at, made);

		ok = 0;
		if (w == NULL || fail(res, dir, APPROVAL_TXT, w)) {
			free(w);
			goto out;
		}
		free(w);
	}

	/* the signature, with the key that came with it */
	if ((key = read_pubkey(pem, pemlen)) == NULL ||
	    bag_key_fingerprint(key, fp) == -1) {
		ok = 0;
		if (fail(res, dir, SIGNER_PEM, "not an Ed25519 public key, or "
		    "one of small order or not canonical"))
			goto out;
		goto done;
	}
	if ((ai->key_sha256 = strdup(fp)) == NULL)
		goto out;
	if (strcmp(kh, fp) != 0) {
		ok = 0;
		if (fail(res, dir, SIGNER_PEM, "key does not match the "
		    "statement's Signer-Key-SHA256"))
			goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (siglen != SIGLEN || !canonical_sig((unsigned char *)sig) ||
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestVerify(ctx, (unsigned char *)sig, siglen,
	    (unsigned char *)txt, txtlen) != 1) {
		ok = 0;
		if (fail(res, dir, APPROVAL_SIG, "bad signature"))
			goto out;
	}

	/* and what it approves */
	if (strcmp(tm, "tagmanifest-sha256.txt") != 0 || *tm_hex == '\0' ||
	    strcmp(tmh, tm_hex) != 0) {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "approves another tag manifest: "
		    "the bag changed after this approval"))
			goto out;
	}
	if (strcmp(cas, res->case_id ? res->case_id : "") != 0) {
		ok = 0;
		if (fail(res, dir, APPROVAL_TXT, "approves another case"))
			goto out;
	}
	if (trusted) {
		for (i = 0; trusted[i] && strcmp(trusted[i], fp) != 0; i++)
			;
		if (trusted[i] == NULL) {
			ok = 0;
			if (fail(res, dir, SIGNER_PEM, "signed by a key that is "
			    "not trusted"))
				goto out;
		}
	}
done:
	ai->valid = ok;
	if (ok && kr && trust(kr, ai, res) == -1)
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	free(txt);
	free(sig);
	free(pem);
	for (i = 0; i < NLABELS; i++)
		free(v[i]);
	return rc;
}

/*
 * bag_check_approvals - check every approval in approvals/ of the bag
 * against tm_hex, the SHA-256 of its tag manifest ("" when there is none),
 * using all, the bag's files as found by the walk.  Files in approvals/
 * that are not part of an approval are problems.  Sets res->ready, and with
 * LD_BAG_READY in flags adds a problem when the bag is not ready.
 * trusted is NULL or a NULL-terminated list of key fingerprints.
 * Returns 0, or -1 out of memory.
 */
int
bag_check_approvals(int bagfd, const struct bag_files *all,
    const char *tm_hex, const char *const *trusted,
    const struct ld_bag_keyring *kr, int flags, struct ld_bag_result *res)
{
	const size_t pre = sizeof(BAG_DIR_APPROVALS);	/* "approvals/" */
	const char *p, *slash, *last = NULL;
	char *dir, *made = NULL;
	size_t i, n, lastlen = 0;
	int have_sec = 0, have_legal = 0, two_keys = 0, made_read = 0;

	for (i = 0; i < all->n; i++) {
		p = all->v[i].path;
		if (strncmp(p, BAG_DIR_APPROVALS "/", pre) != 0)
			continue;
		slash = strchr(p + pre, '/');
		if (slash == NULL || strchr(slash + 1, '/') != NULL ||
		    (strcmp(slash + 1, APPROVAL_TXT) != 0 &&
		    strcmp(slash + 1, APPROVAL_SIG) != 0 &&
		    strcmp(slash + 1, SIGNER_PEM) != 0) || p[pre] == '.') {
			if (bag_problem(res, p, "unexpected file in approvals"))
				return -1;
			continue;
		}
		n = (size_t)(slash - p);
		if (last && n == lastlen && strncmp(p, last, n) == 0)
			continue;	/* the same approval */
		last = p;
		lastlen = n;
		if ((dir = strndup(p, n)) == NULL)
			return -1;
		if (!made_read) {
			made = bag_made_at(bagfd);
			made_read = 1;
		}
		if (check_one(bagfd, dir, tm_hex, made, trusted, kr,
		    res) == -1) {
			free(made);
			free(dir);
			return -1;
		}
		free(dir);
	}
	free(made);

	/* Ready: a trusted approval of each role, by two different keys of
	 * two approvers the keyring names differently (four eyes), over a bag that has no other problem.  Without a keyring
	 * nothing is trusted: a key that came with the bag proves nothing. */
	if (kr && (res->keyring_sha256 = strdup(ld_bag_keyring_sha256(kr))) ==
	    NULL)
		return -1;
	for (i = 0; i < res->napprovals; i++) {
		struct ld_bag_approval_info *x = &res->approvals[i], *y;
		size_t j;

		if (x->trusted && strcmp(x->role, "legal") == 0)
			have_legal = 1;
		if (!x->trusted || strcmp(x->role, "security") != 0)
			continue;
		have_sec = 1;
		for (j = 0; j < res->napprovals; j++) {
			y = &res->approvals[j];
			if (!y->trusted || strcmp(y->role, "legal") != 0)
				continue;
			have_legal = 1;
			/* two keys of two people: one approver with a key
			 * for each role is still one pair of eyes */
			if (strcmp(x->key_sha256, y->key_sha256) != 0 &&
			    strcasecmp(x->key_name, y->key_name) != 0)
				two_keys = 1;
		}
	}
	res->ready = res->nproblems == 0 && two_keys;
	if (!(flags & LD_BAG_READY) || res->ready)
		return 0;
	if (kr == NULL)
		return bag_problem(res, NULL, "not ready: no keyring of trusted "
		    "approvers was given, so no approval can count");
	if (!have_sec && bag_problem(res, NULL,
	    "not ready: no valid security approval by a trusted key"))
		return -1;
	if (!have_legal && bag_problem(res, NULL,
	    "not ready: no valid legal approval by a trusted key"))
		return -1;
	if (have_sec && have_legal && !two_keys && bag_problem(res, NULL,
	    "not ready: security and legal approvals by the same key or the "
	    "same approver"))
		return -1;
	if (two_keys && bag_problem(res, NULL, "not ready: the bag has problems"))
		return -1;
	return 0;
}
