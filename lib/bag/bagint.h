/*
 * bagint.h — what the bag*.c files share and nobody else sees.
 *
 * bag.c          paths, hashing, file and directory helpers, problem lists
 * bagcreate.c    ld_bag_writer: records in, a finished bag out
 * bagsummary.c   counts of the records for the summary
 * bagpage.c      the summary for reviewers written from those counts
 * bagwords.c     the plain words of that summary
 * bagtrust.c     approvals checked (used by verify)
 * bagverify.c    ld_bag_verify()
 * bagscope.c     is what a bag holds of its request (verify, create)
 * bagsign.c      approvals made: ld_bag_approve() (uses verify)
 * bagpack.c      export to and verify from tar.zst / zip
 * bagredact.c    the report's secrets looked for again (verify, create)
 */
#ifndef LD_BAGINT_H
#define LD_BAGINT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "bag/bag.h"
#include "core/atomic.h"
#include "core/digest.h"

#define BAG_NALG 2
extern const char *const bag_algs[BAG_NALG];	/* "sha256", "sha512" */

#define BAG_DIR_APPROVALS "approvals"
#define APPROVAL_TXT "approval.txt"
#define APPROVAL_SIG "approval.sig"
#define SIGNER_PEM   "signer.pub.pem"
#define SIGLEN 64

/* A file found by walking a directory: its path relative to the walk's root. */
struct bag_file {
	char *path;
	uint64_t size;
};

struct bag_files {
	struct bag_file *v;
	size_t n, cap;
};

