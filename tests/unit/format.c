/* Unit tests of lib/format/format.c and lib/format/jsonx.c: field mapping per format,
 * detection, ld-records read back, invalid UTF-8, what RFC 8259 accepts and
 * jansson alone refuses, file globs. */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/format.h"
#include "format/jsonx.h"
#include "tap.h"

static struct ld_formats *fs;
static struct ld_parser *p;
static struct ld_rec r;

static int
parse(const char *src, const char *line)
{
	return ld_parse_line(p, ld_formats_for_source(fs, src), src, 7, line,
	    strlen(line), &r);
}

static const char *
fv(enum ld_field f)
{
	return r.f[f] ? r.f[f] : "(none)";
}

/*
 * The identity of the definitions (ld_formats_id(), made on first use):
 * the shipped files read from $LD_FORMATS are the built-in texts, skipped
 * unparsed, and give the built-in identity; --tz-assume changes it, and
 * setting it back gives the first one again.
 */
/*
 * What RFC 8259 accepts and jansson alone refuses (issue 16): read by
 * ld_json_loadb() and so by the parser, with the repairs it says.
 */
static void
test_hostile(void)
{
	static const char lone[] = "{\"meta.user\":\"alice\",\"m\":\"a\\udc80b\"}";
	static const char nulkey[] = "{\"meta.user\":\"alice\",\"k\\u0000\":1}";
	static const char big[] = "{\"meta.user\":\"alice\",\"meta.user_id\":"
	    "123456789012345678901234567890,\"n\":-1e999,\"i\":-9223372036854775808}";
	static const char esc[] = "{\"meta.user\":\"bob\",\"meta.\\u0075ser\":\"alice\"}";
	static const char bom[] = "\xef\xbb\xbf{\"time\":\"2026-11-16T02:13:12Z\","
	    "\"meta.user\":\"alice\"}";
	int rep = 0;
	json_t *j;
	const char *vs;
	size_t vn;

	j = ld_json_loadb(lone, strlen(lone), 0, &rep, NULL);
	is_str(j ? json_string_value(json_object_get(j, "m")) : "", "a\xef\xbf\xbd" "b",
	    "a lone surrogate reads as U+FFFD");
	ok(rep == 1, "and is a repair");
	json_decref(j);
	rep = 0;
	j = ld_json_loadb(nulkey, strlen(nulkey), 0, &rep, NULL);
	ok(j && json_object_get(j, "k\xef\xbf\xbd") != NULL && rep == 1,
	    "NUL in a key reads as U+FFFD, a repair");
	json_decref(j);
	rep = 0;
	j = ld_json_loadb(big, strlen(big), 0, &rep, NULL);
	is_str(j ? json_string_value(json_object_get(j, "meta.user_id")) : "",
	    "123456789012345678901234567890", "an integer past int64 is its text");
	is_str(j ? json_string_value(json_object_get(j, "n")) : "", "-1e999",
	    "a real past double is its text");
	ok(j && json_integer_value(json_object_get(j, "i")) == INT64_MIN &&
	    rep == 0, "int64's bound is an integer, no repair");
	json_decref(j);
	ok(ld_json_loadb("{\"a\":1,}", 8, 0, NULL, NULL) == NULL &&
	    ld_json_loadb("{\"a\":NaN}", 9, 0, NULL, NULL) == NULL &&
	    ld_json_loadb("{\"a\":\"\\x\"}", 10, 0, NULL, NULL) == NULL,
	    "what the grammar refuses is refused");
	ok(ld_json_raw_member(esc, strlen(esc), "meta.user", &vs, &vn) == 1 &&
	    vn == 7 && memcmp(vs, "\"alice\"", 7) == 0,
	    "an escaped key is the key it spells, the last one wins");

	ok(parse("x.log", big) == LD_PARSE_BADTIME, "the parser reads big numbers");
	is_str(fv(LD_F_USER_ID), "123456789012345678901234567890",
	    "the user id is its digits");
	ok(parse("x.log", lone) == LD_PARSE_BADTIME && r.utf8_repaired &&
	    r.evrawlen == strlen(lone) && memcmp(r.evraw, lone, r.evrawlen) == 0,
	    "a lone surrogate: read, repaired, the event kept as written");
	ok(parse("x.log", esc) == LD_PARSE_BADTIME, "escaped keys are read");
	is_str(fv(LD_F_USER), "alice", "the last of a duplicate key wins");
	ok(ld_parse_line(p, NULL, "x.log", 1, bom, strlen(bom), &r) ==
	    LD_PARSE_OK && r.evrawlen == strlen(bom) - 3, "a BOM on line 1 is skipped");
	ok(ld_parse_line(p, NULL, "x.log", 2, bom, strlen(bom), &r) ==
	    LD_PARSE_MALFORMED, "and makes another line malformed");
}

