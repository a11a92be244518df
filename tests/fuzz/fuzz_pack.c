/*
 * fuzz_pack.c — a packed bag verified: the archive (tar, tar.zst,
 * tar.gz or zip) unpacked into a private directory, its tar written again
 * and compared, its zstd frames, gzip member and zip tiling checked.
 *
 * The input is the archive.  Properties: verify either cannot read it at
 * all (with a message) or makes its check, every problem is described, a
 * bag without a keyring is never ready, and nothing is left behind in the
 * directory it unpacked into.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bag/bag.h"
#include "fuzz.h"

/* empty - 1 when the directory dir holds nothing. */
static int
empty(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char file[PATH_MAX], unp[PATH_MAX];
	struct ld_bag_result *res = NULL;
	struct ld_err err = { 0 };
	size_t i;
	int fd, rc;

	if (file[0] == '\0') {
		const char *dir = fuzz_tmpdir();

		fuzz_rmtree(dir);
		snprintf(file, sizeof(file) - 16, "%s/in.tar", dir);
		snprintf(unp, sizeof(unp) - 16, "%s/unpack", dir);
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			abort();
		if (mkdir(unp, 0700) < 0)
			abort();
	}
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	rc = ld_bag_verify_packed(file, LD_BAG_READY, NULL, unp, &res, &err);
	FUZZ_CHECK(rc == 0 || err.msg[0] != '\0', "no check and no message");
	for (i = 0; rc == 0 && i < res->nproblems; i++)
		FUZZ_CHECK(res->problems[i].what != NULL &&
		    res->problems[i].what[0] != '\0', "problem without words");
	FUZZ_CHECK(rc != 0 || (!res->ready && res->nproblems > 0),
	    "ready without a keyring");
	FUZZ_CHECK(empty(unp), "unpacking left files behind");
	ld_bag_result_free(res);
	return 0;
}
