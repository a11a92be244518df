/*
 * bag.h — the logdive artefact bundle: a BagIt 1.0 bag (RFC 8493).
 *
 * A bundle is a directory that holds the evidence of one case in data/
 * (the ld-records, a Timesketch timeline, the request, the redaction report,
 * the provenance of every source and a summary for reviewers), the BagIt tag
 * files that make it checkable by any BagIt tool (bagit.txt, bag-info.txt,
 * manifest-sha256.txt, manifest-sha512.txt and the two tag manifests), and
 * the reviewers' approvals in approvals/.  The layout is described in
 * ld-bundle(5).
 *
 * An approval signs, with Ed25519, a small text that names the SHA-256 of
 * tagmanifest-sha256.txt.  That file pins every other tag file, which pin
 * every payload file, so one digest stands for the whole bag.  Approvals are
 * deliberately not listed in the tag manifests: adding one must not change
 * what the others approved.  Each is protected by its own signature instead.
 *
 * Life of a bag in this API:
 *
 *	w = ld_bag_writer_new(&opt, &err);       a temporary directory
 *	ld_bag_writer_add(w, fp, "in.jsonl", &err);   once per input (records
 *	                                              or plain log lines)
 *	ld_bag_writer_commit(w, &err);           everything else, then rename
 *	ld_bag_writer_free(w);
 *
 *	ld_bag_verify(path, flags, NULL, &res, &err);  every problem in res
 *	ld_bag_approve(path, &appr, &err);
 *	ld_bag_export(path, "x.tar.zst", force, &err);
 *
 * Errors: functions that return int return 0 on success and -1 on a hard
 * error (cannot read, cannot write, bad argument), with a lowercase message
 * naming the object in err->msg.  Problems found in a bag are not hard
 * errors: ld_bag_verify() collects them all in a result list.
 * Nothing in here prints or exits.
 */
#ifndef LD_BAG_H
#define LD_BAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/ld.h"
#include "format/format.h"

/* ---------------------------------------------------------------- create */

struct ld_bag_create_opts {
	const char *out;          /* the bag directory to create */
	const char *scope;        /* request file (required) */
	const char *report;       /* redaction report, or NULL */
	const char *timeline;     /* prepared Timesketch CSV, or NULL to write one */
	const char *source_root;  /* where relative record sources live, or NULL for "." */
	const char *organization; /* Source-Organization, or NULL for the request's or "unspecified" */
	const char *runlog;       /* run history of the dive (core/runlog.h), or NULL */
	const struct ld_formats *formats; /* to parse plain log lines (borrowed) */
	int force;                /* replace an existing out */
	int argc;                 /* the command line, recorded in provenance */
	char **argv;
	time_t now;               /* time of the run (see ld_bag_now()) */
};

struct ld_bag_writer;

/*
 * ld_bag_writer_new - start a bag: read and check the request file, refuse
 * an existing opt->out unless opt->force, and make a temporary directory
 * beside opt->out.  opt and the strings in it must outlive the writer.
 * Returns the writer, which the caller frees with ld_bag_writer_free(), or
 * NULL with err set.
 */
struct ld_bag_writer *ld_bag_writer_new(const struct ld_bag_create_opts *opt,
    struct ld_err *err);

/*
 * ld_bag_writer_add - read lines from fp until EOF; name is the input's
 * name for messages and provenance ("-" for standard input).  Each line is
 * parsed with ld_parse_line(): an ld-record is kept byte for byte in
 * data/events.jsonl, a plain log line is stored as the ld-record its
 * format makes of it (opt->formats), a line no format knows as a record
 * with the event {"raw":"..."}.  Empty lines are skipped.  Returns 0, or
 * -1 with err set on a read or write error; the bag is then not to be
 * committed.  fp stays the caller's.
 */
int ld_bag_writer_add(struct ld_bag_writer *w, FILE *fp, const char *name,
    struct ld_err *err);

