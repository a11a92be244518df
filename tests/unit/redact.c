/*
 * redact.c — unit tests of the redactor: detectors, views, pseudonyms.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact/redact.h"
#include "redact/redact_impl.h"
#include "tap.h"

static struct ld_redact *rd;

/* Redact s as free text; the result is static until the next call. */
static const char *
red(const char *s)
{
	const char *r;
	size_t n;
	static char buf[4096];

	if (ld_redact_text(rd, s, strlen(s), &r, &n) < 0)
		return "(limit)";
	snprintf(buf, sizeof(buf), "%.*s", (int)n, r);
	return buf;
}

/*
 * rd_ip_norm() reads dotted quads itself: it must take exactly what
 * inet_pton() takes, and give them back as they are (and the leading
 * zeros and short forms of inet_aton(), normalised).  Strings of digits
 * and dots, made from a seed, with leading zeros, numbers past 255, empty
 * and extra parts.
 */
/* Is s four parts of one to three digits, at most 255, with a leading
 * zero somewhere, and norm the same without the zeros? */
static int
zeros_form(const char *s, const char *norm)
{
	char want[64];
	unsigned v[4];
	int n = 0, zero = 0;
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		int d = 0;

		v[i] = 0;
		if (i > 0 && *p++ != '.')
			return 0;
		zero |= p[0] == '0' && p[1] >= '0' && p[1] <= '9';
		while (*p >= '0' && *p <= '9' && d < 4) {
			v[i] = v[i] * 10 + (unsigned)(*p++ - '0');
			d++;
		}
		if (d == 0 || d > 3 || v[i] > 255)
			return 0;
	}
	if (*p != '\0' || !zero)
		return 0;
	n = snprintf(want, sizeof(want), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
	return n > 0 && strcmp(want, norm) == 0;
}

/* Is norm what inet_aton(3) reads s as, s of two or three parts (10.1,
 * 192.168.257: a browser's host)? */
static int
short_form(const char *s, const char *norm)
{
	struct in_addr a;
	int dots = 0;

	for (const char *p = s; *p; p++)
		dots += *p == '.';
	return dots < 3 && s[0] != '\0' && s[strlen(s) - 1] != '.' &&
	    inet_aton(s, &a) == 1 && strcmp(inet_ntoa(a), norm) == 0;
}

static void
test_quads(void)
{
	static const char *const parts[] = { "0", "1", "9", "10", "99", "100",
	    "199", "249", "250", "255", "256", "299", "300", "999", "1000", "00",
	    "01", "010", "001", "", "4294967295" };
	const size_t np = sizeof(parts) / sizeof(parts[0]);
	unsigned seed = 11, agree = 0, valid = 0, total = 0;
	struct ld_buf b = { 0 };

	for (int r = 0; r < 20000; r++) {
		char s[64];
		unsigned char a[4];
		int k = 0, nparts, want, got;

		seed = seed * 1103515245u + 12345u;
		nparts = 2 + (int)((seed >> 16) % 4);	/* 2 to 5 parts */
		for (int i = 0; i < nparts; i++) {
			seed = seed * 1103515245u + 12345u;
			k += snprintf(s + k, sizeof(s) - (size_t)k, "%s%s",
			    i ? "." : "", parts[(seed >> 16) % np]);
		}
		want = inet_pton(AF_INET, s, a) == 1;
		ld_buf_reset(&b);
		got = rd_ip_norm(s, strlen(s), &b) == 0;
		total++;
		valid += want;
		if (got == want && (!got || strcmp(b.p, s) == 0))
			agree++;
		else if (got && !want && zeros_form(s, b.p))
			agree++;	/* leading zeros, taken on purpose */
		else if (got && !want && short_form(s, b.p))
			agree++;	/* inet_aton's short forms, on purpose */
	}
	ok(agree == total && valid > 100, "dotted quads: rd_ip_norm takes what "
	    "inet_pton takes, leading zeros and inet_aton's forms of two or "
	    "three parts (%u of %u agree, %u valid)",
	    agree, total, valid);
	ld_buf_reset(&b);
	ok(rd_ip_norm("10.1.2.3%eth0", 13, &b) == 0 && strcmp(b.p, "10.1.2.3") == 0,
	    "a zone id is not part of the address");
	ld_buf_free(&b);
}

/*
 * The event walk reads names and values from the parser's index where it
 * has them: with or without it, the same output.  Two redactors see the
 * same lines in the same order (what one learns, the other does), one
 * with the index of each line, one without.
 */
