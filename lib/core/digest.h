/*
 * digest.h — message digests as lowercase hex: of a byte string, of a
 * stream fed piece by piece, and of a whole file read once for several
 * algorithms at a time (a BagIt manifest wants SHA-256 and SHA-512 of
 * every file without reading it twice).
 *
 * Algorithms are named as OpenSSL names them ("sha256", "sha512").
 *
 *	struct ld_digest *d = ld_digest_new("sha256");
 *	while (more) ld_digest_update(d, p, n);
 *	ld_digest_hex(d, hex);		hex: "e3b0c442…"
 *	ld_digest_free(d);
 */
#ifndef LD_DIGEST_H
#define LD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* Room for the hex of the largest digest (SHA-512) and its NUL. */
#define LD_DIGEST_HEXMAX 129

/* Write n bytes of d as 2n lowercase hex digits and a NUL into hex. */
void ld_hex(const unsigned char *d, size_t n, char *hex);

/* SHA-256 of n bytes of p, as hex (65 bytes with the NUL). */
void ld_sha256_hex(const void *p, size_t n, char hex[65]);

struct ld_digest;

/* A running digest of algorithm alg.  Returns NULL when alg is unknown.
 * Free with ld_digest_free() (NULL is fine). */
struct ld_digest *ld_digest_new(const char *alg);
void ld_digest_update(struct ld_digest *d, const void *p, size_t n);
/* Finish: the digest as hex into hex (LD_DIGEST_HEXMAX bytes); the
 * digest starts over empty afterwards. */
void ld_digest_hex(struct ld_digest *d, char hex[LD_DIGEST_HEXMAX]);
void ld_digest_free(struct ld_digest *d);

/*
 * Read fd to its end once, hashing with each of the nalg (at most 8)
 * algorithms algs; hex[i] gets the digest of algs[i].  size, when not
 * NULL, gets the number of bytes read.  Returns 0, or -1 with errno set
 * (EINVAL for an unknown algorithm or too many).
 */
int ld_digest_fd(int fd, int nalg, const char *const *algs,
    char hex[][LD_DIGEST_HEXMAX], uint64_t *size);

/* The same for dirfd/path (AT_FDCWD for a plain path), opened without
 * following a final symbolic link. */
int ld_digest_file(int dirfd, const char *path, int nalg,
    const char *const *algs, char hex[][LD_DIGEST_HEXMAX], uint64_t *size);

#endif