/*
 * ld_bag_writer_add_path - like ld_bag_writer_add() for the source at path
 * ("-": standard input), read through the input library (input/src.h):
 * compressed files are decoded, archive members read one by one and named
 * "path!member".  Damage in the input is an error (-1, err says where),
 * since a bag must not silently hold part of its input.
 */
int ld_bag_writer_add_path(struct ld_bag_writer *w, const char *path,
    struct ld_err *err);

/*
 * ld_bag_writer_commit - write the remaining payload and tag files and move
 * the finished bag into place (replacing an old one only when forced).
 * With opt->report, the report is read here, once all input is in, and its
 * bytes as read are bagged.  It must be a complete report of ldredact for
 * the request's case, and bound to the records: their SHA-256 is the one
 * the report gives for its output, or every record is in the report's
 * record set (core/recset.h; later steps may sort and de-duplicate).
 * Otherwise nothing is written and err says why.
 * Returns 0, or -1 with err set; the temporary directory is then removed by
 * ld_bag_writer_free().
 */
int ld_bag_writer_commit(struct ld_bag_writer *w, struct ld_err *err);

/* ld_bag_writer_free - remove an uncommitted bag and free w; NULL is fine. */
void ld_bag_writer_free(struct ld_bag_writer *w);

/* ---------------------------------------------------------------- verify */

/* One problem found in a bag.  path is relative to the bag, or NULL for the
 * bag as a whole; what is a lowercase sentence fragment without a period. */
struct ld_bag_problem {
	char *path;
	char *what;
};

/* One approval found in approvals/, valid or not. */
struct ld_bag_approval_info {
	char *dir;          /* approvals/<name> */
	char *role;         /* "security", "legal", or what the file said */
	char *reviewer;
	char *approved_at;
	char *key_sha256;   /* SHA-256 of the signer's DER public key, hex */
	char *key_name;     /* the keyring's name for that key, or NULL */
	int valid;          /* signature good and over the current tag manifest */
	int trusted;        /* valid, and the keyring trusts its key for its role */
};

struct ld_bag_result {
	struct ld_bag_problem *problems;
	size_t nproblems;
	struct ld_bag_approval_info *approvals;
	size_t napprovals;
	uint64_t octets;    /* payload size, as found */
	uint64_t files;     /* payload files, as found */
	char *case_id;      /* External-Identifier, or NULL */
	char *keyring_sha256; /* SHA-256 of the keyring file used, or NULL */
	int ready;          /* a trusted security and a trusted legal approval by two keys */
};

enum {
	LD_BAG_READY = 1 << 0,  /* a bag that is not ready has a problem */
	LD_BAG_FAST  = 1 << 1,  /* structure and Payload-Oxum only, no checksums
	                           (ignored with LD_BAG_READY: an approval
	                           covers the payload, so it is always checked) */
};

/*
 * The keyring of trusted approvers: a text file of lines
 *
 *	ROLE  KEY  NAME
 *
 * where ROLE is security or legal, KEY the base64 of the DER
 * SubjectPublicKeyInfo of an Ed25519 key (the one line between the PEM
 * armour lines of "openssl pkey -pubout") and NAME the approver's name, the
 * rest of the line.  Blank lines and lines starting with '#' are ignored.
 * A key counts only for the role its line gives; a key may have a line per
 * role.  The keyring's fingerprint is the SHA-256 of the file's bytes.
 */
struct ld_bag_keyring;

/*
 * ld_bag_keyring_load - read the keyring at path.  Returns it (free with
 * ld_bag_keyring_free()) or NULL with err set ("path:line: what").
 */
struct ld_bag_keyring *ld_bag_keyring_load(const char *path,
    struct ld_err *err);
/* ld_bag_keyring_sha256 - the keyring's fingerprint, hex (owned by k). */
const char *ld_bag_keyring_sha256(const struct ld_bag_keyring *k);
/* ld_bag_keyring_free - free k; NULL is fine. */
void ld_bag_keyring_free(struct ld_bag_keyring *k);

