/*
 * ldcat — the decompression floor of the benchmark: decode every file to
 * nowhere, with the libraries ldgrep reads with, on one thread.
 *
 *	ldcat [-v] file ...
 *
 * A zstd file (tar or not) is decoded with libzstd alone, since decoding
 * is the work and a tar header costs nothing; anything else goes through
 * libarchive's filters (gzip, xz, ...) as one raw stream; a plain file is
 * read.  Damage is reported and the next file is read.  With -v the
 * decoded byte count is printed.  Exit status 0, or 2 when a file could
 * not be read to its end.
 */
#include <archive.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#define BUF_SIZE ((size_t)1 << 20)

static char *in, *out;

static int
cat_zstd(int fd, const char *path, size_t have, uint64_t *total)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	size_t last = 1, r;
	ssize_t n = (ssize_t)have;
	int rc = 0;

	if (z == NULL)
		errx(2, "out of memory");
	for (;;) {
		ZSTD_inBuffer zi = { in, (size_t)n, 0 };

		while (zi.pos < zi.size) {
			ZSTD_outBuffer zo = { out, BUF_SIZE, 0 };

			last = ZSTD_decompressStream(z, &zo, &zi);
			if (ZSTD_isError(last)) {
				warnx("%s: %s", path, ZSTD_getErrorName(last));
				rc = 2;
				goto done;
			}
			*total += zo.pos;
		}
		if ((n = read(fd, in, BUF_SIZE)) <= 0)
			break;
	}
	/* Flush what the decoder still holds. */
	do {
		ZSTD_inBuffer zi = { in, 0, 0 };
		ZSTD_outBuffer zo = { out, BUF_SIZE, 0 };

		r = ZSTD_decompressStream(z, &zo, &zi);
		if (ZSTD_isError(r))
			break;
		*total += zo.pos;
		if (zo.pos < zo.size)
			break;
	} while (r != 0);
	if (n < 0 || last != 0) {
		warnx("%s: %s", path, n < 0 ? strerror(errno) : "truncated");
		rc = 2;
	}
done:
	ZSTD_freeDCtx(z);
	return rc;
}

static int
cat_archive(const char *path, uint64_t *total)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	la_ssize_t n;
	int rc = 0;

	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, path, BUF_SIZE) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		warnx("%s: %s", path, archive_error_string(a));
		rc = 2;
		goto done;
	}
	while ((n = archive_read_data(a, out, BUF_SIZE)) > 0)
		*total += (uint64_t)n;
	if (n < 0) {
		warnx("%s: %s", path, archive_error_string(a));
		rc = 2;
	}
done:
	archive_read_free(a);
	return rc;
}

int
main(int argc, char **argv)
{
	uint64_t total = 0;
	int ch, rc = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "v")) != -1) {
		if (ch != 'v') {
			fprintf(stderr, "usage: ldcat [-v] file ...\n");
			return 2;
		}
		verbose = 1;
	}
	argc -= optind;
	argv += optind;
	if ((in = malloc(BUF_SIZE)) == NULL || (out = malloc(BUF_SIZE)) == NULL)
		errx(2, "out of memory");
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		ssize_t n;

		if (fd < 0) {
			warn("%s", argv[i]);
			rc = 2;
			continue;
		}
		n = read(fd, in, BUF_SIZE);
		if (n >= 4 && memcmp(in, "\x28\xb5\x2f\xfd", 4) == 0) {
			if (cat_zstd(fd, argv[i], (size_t)n, &total))
				rc = 2;
		} else if (n > 0) {
			if (cat_archive(argv[i], &total))
				rc = 2;
		}
		close(fd);
	}
	if (verbose)
		printf("%llu\n", (unsigned long long)total);
	free(in);
	free(out);
	return rc;
}
