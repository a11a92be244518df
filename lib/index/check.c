/*
 * check.c — the digest that ties an index to the bytes of its source.
 *
 * A dive proves that an index describes the source before it lets the
 * index skip a byte, and the proof must read every byte: a byte the dive
 * does not decode is exactly one whose change the index would hide.  So
 * the proof costs a pass over the whole compressed source, and what
 * matters is the cost per byte.  SHA-256 runs at about 1.5 GB/s here,
 * which was most of an indexed dive; GHASH, the polynomial hash of
 * AES-GCM, runs at 6 to 8 GB/s with the carry-less multiply every x86-64
 * and ARMv8 core has (OpenSSL's GMAC).
 *
 * Why it stays exact.  The index keeps the source's size and its GMAC
 * under a key fixed here.  GHASH of two different strings of the same
 * length L is equal only when the key's hash subkey H is a root of their
 * difference, a non-zero polynomial of degree at most L/16 + 1 over
 * GF(2^128): for any change of the bytes that is not worked out from the
 * key, at most (L/16 + 1) / 2^128 of the keys miss it, 2^-88 for a
 * terabyte.  A change of size is caught by the size.  What the check
 * guards against is an index used with bytes other than those it was
 * built from: a rotated, re-compressed, appended, truncated, copied or
 * damaged source.  It does not authenticate the source, and SHA-256 did
 * not either: whoever can write the source can take lines out of a full
 * scan as well, and whoever can write the index can write any summary
 * (an index is as trusted as the directory it lives in; ldindex(1)).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/digest.h"
#include "index/index_impl.h"

/* The key and nonce, fixed so that the same bytes always give the same
 * index; any fixed value chosen without looking at logs would do. */
static const unsigned char gkey[16] = "logdive-index-v4";
static const unsigned char gnonce[12] = "ldindex-gmac";

int
ix_digest_fd(int fd, char hex[IX_DIGEST_HEX], uint64_t *size)
{
	unsigned char *b = NULL, tag[16];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *c = NULL;
	OSSL_PARAM ps[3];
	uint64_t total = 0;
	size_t taglen = 0;
	ssize_t n;
	int rc = -1, saved = 0;

	ps[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
	    (char *)"AES-128-GCM", 0);
	ps[1] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_IV,
	    (void *)gnonce, sizeof(gnonce));
	ps[2] = OSSL_PARAM_construct_end();
	if ((mac = EVP_MAC_fetch(NULL, "GMAC", NULL)) == NULL ||
	    (c = EVP_MAC_CTX_new(mac)) == NULL ||
	    !EVP_MAC_init(c, gkey, sizeof(gkey), ps)) {
		saved = ENOSYS;
		goto out;
	}
	b = ld_xmalloc(IX_DIGEST_CHUNK);
	for (;;) {
		n = read(fd, b, IX_DIGEST_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (!EVP_MAC_update(c, b, (size_t)n)) {
			saved = EIO;
			goto out;
		}
	}
	if (!EVP_MAC_final(c, tag, &taglen, sizeof(tag)) || taglen != 16) {
		saved = EIO;
		goto out;
	}
	ld_hex(tag, 16, hex);
	if (size)
		*size = total;
	rc = 0;
out:
	free(b);
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(mac);
	if (rc < 0)
		errno = saved;
	return rc;
}