static void
test_indexed(const struct ld_policy *p, const struct ld_redact_conf *conf)
{
	static const char *const lines[] = {
		"{\"method\":\"GET\",\"path\":\"/globex/x/-/tree\",\"status\":200,"
		    "\"duration_s\":0.05,\"remote_ip\":\"10.1.2.3\",\"ok\":true,"
		    "\"none\":null,\"neg\":-7,\"username\":\"alice\"}",
		/* escaped names are not indexed; escaped values are decoded */
		"{\"na\\u006de\":\"bob\",\"msg\":\"token \\\"glpat-AbCdEfGhIjKlMnOpQrSt\\\"\","
		    "\"meta.user\":\"carol\"}",
		/* nested objects, arrays of objects, a removed object */
		"{\"params\":[{\"key\":\"password\",\"value\":\"hunter2\"},"
		    "{\"key\":\"q\",\"value\":\"alice@example.com\"}],"
		    "\"meta\":{\"user\":\"dave\",\"inner\":{\"pid\":3,\"x\":\"y\"}},"
		    "\"host\":{\"a\":1,\"b\":{\"c\":2}},\"after\":\"dave again\"}",
		/* JSON inside a string, spaces around everything */
		"{ \"message\" : \"{\\\"password\\\":\\\"x\\\",\\\"ip\\\":\\\"1.2.3.4\\\"}\" ,"
		    " \"n\" : [ 1 , 2.5 , \"erin\" ] , \"last\" : { } }",
		/* a member twice, an empty name, an empty string */
		"{\"user\":\"frank\",\"user\":\"grace\",\"\":\"\",\"e\":\"\"}",
	};
	struct ld_err err;
	struct ld_redact *r0 = ld_redact_new(p, conf, &err);
	struct ld_redact *r1 = ld_redact_new(p, conf, &err);
	struct ld_jidx *x = malloc(sizeof(*x));
	struct ld_buf o0 = { 0 }, o1 = { 0 };
	int same = 0, indexed = 0;
	size_t nl = sizeof(lines) / sizeof(lines[0]);

	for (size_t i = 0; i < nl; i++) {
		const char *l = lines[i];
		size_t n = strlen(l);
		int rc0, rc1;

		ld_buf_reset(&o0);
		ld_buf_reset(&o1);
		indexed += ld_jidx_build(x, l, n);
		rc0 = rd_json(r0, l, n, &o0, 0, NULL);
		rc1 = rd_json(r1, l, n, &o1, 0, x);
		if (rc0 == 0 && rc1 == 0 && o0.len == o1.len &&
		    memcmp(o0.p, o1.p, o0.len) == 0)
			same++;
		else
			printf("# line %zu: %d %d\n#  %s\n#  %s\n", i, rc0, rc1,
			    o0.p ? o0.p : "", o1.p ? o1.p : "");
	}
	ok(same == (int)nl && indexed == (int)nl - 1, "the event walk: the same "
	    "with the parser's index as without (%d of %zu, %d indexed)", same,
	    nl, indexed);
	ld_buf_free(&o0);
	ld_buf_free(&o1);
	free(x);
	ld_redact_free(r0);
	ld_redact_free(r1);
}

/*
 * ld_redact_reset() makes a redactor what ld_redact_new() made: after
 * names, tenants and pseudonyms are learned and counted, a reset one
 * redacts the next texts to the same bytes as a new one, and reports the
 * same counts.
 */
static void
test_reset(const struct ld_policy *p, const struct ld_redact_conf *conf)
{
	static const char *const teach[] = {
		"see https://h.example/evil-corp/x/-/issues",
		"mail from alice@example.com at 10.1.2.3",
		"token glpat-AbCdEfGhIjKlMnOpQrSt for evil-corp",
	};
	static const char *const probe[] = {
		"later: evil-corp and alice again",
		"10.1.2.3 asked https://h.example/initech/y/-/tree",
		"initech, alice, evil-corp",
	};
	struct ld_err err;
	struct ld_redact *r0 = ld_redact_new(p, conf, &err);
	struct ld_redact *r1 = ld_redact_new(p, conf, &err);
	const char *t0, *t1;
	size_t n0, n1;
	int same = 0, forgot;
	json_t *j0, *j1;

	for (size_t i = 0; i < sizeof(teach) / sizeof(teach[0]); i++)
		ld_redact_text(r1, teach[i], strlen(teach[i]), &t1, &n1);
	ld_redact_text(r1, probe[0], strlen(probe[0]), &t1, &n1);
	ok(memmem(t1, n1, "evil-corp", 9) == NULL && memmem(t1, n1, "alice", 5)
	    == NULL, "before the reset, learned names are found in text");
	ld_redact_reset(r1);
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		int rc0 = ld_redact_text(r0, probe[i], strlen(probe[i]), &t0, &n0);
		char *c0 = strndup(t0, n0);
		int rc1 = ld_redact_text(r1, probe[i], strlen(probe[i]), &t1, &n1);

		if (rc0 == rc1 && n0 == n1 && memcmp(c0, t1, n1) == 0)
			same++;
		else
			printf("#  new:   %s\n#  reset: %.*s\n", c0, (int)n1, t1);
		free(c0);
	}
	ld_redact_text(r1, probe[0], strlen(probe[0]), &t1, &n1);
	forgot = memmem(t1, n1, "evil-corp", 9) != NULL;
	ok(same == (int)(sizeof(probe) / sizeof(probe[0])) && forgot,
	    "after a reset, texts redacted as by a new redactor (%d same), "
	    "learned names forgotten", same);
	ld_redact_text(r0, probe[0], strlen(probe[0]), &t0, &n0);
	j0 = ld_redact_report(r0);
	j1 = ld_redact_report(r1);
	ok(json_equal(j0, j1), "after a reset, the report counts as a new one's");
	json_decref(j0);
	json_decref(j1);
	ld_redact_free(r0);
	ld_redact_free(r1);
}