/* "{"time":...,"meta.user":"alice","x":" o^d inner c^d "}", o and c
 * one of "[" "]" or "{\"k\":" "}" by turns (mixed), malloc'ed. */
static char *
deep_line(size_t d, int kind, const char *inner)
{
	static const char head[] = "{\"time\":\"2026-11-16T02:13:12Z\","
	    "\"meta.user\":\"alice\",\"x\":";
	struct ld_buf b = { 0 };

	ld_buf_adds(&b, head);
	for (size_t i = 0; i < d; i++)
		ld_buf_adds(&b, kind == 0 || (kind == 2 && i % 2 == 0) ?
		    "[" : "{\"k\":");
	ld_buf_adds(&b, inner);
	for (size_t i = d; i-- > 0;)
		ld_buf_addc(&b, kind == 0 || (kind == 2 && i % 2 == 0) ? ']' : '}');
	ld_buf_adds(&b, "}");
	return ld_buf_detach(&b);
}

/*
 * Nesting past jansson's bound is JSON all the same (issue 16): the deep
 * part is checked by the grammar and read as LD_JSON_CUT_TEXT, the rest
 * as it is, the event kept as written.
 */
static void
test_deep(void)
{
	static const size_t depth[] = { 2048, 2049, 5000, 100000 };
	char *line, msg[128];
	json_t *j, *v;
	int rep, cut, d;

	/* 2046 arrays in the object, a scalar in them: the deepest jansson
	 * reads, untouched */
	line = deep_line(2046, 0, "1");
	rep = 0;
	j = ld_json_loadb(line, strlen(line), 0, &rep, NULL);
	ok(j != NULL && rep == 0, "2048 values deep: read as it is");
	json_decref(j);
	free(line);
	for (size_t i = 0; i < sizeof(depth) / sizeof(depth[0]); i++)
		for (int kind = 0; kind < 3; kind++) {
			line = deep_line(depth[i], kind, "\"deepest\"");
			rep = 0;
			j = ld_json_loadb(line, strlen(line), 0, &rep, NULL);
			/* down to the placeholder: 2047 values deep in all */
			v = json_object_get(j, "x");
			for (d = 2; v != NULL && !json_is_string(v); d++)
				v = json_is_array(v) ? json_array_get(v, 0) :
				    json_object_get(v, "k");
			snprintf(msg, sizeof(msg), "%zu deep, kind %d: cut at "
			    "2047, marked", depth[i], kind);
			ok(j != NULL && rep == LD_JSON_CUT && d == 2048 &&
			    strcmp(json_string_value(v), LD_JSON_CUT_TEXT) == 0,
			    msg);
			json_decref(j);
			snprintf(msg, sizeof(msg), "%zu deep, kind %d: parsed, "
			    "user read, event as written", depth[i], kind);
			cut = parse("x.log", line) == LD_PARSE_OK;
			ok(cut && r.nest_cut && !r.utf8_repaired &&
			    strcmp(fv(LD_F_USER), "alice") == 0 &&
			    r.evrawlen == strlen(line) &&
			    memcmp(r.evraw, line, r.evrawlen) == 0, msg);
			free(line);
		}
	/* The deep part is checked: an error there refuses the line. */
	{
		static const char *bad[] = { "[1,]", "{\"a\" 1}", "NaN", "01",
		    "\"\\x\"", "[1}", "\"a\x01\"", "tru", "[1 2]", "{\"a\":1,}",
		    "{1:2}", ",1" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			line = deep_line(3000, (int)i % 3, bad[i]);
			snprintf(msg, sizeof(msg), "deep %s: refused", bad[i]);
			ok(ld_json_loadb(line, strlen(line), 0, NULL, NULL) ==
			    NULL && parse("x.log", line) == LD_PARSE_MALFORMED,
			    msg);
			free(line);
		}
		line = deep_line(3000, 0, "1");
		line[strlen(line) - 2] = ' ';	/* one bracket short */
		ok(ld_json_loadb(line, strlen(line), 0, NULL, NULL) == NULL,
		    "deep, a bracket short: refused");
		free(line);
	}
	/* A repair and a cut: both said. */
	line = deep_line(2100, 2, "\"\\udc80\"");
	rep = 0;
	j = ld_json_loadb(line, strlen(line), 0, &rep, NULL);
	ok(j != NULL && rep == (LD_JSON_CUT | LD_JSON_UTF8),
	    "a lone surrogate in the cut part: cut and repaired");
	json_decref(j);
	free(line);
}

