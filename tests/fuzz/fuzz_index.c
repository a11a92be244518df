/*
 * fuzz_index.c — the index reader (index/index.h).
 *
 * An index ends with the SHA-256 of the bytes before it, so random bytes
 * stop at the checksum.  Each input is therefore parsed twice: as it is,
 * and with its checksum made right, which lets the fuzzer reach the
 * structure behind it.  Properties: an index that parses, encoded again,
 * gives exactly the bytes it was read from (nothing is dropped, guessed
 * or normalised); its blocks answer a few fixed scopes without failing;
 * and the same bytes with one byte changed behind the checksum's back
 * are refused with a message, never trusted.
 */
#include <string.h>

#include "core/digest.h"
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
	struct ld_index *ix;
	struct ld_buf b = { 0 };
	struct ld_err err;

	if ((ix = ld_index_parse(p, n, &err)) == NULL) {
		FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");
		return;
	}
	ld_index_encode(ix, &b);
	FUZZ_CHECK(b.len == n && memcmp(b.p, p, n) == 0,
	    "%zu bytes parsed, %zu written back, or other bytes", n, b.len);
	for (size_t s = 0; s < NSCOPES; s++)
		(void)ld_index_source_may(ix, &scopes[s]);
	ld_index_free(ix);
	ld_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	uint8_t *c;
	char hex[65];
	size_t at;

	if (!init) {
		scopes_init();
		init = 1;
	}
	check(data, size);
	if (size < 8 + 32)
		return 0;
	/* The same with its checksum made right. */
	c = malloc(size);
	FUZZ_CHECK(c != NULL, "malloc");
	memcpy(c, data, size);
	ld_sha256_hex(c, size - 32, hex);
	for (int i = 0; i < 32; i++)
		c[size - 32 + i] = (uint8_t)(ld_hexval(hex[2 * i]) << 4 |
		    ld_hexval(hex[2 * i + 1]));
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