/*
 * The tenant checks of a value make each check once, and remember where
 * each search stopped (redact_text.c): in a value of many paths, each
 * with a "//", a "/./", a query and an scp remote, written many times,
 * every other tenant's name is replaced wherever it is, and every path
 * of the tenant's is kept.
 */
static void
test_many_paths(const struct ld_policy *p, const struct ld_redact_conf *conf)
{
	static const char *const names[] = { "ns", "sub", "qs", "scp" };
	struct ld_err err;
	struct ld_redact *r = ld_redact_new(p, conf, &err);
	struct ld_buf in = { 0 };
	const char *t, *c;
	size_t n;
	int left = 0, kept = 0;
	char name[32];

	for (int i = 0; i < 300; i++)
		ld_buf_addf(&in, "https://h.example/acme-corp/web//ns%d/p/./"
		    "sub%d/q?from=/qs%d/r git@h.example:scp%d/x.git ", i, i, i,
		    i);
	ld_redact_text(r, in.p, in.len, &t, &n);
	for (int i = 0; i < 300; i++)
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			snprintf(name, sizeof(name), "%s%d/", names[k], i);
			left += memmem(t, n, name, strlen(name)) != NULL;
		}
	for (c = t; (c = memmem(c, n - (size_t)(c - t), "/acme-corp/web//",
	    16)) != NULL; c++)
		kept++;
	ok(left == 0 && kept == 300, "a value of 300 paths: no other tenant "
	    "left (%d), the tenant's paths kept (%d)", left, kept);
	ld_buf_free(&in);
	ld_redact_free(r);
}

