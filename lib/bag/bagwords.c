/*
 * bagwords.c — the words of the reviewers' page: what kind an event is
 * (account security, data access, other), GitLab's event names, log
 * families, profiles, redaction rules and reasons in plain language, and
 * which audit event GitLab writes for an act seen in application logs.
 * Tables only; bagsummary.c writes the page with them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bag/bagint.h"

const char *const bag_kind_title[K_N] = {
	"Findings of the detection rules",
	"Account security events",
	"Data access",
	"Everything else",
};

const char *const bag_kind_what[K_N] = {
	"events a detection rule (ldhunt) marked, with the rule's title",
	"sign-ins, failed sign-ins, two-factor, password and e-mail changes, "
	    "access tokens and keys",
	"clones and fetches of repositories, downloads, archives, exports, "
	    "files read, forks",
	"other activity in the scope of the request",
};

/* ------------------------------------------------------------ kinds */

/* has - does the event name contain any of the words (case ignored)? */
static int
has(const char *ev, const char *const *words)
{
	for (; *words; words++)
		if (strcasestr(ev, *words) != NULL)
			return 1;
	return 0;
}

/*
 * kind_of - the kind of an event, from its name (GitLab's audit event
 * names, controller#action, API routes, Git commands, worker classes).
 * Account-level security first: a token used to download is about the
 * account.
 */
enum bag_kind
bag_kind_of(const char *ev)
{
	static const char *const account[] = { "login", "logged_in",
	    "signed_in", "sign_in", "signin", "authenticated", "two_factor",
	    "2fa", "otp", "webauthn", "password", "email", "access_token",
	    "ssh_key", "gpg_key", "deploy_key", "impersonat", "sessions",
	    "user_blocked", "user_unblocked", "user_created", "locked", NULL };
	static const char *const data[] = { "upload_pack", "upload-pack",
	    "uploadpack", "upload-archive", "getarchive", "archive",
	    "download", "export", "raw", "blob", "clone", "fork",
	    "git_operation", "repository/files", "repository/tree", "tree",
	    "info_refs", "commits", NULL };

	if (ev == NULL)
		return K_OTHER;
	if (has(ev, account))
		return K_ACCOUNT;
	if (has(ev, data))
		return K_DATA;
	return K_OTHER;
}

/* Audit events GitLab writes, in words a reader can take in. */
static const struct { const char *name, *words; } says[] = {
	{ "user_logged_in", "signed in" },
	{ "authenticated_with_password", "signed in with a password" },
	{ "user_signed_in_from_unseen_ip", "signed in from an address not "
	    "seen before" },
	{ "login_failed_with_standard_authentication", "failed to sign in "
	    "(wrong password)" },
	{ "login_failed_with_otp_authentication", "failed to sign in "
	    "(wrong two-factor code)" },
	{ "user_enable_two_factor", "turned two-factor authentication on" },
	{ "user_disable_two_factor", "turned two-factor authentication off" },
	{ "personal_access_token_created", "created a personal access token" },
	{ "personal_access_token_revoked", "revoked a personal access token" },
	{ "add_ssh_key", "added an SSH key" },
	{ "remove_ssh_key", "removed an SSH key" },
	{ "user_email_address_updated", "changed the account's e-mail "
	    "address" },
	{ "user_password_updated", "changed the password" },
	{ "repository_git_operation", "read a repository over Git" },
	{ "repository_download_operation", "downloaded a repository archive" },
	{ "project_fork_operation", "forked a project" },
	{ "project_export_created", "exported a project" },
	{ "project_visibility_level_updated", "changed a project's "
	    "visibility" },
	{ "visibility", "changed a project's visibility" },
	{ "member_created", "added a member" },
	{ "ci_variable_created", "created a CI/CD variable" },
	{ "Repositories::GitHttpController#git_upload_pack", "cloned or "
	    "fetched a repository over HTTPS" },
	{ "git-upload-pack", "cloned or fetched a repository over SSH" },
	{ "git-upload-archive", "downloaded an archive over SSH" },
	{ "Projects::RawController#show", "read a file (raw)" },
	{ "Projects::BlobController#show", "viewed a file" },
	{ "/api/:version/projects/:id/repository/archive", "downloaded a "
	    "repository archive through the API" },
	{ "/api/:version/projects/:id/fork", "forked a project through the "
	    "API" },
	{ "ProjectExportWorker", "ran a project export" },
	{ "RepositoryForkWorker", "ran a fork of a repository" },
};

const char *
bag_words_of(const char *ev)
{
	size_t i;

	for (i = 0; ev && i < sizeof(says) / sizeof(says[0]); i++)
		if (strcmp(ev, says[i].name) == 0)
			return says[i].words;
	return NULL;
}

/* Log families, for "where it was seen" and the audit gap. */
const char *
bag_family_of(const char *fmt)
{
	static const struct { const char *pre, *words; } fam[] = {
		{ "gitlab.audit", "audit log" },
		{ "gitlab.rails", "web application log" },
		{ "gitlab.api", "API log" },
		{ "gitlab.auth", "authentication log" },
		{ "gitlab.application", "application log" },
		{ "gitlab.sidekiq", "background job log" },
		{ "gitlab.gitaly", "Git storage log (Gitaly)" },
		{ "gitlab.shell", "Git over SSH log" },
		{ "gitlab.workhorse", "Workhorse log" },
		{ "nginx", "web server log" },
		{ "syslog", "system log" },
	};
	size_t i;

	for (i = 0; fmt && i < sizeof(fam) / sizeof(fam[0]); i++)
		if (strncmp(fmt, fam[i].pre, strlen(fam[i].pre)) == 0)
			return fam[i].words;
	return "other log";
}

