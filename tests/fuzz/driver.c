/*
 * driver.c — a main() for the fuzz targets without libFuzzer: runs the
 * target once over every file named, and every file of every directory
 * named (in byte order), and prints TAP.  `make check` runs each target
 * this way over its committed corpus and regression inputs, with
 * whatever compiler and sanitizers the build uses; a property that fails
 * aborts, as under libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int count;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_file(const char *path)
{
	FILE *fp;
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if ((fp = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	/* libFuzzer hands over a copy of exactly n bytes: so does this. */
	buf = realloc(buf, n ? n : 1);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
	free(buf);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
	return 0;
}

static int
run(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int bad = 0;

	if (stat(path, &st) < 0) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if ((d = opendir(path)) == NULL) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (names[n] = malloc(strlen(path) + strlen(de->d_name) + 2)) == NULL)
			abort();
		sprintf(names[n++], "%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		bad |= run(names[i]);
		free(names[i]);
	}
	free(names);
	return bad;
}

int
main(int argc, char **argv)
{
	int bad = 0;

	fuzz_thorough = 1;
	for (int i = 1; i < argc; i++)
		bad |= run(argv[i]);
	printf("1..%d\n", count);
	return bad;
}
