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
#include <errno.h>
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
	static char bag[PATH_MAX];
	const uint8_t *p = data, *end = data + size, *cut;
	struct ld_bag_result *res = NULL;
	struct ld_err err;
	char path[PATH_MAX + 64];
	size_t i;

	/* The bag's directories are made once; each input rewrites its
	 * files and removes those it does not give, so that a run is not
	 * spent making and deleting inodes. */
	if (bag[0] == '\0') {
		const char *dir = fuzz_tmpdir();

		fuzz_rmtree(dir);
		snprintf(bag, sizeof(bag) - 8, "%s/b", dir);
		snprintf(path, sizeof(path), "%s/data", bag);
		if (mkdir(bag, 0700) < 0 || mkdir(path, 0700) < 0)
			abort();
	}
	for (i = 0; i < NFILES && p <= end; i++) {
		cut = memmem(p, (size_t)(end - p), "\n--\n", 4);
		put(bag, names[i], p, (size_t)((cut ? cut + 1 : end) - p));
		if (cut == NULL) {
			i++;
			break;
		}
		p = cut + 4;
	}
	for (; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", bag, names[i]);
		if (unlink(path) < 0 && errno != ENOENT)
			abort();
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