static void
test_identity(void)
{
	const char *dir = getenv("LD_FORMATS");
	const char *dirs[] = { dir, NULL };
	struct ld_formats *a, *b;
	struct ld_err err;
	char id[65];

	a = ld_formats_load(NULL, NULL, &err);
	if (!ok(a != NULL, "built-in formats load again"))
		return;
	snprintf(id, sizeof(id), "%s", ld_formats_id(a));
	ok(strlen(id) == 64 && strspn(id, "0123456789abcdef") == 64,
	    "the identity is 64 hex digits");
	is_str(ld_formats_id(a), id, "and the same when asked again");
	ld_formats_set_tz_assume(a, 3600);
	ok(strcmp(ld_formats_id(a), id) != 0, "--tz-assume changes it");
	ld_formats_set_tz_assume(a, LD_TIME_NOZONE);
	is_str(ld_formats_id(a), id, "and it is back without");
	if (dir == NULL || *dir == '\0') {
		ok(1, "# SKIP no LD_FORMATS");
		ld_formats_free(a);
		return;
	}
	b = ld_formats_load(dirs, NULL, &err);
	if (ok(b != NULL, "the shipped files load over the built-in ones")) {
		size_t n = 0;

		while (ld_formats_get(b, n) != NULL)
			n++;
		ok(ld_formats_get(a, n - 1) != NULL && ld_formats_get(a, n) ==
		    NULL, "to as many formats");
		is_str(ld_formats_id(b), id, "with the built-in identity");
		struct ld_parser *pb = ld_parser_new(b, 2026);
		struct ld_rec rb = { 0 };
		static const char sys[] = "203.0.113.7 - - [16/May/2024:14:53:09 "
		    "+0000] \"GET /acme-corp/web HTTP/1.1\" 200 612 \"-\" "
		    "\"curl/8.5.0\"";

		ok(ld_parse_line(pb, NULL, "x", 1, sys, strlen(sys), &rb) ==
		    LD_PARSE_OK && rb.fmt != NULL &&
		    ld_format_is_text(rb.fmt), "a text format of the set "
		    "(its pattern compiled on this first line) parses a line");
		ok(ld_parse_line(pb, NULL, "x", 2, sys, strlen(sys), &rb) ==
		    LD_PARSE_OK, "and the next one");
		ld_rec_free(&rb);
		ld_parser_free(pb);
	}
	ld_formats_free(b);
	ld_formats_free(a);
}

/*
 * The file globs of a format pick it as fnmatch(3) without flags would:
 * a format of one glob, tried first, is the one for a name exactly when
 * fnmatch() matches them (ld_formats_for_source() matches globs of stars
 * and literals by their parts, the others with fnmatch()).
 */
