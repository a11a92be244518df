/*
 * bagsign.c — approvals made: a reviewer signs the bag.
 *
 * ld_bag_approve() verifies the bag first (bagverify.c), then writes
 * approvals/<role>-<reviewer>/ with the statement, its Ed25519 signature
 * and the signer's public key; the layout and how to check it with the
 * stock openssl command are in bagtrust.c and ld-bundle(5).
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

#include "bag/bagint.h"

static EVP_PKEY *
read_private(const char *path, struct ld_err *err)
{
	EVP_PKEY *k;
	BIO *b;

	if ((b = BIO_new_file(path, "r")) == NULL) {
		ld_err_set(err, "%s: %s", path, strerror(errno ? errno : ENOENT));
		return NULL;
	}
	/* no passphrase callback: an encrypted key fails instead of prompting */
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"");
	BIO_free(b);
	if (k == NULL || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		ld_err_set(err, "%s: not an unencrypted Ed25519 private key in PEM "
		    "form", path);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

int
ld_bag_approve(const char *bag, const struct ld_bag_approval *a,
    char **out_dir, struct ld_err *err)
{
	struct ld_bag_result *res = NULL;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIO *mem = NULL;
	unsigned char sig[SIGLEN];
	size_t siglen = sizeof(sig);
	char tm[1][LD_DIGEST_HEXMAX], fp[LD_DIGEST_HEXMAX], when[32], name[64];
	char *txt = NULL, *rel = NULL, *final = NULL, *tmp = NULL, *pem;
	char *made = NULL;
	const char *p;
	long pemlen;
	int bagfd = -1, tfd = -1, rc = -1;

	if (!bag_valid_role(a->role)) {
		ld_err_set(err, "%s: role must be security or legal",
		    a->role ? a->role : "(none)");
		return -1;
	}
	for (p = a->reviewer; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (a->reviewer == NULL || *a->reviewer == '\0' || *p != '\0' ||
	    strlen(a->reviewer) > 200) {
		ld_err_set(err, "reviewer: must be a name of printable characters");
		return -1;
	}
	if ((key = read_private(a->key, err)) == NULL)
		return -1;
	if (ld_bag_verify(bag, 0, NULL, &res, err) == -1)
		goto out;
	if (res->nproblems > 0) {
		ld_err_set(err, "%s: the bag has %zu problem%s (see ldbundle verify), "
		    "not approving", bag, res->nproblems,
		    res->nproblems == 1 ? "" : "s");
		goto out;
	}
	bagfd = open(bag, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (bagfd == -1 || ld_digest_file(bagfd, "tagmanifest-sha256.txt", 1,
	    bag_algs, tm, NULL) == -1) {
		ld_err_set(err, "%s: %s", bag, strerror(errno));
		goto out;
	}
	if (bag_key_fingerprint(key, fp) == -1) {
		ld_err_set(err, "%s: cannot encode key", a->key);
		goto out;
	}
	bag_utc(a->now, "%Y-%m-%dT%H:%M:%SZ", when, sizeof(when));
	/* verify refuses an approval dated before the bag was made */
	if ((made = bag_made_at(bagfd)) != NULL && strcmp(when, made) < 0) {
		ld_err_set(err, "%s: the time is %s, before the bag was made "
		    "(%s): check the clock (or SOURCE_DATE_EPOCH), not "
		    "approving", bag, when, made);
		goto out;
	}
	txt = bag_printf("Approval-Version: 1\nCase: %s\nRole: %s\n"
	    "Reviewer: %s\nApproved-At: %s\nTag-Manifest: tagmanifest-sha256.txt\n"
	    "Tag-Manifest-SHA256: %s\nSigner-Key-SHA256: %s\n",
	    res->case_id ? res->case_id : "", a->role, a->reviewer, when,
	    tm[0], fp);
	if (txt == NULL)
		goto nomem;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)txt,
	    strlen(txt)) != 1 || siglen != SIGLEN) {
		ld_err_set(err, "%s: signing failed", a->key);
		goto out;
	}
	if ((mem = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PUBKEY(mem, key) != 1)
		goto nomem;
	pemlen = BIO_get_mem_data(mem, &pem);

	/* the new approval appears whole, or not at all */
	if (mkdirat(bagfd, BAG_DIR_APPROVALS, 0755) == -1 && errno != EEXIST) {
		ld_err_set(err, "%s/%s: %s", bag, BAG_DIR_APPROVALS, strerror(errno));
		goto out;
	}
	bag_slug(a->reviewer, name, sizeof(name));
	rel = bag_printf("%s/%s-%s", BAG_DIR_APPROVALS, a->role, name);
	if (rel == NULL || (final = bag_printf("%s/%s", bag, rel)) == NULL)
		goto nomem;
	if (!a->force && faccessat(bagfd, rel, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		ld_err_set(err, "%s: already exists (use --force to replace it)",
		    final);
		goto out;
	}
	if (ld_atomic_tempdir(final, &tmp, err) == -1)
		goto out;
	if ((tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		ld_err_set(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (bag_write_file(tfd, APPROVAL_TXT, txt, strlen(txt), err) == -1 ||
	    bag_write_file(tfd, APPROVAL_SIG, sig, siglen, err) == -1 ||
	    bag_write_file(tfd, SIGNER_PEM, pem, (size_t)pemlen, err) == -1 ||
	    ld_atomic_place(tmp, final, a->force, err) == -1)
		goto out;
	free(tmp);
	tmp = NULL;
	if (out_dir) {
		*out_dir = rel;
		rel = NULL;
	}
	rc = 0;
	goto out;
nomem:
	ld_err_set(err, "out of memory");
out:
	if (tmp)
		ld_rmtree(tmp);
	if (tfd != -1)
		close(tfd);
	if (bagfd != -1)
		close(bagfd);
	free(tmp);
	free(final);
	free(rel);
	free(txt);
	free(made);
	BIO_free(mem);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	ld_bag_result_free(res);
	return rc;
}
