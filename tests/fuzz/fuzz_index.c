/*
 * fuzz_index.c — the index reader (index/index.h).
 *
 * An index (format 4, ld-index(5)) is a header, its body as one zstd
 * frame, and the SHA-256 of the bytes before it, so random bytes stop at
 * the checksum or at zstd.  Each input is therefore parsed three ways:
 * as it is; with its checksum made right; and as a body, wrapped in a
 * header, a zstd frame and a right checksum, which lets the fuzzer reach
 * the structure itself.  Properties: an index that parses, encoded again,
 * parses again and encodes to the same bytes (nothing is dropped, guessed
 * or normalised between the two); its blocks answer a few fixed scopes
 * without failing; and the bytes with one changed behind the checksum's
 * back are refused with a message, never trusted.
 */
#include <string.h>

#include <zstd.h>

#include "core/digest.h"
#include "input/src.h"
#include "fuzz.h"
#include "index/index.h"
#include "scope/scope.h"

#define NSCOPES 3
static struct ld_scope scopes[NSCOPES];

static void
scopes_init(void)
{
	static const char *const add[][3] = {
		{ "0", "namespaces", "acme-corp" },
		{ "0", "users", "alice" },
		{ "1", "projects", "acme-corp/web" },
		{ "1", "ips", "203.0.113.0/24" },
		{ "1", "cids", "01HX" },
		{ "2", "events", "user_*" },
		{ "2", "ips", "2001:db8::/48" },
		{ "2", "accounts", "bob" },
	};
	struct ld_err err;

	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++)
		if (ld_scope_add(&scopes[add[i][0][0] - '0'], add[i][1],
		    add[i][2], &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
	scopes[1].has_since = scopes[1].has_until = 1;
	scopes[1].since = INT64_C(1763251200) * 1000000000;	/* 2025-11-16 */
	scopes[1].until = scopes[1].since + INT64_C(86400) * 1000000000;
}

/* Parse n bytes; when they parse, check the properties. */
static void
check(const uint8_t *p, size_t n)
{
	struct ld_index *ix, *ix2;
	struct ld_buf b = { 0 }, b2 = { 0 };
	struct ld_err err;

	if ((ix = ld_index_parse(p, n, &err)) == NULL) {
		FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
		return;
	}
	ld_index_encode(ix, &b);
	ix2 = ld_index_parse(b.p, b.len, &err);
	FUZZ_CHECK(ix2 != NULL, "an index written back is refused: %s",
	    err.msg);
	ld_index_encode(ix2, &b2);
	FUZZ_CHECK(b.len == b2.len && memcmp(b.p, b2.p, b.len) == 0,
	    "an index read back writes %zu bytes, not the same %zu",
	    b2.len, b.len);
	for (size_t s = 0; s < NSCOPES; s++)
		(void)ld_index_source_may(ix, &scopes[s]);
	ld_index_free(ix);
	ld_index_free(ix2);
	ld_buf_free(&b);
	ld_buf_free(&b2);
}

/* Put the checksum of the n - 32 bytes before it in the last 32 of c. */
static void
fix_sum(uint8_t *c, size_t n)
{
	char hex[65];

	ld_sha256_hex(c, n - 32, hex);
	for (int i = 0; i < 32; i++)
		c[n - 32 + i] = (uint8_t)(ld_hexval(hex[2 * i]) << 4 |
		    ld_hexval(hex[2 * i + 1]));
}

/* Wrap n bytes as the body of a format 4 index and check it. */
static void
check_body(const uint8_t *p, size_t n)
{
	size_t bound = ZSTD_compressBound(n), z, len;
	uint8_t *c = malloc(8 + 4 + 8 + bound + 32);

	FUZZ_CHECK(c != NULL, "malloc");
	memcpy(c, LD_SIDECAR_MAGIC, 8);
	for (int i = 0; i < 4; i++)
		c[8 + i] = (uint8_t)(4u >> (8 * i));
	for (int i = 0; i < 8; i++)
		c[12 + i] = (uint8_t)((uint64_t)n >> (8 * i));
	z = ZSTD_compress(c + 20, bound, n ? (const void *)p : "", n, 1);
	FUZZ_CHECK(!ZSTD_isError(z), "zstd: %s", ZSTD_getErrorName(z));
	len = 20 + z + 32;
	fix_sum(c, len);
	check(c, len);
	free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	uint8_t *c;
	size_t at;

	if (!init) {
		scopes_init();
		init = 1;
	}
	check(data, size);
	check_body(data, size);
	if (size < 8 + 32)
		return 0;
	/* The same with its checksum made right. */
	c = malloc(size);
	FUZZ_CHECK(c != NULL, "malloc");
	memcpy(c, data, size);
	fix_sum(c, size);
	check(c, size);
	/* One byte changed, the checksum left as it is: refused. */
	at = (size_t)c[size - 1] * 257 % size;
	c[at] ^= (uint8_t)(1u << (c[size - 2] % 8));
	{
		struct ld_err err;
		struct ld_index *ix = ld_index_parse(c, size, &err);

		FUZZ_CHECK(ix == NULL, "byte %zu of %zu changed, index taken",
		    at, size);
		FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
	}
	free(c);
	return 0;
}