/* What ld_bag_check() is asked to do. */
struct ld_bag_check_opts {
	int flags;                          /* LD_BAG_READY, LD_BAG_FAST */
	const char *const *trusted;         /* see ld_bag_verify(), or NULL */
	const struct ld_bag_keyring *keyring; /* needed for LD_BAG_READY */
	const char *tmpdir;                 /* packed bags: NULL for $TMPDIR */
	uint64_t max_size;                  /* packed: bytes to unpack at most
	                                       (0: LD_BAG_MAX_SIZE) */
	uint64_t max_ratio;                 /* packed: unpacked bytes per byte
	                                       of archive at most (0:
	                                       LD_BAG_MAX_RATIO) */
};

#define LD_BAG_MAX_SIZE  ((uint64_t)4 << 30)
#define LD_BAG_MAX_RATIO 200

/*
 * ld_bag_check - ld_bag_verify() or ld_bag_verify_packed(), by what path
 * is (a directory or a regular file), with a keyring and unpacking caps.
 * Under LD_BAG_READY an approval counts only when the keyring has its key
 * for its role under the reviewer's name; without a keyring the bag is not
 * ready.  Unpacking stops at the first of max_size bytes or max_ratio
 * times the archive's size, with a problem that says which cap was hit.
 * Returns as ld_bag_verify().
 */
int ld_bag_check(const char *path, const struct ld_bag_check_opts *o,
    struct ld_bag_result **res, struct ld_err *err);

/*
 * ld_bag_printable - s with every control character (C0, DEL and C1) and
 * every byte that is not UTF-8 written as \xHH, and a backslash as \\,
 * so that a name from a bag can be printed on a terminal.  Returns a new
 * string the caller frees, or NULL when out of memory.
 */
char *ld_bag_printable(const char *s);

/*
 * ld_bag_verify - check the bag at dir: structure, bagit.txt, bag-info.txt,
 * Payload-Oxum, completeness, every checksum of every manifest, and every
 * approval.  A path that leaves the bag, a link or any other non-regular
 * file is a problem and is never followed.  With LD_BAG_READY a bag without
 * both approvals has a problem too.  trusted, when not NULL, is a
 * NULL-terminated list of PEM public key files; approvals by other keys then
 * do not count toward readiness.
 *
 * Returns 0 when the check could be made (*res then holds every problem
 * found, possibly none; free it with ld_bag_result_free()), or -1 with err
 * set when it could not (dir does not exist or is not a directory, a trusted
 * key cannot be read, out of memory).
 */
int ld_bag_verify(const char *dir, int flags, const char *const *trusted,
    struct ld_bag_result **res, struct ld_err *err);

/*
 * ld_bag_verify_packed - like ld_bag_verify() for a bag packed by
 * ld_bag_export() (tar, compressed or not, or zip; recognised by content).
 * The archive must hold exactly one top-level directory, the bag.  Entries
 * that are links, devices, absolute or contain ".." are problems and are not
 * extracted; the rest is extracted into a private temporary directory under
 * tmpdir (NULL: $TMPDIR or /tmp) that is removed before returning.
 * Problem paths are archive member names ("CASE.bag/data/x").  Returns as
 * ld_bag_verify().
 */
int ld_bag_verify_packed(const char *archive, int flags,
    const char *const *trusted, const char *tmpdir,
    struct ld_bag_result **res, struct ld_err *err);

/* ld_bag_result_free - free a result and everything in it; NULL is fine. */
void ld_bag_result_free(struct ld_bag_result *res);

/* ---------------------------------------------------------------- approve */

struct ld_bag_approval {
	const char *reviewer;   /* printable, no control characters */
	const char *role;       /* "security" or "legal" */
	const char *key;        /* PEM file with an Ed25519 private key */
	time_t now;
	int force;              /* replace this reviewer's earlier approval */
};

/*
 * ld_bag_approve - sign the bag at dir: write approvals/<role>-<reviewer>/
 * with approval.txt (the signed statement), approval.sig (the raw 64-byte
 * Ed25519 signature) and signer.pub.pem, atomically.  The bag must verify
 * without problems first; a bag that does not is refused (-1, and
 * err says so).  If out_dir is not NULL it receives the new directory's
 * path relative to the bag, which the caller frees.  Returns 0 or -1 with
 * err set.
 */
