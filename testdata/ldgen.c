/*
 * ldgen — write a deterministic corpus of archived GitLab-style logs with a
 * planted incident, the answer key of the incident's scope and, on request,
 * the truth about every line written.
 *
 *	ldgen [-s seed] [--days n] [--start yyyy-mm-dd] [--size mb] [--truth]
 *	    [--saas] -o outdir
 *
 * --saas writes instead a month of a many-tenant service (saas.h).
 *
 * Defaults: seed 1, 14 days (at least 9) from 2026-11-08, 6 MiB of log
 * text in all.  It writes, under outdir:
 *
 *	archive/DAY/HOST.tar.zst	ustar of var/log/gitlab/... members
 *	archive/DAY/api-01-nginx-gitlab_access.log.gz	(local time +0100)
 *	archive/DAY/audit-events.jsonl.zst	streamed audit events
 *	archive/DAY/gitaly-01-gitlab-shell.log	once, plain, CRLF
 *	archive/DAY/web-03.tar.zst	once, cut at 60% of its size
 *	request.json		the SIRT-4711 request (acme-corp, user alice,
 *				owned account alice, 7 days)
 *	answer-key.jsonl	the lines in the request's scope, by src, line;
 *				"tenant": in acme-corp by alice, "account":
 *				alice's own events (by her or about her,
 *				wherever they happened); the key is the union
 *	planted.json		values a support redaction must remove
 *	truth.jsonl		with --truth: the canonical fields of every line
 *
 * ldgen is the independent source of truth for the tests of logdive: it
 * does not use the library.  Every line is first described as an event
 * (struct ev) holding what the line means; the line is rendered from the
 * event, and the same event yields the line's canonical fields, its truth
 * record and whether it belongs to the answer key.  Randomness comes from
 * splitmix64 streams seeded by (seed, day, host, file), so the same
 * arguments give the same bytes, whatever the order of work.
 *
 * Background traffic fills each file up to a byte budget; the planted
 * events of the scenario (the table plants[]) are merged into their files
 * in time order.  Each plant states whether it must be in the answer key,
 * and ldgen checks that, and that every planted value occurs in some
 * answer-key line, before it succeeds.  Exit status 0 on success, 2 on a
 * usage error or trouble.
 */

#include <archive.h>
#include <archive_entry.h>
#include <openssl/sha.h>
#include <zstd.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef LD_VERSION
#define LD_VERSION	"unknown"
#endif

#define DAY_MS		86400000LL
#define MIB		1048576ULL
#define FILLER_BYTES	(2 * MIB + MIB / 4)
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Families, which are also the kinds of log file. */
enum { RAILS, API, AUDIT, STREAM, AUTH, APP, SIDEKIQ, SHELL, GITALY, WH,
    NGINX, NFAM };

static const char *const famname[NFAM] = {
	"rails", "api", "audit", "audit_stream", "auth", "application",
	"sidekiq", "shell", "gitaly", "workhorse", "nginx"
};
/* Fraction digits of the time each family writes. */
static const int famprec[NFAM] = { 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0 };
static const char *const fampath[NFAM] = {
	"var/log/gitlab/gitlab-rails/production_json.log",
	"var/log/gitlab/gitlab-rails/api_json.log",
	"var/log/gitlab/gitlab-rails/audit_json.log",
	NULL,
	"var/log/gitlab/gitlab-rails/auth_json.log",
	"var/log/gitlab/gitlab-rails/application_json.log",
	"var/log/gitlab/sidekiq/current",
	"var/log/gitlab/gitlab-shell/gitlab-shell.log",
	"var/log/gitlab/gitaly/current",
	"var/log/gitlab/gitlab-workhorse/current",
	"var/log/gitlab/nginx/gitlab_access.log",
};
/* Relative share of the byte budget each file of a host gets. */
static const int famweight[NFAM] = { 30, 25, 2, 2, 2, 3, 20, 3, 20, 15, 12 };

#define B(f)	(1u << (f))
enum { WEB01, WEB02, API01, SIDEKIQ01, GITALY01, WEB03, NHOST };
static const struct host {
	const char	*name;
	unsigned	 fams;
} hosts[NHOST] = {
	{ "web-01", B(RAILS) | B(API) | B(AUDIT) | B(AUTH) | B(APP) | B(WH) | B(NGINX) },
	{ "web-02", B(RAILS) | B(API) | B(AUDIT) | B(AUTH) | B(APP) | B(WH) | B(NGINX) },
	{ "api-01", B(API) | B(AUTH) | B(APP) | B(WH) | B(NGINX) },
	{ "sidekiq-01", B(SIDEKIQ) | B(APP) },
	{ "gitaly-01", B(GITALY) | B(SHELL) },
	{ "web-03", B(RAILS) | B(WH) },		/* only the truncated archive */
};

/* Event flags. */
#define F_IN	0x0001	/* plant: must be in the tenant's set of the key */
#define F_OUT	0x0002	/* plant: must not be in the tenant's set */
#define F_OLD	0x0004	/* audit: the old shape (change/from/to) */
#define F_GROUP	0x0008	/* proj is a group path, not a project */
#define F_UENT	0x0010	/* audit: the entity is the user (proj = user) */
#define F_NOROOT 0x0020	/* rails/api: no meta.root_namespace */
#define F_RAW	0x0040	/* msg is the whole line, not JSON */
#define F_CUT	0x0080	/* the JSON line is cut short (malformed) */
#define F_EPOCH	0x0100	/* sidekiq: created_at/enqueued_at as epoch floats */
#define F_OFFSET 0x0200	/* gitaly: time with +00:00 instead of Z */
#define F_ACCT	0x0400	/* plant: an event of the owned account alice */

struct buf {
	char	*p;
	size_t	 len, cap;
};

struct rng {
	uint64_t s;
};

/* What a line means; the line is rendered from it. */
struct ev {
	int64_t		 ms;		/* UTC, milliseconds since the epoch */
	int		 flags;
	const char	*proj;		/* project or group path as written */
	int		 pid;		/* project id, 0 if none */
	const char	*user;		/* user name as written, or NULL */
	int		 uid;
	const char	*ip;
	const char	*method;
	const char	*act;		/* controller#action, route, event... */
	const char	*path;		/* request path with query */
	const char	*ua;
	const char	*tdet;		/* audit target_details */
	const char	*msg;		/* custom_message, message, raw line */
	const char	*params;	/* rails/api params array, raw JSON */
	const char	*extra;		/* more members, raw JSON, from ',' */
	int		 status;
	long		 id;		/* audit event id */
	uint64_t	 rv;		/* randomness for details of rendering */
	char		 cid[40];
	char		 pathbuf[2048];
	char		 ipbuf[48];
	char		 msgbuf[256];
	char		 xbuf[512];
};

/* The canonical fields of a line, as the format definitions read them. */
struct canon {
	int		 hasts, malformed;
	char		 ns[128];	/* "" if none */
	const char	*proj, *user, *ip, *event, *cid;
	char		 uid[32];	/* "" if none */
};

struct member {
	char		 src[256];
	struct buf	 out;
	long		 line;
	int		 crlf;
	int		 tz;		/* nginx: minutes east of UTC */
};

struct ans {
	char		*src, *event;
	long		 line;
	int64_t		 ms;
	int		 fam;
	int		 sets;		/* SET_TENANT, SET_ACCOUNT */
};

/* The sets of the answer key a line is in. */
#define SET_TENANT	1	/* acme-corp, user alice */
#define SET_ACCOUNT	2	/* the owned account alice: by her or about her */

struct proj {
	char		*path, *alt;	/* alt: a mixed-case spelling or NULL */
	int		 grp, id;
};

static const char *const groups[] = {
	"acme-corp", "acme-corporation", "acme", "xacme-corp", "evil-corp",
	"globex", "initech", "umbrella", "hooli", "stark-industries",
	"wayne-enterprises", "wonka", "cyberdyne", "tyrell", "soylent",
	"aperture", "black-mesa", "oscorp", "massive-dynamic", "gringotts",
	"monsters-inc", "duff", "vandelay", "dunder-mifflin", "pied-piper",
	"sterling-cooper", "blue-sun", "weyland-yutani", "nakatomi",
	"gitlab-org", "prestige-worldwide", "bluth-company", "los-pollos",
	"krusty-krab",
};
static const char *const subs[] = {
	"web", "api", "infra/terraform", "docs", "mobile/ios",
	"backend/billing", "www", "tools/ci-templates",
};

static const struct user {
	const char	*name;
	int		 id, grp;
	const char	*ip;
} users[] = {
	{ "alice", 4711, 0, "198.51.100.23" }, { "bob", 4712, 0, "198.51.100.41" },
	{ "malice", 6660, 0, "2001:db8:66::6" }, { "alice2", 4713, 1, "198.51.100.77" },
	{ "carol", 1203, 1, "2001:db8:1203::1" }, { "dave", 1204, 2, "192.0.2.14" },
	{ "xavier", 1205, 3, "192.0.2.15" }, { "eve", 6666, 4, "203.0.113.66" },
	{ "frank", 1207, 5, "192.0.2.17" }, { "grace", 1208, 6, "2001:db8:1208::8" },
	{ "heidi", 1209, 7, "192.0.2.19" }, { "ivan", 1210, 8, "192.0.2.20" },
	{ "judy", 1211, 9, "2001:db8:1211::11" }, { "mallory", 1212, 10, "192.0.2.22" },
	{ "niaj", 1213, 11, "192.0.2.23" }, { "olivia", 1214, 12, "192.0.2.24" },
	{ "peggy", 1215, 13, "2001:db8:1215::15" }, { "rupert", 1216, 14, "192.0.2.26" },
	{ "sybil", 1217, 15, "192.0.2.27" }, { "trent", 1218, 16, "192.0.2.28" },
	{ "victor", 1219, 17, "2001:db8:1219::19" }, { "walter", 1220, 18, "192.0.2.30" },
	{ "yolanda", 1221, 19, "192.0.2.31" }, { "zoe", 1222, 21, "192.0.2.32" },
	{ "Root", 1, 29, "10.20.0.5" }, { "ops-bot", 1224, 29, "10.20.0.6" },
	{ "ken", 1225, 23, "2001:db8:1225::25" }, { "lena", 1226, 25, "192.0.2.36" },
	{ "marco", 1227, 27, "192.0.2.37" }, { "nadia", 1228, 31, "192.0.2.38" },
};

static const char *const uas[] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"git/2.43.0", "git/2.39.5 (Apple Git-154)", "curl/8.5.0",
	"python-requests/2.32.3", "gitlab-runner 17.2.0 (17-2-stable; go1.22.5; linux/amd64)",
};

/* A request kind: method, name (controller#action or route), path. */
struct req {
	const char	*method, *name, *tpl;
	int		 kind;		/* 0 project, 1 group, 2 no namespace */
};

static const struct req rails_reqs[] = {
	{ "GET", "Projects::BlobController#show", "/%s/-/blob/main/README.md", 0 },
	{ "GET", "Projects::TreeController#show", "/%s/-/tree/main", 0 },
	{ "GET", "ProjectsController#show", "/%s", 0 },
	{ "GET", "Projects::MergeRequestsController#index", "/%s/-/merge_requests", 0 },
	{ "GET", "Projects::MergeRequestsController#show", "/%s/-/merge_requests/%d", 0 },
	{ "POST", "Projects::IssuesController#create", "/%s/-/issues", 0 },
	{ "GET", "Projects::PipelinesController#index", "/%s/-/pipelines", 0 },
	{ "GET", "Projects::RawController#show", "/%s/-/raw/main/.gitlab-ci.yml", 0 },
	{ "GET", "Repositories::GitHttpController#info_refs", "/%s.git/info/refs?service=git-upload-pack", 0 },
	{ "POST", "Repositories::GitHttpController#git_upload_pack", "/%s.git/git-upload-pack", 0 },
	{ "GET", "GroupsController#show", "/%s", 1 },
	{ "GET", "DashboardController#projects", "/dashboard/projects", 2 },
	{ "GET", "SessionsController#new", "/users/sign_in", 2 },
	{ "GET", "SearchController#show", "/search?search=deploy&group_id=%d", 2 },
};

