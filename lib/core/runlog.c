/*
 * runlog.c — one line per step of a dive in $LD_RUNLOG (see runlog.h).
 *
 * The line is written with a single write(2) on a descriptor opened with
 * O_APPEND, so that the steps of a pipeline, which finish at about the
 * same time, never interleave their lines.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/runlog.h"

#ifndef LD_VERSION
#define LD_VERSION "0.0.0"
#endif

struct tap {
	FILE *to;
	struct ld_digest *d;
	uint64_t bytes;
	char *name;
};

struct ld_runlog {
	char *path;
	struct ld_buf argv;	/* the JSON array's members */
	struct ld_buf in, out;	/* the JSON arrays' members */
	char *tool;
	struct tap tap;
	FILE *tapfp;
	struct tap own;		/* ld_runlog_wrote() */
	struct tap intap;	/* ld_runlog_in() */
};

static void add_io(struct ld_buf *b, const char *name, const char *sha256,
    uint64_t bytes);

struct ld_runlog *
ld_runlog_start(const char *tool, int argc, char **argv)
{
	const char *p = getenv(LD_RUNLOG_ENV), *a;
	struct ld_runlog *rl;
	int i;

	if (p == NULL || *p == '\0')
		return NULL;
	rl = ld_xcalloc(1, sizeof(*rl));
	rl->path = ld_xstrdup(p);
	rl->tool = ld_xstrdup(tool);
	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (i == 0 && strrchr(a, '/'))
			a = strrchr(a, '/') + 1;
		if (i)
			ld_buf_addc(&rl->argv, ',');
		ld_buf_add_json_str(&rl->argv, a, strlen(a));
	}
	return rl;
}

void
ld_runlog_wrote(struct ld_runlog *rl, const void *p, size_t n)
{
	if (rl == NULL)
		return;
	if (rl->own.d == NULL) {
		rl->own.d = ld_digest_new("sha256");
		rl->own.name = ld_xstrdup("-");
	}
	ld_digest_update(rl->own.d, p, n);
	rl->own.bytes += n;
}

struct ld_digest *
ld_runlog_in(struct ld_runlog *rl, const char *name)
{
	if (rl == NULL)
		return NULL;
	if (rl->intap.d == NULL) {
		rl->intap.d = ld_digest_new("sha256");
		rl->intap.name = ld_xstrdup(name);
	}
	return rl->intap.d;
}

/* tap_done - record t as an input or output and free what it holds. */
static void
tap_done(struct ld_buf *b, struct tap *t)
{
	char hex[LD_DIGEST_HEXMAX];

	if (t->d == NULL)
		return;
	ld_digest_hex(t->d, hex);
	add_io(b, t->name, hex, t->bytes);
	ld_digest_free(t->d);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

static ssize_t
tap_write(void *cookie, const char *buf, size_t n)
{
	struct tap *t = cookie;
	size_t w = fwrite(buf, 1, n, t->to);

	ld_digest_update(t->d, buf, w);
	t->bytes += w;
	return w == n ? (ssize_t)n : -1;
}

FILE *
ld_runlog_out(struct ld_runlog *rl, FILE *fp, const char *name)
{
	cookie_io_functions_t io = { NULL, tap_write, NULL, NULL };

	if (rl == NULL || rl->tapfp != NULL)
		return fp;
	rl->tap.to = fp;
	rl->tap.d = ld_digest_new("sha256");
	rl->tap.name = ld_xstrdup(name);
	if ((rl->tapfp = fopencookie(&rl->tap, "w", io)) == NULL) {
		ld_digest_free(rl->tap.d);
		free(rl->tap.name);
		memset(&rl->tap, 0, sizeof(rl->tap));
		return fp;
	}
	/* the tool's own buffering is upstream of us: pass writes on */
	setvbuf(rl->tapfp, NULL, _IOFBF, 1 << 16);
	return rl->tapfp;
}

static void
add_io(struct ld_buf *b, const char *name, const char *sha256, uint64_t bytes)
{
	struct stat st;

	if (sha256 == NULL && bytes == 0 && strcmp(name, "-") != 0 &&
	    stat(name, &st) == 0 && S_ISREG(st.st_mode))
		bytes = (uint64_t)st.st_size;
	if (b->len)
		ld_buf_addc(b, ',');
	ld_buf_adds(b, "{\"name\":");
	ld_buf_add_json_str(b, name, strlen(name));
	ld_buf_addf(b, ",\"bytes\":%llu", (unsigned long long)bytes);
	if (sha256 && *sha256)
		ld_buf_addf(b, ",\"sha256\":\"%s\"", sha256);
	ld_buf_addc(b, '}');
}

void
ld_runlog_input(struct ld_runlog *rl, const char *name, const char *sha256,
    uint64_t bytes)
{
	if (rl)
		add_io(&rl->in, name, sha256, bytes);
}

void
ld_runlog_output(struct ld_runlog *rl, const char *name, const char *sha256,
    uint64_t bytes)
{
	if (rl)
		add_io(&rl->out, name, sha256, bytes);
}

int
ld_runlog_finish(struct ld_runlog *rl, int status, struct ld_err *err)
{
	struct ld_buf line = { 0 };
	int fd, rc = 0;

	if (rl == NULL)
		return 0;
	if (rl->tapfp) {
		fclose(rl->tapfp);	/* flushes into tap.to, which stays */
		fflush(rl->tap.to);
		tap_done(&rl->out, &rl->tap);
	}
	tap_done(&rl->out, &rl->own);
	tap_done(&rl->in, &rl->intap);
	ld_buf_adds(&line, "{\"tool\":");
	ld_buf_add_json_str(&line, rl->tool, strlen(rl->tool));
	ld_buf_adds(&line, ",\"version\":\"" LD_VERSION "\",\"argv\":[");
	ld_buf_add(&line, rl->argv.p ? rl->argv.p : "", rl->argv.len);
	ld_buf_adds(&line, "],\"inputs\":[");
	ld_buf_add(&line, rl->in.p ? rl->in.p : "", rl->in.len);
	ld_buf_adds(&line, "],\"outputs\":[");
	ld_buf_add(&line, rl->out.p ? rl->out.p : "", rl->out.len);
	ld_buf_addf(&line, "],\"status\":%d}\n", status);
	fd = open(rl->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1 || write(fd, line.p, line.len) != (ssize_t)line.len) {
		ld_err_set(err, "%s: %s", rl->path, strerror(errno));
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	ld_buf_free(&line);
	ld_buf_free(&rl->argv);
	ld_buf_free(&rl->in);
	ld_buf_free(&rl->out);
	free(rl->path);
	free(rl->tool);
	free(rl);
	return rc;
}