static void
test_globs(void)
{
	static const char *const globs[] = { "*production.log*",
	    "*nginx*access*", "exact.log", "pre*", "*suf", "a*b*c", "a*a",
	    "**", "*", "x**y", "*[0-9].log", "?.log", "*\\*", "ab*ab*ab" };
	static const char *const names[] = { "production.log",
	    "var/log/gitlab/gitlab-rails/production.log.1.gz",
	    "a.tar!var/log/nginx/gitlab_access.log", "nginx-error.log",
	    "access-nginx", "exact.log", "exact.log2", "xexact.log", "prefix",
	    "pr", "ends-with-suf", "suffix", "abc", "aXbYc", "acb", "a", "aa",
	    "", "xy", "x/y", "y", "app1.log", "app.log", "1.log", ".log",
	    "a*b", "ababab", "abab", "abXabYab", NULL };
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	int bad = 0, n = 0;

	snprintf(path, sizeof(path), "%s/ldformat-unit.XXXXXX",
	    tmp && *tmp ? tmp : P_tmpdir);
	for (size_t i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		const char *files[] = { path, NULL };
		struct ld_formats *g;
		struct ld_err err;
		FILE *fp;
		int fd;

		if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
			ok(0, "a temporary format file");
			return;
		}
		fprintf(fp, "{\"name\": \"globtest\", \"type\": \"json\", "
		    "\"priority\": 1000, \"files\": [\"");
		for (const char *c = globs[i]; *c; c++)
			fprintf(fp, *c == '\\' ? "\\\\" : "%c", *c);
		fprintf(fp, "\"], \"detect\": {\"keys\": [\"zz\"]}, "
		    "\"time\": {\"fields\": [\"time\"], \"parse\": \"auto\"}, "
		    "\"fields\": {}}\n");
		fclose(fp);
		g = ld_formats_load(NULL, files, &err);
		unlink(path);
		snprintf(path, sizeof(path), "%s/ldformat-unit.XXXXXX",
		    tmp && *tmp ? tmp : P_tmpdir);
		if (!ok(g != NULL, "a format of the glob %s loads", globs[i]))
			continue;
		for (size_t k = 0; names[k]; k++) {
			const struct ld_format *f = ld_formats_for_source(g, names[k]);
			int want = fnmatch(globs[i], names[k], 0) == 0;
			int got = f != NULL &&
			    strcmp(ld_format_name(f), "globtest") == 0;

			n++;
			if (want != got && bad++ < 5)
				printf("# glob %s, name %s: %d, fnmatch says %d\n",
				    globs[i], names[k], got, want);
		}
		ld_formats_free(g);
	}
	ok(bad == 0, "file globs pick formats as fnmatch(3) does (%d pairs)", n);
}


