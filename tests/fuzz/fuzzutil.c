/*
 * fuzzutil.c — helpers of the fuzz targets (see fuzz.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

int fuzz_thorough;

const char *
fuzz_memfile(const void *p, size_t n)
{
	static int fd = -1;
	static char path[64];
	const char *c = p;

	if (fd < 0) {
		if ((fd = memfd_create("fuzz-input", 0)) < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		abort();
	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w <= 0)
			abort();
		c += w;
		n -= (size_t)w;
	}
	return path;
}

static char tdir[PATH_MAX];

/* At exit the directory goes, with what it holds. */
static void
tmpdir_remove(void)
{
	fuzz_rmtree(tdir);
	rmdir(tdir);
}

const char *
fuzz_tmpdir(void)
{
	const char *t;

	if (tdir[0] == '\0') {
		struct stat st;

		/* TMPDIR when set; else memory (/dev/shm) where there is one,
		 * since the targets that need files make and remove them for
		 * every input; else /tmp. */
		if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
			t = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
			    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(tdir, sizeof(tdir), "%s/ldfuzz.XXXXXX", t);
		if (mkdtemp(tdir) == NULL) {
			perror("mkdtemp");
			abort();
		}
		atexit(tmpdir_remove);
	}
	return tdir;
}

/* Remove what dir holds (not dir itself); links are removed, not followed. */
void
fuzz_rmtree(const char *dir)
{
	DIR *d;
	struct dirent *de;
	char p[PATH_MAX];
	struct stat st;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			chmod(p, 0700);
			fuzz_rmtree(p);
			rmdir(p);
		} else
			unlink(p);
	}
	closedir(d);
}
