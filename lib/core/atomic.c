/*
 * atomic.c — write to a temporary name, then rename into place.
 */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/atomic.h"

/* temp_name - "dir/.base.tmpXXXXXX" for path "dir/base": hidden, and in
 * the same directory so that rename(2) is atomic. */
static char *
temp_name(const char *path)
{
	const char *base = strrchr(path, '/');
	struct ld_buf b = { 0 };

	base = base ? base + 1 : path;
	ld_buf_addf(&b, "%.*s.%s.tmpXXXXXX", (int)(base - path), path, base);
	return ld_buf_detach(&b);
}

FILE *
ld_atomic_open(struct ld_atomic *a, const char *path, struct ld_err *err)
{
	int fd;

	memset(a, 0, sizeof(*a));
	a->tmp = temp_name(path);
	if ((fd = mkstemp(a->tmp)) == -1 ||
	    (a->fp = fdopen(fd, "w")) == NULL) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(a->tmp);
		}
		free(a->tmp);
		a->tmp = NULL;
		return NULL;
	}
	a->path = ld_xstrdup(path);
	return a->fp;
}

void
ld_atomic_abort(struct ld_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

int
ld_atomic_commit(struct ld_atomic *a, int force, struct ld_err *err)
{
	FILE *fp = a->fp;
	int bad;

	a->fp = NULL;
	bad = fflush(fp) == EOF || ferror(fp) ||
	    fchmod(fileno(fp), 0644) == -1 ||
	    (!a->nosync && fsync(fileno(fp)) == -1);
	if (bad)
		ld_err_set(err, "%s: %s", a->path, strerror(errno ? errno : EIO));
	if (fclose(fp) == EOF && !bad) {
		ld_err_set(err, "%s: %s", a->path, strerror(errno));
		bad = 1;
	}
	if (!bad && ld_atomic_place(a->tmp, a->path, force, err) == -1)
		bad = 1;
	if (!bad) {
		free(a->tmp);
		a->tmp = NULL;
	}
	ld_atomic_abort(a);
	return bad ? -1 : 0;
}

int
ld_atomic_tempdir(const char *path, char **tmp, struct ld_err *err)
{
	char *t = temp_name(path);

	if (mkdtemp(t) == NULL) {
		ld_err_set(err, "%s: cannot make temporary directory: %s", path,
		    strerror(errno));
		free(t);
		return -1;
	}
	*tmp = t;
	return 0;
}

int
ld_atomic_place(const char *tmp, const char *out, int force,
    struct ld_err *err)
{
	struct stat st;
	char *old = NULL;
	int rc = -1;

	if (lstat(out, &st) == -1) {
		if (errno != ENOENT)
			return ld_err_set(err, "%s: %s", out, strerror(errno));
		if (rename(tmp, out) == -1)
			return ld_err_set(err, "%s: %s", out, strerror(errno));
		return 0;
	}
	if (!force)
		return ld_err_set(err, "%s: already exists (use --force to "
		    "replace it)", out);
	if (!S_ISDIR(st.st_mode)) {
		/* Files replace files atomically with a plain rename. */
		if (rename(tmp, out) == -1)
			return ld_err_set(err, "%s: %s", out, strerror(errno));
		return 0;
	}
	if (ld_atomic_tempdir(out, &old, err) == -1)
		return -1;
	if (rename(out, old) == -1) {
		ld_err_set(err, "%s: %s", out, strerror(errno));
		rmdir(old);
		goto out;
	}
	if (rename(tmp, out) == -1) {
		ld_err_set(err, "%s: %s", out, strerror(errno));
		rename(old, out);
		goto out;
	}
	ld_rmtree(old);
	rc = 0;
out:
	free(old);
	return rc;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
ld_rmtree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
ld_atomic_check(const char *path, int dir, struct ld_err *err)
{
	const char *slash = strrchr(path, '/');
	char *d;
	struct stat st;
	int rc = 0;

	if (*path == '\0')
		return ld_err_set(err, "an empty file name");
	if (!dir && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return ld_err_set(err, "%s: is a directory", path);
	d = slash == NULL ? ld_xstrdup(".") : slash == path ? ld_xstrdup("/") :
	    ld_xstrndup(path, (size_t)(slash - path));
	if (stat(d, &st) < 0)
		rc = ld_err_set(err, "%s: directory %s: %s", path, d,
		    strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = ld_err_set(err, "%s: %s is not a directory", path, d);
	else if (access(d, W_OK | X_OK) < 0)
		rc = ld_err_set(err, "%s: cannot write in directory %s: %s", path,
		    d, strerror(errno));
	free(d);
	return rc;
}