static const struct req api_reqs[] = {
	{ "GET", "/api/:version/projects/:id", "/api/v4/projects/%s", 0 },
	{ "GET", "/api/:version/projects/:id/repository/tree", "/api/v4/projects/%s/repository/tree?ref=main&per_page=100", 0 },
	{ "GET", "/api/:version/projects/:id/merge_requests", "/api/v4/projects/%s/merge_requests?state=opened", 0 },
	{ "GET", "/api/:version/projects/:id/pipelines", "/api/v4/projects/%s/pipelines?page=%d", 0 },
	{ "GET", "/api/:version/projects/:id/repository/archive", "/api/v4/projects/%s/repository/archive.zip", 0 },
	{ "GET", "/api/:version/groups/:id/projects", "/api/v4/groups/%s/projects", 1 },
	{ "GET", "/api/:version/user", "/api/v4/user", 2 },
	{ "POST", "/api/:version/jobs/request", "/api/v4/jobs/request", 2 },
	{ "GET", "/api/:version/projects", "/api/v4/projects?membership=true&page=%d", 2 },
};

static const struct aev {
	const char	*name;
	int		 ent;		/* 0 project, 1 group, 2 user */
	const char	*change, *from, *to;
} aevs[] = {
	{ "repository_git_operation", 0, NULL, NULL, NULL },
	{ "repository_download_operation", 0, NULL, NULL, NULL },
	{ "project_visibility_level_updated", 0, "visibility", "Private", "Internal" },
	{ "member_created", 0, "access level", "", "Developer" },
	{ "member_updated", 1, "access level", "Developer", "Maintainer" },
	{ "ci_variable_created", 0, NULL, NULL, NULL },
	{ "deploy_token_created", 0, NULL, NULL, NULL },
	{ "project_access_token_created", 0, NULL, NULL, NULL },
	{ "group_access_token_created", 1, NULL, NULL, NULL },
	{ "job_artifact_downloaded", 0, NULL, NULL, NULL },
	{ "authenticated_with_password", 2, NULL, NULL, NULL },
	{ "login_failed_with_standard_authentication", 2, NULL, NULL, NULL },
	{ "personal_access_token_created", 2, NULL, NULL, NULL },
	{ "add_ssh_key", 2, NULL, NULL, NULL },
};

static const struct job {
	const char	*cls, *queue;
	int		 proj;
} jobs[] = {
	{ "NewIssueWorker", "new_issue", 1 },
	{ "PostReceive", "post_receive", 1 },
	{ "PipelineProcessWorker", "pipeline_processing:pipeline_process", 1 },
	{ "ProjectCacheWorker", "project_cache", 1 },
	{ "AuthorizedProjectsWorker", "authorized_projects", 0 },
	{ "RepositoryForkWorker", "repository_fork", 1 },
	{ "ProjectExportWorker", "project_export", 1 },
	{ "EmailsOnPushWorker", "emails_on_push", 1 },
	{ "Namespaces::ProcessSyncEventsWorker", "namespaces_process_sync_events", 0 },
};

static const char *const rpcs[][2] = {
	{ "FindCommits", "gitaly.CommitService" },
	{ "TreeEntry", "gitaly.CommitService" },
	{ "GetBlobs", "gitaly.BlobService" },
	{ "InfoRefsUploadPack", "gitaly.SmartHTTPService" },
	{ "PostUploadPackWithSidechannel", "gitaly.SmartHTTPService" },
	{ "SSHUploadPackWithSidechannel", "gitaly.SSHService" },
	{ "GetArchive", "gitaly.RepositoryService" },
	{ "RepositoryExists", "gitaly.RepositoryService" },
	{ "FindDefaultBranchName", "gitaly.RefService" },
	{ "CreateFork", "gitaly.RepositoryService" },
};

/* The kinds of planted.json, values a support redaction must remove. */
enum { P_SECRET, P_EMAIL, P_IP, P_USER, P_TENANT, P_INTERNAL };
static const char *const pcats[] = { "secrets", "emails", "ips", "users",
	"other_tenants", "internal" };

/* First path segments that never name a namespace in a URL. */
static const char *const urlskip[] = {
	"-", "api", "users", "admin", "help", "assets", "oauth", "dashboard",
	"explore", "search", "uploads", "import", "profile",
};

/*
 * The planted scenario.  day counts from the day of since (since is 06:00
 * UTC of that day, until seven days later); tod is the UTC time of day.
 * "@TOKEN@" and "@AWS@" in path and params become the secrets of the seed,
 * extra "@LONG@" the long exception.  Rows of one file are in time order.
 */
#define HOME	"198.51.100.23"
#define NEWIP	"2001:db8:4711::66"
#define ATK	"203.0.113.99"
#define GITUA	"git/2.43.0"

struct plant {
	int		 day;
	const char	*tod;
	int		 host, fam, fl;
	const char	*proj, *user, *ip, *method, *act, *path;
	const char	*tdet, *msg, *params, *extra, *ua;
	int		 status, cid;
	long		 id;
};

