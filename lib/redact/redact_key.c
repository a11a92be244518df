/*
 * redact_key.c — pseudonym keys: making one, and telling a weak one.
 *
 * A key is the secret of a case: whoever holds it can test a guessed
 * value against a pseudonym, and whoever can guess it can do the same
 * without it.  So a key must be strong, not only long: the keys ldredact
 * makes are 256 random bits, written as 64 hex digits; a key given by a
 * user is refused when it is shorter than 32 bytes or when its bytes
 * carry less than 128 bits by the entropy of their histogram (a repeated
 * word, a short phrase).  The estimate is generous to structured text;
 * it only keeps out the keys a dictionary would find.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/digest.h"
#include "redact/redact_impl.h"

#define KEY_BITS_MIN 128.0	/* estimated, for a key to be taken */

double
ld_redact_key_bits(const unsigned char *key, size_t n)
{
	size_t count[256] = { 0 };
	double h = 0;

	for (size_t i = 0; i < n; i++)
		count[key[i]]++;
	for (int c = 0; c < 256; c++)
		if (count[c]) {
			double p = (double)count[c] / (double)n;

			h -= p * log2(p);
		}
	return h * (double)n;
}

int
ld_redact_key_check(const unsigned char *key, size_t n, struct ld_err *err)
{
	double bits;

	if (n < LD_REDACT_KEY_MIN)
		return ld_err_set(err, "the key is %zu bytes; at least %d are needed "
		    "(ldredact --new-key FILE makes one)", n, LD_REDACT_KEY_MIN);
	if ((bits = ld_redact_key_bits(key, n)) < KEY_BITS_MIN)
		return ld_err_set(err, "the key is weak (about %.0f bits; at least "
		    "%.0f are needed): use ldredact --new-key FILE", bits,
		    KEY_BITS_MIN);
	return 0;
}

int
ld_redact_key_new(const char *path, struct ld_err *err)
{
	unsigned char key[32];
	char hex[2 * sizeof(key) + 2], *tmp = NULL;
	size_t n = strlen(path);
	int fd = -1, rc = -1;

	if (RAND_bytes(key, sizeof(key)) != 1)
		return ld_err_set(err, "%s: no random bytes to be had", path);
	ld_hex(key, sizeof(key), hex);
	strcat(hex, "\n");
	tmp = ld_xmalloc(n + 16);
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
	/* mkstemp makes the file 0600: the key is never readable by others,
	 * not even before it is in place. */
	if ((fd = mkstemp(tmp)) < 0) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    fsync(fd) < 0 || fchmod(fd, 0600) < 0) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	/* link(2) does not replace: an existing key is never overwritten. */
	if (link(tmp, path) < 0) {
		ld_err_set(err, "%s: %s", path, errno == EEXIST ?
		    "exists; a key is not replaced" : strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(hex, sizeof(hex));
	return rc;
}
