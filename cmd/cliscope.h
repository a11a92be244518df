/*
 * cliscope.h — the scope flags shared by ldgrep, ldredact and ldsh: one
 * table of options, one handler, one place that loads the request file
 * and checks it against its profile.
 */
#ifndef LD_CLISCOPE_H
#define LD_CLISCOPE_H

#include "cli.h"
#include "scope/scope.h"

/* Option keys (>= 256 so that tools keep their short letters free). */
enum {
	OPT_SCOPE = 0x6000, OPT_NS, OPT_PROJECT, OPT_USER, OPT_EVENT, OPT_IP,
	OPT_CID, OPT_SINCE, OPT_UNTIL, OPT_PROFILE, OPT_ACCOUNT
};

#define CLI_SCOPE_OPTS \
	{ "scope", OPT_SCOPE, "FILE", "read the request (ld-scope(5)) from FILE" }, \
	{ "ns", OPT_NS, "PATH", "namespace (tenant) path, by whole segments" }, \
	{ "project", OPT_PROJECT, "PATH", "full project path" }, \
	{ "user", OPT_USER, "NAME|ID", "user name (any case) or user id" }, \
	{ "account", OPT_ACCOUNT, "NAME", "an owned account: its own events wherever they happened (repeatable)" }, \
	{ "event", OPT_EVENT, "GLOB", "event type, a glob like 'personal_access_token_*'" }, \
	{ "ip", OPT_IP, "ADDR[/BITS]", "client address or CIDR block, IPv4 or IPv6" }, \
	{ "cid", OPT_CID, "ID", "correlation id" }, \
	{ "since", OPT_SINCE, "TIME", "from TIME on: RFC 3339, a date, or 7d, 36h" }, \
	{ "until", OPT_UNTIL, "TIME", "before TIME (the window is half-open)" }, \
	{ "profile", OPT_PROFILE, "NAME", "bound the request: support (7 days) or sirt (31)" }

/*
 * Handle one scope option: returns 1 when key was one (dies with status 2
 * on a bad value), 0 otherwise.  Times relative to now ("7d") are resolved
 * in cli_scope_finish(), against requested_at when the request has one.
 */
int cli_scope_opt(struct ld_scope *s, int key, const char *arg);

/* After all options: resolve relative times and validate against the
 * profile; dies with status 2 and the reason when the request is refused. */
void cli_scope_finish(struct ld_scope *s);

#endif
