/*
 * bagverify.c — ld_bag_verify(): is this bag whole, unchanged and, if asked,
 * approved?
 *
 * The order is the one RFC 8493 suggests: structure (bagit.txt, data/,
 * manifests), Payload-Oxum, completeness, then every checksum, and last the
 * approvals.  Nothing stops at the first problem: each is recorded and the
 * check goes on, so that one run tells a reviewer everything that is wrong.
 *
 * Safety: the bag is walked once without following links, and a manifest
 * entry is only ever looked up in what the walk found; it is never opened
 * as a path.  So "../x", "/etc/passwd" or a link cannot make us read
 * outside the bag.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "bag/bagint.h"
#include "scope/scope.h"

#define TAGMAX (16u << 20)	/* tag files larger than this are refused */

struct entry {
	char *path;
	char *hex;
};

struct manifest {
	char *name;
	char alg[32];
	int tag;
	struct entry *v;
	size_t n;
};

struct vstate {
	const char *dir;
	int fd;
	int flags;
	struct ld_bag_result *res;
	struct ld_err *err;
	struct bag_files all;
	struct manifest *m;
	size_t nm;
	int oom;
};

#define PROBLEM(st, path, ...) do { \
	if (bag_problem((st)->res, (path), __VA_ARGS__) == -1) \
		(st)->oom = 1; \
} while (0)

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	    ((const struct entry *)b)->path);
}

static struct entry *
find_entry(const struct manifest *m, const char *path)
{
	struct entry key = { (char *)path, NULL };

	if (m->n == 0)
		return NULL;
	return bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_entry);
}

static struct bag_file *
find_file(const struct vstate *st, const char *path)
{
	struct bag_file key = { (char *)path, 0 };
	int (*cmp)(const void *, const void *) = (int (*)(const void *,
	    const void *))cmp_entry;

	/* struct bag_file and struct entry both start with the path */
	if (st->all.n == 0)
		return NULL;
	return bsearch(&key, st->all.v, st->all.n, sizeof(*st->all.v), cmp);
}

static int
is_payload(const char *path)
{
	return strncmp(path, "data/", 5) == 0;
}

/* The files of a bag, as ldbundle create writes them (ld-bundle(5)); the
 * redaction report only when one was given, approvals/ checked apart. */
static const char *const layout[] = { "bag-info.txt", "bagit.txt",
    "data/events.jsonl", "data/provenance.json", "data/redaction-report.json",
    "data/request.json", "data/summary.html", "data/summary.md",
    "data/timeline.csv", "manifest-sha256.txt", "manifest-sha512.txt",
    "tagmanifest-sha256.txt", "tagmanifest-sha512.txt" };
#define NLAYOUT (sizeof(layout) / sizeof(layout[0]))

static int
in_layout(const char *path)
{
	size_t i;

	for (i = 0; i < NLAYOUT; i++)
		if (strcmp(layout[i], path) == 0)
			return 1;
	return 0;
}

/* bag_alg - 1 when alg is one of the algorithms ldbundle writes. */
static int
bag_alg(const char *alg)
{
	return strcmp(alg, bag_algs[0]) == 0 || strcmp(alg, bag_algs[1]) == 0;
}

static int
is_approval(const char *path)
{
	return strncmp(path, BAG_DIR_APPROVALS "/",
	    sizeof(BAG_DIR_APPROVALS)) == 0;
}

/* A tag manifest is "tagmanifest-ALG.txt", a payload manifest
 * "manifest-ALG.txt", both at the top of the bag. */
static int
manifest_name(const char *path, int *tag, char *alg, size_t len)
{
	const char *p = path;
	size_t n;

	if (strchr(path, '/') != NULL)
		return 0;
	*tag = strncmp(p, "tag", 3) == 0;
	if (*tag)
		p += 3;
	if (strncmp(p, "manifest-", 9) != 0)
		return 0;
	p += 9;
	n = strlen(p);
	if (n <= 4 || n - 4 >= len || strcmp(p + n - 4, ".txt") != 0)
		return 0;
	memcpy(alg, p, n - 4);
	alg[n - 4] = '\0';
	return 1;
}

