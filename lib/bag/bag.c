/*
 * bag.c — small parts every other bag*.c file uses: messages and problem
 * lists, manifest paths, hashing, reading and writing files relative to a
 * directory descriptor, and putting a finished directory in place.
 *
 * Files of a bag are always opened relative to the bag's directory
 * descriptor with O_NOFOLLOW, and only after a walk that did not follow
 * links has found them, so a manifest can never make us read elsewhere.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bag/bagint.h"

const char *const bag_algs[BAG_NALG] = { "sha256", "sha512" };

/* bag_printf - vasprintf that returns the string or NULL. */
char *
bag_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/* bag_problem - add one problem to res.  Returns 0, or -1 out of memory. */
int
bag_problem(struct ld_bag_result *res, const char *path, const char *fmt, ...)
{
	struct ld_bag_problem *p;
	va_list ap;
	char *what;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	p = reallocarray(res->problems, res->nproblems + 1, sizeof(*p));
	if (p == NULL) {
		free(what);
		return -1;
	}
	res->problems = p;
	p += res->nproblems;
	p->what = what;
	p->path = path ? strdup(path) : NULL;
	if (path && p->path == NULL) {
		free(what);
		return -1;
	}
	res->nproblems++;
	return 0;
}

void
ld_bag_result_free(struct ld_bag_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nproblems; i++) {
		free(res->problems[i].path);
		free(res->problems[i].what);
	}
	free(res->problems);
	for (i = 0; i < res->napprovals; i++) {
		free(res->approvals[i].dir);
		free(res->approvals[i].role);
		free(res->approvals[i].reviewer);
		free(res->approvals[i].approved_at);
		free(res->approvals[i].key_sha256);
		free(res->approvals[i].key_name);
	}
	free(res->approvals);
	free(res->case_id);
	free(res->keyring_sha256);
	free(res);
}

char *
ld_bag_path_encode(const char *path)
{
	size_t n = 0;
	const char *p;
	char *s, *q;

	for (p = path; *p; p++)
		n += (*p == '\r' || *p == '\n' || *p == '%') ? 3 : 1;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	for (p = path, q = s; *p; p++) {
		switch (*p) {
		case '\r': memcpy(q, "%0D", 3); q += 3; break;
		case '\n': memcpy(q, "%0A", 3); q += 3; break;
		case '%':  memcpy(q, "%25", 3); q += 3; break;
		default:   *q++ = *p; break;
		}
	}
	*q = '\0';
	return s;
}

char *
ld_bag_path_decode(const char *path)
{
	const char *p;
	char *s, *q;

	if ((s = malloc(strlen(path) + 1)) == NULL)
		return NULL;
	for (p = path, q = s; *p; p++) {
		if (*p == '%' && p[1] == '0' && (p[2] == 'D' || p[2] == 'd')) {
			*q++ = '\r';
			p += 2;
		} else if (*p == '%' && p[1] == '0' && (p[2] == 'A' || p[2] == 'a')) {
			*q++ = '\n';
			p += 2;
		} else if (*p == '%' && p[1] == '2' && p[2] == '5') {
			*q++ = '%';
			p += 2;
		} else
			*q++ = *p;
	}
	*q = '\0';
	return s;
}

const char *
ld_bag_path_check(const char *path)
{
	const char *p, *seg;
	size_t len;

	if (*path == '\0')
		return "empty path";
	if (*path == '/')
		return "absolute path";
	if (strchr(path, '\\') != NULL)
		return "backslash in path";
	for (seg = path; ; seg = p + 1) {
		p = strchr(seg, '/');
		len = p ? (size_t)(p - seg) : strlen(seg);
		if (len == 0)
			return "empty path component";
		if (len == 2 && seg[0] == '.' && seg[1] == '.')
			return "path leaves the bag";
		if (len == 1 && seg[0] == '.')
			return "'.' path component";
		if (p == NULL)
			break;
	}
	return NULL;
}

void
bag_files_free(struct bag_files *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		free(f->v[i].path);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static int
files_push(struct bag_files *f, char *path, uint64_t size)
{
	struct bag_file *v;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;

		if ((v = reallocarray(f->v, cap, sizeof(*v))) == NULL)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n].path = path;
	f->v[f->n].size = size;
	f->n++;
	return 0;
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct bag_file *)a)->path,
	    ((const struct bag_file *)b)->path);
}