/* Rows name the fields they need; the others are zero. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct plant plants[] = {
	/* Just outside and just inside the edges of the window. */
	{ 0, "05:59:59.999", WEB01, RAILS, F_OUT, "acme-corp/web", "alice", HOME, "GET",
	  "Projects::BlobController#show", "/acme-corp/web/-/blob/main/README.md" },
	{ 0, "06:00:00.000", WEB01, AUDIT, F_IN, "acme-corp/web", "alice", HOME, NULL,
	  "repository_download_operation" },
	{ 7, "05:59:59.999", WEB02, API, F_IN, "acme-corp/web", "alice", HOME, "GET",
	  "/api/:version/projects/:id", "/api/v4/projects/acme-corp%2Fweb" },
	{ 7, "06:00:00.000", WEB02, API, F_OUT, "acme-corp/web", "alice", HOME, "GET",
	  "/api/:version/projects/:id", "/api/v4/projects/acme-corp%2Fweb" },
	{ 8, "06:00:00.000", WEB01, AUDIT, F_OUT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "personal_access_token_used_from_unseen_ip" },

	/* Day 1: failed logins, a login from a new address, persistence, downloads. */
	{ 1, "02:10:01.118", WEB01, AUTH, F_IN, NULL, "alice", ATK, "GET", "Rack_Attack:throttle",
	  "/acme-corp/web.git/info/refs?service=git-upload-pack", .ua = GITUA,
	  .extra = ",\"matched\":\"throttle_authenticated_git_http\",\"status\":429" },
	{ 1, "02:10:01.120", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", ATK, NULL,
	  "login_failed_with_standard_authentication", .msg = "Failed to login with STANDARD authentication",
	  .id = 99000001 },
	{ 1, "02:10:19.402", WEB01, AUTH, F_IN, NULL, "alice", ATK, "GET", "Rack_Attack:throttle",
	  "/acme-corp/web.git/info/refs?service=git-upload-pack", .ua = GITUA,
	  .extra = ",\"matched\":\"throttle_authenticated_git_http\",\"status\":429" },
	{ 1, "02:10:19.404", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "Alice", ATK, NULL,
	  "login_failed_with_standard_authentication", .msg = "Failed to login with STANDARD authentication",
	  .id = 99000002 },
	{ 1, "02:10:41.007", WEB01, AUTH, F_IN, NULL, "alice", ATK, "POST", "Rack_Attack:blocklist",
	  "/acme-corp/web.git/git-upload-pack", .ua = GITUA,
	  .extra = ",\"matched\":\"failed_authentication_ban\",\"status\":403" },
	{ 1, "02:10:41.009", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", ATK, NULL,
	  "login_failed_with_standard_authentication", .msg = "Failed to login with STANDARD authentication",
	  .id = 99000003 },
	{ 1, "02:12:55.301", WEB01, RAILS, F_OUT | F_ACCT, NULL, "alice", NEWIP, "POST",
	  "SessionsController#create", "/users/sign_in", .status = 302 },
	{ 1, "02:12:55.400", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "authenticated_with_password", .msg = "Signed in with STANDARD authentication", .id = 99000004 },
	{ 1, "02:12:55.402", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "user_signed_in_from_unseen_ip", .msg = "Signed in from an unseen IP address " NEWIP,
	  .id = 99000005 },
	{ 1, "02:13:12.250", WEB01, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::BlobController#show", "/acme-corp/web/-/blob/main/config/secrets.yml" },
	{ 1, "02:15:03.777", WEB01, RAILS, F_OUT | F_ACCT, NULL, "alice", NEWIP, "DELETE",
	  "Profiles::TwoFactorAuthsController#destroy", "/-/profile/two_factor_auth", .status = 302 },
	{ 1, "02:15:03.790", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "user_disable_two_factor", .msg = "Disabled two-factor authentication", .id = 99000006 },
	{ 1, "02:16:20.010", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "personal_access_token_created",
	  .msg = "Created personal access token with id 88123 and scopes [\"api\", \"read_repository\"]",
	  .id = 99000007 },
	{ 1, "02:17:44.500", WEB01, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "add_ssh_key", .msg = "Added SSH key with fingerprint SHA256:x9Gq1Lw5v0kq3Zl7T2mQy8bH4cN6pR1sD0eF3gJ5kM", .id = 99000008 },
	{ 1, "02:20:05.100", API01, NGINX, F_OUT, NULL, NULL, NEWIP, "GET", NULL,
	  "/api/v4/projects/acme-corp%2Fweb/repository/archive.zip?private_token=[FILTERED]&sha=main",
	  .ua = "curl/8.5.0" },
	{ 1, "02:20:05.120", API01, API, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "/api/:version/projects/:id/repository/archive",
	  "/api/v4/projects/acme-corp%2Fweb/repository/archive.zip?private_token=@TOKEN@&sha=main",
	  .params = "[{\"key\":\"private_token\",\"value\":\"[FILTERED]\"},{\"key\":\"sha\",\"value\":\"main\"}]",
	  .ua = "curl/8.5.0", .cid = 1 },
	{ 1, "02:20:05.130", API01, WH, F_OUT, NULL, NULL, NEWIP, "GET", "access",
	  "/api/v4/projects/acme-corp%2Fweb/repository/archive.zip?private_token=[FILTERED]&sha=main",
	  .ua = "curl/8.5.0", .cid = 1 },
	{ 1, "02:20:06", GITALY01, GITALY, F_IN, "acme-corp/web", "alice", NEWIP, NULL, "GetArchive", .cid = 1 },
	{ 1, "02:20:07.300", WEB01, AUDIT, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "repository_download_operation", .msg = "Repository Download Started", .id = 99000009 },
	{ 1, "02:25:10.000", WEB01, NGINX, F_IN, NULL, "alice", NEWIP, "GET", NULL,
	  "/acme-corp/web.git/info/refs?service=git-upload-pack", .ua = GITUA },
	{ 1, "02:25:10.050", WEB01, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Repositories::GitHttpController#info_refs", "/acme-corp/web.git/info/refs?service=git-upload-pack",
	  .ua = GITUA, .cid = 2 },
	{ 1, "02:25:10.400", WEB01, NGINX, F_IN, NULL, "alice", NEWIP, "POST", NULL,
	  "/acme-corp/web.git/git-upload-pack", .ua = GITUA },
	{ 1, "02:25:10.410", WEB01, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "POST",
	  "Repositories::GitHttpController#git_upload_pack", "/acme-corp/web.git/git-upload-pack",
	  .ua = GITUA, .cid = 3 },
	{ 1, "02:25:10.900", WEB01, WH, F_OUT, NULL, NULL, NEWIP, "POST", "access",
	  "/acme-corp/web.git/git-upload-pack", .ua = GITUA, .cid = 3 },
	{ 1, "02:25:11", GITALY01, GITALY, F_IN | F_OFFSET, "acme-corp/web", "alice", NEWIP, NULL,
	  "PostUploadPackWithSidechannel", .cid = 3 },
	{ 1, "02:26:30", API01, NGINX, F_IN, NULL, "alice", NEWIP, "GET", NULL,
	  "/acme-corp/infra/terraform.git/info/refs?service=git-upload-pack", .ua = GITUA },
	{ 1, "02:26:31", API01, NGINX, F_IN, NULL, "alice", NEWIP, "POST", NULL,
	  "/acme-corp/infra/terraform.git/git-upload-pack", .ua = GITUA },
	{ 1, "02:30:00", GITALY01, SHELL, F_IN, "acme-corp/infra/terraform", "alice", NEWIP, NULL,
	  "git-upload-pack", .cid = 4 },
	{ 1, "02:30:01", GITALY01, GITALY, F_IN, "acme-corp/infra/terraform", "alice", NEWIP, NULL,
	  "SSHUploadPackWithSidechannel", .cid = 4 },
	{ 1, "02:30:02.500", -1, STREAM, F_IN, "acme-corp/infra/terraform", "alice", NEWIP, NULL,
	  "repository_git_operation", .msg = "{\"protocol\":\"ssh\",\"action\":\"git-upload-pack\"}", .id = 99000010 },
	{ 1, "02:30:02.500", -1, STREAM, F_IN, "acme-corp/infra/terraform", "alice", NEWIP, NULL,
	  "repository_git_operation", .msg = "{\"protocol\":\"ssh\",\"action\":\"git-upload-pack\"}", .id = 99000010 },
	{ 1, "02:31:00", GITALY01, SHELL, F_IN, "ACME-Corp/web", "Alice", NEWIP, NULL,
	  "git-upload-archive", .cid = 5 },
	{ 1, "02:31:40.118", SIDEKIQ01, SIDEKIQ, F_IN | F_EPOCH, "acme-corp/web", "alice", NULL, NULL,
	  "ProjectExportWorker" },
	/* Streamed copies of audit events written to audit_json.log: same id. */
	{ 1, "02:10:01.120", -1, STREAM, F_OUT | F_ACCT | F_UENT, "alice", "alice", ATK, NULL,
	  "login_failed_with_standard_authentication", .msg = "Failed to login with STANDARD authentication",
	  .id = 99000001 },
	{ 1, "02:12:55.400", -1, STREAM, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "authenticated_with_password", .msg = "Signed in with STANDARD authentication", .id = 99000004 },
	{ 1, "02:15:03.790", -1, STREAM, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "user_disable_two_factor", .msg = "Disabled two-factor authentication", .id = 99000006 },

	/* Day 2: the project goes public, an outsider joins, a fork leaves. */
	{ 2, "09:40:00.000", WEB02, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "PATCH",
	  "ProjectsController#update", "/acme-corp/web", .status = 302,
	  .params = "[{\"key\":\"project\",\"value\":{\"visibility_level\":\"20\",\"description\":\"owner: alice\\u0040acme-corp.example\"}}]" },
	{ 2, "09:40:00.120", WEB02, AUDIT, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "project_visibility_level_updated", .msg = "Changed visibility level from private to public",
	  .id = 99000011 },
	{ 2, "09:40:00.121", WEB02, AUDIT, F_IN | F_OLD, "acme-corp/web", "alice", NULL, NULL,
	  "visibility", .extra = ",\"from\":\"Private\",\"to\":\"Public\"" },
	{ 2, "09:40:00.120", -1, STREAM, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "project_visibility_level_updated", .msg = "Changed visibility level from private to public",
	  .id = 99000011 },
	{ 2, "09:45:12.000", WEB02, API, F_IN, "acme-corp/web", "alice", NEWIP, "POST",
	  "/api/:version/projects/:id/invitations",
	  "/api/v4/projects/acme-corp%2Fweb/invitations?email=eve%40evil-corp.example&access_level=30" },
	{ 2, "09:45:12.200", WEB02, AUDIT, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "member_created", .tdet = "eve@evil-corp.example", .msg = "Added eve as Developer",
	  .id = 99000012 },
	{ 2, "09:45:12.200", -1, STREAM, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "member_created", .tdet = "eve@evil-corp.example", .msg = "Added eve as Developer",
	  .id = 99000012 },
	{ 2, "09:50:00.000", WEB02, API, F_IN, "acme-corp/web", "alice", NEWIP, "POST",
	  "/api/:version/projects/:id/fork", "/api/v4/projects/acme-corp%2Fweb/fork",
	  .params = "[{\"key\":\"namespace_path\",\"value\":\"evil-corp\"},{\"key\":\"visibility\",\"value\":\"private\"}]",
	  .cid = 6 },
	{ 2, "09:50:00.300", WEB02, AUDIT, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "project_fork_operation", .tdet = "evil-corp/web", .msg = "Forked project to evil-corp/web",
	  .id = 99000013 },
	{ 2, "09:50:01.004", SIDEKIQ01, SIDEKIQ, F_IN, "acme-corp/web", "alice", NULL, NULL,
	  "RepositoryForkWorker", .cid = 6 },
	{ 2, "09:50:02", GITALY01, GITALY, F_OUT | F_ACCT, "evil-corp/web", "alice", NULL, NULL, "CreateFork", .cid = 6 },
	/* Her fork, in another tenant's namespace: hers, not acme-corp's. */
	{ 2, "09:52:00.000", WEB02, RAILS, F_OUT | F_ACCT, "evil-corp/web", "alice", NEWIP, "GET",
	  "ProjectsController#show", "/evil-corp/web" },
	{ 2, "09:55:00.000", WEB02, API, F_IN, "acme-corp/web", "alice", NEWIP, "POST",
	  "/api/:version/projects/:id/variables", "/api/v4/projects/acme-corp%2Fweb/variables",
	  .params = "[{\"key\":\"key\",\"value\":\"[FILTERED]\"},{\"key\":\"value\",\"value\":\"@AWS@\"},{\"key\":\"protected\",\"value\":\"false\"}]" },
	{ 2, "09:55:00.200", WEB02, AUDIT, F_IN, "acme-corp/web", "alice", NEWIP, NULL,
	  "ci_variable_created", .msg = "Added ci variable AWS_ACCESS_KEY_ID", .id = 99000014 },
	{ 2, "10:02:00.000", WEB02, APP, F_OUT | F_ACCT, NULL, "alice", NULL, NULL, NULL, NULL,
	  .msg = "User \"alice\" (alice@acme-corp.example) changed primary email" },
	{ 2, "10:02:00.500", WEB02, AUDIT, F_OUT | F_ACCT | F_UENT, "alice", "alice", NEWIP, NULL,
	  "user_email_address_updated", .msg = "Changed email to alice@acme-corp.example", .id = 99000015 },
	{ 2, "11:00:00.000", WEB01, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::BlobController#show", "/acme-corp/web/-/blob/main/db/schema.rb", .status = 500,
	  .extra = "@LONG@" },
	{ 2, "11:00:00.000", WEB01, RAILS, F_OUT | F_RAW, .msg =
	  "GRPC::Unavailable (14:failed to connect to all addresses) in acme-corp/web for alice:" },
	{ 2, "11:00:00.000", WEB01, RAILS, F_OUT | F_RAW, .msg =
	  "  lib/gitlab/gitaly_client.rb:312:in 'block in call'" },
	{ 2, "11:00:00.000", WEB01, RAILS, F_OUT | F_RAW, .msg =
	  "  app/controllers/projects/blob_controller.rb:58:in 'show'" },
	{ 2, "11:05:00.000", WEB01, RAILS, F_OUT | F_CUT, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::TreeController#show", "/acme-corp/web/-/tree/main/deploy" },
	{ 2, "11:10:00.000", WEB01, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::RawController#show", "/acme-corp/web/-/raw/main/.env",
	  .ua = "Mozilla/5.0 (X11; Linux x86_64) \xff\xfe\xc3 Firefox/128.0" },
	{ 2, "11:20:00.000", WEB02, RAILS, F_IN, "ACME-Corp/web", "Alice", NEWIP, "GET",
	  "Projects::CommitsController#show", "/ACME-Corp/web/-/commits/main" },
	{ 2, "11:25:00.000", API01, API, F_IN | F_NOROOT, "acme-corp/api", "alice", NEWIP, "GET",
	  "/api/:version/projects/:id/repository/tree", "/api/v4/projects/117/repository/tree" },
	{ 2, "11:30:00.000", WEB01, RAILS, F_OUT, "acme-corporation/web", "alice", HOME, "GET",
	  "ProjectsController#show", "/acme-corporation/web" },
	{ 2, "11:30:01.000", WEB01, RAILS, F_OUT, "acme-corp/web", "alice2", HOME, "GET",
	  "ProjectsController#show", "/acme-corp/web" },
	{ 2, "11:30:02.000", WEB01, RAILS, F_OUT, "acme-corp/web", "malice", HOME, "GET",
	  "ProjectsController#show", "/acme-corp/web" },
	{ 2, "11:30:03.000", WEB01, RAILS, F_OUT, "xacme-corp/web", "alice", HOME, "GET",
	  "ProjectsController#show", "/xacme-corp/web" },
	{ 2, "11:30:04.000", WEB01, RAILS, F_OUT, "acme/web", "alice", HOME, "GET",
	  "ProjectsController#show", "/acme/web" },
	{ 2, "11:31:00", WEB02, NGINX, F_OUT, NULL, "alice2", HOME, "GET", NULL,
	  "/acme-corp/web.git/info/refs?service=git-upload-pack", .ua = GITUA },

	/* Day 3: the truncated archive, whose first member is still readable. */
	{ 3, "03:00:00.000", WEB03, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::BlobController#show", "/acme-corp/web/-/blob/main/Gemfile.lock" },
	{ 3, "03:00:30.000", WEB03, RAILS, F_IN, "acme-corp/web", "alice", NEWIP, "GET",
	  "Projects::RawController#show", "/acme-corp/web/-/raw/main/config/database.yml" },
	{ 3, "03:01:00.000", WEB03, RAILS, F_IN, "acme-corp/infra/terraform", "alice", NEWIP, "POST",
	  "Repositories::GitHttpController#git_upload_pack", "/acme-corp/infra/terraform.git/git-upload-pack",
	  .ua = GITUA },

	/* Day 4: group-level API use. */
	{ 4, "14:00:00.000", WEB01, API, F_IN | F_GROUP, "acme-corp", "alice", NEWIP, "GET",
	  "/api/:version/groups/:id/projects", "/api/v4/groups/acme-corp/projects?per_page=100" },
	{ 4, "14:00:00.500", WEB01, AUTH, F_IN, NULL, "alice", NEWIP, "GET", "Rack_Attack:throttle",
	  "/api/v4/groups/acme-corp/projects?page=2", .ua = "python-requests/2.32.3",
	  .extra = ",\"matched\":\"throttle_authenticated_api\",\"status\":429" },
	{ 4, "14:01:00.000", SIDEKIQ01, SIDEKIQ, F_IN, "acme-corp/web", "alice", NULL, NULL,
	  "ProjectCacheWorker" },
};
#pragma GCC diagnostic pop
#define NPLANTS	((int)NELEM(plants))

struct gen {
	uint64_t	 seed;
	int		 days, sd;	/* sd: the day of since */
	int64_t		 start, since, until, requested;
	uint64_t	 budget;	/* background bytes over all files */
	int		 wsum;
	int		 truth;
	const char	*outdir;
	FILE		*truthf;
	struct buf	 tbuf, tar, zbuf;
	struct member	 mem[NFAM];
	ZSTD_CCtx	*zc;
	struct ans	*ans;
	size_t		 nans, capans;
	int		 emitted[NPLANTS];	/* times each plant was written */
	int64_t		 pms[NPLANTS];		/* the time of each plant */
	char		 token[32], aws[32], hashed[128];
	struct buf	 longx;
	struct {
		int		 cat;	/* index into pcats */
		const char	*v;
		int		 found;	/* in some answer-key line */
	}		 planted[32];
	int		 nplanted;
	struct proj	*projs;
	int		 nprojs;
	int		 gfirst[NELEM(groups)];	/* the projects of a group */
	int		 gcount[NELEM(groups)];
	long		 nextid;
};

#define USAGE	"usage: ldgen [-s seed] [--days n] [--start yyyy-mm-dd] " \
	"[--size mb] [--truth] [--saas] -o outdir\n"

/* What --help prints after USAGE: each option and what it does. */
#define HELP \
	"Write a deterministic corpus of archived GitLab-style logs with a\n" \
	"planted incident, its request and the answer key.\n" \
	"\n" \
	"  -o, --output DIR    write the corpus under DIR (required)\n" \
	"  -s, --seed N        seed of every random choice (default 1): the\n" \
	"                      same arguments always give the same bytes\n" \
	"      --days N        days of logs, 9 to 366 (default 14)\n" \
	"      --start DATE    first day, yyyy-mm-dd (default 2026-11-08)\n" \
	"      --size MB       MiB of log text in all, 1 to 20000 (default 6)\n" \
	"      --truth         also write truth.jsonl: the canonical fields of\n" \
	"                      every line written\n" \
	"      --help          show this help and exit\n" \
	"      --version       show the version and exit\n"

/* A misuse: the reason went to stderr before; one line of hint. */
static _Noreturn void
usage(void)
{
	fputs("try 'ldgen --help'\n", stderr);
	exit(2);
}

/* splitmix64: small, fast, and good enough for test data. */
static uint64_t
next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rn(struct rng *r, uint32_t n)
{
	return (uint32_t)(((next(r) >> 32) * n) >> 32);
}

static void
reseed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	r->s = seed;
	r->s = next(r) ^ a;
	r->s = next(r) ^ b;
	r->s = next(r) ^ c;
}

static void
reserve(struct buf *b, size_t n)
{
	size_t cap;

	if (b->len + n <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	if ((b->p = realloc(b->p, cap)) == NULL)
		err(2, NULL);
	b->cap = cap;
}

static void
bput(struct buf *b, const void *p, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
bputs(struct buf *b, const char *s)
{
	bput(b, s, strlen(s));
}

static void
bputc(struct buf *b, int c)
{
	reserve(b, 1);
	b->p[b->len++] = (char)c;
}

static void __attribute__((format(printf, 2, 3)))
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	reserve(b, 128);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		errx(2, "vsnprintf failed");
	if ((size_t)n >= b->cap - b->len) {
		reserve(b, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/*
 * Append s, n bytes, as a JSON string.  Bytes from 0x80 are copied as they
 * are, so invalid UTF-8 stays invalid.  go escapes & < > as Go's encoder does.
 */
static void
bjstrn(struct buf *b, const char *s, size_t n, int go)
{
	size_t i;
	unsigned char c;

	reserve(b, n + 2);
	b->p[b->len++] = '"';
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			bputc(b, '\\');
			bputc(b, c);
		} else if (c < 0x20 || (go && (c == '&' || c == '<' || c == '>')))
			bprintf(b, "\\u%04x", c);
		else
			bputc(b, c);
	}
	bputc(b, '"');
}

static void
bjstr(struct buf *b, const char *s)
{
	bjstrn(b, s, strlen(s), 0);
}

/* ,"k":"v" or ,"k":null */
static void
bkey(struct buf *b, const char *k, const char *v)
{
	bprintf(b, ",\"%s\":", k);
	if (v)
		bjstr(b, v);
	else
		bputs(b, "null");
}

static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* RFC 3339 with prec (0 or 3) fraction digits and the zone suffix z. */
static void
bts(struct buf *b, int64_t ms, int prec, const char *z)
{
	int y, mo, d;
	int64_t s = ms / 1000;

	civil(s / 86400, &y, &mo, &d);
	bprintf(b, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d,
	    (int)(s % 86400 / 3600), (int)(s % 3600 / 60), (int)(s % 60));
	if (prec)
		bprintf(b, ".%03d", (int)(ms % 1000));
	bputs(b, z);
}

static void
bqts(struct buf *b, int64_t ms, int prec)
{
	bputc(b, '"');
	bts(b, ms, prec, "Z");
	bputc(b, '"');
}

/* NGINX $time_local, tz minutes east of UTC. */
static void
bclf(struct buf *b, int64_t ms, int tz)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, mo, d;
	int64_t s = ms / 1000 + tz * 60;

	civil(s / 86400, &y, &mo, &d);
	bprintf(b, "%02d/%s/%04d:%02d:%02d:%02d %c%02d%02d", d, mon[mo - 1], y,
	    (int)(s % 86400 / 3600), (int)(s % 3600 / 60), (int)(s % 60),
	    tz < 0 ? '-' : '+', abs(tz) / 60, abs(tz) % 60);
}

static void
datestr(char *out, size_t n, int64_t ms)
{
	int y, m, d;

	civil(ms / DAY_MS, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* Copy the first segment of a path to out; "" when there is none. */
static void
seg1(const char *path, char *out, size_t n)
{
	size_t len = path ? strcspn(path, "/") : 0;

	if (len >= n)
		len = n - 1;
	memcpy(out, path ? path : "", len);
	out[len] = '\0';
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* The URL rule: the namespace a request path names, "" when none. */
static void
url_ns(const char *path, char *ns, size_t n)
{
	char x[256];
	const char *p, *end;
	size_t i, k, seg;
	int digits;

	ns[0] = '\0';
	if (path == NULL || *path != '/')
		return;
	end = path + strcspn(path, "?");
	if (strncmp(path, "/api/v4/projects/", 17) == 0 ||
	    strncmp(path, "/api/v4/groups/", 15) == 0) {
		p = path + (path[8] == 'p' ? 17 : 15);
		for (k = 0, digits = 1; p < end && *p != '/' && k < sizeof(x) - 1; p++) {
			if (*p == '%' && isxdigit((unsigned char)p[1]) &&
			    isxdigit((unsigned char)p[2])) {
				x[k] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			} else
				x[k] = *p;
			if (!isdigit((unsigned char)x[k++]))
				digits = 0;
		}
		x[k] = '\0';
		if (k > 0 && !digits)
			seg1(x, ns, n);
		return;
	}
	seg = strcspn(path + 1, "/?");
	if (seg == 0)
		return;
	for (i = 0; i < NELEM(urlskip); i++)
		if (strlen(urlskip[i]) == seg &&
		    strncmp(path + 1, urlskip[i], seg) == 0)
			return;
	seg1(path + 1, ns, n);
	ns[strcspn(ns, "?")] = '\0';
}

static const struct user *
user_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(users); i++)
		if (strcasecmp(users[i].name, name) == 0)
			return &users[i];
	return NULL;
}

static int
proj_id(const struct gen *g, const char *path)
{
	int i;
	unsigned h = 5381;

	for (i = 0; i < g->nprojs; i++)
		if (strcasecmp(g->projs[i].path, path) == 0)
			return g->projs[i].id;
	while (*path)
		h = h * 33 + (unsigned char)tolower((unsigned char)*path++);
	return 50000 + (int)(h % 10000);
}

/* GitLab's hashed storage path of a project id. */
static void
hashed_path(int pid, char *out, size_t n)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char id[16], hex[2 * SHA256_DIGEST_LENGTH + 1];
	int i;

	snprintf(id, sizeof(id), "%d", pid);
	SHA256((const unsigned char *)id, strlen(id), md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(out, n, "@hashed/%.2s/%.2s/%s.git", hex, hex + 2, hex);
}

/* Correlation ids come in three shapes: 11 base62, 32 hex, 26 ULID. */
static void
mkcid(struct rng *r, char *cid)
{
	static const char b62[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	static const char crock[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	int i, kind = (int)rn(r, 3);

	if (kind == 0)
		for (i = 0; i < 11; i++)
			cid[i] = b62[rn(r, 62)];
	else if (kind == 1)
		for (i = 0; i < 32; i++)
			cid[i] = "0123456789abcdef"[rn(r, 16)];
	else
		for (i = 0; i < 26; i++)
			cid[i] = crock[rn(r, 32)];
	cid[i] = '\0';
}

/*
 * A random client address.  The parts are drawn before the call: the order
 * in which arguments are evaluated is unspecified, and compilers differ.
 */
static void
rand_ip(struct rng *r, char *out, size_t n)
{
	uint32_t kind = rn(r, 4), a = rn(r, 0x1000), b = rn(r, 0x10000),
	    c = rn(r, 0xfff);

	if (kind == 0)
		snprintf(out, n, "192.0.2.%u", 40 + a % 200);
	else if (kind == 1)
		snprintf(out, n, "198.51.100.%u", 100 + a % 150);
	else if (kind == 2)
		snprintf(out, n, "2001:db8:%x:%x::%x", 0x5000 + a, b, 1 + c);
	else
		snprintf(out, n, "10.%u.%u.%u", 30 + a % 50, b % 256, 1 + c % 254);
}

/* Fill tpl: %s becomes s, %d a number. */
static void
fill(char *out, size_t n, const char *tpl, const char *s, int d)
{
	size_t k = 0;
	int w;

	for (; *tpl && k + 1 < n; tpl++) {
		if (tpl[0] == '%' && (tpl[1] == 's' || tpl[1] == 'd')) {
			if (tpl[1] == 's')
				w = snprintf(out + k, n - k, "%s", s ? s : "");
			else
				w = snprintf(out + k, n - k, "%d", d);
			k += (size_t)w < n - k ? (size_t)w : n - k - 1;
			tpl++;
		} else
			out[k++] = *tpl;
	}
	out[k] = '\0';
}

/* Percent-encode the slashes of a project path, as API clients do. */
static void
urlenc(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 4 < n; s++) {
		if (*s == '/') {
			memcpy(out + k, "%2F", 3);
			k += 3;
		} else
			out[k++] = *s;
	}
	out[k] = '\0';
}

/* Replace @TOKEN@ and @AWS@ by the secrets of the seed. */
static void
subst(const struct gen *g, const char *in, char *out, size_t n)
{
	size_t k = 0, w;
	const char *v;

	while (*in && k + 1 < n) {
		v = NULL;
		if (strncmp(in, "@TOKEN@", 7) == 0)
			v = g->token, in += 7;
		else if (strncmp(in, "@AWS@", 5) == 0)
			v = g->aws, in += 5;
		if (v) {
			w = strlen(v);
			if (k + w >= n)
				break;
			memcpy(out + k, v, w);
			k += w;
		} else
			out[k++] = *in++;
	}
	out[k] = '\0';
}

/*
 * Rendering.  Each function appends one line, with its newline, for an
 * event whose time is already truncated to the family's precision.
 */
static void
render_rails(struct buf *b, const struct ev *e, int api)
{
	const char *hash = strchr(e->act, '#');
	char root[128];
	int status = e->status ? e->status : 200;

	bputs(b, "{\"method\":");
	bjstr(b, e->method);
	bputs(b, ",\"path\":");
	bjstr(b, e->path);
	bputs(b, api ? ",\"format\":\"json\"" : ",\"format\":\"html\"");
	if (!api && hash) {
		bputs(b, ",\"controller\":");
		bjstrn(b, e->act, (size_t)(hash - e->act), 0);
		bkey(b, "action", hash + 1);
	}
	bprintf(b, ",\"status\":%d,\"time\":", status);
	bqts(b, e->ms, 3);
	if (api) {
		bkey(b, "route", e->act);
		bputs(b, ",\"host\":\"gitlab.example.com\"");
	}
	bprintf(b, ",\"params\":%s", e->params ? e->params : "[]");
	bkey(b, "remote_ip", e->ip);
	if (e->user) {
		bprintf(b, ",\"user_id\":%d", e->uid);
		bkey(b, "username", e->user);
	}
	bkey(b, "ua", e->ua);
	bkey(b, "correlation_id", e->cid);
	if (e->user)
		bkey(b, "meta.user", e->user);
	if (e->proj && !(e->flags & F_GROUP))
		bkey(b, "meta.project", e->proj);
	if (e->proj && !(e->flags & F_NOROOT)) {
		seg1(e->proj, root, sizeof(root));
		bkey(b, "meta.root_namespace", root);
	}
	if (api)
		bprintf(b, ",\"meta.caller_id\":\"%s %s\"", e->method, e->act);
	else
		bkey(b, "meta.caller_id", e->act);
	bkey(b, "meta.remote_ip", e->ip);
	if (e->user)
		bprintf(b, ",\"meta.client_id\":\"user/%d\"", e->uid);
	else
		bprintf(b, ",\"meta.client_id\":\"ip/%s\"", e->ip);
	bprintf(b, ",\"meta.feature_category\":\"%s\"", e->proj ?
	    "source_code_management" : "system_access");
	bprintf(b, ",\"queue_duration_s\":%.6f,\"db_count\":%d,\"duration_s\":%.5f,"
	    "\"cpu_s\":%.6f", (double)(e->rv & 0xfff) / 1e6, (int)(e->rv >> 12 & 63),
	    (double)(e->rv >> 18 & 0xfffff) / 1e6, (double)(e->rv >> 38 & 0xfffff) / 1e7);
	if (e->extra)
		bputs(b, e->extra);
	bputs(b, "}\n");
}

static void
audit_body(struct buf *b, const struct ev *e, const char *tdet, const char *etype,
    int stream)
{
	int id = e->pid ? e->pid : e->uid;

	bprintf(b, ",\"author_id\":%d", e->uid);
	bkey(b, "author_name", e->user);
	bprintf(b, ",\"entity_id\":%d,\"entity_type\":\"%s\"", id, etype);
	if (stream) {
		bputs(b, ",\"details\":{\"author_name\":");
		bjstr(b, e->user);
		bprintf(b, ",\"author_class\":\"User\",\"target_id\":%d,"
		    "\"target_type\":\"%s\"", id, etype);
		bkey(b, "target_details", tdet);
		bputs(b, ",\"custom_message\":");
		if (e->msg && e->msg[0] == '{')
			bputs(b, e->msg);
		else
			bjstr(b, e->msg ? e->msg : e->act);
		bkey(b, "ip_address", e->ip);
		bkey(b, "entity_path", e->proj);
		bputc(b, '}');
	}
	bkey(b, "entity_path", e->proj);
	bprintf(b, ",\"target_id\":%d,\"target_type\":\"%s\"", id, etype);
	bkey(b, "target_details", tdet);
	bkey(b, "ip_address", e->ip);
}

static void
render_audit(struct buf *b, const struct ev *e, int stream)
{
	const char *etype = e->flags & F_GROUP ? "Group" :
	    e->flags & F_UENT ? "User" : "Project";
	const char *tdet = e->tdet ? e->tdet : e->proj;

	if (stream) {
		bprintf(b, "{\"id\":\"%ld\"", e->id);
		audit_body(b, e, tdet, etype, 1);
		bputs(b, ",\"created_at\":");
		bqts(b, e->ms, 3);
		bkey(b, "event_type", e->act);
		bputs(b, "}\n");
		return;
	}
	bputs(b, "{\"severity\":\"INFO\",\"time\":");
	bqts(b, e->ms, 3);
	if (e->flags & F_OLD) {
		bprintf(b, ",\"author_id\":%d,\"entity_id\":%d,\"entity_type\":\"%s\"",
		    e->uid, e->pid, etype);
		bkey(b, "change", e->act);
		if (e->extra)
			bputs(b, e->extra);
		bkey(b, "author_name", e->user);
		bprintf(b, ",\"target_id\":%d,\"target_type\":\"%s\"", e->pid, etype);
		bkey(b, "target_details", tdet);
		bputs(b, "}\n");
		return;
	}
	bprintf(b, ",\"id\":%ld", e->id);
	audit_body(b, e, tdet, etype, 0);
	bkey(b, "event_name", e->act);
	bputs(b, ",\"author_class\":\"User\",\"custom_message\":");
	if (e->msg && e->msg[0] == '{')
		bputs(b, e->msg);
	else
		bjstr(b, e->msg ? e->msg : e->act);
	bputs(b, ",\"created_at\":");
	bqts(b, e->ms, 3);
	bputs(b, "}\n");
}

static void
render_auth(struct buf *b, const struct ev *e)
{
	const char *colon = strchr(e->act, ':');

	bputs(b, "{\"severity\":\"ERROR\",\"time\":");
	bqts(b, e->ms, 3);
	bkey(b, "correlation_id", e->cid);
	bputs(b, ",\"message\":");
	bjstrn(b, e->act, (size_t)(colon - e->act), 0);
	bkey(b, "env", colon + 1);
	bkey(b, "remote_ip", e->ip);
	bkey(b, "request_method", e->method);
	bkey(b, "path", e->path);
	if (e->extra)
		bputs(b, e->extra);
	if (e->user) {
		bprintf(b, ",\"user_id\":%d", e->uid);
		bkey(b, "meta.user", e->user);
	}
	bputs(b, "}\n");
}

static void
render_app(struct buf *b, const struct ev *e)
{
	bputs(b, "{\"severity\":\"INFO\",\"time\":");
	bqts(b, e->ms, 3);
	bkey(b, "correlation_id", e->cid);
	if (e->user)
		bkey(b, "meta.user", e->user);
	bkey(b, "message", e->msg);
	bputs(b, "}\n");
}

static void
bepoch(struct buf *b, int64_t ms, unsigned sub)
{
	bprintf(b, "%" PRId64 ".%03d%04u", ms / 1000, (int)(ms % 1000), sub % 10000);
}

static void
render_sidekiq(struct buf *b, const struct ev *e, const char *queue)
{
	char root[128], jid[25];
	int64_t created = e->ms - 5 - (int64_t)(e->rv % 900), enq = created + 2;
	int i, done = (e->rv >> 40) & 1;

	for (i = 0; i < 24; i++)
		jid[i] = "0123456789abcdef"[((e->rv >> (i * 5 % 60)) ^
		    (uint64_t)(i * 7)) & 15];
	jid[24] = '\0';
	bputs(b, "{\"severity\":\"INFO\",\"time\":");
	bqts(b, e->ms, 3);
	bkey(b, "class", e->act);
	bprintf(b, ",\"args\":[\"%d\",\"%d\"],\"retry\":3", e->pid, e->uid);
	bkey(b, "queue", queue);
	bkey(b, "jid", jid);
	bputs(b, ",\"created_at\":");
	if (e->flags & F_EPOCH)
		bepoch(b, created, (unsigned)(e->rv >> 20));
	else
		bqts(b, created, 3);
	if (e->user)
		bkey(b, "meta.user", e->user);
	if (e->proj) {
		if (!(e->flags & F_GROUP))
			bkey(b, "meta.project", e->proj);
		seg1(e->proj, root, sizeof(root));
		bkey(b, "meta.root_namespace", root);
	}
	bkey(b, "correlation_id", e->cid);
	bputs(b, ",\"enqueued_at\":");
	if (e->flags & F_EPOCH)
		bepoch(b, enq, (unsigned)(e->rv >> 34));
	else
		bqts(b, enq, 3);
	bprintf(b, ",\"pid\":%d,\"message\":\"%s JID-%s: %s\",\"job_status\":\"%s\"",
	    2000 + (int)(e->rv % 3000), e->act, jid, done ? "done" : "start",
	    done ? "done" : "start");
	if (done)
		bprintf(b, ",\"duration_s\":%.6f", (double)(e->rv >> 44 & 0xfffff) / 1e6);
	bputs(b, "}\n");
}

static void
render_shell(struct buf *b, const struct ev *e)
{
	bputs(b, "{\"command\":");
	bjstr(b, e->act);
	bkey(b, "correlation_id", e->cid);
	bprintf(b, ",\"git_protocol\":\"version=2\",\"gl_key_id\":%d,"
	    "\"gl_key_type\":\"key\"", 100 + e->uid % 900);
	bkey(b, "gl_project_path", e->proj);
	bprintf(b, ",\"gl_repository\":\"project-%d\",\"level\":\"info\","
	    "\"msg\":\"executing git command\"", e->pid);
	bkey(b, "remote_ip", e->ip);
	bputs(b, ",\"time\":");
	bqts(b, e->ms, 0);
	bprintf(b, ",\"user_id\":\"user-%d\"", e->uid);
	bkey(b, "username", e->user);
	bputs(b, "}\n");
}

static void
render_gitaly(struct buf *b, const struct ev *e)
{
	char repo[128];
	const char *svc = "gitaly.RepositoryService";
	size_t i;

	for (i = 0; i < NELEM(rpcs); i++)
		if (strcmp(rpcs[i][0], e->act) == 0)
			svc = rpcs[i][1];
	hashed_path(e->pid, repo, sizeof(repo));
	bputs(b, "{\"correlation_id\":");
	bjstr(b, e->cid);
	bprintf(b, ",\"grpc.code\":\"OK\",\"grpc.meta.client_name\":\"%s\"",
	    e->user ? "gitlab-web" : "gitlab-sidekiq");
	bkey(b, "grpc.method", e->act);
	bkey(b, "grpc.request.glProjectPath", e->proj);
	bprintf(b, ",\"grpc.request.glRepository\":\"project-%d\"", e->pid);
	bkey(b, "grpc.request.repoPath", repo);
	bprintf(b, ",\"grpc.request.repoStorage\":\"default\",\"grpc.service\":\"%s\","
	    "\"grpc.time_ms\":%.3f,\"level\":\"info\",\"msg\":\"finished unary call "
	    "with code OK\",\"peer.address\":\"@\",\"pid\":%d", svc,
	    (double)(e->rv % 500000) / 1000, 3100 + (int)(e->rv >> 32 & 255));
	if (e->ip)
		bkey(b, "remote_ip", e->ip);
	bputs(b, ",\"span.kind\":\"server\",\"system\":\"grpc\",\"time\":\"");
	bts(b, e->ms, 0, e->flags & F_OFFSET ? "+00:00" : "Z");
	bputc(b, '"');
	if (e->user) {
		bprintf(b, ",\"user_id\":\"%d\"", e->uid);
		bkey(b, "username", e->user);
	}
	bputs(b, "}\n");
}

static void
render_wh(struct buf *b, const struct ev *e)
{
	bputs(b, "{\"correlation_id\":");
	bjstr(b, e->cid);
	bprintf(b, ",\"duration_ms\":%d,\"host\":\"gitlab.example.com\","
	    "\"level\":\"info\"", (int)(e->rv % 4000));
	bkey(b, "method", e->method);
	bputs(b, ",\"msg\":");
	bjstr(b, e->act);
	bprintf(b, strchr(e->ip, ':') ? ",\"remote_addr\":\"[%s]:0\"" :
	    ",\"remote_addr\":\"%s:0\"", e->ip);
	bkey(b, "remote_ip", e->ip);
	bprintf(b, ",\"status\":%d,\"system\":\"http\",\"time\":",
	    e->status ? e->status : 200);
	bqts(b, e->ms, 0);
	bputs(b, ",\"uri\":");
	bjstrn(b, e->path, strlen(e->path), 1);
	bputs(b, ",\"user_agent\":");
	bjstrn(b, e->ua, strlen(e->ua), 1);
	bprintf(b, ",\"written_bytes\":%d}\n", (int)(e->rv >> 20 & 0xfffff));
}

static void
render_nginx(struct buf *b, const struct ev *e, int tz)
{
	bprintf(b, "%s - %s [", e->ip, e->user ? e->user : "-");
	bclf(b, e->ms, tz);
	bprintf(b, "] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\" -\n", e->method, e->path,
	    e->status ? e->status : 200, (int)(e->rv & 0xfffff), e->ua);
}

static const char *
queue_of(const char *cls)
{
	size_t i;

	for (i = 0; i < NELEM(jobs); i++)
		if (strcmp(jobs[i].cls, cls) == 0)
			return jobs[i].queue;
	return "default";
}

static void
render(struct buf *b, int fam, const struct ev *e, const struct member *m)
{
	if (e->flags & F_RAW) {
		bputs(b, e->msg);
		bputc(b, '\n');
		return;
	}
	switch (fam) {
	case RAILS:
	case API:
		render_rails(b, e, fam == API);
		break;
	case AUDIT:
	case STREAM:
		render_audit(b, e, fam == STREAM);
		break;
	case AUTH:
		render_auth(b, e);
		break;
	case APP:
		render_app(b, e);
		break;
	case SIDEKIQ:
		render_sidekiq(b, e, queue_of(e->act));
		break;
	case SHELL:
		render_shell(b, e);
		break;
	case GITALY:
		render_gitaly(b, e);
		break;
	case WH:
		render_wh(b, e);
		break;
	default:
		render_nginx(b, e, m->tz);
		break;
	}
}

/* The canonical fields, by the rules of the format definitions. */
static void
canon(int fam, const struct ev *e, struct canon *c)
{
	memset(c, 0, sizeof(*c));
	if (e->flags & F_RAW) {
		c->malformed = 1;
		return;
	}
	c->hasts = 1;
	c->malformed = (e->flags & F_CUT) != 0;
	c->user = e->user;
	c->ip = e->ip;
	c->event = e->act;
	c->cid = e->cid;
	if (e->user && e->uid && fam != APP && fam != SIDEKIQ && fam != NGINX)
		snprintf(c->uid, sizeof(c->uid), fam == SHELL ? "user-%d" : "%d", e->uid);
	switch (fam) {
	case RAILS:
	case API:
	case SIDEKIQ:
		seg1(e->proj, c->ns, sizeof(c->ns));
		c->proj = e->flags & F_GROUP ? NULL : e->proj;
		if (fam == SIDEKIQ)
			c->ip = NULL;
		break;
	case AUDIT:
	case STREAM:
		c->cid = NULL;
		if (e->flags & F_OLD) {
			seg1(e->tdet ? e->tdet : e->proj, c->ns, sizeof(c->ns));
			c->ip = NULL;
		} else {
			seg1(e->proj, c->ns, sizeof(c->ns));
			c->proj = e->proj;
		}
		break;
	case AUTH:
		url_ns(e->path, c->ns, sizeof(c->ns));
		break;
	case APP:
		c->ip = NULL;
		c->event = NULL;
		break;
	case SHELL:
	case GITALY:
		seg1(e->proj, c->ns, sizeof(c->ns));
		c->proj = e->proj;
		break;
	case WH:
		url_ns(e->path, c->ns, sizeof(c->ns));
		c->user = NULL;
		break;
	case NGINX:
		url_ns(e->path, c->ns, sizeof(c->ns));
		c->event = e->method;
		c->cid = NULL;
		break;
	}
}

static int
in_scope(const struct gen *g, const struct canon *c, int64_t ms)
{
	if (!c->hasts || c->malformed || ms < g->since || ms >= g->until)
		return 0;
	if (strcasecmp(c->ns, "acme-corp") != 0)
		return 0;
	return (c->user && strcasecmp(c->user, "alice") == 0) ||
	    strcmp(c->uid, "alice") == 0;
}

/*
 * The owned account alice's own events: by her (the user, any case), or
 * about her (in her personal namespace, which is her name: the audit
 * events of the User have entity_path "alice"), wherever they happened.
 */
static int
in_account(const struct gen *g, const struct canon *c, int64_t ms)
{
	if (!c->hasts || c->malformed || ms < g->since || ms >= g->until)
		return 0;
	return (c->user && strcasecmp(c->user, "alice") == 0) ||
	    strcasecmp(c->ns, "alice") == 0;
}

static void
truth_line(struct gen *g, const struct member *m, int fam, const struct ev *e,
    const struct canon *c)
{
	struct buf *b = &g->tbuf;

	bputs(b, "{\"src\":");
	bjstr(b, m->src);
	bprintf(b, ",\"line\":%ld,\"family\":\"%s\",\"ts\":", m->line, famname[fam]);
	if (c->hasts)
		bqts(b, e->ms, famprec[fam]);
	else
		bputs(b, "null");
	bkey(b, "ns", c->ns[0] ? c->ns : NULL);
	bkey(b, "project", c->proj);
	bkey(b, "user", c->user);
	bkey(b, "user_id", c->uid[0] ? c->uid : NULL);
	bkey(b, "ip", c->ip);
	bkey(b, "event", c->event);
	bkey(b, "cid", c->cid);
	bprintf(b, ",\"malformed\":%s}\n", c->malformed ? "true" : "false");
	if (b->len > MIB) {
		if (fwrite(b->p, 1, b->len, g->truthf) != b->len)
			err(2, "truth.jsonl");
		b->len = 0;
	}
}

static void
add_answer(struct gen *g, const struct member *m, int fam, const struct ev *e,
    const struct canon *c, int sets, const char *line, size_t len)
{
	struct ans *a;
	int i;

	if (g->nans == g->capans) {
		g->capans = g->capans ? 2 * g->capans : 256;
		if ((g->ans = reallocarray(g->ans, g->capans, sizeof(*a))) == NULL)
			err(2, NULL);
	}
	a = &g->ans[g->nans++];
	if ((a->src = strdup(m->src)) == NULL ||
	    (a->event = strdup(c->event ? c->event : "")) == NULL)
		err(2, NULL);
	a->line = m->line;
	a->ms = e->ms;
	a->fam = fam;
	a->sets = sets;
	for (i = 0; i < g->nplanted; i++)
		if (!g->planted[i].found && memmem(line, len, g->planted[i].v,
		    strlen(g->planted[i].v)) != NULL)
			g->planted[i].found = 1;
}

/* Render one event into its file and account for the line. */
static void
emit(struct gen *g, struct member *m, int fam, struct ev *e, struct rng *r,
    const struct plant *p)
{
	struct canon c;
	size_t start = m->out.len;
	int in, acct;

	if (famprec[fam] == 0)
		e->ms -= e->ms % 1000;
	e->rv = next(r);
	render(&m->out, fam, e, m);
	if (e->flags & F_CUT)
		m->out.len = start + (m->out.len - start) * 7 / 10;
	if (m->crlf) {
		m->out.len--;
		bputs(&m->out, "\r\n");
	} else if (e->flags & F_CUT)
		bputc(&m->out, '\n');
	m->line++;
	canon(fam, e, &c);
	if (g->truth)
		truth_line(g, m, fam, e, &c);
	in = in_scope(g, &c, e->ms);
	acct = in_account(g, &c, e->ms);
	if (in || acct)
		add_answer(g, m, fam, e, &c, (in ? SET_TENANT : 0) |
		    (acct ? SET_ACCOUNT : 0), m->out.p + start, m->out.len - start);
	if (p && ((p->fl & F_IN && !in) || (p->fl & F_OUT && in)))
		errx(2, "internal: plant at day %d %s in %s is %s the tenant's "
		    "set", p->day, p->tod, m->src, in ? "in" : "not in");
	if (p && p->fl & F_ACCT && !acct)
		errx(2, "internal: plant at day %d %s in %s is not in the owned "
		    "account's set", p->day, p->tod, m->src);
}

/* Pick who does what where: a user or nobody, a project of some tenant. */
static const struct proj *
actor(struct gen *g, struct rng *r, struct ev *e, int anon)
{
	const struct user *u = NULL;
	const struct proj *p;
	int grp;

	if ((int)rn(r, 100) >= anon) {
		u = &users[rn(r, NELEM(users))];
		e->user = u->name;
		e->uid = u->id;
		if (u->id == 4711 && rn(r, 10) == 0)
			e->user = "Alice";
	}
	grp = u && rn(r, 100) < 85 ? u->grp : (int)rn(r, NELEM(groups));
	p = &g->projs[g->gfirst[grp] + (int)rn(r, (uint32_t)g->gcount[grp])];
	e->proj = p->alt && rn(r, 12) == 0 ? p->alt : p->path;
	e->pid = p->id;
	if (u && rn(r, 100) < 80)
		e->ip = u->ip;
	else {
		rand_ip(r, e->ipbuf, sizeof(e->ipbuf));
		e->ip = e->ipbuf;
	}
	e->ua = uas[rn(r, NELEM(uas))];
	return p;
}

/* A request of a web family: fills method, act, path; returns its kind. */
static int
request(struct rng *r, struct ev *e, const struct req *tab, size_t n, int api)
{
	const struct req *q = &tab[rn(r, (uint32_t)n)];
	char id[256];

	e->method = q->method;
	e->act = q->name;
	if (q->kind == 1) {
		seg1(e->proj, e->msgbuf, sizeof(e->msgbuf));
		e->proj = e->msgbuf;
		e->flags |= F_GROUP;
	} else if (q->kind == 2)
		e->proj = NULL;
	if (api && q->kind == 0 && rn(r, 10) < 3)
		snprintf(id, sizeof(id), "%d", e->pid);
	else if (api)
		urlenc(e->proj ? e->proj : "", id, sizeof(id));
	else
		snprintf(id, sizeof(id), "%s", e->proj ? e->proj : "");
	fill(e->pathbuf, sizeof(e->pathbuf), q->tpl, id, 1 + (int)rn(r, 400));
	e->path = e->pathbuf;
	if (rn(r, 20) == 0)
		e->status = rn(r, 2) ? 404 : 302;
	return q->kind;
}

static void
background(struct gen *g, struct rng *r, int fam, struct ev *e)
{
	const struct aev *a;
	const struct job *j;
	const struct proj *p;
	int kind;

	switch (fam) {
	case RAILS:
	case API:
	case WH:
	case NGINX:
		actor(g, r, e, fam == WH ? 100 : 25);
		if (fam == API || (fam != RAILS && rn(r, 3) == 0))
			kind = request(r, e, api_reqs, NELEM(api_reqs), 1);
		else
			kind = request(r, e, rails_reqs, NELEM(rails_reqs), 0);
		if (fam == WH)
			e->act = "access";
		if (fam == NGINX && !(e->user && strstr(e->path, ".git/")))
			e->user = NULL;
		if (fam == RAILS && kind == 2 && rn(r, 4) == 0)
			e->user = NULL;
		break;
	case AUDIT:
	case STREAM:
		p = actor(g, r, e, 0);
		a = &aevs[rn(r, NELEM(aevs))];
		e->act = a->name;
		if (a->ent == 1) {
			seg1(e->proj, e->msgbuf, sizeof(e->msgbuf));
			e->proj = e->msgbuf;
			e->pid = 9000 + p->grp;
			e->flags |= F_GROUP;
		} else if (a->ent == 2) {
			e->proj = e->user;
			e->pid = 0;
			e->flags |= F_UENT;
		}
		if (fam == AUDIT && a->change && rn(r, 4) == 0) {
			e->flags |= F_OLD;
			e->act = a->change;
			snprintf(e->xbuf, sizeof(e->xbuf),
			    ",\"from\":\"%s\",\"to\":\"%s\"", a->from, a->to);
			e->extra = e->xbuf;
		}
		e->id = g->nextid++;
		break;
	case AUTH:
		actor(g, r, e, 50);
		request(r, e, rails_reqs, NELEM(rails_reqs), 0);
		e->proj = NULL;
		e->act = rn(r, 3) ? "Rack_Attack:throttle" : rn(r, 2) ?
		    "Rack_Attack:track" : "Rack_Attack:blocklist";
		e->extra = e->user ? ",\"matched\":\"throttle_authenticated_web\"" :
		    ",\"matched\":\"throttle_unauthenticated_web\"";
		break;
	case APP:
		actor(g, r, e, 40);
		if (e->user && rn(r, 2)) {
			const struct user *u = user_by_name(e->user);

			snprintf(e->msgbuf, sizeof(e->msgbuf),
			    "User \"%s\" (%s@%s.example) was updated", e->user,
			    u->name, groups[u->grp]);
		} else
			snprintf(e->msgbuf, sizeof(e->msgbuf),
			    "Project \"%s\" was scheduled for housekeeping", e->proj);
		e->msg = e->msgbuf;
		if (rn(r, 2))
			e->user = NULL;
		break;
	case SIDEKIQ:
		actor(g, r, e, 30);
		j = &jobs[rn(r, NELEM(jobs))];
		e->act = j->cls;
		if (!j->proj)
			e->proj = NULL;
		if (rn(r, 2))
			e->flags |= F_EPOCH;
		break;
	case SHELL:
		actor(g, r, e, 0);
		e->act = rn(r, 5) ? "git-upload-pack" : rn(r, 3) ?
		    "git-receive-pack" : "git-upload-archive";
		break;
	case GITALY:
		actor(g, r, e, 30);
		e->act = rpcs[rn(r, NELEM(rpcs) - 1)][0];
		if (e->user == NULL)
			e->ip = NULL;
		if (rn(r, 30) == 0)
			e->flags |= F_OFFSET;
		break;
	}
}

/* The first millisecond of day d of the corpus. */
static int64_t
day_ms(const struct gen *g, int d)
{
	return g->start + d * DAY_MS;
}

static int64_t
plant_ms(const struct gen *g, const struct plant *p)
{
	int h = 0, mi = 0, s = 0, ms = 0;

	sscanf(p->tod, "%d:%d:%d.%d", &h, &mi, &s, &ms);
	return day_ms(g, g->sd + p->day) + ((h * 60 + mi) * 60 + s) * 1000LL + ms;
}

static void
from_plant(struct gen *g, const struct plant *p, struct ev *e, struct rng *r)
{
	const struct user *u;
	struct rng cr;

	memset(e, 0, offsetof(struct ev, cid));
	e->ms = g->pms[p - plants];
	e->flags = p->fl;
	e->proj = p->proj;
	/* The entity of an event of a User is the user: its id is hers. */
	e->pid = p->proj && !(p->fl & F_UENT) ? proj_id(g, p->proj) : 0;
	if ((e->user = p->user) != NULL && (u = user_by_name(p->user)) != NULL)
		e->uid = u->id;
	e->ip = p->ip;
	e->method = p->method;
	e->act = p->act;
	if (p->path) {
		subst(g, p->path, e->pathbuf, sizeof(e->pathbuf));
		e->path = e->pathbuf;
	}
	e->ua = p->ua ? p->ua : uas[0];
	e->tdet = p->tdet;
	e->msg = p->msg;
	if (p->params) {
		subst(g, p->params, e->xbuf, sizeof(e->xbuf));
		e->params = e->xbuf;
	}
	e->extra = p->extra && strcmp(p->extra, "@LONG@") == 0 ? g->longx.p : p->extra;
	e->status = p->status;
	e->id = p->id ? p->id : g->nextid++;
	if (p->cid) {
		reseed(&cr, g->seed, 0xc1d, (uint64_t)p->cid, 0);
		mkcid(&cr, e->cid);
	} else
		mkcid(r, e->cid);
}

/*
 * Benign look-alikes of the take-over, for the detection rules of ldhunt
 * (issue 17): what an account's own owner does that resembles an attack
 * step, and must raise at most a low-level finding.  Merged into the files
 * like the plants, in time order, by merge_lookalikes().
 */
static const struct plant lookalikes[] = {
	/* bob turns two-factor authentication off and on again, from home */
	{ 3, "10:00:00.000", WEB02, AUDIT, F_GROUP, "acme-corp", "bob", "198.51.100.41", NULL,
	  "user_disable_two_factor", .msg = "Disabled two-factor authentication" },
	{ 3, "10:04:30.000", WEB02, AUDIT, F_GROUP, "acme-corp", "bob", "198.51.100.41", NULL,
	  "user_enable_two_factor", .msg = "Enabled two-factor authentication" },
	/* carol creates a token as she does every quarter, and uses it */
	{ 4, "09:00:00.000", WEB01, AUDIT, F_GROUP, "acme-corporation", "carol", "2001:db8:1203::1", NULL,
	  "personal_access_token_created", .msg = "Created personal access token with id 77001 and scopes [\"read_repository\"]" },
	{ 4, "09:10:00.000", WEB01, AUDIT, 0, "acme-corporation/web", "carol", "2001:db8:1203::1", NULL,
	  "repository_download_operation", .msg = "Repository Download Started" },
	/* bob mistypes his password, then signs in from his usual address */
	{ 5, "08:00:00.000", WEB01, AUDIT, F_GROUP, "acme-corp", "bob", "198.51.100.41", NULL,
	  "login_failed_with_standard_authentication", .msg = "Failed to login with STANDARD authentication" },
	{ 5, "08:00:21.000", WEB01, AUDIT, F_GROUP, "acme-corp", "bob", "198.51.100.41", NULL,
	  "authenticated_with_password", .msg = "Signed in with STANDARD authentication" },
	/* alice cleans up after the incident, from home (after the window of
	 * the request, so that its answer key stays as it was) */
	{ 7, "09:00:00.000", WEB02, AUDIT, F_GROUP, "acme-corp", "alice", HOME, NULL,
	  "personal_access_token_revoked", .msg = "Revoked personal access token with id 88123" },
	{ 7, "09:05:00.000", WEB02, AUDIT, 0, "acme-corp/web", "alice", HOME, NULL,
	  "project_visibility_level_updated", .msg = "Changed visibility level from public to private" },
	{ 7, "09:06:00.000", WEB02, AUDIT, 0, "acme-corp/web", "alice", HOME, NULL,
	  "member_destroyed", .tdet = "eve", .msg = "Removed eve" },
	/* eve, an outsider, forks a public project into her own group */
	{ 3, "15:00:00.000", WEB01, AUDIT, 0, "globex/web", "eve", "203.0.113.66", NULL,
	  "project_fork_operation", .tdet = "evil-corp/web", .msg = "Forked project to evil-corp/web" },
};
#define NLOOK	((int)NELEM(lookalikes))

/*
 * Write the look-alikes of (day, host, fam) whose time is at most upto
 * into m (done[] marks those written).  Called by gen_member() before
 * each background line and at the end.
 */
static void
merge_lookalikes(struct gen *g, struct member *m, int day, int host, int fam,
    int64_t upto, struct rng *r)
{
	static int done[NLOOK];
	const struct plant *p;
	const struct user *u;
	struct ev ev, *e = &ev;

	for (int i = 0; i < NLOOK; i++) {
		p = &lookalikes[i];
		if (done[i] || p->host != host || p->fam != fam ||
		    g->sd + p->day != day || plant_ms(g, p) > upto)
			continue;
		done[i] = 1;
		memset(e, 0, offsetof(struct ev, cid));
		e->ms = plant_ms(g, p);
		e->flags = p->fl;
		e->proj = p->proj;
		e->pid = p->fl & F_GROUP ? 0 : proj_id(g, p->proj);
		e->user = p->user;
		if ((u = user_by_name(p->user)) != NULL)
			e->uid = u->id;
		e->ip = p->ip;
		e->act = p->act;
		e->ua = uas[0];
		e->tdet = p->tdet;
		e->msg = p->msg;
		e->id = g->nextid++;
		mkcid(r, e->cid);
		emit(g, m, fam, e, r, NULL);
	}
}

/*
 * Fill m with background lines of family fam up to target bytes, spread
 * over the day, and merge the plants of (day, host, fam) in time order.
 * The step between lines adapts to the bytes still wanted, so the file
 * reaches its budget before the day ends.
 */
static void
gen_member(struct gen *g, struct member *m, int day, int host, int fam,
    size_t target)
{
	struct rng r;
	struct ev ev, *e = &ev;
	int idx[NPLANTS], np = 0, pi = 0, i, k, t;
	int64_t now = day_ms(g, day), end = now + DAY_MS, step;
	size_t begin = m->out.len, lines = 0, want, avg;

	reseed(&r, g->seed, (uint64_t)day, (uint64_t)host + 1, (uint64_t)fam + 1);
	for (i = 0; i < NPLANTS; i++) {
		if (plants[i].host != host || plants[i].fam != fam ||
		    g->sd + plants[i].day != day)
			continue;
		for (k = np++; k > 0 && g->pms[idx[k - 1]] > g->pms[i]; k--)
			idx[k] = idx[k - 1];
		idx[k] = i;
	}
	while (m->out.len - begin < target) {
		want = target - (m->out.len - begin);
		avg = lines ? (m->out.len - begin) / lines : 400;
		step = (end - now) / (int64_t)(want / (avg ? avg : 1) + 2);
		now += step / 2 + (int64_t)rn(&r, (uint32_t)(step + 1));
		if (now >= end)
			now = end - 1;
		for (; pi < np && g->pms[idx[pi]] <= now; pi++) {
			t = idx[pi];
			from_plant(g, &plants[t], e, &r);
			emit(g, m, fam, e, &r, &plants[t]);
			g->emitted[t]++;
		}
		merge_lookalikes(g, m, day, host, fam, now, &r);
		memset(e, 0, offsetof(struct ev, cid));
		e->ms = now;
		mkcid(&r, e->cid);
		background(g, &r, fam, e);
		emit(g, m, fam, e, &r, NULL);
		lines++;
	}
	for (; pi < np; pi++) {
		t = idx[pi];
		from_plant(g, &plants[t], e, &r);
		emit(g, m, fam, e, &r, &plants[t]);
		g->emitted[t]++;
	}
	merge_lookalikes(g, m, day, host, fam, INT64_MAX, &r);
}

/* Workhorse lines with long random URIs that compress badly. */
static void
gen_filler(struct gen *g, struct member *m, int day)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	struct rng r;
	struct ev ev, *e = &ev;
	int64_t now = day_ms(g, day) + 3 * 3600000LL;
	char *p;
	int i;

	reseed(&r, g->seed, (uint64_t)day, 0xf111e7, 0);
	while (m->out.len < FILLER_BYTES) {
		memset(e, 0, offsetof(struct ev, cid));
		e->ms = now += rn(&r, 1500);
		mkcid(&r, e->cid);
		e->proj = g->projs[5 + rn(&r, (uint32_t)g->nprojs - 5)].path;
		p = e->pathbuf + snprintf(e->pathbuf, 128, "/%s/-/raw/", e->proj);
		for (i = 0; i < 900; i++)
			*p++ = b64[rn(&r, 64)];
		*p = '\0';
		e->path = e->pathbuf;
		e->method = "GET";
		e->act = "access";
		rand_ip(&r, e->ipbuf, sizeof(e->ipbuf));
		e->ip = e->ipbuf;
		e->ua = uas[rn(&r, NELEM(uas))];
		emit(g, m, WH, e, &r, NULL);
	}
}

static void
wfile(const struct gen *g, const char *rel, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g->outdir, rel);
	if ((f = fopen(path, "wb")) == NULL)
		err(2, "%s", path);
	if (fwrite(p, 1, n, f) != n || fclose(f) != 0)
		err(2, "%s", path);
}

static void
mkdirs(const char *path)
{
	char tmp[4096], *s;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (s = tmp + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
				err(2, "mkdir %s", tmp);
			if ((*s = c) == '\0')
				break;
		}
	}
}

/* zstd-compress in into g->zbuf, with a checksum so damage is detected. */
static void
zcompress(struct gen *g, const struct buf *in)
{
	size_t n;

	g->zbuf.len = 0;
	reserve(&g->zbuf, ZSTD_compressBound(in->len));
	n = ZSTD_compress2(g->zc, g->zbuf.p, g->zbuf.cap, in->p, in->len);
	if (ZSTD_isError(n))
		errx(2, "zstd: %s", ZSTD_getErrorName(n));
	g->zbuf.len = n;
}

static la_ssize_t
tar_write(struct archive *a, void *cd, const void *p, size_t n)
{
	bput(cd, p, n);
	return (la_ssize_t)n;
}

static void
la_check(struct archive *a, int rc, const char *what)
{
	if (rc < ARCHIVE_WARN)
		errx(2, "%s: %s", what, archive_error_string(a));
}

/*
 * Write the members named by fams to a ustar archive in g->tar, or, with
 * gz, the single member raw and gzip-compressed.  Metadata is fixed so the
 * bytes depend only on the contents.
 */
static void
pack(struct gen *g, unsigned fams, int gz, int64_t mtime)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ent;
	struct member *m;
	int f;

	g->tar.len = 0;
	if (a == NULL)
		errx(2, "archive_write_new failed");
	if (gz) {
		la_check(a, archive_write_set_format_raw(a), "raw");
		la_check(a, archive_write_add_filter_gzip(a), "gzip");
		la_check(a, archive_write_set_options(a, "gzip:!timestamp"), "gzip");
		la_check(a, archive_write_set_bytes_in_last_block(a, 1), "gzip");
	} else {
		la_check(a, archive_write_set_format_ustar(a), "ustar");
		la_check(a, archive_write_add_filter_none(a), "tar");
	}
	la_check(a, archive_write_open(a, &g->tar, NULL, tar_write, NULL), "open");
	for (f = 0; f < NFAM; f++) {
		if (!(fams & B(f)))
			continue;
		m = &g->mem[f];
		if ((ent = archive_entry_new()) == NULL)
			errx(2, "archive_entry_new failed");
		archive_entry_set_pathname(ent, fampath[f]);
		archive_entry_set_filetype(ent, AE_IFREG);
		archive_entry_set_perm(ent, 0644);
		archive_entry_set_size(ent, (la_int64_t)m->out.len);
		archive_entry_set_mtime(ent, mtime / 1000, 0);
		archive_entry_set_uid(ent, 998);
		archive_entry_set_gid(ent, 998);
		archive_entry_set_uname(ent, "git");
		archive_entry_set_gname(ent, "git");
		la_check(a, archive_write_header(a, ent), fampath[f]);
		if (m->out.len && archive_write_data(a, m->out.p, m->out.len) !=
		    (la_ssize_t)m->out.len)
			errx(2, "%s: %s", fampath[f], archive_error_string(a));
		archive_entry_free(ent);
	}
	la_check(a, archive_write_close(a), "close");
	archive_write_free(a);
}