static int
add_entry(struct manifest *m, char *path, char *hex)
{
	struct entry *v = reallocarray(m->v, m->n + 1, sizeof(*v));

	if (v == NULL)
		return -1;
	m->v = v;
	v[m->n].path = path;
	v[m->n].hex = hex;
	m->n++;
	return 0;
}

/* parse_manifest - read one manifest, recording every bad line. */
static void
parse_manifest(struct vstate *st, struct manifest *m)
{
	const EVP_MD *md = EVP_get_digestbyname(m->alg);
	size_t len, hexlen, i, lineno = 0;
	char *buf, *line, *next, *sp, *path, *hex;
	const char *why;

	if (md == NULL) {
		PROBLEM(st, m->name, "unsupported checksum algorithm %s", m->alg);
		return;
	}
	hexlen = 2 * (size_t)EVP_MD_get_size(md);
	if ((buf = bag_read_file(st->fd, m->name, TAGMAX, &len, st->err)) == NULL) {
		PROBLEM(st, m->name, "%s", st->err->msg);
		return;
	}
	if (strlen(buf) != len)
		PROBLEM(st, m->name, "NUL byte in manifest");
	if (len > 0 && buf[len - 1] != '\n')
		PROBLEM(st, m->name, "no LF at the end of the last line");
	/* A line is exactly what ldbundle (and sha256sum) write: the
	 * lower-case hex, two spaces, the path (CR, LF and % in it
	 * %-encoded), LF.  RFC 8493 lets other writers vary the blanks
	 * and the case; a line of another shape here was written by
	 * hand, and two readers could split it two ways. */
	for (line = buf; line && line < buf + len; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strchr(line, '\r') != NULL) {
			PROBLEM(st, m->name, "line %zu: a CR: a manifest has LF "
			    "line ends, and a CR in a path is %%0D", lineno);
			continue;
		}
		if (strlen(line) <= hexlen + 2 || line[hexlen] != ' ' ||
		    line[hexlen + 1] != ' ' || line[hexlen + 2] == ' ' ||
		    line[hexlen + 2] == '\t') {
			PROBLEM(st, m->name, "line %zu: malformed line: not a %s "
			    "checksum, two spaces and a path", lineno, m->alg);
			continue;
		}
		sp = line + hexlen;
		*sp = '\0';
		sp += 2;
		if (strspn(line, "0123456789abcdef") != hexlen) {
			PROBLEM(st, m->name, "line %zu: not a %s checksum in "
			    "lower-case hex", lineno, m->alg);
			continue;
		}
		if ((path = ld_bag_path_decode(sp)) == NULL) {
			st->oom = 1;
			break;
		}
		if ((why = ld_bag_path_check(path)) != NULL) {
			PROBLEM(st, m->name, "line %zu: %s: %s, refused", lineno,
			    sp, why);
			free(path);
			continue;
		}
		if (m->tag && is_payload(path)) {
			PROBLEM(st, m->name, "line %zu: %s: payload file in a "
			    "tag manifest", lineno, sp);
			free(path);
			continue;
		}
		if (!m->tag && !is_payload(path)) {
			PROBLEM(st, m->name, "line %zu: %s: not a payload file",
			    lineno, sp);
			free(path);
			continue;
		}
		if ((hex = strdup(line)) == NULL || add_entry(m, path, hex)) {
			free(hex);
			free(path);
			st->oom = 1;
			break;
		}
	}
	free(buf);
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	for (i = 1; i < m->n; i++)
		if (strcmp(m->v[i - 1].path, m->v[i].path) == 0)
			PROBLEM(st, m->name, "%s listed twice", m->v[i].path);
}

#define BAGIT_TXT "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#define BAGIT_097 "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"

