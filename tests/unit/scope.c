/* Unit tests of lib/scope/scope.c: segment matching, users, IPs, windows and
 * profile bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/ldtime.h"
#include "scope/scope.h"
#include "tap.h"

static struct ld_rec rec;

static void
set(enum ld_field f, const char *v)
{
	rec.f[f] = v;
	rec.flen[f] = v ? strlen(v) : 0;
}

static int
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

int
main(void)
{
	struct ld_scope s = { 0 };
	struct ld_cidr c;
	struct ld_err err;
	char path[] = "/tmp/ld-scope-XXXXXX";
	int fd;

	ok(ld_ns_covers("acme-corp", "acme-corp", 9), "same namespace");
	ok(ld_ns_covers("acme-corp", "ACME-Corp/web", 13), "case-insensitive, sub path");
	ok(!ld_ns_covers("acme-corp", "acme-corporation", 16), "never a prefix of a segment");
	ok(!ld_ns_covers("acme-corp/web", "acme-corp", 9), "subgroup does not cover parent");
	ok(ld_ns_covers("acme-corp/sub", "acme-corp/sub/proj", 18), "subgroup covers its projects");

	ok(ld_cidr_parse("10.0.0.0/8", &c) == 0 && c.family == 4 && c.bits == 8, "v4 cidr");
	ok(ld_cidr_contains(&c, "10.1.2.3", 8), "10.1.2.3 in 10/8");
	ok(!ld_cidr_contains(&c, "11.1.2.3", 8), "11.1.2.3 not in 10/8");
	ok(ld_cidr_contains(&c, "::ffff:10.9.9.9", 15), "v4-mapped v6 counts as v4");
	ok(ld_cidr_contains(&c, "10.0.0.1:443", 12), "port stripped");
	ok(ld_cidr_parse("2001:db8::/32", &c) == 0 && c.family == 6, "v6 cidr");
	ok(ld_cidr_contains(&c, "[2001:db8::1]:443", 17), "bracketed v6 with port");
	ok(ld_cidr_contains(&c, "2001:DB8:0:0::7", 15), "v6 other spelling");
	ok(!ld_cidr_contains(&c, "2001:db9::1", 11), "v6 outside");
	ok(ld_cidr_parse("fe80::1%eth0", &c) == 0 && c.bits == 128, "zone id accepted");
	ok(ld_cidr_parse("10.0.0.0/33", &c) < 0, "bad prefix length refused");
	ok(ld_cidr_parse("alice", &c) < 0, "not an address refused");

	/* Matching a record. */
	ld_scope_add(&s, "namespaces", "acme-corp/", &err);
	ld_scope_add(&s, "users", "Alice", &err);
	s.has_since = s.has_until = 1;
	s.since = 100;
	s.until = 200;
	rec.has_ts = 1;
	rec.ts.ns = 100;
	set(LD_F_NS, "acme-corp");
	set(LD_F_USER, "alice");
	ok(ld_scope_match(&s, &rec), "in scope at since");
	rec.ts.ns = 200;
	ok(!ld_scope_match(&s, &rec), "not at until (half-open)");
	rec.ts.ns = 150;
	rec.has_ts = 0;
	ok(!ld_scope_match(&s, &rec), "no time: not in a window");
	rec.has_ts = 1;
	set(LD_F_USER, "alice2");
	ok(!ld_scope_match(&s, &rec), "alice2 is not alice");
	set(LD_F_USER, NULL);
	set(LD_F_USER_ID, "Alice");
	ok(ld_scope_match(&s, &rec), "user by id");
	set(LD_F_USER_ID, NULL);
	set(LD_F_USER, "ALICE");
	set(LD_F_NS, NULL);
	set(LD_F_PROJECT, "Acme-Corp/web");
	ok(ld_scope_match(&s, &rec), "namespace from the project path");
	set(LD_F_PROJECT, "acme-corporation/web");
	ok(!ld_scope_match(&s, &rec), "acme-corporation is another tenant");
	ld_scope_add(&s, "events", "personal_access_token_*", &err);
	set(LD_F_PROJECT, "acme-corp/web");
	set(LD_F_EVENT, "personal_access_token_created");
	ok(ld_scope_match(&s, &rec), "event glob");
	set(LD_F_EVENT, "user_logged_in");
	ok(!ld_scope_match(&s, &rec), "event glob excludes");
	ok(ld_scope_add(&s, "ips", "300.1.1.1", &err) < 0 &&
	    strstr(err.msg, "300.1.1.1") != NULL, "bad ip named: %s", err.msg);
	ld_scope_free(&s);

	/* Request files and profiles. */
	if ((fd = mkstemp(path)) < 0)
		return 1;
	write_file(path, "{\"case\":\"SIRT-1\",\"profile\":\"support\","
	    "\"namespaces\":[\"acme-corp\"],\"users\":[\"alice\"],"
	    "\"since\":\"2026-11-14T00:00:00Z\",\"until\":\"2026-11-21T00:00:00Z\","
	    "\"requested_at\":\"2026-11-22T09:00:00Z\"}");
	ok(ld_scope_load(&s, path, &err) == 0, "load a request");
	is_str(s.case_id, "SIRT-1", "case id");
	ok(ld_scope_validate(&s, &err) == 0, "7 days within support bounds");
	s.since -= INT64_C(86400) * LD_NS_PER_SEC;
	ok(ld_scope_validate(&s, &err) < 0 && strstr(err.msg, "at most 7 days")
	    && strstr(err.msg, "8.0 days"),
	    "8 days refused for support: %s", err.msg);
	free(s.profile);
	s.profile = ld_xstrdup("sirt");
	ok(ld_scope_validate(&s, &err) == 0, "8 days fine for sirt");
	s.since -= INT64_C(30) * 86400 * LD_NS_PER_SEC;
	ok(ld_scope_validate(&s, &err) < 0 && strstr(err.msg, "31 days"),
	    "38 days refused for sirt: %s", err.msg);
	s.since += INT64_C(30) * 86400 * LD_NS_PER_SEC;
	s.until = s.requested_at + 1;
	ok(ld_scope_validate(&s, &err) < 0 && strstr(err.msg, "after requested_at"),
	    "no window past the request: %s", err.msg);
	s.has_requested = 0;
	ok(ld_scope_validate(&s, &err) < 0 && strstr(err.msg, "requested_at"),
	    "a profile needs requested_at");
	ld_scope_free(&s);

	write_file(path, "{\"namespace\":[\"acme-corp\"]}");
	ok(ld_scope_load(&s, path, &err) < 0 && strstr(err.msg, "unknown field"),
	    "a typo in a key is refused: %s", err.msg);
	ld_scope_free(&s);
	write_file(path, "{\"users\":\"alice\"}");
	ok(ld_scope_load(&s, path, &err) < 0 && strstr(err.msg, "array"),
	    "a list must be an array");
	ld_scope_free(&s);
	write_file(path, "{\"since\":\"last week\"}");
	ok(ld_scope_load(&s, path, &err) < 0 && strstr(err.msg, "since"),
	    "a bad time is refused: %s", err.msg);
	ld_scope_free(&s);
	write_file(path, "{\"users\":[\"a\"],");
	ok(ld_scope_load(&s, path, &err) < 0 && strstr(err.msg, path),
	    "broken JSON names the file: %s", err.msg);
	ld_scope_free(&s);
	unlink(path);
	return tap_done();
}