/* bag.c */
char *bag_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bag_problem(struct ld_bag_result *res, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void bag_files_free(struct bag_files *f);
int bag_walk(int rootfd, const char *sub, struct bag_files *out,
    struct ld_bag_result *res, struct ld_err *err);
char *bag_read_file(int dirfd, const char *path, size_t max, size_t *len,
    struct ld_err *err);
int bag_write_file(int dirfd, const char *path, const void *buf, size_t len,
    struct ld_err *err);
int bag_copy_file(const char *from, int dirfd, const char *to,
    struct ld_err *err);
void bag_utc(time_t t, const char *fmt, char *buf, size_t len);
int bag_is_hex(const char *s, size_t len);
const char *bag_basename(const char *path);
/* bag_slug - the directory name of an approval by reviewer s (the part
 * after "role-"): lower-case letters and digits, other runs as one '-',
 * at most 40 bytes; "x" for none.  len is at least 42. */
void bag_slug(const char *s, char *out, size_t len);
int bag_parse_utc(const char *s, time_t *t);
char *bag_made_at(int bagfd);

FILE *bag_fopen_new(int dirfd, const char *path, struct ld_err *err);
int bag_fclose(FILE *fp, const char *path, struct ld_err *err);

/* bagscope.c: the records and timeline rows of a bag against its request. */
struct bag_scope;
/* A checker of the request rq (a JSON object with "tenant", and maybe
 * "since"/"until"; a reference is taken).  NULL with err when rq is not
 * such a request or the formats cannot be read. */
struct bag_scope *bag_scope_new(json_t *rq, struct ld_err *err);
void bag_scope_free(struct bag_scope *sc);
/*
 * Read fd to its end, as ld-records (timeline 0) or as a Timesketch CSV
 * timeline (timeline 1), and call report(arg, name, line, message) for
 * each record or row that is not of the request (the first 20, then once
 * with line 0 and the count).  Returns the number of those, or -1 with
 * err when fd cannot be read.
 */
long bag_scope_file(struct bag_scope *sc, int fd, const char *name,
    int timeline, void (*report)(void *, const char *, uint64_t,
    const char *), void *arg, struct ld_err *err);

/* bagcreate.c */
/*
 * bag_info_write - bag-info.txt as ldbundle create writes it, to fp, from
 * the request, org (Source-Organization), date (Bagging-Date, YYYY-MM-DD),
 * count (records) and the payload's octets in files.  Returns 0, or -1
 * out of memory; write errors are fp's.
 */
int bag_info_write(FILE *fp, json_t *request, const char *org,
    const char *date, uint64_t count, uint64_t octets, uint64_t files);
int bag_write_manifests(int bagfd, uint64_t *octets, uint64_t *files,
    struct ld_err *err);
int bag_write_tagmanifests(int bagfd, struct ld_err *err);

/* Kinds of event on the reviewers' page (bagwords.c says which is which). */
enum bag_kind { K_HUNT, K_ACCOUNT, K_DATA, K_OTHER, K_N };

/* bagsummary.c: counts of the records, rendered for reviewers by
 * bagpage.c.  Memory depends on the variety of the records, not their
 * number. */
/* A dive that spans at most this long gets an hourly chart. */
#define BAG_HOURLY_SPAN (3 * 86400 * LD_NS_PER_SEC)
/* Events listed per kind; the rest are counted. */
#define BAG_KEEP 15

struct sample {
	int64_t ns;
	char *text;	/* one line about the event */
	char *title;	/* the finding's title, K_HUNT only */
};

struct bag_summary {
	uint64_t total, untimed, kinds[K_N];
	json_t *by_src;		/* src -> n */
	json_t *by_type;	/* "fmt\tevent" -> n */
	json_t *by_day, *by_hour;	/* bucket -> [account, data, other] */
	json_t *hunts;		/* title -> {"level", "n"} */
	int64_t first_ns, last_ns;
	int timed;
	struct ld_buf first, last;
	struct sample keep[K_N][BAG_KEEP];
	size_t nkeep[K_N];
	struct ld_buf tmp;
};


struct bag_summary *bag_summary_new(void);
void bag_summary_free(struct bag_summary *s);
void bag_summary_add(struct bag_summary *s, const struct ld_rec *r,
    const char *line, size_t len);
int bag_summary_write(struct bag_summary *s, int dirfd, json_t *request,
    json_t *report, json_t *provenance, struct ld_err *err);
uint64_t bag_summary_count(const struct bag_summary *s);
int bag_summary_gap(struct bag_summary *s, json_t *request, FILE *fp);
/* The place in summary.html that "ldbundle review --html" fills with the
 * approvals found when it runs. */
#define BAG_APPROVALS_BEGIN "<!-- ldbundle:approvals -->"
#define BAG_APPROVALS_END "<!-- /ldbundle:approvals -->"

/*
 * bag_summary_check - make bag-info.txt (but its Source-Organization, with
 * the Bagging-Date of the provenance's run_at, and the payload's octets in
 * files), data/summary.md and data/summary.html again, the pages in a
 * private temporary directory, from the records, request, redaction
 * report and provenance of the bag dir (opened as bagfd), as create made
 * them, and compare them byte for byte with the bag's.  Returns 0 when
 * all are the same, 1 when one is not (*which names it; for bag-info.txt
 * err says its first line that is not), or -1 with err set when they
 * cannot be made.  (bagcreate.c)
 */
int bag_summary_check(const char *dir, int bagfd, uint64_t octets,
    uint64_t files, const char **which, struct ld_err *err);
/* The line ldbundle export --draft adds at the end of bag-info.txt. */
#define BAG_DRAFT_STATUS "Approval-Status: DRAFT, NOT APPROVED\n"

/*
 * bag_report_binding - is the redaction report (named name in messages)
 * bound to the records of data/events.jsonl under bagfd, whose SHA-256 is
 * hex and count nrecords: the same case as request, and either the bytes
 * the report says ldredact wrote or records all in its record set?
 * Returns how (a static string), or NULL with err set.  (bagcreate.c)
 */
const char *bag_report_binding(int bagfd, const char *name, json_t *report,
    json_t *request, const char *hex, uint64_t nrecords, struct ld_err *err);

/*
 * bag_secrets_check - run the secret detectors of the built-in policy the
 * redaction report names (whose SHA-256 must be the report's) over the
 * records of data/events.jsonl under bagfd.  Returns 0 when no record
 * holds such a secret (or the policy is a file's, which is not run), 1
 * with msg saying which line and rules when one does or the report's
 * policy is not what it says, -1 with err set when the records cannot be
 * read.  Memory is the redactor's, bounded; the records are read a line
 * at a time.  (bagredact.c)
 */
int bag_secrets_check(int bagfd, json_t *report, struct ld_buf *msg,
    struct ld_err *err);

/* bagverify.c */
int bag_verify_dir(const char *dir, int flags, const char *const *trusted,
    const struct ld_bag_keyring *kr, struct ld_bag_result **res,
    struct ld_err *err);

/* bagwords.c: the plain words of the reviewers' page. */
extern const char *const bag_kind_title[K_N];
extern const char *const bag_kind_what[K_N];
enum bag_kind bag_kind_of(const char *ev);	/* by the event's name */
const char *bag_words_of(const char *ev);	/* or NULL */
const char *bag_family_of(const char *fmt);	/* "audit log", ... */
int bag_is_audit(const char *fmt);
const char *bag_profile_words(const char *profile);	/* or NULL */
const char *bag_rule_words(const char *rule);	/* or NULL */
const char *bag_action_words(const char *action);
const char *bag_drop_words(const char *reason);
int bag_counterpart(const char *ev, const char **audit);

/* bagtrust.c */
struct evp_pkey_st;
/* bag_valid_role - 1 when r is a role an approval may have. */
int bag_valid_role(const char *r);
/* bag_key_fingerprint - hex SHA-256 of the DER public key; 0 or -1. */
int bag_key_fingerprint(struct evp_pkey_st *pkey, char hex[LD_DIGEST_HEXMAX]);
int bag_key_fingerprint_file(const char *path, char hex[LD_DIGEST_HEXMAX],
    struct ld_err *err);
int bag_check_approvals(int bagfd, const struct bag_files *all,
    const char *tm_hex, const char *const *trusted,
    const struct ld_bag_keyring *kr, int flags, struct ld_bag_result *res);

#endif
