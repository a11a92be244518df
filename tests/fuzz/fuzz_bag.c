/*
 * fuzz_bag.c — bag manifests and verify.
 *
 * The input is cut at lines "--" into the files of a bag: bagit.txt,
 * bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
 * tagmanifest-sha256.txt and data/events.jsonl, written into a private
 * directory, then verified.  Properties: verify makes its check (the bag
 * is a directory), every problem is described, and a bag whose manifests
 * the input wrote by hand is never taken for intact when its payload
 * was not all listed.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bag/bag.h"
#include "fuzz.h"

static const char *const names[] = {
	"bagit.txt", "bag-info.txt", "manifest-sha256.txt",
	"manifest-sha512.txt", "tagmanifest-sha256.txt", "data/events.jsonl",
};
#define NFILES (sizeof(names) / sizeof(names[0]))

static void
put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[PATH_MAX + 64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		abort();
	if (n > 0 && write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	char bag[PATH_MAX], sub[PATH_MAX + 8];
	const uint8_t *p = data, *end = data + size, *cut;
	struct ld_bag_result *res = NULL;
	struct ld_err err;
	size_t i;

	fuzz_rmtree(dir);
	snprintf(bag, sizeof(bag) - 8, "%s/b", dir);
	snprintf(sub, sizeof(sub), "%s/b/data", dir);
	if (mkdir(bag, 0700) < 0 || mkdir(sub, 0700) < 0)
		abort();
	for (i = 0; i < NFILES && p <= end; i++) {
		cut = memmem(p, (size_t)(end - p), "\n--\n", 4);
		put(bag, names[i], p, (size_t)((cut ? cut + 1 : end) - p));
		if (cut == NULL)
			break;
		p = cut + 4;
	}
	FUZZ_CHECK(ld_bag_verify(bag, LD_BAG_READY, NULL, &res, &err) == 0,
	    "verify made no check: %s", err.msg);
	for (i = 0; i < res->nproblems; i++)
		FUZZ_CHECK(res->problems[i].what != NULL &&
		    res->problems[i].what[0] != '\0', "problem without words");
	/* Without approvals, a bag is never ready. */
	FUZZ_CHECK(!res->ready && res->nproblems > 0, "ready without approvals");
	ld_bag_result_free(res);
	return 0;
}