int
main(void)
{
	static const unsigned char key[] = "unit-test-key-0123456789-abcdefghijklmnop";
	char *tenants[] = { "acme-corp" };
	struct ld_redact_conf conf = { 0 };
	struct ld_policy *p;
	struct ld_err err;
	char a[64], b[64];

	p = ld_policy_load("support", &err);
	ok(p != NULL, "the support profile loads");
	ok(ld_policy_needs_key(p) && ld_policy_needs_tenant(p),
	    "support needs a key and a tenant");
	ok(ld_redact_new(p, &conf, &err) == NULL && strstr(err.msg, "key"),
	    "no redactor without a key");
	conf.key = key;
	conf.keylen = sizeof(key) - 1;
	conf.tenants = tenants;
	conf.ntenants = 1;
	rd = ld_redact_new(p, &conf, &err);
	ok(rd != NULL, "a redactor with key and tenant");
	test_quads();
	test_indexed(p, &conf);
	test_reset(p, &conf);
	test_many_paths(p, &conf);

	snprintf(a, sizeof(a), "%s", ld_redact_pseudonym(rd, "ip", "1.2.3.4", 7));
	snprintf(b, sizeof(b), "%s", ld_redact_pseudonym(rd, "ip", "::ffff:1.2.3.4", 14));
	is_str(a, b, "v4-mapped v6 is the same address");
	snprintf(b, sizeof(b), "%s", ld_redact_pseudonym(rd, "user", "1.2.3.4", 7));
	ok(strcmp(a, b) != 0, "the kind is part of the pseudonym");
	snprintf(a, sizeof(a), "%s", ld_redact_pseudonym(rd, "user", "Alice", 5));
	snprintf(b, sizeof(b), "%s", ld_redact_pseudonym(rd, "user", "alice", 5));
	is_str(a, b, "user names compare without case");
	ok(strlen(a) == 5 + 12, "user-<12 hex>: %s", a);

	is_str(red("nothing here"), "nothing here", "plain text is left alone");
	ok(strstr(red("x glpat-AbCdEfGhIjKlMnOpQrSt y"), "glpat") == NULL,
	    "a GitLab token is masked");
	ok(strstr(red("a%2540b.example.org"), "example") == NULL,
	    "a twice percent-encoded email is found");
	is_str(red("x@[REDACTED:secret.param]"), "x@[REDACTED:secret.param]",
	    "mask text is not an email");
	ok(strstr(red("Api::V4::Projects at 12:30:45"), "ip-") == NULL,
	    "Ruby names and times are not addresses");
	ok(strstr(red("[2001:db8::1]:443"), "[ip-") != NULL &&
	    strstr(red("[2001:db8::1]:443"), "]:443") != NULL,
	    "a bracketed v6 keeps its brackets and port");
	ok(strstr(red("see https://h.example/evil-corp/x/-/issues"), "evil") == NULL,
	    "another tenant in a URL is pseudonymised");
	ok(strstr(red("see https://h.example/acme-corp/x/-/issues"), "acme-corp/x")
	    != NULL, "the tenant's own paths are kept");
	ok(strstr(red("later: evil-corp again"), "evil-corp") == NULL,
	    "a learned other tenant is found again in text");

	/* Detectors run only where their trigger is: each must still find
	 * its values at the edges of what the trigger allows. */
	ok(strstr(red("k=AKIAIOSFODNN7EXAMPLE"), "AKIA") == NULL,
	    "an AWS key id is masked");
	ok(strstr(red("password = \"hunter22\""), "hunter22") == NULL,
	    "name = value with spaces and quotes");
	ok(strstr(red("Authorization: Bearer abcdefgh12345678"), "abcdefgh") == NULL,
	    "an Authorization header");
	ok(strstr(red("curl -H bearer abcdefgh12345678"), "abcdefgh") == NULL,
	    "a bare bearer credential");
	ok(strstr(red("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.sig"), "eyJ") == NULL,
	    "a JWT");
	ok(strstr(red("via db-1.prd.Internal:5432"), "db-1") == NULL,
	    "an internal host name, any case");
	ok(strstr(red("www.example.com is public"), "www.example.com") != NULL,
	    "a public host name stays");
	ok(strstr(red("a@b.io"), "a@b.io") == NULL, "the shortest email");
	ok(strstr(red("x.y+z@sub.example.org,"), "example") == NULL &&
	    strstr(red("x.y+z@sub.example.org,"), ",") != NULL,
	    "an email with dots and plus, and the comma after it");
	ok(strstr(red("ipv4:10.20.3.14:8075"), "10.20") == NULL,
	    "an address after a colon");
	ok(strstr(red("dead:beef::cafe"), "dead") == NULL,
	    "a v6 address without a digit");
	ok(strstr(red("2026-11-16T02:13:12.250Z"), "ip-") == NULL,
	    "a time is not an address");
	ok(strstr(red("version 1.2.3.4.5"), "ip-") == NULL,
	    "five numbers are not an address");

	ld_redact_free(rd);
	ld_policy_free(p);

	/* Learned names: whole words, without case, also before a dot, with
	 * spaces, and names known from the request. */
	{
		char *users[] = { "bob.smith", "John Doe", "-odd-", "zed" };

		p = ld_policy_load("support", &err);
		conf.users = users;
		conf.nusers = 4;
		rd = ld_redact_new(p, &conf, &err);
		ok(strstr(red("by Bob.Smith."), "Smith") == NULL &&
		    strstr(red("by Bob.Smith."), "user-") != NULL,
		    "a request's user before a full stop");
		ok(strstr(red("bob.smithers"), "bob.smithers") != NULL,
		    "not inside a longer name");
		ok(strstr(red("from john doe today"), "john") == NULL,
		    "a name with a space");
		ok(strstr(red("john does"), "john does") != NULL,
		    "not when the word goes on");
		ok(strstr(red("a -odd- one"), "-odd-") == NULL,
		    "a name that starts with a dash");
		ok(strstr(red("zed, Zed and ZED"), "ed") == NULL, "every case");
		ok(strstr(red("zedd xzed zed_x"), "zedd xzed zed_x") != NULL,
		    "never part of a word");
		ld_redact_free(rd);
		ld_policy_free(p);
	}

	p = ld_policy_load_text("{\"name\":\"x\",\"rules\":[]", 21, "inline", &err);
	ok(p == NULL && strstr(err.msg, "inline"), "bad JSON: %s", p ? "" : err.msg);
	{
		const char *t = "{\"name\":\"x\",\"rules\":[{\"name\":\"a\","
		    "\"keys\":[\"a\"],\"action\":\"remove\"},{\"name\":\"a\","
		    "\"keys\":[\"b\"],\"action\":\"remove\"}]}";

		p = ld_policy_load_text(t, strlen(t), "inline", &err);
	}
	ok(p == NULL && strstr(err.msg, "two rules named a"), "duplicate rule names");
	ld_policy_free(p);
	return tap_done();
}