static struct member *
member(struct gen *g, int f, const char *fmt, ...)
{
	struct member *m = &g->mem[f];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->src, sizeof(m->src), fmt, ap);
	va_end(ap);
	m->out.len = 0;
	m->line = 0;
	m->crlf = 0;
	m->tz = 0;
	return m;
}

static size_t
budget(const struct gen *g, int fam)
{
	return (size_t)(g->budget * (uint64_t)famweight[fam] / (uint64_t)g->wsum /
	    (uint64_t)g->days) + 1;
}

static void
gen_day(struct gen *g, int day)
{
	char date[16], rel[512];
	struct member *m;
	unsigned tarred;
	int h, f;
	int64_t mtime = day_ms(g, day + 1);

	datestr(date, sizeof(date), day_ms(g, day));
	snprintf(rel, sizeof(rel), "%s/archive/%s", g->outdir, date);
	mkdirs(rel);
	for (h = 0; h < WEB03; h++) {
		tarred = 0;
		for (f = 0; f < NFAM; f++) {
			if (!(hosts[h].fams & B(f)))
				continue;
			if (h == API01 && f == NGINX) {
				m = member(g, f, "archive/%s/%s-nginx-"
				    "gitlab_access.log.gz", date, hosts[h].name);
				m->tz = 60;
			} else if (h == GITALY01 && f == SHELL && day == g->sd + 1) {
				m = member(g, f, "archive/%s/%s-gitlab-shell.log", date,
				    hosts[h].name);
				m->crlf = 1;
			} else {
				m = member(g, f, "archive/%s/%s.tar.zst!%s", date,
				    hosts[h].name, fampath[f]);
				tarred |= B(f);
			}
			gen_member(g, m, day, h, f, budget(g, f));
			if (!(tarred & B(f))) {
				if (m->tz) {
					pack(g, B(f), 1, mtime);
					wfile(g, m->src, g->tar.p, g->tar.len);
				} else
					wfile(g, m->src, m->out.p, m->out.len);
			}
		}
		pack(g, tarred, 0, mtime);
		zcompress(g, &g->tar);
		snprintf(rel, sizeof(rel), "archive/%s/%s.tar.zst", date, hosts[h].name);
		wfile(g, rel, g->zbuf.p, g->zbuf.len);
	}
	if (day == g->sd + 3) {
		m = member(g, RAILS, "archive/%s/web-03.tar.zst!%s", date,
		    fampath[RAILS]);
		gen_member(g, m, day, WEB03, RAILS, 6000);
		m = member(g, WH, "archive/%s/web-03.tar.zst!%s", date, fampath[WH]);
		gen_filler(g, m, day);
		pack(g, B(RAILS) | B(WH), 0, mtime);
		zcompress(g, &g->tar);
		snprintf(rel, sizeof(rel), "archive/%s/web-03.tar.zst", date);
		wfile(g, rel, g->zbuf.p, g->zbuf.len * 6 / 10);
	}
	m = member(g, STREAM, "archive/%s/audit-events.jsonl.zst", date);
	gen_member(g, m, day, -1, STREAM, budget(g, STREAM));
	zcompress(g, &m->out);
	wfile(g, m->src, g->zbuf.p, g->zbuf.len);
}