/* ld_jflat_scan(): what is flat, and how it is read. */
static void
test_jflat(void)
{
	static struct ld_jflat f;
	char big[4096];
	size_t at;
	const char *l1 = "{\"a\":\"x y\",\"bb\":12,\"c\":-0,\"d\":1.5,\"e\":true,"
	    "\"f\":null,\"g\":\"\"}";

	ok(ld_jflat_scan(l1, strlen(l1), &f, NULL) == 1 && f.n == 7 &&
	    f.kn[1] == 2 && memcmp(f.k[1], "bb", 2) == 0 &&
	    f.vn[0] == 5 && memcmp(f.v[0], "\"x y\"", 5) == 0 &&
	    f.type[0] == 's' && f.type[1] == 'i' && f.type[2] == 'r' &&
	    f.type[3] == 'r' && f.type[4] == 't' && f.type[5] == 'n' &&
	    f.type[6] == 's', "flat: members, values as written, types");
	ok(ld_jflat_scan("{}", 2, &f, NULL) == 1 && f.n == 0, "flat: {}");
	ok(ld_jflat_scan(" { \"a\" : 1 , \"b\":\"c\" } ",
	    strlen(" { \"a\" : 1 , \"b\":\"c\" } "), &f, NULL) == 1 &&
	    f.n == 2 && f.vn[0] == 1 && f.type[1] == 's',
	    "flat: spaces between tokens");
	ok(!ld_jflat_scan("{\"a\":\"x\\\"y\"}", 12, &f, NULL), "not flat: escape");
	ok(!ld_jflat_scan("{\"a\":{\"b\":1}}", 13, &f, NULL), "not flat: object");
	ok(!ld_jflat_scan("{\"a\":[1]}", 9, &f, NULL), "not flat: array");
	ok(!ld_jflat_scan("{\"a\":\"\xc3\xa9\"}", 10, &f, NULL), "not flat: non-ASCII");
	ok(!ld_jflat_scan("{\"a\":\"x\ty\"}", 11, &f, NULL), "not flat: control byte");
	ok(!ld_jflat_scan("{\"a\":\"x\"}\t", 10, &f, NULL), "not flat: a tab after it");
	ok(!ld_jflat_scan("{\"a\":01}", 8, &f, NULL), "not JSON: a leading zero");
	ok(!ld_jflat_scan("{\"a\":1e3}", 9, &f, NULL), "not flat: an exponent");
	ok(!ld_jflat_scan("{\"a\":1234567890123456789}", 25, &f, NULL),
	    "not flat: 19 digits");
	ok(!ld_jflat_scan("{\"a\":1,}", 8, &f, NULL), "not JSON: a trailing comma");
	ok(!ld_jflat_scan("{\"a\":1}x", 8, &f, NULL), "not JSON: a byte after");
	ok(!ld_jflat_scan("{\"a\":1", 6, &f, NULL), "not JSON: cut");
	ok(!ld_jflat_scan("{\"a\" 1}", 7, &f, NULL), "not JSON: no colon");
	ok(!ld_jflat_scan("{\"a\":tru}", 9, &f, NULL), "not JSON: a bad word");
	at = (size_t)snprintf(big, sizeof(big), "{\"k\":0");
	for (int i = 1; i <= LD_JFLAT_MAX; i++)
		at += (size_t)snprintf(big + at, sizeof(big) - at, ",\"k%d\":%d",
		    i, i);
	big[at++] = '}';
	ok(!ld_jflat_scan(big, at, &f, NULL), "not flat: more than %d members",
	    LD_JFLAT_MAX);
}

