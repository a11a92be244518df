/*
 * bagint.h — what the bag*.c files share and nobody else sees.
 *
 * bag.c          paths, hashing, file and directory helpers, problem lists
 * bagcreate.c    ld_bag_writer: records in, a finished bag out
 * bagsummary.c   counts, histogram and the summary for reviewers (md, html)
 * bagtrust.c     approvals checked (used by verify)
 * bagverify.c    ld_bag_verify()
 * bagsign.c      approvals made: ld_bag_approve() (uses verify)
 * bagpack.c      export to and verify from tar.zst / zip
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

FILE *bag_fopen_new(int dirfd, const char *path, struct ld_err *err);
int bag_fclose(FILE *fp, const char *path, struct ld_err *err);

/* bagcreate.c */
int bag_write_manifests(int bagfd, uint64_t *octets, uint64_t *files,
    struct ld_err *err);
int bag_write_tagmanifests(int bagfd, struct ld_err *err);

/* bagsummary.c: counts of the records, rendered for reviewers. */
struct bag_summary;
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

/* bagverify.c */
int bag_verify_dir(const char *dir, int flags, const char *const *trusted,
    const struct ld_bag_keyring *kr, struct ld_bag_result **res,
    struct ld_err *err);

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