int ld_bag_approve(const char *dir, const struct ld_bag_approval *a,
    char **out_dir, struct ld_err *err);

/* ---------------------------------------------------------------- export */

/*
 * ld_bag_export - pack the bag at dir into out with libarchive: a pax tar
 * compressed with zstd when out ends in ".tar.zst" or ".tzst", a plain tar
 * for ".tar", a zip for ".zip".  Members are named <bag name>/<path> in
 * sorted order, owned by 0:0, so the same bag packs to the same bytes.
 * The file is written beside out and renamed into place; an existing out is
 * replaced only with force.  Returns 0 or -1 with err set.
 */
int ld_bag_export(const char *dir, const char *out, int force,
    struct ld_err *err);

enum {
	LD_BAG_PACK_FORCE = 1 << 0,	/* replace an existing out */
	LD_BAG_PACK_DRAFT = 1 << 1,	/* a draft: see ld_bag_pack() */
};

/*
 * ld_bag_pack - ld_bag_export() with flags.  With LD_BAG_PACK_DRAFT the
 * archive says it is not approved: ".DRAFT-NOT-APPROVED" is put into its
 * name before the archive suffix (unless out already says DRAFT), its
 * top-level directory is <bag name>-DRAFT-NOT-APPROVED, its bag-info.txt
 * gets "Approval-Status: DRAFT, NOT APPROVED" (and its tag manifests are
 * made again to match), and approvals/ is left out.  The bag on disk is
 * not changed.  *written, when not NULL, receives the path written (the
 * caller frees it).  Returns 0 or -1 with err set.
 */
int ld_bag_pack(const char *dir, const char *out, int flags, char **written,
    struct ld_err *err);

/* ---------------------------------------------------------------- review */

/*
 * ld_bag_gap - write to out a draft issue about the gap in GitLab's audit
 * events that the bag at dir shows: the kinds of act its events found
 * only in application logs, with no audit event for the same act (the
 * table of counterparts is in bagsummary.c).  The bag should be verified
 * first.  Returns how many kinds were found (0: no gap, and out says so),
 * or -1 with err set.
 */
int ld_bag_gap(const char *dir, FILE *out, struct ld_err *err);

/*
 * ld_bag_review_html - write to out the bag's data/summary.html with its
 * approvals section filled in from res (a result of ld_bag_check() on the
 * same bag): each approval with reviewer, role, time, key fingerprint and
 * whether it is valid and trusted, the keyring's fingerprint, and whether
 * the bag is ready.  Returns 0 or -1 with err set.
 */
int ld_bag_review_html(const char *dir, const struct ld_bag_result *res,
    FILE *out, struct ld_err *err);

/* ---------------------------------------------------------------- helpers */

/*
 * ld_bag_now - the time of the run: $SOURCE_DATE_EPOCH when it is set to a
 * decimal number of seconds, else the clock.  Returns (time_t)-1 with err
 * set when SOURCE_DATE_EPOCH is set but not a number.
 */
time_t ld_bag_now(struct ld_err *err);

/*
 * ld_bag_path_encode - percent-encode a file path for a manifest line (CR,
 * LF and '%'; RFC 8493 section 2.1.3).  Returns a new string the caller
 * frees, or NULL when out of memory.
 */
char *ld_bag_path_encode(const char *path);

/*
 * ld_bag_path_decode - undo ld_bag_path_encode() ("%0D", "%0A", "%25", any
 * case; other '%' sequences stay as they are).  Returns a new string the
 * caller frees, or NULL when out of memory.
 */
char *ld_bag_path_decode(const char *path);

/*
 * ld_bag_path_check - is path, taken from a manifest, safe and inside the
 * bag?  Returns NULL when it is, else a static message ("absolute path",
 * "path leaves the bag", "empty path component", ...).
 */
const char *ld_bag_path_check(const char *path);

#endif
