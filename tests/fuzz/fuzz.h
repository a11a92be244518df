/*
 * fuzz.h — what the fuzz targets share.
 *
 * Every target defines LLVMFuzzerTestOneInput() and checks properties of
 * what the library returns, not only that it returns: a failed property
 * aborts with a message on stderr, which libFuzzer (or driver.c, in
 * `make check`) reports as a crash, and the input becomes a regression
 * input under tests/fuzz/regress/<target>/.
 */
#ifndef LD_FUZZ_H
#define LD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold: on failure, say which and abort. */
#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, \
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/*
 * 1 under driver.c (make check: every committed input once), 0 under
 * libFuzzer.  A check too dear for every execution of a campaign (one
 * that redoes the work another way and compares) runs on every input
 * when set, and on a share of the inputs, chosen by their bytes, when not.
 */
extern int fuzz_thorough;

/*
 * A path that reads the n bytes of p: a memory file of this process
 * (memfd), rewritten on each call.  For library entry points that take a
 * path; the path stays the same for the life of the process.
 */
const char *fuzz_memfile(const void *p, size_t n);

/* Directory for targets that need a tree of files: a private one, made
 * once per process under TMPDIR, or /dev/shm, or /tmp, emptied by
 * fuzz_rmtree() and reused. */
const char *fuzz_tmpdir(void);
void fuzz_rmtree(const char *dir);

#endif