static void
check_bagit_txt(struct vstate *st)
{
	char *buf, *p;
	size_t len;
	int ver = 0, enc = 0;

	if (find_file(st, "bagit.txt") == NULL) {
		PROBLEM(st, "bagit.txt", "missing");
		return;
	}
	if ((buf = bag_read_file(st->fd, "bagit.txt", TAGMAX, &len, st->err)) == NULL) {
		PROBLEM(st, "bagit.txt", "%s", st->err->msg);
		return;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		PROBLEM(st, "bagit.txt", "starts with a byte order mark");
	else if (strcmp(buf, BAGIT_TXT) != 0 && strcmp(buf, BAGIT_097) != 0)
		PROBLEM(st, "bagit.txt", "not exactly the two lines "
		    "\"BagIt-Version: 1.0\" and \"Tag-File-Character-Encoding: "
		    "UTF-8\", LF ended");
	for (p = strtok(buf, "\r\n"); p; p = strtok(NULL, "\r\n")) {
		if (strncmp(p, "BagIt-Version: ", 15) == 0) {
			ver++;
			if (strcmp(p + 15, "1.0") != 0 && strcmp(p + 15, "0.97") != 0)
				PROBLEM(st, "bagit.txt", "unsupported BagIt-Version %s",
				    p + 15);
		} else if (strncmp(p, "Tag-File-Character-Encoding: ", 29) == 0) {
			enc++;
			if (strcasecmp(p + 29, "UTF-8") != 0)
				PROBLEM(st, "bagit.txt", "unsupported encoding %s",
				    p + 29);
		} else
			PROBLEM(st, "bagit.txt", "unexpected line: %s", p);
	}
	if (ver != 1)
		PROBLEM(st, "bagit.txt", "needs exactly one BagIt-Version line");
	if (enc != 1)
		PROBLEM(st, "bagit.txt",
		    "needs exactly one Tag-File-Character-Encoding line");
	free(buf);
}

/* oxum_part - the decimal number at *s up to the byte stop, into *n: digits
 * only, no leading zero, no overflow.  Moves *s past stop.  Returns 0 or
 * -1. */
static int
oxum_part(char **s, char stop, uint64_t *n)
{
	char *p = *s;

	if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned
	    char)p[1])))
		return -1;
	for (*n = 0; isdigit((unsigned char)*p); p++) {
		if (*n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		*n = *n * 10 + (uint64_t)(*p - '0');
	}
	if (*p != stop)
		return -1;
	*s = p + (stop != '\0');
	return 0;
}

/* check_bag_info - well-formed labels, Payload-Oxum against what is there,
 * Bagging-Date, and the case id for the caller. */