static int
anscmp(const void *a, const void *b)
{
	const struct ans *x = a, *y = b;
	int c = strcmp(x->src, y->src);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
write_outputs(struct gen *g)
{
	struct buf b = { 0 };
	size_t i;
	int c, k, v;

	qsort(g->ans, g->nans, sizeof(*g->ans), anscmp);
	for (i = 0; i < g->nans; i++) {
		bputs(&b, "{\"src\":");
		bjstr(&b, g->ans[i].src);
		bprintf(&b, ",\"line\":%ld,\"ts\":", g->ans[i].line);
		bqts(&b, g->ans[i].ms, famprec[g->ans[i].fam]);
		bprintf(&b, ",\"family\":\"%s\"", famname[g->ans[i].fam]);
		bkey(&b, "event", g->ans[i].event[0] ? g->ans[i].event : NULL);
		bprintf(&b, ",\"tenant\":%s,\"account\":%s}\n",
		    g->ans[i].sets & SET_TENANT ? "true" : "false",
		    g->ans[i].sets & SET_ACCOUNT ? "true" : "false");
	}
	wfile(g, "answer-key.jsonl", b.p, b.len);

	b.len = 0;
	bputs(&b, "{\"case\":\"SIRT-4711\",\"tenant\":\"acme-corp\",\"profile\":\"sirt\","
	    "\"namespaces\":[\"acme-corp\"],\"users\":[\"alice\"],"
	    "\"accounts\":[\"alice\"],\"since\":");
	bqts(&b, g->since, 0);
	bputs(&b, ",\"until\":");
	bqts(&b, g->until, 0);
	bputs(&b, ",\"requested_at\":");
	bqts(&b, g->requested, 0);
	bputs(&b, "}\n");
	wfile(g, "request.json", b.p, b.len);

	b.len = 0;
	for (c = 0; c < (int)NELEM(pcats); c++) {
		bprintf(&b, "%s\"%s\":[", c ? "," : "{", pcats[c]);
		for (v = 0, k = 0; v < g->nplanted; v++) {
			if (g->planted[v].cat != c)
				continue;
			if (k++)
				bputc(&b, ',');
			bjstr(&b, g->planted[v].v);
		}
		bputc(&b, ']');
	}
	bputs(&b, "}\n");
	wfile(g, "planted.json", b.p, b.len);
	free(b.p);
}

static void
make_long(struct gen *g)
{
	static const char *const files[] = { "lib/gitlab/gitaly_client.rb",
	    "lib/gitlab/gitaly_client/blob_service.rb",
	    "app/models/repository.rb", "app/controllers/application_controller.rb",
	    "lib/gitlab/metrics/instrumentation.rb", "lib/api/helpers.rb" };
	struct buf *b = &g->longx;
	int i;

	bputs(b, ",\"exception.class\":\"GRPC::Unavailable\",\"exception.message\":"
	    "\"14:failed to connect to all addresses; last error: UNKNOWN: "
	    "ipv4:10.20.3.14:8075: Failed to connect to remote host "
	    "(gitaly-01.prd.gitlab.internal)\",\"exception.backtrace\":[");
	for (i = 0; b->len < 110 * 1024; i++)
		bprintf(b, "%s\"/opt/gitlab/embedded/service/gitlab-rails/%s:%d:in "
		    "'block (%d levels) in call'\"", i ? "," : "",
		    files[i % NELEM(files)], 10 + i * 7 % 900, 1 + i % 5);
	bputs(b, "]");
}

static void
plant_value(struct gen *g, int cat, const char *v)
{
	if (g->nplanted == (int)NELEM(g->planted))
		errx(2, "internal: too many planted values");
	g->planted[g->nplanted].cat = cat;
	g->planted[g->nplanted++].v = v;
}

static void
init(struct gen *g)
{
	static const char tokc[] =
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
	struct rng r;
	size_t gi, j, n;
	int i, h, f;
	char path[256];

	g->sd = g->days - 9;
	g->since = day_ms(g, g->sd) + 6 * 3600000LL;
	g->until = g->since + 7 * DAY_MS;
	g->requested = g->until;	/* "the last seven days", asked at until */
	g->nextid = 1000000;

	reseed(&r, g->seed, 0x5ec, 0, 0);
	memcpy(g->token, "glpat-", 6);
	for (i = 0; i < 20; i++)
		g->token[6 + i] = tokc[rn(&r, 64)];
	memcpy(g->aws, "AKIA", 4);
	for (i = 0; i < 16; i++)
		g->aws[4 + i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[rn(&r, 32)];

	for (gi = 0; gi < NELEM(groups); gi++)
		g->nprojs += gi == 0 ? 5 : 2 + (int)(gi % 4);
	if ((g->projs = calloc((size_t)g->nprojs, sizeof(*g->projs))) == NULL)
		err(2, NULL);
	for (gi = 0, i = 0; gi < NELEM(groups); gi++) {
		n = gi == 0 ? 5 : 2 + gi % 4;
		g->gfirst[gi] = i;
		g->gcount[gi] = (int)n;
		for (j = 0; j < n; j++, i++) {
			snprintf(path, sizeof(path), "%s/%s", groups[gi],
			    subs[(gi + j) % NELEM(subs)]);
			g->projs[i].path = strdup(path);
			g->projs[i].grp = (int)gi;
			g->projs[i].id = 100 + i * 17;
			if (gi == 0) {
				snprintf(path, sizeof(path), "%s/%s", j % 2 ?
				    "Acme-Corp" : "ACME-Corp", subs[j]);
				g->projs[i].alt = strdup(path);
				if (g->projs[i].alt == NULL)
					err(2, NULL);
			}
			if (g->projs[i].path == NULL)
				err(2, NULL);
		}
	}
	hashed_path(proj_id(g, "acme-corp/web"), g->hashed, sizeof(g->hashed));
	make_long(g);

	plant_value(g, P_SECRET, g->token);
	plant_value(g, P_SECRET, g->aws);
	plant_value(g, P_EMAIL, "alice@acme-corp.example");
	plant_value(g, P_EMAIL, "eve@evil-corp.example");
	plant_value(g, P_IP, HOME);
	plant_value(g, P_IP, NEWIP);
	plant_value(g, P_IP, ATK);
	plant_value(g, P_USER, "alice");
	plant_value(g, P_USER, "eve");
	plant_value(g, P_TENANT, "evil-corp");
	plant_value(g, P_INTERNAL, "gitaly-01.prd.gitlab.internal");
	plant_value(g, P_INTERNAL, "10.20.3.14");
	plant_value(g, P_INTERNAL, g->hashed);
	plant_value(g, P_INTERNAL, "/opt/gitlab/embedded/service/gitlab-rails");

	for (h = 0; h < WEB03; h++)
		for (f = 0; f < NFAM; f++)
			if (hosts[h].fams & B(f))
				g->wsum += famweight[f];
	g->wsum += famweight[STREAM];
	for (i = 0; i < NPLANTS; i++)
		g->pms[i] = plant_ms(g, &plants[i]);
	if ((g->zc = ZSTD_createCCtx()) == NULL)
		err(2, NULL);
	ZSTD_CCtx_setParameter(g->zc, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(g->zc, ZSTD_c_checksumFlag, 1);
}

static void
fini(struct gen *g)
{
	size_t i;
	int f;

	for (i = 0; i < g->nans; i++) {
		free(g->ans[i].src);
		free(g->ans[i].event);
	}
	free(g->ans);
	for (i = 0; i < (size_t)g->nprojs; i++) {
		free(g->projs[i].path);
		free(g->projs[i].alt);
	}
	free(g->projs);
	for (f = 0; f < NFAM; f++)
		free(g->mem[f].out.p);
	free(g->tbuf.p);
	free(g->tar.p);
	free(g->zbuf.p);
	free(g->longx.p);
	ZSTD_freeCCtx(g->zc);
}

static long long
number(const char *s, const char *what, long long lo, long long hi)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi) {
		warnx("%s must be a number from %lld to %lld: %s", what, lo, hi, s);
		usage();
	}
	return v;
}

#include "saas.h"

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "days", required_argument, NULL, 'd' },
		{ "start", required_argument, NULL, 'S' },
		{ "size", required_argument, NULL, 'z' },
		{ "truth", no_argument, NULL, 't' },
		{ "saas", no_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct gen g;
	char path[4096], *end;
	int ch, y, m, d, i, size = 6, saas = 0, days_set = 0;
	const char *start = "2026-11-08";

	memset(&g, 0, sizeof(g));
	g.seed = 1;
	g.days = 14;
	opterr = 0;	/* said below, in one line */
	while ((ch = getopt_long(argc, argv, ":s:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			errno = 0;
			g.seed = strtoull(optarg, &end, 0);
			if (*optarg == '\0' || *optarg == '-' || *end || errno) {
				warnx("bad seed: %s", optarg);
				usage();
			}
			break;
		case 'd':
			g.days = (int)number(optarg, "--days", 9, 366);
			days_set = 1;
			break;
		case 'A':
			saas = 1;
			break;
		case 'S':
			start = optarg;
			break;
		case 'z':
			size = (int)number(optarg, "--size", 1, 20000);
			break;
		case 't':
			g.truth = 1;
			break;
		case 'o':
			g.outdir = optarg;
			break;
		case 'h':
			fputs(USAGE "\n" HELP, stdout);
			return 0;
		case 'V':
			printf("ldgen %s\n", LD_VERSION);
			return 0;
		case ':':
			warnx("option '%s' needs an argument", argv[optind - 1]);
			usage();
		default:
			if (optopt && optopt < 256 && strncmp(argv[optind - 1],
			    "--", 2) != 0)
				warnx("unknown option '-%c'", optopt);
			else
				warnx("unknown option '%s'", argv[optind - 1]);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 0) {
		warnx("unexpected argument: %s", argv[0]);
		usage();
	}
	if (g.outdir == NULL || *g.outdir == '\0') {
		warnx("no output directory: give -o outdir");
		usage();
	}
	if (strlen(start) != 10 || sscanf(start, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
		warnx("bad --start date: %s", start);
		usage();
	}
	g.start = days_from_civil(y, m, d) * DAY_MS;
	datestr(path, sizeof(path), g.start);
	if (strcmp(path, start) != 0) {
		warnx("bad --start date: %s", start);
		usage();
	}
	if (saas)	/* the benchmark's month of a service: saas.h */
		return gen_saas(g.outdir, g.seed, days_set ? g.days : 31, g.start,
		    (uint64_t)size * MIB);
	g.budget = (uint64_t)size * MIB;
	g.budget = g.budget > 2 * FILLER_BYTES ? g.budget - FILLER_BYTES : g.budget / 2;

	init(&g);
	mkdirs(g.outdir);
	if (g.truth) {
		snprintf(path, sizeof(path), "%s/truth.jsonl", g.outdir);
		if ((g.truthf = fopen(path, "wb")) == NULL)
			err(2, "%s", path);
	}
	for (i = 0; i < g.days; i++)
		gen_day(&g, i);
	if (g.truth) {
		if (fwrite(g.tbuf.p, 1, g.tbuf.len, g.truthf) != g.tbuf.len ||
		    fclose(g.truthf) != 0)
			err(2, "truth.jsonl");
	}
	for (i = 0; i < NPLANTS; i++)
		if (g.emitted[i] != 1)
			errx(2, "internal: plant at day %d %s written %d times",
			    plants[i].day, plants[i].tod, g.emitted[i]);
	for (i = 0; i < g.nplanted; i++)
		if (!g.planted[i].found)
			errx(2, "internal: planted value %s is in no answer-key line",
			    g.planted[i].v);
	write_outputs(&g);
	fini(&g);
	return 0;
}