int
main(void)
{
	struct ld_err err;
	struct ld_buf out = { 0 };
	const char *vs;
	size_t vn;
	json_t *j;

	fs = ld_formats_load(NULL, NULL, &err);
	if (!ok(fs != NULL, "built-in formats load"))
		return tap_done();
	p = ld_parser_new(fs, 2026);
	test_jflat();

	j = json_loads("{\"meta.user\":\"a\",\"details\":{\"author_name\":\"b\","
	    "\"x.y\":{\"z\":1}}}", 0, NULL);
	is_str(json_string_value(ld_json_path(j, "meta.user")), "a", "dotted key");
	is_str(json_string_value(ld_json_path(j, "details.author_name")), "b",
	    "nested path");
	ok(json_integer_value(ld_json_path(j, "details.x.y.z")) == 1,
	    "nested key containing a dot");
	ok(ld_json_path(j, "details.nope") == NULL, "absent path");
	json_decref(j);

	ok(ld_json_raw_member("{\"a\":{\"b\":\"}\"},\"t\": 1.50 }", 26, "t", &vs,
	    &vn) == 1 && vn == 4 && memcmp(vs, "1.50", 4) == 0,
	    "raw member keeps number text");
	ok(ld_json_raw_member("{\"t\":1,\"u\":2,\"t\":3}", 19, "t", &vs,
	    &vn) == 1 && vn == 1 && *vs == '3',
	    "raw member: of a key given twice, the last, as jansson");
	ok(ld_json_raw_member("{\"t\":1,\"u\":", 12, "t", &vs, &vn) == -1,
	    "raw member: a cut object is not read");
	{
		static const char arr[] = "[{\"key\":\"id\",\"value\":7}, "
		    "{\"key\":\"project_path\",\"value\":\"a/b\"},[1]]";
		static const char cut[] = "[{\"key\":\"id\"";
		json_t *a = json_loads(arr, 0, NULL);

		ok(ld_json_raw_keyed(arr, sizeof(arr) - 1, "project_path", &vs,
		    &vn) == 1 && vn == 5 && memcmp(vs, "\"a/b\"", 5) == 0,
		    "raw keyed: the value of a key/value element");
		ok(ld_json_raw_keyed(arr, sizeof(arr) - 1, "nope", &vs, &vn) == 0,
		    "raw keyed: no such key");
		ok(ld_json_raw_keyed(cut, sizeof(cut) - 1, "x", &vs, &vn) == -1,
		    "raw keyed: a cut array is not read");
		is_str(json_string_value(ld_json_keyed(a, "project_path")), "a/b",
		    "keyed over jansson");
		ok(ld_json_keyed(a, "nope") == NULL &&
		    ld_json_keyed(ld_json_path(a, "x"), "id") == NULL,
		    "keyed over jansson: absent, and not an array");
		json_decref(a);
	}

	ok(parse("x/gitlab-rails/production_json.log",
	    "{\"time\":\"2026-11-16T02:13:12.250Z\",\"controller\":\"Projects::BlobController\","
	    "\"action\":\"show\",\"meta.project\":\"Acme-Corp/web\",\"username\":\"alice\","
	    "\"user_id\":42,\"remote_ip\":\"1.2.3.4\",\"correlation_id\":\"abc\"}") ==
	    LD_PARSE_OK, "rails line");
	is_str(r.fmtname, "gitlab.rails", "rails format by name");
	is_str(fv(LD_F_NS), "Acme-Corp", "ns from meta.project first segment");
	is_str(fv(LD_F_USER), "alice", "user from username");
	is_str(fv(LD_F_USER_ID), "42", "integer user id as text");
	is_str(fv(LD_F_EVENT), "Projects::BlobController#show", "event template");

	ok(parse("stdin", "{\"severity\":\"INFO\",\"time\":\"2018-10-17T17:38:22.523Z\","
	    "\"author_id\":3,\"entity_id\":2,\"entity_type\":\"Project\",\"change\":"
	    "\"visibility\",\"from\":\"Private\",\"to\":\"Public\",\"author_name\":"
	    "\"alice\",\"target_details\":\"acme-corp/web\"}") == LD_PARSE_OK,
	    "old audit shape detected by content");
	is_str(r.fmtname, "gitlab.audit_legacy", "old audit shape by its detect keys");
	is_str(fv(LD_F_NS), "acme-corp", "audit ns from target_details");
	is_str(fv(LD_F_EVENT), "visibility", "old shape event from change");

	ok(parse("audit-events.jsonl", "{\"id\":\"1\",\"author_id\":-3,\"entity_type\":"
	    "\"Project\",\"details\":{\"author_name\":\"deploy\",\"ip_address\":"
	    "\"127.0.0.1\"},\"entity_path\":\"acme-corp/x\",\"created_at\":"
	    "\"2022-07-26T05:43:53.662Z\",\"event_type\":\"repository_git_operation\"}")
	    == LD_PARSE_OK, "streamed audit event");
	is_str(fv(LD_F_USER), "deploy", "user from details.author_name");
	is_str(fv(LD_F_IP), "127.0.0.1", "ip from details.ip_address");

	ok(parse("nginx/gitlab_access.log", "2001:db8::7 - - [25/Oct/2024:14:48:00 +0000] "
	    "\"GET /api/v4/projects/acme-corp%2Fweb/repository/archive.zip?private_token=x HTTP/1.1\" 200 "
	    "512 \"-\" \"curl/8.0\" -") == LD_PARSE_OK, "nginx line");
	is_str(fv(LD_F_NS), "acme-corp", "api project path percent-decoded");
	is_str(fv(LD_F_USER), "(none)", "remote_user '-' is no user");
	is_str(fv(LD_F_IP), "2001:db8::7", "v6 client");
	ok(parse("nginx/gitlab_access.log", "1.2.3.4 - - [25/Oct/2024:14:48:00 +0000] "
	    "\"GET /api/v4/projects/17 HTTP/1.1\" 200 5 \"-\" \"x\" -") == LD_PARSE_OK &&
	    r.f[LD_F_NS] == NULL, "numeric project id names no tenant");
	ok(parse("nginx/gitlab_access.log", "1.2.3.4 - - [25/Oct/2024:14:48:00 +0000] "
	    "\"GET /users/sign_in HTTP/1.1\" 200 5 \"-\" \"x\" -") == LD_PARSE_OK &&
	    r.f[LD_F_NS] == NULL, "GitLab's own routes name no tenant");

	ok(parse("gitlab-workhorse/current", "{\"time\":\"2019-09-17T22:17:19Z\","
	    "\"uri\":\"/acme-corp/web/-/blob/x\",\"remote_addr\":\"68.0.116.160:0\","
	    "\"msg\":\"access\"}") == LD_PARSE_OK, "workhorse line");
	is_str(fv(LD_F_IP), "68.0.116.160", "port stripped from remote_addr");
	is_str(fv(LD_F_NS), "acme-corp", "workhorse ns from uri");

	ok(parse("sidekiq/current", "{\"class\":\"W\",\"jid\":\"1\","
	    "\"created_at\":1661399872.1377518}") == LD_PARSE_OK,
	    "sidekiq epoch float time");
	ld_buf_reset(&out);
	ld_rec_write(&r, &out);
	ok(strstr(out.p, "\"ts\":\"2022-08-25T03:57:52.1377518Z\"") != NULL,
	    "all seven fraction digits kept: %.60s", out.p);

	ok(parse("production_json.log", "Traceback (most recent call last):") ==
	    LD_PARSE_MALFORMED, "a stack trace line is malformed");
	ld_buf_reset(&out);
	ld_rec_write(&r, &out);
	ok(strstr(out.p, "\"fmt\":null") && strstr(out.p, "\"ev\":{\"raw\":"
	    "\"Traceback (most recent call last):\"}"), "malformed kept as raw");
	ok(parse("production_json.log", "{\"time\":\"2026-11-16T02:13:12.250Z\","
	    "\"controller\":\"C\"") == LD_PARSE_MALFORMED, "truncated JSON is malformed");
	ok(parse("production_json.log", "{\"controller\":\"C\",\"action\":\"a\","
	    "\"time\":\"yesterday\"}") == LD_PARSE_BADTIME, "bad time is reported");

	ok(parse("production_json.log", "{\"time\":\"2026-11-16T02:13:12.250Z\","
	    "\"controller\":\"C\",\"action\":\"a\",\"ua\":\"\xff\xfe bad\","
	    "\"meta.user\":\"alice\"}") == LD_PARSE_OK, "invalid UTF-8 still parses");
	ok(r.utf8_repaired, "and is marked repaired");
	is_str(fv(LD_F_USER), "alice", "fields still found");
	ld_buf_reset(&out);
	ld_rec_write(&r, &out);
	ok(ld_utf8_valid(out.p, out.len) && strstr(out.p, "\"utf8\":\"repaired\""),
	    "the record is valid UTF-8 and says so");

	/* Read an ld-record back: provenance and fields kept, event exact. */
	{
		char *line = ld_xstrndup(out.p, out.len - 1);
		struct ld_buf again = { 0 };

		ok(ld_parse_line(p, NULL, "pipe", 1, line, strlen(line), &r) ==
		    LD_PARSE_OK, "an ld-record parses");
		ok(r.is_record, "as a record");
		is_str(r.src, "production_json.log", "its src is kept");
		ok(r.line == 7, "its line is kept");
		ld_rec_write(&r, &again);
		ok(again.len == out.len && memcmp(again.p, out.p, out.len) == 0,
		    "written again byte for byte");
		ld_buf_free(&again);
		free(line);
	}

	test_identity();
	test_globs();
	test_hostile();
	test_deep();

	ld_buf_free(&out);
	ld_rec_free(&r);
	ld_parser_free(p);
	ld_formats_free(fs);
	return tap_done();
}
