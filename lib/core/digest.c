/*
 * digest.c — message digests as hex, over OpenSSL's EVP interface.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/digest.h"
#include "core/ld.h"

struct ld_digest {
	EVP_MD_CTX *ctx;
	EVP_MD *md;		/* fetched: an init does not look it up again */
};

/*
 * SHA-256, fetched from OpenSSL's default provider once per process.
 * EVP_sha256() given to EVP_Digest() is looked up again on every call,
 * most of what hashing a short text costs (41 format definitions at
 * every tool's start).
 */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	if ((sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		abort();	/* the default provider is always there */
}

void
ld_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char x[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = x[d[i] >> 4];
		hex[2 * i + 1] = x[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

void
ld_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	pthread_once(&sha256_once, sha256_fetch);
	if (!EVP_Digest(p, n, md, &mdlen, sha256_md, NULL))
		abort();	/* only when out of memory: see ld_xmalloc */
	ld_hex(md, mdlen, hex);
}

struct ld_digest *
ld_digest_new(const char *alg)
{
	EVP_MD *md = EVP_MD_fetch(NULL, alg, NULL);
	struct ld_digest *d;

	if (md == NULL)
		return NULL;
	d = ld_xcalloc(1, sizeof(*d));
	d->md = md;
	if ((d->ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(d->ctx, md, NULL))
		abort();
	return d;
}

void
ld_digest_update(struct ld_digest *d, const void *p, size_t n)
{
	EVP_DigestUpdate(d->ctx, p, n);
}

void
ld_digest_hex(struct ld_digest *d, char hex[LD_DIGEST_HEXMAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	EVP_DigestFinal_ex(d->ctx, md, &mdlen);
	ld_hex(md, mdlen, hex);
	EVP_DigestInit_ex(d->ctx, d->md, NULL);
}

void
ld_digest_free(struct ld_digest *d)
{
	if (d == NULL)
		return;
	EVP_MD_CTX_free(d->ctx);
	EVP_MD_free(d->md);
	free(d);
}

int
ld_digest_fd(int fd, int nalg, const char *const *algs,
    char hex[][LD_DIGEST_HEXMAX], uint64_t *size)
{
	struct ld_digest *d[8] = { 0 };
	unsigned char buf[65536];
	uint64_t total = 0;
	ssize_t n;
	int i, rc = -1, saved;

	if (nalg > 8) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nalg; i++)
		if ((d[i] = ld_digest_new(algs[i])) == NULL) {
			errno = EINVAL;
			goto out;
		}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto out;
		if (n == 0)
			break;
		total += (uint64_t)n;
		for (i = 0; i < nalg; i++)
			ld_digest_update(d[i], buf, (size_t)n);
	}
	for (i = 0; i < nalg; i++)
		ld_digest_hex(d[i], hex[i]);
	if (size)
		*size = total;
	rc = 0;
out:
	saved = errno;
	for (i = 0; i < nalg; i++)
		ld_digest_free(d[i]);
	errno = saved;
	return rc;
}

int
ld_digest_file(int dirfd, const char *path, int nalg,
    const char *const *algs, char hex[][LD_DIGEST_HEXMAX], uint64_t *size)
{
	int fd, rc, saved;

	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	rc = ld_digest_fd(fd, nalg, algs, hex, size);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
