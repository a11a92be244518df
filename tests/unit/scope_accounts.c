/* Unit tests of the owned accounts of lib/scope/scope.c: the OR of the
 * tenant's part and the accounts' own events, the pre-filter's literals
 * and the predicate --explain prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/ldtime.h"
#include "scope/scope.h"
#include "tap.h"

static struct ld_rec rec;

/* A record with these canonical fields (NULL: absent), at 2026-11-16. */
static const struct ld_rec *
mk(const char *ns, const char *project, const char *user, const char *uid,
    const char *event)
{
	const char *v[LD_F_N] = { 0 };

	memset(&rec, 0, sizeof(rec));
	v[LD_F_NS] = ns;
	v[LD_F_PROJECT] = project;
	v[LD_F_USER] = user;
	v[LD_F_USER_ID] = uid;
	v[LD_F_EVENT] = event;
	for (int f = 0; f < LD_F_N; f++) {
		rec.f[f] = v[f];
		rec.flen[f] = v[f] ? strlen(v[f]) : 0;
	}
	rec.has_ts = 1;
	rec.ts.ns = INT64_C(1795305600) * LD_NS_PER_SEC;
	return &rec;
}

static int
has_lit(const struct ld_scope *s, const char *want)
{
	char *const *l;
	size_t n = ld_scope_literals(s, &l);

	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], want) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	struct ld_scope s = { 0 };
	struct ld_err err;
	struct ld_buf b = { 0 };

	ok(ld_scope_add(&s, "namespaces", "acme-corp", &err) == 0 &&
	    ld_scope_add(&s, "users", "alice", &err) == 0, "tenant and user");
	ok(!ld_scope_match(&s, mk("alice", "alice", "alice", "4711",
	    "user_disable_two_factor")), "without accounts: no account-level event");
	ok(ld_scope_add(&s, "accounts", "Alice", &err) == 0, "an owned account");
	ok(ld_scope_match(&s, mk("alice", "alice", "alice", "4711",
	    "user_disable_two_factor")), "an event of the User alice");
	ok(ld_scope_match(&s, mk(NULL, NULL, "alice", NULL,
	    "SessionsController#create")), "a sign-in without a namespace");
	ok(ld_scope_match(&s, mk("evil-corp", "evil-corp/web", "ALICE", NULL,
	    "CreateFork")), "her action in another tenant");
	ok(ld_scope_match(&s, mk("alice", "alice/dotfiles", "mallory", NULL,
	    "ProjectsController#show")), "someone in her personal namespace");
	ok(ld_scope_match(&s, mk("alice", "alice", "root", "1",
	    "user_access_locked")), "an administrator acting on her");
	ok(!ld_scope_match(&s, mk("alice2", "alice2", "alice2", NULL,
	    "add_ssh_key")), "alice2 is another account");
	ok(!ld_scope_match(&s, mk("evil-corp", "evil-corp/web", "mallory", NULL,
	    "CreateFork")), "another tenant's own events are not hers");
	ok(!ld_scope_match(&s, mk("acme-corp", "acme-corp/web", "bob", NULL,
	    "ProjectsController#show")), "users still filter the tenant");
	ok(ld_scope_match(&s, mk("acme-corp", "acme-corp/web", "alice", NULL,
	    "ProjectsController#show")), "the tenant's part stays");
	ok(ld_scope_owned(&s, mk(NULL, NULL, NULL, "Alice", NULL)),
	    "an account matches a user id exactly");
	ok(!ld_scope_owned(&s, mk(NULL, NULL, NULL, "alice", NULL)),
	    "ids are compared exactly, not without case");

	ok(has_lit(&s, "alice") && has_lit(&s, "Alice"),
	    "the literals hold the users and the accounts");
	ok(ld_scope_add(&s, "events", "user_*", &err) == 0, "an event type");
	ok(!ld_scope_match(&s, mk(NULL, NULL, "alice", NULL,
	    "SessionsController#create")), "event types bind the accounts too");
	ok(ld_scope_match(&s, mk("alice", "alice", "alice", NULL,
	    "user_disable_two_factor")), "a matching event type passes");
	rec.has_ts = 0;
	ok(ld_scope_match(&s, &rec), "no window: no time needed");
	s.has_since = 1;
	s.since = 0;
	ok(!ld_scope_match(&s, &rec), "a window binds the accounts too");
	s.has_since = 0;
	ld_scope_free(&s);

	ok(ld_scope_add(&s, "accounts", "alice", &err) == 0, "accounts alone");
	ok(!ld_scope_match(&s, mk("acme-corp", "acme-corp/web", "bob", NULL,
	    "x")), "with accounts alone only the accounts' events");
	ok(has_lit(&s, "alice") && !has_lit(&s, "acme-corp"),
	    "accounts alone: their names are the literals");
	ok(ld_scope_add(&s, "namespaces", "acme-corp", &err) == 0 &&
	    has_lit(&s, "acme-corp") && has_lit(&s, "alice"),
	    "a namespace added later joins the literals");
	ok(ld_scope_match(&s, mk("acme-corp", "acme-corp/web", "bob", NULL,
	    "x")), "the tenant's events are in with a namespace");
	ok(ld_scope_add(&s, "own_accounts", "carol", &err) == 0 &&
	    s.accounts.n == 2, "own_accounts is the same list");
	ok(ld_scope_add(&s, "accounts", "acme-corp/web", &err) < 0 &&
	    strstr(err.msg, "not a path"), "an account is not a path: %s", err.msg);
	ok(!ld_scope_empty(&s), "accounts constrain");
	ld_scope_explain(&s, &b);
	ok(b.p && strstr(b.p, "or  about: ns or project within alice or carol\n") &&
	    strstr(b.p, "the tenant's events:\n          ns or project within "
	    "acme-corp\n"), "explain says both parts");
	ld_buf_free(&b);
	ld_scope_free(&s);
	ok(s.accounts.n == 0 && s.lits.n == 0, "free empties the lists");
	return tap_done();
}