static int
walk(int rootfd, const char *sub, struct bag_files *out,
    struct ld_bag_result *res, struct ld_err *err)
{
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *path = NULL;
	int fd, rc = -1;

	fd = openat(rootfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		ld_err_set(err, "%s: %s", sub, strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path = strcmp(sub, ".") == 0 ? strdup(de->d_name) :
		    bag_printf("%s/%s", sub, de->d_name);
		if (path == NULL)
			goto nomem;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			ld_err_set(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (walk(rootfd, path, out, res, err) == -1)
				goto out;
			free(path);
		} else if (S_ISREG(st.st_mode)) {
			if (files_push(out, path, (uint64_t)st.st_size) == -1)
				goto nomem;
		} else {
			const char *what = S_ISLNK(st.st_mode) ?
			    "symbolic link, not followed" : "not a regular file";

			if (res == NULL) {
				ld_err_set(err, "%s: %s", path, what);
				goto out;
			}
			if (bag_problem(res, path, "%s", what) == -1)
				goto nomem;
			free(path);
		}
		path = NULL;
	}
	if (errno != 0) {
		ld_err_set(err, "%s: %s", sub, strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	ld_err_set(err, "out of memory");
out:
	free(path);
	closedir(d);
	return rc;
}

/*
 * bag_walk - every regular file under rootfd/sub, paths "sub/..." (or
 * relative to rootfd when sub is "."), sorted.
 * Links and other special files are problems in res (or, with res NULL, a
 * hard error); they are never followed.  Returns 0 or -1 with err set.
 */
int
bag_walk(int rootfd, const char *sub, struct bag_files *out,
    struct ld_bag_result *res, struct ld_err *err)
{
	if (walk(rootfd, sub, out, res, err) == -1)
		return -1;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_file);
	return 0;
}

/*
 * bag_read_file - read all of dirfd/path (no final link followed, at most
 * max bytes) into a NUL-terminated buffer the caller frees; *len, if not
 * NULL, gets its length.  Returns NULL with err set on failure.
 */
char *
bag_read_file(int dirfd, const char *path, size_t max, size_t *len,
    struct ld_err *err)
{
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0;
	ssize_t r;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			if ((nb = realloc(buf, cap)) == NULL) {
				ld_err_set(err, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			ld_err_set(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			ld_err_set(err, "%s: larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* bag_write_file - create dirfd/path (which must not exist) holding buf.
 * Returns 0 or -1 with err set. */
int
bag_write_file(int dirfd, const char *path, const void *buf, size_t len,
    struct ld_err *err)
{
	int fd;

	fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, buf, len) == -1 || fsync(fd) == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) == -1) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* bag_copy_file - copy the file from (a path of the caller's) to dirfd/to,
 * byte for byte.  Returns 0 or -1 with err set. */
int
bag_copy_file(const char *from, int dirfd, const char *to, struct ld_err *err)
{
	char buf[65536];
	ssize_t n;
	int in, out = -1, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		ld_err_set(err, "%s: %s", from, strerror(errno));
		return -1;
	}
	out = openat(dirfd, to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (out == -1) {
		ld_err_set(err, "%s: %s", to, strerror(errno));
		goto out;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			ld_err_set(err, "%s: %s", from, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) == -1) {
			ld_err_set(err, "%s: %s", to, strerror(errno));
			goto out;
		}
	}
	if (fsync(out) == -1) {
		ld_err_set(err, "%s: %s", to, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (out != -1 && close(out) == -1 && rc == 0) {
		ld_err_set(err, "%s: %s", to, strerror(errno));
		rc = -1;
	}
	close(in);
	return rc;
}

time_t
ld_bag_now(struct ld_err *err)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return time(NULL);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0) {
		ld_err_set(err, "SOURCE_DATE_EPOCH: not a number of seconds: %s", s);
		return (time_t)-1;
	}
	return (time_t)v;
}

/* bag_utc - strftime of t in UTC. */
void
bag_utc(time_t t, const char *fmt, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
		buf[0] = '\0';
}

int
bag_is_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[len] == '\0' || s[len] == ' ';
}

/* bag_slug - the reviewer's name for a directory: lowercase letters and digits,
 * other runs as one '-', at most 40 bytes. */
void
bag_slug(const char *s, char *out, size_t len)
{
	size_t n = 0;
	int dash = 0;

	for (; *s && n + 2 < len && n < 40; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
			if (dash && n > 0)
				out[n++] = '-';
			out[n++] = *s;
			dash = 0;
		} else if (*s >= 'A' && *s <= 'Z') {
			if (dash && n > 0)
				out[n++] = '-';
			out[n++] = (char)(*s - 'A' + 'a');
			dash = 0;
		} else
			dash = 1;
	}
	if (n == 0)
		out[n++] = 'x';
	out[n] = '\0';
}

/* bag_parse_utc - s as "YYYY-MM-DDTHH:MM:SSZ", a real date and time, into
 * *t when t is not NULL.  Returns 0, or -1 for any other text. */
int
bag_parse_utc(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	char back[32];
	time_t v;

	if (s == NULL || strlen(s) != 20 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	for (int i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
		    !isdigit((unsigned char)s[i]))
			return -1;
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	v = timegm(&tm);
	/* written back, it must be the same: no 31 February, no 25:00 */
	bag_utc(v, "%Y-%m-%dT%H:%M:%SZ", back, sizeof(back));
	if (strcmp(back, s) != 0)
		return -1;
	if (t)
		*t = v;
	return 0;
}

/* bag_made_at - the time the bag under bagfd was made, "run_at" of its
 * data/provenance.json in the form bag_parse_utc() reads, as a new string;
 * NULL when there is none (verify names that problem elsewhere). */
char *
bag_made_at(int bagfd)
{
	struct ld_err e;
	json_t *j;
	char *buf, *s = NULL;
	size_t len;

	if ((buf = bag_read_file(bagfd, "data/provenance.json", 1u << 26, &len,
	    &e)) == NULL)
		return NULL;
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
	free(buf);
	if (bag_parse_utc(json_string_value(json_object_get(j, "run_at")),
	    NULL) == 0)
		s = strdup(json_string_value(json_object_get(j, "run_at")));
	json_decref(j);
	return s;
}

const char *
bag_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* bag_fopen_new - create dirfd/path (which must not exist) for writing.
 * Returns the stream or NULL with err set. */
FILE *
bag_fopen_new(int dirfd, const char *path, struct ld_err *err)
{
	FILE *fp;
	int fd;

	fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	return fp;
}

/* bag_fclose - flush, sync and close fp, reporting any write error that
 * happened on it.  Returns 0 or -1 with err set; fp is closed either way. */
int
bag_fclose(FILE *fp, const char *path, struct ld_err *err)
{
	int bad;

	bad = fflush(fp) == EOF || ferror(fp) || fsync(fileno(fp)) == -1;
	if (bad)
		ld_err_set(err, "%s: %s", path, strerror(errno ? errno : EIO));
	if (fclose(fp) == EOF && !bad) {
		ld_err_set(err, "%s: %s", path, strerror(errno));
		bad = 1;
	}
	return bad ? -1 : 0;
}

char *
ld_bag_printable(const char *s)
{
	const unsigned char *p;
	struct ld_buf b = { 0 };
	size_t n;

	for (p = (const unsigned char *)s; p && *p; p += n) {
		n = 1;
		if (*p >= 0x80) {
			/* a whole UTF-8 sequence is kept, unless it is C1 */
			n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 ? 2 : 0;
			if (n > 0 && strnlen((const char *)p, n) == n &&
			    ld_utf8_valid((const char *)p, n) &&
			    !(p[0] == 0xc2 && p[1] <= 0x9f)) {
				ld_buf_add(&b, p, n);
				continue;
			}
			n = 1;
		} else if (*p >= 0x20 && *p != 0x7f && *p != '\\') {
			ld_buf_addc(&b, *p);
			continue;
		}
		if (*p == '\\')
			ld_buf_adds(&b, "\\\\");
		else
			ld_buf_addf(&b, "\\x%02x", *p);
	}
	ld_buf_addc(&b, '\0');
	return ld_buf_detach(&b);
}