int
bag_is_audit(const char *fmt)
{
	return fmt && strncmp(fmt, "gitlab.audit", 12) == 0;
}

/* The profiles of ld-scope(5) and ld-policy(5), in words. */
const char *
bag_profile_words(const char *p)
{
	if (p == NULL)
		return NULL;
	if (strcmp(p, "sirt") == 0)
		return "an incident response (SIRT) request: it may reach up "
		    "to 31 days back";
	if (strcmp(p, "support") == 0)
		return "a support request: at most 7 days back, for the "
		    "tenant named, and no personal data may leave (names, "
		    "ids, e-mail and IP addresses become pseudonyms)";
	if (strcmp(p, "customer") == 0)
		return "a customer's request about its own accounts: their "
		    "data is kept, every other account and tenant is "
		    "pseudonymised";
	if (strcmp(p, "legal") == 0)
		return "a legal request: secrets and other tenants are "
		    "removed, the rest is kept for review";
	return NULL;
}

/* Rules of the built-in policies, in words; others by their name. */
const char *
bag_rule_words(const char *name)
{
	static const struct { const char *pre, *words; } w[] = {
		{ "secret.private-key", "private keys (PEM blocks)" },
		{ "secret.gitlab-token", "GitLab access tokens" },
		{ "secret.cloud-token", "cloud and chat service keys (AWS, "
		    "GitHub, Slack...)" },
		{ "secret.url-userinfo", "passwords written inside web "
		    "addresses" },
		{ "secret.authorization", "authorization headers" },
		{ "secret.param", "secret values of request parameters" },
		{ "secret.key-name", "values of fields named like secrets" },
		{ "internal.detail", "internal details (stack traces and the "
		    "like)" },
		{ "internal.path", "paths of GitLab's storage" },
		{ "internal.host", "names of GitLab's own machines" },
		{ "pii.email", "e-mail addresses" },
		{ "pii.ip", "IP addresses" },
		{ "pii.user-id", "user ids" },
		{ "pii.user", "user names" },
		{ "tenant.reference", "names of other customers (tenants)" },
	};
	size_t i;

	for (i = 0; name && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(name, w[i].pre) == 0)
			return w[i].words;
	return NULL;
}

const char *
bag_action_words(const char *a)
{
	if (a == NULL)
		return "changed";
	if (strcmp(a, "mask") == 0)
		return "masked (replaced by a mark)";
	if (strcmp(a, "pseudonym") == 0)
		return "replaced by a pseudonym (the same value always gets "
		    "the same one in this case)";
	if (strcmp(a, "remove") == 0)
		return "removed";
	if (strcmp(a, "drop") == 0)
		return "the whole record dropped";
	return a;
}

const char *
bag_drop_words(const char *why)
{
	static const struct { const char *k, *words; } w[] = {
		{ "malformed", "no log format could read the line" },
		{ "utf8", "the line was not valid text (UTF-8)" },
		{ "no-tenant", "the line names no tenant, so it could not be "
		    "shown to belong to this one" },
		{ "other-tenant", "the line belongs to another customer" },
		{ "match-limit", "a pattern took too long on the line" },
		{ "rule", "a rule of the policy drops such lines" },
	};
	size_t i;

	for (i = 0; why && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(why, w[i].k) == 0)
			return w[i].words;
	return why;
}

/* Application-log events and the audit event GitLab writes for the same
 * act: an event seen only in application logs, with no such audit event
 * in the bag, is one the customer's own audit log cannot show. */
static const struct { const char *app, *audit; } counterpart[] = {
	{ "Repositories::GitHttpController#git_upload_pack",
	    "repository_git_operation" },
	{ "git-upload-pack", "repository_git_operation" },
	{ "git-upload-archive", "repository_download_operation" },
	{ "/api/:version/projects/:id/repository/archive",
	    "repository_download_operation" },
	{ "Projects::RepositoriesController#archive",
	    "repository_download_operation" },
	{ "/api/:version/projects/:id/fork", "project_fork_operation" },
	{ "RepositoryForkWorker", "project_fork_operation" },
	{ "ProjectExportWorker", "project_export_created" },
	{ "Projects::RawController#show", NULL },
	{ "Projects::BlobController#show", NULL },
	{ "/api/:version/projects/:id/repository/files/:file_path/raw", NULL },
	{ "/api/:version/projects/:id/repository/tree", NULL },
};


/* bag_counterpart - 1 when ev is an application-log act whose audit event
 * is known (*audit gets it, or NULL when GitLab writes none), else 0. */
int
bag_counterpart(const char *ev, const char **audit)
{
	size_t i;

	for (i = 0; i < sizeof(counterpart) / sizeof(counterpart[0]); i++)
		if (strcmp(counterpart[i].app, ev) == 0) {
			*audit = counterpart[i].audit;
			return 1;
		}
	return 0;
}
