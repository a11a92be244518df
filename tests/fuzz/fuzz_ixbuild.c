/*
 * fuzz_ixbuild.c — the index build (index/index.h, build.c).
 *
 * The build reads flat JSON lines by their shape instead of parsing them
 * (format.h, ld_flat_read()) and remembers in each block what a text made
 * of a field; parsing every line (no_flat) must give the same index, byte
 * for byte, with and without correlation ids.  The input is a log: its
 * lines, written to a file whose name (chosen by the input's length)
 * picks a format by name, or none, so that shapes are worked out under
 * each kind of hint.
 */
#include <string.h>

#include "core/ld.h"
#include "format/format.h"
#include "fuzz.h"
#include "index/index.h"

static struct ld_formats *fs;

static const char *const names[] = {
	"production_json.log", "api_json.log", "audit_json.log",
	"mixed.log", "current"
};

/* Build path's index one way; the encoded bytes into b, or 0 when it has
 * none (err then says why). */
static int
build(const char *path, int cids, int no_flat, struct ld_buf *b,
    struct ld_err *err)
{
	struct ld_index_build_opts o = { fs, NULL, 2026, cids, no_flat };
	struct ld_index *ix = ld_index_build(path, &o, err);

	if (ix == NULL)
		return 0;
	ld_index_encode(ix, b);
	ld_index_free(ix);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[4096];
	struct ld_buf a = { 0 }, b = { 0 };
	struct ld_err ea, eb;
	FILE *fp;
	int ra, rb, cids = (int)(size / 5 % 2);

	if (fs == NULL && (fs = ld_formats_load(NULL, NULL, &ea)) == NULL) {
		fprintf(stderr, "%s\n", ea.msg);
		abort();
	}
	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(),
	    names[size % (sizeof(names) / sizeof(names[0]))]);
	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
		perror(path);
		abort();
	}
	ra = build(path, cids, 0, &a, &ea);
	rb = build(path, cids, 1, &b, &eb);
	FUZZ_CHECK(ra == rb, "indexed %d by shape, %d parsing every line: %s",
	    ra, rb, ra ? eb.msg : ea.msg);
	FUZZ_CHECK(!ra || (a.len == b.len && memcmp(a.p, b.p, a.len) == 0),
	    "the index by shape (%zu bytes) is not the one parsing every line "
	    "gives (%zu bytes)", a.len, b.len);
	remove(path);
	ld_buf_free(&a);
	ld_buf_free(&b);
	return 0;
}