static void
check_bag_info(struct vstate *st, uint64_t octets, uint64_t files)
{
	uint64_t o, f;
	char *buf, *p, *q, *next, *val, end;
	size_t len, lineno = 0;
	int oxum = 0, y, mo, d;

	if (find_file(st, "bag-info.txt") == NULL) {
		PROBLEM(st, "bag-info.txt", "missing");
		return;
	}
	if ((buf = bag_read_file(st->fd, "bag-info.txt", TAGMAX, &len,
	    st->err)) == NULL) {
		PROBLEM(st, "bag-info.txt", "%s", st->err->msg);
		return;
	}
	if (strlen(buf) != len)
		PROBLEM(st, "bag-info.txt", "NUL byte");
	if (len > 0 && buf[len - 1] != '\n')
		PROBLEM(st, "bag-info.txt", "no LF at the end of the last line");
	/* One "Label: value" line per label, LF ended, as ldbundle writes:
	 * a continuation line, a CR or a label given twice (RFC 8493 allows
	 * them) would let two readers see two values, the first one or the
	 * last, the line or the lines. */
	for (p = buf; p && p < buf + len; p = next) {
		lineno++;
		if ((next = strchr(p, '\n')) != NULL)
			*next++ = '\0';
		if (strchr(p, '\r') != NULL) {
			PROBLEM(st, "bag-info.txt", "line %zu: a CR", lineno);
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			PROBLEM(st, "bag-info.txt", "line %zu: a continuation "
			    "line: ldbundle writes one line per label", lineno);
			continue;
		}
		if ((val = strchr(p, ':')) == NULL || val == p || val[1] != ' ') {
			PROBLEM(st, "bag-info.txt", "line %zu: not a label", lineno);
			continue;
		}
		*val = '\0';
		val += 2;
		for (q = buf; q < p; q += strlen(q) + 1)
			if (strcasecmp(q, p) == 0)
				break;
		if (q < p) {
			PROBLEM(st, "bag-info.txt", "line %zu: %s again: a label "
			    "is given once", lineno, p);
			continue;
		}
		if (strcmp(p, "Payload-Oxum") == 0) {
			char *v = val;

			oxum++;
			if (oxum_part(&v, '.', &o) == -1 ||
			    oxum_part(&v, '\0', &f) == -1)
				PROBLEM(st, "bag-info.txt", "malformed Payload-Oxum %s",
				    val);
			else if (o != octets || f != files)
				PROBLEM(st, "bag-info.txt", "Payload-Oxum %s, but the "
				    "payload has %" PRIu64 " octets in %" PRIu64
				    " files", val, octets, files);
		} else if (strcmp(p, "Bagging-Date") == 0) {
			if (sscanf(val, "%4d-%2d-%2d%c", &y, &mo, &d, &end) != 3 ||
			    strlen(val) != 10)
				PROBLEM(st, "bag-info.txt", "malformed Bagging-Date %s",
				    val);
		} else if (strcmp(p, "External-Identifier") == 0 &&
		    st->res->case_id == NULL) {
			if ((st->res->case_id = strdup(val)) == NULL)
				st->oom = 1;
		}
	}
	if (oxum != 1)
		PROBLEM(st, "bag-info.txt", "needs exactly one Payload-Oxum");
	free(buf);
}

/* check_sums - hash every listed file that exists with the algorithms of
 * the manifests that list it, once, and compare. */
static void
check_sums(struct vstate *st)
{
	char hex[8][LD_DIGEST_HEXMAX];
	const char *algs[8];
	struct manifest *which[8];
	struct entry *e;
	size_t i, j;
	int n, k;

	for (i = 0; i < st->all.n; i++) {
		const char *path = st->all.v[i].path;

		for (n = 0, j = 0; j < st->nm && n < 8; j++) {
			if (find_entry(&st->m[j], path) == NULL)
				continue;
			algs[n] = st->m[j].alg;
			which[n++] = &st->m[j];
		}
		if (n == 0)
			continue;
		if (ld_digest_file(st->fd, path, n, algs, hex, NULL) == -1) {
			PROBLEM(st, path, "cannot read: %s", strerror(errno));
			continue;
		}
		for (k = 0; k < n; k++) {
			e = find_entry(which[k], path);
			if (strcmp(e->hex, hex[k]) != 0)
				PROBLEM(st, path, "%s checksum mismatch (%s says "
				    "%.12s..., file has %.12s...)", which[k]->alg,
				    which[k]->name, e->hex, hex[k]);
		}
	}
}

