/*
 * index_impl.h — what index.c and build.c share and nobody else needs:
 * the keys of the membership filter, so that the builder and the test
 * of a scope derive them the same way.
 */
#ifndef LD_INDEX_IMPL_H
#define LD_INDEX_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "index/index.h"

/* Key tags: one byte before the value, so that a user and a namespace of
 * the same spelling are different keys. */
enum {
	IXK_NS = 'n',		/* lower case; every segment prefix */
	IXK_PROJECT = 'p',	/* unused since version 3: a project is an
				   IXK_NS prefix */
	IXK_USER = 'u',		/* lower case */
	IXK_USER_ID = 'i',	/* exact */
	IXK_EVENT = 'e',	/* exact */
	IXK_CID = 'c',		/* exact */
	IXK_IP = 'a'		/* family, prefix length, masked address */
};

/* The 64-bit hash of tag and n bytes of s, ASCII-lowercased when lower. */
uint64_t ix_key(int tag, const char *s, size_t n, int lower);

/* The key of an address (family 4 or 6, 4 or 16 bytes) cut to its first
 * bits bits. */
uint64_t ix_key_net(int family, const unsigned char *addr, int bits);

/* The prefix lengths stored for each family, longest last. */
extern const int ix_levels4[], ix_levels6[];
extern const size_t ix_nlevels4, ix_nlevels6;

/* Set and test a key in a filter of m bits with k probes. */
void ix_bloom_set(uint64_t *bits, uint64_t m, uint32_t k, uint64_t h);
int ix_bloom_test(const uint64_t *bits, uint64_t m, uint32_t k, uint64_t h);

/*
 * The digest of the source that an index is tied to (check.c): GMAC, the
 * GHASH of AES-GCM, under a fixed key, of every byte of fd read to its
 * end, as 32 hex digits and a NUL; *size (may be NULL) gets the bytes
 * read.  Returns 0, or -1 with errno set.  Why this is exact enough to
 * let an index skip bytes: check.c.
 */
#define IX_DIGEST_HEX 33
#define IX_DIGEST_CHUNK (128 * 1024)	/* bytes read at a time */
int ix_digest_fd(int fd, char hex[IX_DIGEST_HEX], uint64_t *size);

/* Make the directories above file (mkdir -p).  0 or -1 with a message. */
int ix_make_parents(const char *file, struct ld_err *err);

#endif
