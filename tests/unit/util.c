/*
 * util.c — unit tests of lib/core/digest.c, lib/core/atomic.c and lib/core/ld.c: hex
 * digests of strings and files, output that appears whole or not at all,
 * and JSON strings written from any bytes.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/atomic.h"
#include "core/digest.h"
#include "core/ld.h"
#include "tap.h"

#define SHA256_ABC \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_digest(const char *dir)
{
	static const char *const algs[] = { "sha256", "sha512" };
	char hex[2][LD_DIGEST_HEXMAX], path[4096];
	unsigned char raw[] = { 0x00, 0x0f, 0xa5, 0xff };
	struct ld_digest *d;
	uint64_t size = 0;
	FILE *fp;

	ld_hex(raw, sizeof(raw), hex[0]);
	is_str(hex[0], "000fa5ff", "ld_hex: lowercase, two digits a byte");
	ld_sha256_hex("abc", 3, hex[0]);
	is_str(hex[0], SHA256_ABC, "SHA-256 of abc (FIPS 180-2 example)");

	d = ld_digest_new("sha256");
	ld_digest_update(d, "a", 1);
	ld_digest_update(d, "bc", 2);
	ld_digest_hex(d, hex[0]);
	is_str(hex[0], SHA256_ABC, "streamed in pieces: the same digest");
	ld_digest_hex(d, hex[0]);
	is_str(hex[0], SHA256_EMPTY, "and it starts over afterwards");
	ld_digest_free(d);
	ok(ld_digest_new("no-such-digest") == NULL, "unknown algorithm: NULL");
	ld_digest_free(NULL);

	snprintf(path, sizeof(path), "%s/abc", dir);
	fp = fopen(path, "w");
	fputs("abc", fp);
	fclose(fp);
	ok(ld_digest_file(AT_FDCWD, path, 2, algs, hex, &size) == 0,
	    "both digests of a file in one read");
	is_str(hex[0], SHA256_ABC, "its SHA-256");
	ok(strlen(hex[1]) == 128 && strncmp(hex[1], "ddaf35a1", 8) == 0,
	    "its SHA-512");
	is_int(size, 3, "and its size");
	snprintf(path, sizeof(path), "%s/link", dir);
	ok(symlink("abc", path) == 0 &&
	    ld_digest_file(AT_FDCWD, path, 1, algs, hex, NULL) == -1,
	    "a symbolic link is not followed");
}

static void
test_atomic(const char *dir)
{
	struct ld_atomic a;
	struct ld_err e = { "" };
	char path[4096], buf[64] = "";
	struct stat st;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	fp = ld_atomic_open(&a, path, &e);
	ok(fp != NULL, "open: %s", e.msg);
	fputs("new", fp);
	ok(access(path, F_OK) == -1, "nothing under the real name yet");
	ok(ld_atomic_commit(&a, 0, &e) == 0, "commit: %s", e.msg);
	fp = fopen(path, "r");
	ok(fp && fgets(buf, sizeof(buf), fp) && strcmp(buf, "new") == 0,
	    "the file is there, whole");
	if (fp)
		fclose(fp);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "mode 0644");

	fp = ld_atomic_open(&a, path, &e);
	fputs("newer", fp);
	ok(ld_atomic_commit(&a, 0, &e) == -1 &&
	    strstr(e.msg, "already exists") != NULL,
	    "an existing file is kept without force: %s", e.msg);
	fp = ld_atomic_open(&a, path, &e);
	fputs("newer", fp);
	ld_atomic_abort(&a);
	fp = ld_atomic_open(&a, path, &e);
	fputs("newest", fp);
	ok(ld_atomic_commit(&a, 1, &e) == 0, "and replaced with force");
	fp = fopen(path, "r");
	ok(fp && fgets(buf, sizeof(buf), fp) && strcmp(buf, "newest") == 0,
	    "with the new content");
	if (fp)
		fclose(fp);
	ld_atomic_abort(&a);	/* a committed one is fine too */

	snprintf(path, sizeof(path), "%s/nodir/x", dir);
	ok(ld_atomic_open(&a, path, &e) == NULL &&
	    strstr(e.msg, "nodir/x") != NULL, "a missing directory: %s", e.msg);
}

/* A JSON string of s, as jansson reads it back: s with what is not
 * UTF-8 replaced.  Is it so, with nothing but printable ASCII, UTF-8 and
 * escapes written? */
static int
json_str_ok(const char *s, size_t n)
{
	struct ld_buf out = { 0 }, want = { 0 };
	json_t *j;
	int good;

	ld_buf_add_json_str(&out, s, n);
	ld_utf8_repair(&want, s, n);
	j = json_loadb(out.p, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	good = j != NULL && json_is_string(j) &&
	    json_string_length(j) == want.len &&
	    memcmp(json_string_value(j), want.p ? want.p : "", want.len) == 0;
	for (size_t i = 0; good && i < out.len; i++)
		good = (unsigned char)out.p[i] >= 0x20;
	json_decref(j);
	ld_buf_free(&out);
	ld_buf_free(&want);
	return good;
}

static void
test_json_str(void)
{
	/* Bytes that end a plain run, at every place of a 16-byte block. */
	static const char *const odd[] = { "\"", "\\", "\n", "\x01", "\x7f",
	    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff",
	    "\xc3", "\xed\xa0\x80" };
	struct ld_buf b = { 0 };
	char s[64];
	unsigned seed = 7;
	int bad = 0;

	ld_buf_add_json_str(&b, "a\"b\\c\n\x01\x7f\xc3\xa9\xff", 11);
	is_str(b.p, "\"a\\\"b\\\\c\\n\\u0001\x7f\xc3\xa9\xef\xbf\xbd\"",
	    "JSON string: escapes, DEL and UTF-8 as they are, a bad byte replaced");
	ld_buf_reset(&b);
	ld_buf_add_json_str(&b, "0123456789abcdef0123456789abcdef!", 33);
	is_str(b.p, "\"0123456789abcdef0123456789abcdef!\"",
	    "JSON string: a long plain run as it is");
	for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
		for (size_t at = 0; at < 40; at++) {
			size_t on = strlen(odd[k]);

			memset(s, 'x', sizeof(s));
			memcpy(s + at, odd[k], on);
			if (!json_str_ok(s, 48))
				bad++;
		}
	ok(bad == 0, "JSON string: odd bytes at every place of a block "
	    "read back as written (%d wrong)", bad);
	/* Random bytes, mostly printable: read back as repaired. */
	bad = 0;
	for (int r = 0; r < 2000; r++) {
		size_t n = (size_t)(r % 64);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (seed >> 16) % 8 ? (char)(0x20 + (seed >> 8) % 95) :
			    (char)(seed >> 20);
		}
		if (!json_str_ok(s, n))
			bad++;
	}
	ok(bad == 0, "JSON string: 2000 random strings read back (%d wrong)",
	    bad);
	ld_buf_free(&b);
}

int
main(void)
{
	char dir[] = "/tmp/ld-unit-util.XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	test_digest(dir);
	test_atomic(dir);
	test_json_str();
	{
		/* nothing but our files may be left: a temporary would show */
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 3", dir);
		ok(system(cmd) == 0, "no temporary files left behind");
	}
	ld_rmtree(dir);
	return tap_done();
}