static int
cmp_nocase(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/*
 * check_names - every name of the bag is one that unpacks to itself on
 * every file system: ASCII only (two spellings of one name in Unicode,
 * composed and decomposed, are one file on some systems and two on
 * others; ldbundle writes ASCII names only), and no two names that
 * differ only in case (one file where case is folded).  Otherwise the
 * file a reader opens may not be the one the manifests hashed.
 */
static void
check_names(struct vstate *st)
{
	char **v;
	size_t i;

	for (i = 0; i < st->all.n; i++)
		for (const unsigned char *p =
		    (const unsigned char *)st->all.v[i].path; *p; p++)
			if (*p >= 0x80) {
				PROBLEM(st, st->all.v[i].path, "a name with "
				    "bytes outside ASCII: spellings of one name "
				    "in Unicode would be one file on some file "
				    "systems and two on others");
				break;
			}
	if (st->all.n < 2)
		return;
	if ((v = calloc(st->all.n, sizeof(*v))) == NULL) {
		st->oom = 1;
		return;
	}
	for (i = 0; i < st->all.n; i++)
		v[i] = st->all.v[i].path;
	qsort(v, st->all.n, sizeof(*v), cmp_nocase);
	for (i = 1; i < st->all.n; i++)
		if (strcasecmp(v[i - 1], v[i]) == 0)
			PROBLEM(st, v[i], "differs only in case from %s: one "
			    "file where case is folded", v[i - 1]);
	free(v);
}

/* A problem bag_scope_file() found, as a problem of the bag. */
static void
scope_problem(void *arg, const char *path, uint64_t lno, const char *msg)
{
	struct vstate *st = arg;

	if (lno > 0)
		PROBLEM(st, path, "line %llu: %s", (unsigned long long)lno, msg);
	else
		PROBLEM(st, path, "%s", msg);
}

/*
 * check_scope - every record of data/events.jsonl, and every row of
 * data/timeline.csv, is of the request in data/request.json
 * (bag_scope_file() says what that means).  A record of another tenant
 * put in the bag, and the manifests hashed again, is found here.
 */
static void
check_scope(struct vstate *st)
{
	static const char *const files[] = { "data/events.jsonl",
	    "data/timeline.csv" };
	struct bag_scope *sc;
	struct ld_err e = { 0 };
	json_error_t je;
	json_t *rq;
	char *req;
	size_t len;

	if (find_file(st, "data/request.json") == NULL)
		return;		/* (named as missing already) */
	if ((req = bag_read_file(st->fd, "data/request.json", TAGMAX, &len,
	    &e)) == NULL) {
		PROBLEM(st, "data/request.json", "%s", e.msg);
		return;
	}
	/* the whole file, and each key once: a reader that keeps the first
	 * of two "tenant"s, or stops at a NUL, would read another request
	 * than the one the records were checked against */
	rq = json_loadb(req, len, JSON_REJECT_DUPLICATES, &je);
	free(req);
	if (!json_is_object(rq)) {
		PROBLEM(st, "data/request.json", "line %d: not one JSON object "
		    "with each key once: %s", rq ? 1 : je.line, rq ? "another "
		    "value" : je.text);
		json_decref(rq);
		return;
	}
	/* bag-info.txt shows the case the approvals name: it is the
	 * request's */
	if (st->res->case_id && json_is_string(json_object_get(rq, "case")) &&
	    strcmp(st->res->case_id, json_string_value(json_object_get(rq,
	    "case"))) != 0)
		PROBLEM(st, "bag-info.txt", "External-Identifier %s, but the "
		    "request's case is %s", st->res->case_id,
		    json_string_value(json_object_get(rq, "case")));
	if ((sc = bag_scope_new(rq, &e)) == NULL) {
		PROBLEM(st, "data/request.json", "%s", e.msg);
		json_decref(rq);
		return;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd;

		if (find_file(st, files[i]) == NULL)
			continue;	/* (events: named as missing already) */
		if ((fd = openat(st->fd, files[i], O_RDONLY | O_NOFOLLOW |
		    O_CLOEXEC)) == -1) {
			PROBLEM(st, files[i], "%s", strerror(errno));
			continue;
		}
		if (bag_scope_file(sc, fd, files[i], i == 1, scope_problem,
		    st, &e) == -1)
			PROBLEM(st, files[i], "%s", e.msg);
		close(fd);
	}
	bag_scope_free(sc);
	json_decref(rq);
}

/*
 * check_report - the redaction report in the bag is bound to its records
 * as ldbundle create bound it (bag_report_binding()): a report of another
 * run put in its place, and the bag hashed again, is found here.
 */
static void
check_report(struct vstate *st)
{
	static const char rep[] = "data/redaction-report.json";
	char hex[1][LD_DIGEST_HEXMAX], buf[65536], *text;
	struct ld_err e = { 0 };
	json_t *report = NULL, *request = NULL;
	struct ld_buf msg = { 0 };
	uint64_t n = 0;
	ssize_t got;
	size_t len;
	int fd;

	if (st->res->nproblems > 0 || st->oom)
		return;		/* (refused already, and maybe for this) */
	if (find_file(st, rep) == NULL || find_file(st, "data/events.jsonl") ==
	    NULL || find_file(st, "data/request.json") == NULL)
		return;
	if ((text = bag_read_file(st->fd, rep, 64u << 20, &len, &e)) != NULL) {
		report = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		free(text);
	}
	if ((text = bag_read_file(st->fd, "data/request.json", TAGMAX, &len,
	    &e)) != NULL) {
		request = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		free(text);
	}
	if (!json_is_object(report) || strcmp(json_string_value(
	    json_object_get(report, "tool")) ? json_string_value(
	    json_object_get(report, "tool")) : "", "ldredact") != 0 ||
	    !json_is_true(json_object_get(report, "complete"))) {
		PROBLEM(st, rep, "not the complete redaction report of ldredact");
		goto out;
	}
	if ((fd = openat(st->fd, "data/events.jsonl", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		PROBLEM(st, "data/events.jsonl", "%s", strerror(errno));
		goto out;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			n += buf[i] == '\n';
	close(fd);
	if (ld_digest_file(st->fd, "data/events.jsonl", 1, bag_algs, hex,
	    NULL) == -1) {
		PROBLEM(st, "data/events.jsonl", "%s", strerror(errno));
		goto out;
	}
	if (bag_report_binding(st->fd, rep, report, request, hex[0], n, &e) ==
	    NULL) {	/* (its message starts with the file's name) */
		PROBLEM(st, rep, "%s", strncmp(e.msg, rep, sizeof(rep) - 1) ==
		    0 && e.msg[sizeof(rep) - 1] == ':' ? e.msg + sizeof(rep) + 1 :
		    e.msg);
		goto out;
	}
	/* bound by a digest any writer can give: what the report says was
	 * removed must not be there */
	switch (bag_secrets_check(st->fd, report, &msg, &e)) {
	case 1:
		PROBLEM(st, "data/events.jsonl", "%s", msg.p);
		break;
	case -1:
		PROBLEM(st, "data/events.jsonl", "secrets cannot be looked for "
		    "again: %s", e.msg);
		break;
	}
out:
	ld_buf_free(&msg);
	json_decref(report);
	json_decref(request);
}

/*
 * check_summary - the reviewers' pages are what ldbundle create makes of
 * the bag's records, request, redaction report and provenance: a page
 * edited to hide a finding, and the manifests hashed again, is found here.
 * Only asked of a bag with no other problem: one that has is refused
 * already, and its pages could not be made again as they were.
 */
static void
check_summary(struct vstate *st)
{
	static const char *const need[] = { "data/summary.md",
	    "data/summary.html", "data/request.json", "data/provenance.json",
	    "data/events.jsonl" };
	struct ld_err e = { 0 };
	const char *which = NULL;
	size_t i;
	int r;

	if (st->res->nproblems > 0 || st->oom)
		return;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (find_file(st, need[i]) == NULL) {
			if (i < 2 || i == 3)
				PROBLEM(st, need[i], "missing");
			return;
		}
	r = bag_summary_check(st->dir, st->fd, st->res->octets,
	    st->res->files, &which, &e);
	if (r == 1 && strcmp(which, "bag-info.txt") == 0)
		PROBLEM(st, which, "%s", e.msg);
	else if (r == 1)
		PROBLEM(st, which, "not the page ldbundle create makes of the "
		    "bag's records, request, redaction report and provenance: "
		    "changed after the bag was made");
	else if (r == -1)
		PROBLEM(st, "data/summary.md", "cannot be made again to be "
		    "compared: %s", e.msg);
}

static void
verify_at(struct vstate *st, const char *const *trusted,
    const struct ld_bag_keyring *kr)
{
	uint64_t octets = 0, files = 0;
	struct manifest *m;
	struct stat sb;
	char tmhex[1][LD_DIGEST_HEXMAX];
	int tag, npay = 0, ntag = 0;
	size_t i, j;

	if (bag_walk(st->fd, ".", &st->all, st->res, st->err) == -1) {
		PROBLEM(st, NULL, "%s", st->err->msg);
		return;
	}
	check_bagit_txt(st);
	check_names(st);
	if (fstatat(st->fd, "data", &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISDIR(sb.st_mode))
		PROBLEM(st, "data", "payload directory missing");
	if (find_file(st, "fetch.txt"))
		PROBLEM(st, "fetch.txt", "not supported: the bag is not complete");

	/*
	 * The bag holds the files ldbundle create writes and nothing else
	 * (but approvals/, checked with the approvals): a payload file the
	 * reviewers' summary does not show, a tag file, a manifest of
	 * another algorithm (RFC 8493 allows md5 and sha1, which collide),
	 * a name one file system changes ("x.", "aux", "x:y") is refused.
	 */
	for (i = 0; i < st->all.n; i++) {
		const char *path = st->all.v[i].path;
		char alg[32];

		if (in_layout(path) || is_approval(path) ||
		    strcmp(path, "fetch.txt") == 0)
			continue;
		if (manifest_name(path, &tag, alg, sizeof(alg)))
			PROBLEM(st, path, "a %s manifest: ldbundle writes and "
			    "checks sha256 and sha512 manifests only, and md5 "
			    "and sha1 can be forged to match", alg);
		else
			PROBLEM(st, path, "not a file ldbundle create writes: "
			    "nothing in the summary the reviewers approve "
			    "shows it");
	}

	/* the manifests, of the algorithms ldbundle writes */
	for (i = 0; i < st->all.n; i++) {
		char alg[32];

		if (!manifest_name(st->all.v[i].path, &tag, alg, sizeof(alg)) ||
		    !bag_alg(alg))
			continue;
		if ((m = reallocarray(st->m, st->nm + 1, sizeof(*m))) == NULL) {
			st->oom = 1;
			return;
		}
		st->m = m;
		m += st->nm++;
		memset(m, 0, sizeof(*m));
		m->name = st->all.v[i].path;
		m->tag = tag;
		snprintf(m->alg, sizeof(m->alg), "%s", alg);
		parse_manifest(st, m);
		if (tag)
			ntag++;
		else
			npay++;
	}
	if (npay == 0)
		PROBLEM(st, NULL, "no payload manifest");
	if (ntag == 0)
		PROBLEM(st, NULL, "no tag manifest");

	/* completeness: listed files exist, files exist listed */
	for (j = 0; j < st->nm; j++)
		for (i = 0; i < st->m[j].n; i++)
			if (find_file(st, st->m[j].v[i].path) == NULL)
				PROBLEM(st, st->m[j].v[i].path,
				    "listed in %s but missing", st->m[j].name);
	for (i = 0; i < st->all.n; i++) {
		const char *path = st->all.v[i].path;
		char alg[32];

		if (is_payload(path)) {
			octets += st->all.v[i].size;
			files++;
		} else if (is_approval(path) ||
		    (manifest_name(path, &tag, alg, sizeof(alg)) &&
		    (tag || !bag_alg(alg))))
			continue;
		for (j = 0; j < st->nm; j++)
			if (st->m[j].tag == !is_payload(path) &&
			    find_entry(&st->m[j], path) == NULL)
				PROBLEM(st, path, "not listed in %s%s",
				    st->m[j].name, is_payload(path) ? "" :
				    " (an unlisted tag file)");
	}
	/* and all of them: a bag without its records, its request or its
	 * provenance says nothing of what was asked or found; only the
	 * redaction report is there when one was given (bagit.txt and
	 * bag-info.txt are named apart, a file a manifest lists above) */
	for (i = 0; i < NLAYOUT; i++) {
		if (strcmp(layout[i], "data/redaction-report.json") == 0 ||
		    strcmp(layout[i], "bagit.txt") == 0 ||
		    strcmp(layout[i], "bag-info.txt") == 0 ||
		    find_file(st, layout[i]) != NULL)
			continue;
		for (j = 0; j < st->nm && find_entry(&st->m[j], layout[i]) ==
		    NULL; j++)
			;
		if (j == st->nm)
			PROBLEM(st, layout[i], "missing");
	}
	st->res->octets = octets;
	st->res->files = files;
	check_bag_info(st, octets, files);
	/* An approval covers the payload: whoever asks whether the bag is
	 * ready gets every checksum checked, --fast or not. */
	if (!(st->flags & LD_BAG_FAST) || (st->flags & LD_BAG_READY)) {
		check_sums(st);
		check_scope(st);
		check_report(st);
		check_summary(st);
	}

	/* approvals are over the tag manifest as it is */
	if (find_file(st, "tagmanifest-sha256.txt") == NULL ||
	    ld_digest_file(st->fd, "tagmanifest-sha256.txt", 1, bag_algs, tmhex,
	    NULL) == -1)
		tmhex[0][0] = '\0';
	if (bag_check_approvals(st->fd, &st->all, tmhex[0], trusted, kr,
	    st->flags, st->res) == -1)
		st->oom = 1;
}

static void
vstate_free(struct vstate *st)
{
	size_t i, j;

	for (j = 0; j < st->nm; j++) {
		for (i = 0; i < st->m[j].n; i++) {
			free(st->m[j].v[i].path);
			free(st->m[j].v[i].hex);
		}
		free(st->m[j].v);
	}
	free(st->m);
	bag_files_free(&st->all);
}

/* bag_verify_dir - ld_bag_verify() with a keyring (bagint.h). */
int
bag_verify_dir(const char *dir, int flags, const char *const *trusted,
    const struct ld_bag_keyring *kr, struct ld_bag_result **res,
    struct ld_err *err)
{
	struct vstate st = { 0 };
	struct stat sb;
	char **fps = NULL;
	size_t i, n = 0;
	int rc = -1;

	*res = NULL;
	if (lstat(dir, &sb) == -1) {
		ld_err_set(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		ld_err_set(err, "%s: not a bag directory%s", dir,
		    S_ISLNK(sb.st_mode) ? " (a symbolic link, not followed)" : "");
		return -1;
	}
	st.dir = dir;
	st.fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st.fd == -1) {
		ld_err_set(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	st.flags = flags;
	st.err = err;
	if (trusted) {
		for (n = 0; trusted[n]; n++)
			;
		if ((fps = calloc(n + 1, sizeof(*fps))) == NULL) {
			ld_err_set(err, "out of memory");
			goto out;
		}
		for (i = 0; i < n; i++)
			if ((fps[i] = malloc(LD_DIGEST_HEXMAX)) == NULL ||
			    bag_key_fingerprint_file(trusted[i], fps[i], err))
				goto out;
	}
	if ((st.res = calloc(1, sizeof(*st.res))) == NULL) {
		ld_err_set(err, "out of memory");
		goto out;
	}
	verify_at(&st, (const char *const *)fps, kr);
	if (st.oom) {
		ld_err_set(err, "%s: out of memory", dir);
		goto out;
	}
	*res = st.res;
	st.res = NULL;
	rc = 0;
out:
	ld_bag_result_free(st.res);
	vstate_free(&st);
	close(st.fd);
	for (i = 0; fps && i < n; i++)
		free(fps[i]);
	free(fps);
	return rc;
}

int
ld_bag_verify(const char *dir, int flags, const char *const *trusted,
    struct ld_bag_result **res, struct ld_err *err)
{
	return bag_verify_dir(dir, flags, trusted, NULL, res, err);
}
